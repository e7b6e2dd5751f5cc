"""HTML pages: main text and metadata, fallbacks, encodings, pages with no text."""

from __future__ import annotations

from datetime import date

import pytest
from ingest_helpers import FIXTURES

from crisisdesk.errors import IngestError
from crisisdesk.ingest.html import html_document, parse_html, read_html_bytes, visible_text


def test_article_text_and_metadata() -> None:
    doc = read_html_bytes((FIXTURES / "article.html").read_bytes(), origin="article.html")
    assert doc.fmt == "html"
    assert doc.title == "Market struck in the morning"
    assert doc.publisher == "Example Daily"
    assert doc.url == "https://daily.example.org/2020/02/market-struck"
    assert doc.published == date(2020, 2, 3)
    assert doc.language == "en"
    assert "seven civilians were killed" in doc.text
    assert "nineteen people were taken" in doc.text
    # Menus, footers and scripts are not part of the report.
    for noise in ("About 99 years", "Share on 5 networks", "tracking", "font-size"):
        assert noise not in doc.text


def test_a_fragment_falls_back_to_the_parsed_tree() -> None:
    doc = read_html_bytes((FIXTURES / "fragment.html").read_bytes(), origin="fragment.html")
    assert doc.text == "Volunteers reported 3 shelters damaged overnight."


def test_fallback_keeps_blocks_on_separate_lines_and_drops_scripts() -> None:
    html = (
        "<div><script>var n = 77;</script><h2>Update</h2>"
        "<ul><li>4 clinics closed</li><li>2 bakeries   damaged</li></ul></div>"
    )
    text = visible_text(parse_html(html))
    assert text.splitlines() == ["Update", "4 clinics closed", "2 bakeries damaged"]


def test_xhtml_with_an_encoding_declaration_parses() -> None:
    page = '<?xml version="1.0" encoding="utf-8"?><html><body><p>6 wells dry.</p></body></html>'
    assert visible_text(parse_html(page)) == "6 wells dry."


def test_page_with_no_text() -> None:
    with pytest.raises(IngestError, match="no readable text") as info:
        read_html_bytes((FIXTURES / "no_text.html").read_bytes(), origin="no_text.html")
    assert info.value.where == "no_text.html"


def test_declared_windows_1256_charset_is_honoured() -> None:
    body = "أصيب اثنا عشر شخصا في قصف استهدف المخبز الرئيسي في البلدة صباح اليوم."
    html = (
        '<html lang="ar"><head><meta http-equiv="Content-Type" '
        'content="text/html; charset=windows-1256"><title>تحديث</title></head>'
        f"<body><p>{body}</p></body></html>"
    )
    doc = read_html_bytes(html.encode("cp1256"), origin="ar.html")
    assert body in doc.text
    assert doc.language == "ar"
    assert doc.title == "تحديث"


def test_undated_page_has_no_date_rather_than_today() -> None:
    html = "<html><body><p>Thirty tents arrived at the camp on the hill.</p></body></html>"
    assert html_document(html, origin=None).published is None


@pytest.mark.parametrize("data", [b"", b"  \n "])
def test_empty_html_file(data: bytes) -> None:
    with pytest.raises(IngestError, match="empty file"):
        read_html_bytes(data, origin="e.html")


def test_binary_renamed_html() -> None:
    with pytest.raises(IngestError, match="binary"):
        read_html_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", origin="img.html")
