"""A report reads in one language: a place written in another script is shown by its
gazetteer name once it resolved, and as written when it did not (the quote keeps it)."""

from __future__ import annotations

from crisisdesk.model import Category, Fact, ResolvedPlace, Unit
from crisisdesk.report.words import fact_place, shown_name


def test_a_resolved_arabic_name_is_shown_by_its_gazetteer_name() -> None:
    assert shown_name("سراقب", "Saraqib") == "Saraqib"
    assert shown_name("سراقب", None) == "سراقب"  # nothing better to show
    assert shown_name("southern Idlib countryside", "Idlib") == "southern Idlib countryside"


def test_fact_place_mixes_gazetteer_names_and_unresolved_words_as_written() -> None:
    text = "قتل سبعة مدنيين في سراقب شرقي إدلب"
    at = text.index("سبعة")
    fact = Fact(
        doc="d", quote=text, quote_start=0, span=(at, at + 4), value=7,
        category=Category.KILLED, unit=Unit.PEOPLE, places=("سراقب", "شرقي إدلب"),
        resolved=(
            ResolvedPlace("سراقب", "sy-saraqib", "Saraqib", "city", "SY"),
            ResolvedPlace("شرقي إدلب"),
        ),
    )  # fmt: skip
    assert fact_place(fact) == "Saraqib and شرقي إدلب"
