"""Ingest: files and uploads into Documents (pipeline step 1).

A file goes to a reader by its suffix, or, when the suffix says nothing, by
sniffing its first bytes. Readers yield ``Ingested`` records; a file that
cannot be read yields one ``IngestError`` naming it (and the line or page),
so a batch carries on past a bad file and the caller decides what to report.
Re-ingesting the same content gives the same document id; the store keeps
it once.
"""

from __future__ import annotations

import logging
import os
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path

from crisisdesk.errors import IngestError
from crisisdesk.ingest import tabular
from crisisdesk.ingest.common import DEFAULT_MAX_BYTES, check_size, parse_date
from crisisdesk.ingest.decode import decode_bytes
from crisisdesk.ingest.jsonl import read_json_bytes, read_json_file, read_jsonl_file
from crisisdesk.ingest.jsonl import read_jsonl_lines as _read_jsonl_lines
from crisisdesk.ingest.text import read_text_bytes, split_front_matter
from crisisdesk.model import Document, Ingested

__all__ = [
    "DEFAULT_MAX_BYTES",
    "KNOWN_SUFFIXES",
    "decode_bytes",
    "expand_paths",
    "expand_paths_noting",
    "parse_date",
    "read_bytes",
    "read_file",
    "read_paths",
    "sniff_format",
    "split_front_matter",
]

log = logging.getLogger(__name__)

# Suffix -> format. Inside folders only these are read; a file named on
# its own is read whatever its suffix, its format sniffed when unknown.
KNOWN_SUFFIXES: dict[str, str] = {
    ".txt": "text",
    ".md": "text",
    ".html": "html",
    ".htm": "html",
    ".pdf": "pdf",
    ".jsonl": "jsonl",
    ".json": "json",
    ".csv": "csv",
    ".geojson": "geojson",
}

_CONTENT_TYPES: dict[str, str] = {
    "text/plain": "text",
    "text/markdown": "text",
    "text/html": "html",
    "application/xhtml+xml": "html",
    "application/pdf": "pdf",
    "application/jsonl": "jsonl",
    "application/x-ndjson": "jsonl",
    "application/x-jsonlines": "jsonl",
    "application/json": "json",
    "text/csv": "csv",
    "application/geo+json": "geojson",
}

_SNIFF_BYTES = 1024


def sniff_format(head: bytes) -> str:
    """The format a file's first bytes suggest: pdf, html, jsonl, json or text."""
    if b"%PDF-" in head[:_SNIFF_BYTES]:
        return "pdf"
    start = head[:_SNIFF_BYTES].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if start.startswith((b"<!doctype html", b"<html", b"<?xml")) or any(
        tag in start for tag in (b"<html", b"<head", b"<body")
    ):
        return "html"
    if start.startswith(b"{"):
        return "jsonl"
    if start.startswith(b"["):
        return "json"
    return "text"


def _format_of(path: Path) -> str | None:
    return KNOWN_SUFFIXES.get(path.suffix.lower())


def expand_paths(paths: Iterable[Path | str]) -> list[Path]:
    """Files as given and folders walked recursively, in a stable order.

    Inside a folder, hidden files and folders are skipped and only known
    suffixes are kept, so a folder of reports can hold notes and scripts
    too. A path that does not exist is an IngestError naming it.
    """
    return expand_paths_noting(paths)[0]


def expand_paths_noting(paths: Iterable[Path | str]) -> tuple[list[Path], list[tuple[str, str]]]:
    """``expand_paths``, and every file a folder held that is not read, with why
    (a hidden file, an unsupported type, an empty or binary file): a user must
    see what was left out, never lose a report without a word."""
    found: list[Path] = []
    skipped: list[tuple[str, str]] = []
    seen: set[Path] = set()
    for given in paths:
        path = Path(given)
        if path.is_dir():
            candidates = _walk(path, skipped)
        elif path.exists():
            candidates = [path]
        else:
            raise IngestError("no such file or folder", where=str(path))
        for candidate in candidates:
            if candidate not in seen:
                seen.add(candidate)
                found.append(candidate)
    return found, skipped


def _why_not_read(path: Path) -> str | None:
    """Why a file inside a folder is not read (None: it is read)."""
    if path.name.startswith("."):
        return "hidden file"
    if not path.is_file():
        return "not a regular file"
    if not _format_of(path):
        size = path.stat().st_size
        kind = "empty" if size == 0 else "binary" if _looks_binary(path) else "text"
        return f"unsupported type {path.suffix or '(no suffix)'} ({kind})"
    return None  # read, and an empty or unreadable one is reported as failed


def _looks_binary(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            return b"\0" in handle.read(_SNIFF_BYTES)
    except OSError:
        return False


def _walk(folder: Path, skipped: list[tuple[str, str]] | None = None) -> list[Path]:
    """Known files under ``folder``, sorted; hidden entries and symlinked folders skipped
    (each file left out is added to ``skipped`` with why)."""
    files: list[Path] = []
    for root, dirnames, filenames in os.walk(folder, followlinks=False):
        hidden = sorted(d for d in dirnames if d.startswith("."))
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        if skipped is not None:
            skipped.extend((str(Path(root) / d), "hidden folder") for d in hidden)
        for name in sorted(filenames):
            path = Path(root) / name
            why = _why_not_read(path)
            if why is None:
                files.append(path)
            elif skipped is not None:
                skipped.append((str(path), why))
    return sorted(files)


def _read_whole(path: Path, kind: str, max_bytes: int) -> Ingested:
    """Text, HTML and PDF files are small enough to read at once (up to ``max_bytes``)."""
    origin = str(path)
    check_size(path.stat().st_size, max_bytes, origin)
    data = path.read_bytes()
    return Ingested(_document(data, kind, origin))


def _document(data: bytes, kind: str, origin: str) -> Document:
    # the HTML and PDF readers load trafilatura and pypdf (a second): only when needed,
    # so that reading a documents file (``extract-file``) does not pay for them
    if kind == "html":
        from crisisdesk.ingest.html import read_html_bytes

        return read_html_bytes(data, origin=origin)
    if kind == "pdf":
        from crisisdesk.ingest.pdf import read_pdf_bytes

        return read_pdf_bytes(data, origin=origin)
    return read_text_bytes(data, origin=origin)


def _sniff_file(path: Path) -> str:
    with path.open("rb") as handle:
        return sniff_format(handle.read(_SNIFF_BYTES))


def read_file(
    path: Path | str, *, max_bytes: int = DEFAULT_MAX_BYTES
) -> Iterator[Ingested | IngestError]:
    """Every document in one file, any supported format.

    Errors are yielded, not raised: a whole-file failure is one IngestError,
    and a JSON-lines file yields one per bad line between its good
    documents. ``max_bytes`` limits files that are read whole (not JSON lines).
    """
    path = Path(path)
    origin = str(path)
    try:
        if path.is_dir():
            yield IngestError("is a folder, not a file", where=origin)
            return
        if not path.exists():
            yield IngestError("no such file", where=origin)
            return
        kind = _format_of(path) or _sniff_file(path)
        log.debug("%s: reading as %s", origin, kind)
        if kind == "jsonl":
            yield from read_jsonl_file(path)
        elif kind == "json":
            yield from read_json_file(path, max_bytes=max_bytes)
        elif kind in ("csv", "geojson"):
            reader = tabular.read_csv if kind == "csv" else tabular.read_geojson
            yield from reader(path)
        else:
            yield _read_whole(path, kind, max_bytes)
    except IngestError as exc:
        yield exc
    except OSError as exc:
        yield IngestError(f"cannot read: {exc.strerror or exc}", where=origin)


def read_paths(
    paths: Iterable[Path | str], *, max_bytes: int = DEFAULT_MAX_BYTES
) -> Iterator[Ingested | IngestError]:
    """Every document in every file and folder; a bad path or file yields its error
    and the batch continues."""
    for given in paths:
        try:
            files = expand_paths([given])
        except IngestError as exc:
            yield exc
            continue
        for path in files:
            yield from read_file(path, max_bytes=max_bytes)


def _kind_for_upload(data: bytes, name: str, content_type: str | None) -> str:
    kind = _format_of(Path(name))
    if kind:
        return kind
    if content_type:
        kind = _CONTENT_TYPES.get(content_type.split(";")[0].strip().lower())
        if kind:
            return kind
    return sniff_format(data[:_SNIFF_BYTES])


def read_bytes(
    data: bytes,
    name: str,
    content_type: str | None = None,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> list[Ingested]:
    """An uploaded file into documents, all or nothing: any bad record raises IngestError.

    The format comes from the name's suffix, then the content type, then
    the bytes themselves. ``origin`` of each document is the upload name.
    """
    name = name or "upload"
    check_size(len(data), max_bytes, name)
    kind = _kind_for_upload(data, name, content_type)
    if kind in ("jsonl", "json"):
        if kind == "json":
            results = list(read_json_bytes(data, origin=name))
        else:
            results = list(_read_jsonl_lines(_split_lines(data, name), origin=name))
        errors = [r for r in results if isinstance(r, IngestError)]
        if errors:
            more = f" (and {len(errors) - 1} more bad records)" if len(errors) > 1 else ""
            raise IngestError(errors[0].message + more, where=errors[0].where)
        return [r for r in results if isinstance(r, Ingested)]
    if kind in ("csv", "geojson"):
        return _read_tabular_upload(data, name, kind)
    return [Ingested(_document(data, kind, name))]


def _split_lines(data: bytes, name: str) -> list[str] | list[bytes]:
    """Lines of an upload; wide encodings (UTF-16/32 with a BOM) are decoded first."""
    if data[:4].startswith((b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")):
        return decode_bytes(data, where=name).splitlines()
    if b"\x00" in data[:8192]:
        raise IngestError("binary file, not text", where=name)
    return data.splitlines()


def _read_tabular_upload(data: bytes, name: str, kind: str) -> list[Ingested]:
    """The tabular readers take a path, so the upload is written to a private temp file."""
    safe = Path(name).name or f"upload.{kind}"
    with tempfile.TemporaryDirectory(prefix="crisisdesk-upload-") as tmp:
        path = Path(tmp) / safe
        path.write_bytes(data)
        reader = tabular.read_csv if kind == "csv" else tabular.read_geojson
        try:
            results: list[object] = list(reader(path))
        except IngestError as exc:
            raise IngestError(exc.message, where=name) from exc
    documents: list[Ingested] = []
    for result in results:
        if not isinstance(result, Ingested):
            message = getattr(result, "message", str(result))
            raise IngestError(message, where=name)
        documents.append(replace(result, document=replace(result.document, origin=name)))
    return documents
