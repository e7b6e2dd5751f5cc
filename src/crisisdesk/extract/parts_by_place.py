"""Parts of a figure told by place: "6 schools were hit: three in Ariha, two in Sarmin",
"10 schools were hit ... Seven schools were in Idlib city, two in ...". A bare number (or
a smaller count of the same things) followed by "in <Place>" right after a figure of
things is one of its parts; reading links it to that whole. (A smaller place named
inside a larger one, "the Al-Mawasi area of Khan Yunis", is ``place_parts``.)"""

from __future__ import annotations

from crisisdesk.extract.compiled import compile_rx
from crisisdesk.extract.draft import PART_LINKS, Draft
from crisisdesk.extract.figure_verbs import PEOPLE_UNITS

# "in <Place>" right after a number: a part by place ("four in Danga")
PLACE_PART = compile_rx(r"\s+(?:in|at)\s+(?:the\s+)?(?:[a-z]+\s+){0,3}?[A-Z]")


def whole_of(d: Draft) -> Draft:
    """ "killed 11 people, including two children, and injured 54 others": the others are
    people like the 11, not children; a part's figure refers back to its whole."""
    while d.link in PART_LINKS and d.ante is not None and d.ante is not d:
        d = d.ante
    return d


# "Seven schools were in Idlib city": where some of the things just counted were
_WERE_IN_PLACE = compile_rx(r"\s+(?:were|was|are|is)\s+(?:located\s+)?(?:in|at)\s+(?:the\s+)?[A-Z]")


def whole_placed_after(text: str, d: Draft, previous: list[Draft]) -> Draft | None:
    """The figure of the sentence before that a sentence opening with a smaller count of
    the same things, only said to be in a place, breaks down ("10 schools were hit ...
    Seven schools were in Idlib city, two in ..."): those things are some of it."""
    entry = d.head.entry
    if entry is None or entry.unit in PEOPLE_UNITS or d.m.value is None:
        return None
    if not _WERE_IN_PLACE.match(text, d.np_end):
        return None
    for x in reversed(previous):
        if x.head.entry is entry and x.m.value is not None and d.m.value < x.m.value:
            return whole_of(x)
    return None


# what sets the parts off from their whole: a comma, a colon or a dash, a few words before
_PARTS_GAP = compile_rx(r"[^.;:,—–]{0,30}[:,—–]\s*")
# from one part by place to the next: "three in Ariha, two in Sarmin and one in ..."
_NEXT_PART_GAP = compile_rx(r"\s+(?:in|at)\s+[^.;:,]{1,40}?(?:,\s*(?:and\s+)?|\s+and\s+)")


def whole_by_place(text: str, d: Draft, prior: Draft) -> Draft | None:
    """ "Six schools were damaged, two in Sarmin and one in Binnish": bare numbers right
    after a figure of things, set off by a comma or a colon, each followed by "in <Place>",
    are its parts by place (parts of people are linked as lists of parts are)."""
    if not PLACE_PART.match(text, d.np_end):
        return None
    if prior.link == "elliptical" and prior.ante is not None and prior.m.end == prior.np_end:
        whole = prior.ante  # the next part of the same list
        if whole.unit not in PEOPLE_UNITS and _NEXT_PART_GAP.fullmatch(
            text, prior.np_end, d.qual_start
        ):
            return whole
        return None
    if prior.unit in PEOPLE_UNITS or prior.link in PART_LINKS:
        return None
    return prior if _PARTS_GAP.fullmatch(text, prior.np_end, d.qual_start) else None
