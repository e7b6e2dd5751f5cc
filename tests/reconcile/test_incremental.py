"""Incremental reconcile: a store built in batches, reconciled after each, holds the
figures a store built at once and reconciled in full holds (SQLite and PostgreSQL)."""

from __future__ import annotations

import importlib.resources
import json
from pathlib import Path

from crisisdesk.ingest import read_paths
from crisisdesk.ingest.common import make_document
from crisisdesk.model import Ingested
from crisisdesk.pipeline import Pipeline
from crisisdesk.reconcile import reconcile_store
from crisisdesk.reconcile.figures import figure_json
from crisisdesk.reconcile.incremental import reconcile_changed
from crisisdesk.reconcile.run import load_figures
from crisisdesk.store import Store

EXAMPLES = Path(str(importlib.resources.files("crisisdesk") / "examples"))


def _batches() -> list[list[Path]]:
    files = sorted(EXAMPLES.glob("*.txt"))
    return [files[:4], files[4:7], files[7:]]


def _injured(i: int) -> Ingested:
    text = f"Shelling injured {i + 3} civilians in Sarmin on {i + 2} March 2020, medics said."
    return Ingested(make_document(text, origin=f"inj{i}", fmt="text", id=f"inj{i}"))


def _figures(store: Store) -> list[str]:
    return sorted(json.dumps(figure_json(f), sort_keys=True) for f in load_figures(store))


def _ingest(store: Store, pipeline: Pipeline, paths: list[Path]) -> None:
    report = pipeline.ingest(store, read_paths(paths))
    assert report.ok and report.added


def test_batches_reconciled_incrementally_equal_one_full_reconcile(
    store_url: str, tmp_path: Path
) -> None:
    pipeline = Pipeline.build()
    whole_url = f"sqlite:///{tmp_path / 'whole.sqlite'}"
    with Store.open(whole_url) as whole:
        for batch in _batches():
            _ingest(whole, pipeline, batch)
        reconcile_store(whole)
        expected = _figures(whole)
    modes = []
    with Store.open(store_url) as store:
        for batch in _batches():
            _ingest(store, pipeline, batch)
            modes.append(reconcile_changed(store))
        batched = _figures(store)
        assert modes[0].mode == "full"
        assert {m.mode for m in modes[1:]} <= {"reach", "directed", "incremental"}
        assert reconcile_changed(store).mode == "fresh"
        reconcile_store(store)  # the same facts reconciled in full, on the same backend
        assert batched == _figures(store)
    if store_url.startswith("sqlite"):  # and a store built at once on that backend
        assert batched == expected
    assert len(expected) > 20


def test_only_the_categories_new_facts_touch_are_recomputed(sqlite_store: Store) -> None:
    pipeline = Pipeline.build()
    for batch in _batches():
        _ingest(sqlite_store, pipeline, batch)
    reconcile_store(sqlite_store)
    before = _figures(sqlite_store)
    for i in range(3):
        work = pipeline.process(_injured(i))
        assert sqlite_store.add_document(work.document, work.facts or ())
    done = reconcile_changed(sqlite_store)
    assert done.mode in ("reach", "directed") and done.categories == ["injured"]
    assert done.recomputed_facts < done.facts
    after = _figures(sqlite_store)
    untouched = [f for f in before if json.loads(f)["category"] != "injured"]
    assert [f for f in after if json.loads(f)["category"] != "injured"] == untouched
    reconcile_store(sqlite_store)  # and a full pass agrees
    assert _figures(sqlite_store) == after
