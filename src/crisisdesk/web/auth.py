"""Accounts, server-side sessions, roles, CSRF and login rate limiting.

Passwords are hashed with argon2 (argon2-cffi). A session is a row in the
store (``store.sessions``): the cookie carries only a random id, the store
keeps its SHA-256 with the user, the CSRF token the page must echo on every
state-changing call (form field ``csrf_token`` or header ``X-CSRF-Token``),
when it started, was last seen, ends, and whether it was revoked. Every
request reads the row, so logging out, an admin ending a user's sessions, a
deactivation or a password reset hold at once, in every server process and
after a restart. The user's role is read with the row, so a demotion takes
effect at once. Nothing here is global: the limiter lives on ``app.state``, its
counts in the store.
"""

from __future__ import annotations

import functools
import hmac
import ipaddress
import re
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi import Request, Response
from itsdangerous import BadSignature, URLSafeTimedSerializer

from crisisdesk.accounts import ROLES, hash_password, role_rank, verify_password
from crisisdesk.errors import AuthError, NotFoundError, PermissionDenied
from crisisdesk.model import User
from crisisdesk.store.attempts import FAILED, LOGIN
from crisisdesk.web.errors import CsrfError, TooManyAttempts, Unavailable

SESSION_COOKIE = "crisisdesk_session"
VERSION_STATE = "crisisdesk_store_version"  # request state: the version read with the session
LOGIN_CSRF_COOKIE = "crisisdesk_login"
CSRF_HEADER = "X-CSRF-Token"
SESSION_MAX_AGE = 12 * 3600  # absolute: a session ends this long after login
SESSION_IDLE = 2 * 3600  # idle: a session unused this long ends
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{32,64}$")  # what secrets.token_urlsafe(32) gives
# a hash of a random password, checked against when the user does not exist, so
# a missing account takes as long to refuse as a wrong password
_DUMMY = "dummy-password-for-timing"
BUSY_LOGINS = "too many logins at once: try again in a moment"


def _utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class Ticket:
    """One attempt counted in the store, waiting for its check."""

    id: int
    user: str
    address: str


@dataclass
class LoginLimiter:
    """Login attempts per account+address and per address, counted in the store
    before the check, so the limit holds across server processes and restarts.

    ``reserve`` writes the attempt (committed) and then reads the other
    attempts from the address (``store.attempts``): an attempt committed
    earlier is seen by every later one, so of any number of concurrent
    attempts, in one process or several, at most ``per_account_address`` find
    fewer than that many before them and go on to a password check. After that
    many attempts on one account from one address, each further one waits
    ``delay`` * 2**k seconds after the last check ended (15 s, 30 s, 1 min...
    at most ``max_delay``); an attacker elsewhere never locks the account for its
    owner. ``per_address`` bounds password spraying over many accounts from one
    address the same way. A right password ends the count of its account+address.
    ``clock`` gives the time (UTC); tests move it.
    """

    per_account_address: int = 5
    per_address: int = 20
    delay: float = 15.0
    max_delay: float = 900.0
    window: float = 900.0  # attempts older than this are forgotten
    clock: Callable[[], datetime] = field(default_factory=lambda: _utcnow)

    def reserve(self, store: Any, user: str, address: str) -> Ticket:
        """Count one attempt, or refuse it (429, and it is not counted)."""
        now = self.clock()
        key = user.lower()
        ticket = Ticket(store.begin_login_attempt(user, address, now), key, address)
        before = [
            a
            for a in store.login_attempts(address, now - timedelta(seconds=self.window))
            if a.id < ticket.id
        ]  # the attempts after this one count it instead: ids are commit order
        mine = [a for a in before if a.user.lower() == key]
        last_login = max((a.at for a in mine if a.action == LOGIN), default=None)
        pair = [a for a in mine if a.action != LOGIN and (last_login is None or a.at > last_login)]
        addr = [a for a in before if a.action != LOGIN]
        for counted, free, what in (
            (pair, self.per_account_address, "for this account from this address"),
            (addr, self.per_address, "from this address"),
        ):
            wait = self._wait(counted, free, now)
            if wait > 0:
                store.drop_login_attempt(ticket.id)
                raise TooManyAttempts(f"too many failed logins {what}: wait {wait:.0f} s")
        return ticket

    def _wait(self, counted: list[Any], free: int, now: datetime) -> float:
        """Seconds still to wait after ``counted`` earlier attempts (0: go on)."""
        if len(counted) < free:
            return 0.0
        last = max(a.at for a in counted)
        pause = min(self.max_delay, self.delay * 2 ** (len(counted) - free))
        return max(0.0, (last - now).total_seconds() + pause)

    def failed(self, store: Any, ticket: Ticket) -> None:
        """A wrong password: the wait is counted from now, the end of the check."""
        store.end_login_attempt(ticket.id, FAILED, self.clock())

    def cancel(self, store: Any, ticket: Ticket) -> None:
        """No check was made (the server was busy): the attempt is not counted."""
        store.drop_login_attempt(ticket.id)

    def succeeded(self, store: Any, ticket: Ticket) -> None:
        """A right password: the account+address count ends here (audited as a login)."""
        store.end_login_attempt(ticket.id, LOGIN, self.clock())


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
    """Logs in, starts, reads and ends sessions for one app (``app.state.auth``)."""

    def __init__(
        self,
        secret_key: str,
        limiter: LoginLimiter | None = None,
        *,
        max_checks: int = 4,
        check_wait: float = 5.0,
        idle: int = SESSION_IDLE,
        absolute: int = SESSION_MAX_AGE,
    ) -> None:
        self.login_tokens = URLSafeTimedSerializer(secret_key, salt="crisisdesk.login")
        self.limiter = limiter or LoginLimiter()
        # argon2 costs 64 MiB a check: at most this many run at once in all the
        # processes of one store (``store.slot``), and in this one
        self.max_checks = max_checks
        self.check_wait = check_wait
        self.checks = threading.BoundedSemaphore(max_checks)
        self.idle = timedelta(seconds=idle)
        self.absolute = timedelta(seconds=absolute)

    # -- login ---------------------------------------------------------------

    def authenticate(self, store: Any, name: str, password: str, address: str) -> User:
        """The user when the password is right; AuthError (or TooManyAttempts) if not;
        Unavailable (503, not counted) when every password-check slot is busy."""
        ticket = self.limiter.reserve(store, name, address)
        try:
            try:
                user: User | None = store.get_user(name)
            except NotFoundError:
                user = None
            ok = self._check(store, user, password)
        except Unavailable:
            self.limiter.cancel(store, ticket)  # nothing was checked: not counted
            raise
        except BaseException:
            self.limiter.failed(store, ticket)  # counted all the same (an error)
            raise
        if not ok or user is None:
            self.limiter.failed(store, ticket)  # the attempt's row is the audit of it
            raise AuthError("wrong user name or password")
        self.limiter.succeeded(store, ticket)
        return user

    def _check(self, store: Any, user: User | None, password: str) -> bool:
        """One argon2 check in one of the store's ``max_checks`` slots, shared by every
        server process; waits at most ``check_wait`` seconds for one, then 503."""
        deadline = time.monotonic() + self.check_wait
        if not self.checks.acquire(timeout=self.check_wait):
            raise Unavailable(BUSY_LOGINS, retry_after=2)
        try:
            while True:
                with store.slot("password", self.max_checks) as number:
                    if number is not None:
                        if user is None or not user.active:
                            verify_password(_dummy_hash(), password)
                            return False
                        return verify_password(user.password_hash, password)
                if time.monotonic() >= deadline:
                    raise Unavailable(BUSY_LOGINS, retry_after=2)
                time.sleep(0.02)
        finally:
            self.checks.release()

    def start_session(self, response: Response, request: Request, user: User) -> str:
        """A new session row and its cookie; returns the session's CSRF token."""
        token = secrets.token_urlsafe(32)
        csrf = secrets.token_urlsafe(24)
        request.app.state.store.create_session(
            token, user.name, csrf, lifetime=self.absolute, address=client_address(request)
        )
        response.set_cookie(
            SESSION_COOKIE,
            token,
            max_age=int(self.absolute.total_seconds()),
            httponly=True,
            samesite="lax",
            secure=request.url.scheme == "https",
            path="/",
        )
        return csrf

    def end_session(self, request: Request, response: Response) -> None:
        """Revoke this session in the store (a kept copy of the cookie is refused too)."""
        raw = request.cookies.get(SESSION_COOKIE)
        if raw and _TOKEN.match(raw):
            request.app.state.store.revoke_session(raw)
        response.delete_cookie(SESSION_COOKIE, path="/")

    def session(self, request: Request) -> Session | None:
        """The live session of this request, or None (read once per request)."""
        state = request.scope.setdefault("state", {})
        if "crisisdesk_session" not in state:
            state["crisisdesk_session"] = self._lookup(request)
        found: Session | None = state["crisisdesk_session"]
        return found

    def _lookup(self, request: Request) -> Session | None:
        raw = request.cookies.get(SESSION_COOKIE)
        if not raw or not _TOKEN.match(raw):
            return None
        store = request.app.state.store
        record, version = store.session_and_version(raw)
        # the store's version as the request began, read with the session in one
        # statement: what answers kept per version are filed under (``cache.request_version``)
        request.scope.setdefault("state", {})[VERSION_STATE] = version
        at = datetime.now(UTC)
        if record is None or not record.live(at, self.idle):
            return None
        store.touch_session(record, at)
        return Session(record.user, record.csrf)

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


def _ip(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def client_address(request: Request) -> str:
    """The client's address: the peer, or the forwarded one only from a trusted proxy.

    X-Forwarded-For is read right to left, skipping trusted proxies, and only
    when the peer itself is one of the proxies named in the settings
    (``CRISISDESK_TRUSTED_PROXIES``); from anyone else it is ignored.
    """
    peer = request.client.host if request.client else "unknown"
    trusted = request.app.state.settings.trusted_proxies
    if not trusted or not _in(peer, trusted):
        return peer
    hops = [h.strip() for h in request.headers.get("x-forwarded-for", "").split(",") if h.strip()]
    for hop in reversed(hops):
        if _ip(hop) is None:
            return peer  # a forged or garbled header: trust nothing in it
        if not _in(hop, trusted):
            return hop
    return peer


def _in(address: str, networks: tuple[str, ...]) -> bool:
    ip = _ip(address)
    if ip is None:
        return False
    for net in networks:
        try:
            if ip in ipaddress.ip_network(net, strict=False):
                return True
        except ValueError:
            continue
    return False


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
    "client_address",
    "hash_password",
    "role_rank",
    "verify_password",
]
