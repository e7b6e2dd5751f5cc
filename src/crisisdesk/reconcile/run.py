"""Reconciling a whole store, and reading back the figures it wrote.

``reconcile_store`` must see every live fact at once (a count may be stated
by documents ingested months apart), so it holds them all in memory as
lightweight items: about 300 bytes each.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, or_, select

from crisisdesk.model import Category, Figure, Unit
from crisisdesk.reconcile.estimate import default_reliability
from crisisdesk.reconcile.figures import paused_gc, reconcile_items, to_figure
from crisisdesk.reconcile.items import items_of
from crisisdesk.reconcile.queries import (
    VERIFIED,
    fact_columns,
    load_facts,
    resolve_place,
    stored_facts,
)
from crisisdesk.reconcile.store_io import read_items, write_drafts
from crisisdesk.reconcile.stored import facts_state, reliability_digest
from crisisdesk.reconcile.totals import check_category, check_unit
from crisisdesk.store import Store
from crisisdesk.store import schema as s

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class ReconcileSummary:
    facts: int
    figures: int
    links: int
    totals: int
    flagged: int
    conflicting: int

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def reconcile_store(
    store: Store, *, progress: Callable[[int, int], None] | None = None
) -> ReconcileSummary:
    """Recompute every figure from the facts that are not rejected, and replace the
    stored figures in one transaction. ``progress(done, total)`` counts facts read,
    then figures written (total = facts + figures)."""
    with store.engine.connect() as conn:
        state = facts_state(conn)  # before reading: a change made meanwhile makes it stale
    n = state.facts
    table = default_reliability()
    names: dict[str, tuple[str, ...]] = {}
    with paused_gc():
        items = read_items(store, progress=progress, total=n * 2, place_names=names)
        drafts = reconcile_items(items, table)
        written = write_drafts(
            store,
            drafts,
            progress=(lambda done, _t: progress(n + done, n + len(drafts))) if progress else None,
            state=state,
            reliability=reliability_digest(table),
            place_names=names,
        )
    summary = ReconcileSummary(
        facts=len(items),
        figures=written.figures,
        links=written.links,
        totals=sum(1 for d in drafts if d.parts),
        flagged=sum(1 for d in drafts if d.flags),
        conflicting=sum(1 for d in drafts if d.est.low != d.est.high),
    )
    log.info("reconciled %s", summary)
    return summary


def load_figures(
    store: Store,
    *,
    category: str | None = None,
    unit: str | None = None,
    place: str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    verified_only: bool = False,
) -> list[Figure]:
    """Stored figures (as ``reconcile_store`` last wrote them) matching the filters,
    with their facts as evidence. ``verified_only`` reconciles the verified and
    corrected facts afresh instead, since stored figures mix every review status."""
    category = check_category(category) if category else None
    unit = check_unit(unit)
    if verified_only:
        return _verified_figures(store, category, unit, place, date_from, date_to)
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
        conds.append(_figure_place(place.strip()))
    stmt = select(g).where(*conds).order_by(g.c.date_start, g.c.id)
    with store.engine.connect() as conn:
        rows = list(conn.execute(stmt))
        ids = [r.id for r in rows]
        facts, links = _figure_facts(conn, ids), _links(conn, ids)
    out = []
    for r in rows:
        parts, part_of = links.get(r.id, ([], []))
        out.append(
            Figure(
                id=r.id,
                category=Category(r.category),
                unit=Unit(r.unit),
                subject=r.subject,
                places=tuple(r.places or ()) or ((r.place_name,) if r.place_name else ()),
                date_start=r.date_start,
                date_end=r.date_end,
                low=r.low,
                best=r.best,
                high=r.high,
                rule=r.rule,
                explanation=r.explanation,
                facts=tuple(facts.get(r.id, ())),
                sources=tuple(r.sources or ()),
                is_total=bool(r.is_total),
                parts=tuple(parts),
                part_of=tuple(part_of),
                flags=tuple(r.flags or ()),
            )
        )
    return out


def _figure_place(place: str) -> Any:
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


def _figure_facts(conn: Any, ids: list[str]) -> dict[str, list[Any]]:
    f, d, p, ff = s.facts, s.documents, s.fact_places, s.figure_facts
    out: dict[str, list[Any]] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        stmt = (
            select(ff.c.figure_id, *fact_columns())
            .join(f, f.c.id == ff.c.fact_id)
            .join(d, d.c.id == f.c.doc_id)
            .outerjoin(p, p.c.fact_id == f.c.id)
            .where(ff.c.figure_id.in_(chunk))
        )
        rows = list(conn.execute(stmt))
        owner = {r[1]: r[0] for r in rows}
        for sf in stored_facts(rows, skip=1):
            out.setdefault(owner[sf.id], []).append(sf.fact)
    return out


def _links(conn: Any, ids: list[str]) -> dict[str, tuple[list[str], list[str]]]:
    fl = s.figure_links
    out: dict[str, tuple[list[str], list[str]]] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        stmt = select(fl.c.total_id, fl.c.part_id).where(
            or_(fl.c.total_id.in_(chunk), fl.c.part_id.in_(chunk))
        )
        for total_id, part_id in conn.execute(stmt):
            out.setdefault(total_id, ([], []))[0].append(part_id)
            out.setdefault(part_id, ([], []))[1].append(total_id)
    for parts, part_of in out.values():
        parts[:] = sorted(set(parts))
        part_of[:] = sorted(set(part_of))
    return out


def _verified_figures(
    store: Store,
    category: str | None,
    unit: str | None,
    place: str | None,
    date_from: date | None,
    date_to: date | None,
) -> list[Figure]:
    categories = [category] if category else [c.value for c in Category]
    match = resolve_place(store, place) if place and place.strip() else None
    figures: list[Figure] = []
    for cat in categories:
        stored = load_facts(
            store,
            category=cat,
            unit=unit,
            place=match,
            date_from=date_from,
            date_to=date_to,
            verified_only=True,
        )
        if stored:
            drafts = reconcile_items(items_of(stored), default_reliability())
            figures.extend(to_figure(d) for d in drafts)
    return figures


__all__ = ["VERIFIED", "ReconcileSummary", "load_figures", "reconcile_store"]
