"""Migration 0009 gives the login limiter an index on the audit log, and takes it away again."""

from __future__ import annotations

from alembic import command
from sqlalchemy import inspect

from crisisdesk.store import Store
from crisisdesk.store.migrate import alembic_config


def _indexes(store: Store) -> set[str]:
    return {i["name"] for i in inspect(store.engine).get_indexes("audit_log")}


def test_0009_down_and_up(store_url: str) -> None:
    with Store.open(store_url) as store:
        assert "ix_audit_log_action_at" in _indexes(store)
        cfg = alembic_config()
        with store.engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, "0008")
        assert "ix_audit_log_action_at" not in _indexes(store)
    with Store.open(store_url) as store:  # opening upgrades again
        assert "ix_audit_log_action_at" in _indexes(store)
