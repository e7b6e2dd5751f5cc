"""Capitalised words that never start a place's name, and the few that look as if they
did not but do: organisations' words, months and articles ("The", "Al" is kept), a
people's adjective alone ("the Ugandan rebel group"), an armed group's name ("Boko Haram
attacks"); "An Nuseirat" (the Arabic article as it sounds) and compass regions
("Center-North region") are names. ``places`` asks these of every capitalised run."""

from __future__ import annotations

import re
from functools import cache, lru_cache

from crisisdesk.extract.compiled import compile_rx
from crisisdesk.extract.place_names import SPLIT, region_words
from crisisdesk.geo.context import demonyms
from crisisdesk.geo.normalise import key
from crisisdesk.vocab import countries, load_sources, vocab_list

_POSSESSED = compile_rx(r"[’']s\s")
_OWNER_MARK = compile_rx(r"[’']s$")


@cache
def not_places() -> frozenset[str]:
    """Capitalised words that are no place: places.yaml not_places, and the topics a report
    writes about (diseases, hazards, sectors) however it capitalises them."""
    words = [
        *vocab_list("places", "not_places"),
        *vocab_list("places", "topic_words"),
        *vocab_list("categories", "disease_words"),
    ]
    return frozenset(w.lower() for w in words)


@cache
def mod_last_words() -> frozenset[str]:
    words = {m.split()[-1].lower() for m in vocab_list("places", "modifiers")}
    return frozenset(words | {"of", "the"})


@cache
def _org_words() -> frozenset[str]:
    return frozenset(vocab_list("sources", "org_words"))


@lru_cache(maxsize=8192)
def not_a_name(name: str) -> bool:
    """Organisations, months and other capitalised words that never start a place (what
    an owner has is judged on its own: "Burkina Faso's Center-North region"). Cached:
    the same names come back sentence after sentence."""
    words = SPLIT.split(_POSSESSED.split(name)[0])
    if _armed_group_start(name):
        return True  # "in multiple Boko Haram attacks"
    article = words[0].lower() in not_places() and not assimilated_article(words)
    # a people's adjective alone ("the Ugandan rebel group") names no place, nor do two of
    # them joined ("the Syrian-Turkish border": the border between two countries)
    people = len(words) <= 2 and all(key(w) in demonyms() and w not in countries() for w in words)
    org = any(w in _org_words() for w in words) and not _site_name(name)
    # "as part of WFP's activities"
    acronym = len(words) == 1 and _OWNER_MARK.sub("", words[0]) in _org_acronyms()
    return article or people or org or acronym or _a_title(name)


def _a_title(name: str) -> bool:
    """A person's title, alone or after its organisation ("UNICEF's Executive Director",
    "the WHO Regional Director"): the post of the one who speaks, never a place."""
    low = " ".join(_POSSESSED.split(name)[-1].lower().split())
    return any(low == r or low.endswith(" " + r) for r in _person_roles())


@cache
def _person_roles() -> frozenset[str]:
    return frozenset(r.lower() for r in vocab_list("sources", "person_roles"))


@cache
def _org_acronyms() -> frozenset[str]:
    """The acronyms of the organisations in the alias table ("WFP", "UNICEF", "OCHA"): a
    body's name, never a place's, also when the body owns something ("WFP's programme")."""
    names = (n for s in load_sources() for n in (s.name, *s.aliases))
    return frozenset(n for n in names if n.isupper() and " " not in n)


def _site_name(name: str) -> bool:
    """A name ending in a kind of site of several words ("Hamdayet Transit Centre"): a place,
    though "Centre" also ends the names of organisations."""
    low = name.lower()
    return any(low.endswith(" " + kind) for kind in _site_kinds())


@cache
def _site_kinds() -> tuple[str, ...]:
    return tuple(w for w in region_words() if " " in w)


@cache
def _armed_groups() -> tuple[str, ...]:
    return tuple(
        sorted({w.lower() for w in vocab_list("places", "armed_groups")}, key=len, reverse=True)
    )


def _armed_group_start(name: str) -> bool:
    """The run is, or opens with, an armed group's name ("Boko Haram", "Houthi", "ISIL's")."""
    low = name.lower()
    return any(low == g or low.startswith((g + " ", g + "'s", g + "’s")) for g in _armed_groups())


def assimilated_article(words: list[str]) -> bool:
    """ "An Nuseirat", "An Nabk": the Arabic article written as it sounds before "n" is no
    English "an" (which never comes before a word spoken with a consonant n)."""
    return len(words) > 1 and words[0] == "An" and re.match(r"N[a-z]", words[1]) is not None


def compass_region(name: str) -> bool:
    """ "Center-North region", "Central-East province": a compass compound named with its
    region word is a region's name, though "Center" alone starts organisations' names."""
    words = SPLIT.split(name.strip().lower())
    return len(words) > 2 and words[-1] in region_words() and words[-2] in mod_last_words()
