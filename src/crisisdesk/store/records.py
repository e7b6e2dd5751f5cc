"""The records the store hands out and takes in for reconciling, besides ``model``'s.

Reconcile asks the store questions (``Question``) and gets typed rows back:
``FactRow`` (a fact as reconciling needs it, with its document and resolved
places) and ``StoredFigure`` (a figure as ``reconcile_store`` wrote it). It
hands figures back as ``FigureRow``. No SQL and no driver rows cross this line.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import NamedTuple

from crisisdesk.model import (
    Category,
    Fact,
    FactStatus,
    FieldSpans,
    Flag,
    Qualifier,
    ResolvedPlace,
    StoredFact,
    Unit,
)


@dataclass(frozen=True, slots=True)
class PlaceMatch:
    """What a place asked for by the user matches: codes when known, its name always."""

    text: str
    place_ids: frozenset[str] = frozenset()
    admin1_codes: frozenset[str] = frozenset()
    admin2_codes: frozenset[str] = frozenset()
    # other names of the place (lower case) that unresolved places may carry
    names: frozenset[str] = frozenset()

    @property
    def all_names(self) -> frozenset[str]:
        return frozenset({self.text.lower(), *self.names})

    @property
    def by_code(self) -> bool:
        return bool(self.place_ids or self.admin1_codes or self.admin2_codes)


@dataclass(frozen=True, slots=True)
class Question:
    """What ``total`` (and the verified-only figures) ask of the store: the facts or
    figures of one category and unit, at a place, over a period. ``place`` is the
    place already looked up (``Store.find_place``); None means anywhere."""

    category: str
    unit: str | None = None
    place: PlaceMatch | None = None
    date_from: date | None = None
    date_to: date | None = None
    verified_only: bool = False


# enum members by value: a dict lookup instead of an Enum call per column per row
_STATUS = {m.value: m for m in FactStatus}
_QUALIFIER = {m.value: m for m in Qualifier}
_UNIT = {m.value: m for m in Unit}
_CATEGORY = {m.value: m for m in Category}


class FactRow(NamedTuple):
    """A stored fact as reconciling reads it: the columns of ``facts`` that say what
    it counts (in table order; ``rows.FACT_COLUMNS`` checks them against the
    schema), its document's, and its places in written order.

    A tuple, not a ``Fact``: ``total`` reads thousands and ``reconcile`` a
    million, and most never need the ``Fact`` (``fact()`` builds it on demand).
    """

    id: str
    doc_id: str
    quote: str
    quote_start: int | None
    span_start: int
    span_end: int
    value: int | None
    value_high: int | None
    value_text: str | None
    qualifier: str
    unit: str
    category: str
    subject: str | None
    date_start: date | None
    date_end: date | None
    source: str | None
    is_total: bool
    confidence: float
    status: str
    evidence: str | None  # FieldSpans as JSON text, decoded by ``fact()``
    title: str | None
    url: str | None
    publisher: str | None
    published: date | None
    places: tuple[ResolvedPlace, ...]

    @property
    def coded(self) -> bool:
        """Whether any place was resolved to a gazetteer id or an admin code."""
        return any(p.place_id or p.admin1_code for p in self.places)

    def fact(self) -> Fact:
        """The ``Fact``, its store id in ``extra["fact_id"]``; resolutions only when some
        place was resolved, names as the places were written."""
        return Fact(
            doc=self.doc_id,
            quote=self.quote,
            span=(self.span_start, self.span_end),
            value=self.value,
            value_high=self.value_high,
            value_text=self.value_text,
            qualifier=_QUALIFIER[self.qualifier],
            unit=_UNIT[self.unit],
            category=_CATEGORY[self.category],
            subject=self.subject or "",
            places=tuple(p.name for p in self.places),
            date_start=self.date_start,
            date_end=self.date_end,
            source=self.source,
            is_total=bool(self.is_total),
            quote_start=self.quote_start,
            confidence=self.confidence,
            resolved=self.places if self.coded else (),
            field_spans=field_spans(self.evidence),
            extra={"fact_id": self.id},
        )

    def stored(self) -> StoredFact:
        return StoredFact(
            id=self.id,
            fact=self.fact(),
            status=_STATUS[self.status],
            document_title=self.title,
            document_url=self.url,
            publisher=self.publisher,
            published=self.published,
        )


def field_spans(text: str | None) -> FieldSpans:
    """The ``evidence`` column (JSON text, or NULL for facts stored before it) decoded."""
    return FieldSpans.from_json(json.loads(text)) if text else FieldSpans()


class FigureRow(NamedTuple):
    """A reconciled figure as the store writes it. Periods are day ordinals (as
    reconcile keeps them); ``facts`` are its fact ids, ``parts`` the figures it holds."""

    id: str
    category: str
    unit: str
    subject: str
    place_name: str | None
    place_id: str | None
    country: str | None
    admin1_code: str | None
    admin2_code: str | None
    start: int | None
    end: int | None
    low: int | None
    best: int | None
    high: int | None
    rule: str
    explanation: str
    is_total: bool
    sources: tuple[str, ...]
    flags: tuple[Flag, ...]
    part_of: tuple[str, ...]
    places: tuple[str, ...]
    facts: tuple[str, ...]
    parts: tuple[str, ...]


@dataclass(slots=True, eq=False)
class StoredFigure:
    """A stored figure as read back: enough to count it or say why it is left out,
    without its facts. ``start``/``end`` are day ordinals, as in reconcile."""

    id: str
    category: str
    unit: str
    subject: str
    places: tuple[str, ...]
    start: int | None
    end: int | None
    low: int | None
    best: int | None
    high: int | None
    is_total: bool
    sources: tuple[str, ...]
    flags: tuple[Flag, ...]
    part_of: list[str]
    # where the figure is: the area its places share (``model.shared_area``)
    place_id: str | None = None
    country: str | None = None
    admin1_code: str | None = None
    admin2_code: str | None = None
    rule: str = ""
    explanation: str = ""


@dataclass(slots=True)
class FiguresRead:
    """Stored figures read back in full: each figure's facts, and its links."""

    figures: list[StoredFigure]
    facts: dict[str, list[FactRow]]  # figure id -> its facts
    parts: dict[str, list[str]]  # total id -> the figures it holds
    part_of: dict[str, list[str]]  # part id -> the totals holding it (when asked)


@dataclass(frozen=True, slots=True)
class FactsState:
    """What the store looked like before a reconcile read it."""

    facts: int
    last_update: datetime | None
    version: int | None


@dataclass(frozen=True, slots=True)
class LastRun:
    """The last reconcile run: the store version and source reliabilities it used."""

    store_version: int | None
    reliability: str | None
    finished_at: datetime | None = None  # when it wrote its figures (UTC)
