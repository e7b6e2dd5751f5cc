"""Inline SVG charts, drawn by hand: no JavaScript, no fonts or files to fetch.

The same markup goes into the HTML page and, through WeasyPrint, the PDF.
Every text that ends up inside the SVG is escaped here, because the
template inserts the finished SVG as markup.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from html import escape

from crisisdesk.report.views import Series
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


def _short_date(series: Series, index: int) -> str:
    """Bin labels: "3 Feb", with the year when the chart spans years, "Feb 2020" by month."""
    start = series.bins[index].start
    if series.step == "month":
        return start.strftime("%b %Y")
    if series.bins[0].start.year != series.bins[-1].end.year:
        return start.strftime("%-d %b %y")
    return start.strftime("%-d %b")


def column_chart(series: Series, *, width: int = 680, height: int = 230) -> str:
    """Grouped columns per day or week, one colour per series, with a y axis and legend."""
    if series.is_empty:
        return ""
    left, right, top, bottom = 56, 10, 28, 38
    plot_w, plot_h = width - left - right, height - top - bottom
    peak = max(v for b in series.bins for v in b.values.values())
    tick = nice_ceiling(peak / 4)  # four round steps up the y axis
    ceiling = tick * 4
    n = len(series.bins)
    slot = plot_w / n
    group = slot * 0.8
    bar = group / len(series.names)
    parts = [_svg_open(width, height, series.title)]
    for i in range(5):  # grid lines and y labels
        value = ceiling * i / 4
        y = top + plot_h - plot_h * i / 4
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" '
            f'stroke="{GRID}" stroke-width="1"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" font-size="10" text-anchor="end" '
            f'fill="{INK}">{fmt_int(value)}</text>'
        )
    label_every = max(1, math.ceil(n / 10))
    for i, b in enumerate(series.bins):
        x0 = left + i * slot + (slot - group) / 2
        for j, name in enumerate(series.names):
            value = b.values.get(name, 0.0)
            if value <= 0:
                continue
            h = plot_h * value / ceiling
            x = x0 + j * bar
            tip = f"{name}, {series.step} of {b.start:%-d %b %Y}: {fmt_int(value)}"
            parts.append(
                f'<rect x="{x:.1f}" y="{top + plot_h - h:.1f}" width="{max(bar - 1, 1):.1f}" '
                f'height="{h:.1f}" fill="{PALETTE[j % len(PALETTE)]}">'
                f"<title>{escape(tip)}</title></rect>"
            )
        if i % label_every == 0:
            cx = left + i * slot + slot / 2
            parts.append(
                f'<text x="{cx:.1f}" y="{top + plot_h + 14}" font-size="10" '
                f'text-anchor="middle" fill="{INK}">{escape(_short_date(series, i))}</text>'
            )
    parts.append(
        f'<line x1="{left}" x2="{width - right}" y1="{top + plot_h}" y2="{top + plot_h}" '
        f'stroke="{INK}" stroke-width="1"/>'
    )
    step_word = {"day": "Daily", "week": "Weekly", "month": "Monthly"}.get(series.step, "")
    parts.append(
        f'<text x="{left}" y="{height - 6}" font-size="10" fill="#666666">'
        f"{step_word}, by the period each figure covers</text>"
    )
    x = left
    for j, name in enumerate(series.names):  # legend
        parts.append(
            f'<rect x="{x}" y="8" width="10" height="10" fill="{PALETTE[j % len(PALETTE)]}"/>'
            f'<text x="{x + 14}" y="17" font-size="11" fill="{INK}">{escape(name)}</text>'
        )
        x += 24 + 7 * len(name)
    parts.append("</svg>")
    return "".join(parts)


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
