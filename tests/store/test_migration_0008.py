"""Migration 0008 (team review) goes down to 0007 and up again on both backends,
keeping the facts and the store-version triggers."""

from __future__ import annotations

from alembic import command
from sqlalchemy import inspect

from crisisdesk.model import Category, Document, Fact, Unit
from crisisdesk.store import Store
from crisisdesk.store.migrate import alembic_config


def _columns(store: Store, table: str) -> set[str]:
    return {c["name"] for c in inspect(store.engine).get_columns(table)}


def test_0008_down_and_up(store_url: str) -> None:
    text = "Volunteers counted 12 families arriving."
    doc = Document.from_text(text, title="t")
    at = text.index("12")
    fact = Fact(doc=doc.id, quote=text, quote_start=0, span=(at, at + 2), value=12,
                category=Category.DISPLACED, unit=Unit.FAMILIES)  # fmt: skip
    with Store.open(store_url) as store:
        store.add_document(doc, [fact])
        assert {"author", "assignee"} <= _columns(store, "facts")
        assert {"fingerprint", "shingles", "duplicate_of"} <= _columns(store, "documents")
        cfg = alembic_config()
        with store.engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, "0007")
        assert "author" not in _columns(store, "facts")
        assert "last_visit" not in _columns(store, "users")
        before = store.version()
    with Store.open(store_url) as store:  # opening upgrades again
        assert "assignee" in _columns(store, "facts")
        assert store.count_facts() == 1
        store.assign(None, user="t", fact_ids=[fact.key])
        store.set_status(fact.key, "verified", user="t")
        assert store.version() != before  # the triggers still move the version
