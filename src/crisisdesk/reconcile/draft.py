"""A figure while it is being reconciled: a group of items, its estimate, links and flags.

Drafts are mutable (links and flags are added by later passes) and become
frozen ``model.Figure`` records, or rows of the figures tables, at the end.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from crisisdesk.reconcile.estimate import Estimate, estimate
from crisisdesk.reconcile.items import ANY_SUBJECT, Item, PlaceInfo


@dataclass(slots=True, eq=False)
class Draft:
    id: str
    items: list[Item]
    est: Estimate
    place: PlaceInfo
    self_keys: frozenset[str]
    area_keys: frozenset[str]
    is_total: bool
    # copied from the chosen fact: read in every comparison, so plain attributes
    category: str = ""
    unit: str = ""
    subject_key: str = ""
    start: int | None = None
    end: int | None = None
    parts: list[str] = field(default_factory=list)
    part_of: list[str] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)

    @property
    def best(self) -> int | None:
        return self.est.best

    @property
    def days(self) -> int:
        return self.est.chosen.days

    def flag(self, code: str, message: str) -> None:
        text = f"{code}: {message}"
        if text not in self.flags:
            self.flags.append(text)


def figure_id(items: Sequence[Item]) -> str:
    """Stable id: the same facts always make the same figure id."""
    raw = "|".join(sorted(it.id for it in items))
    return hashlib.sha256(raw.encode()).hexdigest()[:20]


def make_draft(items: list[Item], table: Mapping[str, float]) -> Draft:
    est = estimate(items, table)
    selfk: set[str] = set()
    area: set[str] = set()
    for it in items:
        selfk |= it.place.self_keys
        area |= it.place.area_keys
    return Draft(
        id=figure_id(items),
        items=items,
        est=est,
        place=est.chosen.place,
        self_keys=frozenset(selfk),
        area_keys=frozenset(area - selfk),
        is_total=any(it.is_total for it in items),
        category=est.chosen.category,
        unit=est.chosen.unit,
        subject_key=est.chosen.subject_key,
        start=est.chosen.start,
        end=est.chosen.end,
    )


def broader_place(a: Draft, b: Draft) -> bool:
    """a's place is an area that contains b's place."""
    return bool(a.self_keys & b.area_keys) and not (b.self_keys & a.area_keys)


def same_place(a: Draft, b: Draft) -> bool:
    if a.place.primary == b.place.primary:
        return True
    return bool(a.self_keys & b.self_keys) and not broader_place(a, b) and not broader_place(b, a)


def subjects_nest(outer: Draft, inner: Draft) -> bool:
    return outer.subject_key == inner.subject_key or outer.subject_key == ANY_SUBJECT


def contains(t: Draft, f: Draft) -> bool:
    """t is a total that includes f: same kind of count, t's period and place cover f's,
    and t is bigger in at least one way (longer period, wider place, wider subject)."""
    if t is f or t.category != f.category or t.unit != f.unit or not subjects_nest(t, f):
        return False
    if t.start is None or f.start is None or t.end is None or f.end is None:
        return False
    if t.start > f.start or t.end < f.end:
        return False
    wider = broader_place(t, f)
    if not wider and not same_place(t, f):
        return False
    longer = (t.end - t.start) > (f.end - f.start)
    wider_subject = t.subject_key == ANY_SUBJECT and f.subject_key != ANY_SUBJECT
    return longer or wider or wider_subject


def related(a: Draft, b: Draft) -> bool:
    """a and b may count some of the same people or things (place and subject overlap)."""
    if a.category != b.category or a.unit != b.unit:
        return False
    if not (subjects_nest(a, b) or subjects_nest(b, a)):
        return False
    return same_place(a, b) or broader_place(a, b) or broader_place(b, a)
