"""Regions as written: "western Aleppo countryside", "southern Idlib", "rural Damascus".

Such a phrase is about an admin area, not a town; we read it as a direction
and/or a rural marker around an area name, and the matcher resolves the area
with precision ``region``. These are words of English and Arabic, not places,
so they live here; the places they point to come from the gazetteer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_DIRECTIONS = {
    "north": "north",
    "northern": "north",
    "south": "south",
    "southern": "south",
    "east": "east",
    "eastern": "east",
    "west": "west",
    "western": "west",
    "central": "central",
    "northwest": "northwest",
    "northwestern": "northwest",
    "northeast": "northeast",
    "northeastern": "northeast",
    "southwest": "southwest",
    "southwestern": "southwest",
    "southeast": "southeast",
    "southeastern": "southeast",
    # Arabic: the noun before a name ("شمال حلب", north of Aleppo), the adjective before
    # it ("شرقي إدلب") and the adjective after it ("ريف إدلب الشرقي")
    "شمال": "north",
    "جنوب": "south",
    "شرق": "east",
    "غرب": "west",
    "وسط": "central",
    "شمالي": "north",
    "جنوبي": "south",
    "شرقي": "east",
    "غربي": "west",
    "الشمالي": "north",
    "الجنوبي": "south",
    "الشرقي": "east",
    "الغربي": "west",
    "الشمالية": "north",
    "الجنوبية": "south",
    "الشرقية": "east",
    "الغربية": "west",
}
_RURAL = frozenset(
    {"rural", "countryside", "outskirts", "suburbs", "environs", "vicinity", "ريف", "countrysides"}
)
_FILLER = frozenset(
    {
        "the",
        "of",
        "and",
        "in",
        "areas",
        "area",
        "parts",
        "part",
        "region",
        "regions",
        "side",
        "around",
        "near",
        "its",
        "s",
        "'s",
        "province",
        "governorate",
        "district",
        "سوريا",
    }
)
# Any direction or rural word, anywhere (a superset test: parse_region decides).
_MAYBE_REGION = re.compile(
    "|".join(sorted(map(re.escape, [*_DIRECTIONS, *_RURAL, "north", "south"]), key=len)[::-1]),
    re.IGNORECASE,
)
_SPLIT = re.compile(r"[\s,/]+")
_COMPASS = re.compile(r"\b(north|south)[\s-]+(east|west)(ern)?\b", re.IGNORECASE)
# "شمال غرب سوريا", "جنوب شرقي إدلب": one compass point, as "north-west" is
_COMPASS_AR = re.compile(r"(?<!\w)(شمال|جنوب)\s*[ـ-]?\s*(?:ال)?(شرق|غرب)(?:ي|ية)?(?!\w)")
_AR_POINTS = {"شمال": "north", "جنوب": "south", "شرق": "east", "غرب": "west"}


@dataclass(frozen=True, slots=True)
class RegionPhrase:
    """A phrase read as (directions, rural?) about an area named ``area`` (may be empty)."""

    area: str
    directions: tuple[str, ...]
    rural: bool


def parse_region(text: str) -> RegionPhrase | None:
    """Read a region phrase; None when the text has no direction or rural word."""
    if not _MAYBE_REGION.search(text):  # the common case, checked in one scan
        return None
    text = _COMPASS.sub(lambda m: f"{m[1]}{m[2]}{m[3] or ''}", text.replace("’", "'"))
    text = _COMPASS_AR.sub(lambda m: _AR_POINTS[m[1]] + _AR_POINTS[m[2]], text)
    text = text.replace("'s ", " ")
    directions: list[str] = []
    rural = False
    area_words: list[str] = []
    for raw in _SPLIT.split(text.strip()):
        word = raw.strip(".;:()\"'").casefold()
        if not word:
            continue
        if word in _DIRECTIONS:
            d = _DIRECTIONS[word]
            if d not in directions:
                directions.append(d)
        elif word in _RURAL:
            rural = True
        elif word in _FILLER:
            continue
        else:
            area_words.append(raw.strip(".;:()\"'"))
    if not directions and not rural:
        return None
    return RegionPhrase(" ".join(area_words), tuple(directions), rural)
