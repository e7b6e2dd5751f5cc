"""Which facts an incremental reconcile must read again: every fact that new or
changed facts can reach through the relations reconcile has between two facts.

Reconcile relates two facts only when they have the same category and:

* **grouping** (``grouping.match_strength``): the same unit, subject class and
  place (one bucket), and periods that share a day, or two running counts "to
  date" whose last days are at most ``SAME_COUNT_END_DAYS`` apart, or no day at
  all; a pair whose strength is 0 is never joined, so only pairs of strength > 0
  relate;
* **totals and parts** (``nesting.link_parts``, ``draft.contains``), **running
  counts of places one inside the other** (``draft.merge_running``) and
  **cumulative checks** (``checks.check_cumulative``): the same unit, one period
  containing the other, or the same first day, or two counts "to date" at most
  ``SAME_COUNT_END_DAYS`` apart; and places that meet: a key naming one place is
  among the keys of the other (itself, its areas, the places named side by side
  with it), or one of them has no place (an organisation's own count);
* **household size** (``checks.check_household_size``): families and people
  stated in the same sentence of one document.

A figure's period is its chosen fact's and its place keys are those of all its
facts (a group of one bucket; a merged running count of a few), so the place
test is made on the keys of every fact of the fact's bucket and, for a running
count, of every bucket of its series: wider than any figure's, hence safe.

Facts that no chain of these relations joins to a changed fact are reconciled
exactly as before: their figures are kept. The facts that are joined (the
*reach*) are read again and reconciled on their own, in the order a full pass
reads them (``run.reconcile_rows`` orders buckets by key, so a part of the store
gives its figures in the same order as the whole). Relations are followed in
both directions, so a long total over a wide area joins everything it covers,
and everything that covers any of that: how far a reach spreads depends on the
data (``docs/scale.md``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from crisisdesk.reconcile.grouping import SAME_COUNT_END_DAYS, match_strength
from crisisdesk.reconcile.intervals import IntervalIndex
from crisisdesk.reconcile.items import Item, member_places

NEAR = SAME_COUNT_END_DAYS  # days two counts "to date" may be apart and still relate
HOUSEHOLD_UNITS = frozenset({"families", "people"})
Kind = tuple[str, str]  # (category, unit)
Bucket = tuple[str, str, str, str]
Ghost = tuple[Kind, int | None, int | None]  # the days an old figure covered


def bucket_of(it: Item) -> Bucket:
    return (it.category, it.unit, it.subject_key, it.place.primary)


def _own_keys(it: Item) -> tuple[frozenset[str], frozenset[str]]:
    """(keys naming the place itself, every key of it and its areas)."""
    p = it.place
    named = p.self_keys | p.member_keys | member_places(p.primary) | {p.primary}
    return named, named | p.area_keys


def _series(it: Item) -> tuple[object, ...] | None:
    """The series ``merge_running`` compares a running count within."""
    if not it.running or it.end is None:
        return None
    return (it.category, it.unit, it.subject_key, "to date" if it.open_start else it.start)


def period_related(a: Item, b: Item) -> bool:
    """One period contains the other, or both start on one day, or both are running
    counts "to date" that end at most NEAR days apart (both dated)."""
    if a.start is None or b.start is None or a.end is None or b.end is None:
        return False
    if a.start == b.start:
        return True
    if (a.start <= b.start and b.end <= a.end) or (b.start <= a.start and a.end <= b.end):
        return True
    return a.open_start and b.open_start and a.running and b.running and abs(a.end - b.end) <= NEAR


def compared_by_grouping(a: Item, b: Item) -> bool:
    """Two dated facts of one bucket that ``grouping._group_bucket`` compares (periods
    sharing a day, or two running counts "to date" at most NEAR days apart) and
    finds to be the same count (strength > 0)."""
    assert a.start is not None and a.end is not None and b.start is not None
    assert b.end is not None
    overlap = a.start <= b.end and b.start <= a.end
    to_date = a.open_start and b.open_start and a.running and b.running
    if not (overlap or (to_date and abs(a.end - b.end) <= NEAR)):
        return False
    return bool(match_strength(a, b) or match_strength(b, a))


@dataclass
class Reach:
    """The facts read so far (by category and unit) and what of the store they cover;
    ``close`` follows the relations from the seeds over them and says which periods
    must still be read before the answer can be trusted.

    A worklist kept between calls: the caller reads what a ``close`` asked for, adds
    it and calls again (with the same seeds and ghosts); the facts reached stay
    reached, and only what the new facts change is looked at again: each new fact
    is tested against the facts reached (every relation is symmetric), and the
    reached facts of a bucket whose place keys grew (``_Places.add``) are followed
    again. So rounds of reads cost what they add, not the whole reach again."""

    items: dict[str, Item] = field(default_factory=dict)
    # by (category, unit), then bucket: the dated facts by period, and the undated
    _dated: dict[Kind, dict[Bucket, IntervalIndex[Item]]] = field(default_factory=dict)
    _undated: dict[Kind, dict[Bucket, list[Item]]] = field(default_factory=dict)
    _by_doc: dict[tuple[str, str], list[Item]] = field(default_factory=lambda: defaultdict(list))
    _members: dict[Bucket, list[Item]] = field(default_factory=lambda: defaultdict(list))
    read_spans: dict[Kind, list[tuple[int, int]]] = field(default_factory=lambda: defaultdict(list))
    read_undated: set[Kind] = field(default_factory=set)
    read_docs: set[tuple[str, str]] = field(default_factory=set)
    _places: _Places = field(default_factory=lambda: _Places())
    _fresh: list[Item] = field(default_factory=list)  # added since the last ``close``
    _reached: set[str] = field(default_factory=set)
    _ghosts: dict[Kind, IntervalIndex[None]] | None = None  # None: not closed yet
    _undated_ghosts: set[Kind] = field(default_factory=set)
    _compared: int = 0

    def add(self, items: Iterable[Item]) -> None:
        for it in items:
            if it.id in self.items:
                continue
            self.items[it.id] = it
            kind, b = (it.category, it.unit), bucket_of(it)
            if it.start is None or it.end is None:
                self._undated.setdefault(kind, {}).setdefault(b, []).append(it)
            else:
                idx = self._dated.setdefault(kind, {}).get(b)
                if idx is None:
                    idx = self._dated[kind][b] = IntervalIndex()
                idx.add(it.start, it.end, it)
            self._by_doc[(it.doc, it.category)].append(it)
            self._members[b].append(it)
            self._fresh.append(it)

    def _covered(self, kind: Kind, lo: int, hi: int) -> bool:
        return any(a <= lo and hi <= b for a, b in self.read_spans.get(kind, ()))

    def mark_read(self, kind: Kind, spans: Iterable[tuple[int, int]]) -> None:
        """Every live fact of ``kind`` whose period meets one of ``spans`` is read."""
        self.read_spans[kind] = merge_spans([*self.read_spans.get(kind, ()), *spans])

    def close(
        self, seeds: Iterable[str], ghosts: Iterable[Ghost], limit: int, budget: int
    ) -> Closure:
        """The reach of ``seeds`` (fact ids) and of ``ghosts`` (a category and unit
        over days that a changed fact's old figure covered: every fact there is
        reached, whatever its place); stops (``too_wide``) once it holds more than
        ``limit`` facts or has compared more than ``budget`` pairs: a reach that wide
        costs more to find than a wider pass does. Called again after more facts
        were added, with the same seeds and ghosts: it goes on from where it was."""
        reached = self._reached
        todo: list[Item] = []
        want = Closure()
        fresh, self._fresh = self._fresh, []
        grown = self._places.add(fresh, self._dated)

        def take(it: Item) -> None:
            if it.id not in reached:
                reached.add(it.id)
                todo.append(it)

        first = self._ghosts is None
        ghosts = list(ghosts)
        if first:
            self._ghosts = {}
            for kind, lo, hi in ghosts:
                if lo is None or hi is None:
                    self._undated_ghosts.add(kind)
                else:
                    self._ghosts.setdefault(kind, IntervalIndex()).add(lo - NEAR, hi + NEAR, None)
            for sid in seeds:
                if sid in self.items:
                    take(self.items[sid])
        for kind, lo, hi in ghosts:  # what the ghosts still need read
            if lo is None or hi is None:
                if kind not in self.read_undated:
                    want.undated.add(kind)
            elif not self._covered(kind, lo - NEAR, hi + NEAR):
                want.spans[kind].append((lo - NEAR, hi + NEAR))
        for it in fresh:  # every fact over a ghost's days
            if self._haunted(it):
                take(it)
        if not first:
            # a fact new to the reach, or of a bucket whose places grew, that meets a
            # fact reached is reached; the reached of such a bucket are followed again
            for b in sorted(grown):
                todo.extend(it for it in self._members[b] if it.id in reached)
            look = [it for it in fresh if it.id not in reached]
            look += [it for b in sorted(grown) for it in self._members[b] if it.id not in reached]
            met = self._reached_now()  # those reached meanwhile are followed below
            for y in look:
                if y.id not in reached and any(True for _ in self._neighbours(y, Closure(), met)):
                    take(y)
        while todo:
            if len(reached) > limit or self._compared > budget:
                want.too_wide = True
                break
            x = todo.pop()
            for y in self._neighbours(x, want):
                if y.id not in reached:
                    take(y)
        want.facts = set(reached)
        return want

    def _haunted(self, it: Item) -> bool:
        """Whether ``it`` is over the days of a ghost of its kind."""
        kind = (it.category, it.unit)
        if it.start is None or it.end is None:
            return kind in self._undated_ghosts
        idx = (self._ghosts or {}).get(kind)
        return idx is not None and next(idx.overlapping(it.start, it.end), None) is not None

    def _reached_now(self) -> _Reached:
        """The facts reached so far, indexed as ``_dated`` and ``_undated`` are."""
        dated: dict[Kind, dict[Bucket, IntervalIndex[Item]]] = {}
        undated: dict[Kind, dict[Bucket, list[Item]]] = {}
        for i in self._reached:
            it = self.items[i]
            kind, b = (it.category, it.unit), bucket_of(it)
            if it.start is None or it.end is None:
                undated.setdefault(kind, {}).setdefault(b, []).append(it)
            else:
                by_bucket = dated.setdefault(kind, {})
                idx = by_bucket.get(b)
                if idx is None:
                    idx = by_bucket[b] = IntervalIndex()
                idx.add(it.start, it.end, it)
        return _Reached(dated, undated, self._reached)

    def _neighbours(self, x: Item, want: Closure, among: _Reached | None = None) -> Iterator[Item]:
        """The facts read that x relates to (and, in ``want``, what must still be read
        to know all of them); ``among``: of the facts reached only (every relation is
        symmetric, so these are the reached facts that relate to x)."""
        kind, bx = (x.category, x.unit), bucket_of(x)
        yield from self._household(x, want, among)
        if x.start is None or x.end is None:
            if kind not in self.read_undated:
                want.undated.add(kind)
            undated = (among.undated if among else self._undated).get(kind, {})
            for y in undated.get(bx, ()):
                if match_strength(x, y) or match_strength(y, x):
                    yield y
            return
        lo, hi = x.start - NEAR, x.end + NEAR
        if not self._covered(kind, lo, hi):
            want.spans[kind].append((lo, hi))
        dated = self._dated.get(kind, {})
        looked = among.dated.get(kind, {}) if among else dated
        for by in self._places.related(bx, dated):
            idx = looked.get(by)
            if idx is None:
                continue
            for _, _, y in idx.overlapping(lo, hi):
                self._compared += 1
                if y is not x and (
                    period_related(x, y) or (by == bx and compared_by_grouping(x, y))
                ):
                    yield y

    def _household(self, x: Item, want: Closure, among: _Reached | None) -> Iterator[Item]:
        """Families and people stated in x's sentence (``check_household_size``)."""
        if x.unit not in HOUSEHOLD_UNITS or not x.quote:
            return
        doc = (x.doc, x.category)
        if doc not in self.read_docs:
            want.docs.add(doc)
        for y in self._by_doc.get(doc, ()):
            mine = y is not x and y.unit in HOUSEHOLD_UNITS and y.quote == x.quote
            if mine and (among is None or y.id in among.ids):
                yield y


@dataclass(frozen=True, slots=True)
class _Reached:
    """The facts reached at one moment, by kind and bucket (``Reach._reached_now``)."""

    dated: dict[Kind, dict[Bucket, IntervalIndex[Item]]]
    undated: dict[Kind, dict[Bucket, list[Item]]]
    ids: set[str]


@dataclass
class Closure:
    """What ``Reach.close`` found, and what it still needs read (empty: final)."""

    facts: set[str] = field(default_factory=set)
    spans: dict[Kind, list[tuple[int, int]]] = field(default_factory=lambda: defaultdict(list))
    undated: set[Kind] = field(default_factory=set)
    docs: set[tuple[str, str]] = field(default_factory=set)
    too_wide: bool = False

    @property
    def complete(self) -> bool:
        return not (any(self.spans.values()) or self.undated or self.docs)


def _meeting(
    buckets: list[Bucket], named: dict[Bucket, set[str]], every: dict[Bucket, set[str]]
) -> list[set[Bucket]]:
    """The buckets joined, directly or through others, by places that meet."""
    parent = {b: b for b in buckets}

    def find(b: Bucket) -> Bucket:
        while parent[b] != b:
            b = parent[b]
        return b

    for i, a in enumerate(buckets):
        for b in buckets[i + 1 :]:
            meet = not a[3] or not b[3]
            meet = meet or not named[a].isdisjoint(every[b]) or not named[b].isdisjoint(every[a])
            if meet:
                parent[find(a)] = find(b)
    groups: dict[Bucket, set[Bucket]] = defaultdict(set)
    for b in buckets:
        groups[find(b)].add(b)
    return list(groups.values())


class _Places:
    """Which buckets' places may meet, over every fact read: a bucket's keys are those
    of all its facts and, for running counts, of every bucket of their series (a
    merged running count holds the places of both). Kept up to date as facts come
    (``add``), with the buckets each bucket meets."""

    def __init__(self) -> None:
        self._named: dict[Bucket, set[str]] = defaultdict(set)  # of its own facts
        self._every: dict[Bucket, set[str]] = defaultdict(set)
        self._series: dict[tuple[object, ...], set[Bucket]] = defaultdict(set)
        self._in_series: dict[Bucket, set[tuple[object, ...]]] = defaultdict(set)
        self._groups: dict[tuple[object, ...], list[set[Bucket]]] = {}
        self._joined: dict[Bucket, set[Bucket]] = {}
        self.named: dict[Bucket, frozenset[str]] = {}
        self.every: dict[Bucket, frozenset[str]] = {}
        self._related: dict[Bucket, list[Bucket]] = {}
        self._known: dict[Bucket, set[Bucket]] = {}  # the same, as a set

    def add(self, items: Iterable[Item], dated: dict[Kind, dict[Bucket, Any]]) -> set[Bucket]:
        """Take in new facts; the buckets whose keys grew (new buckets too)."""
        raw: set[Bucket] = set()
        touched: set[tuple[object, ...]] = set()
        buckets: set[Bucket] = set()
        for it in items:
            b = bucket_of(it)
            buckets.add(b)
            n, e = _own_keys(it)
            if b not in self._joined:
                self._joined[b] = {b}
                raw.add(b)
            if not (n <= self._named[b] and e <= self._every[b]):
                self._named[b] |= n
                self._every[b] |= e
                raw.add(b)
            s = _series(it)
            if s is not None and b not in self._series[s]:
                self._series[s].add(b)
                self._in_series[b].add(s)
                touched.add(s)
        for b in raw:
            touched |= self._in_series[b]
        # buckets a merged running count may join: in one series, places that meet
        # (``merge_running`` pairs only those), and so on from each of them
        rejoin = set(raw)
        for s in touched:
            self._groups[s] = _meeting(sorted(self._series[s]), self._named, self._every)
            rejoin |= self._series[s]
        for b in rejoin:
            joined = {b}
            for s in self._in_series[b]:
                joined |= next(g for g in self._groups[s] if b in g)
            self._joined[b] = joined
        grown: set[Bucket] = set()
        for b in {k for j in rejoin for k in self._joined[j]}:
            named = frozenset().union(*(self._named[k] for k in self._joined[b]))
            every = frozenset().union(*(self._every[k] for k in self._joined[b]))
            if named != self.named.get(b) or every != self.every.get(b):
                self.named[b], self.every[b] = named, every
                grown.add(b)
        # the buckets each bucket meets, for those already asked: a bucket that grew
        # is asked again; the others may now meet one that grew or is new among the dated
        for b in grown:
            self._related.pop(b, None)
            self._known.pop(b, None)
        news: dict[Kind, list[Bucket]] = defaultdict(list)
        for o in sorted(grown | buckets):
            if o in dated.get((o[0], o[1]), {}):
                news[(o[0], o[1])].append(o)
        for b, got in self._related.items():
            known = self._known[b]
            for o in news.get((b[0], b[1]), ()):
                if o not in known and self._meet(b, o):
                    got.append(o)
                    known.add(o)
        return grown

    def related(self, b: Bucket, dated: dict[Bucket, object]) -> list[Bucket]:
        """The buckets of b's kind (read so far, with dated facts) whose places may meet
        b's place."""
        got = self._related.get(b)
        if got is None:
            got = self._related[b] = [o for o in dated if self._meet(b, o)]
            self._known[b] = set(got)
        return got

    def _meet(self, a: Bucket, b: Bucket) -> bool:
        if a == b or not a[3] or not b[3]:  # one bucket, or a count with no place
            return True
        an, ae, bn, be = self.named[a], self.every[a], self.named[b], self.every[b]
        return not an.isdisjoint(be) or not bn.isdisjoint(ae)


def merge_spans(spans: Iterable[tuple[int, int]], gap: int = 0) -> list[tuple[int, int]]:
    """Closed day spans merged where they overlap, touch or are ``gap`` days apart."""
    out: list[tuple[int, int]] = []
    for lo, hi in sorted(spans):
        if out and lo <= out[-1][1] + 1 + gap:
            out[-1] = (out[-1][0], max(out[-1][1], hi))
        else:
            out.append((lo, hi))
    return out


__all__ = ["Closure", "Ghost", "Reach", "bucket_of", "merge_spans", "period_related"]
