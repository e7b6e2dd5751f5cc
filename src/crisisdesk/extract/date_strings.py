"""Reading a date string ("3 February 2020", "Feb. 3", "January"): a day or a whole
month, the year from the document when the string has none. Common formats are read by
our own code (fast); dateparser is the fallback for a string our reader does not know."""

from __future__ import annotations

import calendar
import re
from datetime import date
from functools import lru_cache
from typing import TYPE_CHECKING

from crisisdesk.extract.compiled import compile_rx
from crisisdesk.vocab import month_numbers, number_words

if TYPE_CHECKING:
    from crisisdesk.extract.periods import DateContext

DAY = r"\d{1,2}(?:st|nd|rd|th)?"
YEAR = r"(?:19|20)\d\d"
# the year after a day: written, or said ("on 12 March this year", "3 February of last year")
YEAR_AFTER_DAY = rf"(?:,?\s+{YEAR}|,?\s+(?:of\s+)?(?:this|last)\s+year\b)"
# a day written in figures only, in the orders that are not ambiguous: ISO 8601
# ("2024-03-05") and day-first with dots ("05.03.2024", as Europe and the UN write it)
NUMERIC_DAY = rf"{YEAR}-\d{{1,2}}-\d{{1,2}}(?!\d)|\d{{1,2}}\.\d{{1,2}}\.{YEAR}(?!\d)"
_ISO_DAY = compile_rx(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_DOTTED_DAY = compile_rx(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")
# compiled once: read_date tests every token of every date string against them
_YEAR_TOKEN = compile_rx(YEAR)
_DAY_TOKEN = compile_rx(DAY)
_DIGITS = compile_rx(r"\d+")


def read_date(
    phrase: str,
    ctx: DateContext,
    year_default: int | None = None,
    before: date | None = None,
) -> tuple[date, date] | None:
    """A date string -> (first day, last day): a day, or a whole month; None if unknown."""
    if phrase[:1].isdigit() and (numeric := _numeric_day(phrase.strip())) is not None:
        return numeric
    months = month_numbers()
    low = phrase.lower().replace("’s", "").replace("'s", "")
    low = low.replace(",", " ").replace(".", " ").replace("/", " ")
    tokens = low.split()
    month = next((months[t] for t in tokens if t in months), None)
    if month is None:
        return _fallback(phrase, ctx)
    year = next((int(t) for t in tokens if _YEAR_TOKEN.fullmatch(t)), None)
    ref = ctx.published or ctx.now
    if year is None and ref is not None and tokens[-2:] in (["this", "year"], ["last", "year"]):
        year = ref.year - (tokens[-2] == "last")
    day = next((int(_DIGITS.match(t).group()) for t in tokens if _DAY_TOKEN.fullmatch(t)), None)  # type: ignore[union-attr]
    ref = ctx.published or ctx.now
    if year is None and ref is not None and "year" in tokens and {"last", "this"} & set(tokens):
        year = ref.year - 1 if "last" in tokens else ref.year  # "February last year"
    if year is None:
        year = _year_for(month, day, ctx, year_default, before)
    if year is None:
        return None
    try:
        if day is not None:
            d = date(year, month, day)
            return d, d
        return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
    except ValueError:
        return None


def _numeric_day(phrase: str) -> tuple[date, date] | None:
    iso = _ISO_DAY.fullmatch(phrase)
    dotted = None if iso else _DOTTED_DAY.fullmatch(phrase)
    if iso is not None:
        year, month, day = (int(g) for g in iso.groups())
    elif dotted is not None:
        day, month, year = (int(g) for g in dotted.groups())
    else:
        return None
    try:
        d = date(year, month, day)
    except ValueError:
        return None
    return d, d


def _year_for(
    month: int, day: int | None, ctx: DateContext, year_default: int | None, before: date | None
) -> int | None:
    """The year of a day or month stated without one: the year the document gives that day
    elsewhere, else the range's other end, else the latest such day on or before publication
    (or the document's "now")."""
    if (month, day or 0) in ctx.stated:
        return ctx.stated[(month, day or 0)]
    if year_default is not None:
        late = before is not None and (month, day or 1) > (before.month, before.day)
        return year_default - 1 if late else year_default
    ref = ctx.published or ctx.now
    if ref is not None:
        return ref.year if (month, day or 1) <= (ref.month, ref.day) else ref.year - 1
    return ctx.year_hint


def _fallback(phrase: str, ctx: DateContext) -> tuple[date, date] | None:
    """Formats our reader does not know go to dateparser (cached; rare by construction)."""
    if not re.search(r"\d", phrase) or re.fullmatch(YEAR, phrase.strip()):
        return None  # dateparser needs a day and a month: a year alone is not worth loading it
    got = _dateparser(phrase.strip(), ctx.published)
    return (got, got) if got else None


@lru_cache(maxsize=4096)
def _dateparser(phrase: str, base: date | None) -> date | None:
    import datetime as _dt

    import dateparser  # type: ignore[import-untyped]

    settings: dict[str, object] = {"PREFER_DATES_FROM": "past", "REQUIRE_PARTS": ["day", "month"]}
    if base:
        settings["RELATIVE_BASE"] = _dt.datetime(base.year, base.month, base.day)
    parsed = dateparser.parse(phrase, languages=["en"], settings=settings)  # type: ignore[arg-type]
    return parsed.date() if parsed else None


def count_word(word: str) -> int | None:
    """A count written as digits or a small number word ("three weeks ago")."""
    if word.isdigit():
        return int(word)
    if word in ("a", "an", "one"):
        return 1
    return number_words().small.get(word)


# "Mohammad Jan Rasolyar": a bare month's name between two capitalised names is part of a
# person's name (not after a word that leads into a date: "In June Alone", "Since May Day")
_DATE_LEADS = (
    "in|on|since|during|until|by|from|of|early|late|mid|last|next|this|through|throughout|"
    "before|after|between|and|to|or|for"
)
_NAME_BEFORE = re.compile(rf"(?<![\w’'\-])(?!(?i:{_DATE_LEADS})\s)[A-Z][a-z]+\s$")
_NAME_AFTER = re.compile(r"\s[A-Z][a-z]")


def in_a_name(text: str, start: int, phrase: str) -> bool:
    """Whether the bare month's name ``phrase`` at ``start`` is part of a person's name."""
    phrase = phrase.strip()
    if not phrase.isalpha() or not phrase[:1].isupper():
        return False
    return (
        _NAME_BEFORE.search(text, max(0, start - 20), start) is not None
        and _NAME_AFTER.match(text, start + len(phrase)) is not None
    )
