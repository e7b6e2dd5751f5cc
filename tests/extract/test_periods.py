"""Date expressions resolved against the publication date, or the dates the text states."""

from __future__ import annotations

from datetime import date

import pytest

from crisisdesk.extract import extract_document
from crisisdesk.extract.date_context import context_for
from crisisdesk.extract.period_vocab import table
from crisisdesk.extract.periods import DateContext, find_periods
from crisisdesk.model import Document
from crisisdesk.vocab import vocab_list

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
        # days in figures, in the orders that are not ambiguous
        ("on 2020-02-03", date(2020, 2, 3), date(2020, 2, 3)),
        ("on 03.02.2020", date(2020, 2, 3), date(2020, 2, 3)),
        ("from 2020-01-27 to 2020-02-02", date(2020, 1, 27), date(2020, 2, 2)),
        ("between 27.01.2020 and 02.02.2020", date(2020, 1, 27), date(2020, 2, 2)),
        # two years with a dash, the second written in full or by its last two figures
        ("in 2017-2018", date(2017, 1, 1), date(2018, 12, 31)),
        ("during 2018–19", date(2018, 1, 1), date(2019, 12, 31)),
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
        ("between 5 and 8 February", date(2020, 2, 5), date(2020, 2, 8)),
        ("from 3/Jan until 9/Jan", date(2020, 1, 3), date(2020, 1, 9)),
        ("the second week of January", date(2020, 1, 8), date(2020, 1, 14)),
        ("the last week of January", date(2020, 1, 25), date(2020, 1, 31)),
        ("between late December and early January", date(2019, 12, 1), date(2020, 1, 31)),
        (
            "from 27 September until a ceasefire on 11 November",
            date(2019, 9, 27),
            date(2019, 11, 11),
        ),
        ("since the start of hostilities on 4 January", date(2020, 1, 4), PUB),
        ("since the two sides signed a truce in September 2018", date(2018, 9, 1), PUB),
        ("since the war began in 2011", date(2011, 1, 1), PUB),
        ("fighting broke out on January 4", date(2020, 1, 4), PUB),
        ("the conflict began last January 7", date(2020, 1, 7), PUB),
        ("began a decade ago", date(2010, 1, 1), PUB),
        ("since late 2016", date(2016, 1, 1), PUB),
        ("after eight days", date(2020, 2, 2), PUB),
        ("during the past 24 hours", date(2020, 2, 9), PUB),
        ("this week", date(2020, 2, 3), PUB),
        ("in the next 3 days following 2 January", date(2020, 1, 3), date(2020, 1, 5)),
        ("October 2017-January 2019", date(2017, 10, 1), date(2019, 1, 31)),
        ("Jan 02 2020 - Jan 17 2020", date(2020, 1, 2), date(2020, 1, 17)),
        ("October 2019-March 2020", date(2019, 10, 1), PUB),
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


@pytest.mark.parametrize(
    ("text", "end"),
    [
        ("as of 7 February", date(2020, 2, 7)),
        ("by 7 February", date(2020, 2, 7)),
        ("the ministry said on Friday", date(2020, 2, 7)),
        ("(field survey, January 2020)", date(2020, 1, 31)),
    ],
)
def test_reporting_dates_end_a_count(text: str, end: date) -> None:
    """A date one counts up to, or reports on, is not the figure's period."""
    found = find_periods(text, 0, len(text), DateContext(PUB, PUB.year, PUB))
    assert [(p.report, p.date_start, p.date_end) for p in found] == [(True, None, end)]


def test_year_the_document_gives_a_day() -> None:
    text = "The offensive began on 8 October 2018. Since 8 October, many fled."
    ctx = context_for(text, date(2020, 2, 1))
    later = text.index("Since")
    assert _one(text[later:], ctx) == (date(2018, 10, 8), date(2020, 2, 1))


def test_no_publication_date_resolves_against_the_latest_stated_month() -> None:
    """With no publication date, "December" after "January 2019" is the December before."""
    text = "Raids fell in January 2019. Since mid-December, 8 raids were recorded."
    ctx = context_for(text, None)
    found = find_periods(text, 28, len(text), ctx)
    assert found[0].date_start == date(2018, 12, 1)


def test_reference_to_the_reporting_period() -> None:
    text = "during the reporting period"
    found = find_periods(text, 0, len(text), DateContext(PUB, PUB.year, PUB))
    assert found[0].reference and found[0].date_start is None


def test_durations_and_event_anchors_come_from_the_vocabulary() -> None:
    """Every unit in periods.yaml is read: "a decade ago" needs the decade."""
    assert set(table("durations")) >= {"hour", "day", "week", "month", "year", "decade"}
    assert "after" in vocab_list("periods", "event_anchors")


def _facts(text: str, published: date | None, title: str | None = None) -> list:
    doc = Document(id="t", text=text, published=published, title=title)
    return extract_document(doc)


def test_carried_period_keeps_the_span_of_its_words() -> None:
    text = "During March 2021, shelling killed 140 civilians. Militias also killed 12 aid workers."
    facts = {f.value: f for f in _facts(text, date(2021, 4, 3))}
    first, second = facts[140], facts[12]
    assert second.date_start == date(2021, 3, 1)
    assert second.field_spans.period == first.field_spans.period
    start, end = second.field_spans.period
    assert text[start:end] == "March 2021"


def test_publication_default_has_no_span() -> None:
    text = "The offensive has displaced 388,000 people."
    (fact,) = _facts(text, date(2020, 2, 3))
    assert (fact.date_start, fact.date_end) == (None, date(2020, 2, 3))
    assert fact.field_spans.period is None


def test_title_period_has_no_span() -> None:
    text = "Some 12,300 people were displaced in the north-west."
    (fact,) = _facts(text, date(2021, 3, 8), "Displacement update - Feb 2021")
    assert (fact.date_start, fact.date_end) == (date(2021, 2, 1), date(2021, 2, 28))
    assert fact.field_spans.period is None


def test_tally_before_the_crisis_start_keeps_the_start_words() -> None:
    text = "At least 210 people have been killed in the battle. Fighting broke out on 4 June."
    facts = _facts(text, date(2022, 6, 20))
    start, end = facts[0].field_spans.period
    assert text[start:end] == "broke out on 4 June"


def test_periods_running_at_publication() -> None:
    """A period still running when the report was written can date a running tally."""
    ctx = DateContext(PUB, PUB.year, PUB)
    for text, running in [("in 2020", True), ("this month", True), ("in 2019", False)]:
        (p,) = find_periods(text, 0, len(text), ctx)
        assert p.running is running, text


def test_report_as_of_day_ends_running_tallies_elsewhere() -> None:
    """A report that says once which day its counts run to ("as of 3 June") ends every running
    tally with it, in other paragraphs too; the span stays on the running period's words."""
    text = (
        "Since the start of the fighting, 64 civilians have been killed in Darat Izza.\n\n"
        "According to the monitors, as of 3 June, 210 people were injured.\n\n"
        "Since the start of the fighting, 12 schools have been damaged."
    )
    facts = {f.value: f for f in _facts(text, date(2022, 6, 5))}
    assert facts[64].date_end == date(2022, 6, 3)
    assert facts[12].date_end == date(2022, 6, 3)
    start, end = facts[64].field_spans.period
    assert text[start:end].lower().startswith("since the start")


def test_old_as_of_day_is_a_cited_count_not_the_report_end() -> None:
    """An "as of" day long before publication dates the count it goes with only."""
    text = (
        "WHO counted 99 deaths from cholera as of 31 January 2017.\n\n"
        "Over 44,000 people have fled the conflict."
    )
    facts = {f.value: f for f in _facts(text, date(2017, 2, 28))}
    assert facts[44000].date_end == date(2017, 2, 28)
