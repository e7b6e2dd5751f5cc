"""An unnamed settlement a figure is set in, named in the sentences right after.

News copy opens on "an attack on a village" or "attacks on two villages" and names them
next ("The gunmen attacked the village of X", "Tuesday's attacks on X and Y villages"):
the figure is about the villages named there, so they join its places. The settlement
words and the counts are data (places.yaml ``named_next_nouns``, numbers of one to five).
"""

from __future__ import annotations

import re
from functools import cache

from crisisdesk.extract.compiled import compile_rx
from crisisdesk.extract.draft import DocState, Draft
from crisisdesk.extract.places import PlaceMention
from crisisdesk.extract.text import Sentence
from crisisdesk.vocab import phrase_pattern, vocab_list

_REACH = 4  # sentences after the figure's where the settlements are named
_HARMS = ("killed", "injured", "fighters_killed", "missing", "detained")
_COUNTS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5}


@cache
def _unnamed_rx() -> re.Pattern[str]:
    """ "a village", "two villages", "a northern town": a count, up to two words, the noun."""
    nouns = phrase_pattern(vocab_list("places", "named_next_nouns"))
    counts = "|".join(_COUNTS)
    return compile_rx(rf"\b(?P<count>{counts})\s+(?:[a-z-]+\s+){{0,2}}?(?P<noun>{nouns})s?\b")


def name_unnamed_settlements(state: DocState, drafts: list[Draft]) -> None:
    """Give a figure set in "a village" / "two villages" the villages the next sentences name
    with the same word, before the places it already has."""
    scene: tuple[list[str], Sentence] | None = None  # the opening's settlement, named
    for d in drafts:
        m = _unnamed_rx().search(state.low, d.clause[0], d.clause[1])
        if m is None:
            continue
        count = _COUNTS[m.group("count")]
        names = _named_after(state, d.sentence.index, m.group("noun"), count)
        if names:
            if d.sentence.index == 0 and scene is None:
                scene = names, d.sentence
            _name_first(d, names)
    if scene is not None:
        _name_the_scene(drafts, *scene)


def _name_first(d: Draft, names: list[str]) -> None:
    d.places = (*names, *(p for p in d.places if p not in names))
    d.place_spans = ()


def _name_the_scene(drafts: list[Draft], names: list[str], lead: Sentence) -> None:
    """ "Warplanes struck a town in northwestern Syria, killing 10 ... // The assault on
    Ariha, a town in Idlib province, ...": the story's scene is the town; its later counts
    that took their places from the opening alone (none of their own) are about it too."""
    for d in drafts:
        if d.sentence.index == lead.index or not d.place_spans or set(names) & set(d.places):
            continue
        if all(lead.start <= a and b <= lead.end for a, b in d.place_spans):
            _name_first(d, names)


def name_attacked_settlement(state: DocState, drafts: list[Draft]) -> None:
    """Give a harm count whose sentence names no place the settlement the sentence right
    before says was attacked ("The gunmen attacked the village of X early Monday. // 'We
    have counted 25 bodies'", "... attacked the village of X. // ..., they killed 48"),
    before the places it already has (the document's)."""
    for d in drafts:
        i = d.sentence.index
        if i == 0 or d.category not in _HARMS:
            continue
        if state.sentence_places(i):
            continue  # its own sentence names where
        names = _attacked_before(state, state.sents[i - 1])
        if names:
            d.places = (*names, *(p for p in d.places if p not in names))
            d.place_spans = ()


def _attacked_before(state: DocState, s: Sentence) -> list[str]:
    """The settlements a sentence says were attacked ("attacked the village of X", "stormed
    the X village"): a verb of attacking (places.yaml actor_verbs) shortly before the name."""
    out: list[str] = []
    for p in state.sentence_places(s.index):
        nouns = vocab_list("places", "named_next_nouns")
        if not any(_introduced_as(state.low, p, n) for n in nouns):
            continue
        if _attack_verb().search(state.low, max(s.start, p.start - 40), p.start):
            out.append(p.name)
    return out


@cache
def _attack_verb() -> re.Pattern[str]:
    verbs = phrase_pattern(vocab_list("places", "actor_verbs"))
    return compile_rx(rf"\b(?:{verbs})\s+(?:the\s+)?(?:[a-z-]+\s+){{0,2}}?(?:of\s+)?$")


def _named_after(state: DocState, index: int, noun: str, count: int) -> list[str]:
    """The first ``count`` places the next sentences introduce with ``noun`` ("the village
    of X", "X village", "X and Y villages"), in order, each once."""
    out: list[str] = []
    low = state.low
    for s in state.sents[index + 1 : index + 1 + _REACH]:
        for p in state.sentence_places(s.index):
            if _introduced_as(low, p, noun) and p.name not in out:
                out.append(p.name)
        if len(out) >= count:
            break
    return out[:count]


def _introduced_as(low: str, p: PlaceMention, noun: str) -> bool:
    before = low[max(0, p.start - 24) : p.start]
    after = low[p.end : p.end + 60]
    word = re.escape(noun)
    return (
        re.search(rf"\b{word}s?\s+of\s+(?:the\s+)?$", before) is not None
        or re.match(rf"(?:\s+and\s+[\w’' -]{{1,30}}?)?\s+{word}s?\b", after) is not None
        or p.name.lower().endswith(" " + noun)
        # "Ariha, a town in Idlib province": the name, then what it is
        or re.match(rf",\s+an?\s+(?:[\w-]+\s+){{0,2}}?{word}\b", after) is not None
        # "the camp in Qah": the one settlement of that kind the story is about, placed
        or re.search(rf"\bthe\s+{word}\s+(?:in|at|near)\s+$", before) is not None
    )


__all__ = ["name_attacked_settlement", "name_unnamed_settlements"]
