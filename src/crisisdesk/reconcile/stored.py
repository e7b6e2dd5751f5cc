"""Serving ``total`` from the figures ``reconcile_store`` wrote, while they are fresh.

Reconciling the facts of a governorate-year again for every question costs
half a second on a large store; the stored figures already hold the answer.
They are used only when nothing changed since the last run: the database moves
``store_version`` on every change to documents, facts and their places
(triggers, migration 0003), and ``reconcile_runs`` keeps the version each run
read *before* the facts, with a digest of the source reliabilities it used.

A year of a governorate has thousands of figures, nearly all of them inside a
monthly total. ``total`` reads them as ``Listed`` rows (numbers, period, the
totals they are part of) straight from the figures table through its area
indexes, and reads the facts back only for the few figures it counts or names
in a reason (``drafts_by_id``). A listed figure left out is frozen into a
``Figure`` with its evidence only when someone asks to see it.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Text, cast, func, select
from sqlalchemy.engine import Connection

from crisisdesk.reconcile.draft import Draft
from crisisdesk.reconcile.estimate import Estimate, default_reliability
from crisisdesk.reconcile.items import Item, item_of
from crisisdesk.reconcile.queries import (
    PlaceMatch,
    chunks,
    fact_columns,
    fact_conditions,
    stored_facts,
    tune_reads,
    uncoded_named,
)
from crisisdesk.store import Store
from crisisdesk.store import schema as s

# -- freshness ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FactsState:
    """What the store looked like before a reconcile read it."""

    facts: int
    last_update: datetime | None
    version: int | None


def store_version(conn: Connection) -> int | None:
    """The number the database moves on every change to documents, facts or places."""
    v = s.store_version
    return conn.execute(select(v.c.version).where(v.c.id == 1)).scalar_one_or_none()


def facts_state(conn: Connection) -> FactsState:
    """The store version first (a change made after it is read makes the run stale),
    then live facts and their latest change, kept in ``reconcile_runs`` for people."""
    version = store_version(conn)
    f = s.facts
    every = conn.execute(select(func.count()).select_from(f)).scalar_one()
    rejected = conn.execute(
        select(func.count()).select_from(f).where(f.c.status == "rejected")
    ).scalar_one()
    last = conn.execute(select(func.max(f.c.updated_at))).scalar_one()
    return FactsState(int(every) - int(rejected), _aware(last), version)


def reliability_digest(table: Mapping[str, float] | None = None) -> str:
    """A short fingerprint of the source reliabilities: editing the sources table
    changes which report is best, so it makes stored figures stale too."""
    table = default_reliability() if table is None else table
    text = "\n".join(f"{k}\t{v!r}" for k, v in sorted(table.items()))
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def record_run(conn: Connection, state: FactsState, figures: int, reliability: str) -> None:
    """Note a finished reconcile: what it saw, so ``is_fresh`` can tell later."""
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


def stored_state(store: Store) -> str:
    """ "fresh" when the stored figures were computed from the store as it is now,
    with the source reliabilities as they are now; "stale" when something changed
    since; "none" before any reconcile (two one-row reads)."""
    r = s.reconcile_runs
    with store.engine.connect() as conn:
        run = conn.execute(
            select(r.c.store_version, r.c.reliability).order_by(r.c.id.desc()).limit(1)
        ).first()
        if run is None:
            return "none"
        now = store_version(conn)
    fresh = run.store_version is not None and run.store_version == now
    return "fresh" if fresh and run.reliability == reliability_digest() else "stale"


def is_fresh(store: Store) -> bool:
    """Whether ``total`` may answer from the stored figures (``stored_state``)."""
    return stored_state(store) == "fresh"


def _aware(value: datetime | None) -> datetime | None:
    """SQLite gives back naive datetimes; compare everything in UTC."""
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=UTC)


# -- listed figures ---------------------------------------------------------------


@dataclass(slots=True, eq=False)
class Listed:
    """A stored figure as ``total`` first reads it: enough to count it or say why it
    is left out, without its facts. ``start``/``end`` are day ordinals, as in drafts."""

    id: str
    category: str
    unit: str
    subject: str
    places: tuple[str, ...]
    start: int | None
    end: int | None
    low: int | None
    best: int | None
    high: int | None
    is_total: bool
    sources: tuple[str, ...]
    flags: tuple[str, ...]
    part_of: list[str]
    # where the figure is: the area its places share (``model.shared_area``)
    place_id: str | None = None
    country: str | None = None
    admin1_code: str | None = None
    admin2_code: str | None = None


LISTED_COLS = (
    "id", "category", "unit", "subject", "place_name", "places", "date_start", "date_end",
    "low", "best", "high", "is_total", "sources", "flags", "part_of",
    "place_id", "country", "admin1_code", "admin2_code",
)  # fmt: skip


TEXT_COLS = frozenset({"places", "sources", "flags", "date_start", "date_end"})


def _listed_columns() -> list[Any]:
    """The listed columns, JSON and dates as text: thousands of rows repeat a few
    place names and sources, so decoding each distinct text once (``_Decoder``)
    beats letting the driver or SQLAlchemy decode every row."""
    g = s.figures
    return [cast(g.c[c], Text) if c in TEXT_COLS else g.c[c] for c in LISTED_COLS]


class _Decoder:
    """JSON lists and ISO days decoded once per distinct text, for one read."""

    def __init__(self) -> None:
        self.lists: dict[str | None, tuple[str, ...]] = {None: (), "": (), "[]": ()}
        self.days: dict[str | None, int | None] = {None: None}

    def list_of(self, text: str | None) -> tuple[str, ...]:
        got = self.lists.get(text)
        if got is None:
            got = self.lists[text] = tuple(str(x) for x in json.loads(text or "[]"))
        return got

    def day(self, text: str | None) -> int | None:
        got = self.days.get(text)
        if got is None and text is not None:
            got = self.days[text] = date.fromisoformat(text[:10]).toordinal()
        return got


def _listed(row: Any, decode: _Decoder) -> Listed:
    (fid, cat, unit, subject, place_name, places, start, end, low, best, high, is_total,
     sources, flags, part_of, place_id, country, admin1_code, admin2_code) = row  # fmt: skip
    return Listed(
        id=fid,
        category=cat,
        unit=unit,
        subject=subject or "",
        places=decode.list_of(places) or ((place_name,) if place_name else ()),
        start=decode.day(start),
        end=decode.day(end),
        low=low,
        best=best,
        high=high,
        is_total=bool(is_total),
        sources=decode.list_of(sources),
        flags=decode.list_of(flags),
        part_of=part_of.split() if part_of else [],
        place_id=place_id,
        country=country,
        admin1_code=admin1_code,
        admin2_code=admin2_code,
    )


def listed_figures(
    store: Store,
    *,
    category: str,
    unit: str | None,
    place: PlaceMatch | None,
    date_from: date | None,
    date_to: date | None,
) -> list[Listed]:
    """The stored figures one ``total`` question is about, as listed rows.

    A figure is at a place when its own place is (its admin codes, its gazetteer
    id), read through the figures' area indexes; a figure of a fact whose place
    has no code is found through that fact's place names, as ``total`` finds
    such facts. A figure is in the period when its period shares a day with it.
    """
    g = s.figures
    conds: list[Any] = [g.c.category == category]
    if unit:
        conds.append(g.c.unit == unit)
    if date_to:
        conds.append(g.c.date_start <= date_to)
    if date_from:
        conds.append(g.c.date_end >= date_from)
    cols = _listed_columns()
    arms: list[Any] = []
    if place is None:
        arms.append(select(*cols).where(*conds))
    else:
        if place.admin1_codes:
            arms.append(select(*cols).where(*conds, g.c.admin1_code.in_(place.admin1_codes)))
        if place.admin2_codes:
            arms.append(select(*cols).where(*conds, g.c.admin2_code.in_(place.admin2_codes)))
        if place.place_ids:
            arms.append(select(*cols).where(*conds, g.c.place_id.in_(place.place_ids)))
    seen: dict[str, Listed] = {}
    decode = _Decoder()
    with store.engine.connect() as conn:
        tune_reads(conn)
        for stmt in arms:
            for row in conn.execute(stmt).all():
                if row[0] not in seen:
                    seen[row[0]] = _listed(row, decode)
        if place is not None:
            uncoded = _figures_of_uncoded_facts(
                conn, place, category, unit, date_from, date_to, decode
            )
            for fig in uncoded:
                seen.setdefault(fig.id, fig)
    return list(seen.values())


def _figures_of_uncoded_facts(
    conn: Connection,
    place: PlaceMatch,
    category: str,
    unit: str | None,
    date_from: date | None,
    date_to: date | None,
    decode: _Decoder,
) -> list[Listed]:
    """Figures holding a fact that names the place but has no admin code for it."""
    ff, g = s.figure_facts, s.figures
    conds = fact_conditions(
        category=category, unit=unit, date_from=date_from, date_to=date_to, verified_only=False
    )
    fact_ids = [r[0] for r in conn.execute(uncoded_named(place, conds))]
    figure_ids: set[str] = set()
    for chunk in chunks(fact_ids):
        stmt = select(ff.c.figure_id).where(ff.c.fact_id.in_(chunk))
        figure_ids.update(r[0] for r in conn.execute(stmt))
    out = []
    for chunk in chunks(sorted(figure_ids)):
        stmt = select(*_listed_columns()).where(g.c.id.in_(chunk))
        out.extend(_listed(row, decode) for row in conn.execute(stmt).all())
    return out


def fact_ids_of(store: Store, figure_ids: Iterable[str]) -> dict[str, list[str]]:
    """The facts of each figure, by id (evidence in compact form)."""
    ff = s.figure_facts
    out: dict[str, list[str]] = defaultdict(list)
    with store.engine.connect() as conn:
        for chunk in chunks(sorted(set(figure_ids))):
            stmt = select(ff.c.figure_id, ff.c.fact_id).where(ff.c.figure_id.in_(chunk))
            for figure_id, fact_id in conn.execute(stmt):
                out[figure_id].append(fact_id)
    return out


# -- full drafts ------------------------------------------------------------------


def drafts_by_id(
    store: Store,
    ids: Iterable[str],
    within: frozenset[str] | None = None,
    parts_for: Iterable[str] | None = None,
) -> dict[str, Draft]:
    """Stored figures rebuilt as drafts with their facts as items, by figure id.

    ``within``: the figures one question sees; a total's parts outside it are not
    listed (as when reconciling that question's facts afresh). ``parts_for``: the
    figures whose parts to list (default all): a figure only named in a reason
    needs none, and a weekly total's parts are most of what a read would fetch.
    """
    f, d, p = s.facts, s.documents, s.fact_places
    g, ff, fl = s.figures, s.figure_facts, s.figure_links
    wanted = sorted(set(ids))
    with_parts = wanted if parts_for is None else sorted(set(parts_for))
    rows: list[Any] = []
    parts: dict[str, list[str]] = defaultdict(list)
    fact_rows: list[Any] = []
    with store.engine.connect() as conn:
        tune_reads(conn)
        for chunk in chunks(wanted):
            rows.extend(conn.execute(select(g).where(g.c.id.in_(chunk))).all())
            # each figure's facts, with their documents and places, in one join
            stmt = (
                select(ff.c.figure_id, *fact_columns())
                .select_from(ff)
                .join(f, f.c.id == ff.c.fact_id)
                .join(d, d.c.id == f.c.doc_id)
                .outerjoin(p, p.c.fact_id == f.c.id)
                .where(ff.c.figure_id.in_(chunk))
            )
            fact_rows.extend(conn.execute(stmt).all())
        for chunk in chunks(with_parts):
            stmt = select(fl.c.total_id, fl.c.part_id).where(fl.c.total_id.in_(chunk))
            for total_id, part_id in conn.execute(stmt).all():
                if within is None or part_id in within:
                    parts[total_id].append(part_id)
    member_of = {r[1]: r[0] for r in fact_rows}
    members: dict[str, list[Item]] = defaultdict(list)
    for sf in stored_facts(fact_rows, skip=1):
        members[member_of[sf.id]].append(item_of(sf))
    out: dict[str, Draft] = {}
    for row in rows:
        items = members[row.id]
        if items:
            out[row.id] = _draft(row, items, sorted(parts[row.id]), (row.part_of or "").split())
    return out


@dataclass(frozen=True, slots=True)
class FigureReader:
    """Reads stored figures back in full for one question: the ones ``total`` counts
    or names at once, the listed ones left out later, when someone asks to see them."""

    store: Store
    within: frozenset[str]

    def drafts(
        self, ids: Iterable[str], parts_for: Iterable[str] | None = None
    ) -> dict[str, Draft]:
        return drafts_by_id(self.store, ids, self.within, parts_for)

    def fact_ids(self, ids: Iterable[str]) -> dict[str, list[str]]:
        return fact_ids_of(self.store, ids)


def _draft(row: Any, items: list[Item], parts: list[str], part_of: list[str]) -> Draft:
    start = row.date_start.toordinal() if row.date_start else None
    end = row.date_end.toordinal() if row.date_end else None

    def fits(it: Item) -> tuple[bool, bool, str]:
        return ((it.start, it.end) == (start, end), it.value == row.best, it.id)

    if len(items) == 1:  # most figures: no choosing, no merging of places
        ordered, chosen = items, items[0]
        selfk, area = chosen.place.self_keys, chosen.place.area_keys
    else:
        ordered = sorted(items, key=fits, reverse=True)
        chosen = ordered[0]
        selfk, area = set(), set()
        for it in items:
            selfk |= it.place.self_keys
            area |= it.place.area_keys
    est = Estimate(row.low, row.best, row.high, row.rule, row.explanation, chosen, tuple(ordered))
    return Draft(
        id=row.id,
        items=items,
        est=est,
        place=chosen.place,
        self_keys=frozenset(selfk),
        area_keys=frozenset(area - selfk),
        is_total=bool(row.is_total),
        category=row.category,
        unit=row.unit,
        subject_key=chosen.subject_key,
        start=start,
        end=end,
        parts=parts,
        part_of=part_of,
        flags=list(row.flags or ()),
    )
