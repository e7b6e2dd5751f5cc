"""The period each figure covers: a date expression of its own clause or sentence,
else the figure it leans on, the period running in its paragraph, the
publication date for present-perfect tallies, or the one dated event the
document is about."""

from __future__ import annotations

import re
from datetime import date

from crisisdesk.extract.draft import DocState, Draft
from crisisdesk.extract.periods import Period
from crisisdesk.extract.totals import is_present_perfect

_STATE = re.compile(
    r"\b(?:currently|at\s+present|presently|are\s+still|remain|(?:are|is)\s+now)\b", re.I
)
_SINCE_ORDINAL = re.compile(r"\btimes?\s+$", re.I)
_ANAPHORIC_START = re.compile(
    r"^(?:\W*)(?:These|This|Those|The\s+same|Such)\b|\bas\s+a\s+result\b|\bin\s+the\s+same\s+period\b",
    re.I,
)


def date_figures(state: DocState, drafts: list[Draft]) -> None:
    """Give each figure its period; a period carries on within its paragraph."""
    running: dict[int, Period] = {}
    for d in drafts:
        d.period = _choose_period(state, d, running)
        if d.period is not None:
            running[d.sentence.paragraph] = d.period


def date_single_event(state: DocState, drafts: list[Draft]) -> None:
    """In a document about one dated event, undated single counts take its day
    (run after is_total is known: totals keep no period of their own)."""
    event_day = _event_day(drafts, state)
    if event_day is None:
        return
    for d in drafts:
        linked = d.link in ("pair", "including", "partitive") and d.ante is not None
        if linked and d.period is None and d.ante.period is not None:
            d.period = d.ante.period  # a part is dated with the figure it belongs to
        elif (
            d.period is None
            and (not d.is_total or d.has_parts)
            and d.category not in ("other", "in_need", "displaced")
        ):
            d.period = Period(d.m.start, d.m.start, event_day, event_day, "day")


def _event_day(drafts: list[Draft], state: DocState | None = None) -> date | None:
    """A document about one dated event: the day its first figure states, else the one
    day its opening sentence states ("Strikes hit the town on Sunday. ... 9 were killed")."""
    if not drafts:
        return None
    first = drafts[0]
    p = first.period
    if p and p.length == "day" and not p.report and p.date_start and "own" in first.notes:
        return p.date_start
    if p is None and state is not None and state.sents and first.sentence.index <= 2:
        days = {q.date_start for q in state.periods(0) if q.length == "day" and not q.report}
        others = [q for q in state.periods(0) if q.length != "day"]
        if len(days) == 1 and not others:
            return days.pop()
    return None


def _choose_period(state: DocState, d: Draft, running: dict[int, Period]) -> Period | None:
    text = state.text
    i = d.sentence.index
    found = state.periods(i)
    plain = [p for p in found if not p.report]
    reports = [p for p in found if p.report]
    ante = d.ante
    if (
        d.link in ("pair", "including", "partitive")
        and ante is not None
        and (d.link != "partitive" or ante.sentence.index == i or not plain)
    ):
        return ante.period
    plain = [  # "for the sixth time since 2019" dates the count of times, not the figure
        p
        for p in plain
        if not (p.cumulative and _SINCE_ORDINAL.search(text[max(0, p.start - 12) : p.start]))
    ]
    if d.category == "in_need":
        return None
    in_clause = [p for p in plain if d.clause[0] <= p.start < d.clause[1]]
    clause_text = text[d.clause[0] : d.clause[1]]
    if _STATE.search(clause_text) and not any(
        p.cumulative or p.length == "multi" for p in in_clause
    ):
        return None
    own = _nearest(in_clause or plain, d.m.start, d.m.end)
    if own is not None:
        d.notes.append("own")
        return own
    if d.category == "other":
        return None
    if ante is not None and d.link in ("additive", "elliptical", "partitive") and ante.period:
        return ante.period
    sent_text = text[d.sentence.start : d.sentence.end]
    if i > 0 and _ANAPHORIC_START.search(sent_text):
        prev = [p for p in state.periods(i - 1) if not p.report]
        if prev:
            return prev[-1]
        if d.sentence.paragraph in running:
            return running[d.sentence.paragraph]
    if reports:
        return _nearest(reports, d.m.start, d.m.end)
    if is_present_perfect(clause_text):
        if d.sentence.paragraph in running:
            return running[d.sentence.paragraph]
        if i > 0 and state.sents[i - 1].paragraph == d.sentence.paragraph:
            prev = [p for p in state.periods(i - 1) if not p.report]
            if prev:
                return prev[-1]
        if state.dates.published and d.category not in ("other", "in_need"):
            pub = state.dates.published
            return Period(d.m.start, d.m.start, None, pub, "multi")
    return None


def _nearest(periods: list[Period], start: int, end: int) -> Period | None:
    best = None
    best_gap = 10**9
    for p in periods:
        gap = max(p.start - end, start - p.end, 0)
        if gap < best_gap:
            best, best_gap = p, gap
    return best
