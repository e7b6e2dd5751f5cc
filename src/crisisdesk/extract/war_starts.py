"""A day stated right after the war its sentence says was started.

"Ankara launched an offensive in northern Syria on October 9, 2019, leading to the deaths of
dozens of civilians": the day is the start of a running period (the offensive's tolls run
from it), as a day before the verb already is ("On 26 March, the coalition began ...",
``sentence_periods._as_start``). Strikes launched on a day stay that day's ("launched strikes on
Monday, killing 550": no word for a war between the verb and the day).
"""

from __future__ import annotations

from functools import cache

from crisisdesk.extract.draft import DocState
from crisisdesk.extract.frame import conflict_nouns
from crisisdesk.extract.periods import Period
from crisisdesk.extract.text import PhraseScanner
from crisisdesk.vocab import vocab_list

_REACH = 70  # characters before the day read for the verb that starts the war


@cache
def _start_verbs() -> PhraseScanner:
    return PhraseScanner(vocab_list("periods", "start_verbs"))


def started_before(state: DocState, p: Period) -> Period:
    """``p`` as the start of a running period to publication when a verb of starting and a
    word for the war stand right before it; else ``p`` unchanged."""
    if p.length != "day" or p.date_start is None:
        return p
    verbs = list(_start_verbs().finditer(state.low, max(0, p.start - _REACH), p.start))
    if not verbs or conflict_nouns().search(state.low, verbs[-1].end(), p.start) is None:
        return p
    return Period(p.start, p.end, p.date_start, state.dates.published, "multi", cumulative=True)


__all__ = ["started_before"]
