"""Blocks loaded with each block's duplicate check run while the block before it is
written (``store.overlap``): the store ends as when each block is checked and
written in turn, also when another writer stores a document of the block being
written (the next block is then checked again)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import event

from crisisdesk.ingest.common import make_document
from crisisdesk.model import Ingested
from crisisdesk.pipeline import Pipeline
from crisisdesk.store import Store, bulk
from crisisdesk.store.overlap import add_blocks

# written for this test; the places are real, the figures invented
TEXT = (
    "Update {n} from the district office. Teams in {town} counted {a} households that "
    "arrived during the week, mostly from farms along the river. Another {b} households "
    "stayed in a school and a clinic, and two new wells were opened. Medics said shelling "
    "near the bakery killed {c} people and wounded {d} more on Tuesday."
)
TOWNS = ["Sarmin", "Taftanaz", "Maarrat Misrin", "Kafr Takharim"]


def _text(i: int) -> str:
    return TEXT.format(n=i, town=TOWNS[i % 4], a=200 + 9 * i, b=40 + i, c=3 + i, d=7 + i)


def _again(text: str) -> str:
    """The same report laid out anew: other line breaks, a header and a page number."""
    return "District office\n" + text.replace(". ", ".\n") + "\n3"


def _work(text: str) -> tuple:
    work = Pipeline.build().process(Ingested(make_document(text, origin="t", fmt="text")))
    return work.document, work.facts or ()


def _state(store: Store) -> list[tuple]:
    with store.engine.connect() as conn:
        docs = conn.exec_driver_sql("SELECT id, duplicate_of FROM documents ORDER BY id").all()
        facts = conn.exec_driver_sql(
            "SELECT doc_id, count(*) FROM facts GROUP BY doc_id ORDER BY doc_id"
        ).all()
    return [*map(tuple, docs), *map(tuple, facts)]


def _blocks() -> list[list[tuple]]:
    texts = [_text(0), _text(1), _again(_text(0)), _text(2), _again(_text(1)), _again(_text(2))]
    works = [_work(t) for t in texts]
    # a repeat of the block before, of one two blocks before, and within a block
    return [works[0:2], works[2:4], works[4:5], [works[3], works[5]]]


@pytest.fixture
def pg(store: Store) -> Store:
    if store.dialect != "postgresql":
        pytest.skip("the check runs ahead on PostgreSQL only (SQLite: one block after another)")
    return store


def _load(store: Store, blocks: list[list[tuple]]) -> list[bulk.Loaded]:
    batches = [(bulk.prepare(b, "postgresql"), None) for b in blocks]
    return [loaded for _, _, loaded in add_blocks(store.engine, batches)]


def test_checked_ahead_the_store_ends_as_block_after_block(pg: Store) -> None:
    blocks = _blocks()
    ahead = _load(pg, blocks)
    state = _state(pg)
    with pg.engine.begin() as conn:
        conn.exec_driver_sql("TRUNCATE fact_places, facts, document_sketch, documents CASCADE")
    in_turn = [bulk.add_prepared(pg.engine, bulk.prepare(b, "postgresql")) for b in blocks]
    assert _state(pg) == state
    assert [(a.added, a.duplicates) for a in ahead] == [(a.added, a.duplicates) for a in in_turn]
    first, second = blocks[0][0][0].id, blocks[0][1][0].id
    assert ahead[1].duplicates == {blocks[1][0][0].id: first}  # the block before
    assert ahead[2].duplicates == {blocks[2][0][0].id: second}  # two blocks before


def test_a_document_another_writer_stores_meanwhile_has_the_next_block_checked_again(
    pg: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocks = _blocks()
    write, checks = bulk.write, []
    check = bulk.check

    def racing(conn: object, batch: bulk.Prepared, *args: object, **kw: object) -> bulk.Loaded:
        if batch.ids == [w[0].id for w in blocks[0]]:  # while the first block is written
            pg.add_document(*blocks[0][1])
        return write(conn, batch, *args, **kw)  # type: ignore[arg-type]

    def counted(conn: object, batch: bulk.Prepared, *args: object) -> bulk.Checked:
        checks.append(batch.ids)
        return check(conn, batch, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(bulk, "write", racing)
    monkeypatch.setattr(bulk, "check", counted)
    loaded = _load(pg, blocks)
    assert loaded[0].added == {blocks[0][0][0].id}  # the other writer stored the second
    assert checks.count([w[0].id for w in blocks[1]]) == 2  # checked again
    second = blocks[0][1][0].id
    assert loaded[2].duplicates == {blocks[2][0][0].id: second}
    assert pg.count_documents() == 6


def test_an_anchor_is_common_counting_the_pending_block(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    from crisisdesk.store import duplicates

    monkeypatch.setattr(duplicates, "COMMON", 1)  # held by two documents: boilerplate
    stored, pending = _work(_text(0)), _work(_again(_text(0)))
    bulk.add_prepared(store.engine, bulk.prepare([stored], store.dialect))
    mark = bulk.prepare([pending], store.dialect).marks[pending[0].id]
    hashes = list(mark.anchors)
    with store.engine.connect() as conn:
        alone = duplicates.common_anchors(conn, hashes)
        counted = duplicates.common_anchors(conn, hashes, [mark])
    assert not alone  # one stored document holds them
    assert counted and counted <= set(hashes)  # and the pending one: two


def test_an_anchor_common_in_the_store_is_not_counted_again(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    from crisisdesk.store import duplicates

    monkeypatch.setattr(duplicates, "COMMON", 1)
    first, again = _work(_text(0)), _work(_again(_text(0)))
    bulk.add_prepared(store.engine, bulk.prepare([first], store.dialect))
    mark = bulk.prepare([again], store.dialect).marks[again[0].id]
    hashes = list(mark.anchors)
    known = duplicates.Sketches()
    with store.engine.connect() as conn:
        assert duplicates.common_anchors(conn, hashes, [mark], known)
    assert not known.common  # common counting a pending block only: not for good
    bulk.add_prepared(store.engine, bulk.prepare([again], store.dialect), allow_duplicate=True)
    with store.engine.connect() as conn:
        common = duplicates.common_anchors(conn, hashes, (), known)
        assert common and known.common == common  # held by two stored documents
        asked: list[list[str]] = []
        counts = duplicates._held_counts
        monkeypatch.setattr(
            duplicates, "_held_counts", lambda c, hs: asked.append(list(hs)) or counts(c, hs)
        )
        assert duplicates.common_anchors(conn, [*hashes, "f" * 16], (), known) == common
    assert asked == [["f" * 16]]  # only a hash not known common is counted again


def test_two_blocks_are_written_at_once_and_committed_in_order(
    pg: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    import threading

    blocks = _blocks()
    first, second = [w[0].id for w in blocks[0]], [w[0].id for w in blocks[1]]
    write = bulk.write
    began = threading.Event()
    seen: list[int] = []

    def slow_first(conn: object, batch: bulk.Prepared, *args: object, **kw: object) -> bulk.Loaded:
        if batch.ids == second:
            began.set()
        elif batch.ids == first:
            assert began.wait(30)  # the second block is written before the first ends
            done = write(conn, batch, *args, **kw)  # type: ignore[arg-type]
            seen.append(pg.count_documents())  # not committed yet: nothing seen
            return done
        return write(conn, batch, *args, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(bulk, "write", slow_first)
    before = pg.version()
    loaded = _load(pg, blocks)
    assert seen == [0]
    added = [sorted(x.added) for x in loaded]
    assert added == [sorted(first), sorted(second), [blocks[2][0][0].id], [blocks[3][1][0].id]]
    assert pg.version() - before == 4  # once per block, each added documents
    with pg.engine.connect() as conn:
        times = dict(conn.exec_driver_sql("SELECT id, ingested_at FROM documents").all())
        facts = conn.exec_driver_sql(
            "SELECT count(*) FROM facts f JOIN documents d ON d.id = f.doc_id "
            "WHERE f.created_at <> d.ingested_at"
        ).scalar()
    assert facts == 0
    # the blocks' load times follow the input, as when written one after another
    # (reconcile orders facts by them)
    spans = [[times[d] for d in ids] for ids in added]
    assert all(max(a) < min(b) for a, b in zip(spans, spans[1:], strict=False))
    again = pg.version()
    assert all(not x.added for x in _load(pg, blocks))  # a re-run writes nothing
    assert pg.version() == again


def test_a_pending_block_committed_before_its_check_reads_counts_once(
    pg: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    from crisisdesk.store import duplicates, overlap

    monkeypatch.setattr(duplicates, "COMMON", 1)  # an anchor of two documents: common
    first, again = _work(_text(0)), _work(_again(_text(0)))
    written = bulk.prepare([first], "postgresql")
    bulk.add_prepared(pg.engine, written)  # committed while still counted as pending
    pending = duplicates.Pending([written.marks[first[0].id]], {})
    batch = bulk.prepare([again], "postgresql")

    def ping(dbapi: Any, _record: Any, _proxy: Any) -> None:
        dbapi.cursor().execute("SELECT 1")  # as the pool's ping: a transaction begun

    event.listen(pg.engine, "checkout", ping)
    try:
        checked = overlap._check(pg.engine, batch, duplicates.Sketches(), pending)
    finally:
        event.remove(pg.engine, "checkout", ping)
    # held by one document, not two: no boilerplate, and the repeat is found
    assert checked.repeats == {again[0].id: first[0].id}
