"""Place names a sentence mentions that are not what its figures are about.

An organisation's whole name ("staff from Médecins Sans Frontières"), a place
that only qualifies a credited body ("the Norwegian Refugee Council in Yemen"),
where the speakers are or a spokesperson is posted, where something was said
(a briefing in Geneva), a place ranked first in a breakdown of the figure, and
the sentences that are no part of the report's story: who produced it, a photo's
caption. placing.py asks these before it gives a figure a place.
"""

from __future__ import annotations

import re
from functools import cache

from crisisdesk.extract.compiled import compile_rx
from crisisdesk.extract.draft import DocState
from crisisdesk.extract.places import PlaceMention
from crisisdesk.vocab import phrase_pattern, vocab_list

_ORG_PLACE_GAP = compile_rx(r"\s+(?:in|for|on)\s+(?:the\s+)?$")
_SPEAKER_BEFORE = compile_rx(
    r"\b(?:officials?|authorities|sources|residents|medics|witnesses|police|spokes(?:man|woman"
    r"|person)|rescuers|doctors|officers)\s+(?:in|from)\s+(?:the\s+)?$",
    re.I,
)
_SPEAKER_VERB_AFTER = compile_rx(r"\s+(?:said|say|says|told|reported|stated|confirmed)\b")


def is_org_name(p: PlaceMention, orgs: list[tuple[int, int, str]]) -> bool:
    """A "place" that is an organisation's whole name ("staff from Médecins Sans
    Frontières were killed"); a place that names a body's territory ("the Ministry of
    Health in Gaza") is a part of the name only."""
    return any(
        a <= p.start and p.end <= b and 5 * (p.end - p.start) >= 4 * (b - a) for a, b, _ in orgs
    )


def speaker_place(text: str, p: PlaceMention) -> bool:
    """ "officials in Pibor said 5 were killed in Gumuruk": where the speakers are is not
    what their figures are about when the figures name a place of their own after it."""
    return bool(
        _SPEAKER_VERB_AFTER.match(text, p.end)
        and _SPEAKER_BEFORE.search(text, max(0, p.start - 40), p.start)
    )


def in_org_name(state: DocState, index: int, p: PlaceMention) -> bool:
    """ "the Norwegian Refugee Council in Yemen": a place that only qualifies an
    organisation credited in the sentence is not what the figure is about. A body named
    by its place ("the Ministry of Health in Gaza") counts in that place: it stays."""
    for a in state.attrs(index):
        if p.name in a.name:
            continue
        if a.start <= p.start < a.end:
            return True
        if 0 <= p.start - a.end <= 12 and _ORG_PLACE_GAP.fullmatch(state.text, a.end, p.start):
            return True
    return False


# "People walk around a shelter ... in Beirut, Lebanon, 26 September 2024.": a photo's
# caption, where and when the picture was taken, not what the report is about
_CAPTION_END = compile_rx(
    r"\bin\s+[A-Z][\w’'.-]*(?:\s+[A-Z][\w’'.-]*)*,\s+[A-Z][\w’'.-]*(?:\s+[A-Z][\w’'.-]*)*,\s+"
    r"(?:\d{1,2}\s+[A-Z][a-z]+|[A-Z][a-z]+\.?\s+\d{1,2},?)\s+\d{4}\.?\s*$"
)


@cache
def _production_rx() -> re.Pattern[str]:
    nouns = phrase_pattern(vocab_list("places", "report_nouns"))
    verbs = phrase_pattern(vocab_list("places", "production_verbs"))
    return compile_rx(rf"\s*this\s+(?:{nouns})\s+(?:is|was|has\s+been)\s+(?:{verbs})\b", re.I)


@cache
def _venue_rx() -> re.Pattern[str]:
    venues = phrase_pattern(vocab_list("places", "venue_words"))
    return compile_rx(rf"\b(?:{venues})\s+in\s+(?:the\s+)?$", re.I)


def venue(text: str, p: PlaceMention) -> bool:
    """Where something was said ("told a U.N. briefing in Geneva")."""
    return _venue_rx().search(text, max(0, p.start - 40), p.start) is not None


# "..., with Sagaing Region suffering the highest toll": the place ranked first in a breakdown
# of the figure, not where all of it happened
_WITH_BEFORE = compile_rx(r"\bwith\s+(?:the\s+)?(?:[\w’'-]+\s+){0,4}$", re.I)
_RANKED_AFTER = compile_rx(
    r"(?:\s+[\w’'-]+){0,2}?\s+(?:suffering|recording|registering|seeing|reporting|accounting\s+for)"
    r"\s+(?:the\s+)?(?:highest|most|largest|worst|greatest|heaviest)\b",
    re.I,
)


def ranked(text: str, p: PlaceMention) -> bool:
    """A place ranked in a breakdown ("with Aleppo recording the highest number")."""
    return (
        _WITH_BEFORE.search(text, max(0, p.start - 45), p.start) is not None
        and _RANKED_AFTER.match(text, p.end, p.end + 60) is not None
    )


_SPOKES_POST = compile_rx(r"\bspokes(?:man|woman|person)\s+(?:in|from)\s+(?:the\s+)?$", re.I)


def spokes_post(text: str, p: PlaceMention) -> bool:
    """Where a spokesperson is posted ("a UN spokesman in Jordan, told ...")."""
    return _SPOKES_POST.search(text, max(0, p.start - 30), p.start) is not None


def production_note(state: DocState, i: int) -> bool:
    """A sentence saying who made the report, and where ("This report is produced by ...")."""
    s = state.sents[i]
    return _production_rx().match(state.text, s.start, s.end) is not None


def photo_caption(state: DocState, i: int) -> bool:
    s = state.sents[i]
    return _CAPTION_END.search(state.text, s.start, s.end) is not None
