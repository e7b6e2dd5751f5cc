"""National bodies: the country a document is about, and the names of the bodies it
leaves unqualified.

The country is the one the text names most, counting its name and its demonym
("Lebanon", "Lebanese"); countries and demonyms are data (sources.yaml ``demonyms``).
A minister's title stands for the ministry, and a ministry every country has, named
bare, is the document country's ("Lebanese Ministry of Public Health").
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable
from functools import cache, lru_cache
from typing import TYPE_CHECKING

from crisisdesk.extract.compiled import compile_rx
from crisisdesk.extract.place_leads import held_by_word
from crisisdesk.vocab import (
    canonical_source,
    load_yaml,
    month_numbers,
    phrase_pattern,
    vocab_list,
    weekday_numbers,
)

if TYPE_CHECKING:
    from crisisdesk.geo.gazetteer import Gazetteer


@cache
def _table() -> tuple[re.Pattern[str], dict[str, str]]:
    """One pattern for every country name and demonym, and the demonym of each word."""
    demonyms = {str(k): str(v) for k, v in (load_yaml("sources").get("demonyms") or {}).items()}
    of_word = {}
    for country, demonym in demonyms.items():
        of_word[country] = demonym
        of_word.setdefault(demonym, demonym)
    rx = compile_rx(rf"\b(?:{phrase_pattern(list(of_word), lower=False)})\b")
    return rx, of_word


def is_national_word(word: str) -> bool:
    """A country name or demonym ("lebanese", "Syria"), in any case."""
    return word.lower() in _national_words()


@cache
def _national_words() -> frozenset[str]:
    return frozenset(w.lower() for w in _table()[1])


def places_demonym(text: str) -> str | None:
    """The demonym of the country most of the text's places lie in (``GeoContext``), if
    one stands out; the sides named by what they fight with are left out (``document_demonym``)."""
    from crisisdesk.geo.context import GeoContext, demonym_of

    rx, _ = _table()
    side = _belligerent()
    unsided = rx.sub(
        lambda m: " " * len(m.group()) if side.match(text, m.end()) else m.group(), text
    )
    # a month or a weekday is no place, whatever village carries its name ("said in March":
    # a hamlet in Afghanistan)
    unsided = _calendar_words().sub(lambda m: " " * len(m.group()), unsided)
    country = GeoContext.from_text(unsided, bundled_gazetteer()).main_country
    return demonym_of(country) if country else None


@cache
def _calendar_words() -> re.Pattern[str]:
    """Month and weekday names as written (capitalised), read from the vocabulary."""
    words = [w.title() for w in (*month_numbers(), *weekday_numbers()) if len(w) > 3]
    # each name led by its capital, the boundary before it a look-behind after it: the
    # engine skips ahead to those capitals instead of trying every character (the same
    # matches, tried in the same order; the whole text is scanned)
    ordered = sorted(words, key=lambda w: len(re.escape(w)), reverse=True)
    return compile_rx(
        "(?:"
        + "|".join(f"{re.escape(w[0])}(?<![\\w][\\s\\S]){re.escape(w[1:])}" for w in ordered)
        + ")\\b"
    )


@cache
def bundled_gazetteer() -> Gazetteer:
    """The bundled gazetteer, opened once per process (read-only)."""
    from crisisdesk.geo.gazetteer import Gazetteer

    return Gazetteer.open()


def document_demonym(text: str) -> str | None:
    """The demonym of the country the text names most (None when it names none); a tie
    goes to the country named first. A side named by what it fights with ("Israeli
    strikes", "Russian forces") is not counted: the report is about where they struck
    (sources.yaml ``belligerent_nouns``)."""
    rx, of_word = _table()
    side = _belligerent()
    counts: Counter[str] = Counter(
        of_word[m.group()] for m in rx.finditer(text) if not side.match(text, m.end())
    )
    if not counts:
        return None
    return counts.most_common(1)[0][0]


@cache
def _belligerent() -> re.Pattern[str]:
    """What follows a demonym that names a side (see ``document_demonym``): one of
    sources.yaml ``belligerent_nouns``, perhaps after one lower-case word ("Syrian
    government forces")."""
    nouns = phrase_pattern(vocab_list("sources", "belligerent_nouns"), lower=False)
    return compile_rx(rf"(?:-led|-backed)?(?:\s+[a-z][\w-]*)?\s+(?:{nouns})\b")


def national_name(name: str, demonym: Callable[[], str | None]) -> str:
    """A national body as the gold names it: a minister's title stands for the ministry
    ("Minister of Public Health" -> "Ministry of Public Health"), and a ministry every
    country has, named without its country, is the document's ("Lebanese Ministry of
    Public Health"); a known name from the table wins. ``demonym`` reads the document's
    country (only called when a name needs it)."""
    title = ministry_title(name)
    if title:
        name = "Ministry" + name[title.end() :]
    portfolio = _portfolio_ministry(name)
    country = demonym() if portfolio else None
    if country:
        name = f"{country} Ministry of {portfolio}"
    return canonical_source(name) or name


def national_body(
    text: str, a: int, b: int, body: str, demonym: Callable[[], str | None]
) -> tuple[int, int, str] | None:
    """A body every country has, read at ``text[a:b]`` ("civil defence"), with the country
    written next to it ("Palestinian Civil Defence", "Gaza's civil defence", "the civil
    defence in Lebanon"; the span grows over it), else the document's: (start, end, name).
    None for a body bound to its country (sources.yaml ``country_bound_bodies``) with no
    country, or ending a longer name ("Kachin Independence Army")."""
    of_word = _table()[1]
    before_rx, after_rx = _beside()
    country = None
    bound = body in _country_bound()
    before = before_rx.search(text[max(0, a - 40) : a])
    if bound and not before and _NAME_BEFORE.search(text, max(0, a - 40), a):
        return None
    if not before and body in _written_only():
        return None
    if before:
        written = re.sub(r"['’]s$|-based$", "", before.group().strip())
        country = of_word[written]
        a -= len(before.group())
        # "the Gaza-based health ministry": the body the table names by its place
        local = (
            canonical_source(f"{body} in {written}")
            if before.group().strip().endswith("-based")
            else None
        )
        if local:
            return a, b, local
    elif _THE_COUNTRYS.search(text, max(0, a - 40), a):
        # "Palestine's WAFA agency reported citing the country's health ministry": the
        # country named last before it; but the troops' own country when it counts a
        # nation's troops ("Five Turkish troops were killed in Syria's Idlib, the country's
        # National Defense Ministry said")
        named = list(_table()[0].finditer(text, max(0, a - 240), a))
        troops = [m for m in named if _belligerent().match(text, m.end())]
        named = troops or named
        country = of_word[named[-1].group()] if named else None
    else:
        after = after_rx.match(text[b : b + 72])
        if after:
            country = of_word[after.group(1)]
            b += after.end()
            # a body the table names by its place ("Ministry of Health in Gaza")
            local = canonical_source(f"{body} in {after.group(1)}")
            if local:
                return a, b, local
    if not before and not bound:
        authority = _authority_acronym(text, a)
        if authority:  # "GNA Ministry of Health", "KRG Ministry of Interior": whose ministry
            return a - len(authority.group()), b, f"{authority.group('acr')} {_titled(body)}"
    country = country or _named_before(text, a, body) or demonym()
    if bound and not country:
        return None
    body = _titled(body)
    name = f"{country} {body}" if country else body
    return a, b, canonical_source(name) or name


def _titled(body: str) -> str:
    return " ".join(w if w in _LOWER else w[:1].upper() + w[1:] for w in body.split())


# the acronym of a government or authority written right before a body ("GNA", "KRG", "PA")
_ACRONYM_BEFORE = compile_rx(r"(?<![\w.])(?P<acr>[A-Z]{2,5})\s+$")


def _authority_acronym(text: str, a: int) -> re.Match[str] | None:
    """The acronym of the authority a body belongs to, written right before it ("the GNA
    Ministry of Health"): part of the body's name, as a country's name would be (not a
    generic acronym such as "NGO")."""
    m = _ACRONYM_BEFORE.search(text, max(0, a - 8), a)
    if m is None or m.group("acr") in vocab_list("sources", "generic_acronyms"):
        return None
    return m


def _named_before(text: str, a: int, body: str) -> str | None:
    """The country the text gave this body when it named it before ("The Israeli army
    said ... // ..., the army said"): the same body, not the document's country's."""
    ends, words = _bodies_with_country(text, body)
    k = bisect_right(ends, a) - 1
    if k < 0:
        return None
    rx, of_word = _table()
    word = rx.match(words[k]) or rx.search(words[k])
    return of_word.get(word.group()) if word else None


@lru_cache(maxsize=8)
def _bodies_with_country(text: str, body: str) -> tuple[list[int], list[str]]:
    """Where the text names this body with a country before it ("Israel's army"), by end,
    and each such naming: found once per text and body, not once per figure (a long report
    asks for "the army" at every figure)."""
    words = r"\s+".join(re.escape(w) for w in body.split())
    ends: list[int] = []
    found: list[str] = []
    if compile_rx(rf"\s+{words}\b", re.I).search(text) is None:
        return ends, found  # the body never named (what every naming ends with): a cheap test
    rx = _table()[0]
    for m in compile_rx(rf"(?:{rx.pattern})(?:['’]s)?\s+{words}\b", re.I).finditer(text):
        ends.append(m.end())
        found.append(m.group())
    return ends, found


_LOWER = frozenset({"of", "and", "for", "the"})  # words a name keeps in lower case
_NAME_BEFORE = compile_rx(r"[A-Z][\w’'-]*\s+$")  # a capitalised word just before a body


@cache
def _country_bound() -> frozenset[str]:
    """sources.yaml ``country_bound_bodies``, read once."""
    return frozenset(vocab_list("sources", "country_bound_bodies"))


@cache
def _written_only() -> frozenset[str]:
    """sources.yaml ``written_country_bodies``: bodies only with their country just before."""
    return frozenset(vocab_list("sources", "written_country_bodies"))


# (a word of the body's own name may come first: "the country's National Defense Ministry")
_THE_COUNTRYS = compile_rx(r"\bthe\s+country['’]s\s+(?:[A-Z][\w-]*\s+)?$", re.I)


@cache
def _beside() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """A country written before a body ("Gaza's", "Gaza-based"), and after it ("the
    Ministry of Health (MoH) in Gaza": its acronym may come first); compiled once, kept
    between runs."""
    rx = _table()[0]
    return (
        compile_rx(rf"(?:{rx.pattern})(?:['’]s|-based)?\s+$"),
        compile_rx(
            rf"(?:\s*\([A-Za-z]{{2,10}}\))?\s+(?:in|of)\s+(?:the\s+)?(?:{held_by_word()}\s+)?"
            rf"({rx.pattern})"
        ),
    )


def is_ministry(text: str, title: re.Match[str], b: int) -> bool:
    """A minister's title that stands for a ministry: "Minister of X", not "Prime Minister"."""
    lead = _tables()["not_ministry"].search(text, max(0, title.start() - 20), title.start())
    return lead is None and ministry_title(text[title.start() : b]) is not None


def ministry_title(name: str) -> re.Match[str] | None:
    """ "Minister of X" at the start of a name (not "Prime Minister of X")."""
    return _tables()["minister_of"].match(name)


def _portfolio_ministry(name: str) -> str | None:
    """The portfolio of a bare "Ministry of Health" (one every country has), else None."""
    m = _tables()["portfolio"].fullmatch(name)
    return m.group(1) if m else None


@cache
def minister_titles() -> frozenset[str]:
    """The titles of sources.yaml ``minister_titles``, read once."""
    return frozenset(vocab_list("sources", "minister_titles"))


@cache
def _tables() -> dict[str, re.Pattern[str]]:
    """Patterns for the national bodies of ``_national``."""
    titles = phrase_pattern(vocab_list("sources", "minister_titles"), lower=False)
    portfolios = phrase_pattern(vocab_list("sources", "common_portfolios"), lower=False)
    return {
        "minister_of": compile_rx(rf"{titles}(?=\s+of\s)"),
        "portfolio": compile_rx(rf"Ministry\s+of\s+({portfolios})"),
        "not_ministry": compile_rx(
            rf"\b(?:{phrase_pattern(vocab_list('sources', 'not_ministries'), lower=False)})\s+$"
        ),
    }


@cache
def national_bodies() -> dict[str, str]:
    """The bodies every country has, by comparable key, each with the name it is built on:
    sources.yaml ``national_bodies`` ("civil defence" -> "Civil Defence") and the ministries
    of ``common_portfolios`` in the ways news writes them ("health ministry", "Ministry of
    Health", "Health Minister" -> "Ministry of Health")."""
    out: dict[str, str] = {}
    for written, body in national_body_forms():  # the first spelling names the body
        out.setdefault(body_key(written), body)
    return out


def national_body_forms() -> list[tuple[str, str]]:
    """Every written form of a national body, with the name it is built on."""
    forms = [(str(b), str(b)) for b in vocab_list("sources", "national_bodies")]
    for portfolio in vocab_list("sources", "common_portfolios"):
        ministry = f"Ministry of {portfolio}"
        forms += [
            (f, ministry) for f in (ministry, f"{portfolio} Ministry", f"{portfolio} Minister")
        ]
    return forms


def body_key(name: str) -> str:
    """A national body's name as compared: lower case, one spacing, "defense" as "defence"."""
    return " ".join(name.lower().replace("defense", "defence").split())
