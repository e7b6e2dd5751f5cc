"""``total`` from the stored figures gives what reconciling the facts afresh gives.

A quarter of invented reports over two governorates (towns, districts, daily
counts, repeats by a second outlet, disagreeing organisations, weekly district
totals and monthly governorate totals) is reconciled once; then every question
is asked both ways, on SQLite and PostgreSQL, and the answers compared: the
numbers, the figures counted, every figure left out and its reason.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import astuple
from datetime import date, timedelta

import pytest
from sqlalchemy import delete, select

from crisisdesk.model import Category, Document, Fact, Precision, ResolvedPlace, Unit
from crisisdesk.reconcile import reconcile_store, total
from crisisdesk.reconcile.stored import is_fresh
from crisisdesk.reconcile.totals import FULL_EXCLUDED, STALE_NOTE, TotalResult
from crisisdesk.store import Question, Store
from crisisdesk.store import schema as s

GOVS = {"SY07": "Idlib", "SY02": "Aleppo"}
START = date(2020, 1, 1)
DAYS = 91
ORGS = ("Field Desk", "Relief Watch", "Monitor Net")


def _gov(code: str) -> ResolvedPlace:
    return ResolvedPlace(
        name=GOVS[code], canonical=GOVS[code], kind="adm1", country="SY", admin1=GOVS[code],
        admin1_code=code, precision=Precision.GOVERNORATE,
    )  # fmt: skip


def _district(code: str, k: int) -> ResolvedPlace:
    name = f"{GOVS[code]} district {k}"
    return ResolvedPlace(
        name=name, canonical=name, kind="adm2", country="SY", admin1=GOVS[code],
        admin1_code=code, admin2=name, admin2_code=f"{code}{k:02d}", precision=Precision.DISTRICT,
    )  # fmt: skip


def _town(code: str, k: int, i: int) -> ResolvedPlace:
    d, name = _district(code, k), f"Tel {code[-1]}{k}{i}"
    return ResolvedPlace(
        name=name, place_id=f"t-{code}-{k}-{i}", canonical=name,
        kind="town", country="SY", admin1=d.admin1, admin1_code=code, admin2=d.admin2,
        admin2_code=d.admin2_code, precision=Precision.POINT,
    )  # fmt: skip


def _add(
    store: Store,
    text: str,
    number: int,
    place: ResolvedPlace,
    start: date,
    end: date,
    org: str,
    *,
    category: Category = Category.KILLED,
    is_total: bool = False,
) -> None:
    doc = Document.from_text(text, publisher=org, published=end + timedelta(days=1))
    at = text.index(str(number))
    fact = Fact(
        doc=doc.id, quote=text, quote_start=0, span=(at, at + len(str(number))), value=number,
        category=category, unit=Unit.PEOPLE, places=(place.name,), resolved=(place,),
        date_start=start, date_end=end, source=org, is_total=is_total,
    )  # fmt: skip
    store.add_document(doc, [fact])


@pytest.fixture(scope="module")
def quarter(module_store_url: str) -> Iterator[Store]:
    """One store per backend, reconciled once, shared by this module's questions."""
    url = module_store_url
    store = Store.open(url)
    rng = random.Random(11)
    towns = [(c, k, i) for c in GOVS for k in range(2) for i in range(3)]
    for n in range(260):
        code, k, i = rng.choice(towns)
        day = START + timedelta(days=rng.randrange(DAYS))
        value = rng.randrange(1, 40)
        org = rng.choice(ORGS)
        cat = rng.choice((Category.KILLED, Category.KILLED, Category.INJURED))
        text = f"Report {n}: {value} people {cat.value} in {_town(code, k, i).name} on {day}."
        _add(store, text, value, _town(code, k, i), day, day, org, category=cat)
        if rng.random() < 0.15:  # a second outlet repeats it, or another desk disagrees
            other = value if rng.random() < 0.6 else value + rng.randrange(3, 9)
            again = f"Outlet {n} says {other} people {cat.value} in {_town(code, k, i).name}."
            _add(store, again, other, _town(code, k, i), day, day, rng.choice(ORGS), category=cat)
    for code in GOVS:
        for k in range(2):
            for w in range(0, DAYS - 7, 7):
                ws = START + timedelta(days=w)
                value = rng.randrange(60, 160)
                text = f"Week {w} total: {value} killed across {_district(code, k).name}."
                _add(store, text, value, _district(code, k), ws, ws + timedelta(days=6),
                     "Monitor Net", is_total=True)  # fmt: skip
        for month in (1, 2, 3):
            first = date(2020, month, 1)
            last = (first.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
            value = rng.randrange(700, 1100)
            text = f"Month {month} total: {value} killed in {GOVS[code]} governorate."
            _add(store, text, value, _gov(code), first, last, "Relief Watch", is_total=True)
    reconcile_store(store)
    yield store
    store.close()


QUESTIONS = [
    {"category": "killed", "place": "SY07", "date_from": date(2020, 1, 1),
     "date_to": date(2020, 3, 31)},
    {"category": "killed", "place": "SY07", "date_from": date(2020, 2, 1),
     "date_to": date(2020, 2, 29)},
    {"category": "killed", "place": "Aleppo", "date_from": date(2020, 1, 10),
     "date_to": date(2020, 2, 20)},
    {"category": "killed", "place": "SY0701"},
    {"category": "killed", "place": "t-SY02-0-1"},
    {"category": "killed"},
    {"category": "injured", "unit": "people", "date_from": date(2020, 3, 1)},
]  # fmt: skip


def _answer(result: TotalResult) -> tuple[object, ...]:
    used = sorted((f.id, f.best, f.low, f.high, sorted(f.parts)) for f in result.figures)
    left = sorted((e.figure.id, e.code, e.reason) for e in result.excluded)
    return result.best, result.low, result.high, used, left, sorted(map(str, result.flags))


@pytest.mark.parametrize("question", QUESTIONS, ids=lambda q: "-".join(map(str, q.values())))
def test_stored_figures_answer_as_the_facts_do(quarter: Store, question: dict) -> None:
    assert is_fresh(quarter)
    stored = total(quarter, **question)
    afresh = total(quarter, **question, use_stored=False)
    assert stored.from_stored and not afresh.from_stored
    assert stored.best > 0
    assert _answer(stored) == _answer(afresh)


def test_a_quarter_counts_the_monthly_totals_not_their_weeks_and_days(quarter: Store) -> None:
    result = total(quarter, **QUESTIONS[0])
    assert result.from_stored
    assert [f.is_total for f in result.figures] == [True, True, True]
    assert [f.date_start.month for f in result.figures] == [1, 2, 3]
    reasons = result.excluded.reasons()
    assert any(r.startswith("part of the") and "week" not in r for r in reasons)
    # each figure is named as part of the shortest total holding it that the question
    # sees: a day as part of its week, a week as part of its month
    seen = {f.id: f for f in result.figures} | {e.figure.id: e.figure for e in result.excluded}
    named_lengths = []
    for fig, why in ((e.figure, e.reason) for e in result.excluded):
        if not why.startswith("part of"):
            continue
        named = seen[why.split("(figure ")[1].rstrip(")")]
        holders = [seen[p] for p in fig.part_of if p in seen]
        assert named in holders
        length = (named.date_end - named.date_start).days
        assert length == min((h.date_end - h.date_start).days for h in holders)
        named_lengths.append(length)
    assert {6, 30} <= set(named_lengths)


def test_left_out_stored_figures_are_read_back_with_their_evidence(quarter: Store) -> None:
    stored = total(quarter, **QUESTIONS[0])
    afresh = total(quarter, **QUESTIONS[0], use_stored=False)
    assert len(stored.excluded) > FULL_EXCLUDED
    by_id = {e.figure.id: e.figure for e in afresh.excluded}
    for fig in (e.figure for e in stored.excluded):
        twin = by_id[fig.id]
        assert {f.quote for f in fig.facts} == {f.quote for f in twin.facts}
        assert (fig.best, fig.places, fig.date_start, fig.sources) == (
            twin.best, twin.places, twin.date_start, twin.sources,
        )  # fmt: skip
    data = stored.to_json()["excluded"]
    assert len(data) == len(stored.excluded)
    for entry, left_out in zip(data[FULL_EXCLUDED:], list(stored.excluded)[FULL_EXCLUDED:],
                               strict=True):  # fmt: skip
        out, fig = entry["figure"], left_out.figure
        assert out["compact"] and entry["reason"] == left_out.reason
        assert entry["code"] == left_out.code
        assert sorted(out["fact_ids"]) == sorted(f.extra["fact_id"] for f in fig.facts)
        assert out["places"] == list(fig.places)


def _numbers(result: TotalResult) -> tuple[object, ...]:
    """``_answer`` without the reasons' words (those name places from the evidence)."""
    used = [(f.id, f.best, f.low, f.high, sorted(f.parts)) for f in result.figures]
    left = sorted((e.figure.id, e.code) for e in result.excluded)
    return result.best, result.low, result.high, used, left, sorted(map(str, result.flags))


@pytest.mark.parametrize("use_stored", [True, False], ids=["stored", "afresh"])
@pytest.mark.parametrize("question", QUESTIONS, ids=lambda q: "-".join(map(str, q.values())))
def test_a_total_without_evidence_counts_the_same(
    quarter: Store, question: dict, use_stored: bool
) -> None:
    """The headlines ask for numbers only (``evidence=False``): the same figures are
    counted and left out, with no facts held for them."""
    full = total(quarter, **question, use_stored=use_stored)
    bare = total(quarter, **question, use_stored=use_stored, evidence=False)
    assert bare.from_stored == full.from_stored == use_stored
    assert _numbers(bare) == _numbers(full)
    assert all(f.facts for f in full.figures)
    assert not any(f.facts for f in bare.figures)


def test_figures_read_back_a_chunk_at_a_time_count_the_same(
    quarter: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Stored figures are read back a chunk of ids at a time (``Store.iter_figures``):
    chunks of 7 figures give what one read of them all gives."""
    from crisisdesk.store import questions

    want = [_answer(total(quarter, **q)) for q in QUESTIONS]
    ids = [f.id for f in quarter.figures_for(Question("killed"))]
    whole = quarter.read_figures(ids)
    monkeypatch.setattr(questions, "CHUNK", 7)
    assert [_answer(total(quarter, **q)) for q in QUESTIONS] == want
    chunked = quarter.read_figures(ids)
    assert len(list(quarter.iter_figures(ids))) == -(-len(ids) // 7)
    assert [astuple(f) for f in chunked.figures] == [astuple(f) for f in whole.figures]
    # (facts in the order the database returns them: compared as sets of ids)
    assert _fact_ids(chunked.facts) == _fact_ids(whole.facts)
    assert chunked.parts == whole.parts


def _fact_ids(facts: dict) -> dict[str, list[str]]:
    return {k: sorted(f.id for f in v) for k, v in facts.items()}


def test_a_change_after_reconciling_is_counted_at_once(quarter: Store) -> None:
    question = {"category": "killed", "place": "t-SY02-1-2", "date_from": date(2020, 4, 2),
                "date_to": date(2020, 4, 2)}  # fmt: skip
    before = total(quarter, **question)
    assert before.from_stored and before.best == 0
    day = date(2020, 4, 2)
    _add(quarter, "Report late: 17 people killed in Tel 212 that day.", 17,
         _town("SY02", 1, 2), day, day, "Field Desk")  # fmt: skip
    assert not is_fresh(quarter)
    after = total(quarter, **question)
    assert not after.from_stored and after.best == 17
    assert STALE_NOTE in after.notes and STALE_NOTE not in before.notes
    reconcile_store(quarter)
    assert total(quarter, **question).from_stored


def test_a_stored_figure_that_lost_its_facts_falls_back_to_the_facts(quarter: Store) -> None:
    """Figure rows whose facts cannot be read back (the store changed under the
    question) never give a partial answer: ``total`` reconciles the facts instead."""
    question = QUESTIONS[1]
    want = _answer(total(quarter, **question, use_stored=False))
    top = total(quarter, **question).figures[0].id
    ff = s.figure_facts
    with quarter.engine.begin() as conn:
        kept = conn.execute(select(ff).where(ff.c.figure_id == top)).all()
        conn.execute(delete(ff).where(ff.c.figure_id == top))
    try:
        assert is_fresh(quarter)  # figure tables are not watched: only the facts are
        result = total(quarter, **question)
        assert not result.from_stored
        assert _answer(result) == want
    finally:
        with quarter.engine.begin() as conn:
            conn.execute(ff.insert(), [dict(r._mapping) for r in kept])


def test_reconciling_leaves_the_schema_as_migrated(quarter: Store) -> None:
    """Writing figures drops and rebuilds their indexes: they must come back as the
    migrations made them."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    reconcile_store(quarter)
    with quarter.engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), s.metadata) == []


def test_foreign_keys_are_checked_again_after_reconciling(quarter: Store) -> None:
    """SQLite writes the figures without foreign-key checks; they are back on after."""
    from sqlalchemy.exc import IntegrityError

    reconcile_store(quarter)
    for _ in range(3):  # whichever pooled connection comes next
        with pytest.raises(IntegrityError), quarter.engine.begin() as conn:
            conn.execute(s.figure_facts.insert().values(figure_id="none", fact_id="none"))


def test_stored_figures_keep_place_names_as_written(store: Store) -> None:
    """The gazetteer's spelling resolves a place; the figure shows the report's own."""
    place = ResolvedPlace(
        name="Sarakib", place_id="t-saraqib", canonical="Saraqib", kind="town", country="SY",
        admin1="Idlib", admin1_code="SY07", admin2_code="SY0700", precision=Precision.POINT,
    )  # fmt: skip
    day = date(2020, 2, 3)
    _add(store, "Report: 41 people killed in Sarakib that morning.", 41, place, day, day,
         "Field Desk")  # fmt: skip
    question = {"category": "killed", "place": "SY07"}
    afresh = total(store, **question)
    reconcile_store(store)
    stored = total(store, **question)
    assert stored.from_stored and not afresh.from_stored
    assert (
        [f.places for f in stored.figures] == [f.places for f in afresh.figures] == [("Sarakib",)]
    )
    [listed] = store.figures_for(Question("killed", place=store.find_place("SY07")))
    assert listed.places == ("Sarakib",)
