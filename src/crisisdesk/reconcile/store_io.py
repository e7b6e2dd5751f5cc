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
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection

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
    rows: dict[str, tuple[Any, list[tuple[int, PlaceInfo]]]] = {}
    places: dict[tuple[Any, ...], PlaceInfo] = {}
    with store.engine.connect() as conn:
        result = conn.execution_options(stream_results=True, yield_per=20_000).execute(stmt)
        for row in result:
            entry = rows.get(row[0])
            if entry is None:
                entry = rows[row[0]] = (row, [])
                if progress and len(rows) % 20_000 == 0:
                    progress(len(rows), total)
            if row.name is None:
                continue
            pkey = tuple(row[18:])
            info = places.get(pkey)
            if info is None:
                info = places[pkey] = place_info(_resolved_from(pkey))
            entry[1].append((row.position, info))
    items = [_item(row, infos) for row, infos in rows.values()]
    if place_names is not None:
        for fid, (_row, infos) in rows.items():
            if len(infos) > 1:
                place_names[fid] = tuple(dict.fromkeys(i.name for _, i in infos if i.name))
    if progress:
        progress(len(items), total)
    return items


def _resolved_from(values: tuple[Any, ...]) -> ResolvedPlace:
    data = dict(zip(PLACE_COLS, values, strict=True))
    data["precision"] = Precision(data["precision"] or "unresolved")
    return ResolvedPlace(**data)


def _item(r: Any, infos: list[tuple[int, PlaceInfo]]) -> Item:
    infos.sort(key=lambda x: x[0])
    start, end = period(r.date_start, r.date_end, r.published)
    return Item(
        id=r.id,
        doc=r.doc_id,
        value=r.value,
        value_high=r.value_high,
        value_text=r.value_text,
        qualifier=Qualifier(r.qualifier),
        category=r.category,
        unit=r.unit,
        subject=r.subject or "",
        subject_key=subject_key(r.subject or ""),
        start=start,
        end=end,
        source=r.source,
        publisher=r.publisher,
        published=r.published.toordinal() if r.published else None,
        is_total=bool(r.is_total),
        quote=quote_key(r.quote or ""),
        place=combine_places([i for _, i in infos]),
        status=r.status,
        open_start=r.date_start is None and start is not None,
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


def _figure_row(
    d: Draft, sqlite: bool, place_names: Mapping[str, tuple[str, ...]]
) -> tuple[Any, ...]:
    chosen = d.est.chosen
    places = list(
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
        json.dumps(list(sources_of(d.items)), ensure_ascii=False),
        json.dumps(d.flags, ensure_ascii=False) if d.flags else "[]",
        " ".join(sorted(d.part_of)),
        json.dumps(places, ensure_ascii=False),
    )


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
    digest it used, record the run too."""
    sqlite = store.dialect == "sqlite"
    names = place_names or {}
    by_area = sorted(drafts, key=_area_order)
    figure_rows = (_figure_row(d, sqlite, names) for d in by_area)
    # link and membership rows in primary-key order: B-tree pages fill in sequence
    ordered = sorted(drafts, key=lambda d: d.id)
    fact_rows = ((d.id, fid) for d in ordered for fid in sorted(it.id for it in d.items))
    link_rows = ((d.id, part) for d in ordered for part in sorted(d.parts))
    counts = [0, 0, 0]
    total = len(drafts)

    def counted(rows: Iterable[tuple[Any, ...]], slot: int) -> Iterable[tuple[Any, ...]]:
        for row in rows:
            counts[slot] += 1
            if slot == 0 and progress and counts[0] % 20_000 == 0:
                progress(counts[0], total)
            yield row

    with store.engine.begin() as conn:
        if sqlite:
            conn.exec_driver_sql("PRAGMA cache_size=-262144")  # 256 MB for this connection
        else:
            conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({PG_LOCK})")
        for table in (s.figure_links, s.figure_facts, s.figures):
            conn.execute(table.delete())
        _bulk(conn, "figures", FIGURE_COLS, counted(figure_rows, 0), sqlite)
        _bulk(conn, "figure_facts", ("figure_id", "fact_id"), counted(fact_rows, 1), sqlite)
        _bulk(conn, "figure_links", ("total_id", "part_id"), counted(link_rows, 2), sqlite)
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
