"""What a situation report says, before it is drawn: headlines, series, map, table, footnotes.

Written to hold whether or not the reconcile stage is installed: the numbers
asserted are those the fixture's texts state, and every footnote must quote
its document exactly.
"""

from __future__ import annotations

from datetime import date

import pytest

from crisisdesk.errors import ConfigError
from crisisdesk.report import build_sitrep, summary_rows
from crisisdesk.report.words import short_period
from crisisdesk.store import Store


def _headline(sitrep, label):
    return next(h for h in sitrep.headlines if h.label == label)


def test_headlines_carry_the_stated_numbers(filled_store: Store) -> None:
    sitrep = build_sitrep(filled_store)
    assert _headline(sitrep, "People injured").best == 23
    assert _headline(sitrep, "People displaced").best == 5200
    assert _headline(sitrep, "Families displaced").best == 940
    assert _headline(sitrep, "Air strikes").best == 4
    assert _headline(sitrep, "Rockets").best == 3
    killed = _headline(sitrep, "People killed")
    # 11 on 19 January, 14 over 20-26 January: reconciled, two separate periods add up;
    # unreconciled, the report shows the largest single figure and says so
    assert killed.best == (25 if sitrep.reconciled else 14)
    assert ("sum of 2 figures" if sitrep.reconciled else "not yet reconciled") in killed.rule
    assert _headline(sitrep, "Barrel bombs").best is None
    assert sitrep.facts == 7 and sitrep.documents == 3


def test_every_number_has_a_footnote_quoting_its_document(filled_store: Store) -> None:
    sitrep = build_sitrep(filled_store)
    notes = {n.number: n for n in sitrep.footnotes}
    assert len(sitrep.rows) == 7
    for row in sitrep.rows:
        assert row.footnotes, row
        for number in row.footnotes:
            note = notes[number]
            text = filled_store.get_document(note.doc_id).text
            assert note.quote in text
            assert text[note.span[0] : note.span[1]].replace(",", "") in row.value.replace(",", "")
    displaced = next(r for r in sitrep.rows if r.value.startswith("5,200"))
    note = notes[displaced.footnotes[0]]
    assert note.quote == "about 5,200 people left Saraqib"
    assert (note.title, note.publisher, note.published, note.url) == (
        "Families leave Saraqib",
        "Camp Coordination Cell",
        date(2020, 1, 28),
        "https://example.org/ccc/saraqib",
    )
    assert displaced.place == "Saraqib" and displaced.period == "20–27 Jan 2020"
    # footnotes are numbered in the order the table cites them
    cited = [n for r in sitrep.rows for n in r.footnotes]
    assert cited == sorted(set(cited), key=cited.index) and cited[0] == 1


def test_series_follow_the_period_each_figure_covers(filled_store: Store) -> None:
    """Each figure is one mark at the resolution it was reported: never spread over days."""
    sitrep = build_sitrep(filled_store)
    displaced = [
        (m.kind, m.start, m.end, m.value)
        for m in sitrep.displacement.marks
        if m.series == "People displaced"
    ]
    assert displaced == [("period", date(2020, 1, 20), date(2020, 1, 27), 5200)]
    injured = [(m.kind, m.start, m.value) for m in sitrep.casualties.marks if m.series == "Injured"]
    assert ("day", date(2020, 1, 19), 23) in injured


def test_attacks_by_type_and_map_points(filled_store: Store) -> None:
    sitrep = build_sitrep(filled_store)
    assert dict(sitrep.attacks) == {"Air strikes": 4, "Rockets": 3}
    points = {p.name: p for p in sitrep.points}
    assert set(points) == {"Ariha", "Saraqib"}
    assert "about 5,200 people displaced (20–27 Jan 2020)" in points["Saraqib"].lines
    assert (points["Ariha"].lat, points["Ariha"].lon) == (35.8128, 36.6097)
    assert "injured" in points["Ariha"].label
    assert sitrep.unlocated == 0


def test_filters_by_place_period_and_category(filled_store: Store) -> None:
    saraqib = build_sitrep(filled_store, place="Saraqib")
    assert {r.place for r in saraqib.rows} == {"Saraqib"}
    assert saraqib.title == "Situation report: Saraqib"
    day = build_sitrep(filled_store, date_from=date(2020, 1, 19), date_to=date(2020, 1, 19))
    assert sorted(r.value for r in day.rows) == ["11", "23", "4"]
    only = build_sitrep(filled_store, categories=["rockets"])
    assert [h.label for h in only.headlines] == ["Rockets"]
    assert [r.category for r in only.rows] == ["Rockets"]


def test_no_data_is_said_plainly(filled_store: Store) -> None:
    sitrep = build_sitrep(
        filled_store, place="Saraqib", date_from=date(2020, 3, 1), date_to=date(2020, 3, 31)
    )
    assert sitrep.is_empty
    assert sitrep.empty_message == (
        "No figure is recorded for Saraqib between 1 March 2020 and 31 March 2020."
    )
    assert sitrep.casualties.is_empty and not sitrep.points


def test_empty_store(sqlite_store: Store) -> None:
    sitrep = build_sitrep(sqlite_store)
    assert sitrep.is_empty and sitrep.empty_message == "No figure is recorded in the store."
    assert [r["best"] for r in summary_rows(sqlite_store)] == [None] * 8


def test_bad_filters_are_config_errors(filled_store: Store) -> None:
    with pytest.raises(ConfigError, match="unknown category deaths"):
        build_sitrep(filled_store, categories=["deaths"])
    with pytest.raises(ConfigError, match="after"):
        build_sitrep(filled_store, date_from=date(2020, 2, 1), date_to=date(2020, 1, 1))


def test_verified_only(filled_store: Store) -> None:
    stored = next(s for s in filled_store.iter_facts() if s.fact.value == 940)
    filled_store.set_status(stored.id, "verified", user="tester")
    sitrep = build_sitrep(filled_store, verified_only=True)
    assert [r.value for r in sitrep.rows] == ["940"]
    assert "verified" in build_sitrep(filled_store, verified_only=True, place="Ariha").empty_message


def test_summary_rows_for_the_demo(filled_store: Store) -> None:
    rows = {(r["category"], r["unit"]): r for r in summary_rows(filled_store)}
    assert rows[("displaced", "families")]["best"] == 940
    assert rows[("displaced", "people")]["best"] == 5200
    assert rows[("injured", None)]["label"] == "People injured"
    assert set(rows[("rockets", None)]) >= {"label", "best", "low", "high", "figures", "rule"}
    assert rows[("rockets", None)]["sources"] == "Idlib Monitor"


@pytest.mark.parametrize(
    ("start", "end", "text"),
    [
        (date(2020, 1, 19), date(2020, 1, 19), "19 Jan 2020"),
        (date(2020, 1, 20), date(2020, 1, 27), "20–27 Jan 2020"),
        (date(2019, 12, 28), date(2020, 1, 3), "28 Dec 2019 – 3 Jan 2020"),
        (date(2020, 1, 28), date(2020, 2, 3), "28 Jan – 3 Feb 2020"),
        (None, None, "not stated"),
    ],
)
def test_short_period(start, end, text) -> None:
    assert short_period(start, end) == text


def test_unreconciled_report_shows_facts_as_stated(filled_store: Store) -> None:
    sitrep = build_sitrep(filled_store, reconciled=False)
    assert not sitrep.reconciled
    killed = _headline(sitrep, "People killed")
    assert killed.best == 14 and "not yet reconciled" in killed.rule
    assert killed.figures == 2 and len(killed.footnotes) == 1
    assert sorted(r.value for r in sitrep.rows if r.category == "Killed") == ["11", "14"]
