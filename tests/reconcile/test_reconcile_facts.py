"""The pure reconcile pass: grouping, estimates, total/part links and plausibility flags.

Facts here are built directly (no documents): each test states a small
situation in its own words and checks what a careful analyst would conclude.
"""

from __future__ import annotations

from datetime import date

from crisisdesk.model import (
    Category,
    Fact,
    Precision,
    Qualifier,
    ResolvedPlace,
    StoredFact,
    Unit,
)
from crisisdesk.reconcile import reconcile_facts
from crisisdesk.reconcile.intervals import IntervalIndex

D = date(2020, 2, 10)


def mk(
    doc: str,
    value: int | None,
    *,
    quote: str | None = None,
    places: tuple[str, ...] = ("Ariha",),
    start: date | None = D,
    end: date | None = None,
    category: Category = Category.KILLED,
    unit: Unit = Unit.PEOPLE,
    **kw,
) -> Fact:
    quote = quote or f"{value} people were killed in {places[0] if places else 'the area'}"
    return Fact(
        doc=doc,
        quote=quote,
        quote_start=0,
        span=(0, len(str(value))),
        value=value,
        category=category,
        unit=unit,
        places=places,
        date_start=start,
        date_end=end or start,
        **kw,
    )


def stored(fact: Fact, published: date, publisher: str | None = None) -> StoredFact:
    return StoredFact(id=fact.key, fact=fact, published=published, publisher=publisher)


def by_best(figures):
    return {f.best: f for f in figures}


def test_three_reports_of_one_count_are_one_figure() -> None:
    figs = reconcile_facts(
        [
            mk("a", 12, source="SNHR", quote="12 people died after the strike on Ariha"),
            mk("b", 12, source="SOHR", quote="the strike on Ariha killed 12"),
            mk("c", 12, source="SCD", quote="our teams recovered 12 bodies in Ariha"),
        ]
    )
    assert len(figs) == 1
    fig = figs[0]
    assert (fig.low, fig.best, fig.high) == (12, 12, 12)
    assert fig.rule == "all reports agree"
    assert set(fig.sources) == {"SNHR", "SOHR", "SCD"}
    assert fig.explanation.count("reported again by") == 2


def test_disagreeing_sources_give_a_range_and_the_rule_names_the_winner() -> None:
    facts = [
        stored(mk("a", 30, source="Alpha Monitor"), date(2020, 2, 11)),
        stored(mk("b", 45, source="Beta Watch"), date(2020, 2, 11)),
    ]
    figs = reconcile_facts(facts, reliability={"alpha monitor": 0.9, "beta watch": 0.4})
    [fig] = figs
    assert (fig.low, fig.best, fig.high) == (30, 30, 45)
    assert fig.rule == "most reliable source"
    # the most recent report wins over reliability
    facts[1] = stored(facts[1].fact, date(2020, 2, 12))
    [fig] = reconcile_facts(facts, reliability={"alpha monitor": 0.9, "beta watch": 0.4})
    assert (fig.best, fig.rule) == (45, "most recent")
    # an exact number wins over "more than"
    vague = mk("c", 50, source="Gamma", qualifier=Qualifier.AT_LEAST)
    [fig] = reconcile_facts([vague, mk("d", 41, source="Delta")])
    assert (fig.best, fig.rule, fig.high) == (41, "most specific", 50)


def test_separate_counts_in_one_document_are_not_merged() -> None:
    figs = reconcile_facts([mk("a", 5, quote="5 died in the market"), mk("a", 3)])
    assert sorted(f.best for f in figs) == [3, 5]


def test_different_days_and_places_stay_apart() -> None:
    figs = reconcile_facts(
        [mk("a", 5), mk("b", 5, start=date(2020, 2, 11)), mk("c", 5, places=("Binnish",))]
    )
    assert len(figs) == 3


def test_overlapping_weeks_merge_only_when_close_or_same_source() -> None:
    week1 = mk("a", 100, start=date(2020, 2, 1), end=date(2020, 2, 7), source="X")
    week2 = mk("b", 104, start=date(2020, 2, 2), end=date(2020, 2, 8), source="Y")
    far = mk("c", 300, start=date(2020, 2, 1), end=date(2020, 2, 8), source="Z")
    figs = reconcile_facts([week1, week2, far])
    assert sorted(len(f.facts) for f in figs) == [1, 2]


def test_month_contains_days_and_parts_exceeding_it_are_flagged() -> None:
    month = mk(
        "m", 20, start=date(2020, 2, 1), end=date(2020, 2, 29), places=("Idlib",), is_total=True
    )
    days = [mk(f"d{i}", 9, start=date(2020, 2, i), places=("Sarmin", "Idlib")) for i in (3, 4, 5)]
    figs = by_best(reconcile_facts([month, *days]))
    total = figs[20]
    assert total.is_total and len(total.parts) == 3
    assert any(f.code == "parts_exceed_total" and "27" in f.message for f in total.flags)
    assert all(f.part_of == (total.id,) for f in reconcile_facts(days + [month]) if f.best == 9)


def test_nesting_by_admin_codes_once_places_are_resolved() -> None:
    gov = ResolvedPlace(
        name="Idleb",
        place_id="g1",
        kind="adm1",
        country="SY",
        admin1_code="SY07",
        precision=Precision.GOVERNORATE,
    )
    town = ResolvedPlace(
        name="Kafr Nubl",
        place_id="t9",
        kind="town",
        country="SY",
        admin1_code="SY07",
        admin2_code="SY0703",
        precision=Precision.POINT,
    )
    other = ResolvedPlace(
        name="Atarib",
        place_id="t4",
        kind="town",
        country="SY",
        admin1_code="SY02",
        precision=Precision.POINT,
    )
    month = mk(
        "m", 50, start=date(2020, 2, 1), end=date(2020, 2, 29), places=("Idleb",), resolved=(gov,)
    )
    day = mk("d", 7, places=("Kafr Nubl",), resolved=(town,))
    elsewhere = mk("e", 4, places=("Atarib",), resolved=(other,))
    figs = by_best(reconcile_facts([month, day, elsewhere]))
    assert figs[7].part_of == (figs[50].id,)
    assert figs[4].part_of == ()


def test_children_are_part_of_the_civilians_count() -> None:
    everyone = mk("a", 30, subject="civilians", quote="30 civilians, 10 of them children")
    children = mk("a", 10, subject="children", quote="30 civilians, 10 of them children")
    figs = by_best(reconcile_facts([everyone, children]))
    assert figs[10].part_of == (figs[30].id,)


def test_household_size_far_from_usual_is_flagged_not_fixed() -> None:
    sy = ResolvedPlace(name="Ariha", place_id="p1", country="SY", precision=Precision.POINT)
    quote = "1,000 families (12,000 people) fled Ariha"
    fams = mk(
        "a", 1000, quote=quote, unit=Unit.FAMILIES, category=Category.DISPLACED, resolved=(sy,)
    )
    ppl = mk("a", 12000, quote=quote, category=Category.DISPLACED, resolved=(sy,))
    figs = by_best(reconcile_facts([fams, ppl]))
    assert figs[12000].best == 12000  # unchanged
    for fig in figs.values():
        [flag] = fig.flags
        assert flag.code == "household_size" and "12.0 people per family" in flag.message
        assert "in SY" in flag.message
    ok_quote = "1,000 families (5,500 people) fled Ariha"
    fine = reconcile_facts(
        [
            mk(
                "b",
                1000,
                quote=ok_quote,
                unit=Unit.FAMILIES,
                category=Category.DISPLACED,
                resolved=(sy,),
            ),
            mk("b", 5500, quote=ok_quote, category=Category.DISPLACED, resolved=(sy,)),
        ]
    )
    assert all(not f.flags for f in fine)


def test_cumulative_count_that_falls_is_flagged() -> None:
    since = date(2019, 12, 1)
    early = mk("a", 300, start=since, end=date(2020, 1, 15), is_total=True, source="X")
    late = mk("b", 250, start=since, end=date(2020, 1, 30), is_total=True, source="X")
    figs = by_best(reconcile_facts([early, late]))
    assert any(f.code == "cumulative_falls" for f in figs[250].flags)
    assert not figs[300].flags
    assert figs[300].part_of == (figs[250].id,)  # the later running total covers the earlier


def test_a_figure_far_from_the_others_is_flagged() -> None:
    figs = reconcile_facts([mk("a", 40, source="A"), mk("b", 42, source="B"), mk("c", 400)])
    [fig] = figs
    assert (fig.low, fig.high) == (40, 400)
    assert any(f.code == "sources_disagree" and "400" in f.message for f in fig.flags)


def test_vague_amounts_join_but_give_no_number() -> None:
    [fig] = reconcile_facts([mk("a", None, value_text="dozens")])
    assert fig.best is None and fig.low is None


def test_interval_index_finds_overlaps_and_containers() -> None:
    idx: IntervalIndex[str] = IntervalIndex()
    idx.add(1, 31, "month")
    for day in range(1, 32):
        idx.add(day, day, f"d{day}")
    idx.add(25, 40, "straddle")
    assert {p for _, _, p in idx.overlapping(30, 33)} == {"month", "d30", "d31", "straddle"}
    assert {p for _, _, p in idx.containing(5, 6)} == {"month"}
    idx.insert(6, 6, "late")
    assert {p for _, _, p in idx.containing(6, 6)} == {"month", "d6", "late"}
