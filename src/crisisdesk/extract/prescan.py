"""Cheap scans that tell when a slow pattern cannot match a text at all.

A few patterns are tried at every word of a document (a word, then "'s", then an
office's title); most documents never contain the words those patterns need. A
bare scan for the words, which the regex engine runs by first character, answers
"not here" for them at a fraction of the cost, and the answer is exact: the slow
pattern needs the word, so a text without it holds no match.
"""

from __future__ import annotations

from functools import cache

from crisisdesk.extract.compiled import compile_rx
from crisisdesk.extract.text import PhraseScanner
from crisisdesk.vocab import phrase_pattern, vocab_list


@cache
def _office_titles() -> PhraseScanner:
    return PhraseScanner(vocab_list("sources", "offices"))


def names_an_office(low: str) -> bool:
    """Whether the lower-cased text holds an office's title ("ombudsman", "public
    defender"): both office patterns of sources.py need one."""
    return _office_titles().search(low) is not None


class WordGate:
    """An exact "cannot match here" test for a case-blind pattern that opens with a whole
    phrase of a list ("\\b(?:there|the town|...)\\b", IGNORECASE), searched in a stretch of
    text. Such a search tries the pattern at every character; this one lower-cases an
    ASCII stretch and scans it for the phrases with a pattern led by literal characters,
    which the regex engine runs by skipping ahead. No phrase as a whole word: no match.
    A stretch with other characters is left to the pattern (case folding beyond ASCII)."""

    __slots__ = ("_rx",)

    def __init__(self, phrases: tuple[str, ...] | list[str]) -> None:
        self._rx = compile_rx(phrase_pattern(list(phrases)))

    def shut(self, text: str, start: int, end: int) -> bool:
        """True when ``text[start:end]`` surely holds none of the phrases as a word."""
        window = text[start:end]
        if not window.isascii():
            return False
        low, pos = window.lower(), 0
        while (hit := self._rx.search(low, pos)) is not None:
            a = hit.start()
            if a == 0 or not (low[a - 1].isalnum() or low[a - 1] == "_"):
                return False
            pos = a + 1
        return True
