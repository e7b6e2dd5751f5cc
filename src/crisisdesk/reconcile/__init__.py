"""Reconcile: facts from many documents become figures that can be counted once.

Modules, by purpose: ``items`` (facts in the form comparisons need),
``grouping`` (which facts are the same count), ``estimate`` (low/best/high
and the rule that chose best), ``draft`` and ``nesting`` (totals and their
parts), ``checks`` (plausibility flags), ``figures`` (the pure pass),
``run`` (a whole store), ``stored`` (figures read back, freshness), ``totals``
(the ``total`` query). No SQL here: the store reads and writes records
(``store.records``) and everything in this package is computed from them.
"""

from crisisdesk.reconcile.figures import figure_json, reconcile_facts
from crisisdesk.reconcile.run import ReconcileSummary, load_figures, reconcile_store
from crisisdesk.reconcile.totals import Exclusion, TotalResult, Why, check_place, total

__all__ = [
    "Exclusion",
    "ReconcileSummary",
    "TotalResult",
    "Why",
    "check_place",
    "figure_json",
    "load_figures",
    "reconcile_facts",
    "reconcile_store",
    "total",
]
