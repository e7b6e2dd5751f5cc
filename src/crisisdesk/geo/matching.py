"""From a name as written to scored gazetteer candidates, and to one ResolvedPlace.

Steps, strongest first; the first step that finds anything decides the base score:

1. the normalised key (case, marks, apostrophes, hyphens, articles)   1.00
2. the key with an article written joined ("Alsabeel")                0.95
3. the transliteration skeleton (q/k, ou/u, ee/i, doubled letters)    0.78-0.90, by
   how close the spelling is to the place's nearest name
4. region phrases ("southern Idlib", "rural Aleppo") -> the area      0.90
5. fuzzy (rapidfuzz ratio >= 88 over keys of the likely countries)    0.80 x ratio

Then context adjusts: the requested or document countries and governorates,
the kind the phrase asks for ("Idlib province" wants an admin area), and
population as the last tie-breaker. Below ``ACCEPT`` nothing is forced: the
name stays ``unresolved``.
"""

from __future__ import annotations

import math
import re
from typing import TYPE_CHECKING

from rapidfuzz import fuzz, process

from crisisdesk.geo.normalise import clean, is_arabic, key, key_without_joined_article, skeleton
from crisisdesk.geo.regions import parse_region
from crisisdesk.geo.schema import AREA_KINDS, FORM_KEY, FORM_SKELETON
from crisisdesk.model import Place, Precision, ResolvedPlace

if TYPE_CHECKING:
    from crisisdesk.geo.context import GeoContext
    from crisisdesk.geo.gazetteer import Gazetteer

ACCEPT = 0.6
AMBIGUOUS_MARGIN = 0.05
# A reading in another country is offered as a candidate this far behind, unless the
# requested or document country backs the best one.
OTHER_COUNTRY_MARGIN = 0.15
# (km from the nearest other place the document names, score bonus), nearest first.
NEAR_BONUS = ((30.0, 0.06), (100.0, 0.04), (300.0, 0.02))
FUZZY_CUTOFF = 88.0
# Farther than this from everything the document places, a reading abroad is a namesake.
FAR_ABROAD_KM = 2000.0
SHORT_SKELETON_RATIO = 70.0

# Trailing/leading words that say what kind of place is meant, not which.
_HINT_WORDS = {
    "governorate": "adm1",
    "governorates": "adm1",  # "Idlib and western Aleppo governorates"
    "province": "adm1",
    "provinces": "adm1",
    "muhafazat": "adm1",
    "state": "adm1",
    "region": "adm1",  # "Sagaing Region", "Tigray Region", "Kherson region": the first level
    "oblast": "adm1",
    "wilaya": "adm1",
    "raion": "adm2",
    "rayon": "adm2",
    "محافظة": "adm1",
    "district": "adm2",
    "districts": "adm2",
    "mantiqa": "adm2",
    "منطقة": "adm2",
    "subdistrict": "adm3",
    "sub-district": "adm3",
    "nahiya": "adm3",
    "nahiyah": "adm3",
    "ناحية": "adm3",
    "city": "point",
    "town": "point",
    "village": "point",
    "camp": "point",
    "camps": "point",
    "crossing": "point",
    "port": "point",
    "مدينة": "point",
    "بلدة": "point",
    "قرية": "point",
    "area": "any",
    "areas": "any",
}
_LEADING_OF = re.compile(
    r"^(the\s+)?(city|town|village|governorate|province|district)\s+of\s+", re.I
)
_POINT_KINDS = frozenset({"city", "town", "village"})


def precision_of(kind: str) -> Precision:
    return {
        "country": Precision.COUNTRY,
        "adm1": Precision.GOVERNORATE,
        "adm2": Precision.DISTRICT,
        "adm3": Precision.DISTRICT,
        "region": Precision.REGION,
    }.get(kind, Precision.POINT)


def split_hint(name: str) -> tuple[str, str | None]:
    """("Idlib province") -> ("Idlib", "adm1"); the kind word is dropped from the name."""
    text = clean(name)
    m = _LEADING_OF.match(text)
    hint = None
    if m:
        word = m.group(2).casefold()
        hint = _HINT_WORDS.get(word)
        text = text[m.end() :]
    words = text.split()
    while len(words) > 1 and words[-1].casefold().strip(".,") in _HINT_WORDS:
        word_hint = _HINT_WORDS[words.pop().casefold().strip(".,")]
        hint = hint or word_hint
    while len(words) > 1 and words[0] in _HINT_WORDS and is_arabic(words[0]):
        word_hint = _HINT_WORDS[words.pop(0)]
        hint = hint or word_hint
    return " ".join(words), hint


def _exact(gaz: Gazetteer, text: str) -> tuple[tuple[Place, ...], float]:
    k = key(text)
    if not k:
        return (), 0.0
    found = gaz.lookup(FORM_KEY, k)
    if found:
        return found, 1.0
    k2 = key_without_joined_article(k)
    if k2 != k:
        found = gaz.lookup(FORM_KEY, k2)
        if found:
            return found, 0.95
    for variant in dict.fromkeys((skeleton(k), skeleton(k2))):
        if variant:
            found = gaz.lookup(FORM_SKELETON, variant)
            if found:
                return found, 0.88
    return (), 0.0


def _skeleton_base(text: str, place: Place) -> float:
    """A skeleton match scored by how close the spelling is to the place's nearest name.

    Skeletons collide across the world (Haarim / Haramaya); the closer spelling wins.
    """
    k = key(text)
    best = max((fuzz.ratio(k, key(n)) for n in place.names or (place.name,)), default=0.0)
    return 0.78 + 0.12 * best / 100.0


def _fuzzy(gaz: Gazetteer, text: str, countries: frozenset[str]) -> list[tuple[Place, float]]:
    k = key(text)
    if len(k) < 5:
        return []
    out: list[tuple[Place, float]] = []
    scopes: list[str | None] = [*sorted(countries)] or [None]
    for country in scopes:
        keys, refs = gaz.fuzzy_pool(country)
        for _, ratio, idx in process.extract(
            k, keys, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF, limit=5
        ):
            if keys[idx][:1] != k[:1]:  # a different first letter is a different name
                continue
            origin, rowid = refs[idx]
            out.append((gaz.place_by_rowid(origin, rowid), 0.80 * ratio / 100.0))
    return out


def _adjust(
    gaz: Gazetteer,
    place: Place,
    base: float,
    hint: str | None,
    country: str | None,
    context: GeoContext | None,
) -> float:
    score = base
    if hint in ("adm1", "adm2", "adm3"):
        if place.kind == hint:
            score += 0.08
        elif place.kind in _POINT_KINDS:
            score -= 0.25
    elif hint == "point":
        if place.kind in _POINT_KINDS:
            score += 0.05
        elif place.kind in AREA_KINDS:
            score -= 0.25
    elif hint == "any":
        score += 0.03 if place.kind in AREA_KINDS else 0.0
    else:
        # a bare name that is both a governorate and its seat town: the governorate
        # contains the town, so counting under it is never wrong
        score += {"adm1": 0.03, "country": 0.04, "adm2": -0.02}.get(place.kind, 0.0)
    countries = {country} if country else set(context.countries if context else ())
    if countries:
        score += 0.06 if place.country in countries else -0.08
    if context and place.admin1_code and place.admin1_code in context.admin1_codes:
        score += 0.04
    if context and context.anchors:
        score += _nearness(place, context.anchors)
    if gaz.is_overlay(place):
        score += 0.05
    score += 0.05 * min(1.0, math.log10(place.population + 1) / 7.0)
    return max(0.0, score)  # may exceed 1 while ranking; reported scores are capped


def _nearness(place: Place, anchors: tuple[tuple[float, float], ...]) -> float:
    """Bonus for a place near the other places the document names (its "neighbours")."""
    if place.lat is None or place.lon is None:
        return 0.0
    km = min(_km_between(place.lat, place.lon, lat, lon) for lat, lon in anchors)
    for limit, bonus in NEAR_BONUS:
        if km <= limit:
            return bonus
    return 0.0


def _filtered(
    gaz: Gazetteer, found: list[tuple[Place, float]], country: str | None, within: str | None
) -> list[tuple[Place, float]]:
    out = []
    seen = set()
    for place, score in found:
        if place.id in seen:
            continue
        seen.add(place.id)
        if country and place.country != country.upper():
            continue
        if within and not _within(gaz, within, place, country):
            continue
        out.append((place, score))
    return out


def _within(gaz: Gazetteer, within: str, place: Place, country: str | None) -> bool:
    area = find_area(gaz, within, country=country)
    return area is not None and gaz.contains(area.id, place.id)


def candidates(
    gaz: Gazetteer,
    name: str,
    *,
    country: str | None = None,
    context: GeoContext | None = None,
    within: str | None = None,
) -> list[tuple[Place, float]]:
    """Scored places for a name, best first (see the module doc for the steps)."""
    scored, _ = _candidates(gaz, name, country=country, context=context, within=within)
    return [(p, min(1.0, s)) for p, s in scored]


def _candidates(
    gaz: Gazetteer,
    name: str,
    *,
    country: str | None,
    context: GeoContext | None,
    within: str | None,
) -> tuple[list[tuple[Place, float]], bool]:
    """(scored candidates, whether the phrase named a region rather than a place)."""
    if country:
        country = country.upper()
    text, hint = split_hint(name)
    if not text:
        return [], False
    region = parse_region(text)
    found, base = _exact(gaz, text)
    if not found and hint is not None:  # "Olive Grove Camp" may be the name itself
        found, base = _exact(gaz, clean(name))
        hint = None if found else hint
    is_region = region is not None and not any(p.kind == "region" for p in found)
    raw: list[tuple[Place, float]] = [
        (p, _skeleton_base(text, p) if base == 0.88 else base) for p in found
    ]
    if base == 0.88 and len(skeleton(key(text))) < 3:
        # a two-letter skeleton ("Kaah" -> "k") says little: keep only close spellings
        raw = [(p, b) for p, b in raw if b >= 0.78 + 0.12 * SHORT_SKELETON_RATIO / 100.0]
    if base >= 0.95 and not country and context and context.countries:
        raw.extend(_nearer_readings(gaz, text, found, context.countries))
    if base == 0.88 and not country and context and context.countries:
        # a spelling-blind match in a country the document never mentions is a coincidence
        # ("Humera" in an Ethiopian report is not al-Hamra in Jordan): not a reading at all
        raw = [(p, b) for p, b in raw if p.country in context.countries]
    if not country and context and context.countries:
        raw = [(p, b) for p, b in raw if not _namesake_abroad(gaz, p, context)]
    if not raw and region is not None:
        raw = _region_candidates(gaz, region.area, country, context)
    if not raw:
        is_region = False
        countries = (
            frozenset({country}) if country else (context.countries if context else frozenset())
        )
        raw = _fuzzy(gaz, text, countries)
    scored = [
        (p, _adjust(gaz, p, s, hint if not is_region else "any", country, context)) for p, s in raw
    ]
    scored = _filtered(gaz, scored, country, within)
    scored.sort(key=lambda ps: (-ps[1], ps[0].id))
    return scored, is_region


def _namesake_abroad(gaz: Gazetteer, place: Place, context: GeoContext) -> bool:
    """A reading in a country the document never names, far from every point it fixes (or,
    lacking those, from its countries' centres), is a namesake: "Palma" in a Mozambican
    report is not Mallorca's. A country, or a city abroad near the theatre (Beirut,
    Gaziantep in a Syrian report), is named on purpose and stays."""
    if place.kind == "country" or place.country in context.countries or place.lat is None:
        return False
    points = list(context.anchors)
    if not points:
        for cc in sorted(context.countries):
            centre = gaz.country(cc)
            if centre is not None and centre.lat is not None and centre.lon is not None:
                points.append((centre.lat, centre.lon))
    if not points:
        return False
    lat, lon = place.lat, place.lon or 0.0
    return min(_km_between(lat, lon, a, b) for a, b in points) > FAR_ABROAD_KM


def _nearer_readings(
    gaz: Gazetteer, text: str, found: tuple[Place, ...], countries: frozenset[str]
) -> list[tuple[Place, float]]:
    """Spelling-blind readings in the document's countries, when every exact one is elsewhere.

    "Shabwa" is written exactly like a hamlet in Myanmar, but a Yemeni report means
    Shabwah: the nearer place competes instead of losing to the exact spelling unseen.
    """
    if any(p.country in countries or p.kind == "city" or p.kind in AREA_KINDS for p in found):
        return []  # a city or province abroad (Beirut, Gaziantep) is named on purpose
    k = key(text)
    variants = dict.fromkeys((skeleton(k), skeleton(key_without_joined_article(k))))
    short = 0.78 + 0.12 * SHORT_SKELETON_RATIO / 100.0
    out = []
    for v in variants:
        for p in gaz.lookup(FORM_SKELETON, v) if v else ():
            b = _skeleton_base(text, p)
            if p.country in countries and (len(v) >= 3 or b >= short):
                out.append((p, b))
    return out


def _region_candidates(
    gaz: Gazetteer, area: str, country: str | None, context: GeoContext | None
) -> list[tuple[Place, float]]:
    """The areas a region phrase is about; "the north-west" needs a country to mean anything."""
    if not area:
        return []
    found, base = _exact(gaz, area)
    areas = [p for p in found if p.kind in AREA_KINDS]
    if areas:
        return [(p, 0.9 * base) for p in areas]
    # "western Saraqib countryside": the area around a town is the town's district
    out = []
    for p in found:
        area_id = None
        if p.admin2_code:
            area_id = _area_by_code(gaz, p, "adm2")
        if area_id is None and p.admin1_code:
            area_id = _area_by_code(gaz, p, "adm1")
        out.append((area_id or p, 0.85 * base))
    return out


def _area_by_code(gaz: Gazetteer, place: Place, kind: str) -> Place | None:
    code = place.admin2_code if kind == "adm2" else place.admin1_code
    name = gaz.admin_name(place.country, code) if code else None
    if not name:
        return None
    for p in gaz.lookup(FORM_KEY, key(name)):
        code = p.admin2_code if kind == "adm2" else p.admin1_code
        wanted = place.admin2_code if kind == "adm2" else place.admin1_code
        if p.kind == kind and code == wanted:
            return p
    return None


def _direction_only(gaz: Gazetteer, name: str, countries: frozenset[str]) -> list[Place]:
    """ "the north-west" in a document about one country: that country's named region."""
    region = parse_region(split_hint(name)[0])
    if region is None or region.area or not region.directions or len(countries) != 1:
        return []
    (cc,) = countries
    country = gaz.country(cc)
    found: tuple[Place, ...] = ()
    for country_name in (country.name, *country.names) if country else ():
        found, _ = _exact(gaz, " ".join(region.directions) + " " + country_name)
        if any(p.kind == "region" for p in found):
            break
    return [p for p in found if p.kind == "region"]


def resolve(
    gaz: Gazetteer,
    name: str,
    *,
    country: str | None = None,
    context: GeoContext | None = None,
    within: str | None = None,
) -> ResolvedPlace:
    """Best candidate as a ResolvedPlace, or ``unresolved`` with the name as written."""
    if not isinstance(name, str):
        return ResolvedPlace(name=str(name))
    cache_key = (name, country, within, context)
    hit = gaz.resolve_cache.get(cache_key)
    if hit is not None:
        return hit
    scored, is_region = _candidates(gaz, name, country=country, context=context, within=within)
    if not scored:
        countries = (
            frozenset({country.upper()})
            if country
            else (context.countries if context else frozenset())
        )
        scored = [(p, 0.85) for p in _direction_only(gaz, name, countries)]
        is_region = bool(scored)
    backed = bool(country) or bool(context and context.countries)
    result = _to_resolved(gaz, name, scored, is_region, backed)
    if len(gaz.resolve_cache) > 100_000:
        gaz.resolve_cache.clear()
    gaz.resolve_cache[cache_key] = result
    return result


def _km_between(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Equirectangular distance: exact enough at the tens-of-km scale we compare."""
    dlat = math.radians(lat2 - lat1)
    dlon = math.radians(lon2 - lon1) * math.cos(math.radians((lat1 + lat2) / 2))
    return 6371.0 * math.hypot(dlat, dlon)


def _km(a: Place, b: Place) -> float:
    if a.lat is None or a.lon is None or b.lat is None or b.lon is None:
        return math.inf
    return _km_between(a.lat, a.lon, b.lat, b.lon)


def _to_resolved(
    gaz: Gazetteer,
    name: str,
    scored: list[tuple[Place, float]],
    is_region: bool,
    backed: bool = False,
) -> ResolvedPlace:
    """The best candidate, with the other readings close behind it as ``candidates``.

    ``backed``: a country was requested or the document names one; without that,
    a reading in another country further behind is still offered, so a name the
    document gives no clue about is flagged rather than silently placed.
    """
    if not scored or scored[0][1] < ACCEPT:
        return ResolvedPlace(name=name)
    best, score = scored[0]
    best = gaz.with_overlay_codes(best)
    # other readings close behind: a town elsewhere, or the city beside its governorate
    others = tuple(
        p.id
        for p, s in scored[1:]
        if s >= ACCEPT
        and (
            score - s <= AMBIGUOUS_MARGIN
            or (not backed and p.country != best.country and score - s <= OTHER_COUNTRY_MARGIN)
        )
        and (p.kind != best.kind or _km(best, p) > 5.0)
    )[:5]
    return ResolvedPlace(
        name=name,
        place_id=best.id,
        canonical=best.name,
        kind=best.kind,
        country=best.country,
        admin1=best.admin1,
        admin1_code=best.admin1_code,
        admin2=best.admin2,
        admin2_code=best.admin2_code,
        lat=best.lat,
        lon=best.lon,
        precision=Precision.REGION if is_region else precision_of(best.kind),
        score=round(min(1.0, score), 3),
        candidates=others,
    )


def find_area(gaz: Gazetteer, name: str, *, country: str | None = None) -> Place | None:
    """An admin area, region or country by name ("Idlib", "Ariha district", "Syria")."""
    text, hint = split_hint(name)
    found, base = _exact(gaz, text)
    areas = [p for p in found if p.kind in AREA_KINDS]
    if country:
        areas = [p for p in areas if p.country == country.upper()]
    if not areas:
        return None
    order = {"adm1": 0, "country": 1, "region": 2, "adm2": 3, "adm3": 4}
    if hint in order:
        order[hint] = -1
    areas.sort(key=lambda p: (order.get(p.kind, 9), -p.population, p.id))
    return areas[0]
