"""A document's date frame: what its title and its text set for every figure.

Reports state a period once for the figures that follow: in the title ("Fact
Sheet (March 2020)", "Situation Report (5 to 11 June 2017)"), in an opening
sentence, or where they say when the crisis began ("fighting broke out on
April 4", "since 8 October 2023"). The frame is built once per document.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from types import MappingProxyType

from crisisdesk.extract.compiled import compile_rx
from crisisdesk.extract.draft import DocState
from crisisdesk.extract.periods import Period
from crisisdesk.extract.text import PhraseScanner
from crisisdesk.vocab import phrase_pattern, vocab_list


@dataclass(frozen=True, slots=True)
class DateFrame:
    """Periods a document sets for the figures that state none of their own."""

    published: date | None
    title: Period | None = None  # the period the title names (no words of the text: start == end)
    origin: Period | None = None  # when the counted crisis began (its tallies start there)
    first: Period | None = None  # the first period the text states (what "this period" means)
    # the first closed period it states (what "the reporting period" means: a running "since
    # X" is the span of a tally, not the period a report covers)
    covered: Period | None = None
    # starts the text names with their date ("since the start of hostilities on 27 September"),
    # by the words before the date: a later "since the start of hostilities" starts there too
    named: Mapping[str, date] = field(default_factory=lambda: MappingProxyType({}))
    as_of: Period | None = None  # the one day the text says its counts run to ("as of 7 October")
    # the span the text gives its conflict, over before publication ("the fighting from 27
    # September until a ceasefire on 11 November"): the period of its undated tallies
    conflict: Period | None = None
    conflict_end: date | None = None  # when the text says the fighting stopped ("halted the
    # fighting in March 2020"), before publication: where the offensive's tallies end


def build_frame(state: DocState) -> DateFrame:
    """The frame of one document, built once (the sentences' periods are cached)."""
    if state.date_frame is None:
        pub = state.dates.published
        origin, named = _starts(state)
        first, covered, as_of = _first_and_as_of(state)
        title = _title_period(state)
        conflict = _conflict_span(state)
        stop = _conflict_end(state)
        state.date_frame = DateFrame(
            pub, title, origin, first, covered, named, as_of, conflict, stop
        )
    return state.date_frame


def _title_period(state: DocState) -> Period | None:
    """A reporting period the title names ("... - Feb 2020", "(5 to 11 June 2017)"): a month,
    a range or a half year, named with a date (a relative "last year's" is about an
    event, not the report); a single day in a title is the report's date, not a period."""
    title = state.doc.title or ""
    for p in state.title_periods():
        named = any(c.isdigit() for c in title[p.start : p.end])  # not "last year's"
        if named and p.length == "multi" and p.date_start and p.date_end and not p.cumulative:
            return Period(0, 0, p.date_start, p.date_end, "multi")
    return None


_AS_OF_REACH = 7  # days: a report's counts run to a day just before it is issued; an older
# "as of" dates a count the report cites from elsewhere ("99 deaths as of 31 January")


def _first_and_as_of(state: DocState) -> tuple[Period | None, Period | None, Period | None]:
    """The first period the text states, the first closed one, and the day it says its
    counts run to when it names one such day only (a report counts to one day; two such
    days are two counts), in the week before publication."""
    first: Period | None = None
    covered: Period | None = None
    days: dict[date, Period] = {}
    for i in range(len(state.sents)):
        for p in state.periods(i):
            # "the deadliest raid in almost 20 years": a record's reach, no period of the text
            stated = p.date_start and not p.report and not p.aside
            if first is None and stated:
                first = p
            if covered is None and stated and not p.cumulative:
                covered = p
            if p.as_of and p.length == "day" and p.date_end and not _about_funding(state, i):
                days.setdefault(p.date_end, p)
    pub = state.dates.published
    if len(days) != 1 or pub is None:
        return first, covered, None
    day, p = next(iter(days.items()))
    return first, covered, (p if 0 <= (pub - day).days <= _AS_OF_REACH else None)


def _about_funding(state: DocState, i: int) -> bool:
    """Whether sentence ``i`` tells how far an appeal is funded: its "as of" day is the
    funding's, not the day the report's counts run to."""
    s = state.sents[i]
    return _funding_words().search(state.low, s.start, s.end) is not None


@cache
def _funding_words() -> PhraseScanner:
    return PhraseScanner(vocab_list("periods", "funding_words"))


@cache
def conflict_nouns() -> PhraseScanner:
    return PhraseScanner(vocab_list("periods", "conflict_nouns"))


def _conflict_span(state: DocState) -> Period | None:
    """The one closed span the text gives the conflict it reports on, when that span was
    over by publication (or the text has no publication date): a period of several days
    stated right after a word for the fighting in the same sentence ("the war ... from 3
    May until the truce on 9 July"). Two such spans name no one conflict."""
    pub = state.dates.published
    found: list[Period] = []
    for i, s in enumerate(state.sents):
        for p in state.periods(i):
            closed = p.date_start and p.date_end and p.length == "multi"
            if not closed or p.cumulative or p.report or p.aside or p.running:
                continue
            if pub is not None and p.date_end >= pub:  # type: ignore[operator]
                continue
            if _start_verbs().search(state.low, s.start, p.start) is not None:
                continue  # "Israel launched its offensive in late September": its start
            if _names_fighting(state.low, s.start, p.start):
                found.append(p)
    return found[0] if len(found) == 1 else None


def _names_fighting(low: str, start: int, end: int) -> bool:
    """A word for the fighting in ``low[start:end]`` whose words run on to ``end`` (the
    span's own words: "the fighting ... from 27 September until 9 July"), not one a prefix
    turns into something else ("a deal on the Idlib de-escalation zone reached in September
    2018"), nor one a comma parts from the span (a clause about something else: "the
    conflict, which has ..., threatens ..., akin to X's independence in 2011")."""
    prefixes = tuple(vocab_list("periods", "not_fighting_prefixes"))
    reach = max(map(len, prefixes), default=0)
    return any(
        not low[max(0, m.start() - reach) : m.start()].endswith(prefixes)
        and "," not in low[m.end() : end].rstrip(" ,")
        for m in conflict_nouns().finditer(low, start, end)
    )


@cache
def _start_verbs() -> PhraseScanner:
    return PhraseScanner(vocab_list("periods", "start_verbs"))


_END_REACH = 40  # characters from a verb of ending to the word for the fighting it ends


@cache
def _end_verbs() -> PhraseScanner:
    return PhraseScanner(vocab_list("periods", "end_verbs"))


def _conflict_end(state: DocState) -> date | None:
    """The day the text says the fighting stopped, when it says so once: a verb of ending
    with a word for the fighting after it, and a date in the same sentence, before
    publication ("A truce halted the fighting in March 2020")."""
    pub = state.dates.published
    ends: set[date] = set()
    low = state.low
    starts = [s.start for s in state.sents]
    for verb in _end_verbs().finditer(low):  # one scan of the text (most name no end)
        i = bisect.bisect_right(starts, verb.start()) - 1
        if i < 0 or verb.start() >= state.sents[i].end:
            continue
        s = state.sents[i]
        reach = min(s.end, verb.end() + _END_REACH)
        if conflict_nouns().search(low, verb.end(), reach) is None:
            continue
        for p in state.periods(i):
            last = p.date_end
            if last and not (p.cumulative or p.report or p.aside) and (pub is None or last < pub):
                ends.add(last)
    return next(iter(ends)) if len(ends) == 1 else None


_DATE_JOIN = compile_rx(r"\s+(?:on|in|at)\s+")


def start_key(text: str) -> str:
    """The words of a "since ..." phrase before its date, as a lookup key; the start of the
    fighting is one key however it is worded ("since the onset of the armed conflict",
    "since the beginning of the clashes")."""
    key = " ".join(_DATE_JOIN.split(text.lower())[0].split())
    return _fighting_start().sub(r"\g<lead> the start of the fighting", key)


@cache
def _fighting_start() -> re.Pattern[str]:
    starts = phrase_pattern(vocab_list("periods", "start_nouns"))
    fights = phrase_pattern(vocab_list("periods", "conflict_nouns"))
    verbs = phrase_pattern(vocab_list("periods", "start_verbs"))
    # ("since the onset of the ongoing Israel-Hamas conflict", "since the war began")
    return compile_rx(
        rf"^(?P<lead>since|from)\s+the\s+(?:(?:{starts})\s+of\s+the\s+(?:[\w’'-]+\s+){{0,3}}?"
        rf"(?:{fights})|(?:[\w’'-]+\s+){{0,2}}?(?:{fights})\s+(?:{verbs}))$"
    )


# ", when the offensive began": what a dated "since" is the start of
@cache
def _when_started() -> re.Pattern[str]:
    verbs = phrase_pattern(vocab_list("periods", "start_verbs"))
    return compile_rx(rf"\s*,\s*when\s+[^.;:]{{0,80}}?\b(?:{verbs})\b[^.;:]{{0,40}}")


# "The offensive began on 2 February", "the army launched its offensive on 2 February": the
# day the fighting started, right after the words that say so
@cache
def _started_on() -> re.Pattern[str]:
    verbs = phrase_pattern(vocab_list("periods", "start_verbs"))
    fights = phrase_pattern(vocab_list("periods", "conflict_nouns"))
    return compile_rx(
        rf"\b(?:(?:{fights})\s+(?:{verbs})|(?:{verbs})\s+(?:[\w’'-]+\s+){{0,3}}?(?:{fights}))"
        r"\s+(?:(?:on|in)\s+)?$"
    )


_STARTED_REACH = 70  # characters before a day read for the words that start the fighting


def _starts_fighting(state: DocState, i: int, p: Period) -> bool:
    """Whether the day of ``p`` (in sentence ``i``) is said to start the fighting, by the
    words before it or those its own phrase opens with ("The offensive began on 2 May")."""
    join = _DATE_JOIN.search(state.text, p.start, p.end)
    upto = join.end() if join is not None else p.start
    lo = max(state.sents[i].start, p.start - _STARTED_REACH)
    return _started_on().search(state.low, lo, upto) is not None


def _starts(state: DocState) -> tuple[Period | None, Mapping[str, date]]:
    """The earliest start the text gives a running count ("since X", "began on X": the start
    of tallies that state none), and the starts it names with their date."""
    best: Period | None = None
    named: dict[str, date] = {}
    for i in range(len(state.sents)):
        for p in state.periods(i):
            if p.date_start and not (p.report or p.aside) and _starts_fighting(state, i, p):
                named.setdefault("since the start of the fighting", p.date_start)
            if not (p.cumulative and p.date_start) or p.report or p.aside:
                continue  # "the largest since 1967" reaches back for a record, starts no count
            phrase = state.text[p.start : p.end]
            if _DATE_JOIN.search(phrase):
                named.setdefault(start_key(phrase), p.date_start)
            if _opens_fighting_since(state, i, p):
                # "Since 2 March, the two armies have traded shelling across the river": a
                # sentence of background on the fighting, no count of its own
                named.setdefault("since the start of the fighting", p.date_start)
            started = _when_started().match(state.low, p.end)
            if started and conflict_nouns().search(state.low, started.start(), started.end()):
                # "since 2 February 2024, when the offensive began": the fighting's start
                named.setdefault("since the start of the fighting", p.date_start)
            if best is None or p.date_start < best.date_start:  # type: ignore[operator]
                best = p
    return best, MappingProxyType(named)


@cache
def _fighting_words() -> PhraseScanner:
    words = vocab_list("periods", "conflict_nouns") + vocab_list("periods", "fighting_verbs")
    return PhraseScanner(words)


_DIGIT = compile_rx(r"\d")


def _opens_fighting_since(state: DocState, i: int, p: Period) -> bool:
    """A "since <date>" that opens a sentence about the fighting and counting nothing."""
    s = state.sents[i]
    low = state.low
    if low[s.start : p.start].strip(' "“') or not low.startswith("since", p.start):
        return False
    if _DIGIT.search(low, s.start, p.start) or _DIGIT.search(low, p.end, s.end):
        return False
    return _fighting_words().search(low, p.end, s.end) is not None


_WAR_START_REACH = 2  # sentences: "... killed during the war. ... since war erupted on 7 October"


def dates_its_war(state: DocState, sentence_index: int, origin: Period) -> bool:
    """Whether ``origin``, a "since" stated after a count of a war ("killed during the war"),
    is that war's start ("since war erupted on October 7"): a running count of the war
    starts there, though the date comes in a later sentence."""
    sents = state.sents
    i = next((s.index for s in sents if s.start <= origin.start < s.end), None)
    if i is None or not 0 < i - sentence_index <= _WAR_START_REACH:
        return False
    own = sents[sentence_index]
    low = state.low
    return (
        conflict_nouns().search(low, origin.start, origin.end) is not None
        and conflict_nouns().search(low, own.start, own.end) is not None
    )
