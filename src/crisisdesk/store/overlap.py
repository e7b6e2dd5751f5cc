"""Blocks loaded two at a time on two connections, committed in input order, each
block's duplicate check run while the blocks before it are written.

``bulk.add_prepared`` checks a block (which documents are stored, which repeat
one: ``store.duplicates``) and then writes it, in one transaction. On
PostgreSQL a block's COPYs are one statement after another in one server
process: one core. Here up to ``WRITERS`` blocks are written at once, each in its
own transaction on its own connection, and block N+1 is checked on a third
connection meanwhile, against the store and the blocks still being written
counted as stored (``duplicates.Pending``): the answer the check would give once
they are committed. The transactions are committed in input order: a block is
committed only once every block before it is, and only if those added exactly
the documents they were to. Should one add fewer (another writer stored some
meanwhile), the blocks after it are rolled back, checked again and written
again. So each block remains one transaction that adds whole documents or
nothing, the blocks' load times (``created_at``, which reconcile orders by)
follow the input, and a run stopped anywhere leaves a prefix of the input's
blocks, possibly with the next one. A block that fails stops the load, as
before. SQLite: one block after another (``add_prepared``).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Generic, TypeVar

from psycopg.pq import TransactionStatus
from sqlalchemy import Connection, Engine

from crisisdesk.store import bulk
from crisisdesk.store.bulk import Checked, Loaded, Prepared
from crisisdesk.store.documents import now
from crisisdesk.store.duplicates import Own, Pending, Sketches

T = TypeVar("T")
# blocks written at once, each a transaction of its own: two keep both cores of a small
# server busy (one COPY is one server process), more only queue behind each other
WRITERS = 2


@dataclass
class _Flight(Generic[T]):
    """A block being written: its transaction is open until its turn to commit."""

    batch: Prepared
    extra: T
    checked: Checked
    conn: Connection
    written: Future[Loaded]


def add_blocks(
    engine: Engine, blocks: Iterable[tuple[Prepared, T]], *, allow_duplicate: bool = False
) -> Iterator[tuple[Prepared, T, Loaded]]:
    """Load ``blocks`` (a prepared batch and anything to hand back with it) in order,
    yielding each with what its load did once it is committed."""
    known = Sketches()
    if engine.dialect.name != "postgresql":
        for batch, extra in blocks:
            loaded = bulk.add_prepared(engine, batch, allow_duplicate=allow_duplicate, known=known)
            yield batch, extra, loaded
        return
    yield from _Loader(engine, iter(blocks), known, allow_duplicate).run()


class _Loader(Generic[T]):
    """The state of one PostgreSQL load: blocks in flight, the block checked ahead."""

    def __init__(
        self,
        engine: Engine,
        items: Iterator[tuple[Prepared, T]],
        known: Sketches,
        allow_duplicate: bool,
    ) -> None:
        self.engine, self.items, self.known = engine, items, known
        self.allow_duplicate = allow_duplicate
        self.redo: deque[tuple[Prepared, T]] = deque()  # checked on a wrong premise
        self.flight: deque[_Flight[T]] = deque()
        self.stamp: datetime | None = None
        self.own = Own()  # the load's documents by anchor, while they are the whole store

    def _next(self) -> tuple[Prepared, T] | None:
        return self.redo.popleft() if self.redo else next(self.items, None)

    def _pending(self) -> Pending | None:
        """The blocks in flight as stored: their documents to add and repeats found."""
        if not self.flight:
            return None
        marks = [f.batch.marks[d] for f in self.flight for d in f.checked.fresh]
        found = {d: of for f in self.flight for d, of in f.checked.repeats.items()}
        return Pending(marks, found)

    def _stamp(self) -> datetime:
        """The load time of the next block: later than the block before it."""
        stamp = now()
        if self.stamp is not None and stamp <= self.stamp:
            stamp = self.stamp + timedelta(microseconds=1)
        self.stamp = stamp
        return stamp

    def run(self) -> Iterator[tuple[Prepared, T, Loaded]]:
        with ThreadPoolExecutor(1) as checker, ThreadPoolExecutor(WRITERS) as writers:
            try:
                current = self._next()
                checked = self._check(current[0], None) if current else None
                while current is not None and checked is not None:
                    self._start(writers, current, checked)
                    upcoming = self._next()
                    ahead = None
                    if upcoming is not None:
                        ahead = checker.submit(self._check, upcoming[0], self._pending())
                    while self.flight and (len(self.flight) >= WRITERS or upcoming is None):
                        head, right = self._commit_head()
                        yield head.batch, head.extra, head.written.result()
                        if not right:  # the blocks after it were checked on a wrong premise
                            self._roll_back_flight(upcoming)
                            if ahead is not None and not ahead.cancel():
                                wait([ahead])  # its answer is of no use now
                            ahead, upcoming = None, self._next()
                            break
                    current, checked = upcoming, None
                    if upcoming is not None:
                        if ahead is not None and ahead.exception() is None:
                            checked = ahead.result()
                        else:  # after a wrong premise (or a failed check): again, now
                            checked = self._check(upcoming[0], self._pending())
            finally:
                self._abandon()

    def _check(self, batch: Prepared, pending: Pending | None) -> Checked:
        return _check(self.engine, batch, self.known, pending, self.own)

    def _start(
        self, writers: ThreadPoolExecutor, block: tuple[Prepared, T], checked: Checked
    ) -> None:
        """Open the block's transaction and write it on a writer thread."""
        batch, extra = block
        conn = self.engine.connect()
        try:
            conn.begin()
            bulk.settings(conn)
            bulk.version_at_commit(conn)
        except BaseException:
            conn.close()
            raise
        written = writers.submit(_write, conn, batch, checked, self.allow_duplicate, self._stamp())
        self.flight.append(_Flight(batch, extra, checked, conn, written))

    def _commit_head(self) -> tuple[_Flight[T], bool]:
        """Commit the first block in flight once written; whether it added exactly the
        documents its check counted on (the premise of the blocks after it)."""
        head = self.flight[0]
        loaded = head.written.result()  # a failed block raises here: the load stops
        if loaded.added:  # it changed the store (nothing else when it added nothing)
            version = bulk.move_version(head.conn)
            added = [head.batch.marks[d] for d in head.batch.ids if d in loaded.added]
            self.own.committing(version, added, loaded.duplicates)  # before it is seen
        head.conn.commit()
        self.flight.popleft()
        head.conn.close()
        self.known.add(head.batch.marks[d] for d in head.batch.ids if d in loaded.added)
        return head, loaded.added == set(head.checked.fresh)

    def _roll_back_flight(self, upcoming: tuple[Prepared, T] | None) -> None:
        """Roll back every block in flight; they and ``upcoming`` are checked again."""
        again = [(f.batch, f.extra) for f in self.flight]
        self._abandon()
        self.redo.extendleft(reversed([*again, *([upcoming] if upcoming else [])]))

    def _abandon(self) -> None:
        """Roll back and close whatever is still in flight (after its writes end)."""
        while self.flight:
            f = self.flight.popleft()
            try:
                f.written.exception()  # wait: the connection is the writer's until then
            finally:
                f.conn.close()  # rolls the transaction back


def _check(
    engine: Engine,
    batch: Prepared,
    known: Sketches,
    pending: Pending | None,
    own: Own | None = None,
) -> Checked:
    """``bulk.check`` with ``pending`` counted as stored, in one snapshot of the store
    (REPEATABLE READ): a pending block committed before it is in the store already and
    is left out of ``pending``, or its documents would count twice (an anchor's
    holders: common when it is not). ``own``: the load's documents, counted in memory
    when the snapshot holds those alone (``duplicates.Own``)."""
    with engine.connect() as conn:
        raw = conn.connection.driver_connection
        if raw.info.transaction_status != TransactionStatus.IDLE:  # type: ignore[union-attr]
            raw.rollback()  # type: ignore[union-attr]  # a ping at checkout began one
        with conn.begin():
            conn.exec_driver_sql("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            bulk.settings(conn)
            exact = None
            if own is not None and not own.off:
                version, empty = conn.exec_driver_sql(_VERSION).one()  # the snapshot's
                if own.base is None:  # the load's first check
                    own.start(version, empty)
                exact = own if own.catch_up(version) else None
            if pending:
                ids = [m.id for m in pending.marks]
                seen = set(bulk._stored_in(conn, ids))  # in the snapshot
                if seen:
                    marks = [m for m in pending.marks if m.id not in seen]
                    found = {d: of for d, of in pending.found.items() if d not in seen}
                    pending = Pending(marks, found) if marks else None
            return bulk.check(conn, batch, known, pending, exact)


_VERSION = (
    "SELECT (SELECT version FROM store_version WHERE id = 1), "
    "NOT EXISTS (SELECT 1 FROM document_sketch)"
)


def _write(
    conn: Connection, batch: Prepared, checked: Checked, allow_duplicate: bool, stamp: datetime
) -> Loaded:
    if not batch.documents:
        return Loaded()
    return bulk.write(conn, batch, checked, allow_duplicate=allow_duplicate, stamp=stamp)
