"""Totals are answered from the stored figures, stale or not, and never reconciled
inside a request: a stale set is marked (``stale``, ``as_of``) and one background
reconcile brings it up to date, however many requests ask at once. On SQLite and
PostgreSQL (the background run is a real child process; its claim is real too)."""

from __future__ import annotations

import threading
import time
from datetime import date
from typing import Any

import pytest
from fastapi.testclient import TestClient

from crisisdesk.model import Category, Document, Fact, Unit
from crisisdesk.pipeline import Pipeline
from crisisdesk.reconcile import reconcile_store
from crisisdesk.store import Store
from crisisdesk.web import create_app
from crisisdesk.web.auth import hash_password

from .conftest import MAARAT, PASSWORD, REPORT, TEST_KEY, report_facts

KILLED = {"category": "killed", "unit": "people"}
# written for this test; the figure is invented
LATER = "Medics in Maarat al-Numan said on 9 February that 6 civilians were killed by a strike."


def _later_report(store: Store) -> None:
    """A second document whose figure changes the killed total (14 -> 20)."""
    doc = Document.from_text(LATER, title="Later", published=date(2020, 2, 10))
    start = LATER.index("6 civilians")
    clause = LATER[LATER.index("6 civilians") : LATER.index(" by a")]
    fact = Fact(
        doc=doc.id, quote=clause, quote_start=start, span=(start, start + 1), value=6,
        category=Category.KILLED, unit=Unit.PEOPLE, subject="civilians",
        places=("Maarat al-Numan",), resolved=(MAARAT,),
        date_start=date(2020, 2, 9), date_end=date(2020, 2, 9),
    )  # fmt: skip
    store.add_document(doc, [fact])


def _runs(store: Store) -> int:
    from sqlalchemy import func, select

    from crisisdesk.store import schema

    with store.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(schema.reconcile_runs)).scalar())


@pytest.fixture
def desk(store_url: str) -> Any:
    with Store.open(store_url) as store:
        doc = Document.from_text(REPORT, title="Report", published=date(2020, 2, 4))
        store.add_document(doc, report_facts(doc.id))
        store.add_user("vic", "viewer", hash_password(PASSWORD), by="test")
        reconcile_store(store)
    app = create_app(store_url, secret_key=TEST_KEY, pipeline=Pipeline([]))
    with TestClient(app) as client:
        assert client.post("/api/session", json={"name": "vic", "password": PASSWORD}).is_success
        yield app, client


def test_a_stale_store_is_answered_from_its_stored_figures(desk):
    app, client = desk
    store: Store = app.state.store
    fresh = client.get("/api/totals", params=KILLED).json()
    assert fresh["best"] == 14 and fresh["stale"] is False and fresh["from_stored_figures"]
    runs = _runs(store)
    _later_report(store)
    # while another process holds the store's reconcile claim, nothing can reconcile:
    # the answer can only come from the figures stored before the new report
    with store.refresh_claim() as held:
        assert held
        stale = client.get("/api/totals", params=KILLED).json()
        assert app.state.refresher.wait(60)  # the background run found the claim taken
    assert stale["stale"] is True and stale["best"] == 14  # not 20: nothing reconciled
    assert stale["as_of"] == fresh["as_of"] and stale["refreshing"] is True
    assert any("last reconcile" in note for note in stale["notes"])
    assert _runs(store) == runs  # the request wrote no figures
    app.state.refresher.min_interval = 0.0
    client.get("/api/totals", params=KILLED)  # asks again, and this time the claim is free
    assert app.state.refresher.wait(60)
    after = client.get("/api/totals", params=KILLED).json()
    assert after["stale"] is False and after["best"] == 20 and after["as_of"] > fresh["as_of"]
    assert client.get("/api/figures/status").json()["state"] == "fresh"


def test_many_requests_for_stale_figures_start_one_run(desk):
    app, client = desk
    store: Store = app.state.store
    _later_report(store)
    runs = _runs(store)
    answers: list[dict[str, Any]] = []
    lock = threading.Lock()
    barrier = threading.Barrier(30)

    def ask() -> None:
        barrier.wait()
        answer = client.get("/api/totals", params=KILLED).json()
        with lock:
            answers.append(answer)

    started = time.monotonic()
    threads = [threading.Thread(target=ask) for _ in range(30)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert app.state.refresher.wait(60)
    assert len(answers) == 30 and all(a["best"] in (14, 20) for a in answers)
    # one background run (and at most one more for asks that came while it ran,
    # held back by the refresher's interval), never one per request
    assert 1 <= app.state.refresher.runs <= 2 and _runs(store) - runs <= 2
    assert time.monotonic() - started < 120
    assert client.get("/api/totals", params=KILLED).json()["best"] == 20


def test_the_dashboard_reads_the_headline_totals_its_reconcile_kept(desk):
    """The run computes the headlines once its figures are stored; the dashboard's
    first view reads them (two one-row reads) instead of eight ``total`` questions."""
    from crisisdesk.reconcile.headlines import headline_totals
    from crisisdesk.reconcile.incremental import reconcile_changed
    from crisisdesk.store import schema

    app, client = desk
    store: Store = app.state.store
    kept = store.saved_headlines()
    assert kept is not None and kept["all"] == headline_totals(store)
    killed = next(h for h in kept["all"] if h["label"] == "People killed")
    assert killed["value"] == 14 and killed["figures"] >= 1
    assert kept["verified"] == headline_totals(store, verified_only=True)
    # what the dashboard shows is what was kept: a kept value no question would
    # answer (the store did not move, so it is still current) is shown as it is
    marked = {**kept, "all": [{**h, "value": 4321} if h is killed else h for h in kept["all"]]}
    assert store.save_headlines(kept["version"], marked)
    page = client.get("/")
    assert page.status_code == 200
    assert '<div class="value">4,321</div>' in page.text
    assert '<div class="value">14</div>' not in page.text
    # a change makes them out of date: not read, and the next run keeps new ones
    _later_report(store)
    assert store.saved_headlines() is None
    reconcile_changed(store)
    again = store.saved_headlines()
    assert again is not None and again["version"] == store.version()
    assert next(h for h in again["all"] if h["label"] == "People killed")["value"] == 20
    with store.engine.connect() as conn:
        rows = conn.execute(schema.reconcile_runs.select()).all()
    assert rows[-1].headlines is not None
