"""Build src/crisisdesk/data/boundaries/admin0.geojson from Natural Earth country outlines.

Input: Natural Earth 1:50m Admin 0 countries (version 4.1.0, public domain) as
redistributed in TopoJSON by the npm package ``world-atlas`` 2.0.2 (ISC):
``npm pack world-atlas@2.0.2`` and pass the extracted ``countries-50m.json``.

Kept: the countries whose outline comes within ``MARGIN_DEG`` degrees of a
theatre country (``build.yaml``'s dense countries), so a map of any theatre
shows its neighbours; each ring simplified with Douglas-Peucker
(``TOLERANCE_DEG``) and rounded to ``DECIMALS`` places. Output is
deterministic. Run: ``python scripts/build_boundaries.py countries-50m.json``.
"""

from __future__ import annotations

import argparse
import json
import math
from pathlib import Path
from typing import Any

OUT = Path(__file__).resolve().parents[1] / "src" / "crisisdesk" / "data" / "boundaries"
TOLERANCE_DEG = 0.02
DECIMALS = 2
MARGIN_DEG = 3.0
# build.yaml's dense countries, by the names Natural Earth 50m gives them in world-atlas
THEATRES = {
    "SY": "Syria",
    "IQ": "Iraq",
    "LB": "Lebanon",
    "JO": "Jordan",
    "PS": "Palestine",
    "YE": "Yemen",
    "SD": "Sudan",
    "SS": "S. Sudan",
    "ET": "Ethiopia",
    "SO": "Somalia",
    "LY": "Libya",
    "ML": "Mali",
    "AF": "Afghanistan",
    "MM": "Myanmar",
    "UA": "Ukraine",
}

Ring = list[tuple[float, float]]


def decode_arcs(topo: dict[str, Any]) -> list[Ring]:
    """TopoJSON's delta-encoded, quantized arcs back to (lon, lat)."""
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        ring = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            ring.append((x * sx + tx, y * sy + ty))
        arcs.append(ring)
    return arcs


def ring_of(indexes: list[int], arcs: list[Ring]) -> Ring:
    """A ring from its arc indexes (a negative index is the arc reversed, ~i)."""
    points: Ring = []
    for i in indexes:
        arc = arcs[i] if i >= 0 else arcs[~i][::-1]
        points.extend(arc if not points else arc[1:])
    return points


def simplify(points: Ring, tolerance: float) -> Ring:
    """Douglas-Peucker, iterative; keeps the first and last point."""
    if len(points) < 4:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        a, b = stack.pop()
        (ax, ay), (bx, by) = points[a], points[b]
        norm = math.hypot(bx - ax, by - ay)
        best, index = 0.0, -1
        for i in range(a + 1, b):
            px, py = points[i]
            if norm:
                d = abs((bx - ax) * (ay - py) - (ax - px) * (by - ay)) / norm
            else:
                d = math.hypot(px - ax, py - ay)
            if d > best:
                best, index = d, i
        if best > tolerance and index > 0:
            keep[index] = True
            stack.extend(((a, index), (index, b)))
    return [p for p, k in zip(points, keep, strict=True) if k]


def polygons(geometry: dict[str, Any], arcs: list[Ring]) -> list[list[Ring]]:
    if geometry.get("type") == "Polygon":
        return [[ring_of(r, arcs) for r in geometry["arcs"]]]
    if geometry.get("type") == "MultiPolygon":
        return [[ring_of(r, arcs) for r in poly] for poly in geometry["arcs"]]
    return []


def bbox(polys: list[list[Ring]]) -> tuple[float, float, float, float]:
    xs = [x for poly in polys for ring in poly for x, _ in ring]
    ys = [y for poly in polys for ring in poly for _, y in ring]
    return min(xs), min(ys), max(xs), max(ys)


def near(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    m = MARGIN_DEG
    return a[0] - m <= b[2] and b[0] - m <= a[2] and a[1] - m <= b[3] and b[1] - m <= a[3]


def build(topo: dict[str, Any]) -> dict[str, Any]:
    arcs = decode_arcs(topo)
    countries = []
    for g in topo["objects"]["countries"]["geometries"]:
        polys = polygons(g, arcs)
        if polys:
            countries.append((g.get("properties", {}).get("name", ""), g.get("id"), polys))
    theatre_boxes = [bbox(p) for name, _, p in countries if name in THEATRES.values()]
    features = []
    for name, code, polys in sorted(countries, key=lambda c: c[0]):
        coords = []
        for poly in polys:  # per polygon: France's or Russia's far-off parts stay out
            if not any(near(bbox([poly]), box) for box in theatre_boxes):
                continue
            rings = [simplify(r, TOLERANCE_DEG) for r in poly]
            rings = [[[round(x, DECIMALS), round(y, DECIMALS)] for x, y in r] for r in rings]
            rings = [r for r in rings if len(r) >= 4]
            if rings:
                coords.append(rings)
        if coords:
            theatre = next((k for k, v in THEATRES.items() if v == name), None)
            features.append(
                {
                    "type": "Feature",
                    "properties": {"name": name, "iso_n3": code, "theatre": theatre},
                    "geometry": {"type": "MultiPolygon", "coordinates": coords},
                }
            )
    return {
        "type": "FeatureCollection",
        "source": "Natural Earth 1:50m Admin 0 countries v4.1.0 via world-atlas 2.0.2",
        "features": features,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("topojson", type=Path, help="world-atlas countries-50m.json")
    parser.add_argument("-o", "--out", type=Path, default=OUT / "admin0.geojson")
    args = parser.parse_args()
    data = build(json.loads(args.topojson.read_text(encoding="utf-8")))
    args.out.write_text(json.dumps(data, separators=(",", ":")) + "\n", encoding="utf-8")
    print(
        f"{len(data['features'])} countries, {args.out.stat().st_size / 1024:.0f} KB -> {args.out}"
    )


if __name__ == "__main__":
    main()
