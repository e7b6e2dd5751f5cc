"""What a parenthesis after some words is: a citation of who gave the figures ("displaced
(IOM)") or the definition of an acronym ("Syrian Civil Defence (SCD)")."""

from __future__ import annotations

import re
from functools import cache

from crisisdesk.extract.categories import nouns
from crisisdesk.extract.compiled import compile_rx
from crisisdesk.vocab import month_numbers, phrase_pattern

_LETTERS = compile_rx(r"[A-Za-z]+")


def cites_after(words: list[str]) -> bool:
    """A parenthesis after these words can be a citation: after a common word, a number, a
    date or a one-word place ("displaced (IOM)", "17 May (DTM)", "fled Ariha (DRM)"), not
    after a name of several capitalised words it would abbreviate ("Civil Defence (SCD)")."""
    if not words:
        return False
    word = words[-1]
    if _names_fighters(word):
        return False  # "militiamen (RSF)": the parenthesis says whose fighters, it cites nobody
    if (
        word[0].islower()
        or word[0].isdigit()
        or word[-1] in "%)"
        or word.lower() in month_numbers()
    ):
        return True
    return len(words) == 2 and words[0][:1].islower()


def _names_fighters(word: str) -> bool:
    """A fighter noun (categories.yaml ``nouns`` of kind fighter), quotes left aside."""
    entry = nouns().get(word.strip("\"“”'’,").lower())
    return entry is not None and entry.kind == "fighter"


def spells_out(before: str, acronym: str) -> bool:
    """The words before a parenthesis spell the acronym in it: a definition, not a citation."""
    letters = "".join(ch for ch in acronym if ch.isascii() and ch.isalpha()).lower()
    if not 0 < len(letters) <= 8:
        return False
    words = _LETTERS.findall(before)
    initials = "".join(w[0] for w in words).lower()
    # "Movement for the Salvation of Azawad (MSA)": the small words have no letter
    capitals = "".join(w[0] for w in words if w[0].isupper()).lower()
    # a word it skips too: "African Union Transition Mission in Somalia (ATMIS)"
    near = initials[-len(letters) - 2 :]
    rest = iter(near)
    spelt = all(ch in rest for ch in letters) and near[-1:] == letters[-1:]
    return initials.endswith(letters) or capitals.endswith(letters) or spelt


@cache
def _dated_tail() -> re.Pattern[str]:
    """A date closing a citation after a dash or a comma: "– June 2019", "- 12 February 2020",
    ", March 2021" (the day the cited organisation counted to)."""
    months = phrase_pattern([m for m in month_numbers() if len(m) > 2])
    return compile_rx(
        rf"\s*(?:[–—-]|,)\s*(?:\d{{1,2}}\s+)?(?:{months})\.?(?:\s+\d{{1,2}},?)?(?:\s+\d{{4}})?\s*$",
        re.I,
    )


def undated_end(text: str, a: int, b: int) -> int:
    """Where the name in a citation ``text[a:b]`` ends, before a date it closes with
    ("(CONASUR – June 2019)", "(Cadre Harmonisé- March 2019)": the name, then when it counted)."""
    m = _dated_tail().search(text, a, b)
    return m.start() if m and m.start() > a else b


_OPENS_WITH_NUMBER = compile_rx(r"\s*\d")
_LINE_END = compile_rx(r"[ \t]*(?:\n|$)")


def closes_key_line(text: str, start: int, paren_start: int, paren_end: int) -> bool:
    """A parenthesis closing a short key-figure line that opens with its number ("4.31 million
    returnees (IOM)"): a citation however short the line (no dateline opens with a number)."""
    return (
        _OPENS_WITH_NUMBER.match(text, start, paren_start) is not None
        and "\n" not in text[start:paren_start]
        and _LINE_END.match(text, paren_end) is not None
    )


__all__ = ["cites_after", "closes_key_line", "spells_out", "undated_end"]
