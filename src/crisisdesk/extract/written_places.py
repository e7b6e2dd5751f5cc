"""Whether a word is written in a document as a place: capitalised where it stands and read
as (part of) a place name there, or written in lower case elsewhere (a common word that
a headline capitalises). The place pass asks this of the words of a headline and of
names that could be places or common words."""

from __future__ import annotations

import bisect

from crisisdesk.extract.draft import DocState
from crisisdesk.extract.place_names import known_words, place_words

_KNOWN_PROBES = 4


class Lowered:
    """Whether the text writes a word in lower case ("the latest attacks"): a common word,
    which a headline capitalises only because it capitalises every word."""

    __slots__ = ("cache", "text")

    def __init__(self, text: str, cache: dict[str, bool]) -> None:
        self.text, self.cache = text, cache

    def __contains__(self, word: object) -> bool:
        if not isinstance(word, str) or not word[:1].isalpha():
            return False
        if word not in self.cache:
            self.cache[word] = _written_alone(self.text, word)
        return self.cache[word]


def _written_alone(text: str, word: str) -> bool:
    r"""Whether ``text`` holds ``word`` with no word character, apostrophe or hyphen glued to
    either side: what ``(?<![\w’'\-])WORD(?![\w’'\-])`` finds, by ``str.find`` (a pattern
    per word filled the regex cache with one-off patterns, compiled again document after
    document)."""
    pos = text.find(word)
    while pos >= 0:
        end = pos + len(word)
        if not (pos > 0 and _glue(text[pos - 1])) and not (end < len(text) and _glue(text[end])):
            return True
        pos = text.find(word, pos + 1)
    return False


def _glue(ch: str) -> bool:
    r"""A character of ``[\w’'\-]``: part of a word (``\w`` is alphanumeric or "_")."""
    return ch.isalnum() or ch in "_’'-"


def placed_in_text(state: DocState, starts: list[int], word: str) -> bool:
    """Whether one of the first few occurrences of ``word`` is read as (part of) a place,
    looking only at the words around it ("south west" as written "South-West" too)."""
    return any(
        _placed_as(state, starts, form, word)
        for form in dict.fromkeys((word, word.replace(" ", "-")))
    )


def _placed_as(state: DocState, starts: list[int], form: str, word: str) -> bool:
    low, text = state.low, state.text
    pos = low.find(form)
    probes = 0
    while pos >= 0 and probes < _KNOWN_PROBES:
        end = pos + len(form)
        if _whole_capitalised(text, pos, end):  # a place is written with a capital
            probes += 1
            # the sentence's places, found once and shared with the figures
            found = state.sentence_places(_sentence_at(starts, pos))
            if any(p.start <= pos < p.end and _names(p.name, word) for p in found):
                return True
        pos = low.find(form, pos + 1)
    return False


def _sentence_at(starts: list[int], pos: int) -> int:
    """The index of the sentence holding offset ``pos`` (the last one starting before it)."""
    return max(0, bisect.bisect_right(starts, pos) - 1)


def _whole_capitalised(text: str, start: int, end: int) -> bool:
    """A whole word (or words) starting with a capital letter."""
    return (
        text[start].isupper()
        and (start == 0 or not text[start - 1].isalnum())
        and (end == len(text) or not text[end].isalnum())
    )


def _names(name: str, word: str) -> bool:
    """Whether a place name is, or has as a word, ``word``."""
    return word in place_words(name) or word in known_words([name])
