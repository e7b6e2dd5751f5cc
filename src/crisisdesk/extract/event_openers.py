"""Sentences that open on the events the text has just dated or counted ("The air strike
killed five people", "These attacks have claimed the lives of 55"): what they count
happened in those events, so it takes their period (read by ``dating._carried``)."""

from __future__ import annotations

from functools import cache

from crisisdesk.extract.compiled import compile_rx
from crisisdesk.extract.draft import DocState, Draft
from crisisdesk.extract.text import PhraseScanner
from crisisdesk.vocab import vocab_list

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
