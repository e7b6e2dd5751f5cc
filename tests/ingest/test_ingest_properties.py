"""Arbitrary bytes never crash ingest: they give documents or an IngestError."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crisisdesk.errors import IngestError
from crisisdesk.ingest import read_bytes, read_file
from crisisdesk.model import Ingested, normalise_text

NAMES = ["r.txt", "r.md", "r.html", "r.pdf", "r.jsonl", "r.json", "upload"]

# Plain noise rarely looks like a PDF or JSON, so some inputs start like one.
PREFIXES = st.sampled_from(
    [b"", b"%PDF-1.4\n", b"<html><body>", b'{"text": "', b"[", b"\xef\xbb\xbf", b"\xff\xfe"]
)
SUFFIXES = st.sampled_from([b"", b"\n%%EOF\n", b'"}\n', b"</p>"])
PAYLOADS = st.one_of(
    st.binary(max_size=600),
    st.text(max_size=300).map(lambda t: t.encode("utf-8")),
    st.text(max_size=200).map(lambda t: t.encode("utf-16")),
)
INPUTS = st.tuples(PREFIXES, PAYLOADS, SUFFIXES).map(lambda parts: b"".join(parts))


def _check_documents(results: list[Ingested], name: str) -> None:
    for result in results:
        assert isinstance(result, Ingested)
        assert normalise_text(result.document.text), "a document always has text"
        assert result.document.origin == name


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=INPUTS, name=st.sampled_from(NAMES))
def test_read_bytes_gives_documents_or_ingest_error(data: bytes, name: str) -> None:
    try:
        results = read_bytes(data, name)
    except IngestError as exc:
        assert exc.message and exc.where is not None and exc.where.startswith(name)
        return
    assert results
    _check_documents(results, name)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=INPUTS, name=st.sampled_from(NAMES))
def test_read_file_yields_documents_or_ingest_errors(data: bytes, name: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        path.write_bytes(data)
        results = list(read_file(path))
    assert results, "a file always yields something: documents or an error"
    for result in results:
        if isinstance(result, IngestError):
            assert result.where is not None and result.where.startswith(str(path))
        else:
            _check_documents([result], str(path))
