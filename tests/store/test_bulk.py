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


def test_bulk_rows_are_those_written_one_by_one(store: Store) -> None:
    # PostgreSQL takes the bulk rows in COPY's binary format (made on the workers): every
    # column reads back as the one-by-one path writes it, the load times included
    import dataclasses
    from datetime import date

    from sqlalchemy import select

    from crisisdesk.store import schema
    from crisisdesk.store.documents import now

    text = (
        "Shelling killed 12 civilians and injured about 40 in Sarmin between 3 and 5 May "
        "2020, medics said; 1,500 families fled to camps near the border that week. " * 3
    )
    doc = dataclasses.replace(
        _works(1)[0][0], text=text, published=date(2020, 5, 6), title="Ünïcode\ttitle",
        locations=((0, "page 1"),), id="bulk",
    )  # fmt: skip
    work = Pipeline.build().process(Ingested(doc))
    facts = tuple(f.with_(doc=doc.id, confidence=0.75) for f in work.facts or ())
    assert len(facts) >= 2 and any(f.date_start for f in facts)
    one = dataclasses.replace(doc, id="one")
    began = now()
    assert add_documents(store.engine, [(doc, facts)]) == {doc.id}
    store.add_document(one, [f.with_(doc=one.id) for f in facts])
    d, f, p = schema.documents, schema.facts, schema.fact_places
    with store.engine.connect() as conn:
        docs = {r.id: r._asdict() for r in conn.execute(select(d))}
        rows = conn.execute(select(f).order_by(f.c.span_start, f.c.category)).all()
        places = conn.execute(select(p).order_by(p.c.id)).all()
    by_doc: dict[str, list] = {"bulk": [], "one": []}
    for r in rows:
        by_doc[r.doc_id].append(r._asdict())
    skip = {"id", "doc_id", "created_at", "updated_at", "ingested_at"}
    assert {k: v for k, v in docs["bulk"].items() if k not in skip} == {
        k: v for k, v in docs["one"].items() if k not in skip
    }
    assert [{k: v for k, v in r.items() if k not in skip} for r in by_doc["bulk"]] == [
        {k: v for k, v in r.items() if k not in skip} for r in by_doc["one"]
    ]
    stamp = docs["bulk"]["ingested_at"]
    naive = began.replace(tzinfo=None)  # SQLite gives them without their zone (UTC)
    assert naive <= stamp.replace(tzinfo=None) <= docs["one"]["ingested_at"].replace(tzinfo=None)
    assert {(r["created_at"], r["updated_at"]) for r in by_doc["bulk"]} == {(stamp, stamp)}
    held = {r.fact_id for r in places}
    assert {r["id"] for r in by_doc["bulk"]} <= held
