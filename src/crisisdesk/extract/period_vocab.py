"""The words of periods.yaml as the period reader uses them: lists, number tables, prefix
patterns and the months of year parts, each read once."""

from __future__ import annotations

import calendar
import re
from collections.abc import Mapping
from datetime import date
from functools import cache
from types import MappingProxyType

from crisisdesk.extract.compiled import compile_rx
from crisisdesk.vocab import load_yaml, phrase_pattern, vocab_list


def words(key: str) -> tuple[str, ...]:
    return vocab_list("periods", key)


@cache
def table(key: str) -> Mapping[str, float]:
    return MappingProxyType({str(k): float(v) for k, v in load_yaml("periods")[key].items()})


@cache
def prefix_rx(key: str) -> re.Pattern[str]:
    """Strips a leading phrase of a vocabulary list (and "the") from a lower-cased phrase."""
    return compile_rx(rf"^(?:{phrase_pattern(words(key))})[\s-]+(?:the\s+)?")


@cache
def year_parts() -> Mapping[str, tuple[int, int]]:
    """ "first half" -> (1, 6): the first and last months of a named part of a year."""
    spans = {str(k): str(v).split("-") for k, v in load_yaml("periods")["year_parts"].items()}
    return {k: (int(a), int(b)) for k, (a, b) in spans.items()}


def month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def months_before(day: date, count: int) -> date:
    """The same day ``count`` months earlier (the month's last day when it is shorter)."""
    y, mo = divmod(day.year * 12 + day.month - 1 - count, 12)
    return date(y, mo + 1, min(day.day, calendar.monthrange(y, mo + 1)[1]))


__all__ = ["month_end", "months_before", "prefix_rx", "table", "words", "year_parts"]
