"""Spans a running tally counts over when its own clause states none: the background
"since" its relative clause hangs on ("have been fighting since April 2023, which has
killed thousands"), and a stretch with no dates ("have fled in recent weeks", which runs
to publication like any running count with no start)."""

from __future__ import annotations

import re

from crisisdesk.extract.compiled import compile_rx
from crisisdesk.extract.draft import DocState, Draft
from crisisdesk.extract.periods import Period
from crisisdesk.extract.totals import is_present_perfect
from crisisdesk.vocab import vocab_list

# "... have been fighting since April 2023, which has killed thousands": the relative clause
# counts what the fighting of that span did
_WHICH_BETWEEN = compile_rx(r"^[^.;:]{0,40}?,\s*(?:which|that)\s+(?:has|have|had)\b", re.I)


def background_span(state: DocState, d: Draft) -> Period | None:
    """The background "since" of the clause a tally's relative clause hangs on."""
    for p in state.periods(d.sentence.index):
        between = state.text[p.end : d.qual_start] if p.end <= d.qual_start else ""
        if p.aside and p.cumulative and _WHICH_BETWEEN.match(between):
            return p
    return None


def vague_tally(state: DocState, p: Period, clause: str) -> bool:
    """A present-perfect count over a stretch with no dates ("have fled in recent weeks"):
    like any running count with no start, it runs to publication."""
    if p.date_start or p.date_end or p.report or p.reference or not state.dates.published:
        return False
    vague = set(vocab_list("periods", "vague_counts"))
    return bool(vague & set(state.low[p.start : p.end].split())) and is_present_perfect(clause)


__all__ = ["background_span", "vague_tally"]
