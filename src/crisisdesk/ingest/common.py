"""What every reader shares: size limits, date parsing and building a Document."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from crisisdesk.errors import IngestError, ValidationError
from crisisdesk.language import detect_language
from crisisdesk.model import Document, normalise_text

DEFAULT_MAX_BYTES = 50 * 1024 * 1024

# The language of a document is read from its opening: the script of a few pages tells it,
# and a long file does not cost more than a short one.
LANGUAGE_SAMPLE = 20_000


def document_language(text: str) -> str:
    """``detect_language`` of the opening of ``text``."""
    return detect_language(text[:LANGUAGE_SAMPLE])


# Absolute dates only, all three parts required: a missing day or year must
# never be filled in from today's date, which would make ingest depend on
# when it ran. Numeric dates are read day first, as UN and regional sources
# write them.
_DATEPARSER_SETTINGS: dict[str, Any] = {
    "STRICT_PARSING": True,
    "REQUIRE_PARTS": ["day", "month", "year"],
    "PARSERS": ["absolute-time"],
    "DATE_ORDER": "DMY",
}


def _megabytes(n: int) -> str:
    mb = n / (1024 * 1024)
    return f"{mb:.0f}" if mb >= 10 or mb == int(mb) else f"{mb:.1f}"


def check_size(size: int, max_bytes: int, where: str | None) -> None:
    """Refuse a file bigger than ``max_bytes`` before reading it into memory."""
    if size > max_bytes:
        raise IngestError(
            f"file too large: {_megabytes(size)} MB, limit {_megabytes(max_bytes)} MB",
            where=where,
        )


def parse_date(value: Any, *, where: str | None = None, field: str = "published") -> date | None:
    """An ISO date (or datetime), or a full date in a common written form.

    None or an empty string means "not known". Anything else that is not a
    complete date is an error, not a guess.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        raise IngestError(f"{field} is not a date: {value!r}", where=where)
    raw = value.strip()
    try:
        return date.fromisoformat(raw)
    except ValueError:
        pass
    try:
        return datetime.fromisoformat(raw.replace("Z", "+00:00")).date()
    except ValueError:
        pass
    import dateparser  # slow to import; only needed for non-ISO dates

    parsed = dateparser.parse(raw, languages=["en", "ar", "fr"], settings=_DATEPARSER_SETTINGS)
    if parsed is None:
        raise IngestError(f"{field} is not a complete date: {raw!r}", where=where)
    return parsed.date()


def clean(value: Any) -> str | None:
    """A metadata string, or None when it is missing or blank."""
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def make_document(text: str, *, origin: str | None, fmt: str, **meta: Any) -> Document:
    """Build the Document; its language is the source's, else told by its script
    (``crisisdesk.language``: "ar", "fa", "en", or "und" for a text without letters).

    Raises IngestError("empty file") when there is no text to keep.
    """
    if not normalise_text(text):
        raise IngestError("empty file", where=origin)
    language = clean(meta.pop("language", None)) or document_language(text)
    try:
        return Document.from_text(text, origin=origin, fmt=fmt, language=language, **meta)
    except ValidationError as exc:
        raise IngestError(exc.message, where=origin) from exc
