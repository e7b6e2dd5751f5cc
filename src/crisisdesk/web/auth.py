"""Accounts, sessions, roles, CSRF and login rate limiting.

Passwords are hashed with argon2 (argon2-cffi). A session is a cookie signed
with itsdangerous: it names the user, carries the CSRF token the page must
echo on every state-changing call (form field ``csrf_token`` or header
``X-CSRF-Token``), and a fingerprint of the password hash, so changing a
password ends every session. The user's role is read from the store on each
request, so a demotion takes effect at once. Nothing here is global: the
serializer and the rate limiter live on ``app.state``.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import secrets
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from fastapi import Request, Response
from itsdangerous import BadSignature, URLSafeTimedSerializer

from crisisdesk.accounts import ROLES, hash_password, role_rank, verify_password
from crisisdesk.errors import AuthError, NotFoundError, PermissionDenied
from crisisdesk.model import User
from crisisdesk.web.errors import CsrfError, TooManyAttempts

SESSION_COOKIE = "crisisdesk_session"
LOGIN_CSRF_COOKIE = "crisisdesk_login"
CSRF_HEADER = "X-CSRF-Token"
SESSION_MAX_AGE = 12 * 3600
# a hash of a random password, checked against when the user does not exist, so
# a missing account takes as long to refuse as a wrong password
_DUMMY = "dummy-password-for-timing"


def _fingerprint(user: User) -> str:
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:16]


@dataclass
class LoginLimiter:
    """Failed logins in a sliding window, per user name and per client address.

    In memory on purpose: one server process, and a restart forgetting the
    counts costs an attacker more than it gains. A success clears the user's count.
    """

    per_user: int = 5
    per_address: int = 20
    window: float = 300.0
    _failures: dict[str, deque[float]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def _recent(self, key: str, now: float) -> deque[float]:
        q = self._failures.setdefault(key, deque())
        while q and now - q[0] > self.window:
            q.popleft()
        return q

    def check(self, user: str, address: str) -> None:
        now = time.monotonic()
        with self._lock:
            if len(self._recent(f"u:{user.lower()}", now)) >= self.per_user:
                raise TooManyAttempts("too many failed logins for this account: wait a few minutes")
            if len(self._recent(f"a:{address}", now)) >= self.per_address:
                raise TooManyAttempts(
                    "too many failed logins from this address: wait a few minutes"
                )

    def failed(self, user: str, address: str) -> None:
        now = time.monotonic()
        with self._lock:
            self._recent(f"u:{user.lower()}", now).append(now)
            self._recent(f"a:{address}", now).append(now)

    def succeeded(self, user: str) -> None:
        with self._lock:
            self._failures.pop(f"u:{user.lower()}", None)


@dataclass(frozen=True, slots=True)
class Session:
    user: User
    csrf: str

    @property
    def role(self) -> str:
        return self.user.role

    def can(self, role: str) -> bool:
        return role_rank(self.user.role) >= role_rank(role)


class Auth:
    """Signs and reads session cookies for one app (lives on ``app.state.auth``)."""

    def __init__(self, secret_key: str, limiter: LoginLimiter | None = None) -> None:
        self.sessions = URLSafeTimedSerializer(secret_key, salt="crisisdesk.session")
        self.login_tokens = URLSafeTimedSerializer(secret_key, salt="crisisdesk.login")
        self.limiter = limiter or LoginLimiter()
        self._revoked: set[str] = set()  # logged-out tokens (this process; they expire anyway)
        self._lock = threading.Lock()

    # -- login ---------------------------------------------------------------

    def authenticate(self, store: Any, name: str, password: str, address: str) -> User:
        """The user when the password is right; AuthError (or TooManyAttempts) if not."""
        self.limiter.check(name, address)
        try:
            user: User | None = store.get_user(name)
        except NotFoundError:
            user = None
        if user is None or not user.active:
            verify_password(_dummy_hash(), password)
            ok = False
        else:
            ok = verify_password(user.password_hash, password)
        if not ok or user is None:
            self.limiter.failed(name, address)
            store.record_event(user=name[:64] or "?", action="login_failed", note=address)
            raise AuthError("wrong user name or password")
        self.limiter.succeeded(name)
        return user

    def start_session(self, response: Response, request: Request, user: User) -> str:
        """Set the session cookie; returns the new CSRF token."""
        csrf = secrets.token_urlsafe(24)
        token = self.sessions.dumps({"u": user.name, "c": csrf, "f": _fingerprint(user)})
        response.set_cookie(
            SESSION_COOKIE,
            token,
            max_age=SESSION_MAX_AGE,
            httponly=True,
            samesite="lax",
            secure=request.url.scheme == "https",
            path="/",
        )
        return csrf

    def end_session(self, request: Request, response: Response) -> None:
        """Delete the cookie, and refuse this token from now on should a copy turn up."""
        raw = request.cookies.get(SESSION_COOKIE)
        if raw:
            with self._lock:
                self._revoked.add(raw)
        response.delete_cookie(SESSION_COOKIE, path="/")

    def session(self, request: Request) -> Session | None:
        """The signed-in session of this request, or None."""
        raw = request.cookies.get(SESSION_COOKIE)
        if not raw or raw in self._revoked:
            return None
        try:
            data = self.sessions.loads(raw, max_age=SESSION_MAX_AGE)
            name, csrf, fp = str(data["u"]), str(data["c"]), str(data["f"])
        except (BadSignature, KeyError, TypeError):
            return None
        try:
            user = request.app.state.store.get_user(name)
        except NotFoundError:
            return None
        if not user.active or not hmac.compare_digest(fp, _fingerprint(user)):
            return None
        return Session(user, csrf)

    # -- the login form's own CSRF token (no session yet) -------------------------

    def login_token(self, request: Request) -> tuple[str, str]:
        """(form token, cookie value): the form must send back what the cookie signs."""
        nonce = request.cookies.get(LOGIN_CSRF_COOKIE)
        try:
            value = self.login_tokens.loads(nonce, max_age=3600) if nonce else None
        except BadSignature:
            value = None
        if not isinstance(value, str):
            value = secrets.token_urlsafe(24)
        return value, self.login_tokens.dumps(value)

    def check_login_token(self, request: Request, submitted: str) -> None:
        nonce = request.cookies.get(LOGIN_CSRF_COOKIE)
        try:
            value = self.login_tokens.loads(nonce, max_age=3600) if nonce else None
        except BadSignature:
            value = None
        if not isinstance(value, str) or not hmac.compare_digest(value, submitted or ""):
            raise CsrfError("the login form expired: reload the page and try again")


@functools.cache
def _dummy_hash() -> str:
    """Computed once per process and never changed."""
    return hash_password(_DUMMY)


# -- FastAPI dependencies -----------------------------------------------------------


def current_session(request: Request) -> Session:
    session = request.app.state.auth.session(request)
    if session is None:
        raise AuthError("log in first")
    return session


def requires(role: str, *, csrf: bool = False) -> Callable[[Request], Session]:
    """A dependency: a session of at least ``role``; with ``csrf``, the header must match."""

    def dependency(request: Request) -> Session:
        session = current_session(request)
        if not session.can(role):
            raise PermissionDenied(f"this needs the {role} role; you are {session.role}")
        if csrf:
            check_csrf(session, request.headers.get(CSRF_HEADER))
        return session

    dependency.__name__ = f"requires_{role}{'_csrf' if csrf else ''}"
    return dependency


def check_csrf(session: Session, submitted: str | None) -> None:
    if not submitted or not hmac.compare_digest(session.csrf, submitted):
        raise CsrfError(
            f"missing or wrong CSRF token: send the page's token in {CSRF_HEADER} "
            "or the csrf_token form field"
        )


__all__ = [
    "ROLES",
    "hash_password",
    "role_rank",
    "verify_password",
]
