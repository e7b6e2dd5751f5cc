"""An Arabic report on the review page, in headless Chromium: each paragraph takes its own
direction (dir="auto"), the quote in the editor reads right to left, and Chromium draws the
Arabic with the Arabic font of the stylesheet (asked through the DevTools protocol, which
reports the fonts a node's text was really drawn with), so the letters are joined and shaped.

The screenshot is copied to /tmp/crisisdesk-screens/review-arabic.png for a person to look at.
"""

from __future__ import annotations

import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from arabic_fixture import fill_arabic
from crisisdesk.pipeline import Pipeline
from crisisdesk.store import Store
from crisisdesk.web import create_app
from crisisdesk.web.auth import hash_password

from .conftest import PASSWORD, TEST_KEY
from .test_browser import ARGS, CHROMIUM, SCREENS, _free_port, playwright_sync


@pytest.fixture
def arabic_desk(tmp_path: Path) -> Iterator[dict[str, Any]]:
    url = f"sqlite:///{tmp_path / 'ar.sqlite'}"
    with Store.open(url) as store:
        doc, _ = fill_arabic(store)
        store.add_user("ana", "analyst", hash_password(PASSWORD), by="test")
        ids = {sf.fact.value or sf.fact.value_text: sf.id for sf in store.iter_facts()}
    import uvicorn

    app = create_app(url, secret_key=TEST_KEY, pipeline=Pipeline([]))
    port = _free_port()
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    for _ in range(200):
        if srv.started:
            break
        time.sleep(0.05)
    assert srv.started, "the server did not start"
    yield {"url": f"http://127.0.0.1:{port}", "doc": doc, "ids": ids}
    srv.should_exit = True
    thread.join(timeout=10)


def _fonts(page: Any, selector: str) -> set[str]:
    """Families Chromium drew the text of ``selector`` with (CSS.getPlatformFontsForNode)."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument", {"depth": -1})["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    return {f["familyName"] for f in fonts if f["glyphCount"]}


def test_arabic_report_reads_right_to_left(arabic_desk, tmp_path: Path) -> None:
    base, doc, ids = arabic_desk["url"], arabic_desk["doc"], arabic_desk["ids"]
    with playwright_sync.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        page = browser.new_page(viewport={"width": 1440, "height": 900})
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(f"{base}/login")
        page.fill("input[name=name]", "ana")
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.goto(f"{base}/documents/{doc.id}?fact={ids[12]}#editor")
        page.wait_for_selector(f'.editor[data-fact-id="{ids[12]}"]')

        # every character of the text is on the page, in order: offsets still hold
        assert page.eval_on_selector("#doctext", "e => e.textContent") == doc.text
        paras = page.eval_on_selector_all(
            "#doctext .para",
            "els => els.map(e => [e.getAttribute('dir'), getComputedStyle(e).direction])",
        )
        assert paras == [["auto", "rtl"], ["auto", "rtl"], ["auto", "ltr"]]
        assert page.eval_on_selector(".editor .quote", "e => getComputedStyle(e).direction") == (
            "rtl"
        )
        assert page.inner_text(".editor .quote") == "12 مدنياً قُتلوا"
        # the queue's quote and the title too
        title_dir = page.eval_on_selector("h1", "e => getComputedStyle(e).direction")
        assert title_dir == "rtl"

        # drawn with the Arabic fonts of the stylesheet (fonts-noto-core)
        assert "Noto Naskh Arabic" in _fonts(page, "#doctext .para")
        assert "Noto Naskh Arabic" in _fonts(page, ".editor .quote")

        path = tmp_path / "review-arabic.png"
        page.screenshot(path=str(path), full_page=True)
        SCREENS.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, SCREENS / path.name)

        page.goto(f"{base}/queue")
        queue_dir = page.eval_on_selector(
            "td.excerpt[dir=auto]", "e => getComputedStyle(e).direction"
        )
        assert queue_dir == "rtl"
        page.screenshot(path=str(tmp_path / "queue-arabic.png"), full_page=True)
        shutil.copy(tmp_path / "queue-arabic.png", SCREENS / "queue-arabic.png")
        browser.close()
    assert not errors, errors
