"""Numbers that are not figures are recognised with the right reason."""

from __future__ import annotations

import pytest

from crisisdesk.extract.filters import non_figure, rate_after
from crisisdesk.extract.numbers import find_numbers


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("in 2019", "year"),
        ("the 2014-2016 siege", "year"),
        ("on 27 October", "date"),
        ("on January 16", "date"),
        ("at 7:30am", "time"),
        ("a 7-year-old girl", "age"),
        ("under UNSCR 2254", "identifier"),
        ("resolution 2401", "identifier"),
        ("the M 5 road", "identifier"),
        ("cited.[1]", "footnote mark"),
        ("66 per cent", "percentage"),
        ("45% of", "percentage"),
        ("$1.2 million", "rate, money or age"),
        ("48 hours", "measure, duration or money"),
        ("100 kilometres", "measure, duration or money"),
        ("an average of 500 trucks", "rate, money or age"),
        ("call +963 11 234 5678", "phone number"),
        ("one of the", "pronoun"),
        ("5.8 on the scale", "decimal"),
        ("at 7 am", "time"),
        ("at 9 pm", "time"),
        ("a nine-member council", "part of a compound word"),
        ("a two-storey house", "part of a compound word"),
        ("two-thirds of residents", "fraction"),
        ("three quarters of the shops", "fraction"),
    ],
)
def test_not_a_figure(text: str, reason: str) -> None:
    found = find_numbers(text)
    assert found, text
    assert non_figure(text, found[0]) == reason


@pytest.mark.parametrize(
    "text",
    [
        "12 people",
        "10,446 families",
        "four soldiers",
        "2000 people",
        "4 ambulances",
        "12 amputees",
        "12 amid shelling",
        "20-odd families",
        "14 of them",
    ],
)
def test_figures_pass(text: str) -> None:
    found = find_numbers(text)
    assert non_figure(text, found[0]) is None


@pytest.mark.parametrize(
    ("text", "rate"),
    [
        ("people arrive daily.", True),
        ("families reach the camps each week", True),
        ("families arrive every day from the north", True),
        ("people were killed in daily shelling", False),
        ("people were killed on Monday", False),
    ],
)
def test_rate_after(text: str, rate: bool) -> None:
    assert rate_after(text, 0, len(text)) is rate


def test_the_whole_of_a_share_is_not_a_figure() -> None:
    text = "in 33 of the country's 34 provinces"
    first, second = find_numbers(text)
    assert non_figure(text, first) is None
    assert non_figure(text, second) == "share of a whole"
