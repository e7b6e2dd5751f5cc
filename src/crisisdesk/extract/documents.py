"""Reading and writing the JSON-lines files of the stateless ``extract-file`` command.

Documents are read one line at a time (memory stays flat in the file size); a
malformed line becomes a ``LineError`` naming its line number and the others go
on. A document's ``text`` is kept exactly as given, since spans index into it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import IO, Any

from crisisdesk.errors import ExtractError, ValidationError
from crisisdesk.model import Document, Fact


@dataclass(frozen=True, slots=True)
class LineError:
    """A line of a documents file that could not be read."""

    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


def document_from_json(obj: Any, line: int | None = None) -> Document:
    """A Document from one parsed JSON line; a ValidationError says what is wrong."""
    where = f"line {line}" if line is not None else None
    if not isinstance(obj, dict):
        raise ValidationError("a document must be a JSON object", where=where)
    text = obj.get("text")
    if not isinstance(text, str) or not text.strip():
        raise ValidationError("field 'text' is missing or empty", where=where)
    doc_id = obj.get("id")
    if doc_id is not None and not isinstance(doc_id, str | int):
        raise ValidationError("field 'id' must be a string", where=where)
    published = obj.get("published")
    pub: date | None = None
    if published not in (None, ""):
        try:
            pub = date.fromisoformat(str(published)[:10])
        except ValueError as exc:
            raise ValidationError(
                f"field 'published' is not an ISO date: {published!r}", where=where
            ) from exc
    meta = {k: obj.get(k) for k in ("url", "title", "publisher", "language")}
    for key, value in meta.items():
        if value is not None and not isinstance(value, str):
            raise ValidationError(f"field '{key}' must be a string", where=where)
    return Document.from_text(
        text, id=str(doc_id) if doc_id is not None else None, published=pub, fmt="jsonl", **meta
    )


def read_documents(stream: Iterable[str]) -> Iterator[Document | LineError]:
    """Documents of a JSON-lines stream, in order; bad lines come out as LineError."""
    for number, raw in enumerate(stream, start=1):
        if not raw.strip():
            continue
        try:
            obj = json.loads(raw)
        except json.JSONDecodeError as exc:
            yield LineError(number, f"not valid JSON ({exc.msg} at column {exc.colno})")
            continue
        try:
            yield document_from_json(obj, number)
        except ValidationError as exc:
            yield LineError(number, exc.message)


def open_documents(path: Path) -> IO[str]:
    """Open a documents file for reading, or raise an ExtractError naming it."""
    try:
        return path.open(encoding="utf-8")
    except OSError as exc:
        raise ExtractError(f"cannot read documents file: {exc.strerror}", where=str(path)) from exc


def write_facts(facts: Iterable[Fact], out: IO[str]) -> int:
    """Write facts as JSON lines; returns how many were written."""
    n = 0
    for fact in facts:
        out.write(json.dumps(fact.to_json(), ensure_ascii=False) + "\n")
        n += 1
    return n
