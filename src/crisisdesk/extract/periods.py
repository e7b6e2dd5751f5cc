"""The period a figure covers, from the date expressions of its sentence.

Expressions ("in January 2020", "since 1 December 2019", "over the past 24
hours (as of 27 October)", "yesterday", "last month") are found with one
compiled regex per sentence and resolved against the publication date. A
document without one gets a year and a "now" inferred from the dates its text
states. Common formats are read by our own code (fast); dateparser is the
fallback for a date string our reader does not know.
"""

from __future__ import annotations

import calendar
import math
import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache, lru_cache

from crisisdesk.vocab import month_numbers, number_words, phrase_pattern, weekday_numbers


@dataclass(frozen=True, slots=True)
class DateContext:
    """What relative dates are resolved against."""

    published: date | None
    year_hint: int | None = None  # the latest year the text states (no publication date)
    now: date | None = None  # published, or the month after the latest stated date


@dataclass(frozen=True, slots=True)
class Period:
    """A date expression in the text and the period it resolves to."""

    start: int
    end: int
    date_start: date | None
    date_end: date | None
    length: str  # "day", "multi" (several days or more), "none" (no period at all)
    cumulative: bool = False  # "since ...", "so far"
    report: bool = False  # a reporting date ("as of 27 October", "reported on September 8")


_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
_YEAR = r"(?:19|20)\d\d"


@cache
def _regex() -> re.Pattern[str]:
    months = phrase_pattern(list(month_numbers()))
    weekdays = phrase_pattern(list(weekday_numbers()))
    m = rf"{months}\.?"
    date_txt = (
        rf"(?:{_DAY}\s+(?:of\s+)?{m}(?:,?\s+{_YEAR})?|{m}\s+{_DAY}(?!\d)(?:,?\s+{_YEAR})?|"
        rf"{m},?\s+{_YEAR}|{m})"
    )
    numword = phrase_pattern([*number_words().small, "a", "one", "a few", "several"])
    unit = r"(?:hours?|days?|weeks?|months?|years?)"
    n = rf"(?:\d+|{numword})"
    parts = {
        "range": rf"(?:from|between)\s+(?:the\s+)?{date_txt}\s*(?:to|and|until|till|through|-|–)\s*"
        rf"(?:the\s+)?{date_txt}",
        "dayrange": rf"(?:(?:between|from)\s+)?\d{{1,2}}\s*(?:-|–|to|and|until)\s*{_DAY}\s+{m}"
        rf"(?:,?\s+{_YEAR})?",
        "since_start": r"since\s+(?:at\s+least\s+)?(?:the\s+)?(?:start|beginning|outbreak|onset)"
        r"\s+of\s+"
        rf"(?:(?:the\s+)?(?:year\s+)?(?:{m},?\s+{_YEAR}|{_YEAR}|this\s+year|the\s+year)"
        r"|[\w’'\- ]{3,40}?(?=[,.;)]|\s+(?:has|have|had|until|to|in|and|was|were|is)\b|$))",
        "since_day": rf"since\s+(?:last\s+)?{weekdays}",
        "since_rel": r"since\s+(?:last\s+night|midnight(?:\s+of\s+yesterday)?|yesterday|"
        r"this\s+morning|dawn|then|(?:last|this)\s+week)",
        "since": r"(?:since|starting|started\s+in|began\s+in|beginning\s+in|began\s+on|"
        r"started\s+on)\s+(?:the\s+)?"  # "since the February 2021 coup"
        rf"(?:(?:early|mid|late|the\s+end\s+of|the\s+start\s+of|the\s+beginning\s+of)[\s-]+)?"
        rf"(?:{date_txt}|{_YEAR})",
        "half": rf"(?:the\s+)?(?:first|second)\s+half\s+of\s+{_YEAR}",
        "sofar": rf"so\s+far\s+this\s+year|this\s+year\s+so\s+far|so\s+far\s+in\s+{_YEAR}",
        "past": rf"(?:(?:over|in|during|within|for)\s+(?:the\s+)?(?:past|last|previous)\s+"
        rf"(?:{n}\s+)?{unit}"
        rf"|in\s+(?:just|only)\s+{n}\s+{unit}|within\s+(?:just\s+)?{n}\s+{unit}"
        rf"|over\s+(?:just\s+)?{n}\s+{unit})",
        "relm": r"(?:in\s+|during\s+|over\s+)?(?:last|this|the\s+previous|the\s+past)\s+"
        r"(?:month|year|week)(?:\s+alone)?",
        "part": rf"(?:early|mid|late|the\s+end\s+of|the\s+beginning\s+of|the\s+start\s+of|end\s+of|"
        rf"beginning\s+of)[\s-]+{m}(?:,?\s+{_YEAR})?",
        "dayword": r"today|tonight|this\s+morning|this\s+afternoon|this\s+evening|yesterday|"
        r"last\s+night|the\s+previous\s+day|overnight",
        "weekday": rf"(?:(?:on|last|this)\s+)?{weekdays}(?:\s+(?:morning|afternoon|evening|night))?"
        rf"(?:,?\s+(?:the\s+)?{_DAY}\s+(?:of\s+)?{m}(?:,?\s+{_YEAR})?)?",
        "date": date_txt,
        "year": rf"(?:in|during|of|for|throughout)\s+{_YEAR}(?![\d-])",
    }
    body = "|".join(f"(?P<{k}>{v})" for k, v in parts.items())
    firsts = [
        "from",
        "between",
        "since",
        "starting",
        "started",
        "began",
        "beginning",
        "the",
        "first",
        "second",
        "so",
        "this",
        "over",
        "in",
        "during",
        "within",
        "for",
        "last",
        "early",
        "mid",
        "late",
        "end",
        "today",
        "tonight",
        "yesterday",
        "overnight",
        "on",
        "of",
        "throughout",
        *month_numbers(),
        *weekday_numbers(),
    ]
    trigger = rf"(?=\d|{phrase_pattern(firsts)}\b)"
    return re.compile(rf"\b{trigger}(?:{body})(?![\w])", re.I)


_REPORT_BEFORE = re.compile(
    r"(?:as\s+(?:of|at)|\bby|(?:reported|said|announced|stated|published|updated|released|documented|"
    r"confirmed|issued|posted)(?:\s+\w+)?\s+on)\s*(?:\d\d?:\d\d\s+(?:on\s+)?)?$",
    re.I,
)
_AS_OF = re.compile(
    r"\s*[(,]?\s*as\s+(?:of|at)\s+(?:\d\d?[:.]\d\d\s*(?:on\s+)?)?(?P<d>[^)\n;]{3,30})", re.I
)
_EVENT_AFTER = re.compile(r"\s+(?:after|following|of\s+the|since\s+the)\b", re.I)


@cache
def _regex_low() -> re.Pattern[str]:
    """The same pattern without IGNORECASE, for a lower-cased copy of the text (about three
    times faster: the pattern is all lower-case literals)."""
    return re.compile(_regex().pattern)


def find_periods(
    text: str, start: int, end: int, ctx: DateContext, low: str | None = None
) -> list[Period]:
    """Every date expression in ``text[start:end]``, resolved. ``low`` is ``text`` lower-cased
    (same length), when the caller has it."""
    out: list[Period] = []
    consumed_until = -1
    if low is not None and len(low) == len(text):
        matches = _regex_low().finditer(low, start, end)
    else:
        matches = _regex().finditer(text, start, end)
    for m in matches:
        if m.start() < consumed_until:
            continue
        kind = m.lastgroup
        assert kind is not None
        period = _resolve(kind, m, text, end, ctx)
        if period is None:
            continue
        if kind == "past":
            anchor = _AS_OF.match(text, m.end(), end)
            if anchor:
                consumed_until = m.end() + len(anchor.group())
            consumed_until = max(consumed_until, period.end)
        out.append(period)
    return out


_RANGE_LEAD = re.compile(r"^(?:between|from)\s+", re.I)
_DAYRANGE_SPLIT = re.compile(r"\s*(?:-|–|\bto\b|\band\b|\buntil\b)\s*", re.I)


def _resolve(kind: str, m: re.Match[str], text: str, limit: int, ctx: DateContext) -> Period | None:
    s, e = m.start(), m.end()
    pub = ctx.published
    phrase = text[s:e]  # from the original text: the match may be on a lower-cased copy
    low = " ".join(phrase.lower().split())

    def mk(a: date | None, b: date | None, length: str, **kw: bool) -> Period:
        if pub and b and a and a <= pub < b:
            b = pub
        return Period(s, e, a, b, length, **kw)

    if kind in ("date", "dayrange", "range"):
        if kind == "range":
            first, second = _split_range(phrase)
        elif kind == "dayrange":
            d1, rest = _DAYRANGE_SPLIT.split(_RANGE_LEAD.sub("", phrase), maxsplit=1)
            first, second = f"{d1} {rest.split(None, 1)[1]}", rest
        else:
            first, second = phrase, None
        # a bare month must be capitalised ("May" the month, not "may" the verb)
        if (
            kind == "date"
            and re.fullmatch(r"[a-z]+\.?", phrase.strip())
            and not phrase[:1].isupper()
        ):
            return None
        if second is None:
            got = _read_date(first, ctx)
            if got is None:
                return Period(s, e, None, None, "multi" if not re.search(r"\d", first) else "day")
            a, b = got
            before = text[max(0, s - 40) : s]
            report = bool(_REPORT_BEFORE.search(before))
            length = "day" if a == b else "multi"
            if report:
                return Period(s, e, None, b, length, report=True)
            return mk(a, b, length)
        got2 = _read_date(second, ctx)
        year2 = got2[0].year if got2 else None
        got1 = _read_date(first, ctx, year_default=year2, before=got2[0] if got2 else None)
        if not got1 or not got2:
            return Period(s, e, None, None, "multi")
        return mk(got1[0], got2[1], "multi")
    if kind == "year":
        year = int(re.search(_YEAR, phrase).group())  # type: ignore[union-attr]
        return mk(date(year, 1, 1), date(year, 12, 31), "multi")
    if kind == "half":
        year = int(re.search(_YEAR, phrase).group())  # type: ignore[union-attr]
        if "first" in low:
            return mk(date(year, 1, 1), date(year, 6, 30), "multi")
        return mk(date(year, 7, 1), date(year, 12, 31), "multi")
    if kind == "part":
        target = re.sub(
            r"^(?:early|mid|late|the\s+end\s+of|the\s+beginning\s+of|the\s+start\s+of|end\s+of|"
            r"beginning\s+of)[\s-]+",
            "",
            phrase,
            flags=re.I,
        )
        got = _read_date(target, ctx)
        return mk(*got, "multi") if got else Period(s, e, None, None, "multi")
    if kind == "since_start":
        rest = re.sub(r"^since\s+(?:at\s+least\s+)?(?:the\s+)?\w+\s+of\s+", "", low)
        if "this year" in rest or rest.endswith("the year"):
            a = date(pub.year, 1, 1) if pub else None
        elif re.fullmatch(_YEAR, rest.strip()):
            a = date(int(rest.strip()), 1, 1)
        else:
            got = (
                _read_date(rest.replace("year ", ""), ctx)
                if re.search(r"\d|[a-z]{3}", rest)
                else None
            )
            a = got[0] if got and re.search(r"\d{4}|" + _month_alt(), rest) else None
        return Period(s, e, a, pub, "multi", cumulative=True)
    if kind == "since_day":
        if not pub:
            return Period(s, e, None, None, "multi", cumulative=True)
        wd = next(weekday_numbers()[w] for w in low.split() if w in weekday_numbers())
        back = (pub.weekday() - wd) % 7 or 7
        return Period(s, e, pub - timedelta(days=back), pub, "multi", cumulative=True)
    if kind == "since_rel":
        if "then" in low:
            return Period(s, e, None, pub, "multi", cumulative=True)
        if not pub:
            return Period(s, e, None, None, "multi", cumulative=True)
        if "this morning" in low or "dawn" in low:
            return Period(s, e, pub, pub, "day", cumulative=True)
        if "week" in low:
            return Period(s, e, pub - timedelta(days=7), pub, "multi", cumulative=True)
        return Period(s, e, pub - timedelta(days=1), pub, "multi", cumulative=True)
    if kind == "since":
        target = re.sub(
            r"^(?:since|starting|started\s+in|began\s+in|beginning\s+in|began\s+on|started\s+on)\s+"
            r"(?:the\s+(?!end\b|start\b|beginning\b))?"
            r"(?:(?:early|mid|late|the\s+end\s+of|the\s+start\s+of|the\s+beginning\s+of)[\s-]+)?",
            "",
            phrase,
            flags=re.I,
        )
        if re.fullmatch(_YEAR, target.strip()):
            a = date(int(target), 1, 1)
        else:
            got = _read_date(target, ctx)
            a = got[0] if got else None
        return Period(s, e, a, pub if a or pub else None, "multi", cumulative=True)
    if kind == "sofar":
        year_m = re.search(_YEAR, phrase)
        if year_m:
            return Period(s, e, date(int(year_m.group()), 1, 1), pub, "multi", cumulative=True)
        if not pub:
            return Period(s, e, None, None, "multi", cumulative=True)
        return Period(s, e, date(pub.year, 1, 1), pub, "multi", cumulative=True)
    if kind == "past":
        return _resolve_past(m, text, limit, ctx)
    if kind == "relm":
        ref = pub or ctx.now
        if "this" in low and not pub:
            ref = None
        if ref is None:
            return Period(s, e, None, None, "multi")
        if "month" in low:
            if low.split()[-1] == "alone":
                low = low.rsplit(" ", 1)[0]
            if "this" in low:
                return Period(s, e, ref.replace(day=1), ref, "multi")
            if "past" in low:
                return Period(s, e, ref - timedelta(days=30), ref, "multi")
            prev = ref.replace(day=1) - timedelta(days=1)
            return Period(s, e, prev.replace(day=1), prev, "multi")
        if "year" in low:
            if "this" in low:
                return Period(s, e, date(ref.year, 1, 1), ref, "multi")
            if "past" in low:
                return Period(s, e, ref - timedelta(days=365), ref, "multi")
            return Period(s, e, date(ref.year - 1, 1, 1), date(ref.year - 1, 12, 31), "multi")
        return Period(s, e, ref - timedelta(days=7), ref, "multi")
    if kind == "dayword":
        if not pub:
            return Period(s, e, None, None, "day")
        if low in ("yesterday", "last night", "the previous day"):
            d = pub - timedelta(days=1)
            return Period(s, e, d, d, "day")
        return Period(s, e, pub, pub, "day")
    if kind == "weekday":
        explicit = re.search(rf"{_DAY}\s+(?:of\s+)?[A-Za-z]+\.?(?:,?\s+{_YEAR})?$", phrase)
        before = text[max(0, s - 40) : s]
        report = bool(_REPORT_BEFORE.search(before + " on ")) or bool(
            re.search(r"(?:reported|said|announced|stated)\s*$", before, re.I)
        )
        if explicit:
            got = _read_date(explicit.group(), ctx)
            if got:
                if report:
                    return Period(s, e, None, got[0], "day", report=True)
                return Period(s, e, got[0], got[0], "day")
        if not pub:
            return Period(s, e, None, None, "day", report=report)
        wd = next(
            weekday_numbers()[w] for w in low.replace(",", " ").split() if w in weekday_numbers()
        )
        d = pub - timedelta(days=(pub.weekday() - wd) % 7)
        if report:
            return Period(s, e, None, d, "day", report=True)
        return Period(s, e, d, d, "day")
    return None


def _resolve_past(m: re.Match[str], text: str, limit: int, ctx: DateContext) -> Period | None:
    s, e = m.start(), m.end()
    low = " ".join(m.group().lower().split())  # case does not matter here
    unit_m = re.search(r"(hour|day|week|month|year)s?$", low)
    assert unit_m is not None
    unit = unit_m.group(1)
    count_m = re.search(r"(\d+|[a-z]+(?:\s+few)?)\s+(?:hour|day|week|month|year)s?$", low)
    count = 1
    if count_m:
        word = count_m.group(1)
        if word.isdigit():
            count = int(word)
        elif word in number_words().small:
            count = number_words().small[word]
        elif word in ("past", "last", "previous", "a", "one"):
            count = 1
        else:
            return Period(s, e, None, None, "multi")
    following = text[e : min(limit, e + 60)]
    bare = not count_m or count_m.group(1) in ("last", "past", "previous")
    if bare and re.search(r"\blast\b", low) and unit in ("month", "year"):
        ref = ctx.published or ctx.now
        if ref is None:
            return Period(s, e, None, None, "multi")
        if unit == "month":
            prev = ref.replace(day=1) - timedelta(days=1)
            return Period(s, e, prev.replace(day=1), prev, "multi")
        return Period(s, e, date(ref.year - 1, 1, 1), date(ref.year - 1, 12, 31), "multi")
    if unit == "hour" and count <= 24 and "within" in low:
        length = "day"
    else:
        length = "multi" if unit != "hour" or count > 24 else "multi"
    if not low.startswith("within") and re.match(
        r"\s+(?:from|between|starting)\b", following, re.I
    ):
        return None  # "in the week from 3 to 9 May": the explicit range says it
    if low.startswith("within"):
        anchor = re.match(r"\s+(?:from|of|starting)\s+(?P<d>[^,;.]{3,25})", following, re.I)
        if anchor:
            got = _read_date(anchor.group("d"), ctx)
            if got:
                days = _days(unit, count)
                end_at = e + anchor.end()
                first = got[0]
                return Period(s, end_at, first, first + timedelta(days=max(days, 1) - 1), length)
        if _EVENT_AFTER.match(following) or not ctx.published:
            return Period(s, e, None, None, length)
    ref = ctx.published
    as_of = _AS_OF.match(text, e, limit)
    if as_of:
        got = _read_date(as_of.group("d"), ctx)
        if got:
            ref = got[0]
    if ref is None:
        return Period(s, e, None, None, length)
    if unit == "month":
        first = ref.replace(day=1)
        y, mo = first.year, first.month - count
        while mo <= 0:
            mo += 12
            y -= 1
        return Period(s, e, date(y, mo, 1), first - timedelta(days=1), "multi")
    return Period(s, e, ref - timedelta(days=max(1, _days(unit, count))), ref, "multi")


def _days(unit: str, count: int) -> int:
    if unit == "hour":
        return math.ceil(count / 24)
    return count * {"day": 1, "week": 7, "month": 30, "year": 365}[unit]


@cache
def _month_alt() -> str:
    return "(?:" + "|".join(month_numbers()) + ")"


def _split_range(phrase: str) -> tuple[str, str]:
    body = re.sub(r"^(?:from|between)\s+(?:the\s+)?", "", phrase, flags=re.I)
    parts = re.split(
        r"\s*(?:\bto\b|\band\b|\buntil\b|\btill\b|\bthrough\b|-|–)\s*", body, maxsplit=1
    )
    if len(parts) != 2:
        return body, body
    return parts[0], re.sub(r"^the\s+", "", parts[1], flags=re.I)


def _read_date(
    phrase: str,
    ctx: DateContext,
    year_default: int | None = None,
    before: date | None = None,
) -> tuple[date, date] | None:
    """A date string -> (first day, last day): a day, or a whole month; None if unknown."""
    months = month_numbers()
    low = phrase.lower().replace(",", " ").replace(".", " ").replace("’s", "").replace("'s", "")
    tokens = low.split()
    month = next((months[t] for t in tokens if t in months), None)
    year = next((int(t) for t in tokens if re.fullmatch(_YEAR, t)), None)
    day = next(
        (
            int(re.match(r"\d+", t).group())
            for t in tokens
            if re.fullmatch(r"\d{1,2}(?:st|nd|rd|th)?", t)
        ),  # type: ignore[union-attr]
        None,
    )
    if month is None:
        return _fallback(phrase, ctx)
    if year is None:
        if year_default is not None:
            year = year_default
            if before and (month, day or 1) > (before.month, before.day):
                year -= 1
        elif ctx.published:
            pub = ctx.published
            year = pub.year if (month, day or 1) <= (pub.month, pub.day) else pub.year - 1
        elif ctx.year_hint:
            year = ctx.year_hint
        else:
            return None
    try:
        if day is not None:
            d = date(year, month, day)
            return d, d
        last = calendar.monthrange(year, month)[1]
        return date(year, month, 1), date(year, month, last)
    except ValueError:
        return None


def _fallback(phrase: str, ctx: DateContext) -> tuple[date, date] | None:
    """Formats our reader does not know go to dateparser (cached; rare by construction)."""
    if not re.search(r"\d", phrase):
        return None
    got = _dateparser(phrase.strip(), ctx.published)
    return (got, got) if got else None


@lru_cache(maxsize=4096)
def _dateparser(phrase: str, base: date | None) -> date | None:
    import datetime as _dt

    import dateparser

    settings: dict[str, object] = {"PREFER_DATES_FROM": "past", "REQUIRE_PARTS": ["day", "month"]}
    if base:
        settings["RELATIVE_BASE"] = _dt.datetime(base.year, base.month, base.day)
    parsed = dateparser.parse(phrase, languages=["en"], settings=settings)  # type: ignore[arg-type]
    return parsed.date() if parsed else None


@cache
def _stated_regex() -> re.Pattern[str]:
    months = phrase_pattern([m for m in month_numbers() if len(m) > 3])
    return re.compile(
        rf"\b(?:(?P<d1>\d{{1,2}})\s+)?(?P<m>{months})\s+(?:(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?,?\s+)?"
        rf"(?P<y>{_YEAR})\b|\b(?:in|since|of|during)\s+(?P<yo>{_YEAR})\b",
        re.I,
    )


_YEAR_RX = re.compile(rf"(?<!\d){_YEAR}(?!\d)")


def _stated_dates(text: str) -> list[re.Match[str]]:
    """Matches of the stated-date pattern, found from the years in the text: every such date
    names a year, and scanning for years is far cheaper than trying the pattern everywhere."""
    rx = _stated_regex()
    out: list[re.Match[str]] = []
    last_end = 0
    for y in _YEAR_RX.finditer(text):
        lo = max(last_end, y.start() - 32)
        for m in rx.finditer(text, lo, min(len(text), y.end() + 1)):
            if m.start("y") == y.start() or m.start("yo") == y.start():
                out.append(m)
                last_end = m.end()
                break
    return out


def context_for(text: str, published: date | None) -> DateContext:
    """The date context of a document: its publication date, or what its text implies."""
    if published:
        return DateContext(published, published.year, published)
    latest: date | None = None
    year_hint: int | None = None
    for m in _stated_dates(text):
        if m.group("yo"):
            y = int(m.group("yo"))
            year_hint = max(year_hint or y, y)
            continue
        y = int(m.group("y"))
        mo = month_numbers()[m.group("m").lower()]
        year_hint = max(year_hint or y, y)
        d = date(y, mo, calendar.monthrange(y, mo)[1])
        latest = max(latest or d, d)
    if latest is None and year_hint is None:
        return DateContext(None)
    now = None
    if latest:
        now = (latest.replace(day=1) + timedelta(days=32)).replace(day=1)
    # bare "January 28" after "January 2020" in the same text: the latest day counts too
    return DateContext(None, year_hint, now)
