"""The known names nearest to a name the gazetteer does not know, for error messages.

An unknown place asked for (``total --place Narnia``, ``geocode Xyzzyville``)
is an error that helps: it names the closest spellings the user may have
meant, ranked by edit similarity, those of the preferred country first.
"""

from __future__ import annotations

from rapidfuzz import fuzz, process

from crisisdesk.errors import NotFoundError
from crisisdesk.geo.gazetteer import Gazetteer
from crisisdesk.geo.normalise import key

NEAREST = 5  # names offered
_POOL_LIMIT = 40  # keys looked at per pool before names are made unique


def nearest_names(
    gaz: Gazetteer, name: str, *, country: str | None = None, limit: int = NEAREST
) -> list[str]:
    """Up to ``limit`` known place names closest to ``name`` ("Sarmin (SY)")."""
    k = key(name)
    if not k:
        return []
    found: dict[str, float] = {}
    for pool_country in dict.fromkeys([country.upper() if country else None, None]):
        keys, refs = gaz.fuzzy_pool(pool_country)
        for _, score, idx in process.extract(k, keys, scorer=fuzz.ratio, limit=_POOL_LIMIT):
            origin, rowid = refs[idx]
            place = gaz.place_by_rowid(origin, rowid)
            label = f"{place.name} ({place.country})" if place.country else place.name
            bonus = 5.0 if country and place.country == country.upper() else 0.0
            found[label] = max(found.get(label, 0.0), score + bonus)
        if len(found) >= limit and country:
            break
    return [n for n, _ in sorted(found.items(), key=lambda x: (-x[1], x[0]))][:limit]


def unknown_place(
    gaz: Gazetteer | None, name: str, *, country: str | None = None, within: str | None = None
) -> NotFoundError:
    """The error for a place no gazetteer entry and no stored report knows."""
    near = nearest_names(gaz, name, country=country) if gaz is not None else []
    hint = f"; nearest known names: {', '.join(near)}" if near else ""
    if within:
        return NotFoundError(f"no place {name!r} within {within!r} in the gazetteer{hint}")
    return NotFoundError(f"unknown place {name!r}: no gazetteer entry or report names it{hint}")


__all__ = ["NEAREST", "nearest_names", "unknown_place"]
