"""Counting across organisations, and counting only where places resolve (issue 12).

* A count from one organisation whose place and period lie inside another
  organisation's larger total is a part of that total, never added to it.
* A count inside a total that names two governorates side by side is a part of
  it even when another report gives the same total for one governorate only
  (the figure's chosen place is then that one governorate).
* A figure in another country is never pooled into the main country's total,
  and one whose places did not resolve is listed as not placed with its quote.
* A place nobody knows is an error naming the nearest known names.

Same answers from the facts and from the stored figures, on SQLite and PostgreSQL.
Expected numbers are worked out by hand from the texts below (ours).
"""

from __future__ import annotations

from datetime import date

import pytest
from places import governorate_named, town

from crisisdesk.errors import NotFoundError
from crisisdesk.model import Category, Document, Fact, Precision, ResolvedPlace, Unit
from crisisdesk.reconcile import Why, reconcile_store, total
from crisisdesk.store import Store

IDLIB, ALEPPO = governorate_named("Idlib", "SY07"), governorate_named("Aleppo", "SY02")
SARAQIB = town("Saraqib", "SY07", "SY0700")
ATARIB = town("Atarib", "SY02", "SY0201")
MOCHA = town("Mocha", "YE25", "YE2501", country="YE")
UNPLACED = ResolvedPlace(name="Zqxvillebrook", precision=Precision.UNRESOLVED)


def _add(
    store: Store,
    text: str,
    number: str,
    places: tuple[ResolvedPlace, ...],
    days: tuple[date, date],
    *,
    source: str,
    category: Category = Category.DISPLACED,
) -> None:
    doc = Document.from_text(text, publisher=f"{source} (desk)", published=days[1])
    at = text.index(number)
    fact = Fact(
        doc=doc.id, quote=text, quote_start=0, span=(at, at + len(number)),
        value=int(number.replace(",", "")), category=category, unit=Unit.PEOPLE,
        places=tuple(p.name for p in places), resolved=places, date_start=days[0],
        date_end=days[1], source=source, is_total=days[0] != days[1],
    )  # fmt: skip
    assert store.add_document(doc, [fact])


@pytest.fixture(params=["facts", "stored figures"])
def how(request: pytest.FixtureRequest) -> bool:
    return request.param == "stored figures"


def _total(store: Store, stored: bool, **kw):  # type: ignore[no-untyped-def]
    if stored:
        reconcile_store(store)
    result = total(store, use_stored=stored, **kw)
    assert result.from_stored is stored
    return result


def test_another_organisations_count_inside_a_larger_total_is_a_part(
    store: Store, how: bool
) -> None:
    _add(store, "From 1 December to 7 February, 520,000 people were displaced in Idlib "
         "and western Aleppo, the coordinators said.", "520,000", (IDLIB, ALEPPO),
         (date(2019, 12, 1), date(2020, 2, 7)), source="Coordinators")  # fmt: skip
    _add(store, "Between 1 and 4 February more than 5,000 people fled Saraqib, the "
         "Crescent said.", "5,000", (SARAQIB,), (date(2020, 2, 1), date(2020, 2, 4)),
         source="Crescent")  # fmt: skip
    result = _total(store, how, category="displaced")
    assert result.best == 520_000  # not 525,000
    [counted] = result.figures
    [part] = [e for e in result.excluded if e.figure.best == 5_000]
    assert part.code == Why.PART_OF_TOTAL
    assert "520,000" in part.reason and counted.id in part.reason
    assert counted.id in part.figure.part_of


def test_a_count_inside_a_total_also_given_for_one_governorate_only(
    store: Store, how: bool
) -> None:
    """The January total names Idlib and western Aleppo in one report and Idlib alone
    in another: one figure, chosen place Idlib. Atarib (Aleppo) is still inside it."""
    jan = (date(2020, 1, 1), date(2020, 1, 31))
    _add(store, "Over 130 civilians were killed in January across Idlib and the western "
         "Aleppo countryside.", "130", (IDLIB, ALEPPO), jan, source="Civil Defence",
         category=Category.KILLED)  # fmt: skip
    _add(store, "The civil defence counted 130 civilians killed in Idlib in January.", "130",
         (IDLIB,), jan, source="Civil Defence", category=Category.KILLED)  # fmt: skip
    _add(store, "On 15 January 5 civilians were killed in a strike on Atarib.", "5", (ATARIB,),
         (date(2020, 1, 15), date(2020, 1, 15)), source="Civil Defence",
         category=Category.KILLED)  # fmt: skip
    result = _total(store, how, category="killed")
    assert result.best == 130  # not 135
    [atarib] = [e for e in result.excluded if e.figure.best == 5]
    assert atarib.code == Why.PART_OF_TOTAL


def test_other_countries_and_unplaced_reports_are_listed_never_pooled(
    store: Store, how: bool
) -> None:
    day = (date(2020, 2, 3), date(2020, 2, 3))
    _add(store, "In Saraqib 7 civilians were killed on Monday.", "7", (SARAQIB,), day,
         source="Civil Defence", category=Category.KILLED)  # fmt: skip
    _add(store, "In Atarib 4 civilians were killed on Monday.", "4", (ATARIB,), day,
         source="Civil Defence", category=Category.KILLED)  # fmt: skip
    _add(store, "In Mocha 9 civilians were killed on Monday, medics said.", "9", (MOCHA,), day,
         source="Medics", category=Category.KILLED)  # fmt: skip
    _add(store, "In Zqxvillebrook 6 civilians were killed on Monday.", "6", (UNPLACED,), day,
         source="Someone", category=Category.KILLED)  # fmt: skip
    result = _total(store, how, category="killed")
    assert result.best == 11  # Saraqib and Atarib: Syria, the main country
    codes = {e.figure.best: e.code for e in result.excluded}
    assert codes == {9: Why.OTHER_COUNTRY, 6: Why.NOT_PLACED}
    data = result.to_json()
    [missing] = data["not_placed"]
    assert missing["best"] == 6 and missing["places"] == ["Zqxvillebrook"]
    assert missing["quotes"] == ["In Zqxvillebrook 6 civilians were killed on Monday."]
    assert any("SY" in note and "YE" in note for note in data["notes"])


def test_unknown_place_names_the_nearest_known_names(store: Store) -> None:
    from crisisdesk.geo import Gazetteer

    _add(store, "In Saraqib 7 civilians were killed on Monday.", "7", (SARAQIB,),
         (date(2020, 2, 3), date(2020, 2, 3)), source="Civil Defence",
         category=Category.KILLED)  # fmt: skip
    with Gazetteer.open() as gaz:
        with pytest.raises(NotFoundError, match="nearest known names: Saraqib") as caught:
            total(store, category="killed", place="Saraqibbbz", gazetteer=gaz)
        assert caught.value.exit_code == 5
        # a known place with no figure is no error: a total of 0
        assert total(store, category="killed", place="Binnish", gazetteer=gaz).best == 0
        # a country: the figures whose places resolved inside it
        assert total(store, category="killed", place="Syria", gazetteer=gaz).best == 7
