"""What a figure's clause says about its kind of count: a present state (a stock, dated by
no period: "are displaced", "hosts 3 million") or a running tally ("have been killed",
"were recorded as damaged"). Read on the clause's words; dating.py decides with them."""

from __future__ import annotations

from functools import cache

from crisisdesk.extract.text import PhraseScanner, lower_same_length
from crisisdesk.extract.totals import is_present_perfect
from crisisdesk.vocab import vocab_list


@cache
def _state_cues() -> PhraseScanner:
    return PhraseScanner(vocab_list("periods", "state_cues"))


@cache
def _tally_cues() -> PhraseScanner:
    return PhraseScanner(vocab_list("periods", "tally_cues"))


def is_tally(clause: str) -> bool:
    """A running count: present perfect ("have been killed") or a count recorded to date
    ("were recorded as damaged", "among the dead are")."""
    return is_present_perfect(clause) or _tally_cues().search(lower_same_length(clause)) is not None


def is_state(clause: str) -> bool:
    """A present state ("are displaced", "hosts 3 million"): a stock, not a count of events."""
    return _state_cues().search(lower_same_length(clause)) is not None
