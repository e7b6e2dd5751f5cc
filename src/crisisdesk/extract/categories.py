"""What a figure counts: its noun (unit, subject) and the cue words around it (category).

The counted noun comes right after the number ("338 targeted locations",
"nine other civilians"); the category comes from the noun itself (air strikes,
barrel bombs, refugees) or from a verb after it ("were killed") or before it
("wounded more than 263", "the death toll rose to 130"). Vocabularies are in
data/vocab/categories.yaml.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache, lru_cache

from crisisdesk.extract.compiled import compile_rx
from crisisdesk.extract.prescan import WordGate
from crisisdesk.vocab import (
    NounEntry,
    canonical_source,
    cues,
    load_yaml,
    noun_verb_overrides,
    nouns,
    number_words,
    phrase_pattern,
    vocab_list,
)

_PEOPLE_CATS = frozenset(
    {
        "killed",
        "injured",
        "displaced",
        "returned",
        "detained",
        "missing",
        "besieged",
        "in_need",
        "fighters_killed",
        "aid_delivered",
        "other",
    }
)


_PEOPLE = NounEntry("people", None, "civilian")


@dataclass(slots=True, unsafe_hash=True)  # not frozen: see draft.py
class Head:
    """The counted noun after a number."""

    entry: NounEntry | None
    subject: str
    end: int  # offset just past the noun phrase (or the number when there is none)
    partitive: bool = False  # "392 of whom", "569,000 of them"


def _alt(name: str, key: str) -> str:
    return phrase_pattern(vocab_list(name, key))


@cache
def _regexes() -> dict[str, re.Pattern[str]]:
    noun_alt = phrase_pattern(list(nouns()))
    noun_alt = noun_alt.replace(r"\s+", r"[\s\-]+")
    aux = rf"(?:{_alt('categories', 'auxiliaries')}|[a-z]+ly)"
    stop = _alt("categories", "not_modifiers")
    fill = rf"(?:\s+(?:{_alt('categories', 'noun_fillers')})\b)*"
    preps = _alt("categories", "noun_prepositions")
    dets = _alt("links", "and_determiners")
    markers = _alt("categories", "fighter_markers")
    sides = _alt("categories", "fighter_after")
    demonym = r"(?-i:[A-Z][a-z]+(?:ians|ans|is|ese|ers|ites))"
    # a noun phrase in quotation marks counts as well: 60 alleged "civilian casualty incidents"
    # (a calibre may stand first: "37 120-mm artillery shells", "50 152mm shells")
    head = (
        rf"(?P<fill>{fill})(?P<adj>(?:\s+\d{{2,3}}\s?-?(?:mm|millimetre|millimeter)\b)?"
        # (or their age: "two 7-year-old children")
        r"(?:\s+\d{1,3}[\s-](?:years?|months?|weeks?|days?)[\s-]old\b)?"
        # (a name's acronym in brackets: "19 Syrian Democratic Forces (SDF) fighters")
        rf"(?:\s+[\"“]?(?!(?:{stop})\b|\d)(?:(?-i:[A-Z][\w’'\-]*\s+\([A-Z]{{2,6}}\))|[\w’'\-]+)"
        rf"(?:\s+(?:and|or)\s+[\w’'\-]+)?){{0,3}}?)"
        # (glued to the number, as text from a PDF may be: "14,250households")
        rf"(?:[\s\-]+|(?<=\d))[\"“]?(?P<noun>{noun_alt}|{demonym})\b(?![’']s\b)(?:(?<=\w)[\"”](?=[\s,.;]))?"
    )
    after = phrase_pattern(list(cues()["after"]))
    before = phrase_pattern(list(cues()["before"]))
    # (up to 140 characters: an aside may name who they were, "including district police chief
    # X and the deputy commander of the Y division Z")
    aside = rf"(?:(?:\s*,\s*(?:{_alt('links', 'asides')})\b[^,.;]{{0,140}}){{1,2}},)?"
    dash = r"(?:\s*[–—]\s*[^–—.;]{1,60}?\s*[-–—]|\s+-\s+[^–—.;]{1,60}?\s+-(?=\s))?"
    number_of = phrase_pattern(vocab_list("categories", "number_of"))
    return {
        "head": compile_rx(head, re.I),
        # "displaced Syrians": a demonym after a noun of people is the head
        # (past a bracketed acronym: "internally displaced persons (IDP) camps")
        "next_noun": compile_rx(
            rf"(?:\s+\((?-i:[A-Z]{{2,6}})\))?[\s\-]+(?P<noun>{noun_alt}|{demonym})\b(?![’']s\b)",
            re.I,
        ),
        "and_noun": compile_rx(
            rf"\s+(?:and|or)\s+(?:[a-z\-]+\s+){{0,2}}?(?P<noun>{noun_alt})\b", re.I
        ),
        "partitive": compile_rx(
            rf"\s+(?:{_alt('links', 'partitive')})\b(?:\s+(?:{_alt('links', 'partitive_verbs')}))?",
            re.I,
        ),
        "after": compile_rx(
            # (a bracket or two: "1,284 households (HH) (7,704 individuals) have fled")
            rf"(?:\s+(?:{_alt('links', 'additive_after')})\b)?(?:\s*\([^()]{{0,60}}\)){{0,2}}"
            # its pair in other words: "1,478 families, totalling 10,849 people, have fled"
            r"(?:\s*,\s*totall?ing\s+[\d,.]+\s+[a-z]+\s*,)?"
            rf"{aside}"
            # their ages: "two boys aged 12 and 14 were", "three children, aged 5, 7 and 9, died"
            r"(?:\s*,?\s+aged\s+(?:between\s+|from\s+)?\d{1,3}(?:\s*(?:,|,?\s*and|or|to|-|–)\s*\d{1,3})*\s*,?"
            # or below an age: "eight children under the age of five died"
            r"|\s+(?:under|below|over)\s+the\s+age\s+of\s+(?:\d{1,2}|[a-z]+))?"
            # an aside naming who they were: "about 40 people, civilians or soldiers, died"
            rf"(?:\s*,\s*(?:{noun_alt})(?:\s+(?:and|or)\s+(?:{noun_alt}))+\s*,)?"
            # who they were, in a few plain words: "six people, relatives of patients, were
            # killed", "five people, all from one family, died"
            r"(?:\s*,\s*(?:[a-z][\w’'-]*\s+){1,4}?[a-z][\w’'-]*\s*,(?=\s+(?:were|was|died|have|had)\b))?"
            # their names: "two others, Hussain Bahseek and Ahmad Badawi, were injured"
            rf"(?:\s*,\s*{_NAME}(?:(?:\s*,\s*|\s+and\s+){_NAME})*\s*,)?"
            # the noun heads a list: "thousands of women, children, and men have fled"
            rf"(?:(?:\s*,\s*(?:[a-z]+\s+)?(?:{noun_alt}))+,?\s+(?:and|or)\s+(?:[a-z]+\s+)?"
            rf"(?:{noun_alt})\b)?"
            # an aside without commas and without numbers: "8 civilians including children were"
            r"(?:\s+(?:including|mostly|among\s+them)(?:\s+(?!(?:were|was|are|is|have|had)\b)[a-z][\w’'-]*){1,4})?"
            # "14 persons – 13 men and a woman – were", "9,000 people - most of them women - were"
            rf"{dash}"
            # ("and an ambulance driver": a partner of one or two words)
            rf"(?:\s+(?:and|or)\s+(?:(?:{dets})\s+(?:[a-z][\w’'\-]*\s+)?[A-Za-z][\w’'\-]*"
            rf"|(?:[\w’'\-]+\s+){{0,2}}?(?:{noun_alt})\b))?"
            rf"(?:\s+(?:{preps})\s+[\w’'\-]+(?:\s+(?!(?:and|or|but)\b)[\w’'\-]+){{0,4}}?"
            # a list of names: "in the Tigray, Afar, and Amhara regions are in need"
            r"(?:(?:,\s+(?:and\s+)?|\s+and\s+)[A-Z][\w’'\-]*){0,4}(?:\s+(?!(?:and|or|but)\b)[a-z]+)??"
            # "people from Saraqab and its eastern countryside fled"
            r"(?:\s+and\s+(?:its|their|the)\s+[\w’'\-]+(?:\s+[\w’'\-]+)?)?)?"
            # the acronym of the body just named: "members of the Syrian Democratic Forces (SDF)"
            r"(?:\s*\((?-i:[A-Z][A-Za-z-]{1,9})\))?"
            # a participle phrase: "two journalists travelling with him were killed"
            r"(?:\s+(?!(?:including|during)\b)[a-z]+ing\s+(?:with|for|in|at|from|on|to|near|inside)"
            r"\s+(?:[\w’'\-]+\s+){0,3}?[\w’'\-]+)?"
            rf"{dash}"  # "1 million people in Idlib – many displaced before – were forced to flee"
            rf"{aside}"  # "two children in Kelma, including a six-year-old, were killed"
            # "26 civilians 17 of whom are children were killed"
            # (its word a noun: in "half of whom are internally displaced" the verb is the aside's)
            r"(?:\s*,?\s*(?:\d[\d,]*|[a-z]+)\s+of\s+(?:whom|them)\s+(?:are|were|was|is)\s+(?![a-z]+ly\b)[a-z]+\s*,?)?"
            # "145 civilians ... whom he says were killed": a speaker inside the clause
            r"(?:\s*,?\s*(?:who|whom|that)\s+(?:[\w’'-]+\s+){1,3}?"
            r"(?:says?|said|believes?|believed|estimates?|estimated)\b)?"
            # (a closing dash may touch the verb: "families—about 9,000 people—had fled")
            # (the verb may be quoted: 'were "arbitrarily executed"')
            rf"(?:\s*[,\-–—])?(?:(?:\s+|(?<=[–—]))[“\"]?(?:{aux}))*(?:[\s,]+|(?<=[–—]))[“\"]?"
            rf"(?P<cue>{after})\b"
            # a participle before a noun describes it: "in conflict affected areas are in need"
            rf"(?!\s+(?:{_alt('categories', 'described_by_participle')})\b)",
            re.I,
        ),
        "fighter_after": compile_rx(
            rf"\s+(?:(?:of|from)\s+(?:the\s+)?(?:[\w’'\-]+\s+){{0,2}}?(?:{markers})|{sides})\b",
            re.I,
        ),
        "share_of": compile_rx(
            r"\s+of\s+(?:(?:the|its|their)\s+)?(?:[\w\-]+[’']s\s+)?(?:[a-z]+\s+)?\d[\d,.]*(?=\s)"
        ),
        "before": compile_rx(rf"\b(?P<cue>{before})\b", re.I),
        # the same on a lower-cased copy, led by literal characters: scanned much faster
        "before_low": compile_rx(rf"(?P<cue>{before})\b"),
        "number_of": compile_rx(
            rf"\b(?:{number_of})\s+(?:the\s+)?(?P<np>(?:[\w’'\-]+\s+){{0,3}}?"
            rf"(?P<noun>{noun_alt}|{_alt_keys('number_of_nouns')}))\b",
            re.I,
        ),
        "toll": compile_rx(r"\b(?:death|casualty)\s+(?:toll|roll)\b", re.I),
    }


def _alt_keys(key: str) -> str:
    return phrase_pattern([str(k) for k in load_yaml("categories")[key]])


@lru_cache(maxsize=8192)
def _norm(text: str) -> str:
    """Lower case, hyphens as spaces, single spaces (cached: the same nouns come back)."""
    return " ".join(text.lower().replace("-", " ").split())


_NO_QUOTES = str.maketrans("", "", '"“”')  # the quotation marks a subject is read without
_CLOSING_QUOTES = frozenset('”"')


def read_head(text: str, pos: int, limit: int) -> Head:
    """The noun phrase right after a number ending at ``pos``."""
    rx = _regexes()
    if text[pos : pos + 1] in _CLOSING_QUOTES:
        # "“Hundreds of thousands” of people", "“more than 104” people were killed": the
        # quoted amount counts what follows the quote
        pos += 1
    part = rx["partitive"].match(text, pos, limit)
    start = part.end() if part else pos
    share = rx["share_of"].match(text, start, limit)
    if share:  # "33 of the country's 34 provinces": the 33 counts provinces
        start = share.end()
    m = rx["head"].match(text, start, limit)
    if m and (cut := _split_pair_noun(text, m, limit)):  # "28 deaths and injuries to 139"
        m = rx["head"].match(text, start, cut)
    if not m:
        return Head(None, "", start, partitive=bool(part))
    noun_text = m.group("noun")
    end = m.end()
    subject = f"{m.group('adj')} {noun_text}"
    implied = _implied_by_modifiers(m.group("adj"))
    while True:  # "civilian properties": the head is the last noun of the phrase
        more = rx["next_noun"].match(text, end, limit)
        if not more or _norm(more.group("noun")) in _predicates():
            break  # "15 soldiers dead": "dead" says what happened, it is not the noun
        if _JOINED.search(more.group("noun")) and _NUMBER_NEXT.match(text, more.end(), limit):
            break  # "7 people dead and wounded 12 others": two figures, two verbs
        before = _entry(noun_text)
        implied = (before.category or implied) if before.unit == "people" else implied
        noun_text = more.group("noun")
        subject = f"{subject} {noun_text}"
        end = more.end()
    if not m.group("adj").strip() and _longer_cue(text, start, end, limit):
        return Head(_PEOPLE, "people", start, partitive=bool(part))  # "hundreds dead and wounded"
    entry = _entry(noun_text)
    if entry.unit == "people" and entry.kind == "fighter":
        entry = _civilian_compound(subject, noun_text) or entry
    if entry.unit in ("people", "families"):  # "newly displaced families" too
        entry = _people_entry(entry, implied, subject, rx["fighter_after"].match(text, end, limit))
    return Head(entry, _norm(subject.translate(_NO_QUOTES)), end, partitive=bool(part))


def _civilian_compound(subject: str, noun_text: str) -> NounEntry | None:
    """A fighters' noun that its modifiers make a civilian one, though coordinated ones
    split the compound: "medical and civil defence personnel" (both "medical personnel" and
    "civil defence personnel"), "health and aid personnel"."""
    words, n = _norm(subject).split(), len(_norm(noun_text).split())
    head = words[-n:]
    wholes = [words[-k:] for k in range(n + 1, min(len(words), n + 3) + 1)]
    paired = [[w, *head] for w, nxt in zip(words, words[1:], strict=False) if nxt in ("and", "or")]
    for phrase in wholes + paired:
        found = nouns().get(" ".join(phrase))
        if found is not None and found.unit == "people" and found.kind == "civilian":
            return found
    return _staff_of_body(words[:-n])


_STAFF = NounEntry(unit="people", category=None, kind="civilian")


def _staff_of_body(before: list[str]) -> NounEntry | None:
    """The staff of a known organisation that does not fight ("12 UNRWA personnel", "UN
    personnel"): civilians, though the noun alone counts fighters. The name is the last one
    to four words before the noun, looked up in the alias table (sources.yaml)."""
    for k in range(1, min(len(before), 4) + 1):
        name = canonical_source(" ".join(before[-k:]))
        if name is not None:
            return None if name in _armed_organisations() else _STAFF
    return None


@cache
def _armed_organisations() -> frozenset[str]:
    return frozenset(vocab_list("categories", "armed_organisations"))


# a person's name: two to four capitalised words ("Ahmad Badawi", "Umm Ali al-Hassan")
_NAME = r"(?-i:[A-Z][\w’'-]+(?:\s+(?:al-|el-|bin\s+|abu\s+)?[A-Z][\w’'-]+){1,3})"
_NUMBER_NEXT = compile_rx(r"\s+(?:(?:to|of)\s+)?(?:[a-z]+\s+){0,2}?\d")
_JOINED = compile_rx(r"\s+(?:and|or)\s+")


def _split_pair_noun(text: str, m: re.Match[str], limit: int) -> int | None:
    """Where a two-word casualty noun ends after its first word: its second word governs a
    number of its own ("28 deaths and injuries to 139 people", "14 dead and injured 40
    others"), so the first figure counts the first word only."""
    joined = _JOINED.search(m.group("noun"))
    if joined is None or not _NUMBER_NEXT.match(text, m.end(), limit):
        return None
    return m.start("noun") + joined.start()


def _longer_cue(text: str, start: int, end: int, limit: int) -> bool:
    """True when the noun after a number is the start of a longer verb phrase ("dead and
    wounded"): the number has no noun, the phrase says what happened."""
    if _norm(text[start:end]) not in cues()["after"]:
        return False
    got = cue_after(text, start, limit)
    return got is not None and got[1] > end


def _implied_by_modifiers(adj: str) -> str | None:
    """What the words before the noun say happened to the people: "displaced Ukrainians",
    "wounded soldiers", "kidnapped women"."""
    implied = None
    for word in adj.lower().split():
        known = nouns().get(word)
        if known is not None and known.unit == "people" and known.category:
            implied = known.category
        elif word in cues()["after"]:
            implied = cues()["after"][word]
    return implied


def _people_entry(
    entry: NounEntry, implied: str | None, subject: str, fighter_after: re.Match[str] | None
) -> NounEntry:
    """A people noun, with what its modifiers add: the category they imply ("newly
    displaced people") and whether they make the people fighters ("security force members",
    "members of regime forces")."""
    category = entry.category or (implied if implied in _PEOPLE_CATS else None)
    kind = entry.kind
    if kind == "civilian" and (fighter_after or fighter_words(subject)):
        kind = "fighter"
    if (category, kind) == (entry.category, entry.kind):
        return entry
    return NounEntry(entry.unit, category, kind)


@cache
def _fighter_marker_rx() -> re.Pattern[str]:
    return compile_rx(rf"\b(?:{_alt('categories', 'fighter_markers')})\b", re.I)


def fighter_words(subject: str) -> bool:
    """Words that make people fighters ("regime forces", "militias"): categories.yaml."""
    return bool(_fighter_marker_rx().search(subject))


@cache
def _mixing_words() -> re.Pattern[str]:
    words = _alt("categories", "mixing_attack_words")
    return compile_rx(rf"\s+(?:and|or)\s+(?:[a-z\-]+\s+)?(?:{words})\b", re.I)


def joined_civilians(text: str, pos: int, limit: int) -> bool:
    """Civilians counted together with the fighters before them ("3,000 combatants and
    civilians"): the figure is not of fighters alone."""
    m = _regexes()["and_noun"].match(text, pos, limit)
    if m is None or any(ch.isdigit() for ch in m.group()):
        return False
    gap = m.group()[: m.start("noun") - m.start()].lower().split()[1:]
    if any(w in number_words().small or w in ("a", "an", "one") for w in gap):
        return False  # "three soldiers and two local journalists": a figure of its own
    entry = _entry(m.group("noun"))  # a plain noun of people: not "wounded", not "displaced"
    return entry.kind == "civilian" and entry.category is None and entry.unit == "people"


def coordinated_events(text: str, pos: int, limit: int) -> str | None:
    """The category of an event noun joined to the counted one ("airstrikes and artillery
    strikes"): the count holds both kinds."""
    if _mixing_words().match(text, pos, limit):
        return "attacks"  # "14 air strikes and shelling"
    m = _regexes()["and_noun"].match(text, pos, limit)
    if m is None:
        return None
    entry = _entry(m.group("noun"))
    return entry.category if entry.unit == "events" else None


def _entry(noun_text: str) -> NounEntry:
    noun = _norm(noun_text)
    found = nouns().get(noun) or nouns().get(noun.replace(" ", ""))
    return found or NounEntry("people", None, "civilian")


@cache
def _unknown_noun_rx() -> re.Pattern[str]:
    additive = _alt("links", "additive_after")
    stop = _alt("categories", "not_modifiers")
    # (a past tense is a verb, not an unknown noun: "of those killed, 52 participated")
    return compile_rx(
        rf"(?:\s+(?:{additive}|extra|new)\b)*+\s+(?!(?:{stop})\b|[a-z]+ed\b)[a-z][a-z’'\-]+\b"
    )


@cache
def _predicates() -> frozenset[str]:
    """Nouns that say what happened ("15 soldiers dead"): they end a noun phrase."""
    return frozenset(_norm(w) for w in vocab_list("categories", "predicate_nouns"))


def unknown_noun_after(text: str, pos: int, limit: int) -> bool:
    """True when a lower-case word we do not know follows the number ("170 junta outposts"):
    the figure counts something, but not anything in the vocabulary."""
    m = _unknown_noun_rx().match(text, pos, limit)
    if not m or cue_after(text, pos, limit):
        return False
    word = m.group().split()[-1].lower()
    return word not in cues()["after"] and word not in nouns()


def is_people_noun(noun: str) -> bool:
    """Whether a counted noun as written counts people or families ("displaced people")."""
    key = _norm(noun)
    entry = nouns().get(key) or nouns().get(key.replace(" ", ""))
    return entry is not None and entry.unit in ("people", "families")


def next_noun(text: str, pos: int) -> re.Match[str] | None:
    """A counted noun right at ``pos`` ("displaced people": the noun after an adjective)."""
    return _regexes()["next_noun"].match(text, pos)


@cache
def _after_gate() -> WordGate:
    """The 'after' cues alone: the pattern ends with one of them, so a stretch holding none
    cannot match it (six calls in ten fail, most of them for that reason)."""
    return WordGate(list(cues()["after"]))


def cue_after(text: str, pos: int, limit: int) -> tuple[str, int] | None:
    """The category named by a verb right after the noun phrase ("were killed") and its end."""
    if _after_gate().shut(text, pos, limit):
        return None
    m = _regexes()["after"].match(text, pos, limit)
    if not m:
        return None
    cue = m.group("cue")
    joined = _JOINED.search(cue)
    if joined and _NUMBER_NEXT.match(text, m.end(), limit):  # "14 dead and injured 40 others"
        shorter = _regexes()["after"].match(text, pos, m.start("cue") + joined.start())
        if shorter:
            m, cue = shorter, shorter.group("cue")
    table = cues()["after"]
    # ("with life-saving": a cue written with its hyphen)
    category = table.get(_norm(cue).replace(" ", " ")) or _cue_lookup(table, cue)
    return (category, m.end()) if category else None


def _cue_lookup(table: Mapping[str, str], phrase: str) -> str | None:
    key = " ".join(phrase.lower().split())
    return table.get(key) or table.get(key.replace("-", " "))


def cues_in(text: str, start: int, end: int) -> list[tuple[int, int, str]]:
    """Every 'before' cue in a span (start, end, category): computed once per sentence."""
    table = cues()["before"]
    out = []
    low = text[start:end].lower()
    if len(low) != end - start:  # lower-casing changed the length: use the slow pattern
        for m in _regexes()["before"].finditer(text, start, end):
            category = _cue_lookup(table, m.group("cue"))
            if category:
                out.append((m.start(), m.end(), category))
        return out
    for m in _regexes()["before_low"].finditer(low):
        a = m.start()
        if a > 0 and (low[a - 1].isalnum() or low[a - 1] == "_"):
            continue
        category = _cue_lookup(table, m.group("cue"))
        if category:
            out.append((start + a, start + m.end(), category))
    return out


def cue_before(
    text: str, floor: int, pos: int, found: list[tuple[int, int, str]] | None = None
) -> tuple[str, int] | None:
    """The nearest category cue between ``floor`` and the number at ``pos``, and its offset.
    ``found`` is the sentence's cue list when the caller has it already."""
    if found is None:
        found = cues_in(text, floor, pos)
    best = None
    for s, e, category in found:
        if s >= floor and e <= pos:
            best = (category, s)
    return best


# "raised the death toll to 900 and injuries to 2,100": the toll has its number; the
# figure after the second "to" counts the noun in front of it
_PAIRED_TO = compile_rx(
    r"\bto\s+\d[\d,.]*(?:\s+[a-z]+)?\s*,?\s+and\s+(?:the\s+)?[a-z-]+(?:\s+[a-z-]+)?\s+to\s+$"
)


@cache
def _number_of_gate() -> WordGate:
    return WordGate(vocab_list("categories", "number_of"))


def number_of_before(text: str, floor: int, pos: int) -> tuple[Head, str | None] | None:
    """ "the number of displaced ... reached 10,446", "the death toll rose to 130"."""
    rx = _regexes()
    found = None
    # both patterns open with a word boundary, so they are tried at every position: first
    # a cheap exact test that the stretch holds their words (a phrase of ``number_of``;
    # "toll" or "roll", whose letters no other character folds to)
    if not _number_of_gate().shut(text, floor, pos):
        for m in rx["number_of"].finditer(text, floor, pos):
            found = m
    toll = None
    if "oll" in text[floor:pos].lower():
        for m in rx["toll"].finditer(text, floor, pos):
            toll = m
    if toll and (not found or toll.start() > found.start()):
        if _PAIRED_TO.search(text, toll.end(), pos):
            return None
        return Head(NounEntry("people", "killed", "civilian"), "people", pos), "killed"
    if not found or _PAIRED_TO.search(text, found.end(), pos):
        return None
    noun, end = found.group("noun"), found.end()
    # the head is the last noun of the phrase ("the number of civilian casualties")
    while (more := rx["next_noun"].match(text, end, pos)) is not None:
        if _norm(more.group("noun")) in _predicates():
            break
        noun, end = more.group("noun"), more.end()
    noun = _norm(noun)
    entry = nouns().get(noun)
    if entry is None:
        category = load_yaml("categories")["number_of_nouns"].get(noun)
        entry = NounEntry("people", category, "civilian")
    return Head(entry, _norm(text[found.start("np") : end]), pos), entry.category


def override_for(kind: str, unit: str, clause: str) -> str | None:
    """A verb in the clause that changes a facility or place count's category."""
    key = "facilities" if unit == "facilities" else kind
    for category, rx in _override_regexes().get(key, ()):
        if rx.search(clause):
            return category
    return None


@cache
def _override_regexes() -> dict[str, tuple[tuple[str, re.Pattern[str]], ...]]:
    """One compiled pattern per (noun kind, category), in the order the vocabulary lists them."""
    return {
        key: tuple(
            (category, compile_rx(rf"\b(?:{phrase_pattern(list(verbs))})\b", re.I))
            for category, verbs in table.items()
        )
        for key, table in noun_verb_overrides().items()
    }


def is_people_category(category: str | None) -> bool:
    return category in _PEOPLE_CATS


@cache
def _meaning_regexes() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    noun_alt = phrase_pattern(list(nouns())).replace(r"\s+", r"[\s\-]+")
    return (
        compile_rx(
            rf"\b(?:{_alt('categories', 'no_meaning_before')})\s+(?:[\w’'\-]+\s+){{0,3}}$", re.I
        ),
        compile_rx(
            # "two aid workers and several camp residents said": speakers joined by "and"
            rf"(?:\s+[\w’'\-]+){{0,2}}?(?:\s+and\s+(?:[\w’'\-]+\s+){{0,3}}?[\w’'\-]+)?"
            rf"\s+(?:{_alt('categories', 'no_meaning_after')})\b",
            re.I,
        ),
        compile_rx(rf"\b(?P<noun>{noun_alt})\b", re.I),
    )


@cache
def _met_list_rx() -> re.Pattern[str]:
    met = _alt("categories", "no_meaning_before")
    return compile_rx(rf"\b(?:{met})\s(?P<gap>[^.;:]{{0,200}}?)\bincluding\b[^.;:]*$", re.I)


_HARM_IN_GAP = compile_rx(
    r"\b(?:kill|dead|die|death|injur|wound|displac|fled|flee|detain|arrest)", re.I
)


def met_list_before(text: str, floor: int, start: int) -> bool:
    """A part listed after "including" in a count of people only met or heard, with no
    harm said between ("interviewed 38 people by telephone, including 27 victims and
    witnesses, 3 relatives of victims, 4 journalists")."""
    # the pattern needs "including" (any case): skip the search, tried at every word of the
    # stretch, when its letters "clud" are not there (no other character folds to them)
    if "clud" not in text[floor:start].lower():
        return False
    m = _met_list_rx().search(text, floor, start)
    return m is not None and _HARM_IN_GAP.search(m.group("gap")) is None


@cache
def _attackers_after() -> re.Pattern[str]:
    """An active verb of attack after the people counted, with no auxiliary between."""
    aux = _alt("categories", "auxiliaries")
    verbs = _alt("categories", "attacker_verbs")
    return compile_rx(rf"(?:\s+(?!(?:{aux})\b)[\w’'\-]+){{0,3}}?\s+(?:{verbs})\b", re.I)


def no_meaning_around(text: str, floor: int, start: int, end: int, limit: int) -> bool:
    """True when the verb before or after a people count only says they were met, heard or
    seen ("interviewed 151 residents", "about 30 gunmen carried out the attack")."""
    before, after, _ = _meaning_regexes()
    return bool(
        before.search(text[max(floor, start - 60) : start])
        or after.match(text, end, limit)
        or _attackers_after().match(text, end, limit)
    )


_BRACKETED = compile_rx(r"\(\s*$")


def attackers_after(text: str, end: int, limit: int) -> bool:
    """An active verb of attack right after the people counted ("about 100 extremists
    entered the town"): they are the attackers."""
    return _attackers_after().match(text, end, limit) is not None


def no_meaning_before(text: str, floor: int, start: int) -> bool:
    """True when the words right before a people count say they are only met, heard or
    housed ("interviewed 151 residents", "a camp prepared for 5,000 IDPs")."""
    lo = max(floor, start - 60)
    if _no_meaning_gate().shut(text, lo, start):
        return False  # none of the words (the pattern opens with one): most counts
    return bool(_meaning_regexes()[0].search(text[lo:start]))


@cache
def _no_meaning_gate() -> WordGate:
    """The words ``no_meaning_before`` opens with (its first pattern's list), for a cheap
    exact test before the pattern, which is tried at every position of the stretch."""
    return WordGate(vocab_list("categories", "no_meaning_before"))


_ITEM_BREAK = compile_rx(r"[;(–—]")


def is_bracketed(text: str, floor: int, start: int, end: int) -> bool:
    """The number stands alone in brackets ("Aleppo (2,410)")."""
    opened = _BRACKETED.search(text, max(floor, start - 3), start)
    return bool(opened) and text[end : end + 1] == ")"


def bracketed_noun(
    text: str, floor: int, limit: int, start: int, end: int
) -> tuple[str, str, str] | None:
    """A count in brackets after a name ("air raids were recorded in Raymah (3)", "Aleppo
    (2,410)") counts the thing the sentence names: the nearest counted noun before it,
    else after it. (unit, category, subject), or None when the number is not bracketed."""
    if not is_bracketed(text, floor, start, end):
        return None
    found = list(_meaning_regexes()[2].finditer(text, floor, limit))
    before = [m for m in found if m.end() <= start]
    # a noun after the bracket counts only in its own item ("Aleppo (2,410) IDPs"), not past
    # the next item ("Al Bab (75) in Aleppo; ... Mahmoudli camp (23)" counts no camps)
    after = [m for m in found if m.start() >= end and not _ITEM_BREAK.search(text, end, m.start())]
    # "displacements from affected areas of Syria, including Idleb (425,077)": the areas
    # hold what is counted; a noun of a known kind before them is what the list counts
    # (not across people named after it: "... attacks, ... with children accounting for a
    # significant portion (35,295)" counts children)
    people = [m.end() for m in before if _entry(m.group("noun")).unit == "people"]
    told = [
        m
        for m in before
        if _entry(m.group("noun")).category not in (None, "other")
        and m.start() >= max(people, default=-1)
    ]
    for m in told[-1:] + before[-1:] + after[:1]:
        entry = _entry(m.group("noun"))
        if entry.category:
            return entry.unit, entry.category, _norm(m.group("noun"))
    return None


@cache
def _air_rx() -> tuple[frozenset[str], re.Pattern[str]]:
    ambiguous = frozenset(_norm(w) for w in vocab_list("categories", "air_ambiguous"))
    return ambiguous, compile_rx(rf"\b(?:{_alt('categories', 'air_context')})\b", re.I)


@lru_cache(maxsize=4)
def _speaks_of_air_war(text: str) -> bool:
    return bool(_air_rx()[1].search(text))


def air_strikes_meant(text: str, subject: str) -> bool:
    """True when a bare "strikes" or "bombings" means air strikes: the report speaks of an
    air war (the answer is cached per document text)."""
    words = subject.split()
    return bool(words) and words[-1] in _air_rx()[0] and _speaks_of_air_war(text)
