"""Totals and their parts: linking them, and choosing figures that can be added up.

A total contains a figure when both count the same thing (category, unit,
subject) and the total's period and place cover the figure's (``contains``).
Only direct links are kept (a month contains its weeks, a week its days), so
a governorate-year total does not carry a million links; parts of parts are
reached by following links.

``select_disjoint`` picks, from figures none of which contains another, a set
that never counts anything twice: where two figures overlap in place and
period without one containing the other, only the first (longer period,
wider place, larger number) is kept and the other is left out, with a reason.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from crisisdesk.reconcile.draft import Draft, broader_place, contains, related
from crisisdesk.reconcile.estimate import count_words, fmt, org_of, stated
from crisisdesk.reconcile.grouping import same_value
from crisisdesk.reconcile.intervals import IntervalIndex


def _index_by_self_key(drafts: Sequence[Draft]) -> dict[tuple[str, str, str], IntervalIndex]:
    index: dict[tuple[str, str, str], IntervalIndex[Draft]] = defaultdict(IntervalIndex)
    for d in drafts:
        if d.start is None or d.end is None:
            continue
        for key in index_keys(d):
            index[(d.category, d.unit, key)].add(d.start, d.end, d)
    return index


def index_keys(d: Draft) -> list[str]:
    """Keys to find d under as a possible total: its codes, or its names when it has none.

    Parts look themselves up by all their keys, so a total found by code covers
    resolved parts; a total known only by name covers parts that name it.
    """
    codes = [k for k in d.self_keys if not k.startswith("n:")]
    return codes or list(d.self_keys)


def link_parts(drafts: Sequence[Draft]) -> int:
    """Fill ``parts`` and ``part_of`` with direct containment links; return how many."""
    index = _index_by_self_key(drafts)
    links = 0
    for f in drafts:
        if f.start is None or f.end is None:
            continue
        parents: dict[str, Draft] = {}
        # "" finds totals with no place: an organisation's own count covering its days
        lookups = f.self_keys | f.area_keys | ({""} if f.place.primary else set())
        for key in lookups:
            idx = index.get((f.category, f.unit, key))
            if idx is None:
                continue
            for _, _, t in idx.containing(f.start, f.end):
                if t.id not in parents and contains(t, f) and not contains(f, t):
                    parents[t.id] = t
        if not parents:
            continue
        found = list(parents.values())
        direct = [p for p in found if not any(q is not p and contains(p, q) for q in found)]
        if len(direct) > 1 and f.best is not None:
            # Totals of the same scope from one report are separate counts ("130
            # civilians... three volunteers"): a part belongs to those that can hold it.
            roomy = [p for p in direct if (p.best or 0) >= f.best]
            direct = roomy or direct
        for p in sorted(direct, key=lambda d: d.id):
            p.parts.append(f.id)
            f.part_of.append(p.id)
            p.is_total = True
            links += 1
    return links


def describe(d: Draft) -> str:
    """A figure named for a reader: "the January 2020 total of 130 civilians by X"
    (and, when others disagree, "Y gives 150")."""
    chosen = d.est.chosen
    # whose number it is: an organisation it is attributed to, before an outlet
    by = next((it.source for it in d.est.ordered if it.source and same_value(it, chosen)), None)
    by = by or org_of(chosen)
    text = count_words(chosen, d.best, [by])
    others: dict[str, str] = {}
    for it in d.est.ordered:
        org = org_of(it)
        if org.casefold() != by.casefold() and not same_value(it, chosen):
            others.setdefault(org.casefold(), f"{org} gives {stated(it)}")
    return f"{text} ({'; '.join(list(others.values())[:2])})" if others else text


def _order(d: Draft) -> tuple[object, ...]:
    return (-(d.days or 0), -d.place.rank, -(d.best or 0), d.id)


def select_disjoint(
    drafts: Sequence[Draft], *, reasons: bool = True
) -> tuple[list[Draft], list[tuple[Draft, str]]]:
    """Keep figures that do not overlap in place and period; say why each other is left
    out (``reasons=False``: leave the reasons empty, for checks that only count)."""
    by_self: dict[str, IntervalIndex[Draft]] = defaultdict(IntervalIndex)
    by_area: dict[str, IntervalIndex[Draft]] = defaultdict(IntervalIndex)
    used: list[Draft] = []
    left_out: list[tuple[Draft, str]] = []
    for d in sorted(drafts, key=_order):
        if d.start is None or d.end is None:
            used.append(d)
            continue
        clash = _first_clash(d, by_self, by_area)
        if clash is not None:
            left_out.append((d, _clash_reason(d, clash) if reasons else ""))
            continue
        used.append(d)
        for key in d.self_keys:
            by_self[key].insert(d.start, d.end, d)
        for key in d.area_keys:
            by_area[key].insert(d.start, d.end, d)
    return used, left_out


def _things(d: Draft) -> str:
    return "people" if d.unit in ("people", "families") else d.unit


def _clash_reason(d: Draft, clash: Draft) -> str:
    shared = sorted({it.doc for it in d.items} & {it.doc for it in clash.items})
    if shared:
        return (
            f"a second number in the same report (document {shared[0]}) as {describe(clash)}, "
            "for the same place and period: a separate group the report names, or a count "
            f"inside it, so it is not added (figure {clash.id})"
        )
    return (
        f"covers some of the same place and period as {describe(clash)}, which is counted; "
        f"adding both would count the same {_things(d)} twice (figure {clash.id})"
    )


def _first_clash(
    d: Draft, by_self: dict[str, IntervalIndex[Draft]], by_area: dict[str, IntervalIndex[Draft]]
) -> Draft | None:
    assert d.start is not None and d.end is not None
    lookups = [(by_self, k) for k in d.self_keys | d.area_keys]
    lookups += [(by_area, k) for k in d.self_keys]
    for table, key in lookups:
        idx = table.get(key)
        if idx is None:
            continue
        for _, _, other in idx.overlapping(d.start, d.end):
            if other is not d and related(other, d):
                return other
    return None


def check_parts_exceed(drafts: Sequence[Draft]) -> None:
    """Flag a total whose parts (counted once each) add up to more than the total."""
    by_id = {d.id: d for d in drafts}
    for t in drafts:
        if not t.parts or t.best is None:
            continue
        parts = [by_id[p] for p in t.parts if p in by_id]
        if sum(p.best or 0 for p in parts) <= t.best:
            continue  # even all of them together fit: no need to pick a disjoint set
        total = sum(p.best or 0 for p in _disjoint_few(parts))
        if total > t.best:
            t.flag(
                "parts_exceed_total",
                f"its parts add up to {fmt(total)}, more than the total of {fmt(t.best)}",
            )


FEW = 64  # parts compared pair by pair below this many, through interval indexes above


def _disjoint_few(drafts: Sequence[Draft]) -> list[Draft]:
    """The figures ``select_disjoint(drafts)`` keeps, without its reasons.

    A total's parts are few; comparing each with those kept so far costs less
    than building interval indexes for every key of every part (which
    dominated ``total`` over a year). The test is ``_first_clash``'s: periods
    overlap, a key of one meets the other's the same way, and ``related``.
    """
    if len(drafts) > FEW:
        return select_disjoint(drafts, reasons=False)[0]
    used: list[Draft] = []
    dated: list[Draft] = []
    for d in sorted(drafts, key=_order):
        if d.start is None or d.end is None:
            used.append(d)
            continue
        keys = d.self_keys | d.area_keys
        if any(
            o.start <= d.end  # type: ignore[operator]
            and d.start <= o.end  # type: ignore[operator]
            and o is not d
            and (not o.self_keys.isdisjoint(keys) or not o.area_keys.isdisjoint(d.self_keys))
            and related(o, d)
            for o in dated
        ):
            continue
        used.append(d)
        dated.append(d)
    return used


__all__ = ["broader_place", "check_parts_exceed", "describe", "link_parts", "select_disjoint"]
