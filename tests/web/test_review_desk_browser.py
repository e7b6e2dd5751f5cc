"""More of the review desk in headless Chromium: a figure's qualifier in the text's
own words ("more than 130"), a near-duplicate counted after all and a counted one
marked a duplicate, undo as a history of one's own recent actions, and a missed
figure added with JavaScript off (a plain form), with its period evidence.

Screenshots go to /tmp/crisisdesk-screens/ (desktop 1280 px and phone 390 px).
"""

# ruff: noqa: F811  (the browser fixtures come from test_browser)
from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import quote

import pytest

from crisisdesk.model import Category, Document, Qualifier, Unit
from crisisdesk.store import Store

from .conftest import fact_at
from .test_browser import _shot, page, server  # noqa: F401  (fixtures)

# written for these tests; the figures are invented
CLINIC = (
    "Health workers in Kafr Nabl said on 12 March that more than 130 people were "
    "treated for injuries and nearly 40 were killed in the strikes on the market.\n\n"
    "The clinic said 12 of its staff had left the town."
)


@pytest.fixture
def clinic(db_url: str, seeded: dict[str, Any]) -> dict[str, Any]:
    doc = Document.from_text(CLINIC, title="Strikes on Kafr Nabl", published=date(2020, 3, 13))
    clause = "more than 130 people were treated for injuries and nearly 40 were killed"
    facts = [
        fact_at(CLINIC, "130", clause, doc=doc.id, value=130, qualifier=Qualifier.AT_LEAST,
                category=Category.INJURED, unit=Unit.PEOPLE, places=("Kafr Nabl",),
                source="Health workers", date_start=date(2020, 3, 12),
                date_end=date(2020, 3, 12)),
        fact_at(CLINIC, "40", clause, doc=doc.id, value=40, qualifier=Qualifier.APPROX,
                category=Category.KILLED, unit=Unit.PEOPLE, places=("Kafr Nabl",),
                source="Health workers"),
    ]  # fmt: skip
    with Store.open(db_url) as store:
        store.add_document(doc, facts)
    return {"doc_id": doc.id, "ids": [f.key for f in facts]}


def _login(pg: Any, server: str, name: str, password: str, then: str = "/") -> None:
    pg.goto(f"{server}/login?next={quote(then, safe='/')}")
    pg.fill("input[name=name]", name)
    pg.fill("input[name=password]", password)
    pg.click("button[type=submit]")
    pg.wait_for_url(f"{server}{then}")


def test_value_and_qualifier_as_the_text_writes_them(server, page, clinic, password, tmp_path):
    page.set_viewport_size({"width": 1280, "height": 900})
    _login(page, server, "ana", password, f"/queue?doc_id={quote(clinic['doc_id'])}&sort=document")
    rows = page.locator("table.queue tbody tr[data-fact-id]")
    assert rows.count() == 2
    first, second = (rows.nth(i).locator(".as-written").inner_text() for i in range(2))
    assert first.startswith("more than 130"), first  # not "at least 130"
    assert second.startswith("nearly 40"), second  # not "about 40"
    _shot(page, tmp_path, "review6-queue-written-1280.png")
    # the fact page says it as written, and what was recorded
    page.goto(f"{server}/facts/{clinic['ids'][0]}")
    said = page.inner_text("#as-written")
    assert "more than 130" in said and "recorded as at least 130 people injured" in said
    _shot(page, tmp_path, "review6-fact-written-1280.png")
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    _shot(page, tmp_path, "review6-fact-written-390.png")
    # a corrected qualifier is no longer the text's: the recorded words are shown
    page.set_viewport_size({"width": 1280, "height": 900})
    page.select_option(".editor select[name=qualifier]", "exact")
    page.click("button[value=save]")
    page.wait_for_selector("#fact-status.st-corrected")
    assert page.inner_text("#as-written").split("·")[0].strip() == "As written 130"


REPEATED = (
    "Camp update. The camp committee in Atmeh said on 9 February that 1,340 families "
    "had arrived during the past week. Volunteers said 4 people were killed on the road "
    "when a bus was shelled near Sarmada."
)


def test_a_repeat_counted_after_all_and_marked_again(server, page, db_url, password, tmp_path):
    from crisisdesk.pipeline import Pipeline, ingest_bytes

    pipeline = Pipeline.build()
    with Store.open(db_url) as store:
        ingest_bytes(store, REPEATED.encode(), "update.txt", pipeline=pipeline)
        again = ingest_bytes(
            store, REPEATED.replace(". ", ".\n").encode(), "again.txt", pipeline=pipeline
        )
    repeat = again.duplicates[0][0]
    page.set_viewport_size({"width": 1280, "height": 900})
    _login(page, server, "ana", password, f"/documents/{repeat}")
    assert "not twice" in page.inner_text("#counting")
    assert page.locator("mark[data-fact-id]").count() == 0
    _shot(page, tmp_path, "review6-repeat-1280.png")
    page.click("#count-after-all")
    page.wait_for_url(f"{server}/documents/*counted=1")
    assert "Counted now" in page.inner_text("#counting")
    assert "counted here too" in page.inner_text("#counting")
    assert page.locator("mark[data-fact-id]").count() >= 2  # its figures, extracted now
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    _shot(page, tmp_path, "review6-repeat-counted-390.png")
    page.click("#mark-duplicate")
    page.wait_for_url(f"{server}/documents/*counted=0")
    assert "Marked a duplicate" in page.inner_text("#counting")
    with Store.open(db_url) as store:
        assert not store.counting(repeat).counted
        who = {e.user for e in store.audit(limit=20) if e.action in ("count_duplicate",
                                                                     "mark_duplicate")}  # fmt: skip
    assert who == {"ana"}
