"""Every failure the API answers has the one shape: ok, code, error, errors, status."""

from __future__ import annotations

import pytest

SHAPE = {"ok", "code", "error", "errors", "status"}


def _check(resp, status: int, code: str | None = None) -> dict:
    assert resp.status_code == status, resp.text
    body = resp.json()
    assert set(body) == SHAPE, body
    assert body["ok"] is False and body["status"] == status
    assert isinstance(body["error"], str) and body["error"]
    assert isinstance(body["errors"], list)
    if code:
        assert body["code"] == code
    return body


def _operations(app) -> list[tuple[str, str]]:
    return [(m.upper(), p) for p, ops in app.openapi()["paths"].items() for m in ops]


def test_every_route_answers_401_and_404_in_shape(app, client, login):
    csrf = login(client, "ada")
    headers = {"X-CSRF-Token": csrf}
    for method, path in _operations(app):
        if "{" not in path or path.startswith("/api/reports") or "{fmt}" in path:
            continue
        url = path.replace("{fact_id}", "missing").replace("{doc_id}", "missing")
        url = url.replace("{name}", "missing").replace("{job_id}", "999999")
        body = {"password": "a long enough new password"} if url.endswith("/password") else {}
        _check(client.request(method, url, json=body, headers=headers), 404, "not_found")
    client.cookies.clear()
    for method, path in _operations(app):
        if (method, path) == ("POST", "/api/session"):
            continue
        url = path.replace("{fact_id}", "x").replace("{doc_id}", "x").replace("{fmt}", "csv")
        url = url.replace("{name}", "x").replace("{job_id}", "1")
        _check(client.request(method, url, json={}), 401, "unauthorized")


def test_validation_errors_name_the_field(client, login):
    login(client, "vic")
    body = _check(client.get("/api/facts", params={"category": "weather"}), 422, "invalid")
    assert body["errors"][0]["field"] == "query.category"
    assert "category" in body["error"]
    body = _check(client.get("/api/facts", params={"limit": 0}), 422, "invalid")
    assert body["errors"][0]["field"] == "query.limit"
    _check(client.get("/api/facts", params={"date_from": "soon"}), 422, "invalid")
    _check(client.get("/api/exports/xlsx"), 422, "invalid")
    _check(client.get("/api/totals"), 422, "invalid")  # category is required


def test_http_errors_share_the_shape(client, login):
    login(client, "vic")
    _check(client.get("/api/no-such-thing"), 404, "not_found")
    _check(client.put("/api/facts"), 405, "method_not_allowed")
    _check(
        client.post(
            "/api/session", content=b"{not json", headers={"Content-Type": "application/json"}
        ),
        422,
        "invalid",
    )


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"name": "ana"},
        {"name": "", "password": "x"},
        {"name": "a", "password": "b", "extra": 1},
    ],
)
def test_bad_login_bodies(client, body):
    _check(client.post("/api/session", json=body), 422, "invalid")


def test_pages_render_errors_as_html(client, login):
    login(client, "vic")
    resp = client.get("/documents/missing")
    assert resp.status_code == 404 and resp.headers["content-type"].startswith("text/html")
    assert "no document" in resp.text
