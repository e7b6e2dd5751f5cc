"""A small interval index: which periods overlap a given one, without comparing all pairs.

Nesting and the ``total`` query both ask "which figures for this place have a
period overlapping this one?" a great many times. Periods are sorted by start
within classes of similar length (1 day, 2-3 days, 4-7 days...); in a class
whose longest period is L days, only starts in ``[start - L, end]`` can
overlap, and a bisect finds them. Classes keep a month of daily counts from
making every lookup for a monthly total scan thirty rows.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from typing import Generic, TypeVar

T = TypeVar("T")


class _Class(Generic[T]):
    """Periods of similar length. Rows are ``(start, seq, end, payload)``: sorted as
    plain tuples they come in order of start, then of insertion (``seq`` is unique,
    so payloads are never compared)."""

    __slots__ = ("starts", "rows", "longest", "dirty")

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.rows: list[tuple[int, int, int, T]] = []
        self.longest = 0
        self.dirty = False

    def ready(self) -> None:
        if self.dirty:
            self.rows.sort()
            self.starts = [r[0] for r in self.rows]
            self.dirty = False


class IntervalIndex(Generic[T]):
    """Closed integer intervals (day ordinals) with a payload."""

    __slots__ = ("_classes", "_count")

    def __init__(self) -> None:
        self._classes: dict[int, _Class[T]] = {}
        self._count = 0

    def _class(self, start: int, end: int) -> _Class[T]:
        size = (end - start).bit_length()
        cls = self._classes.get(size)
        if cls is None:
            cls = self._classes[size] = _Class()
        if end - start > cls.longest:
            cls.longest = end - start
        return cls

    def add(self, start: int, end: int, payload: T) -> None:
        """Append (cheap); the index sorts itself before the next query.

        ``link_parts`` adds every figure: ``_class`` is inlined here.
        """
        length = end - start
        cls = self._classes.get(length.bit_length())
        if cls is None:
            cls = self._classes[length.bit_length()] = _Class()
        if length > cls.longest:
            cls.longest = length
        cls.rows.append((start, self._count, end, payload))
        cls.dirty = True
        self._count += 1

    def insert(self, start: int, end: int, payload: T) -> None:
        """Insert keeping order, for an index that is queried while it grows."""
        cls = self._class(start, end)
        cls.ready()
        pos = bisect_right(cls.starts, start)
        cls.starts.insert(pos, start)
        cls.rows.insert(pos, (start, self._count, end, payload))
        self._count += 1

    def overlapping(self, start: int, end: int) -> Iterator[tuple[int, int, T]]:
        """Every stored interval that shares at least one day with [start, end]."""
        for cls in self._classes.values():
            cls.ready()
            lo = bisect_left(cls.starts, start - cls.longest)
            hi = bisect_right(cls.starts, end)
            for s, _, e, payload in cls.rows[lo:hi]:
                if e >= start:
                    yield s, e, payload

    def containing(self, start: int, end: int) -> Iterator[tuple[int, int, T]]:
        """Every stored interval that covers all of [start, end]."""
        need = end - start
        for cls in self._classes.values():
            if cls.longest < need:
                continue
            cls.ready()
            lo = bisect_left(cls.starts, end - cls.longest)
            hi = bisect_right(cls.starts, start)
            for s, _, e, payload in cls.rows[lo:hi]:
                if e >= end:
                    yield s, e, payload

    def covering(self, start: int, end: int) -> list[T]:
        """The payloads of ``containing``, as a list.

        ``link_parts`` asks this once per figure and key, millions of times on a
        large store: a list and no per-row tuples cost much less than a generator.
        """
        need = end - start
        out: list[T] = []
        for cls in self._classes.values():
            if cls.longest < need:
                continue
            if cls.dirty:
                cls.ready()
            starts = cls.starts
            lo = bisect_left(starts, end - cls.longest)
            hi = bisect_right(starts, start, lo)
            if lo < hi:
                out += [row[3] for row in cls.rows[lo:hi] if row[2] >= end]
        return out

    def __len__(self) -> int:
        return self._count


__all__ = ["IntervalIndex"]
