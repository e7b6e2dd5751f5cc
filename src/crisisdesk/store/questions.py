"""The facts one question is about: the narrow, indexed reads behind ``total``.

``total`` reconciles the facts of one question (category, unit, place,
period) from the facts themselves, so the answer is right even when
``reconcile`` has not run since the last ingest or review. To stay fast on a
large store, a place name is first turned into admin codes or a gazetteer id
(indexed columns of ``fact_places``, ``find_place``); only when no fact
carries a code for it are facts matched by name, which reads the whole
places table.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date
from typing import Any

from sqlalchemy import Engine, and_, exists, func, or_, select, union
from sqlalchemy.engine import Connection

from crisisdesk.store import schema as s
from crisisdesk.store.records import FactRow, PlaceMatch, Question
from crisisdesk.store.rows import fact_row_columns, fact_rows, iter_fact_rows

LIVE = ("unreviewed", "verified", "corrected", "added")
# verified under the second-pair-of-eyes rule: a correction or an added figure is
# "corrected"/"added" until someone other than its author verifies it (store.review)
VERIFIED = ("verified",)
# the kinds of gazetteer area that are a first- or second-level admin area
ADM1_KINDS = frozenset({"adm1", "governorate", "province", "state"})
ADM2_KINDS = frozenset({"adm2", "district"})
CHUNK = 900  # ids per IN list: under SQLite's 999 bound parameters


def chunks(ids: list[str]) -> Iterator[list[str]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


MAP_BYTES = 1 << 30  # how much of a SQLite file ``total``'s reads may map
_mapped: ContextVar[bool] = ContextVar("crisisdesk_mapped_reads", default=True)


def tune_reads(conn: Connection) -> None:
    """Let SQLite map the file and keep more pages: a ``total`` reads thousands of
    rows by key, scattered over the file (per connection; no effect elsewhere)."""
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql(f"PRAGMA mmap_size={MAP_BYTES if _mapped.get() else 0}")
        conn.exec_driver_sql("PRAGMA cache_size=-65536")


@contextmanager
def unmapped_reads() -> Iterator[None]:
    """Reads in this context (this thread) do not map the SQLite file: each page of it
    they touch would stay resident in the process (its RSS) up to ``MAP_BYTES``,
    where a reconcile run, which asks the dashboard's headlines once, is held to
    a memory budget and gains little from the mapping (issue 18)."""
    token = _mapped.set(False)
    try:
        yield
    finally:
        _mapped.reset(token)


def _first(conn: Connection, stmt: Any) -> Any:
    row = conn.execute(stmt.limit(1)).first()
    return row[0] if row is not None else None


# -- places ------------------------------------------------------------------------


def _gazetteer_codes(needle: str, gazetteer: Any) -> tuple[set[str], set[str], set[str]]:
    """(place ids, admin1 codes, admin2 codes) the gazetteer knows ``needle`` by."""
    ids: set[str] = set()
    a1: set[str] = set()
    a2: set[str] = set()
    area = gazetteer.find_area(needle) if gazetteer is not None else None
    if area is not None:
        kind = (area.kind or "").lower()
        if kind in ADM1_KINDS and area.admin1_code:
            a1.add(area.admin1_code)
        elif kind in ADM2_KINDS and area.admin2_code:
            a2.add(area.admin2_code)
        elif kind == "region" and hasattr(gazetteer, "members"):
            a1.update(gazetteer.members(area.id))  # a region is a set of admin1 areas
        elif kind != "country":  # a country is matched by name: no indexed code for it
            ids.add(area.id)
    return ids, a1, a2


def _stored_codes(conn: Connection, needle: str) -> tuple[set[str], set[str], set[str]]:
    """The codes resolved facts carry for ``needle``: itself when it is a code, else
    the code of an admin area of that name (indexed probes, first hit wins)."""
    p = s.fact_places
    low = needle.lower()
    probes: list[tuple[int, Any]] = [
        (1, select(p.c.id).where(p.c.admin1_code == needle)),
        (2, select(p.c.id).where(p.c.admin2_code == needle)),
        (0, select(p.c.id).where(p.c.place_id == needle)),
    ]
    for slot, stmt in probes:
        if _first(conn, stmt):
            found: tuple[set[str], set[str], set[str]] = (set(), set(), set())
            found[slot].add(needle)
            return found
    for slot, name_col, code_col in ((1, p.c.admin1, p.c.admin1_code),
                                     (2, p.c.admin2, p.c.admin2_code)):  # fmt: skip
        stmt = select(code_col).where(func.lower(name_col) == low, code_col.is_not(None))
        if code := _first(conn, stmt):
            found = (set(), set(), set())
            found[slot].add(code)
            return found
    return set(), set(), set()


def find_place(engine: Engine, text: str, gazetteer: Any = None) -> PlaceMatch:
    """Turn a place as the user wrote it into codes: the gazetteer when given, else the
    codes that resolved facts carry for that name (or the text itself when it is a code)."""
    needle = text.strip()
    ids, a1, a2 = _gazetteer_codes(needle, gazetteer)
    p = s.fact_places
    with engine.connect() as conn:
        # Keep only codes some fact carries (an indexed probe each): facts stored
        # before places were resolved are found by name instead.
        a1 = {c for c in a1 if _first(conn, select(p.c.id).where(p.c.admin1_code == c))}
        a2 = {c for c in a2 if _first(conn, select(p.c.id).where(p.c.admin2_code == c))}
        ids = {c for c in ids if _first(conn, select(p.c.id).where(p.c.place_id == c))}
        if not (ids or a1 or a2):
            ids, a1, a2 = _stored_codes(conn, needle)
        names: set[str] = set()
        # the names facts give the area asked for by code ("SY07" is "Idlib")
        for col, code_col, codes in ((p.c.admin1, p.c.admin1_code, a1),
                                     (p.c.admin2, p.c.admin2_code, a2)):  # fmt: skip
            for code in codes:
                if name := _first(conn, select(col).where(code_col == code, col.is_not(None))):
                    names.add(str(name).lower())
        for pid in ids:
            stmt = select(p.c.canonical).where(p.c.place_id == pid, p.c.canonical.is_not(None))
            if name := _first(conn, stmt):
                names.add(str(name).lower())
    return PlaceMatch(needle, frozenset(ids), frozenset(a1), frozenset(a2), frozenset(names))


def _name_tests(p: Any, names: frozenset[str]) -> list[Any]:
    low = sorted(names)
    return [
        func.lower(p.c.name).in_(low),
        func.lower(p.c.canonical).in_(low),
        func.lower(p.c.admin1).in_(low),
        func.lower(p.c.admin2).in_(low),
    ]


def place_name_test(match: PlaceMatch) -> Any:
    """A fact has a place written or resolved under one of the names of ``match``."""
    f = s.facts
    p = s.fact_places.alias("match_places")  # the outer query joins fact_places too
    return exists(
        select(p.c.id).where(p.c.fact_id == f.c.id, or_(*_name_tests(p, match.all_names)))
    )


def uncoded_named(match: PlaceMatch, base: list[Any]) -> Any:
    """The facts (ids) with ``base`` and no admin code that name the place: a report
    whose place the gazetteer did not know is still found by its name."""
    f = s.facts
    uncoded = and_(f.c.admin1_code.is_(None), f.c.admin2_code.is_(None))
    return select(f.c.id).where(*base, uncoded, place_name_test(match))


def _place_arms(match: PlaceMatch, base: list[Any]) -> list[Any]:
    """One SELECT of fact ids per way a fact can be at the place, each with ``base``.

    Codes go through the area indexes on ``facts`` (category, unit, admin code,
    dates: one range scan); a gazetteer id through ``fact_places.place_id``.
    Facts with no coded place are still matched by name, so a report whose place
    the gazetteer did not know is never dropped silently: they are found through
    the same indexes (admin codes IS NULL) and each checks its own place names.
    """
    f = s.facts
    p = s.fact_places.alias("match_places")  # the outer query joins fact_places too
    if not match.by_code:
        return [select(f.c.id).where(*base, place_name_test(match))]
    arms = []
    if match.admin1_codes:
        arms.append(select(f.c.id).where(*base, f.c.admin1_code.in_(match.admin1_codes)))
    if match.admin2_codes:
        arms.append(select(f.c.id).where(*base, f.c.admin2_code.in_(match.admin2_codes)))
    if match.place_ids:
        by_id = select(p.c.fact_id).where(p.c.place_id.in_(match.place_ids))
        arms.append(select(f.c.id).where(*base, f.c.id.in_(by_id)))
    arms.append(uncoded_named(match, base))
    return arms


def _window(date_from: date | None, date_to: date | None) -> list[Any]:
    """Facts whose period (or, undated, publication day) shares a day with the window.

    Written as an OR of arms that each fit the (category, unit, date_start,
    date_end) index, so both databases can read only the matching index
    entries; only undated facts need their document's publication day.
    """
    if not (date_from or date_to):
        return []
    f, d = s.facts, s.documents

    def within(col: Any) -> Any:
        return and_(
            *([col >= date_from] if date_from else []), *([col <= date_to] if date_to else [])
        )

    dated = [f.c.date_start.is_not(None), f.c.date_end.is_not(None)]
    if date_to:
        dated.append(f.c.date_start <= date_to)
    if date_from:
        dated.append(f.c.date_end >= date_from)
    arms = or_(
        and_(*dated),
        and_(f.c.date_end.is_(None), f.c.date_start.is_not(None), within(f.c.date_start)),
        and_(f.c.date_start.is_(None), f.c.date_end.is_not(None), within(f.c.date_end)),
        and_(f.c.date_start.is_(None), f.c.date_end.is_(None)),
    )
    # an EXISTS by primary key rather than a join: a join made PostgreSQL hash every
    # document for the few undated facts
    published = exists(select(d.c.id).where(d.c.id == f.c.doc_id, within(d.c.published)))
    undated = or_(f.c.date_start.is_not(None), f.c.date_end.is_not(None), published)
    return [arms, undated]


def fact_conditions(q: Question) -> list[Any]:
    """What a question asks of a fact, place aside."""
    f = s.facts
    conds = [
        f.c.category == q.category,
        f.c.status.in_(VERIFIED if q.verified_only else LIVE),
        *_window(q.date_from, q.date_to),
    ]
    if q.unit:
        conds.append(f.c.unit == q.unit)
    return conds


def matching_fact_ids(q: Question) -> Any:
    """A SELECT of the ids of the facts one question is about."""
    f = s.facts
    conds = fact_conditions(q)
    if q.place is None:
        return select(f.c.id).where(*conds)
    arms = _place_arms(q.place, conds)
    return arms[0] if len(arms) == 1 else union(*arms)


def facts_for(engine: Engine, q: Question) -> list[FactRow]:
    """The facts one question is about, with their places and documents.

    Two steps: the matching ids (through the area indexes), then the rows by
    primary key, a list of ids at a time. As one query, ``facts.id IN (ids)``
    was planned by PostgreSQL as a hash join over a scan of every fact.
    """
    f, d, p = s.facts, s.documents, s.fact_places
    base = select(*fact_row_columns()).join(d, d.c.id == f.c.doc_id)
    base = base.outerjoin(p, p.c.fact_id == f.c.id)
    rows: list[Any] = []
    with engine.connect() as conn:
        tune_reads(conn)
        ids = sorted({r[0] for r in conn.execute(matching_fact_ids(q))})
        for chunk in chunks(ids):
            rows.extend(conn.execute(base.where(f.c.id.in_(chunk))))
    return fact_rows(rows)


def live_facts(engine: Engine, progress: Callable[[int], None] | None = None) -> list[FactRow]:
    """Every fact that is not rejected (one streamed, joined read), without what only
    a ``Fact`` needs (``fact_row_columns(lean=True)``: these rows become items, never
    facts); ``progress(n)`` is told every 20,000 facts."""
    f, d, p = s.facts, s.documents, s.fact_places
    stmt = (
        select(*fact_row_columns(lean=True))
        .join(d, d.c.id == f.c.doc_id)
        .outerjoin(p, p.c.fact_id == f.c.id)
        .where(f.c.status != "rejected")
        .order_by(*stored_order())
    )
    with engine.connect() as conn:
        result = conn.execution_options(stream_results=True, yield_per=20_000).execute(stmt)
        return fact_rows(result, progress=progress)


def stream_live_facts(engine: Engine, category: str) -> Iterator[FactRow]:
    """The facts of one category that are not rejected, one at a time, in the order
    ``live_facts`` reads them (``rows.iter_fact_rows``: a reconcile keeps what it needs
    of each, and a category at a time, never every row of the store)."""
    f, d, p = s.facts, s.documents, s.fact_places
    stmt = (
        select(*fact_row_columns(lean=True))
        .join(d, d.c.id == f.c.doc_id)
        .outerjoin(p, p.c.fact_id == f.c.id)
        .where(f.c.status != "rejected", f.c.category == category)
        .order_by(*stored_order())
    )
    with engine.connect() as conn:
        result = conn.execution_options(stream_results=True, yield_per=20_000).execute(stmt)
        yield from iter_fact_rows(result)


def stored_order() -> tuple[Any, ...]:
    """The order reconcile reads facts in: its ties follow the order of its input, so
    the order must be stated, not the table's physical one (which PostgreSQL changes
    on every update): when stored, then each document's facts as its text runs."""
    f = s.facts
    return (f.c.created_at, f.c.doc_id, f.c.span_start, f.c.id)
