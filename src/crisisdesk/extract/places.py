"""Place names as written, and which figure each one is about.

A place is a capitalised name introduced by a locative word ("in", "from",
"across", "the town of", "west of"), followed by a region word ("Idlib
province", "Rafah crossing"), or a country that hosts ("Turkey hosts").
Modifiers stay with the name ("western Aleppo countryside", "northwest
Syria"). Organisation names, months and people are not places. The geo stage
resolves these names later; nothing here knows any particular country.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from crisisdesk.vocab import countries, phrase_pattern, vocab_list


@dataclass(frozen=True, slots=True)
class PlaceMention:
    start: int
    end: int
    name: str


@cache
def _regexes() -> dict[str, re.Pattern[str]]:
    mods = phrase_pattern(vocab_list("places", "modifiers"))
    region = phrase_pattern(vocab_list("places", "region_words"))
    particles = "|".join(re.escape(p) for p in vocab_list("places", "name_particles"))
    word = r"[A-Z][\w’'\-]*[\w]"
    low_prefix = rf"(?:(?:{particles})[-‐’'])"
    name = (
        rf"(?-i:(?!(?:The|A|An|This|That|These|Those|In|On|At|From|For|By|Its|Their)\b)"
        rf"(?:{low_prefix}?{word}|{low_prefix}{word})"
        rf"(?:(?:[\s\-]|\s+of\s+(?:the\s+)?)(?:(?:{particles})[-‐\s’'])?(?:{word}|{low_prefix}{word})){{0,4}})"
    )
    return_name = re.compile(rf"(?<![\w’'\-])(?P<name>{name})(?P<suffix>\s+(?i:(?:{region})\b))?")
    mods_tail = re.compile(
        rf"(?:(?:{mods})\s+)+(?:(?:areas|parts|countryside|suburbs|outskirts)\s+of\s+(?:the\s+)?"
        rf"(?:(?:{mods})\s+)*)?$|(?:areas|parts|countryside|suburbs|outskirts)\s+of\s+(?:the\s+)?"
        rf"(?:(?:{mods})\s+)*$",
        re.I,
    )
    anaphora_list = vocab_list("places", "anaphora")
    single = phrase_pattern([a for a in anaphora_list if " " not in a])
    phrases = phrase_pattern([a for a in anaphora_list if " " in a])
    existential = phrase_pattern(vocab_list("places", "existential_verbs"))
    dest = phrase_pattern(vocab_list("places", "destination_words"))
    # a destination and the places listed with it or around it ("moved to Dana, Sarmada
    # and Salqin in Idleb governorate"): each listed item is a capitalised run of 1-4 words
    item = r"[A-Z][\w’'\-]*(?:\s+[\w’'\-]+){0,3}?"
    joint = r"(?:\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or|in)\s+(?:the\s+)?)"
    host = phrase_pattern(vocab_list("places", "host_verbs"))
    return {
        "destination": re.compile(
            rf"(?<![\w-])(?i:{dest})\s+(?:the\s+)?(?:(?:{mods})\s+)*(?:{item}{joint})*$"
        ),
        "place": return_name,
        "mods_tail": mods_tail,
        # a parenthetical abbreviation may sit between coordinated names ("North-West (NW) and")
        "coord": re.compile(r"^\s*(?:\([A-Z]{1,6}\)\s*)?(?:,\s*(?:and\s+)?|\s+and\s+|\s+or\s+)$"),
        "host": re.compile(
            rf"\s+(?:already\s+|currently\s+|now\s+)?(?:{host})\b",
            re.I,
        ),
        # a one-word anaphor before a verb of being is existential ("there are 40 camps")
        "anaphora": re.compile(
            rf"\b(?:(?:{single})\b(?!\s+(?:{existential})\b)|(?:{phrases})\b)",
            re.I,
        ),
    }


@cache
def _not_places() -> frozenset[str]:
    return frozenset(w.lower() for w in vocab_list("places", "not_places"))


@cache
def _lead_phrases() -> frozenset[str]:
    phrases = [*vocab_list("places", "prepositions"), *vocab_list("places", "place_intro_words")]
    return frozenset(" ".join(p.lower().split()) for p in phrases)


def _led(before: str) -> bool:
    """True when the words right before a name introduce a place ("in", "the town of")."""
    if not before[-1:].isspace():
        return False
    tail = before.lower().split()[-4:]
    if tail and tail[-1] == "the":
        tail = tail[:-1]
    leads = _lead_phrases()
    return any(" ".join(tail[-k:]) in leads for k in (1, 2, 3) if len(tail) >= k)


@cache
def _mod_last_words() -> frozenset[str]:
    words = {m.split()[-1].lower() for m in vocab_list("places", "modifiers")}
    return frozenset(words | {"of", "the"})


@cache
def _region_words() -> frozenset[str]:
    return frozenset(w.lower() for w in vocab_list("places", "region_words"))


@cache
def _org_words() -> frozenset[str]:
    return frozenset(vocab_list("sources", "org_words"))


_DEMONYM = re.compile(r"(?:ian|ish|ese|ean|ani|i)$")
_SPLIT = re.compile(r"[\s\-]+")
_POSS_END = re.compile(r"[’']s$")
_POSS_BEFORE = re.compile(r"[’']s\s+$")
_COORD_NEXT = re.compile(r"\s*(?:,|and\b|or\b|\)|$)")
_OWNER = re.compile(r"(?P<a>.+?)[’']s\s+(?P<b>.+)$")
_NOUN_NEXT = re.compile(
    r"\s+(?!(?:on|in|at|and|or|of|to|for|from|since|during|after|before|over|last|this|the|was|"
    r"were|is|are|has|have|had|with|by|between|near|where|which|that|as|when|while|amid|until)\b)"
    r"[a-z]"
)
_ACTOR_ADJECTIVE = re.compile(
    r"-(?:led|backed|allied|aligned|affiliated|supported|sponsored|funded|made|based|run|"
    r"controlled|held|owned|trained|armed)$"
)
_ACTOR_AFTER = re.compile(
    r"\s+(?:regime|forces|army|government|militias?|warplanes|troops|fighters|soldiers|authorities|"
    r"officials|military|police|rebels|factions|groups?)\b"
)


def find_places(text: str, start: int, end: int) -> list[PlaceMention]:
    """Place mentions in ``text[start:end]``, in order; a place named only as where people
    went ("fled to", "arrived in") is left out: the figure is not about it."""
    found, destinations = _mentions(text, start, end)
    return [p for i, p in enumerate(found) if i not in destinations]


def _mentions(text: str, start: int, end: int) -> tuple[list[PlaceMention], set[int]]:
    """Every place mention, and the indexes of those that are destinations."""
    rx = _regexes()
    out: list[PlaceMention] = []
    destinations: set[int] = set()
    last_end = -10
    mod_last = _mod_last_words()
    for m in rx["place"].finditer(text, start, end):
        name = m.group("name")
        if not out and not m.group("suffix") and name not in countries():
            # cheap rejection first: most capitalised words are not introduced as places
            pre = text[max(start, m.start() - 40) : m.start()]
            last = pre[pre.rfind(" ", 0, len(pre) - 1) + 1 :].strip().lower()
            if last not in mod_last and not _led(pre):
                continue
        words = _SPLIT.split(name)
        if words[0].lower() in _not_places() and len(words) == 1:
            continue
        if any(w in _org_words() for w in words):
            continue
        if words[0].lower() in _not_places():
            continue
        prev = text[max(start, m.start() - 24) : m.start()].split()
        tail = (
            rx["mods_tail"].search(text, max(start, m.start() - 60), m.start())
            if prev and prev[-1].lower() in mod_last
            else None
        )
        first = tail.start() if tail else m.start()
        before = text[max(start, first - 40) : first]
        suffix = m.group("suffix")
        possessive = _POSS_END.search(name[-2:])
        is_country = name in countries()
        gap = text[last_end:first] if last_end >= 0 else "x"
        follower = text[m.end() : m.end() + 5]
        coordinated = rx["coord"].match(gap or "x") is not None and (
            " and " in f" {gap} " or _COORD_NEXT.match(follower) is not None
        )
        led = _led(before) or bool(out and _POSS_BEFORE.search(before))
        if not (
            led or suffix or coordinated or (is_country and rx["host"].match(text, m.end(), end))
        ):
            continue
        if name.isupper() and not is_country:
            continue
        if _ACTOR_ADJECTIVE.search(name):
            continue  # "US-led strikes", "Iran-backed groups": an actor, not a place
        if _ACTOR_AFTER.match(text, m.end(), end):
            continue
        if (
            len(words) == 1
            and not suffix
            and _DEMONYM.search(name)
            and not is_country
            and _NOUN_NEXT.match(text, m.end("name"), end)
        ):
            continue  # "Yemeni forces", "Somali families" (but "in Ituri on Monday" is a place)
        s, e = first, m.end()
        if possessive:
            e -= 2
        # "Syria's Idlib": the possessor and the place both count
        piece = text[s:e].strip()
        if _POSS_END.search(piece):
            piece = piece[:-2]
            e -= 2
        while (
            not suffix
            and piece
            and piece.split()[-1].lower() in _not_places()
            and piece.split()[-1].lower() not in _region_words()
            or (" " not in piece and piece.lower() in _not_places())
        ):
            piece = piece.rsplit(None, 1)[0] if " " in piece else ""
        if not piece:
            continue
        e = s + len(piece)
        dest = rx["destination"].search(text, max(start, s - 120), s) is not None
        n = len(out)
        owner = _OWNER.match(piece)
        if owner:
            out.append(PlaceMention(s, s + len(owner.group("a")), owner.group("a")))
            out.append(PlaceMention(s + owner.start("b"), e, owner.group("b")))
        else:
            out.append(PlaceMention(s, e, piece))
        if dest:
            destinations.update(range(n, len(out)))
        last_end = e
    return out, destinations


def anaphora_in(text: str, start: int, end: int) -> bool:
    """True when the span points back to a place ("there", "in this area")."""
    return bool(_regexes()["anaphora"].search(text, start, end))


# A title's filing label, a few capitalised words: "Libya: ...", "DTM Libya - ...".
_TITLE_LABEL = re.compile(r"^\W*[A-Z][\w’'\-]*(?:\s+[A-Z][\w’'\-]*){0,3}(?::\s|\s[-–—]\s)")
_CAPITALISED_RUN = re.compile(
    r"[A-Z][\w’'\-]*(?:\s+(?:(?:al|el|ad|de|du|la|of)[-\s]+)?[A-Z][\w’'\-]*)*"
)
_POSSESSIVE_SPLIT = re.compile(r"[’']s\b")


@cache
def _generic_words() -> frozenset[str]:
    """Words that say where or what kind of place, not which ("northern", "province")."""
    words = {w.lower() for m in vocab_list("places", "modifiers") for w in _SPLIT.split(m)}
    return frozenset(words | _region_words())


def known_words(names: list[str]) -> frozenset[str]:
    """What ``title_places`` needs to know of the text's places: their words, and whole
    names made only of direction words ("North-West")."""
    out: set[str] = set()
    for name in names:
        core = place_words(name)
        if core:
            out.update(core)
            continue
        words = _joined(name).split()
        while len(words) > 1 and words[-1] in _region_words():
            words.pop()  # "South West regions": the name is "South West"
        out.update({_joined(name), " ".join(words)})
    return frozenset(out)


def _joined(name: str) -> str:
    """ "South-West" and "South West" alike."""
    return " ".join(_SPLIT.split(name.lower()))


def place_words(name: str) -> frozenset[str]:
    """The words of a place name that say which place it is ("western Aleppo countryside" ->
    {"aleppo"}): two names that share one name the same place or one inside the other."""
    generic = _generic_words()
    return frozenset(
        w for w in (x.lower() for x in re.findall(r"[\w’']+", name)) if w not in generic
    )


def title_places(title: str, known: frozenset[str]) -> tuple[list[str], list[str]]:
    """(places of a headline, those of its filing label): the capitalised runs that are
    countries or that the text itself names as places (``known``: their words), because a
    headline capitalises every word and introduces no place with a preposition."""
    label = _TITLE_LABEL.match(title)
    cut = label.end() if label else 0
    head: list[str] = []
    tail: list[str] = []
    # a word introduced as a place ("around Tripoli") is one; a headline capitalises every
    # word, so only the first word of such a name counts ("on Gaza Continues")
    led = [p.name.split()[0] for p in find_places(title, 0, len(title))]
    known = known | known_words(led)
    for m in _CAPITALISED_RUN.finditer(title):
        owner = False
        for piece in _POSSESSIVE_SPLIT.split(m.group(0)):
            piece = piece.strip()
            # "Libya's Tripoli": what a country owns is a place of it
            names = _known_runs(piece, known)
            if owner and not names:
                names = piece.split()[:1]
            (head if m.start() < cut else tail).extend(names)
            owner = _is_country(piece.split())
    return tail, head


def _is_country(words: list[str]) -> bool:
    """A country, with the direction words in front of it ("North-west Syria")."""
    generic = _generic_words()
    k = 0
    while k < len(words) - 1 and all(w in generic for w in _SPLIT.split(words[k].lower())):
        k += 1
    return " ".join(words[k:]) in countries()


def _known_runs(run: str, known: frozenset[str]) -> list[str]:
    """The longest sub-runs of ``run`` that are a country or a place the text names."""
    words = run.split()
    out: list[str] = []
    i = 0
    while i < len(words):
        for j in range(len(words), i, -1):
            name = " ".join(words[i:j])
            core = place_words(name)
            if words[i].lower() in _not_places():
                continue
            if _is_country(words[i:j]) or (core <= known if core else _joined(name) in known):
                out.append(name)
                i = j - 1
                break
        i += 1
    return out
