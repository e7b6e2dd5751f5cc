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
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from crisisdesk.errors import IngestError, ValidationError
from crisisdesk.ingest.common import DEFAULT_MAX_BYTES, check_size, clean, make_document, parse_date
from crisisdesk.ingest.decode import decode_bytes
from crisisdesk.model import (
    Category,
    Fact,
    Ingested,
    Precision,
    Qualifier,
    ResolvedPlace,
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

ACLED_COLUMNS: tuple[str, ...] = (
    "event_date",
    "event_type",
    "sub_event_type",
    "actor1",
    "admin1",
    "admin2",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "time_precision",
    "source",
    "notes",
    "fatalities",
    # ours, after the ACLED columns: how many events the row counts, and its evidence
    "event_count",
    "doc_id",
    "url",
)

_OURS_REQUIRED = {"doc", "quote", "category", "value"}
_ACLED_REQUIRED = {"event_date", "event_type", "fatalities"}
_ACLED_PRECISION = {"1": Precision.POINT, "2": Precision.DISTRICT, "3": Precision.GOVERNORATE}


# -- our own exports ----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _DocMeta:
    title: str | None
    publisher: str | None
    url: str | None
    published: str | None


def _int(value: Any, name: str, where: str) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        return int(str(value).strip().replace(",", ""))
    except ValueError as exc:
        raise IngestError(f"{name} is not a whole number: {value!r}", where=where) from exc


def _float(value: Any, name: str, where: str) -> float | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        return float(value)
    except ValueError as exc:
        raise IngestError(f"{name} is not a number: {value!r}", where=where) from exc


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
        record[key] = _int(row.get(key), key, where)
    start, end = (
        _int(row.get("span_start"), "span_start", where),
        _int(row.get("span_end"), "span_end", where),
    )
    record["span"] = [start or 0, end if end is not None else start or 0]
    record["is_total"] = (row.get("is_total") or "").strip().lower() in ("true", "1", "yes")
    confidence = _float(row.get("confidence"), "confidence", where)
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
        "lat": _float(row.get("lat"), "lat", where),
        "lon": _float(row.get("lon"), "lon", where),
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


def _read_rows(path: Path) -> list[list[str]]:
    origin = str(path)
    check_size(path.stat().st_size, DEFAULT_MAX_BYTES, origin)
    text = decode_bytes(path.read_bytes(), where=origin)
    if not text.strip():
        raise IngestError("empty file", where=origin)
    try:
        rows = csv.reader(io.StringIO(text, newline=""))
        return [row for row in rows if any(c.strip() for c in row)]
    except csv.Error as exc:
        raise IngestError(f"not a valid CSV file: {exc}", where=origin) from exc


def _is_hashtag_row(row: list[str]) -> bool:
    cells = [c.strip() for c in row if c.strip()]
    return bool(cells) and all(_column(c) is not None for c in cells)


def _column(cell: str) -> Any:
    """The HXL column a header cell is (libhxl's parse), or None when it is no hashtag."""
    import hxl.model  # loads libhxl (a third of a second): only for CSV files

    return hxl.model.Column.parse(cell.strip()) or None  # libhxl says False


def _normal_tag(tag: str) -> str:
    """A hashtag as libhxl writes it: ``#Affected +Killed`` is ``#affected+killed``;
    an empty cell stays empty."""
    column = _column(tag) if tag.strip() else None
    return column.display_tag if column is not None else ""


def read_csv(path: Path) -> Iterator[Ingested]:
    """Rows of a CSV file, each a document with its facts; the header says whose CSV it is.

    Our CSV export, our HXL export, an ACLED event file, or any other
    HXL-tagged file with affected-people columns.
    """
    origin = str(path)
    rows = _read_rows(path)
    tag_index = next((i for i, row in enumerate(rows[:26]) if _is_hashtag_row(row)), None)
    if tag_index is not None:
        tags = [_normal_tag(t) for t in rows[tag_index]]
        body = rows[tag_index + 1 :]
        by_tag = {tag: name for name, tag in EXPORT_COLUMNS}
        if {by_tag.get(t) for t in tags} >= _OURS_REQUIRED:
            header = [by_tag.get(t, "") for t in tags]
            yield from _ours(header, body, tag_index + 2, origin, "hxl")
        else:
            yield from _generic_hxl(tags, body, tag_index + 2, origin)
        return
    header = [h.strip().lower() for h in rows[0]]
    if set(header) >= _OURS_REQUIRED:
        yield from _ours(header, rows[1:], 2, origin, "csv")
    elif set(header) >= _ACLED_REQUIRED:
        yield from _acled(header, rows[1:], 2, origin)
    else:
        raise IngestError(
            "unknown CSV layout: expected a crisisdesk export, an ACLED file "
            "(event_date, event_type, fatalities) or an HXL hashtag row",
            where=origin,
        )


def _dict_rows(
    header: list[str], rows: list[list[str]], first_line: int, origin: str
) -> Iterator[tuple[str, dict[str, str | None]]]:
    for number, row in enumerate(rows, start=first_line):
        values: dict[str, str | None] = {}
        for name, cell in zip(header, row, strict=False):
            if name and name not in values:
                values[name] = cell
        yield f"{origin}, row {number}", values


def _ours(
    header: list[str], rows: list[list[str]], first_line: int, origin: str, fmt: str
) -> Iterator[Ingested]:
    records = (
        (where, flat_row_to_record(row, where))
        for where, row in _dict_rows(header, rows, first_line, origin)
    )
    yield from _documents_from_records(records, origin, fmt)


class _RowText:
    """Builds a row's stand-in text line by line, remembering where each value sits."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0

    def line(self, label: str, value: str) -> tuple[int, int, str]:
        """Add ``label: value``; return the value's span and the whole line (the quote)."""
        text = f"{label}: {value}"
        start = self.length + len(label) + 2
        self.parts.append(text)
        self.length += len(text) + 1
        return start, start + len(value), text

    def quote_start(self, span_start: int, label: str) -> int:
        return span_start - len(label) - 2

    @property
    def text(self) -> str:
        return "\n".join(self.parts)


def _row_facts(
    text: _RowText, figures: list[tuple[str, int, Category, Unit, str]]
) -> list[tuple[int, int, str, int, Category, Unit, str, str]]:
    spans = []
    for label, value, category, unit, subject in figures:
        start, end, quote = text.line(label, str(value))
        spans.append((start, end, quote, value, category, unit, subject, label))
    return spans


def _make_row_ingested(
    text: _RowText,
    figures: list[tuple[str, int, Category, Unit, str]],
    where: str,
    origin: str,
    fmt: str,
    *,
    meta: dict[str, Any],
    fact_fields: dict[str, Any],
) -> Ingested | None:
    if not figures:
        log.debug("%s: no figures in this row", where)
        return None
    placed = _row_facts(text, figures)
    document = make_document(text.text, origin=origin, fmt=fmt, **meta)
    facts = tuple(
        Fact(
            doc=document.id,
            quote=quote,
            quote_start=text.quote_start(start, label),
            span=(start, end),
            value=value,
            category=category,
            unit=unit,
            subject=subject,
            **fact_fields,
        )
        for start, end, quote, value, category, unit, subject, label in placed
    )
    return Ingested(document, facts)


_ACLED_SUB_EVENTS: dict[str, Category] = {
    "air/drone strike": Category.AIRSTRIKES,
    "shelling/artillery/missile attack": Category.SHELLING,
}


def _acled_category(event_type: str, sub_event_type: str) -> Category:
    sub = sub_event_type.strip().lower()
    if sub in _ACLED_SUB_EVENTS:
        return _ACLED_SUB_EVENTS[sub]
    return Category.ATTACKS


def _cell(row: dict[str, str | None], key: str) -> str:
    return clean(row.get(key)) or ""


def _acled(
    header: list[str], rows: list[list[str]], first_line: int, origin: str
) -> Iterator[Ingested]:
    """ACLED events: one document per event, an attack fact and, when any, a fatalities fact."""
    for where, row in _dict_rows(header, rows, first_line, origin):
        day = parse_date(_cell(row, "event_date"), where=where, field="event_date")
        fatalities = _int(_cell(row, "fatalities"), "fatalities", where) or 0
        count = _int(_cell(row, "event_count"), "event_count", where) or 1
        lat, lon = (
            _float(_cell(row, "latitude"), "latitude", where),
            _float(_cell(row, "longitude"), "longitude", where),
        )
        names = [
            n for n in (_cell(row, "location"), _cell(row, "admin2"), _cell(row, "admin1")) if n
        ]
        text = _RowText()
        text.line("Date", _cell(row, "event_date"))
        event = " / ".join(x for x in (_cell(row, "event_type"), _cell(row, "sub_event_type")) if x)
        text.line("Event", event)
        for label, key in (("Actor", "actor1"), ("Location", "location"), ("Notes", "notes")):
            if _cell(row, key):
                text.line(label, _cell(row, key))
        extra_text = {"actor1": _cell(row, "actor1")} if _cell(row, "actor1") else {}
        resolved: tuple[ResolvedPlace, ...] = ()
        if names:
            resolved = (
                ResolvedPlace(
                    name=names[0],
                    canonical=names[0],
                    admin1=_cell(row, "admin1") or None,
                    admin2=_cell(row, "admin2") or None,
                    lat=lat,
                    lon=lon,
                    precision=_ACLED_PRECISION.get(
                        _cell(row, "geo_precision"), Precision.UNRESOLVED
                    ),
                ),
            )
        category = _acled_category(_cell(row, "event_type"), _cell(row, "sub_event_type"))
        subject = (_cell(row, "sub_event_type") or _cell(row, "event_type") or "events").lower()
        figures = [("Events", count, category, Unit.EVENTS, subject)]
        if fatalities:
            figures.append(("Fatalities", fatalities, Category.KILLED, Unit.PEOPLE, "people"))
        ingested = _make_row_ingested(
            text,
            figures,
            where,
            origin,
            "acled",
            meta={
                "title": f"ACLED event {_cell(row, 'event_id_cnty')}".strip(),
                "publisher": _cell(row, "source") or "ACLED",
                "url": _cell(row, "url") or None,
                "published": day,
            },
            fact_fields={
                "places": tuple(names[:1]),
                "resolved": resolved,
                "date_start": day,
                "date_end": day,
                "source": _cell(row, "source") or "ACLED",
            },
        )
        if ingested is not None:
            if extra_text:
                facts = tuple(f.with_(extra=dict(extra_text)) for f in ingested.facts or ())
                ingested = Ingested(ingested.document, facts)
            yield ingested


# Generic HXL: which hashtags carry a figure, and what it counts.
_HXL_FIGURES: tuple[tuple[str, frozenset[str], Category, Unit, str], ...] = (
    ("#affected", frozenset({"killed"}), Category.KILLED, Unit.PEOPLE, "people"),
    ("#affected", frozenset({"injured"}), Category.INJURED, Unit.PEOPLE, "people"),
    ("#affected", frozenset({"missing"}), Category.MISSING, Unit.PEOPLE, "people"),
    ("#affected", frozenset({"detained"}), Category.DETAINED, Unit.PEOPLE, "people"),
    ("#affected", frozenset({"displaced", "hh"}), Category.DISPLACED, Unit.FAMILIES, "families"),
    ("#affected", frozenset({"displaced"}), Category.DISPLACED, Unit.PEOPLE, "people"),
    ("#affected", frozenset({"idps", "hh"}), Category.DISPLACED, Unit.FAMILIES, "families"),
    ("#affected", frozenset({"idps"}), Category.DISPLACED, Unit.PEOPLE, "people"),
    ("#population", frozenset({"idps", "hh"}), Category.DISPLACED, Unit.FAMILIES, "families"),
    ("#population", frozenset({"idps"}), Category.DISPLACED, Unit.PEOPLE, "people"),
    ("#inneed", frozenset(), Category.IN_NEED, Unit.PEOPLE, "people"),
)


@cache
def _pattern(name: str, attributes: frozenset[str]) -> Any:
    """libhxl's tag pattern for a hashtag with at least these attributes."""
    import hxl.model

    return hxl.model.TagPattern.parse(name + "".join(f"+{a}" for a in sorted(attributes)))


@cache
def _matches(tag: str, name: str, attributes: frozenset[str]) -> bool:
    """Whether a column's hashtag (``_normal_tag``) is ``name`` with all ``attributes``."""
    column = _column(tag) if tag else None
    return column is not None and bool(_pattern(name, attributes).match(column))


def _figure_of(tag: str) -> tuple[Category, Unit, str] | None:
    for want, needed, category, unit, subject in _HXL_FIGURES:
        if _matches(tag, want, needed):
            return category, unit, subject
    return None


def _first(tags: list[str], row: list[str], name: str, *attributes: str) -> str:
    """The first non-empty cell whose hashtag is ``name`` with all ``attributes``."""
    wanted = frozenset(attributes)
    for tag, cell in zip(tags, row, strict=False):
        if cell.strip() and _matches(tag, name, wanted):
            return cell.strip()
    return ""


def _generic_hxl(
    tags: list[str], rows: list[list[str]], first_line: int, origin: str
) -> Iterator[Ingested]:
    """Any HXL-tagged CSV: each affected-people column of a row is a fact about its place."""
    figure_columns = [(i, f) for i, t in enumerate(tags) if (f := _figure_of(t)) is not None]
    if not figure_columns:
        raise IngestError(
            "HXL file has no figure columns (#affected+killed, #affected+displaced, "
            "#population+idps, #inneed ...)",
            where=origin,
        )
    for number, row in enumerate(rows, start=first_line):
        where = f"{origin}, row {number}"
        when = _first(tags, row, "#date")
        day = parse_date(when, where=where, field="#date") if when else None
        start = _first(tags, row, "#date", "start")
        end = _first(tags, row, "#date", "end")
        date_start = parse_date(start, where=where, field="#date+start") if start else day
        date_end = parse_date(end, where=where, field="#date+end") if end else day
        place = (
            _first(tags, row, "#loc", "name")
            or _first(tags, row, "#adm2", "name")
            or _first(tags, row, "#adm1", "name")
            or _first(tags, row, "#country", "name")
        )
        lat = _float(_first(tags, row, "#geo", "lat"), "#geo+lat", where)
        lon = _float(_first(tags, row, "#geo", "lon"), "#geo+lon", where)
        source = _first(tags, row, "#meta", "source") or _first(tags, row, "#org") or None
        text = _RowText()
        for label, value in (
            ("Date", when or start),
            ("Place", place),
            ("Source", source or ""),
        ):
            if value:
                text.line(label, value)
        figures = []
        for index, (category, unit, subject) in figure_columns:
            cell = row[index] if index < len(row) else ""
            value = _int(cell, tags[index], where)
            if value is not None:
                label = f"{category} ({subject}, {tags[index]})".replace("_", " ").capitalize()
                figures.append((label, value, category, unit, subject))
        resolved = ()
        if place:
            resolved = (
                ResolvedPlace(
                    name=place,
                    canonical=place,
                    admin1=_first(tags, row, "#adm1", "name") or None,
                    admin1_code=_first(tags, row, "#adm1", "code") or None,
                    admin2=_first(tags, row, "#adm2", "name") or None,
                    admin2_code=_first(tags, row, "#adm2", "code") or None,
                    lat=lat,
                    lon=lon,
                    precision=Precision.POINT if lat is not None else Precision.UNRESOLVED,
                ),
            )
        ingested = _make_row_ingested(
            text,
            figures,
            where,
            origin,
            "hxl",
            meta={
                "title": f"HXL row {number} of {Path(origin).name}",
                "publisher": source,
                "url": _first(tags, row, "#meta", "url") or None,
                "published": date_end,
            },
            fact_fields={
                "places": (place,) if place else (),
                "resolved": resolved,
                "date_start": date_start,
                "date_end": date_end,
                "source": source,
                "qualifier": Qualifier.EXACT,
            },
        )
        if ingested is not None:
            yield ingested


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
