"""The demo's hard cases in our own words, on SQLite and PostgreSQL, and the same answers
whether ``total`` reconciles the facts afresh or serves the stored figures."""

from __future__ import annotations

from datetime import date

import demo_like
import pytest
import scenario

from crisisdesk.model import Category, Document, Fact, Precision, ResolvedPlace, Unit
from crisisdesk.reconcile import reconcile_store, total
from crisisdesk.reconcile.stored import is_fresh
from crisisdesk.store import Store


@pytest.fixture
def loaded(store: Store) -> Store:
    demo_like.load_into(store)
    return store


def test_two_organisations_running_counts_are_one_figure_with_a_range(loaded: Store) -> None:
    result = total(loaded, category="displaced", unit="people")
    assert (result.best, result.low, result.high) == (530_000, 530_000, 600_000)
    [fig] = result.figures
    assert {demo_like.MONITOR, demo_like.GROUP} <= set(fig.sources)
    assert fig.rule == "most specific"
    assert not result.excluded
    codes = [flag.code for flag in result.flags]
    assert codes == ["sources_disagree"]  # neither "parts exceed total" nor "cumulative falls"


def test_the_monthly_toll_is_counted_once_and_its_days_are_named_as_parts(loaded: Store) -> None:
    result = total(loaded, category="killed")
    assert (result.best, result.low, result.high) == (140, 140, 140)
    [month] = result.figures
    assert {f.doc for f in month.facts} == {d.id for d, _ in demo_like.documents()[2:4]}
    reasons = {e.figure.best: e.reason for e in result.excluded}
    assert set(reasons) == {4, 6, 7}
    for day in (6, 7):
        assert reasons[day].startswith(
            "part of the January 2020 total of 140 civilians by Rescue Service, counted there"
        )
    assert reasons[4].startswith("a second number in the same report")


def _answer(result) -> tuple[object, ...]:
    used = sorted((f.id, f.best, f.low, f.high) for f in result.figures)
    left = sorted((e.figure.id, e.reason) for e in result.excluded)
    return result.best, result.low, result.high, used, left


QUESTIONS = [
    {"category": "displaced"},
    {"category": "killed"},
    {"category": "killed", "date_from": date(2020, 1, 10), "date_to": date(2020, 1, 25)},
    {"category": "killed", "place": "Sarmin"},
]


def test_stored_figures_give_the_same_answers_as_reconciling_afresh(loaded: Store) -> None:
    scenario.load_into(loaded)
    questions = [
        *QUESTIONS,
        {"category": "displaced", "place": "Idlib", **scenario_january()},
        {"category": "displaced", "place": "Saraqib"},
    ]
    fresh = [_answer(total(loaded, **q)) for q in questions]
    assert not is_fresh(loaded)
    reconcile_store(loaded)
    assert is_fresh(loaded)
    assert [_answer(total(loaded, **q, use_stored=True)) for q in questions] == fresh
    # a new report makes the stored figures stale: the answer includes it at once
    text = "Rescuers said 9 civilians were killed in Binnish on 22 January 2020."
    doc = Document.from_text(text, publisher="Field Desk", published=date(2020, 1, 23))
    day = date(2020, 1, 22)
    loaded.add_document(
        doc,
        [scenario.fact(doc, "9 civilians were killed in Binnish", "9", 9, category=Category.KILLED,
                       subject="civilians", places=("Binnish",), date_start=day, date_end=day)],
    )  # fmt: skip
    assert not is_fresh(loaded)
    assert total(loaded, category="killed", place="Binnish", use_stored=True).best == 9


def scenario_january() -> dict[str, date]:
    return {"date_from": date(2020, 1, 1), "date_to": date(2020, 1, 31)}


def test_unresolved_places_named_like_a_resolved_area_are_counted(store: Store) -> None:
    """A governorate found by its code still counts reports whose place did not resolve."""
    day = date(2020, 3, 2)

    def add(text: str, number: str, place: ResolvedPlace, day: date = day) -> None:
        doc = Document.from_text(text, publisher="Field Desk", published=day)
        start = text.index(number)
        fact = Fact(
            doc=doc.id, quote=text, quote_start=0, span=(start, start + len(number)),
            value=int(number), category=Category.INJURED, unit=Unit.PEOPLE, places=(place.name,),
            resolved=(place,) if place.admin1_code else (), date_start=day, date_end=day,
        )  # fmt: skip
        assert store.add_document(doc, [fact])

    resolved = ResolvedPlace(
        name="Idlib", place_id="g1", kind="adm1", country="SY", admin1="Idlib",
        admin1_code="SY07", precision=Precision.GOVERNORATE,
    )  # fmt: skip
    add("In Idlib 11 people were hurt when a market was hit.", "11", resolved)
    add("Medics in idlib treated 5 people hurt by shelling overnight.", "5",
        ResolvedPlace(name="idlib"), date(2020, 3, 3))  # fmt: skip
    result = total(store, category="injured", place="Idlib")
    assert result.best == 16
    assert total(store, category="injured", place="SY07").best == 16
