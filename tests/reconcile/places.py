"""Resolved places for reconcile tests, made the way the gazetteer resolves them."""

from __future__ import annotations

from crisisdesk.model import Precision, ResolvedPlace


def governorate(name: str, code: str) -> ResolvedPlace:
    return ResolvedPlace(
        name=name, place_id=f"g{code}", kind="adm1", country="SY", admin1=name,
        admin1_code=code, precision=Precision.GOVERNORATE,
    )  # fmt: skip


def idlib_district(name: str, code: str) -> ResolvedPlace:
    """A district of Idlib governorate (SY07)."""
    return ResolvedPlace(
        name=name, place_id=f"d{code}", kind="adm2", country="SY", admin1="Idlib",
        admin1_code="SY07", admin2=name, admin2_code=code, precision=Precision.DISTRICT,
    )  # fmt: skip


_GOVERNORATES = {"SY07": "Idlib", "SY02": "Aleppo", "YE25": "Taiz"}


def town(name: str, admin1: str, admin2: str, country: str = "SY") -> ResolvedPlace:
    """A town resolved to a point, in its governorate (``admin1``) and district."""
    gov = _GOVERNORATES[admin1]
    return ResolvedPlace(
        name=name, place_id=f"test:{name.lower()}", canonical=name, kind="town", country=country,
        admin1=gov, admin1_code=admin1, admin2=f"{gov} {admin2}", admin2_code=admin2,
        precision=Precision.POINT,
    )  # fmt: skip


def governorate_named(name: str, code: str) -> ResolvedPlace:
    """A governorate as a report names it: resolved by its code, with no gazetteer id."""
    return ResolvedPlace(
        name=name, canonical=name, kind="adm1", country="SY", admin1=name, admin1_code=code,
        precision=Precision.GOVERNORATE,
    )  # fmt: skip
