"""A toll said again: "The death toll rose to 22,438 since 7 October, the ministry said. ...
It brings the total deaths to 22,438". The second mention is the same count, so it covers
the same period, which only the first states; read alone it would be a running count with
no start. The other way round, a story's opening rounds a toll ("has exceeded 9,200") that
the next sentences give exactly with its start ("killed since October 7 has risen to
9,227"): the opening's count runs from that start too.
"""

from __future__ import annotations

from dataclasses import replace

from crisisdesk.extract.draft import Draft
from crisisdesk.extract.periods import Period


def restated_period(d: Draft, earlier: list[Draft]) -> Period | None:
    """The period of the latest earlier figure with the same value, category and unit, when
    ``d`` is a running count whose own words give no start and that figure's period has one."""
    p = d.period
    if p is None or p.date_start is not None or d.m.value is None or d.m.value < 10:
        return None
    for e in reversed(earlier):
        q = e.period
        if (
            e.m.value == d.m.value
            and e.category == d.category
            and e.unit == d.unit
            and q is not None
            and q.date_start is not None
        ):
            return q
    return None


def repeated_toll_period(d: Draft, earlier: list[Draft]) -> Period | None:
    """ "Assailants killed at least 18 people on Wednesday night ... The ADF has killed 1,000
    since 2019 ... 'We have a provisional death toll of 18 people'": a figure whose period was
    only carried from the sentences before it, said again with the value, category and unit
    of an earlier figure, is that figure's count, over its period."""
    p = d.period
    if p is None or "own" in d.notes or d.m.value is None or d.m.value < 10:
        return None
    for e in reversed(earlier):
        if (e.m.value, e.category, e.unit) == (d.m.value, d.category, d.unit):
            q = e.period
            return q if q is not None and q.date_end is not None and q != p else None
    return None


__all__ = ["repeated_toll_period", "restated_period"]


_LATER_REACH = 2  # sentences after a rounded toll in which its exact count is looked for
_ROUNDING = 0.02  # how far above a rounded toll ("more than 9,200") its exact count may be


def start_restated_later(figures: list[Draft]) -> None:
    """Give a running count with no start the start of the same toll stated exactly just
    after it (same category and unit, a count at or a little above it, the same end)."""
    for k, d in enumerate(figures):
        p = d.period
        v = d.m.value
        if p is None or p.date_start is not None or p.date_end is None or v is None or v < 10:
            continue
        for e in figures[k + 1 :]:
            if e.sentence.index - d.sentence.index > _LATER_REACH:
                break
            q = e.period
            w = e.m.value
            if (
                e.category == d.category
                and e.unit == d.unit
                and w is not None
                and v <= w <= v * (1 + _ROUNDING)
                and q is not None
                and q.date_start is not None
                and q.date_end == p.date_end
            ):
                d.period = replace(p, date_start=q.date_start, length="multi", cumulative=True)
                break
