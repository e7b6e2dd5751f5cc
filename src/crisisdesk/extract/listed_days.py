"""Incidents listed in one sentence, each with its own day ("... on 3 June (15 dead) and ...
on 19 June (9 dead)"): the sentence states no one day for the figures that follow it, only
the wider period the days lie in (the report's month)."""

from __future__ import annotations

from crisisdesk.extract.periods import Period


def inside(p: Period, outer: Period) -> bool:
    """``p`` is a narrower period within ``outer`` (both dated)."""
    if None in (p.date_start, p.date_end, outer.date_start, outer.date_end):
        return False
    return (
        outer.date_start <= p.date_start  # type: ignore[operator]
        and p.date_end <= outer.date_end  # type: ignore[operator]
        and (p.date_start, p.date_end) != (outer.date_start, outer.date_end)
    )


def another_listed_day(last: Period | None, own: Period | None, outer: Period | None) -> bool:
    """Whether ``own``, a figure's own day, differs from ``last``, the day another figure of
    the same sentence stated just before, both inside ``outer``, the wider period stated
    earlier (the caller checks that the two figures share their sentence)."""
    if last is None or own is None or outer is None:
        return False
    if last.date_start != last.date_end or own.date_start != own.date_end:
        return False
    return last.date_start != own.date_start and inside(own, outer)
