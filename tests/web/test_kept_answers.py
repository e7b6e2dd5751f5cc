"""Read answers kept per store version (``web/cache.py``): asked again, they are not
computed again; after a change to a fact, made by this server or by another one on
the same store, every kept answer gives way to the new one."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from fastapi.testclient import TestClient

from crisisdesk.pipeline import Pipeline
from crisisdesk.reconcile import reconcile_store
from crisisdesk.store import Store
from crisisdesk.web import create_app, dashboard
from crisisdesk.web.cache import Kept
from crisisdesk.web.errors import Unavailable
from crisisdesk.web.limits import HeavyGate

from .conftest import TEST_KEY, _login

QUEUE = "/api/facts?oldest_first=true&limit=50"  # a change makes the fact corrected


def test_kept_is_bounded_by_count_and_by_bytes() -> None:
    kept = Kept(size=3, max_bytes=10)
    for i in range(5):
        kept.put(("n", i), i + 1)
    assert len(kept) == 3 and kept.get(("n", 0)) is None and kept.get(("n", 4)) == 5
    kept.put("a", b"123456")
    kept.put("b", (2, b"123456"))  # a file with its row count: its bytes count
    assert kept.get("a") is None and kept.get("b") == (2, b"123456")
    kept.put("huge", b"x" * 11)  # larger than the whole budget: not kept
    assert kept.get("huge") is None and kept.get("b") is not None
    calls: list[int] = []
    assert kept.fetch("f", lambda: calls.append(1) or "v") == "v"
    assert kept.fetch("f", lambda: calls.append(1) or "w") == "v" and calls == [1]


def _edit(client: TestClient, fact_id: str, **fields: Any) -> None:
    tag = client.get(f"/api/facts/{fact_id}").headers["etag"]
    resp = client.patch(f"/api/facts/{fact_id}", json=fields, headers={"If-Match": tag})
    assert resp.status_code == 200, resp.text


def test_kept_answers_give_way_to_a_change_made_by_another_server(
    db_url: str, seeded: dict[str, Any], fact_ids: dict[int, str]
) -> None:
    with Store.open(db_url) as store:
        reconcile_store(store)
    here = create_app(db_url, secret_key=TEST_KEY, pipeline=Pipeline([]))
    there = create_app(db_url, secret_key=TEST_KEY, pipeline=Pipeline([]))  # another process
    with TestClient(here) as a, TestClient(there) as b:
        _login(a, "vic")
        b.headers["X-CSRF-Token"] = _login(b, "ana")
        killed = fact_ids[14]
        reads = {
            "queue": lambda: {f["id"]: f["subject"] for f in a.get(QUEUE).json()["items"]}[killed],
            "page": lambda: "rescuers" in a.get("/queue").text,
            "export": lambda: "rescuers" in a.get("/api/exports/csv").text,
            "totals": lambda: a.get("/api/totals?category=killed&unit=people").json()["stale"],
        }
        before = {name: read() for name, read in reads.items()}
        files: Kept = here.state.files
        hits = files.hits
        assert {name: read() for name, read in reads.items()} == before
        assert files.hits >= hits + 3  # asked again: kept, not computed again
        assert before == {"queue": "civilians", "page": False, "export": False, "totals": False}

        _edit(b, killed, subject="rescuers")  # through the other server

        after = {name: read() for name, read in reads.items()}
        assert after == {"queue": "rescuers", "page": True, "export": True, "totals": True}


def test_the_dashboard_map_is_drawn_again_only_when_its_points_change(
    client: TestClient, login: Any, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Store.open(db_url) as store:
        reconcile_store(store)
    drawn: list[int] = []
    real = dashboard.point_map

    def counted(*args: Any, **kw: Any) -> str:
        drawn.append(1)
        return real(*args, **kw)

    monkeypatch.setattr(dashboard, "point_map", counted)
    login(client, "vic")
    first = client.get("/")
    assert client.get("/").text.count("<circle") == first.text.count("<circle") > 0
    assert len(drawn) == 1
    client.get("/?date_from=2020-01-01")  # its links carry the period: drawn for it
    assert len(drawn) == 2


def test_the_export_gate_is_shared_by_the_servers_of_one_store(db_url: str, seeded: Any) -> None:
    """Two servers (two gates) on one store: one export each at most, all told."""
    with Store.open(db_url) as store:
        one, other = HeavyGate(size=1, wait=0.3), HeavyGate(size=1, wait=0.3)
        inside, leave = threading.Event(), threading.Event()

        def holder() -> None:
            with one(store):
                inside.set()
                leave.wait(10)

        t = threading.Thread(target=holder)
        t.start()
        assert inside.wait(10)
        with pytest.raises(Unavailable), other(store):
            pass
        leave.set()
        t.join()
        with other(store):  # free again
            pass
