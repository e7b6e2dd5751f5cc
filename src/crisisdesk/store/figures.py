"""Reconciled figures in the store: replaced in bulk, read back by question or id,
and whether they are still fresh.

``reconcile`` writes a million figures at once: the tables are replaced in one
transaction with the driver's fastest bulk path (``COPY`` on PostgreSQL,
``executemany`` on SQLite). ``total`` then lists the figures of one question
through the area indexes (``figures_for``) and reads back in full only those it
counts or names (``read_figures``).

Freshness: the database moves ``store_version`` on every change to documents,
facts and their places (triggers, migration 0003), and ``reconcile_runs``
keeps the version each run read *before* the facts, with a digest of the
source reliabilities it used (reconcile computes the digest).
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Engine, Text, cast, func, or_, select, true
from sqlalchemy.engine import Connection
from sqlalchemy.schema import AddConstraint, DropConstraint

from crisisdesk.store import schema as s
from crisisdesk.store.questions import chunks, fact_conditions, tune_reads, uncoded_named
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
from crisisdesk.store.rows import (
    FIGURE_COLUMNS,
    FIGURE_TEXT_COLUMNS,
    Decoder,
    JsonTexts,
    fact_row_columns,
    fact_rows,
    figure_values,
    stored_figure,
)
from crisisdesk.store.spool import FigureSpool, Links

log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]
FIGURE_TABLES = (s.figure_links, s.figure_facts, s.figures)  # children first
PG_LOCK = 727275  # advisory lock id: one reconcile at a time on a PostgreSQL store


# -- freshness ----------------------------------------------------------------------


def store_version(conn: Connection) -> int | None:
    """The number the database moves on every change to documents, facts or places."""
    v = s.store_version
    return conn.execute(select(v.c.version).where(v.c.id == 1)).scalar_one_or_none()


def facts_state(engine: Engine) -> FactsState:
    """The store version first (a change made after it is read makes the run stale),
    then live facts and their latest change, kept in ``reconcile_runs`` for people."""
    f = s.facts
    with engine.connect() as conn:
        version = store_version(conn)
        every = conn.execute(select(func.count()).select_from(f)).scalar_one()
        rejected = conn.execute(
            select(func.count()).select_from(f).where(f.c.status == "rejected")
        ).scalar_one()
        last = conn.execute(select(func.max(f.c.updated_at))).scalar_one()
    return FactsState(int(every) - int(rejected), _aware(last), version)


def last_run(engine: Engine) -> tuple[LastRun | None, int | None]:
    """The last reconcile run (None before any) and the store version now."""
    r = s.reconcile_runs
    with engine.connect() as conn:
        run = conn.execute(
            select(r.c.store_version, r.c.reliability, r.c.finished_at)
            .order_by(r.c.id.desc())
            .limit(1)
        ).first()
        if run is None:
            return None, None
        found = LastRun(run.store_version, run.reliability, _aware(run.finished_at))
        return found, store_version(conn)


def _record_run(conn: Connection, state: FactsState, figures: int, reliability: str) -> None:
    """Note a finished reconcile: what it saw, so freshness can be told later."""
    conn.execute(
        s.reconcile_runs.insert().values(
            finished_at=datetime.now(UTC),
            facts=state.facts,
            last_fact_update=state.last_update,
            figures=figures,
            store_version=state.version,
            reliability=reliability,
        )
    )


def _aware(value: datetime | None) -> datetime | None:
    """SQLite gives back naive datetimes; compare everything in UTC."""
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=UTC)


# -- writing ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Written:
    figures: int
    facts: int
    links: int
    replaced: frozenset[str] = frozenset()  # ids of the figures replaced (in place only)


def area_order(f: FigureRow) -> tuple[str, str, str, str, int]:
    """Figures are written in the order of the area index ``total`` reads them by, so
    a governorate-year is a run of neighbouring pages rather than one page per figure."""
    return (f.category, f.unit, f.admin1_code or "", f.admin2_code or "",
            f.start if f.start is not None else -1)  # fmt: skip


def replace_figures(
    engine: Engine,
    figures: Sequence[FigureRow] | FigureSpool,
    *,
    progress: Progress | None = None,
    state: FactsState | None = None,
    reliability: str = "",
) -> Written:
    """Replace every stored figure, link and figure-fact row, in one transaction;
    with ``state`` (the store as read before reconciling) and the ``reliability``
    digest it used, record the run too. ``figures``: rows, or a spool of them
    (``spool.FigureSpool``: read back a chunk at a time, in the same order).

    Readers see the old figures until the new ones are committed. On PostgreSQL
    the tables are emptied with TRUNCATE, which locks them meanwhile: a ``total``
    served from stored figures waits for the new ones (seconds); one reconciling
    from the facts does not touch these tables.
    """
    sqlite = engine.dialect.name == "sqlite"
    texts = JsonTexts()
    if isinstance(figures, FigureSpool):
        in_area_order: Iterable[FigureRow] = figures.in_area_order()
        ordered: Callable[[], Iterable[Links]] = figures.in_id_order
    else:
        in_area_order = sorted(figures, key=area_order)
        # link and membership rows in primary-key order: B-tree pages fill in sequence
        by_id = [(f.id, f.facts, f.parts) for f in sorted(figures, key=lambda f: f.id)]
        ordered = lambda: by_id  # noqa: E731
    figure_rows = (figure_values(f, sqlite, texts) for f in in_area_order)
    # (most figures hold one fact and no parts: no sorting for them)
    fact_rows_ = (
        (fid, f)
        for fid, facts, _ in ordered()
        for f in (facts if len(facts) < 2 else sorted(facts))
    )
    link_rows = ((fid, part) for fid, _, parts in ordered() if parts for part in sorted(parts))
    counts = [0, 0, 0]
    total = len(figures)

    def counted(rows: Iterable[tuple[Any, ...]], slot: int) -> Iterable[tuple[Any, ...]]:
        for row in rows:
            counts[slot] += 1
            if slot == 0 and progress and counts[0] % 20_000 == 0:
                progress(counts[0], total)
            yield row

    with _writer(engine) as conn, _emptied(conn, sqlite):
        _bulk(conn, "figures", FIGURE_COLUMNS, counted(figure_rows, 0), sqlite)
        _bulk(conn, "figure_facts", ("figure_id", "fact_id"), counted(fact_rows_, 1), sqlite)
        _bulk(conn, "figure_links", ("total_id", "part_id"), counted(link_rows, 2), sqlite)
        if state is not None:
            _record_run(conn, state, counts[0], reliability)
    if not sqlite:  # fresh statistics, or the planner reads the new tables badly
        with engine.connect() as conn:
            conn.exec_driver_sql("ANALYZE figures, figure_facts, figure_links")
            conn.commit()
    if progress:
        progress(total, total)
    return Written(*counts)


@contextmanager
def _emptied(conn: Connection, sqlite: bool) -> Iterator[None]:
    """The figure tables emptied for a bulk write, without their secondary indexes (and,
    on PostgreSQL, foreign keys), which come back once over the new rows."""
    if sqlite:
        conn.exec_driver_sql("PRAGMA cache_size=-262144")  # 256 MB for this connection
    else:
        conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({PG_LOCK})")
        # index builds sort in memory rather than on disk (this transaction only)
        conn.exec_driver_sql("SET LOCAL maintenance_work_mem = '256MB'")
    # Secondary indexes are built once over the new rows rather than kept up to
    # date row by row (a third of the time of writing a million figures).
    indexes = [ix for table in FIGURE_TABLES for ix in table.indexes]
    for ix in indexes:
        ix.drop(conn)
    # PostgreSQL checks foreign keys row by row (a trigger each): checked once,
    # as one join, when the constraints are added back after the copy
    keys = [] if sqlite else [k for t in FIGURE_TABLES for k in t.foreign_key_constraints]
    for key in keys:
        conn.execute(DropConstraint(key))
    if sqlite:
        for table in FIGURE_TABLES:  # one step each without foreign-key checks
            conn.execute(table.delete())
    else:  # a per-row DELETE checks every row against the tables pointing at it
        conn.exec_driver_sql(f"TRUNCATE {', '.join(t.name for t in FIGURE_TABLES)}")
    yield
    for key in keys:
        conn.execute(AddConstraint(key))
    for ix in indexes:
        ix.create(conn)
    if sqlite:
        conn.exec_driver_sql("PRAGMA cache_size=-2000")  # back to SQLite's default


@contextmanager
def _writer(engine: Engine) -> Iterator[Connection]:
    """A transaction to replace the figures in. On SQLite, without foreign-key checks
    (the rows are made from the facts just read): emptying a table that others
    point to is then one step instead of a check per row, and each of a million
    membership rows is not looked up again. The setting is per connection and
    cannot change inside a transaction, so it is set around it and always restored.
    """
    if engine.dialect.name != "sqlite":
        with engine.begin() as conn:
            yield conn
        return
    with engine.connect() as conn:
        raw = conn.connection.driver_connection  # outside SQLAlchemy's transaction
        raw.execute("PRAGMA foreign_keys=OFF")  # type: ignore[union-attr]
        try:
            with conn.begin():
                yield conn
        finally:
            raw.execute("PRAGMA foreign_keys=ON")  # type: ignore[union-attr]


def _bulk(
    conn: Connection, table: str, cols: Sequence[str], rows: Iterable[tuple[Any, ...]], sqlite: bool
) -> None:
    """Insert rows with the driver directly: tens of times faster than ORM-style inserts."""
    raw = conn.connection.driver_connection
    names = ", ".join(cols)
    if sqlite:
        marks = ", ".join("?" for _ in cols)
        cur = raw.cursor()  # type: ignore[union-attr]
        batch: list[tuple[Any, ...]] = []
        for row in rows:
            batch.append(row)
            if len(batch) >= 50_000:
                cur.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", batch)
                batch = []
        if batch:
            cur.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", batch)
        cur.close()
        return
    with raw.cursor() as cur, cur.copy(f"COPY {table} ({names}) FROM STDIN") as copy:  # type: ignore[union-attr]
        for row in rows:
            copy.write_row(row)


# -- reading ------------------------------------------------------------------------


def figure_columns() -> list[Any]:
    """Every column, JSON and dates as text: thousands of rows repeat a few place names
    and sources, so decoding each distinct text once (``rows.Decoder``) beats letting
    the driver or SQLAlchemy decode every row."""
    g = s.figures
    return [cast(g.c[c], Text) if c in FIGURE_TEXT_COLUMNS else g.c[c] for c in FIGURE_COLUMNS]


def figures_for(engine: Engine, q: Question) -> list[StoredFigure]:
    """The stored figures one question is about (every review status).

    A figure is at a place when its own place is (its admin codes, its gazetteer
    id), read through the figures' area indexes; a figure of a fact whose place
    has no code is found through that fact's place names, as the facts of a
    question are. A figure is in the period when its period shares a day with it.
    """
    g = s.figures
    conds: list[Any] = [g.c.category == q.category]
    if q.unit:
        conds.append(g.c.unit == q.unit)
    if q.date_to:
        conds.append(g.c.date_start <= q.date_to)
    if q.date_from:
        conds.append(g.c.date_end >= q.date_from)
    cols = figure_columns()
    place = q.place
    arms = [select(*cols).where(*conds, test) for test in _area_tests(place)]
    seen: dict[str, StoredFigure] = {}
    decode = Decoder()
    with engine.connect() as conn:
        tune_reads(conn)
        for stmt in arms:
            for row in conn.execute(stmt).all():
                if row[0] not in seen:
                    seen[row[0]] = stored_figure(row, decode)
        if place is not None:
            for fig in _figures_of_uncoded_facts(conn, place, q, decode):
                seen.setdefault(fig.id, fig)
    return list(seen.values())


def _area_tests(place: PlaceMatch | None) -> list[Any]:
    """One test per area index a figure at ``place`` is found through (none: anywhere)."""
    g = s.figures
    if place is None:
        return [true()]
    tests = []
    if place.admin1_codes:
        tests.append(g.c.admin1_code.in_(place.admin1_codes))
    if place.admin2_codes:
        tests.append(g.c.admin2_code.in_(place.admin2_codes))
    if place.place_ids:
        tests.append(g.c.place_id.in_(place.place_ids))
    return tests


def _figures_of_uncoded_facts(
    conn: Connection, place: PlaceMatch, q: Question, decode: Decoder
) -> list[StoredFigure]:
    """Figures holding a fact that names the place but has no admin code for it."""
    ff, g = s.figure_facts, s.figures
    every_status = Question(q.category, q.unit, None, q.date_from, q.date_to, False)
    fact_ids = [r[0] for r in conn.execute(uncoded_named(place, fact_conditions(every_status)))]
    figure_ids: set[str] = set()
    for chunk in chunks(fact_ids):
        stmt = select(ff.c.figure_id).where(ff.c.fact_id.in_(chunk))
        figure_ids.update(r[0] for r in conn.execute(stmt))
    out = []
    for chunk in chunks(sorted(figure_ids)):
        stmt = select(*figure_columns()).where(g.c.id.in_(chunk))
        out.extend(stored_figure(row, decode) for row in conn.execute(stmt).all())
    return out


def _place_test(place: str) -> Any:
    """A figure at ``place``: its own place by code or name, or a fact's place."""
    g, ff, p = s.figures, s.figure_facts, s.fact_places
    low = place.lower()
    by_fact = (
        select(ff.c.figure_id)
        .join(p, p.c.fact_id == ff.c.fact_id)
        .where(
            or_(
                p.c.place_id == place,
                p.c.admin1_code == place,
                p.c.admin2_code == place,
                func.lower(p.c.name) == low,
                func.lower(p.c.canonical) == low,
                func.lower(p.c.admin1) == low,
                func.lower(p.c.admin2) == low,
            )
        )
    )
    return or_(
        g.c.place_id == place,
        g.c.admin1_code == place,
        g.c.admin2_code == place,
        func.lower(g.c.place_name) == low,
        g.c.id.in_(by_fact),
    )


def figure_ids_matching(
    engine: Engine,
    *,
    category: str | None,
    unit: str | None,
    place: str | None,
    date_from: date | None,
    date_to: date | None,
) -> list[str]:
    """Ids of the stored figures matching loose filters (a place by code or by any
    name), by period then id: what the report and the review page list."""
    g = s.figures
    conds: list[Any] = []
    if category:
        conds.append(g.c.category == category)
    if unit:
        conds.append(g.c.unit == unit)
    if date_from:
        conds.append(or_(g.c.date_end.is_(None), g.c.date_end >= date_from))
    if date_to:
        conds.append(or_(g.c.date_start.is_(None), g.c.date_start <= date_to))
    if place and place.strip():
        conds.append(_place_test(place.strip()))
    stmt = select(g.c.id).where(*conds).order_by(g.c.date_start, g.c.id)
    with engine.connect() as conn:
        return [r[0] for r in conn.execute(stmt)]


def read_figures(
    engine: Engine,
    ids: Iterable[str],
    *,
    parts_for: Iterable[str] | None = None,
    part_of: bool = False,
) -> FiguresRead:
    """Stored figures by id, in the order asked, each with its facts (documents and
    places) and the figures it holds. ``parts_for``: the figures (of those asked)
    whose parts to read (default all asked); ``part_of``: also the totals each
    figure is part of, from the links (rather than the figure's own ``part_of``
    column)."""
    wanted = list(dict.fromkeys(ids))
    figs: dict[str, StoredFigure] = {}
    facts: dict[str, list[FactRow]] = {}
    parts: dict[str, list[str]] = {}
    holders: dict[str, list[str]] = {}
    for read in iter_figures(engine, wanted, parts_for=parts_for, part_of=part_of):
        figs.update((g.id, g) for g in read.figures)
        facts.update(read.facts)
        parts.update(read.parts)
        holders.update(read.part_of)
    return FiguresRead(
        figures=[figs[i] for i in wanted if i in figs], facts=facts, parts=parts, part_of=holders
    )


def iter_figures(
    engine: Engine,
    ids: Iterable[str],
    *,
    parts_for: Iterable[str] | None = None,
    part_of: bool = False,
) -> Iterator[FiguresRead]:
    """``read_figures``, a chunk of figures at a time (by id, ``CHUNK`` a read), in
    one connection: a caller that turns each chunk into something smaller never
    holds the joined rows of every figure at once. The dashboard's headlines read
    back the figures of a whole category, the facts of most of its facts with
    them: all at once, that was what took a full reconcile of a million facts
    over 1 GiB (issue 18)."""
    wanted = sorted(set(ids))
    with_parts = None if parts_for is None else set(parts_for)
    decode = Decoder()
    with engine.connect() as conn:
        tune_reads(conn)
        for chunk in chunks(wanted):
            yield _read_chunk(conn, chunk, with_parts, part_of, decode)


def _read_chunk(
    conn: Connection, chunk: list[str], with_parts: set[str] | None, part_of: bool, decode: Decoder
) -> FiguresRead:
    """The figures of one chunk of ids (sorted), their facts and links."""
    f, d, p = s.facts, s.documents, s.fact_places
    g, ff, fl = s.figures, s.figure_facts, s.figure_links
    stmt = select(*figure_columns()).where(g.c.id.in_(chunk))
    figs = [stored_figure(row, decode) for row in conn.execute(stmt).all()]
    # each figure's facts, with their documents and places, in one join
    stmt = (
        select(ff.c.figure_id, *fact_row_columns())
        .select_from(ff)
        .join(f, f.c.id == ff.c.fact_id)
        .join(d, d.c.id == f.c.doc_id)
        .outerjoin(p, p.c.fact_id == f.c.id)
        .where(ff.c.figure_id.in_(chunk))
    )
    rows = conn.execute(stmt).all()
    # a fact may stand in several figures (a day and the total that holds it): each
    # (figure, fact) pair counts, in the order the rows came
    pairs = list(dict.fromkeys((r[0], r[1]) for r in rows))
    by_id = {row.id: row for row in fact_rows(rows, skip=1)}
    del rows
    facts: dict[str, list[FactRow]] = defaultdict(list)
    for figure_id, fact_id in pairs:
        facts[figure_id].append(by_id[fact_id])
    parts: dict[str, list[str]] = defaultdict(list)
    totals = chunk if with_parts is None else [i for i in chunk if i in with_parts]
    if totals:
        stmt = select(fl.c.total_id, fl.c.part_id).where(fl.c.total_id.in_(totals))
        for total_id, part_id in conn.execute(stmt).all():
            parts[total_id].append(part_id)
    holders: dict[str, list[str]] = defaultdict(list)
    if part_of:
        stmt = select(fl.c.total_id, fl.c.part_id).where(fl.c.part_id.in_(chunk))
        for total_id, part_id in conn.execute(stmt).all():
            holders[part_id].append(total_id)
    return FiguresRead(
        figures=figs,
        facts=dict(facts),
        parts={k: sorted(set(v)) for k, v in parts.items()},
        part_of={k: sorted(set(v)) for k, v in holders.items()},
    )


def fact_ids_of(engine: Engine, figure_ids: Iterable[str]) -> dict[str, list[str]]:
    """The facts of each figure, by id (evidence in compact form)."""
    ff = s.figure_facts
    out: dict[str, list[str]] = defaultdict(list)
    with engine.connect() as conn:
        for chunk in chunks(sorted(set(figure_ids))):
            stmt = select(ff.c.figure_id, ff.c.fact_id).where(ff.c.figure_id.in_(chunk))
            for figure_id, fact_id in conn.execute(stmt):
                out[figure_id].append(fact_id)
    return out
