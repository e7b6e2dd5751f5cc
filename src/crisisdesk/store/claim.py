"""One background reconcile per store, whatever the number of server processes.

A claim is held for the length of one run: on PostgreSQL a session-level
advisory lock (tried, never waited for), on an SQLite file an exclusive
``flock`` on a file beside the database. A process that cannot take the claim
does not queue behind it: another one is already bringing the figures up to
date, and whoever asks next, after it is done, starts the next run.
"""

from __future__ import annotations

import fcntl
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine

# advisory lock ids: figures.PG_LOCK (727275) serialises the writes themselves; this
# one, held across a whole run, says a background reconcile is under way
REFRESH_LOCK = 727276
JOB_LOCK = 727277  # held by the one upload worker of a store (``job_claim``)
SLOT_LOCK = 727278  # with a slot number: the store's password checks (``slot``)


def database_url(engine: Engine) -> str:
    """The URL a child process opens the same store with (password included)."""
    return engine.url.render_as_string(hide_password=False)


def shares_across_processes(engine: Engine) -> bool:
    """False for an in-memory SQLite database: no other process can open it."""
    if engine.dialect.name != "sqlite":
        return True
    return bool(engine.url.database) and engine.url.database != ":memory:"


@contextmanager
def refresh_claim(engine: Engine) -> Iterator[bool]:
    """Yield True while this process holds the store's reconcile claim, False when
    another process holds it (nothing waits)."""
    with _claim(engine, "reconcile", REFRESH_LOCK) as mine:
        yield mine


@contextmanager
def job_claim(engine: Engine) -> Iterator[bool]:
    """Yield True while this process is the store's one upload worker (never waits)."""
    with _claim(engine, "upload", JOB_LOCK) as mine:
        yield mine


@contextmanager
def _claim(engine: Engine, name: str, lock_id: int) -> Iterator[bool]:
    if engine.dialect.name == "sqlite":
        if not shares_across_processes(engine):
            yield True
            return
        with open(f"{engine.url.database}.{name}-lock", "a+b") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                yield False
                return
            try:
                yield True
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)
        return
    with engine.connect() as conn:
        got = bool(conn.exec_driver_sql(f"SELECT pg_try_advisory_lock({lock_id})").scalar())
        conn.commit()
        try:
            yield got
        finally:
            if got:
                conn.exec_driver_sql(f"SELECT pg_advisory_unlock({lock_id})")
                conn.commit()


@contextmanager
def slot(engine: Engine, name: str, count: int) -> Iterator[int | None]:
    """One of ``count`` slots shared by every process of the store, tried in turn,
    never waited for: yields the slot's number, or None when all are taken.

    An SQLite file's slots are ``flock``s on files beside it, PostgreSQL's are
    advisory locks (``SLOT_LOCK``, number) on a connection held meanwhile; a lock
    dies with its process, so a killed server never keeps a slot. An in-memory
    store has no other process: it yields 0 (the caller bounds its own threads).
    """
    if engine.dialect.name == "sqlite":
        if not shares_across_processes(engine):
            yield 0
            return
        for number in range(count):
            with open(f"{engine.url.database}.{name}-{number}-lock", "a+b") as handle:
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    continue
                try:
                    yield number
                finally:
                    fcntl.flock(handle, fcntl.LOCK_UN)
                return
        yield None
        return
    with engine.connect() as conn:
        got = None
        for number in range(count):
            took = conn.exec_driver_sql(f"SELECT pg_try_advisory_lock({SLOT_LOCK}, {number})")
            if took.scalar():
                got = number
                break
        conn.commit()
        try:
            yield got
        finally:
            if got is not None:
                conn.exec_driver_sql(f"SELECT pg_advisory_unlock({SLOT_LOCK}, {got})")
                conn.commit()
