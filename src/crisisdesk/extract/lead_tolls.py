"""A lead toll told again later with its parts.

News copy opens on a toll ("At least 13 civilians were killed in the shelling") and
restates it further down with its breakdown ("Thirteen people, including 3 children,
were killed"). The conventions make a figure whose parts the document gives a total;
the lead is the same figure, so it is a total as its restatement is. Runs after
``totals.mark_totals``.
"""

from __future__ import annotations

from crisisdesk.extract.draft import Draft

_PART_LINKS = ("including", "partitive")


def mark_lead_tolls(drafts: list[Draft]) -> None:
    """Make a total of each single figure restated later, with parts, as a total (the same
    count of the same category, in a later sentence, standing on its own)."""
    with_parts = [
        d for d in drafts if d.has_parts and d.is_total and d.ante is None and d.m.value is not None
    ]
    for d in drafts:
        if d.is_total or d.dropped or d.ante is not None or d.m.value is None:
            continue
        if any(
            later.m.value == d.m.value
            and later.category == d.category
            and later.sentence.index > d.sentence.index
            for later in with_parts
        ):
            d.is_total = True
            d.notes.append("total: restated later with its parts")
