"""Number reading: separators, scales, words, vague amounts, ranges."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crisisdesk.extract.numbers import find_numbers, parse_words


@pytest.mark.parametrize(
    ("text", "value", "high", "vague"),
    [
        ("10,446", 10446, None, None),
        ("10.446", 10446, None, None),
        ("10 446", 10446, None, None),
        ("1,182,772", 1182772, None, None),
        ("1.2 million", 1200000, None, None),
        ("2.5 thousand", 2500, None, None),
        ("3,5 million", 3500000, None, None),
        ("twenty-five", 25, None, None),
        ("Two thousand eight hundred", 2800, None, None),
        ("one hundred and fifty", 150, None, None),
        ("two dozen", 24, None, None),
        ("a dozen", 12, None, None),
        ("a hundred", 100, None, None),
        ("half a million", 500000, None, None),
        ("hundreds of thousands", None, None, "hundreds of thousands"),
        ("Tens of thousands", None, None, "tens of thousands"),
        ("between 20 and 30", 20, 30, None),
        ("20-30", 20, 30, None),
        ("20 to 30", 20, 30, None),
        ("2 to 3 million", 2000000, 3000000, None),
        ("1.3M", 1300000, None, None),
        ("820K", 820000, None, None),
        ("50, 000", 50000, None, None),
        ("1,250, 000", 1250000, None, None),
        ("tens thousands", None, None, "tens thousands"),
        ("between 15 or 20", 15, 20, None),
    ],
)
def test_reads_numbers(text: str, value: int | None, high: int | None, vague: str | None) -> None:
    found = find_numbers(text)
    assert len(found) == 1
    m = found[0]
    assert (m.value, m.value_high, m.value_text) == (value, high, vague)


def test_change_is_not_a_range() -> None:
    assert [m.value for m in find_numbers("rose from 20 to 35")] == [20, 35]


def test_small_scale_letters_are_not_scales() -> None:
    """ "5m" is a distance and "3k" is not a key figure: only capitals are read as scales."""
    assert all(m.value in (None, 5) for m in find_numbers("a 5m wall"))
    assert all(m.value in (None, 3) for m in find_numbers("3k run"))


def test_stray_space_is_not_joined_after_a_month() -> None:
    assert [m.value for m in find_numbers("On June 12, 400 people fled")] == [12, 400]


def test_or_without_between_is_not_a_range() -> None:
    assert [m.value_high for m in find_numbers("two or three families")] == [None, None]


def test_day_range_before_a_month_stays_one_mention() -> None:
    found = find_numbers("Between 5 and 8 May, 7,100 people fled")
    assert [(m.value, m.value_high) for m in found] == [(5, 8), (7100, None)]


def test_letters_glued_are_not_numbers() -> None:
    assert find_numbers("M-4 and F-16 and 11th") == []


@given(st.integers(min_value=1000, max_value=999_999_999))
def test_thousands_separators_round_trip(n: int) -> None:
    for sep in (",", "."):
        written = f"{n:,}".replace(",", sep)
        assert [m.value for m in find_numbers(f"killed {written} people")] == [n]


@given(st.integers(min_value=1, max_value=99))
def test_words_round_trip(n: int) -> None:
    ones = ["", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
    teens = [
        "ten",
        "eleven",
        "twelve",
        "thirteen",
        "fourteen",
        "fifteen",
        "sixteen",
        "seventeen",
        "eighteen",
        "nineteen",
    ]
    tens = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
    if n < 10:
        word = ones[n]
    elif n < 20:
        word = teens[n - 10]
    else:
        word = tens[n // 10] + (f"-{ones[n % 10]}" if n % 10 else "")
    assert parse_words(word) == n


def test_stray_space_joined_after_a_capitalised_word() -> None:
    assert [m.value for m in find_numbers("Some 50, 000 people fled")] == [50000]
