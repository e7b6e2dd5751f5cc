"""Bulk loading into PostgreSQL. A large load builds the facts' secondary indexes and foreign keys
after the rows (``store.deferred``): the same rows as a load that keeps them, every
index there at the end, a store opened after a load killed half-way gets them back,
and nobody rebuilds them while a deferred load runs. A document another writer
stores in the middle of a block is skipped, not doubled."""

from __future__ import annotations

import pytest

from crisisdesk.ingest.common import make_document
from crisisdesk.model import Ingested
from crisisdesk.pipeline import Pipeline
from crisisdesk.store import Store, deferred
from crisisdesk.store.bulk import add_documents


def _works(count: int, start: int = 0) -> list[tuple]:
    pipeline = Pipeline.build()
    out = []
    for i in range(start, start + count):
        text = f"Shelling killed {i + 3} civilians in Sarmin on {i % 27 + 1} May 2020, medics said."
        work = pipeline.process(Ingested(make_document(text, origin="t", fmt="text")))
        out.append((work.document, work.facts or ()))
    return out


def _rows(store: Store) -> list[tuple]:
    with store.engine.connect() as conn:
        facts = conn.exec_driver_sql("SELECT id, doc_id, value FROM facts ORDER BY id").all()
        places = conn.exec_driver_sql(
            "SELECT fact_id, position, place_id FROM fact_places ORDER BY fact_id, position"
        ).all()
    return [*map(tuple, facts), *map(tuple, places)]


@pytest.fixture
def pg(store: Store) -> Store:
    if store.dialect != "postgresql":
        pytest.skip("deferred indexes are PostgreSQL's (SQLite keeps its indexes)")
    return store


def test_a_deferred_load_stores_the_same_rows_and_ends_with_every_index(pg: Store) -> None:
    works = _works(12)
    with deferred.load(pg.engine, True) as is_deferred:
        assert is_deferred
        gone = deferred.missing(pg.engine)
        assert "ix_facts_category_unit_dates" in gone and "fk_facts_doc_id_documents" in gone
        assert deferred.restore(pg.engine) == []  # the load holds its lock: left be
        add_documents(pg.engine, works[:6])
        add_documents(pg.engine, works[3:])  # a re-run of half: each document once
    assert deferred.missing(pg.engine) == []
    deferred_rows = _rows(pg)
    with pg.engine.begin() as conn:
        conn.exec_driver_sql("TRUNCATE fact_places, facts, documents CASCADE")
    with deferred.load(pg.engine, False) as is_deferred:
        assert not is_deferred and deferred.missing(pg.engine) == []
        add_documents(pg.engine, works)
    assert deferred_rows == _rows(pg) and len(deferred_rows) >= 24


def test_a_store_opened_after_a_killed_deferred_load_has_its_indexes_back(
    pg: Store, store_url: str
) -> None:
    with pg.engine.connect() as conn:
        deferred._drop(conn)  # as a load killed half-way leaves the store
    # every secondary index and foreign key of facts and fact places is gone
    assert len(deferred.missing(pg.engine)) == len(deferred._indexes()) + len(
        deferred._foreign_keys()
    )
    assert "ix_facts_document_order" in deferred.missing(pg.engine)
    add_documents(pg.engine, _works(3))
    with Store.open(store_url) as again:
        assert deferred.missing(again.engine) == []
        assert again.count_facts() >= 3


def test_deferring_pays_only_for_a_load_as_large_as_the_store(
    pg: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    large = int(deferred.MIN_FACTS / deferred.ROWS_PER_BYTE)
    assert deferred.worth_deferring(pg.engine, large)  # an empty store
    assert not deferred.worth_deferring(pg.engine, large - 1_000)  # a small load never defers
    monkeypatch.setattr(deferred, "MIN_FACTS", 0)
    add_documents(pg.engine, _works(30))
    with pg.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql("ANALYZE facts")
    stored = pg.count_facts()
    assert not deferred.worth_deferring(pg.engine, int(stored / deferred.ROWS_PER_BYTE) - 200)
    assert deferred.worth_deferring(pg.engine, int(stored / deferred.ROWS_PER_BYTE) + 200)
    assert not deferred.worth_deferring(pg.engine, 0)


def test_sqlite_never_defers(sqlite_store: Store) -> None:
    assert not deferred.worth_deferring(sqlite_store.engine, 10**9)
    with deferred.load(sqlite_store.engine, True) as is_deferred:
        assert not is_deferred
    assert deferred.missing(sqlite_store.engine) == []


def test_a_document_stored_meanwhile_by_another_writer_is_skipped_not_doubled(
    pg: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    from crisisdesk.store import bulk, duplicates

    works = _works(5, start=50)
    batch = bulk.prepare(works, "postgresql")
    find = duplicates.find

    def racing(conn: object, marks: list, *known: object) -> dict:
        # another writer stores one of them once the block has looked up what is
        # stored: the COPY meets it, and the block falls back to ON CONFLICT DO NOTHING
        pg.add_document(*works[2])
        return find(conn, marks, *known)  # type: ignore[arg-type]

    monkeypatch.setattr(duplicates, "find", racing)
    loaded = bulk.add_prepared(pg.engine, batch)
    assert bulk.stored_ids(pg.engine, batch.ids) == set(batch.ids)
    assert loaded.added == set(batch.ids) - {works[2][0].id}
    assert pg.count_documents() == 5
    assert pg.count_facts() == sum(len(f) for _, f in works)
