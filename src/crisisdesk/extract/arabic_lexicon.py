"""The Arabic phrase tables, folded and indexed once: counted nouns (with their duals),
cue words, hedges and link words, from ``data/vocab/ar/*.yaml``.

Every look-up tries the readings of a token with its clitics taken off
(tokens.stems), so the data lists a word once. Look-ups are dictionary hits per
token, never a scan of the vocabulary per sentence.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache

from crisisdesk.extract.tokens import enclitics, fold, stems
from crisisdesk.vocab import load_lang_yaml

__all__ = [
    "ArNoun",
    "cue_at",
    "cue_of",
    "dual_of",
    "noun_of",
    "phrases",
    "tables",
]


@dataclass(frozen=True, slots=True)
class ArNoun:
    """A counted noun: its unit, the category it implies (None: read from a cue) and the
    English subject a report shows."""

    unit: str
    category: str | None
    subject: str
    kind: str = "civilian"


@dataclass(frozen=True, slots=True)
class _Tables:
    nouns: dict[str, ArNoun]
    duals: dict[str, ArNoun]
    cues: dict[str, str]
    modifiers: dict[str, str]
    overrides: tuple[tuple[frozenset[int], frozenset[str], str], ...]  # noun ids, next words
    people_categories: frozenset[str]
    # duals that count only without the article ("حالتي وفاة" two deaths; "في الحالتين" in
    # both cases named before)
    indefinite_duals: frozenset[str] = frozenset()


def _dual_forms(word: str, sound_plural: bool) -> list[str]:
    """The dual of a folded singular: -ان/-ين (-تان/-تين after a ta marbuta), and the
    construct -تي of a feminine noun ("سيارتي إسعاف"). A noun whose plural also ends in
    -ين is read as two only from its -ان form."""
    if word.endswith("ه"):
        base = word[:-1] + "ت"
        return [base + "ان", base + "ين", base + "ي"]
    if word.endswith("ي") and sound_plural:  # مدني -> مدنيان
        return [word + "ان"]
    return [word + "ان"] if sound_plural else [word + "ان", word + "ين"]


@cache
def tables() -> _Tables:
    data = load_lang_yaml("ar", "categories")
    nouns: dict[str, ArNoun] = {}
    duals: dict[str, ArNoun] = {}
    indefinite: set[str] = set()
    for entry in data["nouns"]:
        noun = ArNoun(
            unit=str(entry["unit"]),
            category=entry.get("category"),
            subject=str(entry["subject"]),
            kind=str(entry.get("kind", "civilian")),
        )
        words = [fold(str(w)) for w in entry["words"]]
        for w in words:
            nouns.setdefault(w, noun)
        if entry.get("dual", True):
            # the singular is the first word of the entry and any other word not a plural
            for w in words[:1] + [w for w in words[1:] if w.endswith("ه")]:
                for d in _dual_forms(w, bool(entry.get("sound_plural"))):
                    if d not in nouns:
                        duals.setdefault(d, noun)
                        if entry.get("dual") == "indefinite":
                            indefinite.add(d)
    # the construct duals the place words list as openers of a list of names ("منطقتي
    # سرمدا ودانا", the areas of Sarmada and Dana) name places; they count nothing
    for w in load_lang_yaml("ar", "places")["generic_lists"]:
        duals.pop(fold(str(w)), None)
    cues = {fold(str(w)): cat for cat, ws in data["cues"].items() for w in ws}
    modifiers = {fold(str(k)): str(v) for k, v in data["noun_modifiers"].items()}
    overrides = tuple(
        (
            frozenset(id(nouns[fold(str(n))]) for n in o["nouns"]),
            frozenset(fold(str(n)) for n in o["next"]),
            str(o["category"]),
        )
        for o in data["noun_overrides"]
    )
    people = frozenset(data["people_categories"])
    return _Tables(nouns, duals, cues, modifiers, overrides, people, frozenset(indefinite))


@lru_cache(maxsize=16384)
def noun_of(norm: str) -> tuple[str, ArNoun] | None:
    """The counted noun a folded token is (with its clitics off), and the stem it matched."""
    t = tables().nouns
    for s in stems(norm):
        if s in t:
            return s, t[s]
    return None


@lru_cache(maxsize=16384)
def dual_of(norm: str) -> ArNoun | None:
    """The noun a folded token is the dual of ("بغارتين" -> air strikes), or None."""
    t = tables()
    if noun_of(norm) is not None and norm in t.nouns:
        return None
    for s in stems(norm):
        if s in t.indefinite_duals and "ال" in norm[: norm.find(s)]:
            return None  # "في الحالتين": the two named before, no count
        if s in t.duals:
            return t.duals[s]
        # a dual before a pronoun drops its nun: "ابنيه" (his two sons), "طفلاها"
        # (never after the article: "الصاروخيه" is the adjective "الصاروخية", folded)
        if (
            s != norm
            and norm.endswith(enclitics())
            and s + "ن" in t.duals
            and "ال" not in norm[: norm.find(s)]
        ):
            return t.duals[s + "ن"]
    return None


@lru_cache(maxsize=16384)
def cue_of(norm: str) -> str | None:
    """The category a cue word says (killed, injured, displaced...), or None."""
    t = tables().cues
    for s in stems(norm):
        if s in t:
            return t[s]
    return None


@cache
def _qad() -> tuple[frozenset[str], frozenset[str], frozenset[str], frozenset[str]]:
    d = load_lang_yaml("ar", "categories")
    words = frozenset(fold(str(w)) for w in d["qad_particle"])
    verbs = frozenset(fold(str(w)) for w in d["qad_verbs"])
    lose = frozenset(fold(str(w)) for w in d["lose_verbs"])
    lives = frozenset(fold(str(w)) for w in d["lost_lives"])
    return words, verbs, lose, lives


def cue_at(norms: Sequence[str], k: int) -> str | None:
    """The cue of the ``k``-th word, read with the word after it: "فقد" before a verb in the
    past is "ف" + "قد" ("فقد بلغ", "فقد ذكر الوزير أن ...": nothing lost), losing one's
    life ("فقدوا حياتهم") is being killed, and crossing a border ("عبرت 40 عائلة حدود
    البلاد", "ممن عبروا الحدود") is fleeing."""
    c = cue_of(norms[k])
    if k + 1 >= len(norms):
        return c
    particle, verbs, lose, lives = _qad()
    nxt = norms[k + 1]
    if norms[k] in lose and not lives.isdisjoint(stems(nxt)):
        return "killed"
    if c is None and norms[k] in _crossing()[0]:
        return "displaced" if any(w in _crossing()[1] for w in norms[k + 1 : k + 5]) else None
    if (
        c == "missing"
        and norms[k] in particle
        and (nxt in verbs or cue_of(nxt) or _verb_before_figure(norms, k + 1))
    ):
        return None
    return c


@cache
def _crossing() -> tuple[frozenset[str], frozenset[str]]:
    d = load_lang_yaml("ar", "categories")["crossing"]
    return frozenset(fold(str(w)) for w in d["verbs"]), frozenset(
        fold(str(w)) for w in d["borders"]
    )


@cache
def _hedge_starts() -> frozenset[str]:
    d = load_lang_yaml("ar", "qualifiers")
    return frozenset(
        fold(str(p)).split()[0] for key in ("at_least", "at_most", "approx") for p in d[key]
    )


def _verb_before_figure(norms: Sequence[str], j: int) -> bool:
    """The ``j``-th word stands between "فقد" and a figure ("فقد غادر 70 شخصاً", "فقد رحلت
    قرابة 40 عائلة"): a counted noun comes after its number (the words here
    hold no digits), so a word before the counted noun or the hedge that is no noun itself is
    the verb of the sentence, and "فقد" its particle."""
    if j + 1 >= len(norms) or noun_of(norms[j]) is not None:
        return False
    after = norms[j + 1]
    return noun_of(after) is not None or after in _hedge_starts()


@cache
def phrases(file: str, key: str) -> tuple[tuple[str, ...], ...]:
    """A list of phrases from an Arabic vocabulary file, each as its folded words,
    longest first."""
    raw = load_lang_yaml("ar", file)[key] or []
    out = {tuple(fold(str(p)).split()) for p in raw}
    return tuple(sorted(out, key=len, reverse=True))


def matches_word(norm: str, word: str, first: bool) -> bool:
    """A folded token is ``word``; the first word of a phrase may carry proclitics."""
    return norm == word or (first and word in stems(norm))
