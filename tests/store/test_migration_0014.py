"""Migration 0014 drops the facts' indexes that lead others (doc_id, status), and
gives them back on the way down."""

from __future__ import annotations

from alembic import command
from sqlalchemy import inspect

from crisisdesk.store import Store
from crisisdesk.store.migrate import alembic_config

GONE = {"ix_facts_doc_id", "ix_facts_status"}
KEPT = {"ix_facts_document_order", "ix_facts_status_created"}


def _indexes(store: Store) -> set[str]:
    return {i["name"] for i in inspect(store.engine).get_indexes("facts")}


def test_0014_down_and_up(store_url: str) -> None:
    with Store.open(store_url) as store:
        assert _indexes(store) >= KEPT and not GONE & _indexes(store)
        cfg = alembic_config()
        with store.engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, "0013")
        assert _indexes(store) >= GONE | KEPT
    with Store.open(store_url) as store:  # opening upgrades again
        assert _indexes(store) >= KEPT and not GONE & _indexes(store)
