"""An offline map as inline SVG: the key figures at the areas they are counted for.

Country outlines and first-level areas (governorates, provinces) come from the bundled
Natural Earth files (``geo.boundaries``). A figure counted for a governorate, or for a
region the gazetteer defines by its governorates ("north-west Syria"), is drawn as those
governorates, filled and named; an area with no bundled polygon (a district) as its
gazetteer extent, dashed; a town as a dot. Each place gets one label listing the figures
reported for it, placed where it overlaps no other label, dot or name; a label with no room
is listed under the map instead. Governorate names are written only where they fit.

The projection is equirectangular with longitudes shrunk by the cosine of the middle
latitude: close to true shape at the scale of a governorate, no projection library.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from html import escape

from crisisdesk.geo.boundaries import Area, Ring, admin1_area, admin1_areas, country_outlines
from crisisdesk.report.charts import FONT, INK, PALETTE
from crisisdesk.report.views import MapPoint

KM_PER_DEGREE = 111.32
Box = tuple[float, float, float, float]
AREA_COLOUR = PALETTE[1]
TOWN_COLOUR = PALETTE[0]
LINE_H = 12  # label line height, px
CHAR_W = 5.6  # average width of a 10px Helvetica character, px
GRID_STEP = 6  # px between the spots a crowded label is tried at


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
        self.scale = min((width - 2 * pad) / span_x, (height - 2 * pad) / span_y) * 0.8
        self.cx = (min(lons) + max(lons)) / 2
        self.cy = self.mid_lat

    def xy(self, lon: float, lat: float) -> tuple[float, float]:
        x = self.width / 2 + (lon - self.cx) * self.kx * self.scale
        y = self.height / 2 - (lat - self.cy) * self.scale
        return x, y

    def visible(self, ring: Sequence[tuple[float, float]]) -> bool:
        xs, ys = zip(*(self.xy(lon, lat) for lon, lat in ring), strict=True)
        return max(xs) >= 0 and min(xs) <= self.width and max(ys) >= 0 and min(ys) <= self.height

    def inside(self, box: Box, margin: float = 2) -> bool:
        return (
            box[0] >= margin
            and box[1] >= margin
            and box[2] <= self.width - margin
            and box[3] <= self.height - 22  # the scale bar's strip
        )

    def path(self, rings: Iterable[Ring]) -> str:
        """One SVG path for rings (even-odd fill keeps holes holes)."""
        parts = []
        for ring in rings:
            pts = [self.xy(lon, lat) for lon, lat in ring]
            parts.append(
                " ".join(f"{'M' if i == 0 else 'L'}{x:.1f},{y:.1f}" for i, (x, y) in enumerate(pts))
                + " Z"
            )
        return " ".join(parts)


def _visible_rings(frame: _Frame, rings: Iterable[Ring]) -> list[Ring]:
    return [r for r in rings if len(r) > 2 and frame.visible(r)]


def _countries(frame: _Frame, *, outline: bool) -> list[str]:
    """Country fills (drawn first) or their borders (drawn over the governorate lines)."""
    parts = []
    for country in country_outlines():
        rings = _visible_rings(frame, country.rings)
        if not rings:
            continue
        if outline:
            parts.append(
                f'<path d="{frame.path(rings)}" fill="none" stroke="#7D8A97" '
                f'stroke-width="1.1" stroke-linejoin="round"/>'
            )
        else:
            fill = "#F4F4F0" if country.theatre else "#FBFBF9"
            parts.append(
                f'<path d="{frame.path(rings)}" fill="{fill}" fill-rule="evenodd" stroke="none">'
                f"<title>{escape(country.name)}</title></path>"
            )
    return parts


def _visible_areas(frame: _Frame) -> list[tuple[Area, list[Ring]]]:
    return [(a, rings) for a in admin1_areas() if (rings := _visible_rings(frame, a.rings))]


def _area_lines(frame: _Frame, areas: Sequence[tuple[Area, list[Ring]]]) -> list[str]:
    """Every visible first-level boundary, thin and light."""
    return [
        f'<path class="adm1" d="{frame.path(rings)}" fill="none" stroke="#B4BEC8" '
        f'stroke-width="0.6" stroke-linejoin="round"><title>{escape(area.name)}</title></path>'
        for area, rings in areas
    ]


def _highlights(frame: _Frame, codes: Sequence[str]) -> list[str]:
    """The governorates figures are counted for, filled once each however many figures."""
    parts = []
    for code in codes:
        area = admin1_area(code)
        if area is None:
            continue
        parts.append(
            f'<path class="counted-area" data-code="{escape(code)}" d="{frame.path(area.rings)}" '
            f'fill="{AREA_COLOUR}" fill-opacity="0.14" fill-rule="evenodd" '
            f'stroke="{AREA_COLOUR}" stroke-width="1.4" stroke-linejoin="round">'
            f"<title>{escape(area.name)}</title></path>"
        )
    return parts


def _extents(frame: _Frame, p: MapPoint) -> list[str]:
    """Areas with no bundled polygon (districts): their gazetteer extent, dashed."""
    parts = []
    for west, south, east, north in p.areas:
        x0, y0 = frame.xy(west, north)
        x1, y1 = frame.xy(east, south)
        parts.append(
            f'<rect class="extent" x="{x0:.1f}" y="{y0:.1f}" width="{x1 - x0:.1f}" '
            f'height="{y1 - y0:.1f}" fill="{AREA_COLOUR}" fill-opacity="0.08" '
            f'stroke="{AREA_COLOUR}" stroke-width="1.2" stroke-dasharray="5 3">'
            f"<title>{escape(p.name)} (extent)</title></rect>"
        )
    return parts


def _overlaps(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _free(box: Box, frame: _Frame, taken: Sequence[Box]) -> bool:
    return frame.inside(box) and not any(_overlaps(box, t) for t in taken)


def _text_box(x: float, y: float, text: str, size: float, spacing: float = 0) -> Box:
    """The box of a centred one-line text whose middle is (x, y)."""
    w = len(text) * (size * 0.6 + spacing) + 2
    return (x - w / 2, y - size * 0.6, x + w / 2, y + size * 0.5)


def _area_names(
    frame: _Frame,
    areas: Sequence[tuple[Area, list[Ring]]],
    taken: list[Box],
    counted: frozenset[str],
) -> list[str]:
    """First-level area names at their label points where they fit: counted areas first
    (darker, bold), then the others."""
    parts = []
    ordered = sorted(areas, key=lambda a: (a[0].code not in counted, a[0].name))
    for area, _ in ordered:
        if not area.label or not area.name:
            continue
        is_counted = area.code in counted
        size = 10.0 if is_counted else 8.5
        x, y = frame.xy(*area.label)
        for dy in (0, -11, 11):
            box = _text_box(x, y + dy, area.name, size)
            if _free(box, frame, taken):
                taken.append(box)
                style = (
                    f'font-weight="bold" fill="{AREA_COLOUR}"'
                    if is_counted
                    else 'fill="#8795A3" font-style="italic"'
                )
                parts.append(
                    f'<text class="adm1-name" x="{x:.1f}" y="{y + dy + size * 0.35:.1f}" '
                    f'font-size="{size:g}" text-anchor="middle" {style}>{escape(area.name)}</text>'
                )
                break
    return parts


def _country_names(frame: _Frame, taken: list[Box]) -> list[str]:
    """Each visible country's name near the middle of its largest ring, where free."""
    parts = []
    for outline in country_outlines():
        rings = _visible_rings(frame, outline.rings)
        if not rings:
            continue
        ring = max(rings, key=len)
        lon = sum(p[0] for p in ring) / len(ring)
        lat = sum(p[1] for p in ring) / len(ring)
        x, y = frame.xy(lon, lat)
        box = _text_box(x, y, outline.name, 10, spacing=1.5)  # capitals, letter-spaced
        if _free(box, frame, taken):
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


def _place_label(
    frame: _Frame, x: float, y: float, w: float, h: float, taken: Sequence[Box]
) -> Box | None:
    """The first spot around (x, y), nearest first, where the label fits the map and
    overlaps nothing already placed: the eight directions at growing distances, then, on
    a crowded map, the free spot of a fine grid nearest to (x, y) (a longer leader line
    beats a label listed under the map)."""
    for dist in (8, 20, 36, 56, 80, 110, 150, 200):
        for dx, dy in ((1, -1), (1, 1), (-1, -1), (-1, 1), (0, -1), (0, 1), (1, 0), (-1, 0)):
            left = x + dx * dist - (w if dx < 0 else w / 2 if dx == 0 else 0)
            top = y + dy * dist - (h if dy < 0 else h / 2 if dy == 0 else 0)
            box = (left, top, left + w, top + h)
            if _free(box, frame, taken):
                return box
    best: tuple[float, Box] | None = None
    for top in range(2, frame.height, GRID_STEP):
        for left in range(2, frame.width, GRID_STEP):
            box = (float(left), float(top), left + w, top + h)
            if not _free(box, frame, taken):
                continue
            gap = math.hypot(min(max(x, box[0]), box[2]) - x, min(max(y, box[1]), box[3]) - y)
            if best is None or gap < best[0]:
                best = (gap, box)
    return best[1] if best else None


def _label(p: MapPoint, anchor: tuple[float, float], box: Box) -> str:
    x0, y0, x1, y1 = box
    ax, ay = anchor
    lines = [f'<tspan font-weight="bold" x="{x0 + 4:.1f}" dy="0">{escape(p.name)}</tspan>']
    for card, value, line in zip(p.cards, p.values, p.lines, strict=True):
        lines.append(
            f'<tspan class="map-figure" data-card="{escape(card)}" data-value="{value}" '
            f'x="{x0 + 4:.1f}" dy="{LINE_H}">{escape(line)}</tspan>'
        )
    cx = min(max(ax, x0), x1)
    cy = min(max(ay, y0), y1)
    return (
        f'<g class="map-label"><line x1="{ax:.1f}" y1="{ay:.1f}" x2="{cx:.1f}" y2="{cy:.1f}" '
        f'stroke="#555" stroke-width="0.7"/><rect x="{x0:.1f}" y="{y0:.1f}" '
        f'width="{x1 - x0:.1f}" height="{y1 - y0:.1f}" fill="#FFFFFF" fill-opacity="0.94" '
        f'stroke="#BBBBBB" stroke-width="0.6"/><text x="{x0 + 4:.1f}" y="{y0 + 12:.1f}" '
        f'font-size="10" fill="{INK}">{"".join(lines)}</text></g>'
    )


def _labels(
    frame: _Frame,
    points: Sequence[MapPoint],
    anchors: Sequence[tuple[float, float]],
    taken: Sequence[Box],
) -> tuple[list[str], list[MapPoint], list[Box]]:
    """Each point's label placed in turn where it overlaps nothing placed before; the
    labels, the points with no room, and every box taken."""
    boxes = list(taken)
    labels, unplaced = [], []
    for p, anchor in zip(points, anchors, strict=True):
        w = 8 + CHAR_W * max(len(p.name), *(len(line) for line in p.lines))
        h = 6 + LINE_H * (1 + len(p.lines))
        box = _place_label(frame, *anchor, w, h, boxes)
        if box is None:
            unplaced.append(p)
            continue
        boxes.append(box)
        labels.append(_label(p, anchor, box))
    return labels, unplaced, boxes


def _anchor(frame: _Frame, p: MapPoint) -> tuple[float, float]:
    return frame.xy(p.lon, p.lat)


def _dot(x: float, y: float, name: str) -> str:
    return (
        f'<circle cx="{x:.1f}" cy="{y:.1f}" r="5" fill="{TOWN_COLOUR}" stroke="#FFFFFF" '
        f'stroke-width="1.2"><title>{escape(name)}</title></circle>'
    )


def point_map(
    points: Sequence[MapPoint],
    *,
    width: int = 680,
    height: int = 400,
    href: Callable[[MapPoint], str | None] | None = None,
) -> str:
    """The key figures at their areas, with country and first-level boundaries, the
    counted governorates named, and labels that overlap nothing; ``href`` makes each
    point a link (the review desk: to the facts behind it)."""
    if not points:
        return ""
    frame = _Frame(points, width, height, pad=40)
    areas = _visible_areas(frame)
    counted = tuple(dict.fromkeys(c for p in points for c in p.codes))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" class="map" style="{FONT}" '
        f'aria-label="Map of the key figures"><title>Map of the key figures</title>'
        f'<rect width="{width}" height="{height}" fill="#DCEAF4"/>',
        *_countries(frame, outline=False),
        *_area_lines(frame, areas),
        *_highlights(frame, counted),
        *_countries(frame, outline=True),
    ]
    ordered = sorted(points, key=lambda p: (not p.codes and not p.areas, -p.figures))
    anchors = [_anchor(frame, p) for p in ordered]
    for p, (x, y) in zip(ordered, anchors, strict=True):
        symbol = "".join(_extents(frame, p))
        if not p.codes and not p.areas:
            symbol += _dot(x, y, p.name)
        url = href(p) if href else None
        parts.append(f'<a href="{escape(url)}">{symbol}</a>' if url and symbol else symbol)
    taken: list[Box] = [(x - 6, y - 6, x + 6, y + 6) for x, y in anchors]
    mine = [a for a in areas if a[0].code in counted]
    names = _area_names(frame, mine, taken, frozenset(counted))  # before labels: they matter
    base = list(taken)
    labels, unplaced, taken = _labels(frame, ordered, anchors, taken)
    if unplaced:  # the labels that found no room go first, if that places more
        first = [i for i, p in enumerate(ordered) if p in unplaced]
        order = first + [i for i in range(len(ordered)) if i not in first]
        again = _labels(frame, [ordered[i] for i in order], [anchors[i] for i in order], base)
        if len(again[1]) < len(unplaced):
            labels, unplaced, taken = again
    others = [a for a in areas if a[0].code not in counted]
    parts.extend(names)
    parts.extend(labels)
    parts.extend(_area_names(frame, others, taken, frozenset()))
    parts.extend(_country_names(frame, taken))
    parts.append(_scale_bar(frame))
    if unplaced:
        listed = ", ".join(p.name for p in unplaced)
        parts.append(
            f'<text x="{width - 8}" y="{height - 8}" font-size="9" text-anchor="end" '
            f'fill="{INK}">No room to label: {escape(listed)} (see the table)</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
