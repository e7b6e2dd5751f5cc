"""Rows to records and back: every column list and row decoder of the store.

Column lists come from the schema tables (``schema.py``) and the records'
own fields (``records.py``), checked against each other when this module is
imported, so a column is named once. Two ways to read a fact: by name from a
whole-table row (``stored_fact``: the review desk's one fact at a time, with
its JSON columns), and by position from a joined row (``fact_rows``: the
thousands ``total`` and ``reconcile`` read, without JSON columns).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import date
from typing import Any

from sqlalchemy import null

from crisisdesk.errors import ValidationError
from crisisdesk.model import (
    FACT_SCHEMA_FIELDS,
    Category,
    Document,
    Fact,
    FactStatus,
    Flag,
    Precision,
    Qualifier,
    ResolvedPlace,
    StoredFact,
    Unit,
    shared_area,
)
from crisisdesk.store import schema
from crisisdesk.store.records import (
    FactRow,
    FigureRow,
    StoredFigure,
    field_spans,
)

# -- column lists -------------------------------------------------------------

# facts columns that reconciling does not read: JSON (names as written are the
# fact_places rows' names), bookkeeping, and the area codes (copies of the places')
_FACT_UNREAD = frozenset(
    {
        "places",
        "extra",
        "created_at",
        "updated_at",
        "admin1_code",
        "admin2_code",
        "version",
        "author",
        "assignee",
    }
)
FACT_COLUMNS = tuple(c.name for c in schema.facts.columns if c.name not in _FACT_UNREAD)
DOC_COLUMNS = ("title", "url", "publisher", "published")
PLACE_COLUMNS = tuple(
    c.name for c in schema.fact_places.columns if c.name not in ("id", "fact_id", "candidates")
)
_RESOLVED_FIELDS = PLACE_COLUMNS[1:]  # after "position": ResolvedPlace's, in its order
if FactRow._fields != (*FACT_COLUMNS, *DOC_COLUMNS, "places"):
    raise ImportError("FactRow's fields are not the facts columns + DOC_COLUMNS + places")
if tuple(ResolvedPlace.__dataclass_fields__)[: len(_RESOLVED_FIELDS)] != _RESOLVED_FIELDS:
    raise ImportError("fact_places' columns are not ResolvedPlace's fields")

_NF, _ND = len(FACT_COLUMNS), len(DOC_COLUMNS)
_AT_PLACE = _NF + _ND  # where the place columns start in a joined row
_NP = len(PLACE_COLUMNS)

# Fields a reviewer may change on a fact: the fact schema's, less where it was read.
EDITABLE = tuple(f for f in FACT_SCHEMA_FIELDS if f not in ("doc", "quote", "span"))


# what reconciling a whole store does without: where a fact was read, and how to
# show it (it builds no ``Fact``; ``total`` and the figures read back do)
_EVIDENCE_ONLY = frozenset(
    {"quote_start", "span_start", "span_end", "confidence", "evidence", "title", "url",
     "lat", "lon", "score"}
)  # fmt: skip


def fact_row_columns(*, lean: bool = False) -> list[Any]:
    """The columns ``fact_rows`` decodes, in its order: facts, documents, places
    (the caller joins documents and outer-joins fact_places). ``lean``: NULL in
    place of the columns only a ``Fact`` needs, for rows that never become one."""
    f, d, p = schema.facts, schema.documents, schema.fact_places

    def col(table: Any, name: str) -> Any:
        return null().label(name) if lean and name in _EVIDENCE_ONLY else table.c[name]

    return [
        *(col(f, c) for c in FACT_COLUMNS),
        *(col(d, c) for c in DOC_COLUMNS),
        *(col(p, c) for c in PLACE_COLUMNS),
    ]


_PRECISION = {m.value: m for m in Precision}


def fact_rows(
    rows: Iterable[Any], skip: int = 0, progress: Callable[[int], None] | None = None
) -> list[FactRow]:
    """Joined rows laid out as ``fact_row_columns()`` (after ``skip`` leading columns),
    one per fact and place -> one FactRow per fact, places in written order.

    Positional on purpose: this runs for every fact of a ``reconcile``, and a few
    thousand distinct places recur across a million facts, so each is built once.
    """
    grouped: dict[str, tuple[tuple[Any, ...], list[tuple[int, ResolvedPlace]]]] = {}
    seen: dict[tuple[Any, ...], ResolvedPlace] = {}
    at = skip + _AT_PLACE
    for row in rows:
        r = tuple(row)  # plain tuple: slicing a driver row costs more
        entry = grouped.get(r[skip])
        if entry is None:
            entry = grouped[r[skip]] = (r, [])
            if progress and len(grouped) % 20_000 == 0:
                progress(len(grouped))
        if r[at + 1] is not None:
            key = r[at + 1 : at + _NP]
            place = seen.get(key)
            if place is None:
                place = seen[key] = _resolved_at(key)
            entry[1].append((r[at], place))
    out = []
    new = tuple.__new__  # FactRow's fields by position, without its keyword __new__
    for r, places in grouped.values():
        if len(places) > 1:
            places.sort(key=lambda x: x[0])
        out.append(new(FactRow, (*r[skip:at], tuple([p for _, p in places]))))
    return out


# columns whose values repeat across facts (a document's id on each of its facts, a
# category, a source, a day): ``iter_fact_rows`` keeps one object per distinct value
_SHARED_AT = tuple(
    i
    for i, c in enumerate((*FACT_COLUMNS, *DOC_COLUMNS))
    if c in {"doc_id", "value_text", "qualifier", "unit", "category", "subject", "date_start",
             "date_end", "source", "status", "publisher", "published"}
)  # fmt: skip


def iter_fact_rows(rows: Iterable[Any]) -> Iterator[FactRow]:
    """``fact_rows`` one fact at a time, for joined rows that give each fact's rows one
    after another (ordered by the fact's id last, as ``stored_order``): a reader can
    turn each into what it keeps and drop it, instead of holding every row of a
    million facts. Repeated values are shared by one object each (the driver makes
    a string per row and column: a document's id, a category, a source, a day)."""
    seen: dict[tuple[Any, ...], ResolvedPlace] = {}
    shared: dict[Any, Any] = {}
    current: tuple[Any, ...] | None = None
    places: list[tuple[int, ResolvedPlace]] = []
    for row in rows:
        r = tuple(row)
        if current is None or r[0] != current[0]:
            if current is not None:
                yield _shared_row(current, places, shared)
            current, places = r, []
        if r[_AT_PLACE + 1] is not None:
            key = r[_AT_PLACE + 1 : _AT_PLACE + _NP]
            place = seen.get(key)
            if place is None:
                place = seen[key] = _resolved_at(key)
            places.append((r[_AT_PLACE], place))
    if current is not None:
        yield _shared_row(current, places, shared)


def _shared_row(
    r: tuple[Any, ...], places: list[tuple[int, ResolvedPlace]], shared: dict[Any, Any]
) -> FactRow:
    values = list(r[:_AT_PLACE])
    for i in _SHARED_AT:
        v = values[i]
        if v is not None:
            values[i] = shared.setdefault(v, v)
    if len(places) > 1:
        places.sort(key=lambda x: x[0])
    values.append(tuple([p for _, p in places]))
    return tuple.__new__(FactRow, values)


def _resolved_at(values: tuple[Any, ...]) -> ResolvedPlace:
    """``_RESOLVED_FIELDS`` values in order -> a ResolvedPlace."""
    (name, place_id, canonical, kind, country, admin1, admin1_code, admin2, admin2_code,
     lat, lon, precision, score) = values  # fmt: skip
    return ResolvedPlace(
        name, place_id, canonical, kind, country, admin1, admin1_code, admin2, admin2_code,
        lat, lon, _PRECISION[precision or "unresolved"], score or 0.0,
    )  # fmt: skip


# -- facts in -------------------------------------------------------------------


def fact_row(fact: Fact) -> dict[str, Any]:
    """A fact to insert: its ``facts`` row and its ``fact_places`` rows."""
    fid = fact.key
    row = {
        "id": fid,
        "doc_id": fact.doc,
        "quote": fact.quote,
        "quote_start": fact.quote_start,
        "span_start": fact.span[0],
        "span_end": fact.span[1],
        "value": fact.value,
        "value_high": fact.value_high,
        "value_text": fact.value_text,
        "qualifier": str(fact.qualifier),
        "unit": str(fact.unit),
        "category": str(fact.category),
        "subject": fact.subject or "",
        "places": list(fact.places),
        "date_start": fact.date_start,
        "date_end": fact.date_end,
        "source": fact.source,
        "is_total": fact.is_total,
        "confidence": float(fact.confidence),
        "extra": dict(fact.extra),
        "status": FactStatus.UNREVIEWED.value,
        "evidence": json.dumps(fact.field_spans.to_json()) if fact.field_spans else None,
    }
    resolved = list(fact.resolved) or [ResolvedPlace(name=n) for n in fact.places]
    places = [place_row(fid, i, p) for i, p in enumerate(resolved)]
    row.update(area_codes(resolved))
    return {"row": row, "places": places}


def area_codes(places: Sequence[ResolvedPlace]) -> dict[str, str | None]:
    """The admin codes of the area a fact is at (what area queries index): those its
    places share (``model.shared_area``), so a district's question does not take a
    three-town count as its own, and a count naming two governorates has no
    governorate code at all (it is found by name, and ``total`` says why it is
    left out)."""
    admin1, admin2 = shared_area(places)
    return {"admin1_code": admin1, "admin2_code": admin2}


def place_row(fact_id: str, position: int, p: ResolvedPlace) -> dict[str, Any]:
    row: dict[str, Any] = {"fact_id": fact_id, "position": position}
    for name in _RESOLVED_FIELDS:
        row[name] = getattr(p, name)
    row["precision"] = str(p.precision)
    row["score"] = float(p.score)
    row["candidates"] = list(p.candidates)
    return row


# -- facts out (by name) -----------------------------------------------------------


# stored values to members by dictionary: calling an enum class costs more than a fact's
# other fields together, on every row of every review-queue page
_QUALIFIERS: dict[str, Qualifier] = {m.value: m for m in Qualifier}
_UNITS: dict[str, Unit] = {m.value: m for m in Unit}
_CATEGORIES: dict[str, Category] = {m.value: m for m in Category}
_STATUSES: dict[str, FactStatus] = {m.value: m for m in FactStatus}
_PRECISIONS: dict[str, Precision] = {m.value: m for m in Precision}


def _member(table: Mapping[str, Any], kind: Callable[[Any], Any], value: Any) -> Any:
    found = table.get(value)
    return found if found is not None else kind(value)  # unknown: the enum's own error


def stored_fact(r: Mapping[str, Any], places: tuple[ResolvedPlace, ...]) -> StoredFact:
    """A whole ``facts`` row (with its document's ``DOC_COLUMNS``) and its places."""
    fact = Fact(
        doc=r["doc_id"],
        quote=r["quote"],
        span=(r["span_start"], r["span_end"]),
        value=r["value"],
        value_high=r["value_high"],
        value_text=r["value_text"],
        qualifier=_member(_QUALIFIERS, Qualifier, r["qualifier"]),
        unit=_member(_UNITS, Unit, r["unit"]),
        category=_member(_CATEGORIES, Category, r["category"]),
        subject=r["subject"] or "",
        places=tuple(r["places"] or ()),
        date_start=r["date_start"],
        date_end=r["date_end"],
        source=r["source"],
        is_total=bool(r["is_total"]),
        quote_start=r["quote_start"],
        confidence=r["confidence"],
        resolved=places,
        field_spans=field_spans(r["evidence"]),
        extra=dict(r["extra"] or {}),
    )
    return StoredFact(
        id=r["id"],
        fact=fact,
        status=_member(_STATUSES, FactStatus, r["status"]),
        document_title=r["title"],
        document_url=r["url"],
        publisher=r["publisher"],
        published=r["published"],
        version=r.get("version") or 1,
        author=r.get("author"),
        assignee=r.get("assignee"),
        updated_at=r.get("updated_at"),
    )


def resolved_place(r: Mapping[str, Any]) -> ResolvedPlace:
    """A whole ``fact_places`` row, with its candidates."""
    data = {name: r[name] for name in _RESOLVED_FIELDS}
    data["precision"] = _member(_PRECISIONS, Precision, data["precision"])
    return ResolvedPlace(**data, candidates=tuple(r["candidates"] or ()))


def document(r: Mapping[str, Any]) -> Document:
    return Document(
        id=r["id"],
        text=r["text"],
        url=r["url"],
        title=r["title"],
        publisher=r["publisher"],
        published=r["published"],
        language=r["language"],
        origin=r["origin"],
        fmt=r["fmt"],
        locations=tuple((int(o), str(label)) for o, label in r["locations"] or ()),
    )


def document_row(doc: Document, now: Any) -> dict[str, Any]:
    return {
        "id": doc.id,
        "url": doc.url,
        "title": doc.title,
        "publisher": doc.publisher,
        "published": doc.published,
        "language": doc.language,
        "origin": doc.origin,
        "fmt": doc.fmt,
        "text": doc.text,
        "locations": [list(x) for x in doc.locations],
        "ingested_at": now,
    }


# -- review edits ----------------------------------------------------------------------


def jsonable(v: Any) -> Any:
    if isinstance(v, date):
        return v.isoformat()
    if isinstance(v, tuple):
        return list(v)
    return v


def check_editable(changes: Mapping[str, Any]) -> None:
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise ValidationError(f"these fields cannot be edited: {', '.join(sorted(unknown))}")


def validated_changes(changes: dict[str, Any], current: Fact) -> dict[str, Any]:
    """Check edited values by building the fact they would make (the model validates)."""
    typed: dict[str, Any] = {}
    for key, value in changes.items():
        try:
            typed[key] = _typed(key, value)
        except (ValueError, TypeError) as exc:
            raise ValidationError(f"{key}: {exc}") from exc
    try:
        current.with_(**typed)
    except (ValueError, TypeError, ValidationError) as exc:
        # named by the field sent, never by the fact's document
        field = next((k for k in ("value", "value_text", "value_high") if k in typed), None)
        field = field or next(iter(typed), "value")
        message = exc.message if isinstance(exc, ValidationError) else str(exc)
        raise ValidationError(message, where=field) from exc
    start = typed.get("date_start", current.date_start)
    end = typed.get("date_end", current.date_end)
    if start and end and start > end:
        raise ValidationError("date_start is after date_end", where="date_start")
    return {k: (list(v) if isinstance(v, tuple) else v) for k, v in typed.items()}


def _typed(key: str, value: Any) -> Any:
    if key in ("value", "value_high"):
        return None if value in (None, "") else int(value)
    if key == "qualifier":
        return Qualifier(value)
    if key == "unit":
        return Unit(value)
    if key == "category":
        return Category(value)
    if key in ("date_start", "date_end"):
        return None if value in (None, "") else date.fromisoformat(str(value))
    if key == "places":
        if isinstance(value, str):
            value = value.split(";")
        return tuple(p.strip() for p in value if p and p.strip())
    if key == "is_total":
        return value in (True, "true", "1", 1, "on", "yes")
    if key in ("source", "value_text"):
        return str(value).strip() or None if value is not None else None
    return str(value or "").strip()


def db_value(key: str, value: Any) -> Any:
    if key in ("qualifier", "unit", "category"):
        return str(value)
    return value


# -- figures ------------------------------------------------------------------------------

FIGURE_COLUMNS = tuple(c.name for c in schema.figures.columns)
# FigureRow's fields that are not columns of their own (figure_facts, figure_links)
_FIGURE_EXTRA = ("facts", "parts")
_FIGURE_AS = {"start": "date_start", "end": "date_end"}  # FigureRow field -> column
if tuple(_FIGURE_AS.get(f, f) for f in FigureRow._fields if f not in _FIGURE_EXTRA) != (
    FIGURE_COLUMNS
):
    raise ImportError("FigureRow's fields are not the figures table's columns")
# columns read back as text, decoded once per distinct value (``Decoder``)
FIGURE_TEXT_COLUMNS = frozenset({"places", "sources", "flags", "date_start", "date_end"})


class JsonTexts:
    """JSON lists for figure rows, each distinct list encoded once: a million figures
    name a few thousand places and a handful of sources."""

    def __init__(self) -> None:
        self._seen: dict[tuple[str, ...], str] = {(): "[]"}

    def __call__(self, values: tuple[str, ...]) -> str:
        text = self._seen.get(values)
        if text is None:
            text = self._seen[values] = json.dumps(list(values), ensure_ascii=False)
        return text


def figure_values(f: FigureRow, sqlite: bool, texts: JsonTexts) -> tuple[Any, ...]:
    """A FigureRow as the driver writes it, in ``FIGURE_COLUMNS`` order."""

    def day(v: int | None) -> Any:
        if v is None:
            return None
        return date.fromordinal(v).isoformat() if sqlite else date.fromordinal(v)

    return (
        *f[:9],
        day(f.start),
        day(f.end),
        *f[11:16],
        (1 if f.is_total else 0) if sqlite else f.is_total,
        texts(f.sources),
        texts(tuple(map(str, f.flags))) if f.flags else "[]",
        " ".join(sorted(f.part_of)) if len(f.part_of) > 1 else "".join(f.part_of),
        texts(f.places),
    )


class Decoder:
    """JSON lists and ISO days of figure rows decoded once per distinct text, for one read."""

    def __init__(self) -> None:
        self.lists: dict[str | None, tuple[str, ...]] = {None: (), "": (), "[]": ()}
        self.days: dict[str | None, int | None] = {None: None}
        self.flags: dict[str | None, tuple[Flag, ...]] = {}

    def list_of(self, text: str | None) -> tuple[str, ...]:
        got = self.lists.get(text)
        if got is None:
            got = self.lists[text] = tuple(str(x) for x in json.loads(text or "[]"))
        return got

    def flags_of(self, text: str | None) -> tuple[Flag, ...]:
        got = self.flags.get(text)
        if got is None:
            got = self.flags[text] = tuple(map(Flag.parse, self.list_of(text)))
        return got

    def day(self, text: str | None) -> int | None:
        got = self.days.get(text)
        if got is None and text is not None:
            got = self.days[text] = date.fromisoformat(text[:10]).toordinal()
        return got


def stored_figure(row: Any, decode: Decoder) -> StoredFigure:
    """A figures row read as ``FIGURE_COLUMNS`` (text columns as text) -> StoredFigure."""
    (fid, cat, unit, subject, place_name, place_id, country, admin1_code, admin2_code,
     start, end, low, best, high, rule, explanation, is_total, sources, flags, part_of,
     places) = row  # fmt: skip
    return StoredFigure(
        id=fid,
        category=cat,
        unit=unit,
        subject=subject or "",
        places=decode.list_of(places) or ((place_name,) if place_name else ()),
        start=decode.day(start),
        end=decode.day(end),
        low=low,
        best=best,
        high=high,
        is_total=bool(is_total),
        sources=decode.list_of(sources),
        flags=decode.flags_of(flags),
        part_of=part_of.split() if part_of else [],
        place_id=place_id,
        country=country,
        admin1_code=admin1_code,
        admin2_code=admin2_code,
        rule=rule or "",
        explanation=explanation or "",
    )
