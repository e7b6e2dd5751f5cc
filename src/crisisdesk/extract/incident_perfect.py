"""A toll in the present perfect that names its one incident after the figure.

Wire copy reports one incident's toll in the present perfect ("Two soldiers have been
killed and six wounded in an attack on their post, the ministry said on Wednesday"): the
tense reads like a running count, but the incident named after the verb makes it the toll of
that one event, dated like "were killed in an attack". The incident nouns and determiners
are the ones ``totals.yaml`` lists for incidents named before a figure.
"""

from __future__ import annotations

import re
from functools import cache

from crisisdesk.extract.compiled import compile_rx
from crisisdesk.vocab import phrase_pattern, vocab_list

_REACH = 90  # characters after the figure within which the incident is named


@cache
def _incident_after() -> re.Pattern[str]:
    """ "in an attack", "in a Syrian air strike", "in one raid": one incident, up to two
    plain words between its determiner and its noun."""
    dets = phrase_pattern(vocab_list("totals", "indefinite_incident_determiners"))
    nouns = phrase_pattern(vocab_list("totals", "incident_nouns"))
    return compile_rx(rf"\b(?:in|by)\s+(?:{dets})\s+(?:[\w-]+\s+){{0,2}}?(?:{nouns})\b", re.I)


def names_its_incident(text: str, figure_end: int, clause_end: int) -> bool:
    """True when the figure's clause names one incident soon after it ("have been killed in
    an attack"); "since the attack" or "in attacks" (plural) name none."""
    end = min(clause_end, figure_end + _REACH)
    return _incident_after().search(text, figure_end, end) is not None
