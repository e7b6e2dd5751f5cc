"""The ``total`` query: how many, over a place and a period, counted once.

Steps, each leaving a reason behind for what it leaves out:

1. load the live facts of the category (and unit) for the place and period,
   and reconcile them (same counts merge; totals link to their parts); or,
   asked to (``use_stored``) and when the stored figures are fresh
   (``stored.is_fresh``), read those instead: the same figures;
2. keep figures of one unit (people by default when several are present),
   with a number, and whose period lies inside the window asked for (a
   figure that runs outside it cannot be split, so it is left out);
3. drop every figure included in another kept figure: the total is counted,
   its parts are not;
4. among what is left, drop figures that overlap a kept one in place and
   period without being contained in it (``nesting.select_disjoint``);
5. add up best, low and high over the figures used.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, overload

from crisisdesk.errors import ConfigError
from crisisdesk.model import Category, Figure, Unit
from crisisdesk.reconcile.draft import Draft
from crisisdesk.reconcile.estimate import iso
from crisisdesk.reconcile.figures import (
    figure_json,
    paused_gc,
    reconcile_items,
    reliability_table,
    sources_of,
    to_figure,
)
from crisisdesk.reconcile.items import fact_of
from crisisdesk.reconcile.nesting import describe, select_disjoint
from crisisdesk.reconcile.queries import load_items, matching_fact_ids, resolve_place
from crisisdesk.reconcile.stored import is_fresh, stored_drafts
from crisisdesk.store import Store

FULL_EXCLUDED = 50  # excluded figures given with full evidence in ``to_json``; the rest compact


class Excluded(Sequence[tuple[Figure, str]]):
    """The figures left out, and why: a read-only list of (Figure, reason).

    A year of a governorate leaves thousands of figures out (the days and weeks
    inside the monthly totals); freezing each into a ``Figure`` cost more than
    the rest of ``total``. They are frozen on first access instead, and
    ``compact_json`` describes one without freezing it.
    """

    __slots__ = ("_drafts", "_frozen")

    def __init__(self, drafts: Sequence[tuple[Draft, str]] = ()) -> None:
        self._drafts = list(drafts)
        self._frozen: dict[int, Figure] = {}

    def __len__(self) -> int:
        return len(self._drafts)

    @overload
    def __getitem__(self, i: int) -> tuple[Figure, str]: ...
    @overload
    def __getitem__(self, i: slice) -> list[tuple[Figure, str]]: ...
    def __getitem__(self, i: int | slice) -> tuple[Figure, str] | list[tuple[Figure, str]]:
        if isinstance(i, slice):
            return [self[k] for k in range(*i.indices(len(self)))]
        k = range(len(self))[i]  # negative indices, and IndexError past the end
        fig = self._frozen.get(k)
        if fig is None:
            fig = self._frozen[k] = to_figure(self._drafts[k][0])
        return fig, self._drafts[k][1]

    def __iter__(self) -> Iterator[tuple[Figure, str]]:
        for k in range(len(self)):
            yield self[k]

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Excluded | list | tuple):
            return list(self) == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Excluded({len(self)} figures)"

    def to_json(self) -> list[dict[str, Any]]:
        """Every excluded figure with its reason: the first ``FULL_EXCLUDED`` with their
        evidence, the others compact (numbers, place, period, sources, fact ids)."""
        out = []
        for k, (d, reason) in enumerate(self._drafts):
            fig = figure_json(self[k][0]) if k < FULL_EXCLUDED else compact_json(d)
            out.append({"figure": fig, "reason": reason})
        return out


def compact_json(d: Draft) -> dict[str, Any]:
    """An excluded figure without its evidence: what it says and which facts say it."""
    chosen = d.est.chosen
    places = [d.place.name] if d.place.name else []
    if len(d.items) > 1 or not places:
        facts = [f for f in map(fact_of, d.est.ordered) if f is not None]
        places = list(dict.fromkeys(n for f in facts for n in f.places)) or places
    elif (fact := fact_of(d.items[0])) is not None:
        places = list(fact.places) or places
    return {
        "id": d.id,
        "category": chosen.category,
        "unit": chosen.unit,
        "subject": chosen.subject,
        "places": places,
        "date_start": iso(chosen.start),
        "date_end": iso(chosen.end),
        "low": d.est.low,
        "best": d.est.best,
        "high": d.est.high,
        "sources": list(sources_of(d.items)),
        "is_total": d.is_total,
        "part_of": list(d.part_of),
        "flags": list(d.flags),
        "fact_ids": [it.id for it in d.est.ordered],
        "compact": True,
    }


@dataclass(frozen=True, slots=True)
class TotalResult:
    """The answer to "how many?", with the figures used and those left out, and why."""

    best: int
    low: int
    high: int
    figures: list[Figure]
    excluded: Sequence[tuple[Figure, str]]
    flags: list[str]
    unit: str | None = None
    notes: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "best": self.best,
            "low": self.low,
            "high": self.high,
            "figures": [figure_json(f) for f in self.figures],
            "excluded": (
                self.excluded.to_json()
                if isinstance(self.excluded, Excluded)
                else [{"figure": figure_json(f), "reason": r} for f, r in self.excluded]
            ),
            "flags": list(self.flags),
        }


def check_category(category: str) -> str:
    try:
        return Category(category.strip().lower()).value
    except ValueError:
        allowed = ", ".join(c.value for c in Category)
        raise ConfigError(f"unknown category {category!r}; use one of: {allowed}") from None


def check_unit(unit: str | None) -> str | None:
    if unit is None:
        return None
    try:
        return Unit(unit.strip().lower()).value
    except ValueError:
        allowed = ", ".join(u.value for u in Unit)
        raise ConfigError(f"unknown unit {unit!r}; use one of: {allowed}") from None


def total(
    store: Store,
    *,
    category: str,
    unit: str | None = None,
    place: str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    verified_only: bool = False,
    gazetteer: Any = None,
    reliability: Mapping[str, float] | None = None,
    use_stored: bool = False,
) -> TotalResult:
    """Best, low and high for ``category`` over a place and period, never counting twice.

    ``use_stored``: answer from the figures ``reconcile_store`` wrote when they are
    fresh (else from the facts, as always). Same answers; off by default because
    reading each stored figure's evidence back costs more than reconciling the
    facts of one question again (benchmarks/total_speed.py measures both).
    """
    category = check_category(category)
    unit = check_unit(unit)
    if date_from and date_to and date_from > date_to:
        raise ConfigError(f"--from {date_from} is after --to {date_to}")
    match = resolve_place(store, place, gazetteer) if place and place.strip() else None
    question: dict[str, Any] = {
        "category": category,
        "unit": unit,
        "place": match,
        "date_from": date_from,
        "date_to": date_to,
        "verified_only": verified_only,
    }
    with paused_gc():
        # Stored figures mix every review status and use the default reliabilities.
        fresh = use_stored and not verified_only and reliability is None and is_fresh(store)
        if fresh:
            drafts = stored_drafts(store, matching_fact_ids(**question))
        else:
            items = load_items(store, **question)
            drafts = reconcile_items(items, reliability_table(reliability))
        return sum_drafts(drafts, unit=unit, date_from=date_from, date_to=date_to)


def _span(d: Draft) -> str:
    return iso(d.start) or "?" if d.start == d.end else f"{iso(d.start)} to {iso(d.end)}"


def sum_drafts(
    drafts: list[Draft],
    *,
    unit: str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
) -> TotalResult:
    """Steps 2 to 5 of the module docstring, over drafts already reconciled."""
    excluded: list[tuple[Draft, str]] = []
    notes: list[str] = []
    if unit is None and drafts:
        units = Counter(d.unit for d in drafts)
        unit = "people" if "people" in units else units.most_common(1)[0][0]
        if len(units) > 1:
            notes.append(f"counted in {unit}; figures in other units are left out")
    lo = date_from.toordinal() if date_from else None
    hi = date_to.toordinal() if date_to else None
    window = f"{date_from or 'the beginning'} to {date_to or 'now'}"
    candidates: list[Draft] = []
    for d in drafts:
        if d.unit != unit:
            excluded.append((d, f"counted in {d.unit}, not {unit} (ask with --unit {d.unit})"))
        elif d.best is None:
            excluded.append((d, "gives no number, only a vague amount"))
        elif (lo is not None or hi is not None) and d.start is None:
            excluded.append((d, "has no date, so it cannot be placed in the period asked for"))
        elif (lo is not None and d.start is not None and d.start < lo) or (
            hi is not None and d.end is not None and d.end > hi
        ):
            excluded.append(
                (d, f"covers {_span(d)}, which runs outside {window}; it cannot be split")
            )
        else:
            candidates.append(d)
    by_id = {d.id: d for d in candidates}
    named: dict[str, str] = {}  # a monthly total holds hundreds of parts: describe it once
    top: list[Draft] = []
    for d in candidates:
        container = next((by_id[p] for p in d.part_of if p in by_id), None)
        if container is not None:
            name = named.get(container.id)
            if name is None:
                name = named[container.id] = describe(container)
            excluded.append((d, f"part of {name}, counted there (figure {container.id})"))
        else:
            top.append(d)
    used, overlapping = select_disjoint(top)
    excluded.extend(overlapping)
    best = sum(d.best or 0 for d in used)
    low = sum(d.est.low if d.est.low is not None else d.best or 0 for d in used)
    high = sum(d.est.high if d.est.high is not None else d.best or 0 for d in used)
    flags = [f"{d.id}: {flag}" for d in candidates for flag in d.flags]
    used.sort(key=lambda d: (d.start or 0, d.end or 0, d.id))
    return TotalResult(
        best=best,
        low=min(low, best),
        high=max(high, best),
        figures=[to_figure(d) for d in used],
        excluded=Excluded(excluded),
        flags=flags,
        unit=unit,
        notes=notes,
    )
