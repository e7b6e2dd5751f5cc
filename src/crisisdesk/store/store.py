"""The store: the one place that speaks SQL. Documents, facts, review, users, and
the figures reconcile computes, on SQLite (a file, by default) or PostgreSQL.

One ``Store`` wraps one SQLAlchemy engine. Its methods take and return records
(``model`` and ``store.records``); callers never see a connection or a row.
By purpose: ``documents`` (documents and facts), ``review`` (review, audit
log, users), ``questions`` (the facts one question is about), ``figures``
(reconciled figures, freshness), ``rows`` (every row <-> record conversion).
"""

from __future__ import annotations

import logging
import select
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import DisconnectionError, OperationalError, SQLAlchemyError

from crisisdesk.defaults import DEFAULT_DB_URL
from crisisdesk.errors import StoreError
from crisisdesk.geo.correct import PlaceResolver
from crisisdesk.model import ResolvedPlace
from crisisdesk.store import attempts, claim, deferred, figures, jobs, overview, partial, questions
from crisisdesk.store.documents import DocumentsAndFacts, FactQuery, MadeMemo
from crisisdesk.store.history import UndoHistory, UndoStep
from crisisdesk.store.migrate import upgrade
from crisisdesk.store.records import (
    FactRow,
    FactsState,
    FigureRow,
    FiguresRead,
    LastRun,
    PlaceMatch,
    Question,
    StoredFigure,
)
from crisisdesk.store.recount import Recount
from crisisdesk.store.review import ReviewAndUsers, StaleVersion
from crisisdesk.store.sessions import SessionRecord, SessionsAndAccounts
from crisisdesk.store.spool import FigureSpool
from crisisdesk.store.team import BulkResult, Excerpt, TeamReview

log = logging.getLogger(__name__)

DEFAULT_URL = DEFAULT_DB_URL
POOL_SIZE, POOL_OVERFLOW = 16, 24  # connections kept, and opened past those when busy
PING_IDLE = 30.0  # seconds a pooled PostgreSQL connection may rest before a round-trip ping


def normalise_url(url: str | None) -> str:
    """Accept a bare file path as a SQLite store; keep any other URL as given."""
    if not url:
        return DEFAULT_URL
    if "://" not in url:
        return f"sqlite:///{Path(url).expanduser()}"
    if url.startswith("postgresql://"):
        return "postgresql+psycopg://" + url.removeprefix("postgresql://")
    if url.startswith("postgres://"):
        return "postgresql+psycopg://" + url.removeprefix("postgres://")
    return url


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA journal_mode=WAL")  # readers do not block the writer
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.close()


def _ping_when_needed(engine: Engine) -> None:
    """Hand out no dead PostgreSQL connection, without a round trip per checkout.

    A connection the server ended (a restart, ``pg_terminate_backend``, an idle
    timeout) has the server's goodbye or EOF waiting on its socket: a readable
    socket on a connection at rest is pinged (which reads it), and so is one
    that rested over ``PING_IDLE`` seconds (a peer gone without a word). A
    failed ping discards the connection and the pool opens another. The pool's
    ``pre_ping`` did the same with a round trip on every checkout: several per
    request, each one a wait for the interpreter under load.
    """

    def checked_in(_dbapi: Any, record: Any) -> None:
        record.info["rested_from"] = time.monotonic()

    def checkout(dbapi: Any, record: Any, _proxy: Any) -> None:
        since = record.info.pop("rested_from", None)
        if since is None:
            return  # opened just now
        try:
            waiting = bool(select.select([dbapi.fileno()], [], [], 0)[0])
            if waiting or time.monotonic() - since > PING_IDLE:
                engine.dialect.do_ping(dbapi)
        except Exception as exc:
            raise DisconnectionError(f"a pooled connection had ended: {exc}") from exc

    event.listen(engine, "checkin", checked_in)
    event.listen(engine, "checkout", checkout)


class Store(
    DocumentsAndFacts, ReviewAndUsers, TeamReview, Recount, UndoHistory, SessionsAndAccounts
):
    """Documents, facts and figures in SQL; the same code on SQLite and PostgreSQL."""

    def __init__(self, engine: Engine, places: PlaceResolver | None = None) -> None:
        self.engine = engine
        # reads of one statement or a few need no transaction of their own: on
        # PostgreSQL (READ COMMITTED) each statement reads its own snapshot inside a
        # transaction too, so outside one they see the same rows and save the BEGIN
        # and ROLLBACK round trips (SQLite's driver begins none for a read anyway)
        self.reader = (
            engine.execution_options(isolation_level="AUTOCOMMIT")
            if engine.dialect.name == "postgresql"
            else engine
        )
        self.places = places or PlaceResolver()  # opens the gazetteer on first use

    def resolve_names(self, doc_id: str, names: Sequence[str]) -> list[ResolvedPlace] | None:
        """Place names typed in a correction, resolved in their document's frame
        (None when no gazetteer can be opened: the names stay unresolved)."""
        if not names:
            return []
        return self.places.resolve(self.get_document(doc_id), names)

    # -- opening -----------------------------------------------------------

    @classmethod
    def open(cls, url: str | None = None, *, migrate: bool = True) -> Store:
        """Open (and by default create or upgrade) the store at ``url``."""
        url = normalise_url(url)
        try:
            # as many pooled connections as the web server has threads (40): with
            # fewer, busy threads queue for a connection, and every connection past
            # the pool's size is opened (pragmas and all) and closed per request
            pool = {"pool_size": POOL_SIZE, "max_overflow": POOL_OVERFLOW}
            if url.startswith("sqlite"):
                if ":memory:" in url or url.rstrip("/") == "sqlite:":
                    engine = create_engine(url, connect_args={"timeout": 30})
                else:
                    # a file's connections are cheap to keep and dear to open (pragmas,
                    # schema read): keep as many as may be busy, none opened per request
                    kept = {"pool_size": POOL_SIZE + POOL_OVERFLOW, "max_overflow": POOL_OVERFLOW}
                    engine = create_engine(url, connect_args={"timeout": 30}, **kept)
                event.listen(engine, "connect", _sqlite_pragmas)
            else:
                engine = create_engine(url, **pool)
                _ping_when_needed(engine)
            store = cls(engine)
            if migrate:
                upgrade(engine)
                deferred.restore(engine)  # a bulk load killed half-way left them out
        except OperationalError as exc:
            raise StoreError(f"cannot open the store: {exc.orig}", where=_safe(url)) from exc
        except SQLAlchemyError as exc:
            raise StoreError(f"cannot open the store: {exc}", where=_safe(url)) from exc
        return store

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- questions: the facts and figures ``total`` counts ------------------------

    def find_place(self, text: str, gazetteer: Any = None) -> PlaceMatch:
        """A place as the user wrote it, as codes the facts carry (``questions.find_place``)."""
        return questions.find_place(self.engine, text, gazetteer)

    def facts_for(self, question: Question) -> list[FactRow]:
        """The live (or verified) facts one question is about."""
        return questions.facts_for(self.engine, question)

    def live_facts(self, progress: Callable[[int], None] | None = None) -> list[FactRow]:
        """Every fact that is not rejected: what ``reconcile`` reads."""
        return questions.live_facts(self.engine, progress)

    def unmapped_reads(self) -> AbstractContextManager[None]:
        """Reads that do not map the SQLite file meanwhile (``questions.unmapped_reads``)."""
        return questions.unmapped_reads()

    def live_categories(self) -> list[str]:
        """The categories that have facts that are not rejected, in order."""
        return sorted(partial.live_categories(self.engine))

    def stream_live_facts(self, category: str) -> Iterator[FactRow]:
        """The live facts of one category one at a time (``questions.stream_live_facts``)."""
        return questions.stream_live_facts(self.engine, category)

    # -- the dashboard ------------------------------------------------------------------

    def largest_figures(self, window: overview.Window) -> dict[tuple[str, str], tuple[int, int]]:
        """(category, unit) -> (largest stored best, figures) in the period and place."""
        return overview.largest_figures(self.engine, window)

    def flagged_figures(self, window: overview.Window, limit: int = 25) -> list[dict[str, Any]]:
        return overview.flagged_figures(self.engine, window, limit)

    def place_points(self, window: overview.Window, limit: int = 60) -> list[overview.PlacePoint]:
        return overview.place_points(self.engine, window, limit)

    def activity_for(self, user: str, *, admin: bool, limit: int = 12) -> list[Any]:
        """The audit entries that concern ``user``'s work (``overview.activity_for``)."""
        return overview.activity_for(self.engine, user, admin=admin, limit=limit)

    # -- figures ---------------------------------------------------------------------

    def save_headlines(self, version: int | None, headlines: dict[str, Any]) -> bool:
        return overview.save_headlines(self.engine, version, headlines)

    def saved_headlines(self) -> dict[str, Any] | None:
        """The dashboard's headline totals kept by the last run, while still current."""
        return overview.saved_headlines(self.engine)

    def facts_state(self) -> FactsState:
        return figures.facts_state(self.engine)

    def last_run(self) -> tuple[LastRun | None, int | None]:
        """The last reconcile run (None before any), and the store version now."""
        return figures.last_run(self.engine)

    # -- login attempts (``attempts``: counted across server processes) ----------------

    def begin_login_attempt(self, user: str, address: str, at: datetime) -> int:
        return attempts.begin_attempt(self.engine, user, address, at)

    def login_attempts(self, address: str, since: datetime) -> list[attempts.Attempt]:
        return attempts.attempts_from(self.engine, address, since)

    def end_login_attempt(self, attempt_id: int, action: str, at: datetime) -> None:
        attempts.end_attempt(self.engine, attempt_id, action, at)

    def drop_login_attempt(self, attempt_id: int) -> None:
        attempts.drop_attempt(self.engine, attempt_id)

    def refresh_claim(self) -> AbstractContextManager[bool]:
        """Whether this process may run the store's one background reconcile now
        (``claim.refresh_claim``: never waits)."""
        return claim.refresh_claim(self.engine)

    def slot(self, name: str, count: int) -> AbstractContextManager[int | None]:
        """One of ``count`` slots named ``name`` shared by every process of this store
        (``claim.slot``: never waits; None when all are taken)."""
        return claim.slot(self.engine, name, count)

    def job_claim(self) -> AbstractContextManager[bool]:
        """Whether this process may be the store's one upload worker now (never waits)."""
        return claim.job_claim(self.engine)

    # -- upload jobs (``jobs``: extracted by a worker process, one at a time) ----------

    def add_job(self, name: str, payload: bytes, options: dict[str, Any], by: str) -> jobs.Job:
        return jobs.add_job(self.engine, name, payload, options, by)

    def get_job(self, job_id: int) -> jobs.Job | None:
        return jobs.get_job(self.engine, job_id)

    def queued_jobs(self) -> int:
        return jobs.count_jobs(self.engine, jobs.QUEUED)

    def unfinished_jobs(self) -> int:
        """Queued, or left running (by a worker that may have died)."""
        return jobs.count_jobs(self.engine, jobs.QUEUED, jobs.RUNNING)

    def requeue_orphan_jobs(self) -> int:
        return jobs.requeue_orphans(self.engine)

    def take_job(self) -> tuple[jobs.Job, bytes] | None:
        return jobs.take_next(self.engine)

    def finish_job(
        self, job_id: int, *, result: dict[str, Any] | None = None, error: str | None = None
    ) -> None:
        jobs.finish_job(self.engine, job_id, result=result, error=error)

    @property
    def url(self) -> str:
        """The URL this store was opened with (a child process opens the same)."""
        return claim.database_url(self.engine)

    @property
    def shared(self) -> bool:
        """Whether another process can open this store (not an in-memory SQLite)."""
        return claim.shares_across_processes(self.engine)

    def version(self) -> int | None:
        """The number the database moves on every change to documents, facts or places."""
        with self.reader.connect() as conn:
            return figures.store_version(conn)

    def figure_spool(self) -> FigureSpool:
        """Somewhere to keep figure rows a batch at a time until ``replace_figures``."""
        return FigureSpool(figures.area_order)

    def replace_figures(
        self,
        rows: Sequence[FigureRow] | FigureSpool,
        *,
        progress: Callable[[int, int], None] | None = None,
        state: FactsState | None = None,
        reliability: str = "",
    ) -> figures.Written:
        """Replace every stored figure at once (``figures.replace_figures``)."""
        return figures.replace_figures(
            self.engine, rows, progress=progress, state=state, reliability=reliability
        )

    def figures_for(self, question: Question) -> list[StoredFigure]:
        """The stored figures one question is about (every review status)."""
        return figures.figures_for(self.engine, question)

    def figure_ids(
        self,
        *,
        category: str | None = None,
        unit: str | None = None,
        place: str | None = None,
        date_from: date | None = None,
        date_to: date | None = None,
    ) -> list[str]:
        """Ids of the stored figures matching loose filters, by period."""
        return figures.figure_ids_matching(
            self.engine, category=category, unit=unit, place=place,
            date_from=date_from, date_to=date_to,
        )  # fmt: skip

    def read_figures(
        self, ids: Iterable[str], *, parts_for: Iterable[str] | None = None, part_of: bool = False
    ) -> FiguresRead:
        """Stored figures by id, with their facts and links."""
        return figures.read_figures(self.engine, ids, parts_for=parts_for, part_of=part_of)

    def iter_figures(
        self, ids: Iterable[str], *, parts_for: Iterable[str] | None = None
    ) -> Iterator[FiguresRead]:
        """``read_figures`` a chunk at a time, for readers of many (``figures.iter_figures``)."""
        return figures.iter_figures(self.engine, ids, parts_for=parts_for)

    def figure_fact_ids(self, ids: Iterable[str]) -> dict[str, list[str]]:
        """The fact ids of each figure."""
        return figures.fact_ids_of(self.engine, ids)


def _safe(url: str) -> str:
    """The URL without its password, for error messages."""
    if "@" in url and "://" in url:
        scheme, rest = url.split("://", 1)
        creds, host = rest.rsplit("@", 1)
        user = creds.split(":", 1)[0]
        return f"{scheme}://{user}:***@{host}"
    return url


__all__ = [
    "DEFAULT_URL",
    "UndoStep",
    "BulkResult",
    "Excerpt",
    "FactQuery",
    "MadeMemo",
    "SessionRecord",
    "StaleVersion",
    "Store",
    "normalise_url",
]
