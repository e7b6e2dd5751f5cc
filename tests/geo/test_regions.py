"""Regions and admin areas named with plural kind words."""

from __future__ import annotations

from crisisdesk.geo import Gazetteer
from crisisdesk.model import Precision


def test_plural_kind_words_name_the_area() -> None:
    """'Idlib and western Aleppo governorates': the plural still says which kind of place."""
    gaz = Gazetteer.open()
    western = gaz.resolve("western Aleppo governorates", country="SY")
    assert western.kind == "adm1" and western.precision is Precision.REGION
    assert western.admin1_code == gaz.resolve("Aleppo governorate", country="SY").admin1_code
    assert gaz.resolve("Idlib provinces", country="SY").precision is Precision.GOVERNORATE


def test_arabic_compass_words_before_a_name_make_a_region() -> None:
    """ "شرقي إدلب" is eastern Idlib, as "ريف إدلب الشرقي" is: the governorate, as a region;
    "شمال غرب سوريا" stays the named region it is, like "north-west Syria"."""
    gaz = Gazetteer.open()
    idlib = gaz.resolve("eastern Idlib", country="SY")
    for written in ("شرقي إدلب", "شرق إدلب", "جنوب شرقي إدلب", "ريف إدلب الشرقي"):
        place = gaz.resolve(written, country="SY")
        assert place.kind == "adm1" and place.precision is Precision.REGION, written
        assert place.admin1_code == idlib.admin1_code, written
    named = gaz.resolve("شمال غرب سوريا", country="SY")
    assert named.kind == gaz.resolve("north-west Syria", country="SY").kind == "region"
