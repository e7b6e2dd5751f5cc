"""Reading facts from the store and writing figures to it, in bulk.

``reconcile_store`` has to read every live fact and write every figure: a
million rows each way. Reading goes through one joined query whose rows become
``Item``s directly (no ``Fact`` objects), with each distinct place turned into
keys once. Writing replaces the figures tables in one transaction with the
driver's fastest bulk path: ``COPY`` on PostgreSQL, ``executemany`` on SQLite.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection
from sqlalchemy.schema import AddConstraint, DropConstraint

from crisisdesk.model import Precision, Qualifier, ResolvedPlace
from crisisdesk.reconcile.draft import Draft
from crisisdesk.reconcile.figures import sources_of
from crisisdesk.reconcile.items import (
    Item,
    PlaceInfo,
    combine_places,
    period,
    place_info,
    quote_key,
    subject_key,
)
from crisisdesk.reconcile.stored import FactsState, record_run
from crisisdesk.store import Store
from crisisdesk.store import schema as s

log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]
PLACE_COLS = (
    "name",
    "place_id",
    "canonical",
    "kind",
    "country",
    "admin1",
    "admin1_code",
    "admin2",
    "admin2_code",
    "precision",
)
FIGURE_TABLES = (s.figure_links, s.figure_facts, s.figures)  # children first
PG_LOCK = 727275  # advisory lock id: one reconcile at a time on a PostgreSQL store


def read_items(
    store: Store,
    *,
    progress: Progress | None = None,
    total: int = 0,
    place_names: dict[str, tuple[str, ...]] | None = None,
) -> list[Item]:
    """Every fact that is not rejected, as items (places reduced to keys once per place).

    ``place_names``, when given, is filled with the written place names of each fact
    that names more than one place (an item keeps only its finest), for the figures
    table's ``places``.
    """
    f, d, p = s.facts, s.documents, s.fact_places
    stmt = (
        select(
            f.c.id,
            f.c.doc_id,
            f.c.value,
            f.c.value_high,
            f.c.value_text,
            f.c.qualifier,
            f.c.category,
            f.c.unit,
            f.c.subject,
            f.c.date_start,
            f.c.date_end,
            f.c.source,
            f.c.is_total,
            f.c.quote,
            f.c.status,
            d.c.publisher,
            d.c.published,
            p.c.position,
            *(p.c[c] for c in PLACE_COLS),
        )
        .join(d, d.c.id == f.c.doc_id)
        .outerjoin(p, p.c.fact_id == f.c.id)
        .where(f.c.status != "rejected")
    )
    rows: dict[str, tuple[Any, list[tuple[int, PlaceInfo, str]]]] = {}
    places: dict[tuple[Any, ...], PlaceInfo] = {}
    with store.engine.connect() as conn:
        result = conn.execution_options(stream_results=True, yield_per=20_000).execute(stmt)
        for row in result:
            entry = rows.get(row[0])
            if entry is None:
                entry = rows[row[0]] = (row, [])
                if progress and len(rows) % 20_000 == 0:
                    progress(len(rows), total)
            name = row[18]
            if name is None:
                continue
            pkey = tuple(row[18:])
            info = places.get(pkey)
            if info is None:
                info = places[pkey] = place_info(_resolved_from(pkey))
            entry[1].append((row[17], info, name))
    items = []
    for row, infos in rows.values():
        if len(infos) > 1:
            infos.sort(key=lambda x: x[0])
        items.append(_item(row, [i for _, i, _ in infos]))
        # the names as written, where the item's place name (canonical) would not do
        written = infos and (len(infos) > 1 or infos[0][2] != infos[0][1].name)
        if place_names is not None and written:
            place_names[row[0]] = tuple(dict.fromkeys(n for _, _, n in infos))
    if progress:
        progress(len(items), total)
    return items


def _resolved_from(values: tuple[Any, ...]) -> ResolvedPlace:
    data = dict(zip(PLACE_COLS, values, strict=True))
    data["precision"] = Precision(data["precision"] or "unresolved")
    return ResolvedPlace(**data)


_QUALIFIER = {m.value: m for m in Qualifier}


def _item(r: Any, infos: list[PlaceInfo]) -> Item:
    """One row of ``read_items`` (its first 17 columns) -> an item, positionally: this
    runs a million times, and named access to row columns cost most of it."""
    (fid, doc, value, high, text, qualifier, category, unit, subject, date_start, date_end,
     source, is_total, quote, status, publisher, published) = r[:17]  # fmt: skip
    start, end = period(date_start, date_end, published)
    subject = subject or ""
    return Item(
        fid,
        doc,
        value,
        high,
        text,
        _QUALIFIER[qualifier],
        category,
        unit,
        subject,
        subject_key(subject),
        start,
        end,
        source,
        publisher,
        published.toordinal() if published else None,
        bool(is_total),
        quote_key(quote or ""),
        combine_places(infos),
        status,
        None,
        date_start is None and start is not None,
    )


# -- writing ------------------------------------------------------------------

FIGURE_COLS = (
    "id",
    "category",
    "unit",
    "subject",
    "place_name",
    "place_id",
    "country",
    "admin1_code",
    "admin2_code",
    "date_start",
    "date_end",
    "low",
    "best",
    "high",
    "rule",
    "explanation",
    "is_total",
    "sources",
    "flags",
    "part_of",
    "places",
)


@dataclass(frozen=True, slots=True)
class Written:
    figures: int
    facts: int
    links: int


class _Texts:
    """JSON lists for figure rows, each distinct list encoded once: a million figures
    name a few thousand places and a handful of sources."""

    def __init__(self) -> None:
        self._seen: dict[tuple[str, ...], str] = {(): "[]"}

    def __call__(self, values: tuple[str, ...]) -> str:
        text = self._seen.get(values)
        if text is None:
            text = self._seen[values] = json.dumps(list(values), ensure_ascii=False)
        return text


def _figure_row(
    d: Draft, sqlite: bool, place_names: Mapping[str, tuple[str, ...]], texts: _Texts
) -> tuple[Any, ...]:
    chosen = d.est.chosen
    if len(d.items) == 1:  # most figures: one fact, its places as written
        it = d.items[0]
        places = place_names.get(it.id) or ((it.place.name,) if it.place.name else ())
    else:
        places = tuple(
            dict.fromkeys(
                n for it in d.est.ordered for n in place_names.get(it.id, (it.place.name,)) if n
            )
        )

    def day(v: int | None) -> Any:
        if v is None:
            return None
        return date.fromordinal(v).isoformat() if sqlite else date.fromordinal(v)

    return (
        d.id,
        chosen.category,
        chosen.unit,
        chosen.subject,
        d.place.name or None,
        d.place.place_id,
        d.place.country,
        d.place.admin1_code,
        d.place.admin2_code,
        day(chosen.start),
        day(chosen.end),
        d.est.low,
        d.est.best,
        d.est.high,
        d.est.rule,
        d.est.explanation,
        (1 if d.is_total else 0) if sqlite else d.is_total,
        texts(sources_of(d.items)),
        texts(tuple(d.flags)),
        " ".join(sorted(d.part_of)) if len(d.part_of) > 1 else "".join(d.part_of),
        texts(places),
    )


def _fact_rows(ordered: Sequence[Draft]) -> Iterable[tuple[str, str]]:
    for d in ordered:
        if len(d.items) == 1:
            yield d.id, d.items[0].id
        else:
            for fid in sorted(it.id for it in d.items):
                yield d.id, fid


def _link_rows(ordered: Sequence[Draft]) -> Iterable[tuple[str, str]]:
    for d in ordered:
        if d.parts:
            for part in sorted(d.parts):
                yield d.id, part


def _area_order(d: Draft) -> tuple[str, str, str, str, int]:
    """Figures are written in the order of the area index ``total`` reads them by, so
    a governorate-year is a run of neighbouring pages rather than one page per figure."""
    return (d.category, d.unit, d.place.admin1_code or "", d.place.admin2_code or "",
            d.start if d.start is not None else -1)  # fmt: skip


def write_drafts(
    store: Store,
    drafts: Sequence[Draft],
    *,
    progress: Progress | None = None,
    state: FactsState | None = None,
    reliability: str = "",
    place_names: Mapping[str, tuple[str, ...]] | None = None,
) -> Written:
    """Replace every stored figure, link and figure-fact row, in one transaction;
    with ``state`` (the store as read before reconciling) and the ``reliability``
    digest it used, record the run too.

    Readers see the old figures until the new ones are committed. On PostgreSQL
    the tables are emptied with TRUNCATE, which locks them meanwhile: a ``total``
    served from stored figures waits for the new ones (seconds); one reconciling
    from the facts does not touch these tables.
    """
    sqlite = store.dialect == "sqlite"
    names = place_names or {}
    texts = _Texts()
    by_area = sorted(drafts, key=_area_order)
    figure_rows = (_figure_row(d, sqlite, names, texts) for d in by_area)
    # link and membership rows in primary-key order: B-tree pages fill in sequence
    ordered = sorted(drafts, key=lambda d: d.id)
    fact_rows = _fact_rows(ordered)
    link_rows = _link_rows(ordered)
    counts = [0, 0, 0]
    total = len(drafts)

    def counted(rows: Iterable[tuple[Any, ...]], slot: int) -> Iterable[tuple[Any, ...]]:
        for row in rows:
            counts[slot] += 1
            if slot == 0 and progress and counts[0] % 20_000 == 0:
                progress(counts[0], total)
            yield row

    with _writer(store) as conn:
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
        _bulk(conn, "figures", FIGURE_COLS, counted(figure_rows, 0), sqlite)
        _bulk(conn, "figure_facts", ("figure_id", "fact_id"), counted(fact_rows, 1), sqlite)
        _bulk(conn, "figure_links", ("total_id", "part_id"), counted(link_rows, 2), sqlite)
        for key in keys:
            conn.execute(AddConstraint(key))
        for ix in indexes:
            ix.create(conn)
        if state is not None:
            record_run(conn, state, counts[0], reliability)
        if sqlite:
            conn.exec_driver_sql("PRAGMA cache_size=-2000")  # back to SQLite's default
    if not sqlite:  # fresh statistics, or the planner reads the new tables badly
        with store.engine.connect() as conn:
            conn.exec_driver_sql("ANALYZE figures, figure_facts, figure_links")
            conn.commit()
    if progress:
        progress(total, total)
    return Written(*counts)


@contextmanager
def _writer(store: Store) -> Iterator[Connection]:
    """A transaction to replace the figures in. On SQLite, without foreign-key checks
    (the rows are made here from the facts just read): emptying a table that others
    point to is then one step instead of a check per row, and each of a million
    membership rows is not looked up again. The setting is per connection and
    cannot change inside a transaction, so it is set around it and always restored.
    """
    if store.dialect != "sqlite":
        with store.engine.begin() as conn:
            yield conn
        return
    with store.engine.connect() as conn:
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
