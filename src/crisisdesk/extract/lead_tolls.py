"""A lead toll told again later with its parts.

News copy opens on a toll ("At least 13 civilians were killed in the shelling") and
restates it further down with its breakdown ("Thirteen people, including 3 children,
were killed"). The conventions make a figure whose parts the document gives a total;
the lead is the same figure, so it is a total as its restatement is. Runs after
``totals.mark_totals``.
"""

from __future__ import annotations

from crisisdesk.extract.draft import TOLD_ON_ITS_DAY, Draft
from crisisdesk.extract.periods import Period


def mark_lead_tolls(drafts: list[Draft]) -> None:
    """Make a total of each single figure restated later, with parts, as a total (the same
    count of the same category, in a later sentence, standing on its own)."""
    with_parts = [
        d for d in drafts if d.has_parts and d.is_total and d.ante is None and d.m.value is not None
    ]
    for d in drafts:
        if d.is_total or d.dropped or d.ante is not None or d.m.value is None:
            continue
        if any(
            later.m.value == d.m.value
            and later.category == d.category
            and later.sentence.index > d.sentence.index
            for later in with_parts
        ):
            d.is_total = True
            d.notes.append("total: restated later with its parts")


_RESTATED_REACH = 2  # sentences: a wire's lead toll is told again just below it


def date_lead_tolls(drafts: list[Draft]) -> None:
    """A lead toll dated only by the day it was reported (a wire's dateline, "..., groups
    said") takes the day its restatement just below names ("Thirteen people ... were
    killed ... this Friday morning"): the same count of the same thing, told with its day.
    A toll told on the day it was said ("The toll rose to 19, medics said Sunday") whose
    events the next sentence dates earlier ("Eleven had been reported killed by three
    shells on Saturday") is that day's, and so are its parts."""
    for d in drafts:
        p = d.period
        if d.dropped or p is None or not p.report or p.date_end is None or d.m.value is None:
            continue
        earlier = _told_earlier(d, drafts) if TOLD_ON_ITS_DAY in d.notes else None
        if earlier is not None:
            for x in drafts:
                if x.ante is d and x.period is p:
                    x.period = earlier
            d.period = earlier
            d.notes.append("dated by the events told after it")
            continue
        for later in drafts:
            q = later.period
            if (
                later.m.value == d.m.value
                and later.category == d.category
                and 0 < later.sentence.index - d.sentence.index <= _RESTATED_REACH
                and q is not None
                and not q.report
                and q.length == "day"
                and q.date_end is not None
                and q.date_end <= p.date_end
            ):
                d.period = q
                d.notes.append("dated by its restatement")
                break


def _told_earlier(d: Draft, drafts: list[Draft]) -> Period | None:
    """The earlier day the next sentences give a smaller or equal count of the same harm
    (the events of a toll told on the day it was said)."""
    p = d.period
    assert p is not None and p.date_end is not None
    for later in drafts:
        q = later.period
        gap = later.sentence.index - d.sentence.index
        if (
            0 < gap <= _RESTATED_REACH
            and not later.dropped
            and later.category == d.category
            and later.m.value is not None
            and later.m.value <= d.m.value  # type: ignore[operator]
            and q is not None
            and not q.report
            and q.length == "day"
            and q.date_end is not None
            and q.date_end < p.date_end
        ):
            return q
    return None
