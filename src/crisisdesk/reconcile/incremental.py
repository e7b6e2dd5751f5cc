"""Incremental reconcile: recompute only the figures new or changed facts can touch.

A store that takes in reports all day cannot recompute every figure after each
batch. Reconcile relates facts of one category only (same count, totals and
parts, checks: every key starts with the category), so the figures of a
category are a function of that category's live facts: the categories whose
facts changed since the last run (added, edited, rejected, deleted) are read
and reconciled again, exactly as a full pass would, and the figures of the
other categories are kept. The result is the store a full ``reconcile_store``
would leave (tests/reconcile/test_incremental.py builds a store in batches and
compares it with one built at once).

A full pass is done instead when there is no earlier run, or when the source
reliabilities changed since it (every estimate may move).
"""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass, field
from typing import Any

from crisisdesk.reconcile.estimate import default_reliability
from crisisdesk.reconcile.figures import paused_gc
from crisisdesk.reconcile.run import figure_rows, reconcile_rows, reconcile_store
from crisisdesk.reconcile.stored import reliability_digest
from crisisdesk.store import Store
from crisisdesk.store.partial import (
    changed_categories,
    count_figures,
    last_run_state,
    live_facts_of,
    replace_figures_of,
)

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class IncrementalSummary:
    """What an incremental pass did: ``mode`` is "incremental", "full" or "fresh"
    (nothing changed since the last run)."""

    mode: str
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
    a full reconcile when there was none or the reliabilities changed."""
    table = default_reliability()
    digest = reliability_digest(table)
    last = last_run_state(store.engine)
    if last is None or last.reliability != digest or last.store_version is None:
        full = reconcile_store(store)
        return IncrementalSummary(
            "full", full.facts, full.figures, [], full.facts, full.figures,
            full.flagged_figures, full.not_placed,
        )  # fmt: skip
    state = store.facts_state()  # before reading: a change made meanwhile makes it stale
    if state.version == last.store_version:
        return IncrementalSummary("fresh", state.facts, count_figures(store.engine))
    categories = sorted(changed_categories(store.engine, last.last_fact_update))
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
    return summary


__all__ = ["IncrementalSummary", "reconcile_changed"]
