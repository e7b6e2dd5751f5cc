"""The day a figure was announced is not its period when the sentence states one.

"On Thursday, the United Nations said that 1,460 civilians were killed ... between 29 April
2019 and 5 January 2020", "On Monday the agency said that 40 people were killed on Sunday":
the weekday before the verb of saying dates the announcement; the day or span stated after
the figure is what the figure covers. The verbs of saying are data
(``periods.yaml`` ``saying_verbs``).
"""

from __future__ import annotations

import re
from functools import cache

from crisisdesk.extract.compiled import compile_rx
from crisisdesk.extract.draft import Draft
from crisisdesk.extract.period_hits import Period
from crisisdesk.vocab import phrase_pattern, vocab_list


@cache
def _saying_that() -> re.Pattern[str]:
    """A verb of saying, then (within a few words) "that", before the figure."""
    saying = phrase_pattern(vocab_list("periods", "saying_verbs"))
    return compile_rx(rf"\b(?:{saying})\b[^.;:]{{0,60}}?\bthat\b", re.I)


def without_announcing_day(
    text: str, candidates: list[Period], stated: list[Period], d: Draft, figures: list[Draft]
) -> list[Period]:
    """``candidates`` less a day of saying stated before the figure ("On Thursday the agency
    said that ...") when the sentence (``stated``) gives a day or a span after the figure,
    with none but the figure's own parts between ("1,460 civilians, including 417
    children and 289 women, were killed ... between 29 April 2019 and 5 January 2020")."""
    whole = d.ante if d.ante is not None and d.link in _PART_LINKS else d
    others = [
        x for x in figures if x is not whole and not (x.ante is whole and x.link in _PART_LINKS)
    ]
    span = next(
        (
            p
            for p in stated
            if p.start >= d.m.end
            and p.length in ("day", "multi")
            and p.date_start
            and p.date_end
            and not (p.cumulative or p.report or p.aside or p.as_of)
            and not any(d.m.end <= x.m.start < p.start for x in others)
        ),
        None,
    )
    if span is None:
        return candidates
    kept = [p for p in candidates if not _announcing(text, p, whole.m.start)]
    return kept if kept else [span]


_PART_LINKS = ("including", "pair")


def _announcing(text: str, p: Period, figure_start: int) -> bool:
    """A day before the figure followed by a verb of saying and "that"."""
    return (
        p.end <= figure_start
        and p.length == "day"
        and _saying_that().search(text, p.end, figure_start) is not None
    )
