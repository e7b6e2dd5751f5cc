"""Incremental reconcile narrowed by period and place: after every batch (new
documents, corrections, rejections) the figures equal those of a full reconcile of
the same facts, and only the facts the changes can reach are read again."""

from __future__ import annotations

import json
import random
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest
from places import governorate, town

from crisisdesk.model import Category, Document, Fact, ResolvedPlace, Unit
from crisisdesk.reconcile import incremental, reconcile_store
from crisisdesk.reconcile.figures import figure_json
from crisisdesk.reconcile.incremental import IncrementalSummary, reconcile_changed
from crisisdesk.reconcile.run import load_figures
from crisisdesk.store import Store

PLACES: list[ResolvedPlace | None] = [
    town("Saraqib", "SY07", "SY0703"),
    town("Ariha", "SY07", "SY0704"),
    town("Atarib", "SY02", "SY0201"),
    town("Mocha", "YE25", "YE2501", country="YE"),
    governorate("Idlib", "SY07"),
    governorate("Aleppo", "SY02"),
    None,  # an organisation's own count, no place
]
SOURCES = ["OCHA", "SARC", "Syria Civil Defence", None]


def _period(rng: random.Random, month: int) -> tuple[date | None, date | None]:
    """A day, a week, a month, a running count from a first day, one "to date", or
    (rarely) nothing at all, in ``month`` of 2020."""
    first = date(2020, month, 1) + timedelta(days=rng.randint(0, 27))
    kind = rng.choice(["day", "day", "day", "week", "month", "since", "to date", "none"])
    if kind == "day":
        return first, first
    if kind == "week":
        return first, first + timedelta(days=6)
    if kind == "month":
        return date(2020, month, 1), date(2020, month, 28)
    if kind == "since":
        return date(2020, month, 1), first
    if kind == "to date":
        return None, first
    return None, None


def _document(
    rng: random.Random, n: int, month: int, places: list[ResolvedPlace | None]
) -> tuple[Document, list[Fact]]:
    """A report of a few counts, each in a sentence of its own that the fact quotes."""
    sentences, facts = [], []
    doc_id = f"d{n:04d}"
    undated_doc = rng.random() < 0.05
    text = ""
    for k in range(rng.randint(1, 4)):
        value = rng.choice([3, 4, 5, 10, 11, 12, 30, 40, 120])
        unit = Unit.FAMILIES if rng.random() < 0.1 else Unit.PEOPLE
        place = rng.choice(places)
        where = f" in {place.name}" if place else ""
        sentence = f"Count {k} says {value} {unit}{where}. "
        start = len(text) + len(f"Count {k} says ")
        period = _period(rng, month)
        if undated_doc:
            period = (None, None)
        facts.append(
            Fact(
                doc=doc_id,
                quote=sentence.strip(),
                span=(start, start + len(str(value))),
                value=value,
                category=rng.choice([Category.KILLED, Category.INJURED]),
                unit=unit,
                subject=rng.choice(["", "", "children"]),
                places=(place.name,) if place else (),
                resolved=(place,) if place else (),
                date_start=period[0],
                date_end=period[1],
                source=rng.choice(SOURCES),
                is_total=rng.random() < 0.3 or period[0] != period[1],
                quote_start=len(text),
            )  # fmt: skip
        )
        text += sentence
        sentences.append(sentence)
    published = None if undated_doc else date(2020, month, 28)
    doc = Document.from_text(
        text, origin=doc_id, fmt="text", language="en", id=doc_id, published=published,
        publisher=rng.choice(["Agency A", "Agency B"]),
    )  # fmt: skip
    return doc, facts


def _figures(store: Store) -> list[str]:
    return sorted(json.dumps(figure_json(f), sort_keys=True) for f in load_figures(store))


def _full_figures(path: Path, tmp: Path) -> list[str]:
    """The figures a full reconcile makes of the facts stored at ``path`` (on a copy)."""
    copy = tmp / "full.sqlite"
    copy.unlink(missing_ok=True)
    with closing(sqlite3.connect(path)) as src, closing(sqlite3.connect(copy)) as dst:
        src.backup(dst)  # with what the write-ahead log holds
    with Store.open(f"sqlite:///{copy}") as whole:
        reconcile_store(whole)
        return _figures(whole)


def _edit(store: Store, rng: random.Random) -> None:
    """Reject one stored fact and correct the number of another."""
    ids = sorted(r.id for r in store.live_facts())
    store.set_status(rng.choice(ids), "rejected", user="tester")
    fid = rng.choice(ids)
    fact = store.get_fact(fid)
    if fact.status.value != "rejected" and fact.fact.value is not None:
        store.update_fact(fid, {"value": fact.fact.value + 7}, user="tester")


# months of each batch: apart (January, then June), then overlapping both
BATCHES = [(1, PLACES), (6, PLACES), (1, PLACES[:2]), (6, PLACES[2:4]), (1, PLACES)]


def add_batches(store: Store, rng: random.Random, first: int = 25) -> Iterator[int]:
    """Store the ``BATCHES`` one after another (``first`` documents in each of the first
    two, 4 in the others; an analyst's edit after the fourth), yielding each step's
    number once its batch is in, for the caller to reconcile and compare."""
    n = 0
    for step, (month, places) in enumerate(BATCHES):
        for _ in range(first if step < 2 else 4):
            n += 1
            assert store.add_document(*_document(rng, n, month, places))
        if step == 3:
            _edit(store, rng)
        yield step


@pytest.mark.parametrize("directed", [False, True])
@pytest.mark.parametrize("seed", range(1, 9))
def test_batches_reconciled_by_reach_equal_a_full_reconcile(
    tmp_path: Path, seed: int, directed: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    # however wide the reach: never the by-category pass this small store would take
    monkeypatch.setattr(incremental, "REACH_SHARE", 1.0)
    monkeypatch.setattr(incremental, "DIRECTED", directed)
    rng = random.Random(seed)
    path = tmp_path / "store.sqlite"
    done: list[IncrementalSummary] = []
    with Store.open(f"sqlite:///{path}") as store:
        for step in add_batches(store, rng):
            done.append(reconcile_changed(store))
            assert _figures(store) == _full_figures(path, tmp_path), (step, done[-1].mode)
    assert done[0].mode == "full"
    reached = done[1:]
    modes = {"reach", "directed"} if directed else {"reach"}
    assert all(d.mode in modes for d in reached), [d.mode for d in done]
    # a handful of documents reaches part of the store only
    assert any(d.recomputed_facts < d.facts for d in reached)


def test_new_facts_far_from_the_others_are_all_that_is_read(tmp_path: Path) -> None:
    rng = random.Random(5)
    with Store.open(f"sqlite:///{tmp_path / 'store.sqlite'}") as store:
        for n in range(40):
            assert store.add_document(*_document(rng, n, 1, PLACES[:4]))
        reconcile_store(store)
        before = {json.loads(f)["id"]: f for f in _figures(store)}
        # a new report about Mocha (Yemen) in June: nothing stored is near it
        doc, facts = _document(rng, 100, 6, [PLACES[3]])
        assert store.add_document(doc, facts)
        summary = reconcile_changed(store)
        assert summary.mode in ("reach", "directed")
        assert summary.recomputed_facts == len(facts)
        after = {json.loads(f)["id"]: f for f in _figures(store)}
        assert {k: v for k, v in after.items() if k in before} == before


def test_a_month_of_one_town_reaches_that_town_only(tmp_path: Path) -> None:
    """Running counts of many towns from one first day are one series: only the towns
    whose places meet may be merged, so the reach stays in the towns reported on."""
    towns = [town(f"Town{i}", ("SY07", "SY02", "YE25")[i % 3], f"X{i:03d}") for i in range(40)]
    rng = random.Random(11)
    path = tmp_path / "store.sqlite"
    with Store.open(f"sqlite:///{path}") as store:
        for n in range(400):
            assert store.add_document(*_document(rng, n, 1 + n % 12, list(towns)))
        reconcile_store(store)
        for n in range(400, 403):
            assert store.add_document(*_document(rng, n, 12, list(towns)))
        done = reconcile_changed(store)
        assert done.mode in ("reach", "directed") and done.recomputed_facts * 10 < done.facts
        assert _figures(store) == _full_figures(path, tmp_path)


def test_headlines_of_untouched_categories_are_kept_and_equal_fresh_ones(tmp_path: Path) -> None:
    """An incremental pass takes the headlines of categories it did not touch from the
    last run; all of them equal headlines computed afresh from the stored figures."""
    from crisisdesk.reconcile import headlines

    rng = random.Random(3)
    with Store.open(f"sqlite:///{tmp_path / 'store.sqlite'}") as store:
        for n in range(30):
            assert store.add_document(*_document(rng, n, 1, PLACES[:4]))
        reconcile_store(store)
        asked: list[str] = []
        real_total = headlines.total

        def counting_total(store_: Store, **kw: object) -> object:
            asked.append(str(kw["category"]))
            return real_total(store_, **kw)  # type: ignore[arg-type]

        headlines.total = counting_total  # type: ignore[assignment]
        try:
            doc, facts = _document(rng, 100, 6, [PLACES[3]])
            facts = [replace(f, category=Category.KILLED) for f in facts]
            assert store.add_document(doc, facts)
            assert reconcile_changed(store).mode in ("reach", "directed")
        finally:
            headlines.total = real_total  # type: ignore[assignment]
        assert set(asked) == {"killed"}  # injured, displaced... taken from the last run
        kept = store.saved_headlines()
        assert kept is not None
        assert kept["all"] == headlines.headline_totals(store)
        assert kept["verified"] == headlines.headline_totals(store, verified_only=True)


def test_a_wide_reach_over_every_category_takes_the_full_pass(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(incremental, "REACH_SHARE", 0.0)  # every reach is too wide
    monkeypatch.setattr(incremental, "DIRECTED", False)  # new reports would go directed
    rng = random.Random(8)
    path = tmp_path / "store.sqlite"
    with Store.open(f"sqlite:///{path}") as store:
        for n in range(30):
            assert store.add_document(*_document(rng, n, 1, PLACES))
        reconcile_store(store)
        doc, facts = _document(rng, 100, 1, PLACES)
        cats = [Category.KILLED, Category.INJURED]
        facts = [replace(f, category=cats[i % 2]) for i, f in enumerate([*facts, *facts[:1]])]
        assert store.add_document(doc, facts)
        assert reconcile_changed(store).mode == "full"
        assert _figures(store) == _full_figures(path, tmp_path)


@pytest.mark.parametrize("seed", range(1, 5))
def test_a_reach_carried_on_round_after_round_equals_one_closed_afresh(
    tmp_path: Path, seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``Reach.close`` goes on from the last round (new facts tested against those
    reached, buckets whose places grew followed again): its last answer is what one
    ``close`` over every fact read, from the seeds, gives."""
    from collections import defaultdict

    from crisisdesk.reconcile.reach import Reach

    rounds: list[int] = []

    class Checked(Reach):
        def close(self, seeds, ghosts, limit, budget):  # type: ignore[no-untyped-def]
            seeds, ghosts = list(seeds), list(ghosts)
            got = super().close(seeds, ghosts, limit, budget)
            rounds[-1] += 1
            if got.complete and not got.too_wide:
                again = Reach()
                again.read_spans = defaultdict(
                    list, {k: list(v) for k, v in self.read_spans.items()}
                )
                again.read_undated = set(self.read_undated)
                again.read_docs = set(self.read_docs)
                again.add(self.items.values())
                afresh = again.close(seeds, ghosts, limit, budget * 100)
                assert afresh.complete and afresh.facts == got.facts
            return got

    monkeypatch.setattr(incremental, "Reach", Checked)
    monkeypatch.setattr(incremental, "REACH_SHARE", 1.0)
    rng = random.Random(100 + seed)
    path = tmp_path / "store.sqlite"
    with Store.open(f"sqlite:///{path}") as store:
        for _step in add_batches(store, rng):
            rounds.append(0)
            reconcile_changed(store)
            assert _figures(store) == _full_figures(path, tmp_path)
    assert max(rounds) > 1  # some passes read the store more than once
