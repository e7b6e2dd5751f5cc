"""Plain text and Markdown, with an optional block of metadata lines on top.

Our example reports start with lines such as ``Title: …`` and
``Published: 2020-01-12`` up to a blank line. Those lines describe the
document and are not part of it, so they go into Document fields and the
text starts after them. A first paragraph that merely looks similar
("Note: …") is left alone: every line of the block must use a known key.
"""

from __future__ import annotations

from typing import Any

from crisisdesk.errors import IngestError
from crisisdesk.ingest.common import clean, make_document, parse_date
from crisisdesk.ingest.decode import decode_bytes
from crisisdesk.model import Document

FRONT_MATTER_KEYS = ("title", "publisher", "published", "url", "language")


def _key_value(line: str) -> tuple[str, str] | None:
    key, sep, value = line.partition(":")
    key = key.strip().lower()
    if not sep or key not in FRONT_MATTER_KEYS:
        return None
    return key, value.strip()


def split_front_matter(text: str) -> tuple[dict[str, str], int]:
    """The metadata block at the top of ``text`` and the offset where the body starts.

    Returns ``({}, 0)`` when the text has no such block.
    """
    meta: dict[str, str] = {}
    offset = 0
    lines = text.splitlines(keepends=True)
    index = 0
    for index, line in enumerate(lines):  # noqa: B007 - index is used after the loop
        if not line.strip():
            break
        pair = _key_value(line.lstrip("\ufeff"))
        if pair is None:
            return {}, 0
        meta[pair[0]] = pair[1]
        offset += len(line)
    else:
        # The whole text is key lines: it is front matter only if nothing follows.
        return (meta, len(text)) if meta else ({}, 0)
    if not meta:
        return {}, 0
    for line in lines[index:]:  # skip the blank lines that end the block
        if line.strip():
            break
        offset += len(line)
    return meta, offset


def text_document(text: str, *, origin: str | None, fmt: str = "text") -> Document:
    """A Document from decoded text, front matter (if any) turned into fields."""
    meta, body_start = split_front_matter(text)
    body = text[body_start:]
    if meta and not body.strip():
        raise IngestError("empty file: only metadata lines, no text", where=origin)
    fields: dict[str, Any] = {
        "title": clean(meta.get("title")),
        "publisher": clean(meta.get("publisher")),
        "url": clean(meta.get("url")),
        "language": clean(meta.get("language")),
        "published": parse_date(meta.get("published"), where=origin),
    }
    return make_document(body, origin=origin, fmt=fmt, **fields)


def read_text_bytes(data: bytes, *, origin: str | None) -> Document:
    """A .txt or .md file's bytes into a Document."""
    if not data.strip():
        raise IngestError("empty file", where=origin)
    return text_document(decode_bytes(data, where=origin), origin=origin)
