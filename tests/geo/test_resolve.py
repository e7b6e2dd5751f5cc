"""resolve_facts: every place name of every fact gets a ResolvedPlace, in order, none dropped."""

from __future__ import annotations

from crisisdesk.geo import Gazetteer, GeoContext, resolve_facts
from crisisdesk.model import Category, Document, Fact, Precision, Unit

TEXT = (
    "Civil defence teams in Idlib governorate said 120 families fled Sarakib and Khan Alsabeel "
    "overnight, while shelling on the western Aleppo countryside and on Zzyzxqwv injured 7 people."
)


def _fact(doc: Document, value: int, places: tuple[str, ...]) -> Fact:
    start = doc.text.index(str(value))
    return Fact(
        doc=doc.id,
        quote=doc.text,
        span=(start, start + len(str(value))),
        value=value,
        category=Category.DISPLACED,
        unit=Unit.FAMILIES,
        places=places,
        quote_start=0,
    )


def test_resolve_facts_keeps_every_name_in_order(gaz: Gazetteer) -> None:
    doc = Document.from_text(TEXT)
    facts = [
        _fact(doc, 120, ("Sarakib", "Khan Alsabeel")),
        _fact(doc, 7, ("western Aleppo countryside", "Zzyzxqwv")),
        _fact(doc, 7, ()),
    ]
    out = resolve_facts(facts, doc, gaz)
    assert [f.places for f in out] == [f.places for f in facts]
    first, second, third = out
    assert [r.place_id for r in first.resolved] == ["gn:164816", "cd:sy-khan-al-sabil"]
    assert all(r.admin1 == "Idlib" and r.precision is Precision.POINT for r in first.resolved)
    region, unknown = second.resolved
    assert (region.admin1, region.precision) == ("Aleppo", Precision.REGION)
    assert (unknown.name, unknown.precision, unknown.place_id) == (
        "Zzyzxqwv",
        Precision.UNRESOLVED,
        None,
    )
    assert third.resolved == ()
    # the resolved places survive the fact's JSON round trip
    again = Fact.from_json(first.to_json())
    assert again.resolved == first.resolved


def test_context_collects_countries_and_governorates(gaz: Gazetteer) -> None:
    ctx = GeoContext.from_document(Document.from_text(TEXT), gaz)
    assert "SY" in ctx.countries
    assert "SY.12" in ctx.admin1_codes
