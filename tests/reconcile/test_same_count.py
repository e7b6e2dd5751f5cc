"""When two reports are one count, and when they are a total and its part.

Running counts from two organisations a day apart are one count that they
disagree on; a document's two different numbers are two counts; people
counted for their role are not inside the civilians count; an organisation's
own monthly count with no place holds its own daily counts.
"""

from __future__ import annotations

from datetime import date

from places import governorate, idlib_district

from crisisdesk.model import Category, Fact, Qualifier, StoredFact, Unit
from crisisdesk.reconcile import reconcile_facts
from crisisdesk.reconcile.grouping import SAME_COUNT_END_DAYS

SINCE = date(2019, 12, 1)


def running(doc: str, value: int, end: date, source: str, **kw) -> Fact:
    kw.setdefault("places", ("Idlib",))
    kw.setdefault("start", SINCE)
    return Fact(
        doc=doc,
        quote=f"{value} people have fled since the start of December, {source} says",
        span=(0, len(str(value))),
        value=value,
        category=Category.DISPLACED,
        unit=Unit.PEOPLE,
        places=kw.pop("places"),
        date_start=kw.pop("start"),
        date_end=end,
        source=source,
        is_total=True,
        **kw,
    )


def killed(doc: str, value: int, start: date, end: date | None = None, **kw) -> Fact:
    kw.setdefault("places", ())
    return Fact(
        doc=doc,
        quote=kw.pop("quote", f"{value} were killed"),
        span=(0, len(str(value))),
        value=value,
        category=Category.KILLED,
        unit=Unit.PEOPLE,
        date_start=start,
        date_end=end or start,
        **kw,
    )


def test_running_counts_a_day_apart_are_one_count_that_sources_disagree_on() -> None:
    big = running("ocha", 600_000, date(2020, 2, 6), "Aid Monitor", qualifier=Qualifier.APPROX)
    small = running("rcg", 530_000, date(2020, 2, 7), "Coordination Group")
    [fig] = reconcile_facts([StoredFact(id="a", fact=big), StoredFact(id="b", fact=small)])
    assert (fig.low, fig.best, fig.high) == (530_000, 530_000, 600_000)
    assert fig.rule == "most specific"  # an exact number beats "an estimated"
    assert {"Aid Monitor", "Coordination Group"} <= set(fig.sources)
    assert not fig.parts and not fig.part_of
    [flag] = fig.flags
    assert flag.code == "sources_disagree"
    assert "600,000" in flag.message and "530,000" in flag.message
    assert "for the same count up to 2020-02-06" in fig.explanation


def test_running_counts_far_apart_in_time_stay_two_figures() -> None:
    later = date(2020, 2, 6).toordinal() + SAME_COUNT_END_DAYS + 3
    figs = reconcile_facts(
        [
            running("a", 400_000, date(2020, 2, 6), "Aid Monitor"),
            running("b", 450_000, date.fromordinal(later), "Coordination Group"),
        ]
    )
    assert sorted(f.best for f in figs) == [400_000, 450_000]


def test_counts_to_date_with_no_first_day_a_few_days_apart_are_one_count() -> None:
    figs = reconcile_facts(
        [
            running("a", 900, date(2020, 3, 1), "Aid Monitor", start=None),
            running("b", 1_100, date(2020, 3, 4), "Coordination Group", start=None),
        ]
    )
    [fig] = figs
    assert (fig.low, fig.high) == (900, 1_100)


def test_a_part_larger_than_its_total_over_the_same_days_is_a_disagreement() -> None:
    gov = governorate("Idlib", "SY07")
    district = idlib_district("Ariha district", "SY0702")
    wide = running("a", 50_000, date(2020, 2, 6), "Aid Monitor", resolved=(gov,))
    narrow = running(
        "b", 52_000, date(2020, 2, 7), "Coordination Group",
        places=("Ariha district",), resolved=(district,),
    )  # fmt: skip
    [fig] = reconcile_facts([wide, narrow])
    assert (fig.low, fig.high) == (50_000, 52_000)
    assert not any(f.code == "parts_exceed_total" for f in fig.flags)
    # a clearly smaller count for the district is a part of the governorate's total
    part = running(
        "c", 20_000, date(2020, 2, 6), "Coordination Group",
        places=("Ariha district",), resolved=(district,),
    )  # fmt: skip
    figs = {f.best: f for f in reconcile_facts([wide, part])}
    assert figs[20_000].part_of == (figs[50_000].id,)


def test_a_day_count_larger_than_a_count_for_nearly_the_same_days_is_not_its_part() -> None:
    month = killed("a", 100, date(2020, 2, 1), date(2020, 2, 29), places=("Sarmin",), source="A")
    most = killed("b", 150, date(2020, 2, 1), date(2020, 2, 27), places=("Sarmin",), source="B")
    [fig] = reconcile_facts([month, most])
    assert (fig.low, fig.high) == (100, 150)


def test_one_document_never_gives_one_count_two_numbers() -> None:
    jan = (date(2020, 1, 1), date(2020, 1, 31))
    civilians = killed("digest", 130, *jan, qualifier=Qualifier.AT_LEAST, is_total=True)
    staff = killed("digest", 3, *jan, is_total=True, quote="three of its members were killed")
    repeat = killed(
        "wire", 130, *jan, qualifier=Qualifier.AT_LEAST, is_total=True, source="Rescue Service"
    )
    figs = {f.best: f for f in reconcile_facts([civilians, staff, repeat])}
    assert set(figs) == {130, 3}
    assert (figs[130].low, figs[130].high) == (130, 130)
    assert {f.doc for f in figs[130].facts} == {"digest", "wire"}
    assert [f.doc for f in figs[3].facts] == ["digest"]


def test_people_counted_for_their_role_are_not_inside_the_civilians_count() -> None:
    day = date(2020, 1, 9)
    civilians = killed("a", 12, day, subject="civilians", places=("Binnish",))
    volunteers = killed("a", 2, day, subject="volunteers", places=("Binnish",))
    children = killed("a", 5, day, subject="children", places=("Binnish",))
    other_report = killed("b", 2, day, subject="aid workers", places=("Binnish",))
    figs = reconcile_facts([civilians, volunteers, children, other_report])
    by_subject = {f.subject: f for f in figs}
    assert len(figs) == 4  # volunteers and aid workers are not the same count either
    assert by_subject["volunteers"].part_of == ()
    assert by_subject["aid workers"].part_of == ()
    assert by_subject["children"].part_of == (by_subject["civilians"].id,)


def test_an_organisations_monthly_count_with_no_place_holds_its_own_daily_counts() -> None:
    jan = (date(2020, 1, 1), date(2020, 1, 31))
    month = killed("m", 140, *jan, is_total=True, source="Rescue Service")
    own_day = killed("d1", 6, date(2020, 1, 16), places=("Sarmin",), source="Rescue Service")
    other_day = killed("d2", 4, date(2020, 1, 18), places=("Taftanaz",), source="Other Desk")
    figs = {f.best: f for f in reconcile_facts([month, own_day, other_day])}
    assert figs[6].part_of == (figs[140].id,)
    assert figs[4].part_of == ()  # someone else's day could be anywhere: not assumed inside


def test_a_few_days_apart_is_nearly_the_same_only_for_long_periods() -> None:
    """Three days out of a week is not "nearly the same"; three out of two months is."""
    start = date(2020, 1, 6)
    week = running("a", 800, date(2020, 1, 12), "Aid Monitor", start=start)
    three_days = running("b", 500, date(2020, 1, 9), "Coordination Group", start=start)
    assert len(reconcile_facts([week, three_days])) == 2
    long_a = running("c", 80_000, date(2020, 2, 6), "Aid Monitor")
    long_b = running("d", 70_000, date(2020, 2, 9), "Coordination Group")
    assert len(reconcile_facts([long_a, long_b])) == 1
