"""Admins manage accounts in the API and on the users page: role, deactivation,
password reset, sessions; passwords are long and not common."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient


def _token(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match
    return match.group(1)


def test_admin_changes_role_deactivates_and_resets_through_the_api(app, client, login, password):
    csrf = login(client, "ada")
    h = {"X-CSRF-Token": csrf}
    with TestClient(app) as vic:
        login(vic, "vic")
        assert (
            client.patch("/api/users/vic", json={"role": "analyst"}, headers=h).status_code == 200
        )
        assert vic.get("/api/session").json()["role"] == "analyst"  # at once, same session
        listed = client.get("/api/users/vic/sessions").json()
        assert listed["total"] == 1 and listed["items"][0]["user"] == "vic"
        off = client.patch("/api/users/vic", json={"active": False}, headers=h)
        assert off.json()["user"]["active"] is False
        assert vic.get("/api/session").status_code == 401  # deactivation ended the session
        assert (
            vic.post("/api/session", json={"name": "vic", "password": password}).status_code == 401
        )
        client.patch("/api/users/vic", json={"active": True}, headers=h)
        login(vic, "vic")
        reset = client.post(
            "/api/users/vic/password", json={"password": "a fresh long passphrase"}, headers=h
        )
        assert reset.status_code == 200 and reset.json()["ended"] == 1
        assert vic.get("/api/session").status_code == 401
        login(vic, "vic", "a fresh long passphrase")


@pytest.mark.parametrize(
    ("password_", "says"),
    [("short", "12"), ("password1234", "common"), ("Qwertyuiop123", "common"),
     ("weak-user-name-here", "name"), ("aaaaaaaaaaaaaaaa", "simple")],
)  # fmt: skip
def test_weak_passwords_are_refused_everywhere(client, login, password_, says):
    csrf = login(client, "ada")
    name = "weak-user"
    resp = client.post(
        "/api/users",
        json={"name": name, "role": "viewer", "password": password_},
        headers={"X-CSRF-Token": csrf},
    )
    assert resp.status_code == 422 and says in resp.text, resp.text
    resp = client.post(
        "/api/users/vic/password", json={"password": password_.replace("weak-user", "vic")},
        headers={"X-CSRF-Token": csrf},
    )  # fmt: skip
    assert resp.status_code == 422


def test_users_page_changes_accounts(client, login):
    login(client, "ada")
    page = client.get("/users")
    assert page.status_code == 200 and "Reset password" in page.text and "End sessions" in page.text
    token = _token(page.text)
    done = client.post("/users/vic", data={"csrf_token": token, "action": "role", "role": "admin"})
    assert done.status_code == 200 and "vic is now admin" in done.text
    # POST-redirect-GET: the change answers 303, and the page is a GET a reload repeats safely
    assert [r.status_code for r in done.history] == [303] and done.request.method == "GET"
    done = client.post("/users/vic", data={"csrf_token": token, "action": "deactivate"})
    assert "vic deactivated" in done.text and done.history[0].status_code == 303
    # the message is made from the store, never from the URL
    made_up = client.get("/users", params={"done": "role", "name": "Call 555 now"})
    assert made_up.status_code == 200 and "Call 555" not in made_up.text
    weak = client.post(
        "/users/vic", data={"csrf_token": token, "action": "password", "password": "password1234"}
    )
    assert weak.status_code == 422 and "common" in weak.text
    forged = client.post("/users/vic", data={"csrf_token": "forged", "action": "activate"})
    assert forged.status_code == 403
    users = {u["name"]: u for u in client.get("/api/users").json()["items"]}
    assert users["vic"] == {"name": "vic", "role": "admin", "active": False}


def test_an_analyst_cannot_manage_accounts(client, login):
    csrf = login(client, "ana")
    h = {"X-CSRF-Token": csrf}
    assert client.patch("/api/users/vic", json={"role": "admin"}, headers=h).status_code == 403
    assert client.delete("/api/users/vic/sessions", headers=h).status_code == 403
    assert client.get("/api/users/vic/sessions").status_code == 403
