"""A full reconcile a category at a time (facts streamed, figure rows spooled to disk)
leaves what one pass over every fact leaves: the same figure rows, in the order
they are written, and the same summary (SQLite and PostgreSQL)."""

from __future__ import annotations

import importlib.resources
from pathlib import Path

from crisisdesk.ingest import read_paths
from crisisdesk.pipeline import Pipeline
from crisisdesk.reconcile import reconcile_store
from crisisdesk.reconcile.estimate import default_reliability
from crisisdesk.reconcile.run import figure_rows, reconcile_rows
from crisisdesk.store import Store
from crisisdesk.store.figures import area_order

EXAMPLES = Path(str(importlib.resources.files("crisisdesk") / "examples"))


def test_a_category_at_a_time_gives_the_figures_of_one_pass(store: Store) -> None:
    report = Pipeline.build().ingest(store, read_paths(sorted(EXAMPLES.glob("*.txt"))))
    assert report.ok and report.added
    whole = reconcile_rows(store.live_facts, default_reliability())
    expected = figure_rows(whole.drafts, whole.names)
    assert len({f.category for f in expected}) > 3  # several blocks

    summary = reconcile_store(store)
    by_category = _tables(store)
    store.replace_figures(expected)  # one pass's rows, written from a list
    assert by_category == _tables(store)
    assert summary.figures == len(expected) and summary.facts == whole.facts
    assert summary.flagged_figures == whole.flagged() != ()
    assert summary.totals == sum(1 for d in whole.drafts if d.parts) > 0
    assert summary.not_placed == whole.not_placed()
    # the spool gives rows back in the order of a sort of all of them
    with store.figure_spool() as spool:
        for category in sorted({f.category for f in expected}):
            spool.add([f for f in expected if f.category == category])
        assert list(spool.in_area_order()) == sorted(expected, key=area_order)
        by_id = sorted(expected, key=lambda f: f.id)
        assert list(spool.in_id_order()) == [(f.id, f.facts, f.parts) for f in by_id]


def _tables(store: Store) -> list[list[tuple[object, ...]]]:
    """The figure tables' rows, in the order they were written on SQLite."""
    out = []
    with store.engine.connect() as conn:
        for table in ("figures", "figure_facts", "figure_links"):
            rows = [tuple(r) for r in conn.exec_driver_sql(f"SELECT * FROM {table}")]
            out.append(rows if store.engine.dialect.name == "sqlite" else sorted(rows, key=repr))
    return out


def test_streamed_rows_are_the_rows_read_at_once(store: Store) -> None:
    report = Pipeline.build().ingest(store, read_paths(sorted(EXAMPLES.glob("*.txt"))[:5]))
    assert report.ok and report.added
    every = store.live_facts()
    for category in store.live_categories():
        streamed = list(store.stream_live_facts(category))
        assert streamed == [r for r in every if r.category == category]
    assert sorted(store.live_categories()) == sorted({r.category for r in every})
