"""The working form of a fact inside reconcile: flat, comparable, cheap to build.

Reconciling a million facts means comparing them many times; an ``Item``
holds exactly what the comparisons need (periods as day ordinals, place keys,
a subject class) so that grouping and nesting never re-derive it. Items are
built from ``StoredFact``/``Fact`` records (``item_of``) or from the store's
``FactRow`` records (``items_of_rows``), and keep a link back to the fact they
came from.

Place keys are strings: ``id:<gazetteer id>``, ``a1:<admin1 code>``,
``a2:<admin2 code>``, ``c:<country>`` and ``n:<lower-cased name>``. A
place's *self keys* name the place itself; its *area keys* name the areas
that contain it (its admin1 and admin2, by code and by name). One figure
covers another when one of its self keys is among the other's keys.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

from crisisdesk.model import Fact, Precision, Qualifier, ResolvedPlace, StoredFact, shared_area
from crisisdesk.store import FactRow
from crisisdesk.store.questions import ADM1_KINDS, ADM2_KINDS

# Subjects that all mean "people in general": a count of civilians and a count
# of people for the same place and period are the same count.
GENERIC_SUBJECTS = frozenset(
    {
        "",
        "people",
        "person",
        "persons",
        "individuals",
        "civilians",
        "civilian",
        "residents",
        "inhabitants",
        "population",
        "idps",
        "displaced",
        "displaced people",
        "displaced persons",
    }
)
ANY_SUBJECT = "*"
# People counted for the role they had, not as part of the population: "three of
# its volunteers were killed" is a count of its own, beside the civilians count,
# never the same count as it and never taken to be inside it (children are).
ROLE_SUBJECTS = frozenset(
    {
        "volunteer",
        "aid worker",
        "humanitarian worker",
        "rescuer",
        "rescue worker",
        "first responder",
        "medic",
        "doctor",
        "nurse",
        "health worker",
        "medical worker",
        "medical staff",
        "journalist",
        "teacher",
        "staff",
        "staff member",
        "fighter",
        "soldier",
        "combatant",
        "police officer",
    }
)

PRECISION_RANK = {
    Precision.POINT: 0,
    Precision.DISTRICT: 1,
    Precision.GOVERNORATE: 2,
    Precision.REGION: 3,
    Precision.COUNTRY: 4,
    Precision.UNRESOLVED: 2,  # unknown: neither finest nor broadest
}
QUALIFIER_RANK = {
    Qualifier.EXACT: 3,
    Qualifier.APPROX: 2,
    Qualifier.AT_LEAST: 1,
    Qualifier.AT_MOST: 1,
}


def subject_key(subject: str) -> str:
    """The class of a subject: ``*`` for people in general, else a crude singular."""
    s = " ".join(subject.lower().split())
    if s in GENERIC_SUBJECTS:
        return ANY_SUBJECT
    return s[:-1] if s.endswith("s") and not s.endswith("ss") else s


def is_role(key: str) -> bool:
    """A subject key for people counted by their role ("its own volunteers", "aid workers")."""
    words = key.split()
    return (
        key in ROLE_SUBJECTS
        or (len(words) > 1 and " ".join(words[-2:]) in ROLE_SUBJECTS)
        or (bool(words) and words[-1] in ROLE_SUBJECTS)
    )


def subject_within(outer: str, inner: str) -> bool:
    """Whether a count of ``outer`` can include a count of ``inner`` (subject keys):
    people in general include children or women, not people counted by their role."""
    return outer == inner or (outer == ANY_SUBJECT and not is_role(inner))


_NON_WORD = re.compile(r"\W+")


def quote_key(quote: str) -> str:
    """A quote with case, spacing and punctuation folded, to spot a repeated sentence."""
    return _NON_WORD.sub(" ", quote.lower()).strip()


def name_key(name: str | None) -> str | None:
    cleaned = " ".join((name or "").lower().split())
    return f"n:{cleaned}" if cleaned else None


@dataclass(frozen=True, slots=True)
class PlaceInfo:
    """One place of a fact, reduced to the keys that nesting compares."""

    primary: str
    self_keys: frozenset[str]
    area_keys: frozenset[str]
    name: str
    rank: int
    place_id: str | None = None
    country: str | None = None
    admin1_code: str | None = None
    admin2_code: str | None = None
    # places side by side: every key of every member, so a count inside one member's
    # area (a town in one of the two governorates named) is found and held
    member_keys: frozenset[str] = frozenset()


NO_PLACE = PlaceInfo("", frozenset({""}), frozenset(), "", PRECISION_RANK[Precision.UNRESOLVED])


@lru_cache(maxsize=65536)
def place_info(p: ResolvedPlace) -> PlaceInfo:
    """Keys for one resolved place (an unresolved one is known by its name only).

    Memoised: a store names a few thousand places across a million facts, and
    both arguments and results are frozen.
    """
    kind = (p.kind or "").lower()
    selfk: set[str] = set()
    area: set[str] = set()
    is_adm1 = kind in ADM1_KINDS or (p.precision == Precision.GOVERNORATE and not p.place_id)
    is_adm2 = kind in ADM2_KINDS or (p.precision == Precision.DISTRICT and not p.place_id)
    if p.place_id:
        selfk.add(f"id:{p.place_id}")
    if p.admin1_code:
        (selfk if is_adm1 else area).add(f"a1:{p.admin1_code}")
    if p.admin2_code and not is_adm1:
        (selfk if is_adm2 else area).add(f"a2:{p.admin2_code}")
    if p.country:
        (selfk if kind == "country" else area).add(f"c:{p.country}")
    for n in (p.name, p.canonical):
        if k := name_key(n):
            selfk.add(k)
    for n in (p.admin1, p.admin2):
        k = name_key(n)
        if k and k not in selfk:
            area.add(k)
    if p.place_id:
        primary = f"id:{p.place_id}"
    elif is_adm1 and p.admin1_code:
        primary = f"a1:{p.admin1_code}"
    elif is_adm2 and p.admin2_code:
        primary = f"a2:{p.admin2_code}"
    else:
        primary = name_key(p.name) or ""
    return PlaceInfo(
        primary=primary,
        self_keys=frozenset(selfk or {primary}),
        area_keys=frozenset(area - selfk),
        name=p.canonical or p.name,
        rank=PRECISION_RANK.get(p.precision, 2),
        place_id=p.place_id,
        country=p.country,
        admin1_code=p.admin1_code,
        admin2_code=p.admin2_code,
    )


def _holds(outer: PlaceInfo, inner: PlaceInfo) -> bool:
    """outer is an area around inner (its keys name one of inner's areas)."""
    return bool(outer.self_keys & inner.area_keys) and not (inner.self_keys & outer.area_keys)


def combine_places(infos: list[PlaceInfo]) -> PlaceInfo:
    """One fact may name several places. With the areas around a place ("Saraqib,
    Idlib"), the finest is the place and the others are areas that contain it.
    Side by side ("Saraqib, Ariha and Binnish"), the count cannot be split between
    them: the place is all of them together (``side_by_side``)."""
    if not infos:
        return NO_PLACE
    if len(infos) == 1:
        return infos[0]
    inner = {i.primary: i for i in infos if not any(_holds(i, j) for j in infos if j is not i)}
    located = [i for i in inner.values() if i.place_id or i.admin1_code or i.admin2_code]
    if len(located) > 1:
        return side_by_side(located, [i for i in infos if i.primary not in inner])
    main = min(infos, key=lambda i: i.rank)  # stable: the first of the finest
    area = set(main.area_keys)
    for other in infos:
        if other is not main:
            area |= other.self_keys | other.area_keys
    return PlaceInfo(
        primary=main.primary,
        self_keys=main.self_keys,
        area_keys=frozenset(area - main.self_keys),
        name=main.name,
        rank=main.rank,
        place_id=main.place_id,
        country=main.country,
        admin1_code=main.admin1_code,
        admin2_code=main.admin2_code,
    )


MEMBERS = "m:"  # primary key prefix of places named side by side


@lru_cache(maxsize=4096)
def member_places(primary: str) -> frozenset[str]:
    """The primary keys of the places a side-by-side place is made of (else none)."""
    return frozenset(primary[2:].split("|")) if primary.startswith(MEMBERS) else frozenset()


def side_by_side(places: list[PlaceInfo], around: list[PlaceInfo]) -> PlaceInfo:
    """Several located places named together, with the areas ``around`` them: one
    place of its own, inside the areas its members share, and holding each member
    (three towns' count holds a count for one of them; it is no one town's)."""
    shared = frozenset.intersection(*(p.area_keys for p in places))
    for p in around:
        shared |= p.self_keys | p.area_keys
    primary = MEMBERS + "|".join(sorted(p.primary for p in places))

    countries = {p.country for p in places}
    admin1, admin2 = shared_area(places)
    return PlaceInfo(
        primary=primary,
        self_keys=frozenset({primary}),
        area_keys=shared,
        name=", ".join(dict.fromkeys(p.name for p in places)),
        member_keys=frozenset().union(*(p.self_keys for p in places)),
        rank=min(p.rank for p in places),
        place_id=None,
        country=next(iter(countries)) if len(countries) == 1 else None,
        admin1_code=admin1,
        admin2_code=admin2,
    )


@dataclass(slots=True)
class Item:
    """A fact as reconcile sees it. ``start``/``end`` are day ordinals (None: undated)."""

    id: str
    doc: str
    value: int | None
    value_high: int | None
    value_text: str | None
    qualifier: Qualifier
    category: str
    unit: str
    subject: str
    subject_key: str
    start: int | None
    end: int | None
    source: str | None
    publisher: str | None
    published: int | None
    is_total: bool
    quote: str
    place: PlaceInfo
    status: str = "unreviewed"
    fact: Fact | None = None
    open_start: bool = False  # "to date" with no first day: a running count from the start
    # builds ``fact`` when first needed (``total`` reads items straight from rows and
    # freezes the evidence of the few figures it shows): see ``fact_of``
    make_fact: Callable[[], Fact] | None = None

    @property
    def running(self) -> bool:
        """A cumulative count ("since 1 December", "so far"): a total over a period."""
        return self.is_total and (self.open_start or (self.start or 0) != (self.end or 0))

    @property
    def days(self) -> int:
        return 0 if self.start is None or self.end is None else self.end - self.start + 1

    @property
    def low(self) -> int | None:
        return self.value

    @property
    def high(self) -> int | None:
        return self.value_high if self.value_high is not None else self.value

    @property
    def who(self) -> str:
        """How a user knows where this fact came from: the outlet, else the source."""
        return self.publisher or self.source or f"document {self.doc}"


def fact_of(it: Item) -> Fact | None:
    """The fact an item came from, built from its row on first use."""
    if it.fact is None and it.make_fact is not None:
        it.fact = it.make_fact()
        it.make_fact = None
    return it.fact


def period(
    start: date | None, end: date | None, published: date | None
) -> tuple[int | None, int | None]:
    """A closed period in day ordinals: one open end is the other (a point in time),
    none at all falls back to the publication date ("as of")."""
    s = start or end or published
    e = end or start or published
    if s is None or e is None:
        return None, None
    if s > e:
        s, e = e, s
    return s.toordinal(), e.toordinal()


def item_of(record: StoredFact | Fact) -> Item:
    """Build an item from a stored fact (with its review status and document) or a bare fact."""
    if isinstance(record, StoredFact):
        fact, fid, status = record.fact, record.id, record.status.value
        publisher, published = record.publisher, record.published
    else:
        fact, fid, status = record, record.key, "unreviewed"
        publisher = record.extra.get("publisher")
        published = _maybe_date(record.extra.get("published"))
    resolved = fact.resolved or tuple(ResolvedPlace(name=n) for n in fact.places)
    start, end = period(fact.date_start, fact.date_end, published)
    return Item(
        id=fid,
        doc=fact.doc,
        value=fact.value,
        value_high=fact.value_high,
        value_text=fact.value_text,
        qualifier=fact.qualifier,
        category=str(fact.category),
        unit=str(fact.unit),
        subject=fact.subject,
        subject_key=subject_key(fact.subject),
        start=start,
        end=end,
        source=fact.source,
        publisher=publisher,
        published=published.toordinal() if published else None,
        is_total=fact.is_total,
        quote=quote_key(fact.quote),
        place=combine_places([place_info(p) for p in resolved]),
        status=status,
        fact=fact,
        open_start=fact.date_start is None and start is not None,
    )


def items_of(records: Iterable[StoredFact | Fact]) -> list[Item]:
    return [item_of(r) for r in records]


def _maybe_date(v: Any) -> date | None:
    if isinstance(v, date):
        return v
    try:
        return date.fromisoformat(str(v)[:10]) if v else None
    except ValueError:
        return None


_QUALIFIER = {m.value: m for m in Qualifier}


def items_of_rows(rows: Iterable[FactRow], *, keep_facts: bool = True) -> list[Item]:
    """The store's fact rows -> items, as ``item_of`` makes them from ``row.stored()``
    without building any ``Fact``: with ``keep_facts`` each item builds its fact on
    first use (``fact_of``: ``total`` shows the evidence of a few figures only)."""
    make = ItemMaker(keep_facts=keep_facts)
    return [make(r) for r in rows]


class ItemMaker:
    """Fact rows -> items one at a time (``items_of_rows``), for a reader that drops
    each row once it is an item.

    Places are reduced to keys once per distinct list of places (the store hands
    each distinct place out as one object), and the values items keep that repeat
    (subject classes, folded quotes, days) are one object each; Item's fields go
    by position, in the order the class declares them: this runs for every fact
    of a ``reconcile``.
    """

    __slots__ = ("keep_facts", "_infos", "_subjects", "_quotes", "_days")

    def __init__(self, *, keep_facts: bool = True) -> None:
        self.keep_facts = keep_facts
        # by the places' ids, with the places (an id is only unique while they live)
        self._infos: dict[tuple[int, ...], tuple[tuple[ResolvedPlace, ...], PlaceInfo]] = {}
        self._subjects: dict[str, str] = {}
        self._quotes: dict[str, str] = {}
        self._days: dict[date, int] = {}

    def _info(self, places: tuple[ResolvedPlace, ...]) -> PlaceInfo:
        pkey = tuple(map(id, places))
        known = self._infos.get(pkey)
        if known is not None:
            return known[1]
        if any(p.place_id or p.admin1_code for p in places):
            infos = [place_info(p) for p in places]
        else:  # as ``item_of``: a fact with no coded place is known by its names
            infos = [place_info(ResolvedPlace(name=p.name)) for p in places]
        info = combine_places(infos)
        self._infos[pkey] = (places, info)
        return info

    def _day(self, d: date) -> int:
        n = self._days.get(d)
        if n is None:
            n = self._days[d] = d.toordinal()
        return n

    def __call__(self, r: FactRow) -> Item:
        # ``period``, with each day's ordinal made once
        s = r.date_start or r.date_end or r.published
        e = r.date_end or r.date_start or r.published
        start = end = None
        if s is not None and e is not None:
            start, end = (self._day(e), self._day(s)) if s > e else (self._day(s), self._day(e))
        subject = r.subject or ""
        key = self._subjects.get(subject)
        if key is None:
            key = self._subjects[subject] = subject_key(subject)
        quote = quote_key(r.quote or "")
        quote = self._quotes.setdefault(quote, quote)
        published = r.published
        return Item(
            r.id,
            r.doc_id,
            r.value,
            r.value_high,
            r.value_text,
            _QUALIFIER[r.qualifier],
            r.category,
            r.unit,
            subject,
            key,
            start,
            end,
            r.source,
            r.publisher,
            self._day(published) if published else None,
            bool(r.is_total),
            quote,
            self._info(r.places),
            r.status,
            None,
            r.date_start is None and start is not None,
            r.fact if self.keep_facts else None,
        )
