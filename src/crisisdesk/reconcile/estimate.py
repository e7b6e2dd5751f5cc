"""Low, best and high for one group of facts, the rule that chose best, and why, in words.

The rule, in order: the most specific fact (a number rather than "hundreds",
an exact number rather than "about" or "more than", a shorter period, a finer
place), then the most recent (publication date, else the end of its period),
then the most reliable source (``data/vocab/sources.yaml``, an editable
table). ``rule`` names the first criterion that separated the best fact from
the runner-up with a different number.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

from crisisdesk.reconcile.grouping import same_source, same_value
from crisisdesk.reconcile.items import QUALIFIER_RANK, Item

log = logging.getLogger(__name__)

DEFAULT_RELIABILITY = 0.5

RULE_SINGLE = "single report"
RULE_AGREE = "all reports agree"
RULE_SPECIFIC = "most specific"
RULE_RECENT = "most recent"
RULE_RELIABLE = "most reliable source"
RULE_ORDER = "first reported"


@cache
def default_reliability() -> Mapping[str, float]:
    """Reliability by lower-cased source name and alias, from the sources table.

    The table is data (data/vocab/sources.yaml); a source it does not list
    weighs DEFAULT_RELIABILITY.
    """
    from crisisdesk.vocab import load_sources

    table: dict[str, float] = {}
    for source in load_sources():
        for name in (source.name, *source.aliases):
            table[name.casefold()] = float(source.reliability)
    return table


def reliability_of(source: str | None, table: Mapping[str, float]) -> float:
    if not source:
        return DEFAULT_RELIABILITY
    return table.get(source.casefold(), table.get(source, DEFAULT_RELIABILITY))


@dataclass(slots=True)
class Estimate:
    """Low, best and high of one figure, and why. Read-only by convention, not frozen:
    a frozen dataclass costs four times as much to build, once per figure (a million)."""

    low: int | None
    best: int | None
    high: int | None
    rule: str
    explanation: str
    chosen: Item
    ordered: tuple[Item, ...]  # best first


def _specificity(it: Item) -> tuple[int, int, int, int]:
    days = it.days
    return (
        it.value is not None,
        QUALIFIER_RANK.get(it.qualifier, 0),
        -days if days else -(10**6),
        -it.place.rank,
    )


def _recency(it: Item) -> int:
    return it.published or it.end or 0


def rank_key(it: Item, table: Mapping[str, float]) -> tuple[object, ...]:
    """Sort key, best first after ``reverse=True``; the id breaks ties for stable output."""
    return (_specificity(it), _recency(it), reliability_of(it.source, table))


def fmt(n: int | None) -> str:
    return "?" if n is None else f"{n:,}"


def stated(it: Item) -> str:
    """The number as the fact states it ("1,200", "20–30", "hundreds")."""
    if it.value is None:
        return it.value_text or "?"
    if it.value_high is not None and it.value_high != it.value:
        return f"{it.value:,}–{it.value_high:,}"
    return f"{it.value:,}"


def _who(it: Item) -> str:
    if it.source and it.publisher and it.source.casefold() not in it.publisher.casefold():
        return f"{it.publisher}, citing {it.source}"
    return it.who


def _when(it: Item, lead: Item) -> str:
    """The period of ``it`` when it differs from the lead's (running counts a day apart)."""
    if (it.start, it.end) == (lead.start, lead.end) or it.end is None:
        return ""
    if it.start is not None and it.start == lead.start and it.start != it.end:
        return f" up to {iso(it.end)}"
    return f" ({period_words(it.start, it.end)})"


def estimate(items: Sequence[Item], table: Mapping[str, float], words: bool = True) -> Estimate:
    """Choose best by the rule; low and high span every number the facts give.

    ``words=False``: no explanation (left empty), for a figure read back only to be
    compared (``directed``): telling a running count of 4,000 reports in words costs
    more than ranking them, and such a figure is not written."""
    if len(items) == 1:  # most figures rest on one fact: skip the ranking
        return _single(items[0])
    ordered = sorted(items, key=lambda it: it.id)
    ordered.sort(key=lambda it: rank_key(it, table), reverse=True)
    chosen = ordered[0]
    low: int | None = None
    high: int | None = None
    for it in ordered:  # every number given: low is the least value, high the largest top
        if it.value is not None:
            top = it.value if it.value_high is None else it.value_high
            low = it.value if low is None else min(low, it.value)
            high = top if high is None else max(high, top)
    best = _best_of(chosen)
    rule = _rule(chosen, ordered, table)
    text = explain(chosen, ordered, rule, low, high) if words else ""
    return Estimate(low, best, high, rule, text, chosen, tuple(ordered))


def _single(only: Item) -> Estimate:
    """The estimate of a figure with one fact: its number, as ``estimate`` would give it.

    Four figures in five rest on one fact, so this spells out ``_best_of``,
    ``stated`` and ``_who`` for it, each attribute read once.
    """
    value, value_high, source, publisher = only.value, only.value_high, only.source, only.publisher
    if value is None:
        best, said, high = None, only.value_text or "?", value_high
    elif value_high is not None and value_high != value:
        best, said, high = (value + value_high) // 2, f"{value:,}–{value_high:,}", value_high
    else:
        best, said, high = value, f"{value:,}", value if value_high is None else value_high
    if source and publisher and source.casefold() not in publisher.casefold():
        who = f"{publisher}, citing {source}"
    else:
        who = publisher or source or f"document {only.doc}"
    text = f"{who} reports {said} (document {only.doc})."
    return Estimate(value, best, high, RULE_SINGLE, text, only, (only,))


def _best_of(it: Item) -> int | None:
    """The number a fact gives; the middle of a range ("20 to 30" -> 25)."""
    if it.value is None:
        return None
    if it.value_high is not None and it.value_high != it.value:
        return (it.value + it.value_high) // 2
    return it.value


def _rule(chosen: Item, ordered: Sequence[Item], table: Mapping[str, float]) -> str:
    if len(ordered) == 1:
        return RULE_SINGLE
    rivals = [it for it in ordered[1:] if not same_value(it, chosen)]
    if not rivals:
        return RULE_AGREE
    rival = rivals[0]
    if _specificity(chosen) != _specificity(rival):
        return RULE_SPECIFIC
    if _recency(chosen) != _recency(rival):
        return RULE_RECENT
    if reliability_of(chosen.source, table) != reliability_of(rival.source, table):
        return RULE_RELIABLE
    return RULE_ORDER


def explain(
    chosen: Item, ordered: Sequence[Item], rule: str, low: int | None, high: int | None
) -> str:
    """Say in words how the facts were grouped and why best is best.

    The story starts from the first report of the chosen number, so that later
    copies read as repeats of it, whichever copy the rule chose.
    """
    lead = min(
        (it for it in ordered if same_value(it, chosen)), key=lambda it: (_recency(it), it.id)
    )
    parts = [f"{_who(lead)} reports {stated(lead)} (document {lead.doc})."]
    for it in sorted(ordered, key=lambda it: (_recency(it), it.id)):
        if it is lead:
            continue
        where = f"(document {it.doc})"
        if it.doc == lead.doc:
            parts.append(f"The same document states {stated(it)} again.")
        elif same_value(it, lead) and it.quote and it.quote == lead.quote:
            parts.append(f"The same quoted figure is repeated by {_who(it)} {where}.")
        elif same_value(it, lead):
            parts.append(f"Same count as {_who(lead)}, reported again by {_who(it)} {where}.")
        elif same_source(it, lead):
            parts.append(
                f"{it.source} also gave {stated(it)} for this count{_when(it, lead)} {where}."
            )
        else:
            parts.append(
                f"{_who(it)} gives {stated(it)} for the same count{_when(it, lead)} {where}: "
                "the sources disagree."
            )
    if rule not in (RULE_SINGLE, RULE_AGREE):
        parts.append(f"Best is {stated(chosen)} from {_who(chosen)}: {rule}.")
        if low != high:
            parts.append(f"The sources give a range of {fmt(low)} to {fmt(high)}, not a sum.")
    return " ".join(parts)


def iso(ordinal: int | None) -> str | None:
    """A day ordinal as an ISO date, for messages."""
    return date.fromordinal(ordinal).isoformat() if ordinal is not None else None


def period_words(start: int | None, end: int | None) -> str:
    """A period as a reader says it: "2020-01-16", "January 2020", "2020", or a range."""
    if start is None or end is None:
        return "undated"
    first, last = date.fromordinal(start), date.fromordinal(end)
    if first == last:
        return first.isoformat()
    if first.day == 1 and (last + timedelta(days=1)).day == 1:
        if (first.year, first.month) == (last.year, last.month):
            return first.strftime("%B %Y")
        if (first.month, last.month, first.year) == (1, 12, last.year):
            return str(first.year)
    return f"{first.isoformat()} to {last.isoformat()}"


def org_of(it: Item) -> str:
    """Whose count it is: the organisation it is attributed to, else who published it."""
    return it.source or it.who


def count_words(chosen: Item, best: int | None, sources: Sequence[str] = ()) -> str:
    """A figure named for a reader: "the January 2020 total of 130 civilians by ..."."""
    what = f"{fmt(best)} {chosen.subject or chosen.unit}"
    place = f" in {chosen.place.name}" if chosen.place.name else ""
    by = " and ".join(sources[:2]) or org_of(chosen)
    words = period_words(chosen.start, chosen.end)
    if chosen.start is None or chosen.start == chosen.end:
        return f"the count of {what}{place} on {words} by {by}"
    if " to " not in words:  # a calendar month or year
        return f"the {words} total of {what}{place} by {by}"
    if chosen.running:
        since = f"since {iso(chosen.start)}, up to {iso(chosen.end)}"
        return f"the total of {what}{place} {since}, by {by}"
    return f"the total of {what}{place} from {words} by {by}"
