"""Offline boundaries for maps: country outlines and first-level areas (governorates,
provinces) from the bundled Natural Earth files, and which of those areas a place is.

``data/boundaries/admin0.geojson`` (Natural Earth 1:50m Admin 0, v4.1.0) and
``admin1.geojson`` (Natural Earth 1:10m Admin 1) are built by
``scripts/build_boundaries.py``; both are public domain, see the NOTICE beside them. An
admin-1 area carries the gazetteer's admin1 code where one matches, so a figure counted for
"Idlib" or for "north-west Syria" (a region the gazetteer defines by its governorates) is
drawn as those governorates. A second-level area (district) has no polygon in Natural Earth
and keeps its gazetteer extent (the box around the places inside it).
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from crisisdesk.errors import NotFoundError

log = logging.getLogger(__name__)

Ring = tuple[tuple[float, float], ...]
Box = tuple[float, float, float, float]
AREA_KINDS = frozenset({"adm1", "adm2", "region", "country"})


@dataclass(frozen=True, slots=True)
class Outline:
    """One country: its name, theatre code (ISO alpha-2) when it is one, and its rings."""

    name: str
    theatre: str | None
    rings: tuple[Ring, ...]


@dataclass(frozen=True, slots=True)
class Area:
    """One first-level area: its name, country (ISO alpha-2), the gazetteer's admin1 code
    (None when none matched), the point to write its name at, and its rings."""

    name: str
    country: str
    code: str | None
    label: tuple[float, float] | None
    rings: tuple[Ring, ...]

    @property
    def bbox(self) -> Box:
        xs = [x for ring in self.rings for x, _ in ring]
        ys = [y for ring in self.rings for _, y in ring]
        return min(xs), min(ys), max(xs), max(ys)


def _features(filename: str) -> list[dict[str, Any]]:
    """The features of a bundled boundary file; none (with a warning) when it is missing."""
    try:
        text = resources.files("crisisdesk.data").joinpath(f"boundaries/{filename}")
        data = json.loads(text.read_text(encoding="utf-8"))
    except (OSError, ValueError, ModuleNotFoundError) as exc:
        log.warning("no boundaries from %s: %s", filename, exc)
        return []
    return [f for f in data.get("features", ()) if isinstance(f, dict)]


def _rings(feature: dict[str, Any]) -> tuple[Ring, ...]:
    geometry = feature.get("geometry") or {}
    kind, coords = geometry.get("type"), geometry.get("coordinates") or []
    polygons = [coords] if kind == "Polygon" else coords if kind == "MultiPolygon" else []
    return tuple(
        tuple((float(x), float(y)) for x, y, *_ in ring) for polygon in polygons for ring in polygon
    )


@cache
def country_outlines() -> tuple[Outline, ...]:
    """The bundled country outlines."""
    outlines = []
    for f in _features("admin0.geojson"):
        props = f.get("properties") or {}
        outlines.append(Outline(str(props.get("name", "")), props.get("theatre"), _rings(f)))
    return tuple(outlines)


@cache
def admin1_areas() -> tuple[Area, ...]:
    """The bundled first-level areas (the theatres and their neighbours)."""
    areas = []
    for f in _features("admin1.geojson"):
        props = f.get("properties") or {}
        label = props.get("label")
        rings = _rings(f)
        if rings:
            areas.append(
                Area(
                    name=str(props.get("name") or ""),
                    country=str(props.get("country") or ""),
                    code=props.get("code") or None,
                    label=(float(label[0]), float(label[1])) if label else None,
                    rings=rings,
                )
            )
    return tuple(areas)


@cache
def _by_code() -> dict[str, Area]:
    return {a.code: a for a in admin1_areas() if a.code}


def admin1_area(code: str | None) -> Area | None:
    """The first-level area with this gazetteer admin1 code, None when none is bundled."""
    return _by_code().get(code) if code else None


def area_codes(gazetteer: Any, place_id: str | None) -> tuple[str, ...]:
    """The admin1 codes with a bundled polygon that a place *is*: a governorate its own
    code, a named region its member governorates; () for a town, a district or a country
    (a town is a point, a district an extent, a country its outline)."""
    if gazetteer is None or not place_id:
        return ()
    try:
        place = gazetteer.get(place_id)
    except NotFoundError:
        return ()
    kind = getattr(place, "kind", None)
    if kind == "adm1":
        codes: tuple[str, ...] = (place.admin1_code,) if place.admin1_code else ()
    elif kind == "region":
        # a region inside a governorate (Jabal al-Zawiya) has no members: it stays an extent
        codes = tuple(sorted(gazetteer.members(place_id)))
    else:
        codes = ()
    return tuple(c for c in codes if admin1_area(c))


def area_extent(gazetteer: Any, place_id: str | None) -> Box | None:
    """(west, south, east, north) of an area the gazetteer knows, None for a point place."""
    if gazetteer is None or not place_id:
        return None
    try:
        place = gazetteer.get(place_id)
    except NotFoundError:  # an unknown id simply has no extent
        return None
    if getattr(place, "kind", None) not in AREA_KINDS:
        return None
    return getattr(place, "bbox", None)
