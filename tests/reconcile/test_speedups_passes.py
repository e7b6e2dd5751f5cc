"""The short cuts that make the reconcile pass fast must not change what it finds.

Each test sets a short cut beside the plain way of doing the same thing (a
scan over every interval, union-find over every item of a bucket, the union
of every item's keys) or states a situation the short cut could get wrong
(running counts for one place under two names, a people count met before
its families count).
"""

from __future__ import annotations

import hashlib
import random
from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st
from places import idlib_district

from crisisdesk.model import Category, Fact, Precision, ResolvedPlace, StoredFact, Unit
from crisisdesk.reconcile import reconcile_facts
from crisisdesk.reconcile.draft import make_draft
from crisisdesk.reconcile.figures import reconcile_items
from crisisdesk.reconcile.grouping import Groups, _join_bucket, join_pairs
from crisisdesk.reconcile.intervals import IntervalIndex
from crisisdesk.reconcile.items import Item, item_of, items_of
from crisisdesk.reconcile.nesting import _disjoint_few, select_disjoint

intervals = st.lists(
    st.tuples(st.integers(0, 60), st.integers(0, 40)).map(lambda p: (p[0], p[0] + p[1])),
    max_size=40,
)


@settings(max_examples=150, deadline=None)
@given(stored=intervals, query=st.tuples(st.integers(-5, 70), st.integers(0, 45)))
def test_covering_finds_what_a_scan_finds(stored: list[tuple[int, int]], query) -> None:
    idx: IntervalIndex[int] = IntervalIndex()
    for n, (s, e) in enumerate(stored):
        idx.add(s, e, n)
    start, end = query[0], query[0] + query[1]
    inside = sorted(n for n, (s, e) in enumerate(stored) if s <= start and e >= end)
    assert sorted(idx.covering(start, end)) == inside
    assert sorted(p for _, _, p in idx.containing(start, end)) == inside
    touching = sorted(n for n, (s, e) in enumerate(stored) if s <= end and e >= start)
    assert sorted(p for _, _, p in idx.overlapping(start, end)) == touching


@settings(max_examples=100, deadline=None)
@given(stored=intervals, late=intervals)
def test_inserted_rows_come_after_added_ones_with_the_same_start(
    stored: list[tuple[int, int]], late: list[tuple[int, int]]
) -> None:
    """``select_disjoint`` keeps the first clash it meets: order is start, then arrival."""
    idx: IntervalIndex[int] = IntervalIndex()
    rows = stored + late
    for n, (s, e) in enumerate(stored):
        idx.add(s, e, n)
    for n, (s, e) in enumerate(late, start=len(stored)):
        idx.insert(s, e, n)
    found = [p for _, _, p in idx.overlapping(-100, 200)]
    assert sorted(found) == list(range(len(rows)))
    # within one class of lengths, rows come by start and then in the order they came
    by_class: dict[int, list[int]] = {}
    for n in found:
        s, e = rows[n]
        by_class.setdefault((e - s).bit_length(), []).append(n)
    for members in by_class.values():
        assert members == sorted(members, key=lambda n: (rows[n][0], n))


def _item(doc: str, value: int, n: int) -> Item:
    fact = Fact(
        doc=doc,
        quote=f"{value} people were hurt in the shelling (report line {n})",
        span=(0, len(str(value))),
        value=value,
        category=Category.INJURED,
        unit=Unit.PEOPLE,
        date_start=date(2021, 3, 1),
        date_end=date(2021, 3, 1),
    )
    return item_of(fact)


@settings(max_examples=150, deadline=None)
@given(
    facts=st.lists(st.tuples(st.sampled_from("abcd"), st.integers(1, 4)), min_size=2, max_size=14),
    data=st.data(),
)
def test_joining_only_matched_items_gives_the_groups_of_the_whole_bucket(facts, data) -> None:
    bucket = [_item(doc, value, n) for n, (doc, value) in enumerate(facts)]
    n = len(bucket)
    pair = st.tuples(st.integers(1, 3), st.integers(0, n - 1), st.integers(0, n - 1))
    pairs = [(w, min(i, j), max(i, j)) for w, i, j in data.draw(st.lists(pair, min_size=1))]
    pairs = [p for p in pairs if p[1] != p[2]] or [(3, 0, 1)]
    whole = Groups.of_items(bucket)
    join_pairs(whole, list(pairs), lambda i: i)
    expected = [[id(bucket[i]) for i in members] for members in whole.members(n)]
    got = [[id(it) for it in group] for group in _join_bucket(bucket, list(pairs))]
    assert got == expected


def _town(n: int) -> ResolvedPlace:
    district = n % 2
    return ResolvedPlace(
        name=f"Village {n}", place_id=f"v{n}", kind="village", country="SY",
        admin1="Hama", admin1_code="SY05", admin2=f"District {district}",
        admin2_code=f"SY050{district}", precision=Precision.POINT,
    )  # fmt: skip


@settings(max_examples=100, deadline=None)
@given(choice=st.lists(st.integers(0, 3), min_size=1, max_size=5), shared=st.booleans())
def test_a_draft_has_every_key_of_its_facts_places(choice: list[int], shared: bool) -> None:
    """Keys that name one fact's place and an area around another's are self keys."""
    places = [_town(0), _town(1), _town(2), idlib_district("District 0", "SY0500")]
    items = []
    for k, n in enumerate(choice):
        fact = Fact(
            doc=f"doc{k}",
            quote=f"{k + 3} people were killed in Village {n}",
            span=(0, 1),
            value=k + 3,
            category=Category.KILLED,
            unit=Unit.PEOPLE,
            places=(places[n].name,),
            resolved=(places[0 if shared else n],),
            date_start=date(2021, 5, 2),
        )
        items.append(item_of(fact))
    draft = make_draft(items, {})
    own = frozenset().union(*(it.place.self_keys for it in items))
    around = frozenset().union(*(it.place.area_keys for it in items)) - own
    assert (draft.self_keys, draft.area_keys) == (own, around)
    raw = "|".join(sorted(it.id for it in items))
    assert draft.id == hashlib.sha256(raw.encode()).hexdigest()[:20]
    assert draft.is_total is any(it.is_total for it in items)


def _running(doc: str, value: int, end: date, source: str, place: ResolvedPlace | None) -> Fact:
    name = place.name if place else "Kafr Nabl district"
    return Fact(
        doc=doc,
        quote=f"{source} counts {value} people displaced from {name} since mid-January",
        span=(0, len(str(value))),
        value=value,
        category=Category.DISPLACED,
        unit=Unit.PEOPLE,
        places=(name,),
        resolved=(place,) if place else (),
        date_start=date(2020, 1, 15),
        date_end=end,
        source=source,
        is_total=True,
    )


def test_running_counts_for_one_place_under_two_names_join_and_other_places_do_not() -> None:
    resolved = idlib_district("Kafr Nabl district", "SY0704")
    elsewhere = idlib_district("Jisr al-Shughur district", "SY0705")
    named = _running("a", 8_000, date(2020, 2, 3), "Shelter Cluster", resolved)
    unresolved = _running("b", 8_600, date(2020, 2, 5), "Camp Coordination", None)
    other = _running("c", 8_300, date(2020, 2, 4), "Camp Coordination", elsewhere)
    figs = reconcile_facts([named, unresolved, other])
    assert sorted((f.low, f.high) for f in figs) == [(8_000, 8_600), (8_300, 8_300)]


def test_a_people_count_met_before_its_families_count_is_still_checked() -> None:
    place = ResolvedPlace(name="Maarrat", place_id="m1", country="SY", precision=Precision.POINT)
    said = "300 families, about 4,500 people, left Maarrat overnight"

    def fact(doc: str, value: int, unit: Unit, quote: str = said) -> StoredFact:
        made = Fact(
            doc=doc, quote=quote, span=(0, 3), value=value, category=Category.DISPLACED,
            unit=unit, places=("Maarrat",), resolved=(place,), date_start=date(2020, 2, 1),
        )  # fmt: skip
        return StoredFact(id=f"{doc}-{value}", fact=made, published=date(2020, 2, 2))

    figs = reconcile_facts(
        [
            fact("a", 4_500, Unit.PEOPLE),  # people first, in another figure
            fact("z", 90, Unit.PEOPLE, "90 people reached the camp"),
            fact("a", 300, Unit.FAMILIES),
        ]
    )
    flagged = {f.best for f in figs if any(x.code == "household_size" for x in f.flags)}
    assert flagged == {300, 4_500}  # 15 people per family; the camp count is not involved


def test_parts_looked_up_by_key_keep_what_the_interval_indexes_keep() -> None:
    """``check_parts_exceed`` picks a disjoint set of parts through lists by key, up to
    hundreds of parts; ``select_disjoint`` does it through interval indexes."""
    district = idlib_district("Ariha district", "SY0702")
    facts = []
    for n in range(12):
        town = ResolvedPlace(
            name=f"Hamlet {n}", place_id=f"h{n}", kind="village", country="SY",
            admin1="Idlib", admin1_code="SY07", admin2="Ariha district",
            admin2_code="SY0702", precision=Precision.POINT,
        )  # fmt: skip
        for day in range(1, 11):
            facts.append(_killed(f"daily{n}-{day}", 1 + (n * day) % 7, day, day, town))
        facts.append(_killed(f"week{n}", 9 + n, 3 + n % 4, 9 + n % 4, town))
    for first in (1, 9, 14):  # longer than a town's week: kept before the towns
        facts.append(_killed(f"district{first}", 40 + first, first, first + 7, district))
    drafts = reconcile_items(items_of(facts), {})
    assert len(drafts) > 120
    rng = random.Random(11)
    for size in (2, 30, 70, 130, len(drafts)):
        subset = rng.sample(drafts, size)
        want = [d.id for d in select_disjoint(subset, reasons=False)[0]]
        assert [d.id for d in _disjoint_few(subset)] == want


def _killed(doc: str, value: int, first: int, last: int, place: ResolvedPlace) -> Fact:
    return Fact(
        doc=doc,
        quote=f"{value} civilians lost their lives in {place.name}",
        span=(0, len(str(value))),
        value=value,
        category=Category.KILLED,
        unit=Unit.PEOPLE,
        places=(place.name,),
        resolved=(place,),
        date_start=date(2020, 3, first),
        date_end=date(2020, 3, last),
        source="Field Monitor" if value % 2 else "Relief Network",
    )
