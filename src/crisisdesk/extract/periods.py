"""The period a date expression states, resolved against the publication date.

Expressions ("in January 2020", "since 1 December 2019", "over the past 24
hours (as of 27 October)", "yesterday", "between late May and early June")
are found with one compiled regex per sentence (period_pattern.py) and resolved the way
dateparser does it: the phrases are data (``data/vocab/periods.yaml``), and
each kind of expression has one small resolver (``_RESOLVERS``). A document
without a publication date gets a year and a "now" from the dates its text
states; a day or month stated without a year takes the year the document gives
it elsewhere. Common formats are read by our own code (fast); dateparser is
the fallback for a date string our reader does not know.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta
from functools import cache

from crisisdesk.extract import since_periods
from crisisdesk.extract.asides import compares_earlier, is_aside, is_citation, is_dateline
from crisisdesk.extract.compiled import compile_rx
from crisisdesk.extract.date_strings import DAY as _DAY
from crisisdesk.extract.date_strings import YEAR as _YEAR
from crisisdesk.extract.date_strings import count_word, in_a_name, read_date
from crisisdesk.extract.period_hits import (
    YEAR_RX,
    DateContext,
    Hit,
    Period,
    previous_calendar,
    strip_part,
)
from crisisdesk.extract.period_pattern import ASIDE, TIME, regex_low
from crisisdesk.extract.period_vocab import month_end, months_before, table, words, year_parts
from crisisdesk.extract.report_dates import reporting, survey_dated
from crisisdesk.extract.statement_days import statement_day
from crisisdesk.extract.text import lower_same_length
from crisisdesk.vocab import (
    month_numbers,
    phrase_pattern,
    vocab_list,
    weekday_numbers,
)

_COUNT_RX = compile_rx(r"(\d+|[a-z]+(?:\s+few)?)\s+(?:[a-z]+)$")


@cache
def _serial_before() -> re.Pattern[str]:
    """A report's serial label just before a number ("Report 4", "No. 15", "#39")."""
    labels = phrase_pattern(words("serial_labels"))
    return compile_rx(rf"(?:\b(?:{labels})\.?|#)\s*$", re.I)


_AS_OF = compile_rx(
    r"\s*[(,]?\s*as\s+(?:of|at)\s+(?:\d\d?[:.]\d\d\s*(?:on\s+)?)?(?P<d>[^)\n;]{3,30})", re.I
)
_POINT_KINDS = frozenset({"date", "weekday", "dayword", "relm", "part"})
_SAID_ON_THAT = compile_rx(
    r"\b[Oo]n\s+(?P<d>\d{1,2}\s+[A-Z][a-z]+|[A-Z][a-z]+\s+\d{1,2})\b[^.;:]{0,60}?\bthat\s+$"
)
_BEFORE = compile_rx(r"\b(?:before|prior\s+to)\s+\Z")
# a verb of saying and where it was said, right before "on <day>" ("said in a statement on")
SAID_IN_ON = compile_rx(
    r"\b(?:said|says|reported|announced|stated|noted)\s+in\s+(?:a|its|their)\s+"
    r"(?:[a-z]+\s+)?(?:statement|report|briefing|update)\s+(?:(?:late|early|earlier)\s+(?:on\s+)?)?\Z",
    re.I,
)


# --- finding -------------------------------------------------------------------


def find_periods(
    text: str, start: int, end: int, ctx: DateContext, low: str | None = None
) -> list[Period]:
    """Every date expression in ``text[start:end]``, resolved (``low``: ``text`` lower-cased)."""
    out: list[Period] = []
    consumed_until = -1
    if low is None or len(low) != len(text):
        low = lower_same_length(text)  # a title, a short text: cheap to lower-case here
    matches = regex_low().finditer(low, start, end)
    for m in matches:
        if m.start() < consumed_until:
            continue
        kind = m.lastgroup
        assert kind is not None
        phrase = text[m.start() : m.end()]
        hit = Hit(
            kind, m.start(), m.end(), phrase, " ".join(phrase.lower().split()), text, end, ctx, low
        )
        period = _RESOLVERS[kind](hit)
        if period is None or _year_of_previous(text, out, m.start(), kind, period):
            continue
        if kind == "date":
            period = _year_stated_before(text, out, hit, period)
        if kind in _POINT_KINDS:
            period = _as_report(hit, period)
            period = _glossed(text, out, period)
            period = _end_of_open_span(low, start, m.start(), period)
        elif period.date_end and not period.cumulative and survey_dated(low, m.start()):
            # "conducted from 1 to 29 November": counts made up to its end
            period = replace(period, date_start=None, report=True, as_of=True)
        if period.date_start and not period.cumulative and _BEFORE.search(low, start, m.start()):
            # "living in protracted displacement before February 2021": up to the day before
            period = Period(
                period.start, period.end, None, period.date_start - timedelta(days=1), "multi"
            )
        if is_dateline(text, m.start(), period.end):
            period = replace(period, report=True)  # the day it was filed
        # "the deadliest raid in almost 20 years": a record reaches back, like "since"
        reach = period.cumulative or kind == "past"
        single = period.date_start is not None and period.date_start == period.date_end
        if (
            is_aside(text, m.start(), reach, low)
            or is_citation(text, m.start(), period.end)
            or compares_earlier(low, m.start(), period.end, single)
        ):
            period = replace(period, aside=True)
        consumed_until = max(consumed_until, period.end)
        out.append(period)
    return _joined(text, out) if len(out) > 1 else out


# "since morning and over the last three days", "today and yesterday": only "and" between periods
_AND_ONLY = compile_rx(r"\s*,?\s+and\s+(?:(?:on|in)\s+)?")


def _joined(text: str, out: list[Period]) -> list[Period]:
    """Two periods joined by "and" alone ("killed since morning and over the last three days",
    "today and yesterday") state one span: from the earlier start to the later end."""
    merged: list[Period] = [out[0]]
    for b in out[1:]:
        a = merged[-1]
        gap = _AND_ONLY.fullmatch(text, a.end, b.start)
        if gap is None or not (_closed(a) and _closed(b)):
            merged.append(b)
            continue
        first = min(a.date_start, b.date_start)  # type: ignore[type-var]
        last = max(a.date_end, b.date_end)  # type: ignore[type-var]
        length = "day" if first == last else "multi"
        running, cumulative = a.running or b.running, a.cumulative or b.cumulative
        merged[-1] = Period(a.start, b.end, first, last, length, cumulative, running=running)
    return merged


def _closed(p: Period) -> bool:
    """A period of its own figures, with both ends (not a reporting day or an aside)."""
    return bool(p.date_start and p.date_end) and not (p.report or p.aside or p.as_of or p.reference)


def _year_stated_before(text: str, out: list[Period], hit: Hit, p: Period) -> Period:
    """ "from 700 in April 2022 to 544 in May": a month or day written without its year right
    after one written with it, in the same stretch, is of that year (of the next when it comes
    earlier in the calendar), not of the latest such month before publication."""
    if p.date_start is None or p.date_end is None or YEAR_RX.search(hit.phrase):
        return p
    prev = _listed_before(text, out)
    if prev is None:
        return p
    year = prev.date_end.year + (p.date_start.month < prev.date_end.month)  # type: ignore[union-attr]
    if year == p.date_start.year or p.date_end.year != p.date_start.year:
        return p
    try:
        start = p.date_start.replace(year=year)
    except ValueError:  # 29 February of a year without one
        return p
    end = start if p.date_start == p.date_end else month_end(year, p.date_end.month)
    published = hit.ctx.published
    if published is not None and end > published:
        return p
    return replace(p, date_start=start, date_end=end)


def _listed_before(text: str, out: list[Period]) -> Period | None:
    """The period written with its year that a month or day without one continues: the one
    just before, or the last of a run of months that took its year ("in March 2022, 840 in
    April, and 586 in May": May follows April, which follows March 2022)."""
    prev = out[-1] if out else None
    if prev is None or prev.date_end is None or prev.aside or prev.cumulative:
        return None
    if YEAR_RX.search(text[prev.start : prev.end]):
        return prev
    for back in reversed(out[:-1]):
        if back.date_end is None or back.aside or back.cumulative:
            return None
        if YEAR_RX.search(text[back.start : back.end]):
            same = back.date_end.year == prev.date_end.year and back.date_end < prev.date_end
            return prev if same else None
        if back.date_end.year != prev.date_end.year:
            return None
    return None


@cache
def _open_start() -> re.Pattern[str]:
    """ "from the day of the coup to", "from the start of the war until": a span whose start
    is an event the text does not date, closed by the date that follows."""
    nouns = phrase_pattern([*words("start_nouns"), *words("event_day_nouns")])
    return compile_rx(
        rf"\bfrom\s+(?:the\s+)?(?:{nouns})\s+of\s+[^.;:\d]{{1,60}}?"
        r"\s(?:to|until|till|through|up\s+(?:un)?to)\s+(?:the\s+)?$"
    )


def _end_of_open_span(low: str, start: int, at: int, p: Period) -> Period:
    """A date closing a span from an undated event ("from the start of the war to 30 June")
    ends a running count: its start is the event's, not the date's day."""
    if p.report or p.date_end is None or _open_start().search(low, max(start, at - 90), at) is None:
        return p
    return Period(p.start, p.end, None, p.date_end, "multi", cumulative=True)


def _year_of_previous(text: str, out: list[Period], at: int, kind: str, p: Period) -> bool:
    """ "from January to March of this year": the year the months before it lie in."""
    prev = out[-1] if out and kind == "relm" else None
    if prev is None or prev.date_end is None or p.date_end is None:
        return False
    return text[prev.end : at].strip() == "of" and prev.date_end.year == p.date_end.year


# "said on Tuesday (March 4, 2025)": a date in brackets right after a day glosses that day
_GLOSS_OPEN = compile_rx(r"\s*\(\s*")


def _glossed(text: str, out: list[Period], period: Period) -> Period:
    """A date written in brackets right after the day it glosses ("said on Tuesday (March
    4, 2025) that ...") is that day as the text used it: a reporting day stays one."""
    prev = out[-1] if out else None
    if prev is None or not prev.report or period.report:
        return period
    if _GLOSS_OPEN.fullmatch(text, prev.end, period.start) is None:
        return period
    if prev.date_end != period.date_end:
        return period
    end = period.date_end
    return Period(period.start, period.end, None, end, period.length, report=True, as_of=prev.as_of)


def _as_report(hit: Hit, period: Period) -> Period:
    """A reporting date (``report_dates.reporting``) ends a running count; it is not the
    figure's period."""
    found = reporting(hit.text, hit.low_text, hit.start, hit.end, hit.limit)
    if found is None and SAID_IN_ON.search(hit.text, max(0, hit.start - 40), hit.start):
        found = False  # "the UNHCR said in a statement on Sunday": the day it was said
    if found is None:
        return period
    return Period(
        period.start, period.end, None, period.date_end, period.length, report=True, as_of=found
    )


# --- resolvers, one per kind ---------------------------------------------------


def _resolve_date(hit: Hit) -> Period | None:
    """A day or a month ("5 May 2019", "March"); a bare month only capitalised (not "may")."""
    if re.fullmatch(r"[a-z]+\.?", hit.phrase.strip()) or in_a_name(hit.text, hit.start, hit.phrase):
        return None
    got = read_date(hit.phrase, hit.ctx)
    if got is None:
        return hit.empty("day" if re.search(r"\d", hit.phrase) else "multi")
    return hit.period(got[0], got[1], "day" if got[0] == got[1] else "multi")


_START_OF = compile_rx(r"^(?:outset|onset|outbreak)\s+of\s+")


@cache
def _this_year() -> re.Pattern[str]:
    """ "the current year, 2023": the year of the range's start, named or not."""
    now = phrase_pattern(words("year_now_words"))
    return compile_rx(rf"^(?:the\s+|this\s+)?(?:(?:{now})\s+)?year(?:,\s*(\d{{4}}),?)?$")


def _resolve_range(hit: Hit) -> Period | None:
    """ "from 3 March until 9 March", "between late May and early June", "in April and May"."""
    body = re.sub(
        r"^(?:from|between|since|in|during|within|throughout|over)\s+(?:the\s+)?", "", hit.low
    )
    body = re.sub(f"{ASIDE}|{TIME}", " ", body).strip()
    iso = _ISO_RANGE.fullmatch(body)  # ("2024-03-01 to 2024-03-05": its dashes are no split)
    parts = [iso.group(1), iso.group(2)] if iso else _RANGE_SPLIT.split(body, maxsplit=1)
    first, second = (parts[0], parts[1]) if len(parts) == 2 else (body, body)
    second = re.sub(r"^(?:the\s+)?(?:[\w’' ]{1,30}?\s+on\s+)?", "", second)
    first = _START_OF.sub("", strip_part(first))
    first = _this_year().sub(lambda y: y.group(1) or "year", first)  # "the current year, 2023"
    second = re.sub(rf"^(?:{'|'.join(weekday_numbers())}),?\s+", "", second)
    if first in ("year", "the year", "this year"):
        first = "1 january"  # of the year the end is in
    elif YEAR_RX.fullmatch(first):
        first = f"1 january {first}"  # "from the beginning of 2023"
    if second in _NOW_ENDS:
        return _up_to_now(hit, first)
    second = strip_part(second)
    if YEAR_RX.fullmatch(second):
        second = f"31 december {second}"  # "... to mid-2021": the year it ends in
    return _two_ends(hit, first, second)


_NOW_ENDS = frozenset({"today", "now", "date", "present", "the present"})


def _up_to_now(hit: Hit, first: str) -> Period:
    """ "from December 1 till today": from the day named to publication (a start with no
    year is the last such day before it); unknown without a publication date."""
    now = hit.ctx.published
    got = read_date(first, hit.ctx, year_default=now.year, before=now) if now else None
    if not got or not now:
        return hit.empty()
    return hit.period(got[0], now, "multi", cumulative=True)


def _resolve_dayrange(hit: Hit) -> Period | None:
    """ "between 5 and 8 May", "16-28 January": the first number is a day of the second's month
    (unless it numbers a report: "Situation Report 4 - 17 May")."""
    if _serial_before().search(hit.text, max(0, hit.start - 20), hit.start):
        return None
    body = re.sub(r"^(?:between|from)\s+", "", hit.low)
    # "16, 20 and 21 July": the days listed run from the first to the last
    d1, rest = re.split(r",?\s*(?:-|–|\bto\b|\band\b|\buntil\b)\s*", body, maxsplit=1)
    d1 = d1.split(",")[0]
    return _two_ends(hit, f"{d1} {rest.split(None, 1)[1]}", rest)


def _resolve_mdayrange(hit: Hit) -> Period | None:
    """ "between November 11 and 20": both days of the month named first."""
    month, d1, d2, year = re.match(
        r"^(?:between|from)\s+(\S+)\s+(\d+)\D+?(\d+)\D*((?:19|20)\d\d)?", hit.low
    ).groups()  # type: ignore[union-attr]
    tail = f" {year}" if year else ""
    return _two_ends(hit, f"{d1} {month}{tail}", f"{d2} {month}{tail}")


_ISO_RANGE = compile_rx(
    r"(\d{4}-\d{1,2}-\d{1,2})\s*(?:to|and|until|till|through|-|–)\s*(\d{4}-\d{1,2}-\d{1,2})"
)
# a dash right after a word splits too when a day follows ("between 24 february-1 march"),
# not after "mid", "early", "late" ("from mid-2020 to ...": part of the first end)
_RANGE_SPLIT = compile_rx(
    r",?\s*(?:\bup\s+(?:un)?to\b|\bto\b|\band\b|\buntil\b|\btill\b|\bthrough\b|(?<![a-z])[-–]"
    r"|(?<=[a-z])(?<!\bmid)(?<!\bearly)(?<!\blate)[-–](?=\s*\d))\s*"
)


def _resolve_span(hit: Hit) -> Period | None:
    """ "October 2017-July 2020", "Apr 01 2024 - Apr 17 2024": two dates joined by a dash."""
    first, second = re.split(r"\s*[-–]\s*", hit.low, maxsplit=1)
    return _two_ends(hit, first, second)


def _resolve_week_of(hit: Hit) -> Period | None:
    """ "the second week of June": days 8-14; "the last week of June": its last seven days."""
    rest = re.sub(r"^.*\bweek\s+of\s+", "", hit.low)
    year = int(rest) if rest.isdigit() else None  # "the first week of 2020"
    got = (date(year, 1, 1), date(year, 12, 31)) if year else read_date(rest, hit.ctx)
    if got is None:
        return hit.empty()
    first, last = got
    nth = next(int(v) for k, v in table("week_ordinals").items() if k in hit.low.split())
    if nth > 4:
        return hit.period(last - timedelta(days=6), last, "multi")
    a = first + timedelta(days=7 * (nth - 1))
    return hit.period(a, a + timedelta(days=6), "multi")


def _resolve_week_to(hit: Hit) -> Period | None:
    """ "in the week to 8 March": 2-8 March; "the two weeks ending 3 May": 20 April-3 May;
    "the week of 26 February": 26 February-3 March (the day named opens it)."""
    m = re.search(
        r"the\s+(?:(\S+)\s+)?(day|week)s?\s+(to|ending|ended|up\s+to|through|until|of|starting|"
        r"beginning|commencing)\s+(.+)$",
        hit.low,
    )
    count = count_word(m.group(1)) if m and m.group(1) else 1
    got = read_date(m.group(4), hit.ctx) if m else None
    if m is None or count is None:
        return None
    if got is None:
        return hit.empty()
    days = count * (7 if m.group(2) == "week" else 1)
    if m.group(3) in ("of", "starting", "beginning", "commencing"):
        return hit.period(got[0], got[0] + timedelta(days=days - 1), "multi")
    return hit.period(got[0] - timedelta(days=days - 1), got[0], "multi")


def _resolve_days_of(hit: Hit) -> Period | None:
    """ "the first two weeks of February": 1-14 February; "the last ten days of January":
    22-31 January."""
    m = re.match(
        r"(?:(?:in|during|over|for|within)\s+)?(?:the\s+)?(first|last)\s+(\S+(?:\s+few)?)\s+(day|week)s\s+of\s+(.+)$",
        hit.low,
    )
    count = count_word(m.group(2)) if m else None
    got = read_date(m.group(4), hit.ctx) if m else None
    if m is None or count is None:
        return None
    if got is None:
        return hit.empty()
    days = count * (7 if m.group(3) == "week" else 1)
    first, last = got
    if days > (last - first).days + 1:
        return None  # "the first 40 days of June": not a part of the month
    if m.group(1) == "first":
        return hit.period(first, first + timedelta(days=days - 1), "multi")
    return hit.period(last - timedelta(days=days - 1), last, "multi")


def _two_ends(hit: Hit, first: str, second: str) -> Period:
    stated = YEAR_RX.search(first)
    if stated and not YEAR_RX.search(second):  # "from March 2023 until 10 December"
        year = int(stated.group())
        got2 = read_date(second, hit.ctx, year_default=year)
        start = read_date(first, hit.ctx)
        if got2 and start and got2[1] < start[0]:
            got2 = read_date(second, hit.ctx, year_default=year + 1)
        if got2 and start:
            return hit.period(start[0], got2[1], "multi")
    got2 = read_date(second, hit.ctx)
    year2 = got2[0].year if got2 else None
    got1 = read_date(first, hit.ctx, year_default=year2, before=got2[0] if got2 else None)
    if not got1 or not got2:
        return hit.empty()
    return hit.period(got1[0], got2[1], "multi")


def _resolve_years(hit: Hit) -> Period | None:
    years = YEAR_RX.findall(hit.phrase)
    first = int(years[0])
    # "2022–23": the second year written with its last two figures
    last = int(years[1]) if len(years) > 1 else first // 100 * 100 + int(hit.phrase.strip()[-2:])
    return hit.period(date(first, 1, 1), date(last, 12, 31), "multi") if first <= last else None


def _resolve_year(hit: Hit) -> Period | None:
    """ "in 2020": the whole year; "at/by the end of 2020": the day a stock was counted up to."""
    year = int(YEAR_RX.search(hit.phrase).group())  # type: ignore[union-attr]
    if hit.kind == "year_end":
        return hit.period(None, date(year, 12, 31), "day", report=True)
    return hit.period(date(year, 1, 1), date(year, 12, 31), "multi")


def _resolve_half(hit: Hit) -> Period | None:
    """ "the second half of 2023", "the first quarter of 2019", "Q1 2019": their months;
    "the first half of the year": of the year of publication."""
    stated = YEAR_RX.search(hit.phrase)
    ref = hit.ctx.published or hit.ctx.now
    if stated is None and ref is None:
        return hit.empty()
    year = int(stated.group()) if stated else ref.year  # type: ignore[union-attr]
    name = re.sub(rf"^(?:the\s+)|\s+(?:(?:of|in)\s+)?(?:{_YEAR}|(?:the|this)\s+year)$", "", hit.low)
    first, last = year_parts()[name]
    return hit.period(date(year, first, 1), month_end(year, last), "multi")


def _resolve_part(hit: Hit) -> Period | None:
    """ "early/mid/late <month>" and "the end of <month>" stand for the whole month."""
    got = read_date(strip_part(hit.low), hit.ctx)
    return hit.period(*got, "multi") if got else hit.empty()


def _resolve_relm(hit: Hit) -> Period | None:
    """ "last month", "this year", "the past week", "in February alone"."""
    ctx = hit.ctx
    low = hit.low.removesuffix(" alone")
    ref = ctx.published or (None if "this" in low else ctx.now)
    if ref is None:
        return hit.empty()
    unit = low.split()[-1]
    if "this" in low:
        first = ref.replace(day=1) if unit == "month" else date(ref.year, 1, 1)
        return hit.period(first if unit != "week" else ref - timedelta(days=7), ref, "multi")
    undated_month = ctx.published is None and unit == "month"
    if ("past" in low and not undated_month) or (unit == "week" and not low.startswith("last")):
        return hit.period(ref - timedelta(days=int(table("durations")[unit])), ref, "multi")
    # (an undated page's "now" is the first day after the latest month it names: "the past
    # month" of its monthly tally is that month, as "last month" is; "the previous month" is
    # the one before it, the month its tally is set against)
    # ("an attack last week killed seven": the calendar week before, Monday to Sunday)
    if undated_month and "previous" in low:
        ref = ref.replace(day=1) - timedelta(days=1)
    return previous_calendar(hit, ref, unit)


# "today, 13 January": the date written after the day word says which day it is
_RESTATED_DAY = compile_rx(
    r"\s*,\s*(?:\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?[A-Z][a-z]+|[A-Z][a-z]+\.?\s+\d{1,2}\b)"
)


def _resolve_dayword(hit: Hit) -> Period | None:
    if _RESTATED_DAY.match(hit.text, hit.end, hit.limit):
        return None  # the date after it is read instead
    pub = hit.ctx.published
    if not pub:
        return hit.empty("day")
    d = pub - timedelta(days=int(table("day_words")[hit.low]))
    if hit.low in vocab_list("periods", "night_words"):
        return hit.period(d - timedelta(days=1), d, "day")  # the night into that day
    return hit.period(d, d, "day")


def _resolve_until_since(hit: Hit) -> Period | None:
    """ "through Friday since Oct. 7, 2023": from the date to the last such weekday."""
    pub = hit.ctx.published
    got = read_date(hit.low.split(" since ", 1)[1], hit.ctx)
    if not pub or not got:
        return hit.empty(cumulative=True)
    day = next(weekday_numbers()[w] for w in hit.low.split() if w in weekday_numbers())
    end = pub - timedelta(days=(pub.weekday() - day) % 7)
    return Period(hit.start, hit.end, got[0], end, "multi", cumulative=True)


def _resolve_weekday(hit: Hit) -> Period | None:
    """ "on Tuesday": the last such day on or before publication, unless a date follows."""
    explicit = re.search(rf"{_DAY}\s+(?:of\s+)?[a-z]+\.?(?:,?\s+{_YEAR})?$", hit.low)
    if explicit:
        got = read_date(explicit.group(), hit.ctx)
        if got:
            return hit.period(got[0], got[0], "day")
    pub = hit.ctx.published
    if not pub:
        return hit.empty("day")
    words = hit.low.replace(",", " ").split()
    days = [weekday_numbers()[w] for w in words if w in weekday_numbers()] or [5, 6]  # weekend
    back = (pub.weekday() - days[-1]) % 7
    if words[0] == "last" and back == 0:  # "last Tuesday" written on a Tuesday: a week before
        back = 7
    d = pub - timedelta(days=back)  # "between Sunday and Tuesday": the days up to that Tuesday
    first = d - timedelta(days=(days[-1] - days[0]) % 7)
    return hit.period(first, d, "day" if first == d else "multi")


def _resolve_reference(hit: Hit) -> Period | None:
    """ "during the reporting period": the period the report covers (known to the caller)."""
    return hit.empty(reference=True)


def _resolve_next(hit: Hit) -> Period | None:
    """ "in the next 3 days following 2 December" = 3-5 December ("from" counts the day)."""
    m = re.match(r"\w+ the \w+ (\S+(?: few)?) (\w+?)s? (after|following|from) (.*)$", hit.low)
    count = count_word(m.group(1)) if m else None
    got = read_date(m.group(4), hit.ctx) if m else None
    if m is None or count is None or got is None:
        return hit.empty()
    first = got[0] + timedelta(days=0 if m.group(3) == "from" else 1)
    last = first + timedelta(days=max(_days(m.group(2), count), 1) - 1)
    return hit.period(first, last, "multi")


def _resolve_past(hit: Hit) -> Period | None:
    """ "over the past 3 days", "in just two weeks", "within 48 hours from 9 February",
    "over the past 24 hours (as of 27 October)": counted back from publication (or the
    as-of date), or forward from a stated start."""
    low = _HYPHEN_SPAN.sub(r"\1 \2", hit.low)  # "a 24-hour period": 24 hours
    unit = low.split()[-1].rstrip("s")
    counted = _COUNT_RX.search(low)
    word = counted.group(1) if counted else ""
    bare = word in ("last", "past", "previous")
    count = 1 if bare else count_word(word)
    if count is None:
        vague = word.endswith("few") or word == "several"
        return hit.empty() if vague else None  # "over days": a lead and no count
    following = hit.text[hit.end : min(hit.limit, hit.end + 60)]
    if re.match(r"\s+(?:old|of\s+age)\b", following, re.I):
        return None  # "over 60 years old": an age
    within = hit.low.startswith("within")
    if bare and "last" in hit.low.split() and unit in ("month", "year"):
        ref = hit.ctx.published or hit.ctx.now
        return previous_calendar(hit, ref, unit) if ref else hit.empty()
    ranged = re.match(r"\s+(?:from|between|starting)\s+(?:on\s+)?(?:the\s+)?(\w+)", following, re.I)
    if not within and ranged and _dated_word(ranged.group(1)):
        return (
            None  # "in the week from 3 to 9 May": the explicit range says it (not "from Macomia")
        )
    if within:
        anchored = _within_from(hit, following, unit, count)
        if anchored is not None:
            return anchored
    back = _counted_back(hit, unit, count)
    if _DEFINITE_SPAN.search(hit.low) and back.date_start is not None:
        # "Over the six months": the span stated before, if one of that length was (referred.py)
        return replace(back, reference=True)
    return back


_HYPHEN_SPAN = compile_rx(r"(\d+)-([a-z]+?)s? period$")
# "over the six months", "during the 31 days": a definite span with no "past"/"last"
_DEFINITE_SPAN = compile_rx(
    r"\bthe\s+(?!(?:past|last|previous|next|coming|first)\b)[a-z0-9]+\s+\w+$"
)


def _resolve_opening(hit: Hit) -> Period | None:
    """ "In ten days, 45 people were killed": a span that opens its sentence, followed by a
    comma, or right after a participle ("were displaced in ten days"), is counted back from
    publication as "in just ten days" is; elsewhere "in two days" may be ahead or part of
    a name, and states no period."""
    before = hit.text[max(0, hit.start - 3) : hit.start].rstrip(" \t\"“‘'")
    opens = hit.start == 0 or not before or before[-1] in ".!?:\n"
    if hit.text[hit.start] == "i" and before.endswith("ed"):  # "were displaced in ten days"
        return _resolve_past(hit)
    return _resolve_past(hit) if opens and hit.text[hit.start] == "I" else None


def _dated_word(word: str) -> bool:
    """A word that opens a date: a number or a month's name."""
    return word[:1].isdigit() or word.lower() in month_numbers()


def _within_from(hit: Hit, following: str, unit: str, count: int) -> Period | None:
    """ "within three days from 9 February" = 9-11 February; "within 48 hours after the
    attack" has no period (anchored to an event)."""
    anchor = re.match(r"\s+(?:from|of|starting)\s+(?P<d>[^,;.]{3,25})", following, re.I)
    length = "day" if unit == "hour" and count <= 24 else "multi"
    if anchor:
        got = read_date(anchor.group("d"), hit.ctx)
        if got:
            days = max(_days(unit, count), 1)
            last = got[0] + timedelta(days=days - 1)
            return Period(hit.start, hit.end + anchor.end(), got[0], last, length)
    anchors = phrase_pattern(words("event_anchors"))
    if re.match(rf"\s+(?:{anchors})\b", following, re.I) or not hit.ctx.published:
        return hit.empty(length)
    return None


def _counted_back(hit: Hit, unit: str, count: int) -> Period:
    ref = hit.ctx.published
    as_of = _AS_OF.match(hit.text, hit.end, hit.limit)
    if as_of:
        got = read_date(as_of.group("d"), hit.ctx)
        if got:
            ref = got[0]
        hit = replace(hit, end=hit.end + len(as_of.group()))
    elif unit in ("hour", "day"):
        # "X stated on 22 February that over the previous 24 hours ...": the hours before
        # the statement, not before publication
        said = _SAID_ON_THAT.search(hit.text, max(0, hit.start - 90), hit.start)
        got = read_date(said.group("d"), hit.ctx) if said else None
        if got and ref is not None and got[0] <= ref:
            ref = got[0]
        elif ref is not None:  # "said on Monday that ...", "..., the ministry said Sunday"
            low = hit.low_text or lower_same_length(hit.text)
            ref = statement_day(low, hit.start, hit.end, hit.limit, ref) or ref
    if ref is None:
        return hit.empty()
    if unit == "month" and as_of and ref != hit.ctx.published:
        # "in the last 12 months (as of 27 May)": the months up to that day, not the
        # calendar months before its month (a report's counts run to its as-of day)
        return Period(hit.start, hit.end, months_before(ref, count), ref, "multi")
    if unit == "month":
        first = ref.replace(day=1)
        y, mo = first.year, first.month - count
        while mo <= 0:
            mo += 12
            y -= 1
        return Period(hit.start, hit.end, date(y, mo, 1), first - timedelta(days=1), "multi")
    running = ref == hit.ctx.published
    if unit in ("year", "decade"):
        # "in the past six years": the same day six calendar years back, leap days and all
        months = 12 * count * (10 if unit == "decade" else 1)
        return Period(hit.start, hit.end, months_before(ref, months), ref, "multi", running=running)
    back = max(1, _days(unit, count))
    return Period(hit.start, hit.end, ref - timedelta(days=back), ref, "multi", running=running)


def _days(unit: str, count: int) -> int:
    if unit == "hour":
        return math.ceil(count / 24)
    return round(count * table("durations")[unit])


_RESOLVERS: dict[str, Callable[[Hit], Period | None]] = {
    "range": _resolve_range,
    "until_since": _resolve_until_since,
    "months": _resolve_range,
    "dayrange": _resolve_dayrange,
    "since_event": since_periods.resolve_since_event,
    "span": _resolve_span,
    "since_start": since_periods.resolve_since_start,
    "since_began": since_periods.resolve_since_start,
    "since_day": since_periods.resolve_since_day,
    "since_rel": since_periods.resolve_since_rel,
    "since": since_periods.resolve_since,
    "week_to": _resolve_week_to,
    "week_from": _resolve_week_to,
    "week_of": _resolve_week_of,
    "days_of": _resolve_days_of,
    "half": _resolve_half,
    "years": _resolve_years,
    "mdayrange": _resolve_mdayrange,
    "sofar": since_periods.resolve_sofar,
    "ago": since_periods.resolve_ago,
    "next": _resolve_next,
    "vague": lambda hit: hit.empty(),
    "past": _resolve_past,
    "opening": _resolve_opening,
    "relm": _resolve_relm,
    "reference": _resolve_reference,
    "part": _resolve_part,
    "year_end": _resolve_year,
    "dayword": _resolve_dayword,
    "weekday": _resolve_weekday,
    "night": _resolve_weekday,
    "date": _resolve_date,
    "year": _resolve_year,
}
