"""Place names as written, and which figure each one is about.

A place is a capitalised name introduced by a locative word ("in", "from",
"across", "the town of", "west of"), followed by a region word ("Idlib
province", "Rafah crossing"), or a country that hosts ("Turkey hosts").
Modifiers stay with the name ("western Aleppo countryside", "northwest
Syria"). Organisation names, months and people are not places. A place named
only as where people went ("fled to", "arrived in") or where aid came from is
found but set aside (``find_places``); an aid figure keeps where the aid went
(``aid_places``). A headline capitalises every word, so its places are read
differently (``headline.title_places``: the runs the text itself places). The geo stage
resolves these names later; nothing here knows any particular country.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from crisisdesk.extract.compiled import compile_rx
from crisisdesk.extract.name_starts import (
    compass_region,
    mod_last_words,
    not_a_name,
    not_places,
)
from crisisdesk.extract.place_leads import (
    held_by,
    held_by_word,
    lead_keys,
    lead_phrases,
    led,
    led_either,
)
from crisisdesk.extract.place_names import is_country, region_words
from crisisdesk.extract.place_parts import part_of_the_next
from crisisdesk.geo.context import demonyms
from crisisdesk.geo.normalise import key
from crisisdesk.vocab import countries, phrase_pattern, vocab_list


@dataclass(slots=True, unsafe_hash=True)  # not frozen: see draft.py
class PlaceMention:
    start: int
    end: int
    name: str


# a count in brackets after a listed place, with its qualifier or as a share ("over 900
# people", "8 percent", "186 HH")
_BRACKET_COUNT = (
    r"(?:[a-z]+\s+){0,2}\d[\d,.\s]*(?:%|\s*percent|\s*per\s+cent)?(?:\s*(?:[a-z]+|[A-Z]{1,4}s?))?"
)


@cache
def _regexes() -> dict[str, re.Pattern[str]]:
    mods = phrase_pattern(vocab_list("places", "modifiers"))
    region = phrase_pattern(vocab_list("places", "region_words"))
    kinds = phrase_pattern(vocab_list("places", "region_phrases"))
    heads = phrase_pattern(vocab_list("places", "apposition_heads"))
    particles = "|".join(re.escape(p) for p in vocab_list("places", "name_particles"))
    numerals = "|".join(sorted(map(re.escape, _numerals()), key=len, reverse=True))
    word = r"[A-Z][\w’'\-]*[\w]"
    low_prefix = rf"(?:(?:{particles})[-‐’'])"
    name = (
        # "An Nuseirat": the Arabic article as it sounds before "n" (``assimilated_article``)
        rf"(?-i:(?!(?:The|A|An(?!\sN[a-z])|This|That|These|Those|In|On|At|From|For|By|Its|Their|Within|Inside|Across|Throughout)\b)"
        rf"(?:{low_prefix}?{word}|{low_prefix}{word})"
        rf"(?:(?!\s+(?i:{kinds})\b)"  # "Wase Local Government Area": Wase
        rf"(?:[\s\-]|\s+of\s+(?:the\s+)?)(?:(?:{particles})[-‐\s’'])?(?:{word}|{low_prefix}{word})){{0,4}}"
        rf"(?:\s(?:{numerals})(?![\w’'\-]))?)"  # "Jakho I": a numbered place
    )
    # a name opens with a capital or a particle: the look-aheads (a character, then the
    # particle itself) spare the many other word starts the name's alternations (the same
    # matches; the pattern runs over every sentence a figure is placed from)
    firsts = "".join(sorted({re.escape(p[0]) for p in vocab_list("places", "name_particles")}))
    return_name = compile_rx(
        rf"(?=[A-Z{firsts}])(?<![\w’'\-])(?=[A-Z]|{low_prefix})"
        rf"(?P<name>{name})(?P<suffix>\s+(?i:(?:{kinds}|{region})\b))?"
    )
    mods_tail = compile_rx(
        rf"(?:(?:{mods})\s+)+(?:(?:areas|parts|countryside|suburbs|outskirts)\s+of\s+(?:the\s+)?"
        rf"(?:(?:{mods})\s+)*)?$|(?:areas|parts|countryside|suburbs|outskirts)\s+of\s+(?:the\s+)?"
        rf"(?:(?:{mods})\s+)*$",
        re.I,
    )
    anaphora_list = vocab_list("places", "anaphora")
    held_nouns = phrase_pattern(vocab_list("places", "held_anaphora_nouns"))
    single = phrase_pattern([a for a in anaphora_list if " " not in a])
    phrases = phrase_pattern([a for a in anaphora_list if " " in a])
    existential = phrase_pattern(vocab_list("places", "existential_verbs"))
    frame = phrase_pattern(vocab_list("places", "frame_anaphora"))
    dest = phrase_pattern(vocab_list("places", "destination_words"))
    # a destination and the places listed with it or around it ("moved to Dana, Sarmada
    # and Salqin in Idleb governorate"): each listed item is a capitalised run of 1-4 words
    item = r"[A-Z][\w’'\-]*(?:\s+[\w’'\-]+){0,3}?"
    joint = r"(?:\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or|in)\s+(?:the\s+)?)"
    host = phrase_pattern(vocab_list("places", "host_verbs"))
    origin = phrase_pattern(vocab_list("places", "aid_origin_words"))
    subject_verbs = phrase_pattern(vocab_list("places", "place_subject_verbs"))
    # "fled to a camp in Dohuk", "arrived to a formal camp of Mosul": a place word between
    site = rf"(?:(?:a|an|the)\s+(?:[\w-]+\s+){{0,2}}?(?i:{region})\s+(?:of|in|near)\s+)?"
    # ("fled to the capital Tripoli": what the place is, said before its name)
    descriptors = phrase_pattern(vocab_list("places", "name_descriptors"))
    desc = rf"(?:(?:[\w-]+\s+)?(?:{descriptors}),?\s+)?"
    listed = rf"\s+{site}(?:the\s+)?(?:(?:{mods})\s+)*{desc}(?:{item}{joint})*$"
    org_heads = phrase_pattern(vocab_list("places", "org_name_heads"), lower=False)
    lower_names = phrase_pattern(vocab_list("places", "lower_case_names"), lower=False)
    shared = phrase_pattern(vocab_list("places", "shared_plural_heads"))
    return {
        "lower_names": compile_rx(rf"(?<![\w-])(?:{lower_names})(?![\w-])"),
        # "the Commission on Missing Persons": an organisation's name goes on after "on"
        "org_name_on": compile_rx(rf"(?-i:\b(?:{org_heads})\s+on\s+(?:the\s+)?)$"),
        "destination": compile_rx(rf"(?<![\w-])(?i:{dest}){listed}"),
        "aid_origin": compile_rx(rf"(?<![\w-])(?i:{origin}){listed}"),
        "place": return_name,
        "kind_tail": compile_rx(rf"\s+(?i:{kinds})$"),
        "mods_tail": mods_tail,
        # a name said to be a place ("Chocó is the department where ...")
        "predicate": compile_rx(
            rf"\s+(?:is|was|remains)\s+(?:the|a|an)\s+(?:[\w-]+\s+){{0,2}}?(?i:{region})\b"
            rf"|,\s+(?:a|an)\s+(?:[\w-]+\s+){{0,2}}?(?i:{region}|{heads})\s+(?:in|of|on)\s"
        ),
        # a place whose figures the sentence gives ("Nariño records nine displacements",
        # "Dhamar (4) saw the most raids"): its name, then a verb of recording
        "subject": compile_rx(
            rf"(?:\s+\(\d[\d,.]*\))?\s+(?:{subject_verbs})\b"
            # what an attack hit: "Kharkiv was (again) shelled", "Taiz came under shelling",
            # "Beirut, the Lebanese capital, was hit" (a short apposition between)
            rf"|(?:,[^,;.]{{3,40}},)?\s+(?:{_attacked_verbs()})\b"
            # not a person hit by a projectile ("Ahmed was hit by shrapnel")
            r"(?!\s+(?:by|with)\s+(?:a\s+|stray\s+)*(?:shrapnel|bullets?|sniper|gunfire|shell\s+fragments))"
        ),
        # a list set after a place word by a dash or colon ("three villages – Kafr Nabl")
        "apposition": compile_rx(rf"\b(?:{region})\s*[–—:]\s*$", re.I),
        # two names sharing a plural place word: "northern Hama and southern Idlib provinces",
        # "Ein Issa and Mabrouka camps" (places.yaml ``shared_plural_heads``)
        "shared_region": compile_rx(rf"\s+and\s+(?:(?i:{mods})\s+)*{word}\s+(?i:{shared})\b"),
        # a parenthetical abbreviation or a count may sit between coordinated names
        # ("North-West (NW) and", "Aleppo (2,410), Idlib")
        "coord": compile_rx(
            # "(7 people)" too, "(over 900 people)", "(8 percent, 4,800 people)"
            # (a name may end in the apostrophe of its transliteration: "Al-Dhale’, Taiz")
            # (or the bracket of a region just read: "in West-Guji (Oromia region) and Gedeo")
            rf"^[’']?\s*\)?(?:\((?:[A-Z]{{1,6}}|{_BRACKET_COUNT}(?:\s*,\s*{_BRACKET_COUNT})?)\)\s*)?"
            r"(?:,\s*(?:and\s+)?|\s+and\s+|\s+or\s+)(?:the\s+)?$"
            # "Marib (186 HH) – Sirwah (36 HH)": after a counted item a dash goes on too
            rf"|^[’']?\s*\((?:{_BRACKET_COUNT})\)\s*[–—]\s*$"
        ),
        # "Dana, a small town already hosting 40,000 IDPs": a destination that hosts a figure
        "hosting_apposition": compile_rx(
            rf",\s+(?:a|an)\s+(?:[\w-]+\s+){{0,4}}?(?:already\s+|currently\s+|now\s+)?"
            rf"(?:{phrase_pattern(vocab_list('places', 'appositive_host_verbs'))})\b"
        ),
        # "where Israel has recently expanded its operations": a country acting
        "acts": compile_rx(
            rf"\s+(?:(?:has|have|had)\s+)?(?:(?:since|also|again|now|[a-z]+ly)\s+){{0,2}}"
            rf"(?:{phrase_pattern(vocab_list('places', 'actor_verbs'))})\b"
        ),
        "owns_people": compile_rx(
            rf"\s+(?:(?:some|about|around|nearly|over|more\s+than)\s+)?(?:[\d.,]+\s+(?:million\s+)?)?"
            rf"(?:{phrase_pattern(vocab_list('places', 'possessed_people'))})\b"
        ),
        "owns_war": compile_rx(
            rf"\s+(?:(?:{phrase_pattern(vocab_list('places', 'possessed_war_words'))})\s+)?"
            rf"(?:{phrase_pattern(vocab_list('periods', 'conflict_nouns'))})\b"
            r"(?!\s+(?:on|in|against|with|into|inside)\b)"
        ),
        "host": compile_rx(
            rf"\s+(?:already\s+|currently\s+|now\s+)?(?:{host})\b(?!\s+(?:been|[a-z]+ed)\b)",
            re.I,
        ),
        # a one-word anaphor before a verb of being is existential ("there are 40 camps")
        "frame": compile_rx(rf"\b(?:{frame})\b", re.I),
        # (not "elsewhere in the country", "outside the country": some other part of it)
        "country": compile_rx(
            r"(?<!elsewhere )(?<!elsewhere in )(?<!outside )"
            rf"\b(?:{phrase_pattern(vocab_list('places', 'country_anaphora'))})\b",
            re.I,
        ),
        # "Syria crisis", "Syria war:": a place naming a conflict as a topic, written in
        # lower case ("North-West Crisis Situation Report" names a response, title-cased)
        # or naming a report on it ("crisis update")
        "topic": compile_rx(
            rf"\s+(?:{phrase_pattern(vocab_list('places', 'topic_nouns'))})\b"
            rf"(?!\s+(?i:{phrase_pattern(vocab_list('places', 'report_nouns'))})\b)"
        ),
        # (who holds the place may stand between: "the rebel-held town")
        "anaphora": compile_rx(
            rf"\b(?:(?:{single})\b(?!\s+(?:{existential})\b)|(?:{phrases})\b(?!\s+of\b)"
            rf"|the\s+{held_by_word()}\s+(?:{held_nouns})\b(?!\s+of\b))",
            re.I,
        ),
    }


@cache
def _numerals() -> frozenset[str]:
    return frozenset(vocab_list("places", "name_numerals"))


def _attacked_verbs() -> str:
    """The phrases of ``attacked_subject_verbs``, an adverb allowed after the auxiliary."""
    forms = []
    for phrase in vocab_list("places", "attacked_subject_verbs"):
        aux, _, rest = str(phrase).partition(" ")
        adverb = r"(?:\s+(?:again|also|repeatedly|heavily|reportedly|once\s+again))?"
        forms.append(rf"{re.escape(aux)}{adverb}\s+{re.escape(rest)}" if rest else re.escape(aux))
    return "|".join(sorted(forms, key=len, reverse=True))


_DEMONYM = compile_rx(r"(?:ian|ish|ese|ean|ani|i)$")
_PEOPLE_ADJECTIVE = compile_rx(r"[a-z](?:ian|ish|ese|ean)$")  # "Syrian", "Kurdish", "Lebanese"
_POSS_END = compile_rx(r"[’']s$")
_POSS_BEFORE = compile_rx(r"[’']s\s+$")
_APPOSITION_END = compile_rx(r"\s*,\s*(?!and\b|or\b)[a-z]")
_FOLLOWER = 60  # characters after a listed name read to see what comes next
# (after a name that may end in an apostrophe: "Al-Dhale’, Taiz")
# the end of a sentence after a list's last name, and two names listed before it
_LIST_END = compile_rx(r"[’']?\s*[.;]")
_TWO_LISTED = compile_rx(
    r"\b[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*){0,2},\s+[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*){0,2}$"
)
_COORD_NEXT = compile_rx(r"[’']?\s*(?:,|and\b|or\b|\)|$)")
_WIDER_AFTER = compile_rx(
    r"(?P<kinds>(?:\s+[a-z]+){0,2}),\s+(?:(?:north|south|east|west)(?:-?(?:east|west))?(?:ern)?\s+)?"
    r"[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+)?\s*[.;]"
)
_OWNER = compile_rx(r"(?P<a>.+?)[’']s\s+(?P<b>.+)$")
_NOUN_NEXT = compile_rx(
    r"\s+(?!(?:on|in|at|and|or|of|to|for|from|since|during|after|before|over|last|this|the|was|"
    r"were|is|are|has|have|had|with|by|between|near|where|which|that|as|when|while|amid|until|all|again|alone|today|yesterday|overnight|every|each|against|due|because)\b)"
    # a verb of harm is no noun: "an attack in Beni killed 12", "fighting around Kadugli
    # displaced 3,000", "clashes in Kadugli forced 900 families to flee" (a place ending
    # like a demonym, "Syrian forces")
    r"(?!(?:killed|killing|wounded|wounding|injured|injuring|left|leaving|hit|struck|destroyed|"
    r"damaged|claimed|caused|saw|recorded|witnessed|forced|forcing|drove|driving|uprooted|"
    r"prompted|triggered)\b"
    r"|displaced\s+(?:\d|more|over|about|around|some|nearly|almost|at\s+least|thousands|"
    r"hundreds|tens|dozens|an?\b))"
    r"[a-z]"
)
_ACTOR_ADJECTIVE = compile_rx(
    r"-(?:led|backed|allied|aligned|affiliated|supported|sponsored|funded|made|based|run|"
    r"controlled|held|owned|trained|armed)$"
)
# a preposition (and "the", a modifier) right before a name: the name ends a phrase of place
_PLACE_LEAD_BEFORE = compile_rx(
    r"\b(?:in|on|at|from|across|of|to|into|near|inside|throughout|over|for|against|with|by|"
    r"around|outside|within)\s+(?:the\s+)?(?:[a-z][\w-]*\s+)?$"
)
_ACTOR_AFTER = compile_rx(
    r"\s+(?:regime|forces|army|government|militias?|warplanes|troops|fighters|soldiers|authorities|"
    r"officials|military|police|rebels|factions|groups?|targets|positions|strongholds|members|"
    r"commanders|operatives|militants|leaders"
    # a family's name, not a place: "the al-Najjar family residence", "the Barghouti clan"
    # (and a people's: "40 from Bedouin tribes")
    r"|family|clans?|tribes?|tribesmen)\b"
)


# every place mention of a stretch, with the indexes of destinations and of aid origins
Mentions = tuple[list[PlaceMention], set[int], set[int]]


def find_places(text: str, start: int, end: int) -> list[PlaceMention]:
    """Place mentions in ``text[start:end]``, in order; a place named only as where people
    went ("fled to", "arrived in") or where aid came from is left out: the figure is not
    about it."""
    return places_of(text, mentions(text, start, end))


def places_of(text: str, found: Mentions) -> list[PlaceMention]:
    """``find_places`` from a stretch's ``mentions`` (one scan serves both readings)."""
    names, destinations, origins = found
    skip = destinations | origins | _appositions(text, names)
    return [p for i, p in enumerate(names) if i not in skip]


_SIDE_AFTER = compile_rx(r"\s+sides?\b(?!\s+of\b)")
_ATTACKERS_FROM = compile_rx(
    r"(?i:\b(?:attackers|assailants|gunmen|militants|jihadists|insurgents|raiders|fighters)\b"
    r"[^.;]{0,30}?\b(?:came|come|coming|crossed|had\s+come)\s+(?:in\s+)?from\s+(?:the\s+)?)$"
)
_APPOSITION = compile_rx(
    r",\s+(?:(?:a|an)\s+[^,;:.()]{0,60}?"
    # "Douma, the capital of Damascus' countryside": the wider place that describes it
    r"|the\s+(?:[a-z-]+\s+){0,2}?(?:capital|city|town|seat|hub|centre|center)\s+)"
    r"\b(?:in|of)\s+(?:the\s+)?$",
    re.I,
)


# "Maaysra, north of Beirut", "Deir Billa, some 15 kilometres from the town of Batroun",
# "a village 10 km east of Tessi": a place that only says where the one before lies
_REFERENCE = compile_rx(
    # (after a list's shared kind word: "Yagoori and Tuulo Samakaab areas west of Laas Caanood")
    r",?\s+(?:(?:areas|villages|towns|districts|localities|camps),?\s+)?"
    r"(?:(?:some|about|around|roughly|nearly|almost|just)\s+)?"
    r"(?:\d+(?:[.,]\d+)?\s*(?:km|kilometres|kilometers|miles|mi)\s+(?:\(\d+\s*\w+\)\s+)?)?"
    r"(?:(?:north|south|east|west|north-?east|north-?west|south-?east|south-?west)(?:ern)?\s+of"
    r"|(?<=km )from|(?<=kilometres )from|(?<=kilometers )from|(?<=miles )from|(?<=mi )from)"
    r"\s+(?:the\s+(?:[a-z]+\s+)?(?:town|city|village|capital)\s+(?:of\s+)?)?$",
    re.I,
)


_OWNED_CAPITAL = compile_rx(r"\w(?:’s|'s)\s+capital(?:\s+city)?,\s+$")
# "20 km west of the provincial capital Goma", "south of Tigray's capital Mekelle": a capital
# named only to say where another place lies
_CAPITAL_REFERENCE = compile_rx(
    r"(?:\b(?:north|south|east|west|north-?east|north-?west|south-?east|south-?west)(?:ern)?\s+of"
    r"|\b(?:km|kilometres|kilometers|miles)\s+(?:\(\d+\s*\w+\)\s+)?(?:from|of))\s+"
    r"(?:the\s+)?(?:[A-Z][\w’'-]*(?:’s|'s)\s+)?(?:[a-z]+\s+)?capital(?:\s+city)?,?\s+$"
)


def _appositions(text: str, found: list[PlaceMention]) -> set[int]:
    """Indexes of places read inside an apposition that describes the place just before
    ("Dorva, a market town in eastern Karlia"): the figure is about the described place,
    not the wider one it lies in, nor a place it is measured from ("Maaysra, north of
    Beirut")."""
    return {
        i
        for i in range(1, len(found))
        if _APPOSITION.search(text, found[i - 1].end, found[i].start) is not None
        or _REFERENCE.match(text, found[i - 1].end, found[i].start) is not None
    }


def aid_places(text: str, start: int, end: int) -> list[PlaceMention]:
    """As ``find_places``, for an aid figure: where the aid went counts ("a convoy reached
    Saida to support 2,500 households"), where it came from does not."""
    return aid_places_of(mentions(text, start, end))


def aid_places_of(found: Mentions) -> list[PlaceMention]:
    """``aid_places`` from a stretch's ``mentions``."""
    names, _, origins = found
    return [p for i, p in enumerate(names) if i not in origins]


def mentions(text: str, start: int, end: int) -> Mentions:
    """Every place mention, and the indexes of destinations and of places aid came from."""
    rx = _regexes()
    out: list[PlaceMention] = []
    destinations: set[int] = set()
    origins: set[int] = set()
    last_end = -10
    for m in rx["place"].finditer(text, start, end):
        name = m.group("name")
        if (not_a_name(name) and not compass_region(m.group(0))) or (
            not out and _unled(text, start, m)
        ):
            continue
        first = _modifiers_start(text, start, m)
        held = held_by().match(text, first, m.end())  # "Hamas-run Gaza": who holds it
        if held is not None and held.end() < m.end():
            first = held.end()
        if not _introduced(text, start, end, m, first, last_end, bool(out)):
            continue
        if rx["org_name_on"].search(text, max(start, first - 40), first):
            continue  # the rest of an organisation's name
        if _an_actor(text, end, m) or _kind_of_the_next(text, end, m):
            continue
        if _titled_person().match(text, m.end(), end):
            continue  # "From Geert Cappelaere, UNICEF Regional Director": a person
        if _facility_name().search(name):
            continue  # "the Idlib Central Hospital": a facility's name
        if _SIDE_AFTER.match(text, m.end(), end) and not is_country(name):
            continue  # "on the Murle side": a party ("on the Niger side" is a place)
        if _ATTACKERS_FROM.search(text, max(start, first - 70), first):
            continue  # "the attackers, who likely came from Mali": where they came from
        if _CAPITAL_REFERENCE.search(text, max(start, first - 80), first):
            continue  # "south of Tigray's capital Mekelle": where another place lies
        whole = text[first : m.end()].strip()
        piece = _list_kind_cut(text, first, _trimmed(whole, m))
        if not piece or _only_kind_words(piece):  # "in Areas of Conflict": no name
            continue
        if piece != whole and " " not in piece and _PEOPLE_ADJECTIVE.search(piece):
            continue  # "from the Syrian Alawite sect": a people's adjective left by the trim
        e = first + len(piece)
        n = len(out)
        out.extend(_owner_split(first, e, piece))
        lo = max(start, first - 120)
        if (
            _led_by(text, lo, first, "destination")
            and not rx["hosting_apposition"].match(text, e, end)
            and not _COUNT_AFTER.match(text, e, end)  # "arrived in Shamsin (2,700)": its own
        ):
            destinations.update(range(n, len(out)))
        if _led_by(text, lo, first, "aid_origin"):
            origins.update(range(n, len(out)))
        last_end = e
    if "territory" in text[start:end]:  # (cheap test: most texts name none of these)
        out = _with_lower_names(text, start, end, out)
    return out, destinations, origins


def _with_lower_names(
    text: str, start: int, end: int, out: list[PlaceMention]
) -> list[PlaceMention]:
    """Places written partly in lower case in their own style ("the occupied Palestinian
    territory"), after a place lead, added after the names found (indexes kept)."""
    for m in _regexes()["lower_names"].finditer(text, start, end):
        if led(text[max(start, m.start() - 40) : m.start()]):
            out.append(PlaceMention(m.start(), m.end(), m.group()))
    return out


@cache
def _titled_person() -> re.Pattern[str]:
    """A name followed by its bearer's capitalised title ("Jane Doe, UNICEF Regional
    Director", "John Roe, Head of Mission"): a person, not a place."""
    titles = [r.title() for r in vocab_list("sources", "person_roles") if r.islower()]
    return compile_rx(
        r",\s+(?:the\s+)?(?:[A-Z][\w-]*\s+){0,3}?"
        rf"(?-i:{phrase_pattern(titles, lower=False)})\b"
    )


def _apposition_before(before: str) -> bool:
    """A place word then a dash or a colon ends ``before`` ("three villages – "); the
    pattern ends with one of those marks, so a stretch ending otherwise is not searched."""
    return before.rstrip()[-1:] in ("–", "—", ":") and bool(_regexes()["apposition"].search(before))


@cache
def _lead_words() -> dict[str, re.Pattern[str]]:
    """The destination and aid-origin phrases alone, for lower-cased ASCII text: led by
    literal characters, so the regex engine skips ahead to them."""
    return {
        key: compile_rx(rf"{phrase_pattern(vocab_list('places', words))}\s")
        for key, words in (("destination", "destination_words"), ("aid_origin", "aid_origin_words"))
    }


def _led_by(text: str, lo: int, hi: int, key: str) -> bool:
    """Whether the words before a name (``text[lo:hi]``) lead to it as a destination or an
    aid origin ("fled to", "aid from"). An ASCII stretch holding none of the phrases as
    words cannot match the slow pattern: it is not searched (exact, not a guess)."""
    window = text[lo:hi]
    if window.isascii():
        low, rx, pos = window.lower(), _lead_words()[key], 0
        while (hit := rx.search(low, pos)) is not None:
            a = hit.start()
            if a == 0 or not (low[a - 1].isalnum() or low[a - 1] in "_-"):
                break  # a whole word: the pattern may match
            pos = a + 1
        else:
            return False
    return _regexes()[key].search(text, lo, hi) is not None


def _unled(text: str, start: int, m: re.Match[str]) -> bool:
    """Cheap rejection of a sentence's first candidate: most capitalised words are not
    introduced as places (no preposition, destination, modifier or region word)."""
    if m.group("suffix") or m.group("name") in countries():
        return False
    if _POSS_END.search(m.group("name")) and _regexes()["owns_war"].match(text, m.end()):
        return False  # "Yemen's civil war has killed ..."
    pre = text[max(start, m.start() - 40) : m.start()]
    last = pre[pre.rfind(" ", 0, len(pre) - 1) + 1 :].strip().lower()
    return (
        last not in mod_last_words()
        and not led_either(pre)
        and not _apposition_before(pre)
        and not _regexes()["predicate"].match(text, m.end())
        and not _subject(text, m)
        and not _COUNTED_NEXT.match(text, m.end())  # "in the week: Marib (186 HH), Sirwah (36 HH)"
        and not _plural_region(_KINDS_BRACKET.search(pre))  # "9 provinces (Parwan, ..."
        and not (_A_SITE_OF.search(pre) and _SITE_AFTER.match(text, m.end()))
    )


def _subject(text: str, m: re.Match[str]) -> bool:
    """A name (not an acronym: "OCHA reported" is an agency) that records figures."""
    name = m.group("name")
    if name.isupper() or _agents_opening(text, m.start(), name):
        return False
    return bool(_regexes()["subject"].match(text, m.end()))


def _agents_opening(text: str, start: int, name: str) -> bool:
    """ "Monitors recorded ...": a single plural agent noun that opens its sentence."""
    if " " in name or not name.endswith(_agent_endings()):
        return False
    before = text[max(0, start - 3) : start].rstrip(" ")
    return not before or before[-1] in ".!?\n"


@cache
def _agent_endings() -> tuple[str, ...]:
    return vocab_list("places", "agent_noun_endings")


def _modifiers_start(text: str, start: int, m: re.Match[str]) -> int:
    """Where the name starts once its modifiers are kept ("western Aleppo countryside")."""
    prev = text[max(start, m.start() - 24) : m.start()].split()
    if not prev or prev[-1].lower() not in mod_last_words():
        return m.start()
    tail = _regexes()["mods_tail"].search(text, max(start, m.start() - 60), m.start())
    return tail.start() if tail else m.start()


# a plural region word right before an opening bracket: "across 9 provinces ("
_KINDS_BRACKET = compile_rx(r"\b([a-z-]+)\s*\(\s*$")


def _plural_region(m: re.Match[str] | None) -> bool:
    """Whether the word before a bracket is a plural region word ("provinces", "districts")."""
    word = m.group(1).lower() if m else ""
    return word.endswith("s") and word in region_words()


# a place named as what kind of site a place is: "in an Idlib mosque", "near a Gaza hospital"
_A_SITE_OF = compile_rx(r"\b(?i:in|at|near|inside|outside|into)\s+(?i:a|an)\s+$")
_SITE_AFTER = compile_rx(
    r"\s+(?i:mosque|school|hospital|clinic|market|bakery|camp|shelter|church|neighbourhood"
    r"|neighborhood|village|town|suburb|prison)s?\b"
)


def _introduced(
    text: str, start: int, end: int, m: re.Match[str], first: int, last_end: int, more: bool
) -> bool:
    """Whether the text introduces the name as a place: a preposition or place word before
    it, a region word after it, a list it continues, or a country that hosts."""
    rx = _regexes()
    before = text[max(start, first - 40) : first]
    # a place lead, or a destination's (found, to be set aside, or kept for aid)
    if led_either(before) or (more and _POSS_BEFORE.search(before)) or m.group("suffix"):
        return True
    if before.endswith(", ") and _OWNED_CAPITAL.search(before):
        return True  # "Uganda's capital, Kampala" (not "a hospital in the capital, Mekele")
    if _A_SITE_OF.search(before) and _SITE_AFTER.match(text, m.end(), end):
        return True  # "in an Idlib mosque", "at a Gaza school": the place the site is in
    if (
        first < m.start()
        and not lead_phrases().isdisjoint(lead_keys(text[first : m.start()]))
        and (more or not before.rstrip().lower().endswith("other"))
    ):
        # a place its modifiers introduce: listed ("Babila, the outskirts of Binnish"), or after
        # a describing word ("hit residential areas of Ariha"); "other parts of Syria" is
        # elsewhere than the place in focus
        return True
    if _apposition_before(before) or rx["predicate"].match(text, m.end(), end):
        return True
    if rx["shared_region"].match(text, m.end(), end):
        return True
    if _subject(text, m):
        return True
    gap = text[last_end:first] if last_end >= 0 else "x"
    if gap.strip() == "(" and not m.group("name").isupper():
        return True  # "Pibor County (Jonglei)": the region a place lies in, in brackets
    if _KINDS_BRACKET.search(before) and _plural_region(_KINDS_BRACKET.search(before)):
        return True  # "across 9 provinces (Parwan, Kapisa, ...)": the places counted, named
    follower = text[m.end() : m.end() + _FOLLOWER]
    if rx["coord"].match(gap or "x") is not None and (
        " and " in f" {gap} " or _listed_next(follower, m.group("name"))
    ):
        return True
    if gap.strip() == "," and _LIST_END.match(follower) and _TWO_LISTED.search(text, 0, last_end):
        return True  # "the three villages of Iblin, Balshoun, Balyoun.": a list's last item
    if _POSS_END.search(m.group("name")) and (
        rx["owns_people"].match(text, m.end(), end) or rx["owns_war"].match(text, m.end(), end)
    ):
        return True  # "all of Gaza's population", "Yemen's civil war has killed"
    if _COUNTED_NEXT.match(follower):
        return True  # "in the week: Marib (186 HH), Sirwah (36 HH)": a list of counted places
    if m.group("name") not in countries():
        return False
    # "in Cabo Delgado, Mozambique": where a place lies; "Syria (11), Mali (2)": a listed count
    ok = gap.strip() == "," or _COUNT_AFTER.match(text, m.end()) is not None
    return ok or rx["host"].match(text, m.end(), end) is not None


# "(430)", "(7 people)", "(over 900 people)", "(8 percent, 4,800 people)"
_COUNT_AFTER = compile_rx(rf"\s*\((?:{_BRACKET_COUNT})(?:\s*,\s*{_BRACKET_COUNT})?\)")
# a name's bracketed count, then the next capitalised item of such a list ("Marib (186 HH),
# Sirwah (")
_COUNTED_NEXT = compile_rx(
    rf"\s*\((?:{_BRACKET_COUNT})\)\s*(?:,|;|[–—]|and\b)\s*"
    r"(?:[A-Z][\w’'-]*\s+){0,3}[A-Z][\w’'-]*\s*\(\s*\d"
)


def _listed_next(follower: str, name: str) -> bool:
    """What follows a name joined by a comma alone continues a list (a comma and a name, "and",
    a closing bracket, the sentence's end); a comma then lower-case words closes an apposition
    instead ("the mission in Kenya (UNMK), Anna Berg, said"): the name is a person's or a title,
    unless it ends with a place word ("in Hasbaya, Nabatieh Governorate, on Monday")."""
    counted = _COUNT_AFTER.match(follower)  # "Idlib (5,312), Hama (430)": its count, then on
    if counted:
        follower = follower[counted.end() :]
        if follower[:1] in (".", ";"):  # the list's last item
            return True
        kinds = follower.split(".", 1)[0].split()  # "..., Al Mukha (17 HH) districts."
        if 0 < len(kinds) < 3 and "." in follower and all(w in region_words() for w in kinds):
            return True
        # "..., Lattakia (540) governorates, northern Syria.": its kind word, then the wider
        # place the whole list lies in closes the sentence
        wider = _WIDER_AFTER.match(follower)
        if wider and all(w in region_words() for w in wider.group("kinds").split()):
            return True
    if _COORD_NEXT.match(follower) is None:
        # "in Pale Township, Sagaing Region.": a region word, then the sentence's end
        return follower[:1] in (".", ";") and name.split()[-1].lower() in region_words()
    return (
        _APPOSITION_END.match(follower) is None
        or name.split()[-1].lower() in region_words()
        or _next_item_led(follower)
    )


def _next_item_led(follower: str) -> bool:
    """ "Babila, Khan al-Sabil, the outskirts of Maar Dibseh": the words after the comma
    introduce the list's next place, they describe no name."""
    words = follower.split(",", 1)[1].split()
    return any(
        words[k][:1].isupper() and led(" ".join(words[:k]) + " ")
        for k in range(1, min(5, len(words)))
    )


_OF_NAME = compile_rx(r"\s+of\s+(?:the\s+)?[A-Z]")
# "the West Bank city of", "the southern Tigray town of": "the", lower-case modifiers, the name
_THE_BEFORE = compile_rx(r"(?<![\w-])[Tt]he\s+(?:[a-z][\w-]*\s+){0,2}$")


def _only_kind_words(piece: str) -> bool:
    """A capitalised run of place words alone ("Areas of", "Region"): a kind of place, no name."""
    words = piece.lower().split()
    if words[0] not in region_words():  # most names: one set lookup
        return False
    return all(w in region_words() or w in ("of", "the") for w in words)


@cache
def _facility_name() -> re.Pattern[str]:
    words = phrase_pattern(vocab_list("places", "facility_names_after"), lower=False)
    return compile_rx(rf"\s(?:{words})$")


def _kind_of_the_next(text: str, end: int, m: re.Match[str]) -> bool:
    """ "the Yemeni city of Taiz", "the West Bank city of Jenin": a people's word or a wider
    place and a place word say what kind of place the name after "of" is and where it
    lies; the figure is about the place named after "of"."""
    of = _OF_NAME.match(text, m.end(), end)
    if not m.group("suffix") or of is None:
        return False
    if key(m.group("name")) in demonyms():
        return True
    wider = _regexes()["place"].match(text, of.end() - 1, end)
    if wider is not None and is_country(wider.group("name")):
        return False  # "the Kherson region of Ukraine": a region, and the country it lies in
    if part_of_the_next(m.group("suffix"), wider):
        return False  # "the Al-Mawasi area of Khan Yunis": a part, inside the place after it
    return _THE_BEFORE.search(text, max(0, m.start() - 40), m.start()) is not None


def _an_actor(text: str, end: int, m: re.Match[str]) -> bool:
    """ "UN", "US-led strikes", "Yemeni forces": an actor or a people, not a place (but
    "in Ituri on Monday" is a place)."""
    name = m.group("name")
    is_country = name in countries()
    if (name.isupper() and not is_country) or _ACTOR_ADJECTIVE.search(name):
        return True
    if _ACTOR_AFTER.match(text, m.end(), end):
        return True
    if (
        is_country
        and not m.group("suffix")
        and _regexes()["acts"].match(text, m.end(), end)
        and _PLACE_LEAD_BEFORE.search(text, max(0, m.start() - 30), m.start()) is None
    ):
        return True  # "where Israel has expanded", not "gunmen from the Gaza Strip killed"
    return (
        " " not in name
        and "-" not in name
        and not m.group("suffix")
        and _DEMONYM.search(name) is not None
        and not is_country
        and _NOUN_NEXT.match(text, m.end("name"), end) is not None
    )


def _trimmed(piece: str, m: re.Match[str]) -> str:
    """The name without an owner's "'s" and trailing words that are not places."""
    piece = _regexes()["kind_tail"].sub("", piece.strip())  # "Dikwa local government area"
    if _POSS_END.search(piece):
        piece = piece[:-2]
    suffix = m.group("suffix")
    while (
        not suffix
        and piece
        and piece.split()[-1] not in _numerals()
        and piece.split()[-1].lower() in not_places()
        and piece.split()[-1].lower() not in region_words()
        or (" " not in piece and piece.lower() in not_places())
    ):
        piece = piece.rsplit(None, 1)[0] if " " in piece else ""
    return piece


def _list_kind_cut(text: str, first: int, piece: str) -> str:
    """The last name of a list without the plural kind word the list shares ("Kabul and
    Baghlan provinces", "Korma, Jonjona and Sarafaya villages")."""
    last = piece.rsplit(None, 1)[-1].lower() if " " in piece else ""
    listed = text[max(0, first - 5) : first].endswith(("and ", ", "))
    if listed and last.endswith("s") and last[:-1] in region_words():
        return piece.rsplit(None, 1)[0]
    return piece


def _owner_split(s: int, e: int, piece: str) -> list[PlaceMention]:
    """ "Syria's Idlib": the possessor and the place both count."""
    owner = _OWNER.match(piece)
    if not owner:
        return [PlaceMention(s, e, piece)]
    first = PlaceMention(s, s + len(owner.group("a")), owner.group("a"))
    b = owner.group("b")
    # "Gaza's Health Ministry", "Diyala's town of Gulala": the owner only
    if (not_a_name(b) or not b[:1].isupper()) and not compass_region(b):
        return [first]
    return [first, PlaceMention(s + owner.start("b"), e, b)]
