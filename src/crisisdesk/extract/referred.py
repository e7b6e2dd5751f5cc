"""The period a phrase refers back to: "during the reporting period" (the period the report
covers), "in the same period" (the one stated just before)."""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache

from crisisdesk.extract.compiled import compile_rx
from crisisdesk.extract.draft import DocState
from crisisdesk.extract.frame import DateFrame
from crisisdesk.extract.periods import Period
from crisisdesk.extract.report_period import report_period_words
from crisisdesk.extract.text import PhraseScanner
from crisisdesk.vocab import vocab_list


def referred(state: DocState, ref: Period, frame: DateFrame, last: Period | None) -> Period | None:
    """The period "during this period" refers to: the one the title names, else the first
    one the text states; "the reporting period" is the period the report covers, never a
    running "since X" (unknown when the text states no closed period); "in the same period"
    is the closed period stated just before (``last``)."""
    if ref.date_start is not None:  # "over the six months": counted back, unless stated before
        return _same_span_before(state, ref) or ref
    if report_period_words().search(state.low, ref.start, ref.end) is not None:
        return frame.title or _heading_period(state, ref) or frame.covered
    if _day_before_words().search(state.low, ref.start, ref.end) is not None:
        if last is None or last.length != "day" or not last.date_start or last.start > ref.start:
            anchor = _day_later_in_sentence(state, ref)
        else:
            anchor = last.date_start
        if anchor is None:
            return Period(ref.start, ref.end, None, None, "day")  # one day, not known which
        day = anchor - timedelta(days=1)
        return Period(ref.start, ref.end, day, day, "day")
    if (
        _previous_period_words().search(state.low, ref.start, ref.end) is not None
        and last is not None
        and last.date_start
        and last.start < ref.start
    ):
        # "From 8 to 16 May, ... In the same period, ...": those days; "Since 3 June, ...
        # Over the same period, ...": since then
        return last
    return frame.title or frame.first


def _day_later_in_sentence(state: DocState, ref: Period) -> date | None:
    """With no day stated before it, "a day earlier" counts back from the day its own
    sentence names after it, a reporting day too ("killed nine people a day earlier, the
    ministry said on Thursday": Wednesday)."""
    i = next((s.index for s in state.sents if s.start <= ref.start < s.end), None)
    if i is None:
        return None
    days = (
        p.date_start or p.date_end
        for p in state.periods(i)
        if p.start >= ref.end and p.length == "day"
    )
    return next((d for d in days if d is not None), None)


def _same_span_before(state: DocState, ref: Period) -> Period | None:
    """The closed period stated last before ``ref`` whose length is about ``ref``'s ("From
    February to July ... Over the six months, 1,028 were killed": February to July)."""
    days = _days(ref)
    best = None
    for i in range(len(state.sents)):
        if state.sents[i].start >= ref.start:
            break
        for p in state.periods(i):
            if p.length != "multi" or p.cumulative or p.report or p.aside or p.reference:
                continue
            if p.date_start and p.date_end and 0.8 <= _days(p) / days <= 1.25:
                best = p
    return best


def _days(p: Period) -> int:
    return (p.date_end - p.date_start).days + 1  # type: ignore[operator]


_HEADING_RANGE = compile_rx(r"\(\s*[^()]{3,40}\)\s*:?\s*$")


def _heading_period(state: DocState, ref: Period) -> Period | None:
    """ "Humanitarian Developments (13-19 August)" over the paragraph that says "during the
    reporting period": the section's heading names the period its figures cover."""
    i = next((s.index for s in state.sents if s.start <= ref.start < s.end), None)
    if i is None:
        return None
    for j in range(i - 1, max(-1, i - 8), -1):
        s = state.sents[j]
        line = state.text[s.start : s.end].rstrip()
        if "\n" in state.text[s.end : state.sents[j + 1].start] and _HEADING_RANGE.search(line):
            closed = [
                p
                for p in state.periods(j)
                if p.date_start and p.length == "multi" and not p.cumulative
            ]
            if closed:
                return closed[-1]
    return None


@cache
def _day_before_words() -> PhraseScanner:
    return PhraseScanner(vocab_list("periods", "day_before_words"))


@cache
def _previous_period_words() -> PhraseScanner:
    return PhraseScanner(vocab_list("periods", "previous_period_words"))
