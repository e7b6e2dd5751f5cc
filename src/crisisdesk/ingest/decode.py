"""Bytes to text: byte-order marks, UTF-8, UTF-16, Windows-1256 Arabic, Latin-1.

Reports reach us as files saved by many tools. A BOM is believed first, then
strict UTF-8 (by far the commonest), then charset-normalizer restricted to
the encodings a Western or Arabic-speaking office produces, and only then
unrestricted. Anything that is none of these, or holds NUL bytes that are
not UTF-16 or UTF-32, is a binary file and is refused rather than turned
into mojibake that the extractor would read numbers from.
"""

from __future__ import annotations

import codecs
import logging
import unicodedata

import charset_normalizer

from crisisdesk.errors import IngestError

log = logging.getLogger(__name__)

# Order matters for the BOM check: the UTF-32 LE mark starts with the UTF-16 LE one.
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Tried before an unrestricted guess: a short Arabic text is otherwise often
# taken for a CJK code page, and French for a Mac one.
_LIKELY_ENCODINGS = ["utf_8", "cp1252", "latin_1", "cp1256", "iso8859_6", "utf_16", "utf_32"]

_SNIFF = 8192  # bytes looked at for NULs and the UTF-16 pattern
_ALLOWED_CONTROLS = frozenset("\t\n\r\f\v\x1c\x1d\x1e\x1f\x85")
_MAX_CONTROL_SHARE = 0.01  # more control characters than this and it is not a text


def _bom_encoding(data: bytes) -> tuple[str, int] | None:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding, len(bom)
    return None


def _bomless_utf16(head: bytes) -> str | None:
    """UTF-16 without a BOM: mostly-ASCII text has a NUL in every other byte."""
    if len(head) < 4:
        return None
    even, odd = head[0::2], head[1::2]
    if odd.count(0) >= 0.9 * len(odd) and even.count(0) < 0.1 * len(even):
        return "utf-16-le"
    if even.count(0) >= 0.9 * len(even) and odd.count(0) < 0.1 * len(odd):
        return "utf-16-be"
    return None


def _too_many_controls(text: str) -> bool:
    sample = text[: _SNIFF * 4]
    if not sample:
        return False
    controls = sum(
        1 for ch in sample if unicodedata.category(ch) == "Cc" and ch not in _ALLOWED_CONTROLS
    )
    return controls > _MAX_CONTROL_SHARE * len(sample)


def _binary(where: str | None) -> IngestError:
    return IngestError("binary file, not text", where=where)


def decode_bytes(data: bytes, *, where: str | None = None) -> str:
    """Decode a file's bytes to text, or raise IngestError("binary file, not text").

    A leading BOM is dropped (it is an encoding mark, not text); everything
    else is returned exactly as decoded, line endings included.
    """
    found = _bom_encoding(data)
    if found:
        encoding, skip = found
        try:
            text = data[skip:].decode(encoding)
        except UnicodeDecodeError as exc:
            raise IngestError(
                f"starts with a {encoding} byte-order mark but is not {encoding}: {exc.reason}",
                where=where,
            ) from exc
        if _too_many_controls(text):
            raise _binary(where)
        return text

    head = data[:_SNIFF]
    if b"\x00" in head:
        encoding = _bomless_utf16(head)
        if encoding is None:
            raise _binary(where)
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError as exc:
            raise _binary(where) from exc
        if _too_many_controls(text):
            raise _binary(where)
        return text

    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = _guess(data, where)
    if "\x00" in text or _too_many_controls(text):
        raise _binary(where)
    return text


def _guess(data: bytes, where: str | None) -> str:
    """Not UTF-8: ask charset-normalizer, likely encodings first."""
    best = charset_normalizer.from_bytes(data, cp_isolation=_LIKELY_ENCODINGS).best()
    if best is None:
        best = charset_normalizer.from_bytes(data).best()
    if best is None:
        raise _binary(where)
    log.debug("%s: decoded as %s", where or "<bytes>", best.encoding)
    return str(best)


def looks_binary(head: bytes) -> bool:
    """A quick check on a file's first bytes, for streamed formats read line by line."""
    if _bom_encoding(head):
        return False
    return b"\x00" in head[:_SNIFF]
