"""Numbers that are not figures are recognised with the right reason."""

from __future__ import annotations

import pytest

from crisisdesk.extract.filters import non_figure
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
    ],
)
def test_not_a_figure(text: str, reason: str) -> None:
    found = find_numbers(text)
    assert found, text
    assert non_figure(text, found[0]) == reason


@pytest.mark.parametrize("text", ["12 people", "10,446 families", "four soldiers", "2000 people"])
def test_figures_pass(text: str) -> None:
    found = find_numbers(text)
    assert non_figure(text, found[0]) is None
