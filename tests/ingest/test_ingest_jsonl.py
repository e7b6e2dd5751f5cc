"""Documents files (JSON lines) and .json files."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import date
from itertools import islice
from pathlib import Path

from ingest_helpers import FIXTURES

from crisisdesk.errors import IngestError
from crisisdesk.ingest import read_file
from crisisdesk.ingest.jsonl import (
    is_fact_record,
    read_json_bytes,
    read_jsonl_file,
    read_jsonl_lines,
)
from crisisdesk.model import Category, Fact, Ingested, Unit

Writer = Callable[[str, bytes | str], Path]


def _split(results: list[Ingested | IngestError]) -> tuple[list[Ingested], list[IngestError]]:
    good = [r for r in results if isinstance(r, Ingested)]
    bad = [r for r in results if isinstance(r, IngestError)]
    assert len(good) + len(bad) == len(results)
    return good, bad


def test_documents_keep_their_id_text_and_metadata() -> None:
    path = FIXTURES / "documents.jsonl"
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    good, bad = _split(list(read_jsonl_file(path)))
    assert bad == []
    assert [g.document.id for g in good] == [r["id"] for r in records]
    assert [g.document.text for g in good] == [r["text"] for r in records]
    first = good[0].document
    assert (first.url, first.title, first.publisher) == (
        "https://example.org/one",
        "First example",
        "Example Monitor",
    )
    assert first.published == date(2020, 2, 10)
    assert first.fmt == "jsonl"
    assert first.origin == str(path)
    assert good[1].document.published is None
    assert all(g.facts is None for g in good)  # facts are still to be extracted


def test_bad_lines_are_reported_by_number_and_good_lines_still_come_out() -> None:
    path = FIXTURES / "mixed.jsonl"
    good, bad = _split(list(read_jsonl_file(path)))
    assert [g.document.id for g in good] == ["good-1", "good-2", "good-3"]
    assert [e.where for e in bad] == [f"{path}, line {n}" for n in (2, 4, 5, 6)]
    messages = [e.message for e in bad]
    assert messages[0].startswith("not valid JSON")
    assert messages[1] == "expected a JSON object, got list"
    assert messages[2] == '"text" is missing or not a string'
    assert messages[3] == "published is not a complete date: 'sometime soon'"


def test_results_come_in_file_order() -> None:
    results = list(read_jsonl_file(FIXTURES / "mixed.jsonl"))
    kinds = ["doc" if isinstance(r, Ingested) else "err" for r in results]
    assert kinds == ["doc", "err", "doc", "err", "err", "err", "doc"]


def test_streamed_line_by_line() -> None:
    """An endless source still yields: nothing holds the whole file."""

    def endless() -> Iterator[bytes]:
        n = 0
        while True:
            n += 1
            yield json.dumps({"id": f"d{n}", "text": f"Report {n}: {n} houses hit."}).encode()

    first = list(islice(read_jsonl_lines(endless(), origin="stream"), 3))
    assert [r.document.id for r in first if isinstance(r, Ingested)] == ["d1", "d2", "d3"]


def test_missing_id_gets_the_content_hash_and_wrong_types_are_named() -> None:
    lines = [
        json.dumps({"text": "Sixty people sheltered in the mosque."}),
        json.dumps({"id": ["x"], "text": "Eight cars burned."}),
        json.dumps({"title": 5, "text": "Eight cars burned."}),
        json.dumps({"text": "   "}),
    ]
    good, bad = _split(list(read_jsonl_lines(lines, origin="inline")))
    assert len(good) == 1 and len(good[0].document.id) == 16
    assert [e.message for e in bad] == [
        '"id" must be a string',
        '"title" must be a string or null',
        '"text" is empty',
    ]


def test_non_utf8_line_is_one_error(write: Writer) -> None:
    good_line = json.dumps({"id": "ok", "text": "Five wells repaired."}).encode()
    bad_line = '{"id": "x", "text": "é"}'.encode("latin-1")
    path = write("enc.jsonl", good_line + b"\n" + bad_line + b"\n" + good_line + b"\n")
    good, bad = _split(list(read_jsonl_file(path)))
    assert len(good) == 2
    assert len(bad) == 1 and bad[0].where == f"{path}, line 2"
    assert "not UTF-8" in bad[0].message


def test_crlf_and_bom_lines(write: Writer) -> None:
    line = json.dumps({"id": "w1", "text": "Three bridges closed."})
    path = write("win.jsonl", b"\xef\xbb\xbf" + f"{line}\r\n{line}\r\n".encode())
    good, bad = _split(list(read_jsonl_file(path)))
    assert bad == [] and [g.document.text for g in good] == ["Three bridges closed."] * 2


def test_utf16_jsonl_with_bom(write: Writer) -> None:
    line = json.dumps({"id": "u16", "text": "نزوح 40 عائلة"}, ensure_ascii=False)
    path = write("wide.jsonl", f"{line}\n".encode("utf-16"))
    good, bad = _split(list(read_jsonl_file(path)))
    assert bad == [] and good[0].document.text == "نزوح 40 عائلة"
    assert good[0].document.language == "ar"


def test_empty_and_binary_jsonl(write: Writer) -> None:
    path = write("empty.jsonl", b"\n\n  \n")
    [empty] = list(read_jsonl_file(path))
    assert isinstance(empty, IngestError)
    assert (empty.message, empty.where) == ("empty file", str(path))
    binary = list(read_jsonl_file(write("bin.jsonl", b"\x00\x01\x02{}")))
    assert len(binary) == 1 and isinstance(binary[0], IngestError)
    assert binary[0].message == "binary file, not text"


def test_fact_records_are_not_read_as_documents() -> None:
    fact = {"doc": "d1", "quote": "5 killed", "value": 5, "category": "killed", "unit": "people"}
    assert is_fact_record(fact)
    assert not is_fact_record({"id": "d1", "text": "5 killed"})
    results = list(read_jsonl_lines([json.dumps(fact)] * 2, origin="facts.jsonl"))
    assert results, "fact records must produce facts or a clear error"
    for r in results:
        if isinstance(r, Ingested):
            assert r.facts is not None  # handed to the fact reader, not treated as text
        else:
            assert "text" not in r.message  # not the "no text" document error


def test_json_array_and_single_object() -> None:
    array = json.dumps(
        [{"id": "a1", "text": "Ten shops shut."}, 7, {"id": "a2", "text": "Two roads cut."}]
    ).encode()
    good, bad = _split(list(read_json_bytes(array, origin="batch.json")))
    assert [g.document.id for g in good] == ["a1", "a2"]
    assert [(e.where, e.message) for e in bad] == [
        ("batch.json, item 2", "expected a JSON object, got int")
    ]
    single = json.dumps({"id": "s1", "text": "One school reopened."}, indent=2).encode()
    assert [r.document.id for r in read_json_bytes(single, origin="one.json")] == ["s1"]


def test_json_file_holding_json_lines() -> None:
    lines = "\n".join(json.dumps({"id": f"l{i}", "text": f"{i} tents."}) for i in (1, 2))
    results = list(read_json_bytes(lines.encode(), origin="lines.json"))
    assert [r.document.id for r in results if isinstance(r, Ingested)] == ["l1", "l2"]


def test_geojson_in_a_json_file_is_pointed_to_the_right_suffix(write: Writer) -> None:
    data = json.dumps({"type": "FeatureCollection", "features": []}).encode()
    [error] = list(read_json_bytes(data, origin="map.json"))
    assert isinstance(error, IngestError) and ".geojson" in error.message
    # With a path, the file goes to the GeoJSON reader instead of being refused.
    path = write("map.json", data)
    for result in read_file(path):
        assert not (isinstance(result, IngestError) and ".geojson" in result.message)


def test_dev_corpus_reads_verbatim(dev_docs: Path) -> None:
    records = [json.loads(line) for line in dev_docs.read_text(encoding="utf-8").splitlines()]
    good, bad = _split(list(read_jsonl_file(dev_docs)))
    assert bad == []
    assert [g.document.id for g in good] == [r["id"] for r in records]
    for g, r in zip(good, records, strict=True):
        assert g.document.text == r["text"]
        assert g.document.title == r["title"]
        published = r["published"]
        assert g.document.published == (date.fromisoformat(published) if published else None)


def test_exported_fact_array_comes_back_as_facts(write: Writer) -> None:
    text = "Volunteers said 14 civilians were killed in the night."
    start = text.index("14")
    fact = Fact(
        doc="export-doc",
        quote=text,
        quote_start=0,
        span=(start, start + 2),
        value=14,
        category=Category.KILLED,
        unit=Unit.PEOPLE,
        subject="civilians",
    )
    path = write("export.json", json.dumps([fact.to_json()]))
    results = list(read_file(path))
    good, bad = _split(results)
    assert bad == []
    [ingested] = good
    assert ingested.document.id == "export-doc"
    assert ingested.facts is not None
    assert [(f.value, f.category, f.unit) for f in ingested.facts] == [
        (14, Category.KILLED, Unit.PEOPLE)
    ]
