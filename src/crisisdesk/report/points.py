"""Points for the map: the figures the key-figure cards show, each at the area it is
counted for (a governorate total as that governorate's polygon, a region's as its
governorates, a town's count at the town), grouped by area so one label lists what was
reported there."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from crisisdesk.geo.boundaries import AREA_KINDS, admin1_area, area_codes, area_extent
from crisisdesk.model import Figure
from crisisdesk.report.views import Headline, MapPoint
from crisisdesk.report.words import fact_value, figure_period, shown_name, written_places

BBox = tuple[float, float, float, float]


def _union(boxes: Sequence[BBox]) -> BBox | None:
    if not boxes:
        return None
    return (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )


def _line(h: Headline, f: Figure) -> str:
    fact = next((x for x in f.facts if x.value == f.best), f.facts[0] if f.facts else None)
    value = fact_value(fact) if fact else str(f.best)
    return f"{value} {h.label[:1].lower()}{h.label[1:]} ({figure_period(f)})"


def map_points(
    headlines: Sequence[Headline], gazetteer: Any = None
) -> tuple[tuple[MapPoint, ...], int]:
    """One point per area with the cards' figures counted there; figures with no located
    place are counted apart (the caption says how many)."""
    acc: dict[tuple[str, ...], dict[str, Any]] = {}
    unlocated = 0
    for h in headlines:
        on_card = {i for item in h.card_items for i in item.figure_ids}
        for f in (f for f in h.shown if f.id in on_card):
            placed = [p for p in f.resolved if p.lat is not None and p.lon is not None]
            towns = [p for p in placed if p.kind not in AREA_KINDS]
            placed = towns or placed  # "Atarib, Aleppo": counted at the town, not the area
            if not placed or f.best is None:
                unlocated += 1
                continue
            key = tuple(sorted({p.place_id or p.canonical or p.name for p in placed}))
            entry = acc.setdefault(key, {"placed": placed, "lines": [], "values": []})
            entry["lines"].append(_line(h, f))
            entry["values"].append((h.label, f.best))
    points = []
    for e in acc.values():
        placed = e["placed"]
        codes: list[str] = []
        extents: list[BBox] = []
        for p in placed:
            own = area_codes(gazetteer, p.place_id)
            codes.extend(c for c in own if c not in codes)
            if not own and (box := area_extent(gazetteer, p.place_id)):
                extents.append(box)  # a district, or an area with no bundled polygon
        polygons = [a for c in codes if (a := admin1_area(c))]
        labels = [a.label for a in polygons if a.label]
        if labels and not extents:
            lon = sum(x for x, _ in labels) / len(labels)
            lat = sum(y for _, y in labels) / len(labels)
        else:
            lat = sum(float(p.lat) for p in placed) / len(placed)
            lon = sum(float(p.lon) for p in placed) / len(placed)
        boxes = [a.bbox for a in polygons] + extents
        area = next((p.place_id for p in placed if p.kind in AREA_KINDS), None)
        points.append(
            MapPoint(
                name=written_places(shown_name(p.name, p.canonical) for p in placed),
                lat=lat,
                lon=lon,
                people=sum(v for _, v in e["values"]),
                figures=len(e["values"]),
                label="; ".join(e["lines"]),
                area=area if boxes else None,
                bbox=_union(boxes),
                values=tuple(v for _, v in e["values"]),
                cards=tuple(label for label, _ in e["values"]),
                lines=tuple(e["lines"]),
                areas=tuple(dict.fromkeys(extents)),
                codes=tuple(codes),
            )
        )
    points.sort(key=lambda p: -p.people)
    return tuple(points), unlocated
