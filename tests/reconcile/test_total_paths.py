"""The fast paths of ``total`` give the same answers as the plain ones.

``total`` makes items straight from the store's fact rows (``items_of_rows``)
instead of building a ``StoredFact`` per fact, freezes left-out figures only when asked
(``Excluded``), and checks a total's parts pair by pair (``_disjoint_few``).
A governorate-month with many town counts inside its total, and some counts
that overlap without nesting, exercises all three on both backends.
"""

from __future__ import annotations

import random
from dataclasses import fields
from datetime import date, timedelta

import pytest

from crisisdesk.model import Category, Document, Fact, Precision, ResolvedPlace, Unit
from crisisdesk.reconcile import total
from crisisdesk.reconcile.figures import reconcile_items, reliability_table, to_figure
from crisisdesk.reconcile.items import fact_of, items_of, items_of_rows
from crisisdesk.reconcile.nesting import _disjoint_few, select_disjoint
from crisisdesk.reconcile.totals import FULL_EXCLUDED
from crisisdesk.store import Question, Store

GOV = ResolvedPlace(
    name="Idlib", canonical="Idlib", kind="adm1", country="SY", admin1="Idlib",
    admin1_code="SY07", precision=Precision.GOVERNORATE,
)  # fmt: skip
TOWNS = 60
JAN = {"date_from": date(2020, 1, 1), "date_to": date(2020, 1, 31)}


def _town(i: int) -> ResolvedPlace:
    return ResolvedPlace(
        name=f"Kafr {i}", place_id=f"gn:{i}", canonical=f"Kafr {i}", kind="town",
        country="SY", admin1="Idlib", admin1_code="SY07", precision=Precision.POINT,
    )  # fmt: skip


def _add(
    store: Store,
    text: str,
    number: str,
    places: tuple[ResolvedPlace, ...],
    start: date,
    end: date,
    publisher: str = "Field desk",
    is_total: bool = False,
) -> None:
    doc = Document.from_text(text, publisher=publisher, published=end + timedelta(days=1))
    at = text.index(number)
    fact = Fact(
        doc=doc.id, quote=text, quote_start=0, span=(at, at + len(number)),
        value=int(number.replace(",", "")), category=Category.KILLED, unit=Unit.PEOPLE,
        places=tuple(p.name for p in places), resolved=places, date_start=start,
        date_end=end, is_total=is_total,
    )  # fmt: skip
    assert store.add_document(doc, [fact])


@pytest.fixture
def month(store: Store) -> Store:
    """A January total for Idlib, a day count in each of 60 towns, and a few counts
    that cross each other (so some figures overlap without one holding the other)."""
    _add(
        store, "Monitors put the January toll in Idlib at 2,400 people.", "2,400", (GOV,),
        date(2020, 1, 1), date(2020, 1, 31), publisher="Monitor One", is_total=True,
    )  # fmt: skip
    for i in range(TOWNS):
        day = date(2020, 1, 1 + i % 28)
        n = str(5 + i)
        _add(store, f"Shelling killed {n} people in Kafr {i} that day.", n, (_town(i), GOV),
             day, day)  # fmt: skip
    # the same town and day from a second desk, disagreeing: one figure, a range
    _add(store, "A second desk counted 9 dead in Kafr 3 on that day.", "9", (_town(3),),
         date(2020, 1, 4), date(2020, 1, 4), publisher="Desk Two")  # fmt: skip
    # counts over crossing periods: neither holds the other
    _add(store, "Between the 2nd and the 11th, 300 people died across Idlib.", "300", (GOV,),
         date(2020, 1, 2), date(2020, 1, 11), publisher="Monitor Two", is_total=True)  # fmt: skip
    _add(store, "From the 6th to the 16th, 280 were killed in the governorate.", "280", (GOV,),
         date(2020, 1, 6), date(2020, 1, 16), publisher="Monitor Three", is_total=True)  # fmt: skip
    _add(store, "Over ten days from the 9th, 40 died in Kafr 8.", "40", (_town(8),),
         date(2020, 1, 9), date(2020, 1, 18), publisher="Desk Two", is_total=True)  # fmt: skip
    # a place no gazetteer knew: found by its name, known by name only
    _add(store, "In Tell Zaytun 7 people were killed.", "7",
         (ResolvedPlace(name="Tell Zaytun"), ResolvedPlace(name="Idlib")),
         date(2020, 1, 20), date(2020, 1, 20))  # fmt: skip
    return store


def _question(store: Store, place: str | None) -> Question:
    match = store.find_place(place) if place else None
    return Question("killed", "people", match, JAN["date_from"], JAN["date_to"])


@pytest.mark.parametrize("place", ["Idlib", None])
def test_items_from_rows_are_the_items_of_the_stored_facts(month: Store, place: str | None) -> None:
    fast = {it.id: it for it in items_of_rows(month.facts_for(_question(month, place)))}
    plain = {
        it.id: it for it in items_of([r.stored() for r in month.facts_for(_question(month, place))])
    }
    assert len(plain) == TOWNS + 6
    assert fast.keys() == plain.keys()
    compared = [
        f.name for f in fields(plain[next(iter(plain))]) if f.name not in ("fact", "make_fact")
    ]
    for fid, it in plain.items():
        assert fast[fid].fact is None  # built on first use only
        assert [getattr(fast[fid], n) for n in compared] == [getattr(it, n) for n in compared]
        built = fact_of(fast[fid])
        assert built == it.fact and built.resolved == it.fact.resolved
        assert built.extra == it.fact.extra


def test_every_left_out_figure_is_listed_with_its_reason(month: Store) -> None:
    result = total(month, category="killed", unit="people", place="Idlib", **JAN)
    assert result.best == 2400  # the monthly total holds every other count
    assert len(result.excluded) == len(list(result.excluded)) > FULL_EXCLUDED
    data = result.to_json()
    assert len(data["excluded"]) == len(result.excluded)
    ids = [e.figure.id for e in result.excluded]
    assert [e["figure"]["id"] for e in data["excluded"]] == ids
    assert [e["reason"] for e in data["excluded"]] == [e.reason for e in result.excluded]
    for k, (entry, left_out) in enumerate(zip(data["excluded"], result.excluded, strict=True)):
        fig = left_out.figure
        assert entry["reason"]
        out = entry["figure"]
        assert (out["best"], out["low"], out["high"]) == (fig.best, fig.low, fig.high)
        assert out["places"] == list(fig.places)
        assert out["sources"] == list(fig.sources)
        assert out["date_start"] == fig.date_start.isoformat()
        fact_ids = [f.extra["fact_id"] for f in fig.facts]
        if k < FULL_EXCLUDED:
            assert [f["fact_id"] for f in out["facts"]] == fact_ids
        else:
            assert out["compact"] and out["fact_ids"] == fact_ids and "facts" not in out
    assert result.excluded[-1] == result.excluded[len(result.excluded) - 1]
    assert result.excluded[:2] == [result.excluded[0], result.excluded[1]]
    with pytest.raises(IndexError):
        result.excluded[len(result.excluded)]


def test_parts_checked_pair_by_pair_keep_what_the_indexes_keep(month: Store) -> None:
    items = items_of_rows(month.facts_for(_question(month, None)))
    drafts = reconcile_items(items, reliability_table(None))
    dated = [d for d in drafts if d.start is not None]
    crossing = [d for d in dated if d.end > d.start and d.est.best in (300, 280, 40)]
    assert len(crossing) == 3
    rng = random.Random(5)
    for _ in range(40):
        subset = rng.sample(dated, rng.randrange(2, 20)) + crossing
        want = [d.id for d in select_disjoint(subset, reasons=False)[0]]
        assert [d.id for d in _disjoint_few(subset)] == want
    # the crossing counts clash: 280 (6-16 Jan, the longest) is kept; 300 (2-11 Jan)
    # and Kafr 8's 40 (9-18 Jan) overlap it in place and period
    assert [d.est.best for d in _disjoint_few(crossing)] == [280]


def test_frozen_left_out_figures_are_the_drafts_figures(month: Store) -> None:
    items = items_of_rows(month.facts_for(_question(month, "Idlib")))
    drafts = {d.id: d for d in reconcile_items(items, reliability_table(None))}
    result = total(month, category="killed", unit="people", place="Idlib", **JAN)
    for fig in (e.figure for e in result.excluded):
        assert fig == to_figure(drafts[fig.id])


def test_undated_facts_are_found_by_their_publication_day(store: Store) -> None:
    for text, n, published in (
        ("Medics say 12 people have died in Kafr 1.", "12", date(2020, 1, 10)),
        ("Medics say 30 people have died in Kafr 2.", "30", date(2020, 3, 10)),
    ):
        doc = Document.from_text(text, publisher="Field desk", published=published)
        at = text.index(n)
        fact = Fact(
            doc=doc.id, quote=text, quote_start=0, span=(at, at + len(n)), value=int(n),
            category=Category.KILLED, unit=Unit.PEOPLE, places=(f"Kafr {n[0]}",),
        )  # fmt: skip
        assert store.add_document(doc, [fact])
    january = total(store, category="killed", unit="people", **JAN)
    assert (january.best, len(january.figures), len(january.excluded)) == (12, 1, 0)
    march = total(store, category="killed", date_from=date(2020, 3, 1), date_to=date(2020, 3, 31))
    assert march.best == 30
