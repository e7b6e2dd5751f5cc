"""The team review workflow through the API: states and the second pair of eyes,
the queue's filters, sorts and counts, assignment and bulk actions with undo, a
figure added by hand, place corrections resolved at once, values as typed."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from crisisdesk.pipeline import Pipeline
from crisisdesk.report.exporters import export
from crisisdesk.store import FactQuery, Store
from crisisdesk.web import create_app

from .conftest import TEST_KEY


@pytest.fixture
def db_url(store_url: str) -> str:
    """Every test here runs on SQLite and on PostgreSQL."""
    return store_url


def _h(csrf: str, version: int | None = None) -> dict[str, str]:
    headers = {"X-CSRF-Token": csrf}
    if version is not None:
        headers["If-Match"] = f'"{version}"'
    return headers


def test_reopen_and_self_verification_under_the_default_rule(client, login, fact_ids, db_url):
    ana = login(client, "ana")
    killed = fact_ids[14]
    fixed = client.patch(f"/api/facts/{killed}", json={"value": 16}, headers=_h(ana, 1)).json()
    assert fixed["fact"]["status"] == "corrected" and fixed["fact"]["author"] == "ana"
    refused = client.post(f"/api/facts/{killed}/verify", headers=_h(ana, 2))
    assert refused.status_code == 403 and "someone else must verify" in refused.json()["error"]
    # the verified-only view, the export and the store count it nowhere yet
    assert client.get("/api/facts", params={"verified_only": True}).json()["total"] == 0
    with Store.open(db_url) as store:
        assert store.count_facts(FactQuery(verified_only=True)) == 0
    # another analyst verifies it; then anyone may put it back to unreviewed
    ada = login(client, "ada")
    ok = client.post(f"/api/facts/{killed}/verify", headers=_h(ada, 2)).json()["fact"]
    assert ok["status"] == "verified"
    reopened = client.post(f"/api/facts/{killed}/reopen", headers=_h(ada, 3))
    assert reopened.status_code == 200 and reopened.json()["fact"]["status"] == "unreviewed"
    actions = [e["action"] for e in client.get(f"/api/facts/{killed}/audit").json()["items"]]
    assert actions == ["reopen", "verify", "update"]
    assert client.post(f"/api/facts/{killed}/reopen", headers=_h(ada)).status_code == 428


def test_a_one_person_team_may_verify_its_own(db_url, seeded, login):
    app = create_app(db_url, secret_key=TEST_KEY, pipeline=Pipeline([]), self_verify=True)
    with TestClient(app) as client:
        ana = login(client, "ana")
        fid = seeded["by_value"][38]
        client.patch(f"/api/facts/{fid}", json={"value": 39}, headers=_h(ana, 1))
        done = client.post(f"/api/facts/{fid}/verify", headers=_h(ana, 2))
        assert done.status_code == 200 and done.json()["fact"]["status"] == "verified"


def test_verified_only_export_counts_what_a_second_analyst_verified(
    client, login, fact_ids, db_url, tmp_path
):
    ana = login(client, "ana")
    client.patch(f"/api/facts/{fact_ids[2150]}", json={"value": 2200}, headers=_h(ana, 1))
    client.post(f"/api/facts/{fact_ids[9000]}/verify", headers=_h(ana, 1))
    ada = login(client, "ada")  # the client's session is now ada's
    with Store.open(db_url) as store:
        out = tmp_path / "v.jsonl"
        assert export(store, "jsonl", out, verified_only=True) == 1  # 9000 only
    client.post(f"/api/facts/{fact_ids[2150]}/verify", headers=_h(ada, 2))
    with Store.open(db_url) as store:
        assert export(store, "jsonl", out, verified_only=True) == 2


def _check_rows(items: list[dict[str, Any]], **want: Any) -> None:
    assert items
    for f in items:
        for key, value in want.items():
            assert f[key] == value, (key, f)


def test_queue_filters_sorts_and_counts(client, login, fact_ids):
    login(client, "vic")
    every = client.get("/api/facts", params={"facets": True}).json()
    assert every["total"] == 4
    facets = {k: dict(map(tuple, v)) for k, v in every["facets"].items()}
    assert facets["category"] == {"killed": 1, "injured": 1, "displaced": 2}
    assert facets["qualifier"] == {"exact": 3, "approx": 1}
    displaced = client.get("/api/facts", params={"category": "displaced", "facets": True}).json()
    _check_rows(displaced["items"], category="displaced")
    # the category counts ignore the category filter; the others count within it
    assert dict(map(tuple, displaced["facets"]["category"]))["killed"] == 1
    assert dict(map(tuple, displaced["facets"]["unit"])) == {"families": 1, "people": 1}
    approx = client.get("/api/facts", params={"qualifier": "approx"}).json()
    assert [f["value"] for f in approx["items"]] == [9000]
    src = client.get("/api/facts", params={"source": "relief VOLUNTEERS"}).json()
    assert [f["value"] for f in src["items"]] == [14]
    words = client.get("/api/facts", params={"q": "atmeh FAMILIES"}).json()
    assert [f["value"] for f in words["items"]] == [2150]
    both = client.get("/api/facts", params={"q": "atmeh"}).json()
    assert sorted(f["value"] for f in both["items"]) == [2150, 9000]
    assert client.get("/api/facts", params={"q": "100%_"}).json()["total"] == 0
    by_value = client.get("/api/facts", params={"sort": "value"}).json()["items"]
    assert [f["value"] for f in by_value] == [9000, 2150, 38, 14]
    in_text = client.get("/api/facts", params={"sort": "document"}).json()["items"]
    assert [f["span"][0] for f in in_text] == sorted(f["span"][0] for f in in_text)
    assert client.get("/api/facts", params={"status": "open"}).json()["total"] == 4
    assert client.get("/api/facts", params={"sort": "sideways"}).status_code == 422


def test_assignment_my_queue_bulk_and_undo(client, login, fact_ids, seeded):
    ana = login(client, "ana")
    whole = client.post(
        "/api/assign", json={"doc_id": seeded["doc_id"], "assignee": "ana"}, headers=_h(ana)
    )
    assert len(whole.json()["done"]) == 4
    mine = client.get("/api/facts", params={"assignee": "me"}).json()
    assert mine["total"] == 4
    _check_rows(mine["items"], assignee="ana")
    client.post("/api/assign", json={"ids": [fact_ids[14]], "assignee": "ada"}, headers=_h(ana))
    assert client.get("/api/facts", params={"assignee": "me"}).json()["total"] == 3
    bad = client.post(
        "/api/assign", json={"ids": [fact_ids[14]], "assignee": "nobody"}, headers=_h(ana)
    )
    assert bad.status_code == 404

    # bulk verify; one of them is ana's own correction, refused and named
    client.patch(f"/api/facts/{fact_ids[38]}", json={"value": 40}, headers=_h(ana, 1))
    ids = [fact_ids[14], fact_ids[38], fact_ids[2150]]
    result = client.post(
        "/api/facts/bulk", json={"action": "verify", "ids": ids}, headers=_h(ana)
    ).json()
    assert sorted(result["done"]) == sorted([fact_ids[14], fact_ids[2150]])
    assert (
        result["skipped"][0]["id"] == fact_ids[38] and "someone else" in result["skipped"][0]["why"]
    )
    statuses = {f["id"]: f["status"] for f in client.get("/api/facts").json()["items"]}
    assert statuses[fact_ids[14]] == statuses[fact_ids[2150]] == "verified"
    undone = client.post("/api/facts/undo", json={"undo": result["undo"]}, headers=_h(ana)).json()
    assert sorted(undone["done"]) == sorted(result["done"])
    statuses = {f["id"]: f["status"] for f in client.get("/api/facts").json()["items"]}
    assert statuses[fact_ids[14]] == statuses[fact_ids[2150]] == "unreviewed"


def test_add_a_missed_figure_with_its_span(client, login, seeded, report_text, db_url):
    ana = login(client, "ana")
    at = report_text.index("2,150")
    body = {"doc": seeded["doc_id"], "span": [at, at + 5], "value": "2,150", "unit": "families",
            "category": "displaced", "places": ["Atmeh"], "qualifier": "exact"}  # fmt: skip
    made = client.post("/api/facts", json=body, headers=_h(ana))
    # the extractor already has this number as displaced families: the same figure
    assert made.status_code == 409
    at = report_text.index("38")
    body.update(span=[at, at + 2], value="٣٨", unit="people", category="other")
    made = client.post("/api/facts", json=body, headers=_h(ana))
    assert made.status_code == 201, made.text
    fact = made.json()["fact"]
    assert fact["status"] == "added" and fact["author"] == "ana" and fact["value"] == 38
    assert report_text[fact["span"][0] : fact["span"][1]] == "38"
    assert "38" in fact["quote"] and report_text.index(fact["quote"]) == fact["quote_start"]
    with Store.open(db_url) as store:
        stored = store.get_fact(fact["id"])
    assert stored.fact.span == (at, at + 2) and stored.author == "ana"
    assert client.post(f"/api/facts/{fact['id']}/verify", headers=_h(ana, 1)).status_code == 403
    nothing = dict(body, span=[0, 8])
    assert (
        client.post("/api/facts", json=nothing, headers=_h(ana)).json()["errors"][0]["field"]
        == "span"
    )


def test_place_correction_resolves_at_once(client, login, fact_ids):
    ana = login(client, "ana")
    fid = fact_ids[14]
    resp = client.patch(
        f"/api/facts/{fid}", json={"places": ["Saraqib", "Qwxzzy"]}, headers=_h(ana, 1)
    )
    assert resp.status_code == 200, resp.text
    saraqib, unknown = resp.json()["fact"]["places_resolved"]
    assert saraqib["name"] == "Saraqib" and saraqib["place_id"] and saraqib["admin1_code"]
    assert saraqib["lat"] and saraqib["lon"] and saraqib["country"] == "SY"
    assert unknown["place_id"] is None and unknown["why"] and isinstance(unknown["nearest"], list)


def test_values_as_typed_and_errors_name_the_field(client, login, fact_ids):
    ana = login(client, "ana")
    fid = fact_ids[9000]
    resp = client.patch(f"/api/facts/{fid}", json={"value": "1.2k"}, headers=_h(ana, 1))
    assert resp.json()["fact"]["value"] == 1200
    resp = client.patch(f"/api/facts/{fid}", json={"value": "٤٦"}, headers=_h(ana, 2))
    assert resp.json()["fact"]["value"] == 46
    bad = client.patch(f"/api/facts/{fid}", json={"value": "lots"}, headers=_h(ana, 3))
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "value"
    assert bad.json()["error"].startswith("value:")
    gone = client.patch(f"/api/facts/{fid}", json={"value": None}, headers=_h(ana, 3))
    assert gone.status_code == 422 and fid not in gone.json()["error"]


def test_dashboard_feeds_and_what_changed_since_the_last_visit(client, login, db_url, fact_ids):
    from crisisdesk.reconcile import reconcile_store

    refused = client.post("/api/session", json={"name": "ana", "password": "not the one"})
    assert refused.status_code == 401
    ana = login(client, "ana")
    with Store.open(db_url) as store:
        reconcile_store(store)
    first = client.get("/").text
    assert "login_failed" not in first  # another user's refused logins are not ana's business
    assert 'href="/queue?category=displaced&amp;unit=people' in first  # numbers are links
    client.patch(f"/api/facts/{fact_ids[9000]}", json={"value": 9500}, headers=_h(ana, 1))
    with Store.open(db_url) as store:
        reconcile_store(store)
    again = client.get("/").text
    assert "Since your last visit" in again and "9,500" in again
    assert "Market shelling and arrivals" in again  # the document that moved it
    assert "act-update" in again  # ana's own change is in her feed
    login(client, "ada")
    assert "login_failed" in client.get("/").text  # admins see refused logins
    filtered = client.get("/", params={"place": "Atmeh", "date_from": "2020-01-01"})
    assert filtered.status_code == 200 and 'value="Atmeh"' in filtered.text


def test_assign_a_whole_report_from_its_page(client, login, seeded):
    login(client, "ana")
    page = client.get(f"/documents/{seeded['doc_id']}").text
    token = page.split('name="csrf_token" value="')[1].split('"')[0]
    done = client.post(
        f"/documents/{seeded['doc_id']}/assign",
        data={"csrf_token": token, "assignee": "ada"},
        follow_redirects=False,
    )
    assert done.status_code == 303
    assigned = client.get("/api/facts", params={"assignee": "ada"}).json()
    assert assigned["total"] == 4
    assert client.get("/queue", params={"assignee": "ada"}).text.count("→ ada") == 4


def test_undo_is_a_history_of_ones_own_actions(client, login, fact_ids):
    """Each of a user's recent actions is undone in turn, newest first; what the next
    undo will put back is named; someone else's history is their own."""
    ana = login(client, "ana")
    one, two, three = fact_ids[14], fact_ids[38], fact_ids[2150]
    assert client.post(f"/api/facts/{one}/verify", headers=_h(ana, 1)).status_code == 200
    bulk = client.post("/api/facts/bulk", json={"action": "reject", "ids": [two, three]},
                       headers=_h(ana)).json()  # fmt: skip
    assert sorted(bulk["done"]) == sorted([two, three])
    client.post("/api/assign", json={"assignee": "ana", "ids": [one]}, headers=_h(ana))
    steps = client.get("/api/undo").json()["items"]
    assert [s["label"] for s in steps] == [
        "assigned 1 figure(s) to ana", "rejected 2 figures", "verified 14 people killed",
    ]  # fmt: skip
    assert [s["figures"] for s in steps] == [1, 2, 1]
    # out of order is refused, naming the next one
    wrong = client.post("/api/undo", json={"step": steps[1]["step"]}, headers=_h(ana))
    assert wrong.status_code == 404 and "assigned 1 figure(s) to ana" in wrong.json()["error"]
    first = client.post("/api/undo", json={}, headers=_h(ana)).json()
    assert first["undone"]["label"].startswith("assigned")
    assert first["next"]["label"] == "rejected 2 figures"
    assert client.get(f"/api/facts/{one}").json()["fact"]["assignee"] is None
    second = client.post("/api/undo", headers=_h(ana)).json()
    assert sorted(second["done"]) == sorted([two, three])
    statuses = {f: client.get(f"/api/facts/{f}").json()["fact"]["status"] for f in (two, three)}
    assert statuses == {two: "unreviewed", three: "unreviewed"}
    # another analyst's history is theirs: ada has nothing to undo, and ana's next
    # step stays hers
    ada = login(client, "ada")
    assert client.get("/api/undo").json()["items"] == []
    assert client.post("/api/undo", headers=_h(ada)).status_code == 404
    # someone else's change since is never overwritten by an undo
    client.post(f"/api/facts/{one}/reject", headers=_h(ada, 2))
    ana = login(client, "ana")
    third = client.post("/api/undo", headers=_h(ana)).json()
    assert third["done"] == [] and third["skipped"] and third["next"] is None
    assert client.get(f"/api/facts/{one}").json()["fact"]["status"] == "rejected"
    actions = [e["action"] for e in client.get(f"/api/facts/{one}/audit").json()["items"]]
    assert actions[:2] == ["reject", "assign"]
    assert client.post("/api/undo", headers=_h(ana)).status_code == 404  # all undone


def _fact(client: TestClient, fid: str) -> dict[str, Any]:
    return client.get(f"/api/facts/{fid}").json()["fact"]


def test_undo_puts_back_a_correction_an_added_figure_and_a_bulk_undo(
    client, login, fact_ids, seeded, report_text
):
    """A correction's undo restores the values (and resolved places, status, author) it
    replaced; an added figure's undo rejects it; neither overwrites a later change of
    someone else; a bulk answer's own undo list takes its step out of the history."""
    ana = login(client, "ana")
    fid = fact_ids[2150]
    before = _fact(client, fid)
    fixed = client.patch(f"/api/facts/{fid}", json={"value": "1.2k", "places": ["Saraqib"]},
                         headers=_h(ana, 1)).json()["fact"]  # fmt: skip
    assert fixed["value"] == 1200 and fixed["places_resolved"][0]["place_id"] != "test:atmeh"
    step = client.get("/api/undo").json()["items"][0]
    assert step["label"] == "corrected 2,150 families displaced (value, places)"
    back = client.post("/api/undo", json={"step": step["step"]}, headers=_h(ana)).json()
    assert back["done"] == [fid] and back["next"] is None
    now = _fact(client, fid)
    assert now["value"] == 2150 and now["places"] == ["Atmeh"]
    assert now["status"] == "unreviewed" and now["author"] is None
    assert now["places_resolved"] == before["places_resolved"]  # test:atmeh, its codes
    assert now["version"] == 3
    last = client.get(f"/api/facts/{fid}/audit").json()["items"][0]
    assert last["action"] == "update" and last["note"] == "undo"
    assert last["old"]["value"] == 1200 and last["new"]["value"] == 2150

    # another analyst's change since: the undo leaves it, naming who made it
    client.patch(f"/api/facts/{fid}", json={"subject": "households"}, headers=_h(ana, 3))
    ada = login(client, "ada")
    assert client.post(f"/api/facts/{fid}/verify", headers=_h(ada, 4)).status_code == 200
    ana = login(client, "ana")
    refused = client.post("/api/undo", headers=_h(ana)).json()
    assert refused["done"] == [] and "changed by ada" in refused["skipped"][0]["why"]
    assert _fact(client, fid)["subject"] == "households"

    # an added figure: its undo rejects it (kept, with its history)
    at = report_text.index("38")
    body = {"doc": seeded["doc_id"], "span": [at, at + 2], "value": "38", "unit": "people",
            "category": "other"}  # fmt: skip
    added = client.post("/api/facts", json=body, headers=_h(ana)).json()["fact"]
    assert client.get("/api/undo").json()["items"][0]["label"] == "added 38 people other"
    assert client.post("/api/undo", headers=_h(ana)).json()["done"] == [added["id"]]
    gone = _fact(client, added["id"])
    assert gone["status"] == "rejected"
    # added again: the figure is there, rejected; the answer says to reopen it
    again = client.post("/api/facts", json=body, headers=_h(ana))
    assert (
        again.status_code == 409
        and f"rejected: reopen it, fact {added['id']}" in (again.json()["error"])
    )
    assert [e["action"] for e in client.get(f"/api/facts/{added['id']}/audit").json()["items"]] == [
        "reject", "add",
    ]  # fmt: skip

    # POST /api/facts/undo (a bulk answer's own list) marks the step undone
    two = [fact_ids[14], fact_ids[9000]]
    bulk = client.post("/api/facts/bulk", json={"action": "reject", "ids": two},
                       headers=_h(ana)).json()  # fmt: skip
    assert client.get("/api/undo").json()["items"][0]["label"] == "rejected 2 figures"
    done = client.post("/api/facts/undo", json={"undo": bulk["undo"]}, headers=_h(ana)).json()
    assert sorted(done["done"]) == sorted(two)
    labels = [s["label"] for s in client.get("/api/undo").json()["items"]]
    assert "rejected 2 figures" not in labels
    assert {_fact(client, f)["status"] for f in two} == {"unreviewed"}
