"""Dates a sentence states that are not the period of its figures.

"an increase of 16% over January", "as in January", "the highest number since
January 2018" compare a figure with another time; "During a visit in May 2020,
researchers documented ..." dates the researchers' work, not what they found.
The words are data (``data/vocab/periods.yaml``).
"""

from __future__ import annotations

import re
from functools import cache

from crisisdesk.extract.compiled import compile_rx
from crisisdesk.vocab import phrase_pattern, vocab_list

_BEFORE = 60  # characters before a date read for its lead words
_SINCE_CLAUSE = 120  # characters back to the "since" whose clause a date may close


def is_aside(text: str, start: int, cumulative: bool, low: str | None = None) -> bool:
    """Whether the date starting at ``start`` is a comparison or the researchers' own work
    (``cumulative``: a "since ..." period, which a record reaches back to). ``low`` is
    ``text`` lower-cased with the same offsets, when the caller has it: the patterns then
    run without IGNORECASE (faster)."""
    if low is not None:
        before = low[max(0, start - _BEFORE) : start]
        aside, superlative = _lowered()["aside"], _lowered()["superlative"]
    else:
        before = text[max(0, start - _BEFORE) : start]
        aside, superlative = _aside_before(), _superlative_before()
    if aside.search(before):
        return True
    reach = max(0, start - _SINCE_CLAUSE)
    if _closes_compared_since(low[reach:start] if low is not None else text[reach:start].lower()):
        return True
    if not cumulative:
        return False
    background = _lowered()["background"] if low is not None else _background_before()
    if superlative.search(before) is not None or background.search(before) is not None:
        return True
    # "the first time that aid lorries have been able to enter these areas since March": a record
    # whose own clause ("that ...") stands between it and "since" reaches further back
    clause = _lowered()["superlative_clause"] if low is not None else _superlative_clause()
    return clause.search(low[reach:start] if low is not None else text[reach:start]) is not None


def compares_earlier(low: str, start: int, end: int, single_day: bool) -> bool:
    """Whether the date ``low[start:end]`` (lower-cased text) is the day of an earlier count
    the figure is compared with, not the figure's period: a day after "more than" ("5,200
    more than on Monday", "900 more than the day before", "40,000 more than the last tally on
    Tuesday"), a "since" after a change in per cent ("up 7% since the March 3 count") or after
    "lower than the" (a baseline's span: "lower than the usual monthly count since 2018"), or
    an as-of day opening a bracket that gives the earlier count ("8,410 people (as of 31 May,
    8,100)")."""
    before = low[max(0, start - _BEFORE) : start]
    pats = _earlier_count()
    if single_day and pats["than"].search(before):
        return True
    if low.startswith("since", start) and (
        pats["change"].search(before) or pats["than_since"].search(before)
    ):
        return True
    return pats["bracket"].search(before) is not None and pats["count"].match(low, end) is not None


@cache
def _earlier_count() -> dict[str, re.Pattern[str]]:
    more, earlier, nouns = (
        _alt("comparative_words"),
        _alt("earlier_count_words"),
        _alt("earlier_count_nouns"),
    )
    return {
        "than": compile_rx(rf"\b(?:{more})\s+than\s+(?:the\s+(?:{earlier})\s+(?:{nouns})\s+)?$"),
        "change": compile_rx(rf"\d\s?(?:%|per\s?cent|percent)\s+(?:{_alt('change_words')})\s+$"),
        # "lower than the usual monthly count since 2018": the baseline's span (not "more
        # than 200 people killed since April": a count's qualifier)
        "than_since": compile_rx(rf"\b(?:{more})\s+than\s+(?:{_alt('baseline')})\s[^.;:()]*$"),
        "bracket": compile_rx(rf"\(\s*(?:{_alt('as_of_leads')})\s+$"),
        # the earlier count after the day, before the bracket closes ("some 25,170)")
        "count": compile_rx(r"[,:]?\s*(?:[a-z]+\s+){0,2}\d[\d,.]*\s*\)"),
    }


_CITATION_OPEN = compile_rx(r"\(\s*[A-Z][^()\n]{1,60}(?:,|\s[–—-]|[–—-]\s)\s*$")
_CITATION_CLOSE = compile_rx(r"\s*[;)]")


_DATELINE_REACH = 60  # characters: a dateline opens the text
# ("FARAH, Nov. 26 (Xinhua) --", "GENEVA, March 16, 2012/African Press Organization (APO)/ —");
# after the agency's name the dash may be left out ("Peshawar, Aug 14 (PTI) At least five",
# "Addis Ababa, April 20/2022 /ENA/ The programme")
_DATELINE_CLOSE = compile_rx(
    r"(?:/\d{4})?\s*(?:(?:\([A-Za-z][\w .&-]{1,30}\)|/[A-Z][\w .&()-]{1,50}/)\s*(?:--|[-–—])?"
    r"|(?:--|[-–—]))"
)


def is_dateline(text: str, start: int, end: int) -> bool:
    """Whether the date ``text[start:end]`` is the dateline opening a wire story ("FARAH,
    Afghanistan, Nov. 26 (Xinhua) --"): the day the story was filed, a reporting day."""
    return (
        end <= _DATELINE_REACH
        and text[:start].rstrip().endswith(",")  # the place first ("BAMAKO, March 3 -")
        and _DATELINE_CLOSE.match(text, end) is not None
    )


def is_citation(text: str, start: int, end: int) -> bool:
    """Whether the date ``text[start:end]`` closes a citation in brackets, a source and when
    it wrote ("... in Taiz (ACLED, 7 December 2018)."): the date of what is cited, not of
    any figure."""
    return (
        _CITATION_OPEN.search(text, max(0, start - 62), start) is not None
        and _CITATION_CLOSE.match(text, end) is not None
    )


def _closes_compared_since(before: str) -> bool:
    """Whether a date after ``before`` (lower-cased) closes a "since" clause that a
    superlative governs ("the deadliest week since clashes broke out between the two armies
    on March 3"): the clause dates what the record is measured from, not a figure."""
    lead = _SINCE_WORD.search(before) if "since" in before else None
    return lead is not None and follows_superlative(before, lead.start())


def follows_superlative(low: str, pos: int) -> bool:
    """Whether a superlative comes shortly before ``pos`` in lower-cased ``low`` ("the
    deadliest incident since ..."): what follows compares, it counts nothing."""
    return _lowered()["superlative"].search(low, max(0, pos - _BEFORE), pos) is not None


def follows_war_state(low: str, pos: int) -> bool:
    """Whether a state of war comes shortly before ``pos`` in lower-cased ``low`` ("as
    fighting ravages the country since ..."): the "since" dates the war, the story's
    background, not a count."""
    return _lowered()["background"].search(low, max(0, pos - _BEFORE), pos) is not None


_SINCE_WORD = compile_rx(r"\bsince\s(?=[^.;:]*$)")  # the last "since" of the clause before


@cache
def _lowered() -> dict[str, re.Pattern[str]]:
    """The case-blind patterns of lower-case words, for lower-cased text: without IGNORECASE.
    Cached by name: a cache keyed by the pattern object would hash its whole program at
    every call (``re.Pattern.__hash__`` does; 6 us for these)."""
    return {
        "aside": compile_rx(_aside_before().pattern),
        "superlative": compile_rx(_superlative_before().pattern),
        "background": compile_rx(_background_before().pattern),
        "superlative_clause": compile_rx(_superlative_clause().pattern),
    }


def _alt(key: str) -> str:
    return phrase_pattern(vocab_list("periods", key))


@cache
def _aside_before() -> re.Pattern[str]:
    """ "as in", "compared with", a change word then "over"/"on" ("16% over January"), or
    the researchers' work ("During a visit in", "field investigations on"), a calm ("had
    been calm for the last four years"), what is yet to happen ("is to be held this
    weekend"), when a body came to be ("a militia set up in December 2019"); one search."""
    leads, changes, work = _alt("comparison_leads"), _alt("change_words"), _alt("fieldwork_cues")
    return compile_rx(
        rf"\b(?:(?:{leads})|(?:{changes})\b[^.;:]{{0,30}}?\s(?:over|on))\s+(?:the\s+)?$"
        rf"|\b(?:{work}|{_alt('calm_cues')})\b[^.;:,]{{0,40}}$"
        rf"|\b(?:{_alt('future_cues')})\s+(?:[a-z]+\s+){{0,2}}$"
        rf"|\bsame\s+(?:{_alt('comparison_periods')})\s+(?:(?:of|in)\s+)?$"
        rf"|\b(?:{_alt('founding_cues')})\s+(?:(?:in|on)\s+)?(?:the\s+)?$"
        # "..., having been evacuated last week": what had happened before, background
        r"|,\s*having\s+been\s+[a-z]+ed\s+(?:(?:in|on|since|during)\s+)?(?:the\s+)?$"
        # "in Yemen's war, which intensified in March 2015": the war's own history
        rf"|\b(?:which|that)\s+(?:has\s+|had\s+)?(?:{_alt('start_verbs')}|intensified|escalated)"
        r"\s+(?:in|on)\s+(?:the\s+)?$",
        re.I,
    )


@cache
def _background_before() -> re.Pattern[str]:
    """ "at war with the regular army since", "has been in turmoil since": the span of a
    state of war, the story's background."""
    return compile_rx(rf"\b(?:{_alt('war_state_cues')})\b[^.;:,]{{0,45}}$", re.I)


@cache
def _superlative_before() -> re.Pattern[str]:
    """ "the highest number of raids since", "for the first time since"."""
    return compile_rx(rf"\b(?:{_alt('superlatives')})\b[^.;:]{{0,55}}$", re.I)


@cache
def _superlative_clause() -> re.Pattern[str]:
    """ "the first time that ... since", "the highest toll that ... since": a record, then a
    relative clause of its own before "since"."""
    return compile_rx(rf"\b(?:{_alt('superlatives')})\s+(?:that|when)\b[^.;:]{{0,100}}$", re.I)
