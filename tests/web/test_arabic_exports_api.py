"""The export downloads of the web API carry an Arabic report as UTF-8, declared as UTF-8."""

from __future__ import annotations

import json
from pathlib import Path

from fastapi.testclient import TestClient

from arabic_fixture import fill_arabic
from crisisdesk.model import Document
from crisisdesk.pipeline import Pipeline
from crisisdesk.store import Store
from crisisdesk.web import create_app
from crisisdesk.web.auth import hash_password

from .conftest import PASSWORD, TEST_KEY


def test_api_export_sends_the_arabic_bytes(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'ar.sqlite'}"
    with Store.open(url) as store:
        _, facts = fill_arabic(store)
        store.add_user("vic", "viewer", hash_password(PASSWORD), by="test")
    app = create_app(url, secret_key=TEST_KEY, pipeline=Pipeline([]))
    with TestClient(app) as client:
        login = {"name": "vic", "password": PASSWORD}
        assert client.post("/api/session", json=login).status_code == 200
        for fmt in ("csv", "hxl", "acled-aggregates"):
            resp = client.get(f"/api/exports/{fmt}")
            assert resp.status_code == 200
            assert resp.headers["content-type"] == "text/csv; charset=utf-8"
            text = resp.content.decode("utf-8")
            assert text.startswith("\ufeff")  # spreadsheets read the file as UTF-8
            if fmt != "acled-aggregates":
                assert all(f.quote in text for f in facts)
        resp = client.get("/api/exports/jsonl")
        lines = [json.loads(x) for x in resp.content.decode("utf-8").splitlines()]
    assert {x["quote"] for x in lines} == {f.quote for f in facts}
    assert {p for x in lines for p in x["places"]} == {"سرمين"}


def test_document_json_gives_language_and_paragraph_languages(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'ar.sqlite'}"
    with Store.open(url) as store:
        doc, _ = fill_arabic(store)
        # a document stored without a language (before ingest recorded it): told on read
        old = Document.from_text("Shelling hit 3 schools.\n\nقصف 3 مدارس.", language=None)
        store.add_document(old, [])
        store.add_user("vic", "viewer", hash_password(PASSWORD), by="test")
    app = create_app(url, secret_key=TEST_KEY, pipeline=Pipeline([]))
    with TestClient(app) as client:
        client.post("/api/session", json={"name": "vic", "password": PASSWORD})
        body = client.get(f"/api/documents/{doc.id}").json()["document"]
        listing = client.get("/api/documents").json()
        mixed = client.get(f"/api/documents/{old.id}").json()["document"]
    assert body["language"] == "ar"
    spans = body["languages"]
    assert [lang for _, _, lang in spans] == ["ar", "ar", "en"]
    assert body["text"][spans[2][0] : spans[2][1]].startswith("Field note:")
    assert spans[0][0] == 0 and all(a[1] < b[0] for a, b in zip(spans, spans[1:], strict=False))
    languages = {d["id"]: d["language"] for d in listing["items"]}
    assert languages == {doc.id: "ar", old.id: "en"}
    assert [lang for _, _, lang in mixed["languages"]] == ["en", "ar"]
