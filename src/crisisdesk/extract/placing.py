"""The places each figure is about, strongest evidence first:

1. the places its clause names (a place belongs to the nearest figure before it; a
   place one of its parts owns is the part's);
2. an anaphor or a back-reference to an event ("there", "the town", "the attack",
   "those IDPs") brings the place it stands for, first;
3. the places of the figure it leans on (pairs, parts, additions);
4. the places its sentence names, when one clause names them all (places spread over
   several clauses belong to several events: a figure naming none of them gets none);
5. the country its paragraph is filed under ("Kenya: Heavy rains have ..."), else the
   places of the latest heading line before it ("By the numbers: Cabo Delgado");
6. the document's frame: what its headline names (the most specific part, not its
   filing label "Libya: ..."), checked against its opening sentence; "the two
   regions" and "the country" point at it too. A figure that takes the frame also
   takes the scene the sentences just before it name (the town within the frame the
   story has reached), read as an anaphor's place is.

A bare earlier sentence alone does not give a place to a figure the frame leaves
without one: only an anaphor or a heading does (the conventions leave a figure
without a place when the text does not clearly set one). A place named only as a
destination ("fled to") is never found (places.py); one that only qualifies a credited
organisation ("the Norwegian Refugee Council in Yemen") is skipped here.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cache

from crisisdesk.extract.capital_anaphora import capital_pointed
from crisisdesk.extract.compiled import compile_rx
from crisisdesk.extract.draft import PART_LINKS, DocState, Draft
from crisisdesk.extract.headline import office_places, title_places
from crisisdesk.extract.lede import first_scene, opening_within
from crisisdesk.extract.numbers import share_pattern
from crisisdesk.extract.place_anaphora import (
    anaphor_kind,
    anaphor_placed,
    anaphora_in,
    country_anaphora_in,
    frame_anaphora_in,
    topic_in_title,
)
from crisisdesk.extract.place_names import is_country, known_words, paragraph_label, place_words
from crisisdesk.extract.place_roles import (
    in_org_name,
    is_org_name,
    photo_caption,
    production_note,
    ranked,
    speaker_place,
    spokes_post,
    venue,
)
from crisisdesk.extract.places import PlaceMention, aid_places_of
from crisisdesk.extract.text import PhraseScanner, clauses
from crisisdesk.extract.unnamed_places import unnamed_place_in
from crisisdesk.extract.written_places import Lowered, placed_in_text
from crisisdesk.geo.context import demonyms
from crisisdesk.geo.normalise import key
from crisisdesk.vocab import vocab_list

Named = tuple[str, tuple[int, int]]  # a place name and where it was read ((0, 0): the title)

# An anaphor reaches back this many sentences, across paragraphs.
_ANAPHOR_REACH = 3


@dataclass(slots=True)
class _Reader:
    """The document's places as the pass reads forward: each sentence's usable places
    (computed once, only for the sentences that need them) and the latest heading line."""

    state: DocState
    usable: dict[int, list[PlaceMention]] = field(default_factory=dict)
    scanned: int = -1
    last_heading: int | None = None
    headings: dict[int, list[Named]] = field(default_factory=dict)
    known_cache: dict[str, bool] = field(default_factory=dict)
    aid: dict[int, list[PlaceMention]] = field(default_factory=dict)
    starts: list[int] = field(default_factory=list)  # where each sentence starts
    figure_lines: set[int] = field(default_factory=set)  # sentences holding figures
    event_lines: set[int] = field(default_factory=set)  # those counting events (attacks)
    labels: dict[int, list[Named]] = field(default_factory=dict)  # by a paragraph's first sentence
    lowered: dict[str, bool] = field(default_factory=dict)  # see ``common``

    def places(self, i: int) -> list[PlaceMention]:
        """Places of sentence ``i``, without those inside an organisation's name or where
        an unnamed speaker is ("officials in Pibor said")."""
        if i not in self.usable:
            orgs = self.state.organisations()[i]
            found = [
                p
                for p in self.state.sentence_places(i)
                if not in_org_name(self.state, i, p) and not is_org_name(p, orgs)
            ]
            text = self.state.text
            speakers = [p for p in found if speaker_place(text, p)]
            if speakers and any(p.start > speakers[-1].end for p in found):
                found = [p for p in found if p not in speakers]  # the figures name their own
            # "told a briefing in Geneva", "a UN spokesman in Jordan": where words were said
            found = [
                p
                for p in found
                if not venue(text, p) and not spokes_post(text, p) and not ranked(text, p)
            ]
            if found and production_note(self.state, i):
                found = []  # "This report is produced by OCHA ... offices in X, Y and Z"
            if found and i == 0 and len(self.state.sents) > 1 and photo_caption(self.state, 0):
                # where a photo was taken is no place of the report's figures; its country
                # is the report's ("... in Beirut, Lebanon, 26 September 2024.")
                found = [p for p in found if is_country(p.name)]
            self.usable[i] = found
        return self.usable[i]

    def aid_places(self, i: int) -> list[PlaceMention]:
        """Places of sentence ``i`` for an aid figure: where the aid went counts."""
        if i not in self.aid:
            found = aid_places_of(self.state.place_mentions(i))
            self.aid[i] = [p for p in found if not in_org_name(self.state, i, p)]
        return self.aid[i]

    def __contains__(self, word: object) -> bool:
        """Whether the text names ``word`` (lower case) as a place somewhere: a headline
        capitalises every word, so its places are the words the text itself places."""
        if not isinstance(word, str):
            return False
        if not self.known_cache:  # what the figures' sentences already place
            names = [p.name for found in self.usable.values() for p in found]
            self.known_cache.update(dict.fromkeys(known_words(names), True))
            self.known_cache[""] = False
        if word not in self.known_cache:
            if not self.starts:
                self.starts = [s.start for s in self.state.sents]
            self.known_cache[word] = placed_in_text(self.state, self.starts, word)
        return self.known_cache[word]

    @property
    def common(self) -> Lowered:
        """The words the text writes in lower case, as a container for ``title_places``."""
        return Lowered(self.state.text, self.lowered)

    def heading(self, index: int) -> list[Named]:
        """The places the latest heading line before ``index`` names ("By the numbers:
        Cabo Delgado"), read as a headline is, with where the line names them."""
        j: int | None
        for j in range(self.scanned + 1, index):  # running state: each line looked at once
            # a short line holding a figure is a row of data ("Total fatalities: 1,442")
            if j not in self.figure_lines and _is_heading(self.state, j):
                self.last_heading = j
        self.scanned = max(self.scanned, index - 1)
        j = self.last_heading
        if j is None:
            return []
        if j not in self.headings:
            s = self.state.sents[j]
            line = self.state.text[s.start : s.end]
            tail, label = title_places(line, self, self.common)
            self.headings[j] = [
                (n, _span_in(line, n, s.start)) for n in dict.fromkeys(tail or label)
            ]
        return list(self.headings[j])

    def label(self, index: int) -> list[Named]:
        """The country the paragraph of sentence ``index`` is filed under ("Kenya: Heavy
        rains have ..."), with where it is written."""
        sents = self.state.sents
        j = index
        while j > 0 and sents[j - 1].paragraph == sents[index].paragraph:
            j -= 1
        if j not in self.labels:
            span = paragraph_label(self.state.text, sents[j].start, sents[j].end)
            self.labels[j] = [(self.state.text[span[0] : span[1]], span)] if span else []
        return list(self.labels[j])

    def recent(self, index: int, kind: str | None = None) -> list[PlaceMention]:
        """The places of a sentence shortly before (what an anaphor points back to); for
        "the province", "the camp" (``kind``), the latest place so named, if any is."""
        reach = range(index - 1, max(-1, index - 1 - _ANAPHOR_REACH), -1)
        if kind is not None:
            for j in reach:
                named = [p for p in self.places(j) if kind in p.name.lower().split()]
                if named:
                    return _unique(named)
        sents = self.state.sents
        country_only: list[PlaceMention] = []
        for j in reach:
            found = self.places(j)
            if found and all(is_country(p.name) for p in found) and not country_only:
                # ("... the Turkish president threatened the YPG in Syria. ... the blast"):
                # a country a background sentence names is no event's place, if one is named
                country_only = _unique(found)
                continue
            if found:
                return self._after_move(j, found)
            if j in self.event_lines and sents[j].paragraph == sents[index].paragraph:
                return []  # ("... responded to 491 attacks. These attacks ..."): those, unplaced
        return country_only

    def _after_move(self, j: int, found: list[PlaceMention]) -> list[PlaceMention]:
        """The places "there" points at in sentence ``j``: where it says something moved to,
        if it does ("shifted from A to B": B, not A), else all of them."""
        moved = self._moved_to(j)
        if not moved:
            return _unique(found)
        low = self.state.low
        stayed = [p for p in found if not _ORIGIN.search(low, max(0, p.start - 30), p.start)]
        return _unique(stayed + moved)

    def _moved_to(self, j: int) -> list[PlaceMention]:
        """Where sentence ``j`` says something moved to ("the fighting shifted from A to
        B"): not the place of that sentence's figures, but what a "there" after it points at."""
        own = {(p.start, p.end) for p in self.places(j)}
        low, start = self.state.low, self.state.sents[j].start
        return [
            p
            for p in self.aid_places(j)
            if (p.start, p.end) not in own and _FROM_BEFORE.search(low, start, p.start)
        ]


_FROM_BEFORE = compile_rx(r"\bfrom\s")  # a move's start named before its end ("from A to B")
_ORIGIN = compile_rx(r"\bfrom\s+(?:the\s+)?(?:[\w-]+\s+){0,3}$")  # "from the capital A"

_HEADING_WORDS = 12


def _is_heading(state: DocState, j: int) -> bool:
    """A line of its own, short and not ended like a sentence ("Health:", "By the numbers:
    Cabo Delgado, 2017-2020")."""
    sents = state.sents
    s = sents[j]
    alone = (j == 0 or sents[j - 1].paragraph != s.paragraph) and (
        j + 1 == len(sents) or sents[j + 1].paragraph != s.paragraph
    )
    text = state.text[s.start : s.end].rstrip()
    if _DATELINE.match(text):
        return False  # "STEPANAKERT, OCTOBER 5, AGENCY:": where the report was filed
    return alone and text[-1:] not in ".!?;”\"'" and len(text.split()) <= _HEADING_WORDS


# a dateline: a place in capitals, then a date ("GAZA, Oct 25", "STEPANAKERT, OCTOBER 5")
_DATELINE = compile_rx(r"[A-Z][A-Z’'\- ]+,\s+(?i:[a-z]{3,9}\.?\s+\d{1,2}|\d{1,2}\s+[a-z]{3,9})\b")


def assign_places(state: DocState, drafts: list[Draft]) -> None:
    """Fill each draft's places, with the span each name was read from."""
    reader = _Reader(state)
    by_sentence: dict[int, list[Draft]] = {}
    for d in drafts:
        by_sentence.setdefault(d.sentence.index, []).append(d)
    reader.figure_lines = set(by_sentence)
    reader.event_lines = {i for i, ds in by_sentence.items() if any(d.unit == "events" for d in ds)}
    own: dict[int, list[PlaceMention]] = {}
    for index, ds in by_sentence.items():
        own.update(_owned(reader.state.text, reader.places(index), ds))
    parts: dict[int, set[int]] = {}  # a whole figure -> where its parts' own places start
    text = state.text
    for d in drafts:
        if d.ante is not None and d.link in PART_LINKS:
            # "357 killed, including 90 children, in the West Bank": a place after the
            # closed aside is the whole's too; so is one after a later part ("10 killed, of
            # whom three were children, and one trader, in the West Bank")
            later = [x.m.end for x in drafts if x.ante is d.ante and x.m.start > d.m.end]
            mine = [
                p
                for p in own.get(id(d), [])
                if not _after_aside(text, d, p) and not any(e <= p.start for e in later)
            ]
            parts.setdefault(id(d.ante), set()).update(p.start for p in mine)
    frame: list[Named] | None = None  # built once, and only when a figure needs it
    done: dict[int, list[Named]] = {}  # each figure's places with their spans, for its partners
    people_elsewhere: set[int] = set()  # figures of a people the frame does not stand for
    for d in drafts:
        named = _from_sentence(reader, d, own.get(id(d), []), parts.get(id(d), set()), done)
        if named is None:
            named = []  # its sentence names several places, none of them its own
        else:
            to_frame = frame_anaphora_in(state.text, *d.clause)
            unnamed = not named and unnamed_place_in(state.low, d.sentence.start, d.clause[1])
            if not named and not unnamed:  # a paragraph filed under its country, a heading
                named = reader.label(d.sentence.index) or reader.heading(d.sentence.index)
            if (not named and not unnamed) or to_frame:
                if frame is None:
                    frame = document_frame(state, reader)
                if _people_elsewhere(state.text, d, frame, people_elsewhere):
                    people_elsewhere.add(id(d))
                elif not named and _gone_abroad(reader, d, frame):
                    pass  # "thousands arrived in northern Iraq": they left the frame's country
                elif _country_beyond(state.text, d, frame):
                    named = _without(named, frame)  # nor the frame a partner carried
                    # ("Burkina Faso has been rocked by ... // Thousands have been killed
                    # and ... 40 percent of the country"): the country named just before
                    named = named or _country_before(reader, d)
                else:
                    bare = not named
                    named = _merged(frame, named)
                    if bare and named:
                        named = _merged(named, _scene_before(reader, d, named))
        done[id(d)] = named
        d.places = tuple(n for n, _ in named)
        d.place_spans = tuple(s for _, s in named if s[1] > s[0])


@cache
def _destination_words() -> PhraseScanner:
    return PhraseScanner(vocab_list("places", "destination_words"))


def _gone_abroad(reader: _Reader, d: Draft, frame: list[Named]) -> bool:
    """A figure whose clause names only where its people went, in another country than the
    document's ("Some thousands arrived in northern Iraq" in a report on north-east Syria):
    its place is neither that destination nor the country they left, which the text does not
    name for it."""
    countries = [n for n, _ in frame if is_country(n)]
    if not countries or _destination_words().search(reader.state.low, *d.clause) is None:
        return False
    s = d.sentence
    went = {p.name for p in reader.aid_places(s.index) if d.clause[0] <= p.start < d.clause[1]}
    went -= {p.name for p in reader.places(s.index)}
    abroad = [w for w in went if is_country(w)]
    return bool(abroad) and not any(_same_place(w, c) for w in abroad for c in countries)


def _country_beyond(text: str, d: Draft, frame: list[Named]) -> bool:
    """ "the country" in a report on a province points beyond the frame, at a country the
    text does not set as the figure's place; so does a sentence about the country ("The
    country has been at war since 2011, killing ..."): its figures are not the province's."""
    s = d.sentence
    return country_anaphora_in(text, s.start, s.end) and not any(is_country(n) for n, _ in frame)


def _people_elsewhere(text: str, d: Draft, frame: list[Named], elsewhere: set[int]) -> bool:
    """Whether ``d`` counts a people the frame's place does not stand for, so the frame is
    not its place: "1,300 Israelis" in a report on Gaza, "Turkish soldiers" or "a million
    Syrians" in one on Idlib (a nation wider than the frame, or another one). "Afghans" in a
    report on Afghanistan are its own. A part or pair of such a figure is the same people."""
    if d.ante is not None and id(d.ante) in elsewhere and d.link in _SAME_PEOPLE:
        return True
    nations = [w for w in _WORD.findall(text, d.m.end, d.np_end) if key(w) in demonyms()]
    if not nations or not frame:
        return False
    return not all(_nation_of(w, name) for w in nations for name, _ in frame)


_SAME_PEOPLE = ("pair", "including", "partitive", "elliptical")
_WORD = compile_rx(r"[^\W\d_][\w’'-]*")
_STEM = 4


def _nation_of(word: str, name: str) -> bool:
    """Whether a people's word names the country ``name`` ("Syrians" and "Syria", "Lebanese"
    and "Lebanon"): they share their first letters."""
    a, b = word.lower(), name.lower()
    n = min(len(a), len(b), _STEM + 1)
    return a[:n] == b[:n] if n >= _STEM else a == b


def _without(named: list[Named], frame: list[Named]) -> list[Named]:
    """``named`` less the frame's places."""
    theirs = {n for n, _ in frame}
    return [x for x in named if x[0] not in theirs]


def _merged(first: list[Named], then: list[Named]) -> list[Named]:
    """``first``'s places, then those of ``then`` not already named."""
    have = {n for n, _ in first}
    return [*first, *(x for x in then if x[0] not in have)]


_LISTED = compile_rx(r"\s+[a-z][\w-]*(?:\s+[a-z][\w-]*)?\s*[–—:]\s*(?P<list>[A-Z][^–—;:.]+)")


def _listed(text: str, d: Draft) -> tuple[int, int] | None:
    """Where a figure's own list of places runs when a dash or colon follows its counted
    noun ("two villages – Kelma, Tessi and Ruvo –"): those places, and only those, are its."""
    m = _LISTED.match(text, d.m.end)
    return m.span("list") if m else None


_BRACKETED = compile_rx(r"\s*\(\s*")
# "Tessi (over 900 people)", "Ariha (8 percent, 4,800 people)": a bracket holding only the
# place's count, with its qualifier or after its share (not a breakdown: "(almost 19,000 in X")
_BRACKETED_QUALIFIED = compile_rx(
    r"\s*\(\s*(?:(?:[a-z]+\s+){0,2}\d+(?:[.,]\d+)?\s*(?:%|percent|per\s+cent)\s*,\s*)?"
)
_BRACKET_CLOSE = compile_rx(r"(?:\s+[a-z]+)?\s*\)")


def _counted_in_brackets(text: str, p: PlaceMention, d: Draft) -> bool:
    """ "Aleppo (2,410)": the count in brackets after a place is the place's."""
    if _BRACKETED.fullmatch(text, p.end, d.m.start):
        return True
    return bool(
        _BRACKETED_QUALIFIED.fullmatch(text, p.end, d.qual_start)
        and _BRACKET_CLOSE.match(text, d.m.end)
    )


def _owned(text: str, found: list[PlaceMention], ds: list[Draft]) -> dict[int, list[PlaceMention]]:
    """Each place of a sentence goes to the nearest figure before it in its clause
    (else the first after it); a place in a figure's own dash list goes to that figure."""
    own: dict[int, list[PlaceMention]] = {id(d): [] for d in ds}
    lists = {id(d): span for d in ds if (span := _listed(text, d)) is not None}
    for p in found:
        counted = next((d for d in ds if _counted_in_brackets(text, p, d)), None)
        if counted is not None:  # "Aleppo (2,410)": the count in brackets is the place's
            own[id(counted)].append(p)
            continue
        listing = [d for d in ds if id(d) in lists and lists[id(d)][0] <= p.start < lists[id(d)][1]]
        if listing:
            own[id(listing[0])].append(p)
            continue
        in_clause = [d for d in ds if d.clause[0] <= p.start < d.clause[1] and id(d) not in lists]
        before = [d for d in in_clause if d.m.end <= p.start]
        after = [d for d in in_clause if d.m.start >= p.end]
        target = before[-1] if before else (after[0] if after else None)
        if target is not None:
            own[id(target)].append(p)
    return own


def _after_aside(text: str, d: Draft, p: PlaceMention) -> bool:
    """The place comes after the comma or bracket closing the part's words ("including 90
    children, in the West Bank"; "of whom three were children, in the West Bank")."""
    between = text[d.np_end : p.start] if p.start >= d.np_end else ""
    return (
        between.lstrip().startswith(",")
        or ("," in between and not any(c.isdigit() for c in between))
        # "nine civilians (four children and two women) were killed in Sarmin": the bracket
        # of parts closes before the place
        or between.count(")") > between.count("(")
        # "100 people, including 20 children were killed ... in Ghouta": the verb the part
        # shares with the whole comes first
        or (d.link == "including" and _SHARED_VERB.match(between) is not None)
    )


@cache
def _share_of() -> re.Pattern[str]:
    """A share of the figure before it: "71 per cent of the", "half of the", "two-thirds of"."""
    return compile_rx(
        rf"{share_pattern()}\s+of\s+(?:the\s+|these\s+|those\s+)?(?:[a-z]+\s+)?$", re.I
    )


_SHARE_VERB = compile_rx(r"\b(?:are|is|were|was|live|lives|lived|come|comes|came|reside|resides)\b")
_SHARED_VERB = compile_rx(r"\s*(?:were|was|have\s+been|has\s+been|had\s+been)\s+[a-z]+ed\b")


def _from_sentence(
    reader: _Reader,
    d: Draft,
    own: list[PlaceMention],
    of_parts: set[int],
    done: dict[int, list[Named]],
) -> list[Named] | None:
    """Places from the figure's own sentence, its anaphora and the figure it leans on;
    None when the sentence names places in several clauses and none is the figure's.
    A place its parts own ("hundreds killed, including 27 in Mondoro") is not the whole's."""
    index = d.sentence.index
    mine = [p for p in reader.places(index) if p.start not in of_parts]
    text = reader.state.text
    if _share_of().search(text, max(0, d.qual_start - 40), d.qual_start):
        # "71 per cent of the 3.3 million displaced are from Khartoum": a place after the
        # verb is the share's (not one in the whole's own words: "half of the 47 casualties
        # reported in Marib")
        own = [p for p in own if not _SHARE_VERB.search(text, d.np_end, p.start)]
        mine = [p for p in mine if not _SHARE_VERB.search(text, d.np_end, max(d.np_end, p.start))]
    found = _unique(own) or _unique(_within(mine, *d.clause))
    if (
        anaphora_in(text, d.clause[0], d.clause[1])
        and not _other_event(reader, d)
        and not anaphor_placed(text, d.clause[0], d.clause[1], found)
    ):
        # "the attacks displaced 3,000 across the district": the event's place comes first
        before = _within(reader.places(index), d.sentence.start, d.clause[0])
        kind = anaphor_kind(text, d.clause[0], d.clause[1])
        found = _unique((before or reader.recent(index, kind)) + found)
    named = [(p.name, (p.start, p.end)) for p in found]
    capital = None if named else capital_pointed(text, d.clause[0], d.clause[1])
    if capital is not None:
        return [capital]  # "fled insecurity in the capital": the city named before
    named = _with_antecedent(d, named, done)
    if not named and d.category == "aid_delivered":
        named = [(p.name, (p.start, p.end)) for p in _unique(reader.aid_places(index))]
    if not named:
        spread = _one_clause(reader, d, mine)
        if spread is None:
            return None
        named = [(p.name, (p.start, p.end)) for p in spread]
    return named


@cache
def _other_event_links() -> PhraseScanner:
    return PhraseScanner(vocab_list("places", "other_event_links"))


def _other_event(reader: _Reader, d: Draft) -> bool:
    """ "The attacks came after dozens were killed in a strike on a camp": the anaphor's
    event is set against the figure's own, whose place is not the anaphor's."""
    return _other_event_links().search(reader.state.low, d.clause[0], d.m.start) is not None


def _one_clause(reader: _Reader, d: Draft, mine: list[PlaceMention]) -> list[PlaceMention] | None:
    """The sentence's places when one clause names them all (a sentence about one place);
    places spread over several clauses are several events, and a figure that names none
    of them (a running total) is about none in particular."""
    found = _unique(mine)
    if not found:
        return []
    s = d.sentence
    spans = clauses(reader.state.text, s.start, s.end)
    holders = {next((c for c in spans if c[0] <= p.start < c[1]), None) for p in found}
    return found if len(holders) == 1 else None


def _with_antecedent(d: Draft, named: list[Named], done: dict[int, list[Named]]) -> list[Named]:
    """An addition shares its antecedent's places unless it names its own after it ("254
    killed in Gaza and another 46 in the West Bank"); a pair, part or elliptical figure that
    names none takes them (with the spans they were read from)."""
    ante = d.ante
    if ante is None:
        return named
    theirs = done.get(id(ante)) or list(zip(ante.places, _padded(ante), strict=True))
    if d.link == "additive":
        if named and all(s[0] >= d.m.end for _, s in named):
            return named
        have = {n for n, _ in named}
        return named + [(n, s) for n, s in theirs if n not in have]
    if not named and d.link in ("pair", "including", "partitive", "elliptical"):
        return theirs
    return named


def _scene_before(reader: _Reader, d: Draft, frame: list[Named]) -> list[Named]:
    """The scene the sentences just before a figure set, for a figure whose sentence
    names no place of its own and takes the document's frame: the town or district the
    story has just named ("Shelling hit Ariha at dawn. // Nine people were killed"), found
    as an anaphor's place is; not where someone comes from ("a teacher from Goma"), nor
    a place that restates the frame."""
    low = reader.state.low
    return [
        (p.name, (p.start, p.end))
        for p in reader.recent(d.sentence.index)
        if not _FROM_JUST_BEFORE.search(low, max(0, p.start - 6), p.start)
        and not any(_same_place(p.name, n) for n, _ in frame)
    ]


_FROM_JUST_BEFORE = compile_rx(r"\bfrom\s+$")


def _span_in(line: str, name: str, offset: int) -> tuple[int, int]:
    """Where ``name`` stands in ``line`` (which starts at ``offset`` in the text)."""
    at = line.find(name)
    return (offset + at, offset + at + len(name)) if at >= 0 else (0, 0)


def _within(found: list[PlaceMention], start: int, end: int) -> list[PlaceMention]:
    return [p for p in found if start <= p.start and p.end <= end]


def _unique(found: list[PlaceMention]) -> list[PlaceMention]:
    """The first mention of each name, in text order."""
    seen: dict[str, PlaceMention] = {}
    for p in found:
        seen.setdefault(p.name, p)
    return list(seen.values())


def _padded(d: Draft) -> tuple[tuple[int, int], ...]:
    """One span per place name of ``d`` ((0, 0) where the name was not read from the text)."""
    spans = list(d.place_spans)
    return tuple(spans + [(0, 0)] * (len(d.places) - len(spans)))


def document_frame(state: DocState, reader: _Reader) -> list[Named]:
    """The places a document is about as a whole.

    Its headline names them ("Libya: Tripoli clashes" is about Tripoli); when the
    opening sentence names places and shares none with the headline proper (a headline
    about where aid comes from), the opening sets the frame. A filing label alone
    ("Yemen: Flash Update") is the frame whatever the opening names, since everything
    the report covers lies in it. With no headline place, the opening sentence's places;
    a headline naming its places only as a conflict's topic ("Syria crisis is a test of
    ...") sets no frame (a comment on the whole conflict, its figures nowhere in particular);
    one about "the country" is about the first country the text names.
    """
    tail, label, topical = _headline(state, reader)
    title_named = bool(tail or label)
    if topical and not tail and not label:
        return []
    opening = _unique(reader.places(0)) if state.sents else []  # (a caption: its country)
    if len(state.sents) > 1 and photo_caption(state, 0):
        opening = _unique(reader.places(1)) or opening
    if tail:
        if opening_within(tail, opening):
            return [(o.name, (o.start, o.end)) for o in opening]
        later = [reader.places(j) for j in range(1, min(len(state.sents), 1 + _LEDE_REACH))]
        lede = first_scene(reader.state, opening, later)
        if opening_within(tail, lede):
            return [(o.name, (o.start, o.end)) for o in lede]
        if not opening and lede and all(is_country(t) for t in tail):
            # a headline country, an opening naming no place, then the scene of the news
            return [(t, (0, 0)) for t in tail] + [(o.name, (o.start, o.end)) for o in lede]
        if (
            not opening
            or any(_same_place(t, o.name) for t in tail for o in opening)
            or any(_named_apart(reader, t, opening) for t in tail)
        ):
            return [(t, (0, 0)) for t in tail]
    elif label:
        return [(t, (0, 0)) for t in label]
    if not opening and _headline_points_at_country(state):
        return _first_country(reader)
    if not opening and not title_named:
        return _first_country(reader, counted=True)
    return [(o.name, (o.start, o.end)) for o in opening]


_LEDE_REACH = 3  # sentences after the opening in which a news report says where it happened
_NAMING_BEFORE = compile_rx(r"(?:,|\b(?:in|of|across|from|to))\s+(?:the\s+)?$")


def _named_apart(reader: _Reader, name: str, opening: list[PlaceMention]) -> bool:
    """The opening names the headline's place where no place is read ("one of Colombia's
    most violent regions, Catatumbo"), not as the wider place of one it names ("the West
    Bank city of Jenin") nor as where people went ("towards northern regions in Syria")."""
    state = reader.state
    s = state.sents[0]
    m = compile_rx(rf"\b{re.escape(name)}\b").search(state.text, s.start, s.end)
    if m is None or any(p.name == name for p in reader.aid_places(0)):
        return False
    if not _NAMING_BEFORE.search(state.text, max(s.start, m.start() - 12), m.start()):
        return False  # "two Myanmar junta airstrikes": a people's word, no mention of a place
    return not any(0 <= o.start - m.start() <= len(name) + 15 for o in opening)


def _headline_points_at_country(state: DocState) -> bool:
    """A headline about "violence in the country": the text names which country."""
    title = state.doc.title or ""
    return bool(title) and country_anaphora_in(title, 0, len(title))


_COUNTRY_REACH = 12  # sentences: a country the headline points at is named early


def _country_before(reader: _Reader, d: Draft) -> list[Named]:
    """The one country the sentences shortly before a figure name (what "the country" in
    its sentence stands for), when they name one."""
    for j in range(d.sentence.index - 1, max(-1, d.sentence.index - 1 - _ANAPHOR_REACH), -1):
        countries = _unique([p for p in reader.places(j) if is_country(p.name)])
        if len(countries) == 1:
            return [(countries[0].name, (countries[0].start, countries[0].end))]
        if countries:
            return []
    return []


def _first_country(reader: _Reader, counted: bool = False) -> list[Named]:
    """The country the text's opening names most (a tie: the first named), with where it
    first names it, as the document's country is read elsewhere (``country.py``);
    ``counted``: named in sentences giving figures (a report whose headline and opening
    name no place is about the country its figures are set in, not one a comment names)."""
    first: dict[str, tuple[int, int]] = {}
    counts: Counter[str] = Counter()
    for i in range(min(len(reader.state.sents), _COUNTRY_REACH)):
        if counted and i not in reader.figure_lines:
            continue
        for p in reader.places(i):
            if is_country(p.name):
                first.setdefault(p.name, (p.start, p.end))
                counts[p.name] += 1
    if not counts:
        return []
    name = max(first, key=lambda n: counts[n])  # first-named wins a tie (dict order)
    return [(name, first[name])]


def _headline(state: DocState, reader: _Reader) -> tuple[list[str], list[str], bool]:
    """The headline's places: (after its filing label, in the label, whether it names
    some only as a conflict's topic)."""
    title = state.doc.title or ""
    if not title:
        return [], [], False
    tail, label = title_places(title, reader, reader.common)
    offices = office_places(title, tail + label, state.low)  # "WFP Afghanistan Situation Report"
    tail, label = [n for n in tail if n not in offices], [n for n in label if n not in offices]
    scenes, labels = _scenes(title, tail), _scenes(title, label)
    return scenes, labels, len(scenes) + len(labels) < len(set(tail)) + len(set(label))


def _scenes(title: str, names: list[str]) -> list[str]:
    """The headline's places that are the scene of its news, not a conflict's topic."""
    return [n for n in dict.fromkeys(names) if not topic_in_title(title, n)]


def _same_place(a: str, b: str) -> bool:
    """Whether two names share the words that say which place they are."""
    wa, wb = place_words(a), place_words(b)
    if not wa or not wb:
        return a.lower() == b.lower()
    return bool(wa & wb)
