"""Documents files (JSON lines) and .json files, streamed record by record.

One object per line: ``id``, ``url``, ``title``, ``publisher``,
``published``, ``text`` and optionally ``language`` (DESIGN.md, "Documents
file"). The given id and the text are kept exactly. A bad line becomes an
IngestError naming its line number and the good lines still come out, so a
batch of thousands is not lost to one typo. Files of fact objects (our own
JSON export) are handed to ``tabular.read_fact_records``.
"""

from __future__ import annotations

import codecs
import json
from collections.abc import Iterable, Iterator
from itertools import chain
from pathlib import Path
from typing import Any

from crisisdesk.errors import IngestError
from crisisdesk.ingest import tabular
from crisisdesk.ingest.common import (
    DEFAULT_MAX_BYTES,
    check_size,
    clean,
    make_document,
    parse_date,
)
from crisisdesk.ingest.decode import decode_bytes, looks_binary
from crisisdesk.model import Document, Ingested

_WIDE_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)
_STRING_FIELDS = ("url", "title", "publisher", "language")

Record = tuple[str, dict[str, Any]]  # (where, object)


def _where(origin: str, line: int) -> str:
    return f"{origin}, line {line}" if origin else f"line {line}"


def is_fact_record(record: dict[str, Any]) -> bool:
    """A fact of our export schema rather than a document: it counts, it has no text."""
    return (
        "text" not in record
        and "category" in record
        and ("value" in record or "value_text" in record)
    )


def document_from_record(record: dict[str, Any], *, where: str, origin: str | None) -> Ingested:
    """One documents-file object into an Ingested document (its facts still to extract)."""
    text = record.get("text")
    if not isinstance(text, str):
        raise IngestError('"text" is missing or not a string', where=where)
    if not text.strip():
        raise IngestError('"text" is empty', where=where)
    given_id = record.get("id")
    if given_id is not None and not isinstance(given_id, str | int):
        raise IngestError('"id" must be a string', where=where)
    fields: dict[str, Any] = {}
    for name in _STRING_FIELDS:
        value = record.get(name)
        if value is not None and not isinstance(value, str):
            raise IngestError(f'"{name}" must be a string or null', where=where)
        fields[name] = clean(value)
    fields["published"] = parse_date(record.get("published"), where=where)
    doc_id = str(given_id).strip() if given_id is not None else ""
    document = make_document(text, origin=origin, fmt="jsonl", id=doc_id or None, **fields)
    return Ingested(document)


def _records_from_lines(
    lines: Iterable[str | bytes], origin: str
) -> Iterator[Record | IngestError]:
    """Parse each non-blank line as one JSON object; bad lines become errors."""
    for number, raw in enumerate(lines, start=1):
        where = _where(origin, number)
        if isinstance(raw, bytes):
            try:
                line = raw.decode("utf-8-sig" if number == 1 else "utf-8")
            except UnicodeDecodeError as exc:
                yield IngestError(f"not UTF-8 ({exc.reason} at byte {exc.start})", where=where)
                continue
        else:
            line = raw.lstrip("\ufeff") if number == 1 else raw
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except json.JSONDecodeError as exc:
            yield IngestError(f"not valid JSON ({exc.msg} at column {exc.colno})", where=where)
            continue
        except RecursionError:
            yield IngestError("not valid JSON: nested too deeply", where=where)
            continue
        if not isinstance(value, dict):
            yield IngestError(f"expected a JSON object, got {type(value).__name__}", where=where)
            continue
        yield where, value


def read_records(
    records: Iterable[Record | IngestError], origin: str
) -> Iterator[Ingested | IngestError]:
    """Documents (or facts) from parsed records; the first good record decides which."""
    stream = iter(records)
    seen_any = False
    for item in stream:
        if isinstance(item, IngestError):
            seen_any = True
            yield item
            continue
        if is_fact_record(item[1]):
            yield from _facts(chain([item], stream), origin)
        else:
            yield from _documents(chain([item], stream), origin)
        return
    if not seen_any:
        yield IngestError("empty file", where=origin)


def _documents(
    records: Iterable[Record | IngestError], origin: str
) -> Iterator[Ingested | IngestError]:
    for item in records:
        if isinstance(item, IngestError):
            yield item
            continue
        where, record = item
        if is_fact_record(record):
            yield IngestError("a fact record in a file of documents", where=where)
            continue
        try:
            yield document_from_record(record, where=where, origin=origin)
        except IngestError as exc:
            yield exc


def _facts(
    records: Iterable[Record | IngestError], origin: str
) -> Iterator[Ingested | IngestError]:
    """Hand fact objects to the tabular reader, keeping line errors in order."""
    pending: list[IngestError] = []

    def objects() -> Iterator[dict[str, Any]]:
        for item in records:
            if isinstance(item, IngestError):
                pending.append(item)
            elif "text" in item[1]:
                pending.append(IngestError("a document record in a file of facts", where=item[0]))
            else:
                yield item[1]

    try:
        for ingested in tabular.read_fact_records(objects(), origin):
            yield from pending
            pending.clear()
            yield ingested
    except IngestError as exc:
        yield exc
    yield from pending


def read_documents(
    lines: Iterable[str | bytes], origin: str = ""
) -> Iterator[Document | IngestError]:
    """The documents of a documents file (DESIGN.md, "Documents file"), one line at a
    time: memory stays flat in the file size, and the text is kept exactly as given
    (spans index into it). A bad line comes out as an IngestError whose ``where``
    names the line ("line 3", or "<origin>, line 3"), and the others go on.

    The one reader of the format: ``ingest`` stores what it yields, ``extract-file``
    and ``eval`` extract from it.
    """
    for item in _records_from_lines(lines, origin):
        if isinstance(item, IngestError):
            yield item
            continue
        where, record = item
        try:
            yield document_from_record(record, where=where, origin=origin or None).document
        except IngestError as exc:
            yield exc


def read_jsonl_lines(
    lines: Iterable[str | bytes], *, origin: str
) -> Iterator[Ingested | IngestError]:
    """Documents from JSON lines already split (a file object, an upload's lines)."""
    return read_records(_records_from_lines(lines, origin), origin)


def read_jsonl_file(path: Path) -> Iterator[Ingested | IngestError]:
    """A .jsonl file, streamed: memory stays flat however many documents it holds."""
    origin = str(path)
    try:
        with path.open("rb") as handle:
            head = handle.read(8192)
            if head.startswith(_WIDE_BOMS):
                text = decode_bytes(head + handle.read(), where=origin)
                yield from read_jsonl_lines(text.splitlines(), origin=origin)
                return
            if looks_binary(head):
                yield IngestError("binary file, not text", where=origin)
                return
            handle.seek(0)
            yield from read_jsonl_lines(handle, origin=origin)
    except OSError as exc:
        yield IngestError(f"cannot read: {exc.strerror or exc}", where=origin)
    except IngestError as exc:
        yield exc


def _json_records(value: Any, origin: str) -> Iterator[Record | IngestError]:
    items = value if isinstance(value, list) else [value]
    for number, item in enumerate(items, start=1):
        where = f"{origin}, item {number}" if isinstance(value, list) else origin
        if isinstance(item, dict):
            yield where, item
        else:
            yield IngestError(f"expected a JSON object, got {type(item).__name__}", where=where)


def read_json_bytes(
    data: bytes, *, origin: str, path: Path | None = None
) -> Iterator[Ingested | IngestError]:
    """A .json file: one object, an array of objects, or JSON lines after all."""
    text = decode_bytes(data, where=origin)
    if not text.strip():
        yield IngestError("empty file", where=origin)
        return
    try:
        value = json.loads(text)
    except json.JSONDecodeError:
        yield from read_jsonl_lines(text.splitlines(), origin=origin)
        return
    except RecursionError:
        yield IngestError("not valid JSON: nested too deeply", where=origin)
        return
    if isinstance(value, dict) and value.get("type") in ("FeatureCollection", "Feature"):
        if path is None:
            yield IngestError("GeoJSON in a .json file: name it .geojson", where=origin)
        else:
            yield from tabular.read_geojson(path)
        return
    yield from read_records(_json_records(value, origin), origin)


def read_json_file(
    path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES
) -> Iterator[Ingested | IngestError]:
    """A .json file is read whole (an array cannot be streamed line by line): size-limited."""
    origin = str(path)
    try:
        check_size(path.stat().st_size, max_bytes, origin)
        data = path.read_bytes()
    except OSError as exc:
        yield IngestError(f"cannot read: {exc.strerror or exc}", where=origin)
        return
    except IngestError as exc:
        yield exc
        return
    try:
        yield from read_json_bytes(data, origin=origin, path=path)
    except IngestError as exc:
        yield exc
