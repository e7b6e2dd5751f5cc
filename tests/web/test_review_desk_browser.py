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

from crisisdesk.model import Category, Document, FieldSpans, Qualifier, Unit
from crisisdesk.store import Store

from .conftest import fact_at
from .test_browser import _shot, page, server  # noqa: F401  (fixtures)

# written for these tests; the figures are invented
CLINIC = (
    "Health workers in Kafr Nabl said on 12 March that more than 130 people were "
    "treated for injuries and nearly 40 were killed in the strikes on the market, "
    "which destroyed 9 shops.\n\n"
    "The clinic said 12 of its staff had left the town."
)


def _spans(*words: str) -> FieldSpans:
    """The period, source and place read from these words of CLINIC (as extracted)."""
    period, source, place = ((CLINIC.index(w), CLINIC.index(w) + len(w)) for w in words)
    return FieldSpans(period=period, source=source, places=(place,))


@pytest.fixture
def clinic(db_url: str, seeded: dict[str, Any]) -> dict[str, Any]:
    doc = Document.from_text(CLINIC, title="Strikes on Kafr Nabl", published=date(2020, 3, 13))
    clause = "more than 130 people were treated for injuries and nearly 40 were killed"
    facts = [
        fact_at(CLINIC, "130", clause, doc=doc.id, value=130, qualifier=Qualifier.AT_LEAST,
                category=Category.INJURED, unit=Unit.PEOPLE, places=("Kafr Nabl",),
                source="Health workers", date_start=date(2020, 3, 12),
                date_end=date(2020, 3, 12),
                field_spans=_spans("on 12 March", "Health workers", "Kafr Nabl")),
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
    page.click("button.primary[value=save]")
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


def test_add_a_missed_figure_without_javascript(server, page, db_url, clinic, password, tmp_path):
    """The plain form: the number as written (and words around it when it repeats);
    the period's words recorded as evidence, or the frame of the figures around it."""
    context = page.context.browser.new_context(java_script_enabled=False)
    pg = context.new_page()
    pg.set_viewport_size({"width": 1280, "height": 900})
    doc = clinic["doc_id"]
    _login(pg, server, "ana", password, f"/documents/{doc}")
    pg.click("#add-plain summary")
    # "12" is written twice: the page asks which
    pg.fill("#addplain input[name=number]", "12")
    pg.select_option("#addplain select[name=unit]", "people")
    pg.select_option("#addplain select[name=category]", "other")
    pg.click("#addplain button[type=submit]")
    assert "appears 2 times" in pg.inner_text("p.error")
    assert pg.input_value("#addplain input[name=number]") == "12"  # the form kept
    pg.fill("#addplain input[name=near]", "12 of its staff")
    pg.fill("#addplain input[name=period_words]", "on 12 March")
    pg.fill("#addplain input[name=date_start]", "2020-03-12")
    pg.fill("#addplain input[name=date_end]", "2020-03-12")
    pg.click("#addplain button[type=submit]")
    pg.wait_for_selector(".editor #fact-status.st-added")
    staff = pg.get_attribute(".editor[data-fact-id]", "data-fact-id")
    assert "period read from “on 12 March”" in pg.text_content(".readfrom")
    _shot(pg, tmp_path, "review6-add-plain-1280.png")
    # a figure of a sentence with extracted figures: its period, source and places are
    # read as theirs, from the same words
    pg.click("#add-plain summary")
    pg.fill("#addplain input[name=number]", "9")
    pg.select_option("#addplain select[name=unit]", "facilities")
    pg.select_option("#addplain select[name=category]", "facilities_damaged")
    pg.click("#addplain button[type=submit]")
    pg.wait_for_selector(".editor #fact-status.st-added")
    shops = pg.get_attribute(".editor[data-fact-id]", "data-fact-id")
    read = pg.text_content(".readfrom")
    assert "period read from “on 12 March”" in read and "source read from “Health workers”" in read
    assert "place read from “Kafr Nabl”" in read
    pg.set_viewport_size({"width": 390, "height": 844})
    assert pg.evaluate("() => document.documentElement.scrollWidth") <= 390
    _shot(pg, tmp_path, "review6-add-plain-390.png")
    context.close()
    with Store.open(db_url) as store:
        one, two = store.get_fact(str(staff)), store.get_fact(str(shops))
        entry = store.audit(fact_id=str(shops))[0]
    at = CLINIC.index("12 of its staff")
    assert one.fact.span == (at, at + 2) and one.status == "added" and one.author == "ana"
    march = CLINIC.index("on 12 March")
    assert one.fact.field_spans.period == (march, march + len("on 12 March"))
    assert one.fact.date_start == date(2020, 3, 12) and one.fact.source is None
    nine = CLINIC.index("9 shops")
    assert two.fact.span == (nine, nine + 1) and two.fact.value == 9
    assert two.fact.date_start == date(2020, 3, 12) and two.fact.source == "Health workers"
    assert two.fact.places == ("Kafr Nabl",) and two.fact.field_spans.places
    assert entry.action == "add" and entry.new["framed_by"] == clinic["ids"][0]


def test_u_undoes_a_correction_and_an_added_figure_on_the_document_page(
    server, page, db_url, seeded, fact_ids, password, tmp_path
):
    """On a report's page: a correction saved, then u, shows the values it replaced
    again (text, list and editor); a figure added, then u, is rejected."""
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.set_viewport_size({"width": 1280, "height": 900})
    fid, doc = fact_ids[2150], seeded["doc_id"]
    _login(page, server, "ana", password, f"/documents/{doc}?fact={fid}")
    page.fill("input[name=value]", "1.2k")
    page.fill("input[name=places]", "Saraqib")
    page.press("input[name=places]", "Enter")  # Enter in a field saves (never verifies)
    page.wait_for_selector("#toast:has-text('Correction saved')")
    page.wait_for_selector(".editor #fact-status.st-corrected")
    assert page.input_value("input[name=value]") == "1200"
    page.keyboard.press("u")
    toast = page.wait_for_selector("#toast:has-text('Undone')").inner_text()
    assert "Undone: corrected 2,150 families displaced (value, places)." in toast
    page.wait_for_selector(".editor #fact-status.st-unreviewed")
    assert page.input_value("input[name=value]") == "2150"
    assert page.input_value("input[name=places]") == "Atmeh"
    item = page.locator(f'.factlist a[data-fact-id="{fid}"]')
    assert item.locator("strong").inner_text() == "2,150"
    assert "st-unreviewed" in (item.locator(".pill").get_attribute("class") or "")
    _shot(page, tmp_path, "review7-undo-correction-1280.png")
    with Store.open(db_url) as store:
        back = store.get_fact(fid)
    assert back.fact.value == 2150 and back.author is None
    assert [p.place_id for p in back.fact.resolved] == ["test:atmeh"]
    # another figure of the number 38 (other, not injured), added by selecting it; then u
    page.evaluate(
        """() => {
          const t = document.getElementById('doctext');
          const w = document.createTreeWalker(t, NodeFilter.SHOW_TEXT);
          for (let n = w.nextNode(); n; n = w.nextNode()) {
            if (n.data === '38') {  // the extracted figure's mark: the same number
              const r = document.createRange(); r.setStart(n, 0); r.setEnd(n, 2);
              const s = window.getSelection(); s.removeAllRanges(); s.addRange(r);
              t.dispatchEvent(new MouseEvent('mouseup', {bubbles: true})); return;
            }
          }
        }"""
    )
    page.click("button.add-offer")
    page.select_option("#addform select[name=unit]", "people")
    page.select_option("#addform select[name=category]", "other")
    page.click("#addform button[type=submit]")
    page.wait_for_selector(".editor #fact-status.st-added")
    added = page.get_attribute(".editor[data-fact-id]", "data-fact-id")
    page.keyboard.press("u")
    toast = page.wait_for_selector("#toast:has-text('Undone')").inner_text()
    assert "Undone: added 38 people other." in toast
    page.wait_for_selector(".editor #fact-status.st-rejected")
    with Store.open(db_url) as store:
        assert store.get_fact(str(added)).status == "rejected"
    assert not errors, errors


def test_u_on_the_queue_redraws_the_row_of_an_undone_correction(
    server, page, db_url, seeded, fact_ids, password
):
    """A correction saved on the document page, then u on the queue page: the row
    shows the figure as the undo left it (status, value, place, a version that
    verifies), not as the page was drawn."""
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    fid, doc = fact_ids[2150], seeded["doc_id"]
    _login(page, server, "ana", password, f"/documents/{doc}?fact={fid}")
    page.fill("input[name=value]", "2400")
    page.fill("input[name=places]", "Saraqib")
    page.press("input[name=places]", "Enter")
    page.wait_for_selector(".editor #fact-status.st-corrected")
    page.goto(f"{server}/queue?doc_id={quote(doc)}&status=any")
    row = page.locator(f'#bulk tr[data-fact-id="{fid}"]')
    assert "corrected" in row.locator(".pill").inner_text()
    assert "Saraqib" in row.locator("td.meta").inner_text()
    drawn = row.get_attribute("data-version")
    page.keyboard.press("u")
    page.wait_for_selector("#toast:has-text('Undone')")
    page.wait_for_selector(f'#bulk tr[data-fact-id="{fid}"] .pill.st-unreviewed')
    assert row.locator(".as-written strong").inner_text() == "2,150"
    assert "Atmeh" in row.locator("td.meta").inner_text()
    with Store.open(db_url) as store:
        now = store.get_fact(fid)
    assert now.fact.value == 2150 and str(now.version) != drawn
    assert row.get_attribute("data-version") == str(now.version)
    # the row's own verify uses the version the undo left: it is not refused as stale
    row.click(position={"x": 5, "y": 5})
    page.keyboard.press("v")
    page.wait_for_selector("#toast:has-text('Verified')")
    with Store.open(db_url) as store:
        assert store.get_fact(fid).status == "verified"
    assert not errors, errors


def test_enter_in_a_field_saves_without_javascript(
    server, page, db_url, seeded, fact_ids, password
):
    """The plain form: Enter in a field presses the form's first button, which saves the
    correction; it never verifies the figure."""
    context = page.context.browser.new_context(java_script_enabled=False)
    pg = context.new_page()
    pg.set_viewport_size({"width": 1280, "height": 900})
    fid, doc = fact_ids[2150], seeded["doc_id"]
    _login(pg, server, "ana", password, f"/documents/{doc}?fact={fid}")
    pg.fill("input[name=places]", "Saraqib")
    pg.press("input[name=places]", "Enter")
    pg.wait_for_load_state()
    with Store.open(db_url) as store:
        fact = store.get_fact(fid)
    assert fact.status == "corrected" and fact.fact.places == ("Saraqib",)
    box = pg.locator("button.enter-saves").bounding_box()
    assert box is not None and box["x"] < 0  # out of sight
    context.close()
