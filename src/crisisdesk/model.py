"""The plain, frozen records that flow through the pipeline.

Every stage takes and returns these; nothing else crosses a module boundary.
The JSON form of a ``Fact`` is the fact schema of DESIGN.md: ``Fact.to_json``
writes it and ``Fact.from_json`` reads it (unknown fields are ignored, as the
contract demands).
"""

from __future__ import annotations

import hashlib
import json
import math
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum
from json.encoder import encode_basestring as _json_str
from typing import Any, Protocol

from crisisdesk.errors import ValidationError


class Qualifier(StrEnum):
    EXACT = "exact"
    AT_LEAST = "at_least"
    AT_MOST = "at_most"
    APPROX = "approx"


class Unit(StrEnum):
    PEOPLE = "people"
    FAMILIES = "families"
    EVENTS = "events"
    FACILITIES = "facilities"
    ITEMS = "items"
    OTHER = "other"


class Category(StrEnum):
    KILLED = "killed"
    INJURED = "injured"
    DISPLACED = "displaced"
    RETURNED = "returned"
    DETAINED = "detained"
    MISSING = "missing"
    BESIEGED = "besieged"
    IN_NEED = "in_need"
    FIGHTERS_KILLED = "fighters_killed"
    ATTACKS = "attacks"
    AIRSTRIKES = "airstrikes"
    BARREL_BOMBS = "barrel_bombs"
    ROCKETS = "rockets"
    SHELLING = "shelling"
    FACILITIES_DAMAGED = "facilities_damaged"
    AID_DELIVERED = "aid_delivered"
    OTHER = "other"


class Precision(StrEnum):
    """How exactly a place is known, finest first."""

    POINT = "point"
    DISTRICT = "district"
    GOVERNORATE = "governorate"
    REGION = "region"
    COUNTRY = "country"
    UNRESOLVED = "unresolved"


class FactStatus(StrEnum):
    """Review state of a fact; nothing is deleted, a rejection is a status."""

    UNREVIEWED = "unreviewed"
    VERIFIED = "verified"
    CORRECTED = "corrected"
    REJECTED = "rejected"
    ADDED = "added"  # a figure an analyst added that the extractor missed


def normalise_text(text: str) -> str:
    """The form a document's id is computed on: NFC, unified newlines, trimmed.

    Two files that differ only in line endings, a BOM or trailing blanks are
    the same document.
    """
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    return text.lstrip("\ufeff").strip()


def document_id(text: str) -> str:
    """Content hash of the normalised text (first 16 hex digits of SHA-256)."""
    return hashlib.sha256(normalise_text(text).encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class Document:
    """A text as ingested. ``text`` never changes after ingest: spans point into it."""

    id: str
    text: str
    url: str | None = None
    title: str | None = None
    publisher: str | None = None
    published: date | None = None
    language: str | None = None
    origin: str | None = None  # file path or upload name it came from
    fmt: str = "text"  # text, html, pdf, jsonl, csv...
    locations: tuple[tuple[int, str], ...] = ()  # (offset, "page 2") marks into text

    @classmethod
    def from_text(cls, text: str, **meta: Any) -> Document:
        """Build a document whose id is the hash of its normalised text.

        The text itself is kept exactly as given (spans point into it); only
        the id is computed on the normalised form.
        """
        if not normalise_text(text):
            raise ValidationError("the document has no text")
        return cls(id=meta.pop("id", None) or document_id(text), text=text, **meta)

    def location_of(self, offset: int) -> str | None:
        """Where in the source file the character at ``offset`` came from (PDF page...)."""
        found = None
        for start, label in self.locations:
            if start > offset:
                break
            found = label
        return found

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "url": self.url,
            "title": self.title,
            "publisher": self.publisher,
            "published": self.published.isoformat() if self.published else None,
            "language": self.language,
            "text": self.text,
        }


@dataclass(frozen=True, slots=True)
class Evidence:
    """The exact characters of a document that state a figure."""

    doc_id: str
    start: int  # into Document.text, inclusive
    end: int  # exclusive
    quote: str  # == Document.text[start:end]

    def check(self, text: str) -> None:
        if text[self.start : self.end] != self.quote:
            raise ValidationError(
                f"evidence [{self.start}, {self.end}) does not match its quote", where=self.doc_id
            )


@dataclass(frozen=True, slots=True)
class ResolvedPlace:
    """A place name as written, and what the gazetteer made of it."""

    name: str  # as written in the text
    place_id: str | None = None
    canonical: str | None = None
    kind: str | None = None  # city, village, adm1, adm2, region, country...
    country: str | None = None  # ISO 3166-1 alpha-2
    admin1: str | None = None
    admin1_code: str | None = None
    admin2: str | None = None
    admin2_code: str | None = None
    lat: float | None = None
    lon: float | None = None
    precision: Precision = Precision.UNRESOLVED
    score: float = 0.0
    candidates: tuple[str, ...] = ()  # other place ids when ambiguous

    def to_json(self) -> dict[str, Any]:
        # field by field: ``dataclasses.asdict`` deep-copies every value, and a page
        # of the review queue spent most of its time there
        return {
            "name": self.name,
            "place_id": self.place_id,
            "canonical": self.canonical,
            "kind": self.kind,
            "country": self.country,
            "admin1": self.admin1,
            "admin1_code": self.admin1_code,
            "admin2": self.admin2,
            "admin2_code": self.admin2_code,
            "lat": self.lat,
            "lon": self.lon,
            "precision": str(self.precision),
            "score": self.score,
            "candidates": list(self.candidates),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ResolvedPlace:
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        known["precision"] = Precision(known.get("precision") or "unresolved")
        known["candidates"] = tuple(known.get("candidates") or ())
        return cls(**known)


Span = tuple[int, int]


@dataclass(frozen=True, slots=True)
class FieldSpans:
    """Where a fact's meaning was read: character spans of the document text.

    The period, the source and each place may come from the figure's own
    sentence or from an earlier one (a heading, the opening, "it said"); an
    analyst sees why a figure is dated, attributed and placed as it is. Null
    where the field was not read from the text (no period, the publication
    date, the document's subject).
    """

    period: Span | None = None
    source: Span | None = None
    places: tuple[Span, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "period": list(self.period) if self.period else None,
            "source": list(self.source) if self.source else None,
            "places": [list(p) for p in self.places],
        }

    @classmethod
    def from_json(cls, data: Any) -> FieldSpans:
        if not isinstance(data, dict):
            return cls()

        def span(v: Any) -> Span | None:
            if isinstance(v, (list, tuple)) and len(v) == 2:
                return (int(v[0]), int(v[1]))
            return None

        places = tuple(s for s in (span(v) for v in data.get("places") or ()) if s)
        return cls(span(data.get("period")), span(data.get("source")), places)

    def __bool__(self) -> bool:
        return bool(self.period or self.source or self.places)


FACT_SCHEMA_FIELDS = (
    "doc",
    "quote",
    "span",
    "value",
    "value_high",
    "value_text",
    "qualifier",
    "unit",
    "category",
    "subject",
    "places",
    "date_start",
    "date_end",
    "source",
    "is_total",
)


class AdminCoded(Protocol):
    """Anything placed by admin codes: a ``ResolvedPlace``, reconcile's place keys."""

    @property
    def admin1_code(self) -> str | None: ...

    @property
    def admin2_code(self) -> str | None: ...


def shared_area(places: Iterable[AdminCoded]) -> tuple[str | None, str | None]:
    """(admin1, admin2) codes of the area several places are at, together.

    One place, or a place with the areas around it ("Saraqib, Idlib"): its codes.
    Several places side by side ("Saraqib, Ariha and Khan al-Subul"): the area
    they share, since a count for them cannot be split between them; places in
    two governorates share no governorate code at all. Places without codes
    say nothing either way.
    """
    admin1 = {p.admin1_code for p in places if p.admin1_code}
    admin2 = {p.admin2_code for p in places if p.admin2_code}
    one1 = next(iter(admin1)) if len(admin1) == 1 else None
    one2 = next(iter(admin2)) if len(admin2) == 1 and len(admin1) <= 1 else None
    return one1, one2


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


def _date(v: Any, name: str) -> date | None:
    if v in (None, ""):
        return None
    if isinstance(v, date):
        return v
    try:
        return date.fromisoformat(str(v)[:10])
    except ValueError as exc:
        raise ValidationError(f"{name} is not an ISO date: {v!r}") from exc


_JSON = json.JSONEncoder(ensure_ascii=False)


def _json_float(v: float) -> str:
    return float.__repr__(v) if math.isfinite(v) else _JSON.encode(v)


# how json's C encoder writes a value of each exact type (ensure_ascii=False)
_ENCODE: dict[type, Any] = {
    str: _json_str,
    int: int.__repr__,
    bool: {True: "true", False: "false"}.__getitem__,
    type(None): "null".format,
    float: _json_float,
}
_FACT_TEXT = (
    '{"doc": %s, "quote": %s, "span": [%s, %s], "value": %s, "value_high": %s,'
    ' "value_text": %s, "qualifier": %s, "unit": %s, "category": %s, "subject": %s,'
    ' "places": [%s], "date_start": %s, "date_end": %s, "source": %s, "is_total": %s,'
    ' "quote_start": %s, "confidence": %s'
)


@dataclass(frozen=True, slots=True)
class Fact:
    """One figure stated in one document, with its meaning and its evidence.

    ``span`` is the character range of the number itself; ``quote`` is the
    clause around it and ``quote_start`` its offset, both into Document.text.
    """

    doc: str
    quote: str
    span: tuple[int, int]
    value: int | None
    category: Category
    unit: Unit
    qualifier: Qualifier = Qualifier.EXACT
    value_high: int | None = None
    value_text: str | None = None
    subject: str = ""
    places: tuple[str, ...] = ()
    date_start: date | None = None
    date_end: date | None = None
    source: str | None = None
    is_total: bool = False
    quote_start: int | None = None
    confidence: float = 1.0
    resolved: tuple[ResolvedPlace, ...] = ()
    field_spans: FieldSpans = field(default_factory=FieldSpans, compare=False, hash=False)
    extra: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    def __post_init__(self) -> None:
        if self.value is None and not self.value_text:
            raise ValidationError("a fact needs a value or a value_text", where=self.doc)
        if self.span[0] > self.span[1]:
            raise ValidationError(f"bad span {self.span}", where=self.doc)

    @property
    def evidence(self) -> Evidence:
        start = self.quote_start if self.quote_start is not None else self.span[0]
        return Evidence(self.doc, start, start + len(self.quote), self.quote)

    @property
    def key(self) -> str:
        """Stable identity of a fact within its document (same text -> same key)."""
        raw = f"{self.doc}|{self.span[0]}|{self.span[1]}|{self.unit}|{self.category}"
        return hashlib.sha256(raw.encode()).hexdigest()[:20]

    def with_(self, **changes: Any) -> Fact:
        return replace(self, **changes)

    def to_json(self) -> dict[str, Any]:
        """The DESIGN.md fact schema, plus our additions (readers ignore them)."""
        data: dict[str, Any] = {
            "doc": self.doc,
            "quote": self.quote,
            "span": [self.span[0], self.span[1]],
            "value": self.value,
            "value_high": self.value_high,
            "value_text": self.value_text,
            "qualifier": str(self.qualifier),
            "unit": str(self.unit),
            "category": str(self.category),
            "subject": self.subject,
            "places": list(self.places),
            "date_start": _iso(self.date_start),
            "date_end": _iso(self.date_end),
            "source": self.source,
            "is_total": self.is_total,
            "quote_start": self.quote_start,
            "confidence": round(self.confidence, 3),
        }
        if self.resolved:
            data["resolved_places"] = [p.to_json() for p in self.resolved]
        if self.field_spans:
            data["evidence"] = self.field_spans.to_json()
        data.update({k: v for k, v in self.extra.items() if k not in data})
        return data

    def to_json_text(self) -> str:
        """``json.dumps(self.to_json(), ensure_ascii=False)``, the same text written
        field by field: ``extract-file`` writes one per fact, and the dictionary and the
        encoder's walk over it cost as much as some extraction steps. A fact with
        resolved places or extra fields, or a value of another type than the schema's,
        takes the general way."""
        if self.resolved or self.extra:
            return _JSON.encode(self.to_json())
        sp = self.span
        fs = self.field_spans
        values = (
            self.doc,
            self.quote,
            sp[0],
            sp[1],
            self.value,
            self.value_high,
            self.value_text,
            str(self.qualifier),
            str(self.unit),
            str(self.category),
            self.subject,
            _iso(self.date_start),
            _iso(self.date_end),
            self.source,
            self.is_total,
            self.quote_start,
            round(self.confidence, 3),
        )
        enc = _ENCODE
        try:
            parts = [enc[type(x)](x) for x in values]
            places = ", ".join([enc[type(x)](x) for x in self.places])
            if fs:
                spans = (fs.period or (), fs.source or (), *fs.places)
                ints = [", ".join([enc[type(i)](i) for i in p]) for p in spans]
        except KeyError:  # a value of another type: the encoder's own way
            return _JSON.encode(self.to_json())
        text = _FACT_TEXT % (*parts[:11], places, *parts[11:])
        if not fs:
            return text + "}"
        period = f"[{ints[0]}]" if fs.period else "null"
        source = f"[{ints[1]}]" if fs.source else "null"
        spots = ", ".join([f"[{x}]" for x in ints[2:]])
        evidence = f'{{"period": {period}, "source": {source}, "places": [{spots}]}}'
        return f'{text}, "evidence": {evidence}}}'

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Fact:
        """Read the fact schema; tolerate gold facts (no span) and unknown fields."""
        try:
            span = data.get("span")
            if span is None:
                span = (0, 0)
            value = data.get("value")
            value_high = data.get("value_high")
            return cls(
                doc=str(data["doc"]),
                quote=data.get("quote") or "",
                span=(int(span[0]), int(span[1])),
                value=int(value) if value is not None else None,
                value_high=int(value_high) if value_high is not None else None,
                value_text=data.get("value_text"),
                qualifier=Qualifier(data.get("qualifier") or "exact"),
                unit=Unit(data.get("unit") or "other"),
                category=Category(data.get("category") or "other"),
                subject=data.get("subject") or "",
                places=tuple(data.get("places") or ()),
                date_start=_date(data.get("date_start"), "date_start"),
                date_end=_date(data.get("date_end"), "date_end"),
                source=data.get("source"),
                is_total=bool(data.get("is_total")),
                quote_start=data.get("quote_start"),
                confidence=float(data.get("confidence", 1.0)),
                resolved=tuple(
                    ResolvedPlace.from_json(p) for p in data.get("resolved_places") or ()
                ),
                field_spans=FieldSpans.from_json(data.get("evidence")),
            )
        except (KeyError, TypeError, ValueError) as exc:
            if isinstance(exc, ValidationError):
                raise
            raise ValidationError(f"not a fact: {exc}") from exc


@dataclass(frozen=True, slots=True)
class Place:
    """A gazetteer entry."""

    id: str
    name: str
    kind: str  # country, adm1, adm2, adm3, city, town, village, region
    country: str
    lat: float | None = None
    lon: float | None = None
    admin1_code: str | None = None
    admin1: str | None = None
    admin2_code: str | None = None
    admin2: str | None = None
    admin3_code: str | None = None
    admin3: str | None = None
    population: int = 0
    names: tuple[str, ...] = ()  # alternates, Arabic included
    bbox: tuple[float, float, float, float] | None = None  # min_lon, min_lat, max_lon, max_lat
    source: str | None = None  # where the entry (and its coordinates) came from


@dataclass(frozen=True, slots=True)
class Source:
    """An organisation figures are attributed to, by its canonical name."""

    name: str
    aliases: tuple[str, ...] = ()
    reliability: float = 0.5  # 0..1, from data/vocab/sources.yaml


@dataclass(frozen=True, slots=True)
class Flag:
    """What a plausibility check found about a figure, for a person to look at.

    ``code`` names the check (``household_size``, ``parts_exceed_total``,
    ``cumulative_falls``, ``sources_disagree``); ``message`` says what it saw.
    ``figure`` is the figure's id when the flag is listed apart from it (the
    flags of a ``total``). ``str()`` is the stored and JSON form,
    "[<figure>: ]<code>: <message>", which ``parse`` reads back.
    """

    code: str
    message: str
    figure: str | None = None

    def __str__(self) -> str:
        text = f"{self.code}: {self.message}" if self.code else self.message
        return f"{self.figure}: {text}" if self.figure else text

    def on(self, figure: str) -> Flag:
        """This flag, said of ``figure``."""
        return Flag(self.code, self.message, figure)

    @classmethod
    def parse(cls, text: str) -> Flag:
        """A flag's stored form ("<code>: <message>") back to the record."""
        code, sep, message = text.partition(": ")
        if sep and code and " " not in code and code == code.lower():
            return cls(code, message)
        return cls("", text)


@dataclass(frozen=True, slots=True)
class Figure:
    """Facts from one or more documents about the same count, reconciled.

    ``best`` is chosen by ``rule`` (said in words in ``explanation``); ``low``
    and ``high`` span what the sources say. ``part_of`` and ``parts`` link a
    total to the figures it contains, so sums use one or the other.
    """

    id: str
    category: Category
    unit: Unit
    subject: str
    places: tuple[str, ...]
    date_start: date | None
    date_end: date | None
    low: int | None
    best: int | None
    high: int | None
    rule: str
    explanation: str
    facts: tuple[Fact, ...]
    sources: tuple[str, ...]
    is_total: bool = False
    parts: tuple[str, ...] = ()
    part_of: tuple[str, ...] = ()
    flags: tuple[Flag, ...] = ()
    resolved: tuple[ResolvedPlace, ...] = ()


@dataclass(frozen=True, slots=True)
class Ingested:
    """What a reader yields: a document, and its facts when the source already
    states them (an ACLED or HXL row, our own export). ``facts is None`` means
    "extract them from the text"."""

    document: Document
    facts: tuple[Fact, ...] | None = None


@dataclass(frozen=True, slots=True)
class StoredFact:
    """A fact as the store holds it: its id, its review status and when it last changed."""

    id: str
    fact: Fact
    status: FactStatus = FactStatus.UNREVIEWED
    document_title: str | None = None
    document_url: str | None = None
    publisher: str | None = None
    published: date | None = None
    version: int = 1  # moves on every review change (optimistic concurrency)
    author: str | None = None  # whose values it holds (a correction, an added figure)
    assignee: str | None = None  # the analyst it is assigned to
    updated_at: Any = None  # datetime (UTC) of the last change


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One change to a fact: who, when, what it was, what it became."""

    id: int
    at: Any  # datetime (UTC)
    user: str
    action: str
    fact_id: str | None
    old: dict[str, Any] | None
    new: dict[str, Any] | None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class User:
    id: int
    name: str
    role: str  # viewer, analyst, admin
    password_hash: str
    active: bool = True
