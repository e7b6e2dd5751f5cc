"""Our supplement (supplement.yaml): every entry sourced, none duplicating GeoNames,
and its regions containing what they should."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
import yaml

from crisisdesk.geo import Gazetteer
from crisisdesk.geo.normalise import key
from crisisdesk.geo.schema import FORM_KEY
from crisisdesk.model import Precision

SUPPLEMENT = Path(__file__).resolve().parents[2] / "src/crisisdesk/data/gazetteer/supplement.yaml"


def _supplement() -> dict[str, list[dict[str, object]]]:
    return yaml.safe_load(SUPPLEMENT.read_text(encoding="utf-8"))


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    dlat = math.radians(lat2 - lat1)
    dlon = math.radians(lon2 - lon1) * math.cos(math.radians(lat1))
    return 6371.0 * math.hypot(dlat, dlon)


def test_every_new_place_says_where_its_coordinates_come_from() -> None:
    data = _supplement()
    new = [e for e in data["places"] if "id" in e]
    assert len(new) >= 40
    for entry in [*new, *data["regions"]]:
        source = str(entry.get("source") or "")
        assert len(source) > 15, entry["id"]
    # our own placements are marked as such, so SOURCES.md can list them to check
    placed = [e for e in new if "placed by us" in str(e["source"])]
    assert all(str(e["source"]).startswith("approximate") for e in placed)


def test_no_new_place_duplicates_a_geonames_entry(gaz: Gazetteer) -> None:
    """A supplement village GeoNames also has (same name, within 5 km) should be an
    `augment` of the GeoNames entry instead."""
    dupes = []
    for entry in _supplement()["places"]:
        if "id" not in entry:
            continue
        for name in [entry["name"], *entry.get("names", [])]:
            for place in gaz.lookup(FORM_KEY, key(str(name))):
                if (
                    place.id.startswith("gn:")
                    and place.lat is not None
                    and place.kind not in ("adm1", "adm2", "country")
                    and _km(place.lat, place.lon, entry["lat"], entry["lon"]) < 5
                ):
                    dupes.append((entry["id"], place.id))
    assert not dupes, dupes


def test_a_region_drawn_as_a_box_contains_only_what_is_inside(gaz: Gazetteer) -> None:
    zawiya = gaz.resolve("Jabal al-Zawiya")
    assert (zawiya.precision, zawiya.admin1, zawiya.country) == (
        Precision.REGION,
        "Idlib",
        "SY",
    )
    inside = gaz.resolve("al-Bara", country="SY").place_id
    outside = gaz.resolve("Saraqib", country="SY").place_id
    assert gaz.contains(zawiya.place_id, inside)
    assert not gaz.contains(zawiya.place_id, outside)
    # and the governorate contains the region's villages
    idlib = gaz.find_area("Idlib governorate")
    assert idlib is not None and gaz.contains(idlib.id, inside)


@pytest.mark.parametrize(
    ("region", "inside", "outside"),
    [
        ("Darfur", "El Fasher", "Omdurman"),
        ("Kordofan", "Kadugli", "Nyala"),
        ("eastern Ukraine", "Bakhmut", "Odesa"),
        ("southern Lebanon", "Tyre", "Baalbek"),
        ("the Kivus", "Goma", "Kinshasa"),
    ],
)
def test_named_regions_of_whole_provinces(
    gaz: Gazetteer, region: str, inside: str, outside: str
) -> None:
    area = gaz.resolve(region)
    assert area.precision is Precision.REGION
    cc = area.country
    assert gaz.contains(area.place_id, gaz.resolve(inside, country=cc).place_id)
    assert not gaz.contains(area.place_id, gaz.resolve(outside, country=cc).place_id)


def test_a_country_by_its_former_name_is_the_country(gaz: Gazetteer) -> None:
    """ "Burma" is Myanmar in reports, not the Jordanian village of the same spelling."""
    burma = gaz.resolve("Burma")
    assert (burma.country, burma.precision) == ("MM", Precision.COUNTRY)
