"""The report says only what was reported: cards, charts and map read back from real
HTML and PDF renders and checked against the reconciled figures of the same store."""

from __future__ import annotations

import re
import subprocess
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest

from crisisdesk.cli.pipeline_cmds import examples_dir, run_ingest
from crisisdesk.geo import Gazetteer, resolve_facts
from crisisdesk.model import Category, Document, Fact, Qualifier, Unit
from crisisdesk.reconcile import reconcile_store, total
from crisisdesk.report import build_sitrep
from crisisdesk.report.render import write_report
from crisisdesk.store import FactQuery, Store

JAN = {"date_from": date(2020, 1, 1), "date_to": date(2020, 1, 31)}
FEB = {"date_from": date(2020, 2, 1), "date_to": date(2020, 2, 29)}


class _Cards(HTMLParser):
    """Card items (data attributes) and map figures (data-card/data-value) of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.card: str | None = None
        self.items: dict[str, list[dict[str, str]]] = {}
        self.map: dict[str, list[int]] = {}
        self.marks: list[dict[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "div" and "data-card" in a:
            self.card = a["data-card"]
            self.items[self.card] = []
        elif tag == "div" and "data-period" in a and self.card:
            self.items[self.card].append(a)
        elif tag == "tspan" and "data-card" in a:
            self.map.setdefault(a["data-card"], []).append(int(a["data-value"]))
        elif tag == "g" and "mark" in a.get("class", ""):
            self.marks.append(a)


def _render(store: Store, tmp: Path, **window: date) -> tuple[_Cards, str]:
    html = write_report(store, tmp / "r.html", **window)
    pdf = write_report(store, tmp / "r.pdf", **window)
    parsed = _Cards()
    parsed.feed(html.read_text(encoding="utf-8"))
    text = subprocess.run(
        ["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    return parsed, re.sub(r"\s+", " ", text)


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    path = tmp_path_factory.mktemp("demo") / "demo.sqlite"
    store = Store.open(f"sqlite:///{path}")
    run_ingest(store, [examples_dir()], show_progress=False)
    reconcile_store(store)
    return store


def test_demo_january_cards_match_reconciled_figures(demo_store: Store, tmp_path: Path) -> None:
    page, pdf_text = _render(demo_store, tmp_path, **JAN)
    sitrep = build_sitrep(demo_store, **JAN)
    for h in sitrep.headlines:
        items = page.items[h.label]
        result = total(
            demo_store,
            category=str(h.category),
            unit=str(h.unit) if h.unit else None,
            **JAN,
        )
        if not h.items:
            assert items == [] and not any(f.category == h.category for f in result.figures), (
                h.label
            )
            continue
        lead = items[0]
        expected = result.best or max(f.best or 0 for f in h.shown)
        assert int(lead["data-value"]) == expected != 0, h.label
        for item, view in zip(items, h.items, strict=False):
            assert item["data-period"] in pdf_text, (h.label, item["data-period"])
            assert item["data-place"] in pdf_text, (h.label, item["data-place"])
            assert f"{view.value}" in pdf_text
            if item["data-qualifier"]:
                assert item["data-qualifier"] in view.value
    displaced = page.items["People displaced"][0]
    assert displaced["data-value"] == "520000"
    assert displaced["data-period"] == "1 Dec 2019 – 7 Feb 2020"
    assert "outside" in displaced["class"]
    assert "period reaches outside this report" in pdf_text
    facilities = {int(i["data-value"]) for i in page.items["Facilities damaged"]}
    assert not facilities & {53, 87, 12, 140}, "2019 hospitals and schools are not January's"
    assert page.items["People killed"][0]["data-qualifier"] in ("more than", "over")


def test_no_figure_reported_never_zero(demo_store: Store, tmp_path: Path) -> None:
    page, pdf_text = _render(demo_store, tmp_path, **JAN)
    empty = [label for label, items in page.items.items() if not items]
    assert empty, "the January window has categories with no figure"
    assert pdf_text.count("no figure reported") >= len(empty)
    for items in page.items.values():
        assert all(i["data-value"] not in ("0", "") for i in items)


def test_chart_marks_are_reported_figures(demo_store: Store, tmp_path: Path) -> None:
    page, _ = _render(demo_store, tmp_path, **JAN)
    stated = {s.fact.value for s in demo_store.iter_facts(FactQuery(include_rejected=False, **JAN))}
    assert page.marks
    for mark in page.marks:
        assert int(mark["data-value"]) in stated, mark
    kinds = {m["class"].split()[1] for m in page.marks}
    assert {"mark-day", "mark-period"} <= kinds


def test_map_numbers_equal_the_cards(demo_store: Store, tmp_path: Path) -> None:
    page, _ = _render(demo_store, tmp_path, **JAN)
    sitrep = build_sitrep(demo_store, **JAN)
    for h in sitrep.headlines:
        card_sum = sum(int(i["data-value"]) for i in page.items[h.label])
        unplaced = sum(
            f.best or 0 for f in h.shown if not any(p.lat is not None for p in f.resolved)
        )
        assert sum(page.map.get(h.label, [])) + unplaced == card_sum, h.label


# -- the Sarmin-like case: a period total with day-level parts -----------------------

SARMIN = [  # our own words: (text, number, start, end, total, qualifier)
    (
        "Between 10 and 13 February the town of Sarmin lost at least 23 people to air raids.",
        "23",
        date(2020, 2, 10),
        date(2020, 2, 13),
        True,
        Qualifier.AT_LEAST,
    ),
    (
        "Medics in Sarmin said 9 people died when a raid hit the market on 11 February.",
        "9",
        date(2020, 2, 11),
        date(2020, 2, 11),
        False,
        Qualifier.EXACT,
    ),
    (
        "A strike on a house in Sarmin on 13 February killed 6 people, medics said.",
        "6",
        date(2020, 2, 13),
        date(2020, 2, 13),
        False,
        Qualifier.EXACT,
    ),
]


@pytest.fixture
def sarmin_store(tmp_path: Path) -> Store:
    store = Store.open(f"sqlite:///{tmp_path / 'sarmin.sqlite'}")
    gaz = Gazetteer.open()
    for text, number, start, end, is_total, qualifier in SARMIN:
        doc = Document.from_text(text, published=end, publisher="Test desk")
        at = text.index(f" {number} ") + 1
        fact = Fact(
            doc=doc.id,
            quote=text,
            quote_start=0,
            span=(at, at + len(number)),
            value=int(number),
            qualifier=qualifier,
            category=Category.KILLED,
            unit=Unit.PEOPLE,
            subject="people",
            places=("Sarmin",),
            date_start=start,
            date_end=end,
            source="Idlib Health Directorate",
            is_total=is_total,
        )
        store.add_document(doc, resolve_facts([fact], doc, gaz))
    reconcile_store(store)
    return store


def test_sarmin_total_with_day_parts(sarmin_store: Store, tmp_path: Path) -> None:
    page, pdf_text = _render(sarmin_store, tmp_path, **FEB)
    killed = page.items["People killed"]
    assert [i["data-value"] for i in killed] == ["23"]
    assert killed[0]["data-qualifier"] == "at least"
    assert killed[0]["data-period"] == "10–13 Feb 2020"
    assert killed[0]["data-place"] == "Sarmin"
    assert "at least 23" in pdf_text
    marks = sorted(
        (m["data-value"], m["data-start"], m["data-end"], m["class"].split()[1]) for m in page.marks
    )
    assert marks == [
        ("23", "2020-02-10", "2020-02-13", "mark-period"),
        ("6", "2020-02-13", "2020-02-13", "mark-day"),
        ("9", "2020-02-11", "2020-02-11", "mark-day"),
    ]
    assert page.map["People killed"] == [23]


def test_title_does_not_repeat_the_place(sarmin_store: Store, tmp_path: Path) -> None:
    out = write_report(sarmin_store, tmp_path / "s.html", **FEB)
    title = re.search(r"<title>(.*?)</title>", out.read_text(encoding="utf-8")).group(1)
    assert title.count("Sarmin") <= 1
    assert title.startswith("Situation report – ")
