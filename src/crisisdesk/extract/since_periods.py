"""Resolvers of running periods: "since 1 December", "since the war began in 2011",
"since last night", "three years ago", "so far this year".

Each returns the start it states, running to publication (``cumulative``), or
the day or year that far back; ``periods._RESOLVERS`` dispatches to them.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from crisisdesk.extract.compiled import compile_rx
from crisisdesk.extract.date_strings import YEAR as _YEAR
from crisisdesk.extract.date_strings import count_word, read_date
from crisisdesk.extract.period_hits import (
    YEAR_RX,
    DateContext,
    Hit,
    Period,
    previous_calendar,
    strip_part,
)
from crisisdesk.extract.period_vocab import prefix_rx, table
from crisisdesk.vocab import month_numbers, weekday_numbers


def _dated_tail(words: str, ctx: DateContext) -> str | None:
    """The date that ends ``words`` after up to two words of its owner ("hamas' october 7,
    2023" -> "october 7, 2023")."""
    parts = words.split()
    for k in range(min(3, len(parts))):
        tail = " ".join(parts[k:])
        if read_date(tail, ctx) is not None:
            return tail
    return None


def resolve_since_event(hit: Hit) -> Period | None:
    """ "since the last update on 7 May", "since the two sides reached a deal in September
    2018", "since the war began in 2011": the start, running to publication."""
    ago = re.search(r"(\S+)\s+(\S+)\s+ago$", hit.low)  # "since the war escalated six months ago"
    if ago is not None:
        start = _ago(ago.group(0), hit.ctx)
        if start is None:
            return None
        return Period(hit.start, hit.end, start, hit.ctx.published, "multi", cumulative=True)
    last = re.search(r"last\s+(week|month|year)$", hit.low)
    if last is not None and _month_before(hit.low[: last.start()]):
        last = None  # "since the coup in February last year": that month, read below
    if last is not None:  # "since the city's takeover last month": from that month's start
        ref = hit.ctx.published
        if ref is None:
            return hit.empty(cumulative=True)
        if last.group(1) == "week":
            start = ref - timedelta(days=7 + ref.weekday())
        elif last.group(1) == "month":
            start = (ref.replace(day=1) - timedelta(days=1)).replace(day=1)
        else:
            start = date(ref.year - 1, 1, 1)
        return Period(hit.start, hit.end, start, ref, "multi", cumulative=True)
    target = strip_part(re.split(r"\s+(?:on|in|at)\s+", hit.low)[-1])
    followed = re.search(r"\s(?:following|after)\s+(?:[\w’'-]+\s+){0,2}?(\S.*)$", hit.low)
    if followed is not None:  # "... began following hamas' october 7"
        target = _dated_tail(followed.group(1), hit.ctx) or target
    if target.split()[-1:] and target.split()[-1] in weekday_numbers():
        return resolve_since_day(hit)  # "since the end of the truce on friday"
    if re.fullmatch(_YEAR, target):  # before the reader: a year alone never needs dateparser
        got: tuple[date, date] | None = (date(int(target), 1, 1), date(int(target), 1, 1))
    else:
        got = read_date(target, hit.ctx)
    if got is None:
        return None
    return Period(hit.start, hit.end, got[0], hit.ctx.published, "multi", cumulative=True)


def resolve_since_start(hit: Hit) -> Period | None:
    """ "since the start of 2020", "since the outbreak of the war" (a start, stated or not)."""
    pub = hit.ctx.published
    lead = r"^(?:since|following|after)\s+(?:at\s+least\s+)?(?:the\s+)?\w+\s+of\s+(?:the\s+)?"
    rest = re.sub(lead, "", hit.low)
    rest = re.split(r"\s+(?:on|in)\s+", rest)[-1]
    a: date | None = None
    if rest in ("year", "this year", "current year"):
        a = date(pub.year, 1, 1) if pub else None
    elif rest in ("month", "this month", "current month"):
        # "since the beginning of the month": of publication
        a = date(pub.year, pub.month, 1) if pub else None
    elif re.fullmatch(rf"(?:year\s+)?{_YEAR}", rest):
        a = date(int(rest[-4:]), 1, 1)
    elif any(w in month_numbers() for w in re.split(r"[\s,.-]+", rest)):  # "mid-april", "oct. 7"
        got = read_date(strip_part(rest), hit.ctx)
        a = got[0] if got else None
    return Period(hit.start, hit.end, a, pub, "multi", cumulative=True)


def resolve_since_day(hit: Hit) -> Period | None:
    pub = hit.ctx.published
    if not pub:
        return hit.empty(cumulative=True)
    wd = next(weekday_numbers()[w] for w in hit.low.split() if w in weekday_numbers())
    back = (pub.weekday() - wd) % 7 or 7
    return Period(hit.start, hit.end, pub - timedelta(days=back), pub, "multi", cumulative=True)


def _month_before(low: str) -> bool:
    """The words end with a month's name ("... in february", "... march of")."""
    words = low.split()
    words = words[:-1] if words[-1:] == ["of"] else words
    return bool(words) and words[-1].rstrip(".") in month_numbers()


def resolve_since_rel(hit: Hit) -> Period | None:
    """ "since last night" = the day before to publication; "since then" has no start here."""
    pub = hit.ctx.published
    rest = hit.low.split(None, 1)[1]
    if rest == "then":
        return Period(hit.start, hit.end, None, pub, "multi", cumulative=True)
    if not pub:
        return hit.empty(cumulative=True)
    back = int(table("since_relative")[rest])
    length = "day" if back == 0 else "multi"
    start = pub - timedelta(days=back)
    if rest in ("last month", "last year"):  # the start of that month or year
        start = previous_calendar(hit, pub, rest.split()[1]).date_start or start
    return Period(hit.start, hit.end, start, pub, length, cumulative=True)


def resolve_since(hit: Hit) -> Period | None:
    """ "since 1 December 2019", "began on 26 March", "since early 2011" (its first day),
    "began a decade ago": the start, running to publication."""
    if _BEFORE_START.search(hit.text, max(0, hit.start - 50), hit.start):
        # "Before the conflict began in 2011, Idlib was home to ...": a time before it
        return Period(hit.start, hit.end, None, None, "none", aside=True)
    target = prefix_rx("since_leads").sub("", hit.low)
    target = strip_part(re.sub(r"^last\s+", "", target))
    a: date | None
    if target.endswith(" ago"):
        a = _ago(target, hit.ctx)
    elif re.fullmatch(_YEAR, target):
        a = date(int(target), 1, 1)
    else:
        got = read_date(target, hit.ctx)
        a = got[0] if got else None
    pub = hit.ctx.published
    return Period(hit.start, hit.end, a, pub if a or pub else None, "multi", cumulative=True)


# "before the war began in", "Before the uprising started on": what came before the start
_BEFORE_START = compile_rx(r"\b[Bb]efore\s+(?:the\s+|its\s+|their\s+)?(?:[\w’'-]+\s+){1,3}$")


def resolve_ago(hit: Hit) -> Period | None:
    """ "a decade ago", "three years ago": the year (or day) that far before publication."""
    a = _ago(hit.low, hit.ctx)
    if a is None:
        return hit.empty()
    unit = hit.low.split()[-2].rstrip("s")
    if unit in ("year", "decade"):
        return hit.period(a, date(a.year, 12, 31), "multi")
    return hit.period(a, a, "day")


def _ago(phrase: str, ctx: DateContext) -> date | None:
    pub = ctx.published
    words = phrase.split()
    count = count_word(words[0])
    if pub is None or count is None:
        return None
    unit = words[-2].rstrip("s")
    if unit in ("year", "decade"):
        return date(pub.year - count * (10 if unit == "decade" else 1), 1, 1)
    return pub - timedelta(days=round(count * table("durations")[unit]))


def resolve_sofar(hit: Hit) -> Period | None:
    pub = hit.ctx.published
    year_m = YEAR_RX.search(hit.phrase)
    if year_m:
        return Period(hit.start, hit.end, date(int(year_m.group()), 1, 1), pub, "multi", True)
    if not pub:
        return hit.empty(cumulative=True)
    return Period(hit.start, hit.end, date(pub.year, 1, 1), pub, "multi", cumulative=True)
