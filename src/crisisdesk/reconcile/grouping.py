"""Which facts are the same count.

Two facts can only be the same count when they have the same category, unit,
subject class and place; that is the bucket. Inside a bucket:

* the same period (same first and last day): the same count, whatever the
  numbers say. Different numbers from different organisations are a conflict
  and become a range, never a sum;
* periods that mostly overlap (at least half of their union): the same count
  only when the number is close, the source is the same, or the very same
  sentence is quoted again (a news outlet repeating a report). When one period
  lies inside the other, only a close number counts (and never between two
  running totals): otherwise it is a total and its part, linked by ``nesting``;
* two facts of one document are the same count only when they repeat the same
  number: a report does not contradict itself, it lists separate counts.

Grouping is transitive (union-find); the reason that joined each pair is not
kept here; ``estimate`` explains each fact against the chosen best one.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from crisisdesk.reconcile.items import Item

CLOSE = 0.10  # values within 10% of the larger are "close enough"
MIN_OVERLAP = 0.5  # share of the union two periods must share to be "the same period"


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


def same_count(a: Item, b: Item) -> bool:
    """Whether two facts of one bucket state the same count (see module docstring)."""
    if a.doc == b.doc:
        return same_value(a, b) and (a.start, a.end) == (b.start, b.end)
    if a.quote and a.quote == b.quote and same_value(a, b):
        return True
    if a.start is not None and (a.start, a.end) == (b.start, b.end):
        return True
    if overlap_share(a, b) < MIN_OVERLAP:
        return False
    if _nested(a, b):
        # One period inside the other is a total and its part, or a running total
        # and its update; only a close number from a one-off count is a repeat.
        return values_close(a, b) and not (a.is_total and b.is_total)
    return values_close(a, b) or same_source(a, b)


def _nested(a: Item, b: Item) -> bool:
    if a.start is None or b.start is None or a.end is None or b.end is None:
        return False
    return (a.start <= b.start and a.end >= b.end) or (b.start <= a.start and b.end >= a.end)


def bucket_key(item: Item) -> tuple[str, str, str, str]:
    return (item.category, item.unit, item.subject_key, item.place.primary)


def group_items(items: Sequence[Item]) -> list[list[Item]]:
    """Partition items into groups of the same count; order of groups is stable."""
    buckets: dict[tuple[str, str, str, str], list[Item]] = defaultdict(list)
    for item in items:
        buckets[bucket_key(item)].append(item)
    groups: list[list[Item]] = []
    for bucket in buckets.values():
        if len(bucket) == 1:
            groups.append(bucket)
        else:
            groups.extend(_group_bucket(bucket))
    return groups


def _group_bucket(bucket: list[Item]) -> list[list[Item]]:
    parent = list(range(len(bucket)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(i: int, j: int) -> None:
        ri, rj = find(i), find(j)
        if ri != rj:
            parent[max(ri, rj)] = min(ri, rj)

    dated = [i for i, it in enumerate(bucket) if it.start is not None]
    undated = [i for i, it in enumerate(bucket) if it.start is None]
    # Sweep dated items by start; only items still "open" can overlap the next one.
    dated.sort(key=lambda i: (bucket[i].start, bucket[i].end))
    active: list[int] = []
    for i in dated:
        cur = bucket[i]
        active = [j for j in active if bucket[j].end >= cur.start]  # type: ignore[operator]
        for j in active:
            if same_count(bucket[j], cur):
                union(i, j)
        active.append(i)
    for pos, i in enumerate(undated):
        for j in undated[:pos]:
            if same_count(bucket[j], bucket[i]):
                union(i, j)
    members: dict[int, list[Item]] = defaultdict(list)
    for i in range(len(bucket)):
        members[find(i)].append(bucket[i])
    return [members[root] for root in sorted(members)]
