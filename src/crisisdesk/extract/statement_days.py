"""The day a count of hours or days back is counted from: the weekday its sentence says the
count was given on, or the day of the statement the sentence goes on reporting.

Daily tolls are told as "the ministry said on Monday that 27 people were killed in the past
24 hours" or "killed eight people over a 24-hour period, the ministry said Sunday": the hours
run up to the day of the statement, not up to the day a later copy was published. The verbs
of saying are data (``periods.yaml`` ``saying_verbs``).

"The toll rose to 3,100, the ministry said yesterday. The ministry said in a statement
that within the past 24 hours, strikes killed 41 people": the second sentence reports the
same statement, so its "past 24 hours" and its "since" run to the day the statement was
made, not to the day the article came out. A sentence that opens on the speaker again
(an organisation's anaphor, "it", "its spokesman", then a verb of saying) and states no
reporting day of its own takes the day the sentence before it gave its statement.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from functools import cache

from crisisdesk.extract.compiled import compile_rx
from crisisdesk.extract.period_hits import Period
from crisisdesk.vocab import phrase_pattern, vocab_list, weekday_numbers

_REACH = 180  # characters before a count read for "said on Monday that"


@cache
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """Saying on a weekday before the count (with "that" between), or after it."""
    saying = phrase_pattern(vocab_list("periods", "saying_verbs"))
    day = phrase_pattern(list(weekday_numbers()))
    before = compile_rx(
        rf"\b(?:{saying})\s+(?:on\s+)?(?P<d>{day})\b[^.;:]{{0,90}}?\bthat\b[^.;:]*$"
    )
    after = compile_rx(rf"[^.;:]{{0,120}}?\b(?:{saying})\s+(?:on\s+)?(?P<d>{day})\b")
    return before, after


def statement_day(low: str, start: int, end: int, limit: int, published: date) -> date | None:
    """The weekday (on or before ``published``) a count at ``low[start:end]`` was said on,
    when its sentence (ending at ``limit``) names one; ``low`` is the lower-cased text."""
    before, after = _patterns()
    m = before.search(low, max(0, start - _REACH), start) or after.match(low, end, limit)
    if m is None:
        return None
    back = (published.weekday() - weekday_numbers()[m.group("d")]) % 7
    return published - timedelta(days=back)


@cache
def _continues() -> re.Pattern[str]:
    heads = phrase_pattern(vocab_list("sources", "anaphor_heads"))
    verbs = phrase_pattern([*vocab_list("periods", "report_verbs"), "added", "adds"])
    speaker = (
        rf"the\s+(?:[a-z-]+\s+)?(?:{heads})|it|they"
        r"|(?:its|the|a)\s+(?:[a-z-]+\s+)?(?:spokesman|spokeswoman|spokesperson)"
    )
    return compile_rx(rf"[\s\"“]*(?:{speaker})\s+(?:also\s+|further\s+)?(?:{verbs})\b")


def continued_statement_day(low: str, start: int, end: int, before: list[Period]) -> date | None:
    """The day the statement of the sentence before was made (its reporting day, ``before``
    being that sentence's periods), when the sentence ``low[start:end]`` goes on reporting
    it; else None."""
    if _continues().match(low, start, end) is None:
        return None
    said = [p for p in before if p.report and not p.as_of and p.date_end is not None]
    # the last one: a dateline ("GAZA, Jan 6 –") opens the sentence, the day of saying ends it
    return said[-1].date_end if said else None
