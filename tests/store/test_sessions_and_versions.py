"""Sessions and fact versions in the store, on SQLite and PostgreSQL: a session row
is found only by its exact id and ends when revoked; a change based on a stale
version is refused, and concurrent changes of one version let exactly one win."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest

from crisisdesk.model import Category, Document, Fact, Unit
from crisisdesk.store import StaleVersion, Store
from crisisdesk.store.sessions import session_key

TEXT = "Our own line: 12 people were hurt in Sarmin on Monday."


def _fact(store: Store) -> str:
    doc = Document.from_text(TEXT, title="t")
    start = TEXT.index("12")
    fact = Fact(doc=doc.id, quote=TEXT, quote_start=0, span=(start, start + 2), value=12,
                category=Category.INJURED, unit=Unit.PEOPLE, subject="people")  # fmt: skip
    store.add_document(doc, [fact])
    return next(iter(store.iter_facts())).id


def test_sessions_are_found_by_exact_id_and_revoked(store: Store) -> None:
    store.add_user("sana", "analyst", "hash", by="test")
    token = "A" * 43
    made = store.create_session(token, "sana", "csrf", lifetime=timedelta(hours=1), address="::1")
    assert made.key == session_key(token) and made.key != token
    now = datetime.now(UTC)
    assert made.live(now, timedelta(hours=2))
    for other in (token + "=", token.lower(), token[:-1]):
        assert store.find_session(other) is None
    assert store.revoke_session(token) and not store.revoke_session(token)
    found = store.find_session(token)
    assert found is not None and not found.live(now, timedelta(hours=2))
    store.create_session("B" * 43, "sana", "c", lifetime=timedelta(hours=1))
    store.create_session("C" * 43, "sana", "c", lifetime=timedelta(hours=1))
    assert len(store.list_sessions("sana")) == 2
    assert store.set_active("sana", False, by="test").active is False
    assert store.list_sessions("sana") == []


def test_stale_versions_are_refused(store: Store) -> None:
    fid = _fact(store)
    assert store.get_fact(fid).version == 1
    store.update_fact(fid, {"value": 13}, user="a", expected_version=1)
    with pytest.raises(StaleVersion) as stale:
        store.update_fact(fid, {"subject": "civilians"}, user="b", expected_version=1)
    assert stale.value.current.version == 2 and stale.value.current.fact.value == 13
    with pytest.raises(StaleVersion):
        store.set_status(fid, "verified", user="b", expected_version=1)
    assert store.set_status(fid, "verified", user="b", expected_version=2).version == 3


def test_concurrent_changes_of_one_version_one_wins(store: Store) -> None:
    fid = _fact(store)
    outcomes: list[str] = []
    lock = threading.Lock()
    barrier = threading.Barrier(8)

    def change(i: int) -> None:
        barrier.wait()
        try:
            store.update_fact(fid, {"value": 100 + i}, user=f"u{i}", expected_version=1)
            result = "won"
        except StaleVersion:
            result = "stale"
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=change, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["stale"] * 7 + ["won"]
    history = store.audit(fact_id=fid)
    assert len(history) == 1 and history[0].old == {"value": 12}
    assert store.get_fact(fid).fact.value == history[0].new["value"]


def test_sessions_ended_long_ago_are_purged(store: Store) -> None:
    store.add_user("omar", "viewer", "hash", by="test")
    store.create_session("D" * 43, "omar", "c", lifetime=timedelta(days=-40))
    store.create_session("E" * 43, "omar", "c", lifetime=timedelta(hours=1))
    assert store.purge_sessions() == 1
    assert store.find_session("D" * 43) is None and store.find_session("E" * 43) is not None
