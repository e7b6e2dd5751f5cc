"""Plain text and Markdown, with and without the metadata block on top."""

from __future__ import annotations

from datetime import date

import pytest
from ingest_helpers import FIXTURES

from crisisdesk.errors import IngestError
from crisisdesk.ingest.text import read_text_bytes, split_front_matter, text_document


def test_front_matter_becomes_fields_and_leaves_the_text() -> None:
    data = (FIXTURES / "report_front_matter.txt").read_bytes()
    doc = read_text_bytes(data, origin="report.txt")
    assert doc.title == "Shelling reaches the southern villages"
    assert doc.publisher == "Example Field Monitor"
    assert doc.published == date(2020, 1, 12)
    assert doc.url == "https://example.org/reports/southern-villages"
    assert doc.language == "en"
    assert doc.fmt == "text"
    assert doc.origin == "report.txt"
    assert doc.text.startswith("Local volunteers counted 14 civilians")
    assert "Title:" not in doc.text
    # The body is kept exactly: it is the tail of the file, byte for byte.
    assert data.decode("utf-8").endswith(doc.text)


def test_a_colon_in_the_first_paragraph_is_not_front_matter() -> None:
    doc = read_text_bytes((FIXTURES / "plain_note.md").read_bytes(), origin="note.md")
    assert doc.text.startswith("Note: this paragraph")
    assert doc.title is None


def test_front_matter_keys_are_case_insensitive_and_dates_may_be_written_out() -> None:
    meta, start = split_front_matter("TITLE: Camp count\npublished: 3 March 2020\n\n\nBody 5.")
    assert meta == {"title": "Camp count", "published": "3 March 2020"}
    doc = text_document("TITLE: Camp count\npublished: 3 March 2020\n\n\nBody 5.", origin=None)
    assert doc.published == date(2020, 3, 3)
    assert doc.text == "Body 5."
    assert start == len("TITLE: Camp count\npublished: 3 March 2020\n\n\n")


def test_front_matter_with_crlf_line_endings() -> None:
    text = "Title: Night raid\r\nLanguage: ar\r\n\r\nBody with 9 people.\r\n"
    doc = text_document(text, origin=None)
    assert doc.title == "Night raid"
    assert doc.language == "ar"  # stated by the source, not guessed
    assert doc.text == "Body with 9 people.\r\n"


def test_a_key_line_without_a_blank_line_after_it_is_front_matter_only_at_the_top() -> None:
    # "URL:" on its own followed by text without a blank line: the whole block
    # is not front matter because "Body text" is not a known key.
    meta, start = split_front_matter("URL: https://example.org\nBody text here.")
    assert (meta, start) == ({}, 0)


def test_bad_published_date_names_the_file() -> None:
    with pytest.raises(IngestError, match="published is not a complete date") as info:
        text_document("Published: next week\n\nSix shelters.", origin="a.txt")
    assert info.value.where == "a.txt"


def test_front_matter_without_body_is_an_error() -> None:
    with pytest.raises(IngestError, match="only metadata"):
        text_document("Title: Nothing else\n\n\n", origin="a.txt")


@pytest.mark.parametrize("data", [b"", b"   \n\t\r\n  "])
def test_empty_or_whitespace_only(data: bytes) -> None:
    with pytest.raises(IngestError, match="empty file"):
        read_text_bytes(data, origin="blank.txt")


def test_utf16_whitespace_only_is_empty_too() -> None:
    with pytest.raises(IngestError, match="empty file"):
        read_text_bytes("  \n \n".encode("utf-16"), origin="blank.txt")


def test_arabic_text_is_guessed_as_arabic() -> None:
    text = "قتل خمسة مدنيين وأصيب عشرة آخرون في قصف على السوق."
    doc = read_text_bytes(text.encode("cp1256"), origin="ar.txt")
    assert doc.text == text
    assert doc.language == "ar"
