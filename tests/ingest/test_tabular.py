# ruff: noqa: E501 - the CSV samples keep their real, long lines
"""Reading other systems' tables (ACLED events, any HXL-tagged CSV) and our own exports.

The rows below are invented for these tests; place names and coordinates are
real so that they look like what analysts load.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from crisisdesk.errors import IngestError
from crisisdesk.ingest import read_file
from crisisdesk.ingest.tabular import read_csv, read_fact_records, read_geojson, sparse_text
from crisisdesk.model import Category, Fact, Ingested, Precision, Unit

ACLED = """event_id_cnty,event_date,year,event_type,sub_event_type,actor1,admin1,admin2,location,latitude,longitude,geo_precision,time_precision,source,notes,fatalities
SYR9001,2020-01-15,2020,Explosions/Remote violence,Air/drone strike,Military Forces of Syria (2000-),Idlib,Ariha,Ariha,35.8128,36.6097,1,1,Local monitor,"An aircraft hit a bakery in the town; six people, two of them children, lost their lives.",6
SYR9002,16 January 2020,2020,Explosions/Remote violence,Shelling/artillery/missile attack,Military Forces of Syria (2000-),Idlib,Idlib,Saraqib,35.8645,36.8006,2,1,Local monitor,Artillery fell on farmland east of the town; no one was hurt.,0
"""

HXL_FROM_ELSEWHERE = """Date,Governorate,District,Community,Killed,Injured,IDP individuals,IDP households,Reported by
#date,#adm1+name,#adm2+name,#loc+name,#affected+killed,#affected+injured,#affected+idps+ind,#affected+idps+hh,#meta+source
2020-01-21,Idlib,Ariha,Ariha,3,8,,,Health desk
2020-01-22,Idlib,Idlib,Saraqib,,,"1,250",250,Shelter desk
"""

HXL_POPULATION = """#date,#adm1+name,#population+idps,#population+idps+hh
2020-02-01,Aleppo,4200,700
"""


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _check_spans(item: Ingested) -> None:
    """Every fact's span holds its value, and its quote sits at quote_start."""
    text = item.document.text
    for fact in item.facts or ():
        assert text[fact.span[0] : fact.span[1]].replace(",", "") == str(fact.value)
        start = fact.quote_start or 0
        assert text[start : start + len(fact.quote)] == fact.quote


def test_acled_rows_become_events_and_fatalities(tmp_path: Path) -> None:
    items = list(read_csv(_write(tmp_path, "acled.csv", ACLED)))
    assert len(items) == 2
    strike, shelling = items
    facts = {(str(f.category), str(f.unit)): f for f in strike.facts or ()}
    assert facts[("airstrikes", "events")].value == 1
    killed = facts[("killed", "people")]
    assert killed.value == 6 and killed.date_start == date(2020, 1, 15)
    assert killed.source == "Local monitor"
    assert killed.extra == {"actor1": "Military Forces of Syria (2000-)"}
    place = killed.resolved[0]
    assert (place.name, place.admin1, place.lat, place.lon) == ("Ariha", "Idlib", 35.8128, 36.6097)
    assert place.precision == Precision.POINT
    assert "bakery" in strike.document.text and strike.document.published == date(2020, 1, 15)
    assert strike.document.title == "ACLED event SYR9001"
    # no fatalities: only the event, dated from a written-out date
    assert [(str(f.category), f.value) for f in shelling.facts or ()] == [("shelling", 1)]
    assert shelling.facts[0].resolved[0].precision == Precision.DISTRICT
    assert shelling.facts[0].date_end == date(2020, 1, 16)
    for item in items:
        _check_spans(item)


def test_any_hxl_file_gives_one_fact_per_figure_column(tmp_path: Path) -> None:
    items = list(read_csv(_write(tmp_path, "hxl.csv", HXL_FROM_ELSEWHERE)))
    assert len(items) == 2
    ariha = {(str(f.category), str(f.unit)): f.value for f in items[0].facts or ()}
    assert ariha == {("killed", "people"): 3, ("injured", "people"): 8}
    saraqib = {(str(f.category), str(f.unit)): f.value for f in items[1].facts or ()}
    assert saraqib == {("displaced", "people"): 1250, ("displaced", "families"): 250}
    fact = items[1].facts[0]
    assert fact.places == ("Saraqib",) and fact.source == "Shelter desk"
    assert fact.resolved[0].admin1 == "Idlib" and fact.date_start == date(2020, 1, 22)
    for item in items:
        _check_spans(item)


def test_population_idps_hashtags_are_displacement(tmp_path: Path) -> None:
    (item,) = read_csv(_write(tmp_path, "idps.csv", HXL_POPULATION))
    found = sorted((str(f.unit), f.value) for f in item.facts or ())
    assert found == [("families", 700), ("people", 4200)]
    assert all(f.category == Category.DISPLACED and f.places == ("Aleppo",) for f in item.facts)


def test_reading_a_table_twice_gives_the_same_documents(tmp_path: Path) -> None:
    path = _write(tmp_path, "acled.csv", ACLED)
    assert [i.document.id for i in read_csv(path)] == [i.document.id for i in read_csv(path)]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("name,age\nA,3\n", "unknown CSV layout"),
        ("#date,#adm1+name\n2020-01-01,Idlib\n", "no figure columns"),
        ("", "empty file"),
    ],
)
def test_bad_tables_say_what_is_wrong(tmp_path: Path, text: str, message: str) -> None:
    path = _write(tmp_path, "bad.csv", text)
    with pytest.raises(IngestError, match=message) as caught:
        list(read_csv(path))
    assert caught.value.where and "bad.csv" in caught.value.where


def test_a_bad_cell_names_its_row(tmp_path: Path) -> None:
    text = ACLED.replace(",6\n", ",six\n")
    with pytest.raises(IngestError, match="fatalities is not a whole number") as caught:
        list(read_csv(_write(tmp_path, "acled.csv", text)))
    assert caught.value.where.endswith("row 2")


def test_dispatcher_reads_csv_and_geojson(tmp_path: Path) -> None:
    found = list(read_file(_write(tmp_path, "events.csv", ACLED)))
    assert all(isinstance(i, Ingested) for i in found) and len(found) == 2
    errors = list(read_file(_write(tmp_path, "x.geojson", '{"type": "Point"}')))
    assert isinstance(errors[0], IngestError) and "FeatureCollection" in errors[0].message


def test_geojson_feature_without_our_properties(tmp_path: Path) -> None:
    data = {"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {}}]}
    path = _write(tmp_path, "other.geojson", json.dumps(data))
    with pytest.raises(IngestError, match="feature 1"):
        list(read_geojson(path))


def test_fact_records_rebuild_the_document() -> None:
    records = [
        {
            "doc": "d1",
            "quote": "40 families arrived",
            "quote_start": 12,
            "span": [12, 14],
            "value": 40,
            "unit": "families",
            "category": "displaced",
            "doc_title": "Camp note",
            "doc_published": "2020-02-03",
        },
        {"doc": "d1", "quote": "no quote offset", "value_text": "dozens", "category": "killed"},
    ]
    (item,) = read_fact_records(records, "facts.json")
    assert item.document.id == "d1" and item.document.title == "Camp note"
    assert item.document.text[12:31] == "40 families arrived"
    assert "no quote offset" in item.document.text
    assert [f.unit for f in item.facts or ()] == [Unit.FAMILIES, Unit.OTHER]


def test_fact_records_with_a_bad_record() -> None:
    with pytest.raises(IngestError, match="record 1"):
        list(read_fact_records([{"doc": "d", "category": "nonsense", "value": 1}], "f.json"))


def test_sparse_text_keeps_offsets() -> None:
    a = Fact("d", "seven dead", (4, 9), 7, Category.KILLED, Unit.PEOPLE, quote_start=4)
    b = Fact("d", "dead in Ariha", (10, 14), 7, Category.KILLED, Unit.PEOPLE, quote_start=10)
    text = sparse_text([a, b], "note")
    assert text[4:14] == "seven dead" and text[10:23] == "dead in Ariha"
    assert text.rstrip().endswith("note")
