"""is_total: cumulative or aggregate figures, as opposed to one incident's count.

A figure is a total when its clause says so ("so far", "since", "has risen
to", "in total"), when it covers more than one day (a month, "within 48
hours"), when it is a present-perfect count ("have been killed"), a current
stock of displaced people, or when the document gives its parts. Counts of
people in need and of population are never totals unless the text says so.
"""

from __future__ import annotations

import re
from functools import cache

from crisisdesk.extract.draft import Draft
from crisisdesk.extract.periods import Period
from crisisdesk.extract.text import PhraseScanner, lower_same_length
from crisisdesk.vocab import vocab_list


@cache
def _regexes() -> dict[str, re.Pattern[str]]:
    return {
        "perfect": re.compile(
            r"\b(?:have|has)\s+(?:now\s+|already\s+|reportedly\s+|also\s+|so\s+far\s+)?"
            r"(?:been|fled|lost|left|hit|struck|killed|risen|reached|displaced|saved|returned|"
            r"died|documented|recorded|[a-z]+ed)\b",
            re.I,
        ),
        "plural_attacks": re.compile(
            r"\b(?:attacks|strikes|airstrikes|air\s+strikes|raids|bombardments|offensive|campaign)"
            r"\s+(?:also\s+|have\s+|had\s+|reportedly\s+)?(?:killed|wounded|injured|maimed)\s+"
            r"(?:[\w’']+\s+){0,3}$",
            re.I,
        ),
    }


@cache
def _cumulative() -> PhraseScanner:
    return PhraseScanner(vocab_list("periods", "cumulative"))


def has_cumulative_cue(text: str) -> bool:
    return _cumulative().search(lower_same_length(text)) is not None


def is_present_perfect(text: str) -> bool:
    return bool(_regexes()["perfect"].search(text))


def decide_total(
    category: str,
    clause: str,
    before: str,
    period: Period | None,
    has_parts: bool,
) -> bool:
    """Whether a figure is cumulative or aggregate; ``clause`` is the text around it and
    ``before`` the part of the clause that precedes the number."""
    if category == "in_need":
        return False
    cumulative = has_cumulative_cue(clause) or bool(period and period.cumulative)
    if category == "other":
        return cumulative
    if period and period.length == "day" and not period.cumulative and period.date_start:
        return False
    if cumulative or has_parts:
        return True
    if period and period.length == "multi":
        return True
    if is_present_perfect(clause):
        return True
    if category == "displaced":
        return True
    casualty = category in ("killed", "injured", "fighters_killed")
    return casualty and bool(_regexes()["plural_attacks"].search(before))


def mark_totals(drafts: list[Draft], text: str) -> None:
    """is_total of each figure; a part inside a total shares its total's flag."""
    for d in drafts:
        if d.link in ("including", "partitive") and d.ante is not None:
            d.is_total = d.ante.is_total
        else:
            clause_text = text[d.clause[0] : d.clause[1]]
            before = text[d.clause[0] : d.m.start]
            d.is_total = decide_total(
                d.category or "other", clause_text, before, d.period, d.has_parts
            )
