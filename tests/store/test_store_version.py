"""The store version moves with every change to documents, facts and places, and only
then: it is how ``total`` knows the stored figures still describe the facts."""

from __future__ import annotations

from datetime import date

from sqlalchemy import update

from crisisdesk.model import Category, Document, Fact, FactStatus, Unit
from crisisdesk.reconcile import reconcile_store
from crisisdesk.reconcile.stored import is_fresh, reliability_digest
from crisisdesk.store import Store
from crisisdesk.store import schema as s


def _version(store: Store) -> int:
    v = store.version()
    assert v is not None
    return v


def _report(n: int) -> tuple[Document, list[Fact]]:
    text = f"Medics said {n} people were hurt in Kafr Yasin on 3 March 2020."
    doc = Document.from_text(text, publisher="Field Desk", published=date(2020, 3, 4))
    at = text.index(str(n))
    fact = Fact(
        doc=doc.id, quote=text, quote_start=0, span=(at, at + len(str(n))), value=n,
        category=Category.INJURED, unit=Unit.PEOPLE, places=("Kafr Yasin",),
        date_start=date(2020, 3, 3), date_end=date(2020, 3, 3),
    )  # fmt: skip
    return doc, [fact]


def test_writes_move_the_version_and_a_repeated_ingest_does_not(store: Store) -> None:
    v0 = _version(store)
    doc, facts = _report(14)
    assert store.add_document(doc, facts)
    v1 = _version(store)
    assert v1 > v0
    assert not store.add_document(doc, facts)  # the same report again: nothing written
    assert _version(store) == v1
    fact_id = next(iter(store.iter_facts())).id
    store.set_status(fact_id, FactStatus.VERIFIED, user="tester")
    v2 = _version(store)
    assert v2 > v1
    with store.engine.begin() as conn:  # a hand-made fix in SQL is seen too
        conn.execute(update(s.fact_places).values(admin1_code="SY07"))
    assert _version(store) > v2


def test_figures_are_fresh_until_the_facts_or_the_reliabilities_change(store: Store) -> None:
    assert not is_fresh(store)  # never reconciled
    doc, facts = _report(8)
    store.add_document(doc, facts)
    reconcile_store(store)
    assert is_fresh(store)
    doc, facts = _report(9)
    store.add_document(doc, facts)
    assert not is_fresh(store)
    reconcile_store(store)
    assert is_fresh(store)
    # a run made with other source reliabilities does not describe today's figures
    other = reliability_digest({"field desk": 0.1})
    assert other != reliability_digest()
    r = s.reconcile_runs
    with store.engine.begin() as conn:
        conn.execute(update(r).values(reliability=other))
    assert not is_fresh(store)


def test_migrations_down_to_0002_and_up_again(store_url: str) -> None:
    """The store version's triggers and the figure columns come off and back cleanly."""
    from alembic import command
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from crisisdesk.store.migrate import alembic_config

    with Store.open(store_url) as store:
        doc, facts = _report(21)
        store.add_document(doc, facts)
        cfg = alembic_config()
        with store.engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, "0002")
        with store.engine.connect() as conn:
            tables = set(conn.dialect.get_table_names(conn))
            assert "store_version" not in tables and "facts" in tables
    with Store.open(store_url) as store:  # opening upgrades to head again
        v = _version(store)
        doc, facts = _report(22)
        store.add_document(doc, facts)
        assert _version(store) > v  # the triggers are back
        assert store.count_facts() == 2
        with store.engine.connect() as conn:
            assert compare_metadata(MigrationContext.configure(conn), s.metadata) == []
