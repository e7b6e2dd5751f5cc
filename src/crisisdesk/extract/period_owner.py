"""Which figure of a sentence a stated period belongs to when it stands between two:
"fell to 714, in May to 476" (May leads into 476 by "to"), but "from 334,000 people on
1 May to about 736,000 people on 9 May" (1 May is said right after the 334,000)."""

from __future__ import annotations

import re
from functools import cache

from crisisdesk.extract.compiled import compile_rx
from crisisdesk.extract.draft import Draft
from crisisdesk.extract.periods import Period
from crisisdesk.extract.text import lower_same_length
from crisisdesk.vocab import phrase_pattern, vocab_list

LEADS_INTO = compile_rx(r"\s*[-–—:]\s*(?:to\s+)?|\s+to\s+")
TO = compile_rx(r"\s*(?:[-–—]\s*)?to\s+")


def leading_into(text: str, d: Draft, periods: list[Period], figures: list[Draft]) -> Period | None:
    """ "... 696, in May - to 473, in June - to 374", "fell to 714, in May to 476": a period
    that leads into the figure by a dash, a colon or "to" is the figure's, whatever follows
    it; not one said right after another figure ("from 334,000 people on 1 May to about
    736,000 people on 9 May": 1 May is the 334,000's)."""
    for p in periods:
        leads = p.end <= d.qual_start and LEADS_INTO.fullmatch(text, p.end, d.qual_start)
        if leads and not any(x is not d and _right_after(text, x, p) for x in figures):
            return p
    return None


_ON_DAY = compile_rx(r"\s*(?:on|in|at|by|as\s+of)?\s*")


def _right_after(text: str, x: Draft, p: Period) -> bool:
    """The period is said right after figure ``x``'s noun ("334,000 people on 1 May")."""
    return x.np_end <= p.start and _ON_DAY.fullmatch(text, x.np_end, p.start) is not None


def leads_elsewhere(
    text: str, p: Period, d: Draft, figures: list[Draft], by: re.Pattern[str] = LEADS_INTO
) -> bool:
    """Whether ``p`` leads into another figure of the sentence by a dash, a colon or "to"
    (not when it is said right after ``d`` itself)."""
    if _right_after(text, d, p):
        return False
    return any(
        x is not d and p.end <= x.qual_start and by.fullmatch(text, p.end, x.qual_start)
        for x in figures
    )


# what joins a figure to a later count of the same thing it is compared with: "9.1 million,
# up from 7.9 million in January", "1.2 million refugees, compared with 600,000 in April",
# "rose to 52 from 40 in May"
_COMPARED_LEAD = compile_rx(
    r"(?:^|[\s,;(–—-])(?:(?:(?:up|down)\s+)?from|compared\s+(?:with|to)|against|versus|"
    r"as\s+against)\s+(?:(?:some|about|around|nearly|almost|over|only|just)\s+)?$"
)
_COMPARED_REACH = 80  # characters between the figure and the count it is compared with


def compared_later(text: str, p: Period, d: Draft, figures: list[Draft]) -> bool:
    """Whether ``p`` is said right after a later count that ``d`` is compared with: it dates
    that count, not ``d`` ("stands at 9.1 million, up from 7.9 million in January")."""
    return any(
        x is not d
        and (x.category, x.unit) == (d.category, d.unit)
        and d.m.end <= x.qual_start <= d.m.end + _COMPARED_REACH
        and _right_after(text, x, p)
        and _COMPARED_LEAD.search(text[d.m.end : x.qual_start]) is not None
        for x in figures
    )


def stock_as_of(periods: list[Period], d: Draft, text: str = "") -> Period | None:
    """ "184,000 remain displaced (as of 1 August 2018)": a state counted up to a day stated
    after it ends there and has no start; so does the day closing the bracket that cites
    where a key figure comes from ("765,517 IDPs (CONASUR – 12 February 2020)"); a state with
    no such day has no period. An "as of" day opening the sentence ("As of 13 September,
    close to 12,000 people remain displaced") dates its state too."""
    for p in periods:
        if p.as_of and p.date_end and _opens_sentence(text, d, p):
            return Period(p.start, p.end, None, p.date_end, p.length, report=True, as_of=True)
        if not (p.date_end and d.m.end <= p.start < d.sentence.end):
            continue
        if p.as_of or (
            text and _CITED_ON.search(text, d.m.end, p.start) and _CLOSES.match(text, p.end)
        ):
            return Period(p.start, p.end, None, p.date_end, p.length, report=True, as_of=True)
    return None


# the bracket a figure's source opens, with its name and a dash, then the day: "(CONASUR – "
_CITED_ON = compile_rx(r"\([^()\n]{1,40}?(?:\s[–—-]|[–—-]\s)\s*$")  # also "(Cadre Harmonisé- "
_CLOSES = compile_rx(r"\s*\)")


def _opens_sentence(text: str, d: Draft, p: Period) -> bool:
    """Whether period ``p`` opens the sentence of ``d``, before it ("As of 17 October, ...")."""
    s = d.sentence
    if not text or not s.start <= p.start < d.m.start:
        return False
    return _as_of_lead().fullmatch(lower_same_length(text[s.start : p.start])) is not None


@cache
def _as_of_lead() -> re.Pattern[str]:
    """A sentence's opening up to its "as of" day: bullets, then an as-of lead (periods.yaml)."""
    leads = phrase_pattern(vocab_list("periods", "as_of_leads"))
    return compile_rx(rf"[\s•·▪*-]*(?:(?:{leads})\s+)?")
