"""Verified-only totals and figures are never reconciled inside a request: the first
ask is ``pending``, one background thread counts the verified reports, and later asks
get that answer; a review made since marks it ``stale`` (with ``as_of``) until the
background has counted again. Concurrent asks for one question cost one count.
SQLite and PostgreSQL."""

from __future__ import annotations

import threading
from datetime import date
from typing import Any

import pytest
from fastapi.testclient import TestClient

from crisisdesk.model import Document
from crisisdesk.pipeline import Pipeline
from crisisdesk.reconcile import total
from crisisdesk.store import Store
from crisisdesk.web import create_app
from crisisdesk.web.auth import hash_password

from .conftest import PASSWORD, REPORT, TEST_KEY, report_facts

KILLED = {"category": "killed", "unit": "people", "verified_only": "true"}


@pytest.fixture
def desk(store_url: str) -> Any:
    with Store.open(store_url) as store:
        doc = Document.from_text(REPORT, title="Report", published=date(2020, 2, 4))
        store.add_document(doc, report_facts(doc.id))
        store.add_user("ana", "analyst", hash_password(PASSWORD), by="test")
        by_value = {sf.fact.value: sf for sf in store.iter_facts()}
    app = create_app(store_url, secret_key=TEST_KEY, pipeline=Pipeline([]), self_verify=True)
    with TestClient(app) as client:
        resp = client.post("/api/session", json={"name": "ana", "password": PASSWORD})
        client.headers["X-CSRF-Token"] = resp.json()["csrf_token"]
        yield app, client, by_value


def _verify(client: TestClient, sf: Any) -> None:
    resp = client.post(f"/api/facts/{sf.id}/verify", json={"version": sf.version})
    assert resp.status_code == 200, resp.text


def test_verified_totals_are_counted_in_the_background(desk):
    app, client, by_value = desk
    store: Store = app.state.store
    jobs = app.state.answers
    _verify(client, by_value[14])
    first = client.get("/api/totals", params=KILLED).json()
    assert first["pending"] is True and first["best"] is None and first["verified_only"]
    assert jobs.wait(60) and jobs.computed == 1
    counted = client.get("/api/totals", params=KILLED).json()
    direct = total(store, category="killed", unit="people", verified_only=True)
    assert counted["pending"] is False and counted["stale"] is False
    assert counted["best"] == direct.best == 14 and counted["as_of"]
    # a review since: the last answer, marked stale, until the background counts again
    corrected = client.patch(
        f"/api/facts/{by_value[14].id}", json={"value": 16}, headers={"If-Match": '"2"'}
    )
    assert corrected.status_code == 200, corrected.text
    with jobs.paused():  # the background is behind: the request cannot count it itself
        stale = client.get("/api/totals", params=KILLED).json()
    assert stale["stale"] is True and stale["best"] == 14 and stale["as_of"] == counted["as_of"]
    assert any("in the background" in note for note in stale["notes"])
    assert jobs.wait(60)
    _verify(client, store.get_fact(by_value[14].id))
    client.get("/api/totals", params=KILLED)
    assert jobs.wait(60)
    after = client.get("/api/totals", params=KILLED).json()
    assert after["stale"] is False and after["best"] == 16 and after["as_of"] > counted["as_of"]


def test_many_asks_cost_one_count_and_figures_are_paged(desk):
    app, client, by_value = desk
    jobs = app.state.answers
    _verify(client, by_value[38])
    barrier = threading.Barrier(20)
    seen: list[dict[str, Any]] = []

    def ask() -> None:
        barrier.wait()
        answer = client.get("/api/totals", params={"category": "injured", "verified_only": True})
        seen.append(answer.json())

    threads = [threading.Thread(target=ask) for _ in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert jobs.wait(60)
    assert len(seen) == 20 and all(s["ok"] for s in seen)
    assert jobs.computed == 1  # twenty asks, one count
    injured = client.get("/api/totals", params={"category": "injured", "verified_only": True})
    assert injured.json()["best"] == 38
    listed = client.get("/api/figures", params={"verified_only": True}).json()
    assert listed["pending"] is True
    assert jobs.wait(60)
    listed = client.get("/api/figures", params={"verified_only": True}).json()
    assert listed["pending"] is False and listed["stale"] is False
    assert [f["best"] for f in listed["items"]] == [38] and listed["total"] == 1
