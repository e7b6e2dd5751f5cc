"""Migration 0015 packs the documents' sketches (the same values read back) and keys
the sketch rows by hash without a second index; down and up again on both backends,
the stored sketches, sketch rows and duplicate check unchanged."""

from __future__ import annotations

import json

from alembic import command
from sqlalchemy import inspect

from crisisdesk.ingest.dedupe import packed, sketch, unpacked
from crisisdesk.model import Document
from crisisdesk.store import Store, schema
from crisisdesk.store.bulk import add_documents
from crisisdesk.store.migrate import alembic_config

WORDS = (
    "Heavy rain flooded {n} homes in the lower valley on Tuesday and local volunteers "
    "moved families to two schools while the district office counted the damage to "
    "roads bridges and the water network which it said would take weeks to repair "
    "before the markets could open again for the {m} traders who lost their stock"
)


def _docs() -> list[Document]:
    texts = [WORDS.format(n=n, m=m) for n, m in ((120, 40), (300, 75))]
    texts.append(texts[0] + " Page 2.")  # a repeat of the first, laid out again
    texts.append("Too short to sketch: 12 homes.")
    return [Document.from_text(t, title=f"d{i}") for i, t in enumerate(texts)]


def _state(store: Store) -> tuple[list[tuple[str, object]], list[tuple[str, str]]]:
    d, sk = schema.documents, schema.document_sketch
    with store.engine.connect() as conn:
        rows = conn.execute(d.select().with_only_columns(d.c.id, d.c.shingles)).all()
        held = conn.execute(sk.select().order_by(sk.c.doc_id, sk.c.hash)).all()
    return sorted((i, v) for i, v in rows), [(r.doc_id, r.hash) for r in held]


def _sketch_keys(store: Store) -> tuple[list[str], set[str]]:
    found = inspect(store.engine)
    key = found.get_pk_constraint("document_sketch")["constrained_columns"]
    return key, {str(i["name"]) for i in found.get_indexes("document_sketch")}


def test_packed_reads_back_the_same_sketch() -> None:
    sk = sketch(WORDS.format(n=1, m=2))
    assert sk and unpacked(packed(sk)) == sk and len(packed(sk)) < len(json.dumps(sk)) / 2
    older = {"n": 7, "k": [0, 2**64 - 1]}  # made before sketches held numbers
    assert unpacked(packed(older)) == older
    assert unpacked(memoryview(packed({**older, "nums": []}))) == {**older, "nums": []}


def test_0015_down_and_up(store_url: str) -> None:
    docs = _docs()
    with Store.open(store_url) as store:
        add_documents(store.engine, [(docs[0], ()), (docs[1], ())])
        store.add_document(docs[3])
        before = _state(store)
        assert dict(before[0])[docs[0].id] == sketch(docs[0].text)
        assert dict(before[0])[docs[3].id] is None
        assert _sketch_keys(store) == (["hash", "doc_id"], set())
        cfg = alembic_config()
        with store.engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, "0014")
        key, indexes = _sketch_keys(store)
        assert key == ["doc_id", "hash"] and "ix_document_sketch_hash" in indexes
        with store.engine.connect() as conn:
            stored = conn.exec_driver_sql(
                f"SELECT shingles FROM documents WHERE id = '{docs[1].id}'"
            ).scalar()
        assert (json.loads(stored) if isinstance(stored, str) else stored) == sketch(docs[1].text)
    with Store.open(store_url) as store:  # opening upgrades again
        assert _state(store) == before
        assert _sketch_keys(store) == (["hash", "doc_id"], set())
        assert store.find_duplicate(docs[2]) == docs[0].id
        assert add_documents(store.engine, [(docs[2], ())]) == {docs[2].id}
        with store.engine.connect() as conn:
            of = conn.exec_driver_sql(
                f"SELECT duplicate_of FROM documents WHERE id = '{docs[2].id}'"
            ).scalar()
        assert of == docs[0].id
