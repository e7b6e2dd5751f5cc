"""The PDF's first page reads as a publisher's front page: the key figures, the map and the
main chart, with no large blank band (it was about 30% blank when the charts started on
page 2). Measured on the rendered page as an image, for the demo store over all dates and
over one month."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date
from pathlib import Path

import pypdf
import pytest

from crisisdesk.cli.pipeline_cmds import examples_dir, run_ingest
from crisisdesk.reconcile import reconcile_store
from crisisdesk.report.render import write_report
from crisisdesk.store import Store

WINDOWS = {
    "all dates": {},
    "January 2020": {"date_from": date(2020, 1, 1), "date_to": date(2020, 1, 31)},
}


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    store = Store.open(f"sqlite:///{tmp_path_factory.mktemp('front') / 'demo.sqlite'}")
    run_ingest(store, [examples_dir()], show_progress=False)
    reconcile_store(store)
    return store


def _largest_blank_band(png: Path) -> float:
    """The tallest run of blank rows between the top and the footer, as a share of the
    page's height."""
    from PIL import Image  # WeasyPrint's own dependency

    image = Image.open(png).convert("L")
    width, height = image.size
    pixels = image.load()
    top, bottom = int(height * 0.05), int(height * 0.93)  # page margins, footer left out
    band = longest = 0
    for y in range(top, bottom):
        blank = all(pixels[x, y] > 245 for x in range(0, width, 2))
        band = band + 1 if blank else 0
        longest = max(longest, band)
    return longest / height


@pytest.mark.skipif(not shutil.which("pdftoppm"), reason="needs poppler-utils")
@pytest.mark.parametrize("window", sorted(WINDOWS))
def test_first_page_is_a_front_page(demo_store: Store, tmp_path: Path, window: str) -> None:
    pdf = write_report(demo_store, tmp_path / "r.pdf", **WINDOWS[window])
    first = pypdf.PdfReader(str(pdf)).pages[0].extract_text()
    assert "Key figures" in first and "Where" in first
    assert "Casualties over time" in first, "the main chart is on the front page"
    assert "Idlib and western Aleppo countryside" in first  # a map label
    subprocess.run(
        ["pdftoppm", "-r", "30", "-png", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "p")],
        check=True,
    )
    png = next(tmp_path.glob("p*.png"))
    assert _largest_blank_band(png) < 0.12, "no large gap on the front page"
