"""Login attempts, counted in the store so every server process sees the same counts.

Each attempt is an ``audit_log`` row written and committed *before* its
password is checked (action ``login_attempt``, the name tried, the address in
``note``), then read back with the other attempts from that address. Attempts
commit in the order of their ids (one writer at a time), so each sees every
attempt numbered before it, and among any number of concurrent attempts, in one
process or many, exactly the limit find fewer than the limit before them
(``web.auth.LoginLimiter`` decides, counting only those before). The row then
becomes the audit of what happened: ``login_failed`` (its time moved to the end
of the check, where the wait is counted from) or ``login``; an attempt refused
without a check is deleted, so a flood leaves nothing behind.

Reading an address's attempts is a range read on the (action, at) index of
migration 0009.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Engine, select, text

from crisisdesk.store import schema

ATTEMPT = "login_attempt"  # counted; its check is running
FAILED = "login_failed"  # counted; a wrong password (or no such account)
LOGIN = "login"  # a right password: earlier failures of that name+address no longer count
_LOCK_KEY = 0x6C6F67696E  # the advisory lock that orders attempts on PostgreSQL


@dataclass(frozen=True, slots=True)
class Attempt:
    id: int
    user: str
    action: str
    at: datetime


def _aware(at: datetime) -> datetime:
    return at if at.tzinfo is not None else at.replace(tzinfo=UTC)


def begin_attempt(engine: Engine, user: str, address: str, at: datetime) -> int:
    """Write (and commit) one attempt before its check; returns its id."""
    a = schema.audit_log
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            # attempts commit in the order of their ids (SQLite's one writer gives that by
            # itself), so an attempt sees every attempt numbered before it
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK_KEY})
        done = conn.execute(
            a.insert().values(
                at=at, user_name=user[:128] or "?", action=ATTEMPT, note=address[:200]
            )
        )
        key = done.inserted_primary_key
    assert key is not None
    return int(key[0])


def attempts_from(engine: Engine, address: str, since: datetime) -> list[Attempt]:
    """Every attempt from ``address`` since ``since`` (counted or not), oldest first."""
    a = schema.audit_log
    stmt = (
        select(a.c.id, a.c.user_name, a.c.action, a.c.at)
        .where(a.c.note == address[:200], a.c.action.in_((ATTEMPT, FAILED, LOGIN)))
        .where(a.c.at >= since)
        .order_by(a.c.at, a.c.id)
    )
    with engine.connect() as conn:
        return [Attempt(r.id, r.user_name, r.action, _aware(r.at)) for r in conn.execute(stmt)]


def end_attempt(engine: Engine, attempt_id: int, action: str, at: datetime) -> None:
    """The attempt's outcome: ``FAILED`` or ``LOGIN``, at the end of its check."""
    a = schema.audit_log
    with engine.begin() as conn:
        conn.execute(a.update().where(a.c.id == attempt_id).values(action=action, at=at))


def drop_attempt(engine: Engine, attempt_id: int) -> None:
    """An attempt refused before any check: it leaves no row."""
    a = schema.audit_log
    with engine.begin() as conn:
        conn.execute(a.delete().where(a.c.id == attempt_id, a.c.action == ATTEMPT))
