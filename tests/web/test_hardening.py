"""The smaller holes: long file names, ids with "/", links that are not http(s),
API docs served from the package, security headers on every answer."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from crisisdesk.model import Document
from crisisdesk.store import Store
from crisisdesk.web.api_documents import safe_filename

from .live import uploaded


@pytest.mark.parametrize(
    "name",
    ["é" * 200 + ".txt", "x" * 300 + ".txt", "../../etc/" + "y" * 400, "a\x00b\nc.txt", ""],
)
def test_long_and_odd_file_names_are_cut_safely(client, login, name):
    safe = safe_filename(name)
    assert 0 < len(safe.encode()) <= 255 and "/" not in safe and safe.isprintable()
    if name.endswith(".txt"):
        assert safe.endswith(".txt")
    csrf = login(client, "ana")
    text = b"Our own test note: the school in Kafr Nabl stayed shut all week."
    job = uploaded(client, csrf, name or "x", text)
    assert job["state"] == "done", job
    assert 0 < len(job["name"].encode()) <= 255


@pytest.fixture
def odd_doc(db_url, seeded):
    doc = Document(
        id="feed/2021/item?1#a",
        text="A note of ours about the bakery in Binnish.",
        title="Odd id",
        url="javascript:alert(1)",
    )
    with Store.open(db_url) as store:
        store.add_document(doc, [])
    return doc


def test_ids_with_slashes_open_and_bad_urls_are_not_links(client, login, odd_doc):
    login(client, "vic")
    from urllib.parse import quote

    for path in (quote(odd_doc.id, safe=""), quote(odd_doc.id, safe="/")):
        api = client.get(f"/api/documents/{path}")
        assert api.status_code == 200 and api.json()["document"]["id"] == odd_doc.id
        page = client.get(f"/documents/{path}")
        assert page.status_code == 200, path
        assert 'href="javascript:' not in page.text and "javascript:alert(1)" in page.text
    listing = client.get("/documents").text
    assert f'href="/documents/{quote(odd_doc.id, safe="")}"' in listing


def test_http_links_stay_links(client, login, db_url, seeded):
    login(client, "vic")
    doc = Document.from_text("Another note of ours.", title="Linked", url="https://example.org/r")
    with Store.open(db_url) as store:
        store.add_document(doc, [])
    page = client.get(f"/documents/{doc.id}")
    assert 'href="https://example.org/r"' in page.text


def test_api_docs_are_served_from_the_package(client):
    for page, asset in (
        ("/api/docs", "/api/docs-assets/swagger-ui-bundle.js"),
        ("/api/redoc", "/api/docs-assets/redoc.standalone.js"),
    ):
        html = client.get(page)
        assert html.status_code == 200 and asset in html.text
        assert "cdn" not in html.text.lower() and "<script>" not in html.text  # no inline script
        js = client.get(asset)
        assert js.status_code == 200 and len(js.content) > 100_000
    assert client.get("/static/docs-init.js").status_code == 200


def _headers_hold(resp, https: bool = False) -> None:
    h = resp.headers
    assert h["x-frame-options"] == "DENY", resp.request.url
    assert "frame-ancestors 'none'" in h["content-security-policy"]
    assert h["referrer-policy"] == "same-origin"
    assert h["x-content-type-options"] == "nosniff"
    assert ("strict-transport-security" in h) == https


def test_security_headers_on_every_answer(app, client, login):
    answers = [
        client.get("/login"),
        client.get("/api/facts"),  # 401
        client.post("/api/documents", content=b"x" * 10),  # 401 before the body is read
        client.get("/static/app.css"),
        client.get("/api/docs"),
        client.get("/no-such-page"),
    ]
    login(client, "vic")
    answers += [client.get("/"), client.get("/api/facts"), client.get("/api/exports/csv")]
    for resp in answers:
        _headers_hold(resp)
    with TestClient(app, base_url="https://desk.example") as secure:
        _headers_hold(secure.get("/login"), https=True)
        _headers_hold(secure.get("/api/facts"), https=True)
