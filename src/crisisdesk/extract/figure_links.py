"""Which figure a figure leans on: a pair in brackets ("400 families (2,000 people)"), a
part after "including" or "of them", the next item of a list of parts, an addition
("another 12"), a number with no noun of its own ("and nine were wounded"), parts by place.
``reading`` calls ``link`` for each figure of a sentence, with the figures before it."""

from __future__ import annotations

import re
from functools import cache

from crisisdesk.extract import categories as cat
from crisisdesk.extract.categorise import opens_a_whole
from crisisdesk.extract.compiled import compile_rx
from crisisdesk.extract.draft import PART_LINKS, Draft
from crisisdesk.extract.figure_verbs import PEOPLE_UNITS
from crisisdesk.extract.link_patterns import RELATIVE_BODY, link_patterns
from crisisdesk.extract.parts_by_place import (
    whole_by_place,
    whole_of,
    whole_placed_after,
)
from crisisdesk.vocab import vocab_list

_AFTER_NOUN = compile_rx(r"[a-z]{3,}\s*,\s*$")
_RELATIVE_NEXT = compile_rx(rf"\s*,?\s*{RELATIVE_BODY}", re.I)  # right after the noun


@cache
def _keywords(key: str) -> tuple[str, ...]:
    """The longest word of each phrase of a links.yaml list: a window without any of them
    cannot hold a phrase of the list (a cheap test before the regular expression)."""
    return tuple({max(p.lower().split(), key=len) for p in vocab_list("links", key) if p.split()})


def _may_hold(window: str, keywords: tuple[str, ...]) -> bool:
    """False only when ``window`` surely holds none of the phrases; non-ASCII text always
    goes to the regular expression, whose case-blind matching knows more letters."""
    if not window.isascii():
        return True
    low = window.lower()
    return any(k in low for k in keywords)


def link(text: str, d: Draft, same: list[Draft], previous: list[Draft]) -> None:
    """Find the figure this one depends on, if any."""
    prior = same[-1] if same else None
    if prior is not None and _link_to_prior(text, d, prior):
        if d.link == "including" and d.ante is prior and _closed_aside(text, same, d):
            d.ante = same[-2]  # "8,410 civilians (as of 30 April some 8,390), including 3,120"
        if d.link == "including" and d.ante is not None:
            d.ante = _including_whole(text, d, d.ante, same)
        return
    candidates = same or previous
    if d.head.partitive:
        if not same and _AFTER_NOUN.search(
            text, max(d.sentence.start, d.qual_start - 40), d.qual_start
        ):
            candidates = []  # "for civilians, thousands of whom were killed": the noun's part
        d.link, d.ante = "partitive", (candidates[-1] if candidates else None)
        return
    plain_part = (  # "This includes 1.8 million people in Tigray": people like those before
        d.head.entry is not None
        and d.head.entry.category is None
        and _THIS_INCLUDES.fullmatch(text, d.sentence.start, d.qual_start) is not None
    )
    if (
        (
            d.head.entry is None
            or plain_part
            or _VICTIMS_INCLUDED.fullmatch(text, d.sentence.start, d.qual_start)
        )
        and previous
        and not same
        and _LEADING_PART.fullmatch(text, d.sentence.start, d.qual_start)
    ):
        whole = previous[-1]
        if plain_part:  # (the people before, not the sites counted after them)
            unit = d.head.entry.unit  # type: ignore[union-attr]
            whole = next(
                (x for x in reversed(previous) if x.head.entry and x.head.entry.unit == unit), whole
            )
        d.link, d.ante = "including", whole_of(whole)  # "Of these, some 569,000 are children"
        return
    placed = whole_placed_after(text, d, previous) if previous and not same else None
    if placed is not None:
        d.link, d.ante = "including", placed  # "10 schools were hit. Seven schools were in A"
        return
    if _is_additive(text, d):
        d.link, d.ante = "additive", (whole_of(candidates[-1]) if candidates else None)
        return
    if d.head.entry is None and prior is not None and opens_a_whole(text, prior):
        d.link, d.ante = "partitive", prior  # "Of the 640 schools in Marib, 210 were damaged"
        return
    if prior is not None and _named_part_of_opening_whole(text, d, prior):
        d.link, d.ante = "including", prior  # "Among the 30 victims were four women"
        return
    if d.head.entry is None:
        _link_elliptical(text, d, prior, candidates)


# "Among the 30 victims were four women", "Of the 9 dead, two were children": the whole
# opens the sentence, the part follows its noun right after a verb of being or a comma
_AMONG_THE = compile_rx(r"\s*(?:among|of)\s+the\s+", re.I)
_BEING_BETWEEN = compile_rx(r"\s*(?:(?:were|was|are|is)\s+(?:also\s+)?|,\s*)", re.I)


def _named_part_of_opening_whole(text: str, d: Draft, prior: Draft) -> bool:
    """A smaller count of the same harm (or of no harm of its own) named right after the
    whole that opens its sentence: one of its parts."""
    if prior.m.value is None or d.m.value is None or d.m.value >= prior.m.value:
        return False
    if _AMONG_THE.fullmatch(text, d.sentence.start, prior.qual_start) is None:
        return False
    entry, whole = d.head.entry, prior.head.entry
    if entry is not None and entry.category not in (None, whole and whole.category):
        return False
    return _BEING_BETWEEN.fullmatch(text, prior.np_end, d.qual_start) is not None


# "Of these, ...", "This includes nine ...": a part of the figure before (who counted it
# may come first: "According to the monitor, this number includes ...")
_ACCORDING = r"(?:according\s+to\s+[^,.;:]{1,60},\s*)?"
# "Among the victims were 4 women and 10 children"
_AMONG_VICTIMS = (
    r"among\s+the\s+(?:victims|dead|fatalities|casualties|killed|wounded|injured)\s+(?:were|are)"
)
_LEADING_PART = compile_rx(
    rf"\s*{_ACCORDING}(?:(?:of|among)\s+(?:these|them|those|this\s+number|this\s+total|the\s+total)"
    r"\s*,?|(?:(?:this|these)\s+(?:(?:figure|number|toll|total)\s+)?"
    r"|the\s+(?:figure|number|toll|total)\s+)(?:also\s+)?includ(?:es?|ed)"
    r"|the\s+(?:victims|dead|fatalities|deaths)\s+includ(?:es?|ed)"
    rf"|{_AMONG_VICTIMS})\s*",
    re.I,
)
_THIS_INCLUDES = compile_rx(rf"\s*{_ACCORDING}(?:this|these)\s+includ(?:es?|ed)\s*", re.I)
# "The fatalities included 65 children and 43 women", "this number includes 745 civilians":
# the people of the toll before, by kind
_VICTIMS_INCLUDED = compile_rx(
    rf"\s*{_ACCORDING}(?:(?:the\s+(?:victims|dead|fatalities|deaths)"
    r"|(?:this|these|the)\s+(?:figure|number|toll|total))\s+(?:also\s+)?includ(?:es?|ed)"
    rf"|{_AMONG_VICTIMS})\s*",
    re.I,
)


_PART_REACH = 90  # characters from a whole's noun to a part that "including" introduces


def _closed_aside(text: str, same: list[Draft], d: Draft) -> bool:
    """The figure before ``d`` stands in brackets after another figure, closed before ``d``
    ("8,410 civilians (as of 30 April some 8,390), including 3,120 killed"): an aside, the
    part belongs to the figure before the brackets."""
    if len(same) < 2:
        return False
    whole, aside = same[-2], same[-1]
    opened = text.rfind("(", whole.np_end, aside.qual_start)
    return (
        opened >= 0
        and ")" not in text[opened : aside.qual_start]
        and ")" in text[aside.m.end : d.qual_start]
        and "(" not in text[aside.m.end : d.qual_start]
    )


def _link_to_prior(text: str, d: Draft, prior: Draft) -> bool:
    """A pair in brackets, a part after "including", or the next item of a list of parts."""
    rx = link_patterns()
    gap = text[prior.np_end : d.qual_start]
    if _bracketed_part(gap, d, prior):
        d.link, d.ante = "including", prior  # "nine civilians (four children and two women)"
        return True
    if rx["pair"].fullmatch(gap) and rx["including"].search(gap):
        d.link, d.ante = "including", prior  # "10 schools (including two preschools)"
        return True
    if rx["pair"].fullmatch(gap) or (
        people_then_households(d, prior) and rx["household_pair"].fullmatch(gap)
    ):
        d.link, d.ante = "pair", prior
        return True
    between = text[prior.m.end : d.qual_start]
    # (the verb and its place may come between: "Six civilians were killed in the town of
    # Idlib, including a schoolboy and three teachers")
    if len(gap) < _PART_REACH and rx["including"].search(between):
        d.link, d.ante = "including", prior
        return True
    if rx["colon"].fullmatch(gap) and (d.head.entry is None or d.head.entry == prior.head.entry):
        d.link, d.ante = "including", prior  # "four attacks: three in Ariha and one in Kafr"
        return True
    if _next_part(text, d, prior):
        d.link, d.ante = prior.link, prior.ante  # "including one girl, seven women and 12 men"
        return True
    return False


def _bracketed_part(gap: str, d: Draft, prior: Draft) -> bool:
    """A bracket that opens on people of one kind after a count of people ("nine civilians
    (four children and two women)"): the bracket names parts of the count, not the same
    people counted again in another unit (links.yaml ``bracketed_parts``)."""
    if gap.strip() != "(" or prior.head.entry is None or d.head.entry is None:
        return False
    if prior.head.entry.unit != "people" or d.head.entry.unit != "people":
        return False
    return d.head.subject.lower() in _bracketed_part_nouns() and (
        prior.head.subject.lower() not in _bracketed_part_nouns()
    )


@cache
def _bracketed_part_nouns() -> frozenset[str]:
    return frozenset(w.lower() for w in vocab_list("links", "bracketed_parts"))


def people_then_households(d: Draft, prior: Draft) -> bool:
    """People counted first, then the households they make up ("in 1,020 households")."""
    return (
        prior.head.entry is not None
        and prior.head.entry.unit == "people"
        and d.head.entry is not None
        and d.head.entry.unit == "families"
    )


def _including_whole(text: str, d: Draft, whole: Draft, same: list[Draft]) -> Draft:
    """ "94 people were killed and 139 injured, including 51 killed and 75 injured": a part
    that says what happened to it belongs to the figure of the list that says the same,
    not to the list's last figure."""
    said = _said_category(d)
    if said is None or _said_category(whole) in (None, said) or whole not in same:
        return whole
    k = same.index(whole)
    run = [whole]
    for step in (-1, 1):  # the list the whole is in: its partners on either side
        j = k
        while 0 <= j + step < len(same):
            a, b = (same[j + step], same[j]) if step < 0 else (same[j], same[j + step])
            nxt = same[j + step]
            if nxt.link in PART_LINKS or not link_patterns()["partner_gap"].fullmatch(
                text, a.np_end, b.qual_start
            ):
                break
            run.append(nxt)
            j += step
    return next((e for e in run if _said_category(e) == said), whole)


def _said_category(d: Draft) -> str | None:
    """What a figure's own words say happened: its verb after ("were killed") or its noun
    ("139 injured")."""
    return d.fwd or (d.head.entry.category if d.head.entry else None)


def _earlier_state(text: str, d: Draft) -> bool:
    """A relative clause of what a listed part had done or was doing ("4 women, who had
    sought shelter there"; "children who had fled"), not what the whole's event did."""
    return _RELATIVE_NEXT.match(text, d.np_end) is not None


def _next_part(text: str, d: Draft, prior: Draft) -> bool:
    """True when ``d`` continues a list of parts after ``prior`` and says nothing else
    happened to them ("of whom 60 men and 13 women were injured", "three in Ariha and one
    in Kafr")."""
    ante = prior.ante
    if prior.link not in PART_LINKS or ante is None:
        return False
    if d.head.entry is None:
        return d.fwd is None and bool(
            link_patterns()["partner_gap"].fullmatch(text, prior.np_end, d.qual_start)
        )
    gap_ok = link_patterns()["list_gap"].fullmatch(text, prior.np_end, d.qual_start) or (
        # parts by place: "1.8 million people in Tigray, more than 151,000 people in Amhara"
        d.head.entry == prior.head.entry
        and _PLACE_ITEM_GAP.fullmatch(text, prior.np_end, d.qual_start)
    )
    return bool(gap_ok) and (d.fwd is None or d.fwd == ante.category or _earlier_state(text, d))


_PLACE_ITEM_GAP = compile_rx(
    r"\s+(?:in|at)\s+(?:the\s+)?[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*){0,3}\s*(?:,\s*(?:and\s+)?|\s+and\s+)"
)


def _is_additive(text: str, d: Draft) -> bool:
    """ "another 12", "a further 300", "and 54 others" (with no noun of its own)."""
    rx = link_patterns()
    window = text[max(0, d.m.start - 24) : d.m.start]
    if _may_hold(window, _keywords("additive_before")) and rx["additive_before"].search(window):
        return True
    return bool(rx["additive_after"].match(text, d.m.end)) and not d.head.entry


def _link_elliptical(text: str, d: Draft, prior: Draft | None, candidates: list[Draft]) -> None:
    """A number with no noun repeats the noun of the figure before it."""
    if prior is not None and prior.unit and _ellipsis_gap(text, d, prior):
        d.link, d.ante = "elliptical", prior  # "1,200 homes were destroyed and 4,500 damaged"
        return
    whole = whole_by_place(text, d, prior) if prior is not None and prior.unit else None
    if whole is not None:
        d.link, d.ante = "elliptical", whole  # "6 schools were hit: three in Ariha, two in ..."
        return
    people = [c for c in candidates if c.unit in PEOPLE_UNITS]
    d.link, d.ante = "elliptical", (whole_of(people[-1]) if people else None)


def _ellipsis_gap(text: str, d: Draft, prior: Draft) -> bool:
    """The words between two figures leave out the noun of the second: "homes were destroyed
    and 4,500 damaged", "destroyed 45 homes and damaged 120" (not "and forced 900 to flee",
    whose verb is about people)."""
    rx = link_patterns()
    gap = text[prior.np_end : d.qual_start]
    if rx["ellipsis"].search(gap):
        return True
    if d.fwd is not None or not rx["ellipsis_verb_first"].search(gap):
        return False
    verb = cat.cue_before(text, prior.np_end, d.qual_start, d.cues)
    return verb is None or not cat.is_people_category(verb[0])
