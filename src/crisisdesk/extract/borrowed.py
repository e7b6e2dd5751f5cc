"""Unit, category and subject of a number with no counted noun of its own: it borrows
one from the figure it is paired with or part of, from a label ("the number of
displaced", "it rose to 81, the number of civilians killed"), from the noun a bracketed
count follows ("air raids in Raymah (3)"), or from the figure whose verb it repeats.
"""

from __future__ import annotations

import re
from functools import cache

from crisisdesk.extract import categories as cat
from crisisdesk.extract.compiled import compile_rx
from crisisdesk.extract.draft import Draft
from crisisdesk.extract.figure_verbs import (
    PEOPLE_UNITS,
    SHARED_LINKS,
    harm_right_before,
    own_event,
)
from crisisdesk.extract.period_sharing import compared_count
from crisisdesk.extract.tally_lines import labelled_tally, value_under_label
from crisisdesk.vocab import phrase_pattern, vocab_list

# (unit, category, subject) of a figure, or None when it is dropped
Meaning = tuple[str, str, str] | None

_CLOSE_GAP = compile_rx(r"[^.;]{0,39}")


def borrowed_meaning(text: str, d: Draft) -> Meaning:
    """A number with no counted noun borrows one: from the figure it is paired with or
    part of, from "the number of displaced", from the noun a bracketed count follows
    ("air raids in Raymah (3)"), or from the figure it repeats the verb of."""
    ante = d.ante
    if d.link == "partitive" and ante is not None and ante.unit == "facilities":
        # "Of the 640 schools in Marib, 210 were damaged": the part's own verb, the whole's noun
        # (with no such verb the part is left out, as before: "nine clinics, two of which
        # belong to MSF")
        own = cat.override_for("facilities", "facilities", text[d.np_end : d.clause[1]])
        if own is not None:
            return ante.unit, own, ante.subject
    if d.link in SHARED_LINKS and ante is not None and ante.unit:
        own = own_event(text, d) if ante.unit in PEOPLE_UNITS else None
        # "of which 875,000 fled"
        return ante.unit, own or ante.category or "other", ante.subject  # type: ignore[return-value]
    if (
        d.link in ("elliptical", "additive")
        and ante is not None
        and ante.unit not in PEOPLE_UNITS
        # ("attacked two villages ... Three others were killed": a verb of harm to people
        # after it says the others are people)
        and not (d.fwd and d.fwd != "other" and cat.is_people_category(d.fwd))
    ):
        # "destroyed two houses, damaged 10 others": the others are houses too
        return ante.unit, ante.category or "other", ante.subject  # type: ignore[return-value]
    if d.link == "elliptical" and ante is not None and ante.unit and compared_count(text, d):
        # "163,734 arrivals in 2016, compared to 237,947 during the same period in 2015": the
        # figure compared with counts what the one before it counts
        return ante.unit, ante.category or "other", ante.subject  # type: ignore[return-value]
    tally = labelled_tally(text, d) or value_under_label(text, d)
    if tally is not None:
        # "The fatalities were distributed as follows: ... Regime forces: 47"; a key figure
        # alone on its line under its label
        return tally
    bracketed = cat.bracketed_noun(text, d.sentence.start, d.sentence.end, d.m.start, d.m.end)
    if bracketed is not None and bracketed[1] == "other" and ante is not None and ante.category:
        # "3,075 persons fled to ... Hama (750)"
        return ante.unit, ante.category, ante.subject  # type: ignore[return-value]
    if bracketed is not None:
        return bracketed
    if (
        ante is not None
        and ante.unit in PEOPLE_UNITS
        and cat.is_bracketed(text, d.sentence.start, d.m.start, d.m.end)
    ):
        # "those departing have arrived in Shamsin (2,700) and Hama (310)": no noun of its
        # own in the sentence, the people counted before
        return ante.unit, ante.category or "other", ante.subject
    harm = harm_right_before(text, d)
    if harm is not None and ante is not None and ante.unit in PEOPLE_UNITS:
        # "killed three civilians and wounded eleven others": the verb right before, not an
        # earlier "the number of displaced families"
        return ante.unit, harm, ante.subject
    if _POPULATION_BARE.search(text, max(d.sentence.start, d.qual_start - 40), d.qual_start):
        return "people", "other", "population"  # "half the population of 3 million has fled"
    nof = cat.number_of_before(text, label_start(text, d), d.qual_start) or _label_after(text, d)
    if nof is None and cat.unknown_noun_after(text, d.m.end, d.sentence.end):
        d.dropped = "counted noun not in the vocabulary"
        return None
    category = _borrowed_category(text, d, nof)
    if (
        category in (None, "other")
        and not nof
        and _CASUALTY_TALLY.search(text, d.sentence.start, d.m.start)
    ):
        return "people", "other", "civilian casualties"  # "casualties passed 18,500"
    if category is None or not cat.is_people_category(category) and not nof:
        part = _named_by_copula(text, d)
        if part is not None:
            return part
        d.dropped = "no counted noun or cue"
        return None
    return _borrowed_unit_subject(d, nof, category)


@cache
def _copula_noun() -> re.Pattern[str]:
    """A bare count's verb naming who they are, its share in brackets or not ("over 30,000
    (46%) are children"); the verbs are those a partitive takes (links.yaml)."""
    verbs = phrase_pattern(vocab_list("links", "partitive_verbs"))
    return compile_rx(rf"(?:\s*\([^()\n]{{0,16}}%\))?\s+(?:{verbs})\s+(?P<noun>[a-z]+)\b")


def _named_by_copula(text: str, d: Draft) -> Meaning:
    """A number with no noun whose verb names the people it counts ("Some 65,000 people
    arrived. Over 30,000 (46%) are children"): a part of the people counted before, named
    by the noun after the verb."""
    ante = d.ante
    if d.link != "elliptical" or ante is None or ante.unit not in PEOPLE_UNITS:
        return None
    m = _copula_noun().match(text, d.m.end, d.sentence.end)
    if m is None or not cat.is_people_noun(m.group("noun")):
        return None
    return ante.unit, ante.category or "other", m.group("noun")


# a population stated with no noun of its own: "the population of 3 million" (what happened
# to part of it is no count of the whole)
_POPULATION_BARE = compile_rx(
    r"\bpopulation\s+of\s+(?:(?:more\s+than|over|about|some|nearly|almost|around|roughly|"
    r"an\s+estimated|approximately)\s+)?$",
    re.I,
)
# casualties (killed and injured together) that a verb of change brings to the number
_CASUALTY_TALLY = compile_rx(
    r"\bcasualt(?:y|ies)\b(?!\s+(?:incidents?|events?))[^.;]{0,120}?\b"
    r"(?:passed|surpassed|exceeded|topped|reached|totall?ed|amounted\s+to|"
    r"(?:rose|climbed|jumped|increased|stood)\b[^.;]{0,40}?\b(?:to|at))\s+$",
    re.I,
)
_LABEL_AFTER = compile_rx(r"(?:\s+at\s+least)?\s*,\s+(?:which\s+is\s+)?the\s+number\s+of\b", re.I)
# "... have brought to 1,101 the number of civilians killed": the verb's object after its figure
_TO_BEFORE = compile_rx(
    r"\b(?:bring|brings|brought|bringing|raise|raises|raised|raising)\s+to\s+$", re.I
)
_LABEL_INVERTED = compile_rx(r"\s+the\s+(?:total\s+)?number\s+of\b", re.I)
_LABEL_REACH = 120  # characters after the number the label and its verb are read in


def _label_after(text: str, d: Draft) -> tuple[cat.Head, str | None] | None:
    """The label after a bare number, as translated tolls write it ("it rose to 81, the
    number of civilians who were killed"): its noun, and what a cue after it says
    happened to them when the noun does not."""
    lead = _LABEL_AFTER.match(text, d.m.end, d.sentence.end)
    if lead is None and _TO_BEFORE.search(text, max(0, d.qual_start - 20), d.qual_start):
        lead = _LABEL_INVERTED.match(text, d.m.end, d.sentence.end)
    if lead is None:
        return None
    end = min(d.sentence.end, lead.end() + _LABEL_REACH)
    found = cat.number_of_before(text, lead.start(), end)
    if found is None:
        return None
    head, category = found
    if category is None:
        at = text[lead.end() : end].lower().find(head.subject)
        noun_end = lead.end() + at + len(head.subject) if at >= 0 else lead.end()
        after = cat.cue_after(text, noun_end, end)  # "the citizens whose death ..."
        cues = [c for _, _, c in cat.cues_in(text, noun_end, end)]
        cue = after[0] if after else (cues[0] if cues else None)
        category = cue if cue is not None and cat.is_people_category(cue) else None
    # people the label names with nothing said to happen to them: "civilian casualties"
    # not split into killed and injured
    return head, category or ("other" if head.entry and head.entry.unit == "people" else None)


def label_start(text: str, d: Draft) -> int:
    """Where the words naming a number start: its clause, or the label before a colon in a
    key-figure line ("Total number of violent events: 495")."""
    start = d.clause[0]
    if start > d.sentence.start and text[d.sentence.start : start].rstrip().endswith(":"):
        return d.sentence.start
    return start


def _borrowed_category(text: str, d: Draft, nof: tuple[cat.Head, str | None] | None) -> str | None:
    ante = d.ante
    category = None
    if nof:
        entry = nof[0].entry
        # the label's own meaning first ("the death toll climbed to 3,516, with injuries
        # rising to 14,929": the injuries are the next figure's)
        category = nof[1] or d.fwd or (entry.category if entry else None)
        if d.link == "additive" and d.fwd:
            category = d.fwd  # "the number of casualties is 1,730, and 9,250 others were injured"
    if category is None:
        category = d.fwd
    if category is None:
        bwd = cat.cue_before(text, d.sentence.start, d.qual_start, d.cues)
        category = bwd[0] if bwd else None
    if category is None and ante is not None and d.link in ("partitive", "additive"):
        category = ante.category
    if category is None and d.link == "elliptical" and ante is not None and _close(text, ante, d):
        category = ante.category
    if (
        category is None
        and ante is not None
        and _SHARE_DASH.search(text, d.sentence.start, d.m.start)
    ):
        category = ante.category  # "1,089 were killed ... nearly all — 1,031 — were ..."
    return category


# a share of the figure before, its count set off by a dash ("nearly all — 1,031 — were")
_SHARE_DASH = compile_rx(r"\b(?:all|most|the\s+majority)\s*[—–-]\s*$", re.I)


def _close(text: str, ante: Draft, d: Draft) -> bool:
    """ "12 were killed, 30 in Ariha": a figure right after another repeats its verb."""
    return ante.m.value is not None and bool(_CLOSE_GAP.fullmatch(text, ante.np_end, d.qual_start))


def _borrowed_unit_subject(
    d: Draft, nof: tuple[cat.Head, str | None] | None, category: str
) -> Meaning:
    ante = d.ante
    if nof:
        unit = nof[0].entry.unit if nof[0].entry else "people"
        subject = nof[0].subject
    elif (
        ante is not None and ante.unit and (ante.unit in PEOPLE_UNITS or category == ante.category)
    ):
        unit, subject = ante.unit, ante.subject or "people"
    else:  # ("two villages ... Three others were killed": people, not villages)
        unit, subject = "people", "people"
    if d.link == "partitive" and ante is not None and ante.unit:
        unit = ante.unit
    return unit, category, subject
