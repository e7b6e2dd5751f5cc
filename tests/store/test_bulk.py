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
