"""Periods that run up to a day rather than cover it: a tally brought up to date by the
day's count ("On Monday, 11 died, bringing the toll to 300"), a count "so far" on the day
someone said it; and what makes a period brief (a day or a window of hours), which such
days are."""

from __future__ import annotations

from functools import cache

from crisisdesk.extract.draft import DocState, Draft
from crisisdesk.extract.periods import Period
from crisisdesk.extract.text import PhraseScanner, lower_same_length
from crisisdesk.vocab import vocab_list

SHORT_WINDOW = 3  # days: a window this short does not date the running tallies after it


def brief(p: Period) -> bool:
    """A day or a window of hours: it dates the figures of its paragraph only."""
    return p.length == "day" or short(p)


def short(p: Period) -> bool:
    """A window of hours or a few days ("during the past 48 hours"): the news of one report,
    not the period of a tally stated after it."""
    if p.date_start is None or p.date_end is None:
        return False
    return (p.date_end - p.date_start).days <= SHORT_WINDOW


@cache
def _running_words() -> PhraseScanner:
    return PhraseScanner(vocab_list("periods", "running_words"))


@cache
def _report_words() -> PhraseScanner:
    return PhraseScanner([*vocab_list("periods", "report_verbs"), "statement"])


def _said_on(low: str, start: int, end: int) -> bool:
    """The day is when something was said ("On Friday, the mission said that ..."), not the
    day counted so far ("leaving 5 casualties until now" today)."""
    return _report_words().search(low, start, end) is not None


@cache
def _running_frames() -> PhraseScanner:
    return PhraseScanner(vocab_list("periods", "running_frames"))


def up_to(
    state: DocState, d: Draft, figures: dict[int, list[Draft]], period: Period | None
) -> Period | None:
    """A tally brought up to date ("On Monday, 11 died, bringing the toll to 300") runs up to
    the day (or the hours) of the count that brought it there; they are not its period. Only
    when an earlier figure of this or the previous sentence stands for them. A count "so
    far" on a day someone said it runs up to that day too."""
    if period is not None and period.cumulative and period.date_start is not None:
        return _beyond_increment(state, d, figures, period)
    if (
        period is not None
        and not period.cumulative
        and period.end <= d.clause[0]
        and _running_words().search(state.low, d.clause[0], d.clause[1])
    ):
        # "In March, WFP reached 2.2 million ... with 2.5 million reached to date": a count
        # to date takes no period stated before its clause; it runs up to publication
        return Period(d.m.start, d.m.start, None, state.dates.published, "multi", cumulative=True)
    if period is None or period.cumulative or not brief(period):
        return period
    if (
        period.start < d.m.start
        and _running_words().search(state.low, d.clause[0], d.clause[1])
        and _said_on(state.low, d.sentence.start, d.qual_start)
    ):
        return Period(period.start, period.end, None, period.date_end, "multi", cumulative=True)
    low = lower_same_length(state.text[d.clause[0] : d.qual_start])
    if _running_frames().search(low) is None:
        return period
    if d.link == "including" and period.start >= d.m.end:
        return period  # "bringing the toll to 59, including one on Tuesday": the part's own day
    i = d.sentence.index
    earlier = figures.get(i - 1, []) + figures.get(i, [])
    if not any(x.m.end <= d.m.start for x in earlier if x is not d):
        return period
    return Period(period.start, period.end, None, period.date_end, "multi", cumulative=True)


def _beyond_increment(
    state: DocState, d: Draft, figures: dict[int, list[Draft]], period: Period
) -> Period:
    """ "Since March, clashes have displaced 186,000 people, bringing the total displaced in
    Rutshuru to 396,000": "since March" is the increment's, stated before it; the total
    brought up runs from no stated start to the same end."""
    low = lower_same_length(state.text[d.clause[0] : d.qual_start])
    frame = _running_frames().search(low)
    if frame is None:
        return period
    at = d.clause[0] + frame.start()  # the increment comes before "bringing ..."
    same = figures.get(d.sentence.index, [])
    # the "since" stands before the increment or right after it ("70,000 have been displaced
    # since February, bringing the total ... to 1 million")
    if not any(
        x.m.end <= at and (period.end <= x.m.start or x.m.end <= period.start < period.end <= at)
        for x in same
        if x is not d
    ):
        return period
    return Period(period.start, period.end, None, period.date_end, "multi", cumulative=True)
