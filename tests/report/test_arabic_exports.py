"""Exports of an Arabic report: UTF-8 with the Arabic quotes, places, titles and vague
amounts intact (not escaped, not transliterated), CSV with the BOM spreadsheets need, HXL
that libhxl reads, and every format read back by `crisisdesk ingest` as the same facts."""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator
from pathlib import Path

import pytest

from arabic_fixture import ARABIC_WORDS, fill_arabic
from crisisdesk.ingest import read_file
from crisisdesk.model import Document, Fact, Ingested
from crisisdesk.report import export
from crisisdesk.store import Store

SUFFIX = {"csv": ".csv", "hxl": ".csv", "json": ".json", "jsonl": ".jsonl", "geojson": ".geojson"}


@pytest.fixture
def arabic(tmp_path: Path) -> Iterator[tuple[Store, Document, list[Fact]]]:
    store = Store.open(f"sqlite:///{tmp_path / 'ar.sqlite'}")
    doc, facts = fill_arabic(store)
    yield store, doc, facts
    store.close()


def _export(store: Store, fmt: str, tmp_path: Path) -> Path:
    out = tmp_path / f"facts-{fmt}{SUFFIX[fmt]}"
    assert export(store, fmt, out) == 4
    return out


@pytest.mark.parametrize("fmt", sorted(SUFFIX))
def test_arabic_is_written_as_utf8_text(arabic, tmp_path: Path, fmt: str) -> None:
    store, doc, facts = arabic
    data = _export(store, fmt, tmp_path).read_bytes()
    text = data.decode("utf-8")  # strict: any other encoding fails here
    for fact in facts:
        assert fact.quote in text  # as written, not "\\u0645..." escapes
    for word in ARABIC_WORDS:
        assert word in text
    assert doc.title in text and "عشرات" in text
    # a BOM for the spreadsheet formats, none where the format forbids it (RFC 7946)
    assert data.startswith(codecs.BOM_UTF8) == (fmt in ("csv", "hxl"))


@pytest.mark.parametrize("fmt", ["csv", "hxl"])
def test_csv_cells_hold_the_exact_quotes(arabic, tmp_path: Path, fmt: str) -> None:
    store, doc, facts = arabic
    text = _export(store, fmt, tmp_path).read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    if fmt == "hxl":
        rows = rows[1:]  # the hashtag row
    assert sorted(r["quote"] for r in rows) == sorted(f.quote for f in facts)
    for row in rows:
        start = int(row["quote_start"])
        assert doc.text[start : start + len(row["quote"])] == row["quote"]
        assert row["places"] == "سرمين"
        assert row["doc_title"] == "غارات على سرمين"
    vague = next(r for r in rows if not r["value"])
    assert vague["value_text"] == "عشرات"


def test_libhxl_reads_the_arabic_cells(arabic, tmp_path: Path) -> None:
    hxl = pytest.importorskip("hxl")
    store, _, facts = arabic
    out = _export(store, "hxl", tmp_path)
    dataset = hxl.data(str(out), hxl.InputOptions(allow_local=True)).cache()
    # "#meta+quote" also names the quote's offsets (#meta+quote+start): the first is the quote
    assert {row.get("#meta+quote") for row in dataset} == {f.quote for f in facts}
    assert set(dataset.get_value_set("#loc+name+written")) == {"سرمين"}
    assert set(dataset.get_value_set("#meta+title")) == {"غارات على سرمين"}
    assert "عشرات" in dataset.get_value_set("#indicator+value+text")
    assert sorted(int(v) for v in dataset.get_value_set("#affected+killed") if v) == [12]
    assert len(list(dataset)) == 4


@pytest.mark.parametrize("fmt", sorted(SUFFIX))
def test_arabic_export_reads_back_as_the_same_facts(arabic, tmp_path: Path, fmt: str) -> None:
    store, _, facts = arabic
    out = _export(store, fmt, tmp_path)
    read = [item for item in read_file(out)]
    assert all(isinstance(i, Ingested) for i in read), read
    back = [f for item in read for f in (item.facts or ())]  # type: ignore[union-attr]
    key = lambda f: f.span  # noqa: E731
    assert [(f.quote, f.places, f.value, f.value_text) for f in sorted(back, key=key)] == [
        (f.quote, f.places, f.value, f.value_text) for f in sorted(facts, key=key)
    ]
