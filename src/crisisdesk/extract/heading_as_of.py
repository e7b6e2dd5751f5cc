"""An "as of" day a heading line states for the key figures listed under it.

Periodic reports head their list of key figures with the day the counts run to, once:
"KEY FIGURES (AS OF 27 MAY 2018)", then lines that each open with a figure ("1,335,433
displacements recorded in the last 12 months", "Around 11,000 ..."). Those figures run
to that day, not to the publication date: their running or counted-back periods end there.
The heading reaches the paragraphs right under it that open with a figure, up to the
first one that does not (the report's prose, another heading). Read once per document.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from crisisdesk.extract.compiled import compile_rx
from crisisdesk.extract.date_strings import count_word
from crisisdesk.extract.draft import DocState, Draft
from crisisdesk.extract.period_vocab import months_before
from crisisdesk.extract.periods import Period

_HEADING_WORDS = 14  # a heading line is short
_LEAD = 16  # characters before a line's first figure: "Between ", "More than ", "An estimated "
# a span counted back in months ("in the last 12 months"): counted from the heading's day
_MONTHS_BACK = compile_rx(r"\b(?:last|past|previous)\s+(\S+)\s+months?$")


def heading_days(state: DocState, figures: dict[int, list[Draft]]) -> dict[int, date]:
    """Sentence index -> the as-of day of the heading line its key-figure list is under."""
    sents = state.sents
    out: dict[int, date] = {}
    day: date | None = None
    for j, s in enumerate(sents):
        if j == 0 or sents[j - 1].paragraph != s.paragraph:  # a paragraph opens
            day = _keep(state, j, figures, day) if j in figures else _heading_day(state, j)
        if day is not None and j in figures:
            out[j] = day
    return out


def _keep(
    state: DocState, j: int, figures: dict[int, list[Draft]], day: date | None
) -> date | None:
    """The heading's day, if paragraph ``j`` opens with a figure (a line of its key list)."""
    if day is None:
        return None
    lead = min(d.m.start for d in figures[j]) - state.sents[j].start
    return day if lead <= _LEAD else None


def _heading_day(state: DocState, j: int) -> date | None:
    """The as-of day of a heading line: a line of its own, short, with no figure and not
    ended like a sentence, that states one day counts run to."""
    sents = state.sents
    s = sents[j]
    if j + 1 < len(sents) and sents[j + 1].paragraph == s.paragraph:
        return None
    text = state.text[s.start : s.end].rstrip()
    if not text or text[-1] in ".!?;”\"'" or len(text.split()) > _HEADING_WORDS:
        return None
    days = {p.date_end for p in state.periods(j) if p.as_of and p.length == "day" and p.date_end}
    return days.pop() if len(days) == 1 else None


def run_to_day(state: DocState, p: Period | None, day: date) -> Period | None:
    """A key figure's period under a heading's as-of day: one running past the day ends
    there; months counted back are counted back from it."""
    if p is None or p.date_end is None:
        return p
    back = _MONTHS_BACK.search(state.low, p.start, p.end) if p.end > p.start else None
    count = count_word(back.group(1)) if back and back.end() == p.end else None
    if count is not None:
        return replace(p, date_start=months_before(day, count), date_end=day)
    if p.date_end <= day or (p.date_start is not None and p.date_start > day):
        return p  # over by that day, or a later event of its own
    return replace(p, date_end=day)


__all__ = ["heading_days", "run_to_day"]
