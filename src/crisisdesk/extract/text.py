"""Paragraphs, sentences and clauses of a document, as offsets into its text.

The extractor reads a figure's meaning from its sentence (and sometimes its
neighbours), so the text is cut once per document; nothing is copied or
rewritten, every piece is a (start, end) pair into Document.text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_ABBREVIATIONS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "st",
        "no",
        "nos",
        "vs",
        "etc",
        "e.g",
        "i.e",
        "approx",
        "est",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "gen",
        "col",
        "lt",
        "sgt",
        "capt",
        "maj",
        "prof",
        "rev",
        "gov",
        "sen",
        "rep",
        "inc",
        "ltd",
        "co",
        "corp",
        "fig",
        "p",
        "pp",
        "para",
        "vol",
        "art",
        "u.s",
        "u.n",
        "u.k",
        "a.m",
        "p.m",
    ]
)
_SENT_END = re.compile(r"[.!?]+[\"”’')\]]*(?:\[\d+\])?(?=\s+[\"“‘(\[]?[A-Z0-9•])|\n+|•|\u2022")
_LAST_WORD = re.compile(r"([\w.]+)$")
_CLAUSE_BREAK = re.compile(
    r",\s+(?=(?:also|while|whereas|but|which|who|where|whom|and\s+(?:the|a|an|it|they|he|she|its|"
    r"their|this|these)|raising|bringing|leaving|forcing|according|as|although|though|after|before|"
    r"since|then|with)\b)|\s+but\s+|;\s|\s[—–]\s|:\s|\.\s"
)


@dataclass(frozen=True, slots=True)
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
    for m in _SENT_END.finditer(text):
        piece = m.group()
        if piece[0] == ".":
            word = _LAST_WORD.search(text, max(start, m.start() - 12), m.start())
            if word and (
                word.group(1).lower().rstrip(".") in _ABBREVIATIONS
                or (len(word.group(1)) == 1 and word.group(1).isupper())
            ):
                continue
        end = m.end() if piece[0] in ".!?" else m.start()
        _add(text, start, end, paragraph, out)
        if "\n" in piece:
            paragraph += 1
        start = m.end()
    _add(text, start, len(text), paragraph, out)
    return out


def _add(text: str, start: int, end: int, paragraph: int, out: list[Sentence]) -> None:
    while start < end and text[start] in " \t\r\n\xa0•\u2022-*":
        start += 1
    while end > start and text[end - 1] in " \t\r\n\xa0":
        end -= 1
    if end > start:
        out.append(Sentence(start, end, paragraph, len(out)))


def clauses(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Clause boundaries inside a sentence (commas before a new clause, semicolons, dashes)."""
    bounds = []
    cur = start
    for m in _CLAUSE_BREAK.finditer(text, start, end):
        bounds.append((cur, m.start()))
        cur = m.end()
    bounds.append((cur, end))
    return bounds
