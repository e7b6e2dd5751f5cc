"""Tallies laid out as labelled lines under a heading that says what they count:

    The fatalities were distributed as follows:
    Regime forces: 47
    Civilians: 31, including 9 children.

Each number counts what the heading names (its cue: "fatalities", "deaths", "displaced"),
and its label says whose count it is; a label naming armed forces makes deaths fighters'.
"""

from __future__ import annotations

import re

from crisisdesk.extract import categories as cat
from crisisdesk.extract.compiled import compile_rx
from crisisdesk.extract.draft import Draft
from crisisdesk.vocab import nouns

# "Regime forces: " opening the number's line (a bullet may stand first)
_LABEL = compile_rx(r"(?:^|\n)[ \t•*·-]*(?P<label>[A-Z][^:\n.;]{1,160}?)\s*:\s*$")
_HEADING_REACH = 1600  # characters back to the heading line (its list may be long)


def labelled_tally(text: str, d: Draft) -> tuple[str, str, str] | None:
    """(unit, category, subject) of a number on a "Label: N" line under a heading ending in
    a colon whose words say what is counted; None when it is no such line."""
    line_start = text.rfind("\n", 0, d.m.start) + 1
    lo = max(0, line_start - 1)
    # the label ends with a colon right before the number: a line without one is not
    # searched (the pattern is tried at every position of the line)
    if not text[lo : d.qual_start].rstrip().endswith(":"):
        return None
    label = _LABEL.search(text, lo, d.qual_start)
    if label is None:
        return None
    heading = _heading_category(text, line_start)
    if heading is None:
        return None
    d.notes.append("tally label")  # the label names whose count it is (attribution reads it)
    unit, category = heading
    name = label.group("label").strip()
    words = name.lower().replace(",", " ").split()
    entry = nouns().get(words[-1])
    kinds = {e.kind for w in words if (e := nouns().get(w)) is not None}
    fighters = "fighter" in kinds or cat.fighter_words(name)
    if category == "killed" and fighters:
        category = "fighters_killed"
    # whose count the label says ("regime forces"); a label that is no noun of ours is
    # most often a place ("Ariha: 1,200"), which the places pass reads
    subject = name.lower() if entry is not None else unit
    return unit, category, subject


def bulleted_item(text: str, d: Draft) -> str | None:
    """The category of a number opening a bullet of a list under a heading that says what
    it counts ("..., which left 448 people dead; they are as follows: // • 201 civilians"),
    when every line between the heading and the item is a bullet too."""
    line_start = text.rfind("\n", 0, d.m.start) + 1
    if not _BULLET.fullmatch(text, line_start, d.qual_start):
        return None
    colon = text.rfind(":\n", max(0, line_start - _HEADING_REACH), line_start)
    if colon < 0 or not all(
        not line.strip() or _BULLET.match(line) for line in text[colon + 2 : line_start].split("\n")
    ):
        return None
    heading = _heading_category(text, line_start)
    return heading[1] if heading is not None else None


_BULLET = compile_rx(r"[ \t]*[•·▪*-][ \t]*")


def _heading_category(text: str, line_start: int) -> tuple[str, str] | None:
    """(unit, category) named by the nearest line before that ends in a colon: the list's
    heading (its items have their numbers after the colon, on the same line)."""
    colon = text.rfind(":\n", max(0, line_start - _HEADING_REACH), line_start)
    if colon < 0:
        return None
    head_start = text.rfind("\n", 0, colon) + 1
    return _counted(text, max(head_start, colon - 200), colon)


def _counted(text: str, start: int, end: int) -> tuple[str, str] | None:
    """What a heading counts: its first verb or noun of what happened to people (the first:
    "The fatalities were distributed as follows" counts the dead), in families when it
    says so ("Displaced families by district")."""
    words = [nouns().get(w) for w in _WORD.findall(text[start:end].lower())]
    unit = "families" if any(e is not None and e.unit == "families" for e in words) else "people"
    cues = [c for _, _, c in cat.cues_in(text, start, end) if cat.is_people_category(c)]
    named = [e.category for e in words if e is not None and cat.is_people_category(e.category)]
    found = cues[:1] or named[:1]
    return (unit, found[0]) if found else None  # type: ignore[return-value]


_WORD = compile_rx(r"[a-z][\w'-]*")
# a line of places with their counts in brackets: "Marib (88 HH) – Marib City (62 HH), ..."
_COUNTED_LINE = compile_rx(
    r"[ \t•*·-]*(?:[A-Z][\w’'-]*\s+){0,3}[A-Z][\w’'-]*\s*\(\s*\d[^()\n]{0,20}\)"
)
_LIST_LEAD = compile_rx(r":\s*$|\b(?:the\s+following|as\s+follows)\b", re.I)


def counted_place_line(text: str, d: Draft) -> str | None:
    """The category of a count in brackets after a place on a line of such counted places,
    from the heading the lines stand under ("Most displacements came from the following
    districts." / "Marib (55 HH) – Harib (32 HH), Al Jubah (16 HH) districts."): the nearest
    line before that is no such line, when it ends with a colon or says "the following"."""
    if not text[max(0, d.qual_start - 3) : d.qual_start].rstrip().endswith("("):
        return None  # the count opens a bracket
    line_start = text.rfind("\n", 0, d.m.start) + 1
    if not _COUNTED_LINE.match(text, line_start):
        return None
    end = line_start - 1
    while end > 0 and line_start - end < _HEADING_REACH:
        start = text.rfind("\n", 0, end) + 1
        line = text[start:end]
        if line.strip() and not _COUNTED_LINE.match(line):
            if not _LIST_LEAD.search(line):
                return None
            found = _counted(text, start, end)
            return found[1] if found else None
        end = start - 1
    return None


_HEADING_MAX = 60  # characters of a heading line ("Civilian fatalities")


def heading_category(text: str, d: Draft) -> str | None:
    """What a short heading line right above a figure's line names, when the figure opens
    its line and its sentence says nothing happened ("Civilian fatalities" / "65 civilians,
    including 13 children")."""
    line_start = text.rfind("\n", 0, d.m.start) + 1
    if text[line_start : d.qual_start].strip(" \t•*·-"):
        return None  # the figure does not open its line
    end = len(text[:line_start].rstrip())
    start = text.rfind("\n", 0, end) + 1
    line = text[start:end].strip()
    if not line or len(line) > _HEADING_MAX or line[-1] in ".:;!?,":
        return None
    found = _counted(text, start, end)
    return found[1] if found else None


_LABEL_MAX = 160  # characters of a key figure's label line


def value_under_label(text: str, d: Draft) -> tuple[str, str, str] | None:
    """(unit, category, subject) of a number that is a line of its own under the short line
    labelling it, as key-figure panels lay them out ("Refugees recorded across Europe" /
    "6,307,137"): the people the label counts, when it names them."""
    line_start = text.rfind("\n", 0, d.m.start) + 1
    line_end = text.find("\n", d.m.end)
    rest = text[d.m.end : line_end if line_end >= 0 else len(text)]
    if text[line_start : d.qual_start].strip() or rest.strip(" *\t"):
        return None  # the number is not alone on its line
    end = len(text[:line_start].rstrip())
    start = text.rfind("\n", 0, end) + 1
    label = text[start:end].strip()
    if not label or len(label) > _LABEL_MAX or label[-1] in ".;!?,:":
        return None
    for word in _WORD.findall(label.lower()):
        entry = nouns().get(word)
        if entry is not None and cat.is_people_category(entry.category):
            return entry.unit, entry.category, word  # type: ignore[return-value]
    return None


__all__ = [
    "bulleted_item",
    "counted_place_line",
    "heading_category",
    "labelled_tally",
    "value_under_label",
]
