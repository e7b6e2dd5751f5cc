"""The date context of a document: its publication date, or what its text implies, and the
year each day or month the text names with one carries to the same day named without it."""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta
from functools import cache
from types import MappingProxyType

from crisisdesk.extract.asides import is_aside
from crisisdesk.extract.compiled import compile_rx
from crisisdesk.extract.periods import _YEAR, YEAR_RX, DateContext
from crisisdesk.vocab import month_numbers, phrase_pattern, vocab_list


@cache
def _stated_regex() -> re.Pattern[str]:
    # full month names, not the short forms; "May" is both (a modal verb is never followed
    # by a year, so "May 2020" is a month stated like "June 2020")
    months = phrase_pattern([m for m in month_numbers() if len(m) > 3 or m == "may"])
    return compile_rx(
        rf"\b(?:(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\s+)?(?P<m>{months})\s+"
        rf"(?:(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?,?\s+)?"
        rf"(?P<y>{_YEAR})\b|\b(?:in|since|of|during)\s+(?P<yo>{_YEAR})\b",
        re.I,
    )


def _stated_dates(text: str) -> list[re.Match[str]]:
    """Matches of the stated-date pattern, found from the years in the text: every such date
    names a year, and scanning for years is far cheaper than trying the pattern everywhere."""
    rx = _stated_regex()
    out: list[re.Match[str]] = []
    last_end = 0
    for y in YEAR_RX.finditer(text):
        lo = max(last_end, y.start() - 32)
        for m in rx.finditer(text, lo, min(len(text), y.end() + 1)):
            if m.start("y") == y.start() or m.start("yo") == y.start():
                out.append(m)
                last_end = m.end()
                break
    return out


_SINCE_BEFORE = compile_rx(r"\bsince\b[^.,;:\n]{0,60}$", re.I)  # a "since" opening the clause


@cache
def _started_in() -> re.Pattern[str]:
    """A verb of a war's start right before a month ("the war, which erupted in April 2023",
    "fighting broke out in"): the month it began, which the page is after."""
    verbs = phrase_pattern(vocab_list("periods", "start_verbs"))
    return compile_rx(rf"\b(?:{verbs})\s+(?:in\s+)?$", re.I)


def context_for(text: str, published: date | None, title: str | None = None) -> DateContext:
    """The date context of a document: its publication date, or what its title or its text
    implies, and the year of each day or month the text states with one ("since 8 October
    2023" gives a later "since 8 October" its year)."""
    latest: date | None = None
    year_hint: int | None = None
    floor: int | None = None  # the latest year a "since" starts in: the page is no earlier
    stated: dict[tuple[int, int], int] = {}
    for m in _stated_dates(text):
        if m.group("yo"):
            # "since 2017" bounds the page's year from below only: a later "On March 19"
            # may be any year after it (the page carries no date)
            y = int(m.group("yo"))
            if not m.group(0).lower().startswith("since"):
                year_hint = max(year_hint or y, y)
            else:
                floor = max(floor or y, y)
            continue
        y = int(m.group("y"))
        mo = month_numbers()[m.group("m").lower()]
        day = m.group("d1") or m.group("d2")
        if not is_aside(text, m.start(), False):
            # ("a tenfold increase compared to January 2019": a later "January" is not 2019)
            stated.setdefault((mo, int(day) if day else 0), y)
        if not day and (
            _SINCE_BEFORE.search(text, max(0, m.start() - 70), m.start())
            or _started_in().search(text, max(0, m.start() - 30), m.start())
        ):
            # "Since the onset of the conflict in December 2013", "Fighting erupted in April
            # 2023": a month a war started in, as "since 2017" above, bounds the page's year
            # from below only
            floor = max(floor or y, y)
            continue
        year_hint = max(year_hint or y, y)
        d = date(y, mo, calendar.monthrange(y, mo)[1])
        latest = max(latest or d, d)
    frozen = MappingProxyType(stated)
    if published:
        return DateContext(published, published.year, published, frozen)
    titled = _title_context(title or "", frozen)
    if titled is not None:
        return titled
    if floor and year_hint and year_hint < floor:
        # "since March 2022 ... a deal signed on March 23, 2009": a date before the page's
        # floor is history, no "now" for the days the page names without a year
        latest = year_hint = None
    if latest is None and year_hint is None:
        return DateContext(None)
    now = None
    if latest and not (year_hint and year_hint > latest.year):
        # (a later year stated alone, "in the first six months of 2021", puts the page after
        # "March 2015": its "now" is not the month after that date; a month with no year
        # then takes that later year)
        now = (latest.replace(day=1) + timedelta(days=32)).replace(day=1)
    return DateContext(None, year_hint, now, frozen)


def _title_context(
    title: str, stated: MappingProxyType[tuple[int, int], int]
) -> DateContext | None:
    """With no publication date, the year a periodic report's title gives its period
    ("Situation Report Weeks 30 - 31 (19 July - 1 August), 2019", "Snapshot - October
    2021") is the report's: its days named without a year lie in it, whatever later year
    its text looks ahead to ("until the next harvest in May 2022")."""
    years = [int(y.group()) for y in YEAR_RX.finditer(title)]
    if not years:
        return None
    latest: date | None = None
    for m in _stated_dates(title):
        if m.group("yo"):
            continue
        y, mo = int(m.group("y")), month_numbers()[m.group("m").lower()]
        d = date(y, mo, calendar.monthrange(y, mo)[1])
        latest = max(latest or d, d)
    now = (latest + timedelta(days=1)) if latest else None
    return DateContext(None, max(years), now, stated)
