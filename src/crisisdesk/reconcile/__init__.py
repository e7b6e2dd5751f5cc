"""Reconcile: facts from many documents become figures that can be counted once.

Modules, by purpose: ``items`` (facts in the form comparisons need),
``grouping`` (which facts are the same count), ``estimate`` (low/best/high
and the rule that chose best), ``draft`` and ``nesting`` (totals and their
parts), ``checks`` (plausibility flags), ``figures`` (the pure pass),
``store_io``/``queries``/``run`` (the store), ``totals`` (the ``total`` query).
"""

from crisisdesk.reconcile.figures import figure_json, reconcile_facts
from crisisdesk.reconcile.run import ReconcileSummary, load_figures, reconcile_store
from crisisdesk.reconcile.totals import TotalResult, total

__all__ = [
    "ReconcileSummary",
    "TotalResult",
    "figure_json",
    "load_figures",
    "reconcile_facts",
    "reconcile_store",
    "total",
]
