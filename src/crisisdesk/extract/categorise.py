"""Unit, category and subject of a figure: from its counted noun, the cue words
around it and the figure it leans on.

Three kinds of figure are told apart by their noun: things (events, items,
facilities, places: the noun says what they are, the verb may change it), people
(the verb or the words before say what happened to them) and numbers with no noun
of their own (they borrow one: from "the number of displaced", from the figure they
lean on, or from the noun a bracketed count follows: borrowed.py). Fighters killed are
told from civilians killed in one place (``_fighters_apart``).
"""

from __future__ import annotations

import re
from functools import cache

from crisisdesk.extract import categories as cat
from crisisdesk.extract.borrowed import Meaning, borrowed_meaning, label_start
from crisisdesk.extract.compiled import compile_rx
from crisisdesk.extract.disease_deaths import outbreak_death
from crisisdesk.extract.draft import Draft
from crisisdesk.extract.figure_verbs import (
    HARMS,
    PEOPLE_UNITS,
    SHARED_LINKS,
    VERB_REACH,
    harm_right_before,
    other_verbs_object,
    own_event,
    verb_between,
)
from crisisdesk.extract.mixed_harms import mixed_harms_after
from crisisdesk.extract.numbers import share_pattern
from crisisdesk.extract.tally_lines import (
    bulleted_item,
    counted_place_line,
    heading_category,
)
from crisisdesk.geo.context import demonyms
from crisisdesk.vocab import NounEntry, nouns, phrase_pattern, vocab_list


def categorise(text: str, d: Draft) -> None:
    """Unit, category and subject of one draft (or the reason it is no figure)."""
    entry = d.head.entry
    if _animals().match(text, d.m.end) is not None:
        d.dropped = "animals"  # "16 donkeys killed"
        return
    if entry is None:
        meaning = borrowed_meaning(text, d)
    elif entry.kind in ("generic", "place"):
        meaning = _thing(text, d, entry)
    else:
        meaning = _people(text, d, entry)
    if meaning is None:
        return
    unit, category, subject = meaning
    category = _fighters_apart(category, entry)
    if category == "fighters_killed" and cat.joined_civilians(text, d.np_end, d.clause[1]):
        category = "killed"  # "nearly 3,000 combatants and civilians were killed"
    if category == "killed" and (
        _said_to_be_fighters(text, d)
        or _own_members(text, d)
        or _toll_of_fighters(text, d)
        or _of_fighters_named_before(text, d)
    ):
        category = "fighters_killed"  # "three of the dead were members of a militia"
    if category == "killed" and outbreak_death(text, d):
        category = "other"  # "a cumulative 9,000 cholera cases and 80 deaths"
    if _whole_of_a_part(text, d, entry, category):
        category = "other"  # "two-thirds of the 30,000 residents have fled": a population
    if _bare_vague(text, d, entry):  # "forcing thousands to flee" is a figure
        d.dropped = "vague amount with no counted noun"
        return
    if d.link == "pair" and d.ante is not None and d.qualifier is None:
        d.qualifier = d.ante.qualifier
    d.unit, d.category, d.subject = unit, category, subject or "people"


@cache
def _part_of() -> re.Pattern[str]:
    """ "half of the", "40% of the town's", "most of its": a part is taken of the figure
    (a share, numbers.yaml, or a word for a part, categories.yaml ``part_words``)."""
    parts = phrase_pattern(vocab_list("categories", "part_words"))
    return compile_rx(
        rf"(?:{share_pattern()}|\b(?:{parts}))"
        r"\s+of\s+(?:the\s+|its\s+|their\s+|(?:the\s+)?[\w-]+[’']s\s+)?$",
        re.I,
    )


def _whole_of_a_part(text: str, d: Draft, entry: NounEntry | None, category: str) -> bool:
    """A count of people or facilities that a part is taken of ("most of the 30,000
    residents have fled", "a third of the 600 schools were damaged"): what the verb says
    happened to the part, not to all of them; the figure is the population. A noun that
    says the harm itself keeps it ("half of the 2 million refugees", "some of the 200
    injured")."""
    if category == "other" or d.link is not None:
        return False
    if entry is not None and entry.category is not None and entry.unit != "facilities":
        return False
    lo = max(d.clause[0], d.qual_start - 40)
    if _part_of().search(text, lo, d.qual_start) is None and not opens_a_whole(text, d):
        return False
    return _NAMED_BY_PARTICIPLE.match(text, d.np_end) is None


# "Of the 640 schools in the district, 210 were damaged": a sentence that opens with the
# whole, then its part after the comma
_OF_THE = compile_rx(r"\s*(?:of|among)\s+(?:the|these|those|its|their)\s+", re.I)
_PART_AFTER = compile_rx(r"[^.;:,\d]{0,80},\s*(?:[a-z]+\s+){0,2}\d")


def opens_a_whole(text: str, d: Draft) -> bool:
    """The figure is the whole that opens its sentence ("Of the 640 schools in Marib, 210
    ..."): a bare number after the comma is its part."""
    return (
        _OF_THE.fullmatch(text, d.sentence.start, d.qual_start) is not None
        and _PART_AFTER.match(text, d.np_end) is not None
    )


# "80 per cent of the 3.3 million people displaced internally": the participle after the
# noun says what all of them are, the part's verb comes later
_NAMED_BY_PARTICIPLE = compile_rx(
    r"\s+(?:[a-z]+ly\s+)?(?:displaced|forced|forcibly|killed|injured|wounded|uprooted|fleeing|"
    r"affected|trapped|stranded|detained|missing|who|that|in\s+need|internally)\b",
    re.I,
)


@cache
def _animals() -> re.Pattern[str]:
    return compile_rx(rf"\s+(?:{phrase_pattern(vocab_list('categories', 'animal_nouns'))})\b", re.I)


def _fighters_apart(category: str, entry: NounEntry | None) -> str:
    """Soldiers and fighters killed are fighters_killed, civilians killed are killed,
    whichever way the category was found (the noun decides when it has a side)."""
    if entry is None:
        return category
    if category == "killed" and entry.kind == "fighter":
        return "fighters_killed"
    if category == "fighters_killed" and entry.kind == "civilian":
        return "killed"
    return category


def _said_to_be_fighters(text: str, d: Draft) -> bool:
    """The figure's predicate says the people were fighters ("three of the dead were members
    of a civilian militia", "12 of those killed were soldiers")."""
    return _fighters_predicate().match(text, d.np_end, d.clause[1]) is not None


def _own_members(text: str, d: Draft) -> bool:
    """ "the ... militia said that two of its members had been killed": members of the armed
    group named just before are its fighters."""
    if not _OF_ITS_MEMBERS.match(text, d.m.end, d.clause[1]):
        return False
    before = text[max(d.sentence.start, d.qual_start - 100) : d.qual_start].lower()
    return _armed_speaker().search(before) is not None


_OF_ITS_MEMBERS = compile_rx(r"\s+of\s+(?:its|their)\s+(?:own\s+)?members\b")
_TOLL_REACH = 160  # characters back from a figure to the toll it completes


def _toll_of_fighters(text: str, d: Draft) -> bool:
    """The toll the figure completes is the fighters' ("the death toll of the regime forces
    rose to 19", "the death toll among soldiers reached 40"), with no other count between."""
    entry = d.head.entry
    if entry is not None and entry.kind == "civilian":
        return False  # "the death toll of May, where government forces killed 741 civilians"
    lo = max(d.sentence.start, d.qual_start - _TOLL_REACH)
    last = None
    for m in _fighters_toll().finditer(text, lo, d.qual_start):
        last = m
    return last is not None and not any(c.isdigit() for c in text[last.end() : d.qual_start])


_OF_THEM = compile_rx(r"\s+of\s+(?:them|whom)\b")


def _of_fighters_named_before(text: str, d: Draft) -> bool:
    """ "ambushed a patrol of soldiers, killing four of them", "the suspected terrorists tried
    to escape and 24 of them were shot dead": "of them" counts the people named last before
    it in the sentence, fighters when their noun is a fighter's."""
    if _OF_THEM.match(text, d.m.end, d.clause[1]) is None:
        return False
    last = None
    for m in _people_nouns().finditer(text, d.sentence.start, d.qual_start):
        last = m
    if last is None:
        return False
    entry = nouns().get(last.group().lower())
    return entry is not None and entry.kind == "fighter"


@cache
def _people_nouns() -> re.Pattern[str]:
    """The nouns of people of the vocabulary, fighters' and civilians' alike."""
    words = [w for w, e in nouns().items() if e.unit == "people" and e.category is None]
    return compile_rx(rf"\b(?:{phrase_pattern(words)})\b", re.I)


@cache
def _fighters_toll() -> re.Pattern[str]:
    markers = phrase_pattern(vocab_list("categories", "fighter_markers"))
    return compile_rx(
        r"\b(?:death\s+toll|toll)\s+(?:of|among|amongst)\s+(?:the\s+)?(?:(?!\d)[\w’'-]+\s+){0,3}?"
        rf"(?:{markers}|fighters|combatants|militants|jihadis|jihadists)\b"
        # not the harm an armed body did: "the toll of the army's shelling"
        r"(?![’']s\b|\s+(?:shelling|bombardment|bombing|strikes?|attacks?|raids?|assault|fire)\b)",
        re.I,
    )


@cache
def _armed_speaker() -> re.Pattern[str]:
    """An armed group speaking right before ("the ... militia said that ")."""
    markers = phrase_pattern(vocab_list("categories", "fighter_markers"))
    return compile_rx(
        rf"\b(?:{markers})\s+(?:[\w-]+\s+){{0,2}}?"
        r"(?:said|says|announced|confirmed|reported|stated|acknowledged)\s+(?:that\s+)?$"
    )


@cache
def _fighters_predicate() -> re.Pattern[str]:
    markers = phrase_pattern(vocab_list("categories", "fighter_markers"))
    return compile_rx(
        r"\s+(?:were|are)\s+(?:all\s+|also\s+)?(?:(?:identified|confirmed|described)\s+as\s+)?"
        r"(?:(?:members|fighters)\s+of\s+(?:a|an|the|its)\s+"
        rf"(?:[\w’'-]+\s+){{0,3}}?(?:{markers})|(?:soldiers|fighters|combatants|militants|"
        r"troops|militiamen|policemen|police officers)"
        # "were identified as defence ministry and security personnel"
        r"|(?:[\w’'-]+\s+){0,6}?(?:security|military|army|police)\s+(?:personnel|forces))\b",
        re.I,
    )


def _bare_vague(text: str, d: Draft, entry: NounEntry | None) -> bool:
    """A vague amount with no noun ("thousands") is a figure only when a verb says what
    happened to the people ("forcing thousands to flee")."""
    if not d.m.is_vague or entry is not None or d.link in SHARED_LINKS:
        return False
    ante = d.ante
    if d.link == "elliptical" and ante is not None and ante.unit not in PEOPLE_UNITS:
        return False
    if cat.number_of_before(text, d.clause[0], d.qual_start):
        return False
    if _verb_right_before(text, d):  # "killing hundreds of thousands"
        return False
    if d.link == "partitive" and d.fwd:  # "civilians, thousands of whom were killed and injured"
        return False
    return not (d.fwd and d.fwd != "other" and cat.is_people_category(d.fwd))


def _verb_right_before(text: str, d: Draft) -> bool:
    """True when a verb about people stands right before the number ("killing hundreds")."""
    bwd = cat.cue_before(text, d.sentence.start, d.qual_start, d.cues)
    if bwd is None or not cat.is_people_category(bwd[0]):
        return False
    end = next((e for s, e, c in d.cues if s == bwd[1]), bwd[1])
    return not text[end : d.qual_start].strip()


# --- things: events, items, facilities, places ---------------------------------


def _thing(text: str, d: Draft, entry: NounEntry) -> Meaning:
    """Events, items, facilities and places: the noun says what they are; a verb in the
    clause says what happened to a facility or a place."""
    unit = entry.unit
    if entry.kind == "place":
        before, after = text[d.clause[0] : d.np_end], text[d.np_end : d.clause[1]]
        category = cat.override_for("place", unit, before) or cat.override_for("place", unit, after)
        if category is None and entry.category == "other":
            d.dropped = "places with nothing said to happen to them"  # "in five districts"
            return None
        category = category or entry.category or "other"
    elif entry.category == "facilities_damaged":  # facilities, and vehicles such as ambulances
        category = _facility_category(text, d)
    elif entry.category == "attacks" and cat.air_strikes_meant(text, d.head.subject):
        category = "airstrikes"  # "272 strikes were declared" in a report on an air war
    elif entry.unit == "events" and _mixed_events(text, d, entry):
        category = "attacks"  # "thousands of airstrikes and artillery strikes": both kinds
    elif entry.category == "aid_delivered" and (
        d.fwd == "facilities_damaged" or _damaged_before(text, d)
    ):
        category = "facilities_damaged"  # "40 makeshift tents were burnt down"
    elif entry.category == "aid_delivered" and _ridden_in(text, d):
        d.dropped = "vehicles people ride in"  # "jihadists in seven trucks", "on 20 motorcycles"
        return None
    else:
        category = entry.category or "other"
    return unit, category, d.head.subject


_DAMAGE_REACH = 30  # characters before the figure: its verb ("a fire destroyed 40 tents")


def _damaged_before(text: str, d: Draft) -> bool:
    """Aid items that a verb of damage right before them acts on ("storms damaged 1,200
    tents"); a verb of giving nearer them keeps them aid ("distributed tents")."""
    lo = max(d.clause[0], d.qual_start - _DAMAGE_REACH)
    return cat.override_for("facilities", "facilities", text[lo : d.qual_start]) == (
        "facilities_damaged"
    )


def _mixed_events(text: str, d: Draft, entry: NounEntry) -> bool:
    other = cat.coordinated_events(text, d.np_end, d.clause[1])
    return other is not None and other != entry.category


_RIDDEN_IN = compile_rx(r"\b(?:in|on|aboard|riding)\s+$", re.I)
_AID_WORDS = compile_rx(r"\b(?:aid|assistance|supplies|food|relief|humanitarian)\b", re.I)


def _ridden_in(text: str, d: Draft) -> bool:
    """Vehicles that carry the actors of the sentence ("jihadists in seven trucks"), in a
    sentence that speaks of no aid ("aid arrived in 12 trucks" is aid)."""
    if _RIDDEN_IN.search(text, max(0, d.qual_start - 12), d.qual_start) is None:
        return False
    return _AID_WORDS.search(text, d.sentence.start, d.sentence.end) is None


def _facility_category(text: str, d: Draft) -> str:
    """A facility count is damage only when something happened to the facilities: "five
    hospitals were hit" is damage, "1,114 collective shelters" host people (other), "940
    centres were opened" is aid."""
    before = text[label_start(text, d) : d.m.start]  # "Strikes hit: three hospitals, ..."
    after = text[d.np_end : d.clause[1]]
    for scope in (before, after):
        found = cat.override_for("facilities", "facilities", scope)
        if found:
            return found
    if d.link in SHARED_LINKS and d.ante is not None and d.ante.unit == "facilities":
        return d.ante.category or "other"
    if d.link == "including" and d.ante is not None and d.ante.category in _ATTACK_KINDS:
        return "facilities_damaged"  # "310 attacks on civilian sites, including 41 schools"
    return "other"


# counts of attacks whose "including" parts may be the facilities they struck
_ATTACK_KINDS = frozenset({"attacks", "airstrikes", "barrel_bombs", "rockets", "shelling"})


# --- people -----------------------------------------------------------------


def _people(text: str, d: Draft, entry: NounEntry) -> Meaning:
    """People and families: the verb after them, their noun, the figure they are part of,
    or the cue before them says what happened to them."""
    if (
        cat.no_meaning_before(text, d.clause[0], d.qual_start)
        or _met_part(d)
        or cat.met_list_before(text, d.sentence.start, d.qual_start)
    ):
        d.dropped = _MET  # "interviewed 28", "prepared for 500"
        return None
    if _SAYING_AFTER.match(text, d.np_end):
        d.dropped = "the people who said it"  # "killing six residents, two officials said"
        return None
    if entry.kind == "fighter" and cat.attackers_after(text, d.np_end, d.clause[1]):
        d.dropped = "the attackers"  # "(who fled, said) about 100 extremists entered the town"
        return None
    if _killings_with_toll(text, d):
        return "events", "attacks", d.head.subject
    category = _people_category(text, d, entry)
    lives = d.head.subject.rsplit(None, 1)[-1:] == ["lives"] and category in (None, "other")
    if lives and _TOOK_LIVES.search(text, d.clause[0], d.qual_start):
        category = "killed"  # "the earthquake took over 5,900 lives"
    if entry.kind == "fighter" and category in _NOT_FOR_FIGHTERS:
        category = None  # "sent an extra 1,500 troops": forces deployed, no aid given
    if category is None:
        if entry.kind == "fighter" or _no_meaning(text, d):
            d.dropped = "people with nothing said to happen to them"
            return None
        category = "other"
        d.confidence = 0.6
    return entry.unit, category, d.head.subject


_NOT_FOR_FIGHTERS = frozenset({"aid_delivered", "in_need"})
# lives taken: the people counted as "lives" after "took" are the dead
_TOOK_LIVES = compile_rx(r"\b(?:took|taken|takes|take|taking)\s+(?:the\s+)?$", re.I)
# "committed 19 killings that claimed the lives of 252": the killings are events with a toll
_TOLL_AFTER = compile_rx(r"\s*,?\s*(?:that|which)\s+(?:\w+\s+)?(?:claimed|killed|left|took)\b")


def _killings_with_toll(text: str, d: Draft) -> bool:
    """N killings are N people killed, unless a toll of their own follows them."""
    return d.head.subject.endswith("killings") and bool(_TOLL_AFTER.match(text, d.np_end))


def _people_category(text: str, d: Draft, entry: NounEntry) -> str | None:
    ante = d.ante
    if (
        ante is None
        and entry.category in (None, *HARMS)
        and mixed_harms_after(text, d.np_end, d.clause[1])
    ):
        return "other"  # "5,000 killed, missing or wounded": casualties not split
    if d.link in SHARED_LINKS and ante is not None:
        # "89 casualties, including 20 fatalities"; "1.4 million ..., of which 875,000 have
        # been internally displaced": a part's own noun or verb says what it is
        own = entry.category or own_event(text, d)
        arrests = entry.category == "detained"
        if ante.category in HARMS and own not in HARMS and own != "other" and not arrests:
            # "30 civilians, including 16 members of a family who were returning from a
            # baptism, lost their lives": a part of the dead is dead, whatever it was doing
            # (an arrests noun says what befell them: "36 deaths, 87 injuries and 60 arrests")
            own = None
        return own or verb_between(text, ante, d) or ante.category
    if d.fwd not in HARMS and _aid_right_before(text, d):
        # "sanitation to 25,000 residents living in tents", "relief for 12,000 residents in
        # urgent need", "assistance to 700 people evacuated": what was given, then "to" or "for"
        # the people counted; what is said of them after only describes who was reached
        return "aid_delivered"
    if not entry.category and _camp_hosting().search(
        text, max(d.sentence.start, d.qual_start - 90), d.qual_start
    ):
        return "displaced"  # "the two camps near Goma were hosting over 100,000 people"
    if not entry.category and _camp_staying().match(text, d.np_end, d.sentence.end):
        return "displaced"  # "62,000 people remain in four camps"
    if not entry.category and _hosts_nationals(text, d):
        return "displaced"  # "Jordan already hosts 1.3 million Syrians": refugees
    if _POPULATION_OF.search(text, max(0, d.qual_start - 24), d.qual_start):
        return None  # "a country of 11 million inhabitants": a population
    if d.fwd == "aid_delivered" and entry.category and _aid_verb_after(text, d):
        return "aid_delivered"  # "92,000 newly displaced people assisted with rations"
    if d.fwd and d.fwd not in HARMS and not entry.category:
        # "the cold has killed 30 children in two months among the civilians fleeing": the
        # figure is the object of the harm right before it; a cue past its noun describes
        harm = harm_right_before(text, d)
        if harm is not None:
            return harm
    if d.fwd == "other" and _DISPLACEMENT_OF.search(text, max(0, d.qual_start - 30), d.qual_start):
        return "displaced"  # "the displacement of thousands of families who were living in ..."
    if entry.category == "displaced" and _RETURN_OF.search(
        text, max(0, d.qual_start - 24), d.qual_start
    ):
        return "returned"  # "the return of more than 500,000 refugees": they came back
    if d.fwd in HARMS and other_verbs_object(text, d):
        # "killed at least two civilians, injured others": the figure is the object of the
        # harm right before it; the one after the comma has its own object
        return harm_right_before(text, d)
    if d.fwd and not (entry.category and d.fwd in _WEAK_AFTER):
        return d.fwd
    if entry.category == "other" and d.fwd and d.fwd != "other":
        return d.fwd  # "5,000 affected people received food rations": what befell them
    if entry.category and (
        _aid_right_before(text, d) or _reached_before(text, d, d.sentence.start)
    ):
        # "WFP assisted over 694,100 refugees", "the agency reached 300,000 displaced people
        # with cash": the aid, not the refugees
        return "aid_delivered"
    if entry.category and _aid_before_list(text, d):
        return "aid_delivered"  # "reaching 275,315 IDPs, 28,290 refugees and 1,974 returnees"
    harm = harm_right_before(text, d) if entry.category not in HARMS else None
    if entry.category and harm:
        return harm  # "the strike killed 13 displaced people": displaced people were killed
    if entry.category:
        return entry.category
    if harm:
        return harm  # "... the number of displaced has reached 261 ... and killed two civilians"
    if d.link == "partitive" and ante is not None:
        return ante.category
    nof = cat.number_of_before(text, _past_concession(text, d), d.qual_start)
    if nof and nof[1]:
        return nof[1]
    named_after = _number_named_after(text, d)
    if named_after is not None:
        return named_after
    # (not across ", leaving": "Gunmen captured the town, leaving 4,000 children out of school")
    floor = d.clause[0] if _LEAVING.match(text, d.clause[0]) else d.sentence.start
    bwd = cat.cue_before(text, floor, d.qual_start, d.cues)
    aid = bwd is not None and bwd[0] == "aid_delivered"
    if aid and _aid_cut().search(text, max(floor, bwd[1] - 40), bwd[1]):  # type: ignore[index]
        return "other"  # "disrupted health services for thousands": aid lost (or still to come)
    if bwd:
        return bwd[0]
    if _reached_before(text, d, floor):
        return "aid_delivered"  # "UNICEF has reached 40,000 children" (not "the toll has reached")
    if d.link == "additive" and ante is not None and _same_kind(d, ante):
        return ante.category
    # "they are as follows: // • 201 civilians"; "Civilian fatalities" / "65 civilians, ..."
    return bulleted_item(text, d) or heading_category(text, d) or counted_place_line(text, d)


# "it has increased to 11 persons ..., the number of casualties who have been killed": the
# count first, then what it counts (a monitor's house style)
@cache
def _number_of_after() -> re.Pattern[str]:
    """ ", the number of <people> who": categories.yaml ``number_of``, then a relative."""
    nof = phrase_pattern(vocab_list("categories", "number_of"))
    rel = phrase_pattern(vocab_list("categories", "number_of_relatives"))
    return compile_rx(
        rf",\s*the\s+(?:{nof})\s+(?:the\s+)?(?:[\w’'-]+\s+){{0,3}}?(?:{rel})\s+", re.I
    )


def _number_named_after(text: str, d: Draft) -> str | None:
    """What "the number of X who were killed" after the figure says its people are."""
    m = _number_of_after().search(text, d.np_end, d.sentence.end)
    if m is None:
        return None
    got = cat.cue_after(text, m.end() - 1, d.sentence.end)
    return got[0] if got is not None and cat.is_people_category(got[0]) else None


_REACHED = compile_rx(
    # the perfect or the simple past ("we reached 1.3 million children with ...")
    r"\b(?:(?:has|have)\s+(?:so\s+far\s+|now\s+|also\s+|already\s+)?)?reached\s+"
    # "has reached a cumulative total of 22 million people": the total of those reached
    r"(?:a\s+(?:cumulative\s+)?total\s+of\s+)?$",
    re.I,
)
# what a running count is the subject of ("the death toll has reached", "casualties have reached")
_TALLY_SUBJECT = compile_rx(
    r"\b(?:toll|tolls|number|numbers|figure|figures|total|count|tally|casualties|deaths|dead|"
    r"killed|injured|wounded|displaced|displacement|arrivals|refugees|idps|cases|"
    # a movement of people whose size grew ("the influx reached 300,000 people")
    r"influx|exodus|outflow|flows?)\b",
    re.I,
)


def _reached_before(text: str, d: Draft, floor: int) -> bool:
    """ "reached" right before people, said by whoever reached them (an agency, "we"), not by a
    running count ("the toll reached 50 people"): the people the aid got to."""
    reached = _REACHED.search(text, max(floor, d.qual_start - 50), d.qual_start)
    if reached is None:
        return False
    return not _TALLY_SUBJECT.search(text, max(floor, d.qual_start - 70), reached.start())


def _past_concession(text: str, d: Draft) -> int:
    """Where the figure's own words start: after a leading concessive clause ("Although the
    exact number of casualties remains to be confirmed, hundreds of civilians ...")."""
    start = d.clause[0]
    if _concessive_lead().match(text, d.sentence.start):
        comma = text.rfind(",", start, d.qual_start)
        if comma > start:
            return comma + 1
    return start


@cache
def _concessive_lead() -> re.Pattern[str]:
    leads = phrase_pattern(vocab_list("periods", "concessive_leads"))
    return compile_rx(rf"\W*(?:{leads})\b", re.I)


@cache
def _aid_cut() -> re.Pattern[str]:
    """A verb that takes aid away, or a word that puts it still to come, shortly before an aid
    cue (categories.yaml ``aid_cut_verbs``, ``aid_future_words``): no aid was delivered."""
    words = vocab_list("categories", "aid_cut_verbs") + vocab_list("categories", "aid_future_words")
    verbs = phrase_pattern(words)
    return compile_rx(rf"\b(?:{verbs})\b(?:\s+[\w’'-]+){{0,3}}\s*$", re.I)


@cache
def _camp_hosting() -> re.Pattern[str]:
    """A camp holding the people counted right after it (categories.yaml ``camp_nouns``,
    ``camp_host_verbs``), a short phrase between ("near Goma were")."""
    camps = phrase_pattern(vocab_list("categories", "camp_nouns"))
    verbs = phrase_pattern(vocab_list("categories", "camp_host_verbs"))
    return compile_rx(rf"\b(?:{camps})\b[^.;:]{{0,40}}?\b(?:{verbs})\s+$", re.I)


@cache
def _camp_staying() -> re.Pattern[str]:
    """People who stay in camps, said right after them (categories.yaml ``camp_stay_verbs``,
    ``camp_nouns``, ``camp_stay_places``): a few words may name the camps ("four", "the Hawa
    IDP")."""
    verbs = phrase_pattern(vocab_list("categories", "camp_stay_verbs"))
    camps = phrase_pattern(
        [*vocab_list("categories", "camp_nouns"), *vocab_list("categories", "camp_stay_places")]
    )
    return compile_rx(
        rf"\s*,?\s*(?:{verbs})\s+(?:in|at|inside)\s+(?:[\w’'-]+\s+){{0,3}}?(?:{camps})\b", re.I
    )


@cache
def _nation_hosting() -> re.Pattern[str]:
    verbs = phrase_pattern(vocab_list("categories", "nation_host_verbs"))
    return compile_rx(rf"\b(?:{verbs})\s+$", re.I)


def _hosts_nationals(text: str, d: Draft) -> bool:
    """People of a nation hosted somewhere ("hosts 1.3 million Syrians"): refugees."""
    if d.head.subject.lower() not in demonyms():
        return False
    lo = max(d.sentence.start, d.qual_start - 30)
    return bool(_nation_hosting().search(text, lo, d.qual_start))


def _aid_right_before(text: str, d: Draft) -> bool:
    """An aid verb right before a figure whose noun has a meaning of its own ("assisted
    over 694,100 refugees", "reached 12,000 IDPs")."""
    found = cat.cue_before(
        text, max(d.sentence.start, d.qual_start - VERB_REACH), d.qual_start, d.cues
    )
    if found is None or found[0] != "aid_delivered":
        return False
    if _aid_cut().search(text, max(d.sentence.start, found[1] - 40), found[1]):
        return False  # "the siege has cut off food aid to 35,000 people": no aid given
    return _ASSISTING.match(text, found[1]) is not None  # not "received 267,000 displaced people"


# an earlier item of a list ending right before the figure: "275,315 IDPs, ", "28,290 refugees and "
_LIST_ITEM_BEFORE = compile_rx(
    r"\d[\d,.]*(?:\s+(?:million|thousand))?(?:\s+[A-Za-z’'-]+){1,4}\s*(?:,\s*(?:and\s+)?|\s+and\s+)$"
)


def _aid_before_list(text: str, d: Draft) -> bool:
    """A later item of a list whose first item an aid verb stands right before ("reaching
    275,315 IDPs, 28,290 Syrian refugees and 1,974 returnees"): all the list was assisted."""
    end = d.qual_start
    for _ in range(6):
        m = _LIST_ITEM_BEFORE.search(text, max(d.sentence.start, end - 70), end)
        if m is None:
            break
        end = m.start()
    if end == d.qual_start:
        return False
    found = cat.cue_before(text, max(d.sentence.start, end - VERB_REACH), end, d.cues)
    return (
        found is not None
        and found[0] == "aid_delivered"
        and _ASSISTING.match(text, found[1]) is not None
    )


# an aid verb, or what was given and "to" ("rations to"): not "received 267,000 displaced"
_ASSISTING = compile_rx(
    r"(?:to\s+)?(?:assist|reach|serv|support|help|fe[de])|[\w’']+\s+(?:to|for)\b", re.I
)


def _same_kind(d: Draft, ante: Draft) -> bool:
    """ "70,000 displaced ... an extra 2,000 troops": another kind of people is no more of
    the same."""
    mine, theirs = d.head.entry, ante.head.entry
    for _ in range(3):  # a number with no noun borrowed its own from the figure before it
        if theirs is not None or ante.ante is None:
            break
        ante = ante.ante
        theirs = ante.head.entry
    return mine is None or theirs is None or mine.kind == theirs.kind


_POPULATION_OF = compile_rx(
    r"\b(?:country|nation|city|town|village|province|region|capital|state|district)\s+of\s+"
    r"(?:more\s+than\s+|over\s+|about\s+|some\s+|nearly\s+|almost\s+|around\s+)?$",
    re.I,
)


# A verb after the noun that only says where people went ("35 wounded people arrived"):
# the noun's own meaning comes first.
_WEAK_AFTER = frozenset({"displaced", "other", "aid_delivered"})
_LEAVING = compile_rx(r"[\s,]*leaving\b", re.I)
_DISPLACEMENT_OF = compile_rx(r"\bdisplacement\s+of\s+$", re.I)
# (not a wished one: "calls for the safe return of thousands of displaced persons")
_RETURN_OF = compile_rx(r"(?<!safe\s)\breturns?\s+of\s+(?:the\s+)?$", re.I)


@cache
def _aid_after_rx() -> re.Pattern[str]:
    words = phrase_pattern(vocab_list("categories", "aid_verbs_over_nouns"))
    given = phrase_pattern(vocab_list("categories", "aid_received_nouns"))
    aux = r"(?:(?:were|was|have\s+been|has\s+been|had\s+been|are\s+being|being)\s+)?"
    # (up to four words between: "received some kind of emergency assistance")
    received = rf"(?:have\s+|has\s+|had\s+)?received\s+(?:[\w’'-]+\s+){{0,4}}?(?:{given})"
    return compile_rx(rf"\s+(?:{aux}(?:{words})|{received})\b", re.I)


def _aid_verb_after(text: str, d: Draft) -> bool:
    """An aid verb right after people whose noun says what happened to them ("4,000 IDPs
    were assisted with tents"): the figure counts the aid, not the displacement. Weaker
    verbs ("received", "hosting") stay with the noun: a camp "received" 267,000 displaced."""
    return _aid_after_rx().match(text, d.np_end, d.clause[1]) is not None


_MET = "people only met, heard or housed"
_SAYING_AFTER = compile_rx(r"\s*(?:said|told|say|says)\b")


def _met_part(d: Draft) -> bool:
    """A part of people only met ("interviewed 38 people, including 27 victims")."""
    return d.link in SHARED_LINKS and d.ante is not None and d.ante.dropped == _MET


def _no_meaning(text: str, d: Draft) -> bool:
    """People who are only met, heard or seen ("interviewed 28 residents")."""
    return cat.no_meaning_around(text, d.clause[0], d.qual_start, d.np_end, d.clause[1])
