"""Accounts: roles and password hashing, shared by the web desk and the CLI.

Kept out of ``web`` so that ``crisisdesk user add`` can hash a password
without importing the web application (the CLI and the web layer never
import each other).
"""

from __future__ import annotations

import functools
import os
import secrets
from importlib import resources
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from crisisdesk.errors import ConfigError, ValidationError

ROLES = ("viewer", "analyst", "admin")  # each may do what the ones before it may
MIN_PASSWORD = 12  # NIST SP 800-63B asks 8 at least; we ask more, and no common ones
MAX_PASSWORD = 256


@functools.cache
def common_passwords() -> frozenset[str]:
    """Passwords refused whatever their length (data/accounts/common-passwords.txt)."""
    text = (
        resources.files("crisisdesk")
        .joinpath("data/accounts/common-passwords.txt")
        .read_text(encoding="utf-8")
    )
    return frozenset(
        line.strip().lower() for line in text.splitlines() if line.strip() and line[0] != "#"
    )


def check_password(password: str, name: str = "") -> None:
    """Refuse a password that is short, common, or the account's own name (800-63B)."""
    if len(password) < MIN_PASSWORD:
        raise ValidationError(
            f"a password needs at least {MIN_PASSWORD} characters", where="password"
        )
    if len(password) > MAX_PASSWORD:
        raise ValidationError(f"a password has at most {MAX_PASSWORD} characters", where="password")
    lowered = password.lower()
    if lowered in common_passwords() or len(set(lowered)) < 4:
        raise ValidationError(
            "that password is too common or too simple: choose another", where="password"
        )
    if name and name.lower() in lowered:
        raise ValidationError("a password must not contain the account's name", where="password")


def role_rank(role: str) -> int:
    """viewer < analyst < admin; an unknown role ranks below all."""
    return ROLES.index(role) if role in ROLES else -1


def hash_password(password: str, name: str = "") -> str:
    """An argon2id hash of a password ``check_password`` accepts."""
    check_password(password, name)
    return PasswordHasher().hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return PasswordHasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


# -- the server's secret key ------------------------------------------------------------

SECRET_ENV = "CRISISDESK_SECRET_KEY"
MIN_SECRET_BYTES = 32
KEY_MADE = "no CRISISDESK_SECRET_KEY given: made a new key and kept it in {path} (mode 600)"


def key_path(db_url: str) -> Path:
    """Where a store keeps its own key: beside a SQLite file, else the current directory."""
    url = db_url or ""
    if "://" not in url and url:
        return Path(url).expanduser().resolve().parent / "secret.key"
    if url.startswith("sqlite:///") and ":memory:" not in url:
        return Path(url.removeprefix("sqlite:///")).expanduser().resolve().parent / "secret.key"
    return Path.cwd() / "secret.key"


def secret_key(db_url: str, given: str | None) -> tuple[str, Path | None]:
    """(key, where it was just made or None): the one given, at least 32 bytes, or the
    store's own, made once (32 random bytes, mode 600) when there is none yet."""
    if given:
        if len(given.encode()) < MIN_SECRET_BYTES:
            raise ConfigError(
                f"the secret key is {len(given.encode())} bytes: use at least "
                f"{MIN_SECRET_BYTES} (or unset {SECRET_ENV} and one is made for you)",
                where=SECRET_ENV,
            )
        return given, None
    path = key_path(db_url)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return _kept_key(path), None
    key = secrets.token_urlsafe(MIN_SECRET_BYTES)
    with os.fdopen(fd, "w", encoding="ascii") as f:
        f.write(key + "\n")
    return key, path


def _kept_key(path: Path) -> str:
    os.chmod(path, 0o600)
    key = path.read_text(encoding="ascii").strip()
    if len(key.encode()) < MIN_SECRET_BYTES:
        raise ConfigError(f"the key file holds under {MIN_SECRET_BYTES} bytes", where=str(path))
    return key
