"""Tabular and fact-bearing files: our own exports, HXL-tagged CSV, ACLED CSV, GeoJSON.

These sources already state their figures, so every reader yields
``Ingested(document, facts)`` and nothing is extracted again.

Two kinds of input are told apart by their headers:

* **our exports** (CSV, HXL, JSON, GeoJSON) carry each fact with its quote
  and offsets. The original text is not exported, so the document is
  rebuilt *sparsely*: every quote goes back at its own offset, blanks
  elsewhere. The spans then still point at the same characters, and the
  document keeps its original id, so importing an export into a store that
  already holds the document is a no-op. Facts of one document may be
  spread over the file, so these readers hold the whole file in memory.
* **other systems' rows** (an ACLED event, any HXL-tagged row with
  ``#affected+killed`` and the like) become one small document per row whose
  text lists the row's fields, one per line, so that each figure has a
  span into a text that says where it came from. These readers stream.

The column layout of our exports lives here, not in ``report``, because
ingest sits below report in the import order and both need it.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from crisisdesk.errors import IngestError, ValidationError
from crisisdesk.ingest.acled import ACLED_REQUIRED, read_acled_rows
from crisisdesk.ingest.common import DEFAULT_MAX_BYTES, check_size, clean, make_document, parse_date
from crisisdesk.ingest.decode import decode_bytes
from crisisdesk.ingest.hxl import is_hashtag_row, normal_tag, read_hxl_rows
from crisisdesk.ingest.rows import cell_float, cell_int, dict_rows
from crisisdesk.model import (
    Category,
    Fact,
    Ingested,
    Unit,
)

log = logging.getLogger(__name__)

PLACE_SEPARATOR = "; "

# (column name, HXL hashtag). The order is the column order of the CSV and
# HXL exports. Column names are those of the JSON fact schema where one exists.
EXPORT_COLUMNS: tuple[tuple[str, str], ...] = (
    ("fact_id", "#meta+fact+id"),
    ("status", "#status+review"),
    ("category", "#indicator+category"),
    ("value", "#indicator+value+num"),
    ("value_high", "#indicator+value+max+num"),
    ("value_text", "#indicator+value+text"),
    ("qualifier", "#indicator+qualifier"),
    ("unit", "#indicator+unit"),
    ("subject", "#indicator+subject"),
    ("is_total", "#indicator+total"),
    ("date_start", "#date+start"),
    ("date_end", "#date+end"),
    ("places", "#loc+name+written"),
    ("place_id", "#loc+code"),
    ("place_name", "#loc+name"),
    ("admin1", "#adm1+name"),
    ("admin1_code", "#adm1+code"),
    ("admin2", "#adm2+name"),
    ("admin2_code", "#adm2+code"),
    ("country", "#country+code"),
    ("lat", "#geo+lat"),
    ("lon", "#geo+lon"),
    ("precision", "#geo+precision"),
    ("source", "#meta+source"),
    ("doc", "#meta+doc+id"),
    ("quote", "#meta+quote"),
    ("quote_start", "#meta+quote+start"),
    ("span_start", "#meta+span+start"),
    ("span_end", "#meta+span+end"),
    ("confidence", "#meta+confidence"),
    ("doc_title", "#meta+title"),
    ("doc_publisher", "#meta+publisher"),
    ("doc_published", "#date+published"),
    ("doc_url", "#meta+url"),
    ("resolved_places", "#meta+places+json"),
    ("extra", "#meta+extra+json"),
)

# HXL-only convenience columns: the value again, under the standard hashtag
# for its category, so that HDX tools find killed, injured and displaced.
HXL_VALUE_COLUMNS: tuple[tuple[str, str, Category, Unit | None], ...] = (
    ("killed", "#affected+killed", Category.KILLED, None),
    ("injured", "#affected+injured", Category.INJURED, None),
    ("displaced_people", "#affected+displaced+ind", Category.DISPLACED, Unit.PEOPLE),
    ("displaced_families", "#affected+displaced+hh", Category.DISPLACED, Unit.FAMILIES),
    ("missing", "#affected+missing", Category.MISSING, None),
    ("detained", "#affected+detained", Category.DETAINED, None),
    ("in_need", "#inneed", Category.IN_NEED, None),
)

_OURS_REQUIRED = {"doc", "quote", "category", "value"}

# -- our own exports ----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _DocMeta:
    title: str | None
    publisher: str | None
    url: str | None
    published: str | None


def _json_cell(value: str | None, name: str, where: str, default: Any) -> Any:
    if not value or not value.strip():
        return default
    try:
        return json.loads(value)
    except json.JSONDecodeError as exc:
        raise IngestError(f"{name} is not valid JSON: {exc.msg}", where=where) from exc


def flat_row_to_record(row: dict[str, str | None], where: str) -> dict[str, Any]:
    """A row of our CSV/HXL export back into the JSON fact schema (plus doc_* fields)."""
    record: dict[str, Any] = {
        key: clean(row.get(key))
        for key in (
            "fact_id",
            "status",
            "category",
            "value_text",
            "qualifier",
            "unit",
            "source",
            "doc",
            "doc_title",
            "doc_publisher",
            "doc_published",
            "doc_url",
            "date_start",
            "date_end",
        )
    }
    record["quote"] = row.get("quote") or ""
    record["subject"] = row.get("subject") or ""
    for key in ("value", "value_high", "quote_start"):
        record[key] = cell_int(row.get(key), key, where)
    start, end = (
        cell_int(row.get("span_start"), "span_start", where),
        cell_int(row.get("span_end"), "span_end", where),
    )
    record["span"] = [start or 0, end if end is not None else start or 0]
    record["is_total"] = (row.get("is_total") or "").strip().lower() in ("true", "1", "yes")
    confidence = cell_float(row.get("confidence"), "confidence", where)
    record["confidence"] = 1.0 if confidence is None else confidence
    places = row.get("places") or ""
    record["places"] = [p.strip() for p in places.split(PLACE_SEPARATOR.strip()) if p.strip()]
    resolved = _json_cell(row.get("resolved_places"), "resolved_places", where, None)
    if resolved is None and (clean(row.get("lat")) or clean(row.get("place_id"))):
        resolved = [_flat_place(row, where, record["places"])]
    record["resolved_places"] = resolved or []
    record["extra"] = _json_cell(row.get("extra"), "extra", where, {})
    return record


def _flat_place(row: dict[str, str | None], where: str, places: list[str]) -> dict[str, Any]:
    """The first resolved place from its flat columns (a hand-edited file may lack the JSON)."""
    return {
        "name": (places or [clean(row.get("place_name")) or ""])[0],
        "place_id": clean(row.get("place_id")),
        "canonical": clean(row.get("place_name")),
        "country": clean(row.get("country")),
        "admin1": clean(row.get("admin1")),
        "admin1_code": clean(row.get("admin1_code")),
        "admin2": clean(row.get("admin2")),
        "admin2_code": clean(row.get("admin2_code")),
        "lat": cell_float(row.get("lat"), "lat", where),
        "lon": cell_float(row.get("lon"), "lon", where),
        "precision": clean(row.get("precision")) or "unresolved",
    }


def _fact_from_record(record: dict[str, Any], where: str) -> Fact:
    try:
        fact = Fact.from_json(record)
    except ValidationError as exc:
        raise IngestError(exc.message, where=where) from exc
    extra = record.get("extra")
    if isinstance(extra, dict) and extra:
        fact = fact.with_(extra=dict(extra))
    return fact


def sparse_text(facts: Iterable[Fact], note: str) -> str:
    """A stand-in for a text we do not have: each quote at its own offset, blanks between.

    Quotes of one document never disagree where they overlap (they are cut
    from the same text), so writing them over each other is safe. Quotes
    without an offset, and ``note``, go after the last one.
    """
    facts = list(facts)
    placed: list[tuple[int, str]] = []
    loose: list[str] = []
    for fact in facts:
        if not fact.quote:
            continue
        if fact.quote_start is None:
            loose.append(fact.quote)
        else:
            placed.append((fact.quote_start, fact.quote))
    length = max([start + len(q) for start, q in placed] + [f.span[1] for f in facts] + [0])
    chars = [" "] * length
    for start, quote in placed:
        chars[start : start + len(quote)] = quote
    tail = "\n".join([*loose, note])
    return "".join(chars) + "\n\n" + tail


def _documents_from_records(
    records: Iterable[tuple[str, dict[str, Any]]], origin: str, fmt: str
) -> Iterator[Ingested]:
    """Group fact records by document (holding them all) and rebuild each document."""
    facts_by_doc: dict[str, list[Fact]] = {}
    meta: dict[str, _DocMeta] = {}
    for where, record in records:
        fact = _fact_from_record(record, where)
        facts_by_doc.setdefault(fact.doc, []).append(fact)
        meta.setdefault(
            fact.doc,
            _DocMeta(
                title=clean(record.get("doc_title")),
                publisher=clean(record.get("doc_publisher")),
                url=clean(record.get("doc_url")),
                published=clean(record.get("doc_published")),
            ),
        )
    for doc_id, facts in facts_by_doc.items():
        m = meta[doc_id]
        note = f"[Rebuilt from a crisisdesk {fmt} export: only the quoted passages are kept.]"
        document = make_document(
            sparse_text(facts, note),
            origin=origin,
            fmt=fmt,
            id=doc_id,
            title=m.title,
            publisher=m.publisher,
            url=m.url,
            published=parse_date(m.published, where=origin, field="doc_published"),
        )
        yield Ingested(document, tuple(facts))


def read_fact_records(records: Iterable[dict[str, Any]], origin: str) -> Iterator[Ingested]:
    """Fact objects from our own JSON export (they have "category"/"value", not "text")."""
    numbered = ((f"{origin}, record {i}", r) for i, r in enumerate(records, start=1))
    yield from _documents_from_records(numbered, origin, "json")


# -- CSV: ours, HXL-tagged, ACLED ----------------------------------------------


# Our exports put a quote before text cells a spreadsheet would run as a formula
# (crisisdesk.report.cells.neutralise, which a test checks this undoes): one comes off.
_FORMULA = re.compile("'+[=+\\-@\t\r\uff1d\uff0b\uff0d\uff20]")
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def _unquoted(cell: str) -> str:
    if _FORMULA.match(cell) and not _NUMBER.fullmatch(cell[1:]):
        return cell[1:]
    return cell


def _read_rows(path: Path) -> list[list[str]]:
    origin = str(path)
    check_size(path.stat().st_size, DEFAULT_MAX_BYTES, origin)
    text = decode_bytes(path.read_bytes(), where=origin)
    if not text.strip():
        raise IngestError("empty file", where=origin)
    try:
        rows = csv.reader(io.StringIO(text, newline=""))
        return [[_unquoted(c) for c in row] for row in rows if any(c.strip() for c in row)]
    except csv.Error as exc:
        raise IngestError(f"not a valid CSV file: {exc}", where=origin) from exc


def read_csv(path: Path) -> Iterator[Ingested]:
    """Rows of a CSV file, each a document with its facts; the header says whose CSV it is.

    Our CSV export, our HXL export, an ACLED event file, or any other
    HXL-tagged file with affected-people columns.
    """
    origin = str(path)
    rows = _read_rows(path)
    tag_index = next((i for i, row in enumerate(rows[:26]) if is_hashtag_row(row)), None)
    if tag_index is not None:
        tags = [normal_tag(t) for t in rows[tag_index]]
        body = rows[tag_index + 1 :]
        by_tag = {tag: name for name, tag in EXPORT_COLUMNS}
        if {by_tag.get(t) for t in tags} >= _OURS_REQUIRED:
            header = [by_tag.get(t, "") for t in tags]
            yield from _ours(header, body, tag_index + 2, origin, "hxl")
        else:
            yield from read_hxl_rows(tags, body, tag_index + 2, origin)
        return
    header = [h.strip().lower() for h in rows[0]]
    if set(header) >= _OURS_REQUIRED:
        yield from _ours(header, rows[1:], 2, origin, "csv")
    elif set(header) >= ACLED_REQUIRED:
        yield from read_acled_rows(header, rows[1:], 2, origin)
    else:
        raise IngestError(
            "unknown CSV layout: expected a crisisdesk export, an ACLED file "
            "(event_date, event_type, fatalities) or an HXL hashtag row",
            where=origin,
        )


def _ours(
    header: list[str], rows: list[list[str]], first_line: int, origin: str, fmt: str
) -> Iterator[Ingested]:
    records = (
        (where, flat_row_to_record(row, where))
        for where, row in dict_rows(header, rows, first_line, origin)
    )
    yield from _documents_from_records(records, origin, fmt)


# -- GeoJSON --------------------------------------------------------------------


def read_geojson(path: Path) -> Iterator[Ingested]:
    """Features of our GeoJSON export, each a fact; documents rebuilt as for CSV."""
    origin = str(path)
    check_size(path.stat().st_size, DEFAULT_MAX_BYTES, origin)
    try:
        data = json.loads(decode_bytes(path.read_bytes(), where=origin))
    except json.JSONDecodeError as exc:
        raise IngestError(f"not valid JSON: {exc.msg} at line {exc.lineno}", where=origin) from exc
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise IngestError("not a GeoJSON FeatureCollection", where=origin)
    features = data.get("features")
    if not isinstance(features, list):
        raise IngestError('"features" is missing or not a list', where=origin)

    def records() -> Iterator[tuple[str, dict[str, Any]]]:
        for number, feature in enumerate(features, start=1):
            where = f"{origin}, feature {number}"
            props = feature.get("properties") if isinstance(feature, dict) else None
            if not isinstance(props, dict) or not props.keys() >= _OURS_REQUIRED:
                raise IngestError(
                    "feature has no crisisdesk fact properties (doc, quote, category, value)",
                    where=where,
                )
            yield where, props

    yield from _documents_from_records(records(), origin, "geojson")
