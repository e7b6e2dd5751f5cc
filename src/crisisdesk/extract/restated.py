"""A toll said again: "The death toll rose to 22,438 since 7 October, the ministry said. ...
It brings the total deaths to 22,438". The second mention is the same count, so it covers
the same period, which only the first states; read alone it would be a running count with
no start.
"""

from __future__ import annotations

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


__all__ = ["restated_period"]
