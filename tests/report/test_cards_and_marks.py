"""Cards keep ranges as ranges and figures reaching outside the window with their own
period; running tallies are charted as the values reported, in steps."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from crisisdesk.model import Category, Document, Fact, Qualifier, Unit
from crisisdesk.reconcile import reconcile_store
from crisisdesk.report import build_sitrep
from crisisdesk.report.charts import integer_step, timeline_chart
from crisisdesk.report.words import distinct_sources, fact_value, written_places
from crisisdesk.store import Store

# our own words: (text, number, high, category, unit, start, end, total, qualifier)
REPORTS = [
    (
        "Between 12 and 15 people were killed when shells hit Kafr Nabl on 3 March.",
        "12",
        15,
        Category.KILLED,
        Unit.PEOPLE,
        date(2020, 3, 3),
        date(2020, 3, 3),
        False,
        Qualifier.EXACT,
    ),
    (
        "Since 20 February some 4,000 people have fled Ma'arrat Misrin, the council said.",
        "4,000",
        None,
        Category.DISPLACED,
        Unit.PEOPLE,
        date(2020, 2, 20),
        date(2020, 3, 2),
        True,
        Qualifier.APPROX,
    ),
    (
        "Since 20 February some 9,500 people have fled Ma'arrat Misrin, the council now says.",
        "9,500",
        None,
        Category.DISPLACED,
        Unit.PEOPLE,
        date(2020, 2, 20),
        date(2020, 3, 9),
        True,
        Qualifier.APPROX,
    ),
]
MARCH = {"date_from": date(2020, 3, 1), "date_to": date(2020, 3, 31)}


@pytest.fixture
def store(tmp_path: Path) -> Store:
    store = Store.open(f"sqlite:///{tmp_path / 'cards.sqlite'}")
    for text, number, high, category, unit, start, end, is_total, qualifier in REPORTS:
        doc = Document.from_text(text, published=end, publisher="Field desk (example)")
        at = text.index(number)
        store.add_document(
            doc,
            [
                Fact(
                    doc=doc.id,
                    quote=text,
                    quote_start=0,
                    span=(at, at + len(number)),
                    value=int(number.replace(",", "")),
                    value_high=high,
                    qualifier=qualifier,
                    category=category,
                    unit=unit,
                    subject="people",
                    places=("Kafr Nabl",) if category == Category.KILLED else ("Ma'arrat Misrin",),
                    date_start=start,
                    date_end=end,
                    source="Field desk",
                    is_total=is_total,
                )
            ],
        )
    reconcile_store(store)
    return store


def test_a_range_stays_a_range(store: Store) -> None:
    killed = next(h for h in build_sitrep(store, **MARCH).headlines if h.label == "People killed")
    assert killed.items[0].value == "12–15"
    assert killed.items[0].period == "3 Mar 2020" and killed.items[0].place == "Kafr Nabl"


def test_running_tally_overlapping_the_window_keeps_its_period(store: Store) -> None:
    sitrep = build_sitrep(store, **MARCH)
    displaced = next(h for h in sitrep.headlines if h.label == "People displaced")
    assert displaced.best and displaced.best in (4000, 9500)
    for item in displaced.items:
        assert item.outside and item.period.startswith("20 Feb")
        assert item.value.startswith("some ")
    tally = [m for m in sitrep.displacement.marks if m.series == "People displaced"]
    assert sorted((m.kind, m.end, m.value) for m in tally) == [
        ("tally", date(2020, 3, 2), 4000),
        ("tally", date(2020, 3, 9), 9500),
    ]
    svg = timeline_chart(sitrep.displacement)
    assert svg.count('class="mark mark-tally"') == 2 and "<path" in svg


def test_words_as_written() -> None:
    text = "Rescuers said more than 130 civilians died."
    at = text.index("130")
    fact = Fact(
        doc="d",
        quote=text,
        quote_start=0,
        span=(at, at + 3),
        value=130,
        qualifier=Qualifier.AT_LEAST,
        category=Category.KILLED,
        unit=Unit.PEOPLE,
    )
    assert fact_value(fact) == "more than 130"
    assert distinct_sources(["UN OCHA", "UN OCHA (example)", "WHO"]) == ("UN OCHA", "WHO")
    assert written_places(["Idlib", "western Aleppo", "western Aleppo governorates"]) == (
        "Idlib and western Aleppo"
    )


@pytest.mark.parametrize(("peak", "step"), [(3, 1), (7, 2), (23, 10), (263, 100), (520000, 200000)])
def test_integer_ticks(peak: int, step: int) -> None:
    assert integer_step(peak) == step
