"""The day of a one-incident story that states no time at all.

Wire copy and short news items often report one strike's toll with no day word ("At
least 15 people were killed in an airstrike on the village, the monitor said"): the
story is told on the day of its event, so the conventions date it by the document. Only
when none of the document's figures carries a time of its own (a stated day or period
would be the story's, and ``event_dating`` reads it), the lead figure is the toll of
one incident named in its sentence, told in the simple past, and the document is no
periodic report. The other counts of that event take the day too; states, running counts
("have been displaced") and counts of another incident keep none.
"""

from __future__ import annotations

from crisisdesk.extract.dating import dated_by_event, wordless
from crisisdesk.extract.draft import DocState, Draft
from crisisdesk.extract.event_dating import told_of_another
from crisisdesk.extract.frame import build_frame
from crisisdesk.extract.incident_perfect import names_its_incident
from crisisdesk.extract.period_hits import Period
from crisisdesk.extract.totals import is_present_perfect


def date_undated_event(state: DocState, drafts: list[Draft]) -> None:
    """Give the publication day to the counts of a one-incident story with no time words."""
    published = state.dates.published
    if published is None or not drafts or build_frame(state).title is not None:
        return
    if any(d.period is not None and not wordless(d.period) for d in drafts):
        return
    first = drafts[0]
    sent = first.sentence
    if not names_its_incident(state.text, first.m.end, sent.end) or _running(state, first):
        return
    day = Period(first.m.start, first.m.start, published, published, "day")
    for d in drafts:
        undated = d.period is None or wordless(d.period)
        if undated and dated_by_event(state, d) and not told_of_another(state, d):
            d.period = day


def _running(state: DocState, d: Draft) -> bool:
    """The figure's own predicate is in the present perfect ("15 have been killed"); a
    reporting verb before "that" is not the count's ("the monitor has said that 15 were")."""
    a, b = d.clause
    that = state.low.rfind(" that ", a, d.m.start)
    return is_present_perfect(state.text[that + 5 if that >= 0 else a : b])
