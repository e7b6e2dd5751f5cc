"""Joining a bucket without listing its pairs (``joining``) gives the groups that
listing every pair and joining them strongest first gives (``grouping``'s
reference), with the strengths kept and when compared again for each strength."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crisisdesk.model import Category, Fact, Qualifier, Unit
from crisisdesk.reconcile import grouping, joining
from crisisdesk.reconcile.items import item_of

DAY0 = date(2021, 3, 1)

# (document, value, first day or None, days or None, since-start, total, source, quote)
fact_specs = st.tuples(
    st.sampled_from("abcde"),
    st.sampled_from([10, 11, 12, 30, 31, 100]),
    st.one_of(st.none(), st.integers(0, 20)),
    st.one_of(st.none(), st.integers(0, 12)),
    st.booleans(),
    st.booleans(),
    st.sampled_from([None, "Monitor", "Civil Defence"]),
    st.sampled_from(["q1", "q2", "q3"]),
)


def _item(spec: tuple, n: int):  # noqa: ANN202 - an Item
    doc, value, first, days, open_start, is_total, source, quote = spec
    start = None if first is None else DAY0 + timedelta(days=first)
    end = None if start is None or days is None else start + timedelta(days=days)
    if open_start and end is not None:
        start = None  # "so far": a running count to its last day
    fact = Fact(
        doc=doc,
        quote=f"{value} people were killed ({quote})",
        span=(0, len(str(value))),
        value=value,
        qualifier=Qualifier.EXACT,
        category=Category.KILLED,
        unit=Unit.PEOPLE,
        date_start=start,
        date_end=end,
        source=source,
        is_total=is_total,
        extra={"published": (DAY0 + timedelta(days=30)).isoformat(), "n": n},
    )
    return item_of(fact)


def _ids(groups) -> list[list[int]]:  # noqa: ANN001
    return [[id(it) for it in g] for g in groups]


def test_strengths_are_grouping_s() -> None:
    assert joining.STRENGTHS == (grouping.STRONG, grouping.CLOSE_MATCH, grouping.CONFLICT)


@pytest.mark.parametrize("cache", [joining.CACHE_BYTES, 0])
@settings(max_examples=300, deadline=None)
@given(specs=st.lists(fact_specs, min_size=2, max_size=24))
def test_joining_gives_the_groups_of_every_pair_listed(cache, specs) -> None:
    bucket = [_item(spec, n) for n, spec in enumerate(specs)]
    expected = _ids(grouping._group_bucket_listed(bucket))
    was = joining.CACHE_BYTES
    joining.CACHE_BYTES = cache
    try:
        got = _ids(grouping._group_bucket(bucket))
    finally:
        joining.CACHE_BYTES = was
    assert got == expected
