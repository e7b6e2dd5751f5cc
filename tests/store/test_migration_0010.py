"""Migration 0010 gives reconcile runs a place for the dashboard's headline totals, and
takes it away again (the runs themselves stay)."""

from __future__ import annotations

from alembic import command
from sqlalchemy import inspect

from crisisdesk.store import Store
from crisisdesk.store.migrate import alembic_config


def _columns(store: Store) -> set[str]:
    return {c["name"] for c in inspect(store.engine).get_columns("reconcile_runs")}


def test_0010_down_and_up(store_url: str) -> None:
    with Store.open(store_url) as store:
        assert "headlines" in _columns(store)
        cfg = alembic_config()
        with store.engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, "0009")
        assert "headlines" not in _columns(store) and "reliability" in _columns(store)
    with Store.open(store_url) as store:  # opening upgrades again
        assert "headlines" in _columns(store)
        assert store.saved_headlines() is None  # no run yet
