"""The gazetteer's Arabic names: GeoNames' own for the towns reports name, and none of
the ordinary Arabic words that happen to be some town's name somewhere."""

from __future__ import annotations

import importlib.util
import re
import sqlite3
import sys
from pathlib import Path
from typing import Any

import pytest

from crisisdesk.geo import Gazetteer, bundled_path
from crisisdesk.geo.normalise import key
from crisisdesk.geo.schema import FORM_KEY

REPO = Path(__file__).resolve().parents[2]
_ARABIC = re.compile("[\u0600-\u06ff]")


@pytest.mark.parametrize(
    ("written", "country", "geonames_id"),
    [
        ("الموصل", "IQ", 99072),
        ("كركوك", "IQ", 94787),
        ("الفلوجة", "IQ", 99454),
        ("أم درمان", "SD", 365137),
        ("نيالا", "SD", 369004),
        ("الفاشر", "SD", 379555),
        ("مصراتة", "LY", 2214846),
        ("بنغازي", "LY", 88319),
        ("ترهونة", "LY", 2210221),
        ("بيروت", "LB", 276781),
        ("رفح", "PS", 281102),
        ("خان يونس", "PS", 281124),
        ("دير البلح", "PS", 281141),
        ("عدن", "YE", 415189),
        ("دوما", "SY", 170592),
    ],
)
def test_town_resolves_from_its_arabic_name(
    gaz: Gazetteer, written: str, country: str, geonames_id: int
) -> None:
    ids = {p.id for p in gaz.lookup(FORM_KEY, key(written)) if p.country == country}
    assert f"gn:{geonames_id}" in ids, ids


@pytest.mark.parametrize(
    "word",
    # "was", "siege", "Lyon" inside "بليون" (billion), "naval", "corona", "the government",
    # "the coalition", "paradise" (Djenné), "square", "safety", "facility", "dwellings"
    [
        "كان",
        "حصار",
        "ليون",
        "بحري",
        "كورونا",
        "الحكومة",
        "التحالف",
        "جنة",
        "ميدان",
        "أمان",
        "المنشأة",
        "مساكن",
    ],
)
def test_ordinary_word_is_no_town_name(gaz: Gazetteer, word: str) -> None:
    towns = [p.id for p in gaz.lookup(FORM_KEY, key(word)) if p.kind in ("city", "town")]
    assert towns == []


def test_most_big_towns_of_the_theatres_have_an_arabic_name() -> None:
    """GeoNames lists Arabic names late; a name budget alone left Mosul without one."""
    con = sqlite3.connect(f"file:{bundled_path()}?mode=ro", uri=True)
    try:
        rows = con.execute(
            "SELECT names FROM places WHERE kind = 'city' AND country IN "
            "('SY', 'IQ', 'LB', 'JO', 'PS', 'YE', 'SD', 'LY')"
        ).fetchall()
    finally:
        con.close()
    named = sum(1 for (names,) in rows if _ARABIC.search(names))
    assert len(rows) > 100 and named / len(rows) > 0.9, (named, len(rows))


@pytest.fixture(scope="module")
def guard() -> Any:
    if importlib.util.find_spec("wordfreq") is None:
        pytest.skip("build extra not installed (pip install crisisdesk[build])")
    sys.path.insert(0, str(REPO / "scripts"))
    try:
        import build_gazetteer
    finally:
        sys.path.pop(0)
    return build_gazetteer._ArabicGuard({"IQ", "SY"}, ["معسكر"])


def _town(name: str, country: str, population: int, *latin: str) -> dict[str, Any]:
    return {
        "name": name,
        "countrycode": country,
        "population": population,
        "alternatenames": list(latin),
    }


def test_guard_keeps_rare_words_and_city_names(guard: Any) -> None:
    assert guard.keep("نيالا", _town("Nyala", "SD", 500_000))
    assert guard.keep("الموصل", _town("Mosul", "IQ", 1_600_000))  # common because the city is
    assert guard.keep("أم درمان", _town("Omdurman", "SD", 1_800_000))  # two words


def test_guard_leaves_out_ordinary_words(guard: Any) -> None:
    assert not guard.keep("كان", _town("Cannes", "FR", 70_000))  # "was"
    assert not guard.keep("ليون", _town("Lyon", "FR", 500_000, "Lyon"))  # "بليون"
    assert not guard.keep("الحكومة", _town("Al Hukumah", "SY", 0))  # small, very common
    assert not guard.keep("معسكر", _town("Mascara", "IQ", 200_000))  # the deny list
    # the same common word is a name for a city of millions, not for a small town
    assert guard.keep("بغداد", _town("Baghdad", "IQ", 7_000_000))
    assert not guard.keep("الجديدة", _town("Al Jadidah", "IQ", 5_000))


@pytest.mark.parametrize(
    ("written", "country"),
    [
        ("سوريا", "SY"),
        ("سورية", "SY"),
        ("اليمن", "YE"),
        ("العراق", "IQ"),
        ("لبنان", "LB"),
        ("ليبيا", "LY"),
        ("السودان", "SD"),
        ("فلسطين", "PS"),
        ("روسيا", "RU"),
    ],
)
def test_country_resolves_from_its_arabic_name(gaz: Gazetteer, written: str, country: str) -> None:
    """Countries carry CLDR's Arabic names (GeoNames gives them none in our packages)."""
    place = gaz.resolve(written)
    assert (place.place_id is not None, place.country, place.precision.value) == (
        True,
        country,
        "country",
    ), place


@pytest.mark.parametrize(
    ("written", "country"),
    # governorates GeoNames' aliases name only with the kind of area in front
    [("البقاع", "LB"), ("النبطية", "LB"), ("محافظة البقاع", "LB"), ("عكار", "LB")],
)
def test_governorate_resolves_without_its_kind_word(
    gaz: Gazetteer, written: str, country: str
) -> None:
    place = gaz.resolve(written)
    assert (place.country, place.precision.value) == (country, "governorate"), place


def test_governorate_keeps_a_name_its_city_makes_common(gaz: Gazetteer) -> None:
    """ "حلب" is a common word because Aleppo is: the governorate keeps it."""
    place = gaz.resolve("محافظة حلب")
    assert (place.country, place.precision.value) == ("SY", "governorate"), place


@pytest.mark.parametrize("word", ["الشمال", "شمال", "الجنوب"])
def test_compass_word_names_no_area(gaz: Gazetteer, word: str) -> None:
    """ "the north" named Qatar's Madinat ash Shamal governorate in every Arabic text."""
    areas = [p.id for p in gaz.lookup(FORM_KEY, key(word)) if p.kind in ("adm1", "adm2")]
    assert areas == []
