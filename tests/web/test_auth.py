"""Who may do what: logged out reads nothing, viewers read, analysts review,
admins manage users; CSRF on every change; login rate limiting; cookie flags."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from crisisdesk.store import Store
from crisisdesk.web.auth import LoginLimiter, hash_password

TEST_KEY = "a-test-key-of-forty-bytes-0123456789abcd"


def _api_routes(app) -> list[tuple[str, str]]:
    """Every operation of the OpenAPI description (the API's own list of itself)."""
    return [
        (method.upper(), path)
        for path, operations in app.openapi()["paths"].items()
        for method in operations
    ]


def _concrete(path: str, fact_id: str, doc_id: str) -> str:
    path = path.replace("{fact_id}", fact_id).replace("{doc_id}", doc_id)
    return path.replace("{fmt}", "csv").replace("sitrep.csv", "sitrep.html")


def test_logged_out_can_read_nothing(app, client, seeded, fact_ids):
    open_routes = {("POST", "/api/session")}
    checked = 0
    for method, path in _api_routes(app):
        if (method, path) in open_routes:
            continue
        url = _concrete(path, fact_ids[14], seeded["doc_id"])
        resp = client.request(method, url, json={})
        assert resp.status_code == 401, (method, url, resp.text)
        assert resp.json()["code"] == "unauthorized"
        checked += 1
    assert checked >= 15
    for page in ("/", "/queue", "/documents", f"/documents/{seeded['doc_id']}", "/users"):
        resp = client.get(page, follow_redirects=False)
        assert resp.status_code == 303 and resp.headers["location"].startswith("/login")


def test_viewer_cannot_change_a_fact(client, login, fact_ids):
    csrf = login(client, "vic")
    headers = {"X-CSRF-Token": csrf}
    fid = fact_ids[14]
    assert client.get(f"/api/facts/{fid}").status_code == 200
    for method, url, body in (
        ("PATCH", f"/api/facts/{fid}", {"value": 99}),
        ("POST", f"/api/facts/{fid}/verify", {}),
        ("POST", f"/api/facts/{fid}/reject", {}),
    ):
        resp = client.request(method, url, json=body, headers=headers)
        assert resp.status_code == 403 and resp.json()["code"] == "forbidden"
    form = client.post(
        f"/facts/{fid}", data={"csrf_token": csrf, "action": "verify"}, follow_redirects=False
    )
    assert form.status_code == 403
    answer = client.get(f"/api/facts/{fid}").json()
    assert answer["fact"]["status"] == "unreviewed" and answer["fact"]["value"] == 14
    assert answer["audit"] == []


def test_only_admins_manage_users(client, login):
    csrf = login(client, "ana")
    assert client.get("/api/users").status_code == 403
    resp = client.post(
        "/api/users",
        json={"name": "zed", "role": "admin", "password": "long enough pw"},
        headers={"X-CSRF-Token": csrf},
    )
    assert resp.status_code == 403

    csrf = login(client, "ada")
    resp = client.post(
        "/api/users",
        json={"name": "zed", "role": "viewer", "password": "long enough pw"},
        headers={"X-CSRF-Token": csrf},
    )
    assert resp.status_code == 201, resp.text
    names = {u["name"]: u["role"] for u in client.get("/api/users").json()["items"]}
    assert names["zed"] == "viewer"
    assert all(
        "password" not in json_user for json_user in client.get("/api/users").json()["items"]
    )
    again = client.post(
        "/api/users",
        json={"name": "zed", "role": "viewer", "password": "long enough pw"},
        headers={"X-CSRF-Token": csrf},
    )
    assert again.status_code == 409 and again.json()["code"] == "conflict"


def test_changes_need_the_csrf_token(client, login, fact_ids):
    csrf = login(client, "ana")
    fid = fact_ids[14]
    for headers in ({}, {"X-CSRF-Token": "forged"}):
        resp = client.post(f"/api/facts/{fid}/verify", headers=headers)
        assert resp.status_code == 403 and resp.json()["code"] == "csrf_failed"
    form = client.post(f"/facts/{fid}", data={"action": "verify", "csrf_token": "forged"})
    assert form.status_code == 403
    assert client.get(f"/api/facts/{fid}").json()["fact"]["status"] == "unreviewed"
    ok = client.post(f"/api/facts/{fid}/verify", headers={"X-CSRF-Token": csrf, "If-Match": '"1"'})
    assert ok.status_code == 200


def test_session_cookie_flags(client, password):
    resp = client.post("/api/session", json={"name": "ana", "password": password})
    cookie = resp.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Path=/" in cookie
    assert "Secure" not in cookie  # plain http on loopback
    assert password not in cookie


def test_secure_cookie_over_https(app, password):
    with TestClient(app, base_url="https://desk.example") as client:
        resp = client.post("/api/session", json={"name": "ana", "password": password})
        assert "Secure" in resp.headers["set-cookie"]


def test_wrong_password_and_rate_limit(db_url, seeded, password):
    from crisisdesk.pipeline import Pipeline
    from crisisdesk.web import create_app

    limiter = LoginLimiter(per_account_address=3, per_address=5, delay=60)
    app = create_app(db_url, secret_key=TEST_KEY, pipeline=Pipeline([]), limiter=limiter)
    attacker = TestClient(app, client=("203.0.113.9", 40000))
    owner = TestClient(app, client=("198.51.100.7", 40000))
    with attacker, owner:
        for _ in range(3):
            resp = attacker.post("/api/session", json={"name": "ana", "password": "wrong one"})
            assert resp.status_code == 401 and resp.json()["error"] == "wrong user name or password"
        # from that address the account now waits, even with the right password...
        resp = attacker.post("/api/session", json={"name": "ana", "password": password})
        assert resp.status_code == 429 and resp.json()["code"] == "rate_limited"
        assert "retry-after" in resp.headers
        # ...but its owner, elsewhere, is not locked out
        assert owner.post("/api/session", json={"name": "ana", "password": password}).is_success
        # another account works from the attacker's address until the address has failed too often
        assert attacker.post("/api/session", json={"name": "vic", "password": password}).is_success
        for name in ("nobody", "ghost"):
            attacker.post("/api/session", json={"name": name, "password": "x"})
        resp = attacker.post("/api/session", json={"name": "ada", "password": password})
        assert resp.status_code == 429
    with Store.open(db_url) as store:
        refused = [e for e in store.audit() if e.action == "login_failed"]
    assert len(refused) == 5


def test_password_change_ends_sessions(client, login, db_url):
    login(client, "vic")
    assert client.get("/api/session").json()["user"] == "vic"
    with Store.open(db_url) as store:
        store.set_password("vic", hash_password("a brand new password"))
    assert client.get("/api/session").status_code == 401


def test_tampered_cookie_is_refused(client, login):
    login(client, "vic")
    token = client.cookies.get("crisisdesk_session")
    client.cookies.set("crisisdesk_session", token[:-3] + "abc")
    assert client.get("/api/documents").status_code == 401


def test_logout_ends_the_session_even_for_a_kept_copy(client, login):
    csrf = login(client, "vic")
    copy = client.cookies.get("crisisdesk_session")
    assert client.delete("/api/session", headers={"X-CSRF-Token": csrf}).status_code == 200
    assert client.get("/api/documents").status_code == 401
    client.cookies.set("crisisdesk_session", copy)
    assert client.get("/api/documents").status_code == 401


def _form_token(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "the form has no CSRF token"
    return match.group(1)


def test_login_form(client, password):
    page = client.get("/login")
    assert page.status_code == 200 and "No admin account yet" not in page.text
    token = _form_token(page.text)
    refused = client.post(
        "/login", data={"name": "ana", "password": password, "csrf_token": "nope"}
    )
    assert refused.status_code == 403
    wrong = client.post("/login", data={"name": "ana", "password": "bad", "csrf_token": token})
    assert wrong.status_code == 401 and "wrong user name or password" in wrong.text
    done = client.post(
        "/login",
        data={"name": "ana", "password": password, "csrf_token": token, "next": "//evil.example"},
        follow_redirects=False,
    )
    assert done.status_code == 303 and done.headers["location"] == "/"
    assert client.get("/queue").status_code == 200


def test_first_run_says_how_to_make_an_admin(tmp_path):
    from crisisdesk.web import create_app

    app = create_app(f"sqlite:///{tmp_path / 'empty.sqlite'}", secret_key=TEST_KEY)
    with TestClient(app) as client:
        page = client.get("/login")
        assert "No admin account yet" in page.text
        assert "crisisdesk user add NAME --role admin" in page.text


@pytest.mark.parametrize("password_", ["short", ""])
def test_weak_passwords_are_refused(client, login, password_):
    csrf = login(client, "ada")
    resp = client.post(
        "/api/users",
        json={"name": "weak", "role": "viewer", "password": password_},
        headers={"X-CSRF-Token": csrf},
    )
    assert resp.status_code == 422 and resp.json()["errors"][0]["field"].endswith("password")
