"""The HTTP API against a real SQLite file: documents, facts, review, audit, files."""

from __future__ import annotations

import csv
import io
import json

import pytest

from .live import uploaded

TEST_KEY = "a-test-key-of-forty-bytes-0123456789abcd"


def test_documents_list_and_read(client, login, seeded, report_text):
    login(client, "vic")
    listing = client.get("/api/documents").json()
    assert listing["total"] == 1 and listing["next_offset"] is None
    assert listing["items"][0]["title"] == "Market shelling and arrivals"
    assert "text" not in listing["items"][0]

    one = client.get(f"/api/documents/{seeded['doc_id']}").json()
    assert one["document"]["text"] == report_text
    spans = sorted(tuple(f["span"]) for f in one["facts"])
    assert [report_text[a:b] for a, b in spans] == ["14", "38", "2,150", "9,000"]


def test_facts_filters_and_pagination(client, login):
    login(client, "vic")
    everything = client.get("/api/facts").json()
    assert everything["total"] == 4

    displaced = client.get("/api/facts", params={"category": "displaced"}).json()
    assert sorted(f["value"] for f in displaced["items"]) == [2150, 9000]

    people = client.get("/api/facts", params={"category": "displaced", "unit": "people"}).json()
    assert [f["value"] for f in people["items"]] == [9000]

    atmeh = client.get("/api/facts", params={"place": "atmeh"}).json()
    assert sorted(f["value"] for f in atmeh["items"]) == [2150, 9000]

    february = client.get(
        "/api/facts", params={"date_from": "2020-02-03", "date_to": "2020-02-03"}
    ).json()
    assert sorted(f["value"] for f in february["items"]) == [14, 38]

    first = client.get("/api/facts", params={"limit": 3}).json()
    rest = client.get("/api/facts", params={"limit": 3, "offset": 3}).json()
    assert first["next_offset"] == 3 and rest["next_offset"] is None
    ids = [f["id"] for f in first["items"] + rest["items"]]
    assert len(set(ids)) == 4


def test_correct_verify_reject_and_audit(client, login, fact_ids):
    csrf = login(client, "ana")
    headers = {"X-CSRF-Token": csrf, "If-Match": '"1"'}  # every seeded fact is at version 1
    killed, injured, families = fact_ids[14], fact_ids[38], fact_ids[2150]

    resp = client.patch(
        f"/api/facts/{killed}",
        json={"value": 17, "places": ["Maarat al-Numan", "Idlib"], "note": "later update"},
        headers=headers,
    )
    assert resp.status_code == 200, resp.text
    fact = resp.json()["fact"]
    assert fact["value"] == 17 and fact["status"] == "corrected"
    assert fact["places"] == ["Maarat al-Numan", "Idlib"]

    assert (
        client.post(f"/api/facts/{injured}/verify", headers=headers).json()["fact"]["status"]
        == "verified"
    )
    rejected = client.post(
        f"/api/facts/{families}/reject", json={"note": "double count"}, headers=headers
    )
    assert rejected.json()["fact"]["status"] == "rejected"

    # nothing is deleted: the rejected fact is still listed, with its status
    statuses = {f["id"]: f["status"] for f in client.get("/api/facts").json()["items"]}
    assert statuses[families] == "rejected"

    history = client.get(f"/api/facts/{killed}").json()["audit"]
    assert len(history) == 1
    assert history[0]["user"] == "ana" and history[0]["action"] == "update"
    assert history[0]["old"] == {"value": 14, "places": ["Maarat al-Numan"]}
    assert history[0]["new"] == {"value": 17, "places": ["Maarat al-Numan", "Idlib"]}
    assert history[0]["note"] == "later update"
    assert client.get(f"/api/facts/{families}/audit").json()["items"][0]["note"] == "double count"

    # a correction is not verified until someone other than its author verifies it
    verified = client.get("/api/facts", params={"verified_only": True}).json()
    assert sorted(f["value"] for f in verified["items"]) == [38]
    queue = client.get("/api/facts", params={"status": "unreviewed", "oldest_first": True})
    assert [f["value"] for f in queue.json()["items"]] == [9000]
    stats = client.get("/api/stats").json()
    assert stats["facts"] == {"corrected": 1, "verified": 1, "rejected": 1, "unreviewed": 1}
    own = client.post(f"/api/facts/{killed}/verify", headers={**headers, "If-Match": '"2"'})
    assert own.status_code == 403 and "someone else" in own.json()["error"]
    ada = login(client, "ada")
    second = client.post(
        f"/api/facts/{killed}/verify", headers={"X-CSRF-Token": ada, "If-Match": '"2"'}
    )
    assert second.status_code == 200 and second.json()["fact"]["status"] == "verified"
    verified = client.get("/api/facts", params={"verified_only": True}).json()
    assert sorted(f["value"] for f in verified["items"]) == [17, 38]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"category": "weather"}, "category"),
        ({"value": -3}, "value"),
        ({"date_start": "2020-02-10", "date_end": "2020-02-01"}, None),
        ({"category": None}, "category"),
        ({"value": None}, None),  # no value and no value_text
        ({"colour": "red"}, "colour"),
        ({"date_start": "yesterday"}, "date_start"),
    ],
)
def test_bad_corrections_are_refused_clearly(client, login, fact_ids, body, field):
    csrf = login(client, "ana")
    headers = {"X-CSRF-Token": csrf, "If-Match": '"1"'}
    resp = client.patch(f"/api/facts/{fact_ids[14]}", json=body, headers=headers)
    assert resp.status_code == 422, resp.text
    answer = resp.json()
    assert answer["ok"] is False and answer["code"] == "invalid" and answer["error"]
    if field:
        assert field in json.dumps(answer["errors"])
    # and the fact is unchanged, with nothing in its history
    assert client.get(f"/api/facts/{fact_ids[14]}").json()["audit"] == []


def test_unknown_ids_are_404(client, login):
    csrf = login(client, "ana")
    assert client.get("/api/documents/nope").json()["code"] == "not_found"
    resp = client.post("/api/facts/nope/verify", headers={"X-CSRF-Token": csrf})
    assert resp.status_code == 404 and "nope" in resp.json()["error"]


def test_upload_stores_the_document(client, login):
    csrf = login(client, "ana")
    text = "A short note of ours: the clinic in Sarmin stayed closed on Monday."
    job = uploaded(client, csrf, "note.txt", text.encode())
    assert job["state"] == "done" and job["created_by"] == "ana", job
    doc_id = job["result"]["documents"][0]
    assert client.get(f"/api/documents/{doc_id}").json()["document"]["text"] == text
    again = uploaded(client, csrf, "note.txt", text.encode())
    assert again["state"] == "done" and again["result"]["skipped"] == 1
    assert again["id"] != job["id"]


def test_upload_limits(app, client, login):
    csrf = login(client, "ana")
    limit = app.state.settings.max_upload_bytes
    big = client.post(
        "/api/documents",
        files={"file": ("big.txt", b"a" * (limit + 1), "text/plain")},
        headers={"X-CSRF-Token": csrf},
    )
    assert big.status_code == 413 and big.json()["code"] == "too_large"
    empty = client.post(
        "/api/documents",
        files={"file": ("empty.txt", b"  \n", "text/plain")},
        headers={"X-CSRF-Token": csrf},
    )
    assert empty.status_code == 422 and "empty" in empty.json()["error"]
    missing = client.post("/api/documents", headers={"X-CSRF-Token": csrf})
    assert missing.status_code == 422 and missing.json()["code"] == "invalid"


def test_upload_runs_the_extractor(db_url, seeded, login, report_text):
    """With the default pipeline, the upload worker (a child process) extracts figures."""
    from fastapi.testclient import TestClient

    from crisisdesk.web import create_app

    text = report_text.replace("Maarat al-Numan", "Saraqib") + "\n"
    with TestClient(create_app(db_url, secret_key=TEST_KEY)) as client:
        csrf = login(client, "ana")
        job = uploaded(client, csrf, "saraqib.txt", text.encode())
        assert job["state"] == "done", job
        assert job["result"]["facts"] > 0


def test_exports_can_be_limited_to_verified(client, login, fact_ids):
    csrf = login(client, "ana")
    client.post(
        f"/api/facts/{fact_ids[38]}/verify", headers={"X-CSRF-Token": csrf}, json={"version": 1}
    )
    everything = client.get("/api/exports/csv")
    assert everything.status_code == 200
    assert "attachment" in everything.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(everything.text.lstrip("\ufeff"))))
    assert len(rows) == 4

    verified = client.get("/api/exports/csv", params={"verified_only": True})
    assert "verified" in verified.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(verified.text.lstrip("\ufeff"))))
    assert [r["value"] for r in rows] == ["38"]

    geo = client.get("/api/exports/geojson")
    assert geo.json()["type"] == "FeatureCollection"
    whole = client.get("/api/exports/json")  # one JSON document, as json.load expects
    lines = client.get("/api/exports/jsonl").text.splitlines()
    assert [r["value"] for r in json.loads(whole.text)] == [json.loads(x)["value"] for x in lines]
    assert len(lines) == 4
    assert client.get("/api/exports/xlsx").status_code == 422


def _report(client, path: str, **params):
    """A report as the background builds it: 202 first, then the report."""
    first = client.get(path, params=params)
    if first.status_code != 202:
        return first
    assert first.headers["retry-after"] and first.json()["pending"] is True
    assert client.app.state.reports.wait(120)
    return client.get(path, params=params)


def test_report_says_whether_it_is_verified_only(client, login):
    login(client, "vic")
    full = _report(client, "/api/reports/sitrep.html")
    assert full.status_code == 200 and full.headers["x-crisisdesk-stale"] == "false"
    assert "may not yet have been verified" in full.text
    assert "verified figures only" not in full.text
    verified = _report(client, "/api/reports/sitrep.html", verified_only=True)
    assert "verified figures only" in verified.text
    pdf = _report(client, "/api/reports/sitrep.pdf")
    assert pdf.content.startswith(b"%PDF")
    bad = client.get(
        "/api/reports/sitrep.html", params={"date_from": "2020-03-01", "date_to": "2020-01-01"}
    )
    assert bad.status_code == 400 and bad.json()["code"] == "config_error"


def test_a_report_is_built_in_the_background_and_served_stale_meanwhile(client, login, fact_ids):
    csrf = login(client, "ana")
    reports = client.app.state.reports
    browser = {"Accept": "text/html,application/xhtml+xml"}
    with reports.paused():  # the first ask, for a browser: a page that reloads itself
        first = client.get("/api/reports/sitrep.html", headers=browser)
    assert first.status_code == 202 and 'http-equiv="refresh"' in first.text
    built = _report(client, "/api/reports/sitrep.html")
    assert built.status_code == 200 and "14" in built.text
    corrected = client.patch(
        f"/api/facts/{fact_ids[14]}",
        json={"value": 41},
        headers={"X-CSRF-Token": csrf, "If-Match": '"1"'},
    )
    assert corrected.status_code == 200, corrected.text
    with reports.paused():  # reports changed: the last one, marked stale, not rebuilt here
        stale = client.get("/api/reports/sitrep.html")
    assert stale.status_code == 200 and stale.text == built.text
    assert stale.headers["x-crisisdesk-stale"] == "true"
    assert stale.headers["x-crisisdesk-as-of"] == built.headers["x-crisisdesk-as-of"]
    assert reports.wait(120)
    fresh = client.get("/api/reports/sitrep.html")
    assert fresh.headers["x-crisisdesk-stale"] == "false" and ">41<" in fresh.text.replace(" ", "")


def test_totals_match_the_library(client, login, db_url):
    """Totals come from the stored figures; before any reconcile the API says it is
    pending (never a total of 0) and a background reconcile brings the figures."""
    from crisisdesk.reconcile import total
    from crisisdesk.store import Store

    login(client, "vic")
    pending = client.get("/api/totals", params={"category": "killed", "unit": "people"}).json()
    assert pending["pending"] is True and pending["best"] is None and pending["refreshing"]
    assert client.app.state.refresher.wait(60)
    answer = client.get("/api/totals", params={"category": "killed", "unit": "people"}).json()
    with Store.open(db_url) as store:
        expected = total(store, category="killed", unit="people", use_stored=False).to_json()
    assert answer["best"] == expected["best"] == 14
    assert answer["verified_only"] is False and answer["from_stored_figures"] is True
    assert answer["stale"] is False and answer["as_of"] and answer["notes"] == []

    csrf = login(client, "ana")
    queued = client.post("/api/figures/reconcile", headers={"X-CSRF-Token": csrf})
    assert queued.status_code == 202 and queued.json()["queued"] is True
    assert client.app.state.refresher.wait(60)
    status = client.get("/api/figures/status").json()
    assert status["state"] == "fresh" and status["stale"] is False
    figures = client.get("/api/figures", params={"category": "displaced", "limit": 1}).json()
    assert figures["total"] >= 1 and len(figures["items"]) == 1
    assert {"best", "low", "high", "sources", "explanation"} <= set(figures["items"][0])


def test_a_fact_says_where_its_meaning_was_read(client, login, db_url):
    """The API's fact JSON carries ``evidence``: the spans its period, source and places
    were read from."""
    from datetime import date

    from crisisdesk.model import Category, Document, Fact, FieldSpans, Unit
    from crisisdesk.store import Store

    text = "On 2 February the civil defence said 12 people were killed in Atmeh."
    doc = Document.from_text(text, publisher="Desk", published=date(2020, 2, 3))
    spans = FieldSpans(period=(3, 13), source=(14, 31), places=((62, 67),))
    clause = "12 people were killed in Atmeh"
    at = text.index(clause)
    fact = Fact(doc=doc.id, quote=clause, quote_start=at, span=(at, at + 2), value=12,
                category=Category.KILLED, unit=Unit.PEOPLE, places=("Atmeh",),
                field_spans=spans)  # fmt: skip
    with Store.open(db_url) as store:
        store.add_document(doc, [fact])
        fact_id = next(sf.id for sf in store.iter_facts() if sf.fact.value == 12)
    login(client, "vic")
    got = client.get(f"/api/facts/{fact_id}").json()["fact"]
    assert got["evidence"] == {"period": [3, 13], "source": [14, 31], "places": [[62, 67]]}
