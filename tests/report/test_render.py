"""The report as a reader gets it: one HTML file, the same as an A4 PDF.

Assertions are on content (numbers, footnotes, charts present, nothing
external), checked in the HTML source, in headless Chromium's DOM and in
the PDF's text; pdftoppm and Chromium also render PNGs to look at by hand.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from lxml import html as lxml_html

from crisisdesk.errors import ConfigError
from crisisdesk.model import Category, Document, Fact, Unit
from crisisdesk.report import build_sitrep, render_html, write_report
from crisisdesk.report.charts import nice_ceiling
from crisisdesk.store import Store

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def _cls(root: lxml_html.HtmlElement, tag: str, name: str) -> list[lxml_html.HtmlElement]:
    """Elements with ``name`` among their classes (lxml's CSS selectors need cssselect)."""
    return root.xpath(f"//{tag}[contains(concat(' ', @class, ' '), ' {name} ')]")


def _page(store: Store, **filters) -> lxml_html.HtmlElement:
    return lxml_html.fromstring(render_html(build_sitrep(store, **filters)))


def test_html_has_figures_charts_map_and_footnotes(filled_store: Store) -> None:
    page = _page(filled_store)
    cards = [c.text_content() for c in _cls(page, "div", "card")]
    assert any("5,200" in c and "People displaced" in c for c in cards)
    assert any("940" in c and "Families displaced" in c for c in cards)
    svgs = page.xpath("//*[local-name()='svg']")
    assert len(svgs) == 4  # casualties, displacement, attacks by type, map
    assert {s.get("class") for s in svgs} == {"chart", "map"}
    map_svg = page.xpath("//*[local-name()='svg'][@class='map']")[0]
    assert "5,200 people displaced (20–27 Jan 2020)" in map_svg.text_content()
    rows = page.xpath("//table[@class='figures']/tbody/tr")
    assert len(rows) == 7
    saraqib = next(r for r in rows if "5,200" in r.text_content())
    ref = saraqib.xpath("./td[@class='refs']/a")[0].get("href")
    note = page.get_element_by_id(ref.lstrip("#"))
    assert "about 5,200 people left Saraqib" in note.text_content()
    assert "Families leave Saraqib" in note.text_content()
    assert note.xpath(".//a[@class='url']")[0].get("href") == "https://example.org/ccc/saraqib"
    rules = page.xpath("//section[@id='method']//li")
    assert rules and all("Based on" in li.text_content() for li in rules)


def test_document_text_is_never_markup(filled_store: Store) -> None:
    source = render_html(build_sitrep(filled_store))
    assert "<b>Idlib</b>" not in source
    assert "&lt;b&gt;Idlib&lt;/b&gt;" in source
    assert 'href="javascript:' not in source  # an untrusted link is shown, not linked


def test_html_is_self_contained(filled_store: Store) -> None:
    source = render_html(build_sitrep(filled_store))
    assert "<script" not in source
    assert not re.search(r"""<(link|img|iframe)\b""", source)
    assert not re.search(r"""src=["']https?:""", source)
    assert "url(" not in source


def test_empty_report_says_so(filled_store: Store, tmp_path: Path) -> None:
    out = write_report(
        filled_store,
        tmp_path / "march.html",
        place="Saraqib",
        date_from=date(2020, 3, 1),
        date_to=date(2020, 3, 31),
    )
    page = lxml_html.fromstring(out.read_text(encoding="utf-8"))
    message = page.get_element_by_id("empty").text_content()
    assert "No figure is recorded for Saraqib between 1 March 2020 and 31 March 2020." in message
    assert not page.xpath("//table")


def test_write_report_rejects_other_suffixes(filled_store: Store, tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"\.docx"):
        write_report(filled_store, tmp_path / "report.docx")
    with pytest.raises(ConfigError, match="folder"):
        write_report(filled_store, tmp_path / "missing" / "r.html")
    with pytest.raises(ConfigError, match="unknown report filter"):
        write_report(filled_store, tmp_path / "r.html", country="SY")


def test_pdf_is_a4_with_page_numbers_and_the_same_content(
    filled_store: Store, tmp_path: Path
) -> None:
    pypdf = pytest.importorskip("pypdf")
    out = write_report(filled_store, tmp_path / "sitrep.pdf")
    reader = pypdf.PdfReader(str(out))
    pages = len(reader.pages)
    width, height = (float(v) for v in reader.pages[0].mediabox.upper_right)
    assert (round(width), round(height)) == (595, 842)  # A4 in points
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert f"Page 1 of {pages}" in text and f"Page {pages} of {pages}" in text
    for wanted in ("5,200", "940", "People displaced", "Families leave Saraqib", "Saraqib"):
        assert wanted in text
    if shutil.which("pdftoppm"):  # a picture of every page, for a person to look at
        subprocess.run(
            ["pdftoppm", "-r", "50", "-png", str(out), str(tmp_path / "page")],
            check=True,
            timeout=60,
        )
        assert len(list(tmp_path.glob("page-*.png"))) == pages


def _long_store(tmp_path: Path) -> Store:
    """Forty displacement notes, one per hamlet, enough for a table over several pages."""
    store = Store.open(f"sqlite:///{tmp_path / 'long.sqlite'}")
    for k in range(1, 41):
        number = str(1000 + k)
        text = f"Our monitors counted {number} people leaving Hamlet {k} on {k % 28 + 1} March."
        doc = Document.from_text(text, title=f"Monitor note {k}", publisher="Test desk")
        start = text.index(number)
        quote = f"{number} people leaving Hamlet {k}"
        day = date(2020, 3, k % 28 + 1)
        store.add_document(
            doc,
            [
                Fact(doc.id, quote, (start, start + len(number)), int(number), Category.DISPLACED,
                     Unit.PEOPLE, subject="people", places=(f"Hamlet {k}",), date_start=day,
                     date_end=day, quote_start=start, source="Test desk")
            ],
        )  # fmt: skip
    return store


def test_table_rows_are_not_cut_across_pages(tmp_path: Path) -> None:
    """A row's place, figure and footnote reference are always on the same page, and
    the table's header repeats on every page it runs over."""
    pypdf = pytest.importorskip("pypdf")
    store = _long_store(tmp_path)
    out = write_report(store, tmp_path / "long.pdf", reconciled=False)
    store.close()
    pages = [p.extract_text() for p in pypdf.PdfReader(str(out)).pages]
    first = next(i for i, t in enumerate(pages) if "All figures" in t)  # map labels name them too
    last = next(i for i, t in enumerate(pages) if i >= first and "\nSources\n" in t)
    pages = [pages[first].split("All figures")[1], *pages[first + 1 : last + 1]]
    table_pages = [
        t.split("\nSources\n")[0] for t in pages if "Hamlet" in t.split("\nSources\n")[0]
    ]
    assert len(table_pages) >= 2
    seen = 0
    for text in table_pages:
        assert "Category" in text and "Evidence" in text  # header repeated
        for k in range(1, 41):
            if re.search(rf"Hamlet {k}\b", text):
                seen += 1
                assert f"{1000 + k:,}" in text
    assert seen == 40


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed")
def test_html_in_headless_chromium(filled_store: Store, tmp_path: Path) -> None:
    out = write_report(filled_store, tmp_path / "sitrep.html")
    common = [
        CHROMIUM,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        f"--user-data-dir={tmp_path / 'profile'}",
    ]
    dom = subprocess.run(
        [*common, "--dump-dom", out.as_uri()],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout
    page = lxml_html.fromstring(dom)
    assert len(page.xpath("//*[local-name()='svg']")) == 4
    assert "about 5,200 people left Saraqib" in page.get_element_by_id("sources").text_content()
    shot = tmp_path / "sitrep.png"
    subprocess.run(
        [*common, f"--screenshot={shot}", "--window-size=1000,1800", out.as_uri()],
        capture_output=True,
        timeout=60,
        check=True,
    )
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize(
    ("value", "ceiling"), [(0, 1), (3, 5), (23, 25), (650, 1000), (5200, 10000), (1.2, 2)]
)
def test_nice_ceiling(value: float, ceiling: float) -> None:
    assert nice_ceiling(value) == ceiling
