"""A part counted in the sentence after its whole: "... the movement of 200,465 people was
recorded since 9 October. Of these, 139,265 remain displaced". The back-reference that opens
the sentence makes the figure a part of the previous sentence's count, and a state so
counted ("remain displaced") is counted over that count's period, not as a bare present
stock."""

from __future__ import annotations

from functools import cache

from crisisdesk.extract.draft import DocState, Draft
from crisisdesk.extract.periods import Period
from crisisdesk.extract.text import PhraseScanner
from crisisdesk.vocab import vocab_list


@cache
def _openers() -> PhraseScanner:
    return PhraseScanner(vocab_list("periods", "whole_back_references"))


def earlier_whole_period(
    state: DocState, d: Draft, figures: dict[int, list[Draft]]
) -> Period | None:
    """The period of the previous sentence's last dated figure, when ``d``'s sentence opens
    with a back-reference to it and a comma ("Of these, ...", "Among them, ...")."""
    s = d.sentence
    at = (
        s.start
        + len(state.low[s.start : d.qual_start])
        - len(state.low[s.start : d.qual_start].lstrip(" \t•·▪*-"))
    )
    word = _openers().search(state.low, at, d.qual_start)
    if word is None or word.start() != at or state.low[word.end() : word.end() + 1] != ",":
        return None
    earlier = [x for x in figures.get(s.index - 1, []) if x.period is not None]
    if not earlier or earlier[-1].sentence.paragraph != s.paragraph:
        return None
    p = earlier[-1].period
    return p if p is not None and p.date_end is not None else None


__all__ = ["earlier_whole_period"]
