"""Inline SVG charts, drawn by hand: no JavaScript, no fonts or files to fetch.

The same markup goes into the HTML page and, through WeasyPrint, the PDF.
Every text that ends up inside the SVG is escaped here, because the
template inserts the finished SVG as markup.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date, timedelta
from html import escape

from crisisdesk.report.views import Mark, Series
from crisisdesk.report.words import fmt_int

# OCHA-like palette: UN blue first, then a warm contrast for the second series.
PALETTE = ("#0072BC", "#E56A54", "#56A0D3", "#F2B84B", "#7B8D9E")
INK = "#333333"
GRID = "#DDDDDD"
FONT = "font-family:Helvetica,Arial,sans-serif"


def nice_ceiling(value: float) -> float:
    """The next "round" number at or above ``value`` (1, 2, 2.5, 5 times a power of ten)."""
    if value <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * power:
            return step * power
    return 10 * power


def _svg_open(width: int, height: int, title: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-label="{escape(title)}" '
        f'class="chart" style="{FONT}"><title>{escape(title)}</title>'
    )


def integer_step(peak: float, steps: int = 4) -> int:
    """A whole-number tick step (1, 2, 5 times a power of ten) giving about ``steps`` ticks."""
    if peak <= steps:
        return 1
    power = 10 ** math.floor(math.log10(peak / steps))
    return int(next(m * power for m in (1, 2, 5, 10) if m * power * steps >= peak))


class _Axis:
    """Days along x (one slot per calendar day of the window), whole numbers up y."""

    def __init__(self, series: Series, width: int, height: int) -> None:
        self.left, self.right, self.top, self.bottom = 60, 12, 34, 40
        self.width, self.height = width, height
        self.start, self.end = series.window or (series.marks[0].start, series.marks[-1].end)
        self.days = (self.end - self.start).days + 1
        self.plot_w = width - self.left - self.right
        self.plot_h = height - self.top - self.bottom
        peak = max(m.value for m in series.marks)
        self.step = integer_step(peak)
        self.ceiling = self.step * max(1, math.ceil(peak / self.step))

    @property
    def day_w(self) -> float:
        return self.plot_w / self.days

    def x(self, day: date) -> float:
        offset = min(max((day - self.start).days, 0), self.days)
        return self.left + offset * self.day_w

    def y(self, value: float) -> float:
        return self.top + self.plot_h - self.plot_h * value / self.ceiling

    @property
    def base(self) -> float:
        return self.top + self.plot_h


def _y_axis(ax: _Axis) -> list[str]:
    parts = []
    for value in range(0, ax.ceiling + 1, ax.step):
        y = ax.y(value)
        parts.append(
            f'<line x1="{ax.left}" x2="{ax.width - ax.right}" y1="{y:.1f}" y2="{y:.1f}" '
            f'stroke="{GRID}" stroke-width="1"/>'
            f'<text x="{ax.left - 6}" y="{y + 4:.1f}" font-size="10" text-anchor="end" '
            f'fill="{INK}">{fmt_int(value)}</text>'
        )
    return parts


def _x_axis(ax: _Axis) -> list[str]:
    every = max(1, math.ceil(ax.days / 7))
    parts = [
        f'<line x1="{ax.left}" x2="{ax.width - ax.right}" y1="{ax.base}" y2="{ax.base}" '
        f'stroke="{INK}" stroke-width="1"/>'
    ]
    years = ax.start.year != ax.end.year
    for i in range(0, ax.days, every):
        day = ax.start + timedelta(days=i)
        cx = ax.x(day) + ax.day_w / 2
        label = day.strftime("%-d %b %y" if years else "%-d %b")
        parts.append(
            f'<line x1="{cx:.1f}" x2="{cx:.1f}" y1="{ax.base}" y2="{ax.base + 4}" stroke="{INK}"/>'
            f'<text x="{cx:.1f}" y="{ax.base + 16}" font-size="10" text-anchor="middle" '
            f'fill="{INK}">{escape(label)}</text>'
        )
    return parts


def _tip(m: Mark) -> str:
    when = (
        m.start.strftime("%-d %b %Y")
        if m.start == m.end
        else (f"{m.start:%-d %b %Y} – {m.end:%-d %b %Y}")
    )
    kind = {"day": "on one day", "period": "over the period", "tally": "running tally up to"}
    outside = " (period reaches outside this report)" if m.clipped else ""
    return f"{m.series}: {m.text} {kind[m.kind]} {when}{outside}"


def _mark_attrs(m: Mark) -> str:
    return (
        f'class="mark mark-{m.kind}" data-series="{escape(m.series)}" data-value="{m.value}" '
        f'data-start="{m.start.isoformat()}" data-end="{m.end.isoformat()}"'
    )


def _period_bar(ax: _Axis, m: Mark, colour: str) -> str:
    x0, x1 = ax.x(m.start), ax.x(m.end + timedelta(days=1))
    y = ax.y(m.value)
    dash = ' stroke-dasharray="4 3"' if m.clipped else ""
    more = " ▸" if m.end > ax.end else ""
    less = "◂ " if m.start < ax.start else ""
    return (
        f"<g {_mark_attrs(m)}><title>{escape(_tip(m))}</title>"
        f'<rect x="{x0:.1f}" y="{y:.1f}" width="{max(x1 - x0, 1):.1f}" '
        f'height="{ax.base - y:.1f}" fill="{colour}" fill-opacity="0.16"/>'
        f'<line x1="{x0:.1f}" x2="{x1:.1f}" y1="{y:.1f}" y2="{y:.1f}" stroke="{colour}" '
        f'stroke-width="2.5"{dash}/>'
        f'<text x="{x0 + 3:.1f}" y="{y - 4:.1f}" font-size="10" '
        f'fill="{colour}">{escape(less + m.text + more)}</text></g>'
    )


def _day_columns(ax: _Axis, marks: Sequence[Mark], series: Series) -> list[str]:
    by_day: dict[date, list[Mark]] = {}
    for m in marks:
        by_day.setdefault(m.start, []).append(m)
    parts = []
    for day, same in by_day.items():
        width = ax.day_w * 0.8 / len(same)
        for i, m in enumerate(same):
            colour = PALETTE[series.names.index(m.series) % len(PALETTE)]
            x = ax.x(day) + ax.day_w * 0.1 + i * width
            y = ax.y(m.value)
            parts.append(
                f"<g {_mark_attrs(m)}><title>{escape(_tip(m))}</title>"
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{max(width - 1, 2):.1f}" '
                f'height="{max(ax.base - y, 1):.1f}" fill="{colour}"/>'
                f'<text x="{x + width / 2:.1f}" y="{y - 3 - 10 * i:.1f}" font-size="9" '
                f'text-anchor="middle" fill="{colour}">{escape(m.text)}</text></g>'
            )
    return parts


def _tally_line(ax: _Axis, marks: Sequence[Mark], colour: str) -> list[str]:
    ordered = sorted(marks, key=lambda m: m.end)
    points = []
    for i, m in enumerate(ordered):
        x = ax.x(m.end + timedelta(days=1))
        if i:
            points.append(f"L{x:.1f},{ax.y(ordered[i - 1].value):.1f}")
        points.append(f"{'M' if not i else 'L'}{x:.1f},{ax.y(m.value):.1f}")
    parts = [f'<path d="{" ".join(points)}" fill="none" stroke="{colour}" stroke-width="2"/>']
    for m in ordered:
        x, y = ax.x(m.end + timedelta(days=1)), ax.y(m.value)
        parts.append(
            f"<g {_mark_attrs(m)}><title>{escape(_tip(m))}</title>"
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{colour}"/>'
            f'<text x="{x - 4:.1f}" y="{y - 5:.1f}" font-size="9" text-anchor="end" '
            f'fill="{colour}">{escape(m.text)}</text></g>'
        )
    return parts


def _legend(series: Series, width: int) -> list[str]:
    parts, x = [], 60
    drawn = {m.series for m in series.marks}
    for j, name in enumerate(series.names):
        if name not in drawn:
            continue
        colour = PALETTE[j % len(PALETTE)]
        parts.append(
            f'<rect x="{x}" y="8" width="10" height="10" fill="{colour}"/>'
            f'<text x="{x + 14}" y="17" font-size="11" fill="{INK}">{escape(name)}</text>'
        )
        x += 24 + 7 * len(name)
    parts.append(
        f'<text x="{width - 12}" y="17" font-size="10" text-anchor="end" fill="#666666">'
        "column: one day · shaded bar: one figure for its whole period · line: running tally"
        "</text>"
    )
    return parts


def timeline_chart(series: Series, *, width: int = 680, height: int = 250) -> str:
    """Each reported figure where and as it was reported: day counts as columns at their
    day, period figures as one bar across the period, running tallies as a step line."""
    if series.is_empty:
        return ""
    ax = _Axis(series, width, height)
    parts = [_svg_open(width, height, series.title), *_y_axis(ax), *_x_axis(ax)]
    for j, name in enumerate(series.names):
        colour = PALETTE[j % len(PALETTE)]
        mine = [m for m in series.marks if m.series == name]
        parts.extend(_period_bar(ax, m, colour) for m in mine if m.kind == "period")
        tally = [m for m in mine if m.kind == "tally"]
        if tally:
            parts.extend(_tally_line(ax, tally, colour))
    parts.extend(_day_columns(ax, [m for m in series.marks if m.kind == "day"], series))
    parts.extend(_legend(series, width))
    parts.append("</svg>")
    return "".join(parts)


def column_chart(series: Series, *, width: int = 680, height: int = 250) -> str:
    """The time chart under its older name (the web dashboard draws it): the same
    ``timeline_chart``, so no page ever spreads a figure over days."""
    return timeline_chart(series, width=width, height=height)


def bar_chart(
    items: Sequence[tuple[str, int]], *, title: str, width: int = 680, color: str = PALETTE[0]
) -> str:
    """Horizontal bars with the value at the end of each, largest first."""
    if not items:
        return ""
    items = sorted(items, key=lambda kv: -kv[1])
    row_h, left, right, top = 26, 160, 70, 8
    height = top * 2 + row_h * len(items)
    peak = max(v for _, v in items) or 1
    plot_w = width - left - right
    parts = [_svg_open(width, height, title)]
    for i, (label, value) in enumerate(items):
        y = top + i * row_h
        w = max(plot_w * value / peak, 1)
        parts.append(
            f'<text x="{left - 8}" y="{y + 17}" font-size="12" text-anchor="end" '
            f'fill="{INK}">{escape(label)}</text>'
            f'<rect x="{left}" y="{y + 4}" width="{w:.1f}" height="{row_h - 8}" fill="{color}">'
            f"<title>{escape(label)}: {fmt_int(value)}</title></rect>"
            f'<text x="{left + w + 6:.1f}" y="{y + 17}" font-size="12" font-weight="bold" '
            f'fill="{INK}">{fmt_int(value)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
