"""Text helpers behind the fast scans: offsets must survive lower-casing, and phrase hits
must be whole words."""

from __future__ import annotations

import re
from dataclasses import replace

from crisisdesk.extract.numbers import find_numbers
from crisisdesk.extract.periods import Period
from crisisdesk.extract.places import PlaceMention
from crisisdesk.extract.text import (
    PhraseScanner,
    Sentence,
    clauses,
    lower_same_length,
    sentences,
)
from crisisdesk.extract.written_places import _written_alone


def test_lower_same_length_keeps_offsets() -> None:
    text = "İdlib and KYIV: 12 killed"  # "İ" lower-cases to two characters
    low = lower_same_length(text)
    assert len(low) == len(text)
    assert low.endswith("kyiv: 12 killed")
    assert low[low.index("12")] == "1" and text.index("12") == low.index("12")


def test_phrase_scanner_matches_whole_words_only() -> None:
    scanner = PhraseScanner(["so far", "total"])
    low = "the subtotal so far is a total of 5; totally so farther"
    hits = [low[m.start() : m.end()] for m in scanner.finditer(low)]
    assert hits == ["so far", "total"]
    assert scanner.search("nothing here") is None


def test_numbers_found_after_a_character_that_changes_length() -> None:
    text = "İstanbul: twenty-five people and 1,200 families"
    values = [m.value for m in find_numbers(text)]
    assert values == [25, 1200]


def test_number_words_inside_other_words_are_not_numbers() -> None:
    text = "Someone said the tenth convoy was sevenfold larger; often none arrived."
    assert [m.value for m in find_numbers(text)] == []


def test_abbreviations_do_not_end_sentences() -> None:
    text = "Dr. Haddad said 12 people died. The U.N. counted 30 more."
    found = [text[s.start : s.end] for s in sentences(text)]
    assert found == ["Dr. Haddad said 12 people died.", "The U.N. counted 30 more."]


def test_a_line_wrapped_inside_a_sentence_does_not_end_it() -> None:
    text = (
        "Rescuers said 6 people were killed on\nthe bridge near Dana, and\nwounded 12 others.\n"
        "Key figures:\nfamilies displaced in March\n2.2M\npeople in need"
    )
    found = [text[s.start : s.end] for s in sentences(text)]
    assert found == [
        "Rescuers said 6 people were killed on\nthe bridge near Dana, and\nwounded 12 others.",
        "Key figures:",
        "families displaced in March",
        "2.2M\npeople in need",
    ]
    assert [s.paragraph for s in sentences(text)] == [0, 1, 2, 3]


def test_clauses_split_before_a_new_clause_only() -> None:
    text = "Shelling killed 12 people, bringing the toll to 40, and wounded 9 children and men"
    found = [text[a:b] for a, b in clauses(text, 0, len(text))]
    assert found == [
        "Shelling killed 12 people",
        "bringing the toll to 40, and wounded 9 children and men",
    ]


def test_written_alone_finds_what_the_bounded_pattern_finds() -> None:
    """The headline test of words a text writes in lower case reads ``str.find`` with its
    own boundary test: the same answers as the pattern it replaced."""
    text = "the latest-attacks hit al-Latest; two-week siege, Latest’s news and latest_x latest"
    for word in ("latest", "two-week", "siege", "week", "news", "attacks", "hit", "al", "x"):
        pattern = rf"(?<![\w’'\-]){re.escape(word)}(?![\w’'\-])"
        assert _written_alone(text, word) == (re.search(pattern, text) is not None), word
    assert _written_alone(text, "latest")  # the last word, alone
    assert not _written_alone("latest-attacks", "latest")


def test_records_built_by_the_thousand_compare_and_hash_by_value() -> None:
    """Sentence, Period, PlaceMention... are no longer frozen (faster to build): equal
    records still hash alike and can key a dictionary."""
    assert Sentence(0, 5, 0, 0) == Sentence(0, 5, 0, 0)
    assert len({Sentence(0, 5, 0, 0), Sentence(0, 5, 0, 0)}) == 1
    p = Period(3, 9, None, None, "day")
    assert {p: 1}[Period(3, 9, None, None, "day")] == 1
    assert replace(p, aside=True) != p and not p.aside
    assert hash(PlaceMention(1, 4, "Gaza")) == hash(PlaceMention(1, 4, "Gaza"))
