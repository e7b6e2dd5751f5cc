"""The records: ids, the fact schema round trip, evidence checks."""

from __future__ import annotations

import json
from datetime import date

import pytest

from crisisdesk.errors import ValidationError
from crisisdesk.model import (
    Category,
    Document,
    Fact,
    FieldSpans,
    Precision,
    Qualifier,
    ResolvedPlace,
    Unit,
    document_id,
)

TEXT = "Teams counted 1,200 families leaving Sarmada on Tuesday."


def _fact(doc: Document) -> Fact:
    at = doc.text.index("1,200")
    return Fact(
        doc=doc.id,
        quote="1,200 families leaving Sarmada",
        quote_start=at,
        span=(at, at + 5),
        value=1200,
        category=Category.DISPLACED,
        unit=Unit.FAMILIES,
        places=("Sarmada",),
        date_start=date(2020, 2, 4),
        date_end=date(2020, 2, 4),
        resolved=(ResolvedPlace(name="Sarmada", place_id="g:1", precision=Precision.POINT),),
    )


def test_document_id_ignores_line_endings_bom_and_edges() -> None:
    assert document_id("a\r\nb") == document_id("a\nb") == document_id("\ufeff a\nb \n")
    assert document_id("a\nb") != document_id("a\nc")


def test_document_keeps_text_verbatim() -> None:
    doc = Document.from_text("  line one\r\nline two  ")
    assert doc.text == "  line one\r\nline two  "
    with pytest.raises(ValidationError):
        Document.from_text(" \n\t ")


def test_fact_json_round_trip_keeps_everything() -> None:
    doc = Document.from_text(TEXT)
    fact = _fact(doc)
    data = json.loads(json.dumps(fact.to_json()))
    assert data["span"] == [14, 19] and TEXT[14:19] == "1,200"
    assert data["qualifier"] == "exact" and data["unit"] == "families"
    assert data["date_start"] == "2020-02-04"
    back = Fact.from_json(data)
    assert back == fact
    assert back.resolved[0].precision is Precision.POINT
    back.evidence.check(doc.text)


@pytest.mark.parametrize(
    "changes",
    [
        {},
        {"resolved": ()},
        {"resolved": (), "field_spans": FieldSpans(period=(40, 50), places=((30, 37), (1, 2)))},
        {"resolved": (), "field_spans": FieldSpans(source=(0, 5)), "confidence": 0.8333333},
        {"resolved": (), "quote": 'tab\t "q" \\ \x01 \u2028 ٣ قتلى', "places": ("حلب", 'a"b')},
        {"resolved": (), "value": None, "value_text": "dozens", "date_start": None},
        {"resolved": (), "value_high": 1500, "is_total": True, "source": "OCHA"},
        {"resolved": (), "quote_start": None, "date_end": None},
        {"resolved": (), "confidence": 1, "subject": Category.KILLED},
        {"resolved": (), "confidence": float("nan"), "places": ()},
        {"resolved": (), "extra": {"note": "x", "doc": "ignored"}},
        {"resolved": (), "span": (True, 19), "value": 12.5},
    ],
)
def test_fact_json_text_is_what_json_dumps_writes(changes: dict) -> None:
    fact = _fact(Document.from_text(TEXT)).with_(**changes)
    assert fact.to_json_text() == json.dumps(fact.to_json(), ensure_ascii=False)


def test_gold_facts_without_span_and_with_unknown_fields_are_read() -> None:
    gold = {
        "doc": "d1",
        "quote": "dozens of families",
        "value": None,
        "value_text": "dozens",
        "qualifier": "approx",
        "unit": "families",
        "category": "displaced",
        "places": [],
        "is_total": False,
        "some_future_field": 3,
    }
    fact = Fact.from_json(gold)
    assert fact.value is None and fact.value_text == "dozens"
    assert fact.qualifier is Qualifier.APPROX


@pytest.mark.parametrize(
    "broken",
    [
        {"quote": "x", "value": 3},  # no doc
        {"doc": "d", "value": None},  # neither value nor value_text
        {"doc": "d", "value": 3, "category": "weather"},
        {"doc": "d", "value": 3, "date_start": "last week"},
        {"doc": "d", "value": "many"},
    ],
)
def test_malformed_facts_are_validation_errors(broken: dict) -> None:
    with pytest.raises(ValidationError):
        Fact.from_json(broken)


def test_evidence_mismatch_is_caught() -> None:
    doc = Document.from_text(TEXT)
    fact = _fact(doc).with_(quote_start=0)
    with pytest.raises(ValidationError):
        fact.evidence.check(doc.text)


def test_fact_key_is_stable_and_distinguishes_paired_units() -> None:
    doc = Document.from_text(TEXT)
    fact = _fact(doc)
    assert fact.key == _fact(doc).key
    assert fact.key != fact.with_(unit=Unit.PEOPLE).key


def test_document_location_marks() -> None:
    doc = Document(id="x", text="a" * 100, locations=((0, "page 1"), (40, "page 2")))
    assert doc.location_of(10) == "page 1"
    assert doc.location_of(40) == "page 2"
    assert doc.location_of(99) == "page 2"


def test_resolved_place_json_names_every_field_once():
    """``ResolvedPlace.to_json`` is written field by field (fast): a field added to the
    record must be added there too, with the same value ``dataclasses.asdict`` gives."""
    from dataclasses import asdict, fields

    from crisisdesk.model import Precision, ResolvedPlace

    place = ResolvedPlace(
        "Ariha", "p:1", "Ariha", "city", "SY", "Idlib", "SY07", "Ariha district", "SY0702",
        35.8, 36.6, Precision.POINT, 0.9, ("p:2",),
    )  # fmt: skip
    expected = asdict(place) | {"precision": "point", "candidates": ["p:2"]}
    assert place.to_json() == expected
    assert list(place.to_json()) == [f.name for f in fields(ResolvedPlace)]
