"""Exports for analysts' own tools: CSV (Excel, R, pandas), HXL (HDX), GeoJSON (QGIS),
JSON Lines (the fact schema) and an ACLED-like event table.

Every exported fact carries its evidence (document id, quote, offsets) and
the document's title, publisher, date and link, so a number can be checked
wherever it ends up. The layouts are defined in ``crisisdesk.ingest.tabular``,
which reads them back: an export ingested into a fresh store gives the same
facts.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from crisisdesk.errors import ConfigError
from crisisdesk.ingest.acled import ACLED_COLUMNS
from crisisdesk.ingest.tabular import (
    EXPORT_COLUMNS,
    HXL_VALUE_COLUMNS,
    PLACE_SEPARATOR,
)
from crisisdesk.model import Category, ResolvedPlace, StoredFact
from crisisdesk.report.cells import safe_writer
from crisisdesk.store import FactQuery, Store

log = logging.getLogger(__name__)

FORMATS = ("csv", "hxl", "geojson", "json", "acled")

ATTACK_CATEGORIES = (
    Category.ATTACKS,
    Category.AIRSTRIKES,
    Category.BARREL_BOMBS,
    Category.ROCKETS,
    Category.SHELLING,
)

# Our categories in ACLED's event taxonomy (event type, sub-event type).
_ACLED_TYPES: dict[Category, tuple[str, str]] = {
    Category.AIRSTRIKES: ("Explosions/Remote violence", "Air/drone strike"),
    Category.BARREL_BOMBS: ("Explosions/Remote violence", "Air/drone strike"),
    Category.ROCKETS: ("Explosions/Remote violence", "Shelling/artillery/missile attack"),
    Category.SHELLING: ("Explosions/Remote violence", "Shelling/artillery/missile attack"),
    Category.ATTACKS: ("Explosions/Remote violence", ""),
}
_ACLED_PRECISION = {"point": "1", "district": "2", "governorate": "3"}


def fact_record(stored: StoredFact) -> dict[str, Any]:
    """One stored fact in the JSON fact schema, with its review status and document."""
    fact = stored.fact
    record = fact.to_json()
    record["fact_id"] = stored.id
    record["status"] = str(stored.status)
    record["doc_title"] = stored.document_title
    record["doc_publisher"] = stored.publisher
    record["doc_published"] = stored.published.isoformat() if stored.published else None
    record["doc_url"] = stored.document_url
    record["resolved_places"] = [p.to_json() for p in fact.resolved]
    record["extra"] = dict(fact.extra)
    return record


def located(stored: StoredFact) -> ResolvedPlace | None:
    """The first resolved place of a fact that has coordinates, if any."""
    for place in stored.fact.resolved:
        if place.lat is not None and place.lon is not None:
            return place
    return None


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)  # shortest text that reads back as the same float
    return str(value)


def flat_row(stored: StoredFact) -> dict[str, str]:
    """One fact as a CSV row: lists joined, the first resolved place spread into columns."""
    record = fact_record(stored)
    first = next((p for p in stored.fact.resolved if p.place_id or p.lat is not None), None)
    place = first or (stored.fact.resolved[0] if stored.fact.resolved else None)
    row: dict[str, Any] = {
        **record,
        "places": PLACE_SEPARATOR.join(record["places"]),
        "span_start": record["span"][0],
        "span_end": record["span"][1],
        "resolved_places": json.dumps(record["resolved_places"], ensure_ascii=False),
        "extra": json.dumps(record["extra"], ensure_ascii=False, default=str),
        "place_id": place.place_id if place else None,
        "place_name": (place.canonical or place.name) if place else None,
        "admin1": place.admin1 if place else None,
        "admin1_code": place.admin1_code if place else None,
        "admin2": place.admin2 if place else None,
        "admin2_code": place.admin2_code if place else None,
        "country": place.country if place else None,
        "lat": place.lat if place else None,
        "lon": place.lon if place else None,
        "precision": str(place.precision) if place else None,
    }
    return {name: _cell(row.get(name)) for name, _tag in EXPORT_COLUMNS}


def _facts(store: Store, verified_only: bool) -> Iterator[StoredFact]:
    """Facts in a stable order; rejected ones are never exported."""
    query = FactQuery(verified_only=verified_only, include_rejected=False)
    return store.iter_facts(query)


def _write_csv(store: Store, handle: IO[str], verified_only: bool) -> int:
    writer = safe_writer(handle)  # formula-injection safe (report/cells.py)
    writer.writerow([name for name, _tag in EXPORT_COLUMNS])
    count = 0
    for stored in _facts(store, verified_only):
        writer.writerow(list(flat_row(stored).values()))
        count += 1
    return count


def _write_hxl(store: Store, handle: IO[str], verified_only: bool) -> int:
    """CSV with an HXL hashtag row under the header, and the value again under its
    standard hashtag (#affected+killed ...) so HDX tools find it without our columns."""
    writer = safe_writer(handle)  # formula-injection safe (report/cells.py)
    writer.writerow([name for name, _ in EXPORT_COLUMNS] + [name for name, *_ in HXL_VALUE_COLUMNS])
    writer.writerow([tag for _, tag in EXPORT_COLUMNS] + [tag for _, tag, *_ in HXL_VALUE_COLUMNS])
    count = 0
    for stored in _facts(store, verified_only):
        fact = stored.fact
        extra = []
        for _name, _tag, category, unit in HXL_VALUE_COLUMNS:
            fits = fact.category == category and (unit is None or fact.unit == unit)
            extra.append(_cell(fact.value) if fits else "")
        writer.writerow(list(flat_row(stored).values()) + extra)
        count += 1
    return count


def _write_json(store: Store, handle: IO[str], verified_only: bool) -> int:
    """JSON Lines: one fact object per line, streamed (a .json or .jsonl file reads back)."""
    count = 0
    for stored in _facts(store, verified_only):
        handle.write(json.dumps(fact_record(stored), ensure_ascii=False, default=str) + "\n")
        count += 1
    return count


def _write_geojson(store: Store, handle: IO[str], verified_only: bool) -> int:
    """Facts with coordinates as RFC 7946 points (lon, lat; WGS 84); others are skipped."""
    count = skipped = 0
    handle.write('{"type": "FeatureCollection", "features": [')
    for stored in _facts(store, verified_only):
        place = located(stored)
        if place is None:
            skipped += 1
            continue
        feature = {
            "type": "Feature",
            "id": stored.id,
            "geometry": {
                "type": "Point",
                "coordinates": [round(place.lon or 0.0, 6), round(place.lat or 0.0, 6)],
            },
            "properties": fact_record(stored),
        }
        handle.write(",\n" if count else "\n")
        handle.write(json.dumps(feature, ensure_ascii=False, default=str))
        count += 1
    handle.write("\n]}\n")
    if skipped:
        log.info("GeoJSON export: %d facts without coordinates left out", skipped)
    return count


def _write_acled(store: Store, handle: IO[str], verified_only: bool) -> int:
    """Attack facts as ACLED-like event rows; fatalities from killed facts of the same quote."""
    facts = list(_facts(store, verified_only))  # holds all: killed facts are matched by quote
    killed: dict[tuple[str, str], int] = {}
    for stored in facts:
        fact = stored.fact
        if fact.category == Category.KILLED and fact.value is not None:
            key = (fact.doc, fact.quote)
            killed[key] = killed.get(key, 0) + fact.value
    writer = safe_writer(handle)  # formula-injection safe (report/cells.py)
    writer.writerow(ACLED_COLUMNS)
    count = 0
    for stored in facts:
        fact = stored.fact
        if fact.category not in ATTACK_CATEGORIES:
            continue
        event_type, sub_event_type = _ACLED_TYPES[fact.category]
        place = located(stored) or (fact.resolved[0] if fact.resolved else None)
        day = fact.date_end or fact.date_start or stored.published
        exact_day = fact.date_start is not None and fact.date_start == fact.date_end
        amount = fact.value if fact.value is not None else fact.value_text
        notes = (
            f"{fact.quote} [{amount} {fact.subject or fact.category}; "
            f"doc {fact.doc} chars {fact.span[0]}-{fact.span[1]}]"
        )
        row = {
            "event_date": day.isoformat() if day else "",
            "event_type": event_type,
            "sub_event_type": sub_event_type,
            "actor1": fact.extra.get("actor") or fact.extra.get("actor1") or "",
            "admin1": place.admin1 if place else "",
            "admin2": place.admin2 if place else "",
            "location": (place.canonical or place.name) if place else "",
            "latitude": place.lat if place else None,
            "longitude": place.lon if place else None,
            "geo_precision": _ACLED_PRECISION.get(str(place.precision), "") if place else "",
            "time_precision": "1" if exact_day else "3",
            "source": fact.source or stored.publisher or "",
            "notes": notes,
            "fatalities": killed.get((fact.doc, fact.quote), 0),
            "event_count": fact.value if fact.value is not None else 1,
            "doc_id": fact.doc,
            "url": stored.document_url or "",
        }
        writer.writerow([_cell(row[c]) for c in ACLED_COLUMNS])
        count += 1
    return count


_WRITERS: dict[str, Callable[[Store, IO[str], bool], int]] = {
    "csv": _write_csv,
    "hxl": _write_hxl,
    "json": _write_json,
    "geojson": _write_geojson,
    "acled": _write_acled,
}


@contextmanager
def _opened(out: Path | IO[str], fmt: str) -> Iterator[IO[str]]:
    if isinstance(out, str | Path):
        path = Path(out)
        if not path.parent.exists():
            raise ConfigError("the output folder does not exist", where=str(path.parent))
        # CSV gets a BOM so that Excel reads Arabic place names right (our readers
        # drop it); RFC 7946 forbids one in GeoJSON, and JSON has no use for it.
        encoding = "utf-8" if fmt in ("json", "geojson") else "utf-8-sig"
        with path.open("w", encoding=encoding, newline="") as handle:
            yield handle
    else:
        yield out


def export(store: Store, fmt: str, out: Path | IO[str], *, verified_only: bool = False) -> int:
    """Write the store's facts to ``out`` (a path or an open text file) in ``fmt``.

    Returns the number of rows (features, events) written. Rejected facts are
    never exported; ``verified_only`` keeps verified and corrected ones only.
    """
    name = fmt.lower().strip()
    writer = _WRITERS.get(name)
    if writer is None:
        raise ConfigError(f"unknown export format {fmt!r}; use one of {', '.join(FORMATS)}")
    with _opened(out, name) as handle:
        return writer(store, handle, verified_only)
