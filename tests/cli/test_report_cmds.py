"""``crisisdesk report`` and ``crisisdesk export`` through the real command line."""

from __future__ import annotations

import csv
import importlib.util
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from crisisdesk.cli import build_app
from crisisdesk.store import Store

FIXTURE = Path(__file__).resolve().parents[1] / "report" / "fixture_store.py"


def _fill(store: Store) -> None:
    spec = importlib.util.spec_from_file_location("report_fixture_store", FIXTURE)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.fill(store)


@pytest.fixture
def db(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'cli.sqlite'}"
    with Store.open(url) as store:
        _fill(store)
    return url


def _run(*args: str):
    return CliRunner().invoke(build_app(), list(args))


def test_report_html_with_filters(db: str, tmp_path: Path) -> None:
    out = tmp_path / "saraqib.html"
    result = _run(
        "report", "--place", "Saraqib", "--from", "2020-01-01", "--to", "2020-01-31",
        "--category", "displaced", "--category", "rockets", "-o", str(out), "--db", db, "--json",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {"ok": True, "path": str(out), "format": "html"}
    page = out.read_text(encoding="utf-8")
    assert "5,200" in page and "940" in page and "Rockets" in page
    assert "Ariha" not in page.split('id="figures"')[1]  # another place is filtered out


def test_report_pdf(db: str, tmp_path: Path) -> None:
    out = tmp_path / "sitrep.pdf"
    result = _run("report", "-o", str(out), "--db", db)
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"%PDF-")
    assert "sitrep.pdf" in result.stdout


def test_report_with_no_data_still_writes_a_report(db: str, tmp_path: Path) -> None:
    out = tmp_path / "empty.html"
    result = _run("report", "--place", "Aleppo", "--from", "2021-05-01", "--to", "2021-05-31",
                  "-o", str(out), "--db", db)  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "No figure is recorded for Aleppo between 1 May 2021 and 31 May 2021." in (
        out.read_text(encoding="utf-8")
    )


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["--from", "January"], 2, "--from must be a date"),
        (["--category", "deaths"], 2, "unknown category deaths"),
    ],
)
def test_report_bad_options(db: str, tmp_path: Path, args, code, message) -> None:
    result = _run("report", *args, "-o", str(tmp_path / "r.html"), "--db", db, "--json")
    assert result.exit_code == code
    error = json.loads(result.stdout)
    assert error["ok"] is False and error["code"] == "config_error"
    assert message in error["error"]


def test_report_bad_suffix(db: str, tmp_path: Path) -> None:
    result = _run("report", "-o", str(tmp_path / "r.docx"), "--db", db)
    assert result.exit_code == 2
    assert "use .html or .pdf" in result.stderr


@pytest.mark.parametrize(("fmt", "rows"), [("csv", 7), ("hxl", 7), ("geojson", 7),
                                            ("json", 7), ("jsonl", 7), ("acled", 1)])  # fmt: skip
def test_export_formats(db: str, tmp_path: Path, fmt: str, rows: int) -> None:
    out = tmp_path / f"facts.{fmt}"
    result = _run("export", "--format", fmt, "-o", str(out), "--db", db, "--json")
    assert result.exit_code == 0, result.output
    expected = {"ok": True, "path": str(out), "format": fmt, "rows": rows}
    if fmt == "acled":
        expected["aggregates"] = str(tmp_path / "facts.aggregates.csv")
    assert json.loads(result.stdout) == expected
    assert out.stat().st_size > 0


def test_export_csv_human_output_and_content(db: str, tmp_path: Path) -> None:
    out = tmp_path / "facts.csv"
    result = _run("export", "--format", "csv", "-o", str(out), "--db", db)
    assert result.exit_code == 0 and "7 rows written" in result.stdout
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert {r["value"] for r in rows} == {"11", "23", "4", "5200", "940", "14", "3"}
    assert all(r["quote"] and r["doc"] and r["span_start"] for r in rows)


def test_export_unknown_format(db: str, tmp_path: Path) -> None:
    result = _run("export", "--format", "xlsx", "-o", str(tmp_path / "x.xlsx"), "--db", db)
    assert result.exit_code == 2
    assert "unknown export format 'xlsx'" in result.stderr


def test_exported_csv_ingests_into_a_fresh_store(db: str, tmp_path: Path) -> None:
    out = tmp_path / "facts.csv"
    assert _run("export", "--format", "hxl", "-o", str(out), "--db", db).exit_code == 0
    fresh = f"sqlite:///{tmp_path / 'fresh.sqlite'}"
    result = _run("ingest", str(out), "--db", fresh)
    assert result.exit_code == 0, result.output
    with Store.open(fresh) as store, Store.open(db) as original:
        assert store.count_facts() == original.count_facts() == 7
