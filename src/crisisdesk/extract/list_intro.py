"""Lists introduced by a sentence that ends in a colon.

A report often states a period once and then breaks its count down line by line:

    Between 7 and 13 May, 655 households were displaced. Most arrived in:
    North (512 HH) - Town A (220 HH), Town B (118 HH) districts.
    South (51 HH) - ...

Each line is a paragraph of its own, yet it counts within the period of the sentence that
introduced it, not within a wider period stated before (which a new paragraph otherwise
goes back to).
"""

from __future__ import annotations

import re
from functools import cache

from crisisdesk.extract.compiled import compile_rx
from crisisdesk.extract.draft import DocState, Draft
from crisisdesk.vocab import phrase_pattern, vocab_list

LIST_REACH = 1600  # characters from the introducing colon to a line of its list


def introduced_by(state: DocState, paragraph: int, d: Draft) -> bool:
    """Whether paragraph ``paragraph`` ends in a colon that opens a list reaching figure ``d``
    (in a later paragraph, within reach)."""
    return opens_list_to(state, paragraph, d.sentence.paragraph, d.m.start)


def opens_list_to(state: DocState, paragraph: int, later: int, pos: int) -> bool:
    """Whether paragraph ``paragraph`` ends in a colon that opens a list reaching position
    ``pos`` of paragraph ``later``: no paragraph between them ends in a colon of its own
    (a new heading, "Other news:", ends the list)."""
    if paragraph < 0 or later <= paragraph:
        return False
    first = state.paragraph_spans.get(paragraph)
    if first is None or not 0 <= pos - first[1] <= LIST_REACH:
        return False
    if not _colon_at(state.text, first[1]):
        return False
    for k in range(paragraph + 1, later + 1):  # the list's lines so far, and the one of ``pos``
        line = state.paragraph_spans.get(k)
        if line is None or not _is_line(state, line[0]) or _colon_at(state.text, line[1]):
            return False
    return True


def _colon_at(text: str, end: int) -> bool:
    """Whether the last character before ``end`` that is not white space is a colon."""
    i = end - 1
    while i >= 0 and text[i].isspace():
        i -= 1
    return i >= 0 and text[i] == ":"


def _is_line(state: DocState, start: int) -> bool:
    """A line of a list: a bullet, a name with its count in brackets ("Marib (512 HH) - ..."),
    or a sentence announcing the next lines ("... in the following districts.")."""
    line = state.text.rfind("\n", 0, start) + 1
    if _ITEM.match(state.text, line):
        return True
    stop = state.text.find("\n", start)
    if _bare_item(state.text, line, stop if stop >= 0 else len(state.text)):
        return True
    return _announcers().search(state.low, start, stop if stop >= 0 else len(state.low)) is not None


_ITEM = compile_rx(r"[ \t]*(?:[-–•*·▪●]|[A-Z][^\n(.:]{0,40}\(\s*\d)")
_BARE_ITEM_REACH = 160  # characters: a list line whose bullet the page dropped is short


def _bare_item(text: str, line: int, stop: int) -> bool:
    """A list line whose bullet the page dropped: a short line of its own, opening with a
    capital or a figure, that ends in no full stop (a sentence would): "Delivered food to
    2,000 families" under "Since the war began, the agency has:"."""
    body = text[line:stop].strip()
    return (
        0 < len(body) <= _BARE_ITEM_REACH
        and (body[0].isupper() or body[0].isdigit())
        and body[-1] not in ".!?:"
    )


@cache
def _announcers() -> re.Pattern[str]:
    return compile_rx(rf"\b(?:{phrase_pattern(vocab_list('text', 'list_announcers'))})\b")


_FINITE = compile_rx(r"\b(?:is|are|was|were|has|have|had|will|would|did|does|do)\b")
_INTRO_BACK = 6  # paragraphs back in which the sentence opening a figure's list may stand


def intro_in_perfect(state: DocState, d: Draft, clause: str) -> bool:
    """ "The offensive has seen: // - At least 290,000 children displaced": a list line with
    no verb of its own counts in the tense of the sentence that opened the list, here a
    running count up to publication (the line's own verb, if any, decides instead)."""
    from crisisdesk.extract.totals import is_present_perfect  # (totals reads lists too)

    if _FINITE.search(clause.lower()):
        return False
    for k in range(d.sentence.paragraph - 1, max(-1, d.sentence.paragraph - 1 - _INTRO_BACK), -1):
        if introduced_by(state, k, d):
            last = next((s for s in reversed(state.sents) if s.paragraph == k), None)
            return last is not None and is_present_perfect(state.text[last.start : last.end])
    return False
