"""The places each figure is about: places of its clause or sentence, an
anaphor's antecedent ("there", "the town"), the figure it leans on, or the
place the whole document is about."""

from __future__ import annotations

import re

from crisisdesk.extract.draft import DocState, Draft
from crisisdesk.extract.places import PlaceMention, anaphora_in, find_places


def assign_places(state: DocState, drafts: list[Draft]) -> None:
    """Fill each draft's places, with the span each name was read from."""
    text = state.text
    by_sentence: dict[int, list[Draft]] = {}
    for d in drafts:
        by_sentence.setdefault(d.sentence.index, []).append(d)
    own: dict[int, list[PlaceMention]] = {id(d): [] for d in drafts}
    for ds in by_sentence.values():
        sent = ds[0].sentence
        for p in state.sentence_places(sent.index):
            if _in_org_name(state, sent.index, p):
                continue
            in_clause = [d for d in ds if d.clause[0] <= p.start < d.clause[1]]
            before = [d for d in in_clause if d.m.end <= p.start]
            after = [d for d in in_clause if d.m.start >= p.end]
            target = before[-1] if before else (after[0] if after else None)
            if target is not None:
                own[id(target)].append(p)
    default = _document_place(state, list(by_sentence))
    for d in drafts:
        found = _unique(own[id(d)])
        if not found:
            found = _unique(state.places_in(d.sentence.index, *d.clause))
        if not found and anaphora_in(text, d.clause[0], d.clause[1]):
            found = _previous_places(state, d.sentence.index, d.clause[0])
        names = [p.name for p in found]
        spans = [(p.start, p.end) for p in found]
        ante = d.ante
        if ante is not None and d.link in ("additive",):
            for name, span in zip(ante.places, _padded(ante), strict=True):
                if name not in names:
                    names.append(name)
                    spans.append(span)
        elif (
            ante is not None
            and not names
            and d.link in ("pair", "including", "partitive", "elliptical")
        ):
            names, spans = list(ante.places), list(_padded(ante))
        if not names and default and d.category != "in_need":
            names, spans = [default], [(0, 0)]  # from the title: no span in the text
        d.places = tuple(names)
        d.place_spans = tuple(s for s in spans if s[1] > s[0])


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


_ORG_PLACE_GAP = re.compile(r"\s+(?:in|for|on)\s+(?:the\s+)?$")


def _in_org_name(state: DocState, index: int, p: PlaceMention) -> bool:
    """ "the Norwegian Refugee Council in Yemen": a place that only qualifies an
    organisation credited in the sentence is not what the figure is about."""
    for a in state.attrs(index):
        if a.start <= p.start < a.end:
            return True
        if 0 <= p.start - a.end <= 12 and _ORG_PLACE_GAP.fullmatch(state.text, a.end, p.start):
            return True
    return False


def _previous_places(state: DocState, index: int, before: int) -> list[PlaceMention]:
    sent = state.sents[index]
    inside = state.places_in(index, sent.start, before)
    if inside:
        return _unique(inside)
    for j in range(index - 1, max(-1, index - 4), -1):
        found = state.sentence_places(j)
        if found:
            return _unique(found)
    return []


def _norm(name: str) -> str:
    return " ".join(re.sub(r"[^\w]+", " ", name.lower()).split())


def _document_place(state: DocState, figure_sentences: list[int]) -> str | None:
    """The place a document is about as a whole: named in its title, repeated in its text,
    and not outnumbered by other places in the sentences that state figures."""
    title = state.doc.title or ""
    if not title:
        return None
    for t in find_places(title, 0, len(title)):
        words = [
            w for w in re.findall(r"[A-Z][\w’'\-]+", t.name) if w.lower() not in _GENERIC_PLACE
        ]
        if not words:
            continue
        core = max(words, key=len)
        hits = _count_word(state.text, core)
        key = _norm(t.name)
        others = sum(
            1
            for i in figure_sentences
            for p in state.sentence_places(i)
            if not (key in _norm(p.name) or _norm(p.name) in key or core.lower() in _norm(p.name))
        )
        if hits >= 1 and hits >= others:
            return t.name
    return None


_OWNER_AFTER = re.compile(r"[’']s\s+[A-Z]")


def _count_word(text: str, word: str) -> int:
    """How often ``word`` stands as a whole word in ``text``, not as an owner ("Gaza's Health
    Ministry"). A plain find loop: a regex built per document would be compiled every time."""
    count = 0
    pos = text.find(word)
    n = len(word)
    while pos >= 0:
        end = pos + n
        left_ok = pos == 0 or not (text[pos - 1].isalnum() or text[pos - 1] == "_")
        right_ok = end == len(text) or not (text[end].isalnum() or text[end] == "_")
        if left_ok and right_ok and not _OWNER_AFTER.match(text, end):
            count += 1
        pos = text.find(word, pos + 1)
    return count


_GENERIC_PLACE = frozenset(
    [
        "north",
        "south",
        "east",
        "west",
        "northern",
        "southern",
        "eastern",
        "western",
        "northwest",
        "northeast",
        "southwest",
        "southeast",
        "central",
        "rural",
        "greater",
        "upper",
        "lower",
        "strip",
        "province",
        "governorate",
        "region",
        "state",
        "district",
        "city",
        "town",
        "countryside",
        "area",
    ]
)
