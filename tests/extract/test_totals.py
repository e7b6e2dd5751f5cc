"""is_total rules (extract/totals.py): the order of the decision and the document frame.

Whole sentences are in cases_totals.yaml; here each rule is checked on its own, with a
reading built by hand, so that a change of order shows which rule moved.
"""

from __future__ import annotations

from datetime import date

import pytest

from crisisdesk.extract.core import draft_document
from crisisdesk.extract.periods import Period
from crisisdesk.extract.total_rules import Frame, Reading, decide_total, total_reason
from crisisdesk.model import Document

DAY = Period(0, 5, date(2021, 5, 3), date(2021, 5, 3), "day")
WEEK = Period(0, 5, date(2021, 5, 1), date(2021, 5, 7), "multi")
SINCE = Period(0, 5, date(2021, 1, 1), date(2021, 5, 7), "multi", cumulative=True)
THIS_MORNING = Period(0, 5, date(2021, 5, 7), date(2021, 5, 7), "day", cumulative=True)
SAME_DAY_MULTI = Period(0, 5, date(2021, 5, 7), date(2021, 5, 7), "multi", cumulative=True)
AS_OF = Period(0, 5, None, date(2021, 5, 7), "day", report=True)
REPORT = Frame(periodic=True)


@pytest.mark.parametrize(
    ("reading", "frame", "expected"),
    [
        (Reading("killed", figure_cue=True, period=DAY), Frame(), True),  # "rose to 31 on Friday"
        (Reading("killed", clause_cue=True), Frame(), True),  # "so far"
        (Reading("killed", period=SINCE), Frame(), True),
        (Reading("attacks", period=SINCE, single=True), Frame(), False),  # "One attack killed"
        (Reading("attacks", clause_cue=True, single=True), Frame(), True),  # "since May, one"
        (Reading("airstrikes", clause_cue=True, period=THIS_MORNING), Frame(), False),
        (Reading("airstrikes", clause_cue=True, period=SAME_DAY_MULTI), Frame(), False),
        (Reading("killed", period=DAY), Frame(), False),
        (Reading("killed", period=DAY, parts=True), Frame(), True),  # a day's toll by town
        (Reading("killed", incident=True, parts=True), Frame(), False),  # one attack
        (Reading("killed", incident=True, period=WEEK), Frame(), False),
        (Reading("killed", single_day=True), Frame(), False),  # "in a single day"
        (Reading("killed", period=WEEK), Frame(), True),
        (Reading("killed", period=WEEK, single=True), Frame(), False),  # one death, one event
        (Reading("killed", perfect=True), Frame(), True),
        (Reading("facilities_damaged", plural_agent=True), Frame(), True),
        (Reading("displaced"), Frame(), True),  # a stock
        (Reading("other", displacement=True, casualties=True), Frame(), True),
        (Reading("in_need", clause_cue=True), Frame(), False),
        (Reading("other", population=True, perfect=True), Frame(), False),
        (Reading("other", period=WEEK), Frame(), False),  # people affected in a week
        (Reading("other", perfect=True), Frame(), True),  # "have been transferred"
        (Reading("killed"), Frame(), False),
        (Reading("killed"), REPORT, True),  # an undated count in a situation report
        (Reading("killed", period=AS_OF), REPORT, True),  # "as of 7 May" is no day of events
        (Reading("killed", period=DAY), REPORT, False),
        (Reading("killed", countable=False), REPORT, False),  # one person, or relief items
        (Reading("killed"), Frame(stated_period=True), True),  # "... in March 2021"
    ],
)
def test_decision_order(reading: Reading, frame: Frame, expected: bool) -> None:
    assert decide_total(reading, frame) is expected, total_reason(reading, frame)


def _drafts(text: str, title: str | None = None, published: date | None = None) -> list:
    doc = Document(id="t", text=text, title=title, published=published)
    return [d for d in draft_document(doc) if not d.dropped]


def test_every_decision_names_its_rule() -> None:
    for d in _drafts("So far 120 people have been killed and 40 injured in Taftanaz."):
        assert [n for n in d.notes if n.startswith(("total:", "single:"))], d.notes


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Northwest Syria: Situation Report No. 12", True),
        ("Civilian casualties in January 2020", True),
        ("Shelling kills five in Ariha", False),
        (None, False),
    ],
)
def test_document_frame_from_the_title(title: str | None, expected: bool) -> None:
    (d,) = _drafts("The monitor counted 85 civilians killed.", title, date(2020, 2, 3))
    assert d.is_total is expected


def test_a_breakdown_needs_its_parts_to_fit() -> None:
    fits = "Twelve people were killed on Monday.\n\nSeven died in Sarmin and five in Binnish."
    overflows = "Twelve people were killed on Monday.\n\nNine died in Sarmin and eight in Binnish."
    published = date(2021, 5, 4)
    assert _drafts(fits, published=published)[0].is_total is True
    assert _drafts(overflows, published=published)[0].is_total is False
