"""Directed updates (``reconcile.directed``): new reports change their own figures and
the links and flags of the stored figures around them. After every batch the
figures (every field, links, flags, evidence) and the kept headlines equal those of
a full reconcile of the same facts, on stores where new facts join stored counts
("to date" counts a few days apart), fall inside stored totals (a town's month, a
week), are totals over stored counts, extend series of running totals (a falling
total is flagged), and state families and people in one sentence."""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path

import pytest
from places import town
from test_reach import _figures, _full_figures
from test_selection import _check, _full_kept

from crisisdesk.model import Category, Document, Fact, ResolvedPlace, Unit
from crisisdesk.reconcile import incremental, reconcile_store
from crisisdesk.reconcile.incremental import reconcile_changed
from crisisdesk.store import Store

TOWNS = [
    town("Saraqib", "SY07", "SY0703"),
    town("Ariha", "SY07", "SY0704"),
    town("Atarib", "SY02", "SY0201"),
    town("Mocha", "YE25", "YE2501", country="YE"),
]
SOURCES = ["OCHA", "SARC", "Syria Civil Defence", None]


def _period(rng: random.Random, year: int, month: int) -> tuple[date | None, date]:
    first = date(year, month, 1) + timedelta(days=rng.randint(0, 27))
    kind = rng.choice(["day", "day", "week", "month", "since", "to date", "to date"])
    return {
        "day": (first, first),
        "week": (first, first + timedelta(days=6)),
        "month": (date(year, month, 1), date(year, month, 28)),
        "since": (date(year, month, 1), first),
        "to date": (None, first),
    }[kind]


def _report(
    rng: random.Random, n: int, year: int, month: int, towns: list[ResolvedPlace]
) -> tuple[Document, list[Fact]]:
    """One to four counts about towns; now and then families and people in one sentence
    (two facts quoting it)."""
    doc_id = f"r{n:05d}"
    text, facts = "", []
    for k in range(rng.randint(1, 4)):
        place = rng.choice(towns)
        start, end = _period(rng, year, month)
        category = rng.choice([Category.KILLED, Category.INJURED, Category.DISPLACED])
        subject = rng.choice(["", "", "children"])
        source = rng.choice(SOURCES)
        counts = [(rng.choice([3, 4, 5, 10, 11, 12, 30, 40, 120]), Unit.PEOPLE)]
        if category == Category.DISPLACED and rng.random() < 0.4:
            families = rng.choice([10, 20, 50])
            counts = [(families, Unit.FAMILIES), (families * rng.choice([2, 5, 9]), Unit.PEOPLE)]
        sentence = f"Count {k}: " + " and ".join(f"{v} {u}" for v, u in counts)
        sentence += f" in {place.name}. "
        at = len(text) + len(f"Count {k}: ")
        for value, unit in counts:
            facts.append(
                Fact(
                    doc=doc_id,
                    quote=sentence.strip(),
                    span=(at, at + len(str(value))),
                    value=value,
                    category=category,
                    unit=unit,
                    subject=subject,
                    places=(place.name,),
                    resolved=(place,),
                    date_start=start,
                    date_end=end,
                    source=source,
                    is_total=rng.random() < 0.3 or start != end,
                    quote_start=len(text),
                )  # fmt: skip
            )
            at += len(f"{value} {unit} and ")
        text += sentence
    doc = Document.from_text(
        text, origin=doc_id, fmt="text", language="en", id=doc_id,
        published=date(year, month, 28), publisher=rng.choice(["Agency A", "Agency B"]),
    )  # fmt: skip
    return doc, facts


# (year, month, reports): a store of two months, then more of the second month (new
# days inside its totals, new totals over its days, "to date" counts joining stored
# ones), the month after, and the first month again
BATCHES = [((2020, 1), 40), ((2020, 2), 40), ((2020, 2), 6), ((2020, 3), 6), ((2020, 1), 6)]


def _batches(store: Store, rng: random.Random, towns: list[ResolvedPlace]):  # noqa: ANN202
    n = 0
    for step, ((year, month), reports) in enumerate(BATCHES):
        for _ in range(reports):
            n += 1
            assert store.add_document(*_report(rng, n, year, month, towns))
        yield step


@pytest.fixture(autouse=True)
def _reach_always(monkeypatch: pytest.MonkeyPatch) -> None:
    """When the directed pass gives way, the reach answers, however wide."""
    monkeypatch.setattr(incremental, "REACH_SHARE", 1.0)


@pytest.mark.parametrize("seed", range(1, 13))
def test_batches_by_directed_updates_equal_a_full_reconcile(tmp_path: Path, seed: int) -> None:
    rng = random.Random(seed)
    path = tmp_path / "store.sqlite"
    modes = []
    with Store.open(f"sqlite:///{path}") as store:
        for step in _batches(store, rng, TOWNS):
            if step == 0:
                reconcile_store(store)
                continue
            modes.append(reconcile_changed(store).mode)
            assert _figures(store) == _full_figures(path, tmp_path), (step, modes)
            assert _check(store) == _full_kept(path, tmp_path), (step, modes)
    assert modes.count("directed") >= 2, modes


def test_the_directed_pass_updates_stored_totals_and_series(tmp_path: Path) -> None:
    """A new day inside a stored month total and a running total below a stored one of
    the same series: the stored figures are updated in place, not made again."""
    path = tmp_path / "store.sqlite"
    saraqib = TOWNS[0]

    def one(doc_id: str, value: int, start: date | None, end: date) -> None:
        text = f"{value} people were killed in Saraqib."
        fact = Fact(
            doc=doc_id, quote=text, span=(0, len(str(value))), value=value,
            category=Category.KILLED, unit=Unit.PEOPLE, places=("Saraqib",), resolved=(saraqib,),
            date_start=start, date_end=end, source="OCHA", is_total=True, quote_start=0,
        )  # fmt: skip
        doc = Document.from_text(text, origin=doc_id, fmt="text", language="en", id=doc_id,
                                 published=end, publisher="Agency A")  # fmt: skip
        assert store.add_document(doc, [fact])

    with Store.open(f"sqlite:///{path}") as store:
        one("m", 20, date(2020, 1, 1), date(2020, 1, 31))  # the month
        one("s1", 15, date(2020, 1, 1), date(2020, 1, 8))  # since the 1st, up to the 8th
        reconcile_store(store)
        assert _parts(store) == {"m": ["s1"]}
        one("d", 30, date(2020, 1, 5), date(2020, 1, 5))  # a day inside: more than s1
        one("s2", 9, date(2020, 1, 1), date(2020, 1, 20))  # the running total falls
        done = reconcile_changed(store)
        assert done.mode == "directed" and done.recomputed_facts == 2
        assert _figures(store) == _full_figures(path, tmp_path)
        # s1 moved from the month into s2, and holds the day, more than it says
        assert _parts(store) == {"m": ["s2"], "s2": ["s1"], "s1": ["d"]}
        flags = {f: [str(x).split(":")[0] for x in g] for f, g in _flags(store).items()}
        assert flags["s1"] == ["parts_exceed_total"]
        assert flags["s2"] == ["parts_exceed_total", "cumulative_falls"]


def _parts(store: Store) -> dict[str, list[str]]:
    """Each total's parts, figures named by the document of their one fact."""
    from crisisdesk.reconcile.run import load_figures

    figs = load_figures(store)
    doc = {f.id: f.facts[0].doc for f in figs}
    return {doc[f.id]: sorted(doc[p] for p in f.parts) for f in figs if f.parts}


def _flags(store: Store) -> dict[str, list[object]]:
    from crisisdesk.reconcile.run import load_figures

    return {f.facts[0].doc: list(f.flags) for f in load_figures(store) if len(f.facts) == 1}


def test_directed_updates_on_this_backend(store_url: str) -> None:
    rng = random.Random(7)
    modes = []
    with Store.open(store_url) as store:
        for step in _batches(store, rng, TOWNS):
            if step == 0:
                reconcile_store(store)
                continue
            modes.append(reconcile_changed(store).mode)
        batched = _figures(store)
        heads = _check(store)
        reconcile_store(store)
        assert _figures(store) == batched
        assert _check(store) == heads
    assert "directed" in modes, modes


def test_a_new_count_between_two_of_one_report_is_grouped_as_the_full_pass_does(
    tmp_path: Path,
) -> None:
    """A new running count "to date" that is the same count as two stored ones of one
    report giving two numbers: the union-find keeps them apart, in an order that only
    the pairs of all three decide; they are grouped again together."""
    path = tmp_path / "store.sqlite"
    saraqib = TOWNS[0]

    def doc(doc_id: str, counts: list[tuple[int, date]]) -> None:
        text, facts = "", []
        for value, end in counts:
            sentence = f"{value} people killed in Saraqib up to {end}. "
            facts.append(
                Fact(
                    doc=doc_id,
                    quote=sentence.strip(),
                    span=(len(text), len(text) + 2),
                    value=value,
                    category=Category.KILLED,
                    unit=Unit.PEOPLE,
                    places=("Saraqib",),
                    resolved=(saraqib,),
                    date_start=None,
                    date_end=end,
                    source="OCHA",
                    is_total=True,
                    quote_start=len(text),
                )  # fmt: skip
            )
            text += sentence
        document = Document.from_text(text, origin=doc_id, fmt="text", language="en",
                                      id=doc_id, published=date(2020, 1, 28))  # fmt: skip
        assert store.add_document(document, facts)

    with Store.open(f"sqlite:///{path}") as store:
        doc("a", [(10, date(2020, 1, 5)), (20, date(2020, 1, 19))])  # 14 days apart: two
        reconcile_store(store)
        doc("n", [(15, date(2020, 1, 12))])  # 7 days from each
        done = reconcile_changed(store)
        assert done.mode == "directed"
        assert _figures(store) == _full_figures(path, tmp_path)
        assert sorted(len(f.facts) for f in _loaded(store)) == [1, 2]


def _loaded(store: Store) -> list[object]:
    from crisisdesk.reconcile.run import load_figures

    return list(load_figures(store))


def _draft_key(d: object) -> tuple[object, ...]:
    """What the directed pass and the selection read of a draft (not its explanation)."""
    est = d.est  # type: ignore[attr-defined]
    return (
        d.id, sorted(it.id for it in d.items), est.low, est.best, est.high, est.rule,  # type: ignore[attr-defined]
        est.chosen.id, [it.id for it in est.ordered], d.self_keys, d.area_keys,  # type: ignore[attr-defined]
        d.member_keys, d.is_total, d.start, d.end, d.subject_key, d.place.primary,  # type: ignore[attr-defined]
        sorted(d.parts), sorted(d.part_of), list(d.flags),  # type: ignore[attr-defined]
    )  # fmt: skip


def test_figures_drafted_from_items_held_equal_those_read_back_whole(tmp_path: Path) -> None:
    """The directed pass drafts a stored figure from the facts it already read (and the
    selection of the headlines the figures it still holds): the same drafts as when
    every figure is read back with its facts."""
    from crisisdesk.reconcile import directed, selection
    from crisisdesk.reconcile.estimate import default_reliability, estimate
    from crisisdesk.reconcile.items import ItemMaker
    from crisisdesk.store.partial import facts_by_id

    rng = random.Random(3)
    table = default_reliability()
    with Store.open(f"sqlite:///{tmp_path / 'store.sqlite'}") as store:
        for step in _batches(store, rng, TOWNS):
            if step == 1:
                break
        reconcile_store(store)
        ids = sorted({f.id for f in _loaded(store)})  # type: ignore[attr-defined]
        whole = directed._Stored({}, {}, {})
        whole.read(store, ids, table)
        maker, items = ItemMaker(keep_facts=False), {}
        asked: list[int] = []

        def known(fact_ids: object) -> dict[str, object]:
            wanted = {i for i in fact_ids if i not in items}  # type: ignore[attr-defined]
            asked.append(len(wanted))
            items.update((r.id, maker(r)) for r in facts_by_id(store.engine, wanted)[0])
            return items

        held = directed._Stored({}, {}, {})
        held.read(store, ids[: len(ids) // 2], table, known)  # type: ignore[arg-type]
        held.read(store, ids, table, known)  # type: ignore[arg-type]
        assert asked[1] < len(items)  # the facts read the first time are not read again
        assert sorted(held.drafts) == sorted(whole.drafts) == ids
        for i in ids:
            assert _draft_key(held.drafts[i]) == _draft_key(whole.drafts[i])
            a, b = held.meta[i], whole.meta[i]  # (no __eq__: compared field by field)
            assert [getattr(a, k) for k in a.__slots__] == [getattr(b, k) for k in b.__slots__]
            assert held.parts[i] == whole.parts[i]
        # without words, an estimate is the same but for its explanation
        assert any(len(d.items) > 1 for d in held.drafts.values())
        for d in held.drafts.values():
            said = estimate(d.items, table)
            words = said.explanation if len(d.items) == 1 else ""  # one fact: said anyway
            assert (d.est.explanation, d.est.rule, d.est.chosen) == (words, said.rule, said.chosen)
            assert (d.est.low, d.est.best, d.est.high) == (said.low, said.best, said.high)
            assert said.explanation and d.est.ordered == said.ordered
        # the selection's drafts of the figures, from the items held and from the store
        mine = {i: d.items for i, d in held.drafts.items()}
        read = selection._drafts(store, ids)
        again = selection._drafts(store, ids, (mine, held.meta))
        assert [_draft_key(d) for d in again.values()] == [_draft_key(d) for d in read.values()]
