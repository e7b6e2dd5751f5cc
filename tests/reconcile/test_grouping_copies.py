"""Repeated content (one page printed many times) is grouped through one copy of each
identical figure: the groups are the very groups comparing every pair gives."""

from __future__ import annotations

from datetime import date

from crisisdesk.model import Category, Document, Fact, Qualifier, Unit
from crisisdesk.reconcile import reconcile_facts
from crisisdesk.reconcile.grouping import _group_bucket, group_items
from crisisdesk.reconcile.items import items_of

PAGE = (
    "On 3 March 2020 the desk said 12 civilians were killed in Ariha. "
    "The same day about 40 civilians fled Ariha, the desk said. "
)


def _facts() -> list[Fact]:
    """A document of five copies of our page, a second report repeating the killed
    count, a third giving another number for it, and a weekly count around it."""
    page = Document.from_text(PAGE * 5, publisher="Desk")
    facts = []
    for k in range(5):
        base = k * len(PAGE)
        for number, category, qualifier in (
            ("12", Category.KILLED, Qualifier.EXACT),
            ("40", Category.DISPLACED, Qualifier.APPROX),
        ):
            at = base + PAGE.index(number)
            facts.append(
                Fact(
                    doc=page.id,
                    quote=PAGE.split(". ")[0 if number == "12" else 1],
                    quote_start=base,
                    span=(at, at + 2),
                    value=int(number),
                    category=category,
                    unit=Unit.PEOPLE,
                    qualifier=qualifier,
                    places=("Ariha",),
                    date_start=date(2020, 3, 3),
                    date_end=date(2020, 3, 3),
                    source="Desk",
                    subject="civilians",
                )  # fmt: skip
            )
    for text, value, start, end in (
        ("Wire: 12 civilians were killed in Ariha on 3 March.", 12, 3, 3),
        ("Monitor: 15 civilians were killed in Ariha on 3 March.", 15, 3, 3),
        ("In the week to 7 March 30 civilians were killed in Ariha.", 30, 1, 7),
    ):
        doc = Document.from_text(text, publisher=text.split(":")[0])
        at = text.index(str(value))
        facts.append(
            Fact(
                doc=doc.id,
                quote=text,
                quote_start=0,
                span=(at, at + len(str(value))),
                value=value,
                category=Category.KILLED,
                unit=Unit.PEOPLE,
                places=("Ariha",),
                date_start=date(2020, 3, start),
                date_end=date(2020, 3, end),
                source=text.split(":")[0],
                subject="civilians",
                is_total=start != end,
            )  # fmt: skip
        )
    return facts


def _ids(groups: list[list]) -> list[list[str]]:  # type: ignore[type-arg]
    return [[it.id for it in g] for g in groups]


def test_copies_group_as_every_pair_compared_would() -> None:
    items = items_of(_facts())
    merged = group_items(items)
    # the same buckets, each compared pair by pair (the quadratic path, kept for this)
    buckets: dict[tuple[str, str, str, str], list] = {}  # type: ignore[type-arg]
    for it in items:
        buckets.setdefault((it.category, it.unit, it.subject_key, it.place.primary), []).append(it)
    pairwise = [g for b in buckets.values() for g in (_group_bucket(b) if len(b) > 1 else [b])]
    assert _ids(merged) == _ids(pairwise)
    # the day's killed count: 5 copies, the wire and the monitor's conflicting 15; the
    # displaced count: 5 copies; the week's total: alone
    assert sorted(len(g) for g in merged) == [1, 5, 7]


def test_figures_from_copies_count_once() -> None:
    figures = reconcile_facts(_facts())
    killed_day = [f for f in figures if f.category == "killed" and f.date_start == f.date_end]
    values = sorted((f.best, f.low, f.high) for f in killed_day)
    assert values == [(12, 12, 15)]  # copies and the wire are one count; 15 a conflict
    [displaced] = [f for f in figures if f.category == "displaced"]
    assert displaced.best == 40 and len(displaced.facts) == 5
