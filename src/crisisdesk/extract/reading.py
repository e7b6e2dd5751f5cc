"""Reading one sentence: each number's counted noun, qualifier and cues, and the
figure it leans on (a pair in brackets, "including", "of them", "another", an
elliptical "and nine were wounded")."""

from __future__ import annotations

import re

from crisisdesk.extract import categories as cat
from crisisdesk.extract.categorise import categorise
from crisisdesk.extract.draft import DocState, Draft
from crisisdesk.extract.filters import non_figure
from crisisdesk.extract.numbers import NumberMention
from crisisdesk.extract.qualifiers import approx_after, qualifier_before
from crisisdesk.extract.text import Sentence, clauses
from crisisdesk.model import Qualifier

_INCLUDING = re.compile(
    r"(?:including|among\s+them|among\s+whom|among\s+(?:the|those)\s+\w+|mostly|of\s+whom|of\s+them)"
    r"\s*(?:at\s+least\s+|some\s+|about\s+|nearly\s+|more\s+than\s+|over\s+)?$",
    re.I,
)
_ADDITIVE_BEFORE = re.compile(
    r"\b(?:another|a\s+further|an\s+additional|an\s+extra|in\s+addition\s+to)\s+"
    r"(?:[a-z]+\s+){0,2}$",
    re.I,
)
_INCLUDING_HINT = re.compile(r"(?i:includ|among|mostly|of\s+wh|of\s+them)")
_ADDITIVE_HINT = re.compile(r"(?i:another|further|additional|extra|addition)")
_ADDITIVE_AFTER = re.compile(r"\s+(?:more|other|others|additional|further)\b", re.I)
_ELLIPSIS_GAP = re.compile(
    r"^\s+(?:(?:were|was|have\s+been|had\s+been|are)\s+)?[a-z]+(?:\s+[a-z]+)?\s*,?\s*(?:and|while)\s+$"
)
_PAIR_GAP = re.compile(r"\s*[(\[]\s*(?:[a-z]+\s+){0,3}$", re.I)
_COORD_GAP = re.compile(r"\s*(?:,\s*)?(?:and|or|as\s+well\s+as)?\s*$", re.I)
_ESTIMATED = re.compile(r"\bestimat(?:ed|es|e)\s+(?:that\s+)?(?:[^.;,]{0,40}?\s)?", re.I)
_FILLER = re.compile(
    r"(?:\b(?:another|a\s+further|an\s+additional|an\s+extra|a\s+total\s+of)\s+)$", re.I
)
_ONE_AFTER = re.compile(r"\b(?:at|the|in|on|for|with|of)\s+$", re.I)
_AND_OR = re.compile(r"\s*(?:and|or)\s*")
_NO_HEAD = cat.Head(None, "", 0)


def read_sentence(
    state: DocState, sent: Sentence, mentions: list[NumberMention], earlier: list[Draft]
) -> list[Draft]:
    text = state.text
    spans = clauses(text, sent.start, sent.end)
    drafts: list[Draft] = []
    prev_end = sent.start
    estimated = (
        _ESTIMATED.search(text, sent.start, sent.end)
        if state.low.find("estimat", sent.start, sent.end) >= 0
        else None
    )
    for m in mentions:
        clause = next(((a, b) for a, b in spans if a <= m.start < b), (sent.start, sent.end))
        reason = non_figure(text, m)
        if reason:  # a year, a date, a measure...: no need to read its noun or qualifier
            drafts.append(Draft(m, sent, clause, m.start, _NO_HEAD, m.end, dropped=reason))
            prev_end = m.end
            continue
        head = cat.read_head(text, m.end, sent.end)
        np_end = head.end if head.entry or head.partitive else m.end
        got = qualifier_before(text, m.start, prev_end)
        qualifier, qual_start = got if got else (None, m.start)
        filler = _FILLER.search(text[max(prev_end, qual_start - 20) : qual_start])
        if filler:
            qual_start = max(prev_end, qual_start - 20) + filler.start()
        if qualifier is None and estimated and estimated.end() <= qual_start:
            qualifier = Qualifier.APPROX
        d = Draft(m, sent, clause, qual_start, head, np_end, qualifier=qualifier)
        if (
            m.kind == "words"
            and text[m.start : m.end].lower() == "one"
            and (
                not head.entry
                or head.entry.kind not in ("civilian", "fighter")
                or _ONE_AFTER.search(text[max(0, m.start - 6) : m.start])
            )
        ):
            d.dropped = "pronoun or article"
        if m.is_vague or approx_after(text, np_end, sent.end):
            d.qualifier = Qualifier.APPROX
        drafts.append(d)
        prev_end = m.end
    live = [d for d in drafts if not d.dropped]
    for d in live:
        got = cat.cue_after(text, d.np_end, d.sentence.end)
        d.fwd = got[0] if got else None
        people = d.head.entry is not None and d.head.entry.unit in ("people", "families")
        if d.fwd == "facilities_damaged" and people:
            d.fwd = None  # "killed 1,600 civilians, destroyed homes": the verb is about homes
    _share_coordinated(text, live)
    previous_live = [e for e in earlier if e.sentence.paragraph == sent.paragraph] or earlier[-1:]
    for k, d in enumerate(live):
        before_in_sentence = [e for e in live[:k] if not e.dropped]
        _link(text, d, before_in_sentence, previous_live)
        d.cues = state.cues(sent.index)
        categorise(text, d)
        if (
            not d.dropped
            and d.m.kind == "words"
            and text[d.m.start : d.m.end].lower() == "one"
            and d.category not in ("killed", "injured", "fighters_killed", "detained", "missing")
        ):
            d.dropped = "pronoun or article"
    return drafts


def _share_coordinated(text: str, live: list[Draft]) -> None:
    """ "two boys and seven other people were hurt": the verb and qualifier are shared."""
    for k in range(len(live) - 2, -1, -1):
        a, b = live[k], live[k + 1]
        gap = text[a.np_end : b.qual_start]
        coordinated = _COORD_GAP.fullmatch(gap) and ("and" in gap or "or" in gap)
        if a.head.entry and coordinated and a.fwd is None and b.fwd is not None:
            a.fwd = b.fwd
    for k in range(1, len(live)):
        a, b = live[k - 1], live[k]
        gap = text[a.np_end : b.m.start]
        if b.qualifier is None and _AND_OR.fullmatch(gap):
            b.qualifier = a.qualifier


def _link(text: str, d: Draft, same: list[Draft], previous: list[Draft]) -> None:
    """Find the figure this one depends on, if any."""
    prior = same[-1] if same else None
    if prior is not None:
        gap = text[prior.np_end : d.qual_start]
        if _PAIR_GAP.fullmatch(gap):
            d.link, d.ante = "pair", prior
            return
        between = text[prior.m.end : d.qual_start]
        if len(gap) < 60 and _INCLUDING_HINT.search(between) and _INCLUDING.search(between):
            d.link, d.ante = "including", prior
            return
    candidates = same or previous
    if d.head.partitive:
        d.link, d.ante = "partitive", (candidates[-1] if candidates else None)
        return
    window = text[max(0, d.m.start - 24) : d.m.start]
    if (_ADDITIVE_HINT.search(window) and _ADDITIVE_BEFORE.search(window)) or (
        _ADDITIVE_AFTER.match(text, d.m.end) and not d.head.entry
    ):
        d.link, d.ante = "additive", (_whole(candidates[-1]) if candidates else None)
        return
    if d.head.entry is None:
        if (
            prior is not None
            and prior.unit
            and _ELLIPSIS_GAP.search(text[prior.np_end : d.qual_start])
        ):
            d.link, d.ante = "elliptical", prior  # "1,200 homes were destroyed and 4,500 damaged"
            return
        people = [c for c in candidates if c.unit in ("people", "families")]
        d.link, d.ante = "elliptical", (_whole(people[-1]) if people else None)


def _whole(d: Draft) -> Draft:
    """ "killed 11 people, including two children, and injured 54 others": the others are
    people like the 11, not children; a part's figure refers back to its whole."""
    while d.link in ("including", "partitive") and d.ante is not None and d.ante is not d:
        d = d.ante
    return d
