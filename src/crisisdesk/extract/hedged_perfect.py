"""A perfect infinitive of a hedged report on one incident is no present-perfect tally.

"Another strike is said to have caused the deaths of 18 people": the "have" belongs to an
infinitive after a verb of hearsay, which tells one past incident at second hand; it is not
"have killed" of a running count. A war's toll told so ("9,000 are believed to have died in
the war") stays a tally: only a singular incident noun ("strike", "attack") as the subject
makes it one event. The words are data (``totals.yaml`` ``hedge_verbs``, ``incident_nouns``).
"""

from __future__ import annotations

import re
from functools import cache

from crisisdesk.extract.compiled import compile_rx
from crisisdesk.vocab import phrase_pattern, vocab_list


@cache
def _hedged_before() -> re.Pattern[str]:
    hedges = phrase_pattern(vocab_list("totals", "hedge_verbs"))
    incident = phrase_pattern(vocab_list("totals", "incident_nouns"))
    return compile_rx(
        rf"\b(?:{incident})\b[^.;:]{{0,60}}?\b(?:is|was)\s+(?:{hedges})\s+to\s+$", re.I
    )


def is_hedged(text: str, have_at: int) -> bool:
    """True when the "have" at ``have_at`` follows "<incident> ... is said to" and the like."""
    return _hedged_before().search(text, max(0, have_at - 120), have_at) is not None


def has_unhedged(rx: re.Pattern[str], text: str, lo: int = 0, hi: int | None = None) -> bool:
    """Whether ``rx`` (a present-perfect pattern) matches in ``text[lo:hi]`` other than
    as a hedged perfect infinitive."""
    end = len(text) if hi is None else hi
    return any(not is_hedged(text, m.start()) for m in rx.finditer(text, lo, end))
