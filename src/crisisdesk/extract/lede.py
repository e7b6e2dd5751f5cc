"""Where a news report's opening sets its scene, for the figures after it that name no place.

News copy states the scene once, in its first sentence or two: a headline that names only a
country ("... kills three in central Ukraine region") stands over an opening that names the
country and places in it ("hit Ukraine's central Kirovohrad region"), or over an opening that
names only the country and a second sentence that names where the attack struck ("the attack
on Izghe village"). Those finer places are what the report's later sentences are about.
``placing.document_frame`` reads them.
"""

from __future__ import annotations

import re
from functools import cache

from crisisdesk.extract.compiled import compile_rx
from crisisdesk.extract.draft import DocState
from crisisdesk.extract.place_names import is_country, place_words
from crisisdesk.extract.places import PlaceMention
from crisisdesk.vocab import phrase_pattern, vocab_list


def opening_within(tail: list[str], opening: list[PlaceMention]) -> bool:
    """A headline naming only a country over an opening that names the same country and
    places in it: the opening's places frame the report, with the country."""
    if not tail or not all(is_country(t) for t in tail):
        return False
    same = [o for o in opening if any(_same_place(t, o.name) for t in tail)]
    return bool(same) and any(not is_country(o.name) for o in opening)


def first_scene(
    state: DocState, opening: list[PlaceMention], later: list[list[PlaceMention]]
) -> list[PlaceMention]:
    """The lede of the first of the sentences after the opening that names a scene (see
    ``lede_places``), the ones before it naming no place but a country: wire copy often puts
    a sentence or two of background ("The country has been in turmoil since the coup")
    between its opening and the sentence that says where the attack struck."""
    for places in later:
        lede = lede_places(state, opening, places)
        if lede:
            return lede
        if not all(is_country(p.name) for p in places):
            return []
    return []


def lede_places(
    state: DocState, opening: list[PlaceMention], second: list[PlaceMention]
) -> list[PlaceMention]:
    """An opening that names only its country, with the places of the second sentence where
    an event struck ("Dozens were shot dead in northeast Nigeria. // An official said 50
    were killed in the attack on Izghe village"); nothing when the second names no scene
    (places an event struck, not places counts are spread over: "mostly in the suburbs")."""
    if not all(is_country(o.name) for o in opening):  # (an opening naming no place too)
        return []
    scene = [p for p in second if _event_on(state.low, p)]
    return _unique(opening + scene) if scene else []


@cache
def _event_on_rx() -> re.Pattern[str]:
    """An event noun and its preposition right before a place (periods.yaml event_nouns,
    places.yaml apposition_heads for "the town of")."""
    events = phrase_pattern(vocab_list("periods", "event_nouns"))
    heads = phrase_pattern(vocab_list("places", "apposition_heads"))
    # ("the attack in the western village of X": a word may describe the kind of place)
    return compile_rx(
        rf"\b(?:{events})s?\s+(?:on|in|at)\s+(?:the\s+)?(?:(?:[a-z-]+\s+)?(?:{heads})\s+of\s+)?$"
    )


@cache
def _scene_rx() -> re.Pattern[str]:
    """An event as the subject of a verb of striking or breaking out, then the place it
    happened in, within the clause ("The deadly attack hit a training centre ... in X",
    "The violence erupted three days ago in the X region"; places.yaml scene_verbs,
    scene_nouns)."""
    events = phrase_pattern(
        vocab_list("periods", "event_nouns") + vocab_list("places", "scene_nouns")
    )
    verbs = phrase_pattern(vocab_list("places", "scene_verbs"))
    return compile_rx(
        rf"\b(?:{events})s?\s+(?:{verbs})\b[^.;:!?,]{{0,80}}?\b(?:in|at)\s+(?:the\s+)?"
        r"(?:[a-z-]+\s+){0,2}$"
    )


def _event_on(low: str, p: PlaceMention) -> bool:
    """The place is where an event struck ("the attack on Izghe village", "a strike in the
    town of X", "the attack hit a centre in X"): the scene of the news, not a place the
    sentence passes through."""
    return (
        _event_on_rx().search(low, max(0, p.start - 40), p.start) is not None
        or _scene_rx().search(low, max(0, p.start - 140), p.start) is not None
    )


def _same_place(a: str, b: str) -> bool:
    """Whether two names share the words that say which place they are."""
    wa, wb = place_words(a), place_words(b)
    if not wa or not wb:
        return a.lower() == b.lower()
    return bool(wa & wb)


def _unique(found: list[PlaceMention]) -> list[PlaceMention]:
    """Each name once, first mention kept."""
    seen: set[str] = set()
    out = []
    for p in found:
        if p.name not in seen:
            seen.add(p.name)
            out.append(p)
    return out


__all__ = ["first_scene", "lede_places", "opening_within"]
