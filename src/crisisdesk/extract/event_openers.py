"""Sentences that open on the events the text has just dated or counted ("The air strike
killed five people", "These attacks have claimed the lives of 55"): what they count
happened in those events, so it takes their period (read by ``dating._carried``)."""

from __future__ import annotations

import re
from functools import cache

from crisisdesk.extract.compiled import compile_rx
from crisisdesk.extract.draft import DocState, Draft
from crisisdesk.extract.period_hits import Period
from crisisdesk.extract.running import brief
from crisisdesk.extract.text import PhraseScanner
from crisisdesk.vocab import phrase_pattern, vocab_list

_ACCORDING_LEAD = compile_rx(r"according to [^,.;:]{1,60},\s*")
_REACH = 40  # characters from the sentence's start within which the event is named


@cache
def _event_anaphora() -> PhraseScanner:
    return PhraseScanner(vocab_list("periods", "event_anaphora"))


def opens_on_event(state: DocState, d: Draft) -> bool:
    """The figure's sentence opens on an event named before ("These attacks have claimed
    the lives of 55", "According to the report, the dead ..."): its count is those events'
    toll over their period, not a running tally."""
    s = d.sentence
    lead = _ACCORDING_LEAD.match(state.low, s.start, s.end)
    start = lead.end() if lead else s.start
    hit = _event_anaphora().search(state.low, start, min(s.end, start + _REACH))
    return hit is not None and not state.low[start : hit.start()].strip()


def continues_event(state: DocState, d: Draft, last_paragraph: int) -> bool:
    """A paragraph opening with the event the paragraph before dated ("Beirut was hit by an
    air strike on Monday. // The air strike killed five people"): the day carries into it,
    as one-sentence paragraphs of news copy would otherwise lose it."""
    return last_paragraph == d.sentence.paragraph - 1 and opens_on_event(state, d)


@cache
def _statement_lead() -> re.Pattern[str]:
    speakers = phrase_pattern(vocab_list("periods", "statement_speakers"))
    verbs = phrase_pattern(vocab_list("periods", "statement_verbs"))
    return compile_rx(rf"(?:{speakers})\s+(?:also\s+)?(?:{verbs})\b")


def continues_statement(state: DocState, d: Draft, last_paragraph: int) -> bool:
    """A paragraph opening by going on with the statement the paragraph before reported
    ("The ministry said 16 were killed on Saturday. // It noted that 11 of them ..."): one
    statement split into one-sentence paragraphs of news copy, so the day carries into it."""
    s = d.sentence
    if last_paragraph != s.paragraph - 1:
        return False
    return _statement_lead().match(state.low, s.start, s.end) is not None


_INCIDENT_BACK = 2  # sentences before the toll within which its incident's day is stated


@cache
def _incident_words() -> PhraseScanner:
    return PhraseScanner(vocab_list("periods", "incident_words"))


@cache
def _running_count_words() -> PhraseScanner:
    words = vocab_list("periods", "running_count_words") + vocab_list("periods", "running_words")
    return PhraseScanner(words + vocab_list("periods", "whole_conflict_words"))


def incident_named(state: DocState, start: int, end: int) -> bool:
    """Whether ``state.low[start:end]`` names an incident (a verb or noun of attack)."""
    return _incident_words().search(state.low, start, end) is not None


def toll_of_dated_incident(state: DocState, d: Draft, last: Period | None) -> bool:
    """The day stated last dates an incident one or two sentences before, in the figure's
    paragraph ("In the evening of 3 May, gunmen raided the camp. Nine people have been
    killed and 20 injured"): the toll that follows with no period of its own is that
    incident's, whatever its tense; not a count "since" or "so far", nor a war's."""
    if last is None or last.date_start is None or not brief(last):
        return False
    s = d.sentence
    for k in range(s.index - 1, max(-1, s.index - 1 - _INCIDENT_BACK), -1):
        before = state.sents[k]
        if before.paragraph != s.paragraph:
            return False
        if before.start <= last.start < before.end:
            named = _incident_words().search(state.low, before.start, before.end) is not None
            a, b = d.clause
            return named and _running_count_words().search(state.low, a, b) is None
    return False
