"""The team review desk in headless Chromium, as analysts work it: a filtered queue
(every row matches, counts right), five figures reviewed by keyboard in a row, a
stale edit refused naming the other analyst, self-verification refused, a figure
added by selecting its number, a place correction kept on the map and in the
export, the queue on a 390 px phone, a repeated upload warned and not counted twice.

Screenshots go to /tmp/crisisdesk-screens/ (desktop 1280 px and phone 390 px).
"""

# ruff: noqa: F811  (the browser fixtures come from test_browser)
from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any
from urllib.parse import quote

import httpx
import pytest

from crisisdesk.model import Category, Document, Unit
from crisisdesk.reconcile import reconcile_store
from crisisdesk.store import Store

from .conftest import fact_at
from .live import uploaded
from .test_browser import UPLOAD_JOB_MS, _shot, page, server  # noqa: F401  (fixtures)

# written for these tests; the figures are invented
SECOND = (
    "The district council in Sarmin reported on 5 February that 6 people were killed "
    "in the night raid and 21 were injured.\n\n"
    "Another 75 houses were damaged, the council added."
)


@pytest.fixture
def second_doc(db_url: str, seeded: dict[str, Any]) -> dict[str, Any]:
    """A second report (two figures, and one number nobody extracted: 75 houses)."""
    doc = Document.from_text(SECOND, title="Night raid in Sarmin", published=date(2020, 2, 6))
    clause = "6 people were killed in the night raid and 21 were injured"
    facts = [
        fact_at(SECOND, "6", clause, doc=doc.id, value=6, category=Category.KILLED,
                unit=Unit.PEOPLE, places=("Sarmin",), source="The district council"),
        fact_at(SECOND, "21", clause, doc=doc.id, value=21, category=Category.INJURED,
                unit=Unit.PEOPLE, places=("Sarmin",), source="The district council"),
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


@contextmanager
def _api(server: str, name: str, password: str) -> Iterator[tuple[httpx.Client, str]]:
    """An API client logged in as ``name``, and its CSRF token."""
    with httpx.Client(base_url=server) as client:
        csrf = client.post("/api/session", json={"name": name, "password": password}).json()
        yield client, csrf["csrf_token"]


def _statuses(server: str, password: str) -> dict[str, str]:
    with _api(server, "vic", password) as (client, _):
        items = client.get("/api/facts", params={"limit": 500}).json()["items"]
    return {f["id"]: f["status"] for f in items}


def test_filtered_queue_rows_match_and_counts_are_right(
    server, page, second_doc, password, tmp_path
):
    page.set_viewport_size({"width": 1280, "height": 900})
    _login(page, server, "ana", password, "/queue?category=killed&status=any")
    rows = page.locator("table.queue tbody tr[data-fact-id]")
    assert rows.count() == 2
    for i in range(rows.count()):
        assert "· killed" in rows.nth(i).locator(".what").inner_text()
    # the counts beside each choice are the rows that choice shows
    label = page.locator("select[name=category] option[value=injured]").inner_text()
    assert label.endswith("(2)")
    assert page.inner_text("#queue-total") == "2"
    page.select_option("select[name=category]", "injured")
    page.fill("input[name=source]", "district council")
    page.click("#filters button[type=submit]")
    page.wait_for_url(re.compile(r".*category=injured.*"))
    assert rows.count() == 1 and "21" in rows.first.locator(".as-written").inner_text()
    # the row quotes the text around its number and marks the number
    assert rows.first.locator("mark.num-in").inner_text() == "21"
    assert "Sarmin" in rows.first.locator(".meta").inner_text()
    # qualifier as written: "about 9,000"
    page.goto(f"{server}/queue?qualifier=approx")
    assert page.locator(".as-written").first.inner_text().startswith("about 9,000")
    _shot(page, tmp_path, "queue-1280.png")


def test_keyboard_review_of_five_figures(server, page, seeded, second_doc, password, tmp_path):
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.set_viewport_size({"width": 1280, "height": 900})
    _login(page, server, "ana", password, "/queue")
    assert page.locator("table.queue tbody tr[data-fact-id]").count() == 6
    first = page.get_attribute("table.queue tbody tr.current", "data-fact-id")
    page.keyboard.press("Enter")  # 1: open the figure with its evidence
    page.wait_for_selector(f'.editor[data-fact-id="{first}"]')
    seen = [first]
    for _ in range(5):
        page.keyboard.press("v")  # 2: verify; the next figure of the queue opens
        page.wait_for_function(
            "id => { const e = document.querySelector('.editor[data-fact-id]');"
            " return e && e.dataset.factId !== id; }",
            arg=seen[-1],
        )
        page.wait_for_selector(".editor[data-fact-id]")
        seen.append(page.get_attribute(".editor[data-fact-id]", "data-fact-id"))
        # the document shows the figure's number: scrolled into the text's view
        inside = page.evaluate(
            "() => { const m = document.querySelector('mark.fig.selected');"
            " const t = document.getElementById('doctext').getBoundingClientRect();"
            " if (!m) return false; const r = m.getBoundingClientRect();"
            " return r.top >= t.top && r.bottom <= t.bottom; }"
        )
        assert inside
    statuses = _statuses(server, password)
    assert [statuses[i] for i in seen[:5]] == ["verified"] * 5
    assert statuses[seen[5]] == "unreviewed"
    assert len(set(seen)) == 6  # crossed from one document to the next on the way
    # u puts the last one back
    page.keyboard.press("u")
    page.wait_for_selector("#toast:has-text('Undone')")
    assert _statuses(server, password)[seen[4]] == "unreviewed"
    page.keyboard.press("?")
    assert page.locator("dialog#keys[open]").count() == 1
    _shot(page, tmp_path, "document-keys-1280.png")
    assert not errors, errors


def test_self_verification_refused_and_stale_edit_names_the_analyst(
    server, page, seeded, fact_ids, password
):
    fid, doc = fact_ids[2150], seeded["doc_id"]
    page.set_viewport_size({"width": 1280, "height": 900})
    _login(page, server, "ana", password, f"/documents/{doc}?fact={fid}")
    page.fill("input[name=value]", "1.2k")
    page.click("button.primary[value=save]")
    page.wait_for_selector(f'.editor[data-fact-id="{fid}"] #fact-status.st-corrected')
    assert page.input_value("input[name=value]") == "1200"
    page.click("button[value=verify]")
    error = page.wait_for_selector("#editor p.error")
    assert "someone else must verify" in error.inner_text()
    assert _statuses(server, password)[fid] == "corrected"

    # ada changes the figure while ana's form is open at version 2
    with _api(server, "ada", password) as (client, csrf):
        done = client.patch(
            f"/api/facts/{fid}",
            json={"subject": "families who fled"},
            headers={"X-CSRF-Token": csrf, "If-Match": '"2"'},
        )
        assert done.status_code == 200
    page.fill("input[name=value]", "1300")
    page.click("button.primary[value=save]")
    box = page.wait_for_selector(".conflict")
    assert "was changed by ada" in box.inner_text()


def test_add_a_missed_figure_and_correct_a_place(
    server, page, db_url, seeded, second_doc, fact_ids, password, tmp_path
):
    doc = second_doc["doc_id"]
    page.set_viewport_size({"width": 1280, "height": 900})
    _login(page, server, "ana", password, f"/documents/{doc}")
    # select the words "75 houses" in the text, as a reader would with the mouse
    page.evaluate(
        """() => {
          const t = document.getElementById('doctext');
          const w = document.createTreeWalker(t, NodeFilter.SHOW_TEXT);
          for (let n = w.nextNode(); n; n = w.nextNode()) {
            const at = n.data.indexOf('75 houses');
            if (at >= 0) {
              const r = document.createRange(); r.setStart(n, at); r.setEnd(n, at + 9);
              const s = window.getSelection(); s.removeAllRanges(); s.addRange(r);
              t.dispatchEvent(new MouseEvent('mouseup', {bubbles: true})); return;
            }
          }
        }"""
    )
    page.click("button.add-offer")
    assert page.input_value("#addform input[name=value]") == "75"
    page.select_option("#addform select[name=unit]", "facilities")
    page.select_option("#addform select[name=category]", "facilities_damaged")
    page.fill("#addform input[name=places]", "Sarmin")
    page.click("#addform button[type=submit]")
    page.wait_for_selector(".editor #fact-status.st-added")
    new_id = page.get_attribute(".editor[data-fact-id]", "data-fact-id")
    with Store.open(db_url) as store:
        added = store.get_fact(new_id)
    at = SECOND.index("75 houses")
    assert added.fact.span == (at, at + 2) and added.fact.value == 75
    assert added.status == "added" and added.author == "ana"
    assert added.fact.quote in SECOND and SECOND.index(added.fact.quote) == added.fact.quote_start
    _shot(page, tmp_path, "add-figure-1280.png")

    # a place correction resolves at once: on the map and in the export, with codes
    fid = fact_ids[14]
    page.goto(f"{server}/documents/{seeded['doc_id']}?fact={fid}")
    page.fill("input[name=places]", "Saraqib")
    page.click("button.primary[value=save]")
    page.wait_for_selector(".places-resolved li[data-place-id]:not([data-place-id=''])")
    assert "Idlib" in page.inner_text(".places-resolved")
    with Store.open(db_url) as store:  # the dashboard reads what reconcile stores
        reconcile_store(store)
    page.goto(f"{server}/")
    point = page.locator("svg.map a", has=page.locator("title", has_text="Saraqib"))
    assert point.count() >= 1
    # the point and the headline link to the facts behind them
    page.goto(server + point.first.get_attribute("href"))
    assert fid in [
        page.locator("table.queue tbody tr").nth(i).get_attribute("data-fact-id")
        for i in range(page.locator("table.queue tbody tr").count())
    ]
    page.goto(f"{server}/")
    page.click(".stat-link:has-text('People killed')")
    assert page.locator("table.queue tbody tr[data-fact-id]").count() >= 1
    assert all("killed" in t for t in page.locator("table.queue .what").all_inner_texts())
    with _api(server, "vic", password) as (client, _):
        body = client.get("/api/exports/csv").content.decode("utf-8-sig")
        rows = list(csv.DictReader(io.StringIO(body)))
    row = next(r for r in rows if r["fact_id"] == fid)
    assert row["places"] == "Saraqib" and row["admin1_code"] and row["lat"]


def test_queue_on_a_phone(server, page, second_doc, password, tmp_path):
    page.set_viewport_size({"width": 390, "height": 844})
    _login(page, server, "ana", password, "/queue?category=killed")
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 390, width
    # the filters folded under what they hold, so the first rows are on the first screen
    assert page.locator("#filter-box[open]").count() == 0
    assert page.inner_text("#filters-on") == "to review · killed"
    first = page.locator("table.queue tbody tr[data-fact-id]").first.bounding_box()
    assert first and first["y"] < 844
    page.keyboard.press("/")  # search opens them
    assert page.locator("#filter-box[open]").count() == 1
    assert page.evaluate("() => document.activeElement.id") == "search"
    page.goto(f"{server}/queue")
    boxes = page.evaluate(
        "() => Array.from(document.querySelectorAll('main button, main a.open, .pager a'))"
        ".filter(b => b.offsetParent).map(b => { const r = b.getBoundingClientRect();"
        " return [b.textContent.trim().slice(0, 20), r.left, r.right, r.height]; })"
    )
    assert boxes
    for label, left, right, _height in boxes:
        assert left >= 0 and right <= 390, (label, left, right)
    for label, _, _, height in boxes:
        if label in ("✓", "✕", "Filter", "Verify selected", "Reject selected"):
            assert height >= 44, (label, height)
    _shot(page, tmp_path, "queue-390.png")
    page.goto(f"{server}/documents/{second_doc['doc_id']}?fact={second_doc['ids'][0]}")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    _shot(page, tmp_path, "document-390.png")
    page.goto(f"{server}/")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    _shot(page, tmp_path, "dashboard-390.png")


def test_repeated_upload_is_warned_and_not_counted_twice(server, page, password, tmp_path):
    weasyprint = pytest.importorskip("weasyprint")
    text = (
        "Displacement update for the northern camps. The camp committee in Atmeh said "
        "on 9 February that 1,340 families had arrived during the past week, most of "
        "them from the countryside south of the town. The committee said another 260 "
        "families were sheltering in schools and mosques, and that water trucking had "
        "been doubled. Local volunteers said 4 people died in the cold on the road."
    )
    first = tmp_path / "update.txt"
    first.write_text(text, encoding="utf-8")
    # the same report typeset as a narrow PDF: other line breaks, hyphens, a header
    html = (
        "<html><head><style>@page { size: 90mm 140mm; margin: 10mm; @top-center "
        "{ content: 'Northern camps update'; font-size: 7pt } } body { font-size: 9pt; "
        f"hyphens: auto }}</style></head><body lang='en'><p>{text}</p></body></html>"
    )
    pdf = tmp_path / "update.pdf"
    pdf.write_bytes(weasyprint.HTML(string=html).write_pdf())

    page.set_viewport_size({"width": 1280, "height": 900})
    _login(page, server, "ana", password, "/documents")
    page.set_input_files("input[type=file]", str(first))
    page.click("text=Upload and extract")
    page.wait_for_url(f"{server}/documents/*", timeout=UPLOAD_JOB_MS)
    before = _statuses(server, password)
    assert before
    page.goto(f"{server}/documents")
    page.set_input_files("input[type=file]", str(pdf))
    page.click("text=Upload and extract")
    page.wait_for_url(f"{server}/documents/*", timeout=UPLOAD_JOB_MS)
    notice = page.inner_text(".notice.duplicate")
    assert "repeats" in notice and "not twice" in notice
    assert _statuses(server, password) == before  # no figure counted again
    _shot(page, tmp_path, "duplicate-1280.png")
    # the original names its repeat; both are listed
    page.click(".notice.duplicate a")
    assert "Repeated by" in page.inner_text(".notice.duplicate")
    # the API names it too (the text again, with other line breaks), and counts it
    # only when told
    rewrapped = text.replace(". ", ".\n").replace(" of ", "\nof ").encode()
    with _api(server, "ana", password) as (client, csrf):
        again = uploaded(client, csrf, "again.txt", rewrapped)["result"]
        assert again["duplicate_of"] and "warning" in again
        assert _statuses(server, password) == before
        told = uploaded(
            client, csrf, "told.txt", rewrapped + b"\n\nEnd of update.", {"allow_duplicate": "true"}
        )["result"]
        assert told["duplicate_of"] and len(_statuses(server, password)) > len(before)
