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
