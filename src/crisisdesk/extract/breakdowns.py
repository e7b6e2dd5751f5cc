"""Totals whose parts the document gives after them: "20 killed ... 19 of them in one
town", "18 killed ... seven in A, seven in B and four in C". Such a figure is a
total of those parts (``totals.mark_totals`` reads ``broken_down``).
"""

from __future__ import annotations

from crisisdesk.extract.draft import PART_LINKS, Draft

_SIBLING = ("additive", "elliptical")
_NO_PARTS = ("in_need", "other")
_PARTS_LOOKAHEAD = 8  # later figures of the same category a breakdown is looked for in


def _own_places(d: Draft) -> set[str]:
    """The places read in the figure's own sentence (not carried from elsewhere)."""
    s = d.sentence
    return {
        name.lower()
        for name, span in zip(d.places, d.place_spans, strict=False)
        if s.start <= span[0] < s.end
    }


def _places_after(d: Draft, start: int) -> set[str]:
    """The places a figure was given from words after ``start`` (its own sentence, or the
    sentence just before it that set its event: "A drone struck a car in A. The ministry
    said two were killed in the attack")."""
    return {
        name.lower()
        for name, span in zip(d.places, d.place_spans, strict=False)
        if start <= span[0] < d.sentence.end and span[1] > span[0]
    }


def _has_breakdown(total: Draft, later: list[Draft]) -> bool:
    """Whether the figures after ``total`` (same category) break it down by place: smaller
    counts in other places whose sum stays within it ("20 killed ... 19 of them in one town",
    "18 killed ... seven in A, seven in B and four in C")."""
    v = total.m.value
    if v is None or v < 2 or total.link in _SIBLING:
        return False
    home = _own_places(total)
    got = 0
    count = 0
    for g in later:
        gv = g.m.value
        if _sibling_of(g, total):
            return False  # listed beside it ("nine in A, six in B"): a sibling, not a part
        if g.link in PART_LINKS or g.link == "pair" or gv is None:
            continue
        if _other_day(total, g):
            break
        if gv >= v:
            if gv == v and g.link not in _SIBLING:
                continue  # the same toll said again
            break
        places = _places_after(g, total.sentence.end)
        # a total over several places is broken down by each of them ("158 dead in A, B and
        # C ... 49 in A, 25 in B"); a count in the total's one place says it again
        again = places <= home and not (places < home and len(home) > 1)
        if not places or again or g.sentence.index == total.sentence.index:
            continue
        got += gv
        count += 1
        if got > v:
            return False
    return count >= 2 or 10 * got >= 9 * v  # several places, or one with nearly all of it


def _sibling_of(g: Draft, total: Draft) -> bool:
    """``g`` is listed beside ``total``: added to it ("a further six"), or left without a
    noun in the same sentence ("nine in A, six in B"); a noun-less count in a later
    sentence ("Seven died in Sarmin") may be one of its parts."""
    if g.link == "additive":
        return _leans_on(g, total)
    same_sentence = g.sentence.index == total.sentence.index
    return g.link == "elliptical" and same_sentence and _leans_on(g, total)


def _leans_on(d: Draft, total: Draft, depth: int = 6) -> bool:
    """Whether ``d`` reaches ``total`` through its chain of antecedents."""
    a = d.ante
    while a is not None and depth > 0:
        if a is total:
            return True
        a, depth = a.ante, depth - 1
    return False


def _other_day(a: Draft, b: Draft) -> bool:
    pa, pb = a.period, b.period
    return bool(pa and pb and pa.date_start and pb.date_start and pa.date_start != pb.date_start)


def broken_down(drafts: list[Draft]) -> set[int]:
    """ids of the figures whose parts the document gives after them (bounded lookahead)."""
    by_category: dict[str, list[Draft]] = {}
    for d in drafts:
        if d.category and d.category not in _NO_PARTS and d.link not in PART_LINKS:
            by_category.setdefault(d.category, []).append(d)
    out: set[int] = set()
    for figures in by_category.values():
        for i, d in enumerate(figures):
            if _has_breakdown(d, figures[i + 1 : i + 1 + _PARTS_LOOKAHEAD]):
                out.add(id(d))
    return out
