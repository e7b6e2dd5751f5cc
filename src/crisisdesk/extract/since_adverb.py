"""The adverb "since": "Over 700 people have since been killed", "the army has since
responded with a campaign, killing 15,000". The count runs from the start or day the
text stated just before ("since the October 7 attack", "the war began on 7 October
2023") to publication; its own sentence names no date. The auxiliaries before the adverb
are data (``periods.yaml`` ``since_adverb_leads``)."""

from __future__ import annotations

import re
from functools import cache

from crisisdesk.extract.compiled import compile_rx
from crisisdesk.extract.dating import wordless
from crisisdesk.extract.draft import DocState, Draft
from crisisdesk.extract.periods import Period
from crisisdesk.vocab import phrase_pattern, vocab_list

_BACK = 2  # sentences looked back for the start the adverb refers to


@cache
def _adverb() -> re.Pattern[str]:
    """An auxiliary, "since", then a participle ("have since been", "has since fled")."""
    leads = phrase_pattern(vocab_list("periods", "since_adverb_leads"))
    return compile_rx(rf"\b(?:{leads})\s+(?:been|[a-z]+(?:ed|en|n|t))\b")


def date_since_adverb(state: DocState, drafts: list[Draft]) -> None:
    """Undated counts of a sentence that says "have since ..." run from the latest start or
    day of the sentences just before it to publication."""
    for d in drafts:
        if d.dropped or (d.period is not None and not wordless(d.period)):
            continue
        s = d.sentence
        if _adverb().search(state.low, s.start, s.end) is None or state.periods(s.index):
            continue
        anchor = _anchor(state, s.index)
        if anchor is not None:
            d.period = anchor


def _anchor(state: DocState, i: int) -> Period | None:
    """The latest dated start in the sentences before ``i`` (same or previous paragraph)."""
    for j in range(i - 1, max(-1, i - 1 - _BACK), -1):
        if state.sents[i].paragraph - state.sents[j].paragraph > 1:
            return None
        dated = [p for p in state.periods(j) if p.date_start is not None and not p.aside]
        if dated:
            p = dated[-1]
            return Period(p.start, p.end, p.date_start, state.dates.published, "multi", True)
    return None
