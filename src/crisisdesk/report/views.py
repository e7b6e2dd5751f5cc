"""The records a situation report is made of, ready to lay out: ``Sitrep`` and
its parts (headlines, series, map points, table rows, footnotes), and the
``Filters`` it was built for. The renderers only read these."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from crisisdesk.model import Category, Figure, Flag, Unit
from crisisdesk.report.words import fmt_date, period_text

CARD_ITEMS = 3  # figures a key-figure card shows; the others are in the table


@dataclass(frozen=True, slots=True)
class Footnote:
    """The sentence a number came from, and the document that says it."""

    number: int
    quote: str
    doc_id: str
    span: tuple[int, int]
    title: str | None
    publisher: str | None
    published: date | None
    url: str | None


@dataclass(frozen=True, slots=True)
class CardItem:
    """One figure on a key-figure card, as reported: the number with its qualifier as
    written ("more than 130") or its range ("10–15"), its own period and place, and
    whether that period reaches outside the report's window."""

    value: str  # "more than 130", "10–15", "520,000"
    qualifier: str  # the words before the number as written, "" when exact
    best: int | None
    period: str
    place: str
    outside: bool = False  # the period starts before or ends after the window
    sources: tuple[str, ...] = ()
    figure_ids: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Headline:
    label: str
    category: Category
    unit: Unit | None
    best: int | None
    low: int | None
    high: int | None
    rule: str  # how the best value was chosen, in plain words
    figures: int  # how many figures it rests on
    flags: tuple[Flag, ...] = ()
    footnotes: tuple[int, ...] = ()
    sources: tuple[str, ...] = ()  # who the figures behind it are attributed to
    used: tuple[Figure, ...] = ()  # the figures the best value adds up (reconciled only)
    items: tuple[CardItem, ...] = ()  # what the card shows: the window's count first
    shown: tuple[Figure, ...] = ()  # every figure a card item rests on (map and tests)

    @property
    def card_items(self) -> tuple[CardItem, ...]:
        """What the card shows (the rest are in the table); the map draws the same."""
        return self.items[:CARD_ITEMS]

    @property
    def has_range(self) -> bool:
        return self.low is not None and self.high is not None and self.low != self.high


@dataclass(frozen=True, slots=True)
class SeriesBin:
    start: date
    end: date
    values: dict[str, float]  # series name -> amount in this bin


@dataclass(frozen=True, slots=True)
class Series:
    title: str
    names: tuple[str, ...]  # the series drawn, in legend order
    step: str  # "day", "week" or "month"
    bins: tuple[SeriesBin, ...]
    note: str = ""
    marks: tuple[Mark, ...] = ()
    window: tuple[date, date] | None = None

    @property
    def is_empty(self) -> bool:
        return not self.marks


@dataclass(frozen=True, slots=True)
class Mark:
    """One reported figure on a chart, at the resolution it was reported."""

    series: str
    kind: str  # "day" (a single day's count), "period" (a figure over days), "tally"
    start: date
    end: date
    value: int
    text: str  # the value as reported, with its qualifier
    clipped: bool = False  # its period runs past the chart's window


@dataclass(frozen=True, slots=True)
class MapPoint:
    name: str
    lat: float
    lon: float
    people: int  # killed, injured and displaced people stated for this place
    figures: int
    label: str  # e.g. "Ariha: 12 killed, 3,000 displaced"
    area: str | None = None  # gazetteer id of the area it is counted for (adm1, country)
    bbox: tuple[float, float, float, float] | None = None  # that area's extent
    values: tuple[int, ...] = ()  # the card figures drawn here, one per line
    cards: tuple[str, ...] = ()  # the card (label) each value belongs to
    lines: tuple[str, ...] = ()  # "520,000 people displaced (1 Dec 2019 – 7 Feb 2020)"
    areas: tuple[tuple[float, float, float, float], ...] = ()  # extents of areas with no polygon
    codes: tuple[str, ...] = ()  # admin1 codes of the first-level areas it is counted for


@dataclass(frozen=True, slots=True)
class TableRow:
    category: str
    unit: str
    subject: str
    value: str  # best, with the range when sources differ
    place: str
    period: str
    sources: str
    rule: str
    is_total: bool
    flags: tuple[Flag, ...]
    footnotes: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class NotPlaced:
    """A figure whose places did not resolve: counted nowhere, listed with its quote."""

    category: str
    value: str
    place: str  # as written
    period: str
    quote: str
    footnotes: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class Sitrep:
    """Everything a situation report shows, ready to lay out."""

    title: str
    generated: date
    date_from: date | None
    date_to: date | None
    place: str | None
    categories: tuple[str, ...]
    verified_only: bool
    reconciled: bool
    headlines: tuple[Headline, ...]
    casualties: Series
    displacement: Series
    attacks: tuple[tuple[str, int], ...]
    points: tuple[MapPoint, ...]
    unlocated: int  # figures with no coordinates, left off the map
    rows: tuple[TableRow, ...]
    footnotes: tuple[Footnote, ...]
    flags: tuple[str, ...]
    documents: int
    facts: int
    not_placed: tuple[NotPlaced, ...] = ()  # figures counted nowhere: their places did not resolve
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def is_empty(self) -> bool:
        return not self.rows

    @property
    def period_text(self) -> str:
        return period_text(self.date_from, self.date_to)

    @property
    def scope_text(self) -> str:
        """ "Idlib, 1 January 2020 – 31 January 2020" or "all places, all dates"."""
        return f"{self.place or 'all places'}, {self.period_text}"

    @property
    def empty_message(self) -> str:
        where = f"for {self.place}" if self.place else "in the store"
        when = f" between {fmt_date(self.date_from)} and {fmt_date(self.date_to)}"
        if not (self.date_from and self.date_to):
            when = f" ({self.period_text})" if (self.date_from or self.date_to) else ""
        kinds = f" in the categories {', '.join(self.categories)}" if self.categories else ""
        checked = " that has been verified" if self.verified_only else ""
        return f"No figure{checked} is recorded {where}{when}{kinds}."


@dataclass(frozen=True, slots=True)
class Filters:
    date_from: date | None = None
    date_to: date | None = None
    place: str | None = None
    categories: tuple[str, ...] = ()
    verified_only: bool = False
