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
