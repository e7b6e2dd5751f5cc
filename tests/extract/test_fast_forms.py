"""Patterns and helpers rewritten for speed answer as their plain forms do: a pattern led by
its letters finds the matches of the ``\\b``-led pattern it replaces, and a cached vocabulary
helper returns what it computes afresh, and what a document computes once is what each of
its readers computed for itself. Checked on made texts (the edges: the start and end
of a stretch, a letter glued to a word, an underscore, letters beyond ASCII) and on every
text of the shared corpora (when present)."""

from __future__ import annotations

import re

import pytest
from test_prescan import _sentences

from crisisdesk import vocab
from crisisdesk.extract import sources
from crisisdesk.extract.date_context import context_for
from crisisdesk.extract.draft import DocState
from crisisdesk.extract.periods import find_periods
from crisisdesk.extract.sources import SourceContext
from crisisdesk.extract.text import sentences
from crisisdesk.model import Document

_PLAIN_FIRST_PERSON = re.compile(r"\b(?:[Ww]e|[Oo]ur|I)\b")

TEXTS = [
    "",
    "We",
    "we",
    "I",
    "our",
    "Our figures show",
    "In Iowa we counted",
    "Wei, Owe, our, Ours, wee, I'm, I.",
    "_we we_ 1we we1 éwe weé ÉI Iñ",
    "tower, Power, hour, sour, ourselves, weather, owe",
    "“We”, (our) -I- [we]",
    "x" * 50 + " we" + " y" * 20,
]


def _same_first_person(text: str) -> None:
    fast = sources._FIRST_PERSON_WORD
    for start in range(0, len(text) + 1, max(1, len(text) // 7)):
        for end in (start, min(len(text), start + 3), min(len(text), start + 40), len(text)):
            got = [m.span() for m in fast.finditer(text, start, end)]
            want = [m.span() for m in _PLAIN_FIRST_PERSON.finditer(text, start, end)]
            assert got == want, (text[start:end], start, end)


def test_first_person_word_finds_what_the_plain_pattern_finds() -> None:
    for text in TEXTS:
        _same_first_person(text)


def test_first_person_word_on_the_corpora() -> None:
    texts = {text for text, _, _ in _sentences()}
    if not texts:
        pytest.skip("../shared/corpus is not available")
    for text in texts:
        assert [m.span() for m in sources._FIRST_PERSON_WORD.finditer(text)] == [
            m.span() for m in _PLAIN_FIRST_PERSON.finditer(text)
        ]
        _same_first_person(text[:3000])


def test_cached_vocabulary_lists_are_what_the_files_say() -> None:
    for name, key in (
        ("sources", "org_words"),
        ("filters", "rates_before_qualifier"),
        ("periods", "not_fighting_prefixes"),
    ):
        first = vocab.words(name, key)
        assert vocab.words(name, key) is first  # kept, not sorted again
        assert first == vocab.words.__wrapped__(name, key)


def test_cached_canonical_names_are_what_the_table_says() -> None:
    names = ["White Helmets", "the white helmets", "UNHCR", "Nobody Known", "", "  ", "OCHA"]
    for name in names:
        assert vocab.canonical_source(name) == vocab.canonical_source.__wrapped__(name)


def test_title_periods_are_found_once_and_are_the_titles() -> None:
    text = "Fighting displaced 300 families in March."
    for title in ("Flash update (5 to 11 June 2017)", "Syria - Feb 2020", "", None):
        doc = Document(id="t", text=text, title=title)
        state = DocState(doc, sentences(text), context_for(text, None), SourceContext(text))
        first = state.title_periods()
        assert state.title_periods() is first
        want = find_periods(title or "", 0, len(title or ""), state.dates)
        assert first == want
