"""What a parenthesis after some words is: a citation of who gave the figures ("displaced
(IOM)") or the definition of an acronym ("Syrian Civil Defence (SCD)")."""

from __future__ import annotations

from crisisdesk.extract.categories import nouns
from crisisdesk.extract.compiled import compile_rx
from crisisdesk.vocab import month_numbers

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


__all__ = ["cites_after", "spells_out"]
