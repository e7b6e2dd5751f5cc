"""What a document says about where it is: countries, governorates and the places it names.

A bare "Rafah", "Ariha" or "Deir Ballut" is read in the light of the document
around it. Three kinds of evidence, strongest first:

* a country or governorate named outright ("Syria", "Idlib province");
* a country named by its people ("the Syrian Civil Defence", "Yemeni
  officials"), from ``data/gazetteer/demonyms.yaml``;
* the other places the text names that only one country has ("Saraqib",
  "Khan Younis"): their countries, and their coordinates as anchors, so that
  among several places of one name the one near the others wins.

The context is built once per document and passed to every ``resolve`` call.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from importlib import resources
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from crisisdesk.errors import GazetteerError
from crisisdesk.geo.normalise import key
from crisisdesk.geo.schema import FORM_KEY
from crisisdesk.model import Document
from crisisdesk.vocab import load_lang_yaml, parse_yaml

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    from crisisdesk.geo.gazetteer import Gazetteer
    from crisisdesk.model import Place

# Capitalised word runs (Latin) and Arabic word runs: the places a text may name.
_CANDIDATE = re.compile(r"(?:[A-Z][\w'’-]+)(?:\s+(?:al-|el-|ad-|as-|an-)?[A-Z][\w'’-]+){0,2}")
_ARABIC_WORD = re.compile(r"[\u0600-\u06ff]{3,}")
_POSSESSIVE = re.compile(r"['’]s$")
_MAX_PROBES = 2000
_MAX_ANCHORS = 40
_POINT_KINDS = frozenset({"city", "town", "village"})
# A village this populous is a reading worth weighing against a province of the same name.
_SIGNIFICANT = 10_000
# A place key this short, or one of these words, is too often an ordinary word to count as
# evidence of where a document is ("Police" is a Polish town, "Bath" an English one).
_MIN_ANCHOR_KEY = 4
_NOT_EVIDENCE = frozenset(
    {
        "according",
        "after",
        "also",
        "among",
        "before",
        "between",
        "civil",
        "defence",
        "defense",
        "during",
        "early",
        "friday",
        "health",
        "local",
        "monday",
        "more",
        "most",
        "north",
        "over",
        "police",
        "saturday",
        "since",
        "some",
        "south",
        "sunday",
        "their",
        "these",
        "they",
        "this",
        "thursday",
        "tuesday",
        "under",
        "union",
        "united",
        "wednesday",
        "while",
    }
)


@cache
def _demonym_table() -> Mapping[str, Any]:
    """``demonyms.yaml`` as written (ISO code -> demonyms), read once."""
    path = resources.files("crisisdesk") / "data" / "gazetteer" / "demonyms.yaml"
    try:
        table = parse_yaml(path.read_text(encoding="utf-8"))  # kept between runs
    except (OSError, ValueError) as exc:
        raise GazetteerError(f"cannot read demonyms: {exc}", where=str(path)) from exc
    return MappingProxyType(table or {})


@cache
def demonym_of(country: str) -> str | None:
    """The first word ``demonyms.yaml`` gives a country ("SY" -> "Syrian"): how a national
    body of that country is named in English ("Syrian Civil Defence")."""
    words = _demonym_table().get(country.upper())
    return str(words[0]) if isinstance(words, list) and words else None


@cache
def demonyms() -> Mapping[str, frozenset[str]]:
    """Normalised demonym/adjective key -> the ISO codes of the countries it names."""
    path = resources.files("crisisdesk") / "data" / "gazetteer" / "demonyms.yaml"
    out: dict[str, set[str]] = defaultdict(set)
    for cc, words in _demonym_table().items():
        if not isinstance(words, list):
            raise GazetteerError(f"demonyms of {cc} must be a list", where=str(path))
        for word in words:
            out[key(str(word))].add(str(cc).upper())
    return MappingProxyType({k: frozenset(v) for k, v in out.items() if k})


@dataclass(frozen=True, slots=True)
class GeoContext:
    """Where a document is, for disambiguation.

    ``countries`` and ``admin1_codes`` are named (outright, by demonym, or through
    places only one country has); ``anchors`` are the (lat, lon) of those places.
    """

    countries: frozenset[str] = frozenset()
    admin1_codes: frozenset[str] = frozenset()
    anchors: tuple[tuple[float, float], ...] = ()
    # (country, how many of the places only it has the text names), most first
    place_counts: tuple[tuple[str, int], ...] = ()

    @property
    def main_country(self) -> str | None:
        """The country most of the text's places lie in (a tie: none); else the one country
        it names. Where a report's places are says whose national bodies it cites better
        than the countries it names most, which are often the belligerents ("Russian
        strikes on Saraqib")."""
        counts = self.place_counts
        if counts and (len(counts) == 1 or counts[0][1] > counts[1][1]):
            return counts[0][0]
        return next(iter(self.countries)) if len(self.countries) == 1 else None

    @classmethod
    def from_document(cls, doc: Document, gaz: Gazetteer, places: Iterable[str] = ()) -> GeoContext:
        """Scan the document's headline and text for countries, governorates and places;
        ``places`` (the names its facts are about) are read first, so that the places the
        document is about always count, however long the text."""
        text = f"{doc.title}\n{doc.text}" if doc.title else doc.text
        return cls.from_text(text, gaz, places)

    @classmethod
    def from_text(cls, text: str, gaz: Gazetteer, places: Iterable[str] = ()) -> GeoContext:
        """As ``from_document``, for a bare text."""
        named: set[str] = set()
        admin1: set[str] = set()
        votes: dict[str, dict[str, tuple[float, float]]] = defaultdict(dict)
        shared: list[Place] = []
        table = demonyms()
        seen: set[str] = set()
        for phrase in [*places, *_phrases(text)]:
            k = key(_POSSESSIVE.sub("", phrase))
            if not k or k in seen:
                continue
            seen.add(k)
            named.update(table.get(k, ()))
            found = gaz.lookup(FORM_KEY, k)
            named.update(p.country for p in found if p.kind == "country")
            areas = [p for p in found if p.kind == "region" or (p.kind == "adm1" and p.admin1_code)]
            # a name that is also a city or district elsewhere ("Tripoli": a Libyan province,
            # a Lebanese city) says nothing of the country by itself
            if len({p.country for p in areas}) == 1 and len(_countries_of(found)) == 1:
                admin1.update(p.admin1_code for p in areas if p.admin1_code)
                named.add(areas[0].country)
            elif areas:  # "Gaza" is also a province of Mozambique: decided below
                shared.extend(areas)
            anchor = _anchor(k, found)
            if anchor is not None:
                votes[anchor.country][anchor.id] = (anchor.lat, anchor.lon)  # type: ignore[assignment]
        countries = set(named)
        for cc, points in votes.items():
            # one stray match is weak evidence next to a named country; two places agree
            if len(points) >= 2 or not named:
                countries.add(cc)
        admin1.update(p.admin1_code for p in shared if p.country in countries and p.admin1_code)
        anchors = tuple(
            sorted(pt for cc in sorted(votes) if cc in countries for pt in votes[cc].values())
        )[:_MAX_ANCHORS]
        counts = sorted(
            ((cc, len(votes[cc])) for cc in countries if votes.get(cc)), key=lambda x: (-x[1], x[0])
        )
        return cls(frozenset(countries), frozenset(admin1), anchors, tuple(counts))


def _countries_of(found: tuple[Place, ...]) -> set[str]:
    """The countries of a name's significant readings: areas and towns, not hamlets."""
    return {p.country for p in found if p.kind != "village" or p.population >= _SIGNIFICANT}


def _phrases(text: str) -> list[str]:
    """Capitalised runs and their sub-runs of up to three words, then Arabic words."""
    phrases: list[str] = []
    for m in _CANDIDATE.finditer(text):
        words = m.group(0).split()
        for i in range(len(words)):
            for j in range(i + 1, min(len(words), i + 3) + 1):
                phrases.append(" ".join(words[i:j]))
                if len(phrases) >= _MAX_PROBES:
                    return phrases
    ordinary = _ordinary_arabic()
    arabic = [w for w in _ARABIC_WORD.findall(text) if key(w) not in ordinary]
    phrases.extend(arabic[: _MAX_PROBES - len(phrases)])
    return phrases


@cache
def _ordinary_arabic() -> frozenset[str]:
    """Arabic words that are also some place's name but name none in a report ("الفصائل",
    the factions, is a Palestinian village): the extractor's ``not_names``, as keys. As
    evidence of where a document is they would set a country for every text using them."""
    words = load_lang_yaml("ar", "places").get("not_names") or ()
    return frozenset(key(str(w)) for w in words)


def _anchor(k: str, found: tuple[Place, ...]) -> Place | None:
    """The one populated place a name means, when every reading is in one country."""
    if len(k) < _MIN_ANCHOR_KEY or k in _NOT_EVIDENCE or not found:
        return None
    if len({p.country for p in found}) != 1:
        return None
    points = [p for p in found if p.kind in _POINT_KINDS and p.lat is not None]
    if not points:
        return None
    best = max(points, key=lambda p: (p.population, p.id))
    # two villages of one name in one country: the name says where only if they are one place
    if any(_far(best, p) for p in points):
        return None
    return best


def _far(a: Place, b: Place) -> bool:
    """More than about 10 km apart (a tenth of a degree either way)."""
    return abs(a.lat - b.lat) > 0.1 or abs(a.lon - b.lon) > 0.1  # type: ignore[operator]
