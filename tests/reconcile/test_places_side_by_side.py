"""A count naming several places side by side ("fled Saraqib, Ariha and Binnish") cannot
be split between them: it belongs to the area they share, never to the first one named.

Asked for one of the towns, ``total`` does not take the three-town count as that
town's; asked for the governorate, it counts it; a count naming two governorates
is left out of either one's total, with the reason said. Same answers from the
facts and from the stored figures, on SQLite and PostgreSQL.
"""

from __future__ import annotations

from datetime import date

import pytest
from places import governorate_named, town

from crisisdesk.model import Category, Document, Fact, ResolvedPlace, Unit
from crisisdesk.reconcile import reconcile_store, total
from crisisdesk.store import Store

FEB = {"date_from": date(2020, 2, 1), "date_to": date(2020, 2, 29)}


SARAQIB = town("Saraqib", "SY07", "SY0700")
BINNISH = town("Binnish", "SY07", "SY0700")
ARIHA = town("Ariha", "SY07", "SY0702")
ATARIB = town("Atarib", "SY02", "SY0201")


def _add(store: Store, text: str, number: str, places: tuple[ResolvedPlace, ...],
         start: date, end: date) -> None:  # fmt: skip
    doc = Document.from_text(text, publisher="Shelter Desk", published=end)
    at = text.index(number)
    fact = Fact(
        doc=doc.id, quote=text, quote_start=0, span=(at, at + len(number)),
        value=int(number.replace(",", "")), category=Category.DISPLACED, unit=Unit.PEOPLE,
        places=tuple(p.name for p in places), resolved=places, date_start=start, date_end=end,
        source="Shelter Desk",
    )  # fmt: skip
    assert store.add_document(doc, [fact])


@pytest.fixture(params=["facts", "stored figures"])
def towns(request: pytest.FixtureRequest, store: Store) -> tuple[Store, bool]:
    _add(store, "Teams saw 300 people leave Saraqib on 4 February.", "300", (SARAQIB,),
         date(2020, 2, 4), date(2020, 2, 4))  # fmt: skip
    _add(store, "Between 12 and 14 February, 1,200 people left Ariha, Binnish and Saraqib.",
         "1,200", (ARIHA, BINNISH, SARAQIB), date(2020, 2, 12), date(2020, 2, 14))  # fmt: skip
    _add(store, "On 13 February 90 more people left Saraqib.", "90", (SARAQIB,),
         date(2020, 2, 13), date(2020, 2, 13))  # fmt: skip
    both = (governorate_named("Idlib", "SY07"), governorate_named("Aleppo", "SY02"))
    _add(store, "Over February 5,000 people fled across Idlib and Aleppo.", "5,000", both,
         date(2020, 2, 1), date(2020, 2, 29))  # fmt: skip
    _add(store, "On 20 February 80 people left Atarib.", "80", (ATARIB,),
         date(2020, 2, 20), date(2020, 2, 20))  # fmt: skip
    stored = request.param == "stored figures"
    if stored:
        reconcile_store(store)
    return store, stored


def _ask(towns: tuple[Store, bool], place: str):  # type: ignore[no-untyped-def]
    store, stored = towns
    result = total(store, category="displaced", place=place, **FEB, use_stored=stored)
    assert result.from_stored is stored
    return result


def test_a_town_does_not_take_a_count_it_shares_with_others(towns) -> None:  # type: ignore[no-untyped-def]
    saraqib = _ask(towns, "test:saraqib")
    assert saraqib.best == 390
    assert [f.best for f in saraqib.figures] == [300, 90]
    assert _ask(towns, "test:ariha").best == 0


def test_the_governorate_counts_its_towns_together(towns) -> None:  # type: ignore[no-untyped-def]
    idlib = _ask(towns, "SY07")
    assert sorted(f.best for f in idlib.figures) == [300, 1200]
    assert idlib.best == 1500
    # Saraqib's 90 on the 13th is inside the three towns' count of the 12th to 14th
    [(day, why)] = [(e.figure, e.reason) for e in idlib.excluded if e.figure.best == 90]
    assert why.startswith("part of the total of 1,200 people in Ariha, Binnish, Saraqib")


def test_a_count_over_two_governorates_is_left_out_of_each_with_its_reason(towns) -> None:  # type: ignore[no-untyped-def]
    for code, name, counted in (("SY07", "Idlib", 1500), ("SY02", "Aleppo", 80)):
        result = _ask(towns, code)
        assert result.best == counted
        [(fig, why)] = [(e.figure, e.reason) for e in result.excluded if e.figure.best == 5000]
        reach = f"names Idlib and Aleppo together, which reach beyond {code}"
        assert why == f"{reach}; it cannot be split"
        assert name in fig.places


def test_a_district_counts_the_two_towns_it_holds_but_not_the_three_town_count(towns) -> None:  # type: ignore[no-untyped-def]
    # Saraqib and Binnish lie in SY0700, Ariha in SY0702: the 1,200 spans both districts
    assert _ask(towns, "SY0700").best == 390
