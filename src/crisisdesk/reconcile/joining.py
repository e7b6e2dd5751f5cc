"""A bucket's facts joined into groups without listing its pairs.

``grouping`` joins the pairs of a bucket that state the same count strongest
first (every STRONG pair, then CLOSE_MATCH, then CONFLICT), the pairs of one
strength in the order of their first member and then their second
(``grouping.join_pairs``, the reference). A bucket of a thousand running totals
from one organisation over a year holds half a million such pairs, and buckets
grow with the store: listed as tuples, the pairs of a quarter of a million
facts took gigabytes, quadratic in the size of the store.

Here the pairs are met in that same order without being listed: the members
are walked in order once per strength, each with the members it is paired
with as first member (``Partners``). A pair already joined is passed over
without a look at its strength (joining it again changes nothing). Each
compared pair's strength is worked out once and kept as one byte, in the order
the walk meets it: in memory up to ``CACHE_BYTES``, in a temporary file
beyond (a bucket of 36,000 year-long running totals of a million facts has
hundreds of millions). The groups are those of the reference, in the same
order.
"""

from __future__ import annotations

import io
import tempfile
from bisect import bisect_right
from collections.abc import Callable, Sequence
from typing import IO

from crisisdesk.reconcile.items import Item

STRENGTHS = (3, 2, 1)  # grouping's STRONG, CLOSE_MATCH, CONFLICT: the order pairs join in
CACHE_BYTES = 64 << 20  # one byte per compared pair of a bucket in memory; beyond, on disk


class Partners:
    """Who each member of a bucket is compared with as first member of the pair, as
    ``grouping._group_bucket`` compares them: dated facts with those that start later
    (in the order of start, end, position) on or before their last day; running
    counts "to date" with those whose last day is later by at most ``window`` days;
    undated facts with the undated facts after them."""

    __slots__ = ("_order", "_starts", "_at", "_ends", "_td_ends", "_td_pos", "_undated", "_window")

    def __init__(self, bucket: Sequence[Item], window: int) -> None:
        dated = sorted((it.start, it.end, i) for i, it in enumerate(bucket) if it.start is not None)
        self._order = [row[2] for row in dated]
        self._starts = [row[0] for row in dated]
        self._ends = [it.end for it in bucket]
        self._at: list[int] = [-1] * len(bucket)  # position -> index in dated order
        for k, i in enumerate(self._order):
            self._at[i] = k
        to_date = sorted(
            (it.end, i)
            for i, it in enumerate(bucket)
            if it.start is not None and it.open_start and it.running
        )
        self._td_ends = [end for end, _ in to_date]
        self._td_pos = [i for _, i in to_date]
        for _, i in to_date:  # marked as "to date": -2 - index in dated order
            self._at[i] = -2 - self._at[i]
        self._undated = [i for i, it in enumerate(bucket) if it.start is None]
        self._window = window

    def _spans(self, x: int) -> tuple[int, int, int, int]:
        """x's partners as slices: of the dated order, and of the counts "to date"."""
        k = self._at[x]
        to_date = k < -1
        if to_date:
            k = -2 - k
        end = self._ends[x]
        hi = bisect_right(self._starts, end)
        if not to_date:
            return k + 1, hi, 0, 0
        ends = self._td_ends
        return k + 1, hi, bisect_right(ends, end), bisect_right(ends, end + self._window)  # type: ignore[operator]

    def of(self, x: int) -> list[int]:
        """The members x is first member of a compared pair with."""
        if self._at[x] == -1:  # undated: the undated after it (positions are in order)
            return self._undated[bisect_right(self._undated, x) :]
        lo, hi, tlo, thi = self._spans(x)
        out = self._order[lo:hi]
        if tlo < thi:
            out.extend(self._td_pos[tlo:thi])
        return out

    def count(self, x: int) -> int:
        """How many members ``of(x)`` gives."""
        if self._at[x] == -1:
            return len(self._undated) - bisect_right(self._undated, x)
        lo, hi, tlo, thi = self._spans(x)
        return max(0, hi - lo) + max(0, thi - tlo)


class UnionFind:
    """The forest of a union-find: each member's parent, halved on every look-up."""

    __slots__ = ("parent",)

    def __init__(self, size: int) -> None:
        self.parent = list(range(size))

    def find(self, i: int) -> int:
        parent = self.parent
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(self, a: int, b: int) -> None:
        """Put ``a``'s tree under the root of ``b``'s."""
        self.parent[self.find(a)] = self.find(b)


class Joined(UnionFind):
    """Union-find over a bucket's positions, refusing a union that would put two
    different numbers of one document into one group (as ``grouping.Groups``);
    each member's documents are made on its first union."""

    __slots__ = ("docs", "_bucket")

    def __init__(self, bucket: Sequence[Item]) -> None:
        super().__init__(len(bucket))
        self.docs: list[dict[str, tuple[object, ...]] | None] = [None] * len(bucket)
        self._bucket = bucket

    def _docs(self, root: int) -> dict[str, tuple[object, ...]]:
        found = self.docs[root]
        if found is None:
            it = self._bucket[root]
            found = self.docs[root] = {it.doc: (it.value, it.value_high, it.value_text)}
        return found

    def union(self, ri: int, rj: int) -> None:
        """Join the groups of roots ri and rj, unless a document would give two numbers."""
        a, b = self._docs(ri), self._docs(rj)
        small, big = (a, b) if len(a) <= len(b) else (b, a)
        if any(big.get(doc, v) != v for doc, v in small.items()):
            return
        keep, gone = (ri, rj) if ri < rj else (rj, ri)
        self.parent[gone] = keep
        merged = {**self._docs(gone), **self._docs(keep)}
        self.docs[keep], self.docs[gone] = merged, {}

    def members(self) -> list[list[int]]:
        """Each group's positions in order, groups in the order of their first member."""
        out: dict[int, list[int]] = {}
        for i in range(len(self.parent)):
            out.setdefault(self.find(i), []).append(i)
        return [out[root] for root in sorted(out)]


def join_bucket(
    bucket: Sequence[Item], strength: Callable[[Item, Item], int], window: int
) -> list[list[int]] | None:
    """The groups of a bucket as lists of positions (see the module docstring); None
    when no pair is the same count (every fact a group of its own)."""
    partners = Partners(bucket, window)
    n = len(bucket)
    on_disk = not _pairs_at_most(partners, n, CACHE_BYTES)
    kept: IO[bytes] = tempfile.TemporaryFile() if on_disk else io.BytesIO()  # noqa: SIM115
    with kept:
        same = False  # whether any pair is the same count
        for x in range(n):
            first = bucket[x]
            row = bytes([strength(first, bucket[y]) for y in partners.of(x)])
            kept.write(row)
            same = same or row.count(0) != len(row)
        if not same:
            return None
        groups = Joined(bucket)
        for level in STRENGTHS:
            kept.seek(0)
            for x in range(n):
                row = kept.read(partners.count(x))
                if level in row:
                    _join_row(groups, x, partners.of(x), row, level)
    return groups.members()


def _join_row(groups: Joined, x: int, ys: list[int], row: bytes, level: int) -> None:
    """Join x with each of ``ys`` whose pair with it has strength ``level``, in order."""
    find = groups.find
    rx = find(x)
    found = [y for y, s in zip(ys, row, strict=True) if s == level and find(y) != rx]
    if len(found) > 1:
        found.sort()
    for y in found:
        ri, rj = find(x), find(y)
        if ri != rj:
            groups.union(ri, rj)


def _pairs_at_most(partners: Partners, n: int, limit: int) -> bool:
    """Whether the bucket's compared pairs number at most ``limit``."""
    total = 0
    for x in range(n):
        total += partners.count(x)
        if total > limit:
            return False
    return True
