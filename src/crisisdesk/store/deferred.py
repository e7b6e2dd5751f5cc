"""A large load with the facts' secondary indexes and foreign keys built afterwards.

PostgreSQL's own advice for populating a database: load first, then build the
indexes and add the foreign keys. Kept while loading, every fact row costs an
insertion into each of the seven secondary indexes of ``facts`` and the five
of ``fact_places`` and a foreign-key lookup per row (a trigger per row: also
those of the documents' sketches, whose indexes stay for the duplicate check);
built afterwards, each index is one sort of the table, two at a time on two
connections. Measured on the generated corpus
(``benchmarks/pg_load.py``), the server spends about 2.5 times less CPU per
fact loaded that way, index builds included.

It pays only when the load is large beside what is stored (an index rebuilt
costs the whole table), so ``worth_deferring`` compares the two. Primary keys
stay: documents are still added with ON CONFLICT DO NOTHING, so each block
remains one transaction that adds whole documents or nothing.

A load killed before the end leaves indexes missing (its advisory lock goes
with its connection); ``restore`` builds what is missing and is run when a
store is opened (``Store.open``) and when a load starts, so the next open heals
it. Only PostgreSQL: SQLite keeps its indexes.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

from sqlalchemy import Connection, Engine, ForeignKeyConstraint, Index, text
from sqlalchemy.schema import AddConstraint

from crisisdesk.store import schema

TABLES = (schema.facts, schema.fact_places)
# foreign keys checked row by row on insert (a trigger per row): those of the sketches
# too, which the duplicate check needs their indexes of, not their foreign key
FK_TABLES = (*TABLES, schema.document_sketch)
ROWS_PER_BYTE = 1 / 100  # facts per byte of input: ~10 facts per 1.1 KB report
# below this many facts expected, a load keeps the indexes whatever is stored: dropping
# and rebuilding twelve indexes (and locking the tables to do it) costs more than a small
# load's insertions, and readers of a store being filled meanwhile lose their indexes
# ($CRISISDESK_DEFER_MIN_FACTS sets another floor)
MIN_FACTS = 20_000
# the indexes are rebuilt in this much memory per sort (the server's default is 64 MB)
BUILD_MEMORY = "256MB"
LOCK = 727275  # advisory lock held by a deferred load (727274 is the migrations')


def _indexes() -> list[Index]:
    return [ix for table in TABLES for ix in sorted(table.indexes, key=lambda i: str(i.name))]


def _foreign_keys() -> list[ForeignKeyConstraint]:
    return [
        fk
        for table in FK_TABLES
        for fk in sorted(table.foreign_key_constraints, key=lambda c: str(c.name))
    ]


def worth_deferring(engine: Engine, input_bytes: int) -> bool:
    """A load of ``input_bytes`` is expected to add at least as many facts as are
    stored (then rebuilding the indexes costs less than keeping them), and at least
    ``MIN_FACTS``."""
    floor = int(os.environ.get("CRISISDESK_DEFER_MIN_FACTS", MIN_FACTS))
    if engine.dialect.name != "postgresql" or input_bytes <= 0:
        return False
    if input_bytes * ROWS_PER_BYTE < floor:
        return False
    with engine.connect() as conn:
        # the planner's estimate: no scan of a large table to decide
        stored = conn.execute(
            text("SELECT greatest(reltuples, 0) FROM pg_class WHERE oid = 'facts'::regclass")
        ).scalar()
    return input_bytes * ROWS_PER_BYTE >= float(stored or 0)


def _drop(conn: Connection) -> None:
    """Drop the secondary indexes and foreign keys of facts and fact places."""
    for fk in _foreign_keys():
        conn.exec_driver_sql(f"ALTER TABLE {fk.table.name} DROP CONSTRAINT IF EXISTS {fk.name}")
    for ix in _indexes():
        conn.exec_driver_sql(f"DROP INDEX IF EXISTS {ix.name}")
    conn.commit()


def _missing(conn: Connection) -> list[str]:
    have = set(
        conn.execute(
            text(
                "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() "
                "UNION SELECT conname FROM pg_constraint WHERE contype = 'f' "
                "AND connamespace = current_schema()::regnamespace"
            )
        ).scalars()
    )
    wanted = [str(ix.name) for ix in _indexes()] + [str(fk.name) for fk in _foreign_keys()]
    return [name for name in wanted if name not in have]


def missing(engine: Engine) -> list[str]:
    """Names of the deferrable indexes and foreign keys the store lacks."""
    if engine.dialect.name != "postgresql":
        return []
    with engine.connect() as conn:
        return _missing(conn)


def _build(conn: Connection, lacking: set[str]) -> None:
    """The ``lacking`` indexes, shared between this connection and a second one (each
    build is one sort on one core; two builds of one table can run at once), then
    the foreign keys (they lock what the builds share)."""
    todo = [ix for ix in _indexes() if ix.name in lacking]
    halves: list[list[Index]] = [[], []]
    for ix in sorted(todo, key=_weight, reverse=True):  # the heaviest to the lighter half
        min(halves, key=lambda h: sum(map(_weight, h))).append(ix)
    if halves[1]:
        with ThreadPoolExecutor(1) as pool, conn.engine.connect() as other:
            second = pool.submit(_create, other, halves[1])
            _create(conn, halves[0])
            second.result()
    else:
        _create(conn, halves[0])
    for fk in _foreign_keys():
        if fk.name in lacking:
            conn.execute(AddConstraint(fk))
    conn.commit()
    # no ANALYZE here: autovacuum analyses a table that grew by a tenth, and on the
    # facts (long quotes) it cost more than every index build together


def _weight(ix: Index) -> int:
    """What a build costs, roughly: its columns (text compared), facts twice places."""
    return len(ix.expressions) * (2 if ix.table is schema.facts else 1)


def _create(conn: Connection, indexes: list[Index]) -> None:
    conn.exec_driver_sql(f"SET LOCAL maintenance_work_mem = '{BUILD_MEMORY}'")
    for ix in indexes:
        ix.create(conn, checkfirst=True)
    conn.commit()


def restore(engine: Engine) -> list[str]:
    """Build the indexes and foreign keys a deferred load killed before its end left
    missing (nothing while a deferred load is running: it builds them itself at its
    end); the names built."""
    if engine.dialect.name != "postgresql":
        return []
    with engine.connect() as conn:
        lacking = set(_missing(conn))
        conn.rollback()
        if not lacking:
            return []
        if not conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": LOCK}).scalar():
            conn.rollback()
            return []  # a deferred load holds it
        try:
            lacking = set(_missing(conn))  # another process may have restored them
            conn.commit()
            if lacking:
                _build(conn, lacking)
        finally:
            conn.rollback()
            conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": LOCK})
            conn.commit()
    return sorted(lacking)


@contextmanager
def load(engine: Engine, defer: bool) -> Iterator[bool]:
    """Around a bulk load: with ``defer`` (PostgreSQL), the indexes and foreign keys
    of facts are dropped before and built after, also when the load fails. A
    connection holds an advisory lock the while, so that ``restore`` elsewhere (a
    store opened meanwhile) leaves them be, and a second deferred load at once
    loads with whatever indexes there are. Yields whether the load is deferred."""
    restore(engine)  # a load killed earlier left them missing
    if not defer or engine.dialect.name != "postgresql":
        yield False
        return
    with engine.connect() as holder:
        if not holder.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": LOCK}).scalar():
            holder.rollback()
            yield False
            return
        holder.commit()
        try:
            _drop(holder)
            yield True
        finally:
            holder.rollback()
            try:
                _build(holder, set(_missing(holder)))
            finally:
                holder.rollback()
                holder.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": LOCK})
                holder.commit()
