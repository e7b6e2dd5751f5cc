"""Unit, category and subject of a figure: from its counted noun, the cue words
around it and the figure it leans on."""

from __future__ import annotations

import re

from crisisdesk.extract import categories as cat
from crisisdesk.extract.draft import Draft


def categorise(text: str, d: Draft) -> None:
    """Unit, category and subject of one draft."""
    entry = d.head.entry
    sent = d.sentence
    clause_start = d.clause[0]
    ante = d.ante
    bwd = cat.cue_before(text, sent.start, d.qual_start, d.cues)
    nof = None if entry else cat.number_of_before(text, clause_start, d.qual_start)
    category: str | None
    unit: str | None = entry.unit if entry else None
    subject = d.head.subject
    if entry and entry.kind == "generic":
        category = entry.category
        if unit == "facilities":
            category = (
                cat.override_for("facilities", unit, text[clause_start : d.m.start]) or category
            )
    elif entry and entry.kind == "place":
        scope = text[clause_start : d.np_end]
        category = cat.override_for("place", unit or "other", scope) or "other"
    elif d.link in ("pair", "including") and ante is not None:
        category = ante.category
        if category == "fighters_killed" and entry and entry.kind == "civilian":
            category = "killed"
        if entry is None:  # "1.7 million displaced, including 800,000 sheltering in schools"
            unit, subject = ante.unit, ante.subject
    elif entry:
        if d.fwd:
            category = d.fwd
        elif entry.category:
            category = entry.category
        elif d.link == "partitive" and ante is not None:
            category = ante.category
        else:
            nof2 = cat.number_of_before(text, clause_start, d.qual_start)
            category = nof2[1] if nof2 and nof2[1] else (bwd[0] if bwd else None)
            if category is None and ante is not None and d.link == "additive":
                category = ante.category
            if category is None:
                category = "other"
                d.confidence = 0.6
    else:
        category = None
        if d.link == "elliptical" and ante is not None and ante.unit not in ("people", "families"):
            d.unit, d.category, d.subject = ante.unit, ante.category, ante.subject
            return
        if not nof and cat.unknown_noun_after(text, d.m.end, sent.end):
            d.dropped = "counted noun not in the vocabulary"
            return
        if nof:
            unit = nof[0].entry.unit if nof[0].entry else "people"
            subject = nof[0].subject
            category = d.fwd or nof[1] or (nof[0].entry.category if nof[0].entry else None)
        if category is None:
            category = d.fwd or (bwd[0] if bwd else None)
        if category is None and ante is not None and d.link in ("partitive", "additive"):
            category = ante.category
        if (
            category is None
            and d.link == "elliptical"
            and ante is not None
            and ante.m.value is not None
        ):
            gap = text[ante.np_end : d.qual_start]
            if len(gap) < 40 and not re.search(r"[.;]", gap):
                category = ante.category
        if category is None or not cat.is_people_category(category) and not nof:
            d.dropped = "no counted noun or cue"
            return
        if unit is None:
            unit = ante.unit if ante is not None and ante.unit else "people"
        if not subject:
            subject = ante.subject if ante is not None and ante.subject else "people"
    if d.link == "partitive" and d.head.entry is None and ante is not None:
        unit = ante.unit
    if unit is None:
        d.dropped = "no counted noun"
        return
    if category is None:
        category = ante.category if ante is not None else "other"
    if entry and entry.kind == "fighter" and category == "killed":
        category = "fighters_killed"
    if category == "fighters_killed" and entry and entry.kind == "civilian":
        category = "killed"
    if (
        d.m.is_vague
        and entry is None
        and nof is None
        and not (d.fwd and d.fwd != "other" and cat.is_people_category(d.fwd))
    ):  # "forcing thousands to flee" is a figure; a bare "thousands" is not
        d.dropped = "vague amount with no counted noun"
        return
    if d.link == "pair" and ante is not None and d.qualifier is None:
        d.qualifier = ante.qualifier
    d.unit, d.category, d.subject = unit, category, subject or "people"
