"""An event set in a place the text does not name ("on a market in a rebel-held town",
"near a village"): the figure is about that unnamed place, not the one the document is
about (places.yaml unnamed_place_leads, unnamed_place_nouns)."""

from __future__ import annotations

import re
from functools import cache

from crisisdesk.extract.compiled import compile_rx
from crisisdesk.vocab import phrase_pattern, vocab_list


@cache
def _unnamed_place_rx() -> re.Pattern[str]:
    leads = phrase_pattern(vocab_list("places", "unnamed_place_leads"))
    nouns = phrase_pattern(vocab_list("places", "unnamed_place_nouns"))
    return compile_rx(rf"\b(?:{leads})\s+(?:[\w’'-]+\s+){{0,3}}?(?:{nouns})\b")


def unnamed_place_in(low: str, start: int, end: int) -> bool:
    """True when the span of ``low`` (the text lower-cased) sets its event in a place it does
    not name ("in a northern town", "near a camp"): that place is not the document's,
    whatever the document is about."""
    return _unnamed_place_rx().search(low, start, end) is not None


__all__ = ["unnamed_place_in"]
