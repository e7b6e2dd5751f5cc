"""A figure whose places do not resolve is counted nowhere and listed as "not placed" with
its quote: not on a card, not on the map, marked in the table."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from lxml import html as lxml_html
from test_map import _store  # next to this file; pytest puts this folder on sys.path

from crisisdesk.model import Category, Unit
from crisisdesk.report import build_sitrep
from crisisdesk.report.render import render_html

ROWS = [  # our own sentences; "Wadi Zarqoon" is a place no gazetteer knows
    (
        "Medics in Sarmin said 6 people were killed when a shell hit a bakery on 13 March.",
        "6",
        Category.KILLED,
        Unit.PEOPLE,
        "people",
        "Sarmin",
        date(2020, 3, 13),
        date(2020, 3, 13),
    ),
    (
        "On 14 March 11 people were killed by shelling on Wadi Zarqoon, a local council said.",
        "11",
        Category.KILLED,
        Unit.PEOPLE,
        "people",
        "Wadi Zarqoon",
        date(2020, 3, 14),
        date(2020, 3, 14),
    ),
]


def test_unresolved_place_is_listed_not_counted(tmp_path: Path) -> None:
    store = _store(tmp_path / "np.sqlite", ROWS)
    sitrep = build_sitrep(store, date_from=date(2020, 3, 1), date_to=date(2020, 3, 31))
    assert [(n.value, n.place) for n in sitrep.not_placed] == [("11", "Wadi Zarqoon")]
    page = lxml_html.fromstring(render_html(sitrep))
    listed = page.get_element_by_id("not-placed").text_content()
    assert "11 killed" in listed and "shelling on Wadi Zarqoon" in listed
    card = page.xpath("//div[@data-card='People killed']//div[@data-period]")
    assert [c.get("data-value") for c in card] == ["6"]  # Sarmin only: 11 is counted nowhere
    figures = page.xpath("//*[local-name()='tspan'][@class='map-figure']")
    assert [f.get("data-value") for f in figures] == ["6"]
    rows = [r.text_content() for r in page.xpath("//table[@class='figures']/tbody/tr")]
    assert any("Wadi Zarqoon (not placed" in r for r in rows)
    assert not any("Sarmin (not placed" in r for r in rows)


def test_nothing_is_not_placed_when_everything_resolves(tmp_path: Path) -> None:
    store = _store(tmp_path / "ok.sqlite", ROWS[:1])
    sitrep = build_sitrep(store)
    assert sitrep.not_placed == ()
    assert 'id="not-placed"' not in render_html(sitrep)
