"""Exports: each format reads back into a fresh store as the same facts, and each
is what its target tool expects (libhxl for HXL, RFC 7946 for GeoJSON)."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any, ClassVar

import pytest
from hypothesis import HealthCheck, given, settings

from crisisdesk.errors import ConfigError
from crisisdesk.ingest import read_file
from crisisdesk.model import Document, Fact, Ingested
from crisisdesk.report import export
from crisisdesk.report.exporters import FORMATS
from crisisdesk.store import Store
from strategies import reports


def _ingest(path: Path, store: Store) -> int:
    added = 0
    for item in read_file(path):
        assert isinstance(item, Ingested), f"ingest failed: {item}"
        assert item.facts is not None, "an export is read as facts, not re-extracted"
        added += store.add_document(item.document, item.facts)
    return added


def _facts(store: Store) -> list[Fact]:
    return sorted((s.fact for s in store.iter_facts()), key=lambda f: (f.doc, f.key))


def _docs(store: Store) -> dict[str, tuple[Any, ...]]:
    return {d.id: (d.title, d.publisher, d.url, d.published) for d in store.iter_documents()}


def _round_trip(
    tmp: Path, fmt: str, suffix: str, written: list[tuple[Document, tuple[Fact, ...]]]
) -> tuple[Store, Store, int]:
    first = Store.open(f"sqlite:///{tmp / 'a.sqlite'}")
    for doc, facts in written:
        first.add_document(doc, facts)
    out = tmp / f"export{suffix}"
    rows = export(first, fmt, out)
    second = Store.open(f"sqlite:///{tmp / 'b.sqlite'}")
    _ingest(out, second)
    return first, second, rows


class ExporterContract:
    """One contract for every format; subclasses name the format and its limits."""

    __test__ = False
    fmt: ClassVar[str]
    suffix: ClassVar[str]
    located: ClassVar[bool] = False

    @settings(
        max_examples=int(os.environ.get("CRISISDESK_RT_EXAMPLES", "12")),
        deadline=None,
        # one test body, one subclass per format: the "different executors" are intended
        suppress_health_check=[
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
            HealthCheck.differing_executors,
        ],
    )
    @given(data=reports(located=False) | reports(located=True))
    def test_round_trip(self, data: tuple[Document, tuple[Fact, ...]]) -> None:
        doc, facts = data
        if self.located:  # a format that keeps located facts only: give it those
            facts = tuple(f for f in facts if any(p.lat is not None for p in f.resolved))
        # hypothesis runs this body many times: a folder of its own each time, removed after
        tmp = Path(tempfile.mkdtemp(prefix="crisisdesk-rt-"))
        first, second, rows = _round_trip(tmp, self.fmt, self.suffix, [(doc, facts)])
        try:
            assert rows == len(facts)
            assert _facts(second) == _facts(first)
            if facts:
                assert _docs(second) == _docs(first)
                rebuilt = second.get_document(doc.id)
                for fact in facts:  # the evidence still points at the same characters
                    start = fact.quote_start or 0
                    assert rebuilt.text[start : start + len(fact.quote)] == fact.quote
        finally:
            first.close()
            second.close()
            shutil.rmtree(tmp, ignore_errors=True)

    def test_store_fixture_round_trip(self, filled_store: Store, tmp_path: Path) -> None:
        out = tmp_path / f"out{self.suffix}"
        rows = export(filled_store, self.fmt, out)
        assert rows == 7
        again = Store.open(f"sqlite:///{tmp_path / 'again.sqlite'}")
        try:
            _ingest(out, again)
            assert _facts(again) == _facts(filled_store)
        finally:
            again.close()

    def test_reimport_into_same_store_is_a_no_op(self, filled_store: Store, tmp_path: Path):
        out = tmp_path / f"out{self.suffix}"
        export(filled_store, self.fmt, out)
        assert _ingest(out, filled_store) == 0
        assert filled_store.count_facts() == 7


class TestCsv(ExporterContract):
    __test__ = True
    fmt, suffix = "csv", ".csv"

    def test_rows_carry_evidence_and_document(self, filled_store: Store, tmp_path: Path):
        out = tmp_path / "facts.csv"
        export(filled_store, "csv", out)
        rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
        row = next(r for r in rows if r["value"] == "5200")
        assert row["quote"] == "about 5,200 people left Saraqib"
        assert row["doc_title"] == "Families leave Saraqib"
        assert row["doc_publisher"] == "Camp Coordination Cell"
        assert row["doc_url"] == "https://example.org/ccc/saraqib"
        assert row["doc_published"] == "2020-01-28"
        assert (row["place_id"], row["admin1"], row["lat"]) == ("gn:169389", "Idlib", "35.8645")
        text = filled_store.get_document(row["doc"]).text
        assert text[int(row["span_start"]) : int(row["span_end"])] == "5,200"


class TestHxl(ExporterContract):
    __test__ = True
    fmt, suffix = "hxl", ".csv"

    def test_libhxl_reads_the_standard_hashtags(self, filled_store: Store, tmp_path: Path):
        hxl = pytest.importorskip("hxl")
        out = tmp_path / "facts-hxl.csv"
        export(filled_store, "hxl", out)
        dataset = hxl.data(str(out), hxl.InputOptions(allow_local=True)).cache()
        tags = {c.display_tag for c in dataset.columns}
        for wanted in (
            "#adm1+name",
            "#loc+name",
            "#geo+lat",
            "#geo+lon",
            "#meta+source",
            "#meta+url",
            "#affected+killed",
            "#affected+injured",
            "#affected+displaced+ind",
            "#affected+displaced+hh",
        ):
            assert wanted in tags
        killed = [v for v in dataset.get_value_set("#affected+killed") if v]
        assert sorted(int(v) for v in killed) == [11, 14]
        assert "Saraqib" in dataset.get_value_set("#loc+name")
        assert "2020-01-19" in dataset.get_value_set("#date+start")
        assert len(list(dataset)) == 7


class TestJson(ExporterContract):
    __test__ = True
    fmt, suffix = "json", ".json"

    def test_objects_follow_the_fact_schema(self, filled_store: Store, tmp_path: Path):
        out = tmp_path / "facts.json"
        export(filled_store, "json", out)
        with out.open(encoding="utf-8") as handle:
            records = json.load(handle)  # one JSON document, not JSON lines
        from crisisdesk.model import FACT_SCHEMA_FIELDS

        assert isinstance(records, list) and len(records) == 7
        assert all(set(FACT_SCHEMA_FIELDS) <= r.keys() for r in records)
        rockets = next(r for r in records if r["category"] == "rockets")
        assert (rockets["value"], rockets["unit"], rockets["quote"]) == (
            3,
            "items",
            "3 rockets fell on Saraqib",
        )
        assert rockets["resolved_places"][0]["admin2_code"] == "SY0700"


class TestJsonLines(ExporterContract):
    __test__ = True
    fmt, suffix = "jsonl", ".jsonl"

    def test_one_object_per_line(self, filled_store: Store, tmp_path: Path):
        out = tmp_path / "facts.jsonl"
        assert export(filled_store, "jsonl", out) == 7
        text = out.read_text(encoding="utf-8")
        with pytest.raises(json.JSONDecodeError):
            json.loads(text)  # several documents: json.load rejects it, as JSON lines should
        records = [json.loads(line) for line in text.splitlines()]
        json_out = tmp_path / "facts.json"
        export(filled_store, "json", json_out)
        assert records == json.loads(json_out.read_text(encoding="utf-8"))


def _check_rfc7946(data: dict[str, Any]) -> None:
    """The parts of RFC 7946 our export must meet (sections 3, 3.1.2, 3.2, 3.3, 4)."""
    assert data["type"] == "FeatureCollection"
    assert isinstance(data["features"], list)
    assert "crs" not in data  # section 4: no CRS member, WGS 84 only
    for feature in data["features"]:
        assert feature["type"] == "Feature"
        assert set(feature) >= {"type", "geometry", "properties"}
        assert isinstance(feature["properties"], dict)
        assert isinstance(feature.get("id", ""), str | int)
        geometry = feature["geometry"]
        assert geometry["type"] == "Point"
        lon, lat, *rest = geometry["coordinates"]
        assert not rest or len(rest) == 1
        assert all(isinstance(v, int | float) and not isinstance(v, bool) for v in (lon, lat))
        assert -180 <= lon <= 180 and -90 <= lat <= 90


class TestGeojson(ExporterContract):
    __test__ = True
    fmt, suffix, located = "geojson", ".geojson", True

    def test_valid_rfc7946_points_at_the_places(self, filled_store: Store, tmp_path: Path):
        out = tmp_path / "facts.geojson"
        export(filled_store, "geojson", out)
        raw = out.read_bytes()
        assert not raw.startswith(b"\xef\xbb\xbf")  # RFC 7946 section 11: no byte order mark
        data = json.loads(raw)
        _check_rfc7946(data)
        saraqib = [f for f in data["features"] if f["properties"]["places"] == ["Saraqib"]]
        assert saraqib and all(
            f["geometry"]["coordinates"] == [36.8006, 35.8645] for f in saraqib
        )  # longitude first

    def test_facts_without_coordinates_are_left_out(self, tmp_path: Path) -> None:
        store = Store.open(f"sqlite:///{tmp_path / 's.sqlite'}")
        doc = Document.from_text("Our own note: 7 people were hurt somewhere.")
        fact = Fact(doc.id, "7 people were hurt", (14, 15), 7, "injured", "people", quote_start=14)
        store.add_document(doc, [fact])
        out = tmp_path / "none.geojson"
        assert export(store, "geojson", out) == 0
        _check_rfc7946(json.loads(out.read_text()))
        store.close()


def test_acled_rows_for_attacks_only(filled_store: Store, tmp_path: Path) -> None:
    out = tmp_path / "events.csv"
    assert export(filled_store, "acled", out) == 1  # one incident; the week's rockets are not
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    [strikes] = rows
    assert strikes["sub_event_type"] == "Air/drone strike"
    assert strikes["event_type"] == "Explosions/Remote violence"
    assert (strikes["event_date"], strikes["location"], strikes["admin1"]) == (
        "2020-01-19",
        "Ariha",
        "Idlib",
    )
    assert (strikes["latitude"], strikes["longitude"], strikes["geo_precision"]) == (
        "35.8128",
        "36.6097",
        "1",
    )
    assert strikes["event_count"] == "4" and "4 air strikes" in strikes["notes"]
    assert strikes["source"] == "Civil Defence"
    assert strikes["time_precision"] == "1"
    # the people the same report says were killed there that day, in another sentence
    assert strikes["fatalities"] == "11"


def test_acled_aggregates_go_to_their_own_file(filled_store: Store, tmp_path: Path) -> None:
    """A count over a week is an aggregate: listed apart with its period and why."""
    out = tmp_path / "events.csv"
    export(filled_store, "acled", out)
    agg = tmp_path / "events.aggregates.csv"
    rows = list(csv.DictReader(io.StringIO(agg.read_text(encoding="utf-8-sig"))))
    [rockets] = rows
    assert (rockets["category"], rockets["value"]) == ("rockets", "3")
    assert rockets["period_start"] < rockets["period_end"]
    assert "not one day" in rockets["why_aggregate"]
    assert rockets["quote"] == "3 rockets fell on Saraqib"


def test_acled_export_reads_back_as_events(filled_store: Store, tmp_path: Path) -> None:
    out = tmp_path / "events.csv"
    export(filled_store, "acled", out)
    found = [i for i in read_file(out) if isinstance(i, Ingested)]
    assert len(found) == 1
    values = sorted((str(f.category), f.value) for i in found for f in i.facts or ())
    assert values == [("airstrikes", 4), ("killed", 11)]  # its fatalities come back too


def test_unknown_format_is_a_config_error(filled_store: Store, tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="xlsx"):
        export(filled_store, "xlsx", tmp_path / "x.xlsx")


def test_missing_output_folder_is_a_config_error(filled_store: Store, tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="folder"):
        export(filled_store, "csv", tmp_path / "nowhere" / "x.csv")


@pytest.mark.parametrize("fmt", [f for f in FORMATS if f != "acled-aggregates"])  # none here
def test_export_to_an_open_file(filled_store: Store, fmt: str) -> None:
    handle = io.StringIO()
    rows = export(filled_store, fmt, handle)
    assert rows > 0 and "Ariha" in handle.getvalue()


def test_verified_only_and_rejected(filled_store: Store, tmp_path: Path) -> None:
    stored = list(filled_store.iter_facts())
    filled_store.set_status(stored[0].id, "verified", user="tester")
    filled_store.set_status(stored[1].id, "rejected", user="tester")
    assert export(filled_store, "json", io.StringIO(), verified_only=True) == 1
    assert export(filled_store, "json", io.StringIO()) == 6
    assert export(filled_store, "jsonl", io.StringIO()) == 6
