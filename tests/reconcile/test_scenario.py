"""The "done means" scenario: several reports, three organisations, daily counts inside
a monthly total, one conflicting figure and one repeated figure, on SQLite and PostgreSQL.

Expected numbers are worked out by hand from ``scenario.py``:
January in Idlib is OCHA's monthly 1,500 (best: the most recent report), with
SARC's 2,100 for the same month as the high end; the three daily counts
(400 + 350 + 500) are inside that total and left out; SARC's week running into
February cannot be split and is left out.
"""

from __future__ import annotations

from datetime import date

import pytest
import scenario

from crisisdesk.reconcile import load_figures, reconcile_store, total
from crisisdesk.store import FactQuery, Store

JAN = {"date_from": date(2020, 1, 1), "date_to": date(2020, 1, 31)}


@pytest.fixture
def loaded(store: Store) -> Store:
    scenario.load_into(store)
    return store


def _by_value(result, value: int):
    return [(e.figure, e.reason) for e in result.excluded if e.figure.best == value]


def test_january_total_for_idlib(loaded: Store) -> None:
    result = total(loaded, category="displaced", unit="people", place="Idlib", **JAN)
    assert (result.best, result.low, result.high) == (1500, 1500, 2100)
    assert len(result.figures) == 1
    monthly = result.figures[0]
    assert monthly.rule == "most recent"
    assert set(monthly.sources) >= {scenario.OCHA, scenario.SARC}
    assert "range of 1,500 to 2,100, not a sum" in monthly.explanation
    # every daily count is named as a part of the monthly total
    for value in (400, 350, 500):
        [(fig, why)] = _by_value(result, value)
        assert why.startswith("part of the January 2020 total of 1,500 people in Idlib by UN OCHA")
        assert why.endswith(f"counted there (figure {monthly.id})")
        assert monthly.id in fig.part_of
    [(week, why)] = _by_value(result, 900)
    assert "runs outside 2020-01-01 to 2020-01-31" in why
    assert week.date_end == date(2020, 2, 3)
    assert len(result.excluded) == 4  # nothing else was seen, nothing silently dropped


def test_repeated_figure_is_one_figure_with_both_documents(loaded: Store) -> None:
    result = total(loaded, category="displaced", place="Idlib", **JAN)
    [(saraqib, _)] = _by_value(result, 400)
    assert len(saraqib.facts) == 2
    assert len({f.doc for f in saraqib.facts}) == 2
    assert "same quoted figure is repeated by Levant Daily News" in saraqib.explanation


def test_part_of_the_month_uses_the_daily_counts(loaded: Store) -> None:
    result = total(
        loaded,
        category="displaced",
        place="idlib",
        date_from=date(2020, 1, 10),
        date_to=date(2020, 1, 25),
    )
    assert (result.best, result.low, result.high) == (850, 850, 850)  # 350 + 500
    assert sorted(f.best for f in result.figures) == [350, 500]
    [(monthly, why)] = _by_value(result, 1500)
    assert "runs outside" in why and monthly.high == 2100


def test_town_query_sees_only_the_town(loaded: Store) -> None:
    result = total(loaded, category="displaced", place="Saraqib")
    # 5 January (two reports of one count) and 2 February: 400 + 300
    assert result.best == 700
    assert not result.excluded


def test_evidence_points_at_the_exact_characters(loaded: Store) -> None:
    data = total(loaded, category="displaced", place="Idlib", **JAN).to_json()
    keys = {"best", "low", "high", "figures", "excluded", "flags", "not_placed", "notes"}
    assert set(data) == keys
    texts = {doc.id: doc.text for doc, _ in scenario.documents()}
    figures = data["figures"] + [e["figure"] for e in data["excluded"]]
    assert all(e["reason"] for e in data["excluded"])
    for fig in figures:
        assert fig["facts"], fig["id"]
        for f in fig["facts"]:
            text = texts[f["doc"]]
            start, end = f["span"]
            assert text[start:end].replace(",", "") == str(f["value"])
            assert text[f["quote_start"] : f["quote_start"] + len(f["quote"])] == f["quote"]


def test_rejecting_the_conflict_narrows_the_range(loaded: Store) -> None:
    [sarc_month] = [
        sf for sf in loaded.iter_facts(FactQuery(category="displaced")) if sf.fact.value == 2100
    ]
    loaded.set_status(sarc_month.id, "rejected", user="tester")
    result = total(loaded, category="displaced", place="Idlib", **JAN)
    assert (result.best, result.low, result.high) == (1500, 1500, 1500)


def test_verified_only_counts_reviewed_facts(loaded: Store) -> None:
    assert total(loaded, category="displaced", verified_only=True, **JAN).best == 0
    for sf in loaded.iter_facts(FactQuery(category="displaced")):
        if sf.fact.value in (350, 500):
            loaded.set_status(sf.id, "verified", user="tester")
    result = total(loaded, category="displaced", verified_only=True, **JAN)
    assert result.best == 850
    reviewed = load_figures(loaded, category="displaced", verified_only=True)
    assert sorted(f.best for f in reviewed) == [350, 500]


def test_stored_figures_match_and_link(loaded: Store) -> None:
    summary = reconcile_store(loaded)
    assert summary.facts == 8
    assert summary.figures == 6  # the repeated count and the conflicting month merge
    assert summary.links == 4  # three days in January, one day in the SARC week
    assert summary.conflicting == 1
    figures = {f.best: f for f in load_figures(loaded, category="displaced")}
    monthly = figures[1500]
    assert (monthly.low, monthly.high) == (1500, 2100)
    assert {figures[v].id for v in (400, 350, 500)} == set(monthly.parts)
    assert figures[400].part_of == (monthly.id,)
    assert len(figures[400].facts) == 2
    # reconciling again replaces, never duplicates
    assert reconcile_store(loaded).figures == 6
    assert len(load_figures(loaded)) == 6
    january = load_figures(loaded, place="Ariha", **JAN)
    assert [f.best for f in january] == [350]


def test_total_is_right_before_reconcile_runs_again(loaded: Store) -> None:
    reconcile_store(loaded)
    extra_doc = scenario.Document.from_text(
        "Local council: 120 people left Binnish on 25 January 2020.",
        publisher="Binnish council",
        published=date(2020, 1, 26),
    )
    day = date(2020, 1, 25)
    loaded.add_document(
        extra_doc,
        [
            scenario.fact(
                extra_doc,
                "120 people left Binnish",
                "120",
                120,
                places=("Binnish", "Idlib"),
                date_start=day,
                date_end=day,
            )
        ],
    )
    result = total(loaded, category="displaced", place="Idlib", date_from=day, date_to=day)
    assert result.best == 120
