"""Offline boundaries for maps: country outlines from the bundled Natural Earth file and
the extent of a first-level area from the gazetteer.

``data/boundaries/admin0.geojson`` is built by ``scripts/build_boundaries.py`` from
Natural Earth 1:50m Admin 0 countries (v4.1.0, public domain); see the NOTICE beside it.
Natural Earth's first-level (admin-1) polygons are not bundled yet, so an area such as a
governorate is given by its gazetteer extent (the box around the places inside it).
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
AREA_KINDS = frozenset({"adm1", "adm2", "region", "country"})


@dataclass(frozen=True, slots=True)
class Outline:
    """One country: its name, theatre code (ISO alpha-2) when it is one, and its rings."""

    name: str
    theatre: str | None
    rings: tuple[Ring, ...]


@cache
def country_outlines() -> tuple[Outline, ...]:
    """The bundled country outlines; empty (with a warning) when the file is missing."""
    try:
        text = resources.files("crisisdesk.data").joinpath("boundaries/admin0.geojson")
        data = json.loads(text.read_text(encoding="utf-8"))
    except (OSError, ValueError, ModuleNotFoundError) as exc:
        log.warning("no country outlines: %s", exc)
        return ()
    return tuple(_outline(f) for f in data.get("features", ()) if isinstance(f, dict))


def _outline(feature: dict[str, Any]) -> Outline:
    props = feature.get("properties") or {}
    geometry = feature.get("geometry") or {}
    kind, coords = geometry.get("type"), geometry.get("coordinates") or []
    polygons = [coords] if kind == "Polygon" else coords if kind == "MultiPolygon" else []
    rings = tuple(
        tuple((float(x), float(y)) for x, y, *_ in ring) for polygon in polygons for ring in polygon
    )
    return Outline(str(props.get("name", "")), props.get("theatre"), rings)


def area_extent(gazetteer: Any, place_id: str | None) -> tuple[float, float, float, float] | None:
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
