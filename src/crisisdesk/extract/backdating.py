"""Periods stated after the figures they date.

Reports often give the figures first and the days after, in a sentence of their
own that points back at them: "14 attacks on aid workers were recorded in
Darfur. These attacks took place between 24 February and 3 March." Periods
otherwise carry forward only (``dating``); this pass gives the period of such a
sentence to the figures of the sentence right before it that no period dated.
"""

from __future__ import annotations

import re
from functools import cache

from crisisdesk.extract.compiled import compile_rx
from crisisdesk.extract.draft import DocState, Draft
from crisisdesk.extract.text import Sentence
from crisisdesk.vocab import phrase_pattern, vocab_list


@cache
def _pointing_back() -> re.Pattern[str]:
    """ "These attacks took place", "The killings occurred", "Both incidents happened"."""
    dets = phrase_pattern(vocab_list("periods", "back_determiners"))
    nouns = phrase_pattern(vocab_list("periods", "back_events"))
    verbs = phrase_pattern(vocab_list("periods", "back_verbs"))
    return compile_rx(
        rf"\s*[“\"]?(?:(?:{dets})\s+)(?:[a-z-]+\s+){{0,2}}?(?:{nouns})\s+(?:all\s+)?(?:{verbs})\b",
        re.I,
    )


def date_back(state: DocState, drafts: list[Draft]) -> None:
    """Give the one dated period of a figure-less sentence pointing back at the figures of
    the sentence before (same paragraph) to those of them that have no period."""
    by_sentence: dict[int, list[Draft]] = {}
    for d in drafts:
        by_sentence.setdefault(d.sentence.index, []).append(d)
    sents = state.sents
    for i in by_sentence:
        j = i + 1
        if j >= len(sents) or j in by_sentence or not _next_in_flow(sents, i, j):
            continue
        undated = [d for d in by_sentence[i] if _undated(d)]
        if not undated or not _pointing_back().match(state.text, sents[j].start, sents[j].end):
            continue
        dated = [p for p in state.periods(j) if p.date_start and not p.report and not p.aside]
        if len(dated) != 1:
            continue
        for d in undated:
            d.period = dated[0]


def _next_in_flow(sents: list[Sentence], i: int, j: int) -> bool:
    """Sentence ``j`` goes on from ``i``: in the same paragraph, or opening the next one right
    after a paragraph that ``i`` ends (news copy and statements set each sentence apart)."""
    if sents[j].paragraph == sents[i].paragraph:
        return True
    return sents[j].paragraph == sents[i].paragraph + 1


def _undated(d: Draft) -> bool:
    """No day of its own: none at all, or only the day it was reported (a dateline, "as of"),
    which the events' own period, said next, replaces."""
    p = d.period
    return p is None or p.report or (p.date_start is None and p.date_end is None)


__all__ = ["date_back"]
