"""Reconciling a whole store, and reading back the figures it wrote.

``reconcile_store`` must see every live fact at once (a count may be stated
by documents ingested months apart), so it holds them all in memory as
lightweight items: about 300 bytes each. The store reads and writes; this
module only turns its fact rows into figure rows (``figure_rows``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from crisisdesk.model import Category, Figure, Unit
from crisisdesk.reconcile.draft import FigureDraft
from crisisdesk.reconcile.estimate import default_reliability
from crisisdesk.reconcile.figures import paused_gc, reconcile_items, sources_of, to_figure
from crisisdesk.reconcile.grouping import bucket_key
from crisisdesk.reconcile.headlines import remember_headlines
from crisisdesk.reconcile.items import Item, items_of_rows
from crisisdesk.reconcile.stored import reliability_digest
from crisisdesk.reconcile.totals import check_category, check_unit
from crisisdesk.store import FactRow, FigureRow, Question, Store

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class ReconcileSummary:
    facts: int
    figures: int
    links: int
    totals: int
    flagged: int
    conflicting: int
    # which figures are flagged, and why: a reviewer must know where to look
    flagged_figures: tuple[dict[str, Any], ...] = ()
    # figures whose places did not resolve: counted nowhere, listed with their quotes
    not_placed: tuple[dict[str, Any], ...] = ()

    def to_json(self) -> dict[str, Any]:
        out = asdict(self)
        out["flagged_figures"] = list(self.flagged_figures)
        out["not_placed"] = list(self.not_placed)
        return out


def reconcile_store(
    store: Store, *, progress: Callable[[int, int], None] | None = None
) -> ReconcileSummary:
    """Recompute every figure from the facts that are not rejected, and replace the
    stored figures in one transaction. ``progress(done, total)`` counts facts read,
    then figures written (total = facts + figures)."""
    state = store.facts_state()  # before reading: a change made meanwhile makes it stale
    n = state.facts
    table = default_reliability()
    with paused_gc():
        done = reconcile_rows(
            lambda: store.live_facts(progress=(lambda k: progress(k, n * 2)) if progress else None),
            table,
        )
        if progress:
            progress(done.facts, n * 2)
        drafts = done.drafts
        written = store.replace_figures(
            figure_rows(drafts, done.names),
            progress=(lambda k, _t: progress(n + k, n + len(drafts))) if progress else None,
            state=state,
            reliability=reliability_digest(table),
        )
    summary = ReconcileSummary(
        facts=done.facts,
        figures=written.figures,
        links=written.links,
        totals=sum(1 for d in drafts if d.parts),
        flagged=sum(1 for d in drafts if d.flags),
        conflicting=sum(1 for d in drafts if d.est.low != d.est.high),
        flagged_figures=done.flagged(),
        not_placed=done.not_placed(),
    )
    log.info("reconciled %s", summary)
    remember_headlines(store)  # the dashboard's first view after this run reads them
    return summary


@dataclass(frozen=True, slots=True)
class Reconciled:
    """Figures reconciled from fact rows, with what writing and naming them needs."""

    facts: int
    drafts: list[FigureDraft]
    names: dict[str, tuple[str, ...]]  # see ``written_places``
    quotes: dict[str, str]  # the quote of each fact whose places did not resolve

    def flagged(self) -> tuple[dict[str, Any], ...]:
        return tuple(named(d) for d in self.drafts if d.flags)

    def not_placed(self) -> tuple[dict[str, Any], ...]:
        """Figures whose places did not resolve; none in a store whose facts were never
        placed (no gazetteer: names only), as in ``total``."""
        if not any(where_known(d) for d in self.drafts):
            return ()
        return tuple(named(d, self.quotes) for d in self.drafts if unplaced(d))


def reconcile_rows(read: Callable[[], list[FactRow]], table: Any) -> Reconciled:
    """Reconcile the fact rows ``read()`` returns (a full store or a part of it closed
    under reconcile's relations: ``reach``), in the order the store reads them. The
    rows are read here and dropped once they are items: a million of them would
    otherwise stay in memory while reconciling."""
    rows = read()
    items = items_of_rows(rows, keep_facts=False)
    names = written_places(rows, items)
    quotes = {it.id: r.quote for r, it in zip(rows, items, strict=True) if unplaced_at(it)}
    del rows
    # Buckets in the order of their keys, each bucket's facts in the order read: ties
    # between figures of two places follow an order that a part of the store (an
    # incremental pass) gives as the whole store does, not where each place first
    # appears in the whole store.
    items.sort(key=bucket_key)
    return Reconciled(len(items), reconcile_items(items, table), names, quotes)


def where_known(d: FigureDraft) -> bool:
    p = d.place
    return bool(p.place_id or p.country or p.admin1_code or p.admin2_code)


def unplaced(d: FigureDraft) -> bool:
    """Places named that resolved to nothing (see ``totals.not_placed``)."""
    return not where_known(d) and bool(d.place.name) and not d.member_keys


def unplaced_at(it: Item) -> bool:
    p = it.place
    return not (p.place_id or p.country or p.admin1_code or p.admin2_code) and bool(p.name)


def named(d: FigureDraft, quotes: Mapping[str, str] | None = None) -> dict[str, Any]:
    """A figure as a reader finds it: what, how many, where, when, why flagged, quoted."""
    c = d.est.chosen
    return {
        "figure": d.id,
        "category": d.category,
        "unit": d.unit,
        "best": d.best,
        "place": d.place.name or None,
        "date_start": date.fromordinal(d.start).isoformat() if d.start is not None else None,
        "date_end": date.fromordinal(d.end).isoformat() if d.end is not None else None,
        "flags": [f"{f.code}: {f.message}" for f in d.flags],
        "quote": (quotes or {}).get(c.id, c.quote),
        "doc": c.doc,
    }


def written_places(rows: Sequence[FactRow], items: Sequence[Item]) -> dict[str, tuple[str, ...]]:
    """The place names as written of each fact whose item's place name would not do
    (it names several places, or its place under another name): the figures table's
    ``places``."""
    out: dict[str, tuple[str, ...]] = {}
    for r, it in zip(rows, items, strict=True):
        ps = r.places
        if ps and (len(ps) > 1 or ps[0].name != it.place.name):
            out[r.id] = tuple(dict.fromkeys(p.name for p in ps))
    return out


def figure_rows(
    drafts: Sequence[FigureDraft], place_names: Mapping[str, tuple[str, ...]]
) -> list[FigureRow]:
    """Drafts as the store writes them."""
    out = []
    new = tuple.__new__  # FigureRow's fields by position: a million figures
    for d in drafts:
        chosen, est, p = d.est.chosen, d.est, d.place
        if len(d.items) == 1:  # most figures: one fact, its places as written
            it = d.items[0]
            places = place_names.get(it.id) or ((it.place.name,) if it.place.name else ())
            facts: tuple[str, ...] = (it.id,)
        else:
            places = tuple(
                dict.fromkeys(
                    n for it in est.ordered for n in place_names.get(it.id, (it.place.name,)) if n
                )
            )
            facts = tuple([it.id for it in d.items])
        # fmt: off
        values = (
            d.id, chosen.category, chosen.unit, chosen.subject, p.name or None, p.place_id,
            p.country, p.admin1_code, p.admin2_code, chosen.start, chosen.end, est.low,
            est.best, est.high, est.rule, est.explanation, d.is_total, sources_of(d.items),
            tuple(d.flags) if d.flags else (), tuple(d.part_of) if d.part_of else (), places,
            facts, tuple(d.parts) if d.parts else (),
        )
        # fmt: on
        out.append(new(FigureRow, values))
    return out


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
    return figures_page(
        store,
        category=category,
        unit=unit,
        place=place,
        date_from=date_from,
        date_to=date_to,
        verified_only=verified_only,
    )[0]


def figures_page(
    store: Store,
    *,
    category: str | None = None,
    unit: str | None = None,
    place: str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    verified_only: bool = False,
    offset: int = 0,
    limit: int | None = None,
) -> tuple[list[Figure], int]:
    """``load_figures``, one page of them, and how many match: only the page's
    figures are read back with their facts (a list of a million stays cheap)."""
    category = check_category(category) if category else None
    unit = check_unit(unit)
    if verified_only:
        every = _verified_figures(store, category, unit, place, date_from, date_to)
        end = None if limit is None else offset + limit
        return every[offset:end], len(every)
    ids = store.figure_ids(
        category=category, unit=unit, place=place, date_from=date_from, date_to=date_to
    )
    shown = ids[offset:] if limit is None else ids[offset : offset + limit]
    return _read_back(store, shown), len(ids)


def _read_back(store: Store, ids: list[str]) -> list[Figure]:
    read = store.read_figures(ids, part_of=True)
    out = []
    for g in read.figures:
        out.append(
            Figure(
                id=g.id,
                category=Category(g.category),
                unit=Unit(g.unit),
                subject=g.subject,
                places=g.places,
                date_start=date.fromordinal(g.start) if g.start is not None else None,
                date_end=date.fromordinal(g.end) if g.end is not None else None,
                low=g.low,
                best=g.best,
                high=g.high,
                rule=g.rule,
                explanation=g.explanation,
                facts=tuple(r.fact() for r in read.facts.get(g.id, ())),
                sources=g.sources,
                is_total=g.is_total,
                parts=tuple(read.parts.get(g.id, ())),
                part_of=tuple(read.part_of.get(g.id, ())),
                flags=g.flags,
            )
        )
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
    match = store.find_place(place) if place and place.strip() else None
    figures: list[Figure] = []
    for cat in categories:
        question = Question(cat, unit, match, date_from, date_to, verified_only=True)
        items = items_of_rows(store.facts_for(question))
        if items:
            drafts = reconcile_items(items, default_reliability())
            figures.extend(to_figure(d) for d in drafts)
    return figures


__all__ = ["ReconcileSummary", "figure_rows", "load_figures", "reconcile_store"]
