"""Date expressions resolved against the publication date, or the dates the text states."""

from __future__ import annotations

from datetime import date

import pytest

from crisisdesk.extract.periods import DateContext, context_for, find_periods

PUB = date(2020, 2, 10)


def _one(text: str, ctx: DateContext) -> tuple:
    found = find_periods(text, 0, len(text), ctx)
    assert found, text
    p = found[0]
    return p.date_start, p.date_end


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("in January 2020", date(2020, 1, 1), date(2020, 1, 31)),
        ("in December", date(2019, 12, 1), date(2019, 12, 31)),
        ("in February alone", date(2020, 2, 1), date(2020, 2, 10)),
        ("yesterday", date(2020, 2, 9), date(2020, 2, 9)),
        ("today", PUB, PUB),
        ("since last night", date(2020, 2, 9), PUB),
        ("on Friday", date(2020, 2, 7), date(2020, 2, 7)),
        ("last month", date(2020, 1, 1), date(2020, 1, 31)),
        ("over the past two months", date(2019, 12, 1), date(2020, 1, 31)),
        ("in just three days", date(2020, 2, 7), PUB),
        ("since 1 December 2019", date(2019, 12, 1), PUB),
        ("since the start of 2020", date(2020, 1, 1), PUB),
        ("since the start of the offensive", None, PUB),
        ("from 27 January to 3 February", date(2020, 1, 27), date(2020, 2, 3)),
        ("between January 16 and January 28", date(2020, 1, 16), date(2020, 1, 28)),
        ("the first half of 2019", date(2019, 1, 1), date(2019, 6, 30)),
        ("in early August", date(2019, 8, 1), date(2019, 8, 31)),
        ("within 48 hours after the attack", None, None),
        ("16-28 January", date(2020, 1, 16), date(2020, 1, 28)),
    ],
)
def test_resolves_against_publication(text: str, start: date | None, end: date | None) -> None:
    assert _one(text, DateContext(PUB, PUB.year, PUB)) == (start, end)


def test_as_of_anchors_past_hours() -> None:
    text = "in the last 24 hours (as of noon on 14 March)"
    ctx = DateContext(date(2023, 3, 15), 2023, date(2023, 3, 15))
    assert _one(text, ctx) == (date(2023, 3, 13), date(2023, 3, 14))


def test_no_publication_date_uses_stated_years() -> None:
    text = "Strikes rose in January 2020. Between January 16 and January 28 many fled."
    ctx = context_for(text, None)
    assert ctx.year_hint == 2020
    found = find_periods(text, 30, len(text), ctx)
    assert (found[0].date_start, found[0].date_end) == (date(2020, 1, 16), date(2020, 1, 28))
    assert _one("since last night", ctx) == (None, None)


def test_bare_may_is_not_a_month() -> None:
    ctx = DateContext(PUB, PUB.year, PUB)
    assert find_periods("people may flee", 0, 15, ctx) == []
