"""What every request reads first, and the pool it reads through: the session and
the store's version in one statement (``Store.session_and_version``, ``Auth``),
single reads outside a transaction (``Store.reader``), and no connection the
server ended handed to a request (``store._ping_when_needed``). On SQLite and
PostgreSQL."""

from __future__ import annotations

import io
import threading
import time
from datetime import date, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text

from crisisdesk.errors import ConfigError
from crisisdesk.model import Document
from crisisdesk.pipeline import Pipeline
from crisisdesk.report.exporters import RowMemo, export, export_bytes
from crisisdesk.store import FactQuery, Store, normalise_url
from crisisdesk.web import create_app
from crisisdesk.web.auth import hash_password

from .conftest import PASSWORD, REPORT, TEST_KEY, _login, report_facts

TOKEN = "t" * 43  # the shape of secrets.token_urlsafe(32)


def _seed(store: Store) -> dict[int, str]:
    doc = Document.from_text(REPORT, title="Market shelling", published=date(2020, 2, 4))
    store.add_document(doc, report_facts(doc.id))
    for name, role in (("ana", "analyst"), ("vic", "viewer")):
        store.add_user(name, role, hash_password(PASSWORD), by="test")
    return {sf.fact.value: sf.id for sf in store.iter_facts()}  # type: ignore[misc]


def test_the_session_and_the_version_come_in_one_read(store_url: str) -> None:
    with Store.open(store_url) as store:
        ids = _seed(store)
        store.create_session(TOKEN, "ana", "csrf", lifetime=timedelta(hours=1))
        record, version = store.session_and_version(TOKEN)
        assert record is not None and record.user.name == "ana" and record.csrf == "csrf"
        assert version == store.version()
        assert store.session_and_version("u" * 43) == (None, None)
        store.correct_step(ids[14], {"subject": "rescuers"}, user="ana", expected_version=1)
        moved = store.session_and_version(TOKEN)[1]
        assert moved is not None and moved != version and moved == store.version()


def test_a_request_sees_a_change_made_elsewhere_and_a_stale_edit_is_refused(
    store_url: str,
) -> None:
    """The version read with the session keys the kept answers: a change committed by
    another process is in the next request's answer, never an older one."""
    with Store.open(store_url) as store:
        ids = _seed(store)
    app = create_app(store_url, secret_key=TEST_KEY, pipeline=Pipeline([]))
    queue = "/api/facts?oldest_first=true&limit=50"
    with TestClient(app) as client, Store.open(store_url) as elsewhere:
        client.headers["X-CSRF-Token"] = _login(client, "ana")
        subjects = lambda: {f["id"]: f["subject"] for f in client.get(queue).json()["items"]}  # noqa: E731
        assert subjects()[ids[14]] == "civilians" == subjects()[ids[14]]  # the second kept
        exported = client.get("/api/exports/csv").text
        assert "rescuers" not in exported
        elsewhere.correct_step(ids[14], {"subject": "rescuers"}, user="ana", expected_version=1)
        assert subjects()[ids[14]] == "rescuers"
        assert "rescuers" in client.get("/api/exports/csv").text
        old = {"If-Match": '"1"'}
        stale = client.patch(f"/api/facts/{ids[14]}", json={"subject": "x"}, headers=old)
        assert stale.status_code == 409 and stale.json()["current"]["subject"] == "rescuers"
        elsewhere.end_sessions("ana", by="test")  # another process logs ana out
        assert client.get(queue).status_code == 401


def _end_other_connections(url: str) -> int:
    engine = create_engine(normalise_url(url))
    with engine.begin() as conn:
        ended = conn.execute(
            text(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        ).scalar_one()
    others = (
        "SELECT count(*) FROM pg_stat_activity "
        "WHERE datname = current_database() AND pid <> pg_backend_pid()"
    )
    for _ in range(100):  # ended is asked, not done: wait until they have gone
        with engine.connect() as conn:
            if conn.execute(text(others)).scalar_one() == 0:
                break
        time.sleep(0.05)
    engine.dispose()
    return int(ended)


def test_connections_the_server_ended_are_never_handed_out(store_url: str) -> None:
    """Without a round trip per checkout: the server's goodbye waits on the socket."""
    if not store_url.startswith("postgres"):
        pytest.skip("only a database server ends connections")
    with Store.open(store_url) as store:
        ids = _seed(store)
        store.create_session(TOKEN, "ana", "csrf", lifetime=timedelta(hours=1))
        # several connections at rest in the pool
        barrier = threading.Barrier(4)
        held: list[Any] = []

        def hold() -> None:
            with store.reader.connect() as conn:
                conn.execute(text("SELECT 1"))
                held.append(conn)
                barrier.wait(timeout=10)

        threads = [threading.Thread(target=hold) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert _end_other_connections(store_url) >= 4
        for _ in range(6):  # every pooled connection is dead now: each one replaced
            assert store.session_and_version(TOKEN)[0] is not None
            assert store.get_fact(ids[14]).fact.value == 14
            assert store.count_facts(FactQuery()) == 4
            assert len(list(store.iter_facts(limit=2))) == 2
            assert len(list(store.iter_facts())) == 4  # streamed, inside a transaction


def test_kept_export_rows_give_the_same_file(store_url: str, tmp_path: Any) -> None:
    """An export made with a server's row memo is the file made without one, before
    and after a change (the changed fact's row is made afresh, the others kept)."""

    def made(store: Store, fmt: str, memo: RowMemo | None) -> str:
        out = io.StringIO()
        export(store, fmt, out, memo=memo)
        return out.getvalue()

    memo = RowMemo()
    with Store.open(store_url) as store:
        ids = _seed(store)
        for fmt in ("csv", "hxl"):
            plain = made(store, fmt, None)
            assert made(store, fmt, memo) == plain == made(store, fmt, memo)
        assert memo.hits >= 8  # the second of each: every row kept
        store.correct_step(ids[14], {"subject": "=rescuers"}, user="ana", expected_version=1)
        hits = memo.hits
        for fmt in ("csv", "hxl"):
            plain = made(store, fmt, None)
            assert "'=rescuers" in plain and made(store, fmt, memo) == plain
        assert memo.hits == hits + 6  # CSV and HXL each keep the 3 unchanged lines
        small = RowMemo(size=2)  # full: starts over, the file stays the same
        assert made(store, "csv", small) == made(store, "csv", None) == made(store, "csv", small)
        for fmt in ("csv", "hxl"):  # in memory, as a server sends it: the file's bytes
            path = tmp_path / f"export.{fmt}"
            rows = export(store, fmt, path)
            assert export_bytes(store, fmt, memo=memo) == (rows, path.read_bytes())
            assert export_bytes(store, fmt) == (rows, path.read_bytes())
        with pytest.raises(ConfigError):
            export_bytes(store, "geojson")


def test_made_facts_are_the_facts_read_and_made_again_only_when_changed(store_url: str) -> None:
    """``Store.made_facts`` gives what ``iter_facts`` gives (a page, one document's
    facts, every fact streamed), decoded from the raw rows; with its memo, a fact is
    made again only when its rows changed: an edit, its places, its status."""
    from crisisdesk.model import ResolvedPlace
    from crisisdesk.store import MadeMemo

    made: list[str] = []

    def make(sf: Any) -> Any:
        made.append(sf.id)
        return sf

    with Store.open(store_url) as store:
        ids = _seed(store)
        doc = store.get_fact(ids[14]).fact.doc
        queries: list[tuple[FactQuery, dict[str, Any]]] = [
            (FactQuery(), {}),
            (FactQuery(include_rejected=False), {}),
            (FactQuery(status="unreviewed"), {"limit": 2, "offset": 1, "oldest_first": True}),
            (FactQuery(doc_id=doc), {}),
            (FactQuery(), {"limit": 3, "sort": "value"}),
        ]
        memo = MadeMemo()

        def same() -> None:
            for query, kw in queries:
                want = list(store.iter_facts(query, **kw))
                assert list(store.made_facts(make, memo, query, **kw)) == want

        same()
        assert len(set(made)) == 4 and len(made) == 4  # each fact made once, then kept
        made.clear()
        same()
        assert made == []
        store.correct_step(ids[14], {"subject": "rescuers"}, user="ana", expected_version=1)
        same()
        assert made == [ids[14]]
        made.clear()
        store.set_resolved_places(ids[38], [ResolvedPlace(name="Maarat al-Numan")])
        store.review_step(ids[2150], "rejected", user="ana", expected_version=1)
        same()
        assert sorted(made) == sorted([ids[38], ids[2150]])
        assert memo.hits > 0 and len(memo) == 4


def test_the_queue_filters_are_read_on_the_event_loop(tmp_path: Any) -> None:
    """The filters of ``/api/facts`` and ``/api/facts/ids`` are parsed by an async
    dependency (no hop to a worker thread for pure work), with the same parameters,
    documentation and errors as ``fact_query`` itself."""
    import inspect

    from crisisdesk.web.api_facts import fact_query, query_string

    assert inspect.iscoroutinefunction(query_string)
    url = f"sqlite:///{tmp_path / 'store.sqlite'}"
    with Store.open(url) as store:
        ids = _seed(store)
    app = create_app(url, secret_key=TEST_KEY, pipeline=Pipeline([]))
    params = set(inspect.signature(fact_query).parameters)
    for path in ("/api/facts", "/api/facts/ids"):
        listed = {p["name"] for p in app.openapi()["paths"][path]["get"]["parameters"]}
        assert params <= listed
    with TestClient(app) as client:
        _login(client, "ana")
        resp = client.get("/api/facts", params={"status": "unreviewed", "category": "killed"})
        assert resp.status_code == 200
        assert {item["id"] for item in resp.json()["items"]} == {ids[14]}
        bad = client.get("/api/facts", params={"status": "someday"})
        assert bad.status_code == 422 and "status" in bad.text
        assert client.get("/api/facts/ids", params={"category": "killed"}).json()["items"]
