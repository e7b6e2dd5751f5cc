"""Series over time for the charts: each reported figure as one mark at the resolution
it was reported (a day, a period, a running tally), by the period it covers."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date

from crisisdesk.model import Category, Figure, Unit
from crisisdesk.report.views import Filters, Headline, Mark, Series
from crisisdesk.report.words import fact_value


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


def _tally_keys(figures: Sequence[Figure]) -> set[str]:
    """Figures that are steps of a running tally: totals of the same count, place and
    start reported up to different end dates ("since 1 December")."""
    runs: dict[tuple[object, ...], set[date]] = defaultdict(set)
    for f in figures:
        if f.is_total and f.date_start and f.date_end and f.date_start != f.date_end:
            runs[_run_key(f)].add(f.date_end)
    return {f.id for f in figures if len(runs.get(_run_key(f), ())) > 1}


def _run_key(f: Figure) -> tuple[object, ...]:
    return (f.category, f.unit, tuple(sorted(p.lower() for p in f.places)), f.date_start)


def _mark(name: str, f: Figure, tally: bool, window: tuple[date, date] | None) -> Mark | None:
    start = f.date_start or f.date_end
    end = f.date_end or f.date_start
    if start is None or end is None or f.best is None:
        return None
    clipped = bool(window and (start < window[0] or end > window[1]))
    kind = "tally" if tally else ("day" if start == end else "period")
    fact = next((x for x in f.facts if x.value == f.best), f.facts[0] if f.facts else None)
    text = fact_value(fact) if fact else str(f.best)
    return Mark(name, kind, start, end, int(f.best), text, clipped)


def series_over_time(
    title: str,
    specs: Sequence[tuple[str, Category, Unit | None]],
    figures: Sequence[Figure],
    filters: Filters,
) -> Series:
    """Every dated figure as reported: a day's count at its day, a figure over a period
    as one bar over that period, a running tally as steps at its reported values.
    Nothing is spread over days, added up or interpolated."""
    tallies = _tally_keys(figures)
    window = (filters.date_from, filters.date_to) if filters.date_from and filters.date_to else None
    marks: list[Mark] = []
    undated = 0
    for name, category, unit in specs:
        for f in figures:
            if not matches(f, category, unit) or f.best is None:
                continue
            mark = _mark(name, f, f.id in tallies, window)
            if mark is None:
                undated += 1
            else:
                marks.append(mark)
    names = tuple(name for name, *_ in specs)
    if marks and window is None:
        window = (min(m.start for m in marks), max(m.end for m in marks))
    marks.sort(key=lambda m: (m.start, m.end, m.series))
    return Series(title, names, "day", (), _undated_note(undated), tuple(marks), window)


def _undated_note(n: int) -> str:
    if not n:
        return ""
    if n == 1:
        return "1 figure with no stated period is not charted."
    return f"{n} figures with no stated period are not charted."
