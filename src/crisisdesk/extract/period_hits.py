"""What a date expression resolves to, and the match a resolver reads it from.

``periods.py`` finds the expressions; its resolvers and those of
``since_periods.py`` turn each ``Hit`` into a ``Period`` against a
``DateContext``. The types live here so that resolvers can sit in more than one
module without importing each other.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from types import MappingProxyType

from crisisdesk.extract.compiled import compile_rx
from crisisdesk.extract.period_vocab import prefix_rx

_NO_YEARS: Mapping[tuple[int, int], int] = MappingProxyType({})


@dataclass(frozen=True, slots=True)
class DateContext:
    """What relative dates are resolved against."""

    published: date | None
    year_hint: int | None = None  # the latest year the text states (no publication date)
    now: date | None = None  # published, or the month after the latest stated date
    stated: Mapping[tuple[int, int], int] = field(
        default_factory=lambda: _NO_YEARS
    )  # (month, day)->year


@dataclass(slots=True, unsafe_hash=True)  # not frozen: see draft.py
class Period:
    """A date expression in the text and the period it resolves to. ``start``/``end`` are the
    span of the words it was read from (equal when it was read from no words)."""

    start: int
    end: int
    date_start: date | None
    date_end: date | None
    length: str  # "day", "multi" (several days or more), "none" (no period at all)
    cumulative: bool = False  # "since ...", "so far"
    report: bool = False  # a reporting date ("as of 27 October", "reported on September 8")
    reference: bool = False  # refers back to the report's period ("during the reporting period")
    running: bool = False  # still running at publication ("in 2020" in a 2020 report)
    as_of: bool = False  # a day counts were made up to ("as of 7 October", a citation's day)
    aside: bool = (
        False  # not a figure's period: a comparison ("as in January"), the researchers' visit
    )


@dataclass(slots=True, unsafe_hash=True)  # not frozen: see draft.py
class Hit:
    """One matched expression, with what its resolver needs."""

    kind: str
    start: int
    end: int
    phrase: str  # from the original text (the match may be on a lower-cased copy)
    low: str  # the phrase lower-cased, spaces collapsed
    text: str
    limit: int  # end of the sentence
    ctx: DateContext
    low_text: str | None = None  # ``text`` lower-cased with the same offsets, when known

    def period(self, a: date | None, b: date | None, length: str, **kw: bool) -> Period:
        """The period of this expression; a period still running when the document was
        written ("in 2020" in a 2020 report) ends at publication (unknown without one)."""
        now = self.ctx.published or self.ctx.now
        if now and a and b and a <= now < b and not kw.get("cumulative"):
            b = self.ctx.published
            kw["running"] = True
        elif length == "multi" and b is not None and b == self.ctx.published:
            kw["running"] = True  # "this month", "over the past week"
        return Period(self.start, self.end, a, b, length, **kw)

    def empty(self, length: str = "multi", **kw: bool) -> Period:
        """A period stated but not resolvable (no publication date, no year)."""
        return Period(self.start, self.end, None, None, length, **kw)


# a year not inside a longer number: "(?<!\d)(?:19|20)\d\d(?!\d)" written to open with its
# first digit, so that a search scans to a 1 or a 2 instead of trying the look-behind at
# every character (each branch checks by a look-behind which digit it took)
YEAR_RX = compile_rx(r"[12](?<!\d[12])(?:(?<=1)9|(?<=2)0)\d\d(?!\d)")


def strip_part(phrase: str) -> str:
    return prefix_rx("month_parts").sub("", phrase)


def previous_calendar(hit: Hit, ref: date, unit: str) -> Period:
    """ "last week" / "last month" / "last year": the calendar week (Monday to Sunday),
    month or year before ``ref``."""
    if unit == "week":
        monday = ref - timedelta(days=ref.weekday() + 7)
        return hit.period(monday, monday + timedelta(days=6), "multi")
    if unit == "month":
        prev = ref.replace(day=1) - timedelta(days=1)
        return hit.period(prev.replace(day=1), prev, "multi")
    return hit.period(date(ref.year - 1, 1, 1), date(ref.year - 1, 12, 31), "multi")
