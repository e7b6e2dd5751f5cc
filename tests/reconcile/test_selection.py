"""The dashboard's headlines kept by groups (``reconcile.selection``): after every
incremental pass they equal the headlines ``total`` gives afresh and those a full
reconcile keeps, whether the new facts change the selection of a group already
stored, add a group of their own, or change nothing (SQLite and PostgreSQL)."""

from __future__ import annotations

import random
import sqlite3
from contextlib import closing
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from places import governorate, town
from test_reach import add_batches

from crisisdesk.model import Category, Document, Fact, ResolvedPlace, Unit
from crisisdesk.reconcile import headlines, incremental, reconcile_store, selection
from crisisdesk.reconcile.incremental import reconcile_changed
from crisisdesk.store import Store

SARAQIB = town("Saraqib", "SY07", "SY0703")
ARIHA = town("Ariha", "SY07", "SY0704")
ATARIB = town("Atarib", "SY02", "SY0201")
IDLIB = governorate("Idlib", "SY07")


@pytest.fixture(autouse=True)
def _reach_always(monkeypatch: pytest.MonkeyPatch) -> None:
    """However wide the reach: never the by-category pass these small stores would take."""
    monkeypatch.setattr(incremental, "REACH_SHARE", 1.0)


def _kept(store: Store) -> dict[str, Any]:
    kept = store.saved_headlines()
    assert kept is not None
    return kept


def _check(store: Store) -> list[dict[str, Any]]:
    """The kept headlines, held to those ``total`` gives afresh."""
    kept = _kept(store)
    assert kept["all"] == headlines.headline_totals(store)
    assert kept["verified"] == headlines.headline_totals(store, verified_only=True)
    return kept["all"]


def _full_kept(path: Path, tmp: Path) -> list[dict[str, Any]]:
    """The headlines a full reconcile keeps for the facts stored at ``path`` (a copy)."""
    copy = tmp / "full.sqlite"
    copy.unlink(missing_ok=True)
    with closing(sqlite3.connect(path)) as src, closing(sqlite3.connect(copy)) as dst:
        src.backup(dst)
    with Store.open(f"sqlite:///{copy}") as whole:
        reconcile_store(whole)
        return _kept(whole)["all"]


class Spy:
    """Counts how each touched headline was selected: again (by groups) or afresh."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.again: list[bool] = []  # per call of select_again: whether it answered
        self.afresh = 0
        real_again, real_afresh = selection.select_again, selection.select_afresh

        def again(*a: Any, **kw: Any) -> Any:
            got = real_again(*a, **kw)
            self.again.append(got is not None)
            return got

        def afresh(*a: Any, **kw: Any) -> Any:
            self.afresh += 1
            return real_afresh(*a, **kw)

        monkeypatch.setattr(headlines, "select_again", again)
        monkeypatch.setattr(headlines, "select_afresh", afresh)


@pytest.mark.parametrize("seed", range(1, 7))
def test_headlines_kept_by_groups_equal_a_full_reconcile(
    tmp_path: Path, seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    spy = Spy(monkeypatch)
    rng = random.Random(seed)
    path = tmp_path / "store.sqlite"
    with Store.open(f"sqlite:///{path}") as store:
        for step in add_batches(store, rng):
            reconcile_changed(store)
            assert _check(store) == _full_kept(path, tmp_path), step
    assert spy.again and all(spy.again)  # every touched headline selected again by groups


def test_headlines_by_groups_on_this_backend(
    store_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    spy = Spy(monkeypatch)
    rng = random.Random(4)
    with Store.open(store_url) as store:
        for step in add_batches(store, rng, first=20):
            assert reconcile_changed(store).mode in (
                ("full",) if step == 0 else ("reach", "directed")
            )
            batched = _check(store)
        reconcile_store(store)
        assert _check(store) == batched
    assert spy.again and all(spy.again)


def _report(
    store: Store, doc_id: str, value: int, place: ResolvedPlace, start: date, end: date,
    subject: str = "", source: str = "OCHA",
) -> None:  # fmt: skip
    """A report of one count of people killed."""
    text = f"{value} people were killed in {place.name}."
    fact = Fact(
        doc=doc_id, quote=text, span=(0, len(str(value))), value=value,
        category=Category.KILLED, unit=Unit.PEOPLE, subject=subject, places=(place.name,),
        resolved=(place,), date_start=start, date_end=end, source=source, is_total=True,
        quote_start=0,
    )  # fmt: skip
    doc = Document.from_text(
        text, origin=doc_id, fmt="text", language="en", id=doc_id, published=end,
        publisher="Agency A",
    )  # fmt: skip
    assert store.add_document(doc, [fact])


def _killed(store: Store) -> dict[str, Any]:
    return next(h for h in _check(store) if h["category"] == "killed")


def _groups(store: Store) -> list[list[Any]]:
    """The groups of the killed headline: [best, figures kept, figure ids], sorted."""
    return sorted(_kept(store)["selection"]["killed/"]["groups"])


def _stores(tmp_path: Path) -> Store:
    store = Store.open(f"sqlite:///{tmp_path / 'store.sqlite'}")
    _report(store, "a1", 10, SARAQIB, date(2020, 1, 1), date(2020, 1, 7))
    _report(store, "a2", 4, ARIHA, date(2020, 1, 3), date(2020, 1, 3))
    _report(store, "a3", 6, ATARIB, date(2020, 2, 1), date(2020, 2, 28))
    reconcile_store(store)
    return store


def test_a_new_count_that_overlaps_a_stored_one_changes_its_group(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with _stores(tmp_path) as store:
        spy = Spy(monkeypatch)
        assert _killed(store)["value"] == 20
        # children of Saraqib over eight days that overlap the stored week: the longer
        # count is kept, the week is left out (it would count the same people twice)
        _report(store, "b1", 30, SARAQIB, date(2020, 1, 5), date(2020, 1, 12), "children")
        assert reconcile_changed(store).mode in ("reach", "directed")
        assert _killed(store) | {"label": ""} == {
            "label": "", "category": "killed", "unit": None, "value": 40, "figures": 3,
        }  # fmt: skip
        assert [g[:2] for g in _groups(store)] == [[4, 1], [6, 1], [30, 1]]
        assert [len(g[2]) for g in _groups(store)] == [1, 1, 2]  # the week and the 8 days
    assert spy.again == [True]


def test_a_new_count_inside_a_stored_total_changes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with _stores(tmp_path) as store:
        spy = Spy(monkeypatch)
        before = _groups(store)
        # a day of Saraqib inside its stored week: a part of it, not counted again
        _report(store, "c1", 3, SARAQIB, date(2020, 1, 2), date(2020, 1, 2))
        assert reconcile_changed(store).mode in ("reach", "directed")
        assert _killed(store)["value"] == 20
        assert _groups(store) == before
        # and a count far from every other: a group of its own, the others as they were
        _report(store, "c2", 5, ARIHA, date(2020, 3, 1), date(2020, 3, 1))
        assert reconcile_changed(store).mode in ("reach", "directed")
        assert _killed(store)["value"] == 25
        assert [g for g in _groups(store) if g in before] == before
        assert len(_groups(store)) == len(before) + 1
    assert spy.again == [True, True] and spy.afresh == 0


def test_a_wider_total_over_stored_counts_is_counted_instead(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with _stores(tmp_path) as store:
        spy = Spy(monkeypatch)
        # Idlib's January holds Saraqib's week and Ariha's day: counted instead of both
        _report(store, "d1", 50, IDLIB, date(2020, 1, 1), date(2020, 1, 31))
        assert reconcile_changed(store).mode in ("reach", "directed")
        assert _killed(store)["value"] == 56
    assert spy.again == [True]


def test_another_main_country_selects_afresh(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    mocha = town("Mocha", "YE25", "YE2501", country="YE")
    with _stores(tmp_path) as store:
        spy = Spy(monkeypatch)
        for k in range(4):  # Yemen now has more figures than Syria: counted for Yemen
            _report(store, f"y{k}", 7, mocha, date(2020, 4, 1 + 2 * k), date(2020, 4, 1 + 2 * k))
        assert reconcile_changed(store).mode in ("reach", "directed")
        assert _killed(store)["value"] == 28
    assert spy.again == [False] and spy.afresh == 1


def test_whole_categories_select_afresh_and_keep_the_others(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The by-category pass (a reach too wide) selects the headlines of the categories
    it rewrote afresh and keeps the others' groups as they were."""
    with _stores(tmp_path) as store:
        text = "12 people were injured in Ariha."
        fact = Fact(
            doc="i1", quote=text, span=(0, 2), value=12, category=Category.INJURED,
            unit=Unit.PEOPLE, places=("Ariha",), resolved=(ARIHA,), date_start=date(2020, 1, 9),
            date_end=date(2020, 1, 9), quote_start=0,
        )  # fmt: skip
        doc = Document.from_text(text, origin="i1", fmt="text", language="en", id="i1")
        assert store.add_document(doc, [fact])
        reconcile_store(store)
        killed = _kept(store)["selection"]["killed/"]
        monkeypatch.setattr(incremental, "REACH_SHARE", 0.0)  # every reach is too wide
        monkeypatch.setattr(incremental, "DIRECTED", False)  # new reports would go directed
        spy = Spy(monkeypatch)
        _report(store, "e1", 9, ATARIB, date(2020, 1, 20), date(2020, 1, 20))
        assert reconcile_changed(store).mode == "incremental"
        assert _killed(store)["value"] == 29
        injured = next(h for h in _check(store) if h["category"] == "injured")
        assert injured["value"] == 12
        assert _kept(store)["selection"]["injured/"]["groups"] == [[12, 1, [_one_id(store)]]]
        assert _kept(store)["selection"]["killed/"] != killed
    assert spy.again == [] and spy.afresh == 1


def _one_id(store: Store) -> str:
    from crisisdesk.reconcile.run import load_figures

    (fig,) = load_figures(store, category="injured")
    return fig.id
