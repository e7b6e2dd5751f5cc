"""Bulk loading: many documents in one transaction, each document once, and the store
version moved once per transaction on PostgreSQL (migration 0007), not per statement."""

from __future__ import annotations

from crisisdesk.ingest.common import make_document
from crisisdesk.model import Ingested
from crisisdesk.pipeline import Pipeline
from crisisdesk.store import Store
from crisisdesk.store.bulk import add_documents, stored_ids


def _works(count: int) -> list[tuple]:
    pipeline = Pipeline.build()
    out = []
    for i in range(count):
        text = f"Airstrikes killed {i + 4} civilians in Ariha on 3 March 2020, rescuers said."
        work = pipeline.process(Ingested(make_document(text, origin="t", fmt="text")))
        out.append((work.document, work.facts or ()))
    return out


def test_a_batch_goes_in_once_and_moves_the_version_once(store: Store) -> None:
    works = _works(30)
    before = store.version()
    added = add_documents(store.engine, [*works, works[0]])  # the same text twice: once
    moved = store.version() - before
    assert added == {d.id for d, _ in works}
    assert store.count_documents() == 30
    assert store.count_facts() == sum(len(f) for _, f in works) >= 30
    if store.dialect == "postgresql":
        assert moved == 1  # one transaction, one bump (was one per statement)
    else:
        assert moved >= 1
    again = store.version()
    assert add_documents(store.engine, works) == set()  # a re-run writes nothing
    assert store.count_documents() == 30
    if store.dialect == "postgresql":
        assert store.version() == again
    assert stored_ids(store.engine, [works[3][0].id, "nope"]) == {works[3][0].id}


def test_an_id_with_a_tab_a_backslash_and_a_newline_is_stored_as_given(store: Store) -> None:
    # a JSON-lines file gives its documents' ids: COPY text must escape them in every
    # table, the sketch rows too (their unescaped id broke the block on PostgreSQL)
    import dataclasses

    text = "Shelling killed 12 civilians in Sarmin on 3 May 2020, medics said. " * 8
    doc = _works(1)[0][0]
    odd = dataclasses.replace(doc, id="C:\\reports\tmay\n3", text=text)
    work = Pipeline.build().process(Ingested(odd))
    facts = tuple(f.with_(doc=odd.id) for f in work.facts or ())
    assert facts and add_documents(store.engine, [(odd, facts)]) == {odd.id}
    with store.engine.connect() as conn:
        sketch = conn.exec_driver_sql("SELECT DISTINCT doc_id FROM document_sketch").all()
        held = conn.exec_driver_sql("SELECT DISTINCT doc_id FROM facts").all()
    assert sketch == [(odd.id,)] and held == [(odd.id,)]
    assert add_documents(store.engine, [(odd, facts)]) == set()  # a re-run: stored
    assert store.count_documents() == 1
