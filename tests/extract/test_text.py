"""Text helpers behind the fast scans: offsets must survive lower-casing, and phrase hits
must be whole words."""

from __future__ import annotations

from crisisdesk.extract.numbers import find_numbers
from crisisdesk.extract.text import PhraseScanner, clauses, lower_same_length, sentences


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


def test_clauses_split_before_a_new_clause_only() -> None:
    text = "Shelling killed 12 people, bringing the toll to 40, and wounded 9 children and men"
    found = [text[a:b] for a, b in clauses(text, 0, len(text))]
    assert found == [
        "Shelling killed 12 people",
        "bringing the toll to 40, and wounded 9 children and men",
    ]
