"""A headline's places: a headline capitalises every word and introduces no place with a
preposition, so its places are the capitalised runs that are countries or that the text
itself names as places (split from places.py, which finds places in running text)."""

from __future__ import annotations

import re
from collections.abc import Container
from functools import cache

from crisisdesk.extract.compiled import compile_rx
from crisisdesk.extract.name_starts import not_places
from crisisdesk.extract.place_names import is_country_words, joined, known_words, place_words
from crisisdesk.extract.places import _ACTOR_ADJECTIVE, find_places
from crisisdesk.vocab import canonical_source, vocab_list

# A title's filing label, a few capitalised words: "Libya: ...", "DTM Libya - ...".
_TITLE_LABEL = compile_rx(r"^\W*[A-Z][\w’'\-]*(?:\s+[A-Z][\w’'\-]*){0,3}(?::\s|\s[-–—]\s)")
# (with an Arabic article before it: "in al-Hol Camp"; or inside it: "Deir az-Zour")
_CAPITALISED_RUN = compile_rx(
    r"(?<![\w-])(?:(?:al|el|ad|ar|as|an|ash|at|az|ez|es|esh|ed|er|et)-)?"
    r"[A-Z][\w’'\-]*(?:\s+(?:(?:al|el|ad|de|du|la|of(?:\s+the)?)[-\s]+"
    r"|(?:ar|as|ash|at|az|ez|es|esh|ed|er|et)-)?[A-Z][\w’'\-]*)*"
)
_POSSESSIVE_SPLIT = compile_rx(r"[’']s\b")
# who a headline says acted, after "by", listed with commas or "and" (no place word between)
_AGENT_BEFORE = compile_rx(
    r"\bby\s+(?:the\s+)?(?:[A-Z][\w’'\-]*(?:\s+[A-Z][\w’'\-]*)*(?:\s*,\s*|\s+and\s+)(?:the\s+)?)*$"
)
# a filing label's second part, after its country and a dash ("DRC — North Kivu: ..."): the
# part of the country the report is filed under
_SUBDIVISION = compile_rx(r"([A-Z][\w’'\-]*(?:\s+[A-Z][\w’'\-]*){0,3}):\s")


def title_places(
    title: str, known: Container[str], common: Container[str] = frozenset()
) -> tuple[list[str], list[str]]:
    """(places of a headline, those of its filing label): the capitalised runs that are
    countries or that the text itself names as places (``known``: their words), because a
    headline capitalises every word and introduces no place with a preposition.
    ``common``: words the text writes in lower case ("latest", "two-week")."""
    label = _TITLE_LABEL.match(title)
    cut = label.end() if label else 0
    head: list[str] = []
    tail: list[str] = []
    # a word introduced as a place ("around Tripoli") is one; a headline capitalises every
    # word, so only the first word of such a name counts ("on Gaza Continues"), and not one
    # the text writes as a common word ("in Latest Drone Strikes", "Haftar's Two-week Siege")
    # (not a kind of area a word describes: "on Liberated Areas", "in Opposition Regions")
    firsts = [
        p.name.split()[0]
        for p in find_places(title, 0, len(title))
        if p.name.split()[-1].lower() not in _area_nouns() or len(p.name.split()) > 2
    ]
    # nor who led a campaign ("in Saudi-led Air War")
    led = known_words(
        [w for w in firsts if w.lower() not in common and not _ACTOR_ADJECTIVE.search(w)]
    )
    known = _Either(led, known)
    for m in _CAPITALISED_RUN.finditer(title):
        if _AGENT_BEFORE.search(title, 0, m.start()):
            continue  # "Attacks ... by the Syrian Regime and Russia": who acted, not where
        owner = False
        for piece in _POSSESSIVE_SPLIT.split(m.group(0)):
            piece = piece.strip()
            # "Libya's Tripoli": what a country owns is a place of it
            names = _known_runs(piece, known)
            if owner and not names:
                names = piece.split()[:1]
            (head if m.start() < cut else tail).extend(names)
            owner = is_country_words(piece.split())
    filed = label and head and is_country_words(head[0].split())
    sub = _SUBDIVISION.match(title, cut) if filed else None
    if sub and sub.group(1) not in tail and not _names_a_report(sub.group(1)):
        tail.insert(0, sub.group(1))  # "DRC — North Kivu: M23 Crisis Analysis"
    return tail, head


@cache
def _area_nouns() -> frozenset[str]:
    return frozenset(vocab_list("places", "headline_area_nouns"))


def _names_a_report(run: str) -> bool:
    """ "Flash Update", "Situation Report": a kind of report, not a place."""
    return any(w.lower() in _report_nouns() for w in run.split())


@cache
def _report_nouns() -> frozenset[str]:
    return frozenset(vocab_list("places", "report_nouns"))


class _Either:
    """Membership in either of two containers."""

    def __init__(self, a: Container[str], b: Container[str]) -> None:
        self.a, self.b = a, b

    def __contains__(self, item: object) -> bool:
        return item in self.a or item in self.b


def _known_runs(run: str, known: Container[str]) -> list[str]:
    """The longest sub-runs of ``run`` that are a country or a place the text names."""
    words = run.split()
    out: list[str] = []
    i = 0
    while i < len(words):
        for j in range(len(words), i, -1):
            if words[i].lower() in not_places() or words[j - 1].lower() in not_places():
                continue
            name = " ".join(words[i:j])
            core = place_words(name)
            named = all(w in known for w in core) if core else joined(name) in known
            glued = (
                j - i > 1
                and is_country_words(words[i : i + 1])
                and not is_country_words(words[i:j])
            )
            if named and glued:
                continue  # "WFP Syria North-western Syria ...": a country, then a part of it
            if is_country_words(words[i:j]) or named:
                out.append(name)
                i = j - 1
                break
        i += 1
    return out


def office_places(title: str, names: list[str], low: str) -> set[str]:
    """The headline places that are part of an organisation's name for its office there
    ("WFP Afghanistan Situation Report", "Protection Cluster Ukraine: ..."): the word right
    before the place is a known organisation or an organisation's word, and the text (``low``,
    lower case) never writes the place itself. Such a place is a name's, not the scene of
    the report's figures (which the conventions read from the text)."""
    out = set()
    flat = ""  # the whole text flattened, made only for a name an office's word leads
    for name in names:
        if not any(
            _office_word_before(title, m.start())
            for m in compile_rx(rf"(?<![\w-]){re.escape(name)}(?![\w-])").finditer(title)
        ):
            continue
        flat = flat or " " + _NON_WORD.sub(" ", low) + " "
        if " " + _NON_WORD.sub(" ", name.lower()).strip() + " " in flat:
            continue  # written in the text too ("... in western Sudan")
        out.add(name)
    return out


def _office_word_before(title: str, at: int) -> bool:
    """A known organisation or an organisation's word right before ``at`` in the title."""
    before = _WORD_BEFORE.search(title, 0, at)
    word = before.group(1) if before else ""
    return bool(word and (canonical_source(word) or word in _org_words()))


_WORD_BEFORE = compile_rx(r"([\w-]+)\s+$")
_NON_WORD = compile_rx(r"\W+")


@cache
def _org_words() -> frozenset[str]:
    return frozenset(vocab_list("sources", "org_words"))
