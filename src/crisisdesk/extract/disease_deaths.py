"""Deaths from an outbreak, which are not conflict deaths.

Health situation reports count cholera cases and deaths side by side ("a cumulative 18,000
suspected cases and 99 deaths"); the conventions put those deaths under ``other``, with the cases,
not under ``killed``. Words come from categories.yaml (``disease_words``, ``disease_death_nouns``).
"""

from __future__ import annotations

import re
from functools import cache

from crisisdesk.extract.compiled import compile_rx
from crisisdesk.extract.draft import Draft
from crisisdesk.vocab import phrase_pattern, vocab_list


@cache
def _disease() -> re.Pattern[str]:
    words = phrase_pattern(vocab_list("categories", "disease_words"))
    return compile_rx(rf"\b(?:{words})\b", re.I)


@cache
def _death_noun() -> re.Pattern[str]:
    nouns = phrase_pattern(vocab_list("categories", "disease_death_nouns"))
    return compile_rx(rf"\b(?:{nouns})\b", re.I)


# "132 confirmed cases and six deaths": the deaths paired with a count of cases
_CASES_AND = compile_rx(r"\bcases\s+and\s+$", re.I)


def outbreak_death(text: str, d: Draft) -> bool:
    """True when the death count ``d`` is an outbreak's (a disease word before it in its
    sentence or in its noun phrase, or a count of cases paired with it)."""
    after = text[d.m.end : min(d.sentence.end, d.np_end + 12)]
    if _death_noun().search(after) is None:
        return False  # "were killed": a verb of violence, whatever the sentence's topic
    if _disease().search(text, d.sentence.start, d.np_end) is not None:
        return True
    lead = text[max(d.sentence.start, d.qual_start - 20) : d.qual_start]
    return _CASES_AND.search(lead) is not None


__all__ = ["outbreak_death"]
