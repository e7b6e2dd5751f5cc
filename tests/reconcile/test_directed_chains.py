"""Clashing chains in the directed pass (``directed._Pass._connected``): a new count
joins stored figures that a report giving two numbers keeps apart, so the union-find's
order decides, over every fact joined to them by a chain of pairs. The chain is
followed over the stored figures it crosses (a figure's facts are reached with its
first), and a group that comes out of the grouping with the very facts of a stored
figure keeps that figure (neither removed nor written again). Where every stored
figure of a clashing set comes out whole, the set is grouped from its own facts alone
(``_alone``), not the chain; both ways are held to the full pass. After every batch the
figures and the kept headlines equal those of a full reconcile of the same facts,
over many seeds; the batches add counts after, inside and before the stored ones."""

from __future__ import annotations

import random
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

import pytest
from places import town
from test_reach import _figures, _full_figures
from test_selection import _check, _full_kept

from crisisdesk.model import Category, Document, Fact, ResolvedPlace, Unit
from crisisdesk.reconcile import directed, incremental, reconcile_store
from crisisdesk.reconcile.incremental import reconcile_changed
from crisisdesk.store import Store

TOWNS = [town("Saraqib", "SY07", "SY0703"), town("Ariha", "SY07", "SY0704")]
SOURCES = ["OCHA", "SARC", None]


def _report(
    rng: random.Random, n: int, first: date, days: int, towns: list[ResolvedPlace]
) -> tuple[Document, list[Fact]]:
    """Counts of killed people in a town, mostly running counts "to date" a few days
    apart (they chain), some of a day; one report in four gives two numbers for one
    town (the union-find refuses to put them in one group)."""
    doc_id = f"c{n:05d}"
    text, facts = "", []
    place = rng.choice(towns)
    counts = 2 if rng.random() < 0.25 else rng.randint(1, 2)
    for k in range(counts):
        if k and rng.random() < 0.3:
            place = rng.choice(towns)
        end = first + timedelta(days=rng.randint(0, days - 1))
        start = None if rng.random() < 0.7 else end
        value = rng.choice([10, 11, 12, 20, 30])
        sentence = f"Count {k}: {value} people in {place.name}. "
        at = len(text) + len(f"Count {k}: ")
        facts.append(
            Fact(
                doc=doc_id,
                quote=sentence.strip(),
                span=(at, at + len(str(value))),
                value=value,
                category=Category.KILLED,
                unit=Unit.PEOPLE,
                subject="",
                places=(place.name,),
                resolved=(place,),
                date_start=start,
                date_end=end,
                source=rng.choice(SOURCES),
                is_total=start is None,
                quote_start=len(text),
            )
        )
        text += sentence
    doc = Document.from_text(
        text, origin=doc_id, fmt="text", language="en", id=doc_id,
        published=first + timedelta(days=days), publisher="Agency A",
    )  # fmt: skip
    return doc, facts


# (first day, days, reports): two months, then counts after them, inside them and
# before them (a new count early in a chain changes the order of its unions)
BATCHES = [
    (date(2020, 1, 1), 60, 120),
    (date(2020, 3, 1), 10, 6),
    (date(2020, 1, 20), 20, 6),
    (date(2019, 12, 28), 8, 4),
    (date(2020, 2, 10), 30, 10),
]


@pytest.fixture(autouse=True)
def _reach_always(monkeypatch: pytest.MonkeyPatch) -> None:
    """When the directed pass gives way, the reach answers, however wide."""
    monkeypatch.setattr(incremental, "REACH_SHARE", 1.0)


@pytest.fixture
def chains(monkeypatch: pytest.MonkeyPatch, way: str) -> Counter[str]:
    """Counts the clashing sets grouped from their own stored figures alone
    (``_alone``), the chains the directed pass follows instead, the stored figures
    either crosses, and those of them kept (not among the figures the pass removes)."""
    seen: Counter[str] = Counter()
    follow, alone, groups = directed._Pass._connected, directed._Pass._alone, directed._Pass.groups

    def crossed(self: directed._Pass, inside: dict) -> None:  # type: ignore[type-arg]
        seen["crossed"] += len(inside)
        self.crossed = getattr(self, "crossed", set()) | set(inside)  # type: ignore[attr-defined]

    def counted(self: directed._Pass, seed: list) -> tuple[list, dict]:  # type: ignore[type-arg]
        whole, inside = follow(self, seed)
        seen["chains"] += 1
        crossed(self, inside)
        return whole, inside

    def local(self: directed._Pass, its: list, owner: dict) -> tuple[list, dict] | None:  # type: ignore[type-arg]
        got = alone(self, its, owner)
        seen["alone" if got is not None else "not alone"] += 1
        if got is not None:
            crossed(self, got[1])
        return got

    def grouped(self: directed._Pass) -> tuple[list, dict]:  # type: ignore[type-arg]
        added, removed = groups(self)
        seen["kept"] += len(getattr(self, "crossed", set()) - removed.keys())
        return added, removed

    monkeypatch.setattr(directed._Pass, "_connected", counted)
    monkeypatch.setattr(directed._Pass, "_alone", local)
    monkeypatch.setattr(directed._Pass, "groups", grouped)
    return seen


@pytest.fixture(params=["alone", "chains"])
def way(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Clashing sets grouped from their own stored figures where they can be
    ("alone"), or every one by the chain it is joined to ("chains")."""
    if request.param == "chains":
        monkeypatch.setattr(directed._Pass, "_alone", lambda self, its, owner: None)
    return str(request.param)


def _batches(store: Store, rng: random.Random):  # noqa: ANN202
    """Add the batches' reports to ``store`` one batch at a time, yielding each step."""
    n = 0
    for step, (first, days, reports) in enumerate(BATCHES):
        for _ in range(reports):
            n += 1
            assert store.add_document(*_report(rng, n, first, days, TOWNS))
        yield step


def _build(store: Store, rng: random.Random) -> list[str]:
    """The batches added to ``store``, the first reconciled in full, the others
    incrementally; the modes of the incremental passes."""
    modes = []
    for step in _batches(store, rng):
        if step == 0:
            reconcile_store(store)
        else:
            modes.append(reconcile_changed(store).mode)
    return modes


@pytest.mark.parametrize("seed", range(1, 9))
def test_chains_by_directed_updates_equal_a_full_reconcile(
    tmp_path: Path, seed: int, chains: Counter[str]
) -> None:
    rng = random.Random(seed)
    path = tmp_path / "store.sqlite"
    modes = []
    with Store.open(f"sqlite:///{path}") as store:
        for step in _batches(store, rng):
            if step == 0:
                reconcile_store(store)
                continue
            modes.append(reconcile_changed(store).mode)
            assert _figures(store) == _full_figures(path, tmp_path), (step, modes)
            assert _check(store) == _full_kept(path, tmp_path), (step, modes)
    assert modes.count("directed") >= 2, modes
    assert chains["chains"] + chains["alone"] >= 1, chains


def test_chains_cross_stored_figures_and_keep_those_grouped_alike(
    tmp_path: Path, chains: Counter[str], way: str
) -> None:
    """Over the seeds, chains cross several stored figures and some of those come out
    of the grouping as they were: kept, not removed; grouped alone where they can be,
    some clashing sets are, and others split a stored figure and follow the chain."""
    for seed in range(1, 9):
        rng = random.Random(seed)
        with Store.open(f"sqlite:///{tmp_path / f's{seed}.sqlite'}") as store:
            _build(store, rng)
    assert chains["crossed"] > chains["chains"] + chains["alone"] > 0, chains
    assert chains["kept"] > 0, chains
    if way == "alone":
        assert chains["alone"] > 0 and chains["chains"] > 0, chains


def test_chains_on_this_backend(store_url: str) -> None:
    rng = random.Random(5)
    with Store.open(store_url) as store:
        modes = _build(store, rng)
        batched = _figures(store)
        heads = _check(store)
        reconcile_store(store)
        assert _figures(store) == batched
        assert _check(store) == heads
    assert "directed" in modes, modes
