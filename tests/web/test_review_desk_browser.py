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


def _what(db_url: str, fact_id: str | None) -> str:
    with Store.open(db_url) as store:
        f = store.get_fact(str(fact_id)).fact
    return f"{f.value:,} {f.unit} {f.category}"


def test_undo_walks_back_ones_own_actions_in_order(
    server, page, db_url, clinic, password, tmp_path
):
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.set_viewport_size({"width": 1280, "height": 900})
    _login(page, server, "ana", password, "/queue?sort=document")
    assert page.locator("#undo-bar").count() == 0  # nothing done yet
    rows = page.locator("table.queue tbody tr[data-fact-id]")
    first, second = (
        rows.nth(0).get_attribute("data-fact-id"),
        rows.nth(1).get_attribute("data-fact-id"),
    )
    page.keyboard.press("v")  # verify the first row; the second becomes current
    page.wait_for_selector("#toast:has-text('Verified')")
    page.keyboard.press("r")
    page.wait_for_selector("#toast:has-text('Rejected')")
    page.reload()
    a, b = _what(db_url, first), _what(db_url, second)
    # the page names what the next undo puts back, and the one after it
    assert page.inner_text("#undo-next") == f"rejected {b}"
    page.click("#undo-bar summary")
    assert f"verified {a}" in page.inner_text(".undo-list")
    _shot(page, tmp_path, "review6-undo-history-1280.png")
    page.keyboard.press("u")
    toast = page.wait_for_selector("#toast:has-text('Undone')").inner_text()
    assert f"Undone: rejected {b}." in toast and f"Next undo (u): verified {a}" in toast
    # without JavaScript's help: the bar's own button (a plain form) undoes the next
    page.reload()
    assert page.inner_text("#undo-next") == f"verified {a}"
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    _shot(page, tmp_path, "review6-undo-history-390.png")
    page.click("#undo-bar button[value=undo]")
    assert f"undo: verified {a}" in page.inner_text("#done-bar")
    assert page.locator("#undo-bar").count() == 0
    statuses = {
        f: page.evaluate(
            "async (id) => (await (await fetch('/api/facts/' + id)).json()).fact.status", f
        )
        for f in (first, second)
    }
    assert statuses == {first: "unreviewed", second: "unreviewed"}
    assert not errors
