"""PDF reports: pages and page marks, and every way a PDF can be unreadable."""

from __future__ import annotations

import pytest
from ingest_helpers import blank_pdf, encrypted_pdf

from crisisdesk.errors import IngestError
from crisisdesk.ingest.pdf import PAGE_SEPARATOR, read_pdf_bytes


def test_pages_are_joined_and_marked(two_page_pdf: bytes) -> None:
    doc = read_pdf_bytes(two_page_pdf, origin="camp.pdf")
    assert doc.fmt == "pdf"
    assert doc.title == "Camp update"
    assert [label for _, label in doc.locations] == ["page 1", "page 2"]
    first, second = doc.text.split(PAGE_SEPARATOR)
    assert "12 tents burned" in first
    assert "40 families moved" in second
    # A figure can be traced to its page through the marks.
    assert doc.location_of(doc.text.index("12 tents")) == "page 1"
    assert doc.location_of(doc.text.index("40 families")) == "page 2"
    assert doc.locations[1][0] == len(first) + len(PAGE_SEPARATOR)


def test_same_pdf_same_id(two_page_pdf: bytes) -> None:
    assert (
        read_pdf_bytes(two_page_pdf, origin="a.pdf").id
        == read_pdf_bytes(two_page_pdf, origin="b.pdf").id
    )


@pytest.mark.parametrize("keep", [0.5, 0.9])
def test_truncated_pdf(two_page_pdf: bytes, keep: float) -> None:
    cut = two_page_pdf[: int(len(two_page_pdf) * keep)]
    with pytest.raises(IngestError, match="truncated PDF") as info:
        read_pdf_bytes(cut, origin="cut.pdf")
    assert info.value.where == "cut.pdf"


def test_encrypted_pdf_needing_a_password(two_page_pdf: bytes) -> None:
    with pytest.raises(IngestError, match="encrypted PDF: it needs a password"):
        read_pdf_bytes(encrypted_pdf(two_page_pdf, "secret"), origin="locked.pdf")


def test_encrypted_pdf_with_an_empty_password_is_read(two_page_pdf: bytes) -> None:
    doc = read_pdf_bytes(encrypted_pdf(two_page_pdf, ""), origin="open.pdf")
    assert "40 families moved" in doc.text


def test_scanned_pdf_without_text_layer() -> None:
    with pytest.raises(IngestError, match="no text layer in 2 page"):
        read_pdf_bytes(blank_pdf(2), origin="scan.pdf")


def test_malformed_pdf() -> None:
    with pytest.raises(IngestError, match="malformed PDF"):
        read_pdf_bytes(b"%PDF-1.7\n1 0 obj << /Type /Nonsense\n%%EOF\n", origin="bad.pdf")


def test_not_a_pdf_at_all() -> None:
    with pytest.raises(IngestError, match="not a PDF"):
        read_pdf_bytes(b"Seven shelters were damaged. %%EOF", origin="fake.pdf")


def test_empty_pdf_file() -> None:
    with pytest.raises(IngestError, match="empty file"):
        read_pdf_bytes(b"", origin="empty.pdf")
