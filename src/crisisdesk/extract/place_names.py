"""The words of a place name: which say which place it is, and which say only where
or what kind ("western", "province"); whether a name is a country.

Read by the places finder, the headline reader and the document pass
(``placing.py``) alike; nothing here knows any particular country.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

from crisisdesk.extract.compiled import compile_rx
from crisisdesk.vocab import countries, vocab_list

SPLIT = compile_rx(r"[\s\-]+")


@cache
def region_words() -> frozenset[str]:
    return frozenset(w.lower() for w in vocab_list("places", "region_words"))


def is_country(name: str) -> bool:
    """Whether a place name is a country, with any direction words ("north-west Syria")."""
    return is_country_words(name.split())


# a paragraph filed under its country, as bulletins list them: "Kenya: Heavy rains have ..."
_PARAGRAPH_LABEL = compile_rx(r"[A-Z][\w’'\-]*(?:\s+[A-Z][\w’'\-]*){0,3}(?=\s*:\s)")


def paragraph_label(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The span of the country a paragraph starting at ``start`` is filed under ("Kenya:
    Heavy rains have ...", "South Sudan: Armed clashes ..."), if it opens with one."""
    m = _PARAGRAPH_LABEL.match(text, start, end)
    return (m.start(), m.end()) if m and is_country_words(m.group().split()) else None


@cache
def generic_words() -> frozenset[str]:
    """Words that say where or what kind of place, not which ("northern", "province")."""
    words = {w.lower() for m in vocab_list("places", "modifiers") for w in SPLIT.split(m)}
    return frozenset(words | region_words())


def known_words(names: list[str]) -> frozenset[str]:
    """What ``title_places`` needs to know of the text's places: their words, and whole
    names made only of direction words ("North-West")."""
    out: set[str] = set()
    for name in names:
        core = place_words(name)
        if core:
            out.update(core)
            continue
        words = joined(name).split()
        while len(words) > 1 and words[-1] in region_words():
            words.pop()  # "South West regions": the name is "South West"
        out.update({joined(name), " ".join(words)})
    return frozenset(out)


def joined(name: str) -> str:
    """ "South-West" and "South West" alike."""
    return " ".join(SPLIT.split(name.lower()))


@lru_cache(maxsize=65536)
def place_words(name: str) -> frozenset[str]:
    """The words of a place name that say which place it is ("western Aleppo countryside" ->
    {"aleppo"}): two names that share one name the same place or one inside the other."""
    generic = generic_words() | {"of", "the"}  # "suburbs of Beirut": "of" says no place
    return frozenset(
        w for w in (x.lower() for x in re.findall(r"[\w’']+", name)) if w not in generic
    )


def is_country_words(words: list[str]) -> bool:
    """A country, with the direction words in front of it ("North-west Syria")."""
    return _is_country_name(tuple(words))


@lru_cache(maxsize=65536)
def _is_country_name(words: tuple[str, ...]) -> bool:
    generic = generic_words()
    k = 0
    while k < len(words) - 1 and all(w in generic for w in SPLIT.split(words[k].lower())):
        k += 1
    return " ".join(words[k:]) in countries()
