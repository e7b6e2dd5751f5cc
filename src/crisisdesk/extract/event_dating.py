"""Periods of the counts of a document about one event, after the document pass.

A story about one dated event gives its day to the counts that state none; a
toll told in the simple past on the day it was reported ("..., rescuers said
on Tuesday") counts that day's events. Both run after ``dating.date_figures``.
"""

from __future__ import annotations

import re
from functools import cache

from crisisdesk.extract.compiled import compile_rx
from crisisdesk.extract.dating import (
    PAST_PERFECT,
    TALLIED,
    dated_by_event,
    single_event,
    wordless,
)
from crisisdesk.extract.draft import TOLD_ON_ITS_DAY, DocState, Draft
from crisisdesk.extract.frame import build_frame
from crisisdesk.extract.period_sharing import LINKED
from crisisdesk.extract.periods import SAID_IN_ON, Period
from crisisdesk.vocab import phrase_pattern, vocab_list


def date_single_event(state: DocState, drafts: list[Draft]) -> None:
    """In a document about one dated event, its undated counts take its day (running
    counts excepted)."""
    event = single_event(state, drafts, build_frame(state))
    if event is None:
        return
    for d in drafts:
        linked = d.link in LINKED and d.ante is not None
        if linked and d.period is None and d.ante.period is not None:  # type: ignore[union-attr]
            # a part is dated with the figure it belongs to
            d.period = d.ante.period  # type: ignore[union-attr]
        elif _undated(d.period, event) and _of_the_event(state, d):
            d.period = event


_ANOTHER = compile_rx(  # "It noted another bout of violence in Tambura that displaced 13,000"
    r"\banother\s+(?:[a-z]+\s+){0,2}?(?:bout|attack|incident|clash|raid|strike|wave|episode)s?\b"
)


def _of_the_event(state: DocState, d: Draft) -> bool:
    return dated_by_event(state, d) and not told_of_another(state, d)


def told_of_another(state: DocState, d: Draft) -> bool:
    """The count is of another incident than the story's ("another attack in ...")."""
    return _ANOTHER.search(state.low, d.sentence.start, d.m.start) is not None


def date_reported_tolls(state: DocState, drafts: list[Draft]) -> None:
    """A toll told in the simple past whose only date is the day it was reported ("20 were
    killed when strikes hit the town, rescuers said on Tuesday") counts that day's events:
    it covers the day, not an open stretch ending there (a running count keeps its end)."""
    for d in drafts:
        p = d.period
        if p is None or not p.report or p.as_of or p.date_start or p.date_end is None:
            continue
        said = _saying_verb().search(state.low, max(0, p.start - 20), p.start)
        said = said or SAID_IN_ON.search(state.text, max(0, p.start - 40), p.start)
        clause = state.text[d.clause[0] : d.clause[1]]
        if said is None or p.length != "day" or PAST_PERFECT.search(clause):
            continue  # "displaced ..., it reported on 8 May" is a stock as of that day
        if d.category in TALLIED and dated_by_event(state, d):
            d.period = Period(p.start, p.end, p.date_end, p.date_end, "day", report=True)
            d.notes.append(TOLD_ON_ITS_DAY)


@cache
def _saying_verb() -> re.Pattern[str]:
    """A verb of saying right before the reporting day ("said on Tuesday")."""
    return compile_rx(rf"\b(?:{phrase_pattern(vocab_list('periods', 'saying_verbs'))})\s+$")


def _undated(p: Period | None, event: Period) -> bool:
    """No period of the events counted: none, a running count's publication end, or only the
    day the event's toll was reported ("..., reports stated on Wednesday"; a report before the
    event's day is about another event)."""
    if p is None or wordless(p):
        return True
    if event.report:  # a story dated by its lead toll's reporting day: no other report's day
        return False
    told = p.date_start in (None, p.date_end)  # a toll told on a day takes that day
    reported = p.report and told and not p.as_of and p.date_end is not None
    return reported and event.date_start is not None and p.date_end >= event.date_start  # type: ignore[operator]
