"""Figures of a scenario or a plan, which are no facts.

Periodic reports set their counts beside the numbers they plan for: "the government expects as
many as 2 million refugees in a worst-case scenario", "already above the planning figure
(400,000)". Those figures never happened; the conventions leave planning and hypothetical
figures out. The words come from categories.yaml (``scenario_tails``, ``planning_heads``).
"""

from __future__ import annotations

import re
from functools import cache

from crisisdesk.extract.compiled import compile_rx
from crisisdesk.vocab import phrase_pattern, vocab_list

_TAIL_REACH = 40  # characters after the counted noun in which the scenario must open


@cache
def _tail() -> re.Pattern[str]:
    return compile_rx(
        rf"\b(?:{phrase_pattern(vocab_list('categories', 'scenario_tails'))})\b", re.I
    )


@cache
def _head() -> re.Pattern[str]:
    heads = phrase_pattern(vocab_list("categories", "planning_heads"))
    return compile_rx(rf"\b(?:{heads})\s*(?:\(\s*|of\s+)$", re.I)


def in_scenario(text: str, qual_start: int, np_end: int, sent_start: int, sent_end: int) -> bool:
    """True when the figure at ``qual_start``..``np_end`` is a scenario's or a plan's."""
    before = text[max(sent_start, qual_start - 40) : qual_start]
    if _head().search(before):
        return True
    after = text[np_end : min(sent_end, np_end + _TAIL_REACH)]
    cut = min((i for i in (after.find(";"), after.find(",")) if i >= 0), default=len(after))
    return _tail().search(after[:cut]) is not None


__all__ = ["in_scenario"]
