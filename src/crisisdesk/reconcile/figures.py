"""Facts in, figures out: grouping, estimates, total/part links and checks, in one pass.

``reconcile_facts`` is pure (no store): the web review page, the report and
``total`` all call it on the facts they hold. It must see every fact of the
counts it reconciles at once, so it holds them all in memory.
"""

from __future__ import annotations

import gc
import logging
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date
from typing import Any

from crisisdesk.model import Category, Fact, Figure, StoredFact, Unit
from crisisdesk.reconcile.checks import run_checks
from crisisdesk.reconcile.draft import FigureDraft, make_draft, merge_running
from crisisdesk.reconcile.estimate import default_reliability
from crisisdesk.reconcile.grouping import group_items
from crisisdesk.reconcile.items import Item, fact_of, items_of
from crisisdesk.reconcile.nesting import check_parts_exceed, link_parts

log = logging.getLogger(__name__)


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while building many small acyclic objects.

    Reconcile allocates millions of items and drafts that live to the end; the
    collector would rescan them all again and again (a third of the run time)
    and could free nothing. Reference counting still frees everything.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def reconcile_items(items: Sequence[Item], table: Mapping[str, float]) -> list[FigureDraft]:
    """The whole reconcile pass over items; drafts come out linked and checked."""
    with paused_gc():
        drafts = [make_draft(group, table) for group in group_items(items)]
        drafts = merge_running(drafts, table)
        links = link_parts(drafts)
        check_parts_exceed(drafts)
        run_checks(drafts)
    log.debug("%d facts -> %d figures, %d links", len(items), len(drafts), links)
    return drafts


def reconcile_facts(
    facts: Sequence[StoredFact] | Sequence[Fact],
    *,
    reliability: Mapping[str, float] | None = None,
) -> list[Figure]:
    """Group facts into figures with low/best/high, reasons, total/part links and flags.

    ``reliability`` maps a source name (case-insensitive) to 0..1; by default
    the sources table. Facts with a value_text only ("hundreds") join figures
    but give no number.
    """
    table = reliability_table(reliability)
    drafts = reconcile_items(items_of(facts), table)
    return [to_figure(d) for d in drafts]


def reliability_table(reliability: Mapping[str, float] | None) -> Mapping[str, float]:
    """The caller's reliabilities keyed case-insensitively, else the sources table."""
    if reliability is None:
        return default_reliability()
    return {k.casefold(): float(v) for k, v in reliability.items()}


def to_figure(d: FigureDraft) -> Figure:
    """Freeze a draft into the shared model record (facts best first)."""
    chosen = d.est.chosen
    facts = tuple(_with_id(it) for it in d.est.ordered if fact_of(it) is not None)
    if len(facts) == 1:
        places, resolved = facts[0].places, facts[0].resolved
    else:  # every place and resolution once, in order (dicts keep insertion order)
        places = tuple(dict.fromkeys(n for fact in facts for n in fact.places))
        resolved = tuple(dict.fromkeys(rp for fact in facts for rp in fact.resolved))
    return Figure(
        id=d.id,
        category=Category(chosen.category),
        unit=Unit(chosen.unit),
        subject=chosen.subject,
        places=places or ((d.place.name,) if d.place.name else ()),
        date_start=date.fromordinal(chosen.start) if chosen.start is not None else None,
        date_end=date.fromordinal(chosen.end) if chosen.end is not None else None,
        low=d.est.low,
        best=d.est.best,
        high=d.est.high,
        rule=d.est.rule,
        explanation=d.est.explanation,
        facts=facts,
        sources=sources_of(d.items),
        is_total=d.is_total,
        parts=tuple(d.parts),
        part_of=tuple(d.part_of),
        flags=tuple(d.flags),
        resolved=resolved,
    )


def _with_id(it: Item) -> Fact:
    """The fact, carrying its store id in ``extra["fact_id"]`` (a corrected fact keeps
    its id while its key changes)."""
    assert it.fact is not None
    if it.fact.extra.get("fact_id") == it.id or it.fact.key == it.id:
        return it.fact
    return it.fact.with_(extra={**it.fact.extra, "fact_id": it.id})


def sources_of(items: Sequence[Item]) -> tuple[str, ...]:
    """Who the figure rests on: each attributed source, else the publisher, once."""
    seen: dict[str, str] = {}
    for it in items:
        for name in (it.source, it.publisher):
            if name and name.casefold() not in seen:
                seen[name.casefold()] = name
    return tuple(seen.values())


def fact_json(fact: Fact) -> dict[str, Any]:
    """A fact as evidence: where to read it and what it says."""
    return {
        "fact_id": fact.extra.get("fact_id", fact.key),
        "doc": fact.doc,
        "quote": fact.quote,
        "quote_start": fact.quote_start,
        "span": [fact.span[0], fact.span[1]],
        "value": fact.value,
        "value_high": fact.value_high,
        "value_text": fact.value_text,
        "qualifier": str(fact.qualifier),
        "source": fact.source,
        "places": list(fact.places),
        "date_start": fact.date_start.isoformat() if fact.date_start else None,
        "date_end": fact.date_end.isoformat() if fact.date_end else None,
        "is_total": fact.is_total,
    }


def figure_json(fig: Figure) -> dict[str, Any]:
    """A figure with the evidence for its number (every fact's document, quote and span)."""
    return {
        "id": fig.id,
        "category": str(fig.category),
        "unit": str(fig.unit),
        "subject": fig.subject,
        "places": list(fig.places),
        "date_start": fig.date_start.isoformat() if fig.date_start else None,
        "date_end": fig.date_end.isoformat() if fig.date_end else None,
        "low": fig.low,
        "best": fig.best,
        "high": fig.high,
        "rule": fig.rule,
        "explanation": fig.explanation,
        "sources": list(fig.sources),
        "is_total": fig.is_total,
        "parts": list(fig.parts),
        "part_of": list(fig.part_of),
        "flags": [str(flag) for flag in fig.flags],
        "facts": [fact_json(f) for f in fig.facts],
    }
