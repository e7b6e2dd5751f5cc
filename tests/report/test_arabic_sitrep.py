"""An Arabic report in the sitrep: quotes, titles and places keep their own direction
(dir="auto" for browsers, Unicode isolates for WeasyPrint) and the PDF shapes Arabic with
an Arabic font from Debian's fonts-noto-core, not with whatever fallback is installed.

pdftoppm renders the pages to PNGs for a look by hand (the test prints
its path with -s)."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from lxml import html as lxml_html

from arabic_fixture import fill_arabic
from crisisdesk.model import Document, Fact
from crisisdesk.report import build_sitrep, render_html, write_report
from crisisdesk.store import Store

FSI, PDI = "\u2068", "\u2069"
# words of the fixture's quotes and titles, without vowel marks: pdftotext splits a
# word at a mark, so whole marked words cannot be looked for in its output
PLAIN_WORDS = ("سرمين", "عائلة", "المنازل", "الميداني", "غارات")


@pytest.fixture
def arabic(tmp_path: Path) -> Iterator[tuple[Store, Document, list[Fact]]]:
    store = Store.open(f"sqlite:///{tmp_path / 'ar.sqlite'}")
    doc, facts = fill_arabic(store)
    yield store, doc, facts
    store.close()


def test_html_quotes_titles_and_places_have_dir_auto(arabic) -> None:
    store, doc, facts = arabic
    page = lxml_html.fromstring(render_html(build_sitrep(store)))
    quotes = page.xpath("//ol[@class='notes']//q")
    assert len(quotes) == len(facts)
    for q in quotes:
        assert q.get("dir") == "auto"
        assert q.text_content() in {f.quote for f in facts}  # the document's exact words
        assert q.text_content() in doc.text
    cites = page.xpath("//ol[@class='notes']//cite")
    assert cites and all(c.get("dir") == "auto" for c in cites)
    assert cites[0].text_content() == "غارات على سرمين"
    place_cells = page.xpath("//table[@class='figures']/tbody/tr/td[4]")
    assert place_cells and all(td.get("dir") == "auto" for td in place_cells)


def test_print_html_isolates_document_text(arabic) -> None:
    """WeasyPrint ignores dir="auto": the HTML it prints wraps document text in isolates."""
    store, _, facts = arabic
    page = lxml_html.fromstring(render_html(build_sitrep(store), for_print=True))
    quotes = [q.text_content() for q in page.xpath("//ol[@class='notes']//q")]
    assert quotes and all(q.startswith(FSI) and q.endswith(PDI) for q in quotes)
    assert {q[1:-1] for q in quotes} == {f.quote for f in facts}


def _pdf(store: Store, tmp_path: Path) -> Path:
    return write_report(store, tmp_path / "ar.pdf")


@pytest.mark.skipif(shutil.which("pdffonts") is None, reason="poppler-utils not installed")
def test_pdf_text_has_the_arabic_words_in_an_arabic_font(arabic, tmp_path: Path) -> None:
    store, _, _ = arabic
    pdf = _pdf(store, tmp_path)
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    text = re.sub("[\u200e\u200f\u202a-\u202e\u2066-\u2069]", "", text)  # bidi marks
    for word in PLAIN_WORDS:
        assert word in text, word
    fonts = subprocess.run(
        ["pdffonts", str(pdf)], capture_output=True, text=True, check=True
    ).stdout
    names = [line.split()[0] for line in fonts.splitlines()[2:]]
    # the stylesheet's Arabic fonts (fonts-noto-core), embedded
    assert any(re.search(r"\+Noto-(Sans|Naskh)-Arabic", n) for n in names), names
    subprocess.run(["pdftoppm", "-png", "-r", "110", str(pdf), str(tmp_path / "page")], check=True)
    print("pages rendered to", *sorted(tmp_path.glob("page*.png")))


def test_english_report_embeds_no_arabic_font(filled_store: Store, tmp_path: Path) -> None:
    """The Arabic fonts come after the Latin ones: an English report does not use them."""
    if shutil.which("pdffonts") is None:
        pytest.skip("poppler-utils not installed")
    pdf = _pdf(filled_store, tmp_path)
    fonts = subprocess.run(
        ["pdffonts", str(pdf)], capture_output=True, text=True, check=True
    ).stdout
    assert "Arabic" not in fonts


def _quote_styles(html: str) -> dict[str, str]:
    """Each printed quote's text -> the font style WeasyPrint laid it out in."""
    from weasyprint import HTML

    styles: dict[str, str] = {}

    def walk(box) -> None:
        if getattr(box, "element_tag", None) == "q":
            text = "".join(
                child.text for child in box.descendants() if hasattr(child, "text")
            ).strip('\u2068\u2069\u201c\u201d\u2018\u2019"')
            styles[text] = box.style["font_style"]
        for child in getattr(box, "children", ()):
            walk(child)

    for page in HTML(string=html).render().pages:
        walk(page._page_box)
    return styles


def test_pdf_prints_arabic_quotes_upright(arabic) -> None:
    """Arabic script has no italic: a quote in the notes stays upright in print (a
    synthesised oblique Arabic is no way anybody writes it), and says its language."""
    store, _, facts = arabic
    html = render_html(build_sitrep(store), for_print=True)
    page = lxml_html.fromstring(html)
    assert {q.get("lang") for q in page.xpath("//ol[@class='notes']//q")} == {"ar"}
    styles = _quote_styles(html)
    quotes = {f.quote for f in facts}
    assert quotes <= styles.keys()
    assert {styles[q] for q in quotes} == {"normal"}


def test_pdf_prints_english_quotes_in_italic(filled_store: Store) -> None:
    html = render_html(build_sitrep(filled_store), for_print=True)
    styles = _quote_styles(html)
    assert styles and set(styles.values()) == {"italic"}
