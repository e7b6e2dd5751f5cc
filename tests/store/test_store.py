"""The store on SQLite and PostgreSQL: the same tests, parametrised by backend."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, inspect, select

from crisisdesk.errors import ConflictError, NotFoundError, StoreError, ValidationError
from crisisdesk.model import (
    Category,
    Document,
    Fact,
    FactStatus,
    Precision,
    Qualifier,
    ResolvedPlace,
    Unit,
)
from crisisdesk.store import FactQuery, Store, normalise_url, schema

TEXT = (
    "Rescuers said 14 civilians were killed in Kafr Nabl on Monday. "
    "About 2,300 families fled the town the same week."
)


def _facts(doc: Document) -> list[Fact]:
    killed_at = doc.text.index("14")
    fled_at = doc.text.index("2,300")
    return [
        Fact(
            doc=doc.id,
            quote="14 civilians were killed in Kafr Nabl",
            quote_start=killed_at,
            span=(killed_at, killed_at + 2),
            value=14,
            category=Category.KILLED,
            unit=Unit.PEOPLE,
            subject="civilians",
            places=("Kafr Nabl",),
            date_start=date(2020, 1, 13),
            date_end=date(2020, 1, 13),
            resolved=(
                ResolvedPlace(
                    name="Kafr Nabl",
                    place_id="test:kafr-nabl",
                    canonical="Kafr Nabl",
                    country="SY",
                    admin1="Idlib",
                    admin1_code="SY07",
                    admin2="Maarrat an-Numan",
                    admin2_code="SY0703",
                    lat=35.61,
                    lon=36.56,
                    precision=Precision.POINT,
                    score=1.0,
                ),
            ),
        ),
        Fact(
            doc=doc.id,
            quote="About 2,300 families fled the town",
            quote_start=fled_at - 6,
            span=(fled_at, fled_at + 5),
            value=2300,
            qualifier=Qualifier.APPROX,
            category=Category.DISPLACED,
            unit=Unit.FAMILIES,
            subject="families",
            places=("Kafr Nabl",),
            is_total=True,
        ),
    ]


def _doc(text: str = TEXT) -> Document:
    return Document.from_text(
        text, title="Test report", publisher="Us", published=date(2020, 1, 14), url="https://x"
    )


def test_add_and_read_back_keeps_evidence(store: Store) -> None:
    doc = _doc()
    facts = _facts(doc)
    assert store.add_document(doc, facts) is True
    back = {sf.fact.value: sf for sf in store.iter_facts()}
    assert set(back) == {14, 2300}
    killed = back[14].fact
    assert doc.text[killed.span[0] : killed.span[1]] == "14"
    killed.evidence.check(store.get_document(doc.id).text)
    assert killed.resolved[0].admin1_code == "SY07"
    assert killed.resolved[0].precision is Precision.POINT
    assert back[2300].fact.resolved[0].precision is Precision.UNRESOLVED  # kept as written
    assert back[14].document_title == "Test report"
    assert back[14].published == date(2020, 1, 14)
    assert store.get_document(doc.id).text == doc.text


def test_ingest_is_idempotent(store: Store) -> None:
    doc = _doc()
    assert store.add_document(doc, _facts(doc))
    assert store.add_document(doc, _facts(doc)) is False
    assert store.count_documents() == 1
    assert store.count_facts() == 2


def test_failed_write_leaves_nothing(store: Store) -> None:
    doc = _doc()
    bad = _facts(doc)[0].with_(doc="another-document")
    with pytest.raises(ValidationError):
        store.add_document(doc, [bad])
    assert store.count_documents() == 0
    assert store.count_facts() == 0


def test_duplicate_fact_keys_keep_the_first(store: Store) -> None:
    doc = _doc()
    first = _facts(doc)[0]
    assert store.add_document(doc, [first, first.with_(subject="people")])
    [only] = list(store.iter_facts())
    assert only.fact.subject == "civilians"


def test_filters(store: Store) -> None:
    doc = _doc()
    store.add_document(doc, _facts(doc))
    assert store.count_facts(FactQuery(category="killed")) == 1
    assert store.count_facts(FactQuery(unit="families")) == 1
    assert store.count_facts(FactQuery(place="SY07")) == 1  # admin code
    assert store.count_facts(FactQuery(place="kafr nabl")) == 2  # as written, any case
    assert store.count_facts(FactQuery(place="Idlib")) == 1  # admin1 name
    assert store.count_facts(FactQuery(date_from=date(2020, 1, 1), date_to=date(2020, 1, 31))) == 1
    assert store.count_facts(FactQuery(date_from=date(2020, 2, 1))) == 0


def test_review_and_audit(store: Store) -> None:
    doc = _doc()
    store.add_document(doc, _facts(doc))
    killed = next(sf for sf in store.iter_facts() if sf.fact.value == 14)
    corrected = store.update_fact(
        killed.id, {"value": "15", "places": "Kafr Nabl; Idlib"}, user="amal", note="typo"
    )
    assert corrected.fact.value == 15
    assert corrected.fact.places == ("Kafr Nabl", "Idlib")
    assert corrected.status is FactStatus.CORRECTED
    rejected = store.set_status(killed.id, "rejected", user="amal")
    assert rejected.status is FactStatus.REJECTED
    history = store.audit(fact_id=killed.id)
    assert [e.action for e in history] == ["reject", "update"]
    assert history[1].old == {"value": 14, "places": ["Kafr Nabl"]}
    assert history[1].new == {"value": 15, "places": ["Kafr Nabl", "Idlib"]}
    assert history[1].user == "amal" and history[1].note == "typo"
    # nothing is deleted: a rejected fact is still there, and can be left out
    assert store.count_facts() == 2
    assert store.count_facts(FactQuery(include_rejected=False)) == 1
    assert store.count_facts(FactQuery(verified_only=True)) == 0


def test_update_rejects_bad_values(store: Store) -> None:
    doc = _doc()
    store.add_document(doc, _facts(doc))
    fact_id = next(iter(store.iter_facts())).id
    with pytest.raises(ValidationError):
        store.update_fact(fact_id, {"category": "not-a-category"}, user="x")
    with pytest.raises(ValidationError):
        store.update_fact(fact_id, {"span": [0, 1]}, user="x")
    with pytest.raises(ValidationError):
        store.update_fact(fact_id, {"date_start": "2020-02-02", "date_end": "2020-01-01"}, user="x")
    with pytest.raises(NotFoundError):
        store.update_fact("nope", {"value": 1}, user="x")
    assert store.audit() == []


def test_users(store: Store) -> None:
    store.add_user("amal", "analyst", "hash-1")
    with pytest.raises(ConflictError):
        store.add_user("amal", "admin", "hash-2")
    with pytest.raises(ValidationError):
        store.add_user("bob", "superuser", "hash")
    assert store.get_user("amal").role == "analyst"
    store.set_password("amal", "hash-3")
    assert store.get_user("amal").password_hash == "hash-3"
    assert [u.name for u in store.list_users()] == ["amal"]
    with pytest.raises(NotFoundError):
        store.get_user("nobody")


def test_schema_matches_the_models(store: Store) -> None:
    """`alembic upgrade head` builds exactly the tables and columns schema.py declares."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    with store.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), schema.metadata)
    assert diff == []
    names = set(inspect(store.engine).get_table_names())
    assert {"documents", "facts", "fact_places", "users", "audit_log", "figures"} <= names


def test_reopen_does_not_migrate_twice(store_url: str) -> None:
    Store.open(store_url).close()
    with Store.open(store_url) as again, again.engine.connect() as conn:
        version = conn.exec_driver_sql("SELECT version_num FROM alembic_version").all()
    assert len(version) == 1


def test_unreachable_store_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError) as err:
        Store.open(f"sqlite:///{tmp_path / 'missing-dir' / 'x.sqlite'}")
    assert "cannot open the store" in str(err.value)
    with pytest.raises(StoreError) as err:
        Store.open("postgresql://someone:secret@127.0.0.1:1/nothing")
    assert "secret" not in str(err.value)


def test_url_forms() -> None:
    assert normalise_url(None).startswith("sqlite:///")
    assert normalise_url("data/x.sqlite") == "sqlite:///data/x.sqlite"
    assert normalise_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"


def test_killed_writer_leaves_store_consistent(store_url: str) -> None:
    """A process killed in the middle of writing a document's facts leaves nothing of it."""
    Store.open(store_url).close()
    script = textwrap.dedent(
        f"""
        import os, signal
        from crisisdesk.model import Category, Document, Fact, Unit
        from crisisdesk.store import Store, schema
        from sqlalchemy import event

        store = Store.open({store_url!r})
        doc = Document.from_text("Shelling hit 3 schools and 2 clinics in the town.")
        facts = [Fact(doc=doc.id, quote="3 schools", span=(13, 14), value=3,
                      category=Category.FACILITIES_DAMAGED, unit=Unit.FACILITIES)]

        @event.listens_for(store.engine, "after_cursor_execute")
        def die(conn, cursor, statement, *args):
            if statement.lstrip().upper().startswith("INSERT INTO FACTS"):
                os.kill(os.getpid(), signal.SIGKILL)  # no cleanup, no rollback by us

        store.add_document(doc, facts)
        """
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, timeout=120)
    assert done.returncode == -9, done.stderr.decode()
    with Store.open(store_url) as store:
        assert store.count_documents() == 0
        with store.engine.connect() as conn:
            assert conn.execute(select(func.count()).select_from(schema.facts)).scalar() == 0
        # and the same document goes in cleanly on the re-run
        doc = Document.from_text("Shelling hit 3 schools and 2 clinics in the town.")
        assert store.add_document(doc, []) is True


def test_area_codes_follow_the_finest_resolved_place(store: Store) -> None:
    doc = _doc()
    store.add_document(doc, _facts(doc))
    f = schema.facts
    with store.engine.connect() as conn:
        rows = dict(conn.execute(select(f.c.value, f.c.admin2_code)).all())
    assert rows == {14: "SY0703", 2300: None}
    fact_id = next(sf.id for sf in store.iter_facts() if sf.fact.value == 2300)
    store.set_resolved_places(
        fact_id,
        [
            ResolvedPlace(name="Idlib", admin1_code="SY07", precision=Precision.GOVERNORATE),
            ResolvedPlace(
                name="Kafr Nabl",
                admin1_code="SY07",
                admin2_code="SY0703",
                precision=Precision.POINT,
            ),
        ],
    )
    with store.engine.connect() as conn:
        assert conn.execute(select(f.c.admin2_code).where(f.c.id == fact_id)).scalar() == "SY0703"
    store.update_fact(fact_id, {"places": "Somewhere else"}, user="x")
    with store.engine.connect() as conn:
        assert conn.execute(select(f.c.admin1_code).where(f.c.id == fact_id)).scalar() is None


def test_upgrade_from_the_first_schema_backfills_area_codes(store_url: str) -> None:
    """A store made by revision 0001 (before facts had admin codes) upgrades in place."""
    from sqlalchemy import create_engine, text

    from crisisdesk.store.migrate import upgrade

    engine = create_engine(normalise_url(store_url))
    upgrade(engine, "0001")
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO documents (id, fmt, text, locations, ingested_at) "
                "VALUES ('d1', 'text', '5 killed', '[]', CURRENT_TIMESTAMP)"
            )
        )
        conn.execute(
            text(
                "INSERT INTO facts (id, doc_id, quote, span_start, span_end, value, qualifier,"
                " unit, category, subject, places, is_total, confidence, extra, status,"
                " created_at, updated_at) VALUES ('f1', 'd1', '5 killed', 0, 1, 5, 'exact',"
                " 'people', 'killed', '', '[\"Binnish\"]', false, 1.0, '{}', 'unreviewed',"
                " CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
            )
        )
        conn.execute(
            text(
                "INSERT INTO fact_places (fact_id, position, name, admin1_code, admin2_code,"
                " precision, score, candidates) VALUES ('f1', 0, 'Binnish', 'SY07', 'SY0700',"
                " 'point', 1.0, '[]')"
            )
        )
    engine.dispose()
    with Store.open(store_url) as store:
        [stored] = list(store.iter_facts())
        assert stored.fact.value == 5 and stored.fact.places == ("Binnish",)
        with store.engine.connect() as conn:
            codes = conn.execute(select(schema.facts.c.admin1_code, schema.facts.c.admin2_code))
            assert codes.one() == ("SY07", "SY0700")


def _town(name: str, admin1: str, admin2: str) -> ResolvedPlace:
    return ResolvedPlace(
        name=name, place_id=f"test:{name}", admin1_code=admin1, admin2_code=admin2,
        precision=Precision.POINT,
    )  # fmt: skip


def test_places_side_by_side_are_at_the_area_they_share(store: Store) -> None:
    """A count for three towns cannot be split: it is at their district or governorate,
    and a count naming two governorates is at neither (found by name instead)."""
    doc = _doc()
    store.add_document(doc, _facts(doc))
    by_value = {sf.fact.value: sf.id for sf in store.iter_facts()}
    f = schema.facts

    def codes(fact_id: str) -> tuple[str | None, str | None]:
        with store.engine.connect() as conn:
            stmt = select(f.c.admin1_code, f.c.admin2_code).where(f.c.id == fact_id)
            return tuple(conn.execute(stmt).one())

    cases = [
        ([_town("Saraqib", "SY07", "SY0700"), _town("Binnish", "SY07", "SY0700")],
         ("SY07", "SY0700")),
        ([_town("Saraqib", "SY07", "SY0700"), _town("Ariha", "SY07", "SY0702")], ("SY07", None)),
        ([_town("Saraqib", "SY07", "SY0700"), _town("Atarib", "SY02", "SY0201")], (None, None)),
        ([_town("Saraqib", "SY07", "SY0700"),
          ResolvedPlace(name="Idlib", admin1_code="SY07", precision=Precision.GOVERNORATE)],
         ("SY07", "SY0700")),
    ]  # fmt: skip
    for places, want in cases:
        store.set_resolved_places(by_value[14], places)
        assert codes(by_value[14]) == want, [p.name for p in places]


def test_upgrade_moves_side_by_side_places_to_their_shared_area(store_url: str) -> None:
    """A store made before revision 0004 indexed a two-town count as its first town's."""
    from alembic import command

    from crisisdesk.store.migrate import alembic_config

    with Store.open(store_url) as store:
        doc = _doc()
        store.add_document(doc, _facts(doc))
        fact_id = next(sf.id for sf in store.iter_facts() if sf.fact.value == 14)
        cfg = alembic_config()
        with store.engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, "0003")
        fp, f = schema.fact_places, schema.facts
        with store.engine.begin() as conn:
            conn.execute(
                fp.insert().values(fact_id=fact_id, position=1, name="Ariha", admin1_code="SY07",
                                   admin2_code="SY0702", precision="point", score=1.0,
                                   candidates=[])
            )  # fmt: skip
            conn.execute(f.update().where(f.c.id == fact_id).values(admin2_code="SY0703"))
    with Store.open(store_url) as store, store.engine.connect() as conn:
        stmt = select(f.c.value, f.c.admin1_code, f.c.admin2_code).order_by(f.c.value)
        assert [tuple(r) for r in conn.execute(stmt)] == [(14, "SY07", None), (2300, None, None)]


def test_where_a_fact_was_read_comes_back_on_every_read_path(store: Store) -> None:
    """``Fact.field_spans`` (JSON "evidence") is written with the fact and read back by
    the review desk's reads, by the facts of a question and with stored figures."""
    from crisisdesk.model import FieldSpans
    from crisisdesk.reconcile import load_figures, reconcile_store, total
    from crisisdesk.store import Question

    doc = _doc()
    spans = FieldSpans(period=(55, 61), source=(0, 8), places=((42, 51),))
    killed, fled = _facts(doc)
    assert store.add_document(doc, [killed.with_(field_spans=spans), fled])
    by_value = {sf.fact.value: sf for sf in store.iter_facts()}
    assert by_value[14].fact.field_spans == spans
    assert not by_value[2300].fact.field_spans  # none read: NULL, read back empty
    assert store.get_fact(by_value[14].id).fact.field_spans == spans
    assert by_value[14].fact.to_json()["evidence"] == {
        "period": [55, 61], "source": [0, 8], "places": [[42, 51]],
    }  # fmt: skip
    [row] = store.facts_for(Question("killed"))
    assert row.fact().field_spans == spans and row.stored().fact.field_spans == spans
    assert total(store, category="killed").figures[0].facts[0].field_spans == spans
    reconcile_store(store)
    [figure] = load_figures(store, category="killed")
    assert figure.facts[0].field_spans == spans
    assert total(store, category="killed", place="SY07").figures[0].facts[0].field_spans == spans
    changed = store.update_fact(by_value[14].id, {"value": 15}, user="tester")
    assert changed.fact.field_spans == spans  # a correction keeps where it was read
