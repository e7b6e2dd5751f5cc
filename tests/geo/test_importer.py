"""User gazetteers: COD and HXL files we wrote, imported into an overlay that takes precedence."""

from __future__ import annotations

from pathlib import Path

import pytest

from crisisdesk.errors import GazetteerError
from crisisdesk.geo import Gazetteer, import_gazetteer
from crisisdesk.model import Precision

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "gazetteer"


def test_cod_import_adds_pcoded_areas_and_places(tmp_path: Path) -> None:
    overlay = tmp_path / "overlay.sqlite"
    summary = import_gazetteer(FIXTURES / "cod_small.csv", overlay)
    assert summary.rows == 4
    assert summary.by_kind == {"adm1": 2, "adm2": 3, "adm3": 4}
    with Gazetteer.open(overlay=overlay) as gaz:
        r = gaz.resolve("Saraqab")
        assert r.place_id == "ov:SY070003"
        assert (r.admin1_code, r.admin2_code) == ("SY07", "SY0700")
        # the imported spelling of the governorate, with its P-code, wins over the bundled one
        area = gaz.resolve("Idleb governorate")
        assert area.place_id == "ov:SY07" and area.precision is Precision.GOVERNORATE
        assert gaz.contains("ov:SY0702", "ov:SY070202")
        assert not gaz.contains("ov:SY0702", "ov:SY070003")
        # Arabic names come from the *_ar columns
        assert gaz.resolve("قرية تجريبية").place_id == "ov:SY020099"
        # the bundled gazetteer still answers for everything else, with the imported P-codes
        afrin = gaz.resolve("Afrin")
        assert afrin.place_id == "gn:174186" and (afrin.admin1_code, afrin.admin1) == (
            "SY02",
            "Aleppo",
        )
        binnish = gaz.resolve("Binnish")
        assert (binnish.admin1_code, binnish.admin2_code) == ("SY07", "SY0700")  # Idleb district
        assert gaz.contains("ov:SY07", binnish.place_id)
        assert not gaz.contains("ov:SY02", binnish.place_id)


def test_hxl_import_and_reimport_merges(tmp_path: Path) -> None:
    overlay = tmp_path / "overlay.sqlite"
    import_gazetteer(FIXTURES / "cod_small.csv", overlay)
    summary = import_gazetteer(FIXTURES / "hxl_small.csv", overlay)
    assert summary.by_kind == {"adm1": 1, "adm2": 1, "village": 2}
    with Gazetteer.open(overlay=overlay) as gaz:
        camp = gaz.resolve("Olive Grove Test Camp")
        assert camp.place_id == "ov:C9002" and camp.lat == pytest.approx(36.31)
        assert camp.admin2_code == "SY0703"
        assert gaz.resolve("Saraqab").place_id == "ov:SY070003"  # first import kept


def test_malformed_value_names_row_and_column(tmp_path: Path) -> None:
    with pytest.raises(GazetteerError) as info:
        import_gazetteer(FIXTURES / "bad_latitude.csv", tmp_path / "o.sqlite")
    assert "row 2" in str(info.value) and "lat" in str(info.value)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "empty"),
        ("name,code\nSaraqib,X1\n", "no admin name/code columns"),
        ("admin1Name_en,admin1Pcode\n", "no rows"),
        ("admin1Name_en,admin1Pcode\nIdleb,\n", "row 2, column admin1Pcode"),
    ],
)
def test_bad_files_are_clear_errors(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "in.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(GazetteerError, match=message):
        import_gazetteer(path, tmp_path / "o.sqlite")


def test_missing_file_and_bad_overlay(tmp_path: Path) -> None:
    with pytest.raises(GazetteerError, match="not found"):
        import_gazetteer(tmp_path / "nope.csv", tmp_path / "o.sqlite")
    junk = tmp_path / "junk.sqlite"
    junk.write_bytes(b"this is not sqlite at all" * 100)
    with pytest.raises(GazetteerError):
        Gazetteer.open(overlay=junk)
