"""What the per-row readers (ACLED, HXL) share: cells to numbers, rows to dicts, and
a row's stand-in text with a span for each of its figures."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

from crisisdesk.errors import IngestError
from crisisdesk.ingest.common import make_document
from crisisdesk.model import Category, Fact, Ingested, Unit

log = logging.getLogger(__name__)


def cell_int(value: Any, name: str, where: str) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        return int(str(value).strip().replace(",", ""))
    except ValueError as exc:
        raise IngestError(f"{name} is not a whole number: {value!r}", where=where) from exc


def cell_float(value: Any, name: str, where: str) -> float | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        return float(value)
    except ValueError as exc:
        raise IngestError(f"{name} is not a number: {value!r}", where=where) from exc


def dict_rows(
    header: list[str], rows: list[list[str]], first_line: int, origin: str
) -> Iterator[tuple[str, dict[str, str | None]]]:
    for number, row in enumerate(rows, start=first_line):
        values: dict[str, str | None] = {}
        for name, cell in zip(header, row, strict=False):
            if name and name not in values:
                values[name] = cell
        yield f"{origin}, row {number}", values


class RowText:
    """Builds a row's stand-in text line by line, remembering where each value sits."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0

    def line(self, label: str, value: str) -> tuple[int, int, str]:
        """Add ``label: value``; return the value's span and the whole line (the quote)."""
        text = f"{label}: {value}"
        start = self.length + len(label) + 2
        self.parts.append(text)
        self.length += len(text) + 1
        return start, start + len(value), text

    def quote_start(self, span_start: int, label: str) -> int:
        return span_start - len(label) - 2

    @property
    def text(self) -> str:
        return "\n".join(self.parts)


def _row_facts(
    text: RowText, figures: list[tuple[str, int, Category, Unit, str]]
) -> list[tuple[int, int, str, int, Category, Unit, str, str]]:
    spans = []
    for label, value, category, unit, subject in figures:
        start, end, quote = text.line(label, str(value))
        spans.append((start, end, quote, value, category, unit, subject, label))
    return spans


def row_ingested(
    text: RowText,
    figures: list[tuple[str, int, Category, Unit, str]],
    where: str,
    origin: str,
    fmt: str,
    *,
    meta: dict[str, Any],
    fact_fields: dict[str, Any],
) -> Ingested | None:
    if not figures:
        log.debug("%s: no figures in this row", where)
        return None
    placed = _row_facts(text, figures)
    document = make_document(text.text, origin=origin, fmt=fmt, **meta)
    facts = tuple(
        Fact(
            doc=document.id,
            quote=quote,
            quote_start=text.quote_start(start, label),
            span=(start, end),
            value=value,
            category=category,
            unit=unit,
            subject=subject,
            **fact_fields,
        )
        for start, end, quote, value, category, unit, subject, label in placed
    )
    return Ingested(document, facts)
