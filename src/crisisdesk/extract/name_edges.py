"""Where an organisation's name starts and ends in running text.

A pattern finds an organisation word ("Directorate", "Media Center", "Forces"); the
capitalised words around it are the name, but not all of them: the words opening a
sentence ("As the ..."), what describes the body ("the Syria-based ...", "the
Kurdish-led ..."), a country's possessive ("Iraq's ..."), another organisation before
an "and" are left out, and a body named by its seat keeps it ("... Directorate in
Idlib"). sources.py reads the names; this module only finds their edges.
"""

from __future__ import annotations

import re
from functools import cache

from crisisdesk.extract.compiled import compile_rx
from crisisdesk.extract.country import is_national_word
from crisisdesk.extract.source_patterns import regexes as _regexes
from crisisdesk.vocab import vocab_list

_THE = compile_rx(r"the\s", re.I)


def name_start(text: str, a: int, word: int) -> int:
    """Where a name before the organisation word at `word` starts, `a` being the first
    capitalised word the pattern took: past openers, describing words and a country's
    possessive."""
    a = _past_describing(text, _past_openers(text, a, word), word)
    return _past_country_owner(text, a, word)


def seat_end(text: str, word: int, b: int, end: int) -> int:
    """Where a name whose organisation word starts at `word` and which ends at `b` ends
    once its seat is read: "the Free Education Directorate in Idlib" (only after the
    heads that take one)."""
    if text[word:b].rsplit(None, 1)[-1] not in _seat_heads():
        return b
    seat = _SEAT.match(text, b, end)
    return seat.end() if seat else b


@cache
def _seat_heads() -> frozenset[str]:
    return frozenset(vocab_list("sources", "seat_named_heads"))


# the seat of a body named by it: " in " and one to three capitalised words
_SEAT = compile_rx(r"\s+in\s+(?:al-|el-)?[A-Z][\w’'-]*(?:\s+(?:al-|el-)?[A-Z][\w’'-]*){0,2}")


@cache
def _openers() -> frozenset[str]:
    return frozenset(vocab_list("sources", "not_name_starts"))


@cache
def _descriptor_suffixes() -> tuple[str, ...]:
    return tuple(vocab_list("sources", "name_descriptor_suffixes"))


def _described_by(word: str) -> bool:
    return word.lower().endswith(_descriptor_suffixes())


def _past_openers(text: str, a: int, word: int) -> int:
    """Where a name starts once the words opening its sentence are left out ("As the
    Prosecutor General's Office reported": the name starts at "the")."""
    while a < word:
        words = text[a:word].split(None, 2)
        first = words[0]
        # (nor who backs or leads it: "the US-backed Syrian Democratic Forces")
        if first in ("the", "The") and len(words) > 2 and _described_by(words[1]):
            first = text[a : text.index(words[1], a) + len(words[1])]
        elif first not in _openers() and not _described_by(first):
            break
        a += len(first)
        while a < word and text[a].isspace():
            a += 1
    return a


@cache
def _describing_endings() -> tuple[str, ...]:
    return tuple(vocab_list("sources", "describing_word_endings"))


def _past_describing(text: str, a: int, word: int) -> int:
    """Where a name starts once a word describing it is left out ("the Syria-based X
    Centre", "the Kurdish-led Y Forces"): where the body is based, who leads or backs it,
    is said of the organisation, not part of its name."""
    span = text[a:word]
    lead = _THE.match(span)
    rest = span[lead.end() :] if lead else span
    head = rest.split(None, 1)
    if len(head) == 2 and head[0].endswith(_describing_endings()):
        return word - len(head[1])
    return a


_OWNER = compile_rx(r"(?P<owner>[A-Z][\w-]*)[’']s\s+(?=[A-Z])")


def _past_country_owner(text: str, a: int, word: int) -> int:
    """Where a name starts once a country's possessive before it is left out ("Iraq's
    Kurdistan Region Security Council"): the country says whose body it is, as "the
    Iraqi" would, and is not part of its name."""
    m = _OWNER.match(text, a, word)
    return m.end() if m is not None and is_national_word(m.group("owner")) else a


def own_left(text: str, a: int, word: int) -> int:
    """Where a name ending in an organisation word starts: not before an "and" that
    follows another organisation ("the Ministry of X and the Y Media Center"), nor before
    "of the" after words that name no organisation ("Rescuers of the X Service")."""
    cut = text.rfind(" and ", a, word)
    if cut >= 0 and _regexes()["org_word"].search(text, a, cut):
        a = cut + len(" and ")
        if text.startswith(("the ", "The "), a):
            a += len("the ")
    # "Rescuers of the State Emergency Service", "the Head of the Syrian Civil Defence":
    # words with no organisation word of their own before "of the" are whose, not the name
    cut = text.rfind(" of the ", a, word)
    if cut >= 0 and not _regexes()["org_word"].search(text, a, cut):
        a = cut + len(" of the ")
    return a


def in_name(text: str, a: int, b: int, sent_start: int) -> bool:
    """Whether the words ``text[a:b]`` are capitalised inside a name: a capitalised word
    runs into them or on from them ("the Ambulance Operations Coordinator", "The Syria
    Campaign"); a sentence's first word alone is capitalised anyway."""
    if not text[a:b][:1].isupper():
        return False
    before = text[max(sent_start, a - 40) : a].split()
    after = text[b : b + 40].split()
    if after and after[0][:1].isupper():
        return True
    return bool(before) and before[-1].strip("(\"“'")[:1].isupper()
