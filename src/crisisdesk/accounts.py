"""Accounts: roles and password hashing, shared by the web desk and the CLI.

Kept out of ``web`` so that ``crisisdesk user add`` can hash a password
without importing the web application (the CLI and the web layer never
import each other).
"""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from crisisdesk.errors import ValidationError

ROLES = ("viewer", "analyst", "admin")  # each may do what the ones before it may
MIN_PASSWORD = 8


def role_rank(role: str) -> int:
    """viewer < analyst < admin; an unknown role ranks below all."""
    return ROLES.index(role) if role in ROLES else -1


def hash_password(password: str) -> str:
    """An argon2id hash; refuses passwords shorter than MIN_PASSWORD characters."""
    if len(password) < MIN_PASSWORD:
        raise ValidationError(f"a password needs at least {MIN_PASSWORD} characters")
    return PasswordHasher().hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return PasswordHasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False
