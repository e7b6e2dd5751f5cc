"""Serving ``total`` from the figures ``reconcile_store`` wrote, while they are fresh.

Reconciling the facts of a governorate-year again for every question costs
half a second on a large store; the stored figures already hold the answer.
They are used only when nothing changed since the last run: the store tells
the version it is at and the one the last run read (``Store.last_run``), and
the run's digest of the source reliabilities must be today's.

A year of a governorate has thousands of figures, nearly all of them inside a
monthly total. ``total`` lists them (``Store.figures_for``: numbers, period,
the totals they are part of) and reads the facts back only for the few
figures it counts or names in a reason (``FigureReader.drafts``). A listed
figure left out is frozen into a ``Figure`` with its evidence only when
someone asks to see it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from crisisdesk.reconcile.draft import FigureDraft
from crisisdesk.reconcile.estimate import Estimate, default_reliability
from crisisdesk.reconcile.items import Item, items_of_rows
from crisisdesk.store import Store, StoredFigure


def reliability_digest(table: Mapping[str, float] | None = None) -> str:
    """A short fingerprint of the source reliabilities: editing the sources table
    changes which report is best, so it makes stored figures stale too."""
    table = default_reliability() if table is None else table
    text = "\n".join(f"{k}\t{v!r}" for k, v in sorted(table.items()))
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def stored_state(store: Store) -> str:
    """ "fresh" when the stored figures were computed from the store as it is now,
    with the source reliabilities as they are now; "stale" when something changed
    since; "none" before any reconcile (two one-row reads)."""
    return stored_run(store)[0]


def stored_run(store: Store) -> tuple[str, datetime | None]:
    """``stored_state`` and when the last run wrote the stored figures (None before any)."""
    run, now = store.last_run()
    if run is None:
        return "none", None
    fresh = run.store_version is not None and run.store_version == now
    state = "fresh" if fresh and run.reliability == reliability_digest() else "stale"
    return state, run.finished_at


def is_fresh(store: Store) -> bool:
    """Whether ``total`` may answer from the stored figures (``stored_state``)."""
    return stored_state(store) == "fresh"


def drafts_by_id(
    store: Store,
    ids: Iterable[str],
    within: frozenset[str] | None = None,
    parts_for: Iterable[str] | None = None,
    *,
    evidence: bool = True,
) -> dict[str, FigureDraft]:
    """Stored figures rebuilt as drafts with their facts as items, by figure id (in
    the order asked).

    ``within``: the figures one question sees; a total's parts outside it are not
    listed (as when reconciling that question's facts afresh). ``parts_for``: the
    figures whose parts to list (default all): a figure only named in a reason
    needs none, and a weekly total's parts are most of what a read would fetch.
    ``evidence=False``: items without their facts (``Item.fact``), for a caller
    that only counts: each fact's row then goes once its item is made.

    Read a chunk of figures at a time (``Store.iter_figures``): only the drafts
    stay, not every joined row of a category's figures at once (issue 18).
    """
    wanted = list(dict.fromkeys(ids))
    made: dict[str, FigureDraft] = {}
    for read in store.iter_figures(wanted, parts_for=parts_for):
        for fig in read.figures:
            items = items_of_rows(read.facts.get(fig.id, ()), keep_facts=evidence)
            if items:
                parts = read.parts.get(fig.id, [])
                if within is not None:
                    parts = [p for p in parts if p in within]
                made[fig.id] = stored_draft(fig, items, parts)
        del read
    return {i: made[i] for i in wanted if i in made}


@dataclass(frozen=True, slots=True)
class FigureReader:
    """Reads stored figures back in full for one question: the ones ``total`` counts
    or names at once, the listed ones left out later, when someone asks to see them.
    ``evidence=False``: without their facts (see ``drafts_by_id``)."""

    store: Store
    within: frozenset[str]
    evidence: bool = True

    def drafts(
        self, ids: Iterable[str], parts_for: Iterable[str] | None = None
    ) -> dict[str, FigureDraft]:
        return drafts_by_id(self.store, ids, self.within, parts_for, evidence=self.evidence)

    def fact_ids(self, ids: Iterable[str]) -> dict[str, list[str]]:
        return self.store.figure_fact_ids(ids)


def stored_draft(fig: StoredFigure, items: list[Item], parts: list[str]) -> FigureDraft:
    """A stored figure as a draft, from its row and its facts as items."""
    start, end = fig.start, fig.end

    def fits(it: Item) -> tuple[bool, bool, str]:
        return ((it.start, it.end) == (start, end), it.value == fig.best, it.id)

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
    est = Estimate(fig.low, fig.best, fig.high, fig.rule, fig.explanation, chosen, tuple(ordered))
    return FigureDraft(
        id=fig.id,
        items=items,
        est=est,
        place=chosen.place,
        self_keys=frozenset(selfk),
        area_keys=frozenset(area - selfk),
        is_total=fig.is_total,
        category=fig.category,
        unit=fig.unit,
        subject_key=chosen.subject_key,
        start=start,
        end=end,
        parts=parts,
        part_of=list(fig.part_of),
        flags=list(fig.flags),
        member_keys=frozenset().union(*(it.place.member_keys for it in items)),
    )
