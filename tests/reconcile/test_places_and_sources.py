"""Places nest by admin codes once facts are resolved (with or without the gazetteer),
and the editable sources table decides between equally specific, equally recent reports."""

from __future__ import annotations

from datetime import date

import pytest

from crisisdesk.errors import NotFoundError
from crisisdesk.model import Category, Document, Fact, Precision, ResolvedPlace, Unit
from crisisdesk.reconcile import reconcile_facts, total
from crisisdesk.store import Store

IDLIB = "SY.12"  # the admin1 code the bundled gazetteer gives Idlib
ALEPPO = "SY.09"
DAY = date(2020, 2, 3)


def _town(name: str, pid: str, code: str, gov: str) -> ResolvedPlace:
    return ResolvedPlace(
        name=name, place_id=pid, canonical=name, kind="town", country="SY", admin1=gov,
        admin1_code=code, precision=Precision.POINT,
    )  # fmt: skip


def _add(store: Store, text: str, number: str, place: ResolvedPlace, **kw) -> None:
    doc = Document.from_text(text, publisher="Field desk", published=DAY)
    start = text.index(number)
    fact = Fact(
        doc=doc.id, quote=text, quote_start=0, span=(start, start + len(number)),
        value=int(number), category=Category.INJURED, unit=Unit.PEOPLE,
        places=(place.name,), resolved=(place,), date_start=DAY, date_end=DAY, **kw,
    )  # fmt: skip
    assert store.add_document(doc, [fact])


@pytest.fixture
def resolved(store: Store) -> Store:
    _add(store, "Medics treated 14 people in Sarmin after the raid.", "14",
         _town("Sarmin", "gn:1", IDLIB, "Idlib"))  # fmt: skip
    _add(store, "In Taftanaz 6 people were hurt by falling debris.", "6",
         _town("Taftanaz", "gn:2", IDLIB, "Idlib"))  # fmt: skip
    _add(store, "Nine people, 9 in all, were hurt in Atarib.", "9",
         _town("Atarib", "gn:3", ALEPPO, "Aleppo"))  # fmt: skip
    return store


def test_governorate_by_name_uses_the_codes_facts_carry(resolved: Store) -> None:
    assert total(resolved, category="injured", place="Idlib").best == 20
    assert total(resolved, category="injured", place="idlib").best == 20
    assert total(resolved, category="injured", place=IDLIB).best == 20
    assert total(resolved, category="injured", place="Atarib").best == 9
    assert total(resolved, category="injured").best == 29
    # a place no report names and no gazetteer knows is an error, not a total of 0
    with pytest.raises(NotFoundError, match="unknown place 'Nowhere'"):
        total(resolved, category="injured", place="Nowhere")


def test_with_the_gazetteer(resolved: Store) -> None:
    from crisisdesk.geo import Gazetteer

    with Gazetteer.open() as gaz:
        assert gaz.find_area("Idleb") is not None
        # another spelling of the governorate finds the same facts through its code
        assert total(resolved, category="injured", place="Idleb", gazetteer=gaz).best == 20


def test_the_sources_table_breaks_a_tie() -> None:
    from crisisdesk import vocab

    sources = sorted(vocab.load_sources(), key=lambda s: s.reliability)
    assert sources[0].reliability < sources[-1].reliability  # the table ranks sources
    weak, strong = sources[0].name, sources[-1].name

    def report(doc: str, value: int, source: str) -> Fact:
        return Fact(
            doc=doc, quote=f"{value} people were hurt", span=(0, 2), value=value,
            category=Category.INJURED, unit=Unit.PEOPLE, places=("Sarmin",),
            date_start=DAY, date_end=DAY, source=source,
        )  # fmt: skip

    [fig] = reconcile_facts([report("a", 30, weak), report("b", 24, strong)])
    assert (fig.best, fig.rule, fig.low, fig.high) == (24, "most reliable source", 24, 30)
