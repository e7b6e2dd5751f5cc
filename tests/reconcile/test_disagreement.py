"""Whether organisations disagree, told once per way of stating a number
(``checks.orgs_disagree``), is what comparing every pair of facts tells
(``checks.disagree_pairwise``): same values, ranges and qualifiers, several
organisations or one, publishers standing in for a missing source."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from crisisdesk.model import Category, Fact, Qualifier, Unit
from crisisdesk.reconcile import checks
from crisisdesk.reconcile.items import item_of

# (document, value, value above it or None, qualifier, source)
fact_specs = st.tuples(
    st.sampled_from("abc"),
    st.sampled_from([0, 10, 11, 12, 20, 100, 104, 130]),
    st.one_of(st.none(), st.sampled_from([1, 5, 40])),
    st.sampled_from(list(Qualifier)),
    st.sampled_from([None, "Monitor", "monitor", "Civil Defence"]),
)


def _item(spec: tuple, n: int):  # noqa: ANN202 - an Item
    doc, value, above, qualifier, source = spec
    fact = Fact(
        doc=doc,
        quote=f"{value} people were killed",
        span=(0, len(str(value))),
        value=value,
        value_high=None if above is None else value + above,
        qualifier=qualifier,
        category=Category.KILLED,
        unit=Unit.PEOPLE,
        source=source,
        extra={"n": n},
    )
    return item_of(fact)


@settings(max_examples=400, deadline=None)
@given(specs=st.lists(fact_specs, min_size=0, max_size=16))
def test_once_per_way_of_stating_is_every_pair(specs) -> None:
    numeric = [_item(spec, n) for n, spec in enumerate(specs)]
    assert checks.orgs_disagree(numeric) == checks.disagree_pairwise(numeric)


def test_one_organisation_does_not_disagree_with_itself() -> None:
    same = [_item(("a", 10, None, Qualifier.EXACT, "Monitor"), 0),
            _item(("b", 100, None, Qualifier.EXACT, "monitor"), 1)]  # fmt: skip
    assert not checks.orgs_disagree(same)
    other = [*same, _item(("c", 10, None, Qualifier.EXACT, "Civil Defence"), 2)]
    assert checks.orgs_disagree(other)
