"""How the pages word what they show: a number written in words carries the value
recorded beside it in the queue; a flag names documents by their titles, as links;
a figure's unit is said once ("facilities damaged")."""

from __future__ import annotations

from datetime import date
from typing import Any

from crisisdesk.model import Category, Document, Unit
from crisisdesk.store import Store
from crisisdesk.web.dashboard import flag_text, what

from .conftest import fact_at

# written for this test; the figures are invented
WORDS = "Medics in Binnish said that seven people were killed when the bakery was hit."


def test_a_number_in_words_shows_the_value_recorded(client, login, db_url, seeded):
    doc = Document.from_text(WORDS, title="Bakery hit in Binnish", published=date(2020, 2, 9))
    fact = fact_at(WORDS, "seven", "seven people were killed", doc=doc.id, value=7,
                   category=Category.KILLED, unit=Unit.PEOPLE)  # fmt: skip
    with Store.open(db_url) as store:
        store.add_document(doc, [fact])
    login(client, "ana")
    page = client.get("/queue", params={"doc_id": doc.id}).text
    assert "<strong>seven</strong>" in page and "= 7</span>" in page
    digits = client.get("/queue", params={"doc_id": seeded["doc_id"]}).text
    assert "= 14</span>" not in digits  # a number written in digits: said once


def test_flags_name_documents_by_title_and_units_once(seeded: dict[str, Any]):
    titles = {"e3c0948f0573f86b": "Camp <update>"}
    text = flag_text(
        "sources_disagree: the reports disagree: A says 5 (document e3c0948f0573f86b); "
        "B says 6 (document 0000aaaa1111bbbb)",
        titles,
    )
    assert str(text) == (
        '<span title="sources_disagree">the reports disagree: A says 5 (<a href="/documents/'
        'e3c0948f0573f86b" dir="auto">Camp &lt;update&gt;</a>); B says 6 (<a href="/documents/'
        '0000aaaa1111bbbb" dir="auto">0000aaaa1111bbbb</a>)</span>'
    )
    assert str(flag_text("<b>odd</b>", {})) == "&lt;b&gt;odd&lt;/b&gt;"
    assert what("facilities", "facilities_damaged") == "facilities damaged"
    assert what("people", "killed") == "people killed"


def test_the_map_says_a_unit_once(client, login, db_url, seeded):
    """The dashboard map's labels read "3 facilities damaged", not "facilities facilities"."""
    from crisisdesk.reconcile import reconcile_store

    from .conftest import MAARAT

    text = "Rescuers in Maarat al-Numan said 3 schools were damaged by shelling on 3 February."
    doc = Document.from_text(text, title="Schools hit", published=date(2020, 2, 4))
    fact = fact_at(text, "3", "3 schools were damaged", doc=doc.id, value=3,
                   category=Category.FACILITIES_DAMAGED, unit=Unit.FACILITIES,
                   places=("Maarat al-Numan",), resolved=(MAARAT,),
                   date_start=date(2020, 2, 3), date_end=date(2020, 2, 3))  # fmt: skip
    with Store.open(db_url) as store:
        store.add_document(doc, [fact])
        reconcile_store(store)
    login(client, "ana")
    page = client.get("/").text
    assert "3 facilities damaged" in page
    assert "facilities facilities" not in page
    assert "14 people killed" in page
