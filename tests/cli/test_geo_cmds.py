"""`crisisdesk geocode` and `crisisdesk gazetteer import` through the real CLI app."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from crisisdesk.cli import build_app

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "gazetteer"


@pytest.fixture
def run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("CRISISDESK_GAZETTEER_OVERLAY", str(tmp_path / "overlay.sqlite"))
    runner = CliRunner()
    app = build_app()

    def _run(*args: str):
        return runner.invoke(app, list(args))

    return _run


def test_geocode_json_is_one_object(run) -> None:
    result = run("geocode", "Sarakib", "--country", "SY", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["place_id"] == "gn:164816"
    assert data["admin1"] == "Idlib" and data["precision"] == "point"
    assert isinstance(data["other_candidates"], list)


def test_geocode_table_and_within(run) -> None:
    result = run("geocode", "Aleppo")
    assert result.exit_code == 0
    assert "governorate" in result.stdout and "gn:170063" in result.stdout  # the city, offered
    result = run("geocode", "Saraqib", "--within", "Aleppo", "--json")
    assert result.exit_code == 5  # Saraqib is in Idlib: nothing of that name in Aleppo
    assert "within 'Aleppo'" in json.loads(result.stdout)["error"]


def test_geocode_unknown_place_is_exit_5_naming_the_nearest(run) -> None:
    """An unknown name is the documented not-found error (5), with spellings to try."""
    result = run("geocode", "Sarmeenzz", "--country", "SY", "--json")
    assert result.exit_code == 5
    data = json.loads(result.stdout)
    assert data["ok"] is False and data["code"] == "not_found"
    assert "nearest known names: Sarmīn (SY)" in data["error"]
    result = run("geocode", "Qwzxvbnmtrp")
    assert result.exit_code == 5
    assert "unknown place 'Qwzxvbnmtrp'" in result.stderr


def test_geocode_table_folds_long_names_at_80_columns(run, monkeypatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    result = run("geocode", "Maarat al-Numan")
    assert result.exit_code == 0
    assert "…" not in result.stdout  # wrapped, never cut
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80
    table = "\n".join(line for line in lines if line.startswith("│"))
    # wrapped at word breaks, not letter by letter: each word of the name stays whole
    assert "Ma‘arrat" in table and "Nu‘mān" in table, table
    assert "35.6483, 36.6769" in table


def test_gazetteer_import_then_geocode_uses_overlay(run, tmp_path: Path) -> None:
    result = run("gazetteer", "import", str(FIXTURES / "cod_small.csv"), "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["places"] == 9
    assert (tmp_path / "overlay.sqlite").is_file()
    data = json.loads(run("geocode", "Saraqab", "--json").stdout)
    assert data["place_id"] == "ov:SY070003" and data["admin1_code"] == "SY07"


def test_gazetteer_import_bad_file_exit_code(run) -> None:
    result = run("gazetteer", "import", str(FIXTURES / "bad_latitude.csv"))
    assert result.exit_code == 3
    assert "row 2" in result.output
