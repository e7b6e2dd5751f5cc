"""Server-side sessions and account administration (migration 0006).

A session is a row, not a signed cookie: the cookie carries a random id, the
row (keyed by that id's SHA-256) says whose it is, when it started, was last
seen, ends, and whether it was revoked. Logging out, an admin ending a user's
sessions, deactivating a user or resetting a password all revoke rows, so they
hold across restarts and across server processes.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.engine import Connection

from crisisdesk.errors import NotFoundError, ValidationError
from crisisdesk.model import User
from crisisdesk.store import schema
from crisisdesk.store.documents import now

TOUCH_EVERY = timedelta(seconds=60)  # last_seen is written at most this often per session


def session_key(token: str) -> str:
    """What the store keeps of a cookie's session id: its SHA-256, never the id."""
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def _aware(at: datetime | None) -> datetime | None:
    """SQLite gives naive datetimes back; every one the store writes is UTC."""
    if at is not None and at.tzinfo is None:
        return at.replace(tzinfo=UTC)
    return at


@dataclass(frozen=True, slots=True)
class SessionRecord:
    """One login, as the store holds it (``key`` is the hash of the cookie's id)."""

    key: str
    user: User
    csrf: str
    address: str | None
    created_at: datetime
    last_seen: datetime
    expires_at: datetime
    revoked_at: datetime | None

    def live(self, at: datetime, idle: timedelta) -> bool:
        """Not revoked, not past its absolute end, not idle too long, user active."""
        return (
            self.revoked_at is None
            and self.user.active
            and at < self.expires_at
            and at - self.last_seen < idle
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.key[:12],
            "user": self.user.name,
            "address": self.address,
            "created_at": self.created_at.isoformat(),
            "last_seen": self.last_seen.isoformat(),
            "expires_at": self.expires_at.isoformat(),
            "revoked_at": self.revoked_at.isoformat() if self.revoked_at else None,
        }


def _record(r: Any) -> SessionRecord:
    user = User(r.uid, r.user_name, r.role, r.password_hash, bool(r.active))
    return SessionRecord(
        key=r.id,
        user=user,
        csrf=r.csrf,
        address=r.address,
        created_at=_aware(r.created_at),  # type: ignore[arg-type]
        last_seen=_aware(r.last_seen),  # type: ignore[arg-type]
        expires_at=_aware(r.expires_at),  # type: ignore[arg-type]
        revoked_at=_aware(r.revoked_at),
    )


def _select() -> Any:
    s, u = schema.sessions, schema.users
    return select(s, u.c.id.label("uid"), u.c.role, u.c.password_hash, u.c.active).join(
        u, u.c.name == s.c.user_name
    )


def revoke_user_sessions(conn: Connection, name: str) -> int:
    """Revoke every live session of ``name`` inside the caller's transaction."""
    s = schema.sessions
    stmt = (
        s.update().where(s.c.user_name == name, s.c.revoked_at.is_(None)).values(revoked_at=now())
    )
    return conn.execute(stmt).rowcount or 0


class SessionsAndAccounts:
    """The ``Store``'s sessions and the admin's changes to accounts."""

    engine: Engine
    reader: Engine  # the same pool, reads outside a transaction (``Store.reader``)

    def create_session(
        self, token: str, user: str, csrf: str, *, lifetime: timedelta, address: str | None = None
    ) -> SessionRecord:
        at = now()
        with self.engine.begin() as conn:
            conn.execute(
                schema.sessions.insert().values(
                    id=session_key(token),
                    user_name=user,
                    csrf=csrf,
                    address=(address or "")[:64] or None,
                    created_at=at,
                    last_seen=at,
                    expires_at=at + lifetime,
                )
            )
        found = self.find_session(token)
        assert found is not None
        return found

    def find_session(self, token: str) -> SessionRecord | None:
        """The session a cookie names (live or not), or None."""
        return self.session_and_version(token)[0]

    def session_and_version(self, token: str) -> tuple[SessionRecord | None, int | None]:
        """The session a cookie names (or None) and the store's version, in one
        statement: what every request reads first (``Store.version``; None with no
        session)."""
        v = schema.store_version
        version = select(v.c.version).where(v.c.id == 1).scalar_subquery()
        stmt = _select().add_columns(version.label("store_version"))
        with self.reader.connect() as conn:
            r = conn.execute(stmt.where(schema.sessions.c.id == session_key(token))).first()
        if r is None:
            return None, None
        return _record(r), r.store_version

    def touch_session(self, record: SessionRecord, at: datetime) -> None:
        """Move last_seen on, at most once a minute (reads stay reads)."""
        if at - record.last_seen < TOUCH_EVERY:
            return
        s = schema.sessions
        with self.engine.begin() as conn:
            conn.execute(s.update().where(s.c.id == record.key).values(last_seen=at))

    def revoke_session(self, token: str) -> bool:
        s = schema.sessions
        with self.engine.begin() as conn:
            done = conn.execute(
                s.update()
                .where(s.c.id == session_key(token), s.c.revoked_at.is_(None))
                .values(revoked_at=now())
            ).rowcount
        return bool(done)

    def end_sessions(self, name: str, *, by: str) -> int:
        """Revoke every session of a user (an admin's "log out everywhere")."""
        self._user_id(name)
        with self.engine.begin() as conn:
            n = revoke_user_sessions(conn, name)
            _event(conn, by, "sessions_end", f"{name}: {n} ended")
        return n

    def list_sessions(
        self, name: str | None = None, *, live_only: bool = True
    ) -> list[SessionRecord]:
        s = schema.sessions
        stmt = _select().order_by(s.c.last_seen.desc())
        if name:
            self._user_id(name)
            stmt = stmt.where(s.c.user_name == name)
        if live_only:
            stmt = stmt.where(s.c.revoked_at.is_(None), s.c.expires_at > now())
        with self.engine.connect() as conn:
            return [_record(r) for r in conn.execute(stmt)]

    def purge_sessions(self, older_than: timedelta = timedelta(days=30)) -> int:
        """Delete rows that ended long ago (they are kept a while for the audit)."""
        s = schema.sessions
        with self.engine.begin() as conn:
            return conn.execute(s.delete().where(s.c.expires_at < now() - older_than)).rowcount or 0

    # -- account changes (each one audited in the same transaction) ---------------

    def set_role(self, name: str, role: str, *, by: str) -> User:
        if role not in ("viewer", "analyst", "admin"):
            raise ValidationError(
                f"unknown role {role!r}: use viewer, analyst or admin", where="role"
            )
        old = self._user_field(name, "role")
        with self.engine.begin() as conn:
            conn.execute(schema.users.update().where(schema.users.c.name == name).values(role=role))
            _event(conn, by, "user_role", f"{name}: {old} -> {role}")
        return self._user(name)

    def set_active(self, name: str, active: bool, *, by: str) -> User:
        """Deactivating ends every session of the user at once."""
        self._user_id(name)
        with self.engine.begin() as conn:
            conn.execute(
                schema.users.update().where(schema.users.c.name == name).values(active=active)
            )
            if not active:
                revoke_user_sessions(conn, name)
            _event(conn, by, "user_activate" if active else "user_deactivate", name)
        return self._user(name)

    def reset_password(self, name: str, password_hash: str, *, by: str) -> int:
        """A new password hash; every session of the user ends. Returns how many."""
        self._user_id(name)
        with self.engine.begin() as conn:
            conn.execute(
                schema.users.update()
                .where(schema.users.c.name == name)
                .values(password_hash=password_hash)
            )
            n = revoke_user_sessions(conn, name)
            _event(conn, by, "password_reset", name)
        return n

    # -- helpers --------------------------------------------------------------------

    def _user_field(self, name: str, field: str) -> Any:
        with self.engine.connect() as conn:
            r = conn.execute(
                select(schema.users.c[field]).where(schema.users.c.name == name)
            ).first()
        if r is None:
            raise NotFoundError(f"no user {name!r}", where="user")
        return r[0]

    def _user_id(self, name: str) -> int:
        return int(self._user_field(name, "id"))

    def _user(self, name: str) -> User:
        with self.engine.connect() as conn:
            r = conn.execute(select(schema.users).where(schema.users.c.name == name)).one()
        return User(r.id, r.name, r.role, r.password_hash, r.active)


def _event(conn: Connection, by: str, action: str, note: str) -> None:
    conn.execute(
        schema.audit_log.insert().values(
            at=now(), user_name=by, action=action, fact_id=None, old=None, new=None, note=note
        )
    )
