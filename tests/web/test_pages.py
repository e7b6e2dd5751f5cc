"""The review pages without JavaScript: forms with CSRF tokens, escaped text."""

from __future__ import annotations

import re
import time

import pytest


def _token(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match
    return match.group(1)


def test_document_page_shows_text_escaped_with_marks(client, login, seeded, fact_ids):
    login(client, "vic")
    page = client.get(f"/documents/{seeded['doc_id']}")
    assert page.status_code == 200
    assert "<script>alert" not in page.text
    assert "&lt;script&gt;alert(&#39;owned&#39;)&lt;/script&gt;" in page.text
    marks = re.findall(r'<mark class="fig[^"]*" data-fact-id="([^"]+)"', page.text)
    assert sorted(marks) == sorted(fact_ids.values())
    assert "Click a highlighted figure" in page.text
    csp = page.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp.split("script-src")[1]


def test_viewer_sees_the_editor_without_buttons(client, login, seeded, fact_ids):
    login(client, "vic")
    page = client.get(f"/documents/{seeded['doc_id']}", params={"fact": fact_ids[14]})
    assert "14 civilians were killed and 38 injured" in page.text
    assert 'value="Relief volunteers"' in page.text
    assert "Verify</button>" not in page.text and "needs the analyst role" in page.text


def test_review_through_forms(client, login, seeded, fact_ids):
    login(client, "ana")
    doc = seeded["doc_id"]
    page = client.get(f"/documents/{doc}", params={"fact": fact_ids[2150]})
    token = _token(page.text)
    saved = client.post(
        f"/facts/{fact_ids[2150]}",
        data={
            "csrf_token": token,
            "version": "1",
            "action": "save",
            "value": "2,250",
            "value_high": "",
            "value_text": "",
            "qualifier": "exact",
            "unit": "families",
            "category": "displaced",
            "subject": "families",
            "places": "Atmeh; Sarmada",
            "date_start": "2020-01-27",
            "date_end": "2020-02-02",
            "source": "Camp committee",
            "note": "recount",
        },
        follow_redirects=False,
    )
    assert saved.status_code == 303
    assert saved.headers["location"] == f"/documents/{doc}?fact={fact_ids[2150]}#editor"
    fact = client.get(f"/api/facts/{fact_ids[2150]}").json()
    assert fact["fact"]["value"] == 2250 and fact["fact"]["places"] == ["Atmeh", "Sarmada"]
    assert fact["fact"]["status"] == "corrected"
    changed = fact["audit"][0]
    assert set(changed["new"]) == {"value", "places", "source"}
    assert changed["old"]["source"] is None and changed["note"] == "recount"

    page = client.get(f"/documents/{doc}", params={"fact": fact_ids[2150]})
    assert "recount" in page.text and "st-corrected" in page.text

    verified = client.post(
        f"/facts/{fact_ids[38]}",
        data={"csrf_token": token, "action": "verify", "back": "queue", "version": "1"},
        follow_redirects=False,
    )
    assert verified.status_code == 303 and verified.headers["location"] == "/queue"
    assert client.get(f"/api/facts/{fact_ids[38]}").json()["fact"]["status"] == "verified"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("value", "many", "value"),
        ("date_start", "2020-13-40", "date_start"),
        ("category", "weather", "category"),
    ],
)
def test_bad_form_values_show_in_the_editor(client, login, seeded, fact_ids, field, value, message):
    login(client, "ana")
    fid = fact_ids[14]
    token = _token(client.get(f"/documents/{seeded['doc_id']}").text)
    data = {
        "csrf_token": token,
        "version": "1",
        "action": "save",
        "qualifier": "exact",
        "unit": "people",
        "category": "killed",
        "subject": "civilians",
        "value": "14",
        field: value,
    }
    resp = client.post(f"/facts/{fid}", data=data)
    assert resp.status_code == 422
    assert 'role="alert"' in resp.text and message in resp.text
    assert client.get(f"/api/facts/{fid}").json()["audit"] == []


def test_queue_is_oldest_first_and_shrinks(client, login, fact_ids):
    csrf = login(client, "ana")
    page = client.get("/queue")
    assert page.status_code == 200 and ">4</span>" in page.text
    client.post(
        f"/api/facts/{fact_ids[14]}/reject", headers={"X-CSRF-Token": csrf, "If-Match": '"1"'}
    )
    page = client.get("/queue")
    assert ">3</span>" in page.text and fact_ids[14] not in page.text


def test_upload_form_leads_to_the_document(client, login):
    login(client, "ana")
    token = _token(client.get("/documents").text)
    text = "Our own short test report: the bakery in Binnish reopened on Tuesday."
    resp = client.post(
        "/documents",
        data={"csrf_token": token},
        files={"file": ("bakery.txt", text.encode(), "text/plain")},
        follow_redirects=False,
    )
    assert resp.status_code == 303 and resp.headers["location"].startswith("/jobs/")
    job_page = resp.headers["location"]
    for _ in range(400):  # the page reloads itself until the upload is read
        seen = client.get(job_page, follow_redirects=False)
        if seen.status_code == 303:
            break
        assert seen.status_code == 200 and 'http-equiv="refresh"' in seen.text
        time.sleep(0.05)
    assert seen.status_code == 303 and seen.headers["location"].startswith("/documents/")
    assert "bakery in Binnish" in client.get(seen.headers["location"]).text
    no_token = client.post(
        "/documents", files={"file": ("b.txt", b"x y z", "text/plain")}, data={"csrf_token": "nope"}
    )
    assert no_token.status_code == 403


def test_dashboard_and_users_pages(client, login, fact_ids):
    csrf = login(client, "ada")
    client.post(
        f"/api/facts/{fact_ids[38]}/verify", headers={"X-CSRF-Token": csrf, "If-Match": '"1"'}
    )
    dash = client.get("/")
    assert dash.status_code == 200 and "Review progress" in dash.text
    assert "verified 1" in dash.text and "unreviewed 3" in dash.text
    only = client.get("/", params={"verified_only": True})
    assert "showing verified figures only" in only.text
    assert "/api/exports/csv?verified_only=true" in only.text

    users = client.get("/users")
    token = _token(users.text)
    added = client.post(
        "/users",
        data={"csrf_token": token, "name": "newbie", "role": "viewer", "password": "long password"},
        follow_redirects=False,
    )
    assert added.status_code == 303
    assert "newbie" in client.get("/users").text
    short = client.post(
        "/users", data={"csrf_token": token, "name": "tiny", "role": "viewer", "password": "short"}
    )
    assert short.status_code == 422 and "password" in short.text


def test_stale_form_shows_the_conflict_and_keeps_the_analysts_values(
    client, login, seeded, fact_ids
):
    csrf = login(client, "ana")
    fid = fact_ids[14]
    token = _token(client.get(f"/documents/{seeded['doc_id']}", params={"fact": fid}).text)
    # someone else corrects the figure while this form is open at version 1
    other = client.patch(
        f"/api/facts/{fid}", json={"value": 15}, headers={"X-CSRF-Token": csrf, "If-Match": '"1"'}
    )
    assert other.status_code == 200
    data = {
        "csrf_token": token,
        "version": "1",
        "action": "save",
        "value": "16",
        "qualifier": "exact",
        "unit": "people",
        "category": "killed",
        "subject": "civilians",
        "places": "Maarat al-Numan",
    }
    page = client.post(f"/facts/{fid}", data=data)
    assert page.status_code == 409 and "was changed by ana since you read it" in page.text
    assert 'name="version" value="2"' in page.text  # saving again reapplies over version 2
    assert 'name="value" inputmode="numeric" value="16"' in page.text  # the analyst's value kept
    assert client.get(f"/api/facts/{fid}").json()["fact"]["value"] == 15
    data["version"] = "2"
    assert client.post(f"/facts/{fid}", data=data, follow_redirects=False).status_code == 303
    assert client.get(f"/api/facts/{fid}").json()["fact"]["value"] == 16


def test_dashboard_reads_stored_totals_and_never_reconciles(client, login, db_url, fact_ids):
    from crisisdesk.reconcile import reconcile_store, total
    from crisisdesk.store import Store

    csrf = login(client, "ana")
    first = client.get("/")
    assert first.status_code == 200 and "No reconciled figures are stored yet" in first.text
    with Store.open(db_url) as store:
        reconcile_store(store)
        stored = total(store, category="displaced", unit="people")
    fresh = client.get("/")
    assert "reconciled total" in fresh.text
    assert f"{stored.best:,}" in fresh.text
    client.patch(
        f"/api/facts/{fact_ids[14]}",
        json={"value": 15},
        headers={"X-CSRF-Token": csrf, "If-Match": '"1"'},
    )
    stale = client.get("/")
    assert "Figures changed since the last" in stale.text
    with Store.open(db_url) as store:
        runs = store.last_run()
    assert runs[0] is not None and runs[0].store_version != runs[1]  # the page did not reconcile
