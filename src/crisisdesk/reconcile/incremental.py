"""Incremental reconcile: recompute only the figures new or changed facts can touch.

A store that takes in reports all day cannot recompute every figure after each
batch. The facts added, edited or rejected since the last run are the seeds;
``reach.Reach`` follows every relation reconcile has between two facts (same
category; grouping, totals and parts, running counts, checks: by period and
place) from them, reading the store period by period, until nothing more is
reached. Those facts are reconciled again on their own, in the order a full
pass reads them, and replace exactly the figures that held them; every other
figure is what a full pass would make again, so it is kept. What a changed
fact's figures covered before the change is reached too (their facts, the
figures linked to them, every fact over their days).

New reports (every changed fact a new fact of a new document) go first by
*directed* updates (``directed``): their own figures are made again, and the
links and flags of the stored figures around them updated from the stored
figures, without closing anything both ways; the reach answers where that pass
cannot be sure (edits, rejections, and the cases ``directed`` lists).

Wider passes, each exact:

* by category (the old narrowing): when the reach grows past half the store,
  or the stored figures do not hold exactly the unchanged live facts (a write
  that slipped past the last run), the categories whose facts changed are
  reconciled whole;
* in full, when there is no earlier run or the source reliabilities changed
  (every estimate may move).

The result is the store a full ``reconcile_store`` would leave
(tests/reconcile/test_incremental.py builds stores in batches, with periods
apart and overlapping, and compares them with one built at once).
"""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from typing import Any

from crisisdesk.reconcile.directed import reconcile_directed
from crisisdesk.reconcile.estimate import default_reliability
from crisisdesk.reconcile.figures import paused_gc
from crisisdesk.reconcile.headlines import Replaced, remember_headlines
from crisisdesk.reconcile.items import items_of_rows
from crisisdesk.reconcile.reach import Ghost, Reach, merge_spans
from crisisdesk.reconcile.run import Reconciled, figure_rows, reconcile_rows, reconcile_store
from crisisdesk.reconcile.stored import reliability_digest
from crisisdesk.store import FactRow, FactsState, Store
from crisisdesk.store.partial import (
    LastRunState,
    Order,
    changed_categories,
    changed_facts,
    count_figures,
    facts_by_id,
    facts_near,
    facts_of_documents,
    figures_holding,
    held_elsewhere,
    last_run_state,
    live_categories,
    live_facts_of,
    old_figures,
    replace_figures_holding,
    replace_figures_of,
)

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class IncrementalSummary:
    """What an incremental pass did: ``mode`` is "incremental", "full" or "fresh"
    (nothing changed since the last run)."""

    mode: str  # "directed", "reach", "incremental" (whole categories), "full" or "fresh"
    facts: int  # live facts in the store
    figures: int  # figures stored after the pass
    categories: list[str] = field(default_factory=list)  # recomputed
    recomputed_facts: int = 0  # facts read and reconciled again
    recomputed_figures: int = 0  # figures written
    # of the figures recomputed (all of them after a full pass): which are flagged for
    # review and which name places that resolved to nothing, as ``reconcile_store`` says
    flagged_figures: tuple[dict[str, Any], ...] = ()
    not_placed: tuple[dict[str, Any], ...] = ()

    @property
    def flagged(self) -> int:
        return len(self.flagged_figures)

    def to_json(self) -> dict[str, Any]:
        return {**asdict(self), "flagged": self.flagged}


def reconcile_changed(store: Store) -> IncrementalSummary:
    """Recompute the figures of the categories whose facts changed since the last run;
    a full reconcile when there was none or the reliabilities changed. The dashboard's
    headline totals are computed then too (``headlines``), not on its first view: those
    of the categories the pass did not touch are the last run's."""
    last = last_run_state(store.engine)
    done, touched, replaced = _reconcile_changed(store, last)
    if touched is None or last is None:
        remember_headlines(store)
    else:
        remember_headlines(store, last.headlines, touched, replaced)
    return done


def _reconcile_changed(
    store: Store, last: LastRunState | None
) -> tuple[IncrementalSummary, set[str] | None, Replaced | None]:
    """The pass, the categories whose facts or figures it may have changed (None:
    any), and which figures it replaced by which (None: whole categories)."""
    table = default_reliability()
    digest = reliability_digest(table)
    if last is None or last.reliability != digest or last.store_version is None:
        return _full(store), None, None
    state = store.facts_state()  # before reading: a change made meanwhile makes it stale
    if state.version == last.store_version:
        fresh = IncrementalSummary("fresh", state.facts, count_figures(store.engine))
        return fresh, set(), None
    if last.last_fact_update is not None:
        with paused_gc():
            directed = _directed(store, last.last_fact_update, state, table, digest)
        if directed is not None:
            return directed
        with paused_gc():
            narrowed = _reached(store, last.last_fact_update, state, table, digest)
        if narrowed is not None:
            return narrowed
    categories = sorted(changed_categories(store.engine, last.last_fact_update))
    if set(categories) >= live_categories(store.engine):
        # every category: the full pass does the same work and rewrites the figures
        # table whole (faster than replacing them category by category, indexes kept)
        log.info("every category changed: a full pass")
        return _full(store), None, None
    with paused_gc():
        done = reconcile_rows(
            lambda: live_facts_of(store.engine, categories) if categories else [], table
        )
        written = replace_figures_of(
            store.engine,
            categories,
            figure_rows(done.drafts, done.names),
            state=state,
            reliability=digest,
        )
    summary = IncrementalSummary(
        "incremental",
        state.facts,
        count_figures(store.engine),
        categories,
        done.facts,
        written.figures,
        done.flagged(),
        done.not_placed(),
    )
    log.info("reconciled incrementally %s", summary)
    return summary, set(categories), None


def _full(store: Store) -> IncrementalSummary:
    full = reconcile_store(store)
    return IncrementalSummary(
        "full", full.facts, full.figures, [], full.facts, full.figures,
        full.flagged_figures, full.not_placed,
    )  # fmt: skip


def _directed(
    store: Store, since: datetime, state: FactsState, table: Any, digest: str
) -> tuple[IncrementalSummary, set[str], Replaced | None] | None:
    """The directed pass (``directed``) when every fact changed since ``since`` is a
    new fact of a new document; None when the reach must answer."""
    if not DIRECTED:
        return None
    engine = store.engine
    changed = changed_facts(engine, since)
    if held_elsewhere(engine, changed):
        return None
    done = reconcile_directed(store, changed, state, table, digest)
    if done is None:
        return None
    made = Reconciled(done.facts, done.drafts, {}, done.quotes)
    summary = IncrementalSummary(
        "directed",
        state.facts,
        count_figures(engine),
        sorted(set(changed.values())),
        done.facts,
        done.figures,
        made.flagged(),
        made.not_placed(),
    )
    log.info("reconciled %d new facts by directed updates: %s (%d stored figures updated)",
             len(changed), summary, done.updated)  # fmt: skip
    return summary, set(changed.values()), done.replaced


DIRECTED = True  # new reports by directed updates first (tests turn it off to compare)
REACH_SHARE = 0.5  # past this share of the live facts, whole categories are cheaper
REACH_WORK = 20  # pairs compared per live fact before the reach is given up as too wide
REACH_ROUNDS = 12  # reads of the store (periods further and further out) at most
PAD_DAYS = 31  # read a little around each period asked for: fewer rounds of reads


def _reached(
    store: Store, since: datetime, state: FactsState, table: Any, digest: str
) -> tuple[IncrementalSummary, set[str], Replaced | None] | None:
    """Reconcile the reach of the facts changed since ``since``; None when only a
    wider pass is safe or cheaper (see the module docstring)."""
    engine = store.engine
    changed = changed_facts(engine, since)
    if held_elsewhere(engine, changed):
        return None
    olds, old_facts = old_figures(engine, changed)
    ghosts: list[Ghost] = [
        (
            (o.category, o.unit),
            o.start.toordinal() if o.start else None,
            o.end.toordinal() if o.end else None,
        )
        for o in olds
    ]
    reach = Reach()
    rows: dict[str, FactRow] = {}
    order: dict[str, Order] = {}

    def load(got: tuple[list[FactRow], dict[str, Order]]) -> None:
        fresh = [r for r in got[0] if r.id not in rows]
        rows.update((r.id, r) for r in fresh)
        order.update(got[1])
        reach.add(items_of_rows(fresh, keep_facts=False))

    seeds = set(changed) | old_facts
    load(facts_by_id(engine, seeds))
    limit = int(state.facts * REACH_SHARE)
    for _ in range(REACH_ROUNDS):
        found = reach.close(seeds, ghosts, limit, REACH_WORK * max(state.facts, 1_000))
        if found.too_wide:
            log.info("reach of %d changed facts is too wide: by category", len(changed))
            return None
        if found.complete:
            break
        for kind in sorted(found.spans.keys() | found.undated):
            spans = merge_spans(
                ((lo - PAD_DAYS, hi + PAD_DAYS) for lo, hi in found.spans.get(kind, ())),
                gap=2 * PAD_DAYS,
            )
            days = [(date.fromordinal(max(lo, 1)), date.fromordinal(hi)) for lo, hi in spans]
            load(facts_near(engine, *kind, days, kind in found.undated))
            reach.mark_read(kind, spans)
            if kind in found.undated:
                reach.read_undated.add(kind)
        for category in sorted({c for _, c in found.docs}):
            docs = sorted(d for d, c in found.docs if c == category)
            load(facts_of_documents(engine, category, docs))
            reach.read_docs.update((d, category) for d in docs)
    else:
        log.info("reach of %d changed facts still growing: by category", len(changed))
        return None
    ids = found.facts
    chosen = sorted((rows[i] for i in ids), key=lambda r: order[r.id])
    done = reconcile_rows(lambda: chosen, table)
    # the figures of the facts read again, and of those rejected since (no longer live)
    before = figures_holding(engine, ids | set(changed))  # as they were: for the headlines
    figs = figure_rows(done.drafts, done.names)
    written = replace_figures_holding(
        engine, ids | set(changed), figs, state=state, reliability=digest
    )
    if written is None:  # not closed after all: never write a partial answer
        log.warning("reach of %d changed facts was not closed: by category", len(changed))
        return None
    summary = IncrementalSummary(
        "reach",
        state.facts,
        count_figures(engine),
        sorted({rows[i].category for i in ids}),
        done.facts,
        written.figures,
        done.flagged(),
        done.not_placed(),
    )
    log.info("reconciled the reach of %d changed facts: %s", len(changed), summary)
    # reconcile relates facts of one category only: the figures replaced are those of
    # the changed facts' categories (a rejected fact's figure may hold no live fact)
    same = written.replaced == {d.id for d in before}  # else a write came in between
    replaced = Replaced(before, frozenset(f.id for f in figs)) if same else None
    return summary, set(changed.values()), replaced


__all__ = ["IncrementalSummary", "reconcile_changed"]
