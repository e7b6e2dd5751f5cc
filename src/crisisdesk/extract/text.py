"""Paragraphs, sentences and clauses of a document, as offsets into its text.

The extractor reads a figure's meaning from its sentence (and sometimes its
neighbours), so the text is cut once per document; nothing is copied or
rewritten, every piece is a (start, end) pair into Document.text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

from crisisdesk.extract.compiled import compile_rx
from crisisdesk.vocab import load_yaml, phrase_pattern

# A sentence ends at a full stop (or "!", "?") before a capital, a digit or a bullet, at a
# line break or at a bullet; also at a full stop after a word with a capitalised word glued
# to it ("killing three.Rescuers said"), as text copied from web pages often loses the space.
# Every branch starts with one character of the class in front, so that the regex engine
# skips ahead to those characters (an alternation of repeats would be tried at every position).
_SENT_END = compile_rx(
    r"[.!?\n\u2022](?:(?<=[.!?])[.!?]*[\"”’')\]]*(?:\[\d+\])?"
    r"(?=\s+[\"“‘(\[]?[A-Z0-9•]|(?<=[a-z]{2}\.)[A-Z][a-z])"
    r"|(?<=\n)\n*|(?<=\u2022))"
)
_LAST_WORD = compile_rx(r"([\w.]+)$")


@cache
def _abbreviations() -> frozenset[str]:
    """Words whose full stop does not end a sentence ("Dr.", "Jan.", "U.N.")."""
    return frozenset(str(w).lower() for w in load_yaml("text")["abbreviations"])


@cache
def _clause_break() -> re.Pattern[str]:
    """Where a sentence splits into clauses: a comma before a word that opens a new clause
    ("..., while", "..., bringing"), "but", a semicolon, a dash, a colon."""
    openers = phrase_pattern([str(w) for w in load_yaml("text")["clause_openers"]])
    # led by one character class, for the same reason as _SENT_END
    return compile_rx(
        rf"[,;:.\s](?:(?<=,)\s+(?={openers}\b)|(?<=\s)\s*but\s+|(?<=;)\s|(?<=\s)[—–]\s"
        r"|(?<=:)\s|(?<=\.)\s)",
        re.I,
    )


@dataclass(slots=True, unsafe_hash=True)  # not frozen: see draft.py
class Sentence:
    start: int
    end: int
    paragraph: int
    index: int


def sentences(text: str) -> list[Sentence]:
    """Sentences with their paragraph number (a paragraph is a run of text between newlines)."""
    out: list[Sentence] = []
    paragraph = 0
    start = 0
    abbreviations = _abbreviations()
    for m in _SENT_END.finditer(text):
        piece = m.group()
        first = piece[0]
        if first == ".":
            at = m.start()
            word = _LAST_WORD.search(text, max(start, at - 12), at)
            if word:
                last = word.group(1)
                if last.lower().rstrip(".") in abbreviations or (len(last) == 1 and last.isupper()):
                    continue
        if piece == "\n" and _label_below(text, start, m.start(), m.end()):
            continue  # "2.2M\npeople internally displaced": a key figure, its label below
        if piece == "\n" and _soft_wrap(text, start, m.start(), m.end()):
            continue  # "were killed on\nthe road": a line wrapped inside its sentence
        end = m.end() if first in ".!?" else m.start()
        append_sentence(text, start, end, paragraph, out)
        if "\n" in piece:
            paragraph += 1
        start = m.end()
    append_sentence(text, start, len(text), paragraph, out)
    return out


_FIGURE_LINE = compile_rx(r"[ \t•*-]*\d[\d.,]*\s?[KkMm]?\+?[ \t]*")
# (a label may carry its period, "... since February 2021", but is then no sentence: no stop)
_LABEL_LINE = compile_rx(
    r"[ \t]*[A-Za-z](?:[^\n\d]{2,60}|[^\n.!?]{2,120}\b(?:19|20)\d\d[ \t]*)(?:\n|$)"
)


def _label_below(text: str, start: int, end: int, after: int) -> bool:
    """A line that is only a figure, over a short line of words that says what it counts."""
    return bool(_FIGURE_LINE.fullmatch(text, start, end)) and bool(_LABEL_LINE.match(text, after))


_WRAPPED_ON = compile_rx(r"[ \t]*[a-z]")


def _soft_wrap(text: str, start: int, end: int, after: int) -> bool:
    """A single line break inside a sentence, as hard-wrapped text has it: the line runs on
    with a word in lower case and the one before ends in a word or a comma, not in a stop,
    a colon or a figure ("4 people were killed on\nthe road" is one sentence; "Key figures:\n"
    and "2.2M\n" end their lines)."""
    last = text[start:end].rstrip(" \t")
    return (
        bool(last)
        and (last[-1].isalpha() or last[-1] == ",")
        and bool(_WRAPPED_ON.match(text, after))
    )


def _abbreviated(text: str, lo: int, at: int) -> bool:
    """Whether the full stop at ``at`` closes an abbreviation ("Oct.", "Dr.", "U.N.")."""
    word = _LAST_WORD.search(text, lo, at)
    if word is None:
        return False
    last = word.group(1)
    return last.lower().rstrip(".") in _abbreviations() or (len(last) == 1 and last.isupper())


def append_sentence(text: str, start: int, end: int, paragraph: int, out: list[Sentence]) -> None:
    """Append the sentence ``text[start:end]`` to ``out``, list marks and blanks trimmed."""
    while start < end and text[start] in " \t\r\n\xa0•\u2022-*":
        start += 1
    while end > start and text[end - 1] in " \t\r\n\xa0":
        end -= 1
    if end > start:
        out.append(Sentence(start, end, paragraph, len(out)))


# a list of two items or more after "including" ends where a serial comma and "and" bring its
# last item: that comma opens no clause
_ITEM = r"(?:[\w’'-]+\s+){0,4}?[\w’'-]+"
_SERIAL_LIST = compile_rx(rf"\bincluding\s+{_ITEM}(?:,\s+{_ITEM})+$")


def clauses(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Clause boundaries inside a sentence (commas before a new clause, semicolons, dashes)."""
    bounds = []
    cur = start
    for m in _clause_break().finditer(text, start, end):
        if text[m.start()] == "." and _abbreviated(text, max(cur, m.start() - 12), m.start()):
            continue  # "on Oct. 26 killed": a stop kept inside the sentence ends no clause
        if text[m.start()] == "," and _SERIAL_LIST.search(text, cur, m.start()):
            continue  # "including 13 children, three women, and a volunteer": a list's last item
        bounds.append((cur, m.start()))
        cur = m.end()
    bounds.append((cur, end))
    return bounds


def lower_same_length(text: str) -> str:
    """``text`` lower-cased, keeping every offset: the few characters whose lower case is
    longer (such as "İ") are left as they are. Lets case-blind scans run on the copy with
    patterns compiled without IGNORECASE, which the regex engine matches much faster."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(ch if len(ch.lower()) != 1 else ch.lower() for ch in text)


class PhraseScanner:
    """Finds whole-word phrases from a list in lower-cased text, fast.

    The pattern is a bare trie of literals (no IGNORECASE, no leading word boundary), so
    the regex engine skips ahead by first character; the boundary before a hit is checked
    here. Immutable once built, so it can be cached with ``functools.cache``."""

    __slots__ = ("_rx",)

    def __init__(self, phrases: list[str] | tuple[str, ...]) -> None:
        self._rx = compile_rx(rf"{phrase_pattern(list(phrases))}(?![\w])")

    def finditer(self, low: str, start: int = 0, end: int | None = None) -> Iterator[re.Match[str]]:
        """Hits in ``low[start:end]`` (``low`` must already be lower case)."""
        stop = len(low) if end is None else end
        for m in self._rx.finditer(low, start, stop):
            a = m.start()
            if a > 0 and (low[a - 1].isalnum() or low[a - 1] == "_"):
                continue
            yield m

    def search(self, low: str, start: int = 0, end: int | None = None) -> re.Match[str] | None:
        """The first hit ``finditer`` yields, found by a loop of its own: most callers ask
        about one clause per figure, and a generator per call costs more than the scan."""
        stop = len(low) if end is None else end
        for m in self._rx.finditer(low, start, stop):
            a = m.start()
            if a == 0 or not (low[a - 1].isalnum() or low[a - 1] == "_"):
                return m
        return None
