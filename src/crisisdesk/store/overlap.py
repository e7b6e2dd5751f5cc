"""Blocks loaded one after another, each block's duplicate check run while the block
before it is written.

``bulk.add_prepared`` checks a block (which documents are stored, which repeat
one: ``store.duplicates``) and then writes it, in one transaction; on the
benchmark corpus the check is half of the time, the server's join and this
process's comparisons. Here, on PostgreSQL, block N+1 is checked on a second
connection while block N's COPY runs on the first, against the store and block
N counted as stored (``duplicates.Pending``): the answer is the one the check
would give once block N is committed. Should block N add fewer documents than
it was to (another writer stored some meanwhile), block N+1 is checked again
after it. Each block remains one transaction that adds whole documents or
nothing; a block that fails stops the load, as before. SQLite: one block after
another (``add_prepared``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor, wait
from typing import TypeVar

from sqlalchemy import Engine

from crisisdesk.store import bulk
from crisisdesk.store.bulk import Checked, Loaded, Prepared
from crisisdesk.store.duplicates import Pending, Sketches

T = TypeVar("T")


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
    items = iter(blocks)
    current = next(items, None)
    checked = _check(engine, current[0], known, None) if current else None
    with ThreadPoolExecutor(1) as pool:
        while current is not None and checked is not None:
            batch, extra = current
            upcoming = next(items, None)
            pending = Pending([batch.marks[d] for d in checked.fresh], checked.repeats)
            ahead = pool.submit(_check, engine, upcoming[0], known, pending) if upcoming else None
            loaded = _write(engine, batch, checked, allow_duplicate)
            wait([ahead] if ahead else [])
            known.add(batch.marks[d] for d in batch.ids if d in loaded.added)
            yield batch, extra, loaded
            following = None
            if ahead and not ahead.exception() and loaded.added == set(checked.fresh):
                following = ahead.result()
            elif upcoming:  # checked on a wrong premise (or failed): again, now
                following = _check(engine, upcoming[0], known, None)
            current, checked = upcoming, following


def _check(engine: Engine, batch: Prepared, known: Sketches, pending: Pending | None) -> Checked:
    with engine.begin() as conn:
        bulk.settings(conn)
        return bulk.check(conn, batch, known, pending)


def _write(engine: Engine, batch: Prepared, checked: Checked, allow_duplicate: bool) -> Loaded:
    if not batch.documents:
        return Loaded()
    with engine.begin() as conn:
        bulk.settings(conn)
        return bulk.write(conn, batch, checked, allow_duplicate=allow_duplicate)
