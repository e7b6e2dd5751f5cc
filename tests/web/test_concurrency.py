"""Optimistic concurrency against a real server: two analysts editing one figure.

Every change names the version it was based on; a stale one gets 409 with the
current values, and the audit log records exactly what each change replaced.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import httpx
import pytest

from .live import LiveServer

PASSWORD = "correct horse battery"


def _client(server: LiveServer, name: str) -> httpx.Client:
    client = httpx.Client(base_url=server.url, timeout=30)
    resp = client.post("/api/session", json={"name": name, "password": PASSWORD})
    assert resp.status_code == 200, resp.text
    client.headers["X-CSRF-Token"] = resp.json()["csrf_token"]
    return client


@pytest.fixture
def server(db_url: str, seeded: dict[str, Any], tmp_path: Path):
    with LiveServer(db_url, workdir=tmp_path) as live:
        yield live


def test_second_editor_gets_409_and_the_audit_shows_what_each_replaced(server, fact_ids, db_url):
    fid = fact_ids[14]
    first, second = _client(server, "ana"), _client(server, "ada")
    a = first.get(f"/api/facts/{fid}")
    b = second.get(f"/api/facts/{fid}")
    assert a.headers["etag"] == b.headers["etag"] == '"1"'

    won = first.patch(
        f"/api/facts/{fid}", json={"value": 15}, headers={"If-Match": a.headers["etag"]}
    )
    assert won.status_code == 200 and won.headers["etag"] == '"2"'
    lost = second.patch(
        f"/api/facts/{fid}", json={"subject": "people"}, headers={"If-Match": b.headers["etag"]}
    )
    assert lost.status_code == 409, lost.text
    answer = lost.json()
    assert answer["code"] == "conflict" and answer["current"]["value"] == 15
    assert answer["current"]["version"] == 2 and lost.headers["etag"] == '"2"'
    # the second analyst sees the conflict and reapplies over the current version
    again = second.patch(
        f"/api/facts/{fid}", json={"subject": "people"}, headers={"If-Match": lost.headers["etag"]}
    )
    assert again.status_code == 200
    fact = again.json()["fact"]
    assert (fact["value"], fact["subject"], fact["version"]) == (15, "people", 3)  # both kept

    history = first.get(f"/api/facts/{fid}/audit").json()["items"][::-1]
    assert [(e["user"], e["old"], e["new"]) for e in history] == [
        ("ana", {"value": 14}, {"value": 15}),
        ("ada", {"subject": "civilians"}, {"subject": "people"}),
    ]
    # a verification based on the version before the correction is stale too
    stale = first.post(f"/api/facts/{fid}/verify", json={"version": 2})
    assert stale.status_code == 409 and stale.json()["current"]["subject"] == "people"
    assert first.post(f"/api/facts/{fid}/verify", json={"version": 3}).status_code == 200


def test_many_concurrent_edits_one_wins_and_no_history_is_wrong(server, fact_ids):
    fid = fact_ids[2150]
    clients = [_client(server, name) for name in ("ana", "ada") for _ in range(10)]
    results: list[int] = []
    lock = threading.Lock()

    def edit(i: int, client: httpx.Client) -> None:
        resp = client.patch(
            f"/api/facts/{fid}", json={"value": 3000 + i}, headers={"If-Match": '"1"'}
        )
        with lock:
            results.append(resp.status_code)

    threads = [threading.Thread(target=edit, args=(i, c)) for i, c in enumerate(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == [200] + [409] * 19
    fact = clients[0].get(f"/api/facts/{fid}").json()
    history = fact["audit"]
    assert len(history) == 1 and history[0]["old"] == {"value": 2150}
    assert history[0]["new"] == {"value": fact["fact"]["value"]}


def test_a_change_without_a_version_is_refused(server, fact_ids):
    client = _client(server, "ana")
    resp = client.patch(f"/api/facts/{fact_ids[38]}", json={"value": 40})
    assert resp.status_code == 428 and resp.json()["code"] == "precondition_required"
    assert client.get(f"/api/facts/{fact_ids[38]}").json()["fact"]["value"] == 38
