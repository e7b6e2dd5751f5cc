"""Which facts are the same count.

Two facts can only be the same count when they have the same category, unit,
subject class and place; that is the bucket. Inside a bucket:

* the same period (same first and last day): the same count, whatever the
  numbers say. Different numbers from different organisations are a conflict
  and become a range, never a sum;
* two running counts ("since 1 December") with the same first day (or none
  stated) whose last days are at most ``SAME_COUNT_END_DAYS`` apart: the same
  count reported on nearly the same day, never a total and its part;
* periods that mostly overlap (at least half of their union): the same count
  only when the number is close, the source is the same, or the very same
  sentence is quoted again (a news outlet repeating a report). When one period
  lies inside the other, only a close number counts (and never between two
  running totals), or a "part" larger than its "total" over nearly the same
  period, which is a disagreement: otherwise it is a total and its part,
  linked by ``nesting``.

A document does not report one count twice with different numbers: a group
never holds two facts of one document with different values. Pairs are joined
strongest first (the same number, then a close one, then a conflict), so a
document's separate counts each join the reports that agree with them.
``merge_running`` then joins running counts whose places nest (see there).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence

from crisisdesk.reconcile.items import Item
from crisisdesk.reconcile.joining import UnionFind, join_bucket

CLOSE = 0.10  # values within 10% of the larger are "close enough"
MIN_OVERLAP = 0.5  # share of the union two periods must share to be "the same period"
# Two running counts from the same first day whose last days are this close are one
# count reported twice (a flash update on Thursday, a partner's count on Friday).
SAME_COUNT_END_DAYS = 7
# ...and at most this share of the longer period apart, so that a three-day count is
# never "nearly" a week: a difference of days matters less the longer the period.
SAME_COUNT_END_SHARE = 0.25


def ends_close(a_start: int | None, a_end: int, b_start: int | None, b_end: int) -> bool:
    """Last days close enough for two counts from (about) one first day to be one count.

    Open first days ("to date") have no length to compare with: the window alone.
    """
    gap = abs(a_end - b_end)
    if gap > SAME_COUNT_END_DAYS:
        return False
    if a_start is None or b_start is None:
        return True
    longer = max(a_end - a_start, b_end - b_start) + 1
    return gap <= SAME_COUNT_END_SHARE * longer


STRONG, CLOSE_MATCH, CONFLICT = 3, 2, 1  # how strongly a pair is the same count


def values_close(a: Item, b: Item) -> bool:
    """Same number, overlapping ranges, or within CLOSE of each other."""
    if a.value is None or b.value is None:
        return a.value is None and b.value is None and (a.value_text or "") == (b.value_text or "")
    # both have a value here, so low and high are set: ranges that touch agree
    if a.low <= b.high and b.low <= a.high:  # type: ignore[operator]
        return True
    big = max(abs(a.value), abs(b.value))
    return big == 0 or abs(a.value - b.value) <= CLOSE * big


def same_value(a: Item, b: Item) -> bool:
    return (a.value, a.value_high, a.value_text) == (b.value, b.value_high, b.value_text)


def same_source(a: Item, b: Item) -> bool:
    return bool(a.source and b.source and a.source.casefold() == b.source.casefold())


def overlap_share(a: Item, b: Item) -> float:
    """Days the two periods share, over the days either covers (Jaccard)."""
    if a.start is None or b.start is None or a.end is None or b.end is None:
        return 1.0 if a.start is None and b.start is None else 0.0
    shared = min(a.end, b.end) - max(a.start, b.start) + 1
    if shared <= 0:
        return 0.0
    union = max(a.end, b.end) - min(a.start, b.start) + 1
    return shared / union


def same_running_count(a: Item, b: Item) -> bool:
    """Two running counts from the same first day (or both "to date"), last days close."""
    if not (a.running and b.running) or a.end is None or b.end is None:
        return False
    if a.open_start != b.open_start or (not a.open_start and a.start != b.start):
        return False
    if a.open_start:
        return ends_close(None, a.end, None, b.end)
    return ends_close(a.start, a.end, b.start, b.end)


def near_period(a: Item, b: Item) -> bool:
    """Periods whose first days are at most SAME_COUNT_END_DAYS apart and last days close."""
    if a.start is None or b.start is None or a.end is None or b.end is None:
        return False
    return abs(a.start - b.start) <= SAME_COUNT_END_DAYS and ends_close(
        a.start, a.end, b.start, b.end
    )


def part_exceeds(a: Item, b: Item) -> bool:
    """Of two nested periods, the shorter one gives more than the longer one does."""
    inner, outer = (a, b) if a.days <= b.days else (b, a)
    return inner.low is not None and outer.high is not None and inner.low > outer.high


def match_strength(a: Item, b: Item) -> int:
    """How strongly two facts of one bucket are the same count; 0: they are not."""
    if a.doc == b.doc:
        return STRONG if same_value(a, b) and (a.start, a.end) == (b.start, b.end) else 0
    agree = same_value(a, b)
    if a.quote and a.quote == b.quote and agree:
        return STRONG
    if a.start is not None and (a.start, a.end) == (b.start, b.end):
        return STRONG if agree else CLOSE_MATCH if values_close(a, b) else CONFLICT
    if same_running_count(a, b):
        return CLOSE_MATCH if values_close(a, b) else CONFLICT
    if overlap_share(a, b) < MIN_OVERLAP:
        return 0
    if _nested(a, b):
        # One period inside the other is a total and its part, or a running total
        # and its update; only a close number from a one-off count is a repeat,
        # and a part larger than its total over nearly the same days a conflict.
        if values_close(a, b) and not (a.is_total and b.is_total):
            return CLOSE_MATCH
        return CONFLICT if near_period(a, b) and part_exceeds(a, b) else 0
    if values_close(a, b):
        return CLOSE_MATCH
    return CONFLICT if same_source(a, b) else 0


def same_count(a: Item, b: Item) -> bool:
    """Whether two facts of one bucket state the same count (see module docstring)."""
    return match_strength(a, b) > 0


def _nested(a: Item, b: Item) -> bool:
    if a.start is None or b.start is None or a.end is None or b.end is None:
        return False
    return (a.start <= b.start and a.end >= b.end) or (b.start <= a.start and b.end >= a.end)


def bucket_key(item: Item) -> tuple[str, str, str, str]:
    return (item.category, item.unit, item.subject_key, item.place.primary)


def group_items(items: Sequence[Item]) -> list[list[Item]]:
    """Partition items into groups of the same count; order of groups is stable."""
    buckets: dict[tuple[str, str, str, str], list[Item]] = defaultdict(list)
    for item in items:  # bucket_key, inlined: this loop sees every fact
        buckets[(item.category, item.unit, item.subject_key, item.place.primary)].append(item)
    groups: list[list[Item]] = []
    for bucket in buckets.values():
        if len(bucket) == 1:
            groups.append(bucket)
        else:
            groups.extend(_group_distinct(bucket))
    return groups


def identity_key(it: Item) -> tuple[object, ...]:
    """Everything ``match_strength`` reads of an item: items with equal keys compare
    the same way with every other item, and each pair of them is STRONG (one
    document, one number, one period)."""
    source = it.source.casefold() if it.source else None
    return (it.doc, it.value, it.value_high, it.value_text, it.start, it.end, it.open_start,
            it.is_total, it.quote, source)  # fmt: skip


def _group_distinct(bucket: list[Item]) -> list[list[Item]]:
    """``_group_bucket`` over one copy of each identical figure, the copies put back.

    A page repeated 8,000 times gives 8,000 identical facts, and comparing all
    pairs of them is quadratic. Copies always join their first copy's group
    (their pair is the strongest, and a union of copies never puts two numbers
    of one document together), so grouping the distinct figures and adding the
    copies afterwards gives the same groups, in the same order.
    """
    first: dict[tuple[object, ...], int] = {}
    copies: dict[int, list[int]] = {}
    distinct: list[Item] = []
    where: list[int] = []  # position in the bucket of each distinct item
    for i, it in enumerate(bucket):
        k = identity_key(it)
        rep = first.get(k)
        if rep is None:
            first[k] = len(distinct)
            distinct.append(it)
            where.append(i)
        else:
            copies.setdefault(rep, []).append(i)
    if not copies:
        return _group_bucket(bucket)
    pos = {id(it): k for k, it in enumerate(distinct)}
    out = []
    for group in _group_bucket(distinct) if len(distinct) > 1 else [distinct]:
        members = [where[pos[id(it)]] for it in group]
        for it in group:
            members.extend(copies.get(pos[id(it)], ()))
        out.append([bucket[i] for i in sorted(members)])
    return out


def value_key(it: Item) -> tuple[int | None, int | None, str | None]:
    return (it.value, it.value_high, it.value_text)


class Groups(UnionFind):
    """Union-find over items that refuses a union putting two different numbers
    from one document into one group."""

    __slots__ = ("docs",)

    def __init__(self, docs: list[dict[str, tuple[object, ...]]]) -> None:
        """``docs[i]``: the number each document gives for member ``i``."""
        super().__init__(len(docs))
        self.docs = docs

    @classmethod
    def of_items(cls, items: Sequence[Item]) -> Groups:
        return cls([{it.doc: (it.value, it.value_high, it.value_text)} for it in items])

    def union(self, i: int, j: int) -> bool:
        ri, rj = self.find(i), self.find(j)
        if ri == rj:
            return True
        small, big = sorted((self.docs[ri], self.docs[rj]), key=len)
        if any(big.get(doc, v) != v for doc, v in small.items()):
            return False  # one document would give this count two different numbers
        keep, gone = min(ri, rj), max(ri, rj)
        self.parent[gone] = keep
        merged = {**self.docs[gone], **self.docs[keep]}
        self.docs[keep], self.docs[gone] = merged, {}
        return True

    def members(self, n: int) -> list[list[int]]:
        out: dict[int, list[int]] = defaultdict(list)
        for i in range(n):
            out[self.find(i)].append(i)
        return [out[root] for root in sorted(out)]


def join_pairs(
    groups: Groups, pairs: list[tuple[int, int, int]], order: Callable[[int], object]
) -> None:
    """Union pairs (strength, i, j) strongest first; ties in a stable order."""
    pairs.sort(key=lambda p: (-p[0], order(p[1]), order(p[2])))
    for _, i, j in pairs:
        groups.union(i, j)


def _group_bucket(bucket: list[Item]) -> list[list[Item]]:
    """The groups of one bucket, as ``_group_bucket_listed`` makes them, without
    listing its pairs (``joining``: they grow with the square of the bucket)."""
    members = join_bucket(bucket, match_strength, SAME_COUNT_END_DAYS)
    if members is None:
        return [[it] for it in bucket]
    return [[bucket[i] for i in group] for group in members]


def _group_bucket_listed(bucket: list[Item]) -> list[list[Item]]:
    """The reference for ``_group_bucket``: every compared pair of the bucket that is
    the same count listed, then joined strongest first (``join_pairs``)."""
    pairs: list[tuple[int, int, int]] = []
    # Sweep dated items by start (ties by position); only items still "open" can
    # overlap the next one. Rows are (start, end, position).
    dated = sorted((it.start, it.end, i) for i, it in enumerate(bucket) if it.start is not None)
    undated = [i for i, it in enumerate(bucket) if it.start is None]
    active: list[tuple[int, int, int]] = []
    for row in dated:
        start, _, i = row
        cur = bucket[i]
        active = [a for a in active if a[1] >= start]
        for a in active:
            if strength := match_strength(bucket[a[2]], cur):
                pairs.append((strength, a[2], i))
        active.append(row)  # type: ignore[arg-type]
    # Running counts "to date" sit on their last day, so they need not overlap:
    # compare those whose last days are close.
    to_date = sorted(
        (row[2] for row in dated if bucket[row[2]].open_start and bucket[row[2]].running),
        key=lambda i: bucket[i].end,  # type: ignore[arg-type, return-value]
    )
    for pos, i in enumerate(to_date):
        for q in range(pos + 1, len(to_date)):
            j = to_date[q]
            if bucket[j].end - bucket[i].end > SAME_COUNT_END_DAYS:  # type: ignore[operator]
                break
            if bucket[j].end != bucket[i].end and (
                strength := match_strength(bucket[i], bucket[j])
            ):
                pairs.append((strength, i, j))
    for pos, i in enumerate(undated):
        for j in undated[:pos]:
            if strength := match_strength(bucket[j], bucket[i]):
                pairs.append((strength, j, i))
    if not pairs:
        return [[it] for it in bucket]
    return _join_bucket(bucket, pairs)


def _join_bucket(bucket: list[Item], pairs: list[tuple[int, int, int]]) -> list[list[Item]]:
    """Groups of the bucket, in order of their first member, from the pairs found.

    Only items in some pair go through union-find (most facts match nothing):
    they get slots in the order of their position, so that slot order is
    position order and the joins, their tie-breaks and the order of groups are
    the same as over the whole bucket.
    """
    involved = sorted({i for _, a, b in pairs for i in (a, b)})
    slot = {i: k for k, i in enumerate(involved)}
    groups = Groups.of_items([bucket[i] for i in involved])
    join_pairs(groups, [(w, slot[a], slot[b]) for w, a, b in pairs], lambda k: k)
    joined = {
        involved[members[0]]: [bucket[involved[k]] for k in members]
        for members in groups.members(len(involved))
    }
    out: list[list[Item]] = []
    for i, it in enumerate(bucket):
        group = joined.get(i)
        if group is not None:
            out.append(group)  # a group, at its first member
        elif i not in slot:
            out.append([it])  # matched nothing
    return out
