"""Document context: countries named by their people, and the other places a text names.

Every sentence here is ours. The names are real places that share a name across
countries (Ariha is also the Arabic name of Jericho; Deir Ballut is a Syrian and a
Palestinian village; Suran is a town of Aleppo and of Hama governorates).
"""

from __future__ import annotations

import sqlite3

import pytest

from crisisdesk.geo import Gazetteer, GeoContext, bundled_path
from crisisdesk.geo.context import demonyms
from crisisdesk.geo.normalise import key
from crisisdesk.model import Document, Precision

ARIHA_SY = "gn:172994"
JERICHO_PS = "gn:284899"


def _ctx(gaz: Gazetteer, text: str) -> GeoContext:
    return GeoContext.from_document(Document.from_text(text), gaz)


def test_a_demonym_names_the_country(gaz: Gazetteer) -> None:
    ctx = _ctx(
        gaz, "Rescuers pulled four people from rubble in Ariha, the Syrian Civil Defence said."
    )
    assert ctx.countries == {"SY"}
    r = gaz.resolve("Ariha", context=ctx)
    assert (r.place_id, r.country, r.admin1) == (ARIHA_SY, "SY", "Idlib")


def test_without_any_clue_the_other_reading_is_flagged(gaz: Gazetteer) -> None:
    ctx = _ctx(gaz, "Rescuers pulled four people from rubble in Ariha on Sunday.")
    assert not ctx.countries
    r = gaz.resolve("Ariha", context=ctx)
    assert r.place_id in (ARIHA_SY, JERICHO_PS)
    other = JERICHO_PS if r.place_id == ARIHA_SY else ARIHA_SY
    assert other in r.candidates


@pytest.mark.parametrize(
    ("text", "country"),
    [
        ("Shelling hit Saraqib and Binnish before families fled Ariha.", "SY"),
        ("Families from Jenin and Nablus reached Ariha by the evening.", "PS"),
    ],
)
def test_the_other_places_named_decide(gaz: Gazetteer, text: str, country: str) -> None:
    ctx = _ctx(gaz, text)
    assert ctx.anchors  # the unambiguous places, as points
    assert gaz.resolve("Ariha", context=ctx).country == country


@pytest.mark.parametrize(
    ("text", "admin1"),
    [
        ("Fighting near Morek and Kafr Zita reached Suran overnight.", "Hama"),
        ("Shelling hit Azaz on Monday and Suran on Tuesday.", "Aleppo"),
    ],
)
def test_the_nearer_of_two_same_name_towns_wins(gaz: Gazetteer, text: str, admin1: str) -> None:
    """Both Surans are Syrian: only the neighbours named in the text can tell them apart,
    and a name that is itself ambiguous is no anchor."""
    r = gaz.resolve("Suran", context=_ctx(gaz, text))
    assert (r.country, r.admin1) == ("SY", admin1)


@pytest.mark.parametrize(
    ("text", "country"),
    [
        ("A convoy left Atmeh camp for Deir Ballut with 300 families.", "SY"),
        ("Settlers raided Deir Ballut, west of Salfit, at dawn.", "PS"),
    ],
)
def test_a_village_of_two_countries(gaz: Gazetteer, text: str, country: str) -> None:
    assert gaz.resolve("Deir Ballut", context=_ctx(gaz, text)).country == country


def test_an_admin_name_two_countries_share_adds_neither(gaz: Gazetteer) -> None:
    """Gaza is also a province of Mozambique: the bare word names no country."""
    ctx = _ctx(gaz, "Fighting in Gaza displaced thousands of families this week.")
    assert "MZ" not in ctx.countries
    named = _ctx(gaz, "Palestinian medics said fighting in Gaza displaced thousands.")
    assert "PS" in named.countries and "MZ" not in named.countries


def test_a_weak_spelling_match_abroad_is_not_forced(gaz: Gazetteer) -> None:
    """A name the gazetteer lacks may sound like a village elsewhere: in a document about
    another country that is a coincidence, so the name stays unresolved."""
    bare = gaz.resolve("Raya")
    assert bare.precision is not Precision.UNRESOLVED and bare.country != "ET"
    ctx = _ctx(gaz, "Ethiopian officials said aid reached Raya last week.")
    r = gaz.resolve("Raya", context=ctx)
    assert r.precision is Precision.UNRESOLVED or r.country == "ET"


@pytest.mark.parametrize(
    ("word", "country"),
    [
        ("Syrian", "SY"),
        ("Yemeni", "YE"),
        ("Sudanese", "SD"),
        ("Ukrainian", "UA"),
        ("Russian", "RU"),
        ("Palestinian", "PS"),
        ("Gazan", "PS"),
        ("Israeli", "IL"),
        ("Burmese", "MM"),
        ("Myanmar", "MM"),
        ("Ethiopian", "ET"),
        ("Tigrayan", "ET"),
        ("Somali", "SO"),
        ("Congolese", "CD"),
        ("Afghan", "AF"),
        ("Iraqi", "IQ"),
        ("Libyan", "LY"),
        ("Malian", "ML"),
        ("Nigerien", "NE"),
        ("Burkinabè", "BF"),
        ("Lebanese", "LB"),
        ("Turkish", "TR"),
    ],
)
def test_demonyms_of_the_theatres(word: str, country: str) -> None:
    assert country in demonyms()[key(word)]


def test_every_populous_country_has_a_demonym() -> None:
    named = {cc for ccs in demonyms().values() for cc in ccs}
    conn = sqlite3.connect(bundled_path())
    try:
        rows = conn.execute(
            "SELECT country, name FROM places WHERE kind = 'country' AND population >= 1000000"
        ).fetchall()
    finally:
        conn.close()
    assert len(rows) > 150
    gone = {"CS"}  # Serbia and Montenegro: GeoNames keeps the code, no report names it
    missing = sorted(f"{cc} {name}" for cc, name in rows if cc not in named | gone)
    assert not missing, missing


def test_a_named_region_names_its_country(gaz: Gazetteer) -> None:
    assert "SD" in _ctx(gaz, "Fighting spread across Darfur during the week.").countries
    ctx = _ctx(gaz, "Shelling on Jabal al-Zawiya went on overnight.")
    assert ctx.countries == {"SY"} and "SY.12" in ctx.admin1_codes


def test_arabic_ordinary_words_are_no_evidence(gaz: Gazetteer) -> None:
    """ "الفصائل" (the factions) is also a Palestinian village's name: a Syrian report that
    speaks of the factions is not set in Palestine."""
    text = "قتل 9 مدنيين في قصف على سراقب وسرمين، واتهمت الفصائل قوات النظام في سوريا."
    ctx = GeoContext.from_text(text, gaz)
    assert ctx.countries == frozenset({"SY"})
    assert ctx.main_country == "SY"


def test_the_places_decide_the_main_country_not_the_belligerents(gaz: Gazetteer) -> None:
    text = "Russian jets and Russian guns struck Saraqib, Sarmin and Binnish; Russia denied it."
    ctx = GeoContext.from_text(text, gaz)
    assert "RU" in ctx.countries
    assert ctx.main_country == "SY"
