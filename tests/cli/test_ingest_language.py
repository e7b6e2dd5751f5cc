"""`crisisdesk ingest` records each document's language and says which ones it added."""

from __future__ import annotations

import gzip
import json
import shutil
from pathlib import Path

from typer.testing import CliRunner

from arabic_fixture import FIXTURE
from crisisdesk.cli import build_app
from crisisdesk.store import Store

ENGLISH = "Rescue teams said 7 people were hurt in Ariha on Monday.\n"


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(FIXTURE, folder / "sarmin.txt")
    (folder / "ariha.txt").write_text(ENGLISH, encoding="utf-8")
    return folder


def test_ingest_json_gives_each_added_document_its_language(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'x.sqlite'}"
    result = CliRunner().invoke(
        build_app(), ["ingest", str(_folder(tmp_path)), "--db", db, "--json"]
    )
    body = json.loads(result.stdout)
    assert body["ok"] and body["added"] == 2
    assert sorted(body["languages"].values()) == ["ar", "en"]
    assert set(body["languages"]) == set(body["documents"])
    with Store.open(db) as store:  # stored on the document, not only reported
        assert sorted(d.language for d in store.list_documents()) == ["ar", "en"]


def test_ingest_prints_the_languages_added(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'x.sqlite'}"
    result = CliRunner().invoke(build_app(), ["ingest", str(_folder(tmp_path)), "--db", db])
    assert "2 documents added (ar 1, en 1)" in result.stdout


def test_streamed_ingest_records_languages_too(tmp_path: Path) -> None:
    """A .gz of JSON lines goes through the streaming engine: same languages."""
    text = FIXTURE.read_text(encoding="utf-8").split("\n\n", 1)[1]
    lines = [{"id": "ar-1", "text": text}, {"id": "en-1", "text": ENGLISH}]
    gz = tmp_path / "docs.jsonl.gz"
    with gzip.open(gz, "wt", encoding="utf-8") as out:
        out.writelines(json.dumps(x, ensure_ascii=False) + "\n" for x in lines)
    db = f"sqlite:///{tmp_path / 'x.sqlite'}"
    result = CliRunner().invoke(build_app(), ["ingest", str(gz), "--db", db, "--json"])
    assert json.loads(result.stdout)["languages"] == {"ar-1": "ar", "en-1": "en"}
