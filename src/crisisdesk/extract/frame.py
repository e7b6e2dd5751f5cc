"""A document's date frame: what its title and its text set for every figure.

Reports state a period once for the figures that follow: in the title ("Fact
Sheet (March 2020)", "Situation Report (5 to 11 June 2017)"), in an opening
sentence, or where they say when the crisis began ("fighting broke out on
April 4", "since 8 October 2023"). The frame is built once per document.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType

from crisisdesk.extract.draft import DocState
from crisisdesk.extract.periods import Period, find_periods


@dataclass(frozen=True, slots=True)
class DateFrame:
    """Periods a document sets for the figures that state none of their own."""

    published: date | None
    title: Period | None = None  # the period the title names (no words of the text: start == end)
    origin: Period | None = None  # when the counted crisis began (its tallies start there)
    first: Period | None = None  # the first period the text states (what "this period" means)
    # starts the text names with their date ("since the start of hostilities on 27 September"),
    # by the words before the date: a later "since the start of hostilities" starts there too
    named: Mapping[str, date] = field(default_factory=lambda: MappingProxyType({}))


def build_frame(state: DocState) -> DateFrame:
    """The frame of one document, built once (the sentences' periods are cached)."""
    if state.date_frame is None:
        pub = state.dates.published
        origin, named = _starts(state)
        state.date_frame = DateFrame(pub, _title_period(state), origin, _first(state), named)
    return state.date_frame


def _title_period(state: DocState) -> Period | None:
    """A reporting period the title names ("... - Feb 2020", "(5 to 11 June 2017)"): a month,
    a range or a half year, named with a date (a relative "last year's" is about an
    event, not the report); a single day in a title is the report's date, not a period."""
    title = state.doc.title or ""
    for p in find_periods(title, 0, len(title), state.dates):
        named = any(c.isdigit() for c in title[p.start : p.end])  # not "last year's"
        if named and p.length == "multi" and p.date_start and p.date_end and not p.cumulative:
            return Period(0, 0, p.date_start, p.date_end, "multi")
    return None


def _first(state: DocState) -> Period | None:
    for i in range(len(state.sents)):
        for p in state.periods(i):
            if p.date_start and not p.report:
                return p
    return None


_DATE_JOIN = re.compile(r"\s+(?:on|in|at)\s+")


def start_key(text: str) -> str:
    """The words of a "since ..." phrase before its date, as a lookup key."""
    return " ".join(_DATE_JOIN.split(text.lower())[0].split())


def _starts(state: DocState) -> tuple[Period | None, Mapping[str, date]]:
    """The earliest start the text gives a running count ("since X", "began on X": the start
    of tallies that state none), and the starts it names with their date."""
    best: Period | None = None
    named: dict[str, date] = {}
    for i in range(len(state.sents)):
        for p in state.periods(i):
            if not (p.cumulative and p.date_start) or p.report:
                continue
            phrase = state.text[p.start : p.end]
            if _DATE_JOIN.search(phrase):
                named.setdefault(start_key(phrase), p.date_start)
            if best is None or p.date_start < best.date_start:  # type: ignore[operator]
                best = p
    return best, MappingProxyType(named)
