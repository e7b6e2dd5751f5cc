"""A document's places are resolved together: its facts' names, headline and text make one
context, and a name two countries share goes to the one the document's other places are in.

Every sentence here is ours. Tripoli is a Libyan city and province and a Lebanese city;
Rafah is a Palestinian city and an Egyptian town.
"""

from __future__ import annotations

import pytest

from crisisdesk.geo import Gazetteer, resolve_facts
from crisisdesk.model import Category, Document, Fact, Qualifier, Unit


def _fact(doc: Document, *places: str) -> Fact:
    return Fact(
        doc=doc.id,
        quote="40 were hurt",
        span=(0, 2),
        value=40,
        qualifier=Qualifier.EXACT,
        unit=Unit.PEOPLE,
        category=Category.INJURED,
        places=places,
    )


def _countries(gaz: Gazetteer, doc: Document, *places: str) -> list[str | None]:
    (fact,) = resolve_facts([_fact(doc, *places)], doc, gaz)
    return [r.country for r in fact.resolved]


@pytest.mark.parametrize(
    ("text", "country"),
    [
        ("Shelling near Misrata and Zawiya went on; in Tripoli 40 were hurt.", "LY"),
        ("Shelling near Halba and Zgharta went on; in Tripoli 40 were hurt.", "LB"),
    ],
)
def test_the_other_places_decide_between_two_towns_of_one_name(
    gaz: Gazetteer, text: str, country: str
) -> None:
    doc = Document.from_text(text)
    assert _countries(gaz, doc, "Tripoli") == [country]


def test_a_shared_name_is_no_evidence_of_its_own_country(gaz: Gazetteer) -> None:
    """Tripoli's Libyan province must not vote Libya into a Lebanese report."""
    doc = Document.from_text("Families fled Halba and Zgharta; 40 were hurt in Tripoli.")
    r = resolve_facts([_fact(doc, "Tripoli")], doc, gaz)[0].resolved[0]
    assert (r.country, r.kind) == ("LB", "city")


def test_the_headline_counts(gaz: Gazetteer) -> None:
    doc = Document(id="t", text="In Tripoli 40 were hurt on Sunday.", title="Lebanon: clashes")
    assert _countries(gaz, doc, "Tripoli") == ["LB"]
    bare = Document(id="u", text="In Tripoli 40 were hurt on Sunday.")
    assert _countries(gaz, bare, "Tripoli") == ["LY"]  # no clue: the larger place


def test_the_facts_places_count_however_long_the_text(gaz: Gazetteer) -> None:
    """Names past the scan's limit still decide, because the facts' own places are read first."""
    filler = " ".join(f"Committee Number{i} Met." for i in range(1500))
    doc = Document.from_text(f"{filler} Shelling hit Halba and Zgharta; in Tripoli 40 were hurt.")
    (fact,) = resolve_facts([_fact(doc, "Tripoli", "Halba", "Zgharta")], doc, gaz)
    assert [r.country for r in fact.resolved] == ["LB", "LB", "LB"]


def test_each_name_is_resolved_once_per_document(
    gaz: Gazetteer, monkeypatch: pytest.MonkeyPatch
) -> None:
    doc = Document.from_text("Shelling near Halba and Zgharta; in Tripoli 40 were hurt.")
    calls: list[str] = []
    resolve = gaz.resolve

    def counted(name: str, **kw: object) -> object:
        calls.append(name)
        return resolve(name, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(gaz, "resolve", counted)
    facts = [_fact(doc, "Tripoli"), _fact(doc, "Tripoli", "Halba"), _fact(doc, "Halba")]
    out = resolve_facts(facts, doc, gaz)
    assert sorted(calls) == ["Halba", "Tripoli"]
    assert [len(f.resolved) for f in out] == [1, 2, 1]
    assert out[1].resolved[0] == out[0].resolved[0]


@pytest.mark.parametrize(
    ("text", "country"),
    [
        ("Strikes hit Khan Younis and Deir al-Balah; in Rafah 40 were hurt.", "PS"),
        ("Checkpoints near Arish and Sheikh Zuweid closed; in Rafah 40 were hurt.", "EG"),
    ],
)
def test_rafah_by_its_neighbours(gaz: Gazetteer, text: str, country: str) -> None:
    assert _countries(gaz, Document.from_text(text), "Rafah") == [country]


def test_a_far_namesake_abroad_is_not_forced(gaz: Gazetteer) -> None:
    """The bundled gazetteer has Palma of Mallorca, not the Mozambican town: in a report
    about Cabo Delgado the name stays unresolved rather than landing in Spain."""
    doc = Document.from_text(
        "Families from Palma reached Pemba and Montepuez in Cabo Delgado, Mozambique."
    )
    (fact,) = resolve_facts([_fact(doc, "Palma", "Montepuez")], doc, gaz)
    assert [r.country for r in fact.resolved] == [None, "MZ"]


def test_a_city_abroad_near_the_theatre_stays(gaz: Gazetteer) -> None:
    doc = Document.from_text("Strikes hit Saraqib and Ariha in Syria; 40 were treated in Beirut.")
    assert _countries(gaz, doc, "Beirut") == ["LB"]
