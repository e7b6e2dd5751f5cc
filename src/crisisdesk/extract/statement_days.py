"""The day a count of hours or days back is counted from, when its sentence says on which
weekday the count was given.

Daily tolls are told as "the ministry said on Monday that 27 people were killed in the past
24 hours" or "killed eight people over a 24-hour period, the ministry said Sunday": the hours
run up to the day of the statement, not up to the day a later copy was published. The verbs
of saying are data (``periods.yaml`` ``saying_verbs``).
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from functools import cache

from crisisdesk.extract.compiled import compile_rx
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
