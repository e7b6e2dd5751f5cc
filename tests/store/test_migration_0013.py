"""Migration 0013 compares the code-like columns byte by byte (COLLATE "C") on
PostgreSQL, keeps every foreign key, and takes the collation away again."""

from __future__ import annotations

from alembic import command

from crisisdesk.store import Store
from crisisdesk.store.migrate import alembic_config

_COLLATED = (
    "SELECT table_name || '.' || column_name FROM information_schema.columns "
    "WHERE table_schema = current_schema() AND collation_name = 'C'"
)
_KEYS = (
    "SELECT conname FROM pg_constraint WHERE contype = 'f' "
    "AND connamespace = current_schema()::regnamespace"
)


def _read(store: Store, sql: str) -> set[str]:
    if store.engine.dialect.name != "postgresql":
        return set()
    with store.engine.connect() as conn:
        return set(conn.exec_driver_sql(sql).scalars())


def test_0013_down_and_up(store_url: str) -> None:
    with Store.open(store_url) as store:
        keys = _read(store, _KEYS)
        collated = _read(store, _COLLATED)
        if store.engine.dialect.name == "postgresql":
            assert {"documents.id", "facts.doc_id", "facts.category", "fact_places.admin2_code",
                    "document_sketch.hash", "figure_facts.fact_id"} <= collated  # fmt: skip
            assert "fk_facts_doc_id_documents" in keys
        cfg = alembic_config()
        with store.engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, "0012")
        assert not _read(store, _COLLATED)
        assert _read(store, _KEYS) == keys
    with Store.open(store_url) as store:  # opening upgrades again
        assert _read(store, _COLLATED) == collated
        assert _read(store, _KEYS) == keys
