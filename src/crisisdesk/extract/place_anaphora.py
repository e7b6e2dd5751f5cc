"""Words that point at a place instead of naming it: "there", "in the area", "across the
country", "in the two regions", and a headline that opens on a conflict's country as its
topic ("Syria war: ..."). Read with the patterns of ``places._regexes``, each behind an
exact word gate; ``placing.py`` decides what they point at.
"""

from __future__ import annotations

from functools import cache

from crisisdesk.extract.compiled import compile_rx
from crisisdesk.extract.places import PlaceMention, _regexes
from crisisdesk.extract.prescan import WordGate
from crisisdesk.vocab import vocab_list


@cache
def _gates() -> dict[str, WordGate]:
    """Exact cheap tests before the three anaphora patterns (each opens with a phrase)."""
    return {
        key: WordGate(vocab_list("places", words))
        for key, words in (
            ("frame", "frame_anaphora"),
            ("country", "country_anaphora"),
        )
    } | {"anaphora": WordGate([*vocab_list("places", "anaphora"), *_held_words()])}


def _held_words() -> list[str]:
    """ "held", "controlled": the words of "the rebel-held town" a gate can look for."""
    return [s.lstrip("-") for s in vocab_list("places", "control_suffixes")]


def _points(key: str, text: str, start: int, end: int) -> bool:
    if _gates()[key].shut(text, start, end):
        return False
    return _regexes()[key].search(text, start, end) is not None


def frame_anaphora_in(text: str, start: int, end: int) -> bool:
    """True when the span points at the document's own places ("in the two regions")."""
    return _points("frame", text, start, end)


def country_anaphora_in(text: str, start: int, end: int) -> bool:
    """True when the span points at a whole country ("across the country", "nationwide")."""
    return _points("country", text, start, end)


def topic_in_title(title: str, name: str) -> bool:
    """Whether a headline opens by naming ``name`` as the topic of a conflict ("Syria crisis
    is a test...", "Syria war: ..."): a comment on the whole conflict, not the scene of
    what it reports."""
    at = len(title) - len(title.lstrip(" \"'“‘"))
    return title.startswith(name, at) and bool(_regexes()["topic"].match(title, at + len(name)))


def anaphor_placed(text: str, start: int, end: int, names: list[PlaceMention]) -> bool:
    """Whether an anaphor in the span is narrowed by a place it names right after it ("by the
    strikes in Kharkiv city"): those strikes are the ones there, not the ones before."""
    if _gates()["anaphora"].shut(text, start, end):
        return False
    for m in _regexes()["anaphora"].finditer(text, start, end):
        lead = _NARROWED.match(text, m.end(), end)
        if lead is not None and any(p.start == lead.end() for p in names):
            return True
    return False


_NARROWED = compile_rx(r"\s+(?:in|on|at)\s+(?:the\s+)?(?:(?:city|town|village)\s+of\s+)?")


def anaphora_in(text: str, start: int, end: int) -> bool:
    """True when the span points back to a place ("there", "in this area")."""
    return _points("anaphora", text, start, end)


def anaphor_kind(text: str, start: int, end: int) -> str | None:
    """The kind of place an anaphor in the span names ("the province", "the rebel-held
    town": places.yaml ``held_anaphora_nouns``), which the place it stands for is named as
    when the text names one so ("Daraa province")."""
    if _gates()["anaphora"].shut(text, start, end):
        return None
    for m in _regexes()["anaphora"].finditer(text, start, end):
        word = m.group().lower().split()[-1]
        if word in _kinds():
            return word
    return None


@cache
def _kinds() -> frozenset[str]:
    return frozenset(vocab_list("places", "held_anaphora_nouns"))
