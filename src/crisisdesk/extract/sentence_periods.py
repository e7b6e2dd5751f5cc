"""The periods a sentence states for its figures.

Not a reporting date ("said on Tuesday"), not the "since" of an ordinal count ("for the
sixth time since 2019"); a day followed by a verb of starting ("On 26 March, the
coalition began ...") begins a running period instead. dating.py chooses among these for
each figure; the one-event pass reads them for the story's day.
"""

from __future__ import annotations

import calendar
import re
from functools import cache

from crisisdesk.extract.compiled import compile_rx
from crisisdesk.extract.draft import DocState
from crisisdesk.extract.frame import (
    build_frame,
    conflict_nouns,
)
from crisisdesk.extract.periods import Period
from crisisdesk.extract.text import PhraseScanner
from crisisdesk.extract.war_starts import started_before
from crisisdesk.vocab import phrase_pattern, vocab_list

_SINCE_ORDINAL = compile_rx(r"\btimes?\s+$", re.I)
_CONFLICT_REACH = 40  # characters from a verb of starting to the war it starts
_START_REACH = 90  # characters after a day within which "began an air campaign" makes it a start


def plain_periods(state: DocState, i: int) -> list[Period]:
    """The periods sentence ``i`` states for its figures: not a reporting date, not the
    "since" of an ordinal count ("for the sixth time since 2019"); the day a campaign
    began ("On 26 March, the coalition began ...") is the start of a running period."""
    text = state.text
    end = state.sents[i].end
    return [
        _as_start(state, p, end)
        for p in state.periods(i)
        if not p.report
        and not p.aside
        and not (p.cumulative and _SINCE_ORDINAL.search(text[max(0, p.start - 12) : p.start]))
    ]


@cache
def _start_verbs() -> PhraseScanner:
    return PhraseScanner(vocab_list("periods", "start_verbs"))


def _as_start(state: DocState, p: Period, end: int) -> Period:
    """A day (or a month whose verb starts a war: "In April 2019, the army launched an
    offensive") followed by a verb of starting begins a running period, to publication
    or to the day the text says the fighting stopped."""
    if p.cumulative or p.date_start is None or p.length not in ("day", "multi"):
        return p
    month = p.length == "multi" and _one_month(p)
    if p.length != "day" and not month:
        return p
    stop = min(end, p.end + _START_REACH)
    verb = _start_verbs().search(state.low, p.end, stop)
    if verb is None:
        return started_before(state, p)
    reach = min(end, verb.end() + _CONFLICT_REACH)
    if conflict_nouns().search(state.low, verb.end(), reach) is None and (
        month or _launched_events().match(state.low, verb.end(), reach)
    ):
        return p  # ("On Monday, Israel launched strikes ..., killing 550": that day's strikes)
    last = state.dates.published
    stopped = build_frame(state).conflict_end
    if month and stopped is not None and stopped > p.date_start:
        last = stopped  # the offensive's tallies end where it ended
    return Period(p.start, p.end, p.date_start, last, "multi", cumulative=True)


# strikes launched on a day are that day's events, not the start of a campaign
@cache
def _launched_events() -> re.Pattern[str]:
    nouns = phrase_pattern(vocab_list("periods", "launched_events"))
    return compile_rx(rf"\s+(?:[a-z-]+\s+){{0,2}}?(?:{nouns})\b")


def _one_month(p: Period) -> bool:
    a, b = p.date_start, p.date_end
    if a is None or b is None or a.day != 1 or (a.year, a.month) != (b.year, b.month):
        return False
    return b.day == calendar.monthrange(b.year, b.month)[1]
