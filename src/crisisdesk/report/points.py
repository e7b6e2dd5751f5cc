"""Points for the map: one per located place, with the people counted there."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from crisisdesk.model import Category, Figure, Unit
from crisisdesk.report.views import MapPoint
from crisisdesk.report.words import CATEGORY_LABELS, fmt_int

_PEOPLE_ON_MAP = (Category.KILLED, Category.INJURED, Category.DISPLACED)


def map_points(figures: Sequence[Figure]) -> tuple[tuple[MapPoint, ...], int]:
    """One point per located place; each figure counted at its first located place only."""
    acc: dict[tuple[str, float, float], dict[str, Any]] = {}
    unlocated = 0
    for f in figures:
        place = next((p for p in f.resolved if p.lat is not None and p.lon is not None), None)
        if place is None:
            unlocated += 1
            continue
        name = place.canonical or place.name
        key = (place.place_id or name, float(place.lat or 0), float(place.lon or 0))
        entry = acc.setdefault(key, {"name": name, "people": 0, "figures": 0, "by": {}})
        entry["figures"] += 1
        if f.category in _PEOPLE_ON_MAP and f.unit == Unit.PEOPLE and f.best:
            entry["people"] += f.best
            label = CATEGORY_LABELS[str(f.category)].lower()
            entry["by"][label] = entry["by"].get(label, 0) + f.best
    points = []
    for (_, lat, lon), e in acc.items():
        parts = [f"{fmt_int(v)} {k}" for k, v in e["by"].items()]
        detail = ", ".join(parts) if parts else f"{e['figures']} figure(s), no people counted"
        points.append(
            MapPoint(e["name"], lat, lon, e["people"], e["figures"], f"{e['name']}: {detail}")
        )
    points.sort(key=lambda p: -p.people)
    return tuple(points), unlocated
