"""The words that introduce a capitalised name as a place ("in", "the town of", "near")
or as where people went ("fled to", "arrived in"), read as set look-ups of the few words
before the name rather than a regex per candidate; and the words that say who holds a
place ("rebel-held"), which are no part of its name."""

from __future__ import annotations

import re
from functools import cache

from crisisdesk.extract.compiled import compile_rx
from crisisdesk.vocab import phrase_pattern, vocab_list


@cache
def lead_phrases() -> frozenset[str]:
    phrases = [*vocab_list("places", "prepositions"), *vocab_list("places", "place_intro_words")]
    return frozenset(" ".join(p.lower().split()) for p in phrases)


@cache
def _destination_phrases() -> frozenset[str]:
    return frozenset(" ".join(p.lower().split()) for p in vocab_list("places", "destination_words"))


@cache
def _place_or_destination_phrases() -> frozenset[str]:
    """The lead phrases of a place and of a destination, in one set (one look-up each)."""
    return lead_phrases() | _destination_phrases()


def led(before: str) -> bool:
    """True when the words right before a name introduce a place ("in", "the town of")."""
    return not lead_phrases().isdisjoint(lead_keys(before)) or _bare_led(before)


def led_either(before: str) -> bool:
    """True when the words right before a name introduce a place ("in", "the town of") or
    a destination ("fled to"): set lookups of the words read once, no regex per candidate."""
    return not _place_or_destination_phrases().isdisjoint(lead_keys(before)) or _bare_led(before)


def _bare_led(before: str) -> bool:
    """ "near Abu Hamam": a preposition that introduces a name with no article before it (not
    after where people went: "found refuge in camps near Nyala" is a destination)."""
    if before[-1:] != " " or before[-6:].rstrip().lower().rsplit(None, 1)[-1:] not in _bare():
        return False
    return _went_to().search(before.lower()) is None


@cache
def _went_to() -> re.Pattern[str]:
    """The destination phrases of more than one word ("took refuge in", "arrived in")."""
    phrases = [p for p in vocab_list("places", "destination_words") if " " in p]
    return compile_rx(rf"\b(?:{phrase_pattern(phrases)})\s")


@cache
def _bare() -> list[list[str]]:
    return [[w] for w in vocab_list("places", "bare_prepositions")]


def lead_keys(before: str) -> list[str]:
    """The last one, two and three words before a name (an article, a quantifier and who
    holds the place left out), as looked up in the lead phrases."""
    if not before[-1:].isspace():
        return []
    tail = [w.strip("“”\"‘’'(—–:") for w in before.lower().split()[-4:]]  # "seen in: X"
    if len(tail) > 2 and tail[-1].rstrip(",") in _descriptors():
        # "in the (Syrian) capital Damascus", "in second city Aleppo": what the name is,
        # said before it with at most one word describing it, stands between lead and name
        tail = tail[:-1]
        if tail[-1] != "the" and tail[-2] in ("the", *lead_phrases()):
            tail = tail[:-1]
    if tail and tail[-1] == "the":
        tail = tail[:-1]
    if len(tail) > 1 and tail[-1] in _quantifiers():  # "in several areas of"
        tail = tail[:-1]
    if len(tail) > 1 and tail[-1].endswith(control_suffixes()):  # "in rebel-held Idlib"
        tail = tail[:-1]
    return [" ".join(tail[-k:]) for k in (1, 2, 3) if len(tail) >= k]


@cache
def _descriptors() -> frozenset[str]:
    return frozenset(vocab_list("places", "name_descriptors"))


@cache
def control_suffixes() -> tuple[str, ...]:
    """Who holds a place ("rebel-held", "government-controlled") is not part of its name."""
    return tuple(vocab_list("places", "control_suffixes"))


@cache
def held_by_word() -> str:
    """The pattern of a word saying who holds a place or what struck it ("Hamas-run",
    "rebel-held", "famine-hit"), from places.yaml ``control_suffixes``."""
    return rf"[\w’']+(?:{phrase_pattern(list(control_suffixes()))})"


@cache
def held_by() -> re.Pattern[str]:
    """A word saying who holds a place, in front of its name."""
    return compile_rx(rf"{held_by_word()}\s+", re.I)


@cache
def _quantifiers() -> frozenset[str]:
    return frozenset(vocab_list("places", "place_quantifiers"))
