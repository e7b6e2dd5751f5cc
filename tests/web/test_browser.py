"""End to end in headless Chromium: log in, upload a report, verify one figure,
correct another, and find both in the dashboard and the downloaded report.

The server runs in a thread on 127.0.0.1 against a real SQLite file. The
screenshots of the review page and the dashboard are kept under the test's
tmp folder and copied to /tmp/crisisdesk-screens/ for a person to look at.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from crisisdesk.web import create_app

# An upload is extracted by a worker process and its page then opens the document; on a
# machine busy with other work that can take longer than the default 15 s wait.
UPLOAD_JOB_MS = 120_000

TEST_KEY = "a-test-key-of-forty-bytes-0123456789abcd"

CHROMIUM = Path("/usr/bin/chromium")
SCREENS = Path("/tmp/crisisdesk-screens")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

if not CHROMIUM.exists():
    if os.environ.get("CI"):  # .ci/run installs it: missing there is a failure
        raise RuntimeError("CI must run the browser test: no Chromium at /usr/bin/chromium")
    pytest.skip("no Chromium at /usr/bin/chromium", allow_module_level=True)
playwright_sync = pytest.importorskip("playwright.sync_api")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def server(db_url: str, seeded: dict[str, Any]) -> Iterator[str]:
    import uvicorn

    app = create_app(db_url, secret_key=TEST_KEY)
    port = _free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    for _ in range(200):
        if srv.started:
            break
        time.sleep(0.05)
    assert srv.started, "the server did not start"
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=10)


@pytest.fixture
def page(tmp_path: Path) -> Iterator[Any]:
    with playwright_sync.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        context = browser.new_context(
            viewport={"width": 1440, "height": 1000}, accept_downloads=True
        )
        pg = context.new_page()
        pg.set_default_timeout(15000)
        yield pg
        context.close()
        browser.close()


def _shot(pg: Any, tmp_path: Path, name: str) -> Path:
    path = tmp_path / name
    pg.screenshot(path=str(path), full_page=True)
    SCREENS.mkdir(parents=True, exist_ok=True)
    shutil.copy(path, SCREENS / name)
    return path


def test_review_in_the_browser(server, page, seeded, fact_ids, password, report_text, tmp_path):
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))

    # log in
    page.goto(f"{server}/queue")
    page.fill("input[name=name]", "ana")
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{server}/queue")
    assert page.locator("table.queue tbody tr").count() == 4

    # upload a report of our own (with a script tag that must not run)
    upload = tmp_path / "upload.txt"
    upload.write_text(report_text.replace("Maarat al-Numan", "Saraqib"), encoding="utf-8")
    page.goto(f"{server}/documents")
    page.set_input_files("input[type=file]", str(upload))
    page.click("text=Upload and extract")
    page.wait_for_url(f"{server}/documents/*", timeout=UPLOAD_JOB_MS)
    assert "<script>alert('owned')</script>" in page.inner_text("#doctext")
    assert page.locator("mark.fig").count() > 0  # the real extractor found figures

    # review the figures of the seeded report: verify 38 injured, correct 14 killed to 17
    page.goto(f"{server}/documents/{seeded['doc_id']}")
    page.click(f'mark[data-fact-id="{fact_ids[38]}"] a')
    page.wait_for_selector(f'.editor[data-fact-id="{fact_ids[38]}"]')
    page.click("button[value=verify]")
    # verified, and the next figure of the document opens
    page.wait_for_selector(f'mark.st-verified[data-fact-id="{fact_ids[38]}"]')
    page.wait_for_selector(f'.editor:not([data-fact-id="{fact_ids[38]}"])')

    page.click(f'mark[data-fact-id="{fact_ids[14]}"] a')
    page.wait_for_selector(f'.editor[data-fact-id="{fact_ids[14]}"]')
    # why the figure means what it says: the words its period, source and place came from
    underlined = {
        cls.split("ev-")[1]: page.locator(f"#doctext span.ev.{cls}").inner_text()
        for cls in ("ev-period", "ev-source", "ev-place")
    }
    assert underlined == {
        "period": "3 February",
        "source": "Relief volunteers",
        "place": "Maarat al-Numan",
    }
    assert "read from “3 February”" in page.inner_text(".readfrom")
    page.fill("input[name=value]", "17")
    page.fill("input[name=note]", "the later bulletin says 17")
    page.click("button.primary[value=save]")
    page.wait_for_selector(f'.editor[data-fact-id="{fact_ids[14]}"] #fact-status.st-corrected')
    history = page.inner_text(".history")
    assert "ana" in history and "update" in history and "17" in history
    _shot(page, tmp_path, "review.png")

    # a second analyst verifies the correction (its author may not)
    with httpx.Client(base_url=server) as ada:
        csrf = ada.post("/api/session", json={"name": "ada", "password": password}).json()
        done = ada.post(
            f"/api/facts/{fact_ids[14]}/verify",
            headers={"X-CSRF-Token": csrf["csrf_token"], "If-Match": '"2"'},
        )
        assert done.status_code == 200, done.text

    # the dashboard, verified figures only, counts both
    page.goto(f"{server}/?verified_only=true")
    cards = {
        page.locator(".stat .label").nth(i).inner_text().strip().lower(): page.locator(
            ".stat .value"
        )
        .nth(i)
        .inner_text()
        .strip()
        for i in range(page.locator(".stat").count())
    }
    assert cards["people killed"] == "17", cards
    assert cards["people injured"] == "38", cards
    assert "verified 2" in page.inner_text(".review-stat")
    _shot(page, tmp_path, "dashboard.png")

    # the downloaded report says it holds verified figures only, and has both
    with page.expect_download() as info:
        page.click("text=Situation report (HTML)")
    report = Path(info.value.path()).read_text(encoding="utf-8")
    assert "verified figures only" in report
    assert ">17<" in report.replace(" ", "") or "17 " in report
    assert "38" in report

    assert not dialogs, f"a script from the document ran: {dialogs}"
    assert not errors, errors


def _login_page(pg: Any, server: str, name: str, password: str) -> None:
    pg.goto(f"{server}/login")
    pg.fill("input[name=name]", name)
    pg.fill("input[name=password]", password)
    pg.click("button[type=submit]")
    pg.wait_for_url(f"{server}/")


def test_conflict_is_shown_and_can_be_reapplied(server, page, seeded, fact_ids, password, tmp_path):
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    other = page.context.browser.new_context(viewport={"width": 1440, "height": 1000})
    second = other.new_page()
    fid, doc = fact_ids[14], seeded["doc_id"]
    try:
        _login_page(page, server, "ana", password)
        _login_page(second, server, "ada", password)
        for pg in (page, second):  # both open the figure at version 1
            pg.goto(f"{server}/documents/{doc}?fact={fid}#editor")
            pg.wait_for_selector(f'.editor[data-fact-id="{fid}"]')
        page.fill("input[name=value]", "15")
        page.click("button.primary[value=save]")
        page.wait_for_selector(f'.editor[data-fact-id="{fid}"] #fact-status.st-corrected')

        second.fill("input[name=subject]", "people")  # only this field changed
        second.click("button.primary[value=save]")
        box = second.wait_for_selector(".conflict")
        text = box.inner_text()
        assert "was changed by ana" in text and "subject" in text and "value:" not in text
        _shot(second, tmp_path, "conflict.png")
        second.click("text=Reapply my changes")
        second.wait_for_selector(f'.editor[data-fact-id="{fid}"][data-version="3"]')
        history = second.inner_text(".history")
        assert "ana" in history and "ada" in history
        # both changes kept: ana's value, ada's subject
        assert second.input_value("input[name=value]") == "15"
        assert second.input_value("input[name=subject]") == "people"
    finally:
        other.close()
    assert not errors, errors


def test_api_docs_and_users_page_render_offline(server, page, password, tmp_path):
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    refused: list[str] = []
    page.on("console", lambda m: refused.append(m.text) if "Content Security" in m.text else None)
    outside: list[str] = []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(server) else None)
    page.goto(f"{server}/api/docs")
    page.wait_for_selector(".swagger-ui .info .title")
    assert "crisisdesk review desk" in page.inner_text(".swagger-ui .info .title")
    assert page.locator(".opblock").count() >= 15
    _shot(page, tmp_path, "api-docs.png")
    page.goto(f"{server}/api/redoc")
    page.wait_for_selector("h1")
    _login_page(page, server, "ada", password)
    page.goto(f"{server}/users")
    assert page.locator("button:has-text('Reset password')").count() == 3
    page.select_option("select[aria-label='Role of vic']", "analyst")
    page.click("tr:has-text('vic') button:has-text('Set role')")
    page.wait_for_selector("p.done")
    assert "vic is now analyst" in page.inner_text("p.done")
    _shot(page, tmp_path, "users.png")
    # nothing fetched from a CDN; ReDoc's "powered by" logo alone points at one, and
    # the CSP (img-src 'self') keeps it from loading; its search worker is a blob:
    fetched = [u for u in outside if not u.startswith("blob:") and "redoc/logo-mini" not in u]
    assert not fetched, fetched
    assert not [m for m in refused if "redoc/logo-mini" not in m], refused
    assert not errors, errors
