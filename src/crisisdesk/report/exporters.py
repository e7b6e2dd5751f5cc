"""Exports for analysts' own tools: CSV (Excel, R, pandas), HXL (HDX), GeoJSON (QGIS),
JSON Lines (the fact schema) and an ACLED-like event table.

Every exported fact carries its evidence (document id, quote, offsets) and
the document's title, publisher, date and link, so a number can be checked
wherever it ends up. The layouts are defined in ``crisisdesk.ingest.tabular``,
which reads them back: an export ingested into a fresh store gives the same
facts.
"""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Callable, Iterable, Iterator
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
from crisisdesk.store import FactQuery, MadeMemo, Store

log = logging.getLogger(__name__)

FORMATS = ("csv", "hxl", "geojson", "json", "jsonl", "acled", "acled-aggregates")

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
    if "resolved_places" not in record:  # to_json leaves it out when empty
        record["resolved_places"] = []
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


class RowMemo:
    """CSV and HXL lines kept by fact, for a server that exports the same facts again
    and again (``Store.made_facts``).

    A line is a pure function of the fact's stored rows (its row with its document's
    columns, and its places' rows): a fact whose rows read back as they were when
    its line was made gets that line, with no decoding and no formatting; anything
    else is made afresh and kept instead. So an export built after a few edits
    formats only the facts that changed, and is byte for byte the file it would
    be without the memo. At most ``size`` lines per format (then it starts over);
    threads may share one (a stale entry is only ever made again).
    """

    def __init__(self, size: int = 100_000) -> None:
        self.csv = MadeMemo(size)
        self.hxl = MadeMemo(size)

    @property
    def hits(self) -> int:
        return self.csv.hits + self.hxl.hits


def _line(cells: Iterable[Any]) -> str:
    """One row as the CSV writers write it (neutralised, newline ended)."""
    buffer = io.StringIO()
    safe_writer(buffer).writerow(cells)
    return buffer.getvalue()


def _query(verified_only: bool) -> FactQuery:
    """Every fact exported: rejected ones never are."""
    return FactQuery(verified_only=verified_only, include_rejected=False)


def _facts(store: Store, verified_only: bool) -> Iterator[StoredFact]:
    """Facts in a stable order; rejected ones are never exported."""
    return store.iter_facts(_query(verified_only))


def _hxl_values(stored: StoredFact) -> list[str]:
    """The value again under its standard hashtag, or empty."""
    fact = stored.fact
    extra = []
    for _name, _tag, category, unit in HXL_VALUE_COLUMNS:
        fits = fact.category == category and (unit is None or fact.unit == unit)
        extra.append(_cell(fact.value) if fits else "")
    return extra


def _csv_cells(stored: StoredFact) -> list[str]:
    return list(flat_row(stored).values())


def _hxl_cells(stored: StoredFact) -> list[str]:
    return _csv_cells(stored) + _hxl_values(stored)


def _write_rows(
    store: Store,
    handle: IO[str],
    verified_only: bool,
    cells: Callable[[StoredFact], list[str]],
    kept: MadeMemo | None,
) -> int:
    """Each fact's row, formula-injection safe (report/cells.py); with ``kept``, each
    line kept from the last export while its fact's rows stay as they were."""
    count = 0
    if kept is None:
        writer = safe_writer(handle)
        for stored in _facts(store, verified_only):
            writer.writerow(cells(stored))
            count += 1
        return count
    query = _query(verified_only)
    for line in store.made_facts(lambda stored: _line(cells(stored)), kept, query):
        handle.write(line)
        count += 1
    return count


def _write_csv(
    store: Store, handle: IO[str], verified_only: bool, memo: RowMemo | None = None
) -> int:
    writer = safe_writer(handle)  # formula-injection safe (report/cells.py)
    writer.writerow([name for name, _tag in EXPORT_COLUMNS])
    return _write_rows(store, handle, verified_only, _csv_cells, memo.csv if memo else None)


def _write_hxl(
    store: Store, handle: IO[str], verified_only: bool, memo: RowMemo | None = None
) -> int:
    """CSV with an HXL hashtag row under the header, and the value again under its
    standard hashtag (#affected+killed ...) so HDX tools find it without our columns."""
    writer = safe_writer(handle)  # formula-injection safe (report/cells.py)
    writer.writerow([name for name, _ in EXPORT_COLUMNS] + [name for name, *_ in HXL_VALUE_COLUMNS])
    writer.writerow([tag for _, tag in EXPORT_COLUMNS] + [tag for _, tag, *_ in HXL_VALUE_COLUMNS])
    return _write_rows(store, handle, verified_only, _hxl_cells, memo.hxl if memo else None)


def _write_json(store: Store, handle: IO[str], verified_only: bool) -> int:
    """One JSON document, an array of fact objects, streamed fact by fact (``json.load``
    reads it, and so does ``crisisdesk ingest``)."""
    count = 0
    handle.write("[")
    for stored in _facts(store, verified_only):
        handle.write(",\n" if count else "\n")
        handle.write(json.dumps(fact_record(stored), ensure_ascii=False, default=str))
        count += 1
    handle.write("\n]\n")
    return count


def _write_jsonl(store: Store, handle: IO[str], verified_only: bool) -> int:
    """JSON Lines: one fact object per line, streamed."""
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


AGGREGATE_COLUMNS: tuple[str, ...] = (
    "category", "value", "value_high", "qualifier", "unit", "subject", "period_start",
    "period_end", "places", "admin1", "country", "why_aggregate", "source", "quote",
    "doc_id", "url",
)  # fmt: skip
_FINE = frozenset({"point", "district"})  # geo precision of a place an event happens at


def aggregate_path(out: Path) -> Path:
    """Where the ACLED export writes the figures that are not events."""
    return out.with_name(out.stem + ".aggregates.csv")


def why_aggregate(stored: StoredFact) -> str | None:
    """Why an attack fact is an aggregate, not one event (None: it is an event).

    An event in ACLED's sense is a dated incident at a place: one day, one town or
    district. A monthly count, a running tally, a count over several days or over a
    governorate or several places is an aggregate, never disguised as an event.
    """
    fact = stored.fact
    if fact.is_total:
        return "a total or tally"
    if fact.date_start is None or fact.date_end is None:
        return "no day stated"
    if fact.date_start != fact.date_end:
        return f"covers {fact.date_start} to {fact.date_end}, not one day"
    places = [p for p in fact.resolved if p.place_id or p.lat is not None]
    if len({p.place_id for p in places}) > 1:
        return "over several places"
    if not places or str(places[0].precision) not in _FINE:
        return "over an area (governorate or wider), not at a place"
    return None


def _event_key(stored: StoredFact) -> tuple[str, str, str]:
    """An incident: one document, one day, one place."""
    fact = stored.fact
    place = located(stored) or (fact.resolved[0] if fact.resolved else None)
    where = (place.place_id or place.canonical or place.name) if place else ""
    day = fact.date_start.isoformat() if fact.date_start else ""
    return fact.doc, day, where or ""


def _fatalities(facts: list[StoredFact]) -> dict[tuple[str, str, str], int]:
    """People killed in each incident: the largest single-day killed figure the same
    document gives for the same day and place ("8 civilians, among them 3 children"
    is 8, not 11)."""
    out: dict[tuple[str, str, str], int] = {}
    for stored in facts:
        fact = stored.fact
        if fact.category != Category.KILLED or fact.value is None:
            continue
        if fact.date_start is None or fact.date_start != fact.date_end:
            continue
        key = _event_key(stored)
        out[key] = max(out.get(key, 0), fact.value)
    return out


def _acled_row(events: list[StoredFact], fatalities: int) -> dict[str, Any]:
    """One event row from the attack facts of one incident (air strikes and barrel
    bombs of one strike are one event; its count is the largest of them)."""
    stored = events[0]
    fact = stored.fact
    event_type, sub_event_type = _ACLED_TYPES[fact.category]
    place = located(stored) or (fact.resolved[0] if fact.resolved else None)
    notes = " | ".join(
        f"{e.fact.quote} [{e.fact.value if e.fact.value is not None else e.fact.value_text} "
        f"{e.fact.subject or e.fact.category}; doc {e.fact.doc} chars "
        f"{e.fact.span[0]}-{e.fact.span[1]}]"
        for e in events
    )
    counts = [e.fact.value for e in events if e.fact.value is not None]
    return {
        "event_date": fact.date_start.isoformat() if fact.date_start else "",
        "event_type": event_type,
        "sub_event_type": sub_event_type,
        "actor1": fact.extra.get("actor") or fact.extra.get("actor1") or "",
        "admin1": place.admin1 if place else "",
        "admin2": place.admin2 if place else "",
        "location": (place.canonical or place.name) if place else "",
        "latitude": place.lat if place else None,
        "longitude": place.lon if place else None,
        "geo_precision": _ACLED_PRECISION.get(str(place.precision), "") if place else "",
        "time_precision": "1",
        "source": fact.source or stored.publisher or "",
        "notes": notes,
        "fatalities": fatalities,
        "event_count": max(counts) if counts else 1,
        "doc_id": fact.doc,
        "url": stored.document_url or "",
    }


def _aggregate_row(stored: StoredFact, why: str) -> list[str]:
    fact = stored.fact
    place = located(stored) or (fact.resolved[0] if fact.resolved else None)
    row = {
        "category": str(fact.category), "value": fact.value, "value_high": fact.value_high,
        "qualifier": str(fact.qualifier), "unit": str(fact.unit), "subject": fact.subject,
        "period_start": fact.date_start, "period_end": fact.date_end,
        "places": PLACE_SEPARATOR.join(fact.places), "admin1": place.admin1 if place else "",
        "country": place.country if place else "", "why_aggregate": why,
        "source": fact.source or stored.publisher or "", "quote": fact.quote,
        "doc_id": fact.doc, "url": stored.document_url or "",
    }  # fmt: skip
    return [_cell(row[c]) for c in AGGREGATE_COLUMNS]


def _attacks(facts: Iterable[StoredFact]) -> Iterator[tuple[StoredFact, str | None]]:
    """Each attack fact with why it is an aggregate (None: it is one event)."""
    for stored in facts:
        if stored.fact.category in ATTACK_CATEGORIES:
            yield stored, why_aggregate(stored)


def _write_acled(
    store: Store, handle: IO[str], verified_only: bool, aggregates: IO[str] | None = None
) -> int:
    """Attack incidents as ACLED-like event rows, one per incident, with the fatalities
    the same document gives for that day and place; aggregate figures (monthly counts,
    tallies, multi-day or area-wide counts) go to ``aggregates``, never among events."""
    facts = list(_facts(store, verified_only))  # killed facts are matched by incident
    incidents: dict[tuple[str, str, str], list[StoredFact]] = {}
    left: list[tuple[StoredFact, str]] = []
    for stored, why in _attacks(facts):
        if why is None:
            incidents.setdefault(_event_key(stored), []).append(stored)
        else:
            left.append((stored, why))
    if aggregates is not None:
        _write_aggregates(left, aggregates)
    elif left:
        log.info("ACLED export: %d aggregate figures left out (no aggregates file)", len(left))
    fatalities = _fatalities(facts)
    writer = safe_writer(handle)  # formula-injection safe (report/cells.py)
    writer.writerow(ACLED_COLUMNS)
    for key, events in incidents.items():
        row = _acled_row(events, fatalities.get(key, 0))
        writer.writerow([_cell(row[c]) for c in ACLED_COLUMNS])
    return len(incidents)


def _write_aggregates(rows: Iterable[tuple[StoredFact, str]], handle: IO[str]) -> int:
    writer = safe_writer(handle)  # formula-injection safe (report/cells.py)
    writer.writerow(AGGREGATE_COLUMNS)
    count = 0
    for stored, why in rows:
        writer.writerow(_aggregate_row(stored, why))
        count += 1
    return count


def _write_acled_aggregates(store: Store, handle: IO[str], verified_only: bool) -> int:
    """The attack figures the ACLED export leaves out as aggregates, with why (the
    file written beside an ACLED export, or alone where there is no second file)."""
    attacks = _attacks(_facts(store, verified_only))
    return _write_aggregates(((s, why) for s, why in attacks if why is not None), handle)


_WRITERS: dict[str, Callable[[Store, IO[str], bool], int]] = {
    "csv": _write_csv,
    "hxl": _write_hxl,
    "json": _write_json,
    "jsonl": _write_jsonl,
    "geojson": _write_geojson,
    "acled": _write_acled,
    "acled-aggregates": _write_acled_aggregates,
}


@contextmanager
def _opened(out: Path | IO[str], fmt: str) -> Iterator[IO[str]]:
    if isinstance(out, str | Path):
        path = Path(out)
        if not path.parent.exists():
            raise ConfigError("the output folder does not exist", where=str(path.parent))
        # CSV gets a BOM so that Excel reads Arabic place names right (our readers
        # drop it); RFC 7946 forbids one in GeoJSON, and JSON has no use for it.
        encoding = "utf-8" if fmt in ("json", "jsonl", "geojson") else "utf-8-sig"
        with path.open("w", encoding=encoding, newline="") as handle:
            yield handle
    else:
        yield out


IN_MEMORY = ("csv", "hxl")  # formats ``export_bytes`` builds without a file


def export_bytes(
    store: Store, fmt: str, *, verified_only: bool = False, memo: RowMemo | None = None
) -> tuple[int, bytes]:
    """(rows, the file's bytes) of ``export`` to a path, built in memory: no temporary
    folder, file, read back and removal for a server's download. CSV and HXL only
    (``IN_MEMORY``: their BOM and newlines as the file gets them)."""
    name = fmt.lower().strip()
    if name not in IN_MEMORY:
        raise ConfigError(f"{fmt!r} is exported to a file; in memory: {', '.join(IN_MEMORY)}")
    buffer = io.StringIO(newline="")
    write = _write_csv if name == "csv" else _write_hxl
    count = write(store, buffer, verified_only, memo)
    return count, buffer.getvalue().encode("utf-8-sig")  # as ``_opened`` writes them


def export(
    store: Store,
    fmt: str,
    out: Path | IO[str],
    *,
    verified_only: bool = False,
    memo: RowMemo | None = None,
) -> int:
    """Write the store's facts to ``out`` (a path or an open text file) in ``fmt``.

    Returns the number of rows (features, events) written. Rejected facts are
    never exported; ``verified_only`` keeps verified ones only (a correction counts once
    someone other than its author verified it). ``memo`` keeps the CSV and HXL rows
    of a server's exports for the next one (``RowMemo``).
    """
    name = fmt.lower().strip()
    writer = _WRITERS.get(name)
    if writer is None:
        raise ConfigError(f"unknown export format {fmt!r}; use one of {', '.join(FORMATS)}")
    with _opened(out, name) as handle:
        if name == "acled" and isinstance(out, str | Path):
            with Path(aggregate_path(Path(out))).open("w", encoding="utf-8-sig", newline="") as agg:
                return _write_acled(store, handle, verified_only, agg)
        if name == "csv":
            return _write_csv(store, handle, verified_only, memo)
        if name == "hxl":
            return _write_hxl(store, handle, verified_only, memo)
        return writer(store, handle, verified_only)
