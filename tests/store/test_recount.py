"""A near-duplicate counted after all, and a counted report marked a duplicate: the
figures, the totals and the audit log follow (SQLite and PostgreSQL, real pipeline,
through the store, the CLI and the API)."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from crisisdesk.accounts import hash_password
from crisisdesk.cli import build_app
from crisisdesk.errors import ConflictError, ValidationError
from crisisdesk.model import Ingested
from crisisdesk.pipeline import Pipeline, ingest_bytes
from crisisdesk.reconcile import reconcile_store, total
from crisisdesk.store import FactQuery, Store
from crisisdesk.web import create_app

# written for this test; the figures are invented
TEXT = (
    "Displacement update for the western camps. The camp committee in Atmeh said on "
    "9 February that 1,340 families had arrived during the past week. Volunteers said "
    "4 people were killed on the road when a bus was shelled near Sarmada."
)
REWRAPPED = TEXT.replace(". ", ".\n").replace(" the ", "\nthe ").encode()
KEY = "a-test-key-of-forty-bytes-0123456789abcd"


def _killed(store: Store) -> int | None:
    reconcile_store(store)
    return total(store, category="killed").best


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return Pipeline.build()


def _two(store: Store, pipeline: Pipeline) -> tuple[str, str]:
    first = ingest_bytes(store, TEXT.encode(), "update.txt", pipeline=pipeline)
    again = ingest_bytes(store, REWRAPPED, "again.txt", pipeline=pipeline)
    assert first.added and again.duplicates and not again.added
    return first.added[0], again.duplicates[0][0]


def test_count_after_all_and_mark_again(store: Store, pipeline: Pipeline) -> None:
    original, repeat = _two(store, pipeline)
    killed = _killed(store)
    assert killed == 4
    assert not store.counting(repeat).counted and store.counting(repeat).facts == 0
    # counted after all: extracted now, counted twice (the analyst said so)
    changed = pipeline.count_repeat(store, repeat, user="ana", note="a separate incident")
    assert changed and store.counting(repeat).counted
    assert store.count_facts(FactQuery(doc_id=repeat)) == len(changed)
    # reconcile sees the same 4 twice, from one source on one day: one figure, held
    # by both documents' facts (the marked test below shows a total moving)
    assert _killed(store) == 4
    assert store.count_facts(FactQuery(category="killed")) == 2
    entries = [e for e in store.audit(limit=50) if e.action == "count_duplicate"]
    assert entries and entries[0].user == "ana" and entries[0].note == "a separate incident"
    # a review of one of its figures is kept through marking and counting again
    one = changed[0]
    store.set_status(one, "verified", user="ada")
    taken = store.mark_duplicate(repeat, original, user="ada")
    assert set(taken) == set(changed) and not store.counting(repeat).counted
    assert all(store.get_fact(f).status == "rejected" for f in changed)
    assert _killed(store) == 4
    back = pipeline.count_repeat(store, repeat, user="ana")  # nothing extracted again
    assert set(back) == set(changed) and store.count_facts(FactQuery(doc_id=repeat)) == len(back)
    assert store.get_fact(one).status == "verified"  # its status before the marking
    actions = [e.action for e in store.audit(fact_id=one)]
    assert actions[:3] == ["counted", "not_counted", "verify"]


def test_mark_a_counted_report_a_duplicate(store: Store, pipeline: Pipeline) -> None:
    original, _ = _two(store, pipeline)
    other = ingest_bytes(store, TEXT.replace("4 people", "9 people").encode() + b"\n\nAnnex.",
                         "separate.txt", pipeline=pipeline, allow_duplicate=True)  # fmt: skip
    doc = (other.added or [d for d, _ in other.duplicates])[0]
    before = _killed(store)
    assert before is not None and before >= 9
    with pytest.raises(ValidationError):
        store.mark_duplicate(original, original, user="ana")
    taken = store.mark_duplicate(doc, original, user="ana", note="same update, typo")
    assert taken and _killed(store) == 4
    with pytest.raises(ConflictError):  # the original cannot then repeat its repeat
        store.mark_duplicate(original, doc, user="ana")
    mark = next(e for e in store.audit(limit=50) if e.action == "mark_duplicate")
    assert mark.user == "ana" and mark.new["duplicate_of"] == original
    assert mark.new["figures"] == len(taken)
    # a figure reviewed after the marking keeps that review when counted again
    store.set_status(taken[0], "unreviewed", user="ada")
    back = store.count_document(doc, user="ada")
    assert taken[0] not in back and set(back) == set(taken[1:])


def test_cli_and_api(store_url: str, pipeline: Pipeline) -> None:
    with Store.open(store_url) as store:
        original, repeat = _two(store, pipeline)
        store.add_user("ana", "analyst", hash_password("correct horse battery"), by="test")
    runner = CliRunner()
    out = runner.invoke(build_app("duplicate"), ["duplicate", repeat, "--count", "--user",
                                                 "ana", "--db", store_url, "--json"])  # fmt: skip
    assert out.exit_code == 0, out.output
    answer = json.loads(out.output)
    assert answer["counted"] is True and answer["changed"]
    refused = runner.invoke(build_app("duplicate"), ["duplicate", repeat, "--db", store_url])
    assert refused.exit_code != 0
    app = create_app(store_url, secret_key=KEY, pipeline=pipeline)
    with TestClient(app) as client:
        csrf = client.post(
            "/api/session", json={"name": "ana", "password": "correct horse battery"}
        ).json()["csrf_token"]
        resp = client.post(f"/api/documents/{repeat}/duplicate", json={"of": original},
                           headers={"X-CSRF-Token": csrf})  # fmt: skip
        assert resp.status_code == 200, resp.text
        assert resp.json()["counted"] is False and resp.json()["changed"] == answer["changed"]
        assert client.post(f"/api/documents/{repeat}/duplicate", json={"of": original}
                           ).status_code == 403  # no CSRF header  # fmt: skip
        resp = client.post(f"/api/documents/{repeat}/count", headers={"X-CSRF-Token": csrf})
        assert resp.json()["counted"] is True
        # without "of": the document ingest found it repeats
        resp = client.post(f"/api/documents/{repeat}/duplicate", json={},
                           headers={"X-CSRF-Token": csrf})  # fmt: skip
        assert resp.json()["counted"] is False and resp.json()["duplicate_of"] == original
        resp = client.post(f"/api/documents/{original}/duplicate", json={},
                           headers={"X-CSRF-Token": csrf})  # fmt: skip
        assert resp.status_code == 422 and resp.json()["errors"][0]["field"] == "of"
        missing = client.post("/api/documents/nope/count", headers={"X-CSRF-Token": csrf})
        assert missing.status_code == 404


def test_counting_and_marking_are_undone_in_turn(store: Store, pipeline: Pipeline) -> None:
    """A repeat counted after all, then a counted report marked a duplicate, each an
    undoable step: undo takes the counted figures out again (as a duplicate's, so a
    later count puts them back), and puts a marked report's figures and its
    ``duplicate_of`` back as they were; a figure reviewed since is left alone."""
    original, repeat = _two(store, pipeline)
    facts = pipeline.process(Ingested(store.get_document(repeat))).facts
    counted = store.count_step(repeat, user="ana", facts=facts)
    assert counted and store.counting(repeat).counted
    step = store.undo_steps("ana")[0]
    assert step.label.startswith("counted “again.txt”") and step.label.endswith(
        f"after all ({len(counted)} figures)"
    )
    _, result = store.undo_last("ana")
    assert sorted(result.done) == sorted(counted) and not store.counting(repeat).counted
    assert {store.get_fact(f).status for f in counted} == {"rejected"}
    assert store.counting(repeat).duplicate_of == original
    # counted again later: the same figures come back (none extracted twice)
    again = store.count_document(repeat, user="ana")
    assert sorted(again) == sorted(counted)
    assert {store.get_fact(f).status for f in counted} == {"unreviewed"}

    # the original, counted, marked a duplicate of the repeat... (first: the repeat is
    # no longer marked, else the marking is refused) -- a third, separate report instead
    other = ingest_bytes(store, TEXT.replace("4 people", "9 people").encode() + b"\n\nAnnex.",
                         "separate.txt", pipeline=pipeline, allow_duplicate=True)  # fmt: skip
    doc = (other.added or [d for d, _ in other.duplicates])[0]
    of_before = store.counting(doc).duplicate_of
    ids = [sf.id for sf in store.iter_facts(FactQuery(doc_id=doc))]
    store.set_status(ids[0], "verified", user="ada")
    taken = store.duplicate_step(doc, original, user="ana")
    assert set(taken) == set(ids) and not store.counting(doc).counted
    reviewed = ids[1]
    store.set_status(reviewed, "verified", user="ada")  # reviewed since the marking
    _, result = store.undo_last("ana")
    assert reviewed not in result.done and set(result.done) == set(ids) - {reviewed}
    assert "changed by ada" in dict(result.skipped)[reviewed]
    assert store.counting(doc).duplicate_of == of_before and store.counting(doc).counted
    assert store.get_fact(ids[0]).status == "verified"  # its status before the marking
    assert store.get_fact(reviewed).status == "verified"
    assert [e.action for e in store.audit(limit=5)][:1] == ["undone"]
    assert store.undo_steps("ana") == []  # the history holds both, undone
