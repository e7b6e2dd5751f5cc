"""What a figure's clause says about its kind of count: a present state (a stock, dated by
no period: "are displaced", "hosts 3 million") or a running tally ("have been killed",
"were recorded as damaged"). Read on the clause's words; dating.py decides with them."""

from __future__ import annotations

import re
from functools import cache

from crisisdesk.extract.compiled import compile_rx
from crisisdesk.extract.text import PhraseScanner, lower_same_length
from crisisdesk.extract.totals import is_present_perfect
from crisisdesk.vocab import phrase_pattern, vocab_list


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
    """A present state ("are displaced", "hosts 3 million"): a stock, not a count of events.
    A cue that is the first word of a noun ("went to stay with host families", "living
    conditions") says nothing of the figure's tense."""
    low = lower_same_length(clause)
    return any(not _noun_modifier().match(low, m.end()) for m in _state_cues().finditer(low))


@cache
def _noun_modifier() -> re.Pattern[str]:
    heads = phrase_pattern(vocab_list("periods", "state_cue_noun_heads"))
    return compile_rx(rf"\s+(?:{heads})\b")


@cache
def _state_leads() -> re.Pattern[str]:
    leads = phrase_pattern(vocab_list("periods", "state_leads"))
    return compile_rx(rf"\b(?:{leads})\s+$")


def after_state_lead(low: str, qual_start: int) -> bool:
    """A count right after words that give what a place holds or serves ("a water station
    that serves over 400,000 people", "a camp that holds thousands"): a present stock. Only
    right before the count, so a harm told later in the sentence keeps its day."""
    return _state_leads().search(low, max(0, qual_start - 40), qual_start) is not None


# a second predicate of the figure's subject: "one hospital was damaged ... and is now out of
# service" (what it is now follows from the event counted)
_SECOND_PREDICATE = compile_rx(r"\s+and\s+(?:is|are|remains?)\s+(?:now|still)\b", re.I)


def state_words(clause: str, np_end: int, harm: bool) -> str:
    """The words of a clause that may say its figure is a state: up to the counted noun for a
    harm (an event: "killed 13 at a site hosting displaced families"), else up to a second
    predicate that says what the counted things are now."""
    # (from the clause that holds the figure: "Figures are still being reconciled, noting
    # that ... estimate that 60,000 have been displaced" is no state of the 60,000)
    that = [m.end() for m in _THAT.finditer(clause, 0, np_end)]
    first = that[-1] if that else 0
    if harm:
        return clause[first:np_end]
    # the pattern needs the letters "and" (of any case): most clauses have none after the
    # noun, and the search is tried at every space (exact: "A", "N", "D" lower to them)
    if "and" not in clause[np_end:].lower():
        return clause[first:]
    cut = _SECOND_PREDICATE.search(clause, np_end)
    return clause[first : cut.start()] if cut else clause[first:]


_THAT = compile_rx(r",[^,]{0,40}?\bthat\s+(?=(?:(?!,\s).)*$)")  # the last ", ... that"


# (shared by a count joined to it: "two schools and two kindergartens hosting ...")
_PARTICIPLE = compile_rx(r"(?:\s+and\s+[\w-]+\s+[a-z-]+)?\s+[a-z]{2,}ing\b")


def described_by_participle(low: str, np_end: int) -> bool:
    """The counted noun is followed by a participle that describes the things counted
    ("three schools hosting displaced families were hit"): what it says they are is not
    what the count is."""
    return _PARTICIPLE.match(low, np_end) is not None
