"""Evidence for places: one span per place read from the text, pointing at the words it was
read from (an earlier sentence's, for an anaphor or a heading); none for a headline place.
Sentences are ours."""

from __future__ import annotations

from crisisdesk.extract import extract_document
from crisisdesk.model import Document


def _only(text: str, title: str | None = None) -> tuple[tuple[str, ...], list[str]]:
    doc = Document(id="t", text=text, title=title)
    (fact,) = extract_document(doc)
    return fact.places, [text[a:b] for a, b in fact.field_spans.places]


def test_a_place_of_the_sentence_points_at_its_name() -> None:
    assert _only("Two children were killed in the town of Binnish.") == (("Binnish",), ["Binnish"])


def test_an_anaphor_points_at_the_earlier_sentence() -> None:
    text = "Shelling hit Saraqib on Monday morning. Three civilians were killed there."
    places, spans = _only(text)
    assert places == ("Saraqib",) and spans == ["Saraqib"]
    assert text.index("Saraqib") < text.index("Three")


def test_a_heading_points_at_the_heading_line() -> None:
    text = (
        "Weekly figures: Macomia\n\nInsurgents killed 12 civilians.\n\n"
        "Fighting spread across Macomia district."
    )
    assert _only(text) == (("Macomia",), ["Macomia"])


def test_a_headline_place_has_no_span() -> None:
    assert _only("At least 12 people were injured.", "Libya: clashes around Tripoli") == (
        ("Tripoli",),
        [],
    )


def test_headline_and_text_places_keep_their_own_evidence() -> None:
    text = (
        "Fighting went on in the North-West and South-West regions. "
        "Some 9,000 people were displaced in the two regions, as well as in Littoral."
    )
    places, spans = _only(text, "Cameroon: North-West and South-West crisis")
    assert places == ("North-West", "South-West", "Littoral")
    assert spans == ["Littoral"]


def test_a_paired_figure_shares_the_spans_of_its_partner() -> None:
    text = "Shelling hit Saraqib. There, 120 families (600 people) fled."
    doc = Document(id="t", text=text, title="Syria: shelling")
    facts = extract_document(doc)
    assert [f.places for f in facts] == [("Saraqib",), ("Saraqib",)]
    assert [[text[a:b] for a, b in f.field_spans.places] for f in facts] == [["Saraqib"]] * 2
