"""The working records of one document's extraction, shared by its components.

``Draft`` is a figure being built: each component (reading, categorise,
placing, dating, attribution, totals) fills its own fields. ``DocState`` holds
what a document computes once and every figure reuses: its sentences, date and
source context, and per-sentence caches of periods, cues, places and
attributions.

The small records made by the thousand per document (Sentence, NumberMention, Head,
Period, PlaceMention, Attribution) are declared ``slots=True, unsafe_hash=True``
rather than frozen: they are never changed after they are made (``replace`` makes a
new one), and a frozen dataclass sets each field through ``object.__setattr__``,
which made building them about four times slower (equality and hashing are the same).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from typing import TYPE_CHECKING

from crisisdesk.extract import categories as cat
from crisisdesk.extract.numbers import NumberMention
from crisisdesk.extract.periods import DateContext, Period, find_periods
from crisisdesk.extract.places import Mentions, PlaceMention, mentions, places_of
from crisisdesk.extract.report_dates import dateline_day
from crisisdesk.extract.sources import (
    Attribution,
    SourceContext,
    attributions,
    sentence_organisations,
)
from crisisdesk.extract.statement_days import continued_statement_day
from crisisdesk.extract.text import Sentence, lower_same_length
from crisisdesk.model import Document, Qualifier

if TYPE_CHECKING:
    from crisisdesk.extract.frame import DateFrame


# the links that make a figure a part of the one it leans on ("including 5 children", "of
# them, 3"): a part's period, place and source are its whole's
PART_LINKS = ("including", "partitive")
# a note: a toll dated by the day it was reported (dating sets it, totals reads it)
TOLD_ON_ITS_DAY = "told: the day's toll"


@dataclass(slots=True)
class Draft:
    """A figure being built; fields are filled step by step."""

    m: NumberMention
    sentence: Sentence
    clause: tuple[int, int]
    qual_start: int  # where the qualifier (or the number) starts
    head: cat.Head
    np_end: int
    qualifier: Qualifier | None = None
    fwd: str | None = None
    unit: str | None = None
    category: str | None = None
    subject: str = ""
    link: str | None = None  # pair, including, partitive, additive, elliptical
    ante: Draft | None = None
    places: tuple[str, ...] = ()
    place_spans: tuple[tuple[int, int], ...] = ()  # where each place was read, when it was
    period: Period | None = None
    source: str | None = None
    source_span: tuple[int, int] | None = None  # where the attribution was read
    is_total: bool = False
    has_parts: bool = False
    confidence: float = 1.0
    dropped: str | None = None
    notes: list[str] = field(default_factory=list)
    cues: list[tuple[int, int, str]] = field(default_factory=list)


@dataclass(slots=True)
class DocState:
    """Per-document working state, built once per call (never shared)."""

    doc: Document
    sents: list[Sentence]
    dates: DateContext
    sources: SourceContext
    period_cache: dict[int, list[Period]] = field(default_factory=dict)
    cue_cache: dict[int, list[tuple[int, int, str]]] = field(default_factory=dict)
    place_cache: dict[int, list[PlaceMention]] = field(default_factory=dict)
    mention_cache: dict[int, Mentions] = field(default_factory=dict)
    attr_cache: dict[int, list[Attribution]] = field(default_factory=dict)
    source_cache: dict[int, tuple[str | None, tuple[int, int] | None]] = field(default_factory=dict)
    org_lists: list[list[tuple[int, int, str]]] | None = None  # organisations by sentence
    date_frame: DateFrame | None = None  # built once by frame.build_frame
    title_cache: list[Period] | None = None  # the title's periods (two readers ask)
    # plain attributes, not properties: every component reads them, tens of times per figure
    text: str = field(init=False)
    low: str = field(init=False)  # the text lower-cased, same offsets (fast case-blind scans)
    # each paragraph's start and end: from its first sentence's start to its last's end
    paragraph_spans: dict[int, tuple[int, int]] = field(init=False)

    def __post_init__(self) -> None:
        self.text = self.doc.text
        self.low = lower_same_length(self.text)
        self.paragraph_spans = {}
        for s in self.sents:
            start = self.paragraph_spans.get(s.paragraph, (s.start, 0))[0]
            self.paragraph_spans[s.paragraph] = (start, s.end)

    def periods(self, i: int) -> list[Period]:
        if i not in self.period_cache:
            s = self.sents[i]
            found = find_periods(self.text, s.start, s.end, self.dates, self.low)
            said = self._statement_day(i, found)
            if said is not None:  # "The ministry said in a statement that within the past ..."
                told = replace(self.dates, published=said, now=said)
                found = find_periods(self.text, s.start, s.end, told, self.low)
            self.period_cache[i] = [dateline_day(self.text, p) for p in found]
        return self.period_cache[i]

    def _statement_day(self, i: int, found: list[Period]) -> date | None:
        """The day of the statement sentence ``i`` goes on reporting, when it is not the
        publication day and the sentence states no reporting day of its own."""
        if i == 0 or any(p.report for p in found) or self.dates.published is None:
            return None
        s = self.sents[i]
        day = continued_statement_day(self.low, s.start, s.end, self.periods(i - 1))
        return day if day is not None and day < self.dates.published else None

    def title_periods(self) -> list[Period]:
        """The date expressions of the title, found once (the date frame and the totals'
        document frame both read them)."""
        if self.title_cache is None:
            title = self.doc.title or ""
            self.title_cache = find_periods(title, 0, len(title), self.dates)
        return self.title_cache

    def attrs(self, i: int) -> list[Attribution]:
        if i not in self.attr_cache:
            s = self.sents[i]
            named = self.organisations()[i]
            self.attr_cache[i] = attributions(self.text, s.start, s.end, self.sources, named)
        return self.attr_cache[i]

    def organisations(self) -> list[list[tuple[int, int, str]]]:
        """The organisations each sentence names, read in one pass over the text."""
        if self.org_lists is None:
            bounds = [(s.start, s.end) for s in self.sents]
            self.org_lists = sentence_organisations(self.text, bounds, self.sources)
        return self.org_lists

    def cues(self, i: int) -> list[tuple[int, int, str]]:
        if i not in self.cue_cache:
            s = self.sents[i]
            self.cue_cache[i] = cat.cues_in(self.text, s.start, s.end)
        return self.cue_cache[i]

    def sentence_places(self, i: int) -> list[PlaceMention]:
        """Places of one sentence, found on first use (most sentences never need them)."""
        if i not in self.place_cache:
            self.place_cache[i] = places_of(self.text, self.place_mentions(i))
        return self.place_cache[i]

    def place_mentions(self, i: int) -> Mentions:
        """Every place mention of a sentence, destinations and aid origins marked: one
        scan that its places and its aid places are both read from."""
        if i not in self.mention_cache:
            s = self.sents[i]
            self.mention_cache[i] = mentions(self.text, s.start, s.end)
        return self.mention_cache[i]

    def places_in(self, i: int, start: int, end: int) -> list[PlaceMention]:
        return [p for p in self.sentence_places(i) if start <= p.start and p.end <= end]
