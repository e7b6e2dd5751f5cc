"""A lead toll told again later with its parts.

News copy opens on a toll ("At least 13 civilians were killed in the shelling") and
restates it further down with its breakdown ("Thirteen people, including 3 children,
were killed"). The conventions make a figure whose parts the document gives a total;
the lead is the same figure, so it is a total as its restatement is. Runs after
``totals.mark_totals``.
"""

from __future__ import annotations

from crisisdesk.extract.draft import TOLD_ON_ITS_DAY, DocState, Draft
from crisisdesk.extract.event_openers import incident_named
from crisisdesk.extract.frame import conflict_nouns
from crisisdesk.extract.periods import Period


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


_RESTATED_REACH = 2  # sentences: a wire's lead toll is told again just below it


def date_lead_tolls(state: DocState, drafts: list[Draft]) -> None:
    """A lead toll dated only by the day it was reported (a wire's dateline, "..., groups
    said") takes the day its restatement just below names ("Thirteen people ... were
    killed ... this Friday morning"): the same count of the same thing, told with its day.
    A toll of attacks told with only the day it was said ("The toll rose to 19, medics said
    Sunday"; "gunmen have killed 9 farmers in attacks, an official said on Wednesday")
    whose events the next sentences date a few days earlier ("Eleven had been reported
    killed by three shells on Saturday"; "The gunmen struck several hamlets on Monday
    night") is that day's, and so is every figure dated by the same words."""
    by_sentence: dict[int, list[Draft]] = {}
    for x in drafts:
        if not x.dropped:
            by_sentence.setdefault(x.sentence.index, []).append(x)
    for d in drafts:
        p = d.period
        if d.dropped or p is None or not p.report or p.date_end is None or d.m.value is None:
            continue
        earlier = _told_earlier(state, d, by_sentence) if _lead_of_attacks(state, d) else None
        if earlier is not None:
            for x in drafts:
                q = x.period
                if q is not None and (q.start, q.end, q.date_end) == (p.start, p.end, p.date_end):
                    x.period = earlier
                    x.notes.append("dated by the events told after the toll")
            continue
        for later in drafts:
            q = later.period
            if (
                later.m.value == d.m.value
                and later.category == d.category
                and 0 < later.sentence.index - d.sentence.index <= _RESTATED_REACH
                and q is not None
                and not q.report
                and q.length == "day"
                and q.date_end is not None
                and q.date_end <= p.date_end
            ):
                d.period = q
                d.notes.append("dated by its restatement")
                break


def _lead_of_attacks(state: DocState, d: Draft) -> bool:
    """A toll told on the day it was said, or a running count ending that day that counts
    attacks ("have killed 9 farmers in attacks on hamlets"), not a war's ("in the fighting")."""
    if TOLD_ON_ITS_DAY in d.notes:
        return True
    p = d.period
    if p is None or p.date_start is not None or p.as_of:
        return False
    a, b = d.clause
    return incident_named(state, d.np_end, b) and conflict_nouns().search(state.low, a, b) is None


def _told_earlier(state: DocState, d: Draft, by_sentence: dict[int, list[Draft]]) -> Period | None:
    """The earlier day (within a week) the next sentences give the toll's events: the day
    of a smaller or equal count of the same harm, or a day stated in a sentence that counts
    nothing and names an incident."""
    p = d.period
    i = d.sentence.index
    for j in range(i + 1, min(len(state.sents), i + 1 + _RESTATED_REACH)):
        counts = by_sentence.get(j, [])
        same = [x.period for x in counts if _smaller_same(x, d)]
        named = not counts and incident_named(state, state.sents[j].start, state.sents[j].end)
        for q in same if same else (state.periods(j) if named else []):
            if _days_before(q, p):
                return q
    return None


def _smaller_same(x: Draft, d: Draft) -> bool:
    """A count of the same harm no larger than the toll."""
    return (
        x.category == d.category
        and x.m.value is not None
        and d.m.value is not None
        and x.m.value <= d.m.value
    )


_WEEK = 7  # days before the day of saying within which the events' day may lie


def _days_before(q: Period | None, p: Period | None) -> bool:
    """``q`` is a day of its own (not a reporting day) in the week before ``p``."""
    if q is None or p is None or p.date_end is None:
        return False
    if q.report or q.aside or q.length != "day" or q.date_end is None:
        return False
    return 0 < (p.date_end - q.date_end).days < _WEEK
