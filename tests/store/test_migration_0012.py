"""Migration 0012 gives the review queue's orders their indexes, and takes them away again."""

from __future__ import annotations

from alembic import command
from sqlalchemy import inspect

from crisisdesk.store import Store
from crisisdesk.store.migrate import alembic_config

NEW = {"ix_facts_status_created", "ix_facts_document_order"}


def _indexes(store: Store) -> set[str]:
    return {i["name"] for i in inspect(store.engine).get_indexes("facts")}


def test_0012_down_and_up(store_url: str) -> None:
    with Store.open(store_url) as store:
        assert _indexes(store) >= NEW
        cfg = alembic_config()
        with store.engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, "0011")
        assert not NEW & _indexes(store)
    with Store.open(store_url) as store:  # opening upgrades again
        assert _indexes(store) >= NEW
