"""Which organisation a figure is attributed to.

In order: an attribution in the figure's own sentence (the nearest one), the
figure it is paired with, then attribution carried from neighbouring
sentences ("It added...", "..., the group said"), unless the sentence names a
speaker of its own that is no organisation ("..., local officials said").
"""

from __future__ import annotations

from crisisdesk.extract.draft import DocState, Draft
from crisisdesk.extract.sources import (
    carries_over,
    credits_someone_else,
    organisations,
    trailing_attribution,
)

Span = tuple[int, int]
Named = tuple[str | None, Span | None]  # a source and the words it was read from
_NONE: Named = (None, None)


def attribute(state: DocState, drafts: list[Draft]) -> None:
    """Fill each draft's source and the span of the words it was read from."""
    for d in drafts:
        d.source, d.source_span = choose_source(state, d)


def choose_source(state: DocState, d: Draft) -> Named:
    i = d.sentence.index
    attrs = state.attrs(i)
    if attrs:
        before = [a for a in attrs if a.start <= d.m.start]
        after = [a for a in attrs if a.start > d.m.start]
        chosen = (
            after[0]
            if after and (not before or d.m.start - before[-1].end > after[0].start - d.m.end)
            else (before[-1] if before else after[0])
        )
        return chosen.name, (chosen.start, chosen.end)
    if (
        d.link in ("pair", "including", "partitive")
        and d.ante is not None
        and d.ante.sentence.index == i
    ):
        return d.ante.source, d.ante.source_span
    return _sentence_source(state, i)


def _sentence_source(state: DocState, i: int) -> Named:
    """The source of a sentence without its own attribution (carried from its neighbours)."""
    if i in state.source_cache:
        return state.source_cache[i]
    text = state.text
    sent = state.sents[i]
    result: Named = _NONE
    if carries_over(text, sent.start, sent.end):
        result = _last_named(state, i)
    elif credits_someone_else(text, sent.start, sent.end, state.sources):
        state.source_cache[i] = _NONE
        return _NONE
    if result[0] is None:
        for j in range(i - 1, -1, -1):
            if state.sents[j].paragraph != sent.paragraph:
                break
            attrs = state.attrs(j)
            if attrs:
                result = attrs[-1].name, (attrs[-1].start, attrs[-1].end)
                break
            if carries_over(text, state.sents[j].start, state.sents[j].end):
                result = _last_named(state, j)
                break
    if result[0] is None and i + 1 < len(state.sents):
        nxt = state.sents[i + 1]
        if nxt.paragraph - sent.paragraph <= 1:
            got = trailing_attribution(text, nxt.start, nxt.end, state.sources)
            if got:
                result = got[2], (got[0], got[1])
    if result[0] is None and state.sources.voice:
        result = state.sources.voice, None
    if result[0] is None and state.sources.publisher:
        publisher = state.sources.publisher
        if any(a.name == publisher for j in range(len(state.sents)) for a in state.attrs(j)):
            result = publisher, None
    state.source_cache[i] = result
    return result


def _last_named(state: DocState, i: int) -> Named:
    """The organisation "it" or "the group" stands for: the last one credited, else the
    last one named in the few sentences before ("X issued its tally. ..., the group said.")."""
    for j in range(i - 1, -1, -1):
        attrs = state.attrs(j)
        if attrs:
            return attrs[-1].name, (attrs[-1].start, attrs[-1].end)
        if i - j <= 3:
            sent = state.sents[j]
            named = organisations(state.text, sent.start, sent.end, state.sources)
            if named:
                return named[-1][2], (named[-1][0], named[-1][1])
    return _NONE
