"""The period a report says it covers ("Reporting period: 1-15 May 2023", "Period of
report: 24 February to 3 March"): its key figures and "this reporting period" are over
it, as the conventions read a period stated once for the figures that follow."""

from __future__ import annotations

from functools import cache

from crisisdesk.extract.draft import DocState
from crisisdesk.extract.periods import Period
from crisisdesk.extract.text import PhraseScanner
from crisisdesk.vocab import vocab_list


@cache
def report_period_words() -> PhraseScanner:
    return PhraseScanner(vocab_list("periods", "report_period_words"))


def states_report_period(state: DocState, period: Period) -> bool:
    """The period is the one a line names as the report's ("Reporting period: ...")."""
    line_start = state.text.rfind("\n", 0, period.start) + 1
    lead = state.low[line_start : period.start]
    return (
        ":" in lead
        and report_period_words().search(state.low, line_start, period.start) is not None
    )


__all__ = ["report_period_words", "states_report_period"]
