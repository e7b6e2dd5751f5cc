"""Reconciling a whole store, and reading back the figures it wrote.

``reconcile_store`` must see every live fact of a category at once (a count
may be stated by documents ingested months apart), so it holds them in memory
as lightweight items, one category at a time: no figure relates facts of two
categories. The store reads and writes; this module only turns its fact rows
into figure rows (``figure_rows``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from crisisdesk.model import Category, Figure, Unit
from crisisdesk.reconcile.draft import FigureDraft
from crisisdesk.reconcile.estimate import default_reliability
from crisisdesk.reconcile.figures import paused_gc, reconcile_items, sources_of, to_figure
from crisisdesk.reconcile.grouping import bucket_key
from crisisdesk.reconcile.headlines import remember_headlines
from crisisdesk.reconcile.heap import give_back
from crisisdesk.reconcile.items import Item, ItemMaker, items_of_rows
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
    then figures written (total = facts + figures).

    A category at a time: no figure relates facts of two categories (see
    ``reach``), so each category's facts are read, reconciled and their figure rows
    put aside on disk (``Store.figure_spool``) before the next is read; a million
    facts are never all in memory at once. The figures are those of one pass over
    every fact, in the same order. Memory freed by a step is given back to the
    system before the next (``heap.give_back``): the peak is the largest step's,
    not their sum."""
    state = store.facts_state()  # before reading: a change made meanwhile makes it stale
    n = state.facts
    table = default_reliability()
    done = Blocks()
    with paused_gc(), store.figure_spool() as spool:
        for category in store.live_categories():
            rows = store.stream_live_facts(category)
            if progress:
                rows = _counted(rows, done.facts, lambda k: progress(k, n * 2))
            block = reconcile_rows(lambda rows=rows: rows, table)
            spool.add(figure_rows(block.drafts, block.names))
            done.add(block)
            del block
        if progress:
            progress(done.facts, n * 2)
        give_back()  # the categories' items and drafts, before the write's page cache
        written = store.replace_figures(
            spool,
            progress=(lambda k, _t: progress(n + k, n + len(spool))) if progress else None,
            state=state,
            reliability=reliability_digest(table),
        )
    summary = ReconcileSummary(
        facts=done.facts,
        figures=written.figures,
        links=written.links,
        totals=done.totals,
        flagged=len(done.flagged),
        conflicting=done.conflicting,
        flagged_figures=tuple(done.flagged),
        not_placed=tuple(done.not_placed) if done.placed else (),
    )
    log.info("reconciled %s", summary)
    give_back()  # the write's page cache, before the headlines read every category
    remember_headlines(store)  # the dashboard's first view after this run reads them
    return summary


def _counted(
    rows: Iterable[FactRow], before: int, told: Callable[[int], None]
) -> Iterator[FactRow]:
    """``rows``, telling how many facts were read every 20,000 (``before`` counted)."""
    k = before
    for r in rows:
        k += 1
        if k % 20_000 == 0:
            told(k)
        yield r


@dataclass(slots=True)
class Blocks:
    """What a reconcile of the store a category at a time tells of its figures."""

    facts: int = 0
    totals: int = 0
    conflicting: int = 0
    flagged: list[dict[str, Any]] = field(default_factory=list)
    not_placed: list[dict[str, Any]] = field(default_factory=list)
    placed: bool = False  # whether any figure's place is known (``Reconciled.not_placed``)

    def add(self, block: Reconciled) -> None:
        drafts = block.drafts
        self.facts += block.facts
        self.totals += sum(1 for d in drafts if d.parts)
        self.conflicting += sum(1 for d in drafts if d.est.low != d.est.high)
        self.flagged.extend(block.flagged())
        self.placed = self.placed or any(where_known(d) for d in drafts)
        self.not_placed.extend(named(d, block.quotes) for d in drafts if unplaced(d))


@dataclass(frozen=True, slots=True)
class Reconciled:
    """Figures reconciled from fact rows, with what writing and naming them needs."""

    facts: int
    drafts: list[FigureDraft]
    names: dict[str, tuple[str, ...]]  # place names as written, where the item's will not do
    quotes: dict[str, str]  # the quote of each fact whose places did not resolve

    def flagged(self) -> tuple[dict[str, Any], ...]:
        return tuple(named(d) for d in self.drafts if d.flags)

    def not_placed(self) -> tuple[dict[str, Any], ...]:
        """Figures whose places did not resolve; none in a store whose facts were never
        placed (no gazetteer: names only), as in ``total``."""
        if not any(where_known(d) for d in self.drafts):
            return ()
        return tuple(named(d, self.quotes) for d in self.drafts if unplaced(d))


def reconcile_rows(read: Callable[[], Iterable[FactRow]], table: Any) -> Reconciled:
    """Reconcile the fact rows ``read()`` gives (a full store, a category of it, or a
    part closed under reconcile's relations: ``reach``), in the order the store reads
    them. Each row is dropped once it is an item (with its place names as written
    when the item's will not do, and its quote when its place did not resolve):
    a million rows would otherwise stay in memory while reconciling."""
    make = ItemMaker(keep_facts=False)
    items: list[Item] = []
    names: dict[str, tuple[str, ...]] = {}
    quotes: dict[str, str] = {}
    for r in read():
        it = make(r)
        items.append(it)
        ps = r.places
        if ps and (len(ps) > 1 or ps[0].name != it.place.name):
            names[r.id] = tuple(dict.fromkeys(p.name for p in ps))
        if unplaced_at(it):
            quotes[it.id] = r.quote
    del make
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
                # by id, as SQLite's key reads them (PostgreSQL's order follows its plan)
                facts=tuple(r.fact() for r in sorted(read.facts.get(g.id, ()), key=_by_id)),
                sources=g.sources,
                is_total=g.is_total,
                parts=tuple(read.parts.get(g.id, ())),
                part_of=tuple(read.part_of.get(g.id, ())),
                flags=g.flags,
            )
        )
    return out


def _by_id(r: FactRow) -> str:
    return r.id


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
