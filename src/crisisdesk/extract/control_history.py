"""A "since" that dates who has held a place, not a count.

Background on a town's history ("Maarat al-Numan, which has been in rebel hands since
2012") states a running period that no figure of the story runs over: carried to the next
paragraph it would date "Thousands fled the town" from 2012. The words of holding are data
(``periods.yaml`` ``holding_words``).
"""

from __future__ import annotations

import re
from functools import cache

from crisisdesk.extract.compiled import compile_rx
from crisisdesk.extract.period_hits import Period
from crisisdesk.vocab import phrase_pattern, vocab_list

_REACH = 40  # characters before the "since" in which the words of holding stand


@cache
def _holding() -> re.Pattern[str]:
    words = phrase_pattern(vocab_list("periods", "holding_words"))
    return compile_rx(rf"\b(?:{words})\b[^.;:,]{{0,20}}$", re.I)


def dates_a_holding(low: str, p: Period) -> bool:
    """True when the running period ``p`` says since when a place has been held."""
    return p.cumulative and _holding().search(low, max(0, p.start - _REACH), p.start) is not None
