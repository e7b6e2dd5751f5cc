"""An offline map as inline SVG: the key figures at the areas they are counted for.

Country outlines come from the bundled Natural Earth file (``geo.boundaries``); an area
such as a governorate is drawn as its gazetteer extent (dashed), a town as a dot. Each
area gets one label listing the figures reported for it, placed where it overlaps no
other label; a label with no room is numbered and listed under the map instead.

The projection is equirectangular with longitudes shrunk by the cosine of the middle
latitude: close to true shape at the scale of a governorate, no projection library.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from html import escape

from crisisdesk.geo.boundaries import country_outlines
from crisisdesk.report.charts import FONT, INK, PALETTE
from crisisdesk.report.views import MapPoint

KM_PER_DEGREE = 111.32
Box = tuple[float, float, float, float]


class _Frame:
    """Maps (lon, lat) to SVG pixels for a view around the points and their areas."""

    def __init__(self, points: Sequence[MapPoint], width: int, height: int, pad: int) -> None:
        lons = [c for p in points for c in ((p.bbox[0], p.bbox[2]) if p.bbox else (p.lon,))]
        lats = [c for p in points for c in ((p.bbox[1], p.bbox[3]) if p.bbox else (p.lat,))]
        self.mid_lat = (min(lats) + max(lats)) / 2
        self.kx = math.cos(math.radians(self.mid_lat))
        span_x = max((max(lons) - min(lons)) * self.kx, 1.0)
        span_y = max(max(lats) - min(lats), 1.0)
        self.width, self.height = width, height
        self.scale = min((width - 2 * pad) / span_x, (height - 2 * pad) / span_y) * 0.7
        self.cx = (min(lons) + max(lons)) / 2
        self.cy = self.mid_lat

    def xy(self, lon: float, lat: float) -> tuple[float, float]:
        x = self.width / 2 + (lon - self.cx) * self.kx * self.scale
        y = self.height / 2 - (lat - self.cy) * self.scale
        return x, y

    def visible(self, ring: Sequence[tuple[float, float]]) -> bool:
        xs, ys = zip(*(self.xy(lon, lat) for lon, lat in ring), strict=True)
        return max(xs) >= 0 and min(xs) <= self.width and max(ys) >= 0 and min(ys) <= self.height


def _countries(frame: _Frame) -> list[str]:
    parts = []
    for outline in country_outlines():
        for ring in outline.rings:
            if len(ring) < 3 or not frame.visible(ring):
                continue
            path = " ".join(
                f"{'M' if i == 0 else 'L'}{x:.1f},{y:.1f}"
                for i, (x, y) in enumerate(frame.xy(lon, lat) for lon, lat in ring)
            )
            fill = "#F2F2EE" if outline.theatre else "#FAFAF8"
            parts.append(
                f'<path d="{path} Z" fill="{fill}" stroke="#8A96A3" stroke-width="0.9">'
                f"<title>{escape(outline.name)}</title></path>"
            )
    return parts


def _country_names(frame: _Frame, taken: list[Box]) -> list[str]:
    """Each visible country's name near the middle of its largest ring, where free."""
    parts = []
    for outline in country_outlines():
        rings = [r for r in outline.rings if len(r) > 2 and frame.visible(r)]
        if not rings:
            continue
        ring = max(rings, key=len)
        x, y = frame.xy(sum(p[0] for p in ring) / len(ring), sum(p[1] for p in ring) / len(ring))
        w, h = 6.5 * len(outline.name), 11.0
        box = (x - w / 2, y - h / 2, x + w / 2, y + h / 2)
        fits = box[0] > 0 and box[1] > 0 and box[2] < frame.width and box[3] < frame.height
        if fits and not any(_overlaps(box, t) for t in taken):
            taken.append(box)
            parts.append(
                f'<text x="{x:.1f}" y="{y + 4:.1f}" font-size="10" text-anchor="middle" '
                f'fill="#7A8694" letter-spacing="1">{escape(outline.name.upper())}</text>'
            )
    return parts


def _scale_bar(frame: _Frame) -> str:
    km_per_px = KM_PER_DEGREE / frame.scale
    target = km_per_px * frame.width / 5
    power = 10 ** math.floor(math.log10(target))
    km = next(s * power for s in (5, 2, 1) if s * power <= target)
    px = km / km_per_px
    x, y = 14, frame.height - 14
    return (
        f'<rect x="{x}" y="{y}" width="{px:.1f}" height="4" fill="{INK}"/>'
        f'<text x="{x}" y="{y - 4}" font-size="9" fill="{INK}">{km:g} km</text>'
    )


def _overlaps(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _place_label(
    x: float, y: float, w: float, h: float, size: tuple[int, int], taken: list[Box]
) -> Box | None:
    """The first spot around (x, y), nearest first, where the label fits the map and
    overlaps no label already placed."""
    for dist in (8, 24, 48, 80):
        for dx, dy in ((1, -1), (1, 1), (-1, -1), (-1, 1), (0, -1), (0, 1), (1, 0), (-1, 0)):
            left = x + dx * dist - (w if dx < 0 else w / 2 if dx == 0 else 0)
            top = y + dy * dist - (h if dy < 0 else h / 2 if dy == 0 else 0)
            box = (left, top, left + w, top + h)
            inside = box[0] >= 2 and box[1] >= 2 and box[2] <= size[0] - 2
            if inside and box[3] <= size[1] - 22 and not any(_overlaps(box, t) for t in taken):
                return box
    return None


def _label(p: MapPoint, anchor: tuple[float, float], box: Box) -> str:
    x0, y0, x1, _ = box
    ax, ay = anchor
    lines = [f'<tspan font-weight="bold" x="{x0 + 4:.1f}" dy="0">{escape(p.name)}</tspan>']
    for card, value, line in zip(p.cards, p.values, p.lines, strict=True):
        lines.append(
            f'<tspan class="map-figure" data-card="{escape(card)}" data-value="{value}" '
            f'x="{x0 + 4:.1f}" dy="12">{escape(line)}</tspan>'
        )
    cx = min(max(ax, x0), x1)
    cy = y0 if ay < y0 else box[3]
    return (
        f'<line x1="{ax:.1f}" y1="{ay:.1f}" x2="{cx:.1f}" y2="{cy:.1f}" stroke="#555" '
        f'stroke-width="0.7"/><rect x="{x0:.1f}" y="{y0:.1f}" width="{x1 - x0:.1f}" '
        f'height="{box[3] - y0:.1f}" fill="#FFFFFF" fill-opacity="0.92" stroke="#BBBBBB" '
        f'stroke-width="0.6"/><text x="{x0 + 4:.1f}" y="{y0 + 12:.1f}" font-size="10" '
        f'fill="{INK}">{"".join(lines)}</text>'
    )


def _symbol(frame: _Frame, p: MapPoint, colour: str) -> tuple[str, tuple[float, float]]:
    if p.bbox:
        rects = []
        for west, south, east, north in p.areas or (p.bbox,):
            x0, y0 = frame.xy(west, north)
            x1, y1 = frame.xy(east, south)
            rects.append(
                f'<rect x="{x0:.1f}" y="{y0:.1f}" width="{x1 - x0:.1f}" '
                f'height="{y1 - y0:.1f}" fill="{colour}" fill-opacity="0.08" '
                f'stroke="{colour}" stroke-width="1.2" stroke-dasharray="5 3">'
                f"<title>{escape(p.name)} (extent)</title></rect>"
            )
        return "".join(rects), frame.xy(p.lon, p.lat)
    x, y = frame.xy(p.lon, p.lat)
    return (
        f'<circle cx="{x:.1f}" cy="{y:.1f}" r="5" fill="{colour}" stroke="#FFFFFF" '
        f'stroke-width="1.2"><title>{escape(p.name)}</title></circle>',
        (x, y),
    )


def point_map(
    points: Sequence[MapPoint],
    *,
    width: int = 680,
    height: int = 460,
    href: Callable[[MapPoint], str | None] | None = None,
) -> str:
    """The key figures at their areas, with country outlines and non-overlapping labels;
    ``href`` makes each point a link (the review desk: to the facts behind it)."""
    if not points:
        return ""
    frame = _Frame(points, width, height, pad=60)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" class="map" style="{FONT}" '
        f'aria-label="Map of the key figures"><title>Map of the key figures</title>'
        f'<rect width="{width}" height="{height}" fill="#DCEAF4"/>',
        *_countries(frame),
    ]
    ordered = sorted(points, key=lambda p: (p.bbox is None, -p.figures))
    anchors = []
    for p in ordered:
        symbol, anchor = _symbol(frame, p, PALETTE[1] if p.bbox else PALETTE[0])
        url = href(p) if href else None
        parts.append(f'<a href="{escape(url)}">{symbol}</a>' if url else symbol)
        anchors.append(anchor)
    taken: list[Box] = [(a[0] - 6, a[1] - 6, a[0] + 6, a[1] + 6) for a in anchors if a]
    labels, unplaced = [], []
    for p, anchor in zip(ordered, anchors, strict=True):
        w = 8 + 5.6 * max(len(p.name), *(len(line) for line in p.lines))
        h = 6 + 12 * (1 + len(p.lines))
        box = _place_label(*anchor, w, h, (width, height), taken)
        if box is None:
            unplaced.append(p)
            continue
        taken.append(box)
        labels.append(_label(p, anchor, box))
    parts.extend(labels)
    parts.extend(_country_names(frame, taken))
    parts.append(_scale_bar(frame))
    if unplaced:
        names = ", ".join(p.name for p in unplaced)
        parts.append(
            f'<text x="{width - 8}" y="{height - 8}" font-size="9" text-anchor="end" '
            f'fill="{INK}">No room to label: {escape(names)} (see the table)</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
