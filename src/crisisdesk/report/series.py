"""Series over time for the charts: each figure spread evenly over the days it covers,
by day, week or month (by the period a figure covers, not by publication date)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date, timedelta

from crisisdesk.model import Category, Figure, Unit
from crisisdesk.report.views import Filters, Headline, Series, SeriesBin

_DAILY_LIMIT_DAYS = 45  # longer windows are charted by week...
_WEEKLY_LIMIT_DAYS = 366  # ...and windows longer than a year by month


def matches(f: Figure, category: Category, unit: Unit | None) -> bool:
    return f.category == category and (unit is None or f.unit == unit)


def leaf_figures(figures: Sequence[Figure]) -> list[Figure]:
    """Figures that can be added: not a total of other figures present.

    Reconciled totals know their parts; for unreconciled facts a stated total
    is left out whenever figures that are not totals exist for its category.
    """
    with_parts = [f for f in figures if not f.parts]
    by_category: dict[tuple[Category, Unit], list[Figure]] = defaultdict(list)
    for f in with_parts:
        by_category[(f.category, f.unit)].append(f)
    kept: list[Figure] = []
    for group in by_category.values():
        parts = [f for f in group if not f.is_total]
        kept.extend(parts or group)
    return kept


def charted(
    specs: Sequence[tuple[str, Category, Unit | None]],
    headlines: Sequence[Headline],
    leaves: Sequence[Figure],
) -> list[Figure]:
    """What a chart adds up: the figures its key figure counted, so the chart and the
    headline agree (a monthly total is spread over its days, not replaced by the few
    daily counts inside it); without reconciled headlines, the figures that are no total."""
    counted = {(h.category, h.unit): h.used for h in headlines if h.used}
    chosen: list[Figure] = []
    for _name, category, unit in specs:
        used = counted.get((category, unit))
        chosen.extend(used if used else [f for f in leaves if matches(f, category, unit)])
    return chosen


def _bin_start(day: date, step: str) -> date:
    if step == "month":
        return day.replace(day=1)
    return day - timedelta(days=day.weekday()) if step == "week" else day


def _next_bin(start: date, step: str) -> date:
    if step == "month":
        return (start.replace(day=28) + timedelta(days=4)).replace(day=1)
    return start + timedelta(days=7 if step == "week" else 1)


def _step_for(days: int) -> str:
    if days < _DAILY_LIMIT_DAYS:
        return "day"
    return "week" if days < _WEEKLY_LIMIT_DAYS else "month"


def series_over_time(
    title: str,
    specs: Sequence[tuple[str, Category, Unit | None]],
    figures: Sequence[Figure],
    filters: Filters,
) -> Series:
    """Amounts per day, week or month, each figure spread evenly over the days it covers.

    A figure that runs past the window's edge keeps only the share of its days
    inside the window.
    """
    dated: list[tuple[str, Figure, date, date, int]] = []
    undated = 0
    for name, category, unit in specs:
        for f in figures:
            if not matches(f, category, unit) or f.best is None:
                continue
            start = f.date_start or f.date_end
            end = f.date_end or f.date_start
            if start is None or end is None:
                undated += 1
                continue
            days = (end - start).days + 1
            start = max(start, filters.date_from) if filters.date_from else start
            end = min(end, filters.date_to) if filters.date_to else end
            if start <= end:
                dated.append((name, f, start, end, days))
    names = tuple(name for name, *_ in specs)
    if not dated:
        return Series(title, names, "day", (), _undated_note(undated))
    first = min(d[2] for d in dated)
    last = max(d[3] for d in dated)
    step = _step_for((last - first).days)
    amounts: dict[date, dict[str, float]] = {}
    day = _bin_start(first, step)
    while day <= last:
        amounts[day] = dict.fromkeys(names, 0.0)
        day = _next_bin(day, step)
    spread = False
    for name, f, start, end, days in dated:
        spread = spread or days > 1
        share = (f.best or 0) / days
        for i in range((end - start).days + 1):
            amounts[_bin_start(start + timedelta(days=i), step)][name] += share
    bins = tuple(
        SeriesBin(d, _next_bin(d, step) - timedelta(days=1), v) for d, v in sorted(amounts.items())
    )
    notes = []
    if spread:
        notes.append("A figure that covers several days is spread evenly over them.")
    if undated:
        notes.append(_undated_note(undated))
    return Series(title, names, step, bins, " ".join(notes))


def _undated_note(n: int) -> str:
    if not n:
        return ""
    if n == 1:
        return "1 figure with no stated period is not charted."
    return f"{n} figures with no stated period are not charted."
