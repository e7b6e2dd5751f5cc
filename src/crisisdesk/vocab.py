"""Vocabularies as data: loads ``data/vocab/*.yaml`` once and hands out frozen views.

Everything that is language or theatre specific (number words, cue verbs,
organisation aliases, place words) lives in those files so that a new conflict
or publisher needs an edit to data, not to code. Loaded data is immutable and
cached with ``functools.cache``; nothing here is mutable module state.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from types import MappingProxyType
from typing import Any

from crisisdesk.errors import ConfigError
from crisisdesk.kept import Kept
from crisisdesk.model import Source

VOCAB_PACKAGE = "crisisdesk"
# Parsed files and phrase patterns, kept between runs (keyed by the file's text, the
# phrase list): parsing and building them was a fifth of the start-up of ``extract-file``.
_KEPT = Kept("vocab", __file__)


def parse_yaml(raw: str) -> Any:
    """YAML text parsed with a safe loader, kept between runs; a ValueError with the
    parser's message when the text is not valid YAML."""
    data = _KEPT.get(("yaml", raw))
    if data is None:
        # imported here: a run whose files are all kept does not load the parser
        import yaml

        # libyaml's safe loader reads the vocabularies about ten times faster than the
        # pure-Python one; the same data either way
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        try:
            data = yaml.load(raw, Loader=loader)  # noqa: S506 - a safe loader, libyaml's
        except yaml.YAMLError as exc:
            raise ValueError(str(exc)) from exc
        _KEPT.put(("yaml", raw), data)
    return data


@cache
def load_yaml(name: str) -> MappingProxyType[str, Any]:
    """One vocabulary file (``name`` without ``.yaml``), parsed; a ConfigError if broken."""
    where = f"data/vocab/{name}.yaml"
    try:
        folder = resources.files(VOCAB_PACKAGE) / "data" / "vocab"
        *sub, last = name.split("/")
        for part in sub:
            folder = folder / part
        raw = (folder / f"{last}.yaml").read_text("utf-8")
    except (FileNotFoundError, OSError) as exc:
        raise ConfigError("vocabulary file is missing", where=where) from exc
    try:
        data = parse_yaml(raw)
    except ValueError as exc:
        raise ConfigError(f"vocabulary file is not valid YAML: {exc}", where=where) from exc
    if not isinstance(data, dict):
        raise ConfigError("vocabulary file must be a mapping at the top level", where=where)
    return MappingProxyType(data)


@cache
def load_lang_yaml(lang: str, name: str) -> MappingProxyType[str, Any]:
    """One vocabulary file of a language other than English: ``data/vocab/<lang>/<name>.yaml``.

    English keeps its files at the top of ``data/vocab`` (the first language); every
    other language is a folder of the same kinds of file, so adding a language is
    adding a folder."""
    if not re.fullmatch(r"[a-z]{2,3}", lang):
        raise ConfigError(f"not a language code: {lang!r}", where="data/vocab")
    return load_yaml(f"{lang}/{name}")


@cache
def words(name: str, key: str) -> tuple[str, ...]:
    """A list of phrases from a vocabulary file, as a tuple (longest first, lower case).
    Cached: some readers ask for their list at every figure, and sorting it each time was
    1-17 us a call (a few hundred calls a hundred thousand characters)."""
    value = load_yaml(name).get(key)
    if not isinstance(value, list):
        raise ConfigError(f"'{key}' must be a list", where=f"data/vocab/{name}.yaml")
    return tuple(sorted({str(v) for v in value}, key=lambda s: (-len(s), s)))


def phrase_pattern(
    phrases: tuple[str, ...] | list[str], space: str = r"\s+", lower: bool = True
) -> str:
    """A regex alternation for phrases, built as a trie so that Python's ``re`` picks the
    branch by its first character (several times faster than a flat alternation).
    Longer phrases are tried first; a space in a phrase matches ``space``. Meant for
    case-insensitive patterns: phrases are lower-cased unless ``lower`` is False.
    The same list is asked for by several patterns: the answer is cached."""
    return _phrase_pattern(frozenset(phrases), space, lower)


@cache
def _phrase_pattern(phrases: frozenset[str], space: str, lower: bool) -> str:
    key = ("phrases", tuple(sorted(phrases)), space, lower)
    pattern = _KEPT.get(key)
    if pattern is None:
        pattern = _trie_pattern(phrases, space, lower)
        _KEPT.put(key, pattern)
    return pattern


def _trie_pattern(phrases: frozenset[str], space: str, lower: bool) -> str:
    trie: dict[str, dict] = {}
    for phrase in phrases:
        words = (phrase.lower() if lower else phrase).split()
        if not words:
            continue
        node = trie
        for ch in " ".join(words):
            node = node.setdefault(ch, {})
        node[""] = {}
    if not trie:
        return "(?!)"
    return "(?:" + _emit(trie, space) + ")"


# After a word's first letter: the character before that letter is no word character, which
# is what ``\b`` before the letter says.
_AFTER_WORD_START = r"(?<![\w][\s\S])"


def word_led(*alternatives: str) -> str:
    r"""``\b(?:a|b|...)`` for alternatives that each open with a lower-case letter, written so
    that the regex engine skips ahead to those letters: a pattern that opens with ``\b`` is
    tried at every character, one whose branches open with letters only where they stand.
    The boundary becomes a look-behind after the first letter (the same matches, tried in
    the same order). Worth it in a pattern without IGNORECASE (the engine skips ahead only
    by case-sensitive letters) whose alternatives open with few letters; a list opening
    with most letters ("said|reported|added|...") is faster with the plain ``\b``."""
    for alt in alternatives:
        if not ("a" <= alt[:1] <= "z") or alt[1:2] in ("?", "*", "+", "{"):
            raise ValueError(f"word_led: {alt!r} must open with a lower-case letter, unrepeated")
    return "(?:" + "|".join(f"{a[0]}{_AFTER_WORD_START}{a[1:]}" for a in alternatives) + ")"


def opening_letters(phrases: Iterable[str]) -> str:
    r"""``(?=(?i:[ac]))``: a look-ahead for the first letters of ``phrases``, case-blind, to
    open a branch ``\b(?i:...)`` of those phrases. Where none of them stands the branch
    fails at once, before the boundary test and the look-behinds of the branches after it,
    which the engine otherwise tries at every character (the same matches: the branch
    needs one of those letters there)."""
    firsts = sorted({p.split()[0][0].lower() for p in phrases if p.split()})  # as the trie
    return "(?=(?i:[" + "".join(re.escape(c) for c in firsts) + "]))"


def _emit(node: dict[str, dict], space: str) -> str:
    """The pattern of a trie node; a run of nodes with one child each is written in a loop
    (the same text as one call per node, with far fewer calls)."""
    out = []
    while True:
        keys = [k for k in node if k]
        if not keys:
            break
        ends = "" in node
        if len(keys) == 1 and not ends:
            ch = keys[0]
            out.append(space if ch == " " else re.escape(ch))
            node = node[ch]
            continue
        branches = [
            (space if ch == " " else re.escape(ch)) + _emit(node[ch], space) for ch in sorted(keys)
        ]
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if ends:
            body = "(?:" + body + ")?" if len(branches) == 1 else body + "?"
        out.append(body)
        break
    return "".join(out)


# --- sources ---------------------------------------------------------------


_DOTTED = re.compile(r"(?<![a-z])(?:[a-z]\.){2,}")  # a dotted acronym: "u.n.", "u.s."
_NON_KEY = re.compile(r"[^a-z0-9&]+")  # compiled once: a key is made per name read


def _source_key(name: str) -> str:
    """Comparable form of an organisation name: ascii, lower case, no 'the', defence spelling."""
    name = name.replace("’", "'").replace("‘", "'")  # "Children’s" as "Children's"
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    text = text.replace("defense", "defence").replace("'s", "")
    text = text.replace("organization", "organisation")  # British and American spellings
    text = text.replace(" & ", " and ")  # "Protection & Return Monitoring Network"
    text = _DOTTED.sub(lambda m: m.group().replace(".", ""), text)  # "u.n." as "un"
    tokens = [t for t in _NON_KEY.split(text) if t and t != "the"]
    return " ".join(tokens)


@cache
def _sources() -> tuple[Source, ...]:
    data = load_yaml("sources")
    out = []
    for i, entry in enumerate(data.get("organisations") or ()):
        if not isinstance(entry, dict) or not entry.get("name"):
            raise ConfigError(f"organisation #{i + 1} has no name", where="data/vocab/sources.yaml")
        reliability = float(entry.get("reliability", 0.5))
        if not 0.0 <= reliability <= 1.0:
            raise ConfigError(
                f"reliability of {entry['name']!r} must be within 0..1",
                where="data/vocab/sources.yaml",
            )
        aliases = tuple(str(a) for a in entry.get("aliases") or ())
        out.append(Source(name=str(entry["name"]), aliases=aliases, reliability=reliability))
    return tuple(out)


def load_sources() -> list[Source]:
    """Every organisation in the alias table, with its canonical name and reliability."""
    return list(_sources())


@cache
def _alias_index() -> MappingProxyType[str, str]:
    index: dict[str, str] = {}
    for source in _sources():
        for name in (source.name, *source.aliases):
            index.setdefault(_source_key(name), source.name)
    return MappingProxyType(index)


@lru_cache(maxsize=8192)
def canonical_source(name: str) -> str | None:
    """The canonical name of an organisation as written ("White Helmets" -> "Syrian Civil
    Defence"), or None when the alias table does not know it. Cached (bounded): the key
    (Unicode normalisation, several substitutions) is a few microseconds, and the same names
    come back in every document."""
    if not name or not name.strip():
        return None
    return _alias_index().get(_source_key(name))


def source_reliability(name: str) -> float | None:
    """Reliability 0..1 of a canonical or aliased organisation, None when unknown."""
    canonical = canonical_source(name)
    for source in _sources():
        if source.name == canonical:
            return source.reliability
    return None


# --- numbers ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class NumberWords:
    """Number words with their values, for the number parser."""

    small: MappingProxyType[str, int]  # one..nineteen, twenty..ninety
    scales: MappingProxyType[str, int]  # hundred, thousand, million, dozen
    digit_scales: MappingProxyType[str, int]
    fractions: MappingProxyType[str, float]
    vague: tuple[str, ...]
    vague_needs_of: frozenset[str]


@cache
def number_words() -> NumberWords:
    data = load_yaml("numbers")
    small = {**(data.get("units") or {}), **(data.get("tens") or {})}
    return NumberWords(
        small=MappingProxyType({str(k): int(v) for k, v in small.items()}),
        scales=MappingProxyType({str(k): int(v) for k, v in (data.get("scales") or {}).items()}),
        digit_scales=MappingProxyType(
            {str(k): int(v) for k, v in (data.get("digit_scales") or {}).items()}
        ),
        fractions=MappingProxyType(
            {str(k): float(v) for k, v in (data.get("fractions") or {}).items()}
        ),
        vague=words("numbers", "vague"),
        vague_needs_of=frozenset(words("numbers", "vague_needs_of")),
    )


# --- counted nouns and cues ------------------------------------------------


@dataclass(frozen=True, slots=True)
class NounEntry:
    """What a counted noun tells on its own."""

    unit: str
    category: str | None
    kind: str  # civilian, fighter, generic, place


@cache
def nouns() -> MappingProxyType[str, NounEntry]:
    """Counted nouns (lower case, single spaces) -> unit, implied category and kind.

    Later entries do not override earlier ones, so the file lists specific
    phrases where they matter."""
    out: dict[str, NounEntry] = {}
    for i, entry in enumerate(load_yaml("categories").get("nouns") or ()):
        try:
            item = NounEntry(str(entry["unit"]), entry.get("category"), str(entry["kind"]))
            phrases = entry["words"]
        except (KeyError, TypeError) as exc:
            raise ConfigError(
                f"noun entry #{i + 1} needs words, unit and kind",
                where="data/vocab/categories.yaml",
            ) from exc
        for phrase in phrases:
            low = " ".join(str(phrase).lower().split())
            out.setdefault(low, item)
            # heads are looked up with hyphens as spaces ("surface to surface missiles")
            out.setdefault(" ".join(low.replace("-", " ").split()), item)
    return MappingProxyType(out)


@cache
def cues() -> MappingProxyType[str, MappingProxyType[str, str]]:
    """{'after': {phrase: category}, 'before': {phrase: category}}; the first category listed
    wins."""
    after: dict[str, str] = {}
    before: dict[str, str] = {}
    for category, sides in (load_yaml("categories").get("cues") or {}).items():
        for phrase in sides.get("after") or ():
            after.setdefault(" ".join(str(phrase).lower().split()), str(category))
        for phrase in sides.get("before") or ():
            before.setdefault(" ".join(str(phrase).lower().split()), str(category))
    return MappingProxyType({"after": MappingProxyType(after), "before": MappingProxyType(before)})


@cache
def noun_verb_overrides() -> MappingProxyType[str, MappingProxyType[str, tuple[str, ...]]]:
    raw = load_yaml("categories").get("noun_verb_overrides") or {}
    return MappingProxyType(
        {
            str(kind): MappingProxyType({str(c): tuple(v) for c, v in cats.items()})
            for kind, cats in raw.items()
        }
    )


def vocab_list(name: str, key: str) -> tuple[str, ...]:
    """Shorthand for ``words`` used by the extractor modules."""
    return words(name, key)


@cache
def month_numbers() -> MappingProxyType[str, int]:
    return MappingProxyType({str(k): int(v) for k, v in load_yaml("periods")["months"].items()})


@cache
def weekday_numbers() -> MappingProxyType[str, int]:
    return MappingProxyType({str(k): int(v) for k, v in load_yaml("periods")["weekdays"].items()})


@cache
def countries() -> frozenset[str]:
    return frozenset(str(c) for c in load_yaml("places").get("countries") or ())
