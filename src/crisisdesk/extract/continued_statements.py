"""The day a statement was made, carried to the sentences that go on reporting it.

"The toll rose to 3,100, the ministry said yesterday. The ministry said in a statement
that within the past 24 hours, strikes killed 41 people": the second sentence reports the
same statement, so its "past 24 hours" and its "since" run to the day the statement was
made, not to the day the article came out. A sentence that opens on the speaker again
(an organisation's anaphor, "it", "its spokesman", then a verb of saying) and states no
reporting day of its own takes the day the sentence before it gave its statement.
"""

from __future__ import annotations

import re
from datetime import date
from functools import cache

from crisisdesk.extract.compiled import compile_rx
from crisisdesk.extract.periods import Period
from crisisdesk.vocab import phrase_pattern, vocab_list


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
