"""The export downloads of the web API carry an Arabic report as UTF-8, declared as UTF-8."""

from __future__ import annotations

import json
from pathlib import Path

from fastapi.testclient import TestClient

from arabic_fixture import fill_arabic
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
