"""The public entry points: expanding paths, dispatching files, uploads, batches."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from ingest_helpers import FIXTURES

from crisisdesk.errors import IngestError
from crisisdesk.ingest import expand_paths, read_bytes, read_file, read_paths, sniff_format
from crisisdesk.model import Ingested

Writer = Callable[[str, bytes | str], Path]

REPORT = "Field teams counted 25 houses destroyed and 60 people displaced in the valley."


def _docs(results: list[Ingested | IngestError]) -> list[Ingested]:
    return [r for r in results if isinstance(r, Ingested)]


def _errors(results: list[Ingested | IngestError]) -> list[IngestError]:
    return [r for r in results if isinstance(r, IngestError)]


# -- expand_paths -----------------------------------------------------------


def test_expand_paths_walks_folders_sorted_and_skips_hidden_and_unknown(write: Writer) -> None:
    root = write("reports/b.txt", REPORT).parent
    write("reports/a.html", "<p>x</p>")
    write("reports/sub/c.PDF", b"%PDF")
    write("reports/sub/notes.docx", b"word")
    write("reports/.hidden.txt", REPORT)
    write("reports/.git/d.txt", REPORT)
    write("reports/script.py", "print()")
    loose = write("loose.weird", REPORT)
    found = expand_paths([root, str(loose), root / "b.txt"])
    names = [p.relative_to(root.parent).as_posix() for p in found]
    assert names == ["reports/a.html", "reports/b.txt", "reports/sub/c.PDF", "loose.weird"]


def test_expand_paths_names_a_missing_path(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.txt"
    with pytest.raises(IngestError, match="no such file or folder") as info:
        expand_paths([missing])
    assert info.value.where == str(missing)


# -- read_file dispatch -------------------------------------------------------


def test_read_file_dispatches_by_suffix(two_page_pdf: bytes, write: Writer) -> None:
    formats = {
        "report_front_matter.txt": "text",
        "plain_note.md": "text",
        "article.html": "html",
        "documents.jsonl": "jsonl",
    }
    for name, fmt in formats.items():
        docs = _docs(list(read_file(FIXTURES / name)))
        assert docs and {d.document.fmt for d in docs} == {fmt}, name
    [pdf] = list(read_file(write("camp.pdf", two_page_pdf)))
    assert isinstance(pdf, Ingested) and pdf.document.fmt == "pdf"


def test_read_file_sniffs_files_without_a_known_suffix(two_page_pdf: bytes, write: Writer) -> None:
    html = (FIXTURES / "article.html").read_bytes()
    jsonl = (FIXTURES / "documents.jsonl").read_bytes()
    cases = {"page": (html, "html"), "scan": (two_page_pdf, "pdf"), "docs": (jsonl, "jsonl")}
    cases["notes.log"] = (REPORT.encode(), "text")
    for name, (data, fmt) in cases.items():
        docs = _docs(list(read_file(write(name, data))))
        assert docs and {d.document.fmt for d in docs} == {fmt}, name


@pytest.mark.parametrize(
    ("head", "fmt"),
    [
        (b"%PDF-1.7\n", "pdf"),
        (b"\n  <!DOCTYPE html><html>", "html"),
        (b"<div>hello</div><body>", "html"),
        (b'{"id": 1}', "jsonl"),
        (b'[{"id": 1}]', "json"),
        (b"Plain words with <angle> marks", "text"),
    ],
)
def test_sniff_format(head: bytes, fmt: str) -> None:
    assert sniff_format(head) == fmt


def test_read_file_on_a_folder_or_missing_file(tmp_path: Path) -> None:
    [folder] = list(read_file(tmp_path))
    assert isinstance(folder, IngestError) and folder.message == "is a folder, not a file"
    [missing] = list(read_file(tmp_path / "gone.txt"))
    assert isinstance(missing, IngestError) and missing.where == str(tmp_path / "gone.txt")


def test_tabular_formats_go_to_the_tabular_readers(write: Writer) -> None:
    # Whatever tabular.py does (stub or real), a CSV is never read as prose.
    path = write("events.csv", "event_date,fatalities\n2020-01-02,3\n")
    for result in read_file(path):
        if isinstance(result, Ingested):
            assert result.document.fmt != "text"
        else:
            assert result.where is not None and str(path) in result.where


# -- idempotent ids -------------------------------------------------------------


def test_same_text_in_txt_and_jsonl_gives_the_same_id(write: Writer) -> None:
    [txt] = list(read_file(write("r.txt", REPORT + "\n")))
    [jsonl] = list(read_file(write("r.jsonl", json.dumps({"text": REPORT}) + "\n")))
    assert isinstance(txt, Ingested) and isinstance(jsonl, Ingested)
    assert txt.document.id == jsonl.document.id


def test_line_endings_and_bom_do_not_change_the_id(write: Writer) -> None:
    text = "First paragraph: 3 clinics closed.\n\nSecond paragraph: 9 staff evacuated.\n"
    variants = {
        "lf.txt": text.encode(),
        "crlf.txt": text.replace("\n", "\r\n").encode(),
        "bom.txt": b"\xef\xbb\xbf" + text.encode(),
        "utf16.txt": text.encode("utf-16"),
    }
    ids = set()
    for name, data in variants.items():
        [result] = list(read_file(write(name, data)))
        assert isinstance(result, Ingested), result
        ids.add(result.document.id)
    assert len(ids) == 1
    [crlf] = list(read_file(write("crlf2.txt", variants["crlf.txt"])))
    assert isinstance(crlf, Ingested) and "\r\n" in crlf.document.text  # text stays verbatim


def test_reading_twice_gives_identical_documents() -> None:
    first = list(read_paths([FIXTURES]))
    second = list(read_paths([FIXTURES]))
    assert [d.document for d in _docs(first)] == [d.document for d in _docs(second)]


# -- bad input --------------------------------------------------------------------


def test_huge_file_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:
        handle.truncate(3 * 1024 * 1024)  # sparse: instant, and full of NULs if read
    [error] = list(read_file(path, max_bytes=1024 * 1024))
    assert isinstance(error, IngestError)
    assert error.message == "file too large: 3 MB, limit 1 MB"
    assert error.where == str(path)


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("empty.txt", b"", "empty file"),
        ("blank.md", b" \n\t\n", "empty file"),
        ("photo.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "binary file, not text"),
        ("archive.txt", b"PK\x03\x04\x14\x00\x08\x00\x00\x00!\x00", "binary file, not text"),
    ],
)
def test_bad_single_files(write: Writer, name: str, data: bytes, message: str) -> None:
    path = write(name, data)
    [error] = list(read_file(path))
    assert isinstance(error, IngestError)
    assert (error.message, error.where) == (message, str(path))


def test_windows_1256_file(write: Writer) -> None:
    text = "وصلت 12 شاحنة مساعدات إلى المخيمات الشمالية يوم الثلاثاء."
    [result] = list(read_file(write("ar.txt", text.encode("cp1256"))))
    assert isinstance(result, Ingested)
    assert result.document.text == text and result.document.language == "ar"


def test_folder_with_good_and_bad_files(write: Writer, two_page_pdf: bytes) -> None:
    good = {
        "batch/a_report.txt": REPORT,
        "batch/b_page.html": (FIXTURES / "article.html").read_text(encoding="utf-8"),
        "batch/c_docs.jsonl": (FIXTURES / "documents.jsonl").read_text(encoding="utf-8"),
        "batch/d_camp.pdf": two_page_pdf,
    }
    bad = {
        "batch/e_empty.txt": b"",
        "batch/f_image.txt": b"\x89PNG\r\n\x1a\n\x00\x00",
        "batch/g_nothing.html": (FIXTURES / "no_text.html").read_bytes(),
        "batch/h_cut.pdf": two_page_pdf[:800],
        "batch/sub/i_scan.pdf": b"%PDF-1.4\n%%EOF",
    }
    paths = {name: write(name, content) for name, content in {**good, **bad}.items()}
    results = list(read_paths([paths["batch/a_report.txt"].parent]))
    docs, errors = _docs(results), _errors(results)
    assert len(docs) == 1 + 1 + 2 + 1
    assert {d.document.origin for d in docs} == {str(paths[n]) for n in good}
    assert sorted(e.where or "" for e in errors) == sorted(str(paths[n]) for n in bad)


def test_read_paths_continues_past_a_missing_path(tmp_path: Path) -> None:
    results = list(read_paths([tmp_path / "missing", FIXTURES / "plain_note.md"]))
    assert isinstance(results[0], IngestError) and "no such file" in results[0].message
    assert isinstance(results[1], Ingested)


# -- read_bytes (uploads) ------------------------------------------------------------


def test_read_bytes_by_name_content_type_and_sniffing(two_page_pdf: bytes) -> None:
    html = (FIXTURES / "article.html").read_bytes()
    assert read_bytes(REPORT.encode(), "r.txt")[0].document.fmt == "text"
    assert read_bytes(html, "upload", "text/html; charset=utf-8")[0].document.fmt == "html"
    assert read_bytes(two_page_pdf, "blob")[0].document.fmt == "pdf"
    [doc] = read_bytes(REPORT.encode(), "r.txt")
    assert doc.document.origin == "r.txt"


def test_read_bytes_jsonl_is_all_or_nothing() -> None:
    good = (FIXTURES / "documents.jsonl").read_bytes()
    assert [r.document.id for r in read_bytes(good, "docs.jsonl")] == ["ex-001", "ex-002"]
    with pytest.raises(IngestError) as info:
        read_bytes((FIXTURES / "mixed.jsonl").read_bytes(), "mixed.jsonl")
    assert info.value.where == "mixed.jsonl, line 2"
    assert "and 3 more bad records" in info.value.message


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"", "e.txt", "empty file"),
        (b"\x00\x01\x02", "x.bin", "binary file, not text"),
        (b"x" * 2048, "big.txt", "file too large"),
    ],
)
def test_read_bytes_raises_for_bad_uploads(data: bytes, name: str, message: str) -> None:
    with pytest.raises(IngestError, match=message) as info:
        read_bytes(data, name, max_bytes=1024)
    assert info.value.where == name
