"""The words Arabic place names are read with: the vocabulary of ``data/vocab/ar/places.yaml``,
the gazetteer's Arabic name keys, and the tests on one token or two that ``ArabicPlaces``
asks of every word (is it a name's first word, a direction, a counted noun, the tail
of a name). Cached, as the same words come back across a document.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from functools import cache, lru_cache

from crisisdesk.extract.arabic_lexicon import cue_of, noun_of, tables
from crisisdesk.extract.arabic_numbers import numbers_vocab
from crisisdesk.extract.arabic_reading import ArabicText
from crisisdesk.extract.arabic_text import quoted_name
from crisisdesk.extract.compiled import compile_rx
from crisisdesk.extract.tokens import Token, fold, folded_alternation, stems
from crisisdesk.geo.gazetteer import bundled_path
from crisisdesk.geo.normalise import key
from crisisdesk.vocab import load_lang_yaml

_ARABIC = compile_rx("[\u0600-\u06ff]")
_ARABIC_GLOB = "*[\u0600-\u06ff]*"  # a key with a letter of the Arabic block
# proclitics a place name may carry: "وإدلب", "بإدلب", "لحلب", "وبحلب"
_PLACE_PROCLITICS = frozenset({"و", "ب", "ل", "وب", "ول"})


@dataclass(frozen=True, slots=True)
class _Words:
    generic: frozenset[str]
    lists: frozenset[str]
    region: frozenset[str]
    compass: frozenset[str]
    directions: frozenset[str]
    names: frozenset[str]
    destinations: frozenset[str]
    not_names: frozenset[str]
    names_folded: frozenset[str]
    destination_verbs: frozenset[str]
    anaphora: dict[str, str]
    name_heads: frozenset[str]
    not_after_generic: frozenset[str]
    person_titles: frozenset[str]
    adjective_names: frozenset[str]
    actor_verbs: frozenset[str]
    list_items: tuple[tuple[str, ...], ...]  # longest first


@cache
def _words() -> _Words:
    d = load_lang_yaml("ar", "places")

    def s(k: str) -> frozenset[str]:
        return frozenset(" ".join(fold(str(w)).split()) for w in d[k])

    return _Words(
        s("generic"),
        s("generic_lists"),
        s("region"),
        s("compass"),
        s("directions"),
        frozenset(key(str(w)) for w in d["names"]),
        s("destinations"),
        frozenset(key(str(w)) for w in d["not_names"]),
        s("names"),
        s("destination_verbs"),
        {" ".join(fold(str(k)).split()): str(v) for k, v in d["anaphora"].items()},
        s("name_heads"),
        s("not_after_generic"),
        s("person_titles"),
        s("adjective_names"),
        s("actor_verbs"),
        tuple(sorted((tuple(x.split()) for x in s("list_item_before")), key=len, reverse=True)),
    )


@cache
def _seat_words() -> tuple[re.Pattern[str], re.Pattern[str]]:
    d = load_lang_yaml("ar", "places")
    return (
        compile_rx(rf"(?<![^\W\d_])(?:{folded_alternation(d['seat_before'])})\s*$"),
        compile_rx(rf"\s*(?:{folded_alternation(d['seat_after'])})(?![^\W\d_])"),
    )


@cache
def _locator() -> re.Pattern[str]:
    """ "(30 كم " right before a name: the distance of a bracketed locator."""
    units = sorted({fold(str(w)) for w in load_lang_yaml("ar", "places")["locator_units"]}, key=len)
    alt = "|".join(map(re.escape, reversed(units)))
    return compile_rx(rf"\(\s*[0-9\u0660-\u0669\u06f0-\u06f9.,]+\s*(?:{alt})\s*$")


@cache
def _credit() -> re.Pattern[str]:
    """ "مراسل صدى الشام في " right before a name: where a reporter or activist is."""
    words = sorted({fold(str(w)) for w in load_lang_yaml("ar", "places")["credit_before"]}, key=len)
    alt = "|".join(map(re.escape, reversed(words)))
    return compile_rx(
        # the outlet's name may stand in quotation marks ('مراسل “حلب اليوم” في')
        rf"(?<![^\W\d_])و?(?:ال)?(?:{alt})(?:\s+[\"“«]?[^\s\u060c,.:\"“”«»]+[\"”»]?){{0,2}}\s+(?:في\s+|ب)$"
    )


@cache
def _facility() -> re.Pattern[str]:
    """A hospital's or an outlet's word right before a name ("مستشفى الروضة", "تلفزيون
    سوريا"): the name is the hospital's or the outlet's."""
    vocab = load_lang_yaml("ar", "places")
    words = [*vocab["facility_before"], *vocab.get("outlet_before", ())]
    alt = "|".join(sorted({re.escape(fold(str(w))) for w in words}))
    return compile_rx(rf"(?<![^\W\d_])[وبل]?(?:ال)?(?:{alt})\s+[\"“«]?$")


@cache
def spoke_from() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """ "قالت المسؤولة، من بورتسودان، إن": where a speaker spoke from, set off by commas
    right before what was said (the text before the name, the text after it)."""
    said = load_lang_yaml("ar", "places")["said_after"]
    alt = "|".join(sorted({re.escape(fold(str(w))) for w in said}, key=len, reverse=True))
    return compile_rx(r"[،,]\s*من\s*$"), compile_rx(rf"\s*[،,]\s*(?:{alt})(?![^\W\d_])")


@cache
def _venue() -> re.Pattern[str]:
    """ "مؤتمر صحافي من السراي الحكومي، " right before a name, with no colon, quote or
    "إن/أن" between: where the statement is made."""
    words = load_lang_yaml("ar", "places")["venue_before"]
    alt = "|".join(sorted({r"\s+".join(map(re.escape, fold(str(w)).split())) for w in words}))
    return compile_rx(rf"(?<![^\W\d_])(?:{alt})(?![^\W\d_])(?:(?![:\"“«]|\s[إا]ن\s)[^.])*$")


@cache
def _parties() -> re.Pattern[str]:
    """ "الاتفاق الموقع بين تركيا وروسيا", "التفاهم بين موسكو وأنقرة": states (or their
    capitals) named as the parties of an agreement, right after its "بين" or "و"."""
    words = load_lang_yaml("ar", "places")["parties_of"]
    alt = "|".join(sorted({re.escape(fold(str(w))) for w in words}))
    return compile_rx(
        rf"(?<![^\W\d_])(?:ال)?(?:{alt})\w*(?:\s+[^\s.،,]+){{0,3}}\s+بين(?:\s+[^\s.،,]+\s+و)?\s*$"
    )


@cache
def _names_with_places() -> re.Pattern[str]:
    """ "قوات سوريا الديمقراطية", "شبكة “دير الزور 24”": a proper name with a place written
    in it (a listed one, or one in quotation marks after a network's or outlet's word)."""
    words = load_lang_yaml("ar", "places")["names_with_places"]
    alt = "|".join(sorted({r"\s+".join(map(re.escape, fold(str(w)).split())) for w in words}))
    return compile_rx(rf"(?<![^\W\d_])(?:{alt})(?![^\W\d_])|{quoted_name()}")


@cache
def _left_out() -> re.Pattern[str]:
    """ "لا تشمل مستشفيات محافظة شمال قطاع غزة", "باستثناء مدينة X": a place left out."""
    words = load_lang_yaml("ar", "places")["left_out"]
    alt = "|".join(sorted({r"\s+".join(fold(str(w)).split()) for w in words}))
    return compile_rx(rf"(?<![^\W\d_])(?:{alt})(?:\s+[^\s.،,]+){{0,2}}\s+$")


@cache
def _gazetteer_keys() -> frozenset[str]:
    """The gazetteer's name keys written in Arabic script (a few thousand), read once.

    Countries are left out: a text names them as actors as often as as places ("قصف
    طائرات روسيا", "المدعومين من إيران"); the countries figures happen in are listed in
    ``places.yaml`` (``names``), and the geo stage resolves every country's Arabic name.
    SQLite picks the keys (GLOB's character range is by code point, the same test as
    ``_ARABIC``): the other hundred thousand keys never reach Python."""
    path = bundled_path()
    with sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True) as con:
        rows = con.execute(
            "SELECT DISTINCT n.key FROM names n JOIN places p ON p.rowid = n.place"
            " WHERE n.form = 1 AND n.key GLOB ? AND p.kind != 'country'",
            (_ARABIC_GLOB,),
        ).fetchall()
    return frozenset(k for (k,) in rows)


@lru_cache(maxsize=32768)
def _bare(norm: str) -> tuple[tuple[int, str], ...]:
    """The token with its proclitics off (letters cut, rest); the token itself first."""
    return tuple((len(norm) - len(s), s) for s in stems(norm) if norm.endswith(s))


@lru_cache(maxsize=32768)
def _destination_verb(norm: str) -> bool:
    """A token that is a destination verb with its proclitics off ("توزيعهم"): cached,
    as ``_add`` asks it of the seven tokens before every place."""
    verbs = _words().destination_verbs
    return any(x in verbs for _, x in _bare(norm))


@lru_cache(maxsize=32768)
def _direction(norm: str) -> bool:
    """A direction adjective with its proclitics off ("والجنوبي")."""
    directions = _words().directions
    return any(s in directions for _, s in _bare(norm))


@cache
def _first_words() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """First words of the known names (as keys and as folded text) and of the anaphora:
    a token that starts none of them is looked up no further."""
    w = _words()
    keys = frozenset(k.split()[0] for k in _gazetteer_keys() | w.names if k)
    folded = frozenset(n.split()[0] for n in w.names_folded if n)
    anaphora = frozenset(a.split()[0] for a in w.anaphora)
    return keys, folded, anaphora


@lru_cache(maxsize=32768)
def _may_start(first: str) -> bool:
    keys, folded, _ = _first_words()
    if first in folded:
        return True
    k = key(first)
    return bool(k) and k.split()[0] in keys


@lru_cache(maxsize=32768)
def _inert(norm: str) -> bool:
    """Whether a token opens nothing ``ArabicPlaces._read`` looks for (no region, compass or
    generic word with its clitics off, no anaphor, no known name): most tokens, passed
    over with one cached look-up instead of reading them."""
    w = _words()
    bare = _bare(norm)
    if any(s in w.region or s in w.compass or s in w.generic for _, s in bare):
        return False
    return norm not in _first_words()[2] and not any(_may_start(f) for _, f in bare)


@lru_cache(maxsize=65536)
def _known_name(norm: str, rest: str, n: int, strict: bool) -> int:
    """``ArabicPlaces._known`` for the words themselves (the first, with its clitics, and
    the ``n - 1`` after it): cached, as the same words come back across a document."""
    w = _words()
    if norm[:3] in ("وال", "بال") and _known_name(norm[1:], rest, n, strict) == 0:
        return 1  # "والرقة": the key drops "وال" as an article, yet the و is a conjunction
    for cut, first in _bare(norm):
        if cut and norm[:cut] not in _PLACE_PROCLITICS:
            continue  # "فرقه" is "his teams", not ف + الرقة
        if not _may_start(first):
            continue
        name = f"{first} {rest}".strip()
        k = key(name)
        if name in w.names_folded:
            return cut
        if n == 1 and (k in w.not_names or first in w.generic or first in w.region):
            return -1
        if n == 1 and strict and (_common(first) or len(first) < 3):
            return -1
        if k in _gazetteer_keys():
            return cut
    return -1


def _joined_tail(at: ArabicText, i: int, quotes: str = "") -> bool:
    """Whether token ``i`` can be the second word of a name: written right after the word
    before (a space only), no "و" opening it, no counted noun, cue, generic, region,
    compass or particle word ("بلدة تل في ريف", "عين وقرية"); ``quotes`` may open it."""
    toks = at.tokens
    if at.text[toks[i - 1].end : toks[i].start].strip().strip(quotes).strip():
        return False
    norm = toks[i].norm
    w = _words()
    bare = {x for _, x in _bare(norm)}
    return (
        not norm.startswith("و")
        and _ARABIC.search(norm) is not None
        and not _vocab_word(norm)
        and norm not in w.not_after_generic
        and norm not in w.destinations
        and not bare & (w.generic | w.region | w.compass)
        and not _direction(norm)
    )


def _construct_tail(toks: list[Token], i: int) -> bool:
    """ "حي شعب الدباء", "حي حوض الأشرف": an unknown name is mostly two words, the second
    definite; a definite adjective of relation ("حي المطار السكني") or a word of the
    vocabularies is none."""
    if i >= len(toks):
        return False
    norm = toks[i].norm
    w = _words()
    return (
        norm.startswith("ال")
        and not norm.endswith(("يه", "ي"))
        and norm not in w.not_after_generic
        and not _direction(norm)
    )


@cache
def _common(norm: str) -> bool:
    """A word of the extractor's own vocabulary (a counted noun, a cue): not a name."""
    t = tables()
    return norm in t.nouns or norm in t.cues or noun_of(norm) is not None and len(norm) < 4


def _relation_adjective(generic: Token, word: Token) -> bool:
    """An indefinite adjective of relation (nisba, "-ي", "-ية") after an indefinite generic
    word: "حي سكني" is a residential quarter, not a quarter called Sakani, and "أحياء سكنية"
    residential quarters, "بلدة حدودية" a border town. Names after a generic word carry the
    article or are no adjective ("حي الميدان", "بلدة تلمنس")."""
    w = word.norm
    # a feminine generic word takes "-ية" ("بلدة حدودية"): after it a word in "-ي" is a
    # name ("مدينة كادوقلي"), not its adjective
    masculine = not generic.norm.endswith("ه")
    return (
        not generic.norm.startswith("ال")
        and not w.startswith("ال")
        and w not in _words().name_heads  # "حي وادي القاضي": a name's first word
        and (w.endswith("ي") and len(w) >= 4 and masculine or w.endswith("يه") and len(w) >= 5)
    )


def _purpose(toks: list[Token], b: int) -> bool:
    """ "مركز مؤقت لإيواء النازحين في مدينة الفاشر", "مركز إيواء بحي درجة": "(for) sheltering"
    after a facility names what the facility is for; the place after it is where the facility
    stands."""
    if not toks[b].norm.startswith("ل"):  # the construct: the facility right before it
        n = noun_of(toks[b - 1].norm) if b > 0 else None
        return n is not None and n[1].unit == "facilities"
    nouns = (noun_of(t.norm) for t in toks[max(0, b - 2) : b])
    return any(n is not None and n[1].unit == "facilities" for n in nouns)


_TARGET_WORDS = 6  # words of a second target before its place ("ومنازل مدنيين على أطراف قرية")


def _second_target(between: list[str], lead: frozenset[str]) -> bool:
    """ "استهدف القصف مزرعة في قرية X، ومنازل على أطراف قرية Y": after the comma a second
    target of the same strike (a building or site noun first, no cue word, no number of its
    own), ending with the word for what the place is: the same event, both places its own."""
    words = [fold(x) for x in between]
    first = noun_of(words[0]) if words else None
    return (
        1 < len(words) <= _TARGET_WORDS
        and first is not None
        and first[1].unit == "facilities"
        and words[-1] in lead
        and not any(c.isdigit() for x in words for c in x)
        and not any(cue_of(x) for x in words)
    )


def _counted(toks: list[Token], k: int) -> bool:
    """A generic word right after a number ("في ثلاث مدن", "ضمن 73 مخيماً") is the counted
    noun: the word after it opens no name of its own."""
    if k == 0:
        return False
    prev = toks[k - 1].norm
    if any(c.isdigit() for c in prev):
        return True
    nv = numbers_vocab()
    return any(x in nv.units or x in nv.tens or x in nv.hundreds for x in stems(prev))


@cache
def _vocab_word(norm: str) -> bool:
    """A counted noun or cue word with its clitics off ("للنازحين"): not a name."""
    return noun_of(norm) is not None or cue_of(norm) is not None


def _offset_after(text: str, tok: Token, letters: int) -> int:
    """The offset in ``text`` after ``letters`` folded letters of ``tok``."""
    pos, seen = tok.start, 0
    while seen < letters and pos < tok.end:
        if fold(text[pos]):
            seen += 1
        pos += 1
    while pos < tok.end and not fold(text[pos]):
        pos += 1
    return pos


@cache
def theatre_names() -> dict[str, str]:
    """Folded names of a country or theatre, each to its first spelling ("سورية" -> "سوريا")."""
    out: dict[str, str] = {}
    for group in load_lang_yaml("ar", "places")["theatres"]:
        names = [fold(str(w)) for w in group]
        out.update({n: names[0] for n in names})
    return out


@cache
def ranked_next() -> tuple[str, ...]:
    """Words after a comma that open the next item of a ranking ("، تلتها", "، ثم")."""
    return tuple(fold(str(w)) for w in load_lang_yaml("ar", "places")["ranked_next"])


@cache
def event_told_before() -> re.Pattern[str]:
    """ "بأن القصف أدى إلى": the attack named with its article alone, folded."""
    words = load_lang_yaml("ar", "places")["event_told_before"]
    alt = "|".join(sorted({re.escape(fold(str(w))) for w in words}, key=len, reverse=True))
    return compile_rx(rf"(?<![^\W\d_])[وبفل]?(?:{alt})(?![^\W\d_])")


@cache
def same_event() -> re.Pattern[str]:
    """ "في القصف ذاته", "في الهجوم نفسه": the event the sentence before told, folded."""
    words = load_lang_yaml("ar", "places")["same_event"]
    alt = "|".join(sorted({r"\s+".join(map(re.escape, fold(str(w)).split())) for w in words}))
    return compile_rx(rf"(?<![^\W\d_])(?:في|ب|جراء|نتيجة)\s*(?:{alt})(?![^\W\d_])")
