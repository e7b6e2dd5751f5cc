"""PDF reports: the text layer of every page, with page marks.

Pages are joined with a blank line and each page's start offset is kept in
``Document.locations`` as ``(offset, "page N")``, so a figure can be traced
to its page. Encrypted, truncated and malformed files are refused with the
reason; so is a scanned PDF with no text layer, which needs OCR first.
"""

from __future__ import annotations

import io
import logging

import pypdf
import pypdf.errors

from crisisdesk.errors import IngestError
from crisisdesk.ingest.common import clean, make_document
from crisisdesk.model import Document

log = logging.getLogger(__name__)

PAGE_SEPARATOR = "\n\n"
_TAIL = 2048  # a complete PDF ends with %%EOF within its last bytes


def _open(data: bytes, where: str | None) -> pypdf.PdfReader:
    if b"%PDF-" not in data[:1024]:
        raise IngestError("not a PDF: no %PDF header", where=where)
    if b"%%EOF" not in data[-_TAIL:]:
        # pypdf can often rebuild a cut file, but then pages go missing silently.
        raise IngestError("truncated PDF: no end-of-file marker", where=where)
    try:
        reader = pypdf.PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            try:
                opened = reader.decrypt("")  # many PDFs are "encrypted" with an empty password
            except pypdf.errors.DependencyError as exc:
                raise IngestError(f"encrypted PDF: cannot decrypt ({exc})", where=where) from exc
            if not opened:
                raise IngestError("encrypted PDF: it needs a password", where=where)
        _ = len(reader.pages)
    except IngestError:
        raise
    except Exception as exc:  # noqa: BLE001 - pypdf raises many types on malformed input
        raise IngestError(f"malformed PDF: {_reason(exc)}", where=where) from exc
    return reader


def _reason(exc: Exception) -> str:
    text = str(exc).strip()
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _page_texts(reader: pypdf.PdfReader, where: str | None) -> list[tuple[int, str]]:
    """(page number, text) for every page with a text layer."""
    pages: list[tuple[int, str]] = []
    try:
        count = len(reader.pages)
        for number in range(1, count + 1):
            text = reader.pages[number - 1].extract_text() or ""
            if text.strip():
                pages.append((number, text.strip("\n")))
    except Exception as exc:  # noqa: BLE001 - as in _open: any pypdf failure is a bad file
        raise IngestError(f"malformed PDF: {_reason(exc)}", where=where) from exc
    if not pages:
        raise IngestError(
            f"no text layer in {count} page(s): a scanned PDF needs OCR first", where=where
        )
    return pages


def _title(reader: pypdf.PdfReader) -> str | None:
    try:
        meta = reader.metadata
        return clean(meta.title) if meta else None
    except Exception:  # noqa: BLE001 - broken metadata must not lose the text
        return None


def read_pdf_bytes(data: bytes, *, origin: str | None) -> Document:
    """A .pdf file's bytes into a Document with page marks.

    The PDF's creation date is not taken as the publication date: tools set
    it when the file is written, which may be long after the report.
    """
    if not data.strip():
        raise IngestError("empty file", where=origin)
    reader = _open(data, origin)
    pages = _page_texts(reader, origin)
    parts: list[str] = []
    locations: list[tuple[int, str]] = []
    offset = 0
    for number, text in pages:
        if parts:
            parts.append(PAGE_SEPARATOR)
            offset += len(PAGE_SEPARATOR)
        locations.append((offset, f"page {number}"))
        parts.append(text)
        offset += len(text)
    return make_document(
        "".join(parts),
        origin=origin,
        fmt="pdf",
        title=_title(reader),
        locations=tuple(locations),
    )
