"""Which of the stated periods a figure may take when other figures sit around it.

A period belongs to the count it follows, not to a later figure across it
("52,000 fled since January, joining 1.3 million ..."); a pair's partner or an
aside part does not stand between a figure and its period; a part with its own
period right after it is dated by that, not by its whole. dating.py asks these
when it chooses a figure's period.
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import cache

from crisisdesk.extract.compiled import compile_rx
from crisisdesk.extract.draft import DocState, Draft
from crisisdesk.extract.periods import Period
from crisisdesk.vocab import phrase_pattern, vocab_list

LINKED = ("pair", "including", "partitive")


def held_by_other(p: Period, d: Draft, figures: list[Draft]) -> bool:
    """A period that follows an earlier count of the same thing and comes before this figure
    belongs to that count ("52,000 fled since January, joining 1.3 million ...")."""
    return any(
        x is not d
        and x.category == d.category
        and not paired(x, d)
        and x.m.end <= p.start
        and p.end <= d.m.start
        for x in figures
    )


def own_count_day(state: DocState, d: Draft, figures: list[Draft]) -> Period | None:
    """When another count of the same thing holds every period the sentence states
    ("400,000 fled since January, joining 2.9 million displaced at the end of 2020"), the
    day this figure's own clause says it was counted up to dates it."""
    reports = [
        p
        for p in state.periods(d.sentence.index)
        if p.report and p.date_end and not p.aside and d.m.end <= p.start < d.clause[1]
    ]
    return nearest(unblocked(reports, d, figures), d.m.start, d.m.end)


def leans_on_ante(d: Draft, plain: list[Period]) -> bool:
    """A pair or a part shares the period of the figure it belongs to."""
    ante = d.ante
    if d.link not in LINKED or ante is None:
        return False
    return d.link != "partitive" or ante.sentence.index == d.sentence.index or not plain


def unblocked(periods: list[Period], d: Draft, figures: list[Draft]) -> list[Period]:
    """The periods no other count of the same thing stands between ("displaced 586,000
    since 1 December, including 200,000 from 26 January to 2 February": each takes its own;
    a pair's partner does not stand between)."""
    others = [
        x.m.start
        for x in figures
        if x is not d and x.category == d.category and not paired(x, d) and not aside_part(x, d)
    ]
    return [
        p
        for p in periods
        if not any(d.m.end <= x < p.start or p.end <= x < d.m.start for x in others)
    ]


_ASIDE_CLOSED_BY_VERB = compile_rx(
    r"\s*[)\-–—,]\s*(?:[a-z]+ly\s+)?(?:have|has|had|were|was|are|is|[a-z]+ed)\b"
)


def aside_part(x: Draft, d: Draft) -> bool:
    """A part in an aside of the whole, whose verb comes after it ("162 people - including
    32 children - have died since August"): the whole's period is read across it."""
    return x.ante is d and "aside part" in x.notes


def mark_aside_parts(text: str, drafts: list[Draft]) -> None:
    for d in drafts:
        if d.link == "including" and _ASIDE_CLOSED_BY_VERB.match(text, d.np_end) is not None:
            d.notes.append("aside part")


def paired(x: Draft, d: Draft) -> bool:
    return (x.link == "pair" and x.ante is d) or (d.link == "pair" and d.ante is x)


def own_after(d: Draft, in_clause: list[Period], figures: list[Draft]) -> Period | None:
    """A part with its own period right after it ("including 200,000 displaced from 26
    January to 2 February alone", "one million of these in 2017") is dated by it, not by
    the figure it belongs to."""
    if d.link not in ("pair", "including", "partitive"):
        return None
    after = [p for p in unblocked(in_clause, d, figures) if p.start >= d.m.end]
    return nearest(after, d.m.start, d.m.end)


def nearest(periods: list[Period], start: int, end: int) -> Period | None:
    best = None
    best_gap = 10**9
    for p in periods:
        gap = max(p.start - end, start - p.end, 0)
        if gap < best_gap:
            best, best_gap = p, gap
    return best


def opening_over_later(periods: list[Period], d: Draft, in_clause: list[Period]) -> list[Period]:
    """The periods a figure may take when its own clause states none: one opening its
    sentence ("On 22 March, two corridors opened, which let 7,026 people leave, while on 23
    March ...") governs the sentence, so a period in a later clause is that clause's, not
    the figure's; with none before the figure, all of them."""
    if in_clause:
        return periods
    before = [p for p in periods if p.end <= d.m.start]
    if not before:
        return periods
    return [p for p in periods if p.start < d.clause[1]]


_COMPARED_REACH = 40  # characters before a figure where "down from the" may stand


def compared_figure(text: str, d: Draft) -> bool:
    """A figure given only to compare with ("halving from the 179 casualties reported in
    May"): its period is its own, and the figures after it keep the report's period (the
    caller asks only of a period stated after the figure: one the sentence states before
    it, "between January and early September, compared to the 4,716 ...", is the
    sentence's and carries)."""
    lo = max(0, d.m.start - _COMPARED_REACH)
    if _HEDGING_THAN.search(text, lo, d.m.start):
        return False  # "More than 4,000 people": a hedge on the figure, no comparison
    return _compared_before().search(text, lo, d.m.start) is not None


# "more than", "fewer than" right before a number hedge it ("than the 179" compares)
_HEDGING_THAN = compile_rx(r"\b(?:more|less|fewer|greater|higher|lower|other)\s+than\s+$", re.I)


def compared_count(text: str, d: Draft) -> bool:
    """A bare figure right after "compared to" / "compared with": a count of what the
    figure before it counts, at another time."""
    lo = max(0, d.m.start - _COMPARED_REACH)
    return _compared_before("compared_count_leads").search(text, lo, d.m.start) is not None


@cache
def _compared_before(key: str = "compared_figure_leads") -> re.Pattern[str]:
    leads = phrase_pattern(vocab_list("periods", key))
    return compile_rx(rf"\b(?:{leads})\s+(?:the\s+)?$", re.I)


def cut_at_as_of(
    own: Period, stated: list[Period], text: str = "", at: int | None = None
) -> Period:
    """A calendar period that its sentence says the count runs only part of ("arrived in 2016
    (as of 31 August)", "As of 30 June, ... in 2017"): from its start to that day. An "as of"
    in brackets with a figure of its own ("8,410 were hurt (as of 30 April some 8,390)") is
    that figure's day only, not of the figure ``at`` outside the brackets."""
    if own.cumulative or own.date_start is None:
        return own
    days = [
        p.date_end
        for p in stated
        if p.as_of
        and p.length == "day"
        and not p.aside
        and p.date_end is not None
        and own.date_start <= p.date_end
        and (own.date_end is None or p.date_end < own.date_end)
        and not _bracketed_with_figure(text, p, at)
    ]
    return replace(own, date_end=max(days)) if days else own


_BRACKET_OPEN = compile_rx(r"\([^()]{0,12}$")
_BRACKET_REST = compile_rx(r"[^()]{0,40}?\d[^()]{0,20}\)")


def _bracketed_with_figure(text: str, p: Period, at: int | None) -> bool:
    """The date stands in brackets that hold a figure after it, and the figure at ``at`` is
    outside them ("8,410 civilians (as of 30 April some 8,390)")."""
    if at is None or not text:
        return False
    opened = _BRACKET_OPEN.search(text, max(0, p.start - 12), p.start)
    if opened is None:
        return False
    rest = _BRACKET_REST.match(text, p.end)
    return rest is not None and not (opened.start() <= at < rest.end())


def same_period_before(text: str, d: Draft, ante: Period) -> Period | None:
    """The period of a figure compared with the one before it "during the same period in
    2015" / "last year": the earlier figure's period moved to that year (None: not said)."""
    m = _same_period_year().match(text, d.m.end, d.sentence.end)
    if m is None or ante.date_start is None or ante.date_end is None:
        return None
    year = int(m.group("year")) if m.group("year") else ante.date_end.year - 1
    shift = year - ante.date_end.year
    try:
        start = ante.date_start.replace(year=ante.date_start.year + shift)
        end = ante.date_end.replace(year=year)
    except ValueError:  # 29 February
        return None
    return replace(ante, date_start=start, date_end=end, cumulative=False, running=False)


@cache
def _same_period_year() -> re.Pattern[str]:
    kinds = phrase_pattern(vocab_list("periods", "comparison_periods"))
    return compile_rx(
        rf"[^.;]{{0,40}}?\bsame\s+(?:{kinds})\s+(?:(?:in|of)\s+(?P<year>(?:19|20)\d\d)\b|last\s+year\b)",
        re.I,
    )
