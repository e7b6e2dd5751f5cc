"""Reporting dates: a date that says when a figure was counted or reported, not the period
of the events it counts ("as of 7 May", "reported on 2 May", "..., said a monitoring group
on 2 May", "(DTM Emergency Tracking, 17 May)", "reports Khaama Press on 12 April")."""

from __future__ import annotations

import re
from dataclasses import replace
from functools import cache
from typing import TYPE_CHECKING

from crisisdesk.extract.compiled import compile_rx
from crisisdesk.vocab import phrase_pattern, vocab_list, weekday_numbers

if TYPE_CHECKING:
    from datetime import date

    from crisisdesk.extract.periods import Period


def _words(key: str) -> tuple[str, ...]:
    return vocab_list("periods", key)


# "as of today, 13 January": the day named after "today"
_TODAY = r"(?:\s+today\s*,)?"


@cache
def _report_before() -> re.Pattern[str]:
    """Words just before a date that make it a reporting date ("as of", "reported on")."""
    leads = phrase_pattern(_words("report_leads"))
    return compile_rx(
        rf"\b(?:{leads})(?:\s+(?:late|early|earlier|on))?{_TODAY}{_time_of_day()}"
        r"\s*(?:\d\d?[:.]\d\d\s*(?:on\s+)?)?$",
        re.I,
    )


@cache
def _time_of_day() -> str:
    """A time of day between a report lead and its date ("as of the morning of 1 April",
    "as of midnight on 3 March"): still the day counts were made up to."""
    return rf"(?:\s+(?:{phrase_pattern(_words('report_times_of_day'))}))?"


@cache
def _report_before_low() -> re.Pattern[str]:
    """``_report_before`` for lower-cased text (its words are lower-case): no IGNORECASE."""
    return compile_rx(_report_before().pattern)


@cache
def _as_of_before() -> re.Pattern[str]:
    """Words just before a date that make it the day counts were made up to ("as of")."""
    leads = phrase_pattern(_words("as_of_leads"))
    return compile_rx(
        rf"\b(?:{leads}){_TODAY}{_time_of_day()}\s*(?:\d\d?[:.]\d\d\s*(?:on\s+)?)?$", re.I
    )


@cache
def _speaker_before() -> re.Pattern[str]:
    """A reporting verb, its speaker, then "on" ("..., said a monitoring group on 2 May")."""
    verbs = phrase_pattern(_words("report_verbs"))
    return compile_rx(rf"\b(?:{verbs})\s+(?:(?!that\b)[\w’'()-]+\s+){{1,5}}on\s+$", re.I)


@cache
def _report_after() -> re.Pattern[str]:
    """Reporting words just after a date ("officials on Thursday put the number at")."""
    verbs = phrase_pattern(_words("report_verbs"))
    return compile_rx(rf"\s+(?:{verbs})\b", re.I)  # not after a comma: "During May, reported cases"


def speaker_on(text: str, start: int, end: int, limit: int) -> bool:
    """A speaker told something on the day at ``text[start:end]`` ("said a monitoring group
    on 2 May"). When "on" opens the date's own phrase ("told reporters on Sunday that 40
    died in Saturday's raid"), only with the event's own weekday later in the sentence: then
    the speaking day is no period of the events told."""
    before = text[max(0, start - 60) : start]
    if _speaker_aside_on(text, start, end):
        return True
    if before.endswith("on "):
        return _speaker_before().search(before) is not None
    if text[start : start + 3].lower() != "on " or _speaker_before().search(before + "on ") is None:
        return False
    return _weekday_after().search(text, end, limit) is not None


def told_on(text: str, start: int) -> bool:
    """The day at ``start`` opens with "on" after a verb of telling and who was told or what
    ("told reporters on Monday", "confirmed the attack to a local radio on Friday"): the
    day the news was told, whatever the events told happened on."""
    if text[start : start + 3].lower() != "on ":
        return False
    return _speaker_before().search(text[max(0, start - 60) : start] + "on ") is not None


_SPEAKER_REACH = 120  # characters before a day read for "said <name>, <who they are>, on"
_CLAUSE_END = compile_rx(r"\s*[.;]")


@cache
def _speaker_aside() -> re.Pattern[str]:
    """A reporting verb, a speaker's name and who they are between commas, then "on" ("...,”
    said Ali Musa, head of the farmers' union, on Sunday.")."""
    verbs = phrase_pattern(_words("report_verbs"))
    word = r"(?!that\b)[\w’'()-]+"
    return compile_rx(
        rf"\b(?:{verbs})\s+(?:{word}\s+){{0,4}}{word}\s*,\s+(?:{word}\s+){{0,8}}{word}\s*,\s+$",
        re.I,
    )


def _speaker_aside_on(text: str, start: int, end: int) -> bool:
    """The day closes an attribution whose speaker is named with an apposition: the day
    it was said, not a day of the events told."""
    at = start + 3 if text[start : start + 3].lower() == "on " else start
    if text[max(0, at - 3) : at].lower() != "on " or not _CLAUSE_END.match(text, end):
        return False
    return _speaker_aside().search(text, max(0, at - 3 - _SPEAKER_REACH), at - 3) is not None


@cache
def _weekday_after() -> re.Pattern[str]:
    """A weekday named later in the sentence (the day of the events told)."""
    return compile_rx(rf"\b(?:{phrase_pattern(list(weekday_numbers()))})\b", re.I)


# "(DTM Emergency Tracking, 17 May)", "(OCHA – 30 June 2019)", "(Ministry of Health (MoH), 30
# June 2019)": a source, its own acronym in brackets, then a comma or a dash before the date
_CITATION = compile_rx(r"\((?:[^()\n]|\([^()\n]{1,15}\)){2,60}(?:,|(?<=[^\W\d_]|\))\s[–—-])\s*$")


def reporting(text: str, low_text: str | None, start: int, end: int, limit: int) -> bool | None:
    """Whether the date at ``text[start:end]`` is a reporting date: None when it is not, else
    whether it is the day counts were made up to ("as of", a citation). ``low_text`` is the
    text lower-cased (same length), when the caller has it (read without IGNORECASE)."""
    before = text[max(0, start - 60) : start]
    if low_text is not None:
        low, reported = low_text[max(0, start - 60) : start], _report_before_low()
    else:
        low, reported = before, _report_before()
    after = _report_after().match(text, end, min(limit, end + 40))
    cited = _CITATION.search(before) is not None
    said = speaker_on(text, start, end, limit)
    if not (reported.search(low) or cited or after or said):
        return None
    return cited or _as_of_before().search(before) is not None


# "NEW YORK/DAMASCUS/AMMAN, 12 August 2020 – ...": places in capitals opening a paragraph, a
# comma, the date, a dash: the day the text was filed
_DATELINE_LEAD = compile_rx(r"(?:\A|\n)[“\"]?[A-Z][A-Z/ .'-]{1,60},\s*\Z")
_DATELINE_DASH = compile_rx(r"\s*[–—-]\s")


def dateline_day(text: str, p: Period) -> Period:
    """The date of a dateline is the day the text was filed, no period of the figures after
    it: an aside (their period is read elsewhere, or they have none)."""
    if p.report or p.date_start is None or p.length != "day":
        return p
    line = text.rfind("\n", 0, p.start) + 1
    if p.start - line > 70 or not _DATELINE_LEAD.search(text[max(0, line - 1) : p.start]):
        return p
    if not _DATELINE_DASH.match(text, p.end):
        return p
    return replace(p, aside=True)


@cache
def _survey_lead() -> re.Pattern[str]:
    verbs = phrase_pattern(_words("survey_verbs"))
    nouns = phrase_pattern(_words("survey_nouns"))
    return compile_rx(
        rf"\b(?:{nouns})\b[^.;:]{{0,40}}?\b(?:{verbs})\s+"
        rf"(?:(?:from|between|in|during|on)\s+)?(?:the\s+)?$"
    )


def survey_dated(low: str, start: int) -> bool:
    """The period at ``start`` (in lower-cased ``low``) is when an assessment was conducted
    ("the Site Assessment, which was conducted from 1 to 29 November 2019, captured ..."):
    the day its counts were made up to, not a period of events (military "operations
    carried out in the last 24 hours" are events)."""
    return _survey_lead().search(low, max(0, start - 100), start) is not None


def starts_ahead(published: date | None, period: Period) -> bool:
    """A period that starts after the report is published (a plan's or a projection's
    months): its own figures' period, never carried to later figures of what happened."""
    start = period.date_start
    return published is not None and start is not None and start > published
