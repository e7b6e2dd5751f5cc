"""The start of the war a toll counts, from the story's background.

"The government has been battling the rebels since 2015 ..." is background: it dates no
figure of its own sentence (``asides.follows_war_state``). A later running toll of that war
("10,000 people have died in the war", "the war has claimed 40,000 lives", "killed as a
result of the fighting") counts from there, whether or not the report has a publication
date (then its end is open).
"""

from __future__ import annotations

from crisisdesk.extract.asides import follows_war_state
from crisisdesk.extract.draft import DocState, Draft
from crisisdesk.extract.frame import conflict_nouns
from crisisdesk.extract.periods import Period

_REACH = 3  # sentences back (within the paragraph before) where the war's span is read


def war_start(state: DocState, d: Draft) -> Period | None:
    """The background "since" of the war the figure's clause counts the toll of, if any."""
    low = state.low
    if conflict_nouns().search(low, d.clause[0], d.clause[1]) is None:
        return None
    i = d.sentence.index
    for j in range(i, max(-1, i - 1 - _REACH), -1):
        if state.sents[i].paragraph - state.sents[j].paragraph > 1:
            break
        spans = [
            p
            for p in state.periods(j)
            if p.aside
            and p.cumulative
            and p.date_start is not None
            and p.start < d.m.start
            and follows_war_state(low, p.start)
        ]
        if spans:
            p, pub = spans[-1], state.dates.published
            if pub is not None and pub < p.date_start:  # type: ignore[operator]
                return None
            return Period(p.start, p.end, p.date_start, pub, "multi", True)
    return None
