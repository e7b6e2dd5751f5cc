"""Qualifiers: "more than", "up to", "about"... in front of a figure (or "estimated" after it)."""

from __future__ import annotations

import re
from functools import cache

from crisisdesk.extract.compiled import compile_rx
from crisisdesk.model import Qualifier
from crisisdesk.vocab import load_yaml, phrase_pattern


@cache
def _tables() -> tuple[dict[str, Qualifier | None], re.Pattern[str]]:
    """Each qualifier phrase with what it says (None: a longer phrase that is no hedge), and
    the words after a noun that make a figure approximate."""
    data = load_yaml("qualifiers")
    mapping: dict[str, Qualifier | None] = {}
    for name in ("at_least", "at_most", "approx"):
        for phrase in data.get(name) or ():
            mapping.setdefault(" ".join(str(phrase).lower().split()), Qualifier(name))
    for phrase in data.get("not_qualifiers") or ():
        mapping[" ".join(str(phrase).lower().split())] = None
    # not the next figure's own qualifier ("over 66,000 people, approximately 13,310 families")
    after = compile_rx(
        rf"\s*,?\s*(?:{phrase_pattern(list(data.get('approx_after') or ()))})\b"
        r"(?!\s+(?:\d|one|two|three|four|five|six|seven|eight|nine|ten|a\s|an\s))",
        re.I,
    )
    return mapping, after


def qualifier_before(text: str, start: int, floor: int) -> tuple[Qualifier, int] | None:
    """The qualifier written right before the number at ``start`` (not crossing ``floor``)
    and the offset where it starts."""
    sign = _SIGN.search(text, max(floor, start - 2), start)
    if sign is not None:  # ">6,400", "≥ 20", "~300", "+89,000 people displaced"
        return Qualifier(_SIGNS[sign.group(1)]), sign.start()
    lo = max(floor, start - 48)
    window = text[lo:start]
    words = _WORD.findall(window.lower())
    if not words:
        return None
    fillers = _fillers()
    filler_ends, qualifier_ends = _last_words()
    k = len(words)
    if words[-1] in filler_ends and words[-1] in qualifier_ends:
        # a qualifier ending in a filler word: "passed the 100,000 mark"
        hit = _phrase_ending(words, k, (3, 2))
        if hit is not None and hit[0] is not None:
            return hit[0], lo + list(_WORD.finditer(window))[k - hit[1]].start()
    # drop fillers between the qualifier and the number ("more than an extra")
    while k > 0 and words[k - 1] in filler_ends:
        for size in (3, 2, 1):
            if k - size >= 0 and " ".join(words[k - size : k]) in fillers:
                k -= size
                break
        else:
            break
    if k == 0 or words[k - 1] not in qualifier_ends:
        return None  # no phrase of either list ends with this word
    hit = _phrase_ending(words, k, (4, 3, 2, 1))
    if hit is None or hit[0] is None:
        return None  # none, or "add up to": a verb that states the sum, not "up to"
    return hit[0], lo + list(_WORD.finditer(window))[k - hit[1]].start()


# a sign written as a hedge right before the digits ("+" only where no figure or letter precedes
# it, so "12+3" or "Covid+19" are no hedges)
_SIGN = compile_rx(r"(?<![\w+<>=])([+>≥<≤~])\s?$")
_SIGNS = {
    "+": "at_least",
    ">": "at_least",
    "≥": "at_least",
    "<": "at_most",
    "≤": "at_most",
    "~": "approx",
}


def _phrase_ending(
    words: list[str], k: int, sizes: tuple[int, ...]
) -> tuple[Qualifier | None, int] | None:
    """The longest phrase of the table (of ``sizes`` words) that ends at word ``k``, with
    what it says (None: a phrase that is no hedge) and its length in words."""
    mapping = _tables()[0]
    for size in sizes:
        if k - size >= 0:
            phrase = " ".join(words[k - size : k])
            if phrase in mapping:
                return mapping[phrase], size
    return None


def written_before(text: str, start: int, qualifier: str, floor: int = 0) -> str:
    """The fact's ``qualifier`` in the text's own words in front of the number at
    ``start`` ("more than", "nearly"), as a reviewer should read it; "" when the words
    there say something else or nothing (the fact was corrected, or read otherwise)."""
    found = qualifier_before(text, start, floor)
    if found is None or found[0] != qualifier:
        return ""
    return " ".join(text[found[1] : start].split())


_WORD = compile_rx(r"[\w.~']+|~")


@cache
def _fillers() -> frozenset[str]:
    return frozenset(
        " ".join(str(f).lower().split()) for f in load_yaml("qualifiers").get("fillers") or ()
    )


def approx_after(text: str, pos: int, limit: int) -> bool:
    """True when the counted noun is followed by "estimated" and similar words."""
    return bool(_tables()[1].match(text, pos, limit))


@cache
def _at_least_after() -> re.Pattern[str]:
    words = phrase_pattern(list(load_yaml("qualifiers").get("at_least_after") or ()))
    # not the start of the next figure's qualifier ("12 killed, at least 30 injured"), nor
    # a count of times ("39,000 displaced at least twice")
    return compile_rx(
        rf"\s+(?:{words})\b(?!\s+(?:\d|one|two|three|a\s|an\s|once|twice|thrice))", re.I
    )


def at_least_after(text: str, pos: int, limit: int) -> bool:
    """True when the figure (or its counted noun) is followed by "at least" ("81 at least")."""
    return bool(_at_least_after().match(text, pos, limit))


@cache
def _last_words() -> tuple[frozenset[str], frozenset[str]]:
    """The last words of the fillers and of the qualifiers: a phrase can only end there."""
    mapping = _tables()[0]
    return (
        frozenset(f.split()[-1] for f in _fillers() if f),
        frozenset(q.split()[-1] for q in mapping if q),
    )
