"""Remarks a speaker adds after a figure ("..., the mission said, noting that casualties had
fallen since July"): a span of time in the remark belongs to its own words, not to a figure
said before it. A day may still be the figure's ("..., adding that the plane struck on
Friday": the day of the same attack). The openers are ``remark_openers`` in
``periods.yaml``."""

from __future__ import annotations

import re
from functools import cache

from crisisdesk.extract.compiled import compile_rx
from crisisdesk.extract.draft import DocState, Draft
from crisisdesk.extract.periods import Period
from crisisdesk.vocab import phrase_pattern, vocab_list


@cache
def _remark() -> re.Pattern[str]:
    return compile_rx(rf",\s+(?:{phrase_pattern(vocab_list('periods', 'remark_openers'))})\b")


def before_remark(state: DocState, d: Draft, periods: list[Period]) -> list[Period]:
    """The periods less the spans ("since July", "in 2019") inside a remark opened after the
    figure, in its sentence."""
    m = _remark().search(state.low, d.m.end, d.sentence.end)
    if m is None:
        return periods
    return [p for p in periods if p.start < m.start() or not (p.cumulative or p.length == "multi")]
