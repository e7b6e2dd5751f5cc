"""A toll whose part a later sentence tells ("Thirteen people were killed ... // Two of the
dead were sons of the sheikh", "... killed four people. Two children are among the dead").

The conventions make a figure whose parts the document gives a total, as they do a toll with
its part in the same sentence ("Eight people were killed - seven of which from the same
family"). Runs after ``totals.mark_totals``.
"""

from __future__ import annotations

import re
from functools import cache

from crisisdesk.extract.compiled import compile_rx
from crisisdesk.extract.draft import DocState, Draft
from crisisdesk.vocab import phrase_pattern, vocab_list

_REACH = 2  # sentences after the toll a part may be told in
_HARMS = ("killed", "injured", "fighters_killed")


@cache
def _of_the_toll() -> re.Pattern[str]:
    """Words that make a count a part of the toll told before (totals.yaml toll_part_words)."""
    return compile_rx(rf"\b(?:{phrase_pattern(vocab_list('totals', 'toll_part_words'))})\b")


def mark_later_parts(state: DocState, drafts: list[Draft]) -> None:
    """Make a total of each single harm toll whose part, a smaller count of the same harm,
    a sentence shortly after it tells as one of the dead or wounded."""
    by_sentence: dict[int, list[Draft]] = {}
    for g in drafts:
        by_sentence.setdefault(g.sentence.index, []).append(g)
    for d in drafts:
        if d.is_total or d.dropped or d.m.value is None or d.category not in _HARMS:
            continue
        i = d.sentence.index
        after = (g for j in range(i + 1, i + _REACH + 1) for g in by_sentence.get(j, ()))
        if any(_part_of(state, d, g) for g in after):
            d.is_total = True
            d.notes.append("total: a part told in a later sentence")


def _part_of(state: DocState, d: Draft, g: Draft) -> bool:
    i, j = d.sentence.index, g.sentence.index
    whole, part = d.m.value, g.m.value
    if not (i < j <= i + _REACH) or g.dropped or whole is None or part is None or part >= whole:
        return False
    if g.category != d.category or g.ante is not None:
        return False
    s = g.sentence
    return _of_the_toll().search(state.low, s.start, s.end) is not None


__all__ = ["mark_later_parts"]
