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
from collections.abc import Iterator, Mapping, Sequence
from typing import TypeVar

from crisisdesk.model import Flag
from crisisdesk.reconcile.draft import FigureDraft, broader_place, contains, related
from crisisdesk.reconcile.estimate import count_words, fmt, org_of, stated
from crisisdesk.reconcile.grouping import same_value
from crisisdesk.reconcile.intervals import IntervalIndex
from crisisdesk.reconcile.joining import UnionFind

T = TypeVar("T")

PartKey = tuple[str, str, frozenset[str], frozenset[str], bool]


def _index_by_self_key(drafts: Sequence[FigureDraft]) -> dict[tuple[str, str, str], IntervalIndex]:
    """Possible totals by category, unit and each of their ``index_keys``."""
    index: dict[tuple[str, str, str], IntervalIndex[FigureDraft]] = {}
    # the indexes a draft goes in, by (category, unit, self keys): drafts of one
    # place and kind share them, so the keys are worked out once for all of them
    targets: dict[tuple[object, ...], list[IntervalIndex[FigureDraft]]] = {}
    for d in drafts:
        start, end = d.start, d.end
        if start is None or end is None:
            continue
        kind = (d.category, d.unit, d.self_keys, d.member_keys)
        into = targets.get(kind)
        if into is None:
            into = targets[kind] = []
            for key in index_keys(d):
                idx = index.get((d.category, d.unit, key))
                if idx is None:
                    idx = index[(d.category, d.unit, key)] = IntervalIndex()
                into.append(idx)
        for idx in into:
            idx.add(start, end, d)
    return index


def index_keys(d: FigureDraft) -> list[str]:
    """Keys to find d under as a possible total: its codes, or its names when it has none.

    Parts look themselves up by all their keys, so a total found by code covers
    resolved parts; a total known only by name covers parts that name it.
    """
    codes = [k for k in d.self_keys if not k.startswith("n:")]
    # places side by side are also found under each of theirs (they hold each one)
    return (codes or list(d.self_keys)) + sorted(d.member_keys)


def _lookups(
    index: dict[tuple[str, str, str], IntervalIndex[FigureDraft]], f: FigureDraft
) -> list[IntervalIndex[FigureDraft]]:
    """The indexes where f's totals can be: under any key of f's place or its areas."""
    # "" finds totals with no place: an organisation's own count covering its days
    keys = f.self_keys | f.area_keys | ({""} if f.place.primary else set())
    found = (index.get((f.category, f.unit, key)) for key in keys)
    return [idx for idx in found if idx is not None]


def link_parts(drafts: Sequence[FigureDraft]) -> int:
    """Fill ``parts`` and ``part_of`` with direct containment links; return how many.

    Drafts of one place and kind look in the same indexes, so those are found
    once per (category, unit, place keys) rather than once per draft.
    """
    index = _index_by_self_key(drafts)
    lookups: dict[PartKey, list[IntervalIndex[FigureDraft]]] = {}
    links = 0
    for f in drafts:
        start, end = f.start, f.end
        if start is None or end is None:
            continue
        where = (f.category, f.unit, f.self_keys, f.area_keys, not f.place.primary)
        indexes = lookups.get(where)
        if indexes is None:
            indexes = lookups[where] = _lookups(index, f)
        parents = _found(f, indexes)
        if not parents:
            continue
        found = list(parents.values())
        if len(found) == 1:
            direct = found
        else:
            # p is direct unless it contains another parent (over p's days at most)
            direct = [
                p
                for p in found
                if not any(
                    q is not p
                    and p.start <= q.start  # type: ignore[operator]
                    and q.end <= p.end  # type: ignore[operator]
                    and contains(p, q)
                    for q in found
                )
            ]
        if len(direct) > 1 and f.best is not None:
            # Totals of the same scope from one report are separate counts ("130
            # civilians... three volunteers"): a part belongs to those that can hold it.
            roomy = [p for p in direct if (p.best or 0) >= f.best]
            direct = roomy or direct
        if len(direct) > 1:
            direct.sort(key=lambda d: d.id)
        for p in direct:
            p.parts.append(f.id)
            f.part_of.append(p.id)
            p.is_total = True
        links += len(direct)
    return links


def _found(f: FigureDraft, indexes: list[IntervalIndex[FigureDraft]]) -> dict[str, FigureDraft]:
    """The totals of ``indexes`` that contain f, direct or not (``link_parts``)."""
    start, end = f.start, f.end
    parents: dict[str, FigureDraft] = {}
    for idx in indexes:
        for t in idx.covering(start, end):
            # t covers f's period, so f can contain t only over the very same days
            if (
                t is not f
                and t.id not in parents
                and contains(t, f)
                and not (t.start == start and t.end == end and contains(f, t))
            ):
                parents[t.id] = t
    return parents


def contained(totals: Sequence[FigureDraft], drafts: Sequence[FigureDraft]) -> set[str]:
    """Ids of ``drafts`` that one of ``totals`` contains as ``link_parts`` finds its
    totals (direct or not): the figures whose totals change when those come or go."""
    index = _index_by_self_key(totals)
    out: set[str] = set()
    for f in drafts:
        if f.start is not None and f.end is not None and _found(f, _lookups(index, f)):
            out.add(f.id)
    return out


def describe(d: FigureDraft) -> str:
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


def _order(d: FigureDraft) -> tuple[object, ...]:
    return (-(d.days or 0), -d.place.rank, -(d.best or 0), d.id)


def select_disjoint(
    drafts: Sequence[FigureDraft], *, reasons: bool = True
) -> tuple[list[FigureDraft], list[tuple[FigureDraft, bool, str]]]:
    """Keep figures that do not overlap in place and period; say why each other is left
    out: (figure, whether the clash is in the same report, the reason in words;
    ``reasons=False``: leave the words empty, for checks that only count)."""
    by_self: dict[str, IntervalIndex[FigureDraft]] = defaultdict(IntervalIndex)
    by_area: dict[str, IntervalIndex[FigureDraft]] = defaultdict(IntervalIndex)
    used: list[FigureDraft] = []
    left_out: list[tuple[FigureDraft, bool, str]] = []
    for d in sorted(drafts, key=_order):
        if d.start is None or d.end is None:
            used.append(d)
            continue
        clash = _first_clash(d, by_self, by_area)
        if clash is not None:
            shared = _shared_documents(d, clash)
            left_out.append((d, bool(shared), _clash_reason(d, clash, shared) if reasons else ""))
            continue
        used.append(d)
        for key in d.self_keys:
            by_self[key].insert(d.start, d.end, d)
        for key in d.area_keys:
            by_area[key].insert(d.start, d.end, d)
    return used, left_out


def clash_groups(drafts: Sequence[FigureDraft]) -> list[list[FigureDraft]]:
    """The figures joined by chains of clashes (a key of one meets the other's the way
    ``_first_clash`` looks, periods share a day, ``related``), each group in the
    order given; an undated figure is a group of its own.

    ``select_disjoint`` over all of them keeps, of each group, what it keeps over
    that group alone: whether a figure is kept depends only on the kept figures it
    clashes with, all in its group. So a group is kept or left as a whole by an
    incremental pass (``selection``) while none of its figures changes."""
    forest = UnionFind(len(drafts))
    by_self: dict[str, IntervalIndex[int]] = defaultdict(IntervalIndex)
    by_area: dict[str, IntervalIndex[int]] = defaultdict(IntervalIndex)
    for i, d in enumerate(drafts):
        if d.start is None or d.end is None:
            continue
        for key in d.self_keys:
            by_self[key].add(d.start, d.end, i)
        for key in d.area_keys:
            by_area[key].add(d.start, d.end, i)
    for i, d in enumerate(drafts):
        if d.start is None or d.end is None:
            continue
        for j in _meeting(d, by_self, by_area):
            if forest.find(i) != forest.find(j) and related(drafts[j], d):
                forest.union(i, j)
    groups: dict[int, list[FigureDraft]] = defaultdict(list)
    for i, d in enumerate(drafts):
        groups[forest.find(i)].append(d)
    return list(groups.values())


def _things(d: FigureDraft) -> str:
    return "people" if d.unit in ("people", "families") else d.unit


def _shared_documents(d: FigureDraft, clash: FigureDraft) -> list[str]:
    return sorted({it.doc for it in d.items} & {it.doc for it in clash.items})


def _clash_reason(d: FigureDraft, clash: FigureDraft, shared: list[str]) -> str:
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
    d: FigureDraft,
    by_self: dict[str, IntervalIndex[FigureDraft]],
    by_area: dict[str, IntervalIndex[FigureDraft]],
) -> FigureDraft | None:
    for other in _meeting(d, by_self, by_area):
        if other is not d and related(other, d):
            return other
    return None


def _meeting(
    d: FigureDraft,
    by_self: Mapping[str, IntervalIndex[T]],
    by_area: Mapping[str, IntervalIndex[T]],
) -> Iterator[T]:
    """What the indexes hold whose period meets ``d``'s under a key that can relate them:
    its own keys and areas against what others are, its own keys against their areas."""
    assert d.start is not None and d.end is not None
    lookups = [(by_self, k) for k in d.self_keys | d.area_keys]
    lookups += [(by_area, k) for k in d.self_keys]
    for table, key in lookups:
        idx = table.get(key)
        if idx is not None:
            for _, _, value in idx.overlapping(d.start, d.end):
                yield value


def check_parts_exceed(drafts: Sequence[FigureDraft]) -> None:
    """Flag a total whose parts (counted once each) add up to more than the total."""
    # parts are the drafts that ``link_parts`` linked to a total, which it marks on both
    by_id = {d.id: d for d in drafts if d.part_of}
    for t in drafts:
        if not t.parts or t.best is None:
            continue
        found = parts_exceed(t.best, [by_id[p] for p in t.parts if p in by_id])
        if found is not None:
            t.flag(found.code, found.message)


def parts_exceed(best: int, parts: Sequence[FigureDraft]) -> Flag | None:
    """The flag of a total of ``best`` whose ``parts`` add up to more (None: they fit)."""
    if sum(p.best or 0 for p in parts) <= best:
        return None  # even all of them together fit: no need to pick a disjoint set
    total = sum(p.best or 0 for p in _disjoint_few(parts))
    if total <= best:
        return None
    return Flag(
        "parts_exceed_total",
        f"its parts add up to {fmt(total)}, more than the total of {fmt(best)}",
    )


FEW = 512  # parts met through lists by key below this many, through interval indexes above


def _disjoint_few(drafts: Sequence[FigureDraft]) -> list[FigureDraft]:
    """The figures ``select_disjoint(drafts)`` keeps, without its reasons.

    A total's parts are few; looking each up among those kept so far by its
    keys costs less than building interval indexes for every key of every
    part (which dominated ``total`` over a year), and less than comparing
    every pair (a district's week holds hundreds of town-days, mostly of
    other towns). The test is ``_first_clash``'s: a key of one meets the
    other's the same way, periods overlap, and ``related``. Only whether a
    clash exists matters here, not which one is met first.
    """
    if len(drafts) > FEW:
        return select_disjoint(drafts, reasons=False)[0]
    used: list[FigureDraft] = []
    by_self: dict[str, list[FigureDraft]] = {}  # kept figures by each key naming their place
    by_area: dict[str, list[FigureDraft]] = {}  # ...and by each key of an area around it
    for d in sorted(drafts, key=_order):
        if d.start is None or d.end is None:
            used.append(d)
            continue
        if _clashes(d, by_self, by_area):
            continue
        used.append(d)
        for key in d.self_keys:
            by_self.setdefault(key, []).append(d)
        for key in d.area_keys:
            by_area.setdefault(key, []).append(d)
    return used


def _clashes(
    d: FigureDraft, by_self: dict[str, list[FigureDraft]], by_area: dict[str, list[FigureDraft]]
) -> bool:
    """Whether a kept figure overlaps d in place and period and is ``related`` to it."""
    start, end = d.start, d.end
    for table, keys in ((by_self, d.self_keys), (by_self, d.area_keys), (by_area, d.self_keys)):
        for key in keys:
            for o in table.get(key, ()):
                if o.start <= end and start <= o.end and o is not d and related(o, d):  # type: ignore[operator]
                    return True
    return False


__all__ = [
    "broader_place",
    "check_parts_exceed",
    "clash_groups",
    "contained",
    "describe",
    "link_parts",
    "parts_exceed",
    "select_disjoint",
]
