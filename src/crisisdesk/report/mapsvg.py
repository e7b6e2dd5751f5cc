"""An offline map as inline SVG: the places of a report as circles sized by their figures.

Nothing is fetched: positions come from the gazetteer coordinates stored
with each figure. Outlines are drawn only when the project ships boundary
data (GeoJSON files in ``crisisdesk/data/boundaries/``); otherwise a
graticule and a scale bar give the reader a sense of distance.

The projection is equirectangular with longitudes shrunk by the cosine of
the middle latitude: at the scale of a governorate that is close enough to
true shape, and needs no projection library.
"""

from __future__ import annotations

import json
import logging
import math
from collections.abc import Iterator, Sequence
from functools import cache
from html import escape
from importlib import resources

from crisisdesk.report.charts import FONT, INK, PALETTE
from crisisdesk.report.views import MapPoint
from crisisdesk.report.words import fmt_int

log = logging.getLogger(__name__)

KM_PER_DEGREE = 111.32
_LABELLED = 12  # at most this many place names are written on the map


@cache
def boundary_rings() -> tuple[tuple[tuple[float, float], ...], ...]:
    """Outline rings (lon, lat) from any GeoJSON the project ships; empty when none."""
    rings: list[tuple[tuple[float, float], ...]] = []
    try:
        folder = resources.files("crisisdesk.data").joinpath("boundaries")
        files = [f for f in folder.iterdir() if f.name.endswith(".geojson")]
    except (FileNotFoundError, ModuleNotFoundError, NotADirectoryError, TypeError):
        return ()
    for item in files:
        try:
            data = json.loads(item.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            log.warning("boundary file %s skipped: %s", item.name, exc)
            continue
        for geometry in _geometries(data):
            rings.extend(_rings(geometry))
    return tuple(rings)


def _geometries(data: dict) -> Iterator[dict]:
    if data.get("type") == "FeatureCollection":
        for feature in data.get("features") or ():
            if isinstance(feature, dict) and isinstance(feature.get("geometry"), dict):
                yield feature["geometry"]
    elif data.get("type") == "Feature" and isinstance(data.get("geometry"), dict):
        yield data["geometry"]
    elif "coordinates" in data:
        yield data


def _rings(geometry: dict) -> Iterator[tuple[tuple[float, float], ...]]:
    kind, coords = geometry.get("type"), geometry.get("coordinates") or []
    polygons = [coords] if kind == "Polygon" else coords if kind == "MultiPolygon" else []
    for polygon in polygons:
        for ring in polygon:
            yield tuple((float(x), float(y)) for x, y, *_ in ring)


class _Frame:
    """Maps (lon, lat) to SVG pixels for a view around the points."""

    def __init__(self, points: Sequence[MapPoint], width: int, height: int, pad: int) -> None:
        lats = [p.lat for p in points]
        lons = [p.lon for p in points]
        self.mid_lat = (min(lats) + max(lats)) / 2
        self.kx = math.cos(math.radians(self.mid_lat))
        span_x = max((max(lons) - min(lons)) * self.kx, 0.3)
        span_y = max(max(lats) - min(lats), 0.3)
        self.width, self.height, self.pad = width, height, pad
        self.scale = min((width - 2 * pad) / span_x, (height - 2 * pad) / span_y) * 0.9
        self.cx = (min(lons) + max(lons)) / 2
        self.cy = self.mid_lat

    def xy(self, lon: float, lat: float) -> tuple[float, float]:
        x = self.width / 2 + (lon - self.cx) * self.kx * self.scale
        y = self.height / 2 - (lat - self.cy) * self.scale
        return x, y

    def lon_lat(self, x: float, y: float) -> tuple[float, float]:
        lon = self.cx + (x - self.width / 2) / (self.kx * self.scale)
        lat = self.cy - (y - self.height / 2) / self.scale
        return lon, lat


def _graticule(frame: _Frame) -> list[str]:
    west, north = frame.lon_lat(0, 0)
    east, south = frame.lon_lat(frame.width, frame.height)
    span = max(east - west, north - south)
    step = next(s for s in (0.1, 0.2, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 30.0) if span / s <= 8)
    parts = []
    lon = math.ceil(west / step) * step
    while lon <= east:
        x, _ = frame.xy(lon, 0)
        parts.append(
            f'<line x1="{x:.1f}" y1="0" x2="{x:.1f}" y2="{frame.height}" stroke="#D5E3EE" '
            f'stroke-width="0.7"/><text x="{x + 2:.1f}" y="10" font-size="8" '
            f'fill="#7F9BB3">{lon:.2f}°E</text>'
        )
        lon += step
    lat = math.ceil(south / step) * step
    while lat <= north:
        _, y = frame.xy(0, lat)
        parts.append(
            f'<line x1="0" y1="{y:.1f}" x2="{frame.width}" y2="{y:.1f}" stroke="#D5E3EE" '
            f'stroke-width="0.7"/><text x="3" y="{y - 2:.1f}" font-size="8" '
            f'fill="#7F9BB3">{lat:.2f}°N</text>'
        )
        lat += step
    return parts


def _scale_bar(frame: _Frame) -> str:
    km_per_px = KM_PER_DEGREE / frame.scale
    target = km_per_px * frame.width / 5
    power = 10 ** math.floor(math.log10(target))
    km = next(s * power for s in (5, 2, 1) if s * power <= target)
    px = km / km_per_px
    x, y = frame.width - px - 14, frame.height - 14
    return (
        f'<rect x="{x}" y="{y}" width="{px:.1f}" height="4" fill="{INK}"/>'
        f'<text x="{x}" y="{y - 4}" font-size="9" fill="{INK}">{km:g} km</text>'
    )


def _outlines(frame: _Frame) -> list[str]:
    parts = []
    for ring in boundary_rings():
        path = " ".join(
            f"{'M' if i == 0 else 'L'}{x:.1f},{y:.1f}"
            for i, (x, y) in enumerate(frame.xy(lon, lat) for lon, lat in ring)
        )
        parts.append(f'<path d="{path} Z" fill="#F4F4F4" stroke="#9AA5B1" stroke-width="0.8"/>')
    return parts


def _label(
    p: MapPoint, x: float, y: float, r: float, width: int, taken: list[tuple[float, ...]]
) -> str:
    """The place's name beside its circle, on the side with room; nothing if it would
    overlap a name already written (the circle keeps its tooltip)."""
    if len(taken) >= _LABELLED:
        return ""
    amount = f" ({fmt_int(p.people)})" if p.people else ""
    text = f"{p.name}{amount}"
    w, h = 6.2 * len(text), 12.0
    right = x + r + 3 + w <= width - 4
    tx = x + r + 3 if right else x - r - 3
    box = (tx if right else tx - w, y - h / 2, tx + w if right else tx, y + h / 2)
    if any(box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3] for b in taken):
        return ""
    taken.append(box)
    anchor = "start" if right else "end"
    name = escape(text)
    return (  # a white halo first, then the name: readable over circles and lines
        f'<text x="{tx:.1f}" y="{y + 4:.1f}" font-size="11" text-anchor="{anchor}" '
        f'fill="#FFFFFF" stroke="#FFFFFF" stroke-width="3">{name}</text>'
        f'<text x="{tx:.1f}" y="{y + 4:.1f}" font-size="11" text-anchor="{anchor}" '
        f'fill="{INK}">{name}</text>'
    )


def point_map(points: Sequence[MapPoint], *, width: int = 680, height: int = 420) -> str:
    """The places of a report, circle area proportional to the people counted there."""
    if not points:
        return ""
    frame = _Frame(points, width, height, pad=40)
    peak = max(p.people for p in points) or 1
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" class="map" style="{FONT}" '
        f'aria-label="Map of the places in this report"><title>Map of the places in this '
        f'report</title><rect width="{width}" height="{height}" fill="#FAFCFE" '
        f'stroke="#C9D6E2"/>',
        *_outlines(frame),
        *_graticule(frame),
    ]
    ordered = sorted(points, key=lambda p: -p.people)
    taken: list[tuple[float, float, float, float]] = []  # label boxes already drawn
    labels: list[str] = []
    for p in ordered:
        x, y = frame.xy(p.lon, p.lat)
        r = 4 + 26 * math.sqrt(p.people / peak) if p.people else 4
        colour = PALETTE[1] if p.people else "#7B8D9E"
        parts.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" fill="{colour}" '
            f'fill-opacity="0.55" stroke="{colour}" stroke-width="1.2">'
            f"<title>{escape(p.label)}</title></circle>"
        )
        if len(labels) < _LABELLED * 2:
            labels.append(_label(p, x, y, r, width, taken))
    parts.extend(label for label in labels if label)
    parts.append(_scale_bar(frame))
    parts.append("</svg>")
    return "".join(parts)
