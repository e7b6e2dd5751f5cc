"""Figure rows kept on disk until they are written.

A full reconcile computes its figures a category at a time (no figure relates
facts of two categories), and the store replaces them all in one transaction
(``figures.replace_figures``) once every category is done. Kept in memory
until then, the figure rows of a million facts took hundreds of megabytes;
here each category's rows go to a temporary file as they come, in the two
orders the writer needs (the area order of the figures table, and figure id
for the membership and link rows), and are read back a chunk at a time,
merged across categories into the order a sort of all of them would give.
"""

from __future__ import annotations

import heapq
import pickle
import tempfile
from collections.abc import Callable, Iterator, Sequence
from typing import IO, Any

from crisisdesk.store.records import FigureRow

CHUNK = 5_000  # rows pickled together: read back one chunk per category at a time
Links = tuple[str, tuple[str, ...], tuple[str, ...]]  # figure id, its facts, its parts


class FigureSpool:
    """Figure rows added a batch at a time (a category's), read back sorted."""

    def __init__(self, area_order: Callable[[FigureRow], Any]) -> None:
        self._file: IO[bytes] = tempfile.TemporaryFile(prefix="crisisdesk-figures-")  # noqa: SIM115 - see close
        self._area_order = area_order
        self._by_area: list[list[int]] = []  # per batch: the offsets of its chunks
        self._by_id: list[list[int]] = []
        self._count = 0

    def __len__(self) -> int:
        return self._count

    def add(self, figures: Sequence[FigureRow]) -> None:
        """Keep a batch of figure rows (those of one category, say)."""
        if not figures:
            return
        self._by_area.append(self._dump(sorted(figures, key=self._area_order)))
        links: list[Links] = [(f.id, f.facts, f.parts) for f in figures]
        links.sort(key=lambda x: x[0])
        self._by_id.append(self._dump(links))
        self._count += len(figures)

    def _dump(self, rows: Sequence[Any]) -> list[int]:
        out = self._file
        out.seek(0, 2)
        offsets = []
        for at in range(0, len(rows), CHUNK):
            offsets.append(out.tell())
            pickle.dump(list(rows[at : at + CHUNK]), out, protocol=pickle.HIGHEST_PROTOCOL)
        return offsets

    def _read(self, offsets: list[int]) -> Iterator[Any]:
        for at in offsets:
            self._file.seek(at)
            yield from pickle.load(self._file)  # noqa: S301 - our own temporary file

    def in_area_order(self) -> Iterator[FigureRow]:
        """Every row, as ``sorted(rows, key=area_order)`` over all batches in the order
        they were added would give them."""
        return heapq.merge(*(self._read(b) for b in self._by_area), key=self._area_order)

    def in_id_order(self) -> Iterator[Links]:
        """(figure id, facts, parts) of every row, by figure id."""
        return heapq.merge(*(self._read(b) for b in self._by_id), key=lambda x: x[0])

    def close(self) -> None:
        self._file.close()

    def __enter__(self) -> FigureSpool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
