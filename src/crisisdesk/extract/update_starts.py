"""Counts "since the previous report": an update series restates its increment from the day
of its last update, which it names once ("Since the last update of the DTM on 27 June, ...
DTM identified an additional 3,010 displaced families since the previous report, bringing
the total to ..."). The increment starts on that day, not at the crisis start named later
in the sentence for the total it brings."""

from __future__ import annotations

from datetime import date
from functools import cache

from crisisdesk.extract.draft import DocState, Draft
from crisisdesk.extract.frame import DateFrame
from crisisdesk.extract.periods import Period
from crisisdesk.extract.text import PhraseScanner
from crisisdesk.vocab import vocab_list


@cache
def _previous_report() -> PhraseScanner:
    return PhraseScanner(vocab_list("periods", "previous_report_phrases"))


def _last_update_day(frame: DateFrame) -> date | None:
    """The day the text names for its last update ("since the last update ... on 27 June")."""
    days = {
        day
        for key, day in frame.named.items()
        if any(key.startswith(p) or f" {p[6:]}" in key for p in _previous_keys())
    }
    return next(iter(days)) if len(days) == 1 else None


@cache
def _previous_keys() -> tuple[str, ...]:
    return tuple(f"since {p}" for p in vocab_list("periods", "last_update_words"))


def since_previous_report(state: DocState, d: Draft, frame: DateFrame) -> Period | None:
    """The period of a figure counted "since the previous report" (in its own clause, after
    it), from the day of the last update the text names to publication."""
    if state.dates.published is None:
        return None
    hit = _previous_report().search(state.low, d.m.end, d.clause[1])
    if hit is None:
        return None
    day = _last_update_day(frame)
    if day is None or day > state.dates.published:
        return None
    return Period(hit.start(), hit.end(), day, state.dates.published, "multi", cumulative=True)


__all__ = ["since_previous_report"]
