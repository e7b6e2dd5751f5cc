"""Sources that come from around a sentence rather than from its own words: a quotation
that runs over several sentences or paragraphs is its speaker's, a paragraph closed by a
citation ("Source: AWSD") is that source's, and a key-figure line credited on the line under
it ("UN – January 2022") is that organisation's. attribution.py asks these once a document,
after it has read each sentence's own speaker."""

from __future__ import annotations

import re
from functools import cache

from crisisdesk.extract.compiled import compile_rx
from crisisdesk.extract.draft import DocState
from crisisdesk.extract.speakers import cites_paragraph
from crisisdesk.vocab import month_numbers, phrase_pattern

Span = tuple[int, int]
Named = tuple[str | None, Span | None]  # a source and the words it was read from
_QUOTE_OPEN = '“"'


def surrounding_sources(
    state: DocState, own: list[Named | None], named: list[list[tuple[int, int, str]]]
) -> dict[int, Named]:
    """The source each sentence takes from around it, by sentence index: ``own`` is each
    sentence's own speaker (None: it names none), ``named`` the organisations it names."""
    quoted = _quotations(state, own)
    quoted.update(_cited_paragraphs(state, own))
    for k, credited in _credit_lines(state, named).items():
        quoted.setdefault(k, credited)
    for k, speaker in _open_quotations(state, own).items():
        quoted.setdefault(k, speaker)
    return quoted


def has_digit(text: str, start: int, end: int) -> bool:
    return any(ch.isdigit() for ch in text[start:end])


def _quotations(state: DocState, speakers: list[Named | None]) -> dict[int, Named]:
    """Sentences inside a quotation that runs over several sentences take the speaker
    named after it ("“... . Among the dead are 382 children ...,” Bogner said.")."""
    out: dict[int, Named] = {}
    text, sents = state.text, state.sents
    i = 0
    while i < len(sents):
        s = sents[i]
        body = text[s.start : s.end]
        if body[:1] in _QUOTE_OPEN and not _closes(body[1:]):
            for j in range(i + 1, min(len(sents), i + 6)):
                if sents[j].paragraph != s.paragraph:
                    break
                if _closes(text[sents[j].start : sents[j].end]):
                    own = speakers[j]
                    if own is None and j + 1 < len(sents) and sents[j + 1].paragraph == s.paragraph:
                        own = speakers[j + 1]  # “... .” Read part of the report.
                    if own is not None and own[0]:
                        for k in range(i, j):
                            out[k] = own
                    i = j
                    break
        i += 1
    return out


def _open_quotations(state: DocState, speakers: list[Named | None]) -> dict[int, Named]:
    """A speaker who opens a quotation that runs on over paragraphs, each reopened with a
    quotation mark and the last closing it (“... // “... // “...”), speaks all of them."""
    out: dict[int, Named] = {}
    text, sents = state.text, state.sents
    speaker: Named | None = None
    i = 0
    while i < len(sents):
        j = i
        while j + 1 < len(sents) and sents[j + 1].paragraph == sents[i].paragraph:
            j += 1
        body = text[sents[i].start : sents[j].end]
        if speaker is not None and body[:1] in _QUOTE_OPEN:
            for k in range(i, j + 1):
                if speakers[k] is None:
                    out[k] = speaker
        else:  # the speaker of the sentence that opens the quotation ("X said, “...")
            opens = [k for k in range(i, j + 1) if _left_open(text[sents[k].start : sents[k].end])]
            own = speakers[opens[-1]] if opens else None
            speaker = own if own is not None and own[0] else None
        if not _left_open(body):
            speaker = None
        i = j + 1
    return out


def _left_open(body: str) -> bool:
    """A paragraph that opens a quotation and does not close it."""
    if "“" in body or "”" in body:
        return body.count("“") > body.count("”")
    return body.count('"') % 2 == 1


def _cited_paragraphs(state: DocState, speakers: list[Named | None]) -> dict[int, Named]:
    """A paragraph closed by a citation sentence ("Source: AWSD") is that source's."""
    out: dict[int, Named] = {}
    sents = state.sents
    for j, s in enumerate(sents):
        own = speakers[j]
        if own is None or not own[0] or not cites_paragraph(state.text, s.start, s.end):
            continue
        k = j - 1
        while k >= 0 and sents[k].paragraph == s.paragraph:
            out.setdefault(k, own)
            k -= 1
    return out


def _credit_lines(state: DocState, named: list[list[tuple[int, int, str]]]) -> dict[int, Named]:
    """A key-figure box that credits each figure on a line of its own under it ("9.4 MILLION
    People Targeted ... // UN – January 2022"): the line before is that organisation's."""
    out: dict[int, Named] = {}
    sents, text = state.sents, state.text
    for j in range(1, len(sents)):
        s, names = sents[j], named[j]
        if len(names) != 1 or text[s.start : names[0][0]].strip():
            continue
        a, b, name = names[0]
        alone = sents[j - 1].paragraph != s.paragraph and (
            j + 1 == len(sents) or sents[j + 1].paragraph != s.paragraph
        )
        above = sents[j - 1]
        if (
            alone
            and _credit_date().fullmatch(text, b, s.end)
            and has_digit(text, above.start, above.end)
        ):
            out[j - 1] = (name, (a, b))
    return out


@cache
def _credit_date() -> re.Pattern[str]:
    """ " – January 2022", " - 3 May 2021": the date a credit line gives its figure."""
    months = phrase_pattern(list(month_numbers()))
    return compile_rx(
        rf"\s*[–—-]\s*(?:\d{{1,2}}\s+)?(?:(?:{months})\.?\s+)?(?:\d{{1,2}},?\s+)?\d{{4}}\s*", re.I
    )


def _closes(body: str) -> bool:
    """The text closes a quotation it did not open."""
    return "”" in body or body.count('"') % 2 == 1
