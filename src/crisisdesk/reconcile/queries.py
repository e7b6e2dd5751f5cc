"""The narrow reads behind ``total`` and ``load_figures``.

``total`` reconciles the facts of one question (category, unit, place,
period) from the facts themselves, so the answer is right even when
``reconcile`` has not run since the last ingest or review. To stay fast on a
large store, a place name is first turned into admin codes or a gazetteer id
(indexed columns of ``fact_places``); only when no fact carries a code for it
are facts matched by name, which reads the whole places table.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from functools import partial
from typing import Any, TypeVar

from sqlalchemy import and_, exists, func, or_, select, union
from sqlalchemy.engine import Connection

from crisisdesk.model import (
    Category,
    Fact,
    FactStatus,
    Precision,
    Qualifier,
    ResolvedPlace,
    StoredFact,
    Unit,
)
from crisisdesk.reconcile.items import (
    ADM1_KINDS,
    ADM2_KINDS,
    Item,
    PlaceInfo,
    combine_places,
    name_key,
    period,
    place_info,
    quote_key,
    subject_key,
)
from crisisdesk.store import Store
from crisisdesk.store import schema as s

T = TypeVar("T")

LIVE = ("unreviewed", "verified", "corrected")
VERIFIED = ("verified", "corrected")


@dataclass(frozen=True, slots=True)
class PlaceMatch:
    """What a place asked for by the user matches: codes when known, its name always."""

    text: str
    place_ids: frozenset[str] = frozenset()
    admin1_codes: frozenset[str] = frozenset()
    admin2_codes: frozenset[str] = frozenset()
    # other names of the place (lower case) that unresolved places may carry
    names: frozenset[str] = frozenset()

    @property
    def all_names(self) -> frozenset[str]:
        return frozenset({self.text.lower(), *self.names})

    @property
    def by_code(self) -> bool:
        return bool(self.place_ids or self.admin1_codes or self.admin2_codes)

    @property
    def keys(self) -> frozenset[str]:
        """The place in the key space of ``items`` (to test a figure's place against)."""
        keys = {f"id:{x}" for x in self.place_ids}
        keys |= {f"a1:{x}" for x in self.admin1_codes}
        keys |= {f"a2:{x}" for x in self.admin2_codes}
        if k := name_key(self.text):
            keys.add(k)
        return frozenset(keys)


def resolve_place(store: Store, text: str, gazetteer: Any = None) -> PlaceMatch:
    """Turn a place as the user wrote it into codes: the gazetteer when given, else the
    codes that resolved facts carry for that name (or the text itself when it is a code)."""
    needle = text.strip()
    ids: set[str] = set()
    a1: set[str] = set()
    a2: set[str] = set()
    if gazetteer is not None:
        area = gazetteer.find_area(needle)
        if area is not None:
            kind = (area.kind or "").lower()
            if kind in ADM1_KINDS and area.admin1_code:
                a1.add(area.admin1_code)
            elif kind in ADM2_KINDS and area.admin2_code:
                a2.add(area.admin2_code)
            elif kind == "region" and hasattr(gazetteer, "members"):
                a1.update(gazetteer.members(area.id))  # a region is a set of admin1 areas
            elif kind != "country":  # a country is matched by name: no indexed code for it
                ids.add(area.id)
    p = s.fact_places
    with store.engine.connect() as conn:
        # Keep only codes some fact carries (an indexed probe each): facts stored
        # before places were resolved are found by name instead.
        a1 = {c for c in a1 if _first(conn, select(p.c.id).where(p.c.admin1_code == c))}
        a2 = {c for c in a2 if _first(conn, select(p.c.id).where(p.c.admin2_code == c))}
        ids = {c for c in ids if _first(conn, select(p.c.id).where(p.c.place_id == c))}
    if not (ids or a1 or a2):
        low = needle.lower()
        with store.engine.connect() as conn:
            if _first(conn, select(p.c.id).where(p.c.admin1_code == needle)):
                a1.add(needle)
            elif _first(conn, select(p.c.id).where(p.c.admin2_code == needle)):
                a2.add(needle)
            elif _first(conn, select(p.c.id).where(p.c.place_id == needle)):
                ids.add(needle)
            elif code := _first(
                conn,
                select(p.c.admin1_code).where(
                    func.lower(p.c.admin1) == low, p.c.admin1_code.is_not(None)
                ),
            ):
                a1.add(code)
            elif code := _first(
                conn,
                select(p.c.admin2_code).where(
                    func.lower(p.c.admin2) == low, p.c.admin2_code.is_not(None)
                ),
            ):
                a2.add(code)
    names: set[str] = set()
    with store.engine.connect() as conn:
        # the names facts give the area asked for by code ("SY07" is "Idlib")
        for col, codes in ((p.c.admin1, a1), (p.c.admin2, a2)):
            code_col = p.c.admin1_code if col is p.c.admin1 else p.c.admin2_code
            for code in codes:
                if name := _first(conn, select(col).where(code_col == code, col.is_not(None))):
                    names.add(str(name).lower())
        for pid in ids:
            stmt = select(p.c.canonical).where(p.c.place_id == pid, p.c.canonical.is_not(None))
            if name := _first(conn, stmt):
                names.add(str(name).lower())
    return PlaceMatch(needle, frozenset(ids), frozenset(a1), frozenset(a2), frozenset(names))


def tune_reads(conn: Connection) -> None:
    """Let SQLite map the file and keep more pages: a ``total`` reads thousands of
    rows by key, scattered over the file (per connection; no effect elsewhere)."""
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("PRAGMA mmap_size=1073741824")
        conn.exec_driver_sql("PRAGMA cache_size=-65536")


def _first(conn: Connection, stmt: Any) -> Any:
    row = conn.execute(stmt.limit(1)).first()
    return row[0] if row is not None else None


def _name_tests(p: Any, names: frozenset[str]) -> list[Any]:
    low = sorted(names)
    return [
        func.lower(p.c.name).in_(low),
        func.lower(p.c.canonical).in_(low),
        func.lower(p.c.admin1).in_(low),
        func.lower(p.c.admin2).in_(low),
    ]


def place_name_test(match: PlaceMatch) -> Any:
    """A fact has a place written or resolved under one of the names of ``match``."""
    f = s.facts
    p = s.fact_places.alias("match_places")  # the outer query joins fact_places too
    return exists(
        select(p.c.id).where(p.c.fact_id == f.c.id, or_(*_name_tests(p, match.all_names)))
    )


def uncoded_named(match: PlaceMatch, base: list[Any]) -> Any:
    """The facts (ids) with ``base`` and no admin code that name the place: a report
    whose place the gazetteer did not know is still found by its name."""
    f = s.facts
    uncoded = and_(f.c.admin1_code.is_(None), f.c.admin2_code.is_(None))
    return select(f.c.id).where(*base, uncoded, place_name_test(match))


def _place_arms(match: PlaceMatch, base: list[Any]) -> list[Any]:
    """One SELECT of fact ids per way a fact can be at the place, each with ``base``.

    Codes go through the area indexes on ``facts`` (category, unit, admin code,
    dates: one range scan); a gazetteer id through ``fact_places.place_id``.
    Facts with no coded place are still matched by name, so a report whose place
    the gazetteer did not know is never dropped silently: they are found through
    the same indexes (admin codes IS NULL) and each checks its own place names.
    """
    f = s.facts
    p = s.fact_places.alias("match_places")  # the outer query joins fact_places too
    if not match.by_code:
        return [select(f.c.id).where(*base, place_name_test(match))]
    arms = []
    if match.admin1_codes:
        arms.append(select(f.c.id).where(*base, f.c.admin1_code.in_(match.admin1_codes)))
    if match.admin2_codes:
        arms.append(select(f.c.id).where(*base, f.c.admin2_code.in_(match.admin2_codes)))
    if match.place_ids:
        by_id = select(p.c.fact_id).where(p.c.place_id.in_(match.place_ids))
        arms.append(select(f.c.id).where(*base, f.c.id.in_(by_id)))
    arms.append(uncoded_named(match, base))
    return arms


def _window(date_from: date | None, date_to: date | None) -> list[Any]:
    """Facts whose period (or, undated, publication day) shares a day with the window.

    Written as an OR of arms that each fit the (category, unit, date_start,
    date_end) index, so both databases can read only the matching index
    entries; only undated facts need their document's publication day.
    """
    if not (date_from or date_to):
        return []
    f, d = s.facts, s.documents

    def within(col: Any) -> Any:
        return and_(
            *([col >= date_from] if date_from else []), *([col <= date_to] if date_to else [])
        )

    dated = [f.c.date_start.is_not(None), f.c.date_end.is_not(None)]
    if date_to:
        dated.append(f.c.date_start <= date_to)
    if date_from:
        dated.append(f.c.date_end >= date_from)
    arms = or_(
        and_(*dated),
        and_(f.c.date_end.is_(None), f.c.date_start.is_not(None), within(f.c.date_start)),
        and_(f.c.date_start.is_(None), f.c.date_end.is_not(None), within(f.c.date_end)),
        and_(f.c.date_start.is_(None), f.c.date_end.is_(None)),
    )
    # an EXISTS by primary key rather than a join: a join made PostgreSQL hash every
    # document for the few undated facts
    published = exists(select(d.c.id).where(d.c.id == f.c.doc_id, within(d.c.published)))
    undated = or_(f.c.date_start.is_not(None), f.c.date_end.is_not(None), published)
    return [arms, undated]


def fact_conditions(
    *,
    category: str,
    unit: str | None,
    date_from: date | None,
    date_to: date | None,
    verified_only: bool,
) -> list[Any]:
    """What a ``total`` question asks of a fact, place aside."""
    f = s.facts
    conds = [
        f.c.category == category,
        f.c.status.in_(VERIFIED if verified_only else LIVE),
        *_window(date_from, date_to),
    ]
    if unit:
        conds.append(f.c.unit == unit)
    return conds


def matching_fact_ids(
    *,
    category: str,
    unit: str | None,
    place: PlaceMatch | None,
    date_from: date | None,
    date_to: date | None,
    verified_only: bool,
) -> Any:
    """A SELECT of the ids of the facts one ``total`` question is about."""
    f = s.facts
    conds = fact_conditions(
        category=category,
        unit=unit,
        date_from=date_from,
        date_to=date_to,
        verified_only=verified_only,
    )
    if place is None:
        return select(f.c.id).where(*conds)
    arms = _place_arms(place, conds)
    return arms[0] if len(arms) == 1 else union(*arms)


CHUNK = 900  # ids per IN list: under SQLite's 999 bound parameters


def chunks(ids: list[str]) -> Iterator[list[str]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def _fact_rows(conn: Connection, question: dict[str, Any]) -> list[Any]:
    """The rows (``fact_columns()``) of the facts one question is about.

    Two steps: the matching ids (through the area indexes), then the rows by
    primary key, a list of ids at a time. As one query, ``facts.id IN (ids)``
    was planned by PostgreSQL as a hash join over a scan of every fact.
    """
    f, d, p = s.facts, s.documents, s.fact_places
    ids = sorted({r[0] for r in conn.execute(matching_fact_ids(**question))})
    base = select(*fact_columns()).join(d, d.c.id == f.c.doc_id)
    base = base.outerjoin(p, p.c.fact_id == f.c.id)
    rows: list[Any] = []
    for chunk in chunks(ids):
        rows.extend(conn.execute(base.where(f.c.id.in_(chunk))))
    return rows


def load_items(
    store: Store,
    *,
    category: str,
    unit: str | None,
    place: PlaceMatch | None,
    date_from: date | None,
    date_to: date | None,
    verified_only: bool,
) -> list[Item]:
    """The live facts one ``total`` question needs, as items straight from their rows.

    Same items as ``items_of(load_facts(...))``; each ``Fact`` is built only when
    its figure is shown (``items.fact_of``), since most of a year's facts end up
    left out, inside a monthly total.
    """
    question = dict(category=category, unit=unit, place=place, date_from=date_from,
                    date_to=date_to, verified_only=verified_only)  # fmt: skip
    return _read_question(store, question, items_from_rows)


def load_facts(
    store: Store,
    *,
    category: str,
    unit: str | None,
    place: PlaceMatch | None,
    date_from: date | None,
    date_to: date | None,
    verified_only: bool,
) -> list[StoredFact]:
    """The live facts one ``total`` question needs, with their places and documents."""
    question = dict(category=category, unit=unit, place=place, date_from=date_from,
                    date_to=date_to, verified_only=verified_only)  # fmt: skip
    return _read_question(store, question, stored_facts)


def _read_question(store: Store, question: dict[str, Any], build: Callable[[Any], T]) -> T:
    """Run the facts query of one ``total`` question and build records from its rows."""
    with store.engine.connect() as conn:
        tune_reads(conn)
        return build(_fact_rows(conn, question))


FACT_COLS = (
    "id",
    "doc_id",
    "quote",
    "quote_start",
    "span_start",
    "span_end",
    "value",
    "value_high",
    "value_text",
    "qualifier",
    "unit",
    "category",
    "subject",
    "date_start",
    "date_end",
    "source",
    "is_total",
    "confidence",
    "status",
)
DOC_COLS = ("title", "url", "publisher", "published")
PLACE_COLS_ALL = (
    "position",
    "name",
    "place_id",
    "canonical",
    "kind",
    "country",
    "admin1",
    "admin1_code",
    "admin2",
    "admin2_code",
    "lat",
    "lon",
    "precision",
    "score",
)
_NF, _ND = len(FACT_COLS), len(DOC_COLS)


def fact_columns() -> list[Any]:
    """Columns ``stored_facts`` reads, in its order: facts, documents, places (outer join).

    The JSON columns are left out on purpose: decoding them dominated the time of
    a ``total`` over thousands of facts, and a fact's place names are also the
    names of its ``fact_places`` rows.
    """
    f, d, p = s.facts, s.documents, s.fact_places
    return [
        *(f.c[c] for c in FACT_COLS),
        *(d.c[c] for c in DOC_COLS),
        *(p.c[c] for c in PLACE_COLS_ALL),
    ]


# enum members by value: a dict lookup instead of an Enum call per column per row
_STATUS = {m.value: m for m in FactStatus}
_PRECISION = {m.value: m for m in Precision}
_QUALIFIER = {m.value: m for m in Qualifier}
_UNIT = {m.value: m for m in Unit}
_CATEGORY = {m.value: m for m in Category}


def stored_facts(rows: Iterable[Any], skip: int = 0) -> list[StoredFact]:
    """Rows laid out as ``fact_columns()`` (after ``skip`` leading columns) -> one
    StoredFact per fact, places in their written order."""
    grouped: dict[str, tuple[Any, list[tuple[int, ResolvedPlace]]]] = {}
    at_place = skip + _NF + _ND
    seen: dict[tuple[Any, ...], ResolvedPlace] = {}  # a few places recur across many facts
    for row in rows:
        entry = grouped.get(row[skip])
        if entry is None:
            entry = grouped[row[skip]] = (row, [])
        if row[at_place + 1] is not None:
            key = tuple(row[at_place + 1 : at_place + 14])
            place = seen.get(key)
            if place is None:
                place = seen[key] = _resolved(row, at_place)
            entry[1].append((row[at_place], place))
    out = []
    for row, places in grouped.values():
        places.sort(key=lambda x: x[0])
        resolved = tuple(rp for _, rp in places)
        docs = row[skip + _NF : skip + _NF + _ND]
        out.append(
            StoredFact(
                id=row[skip],
                fact=_fact(row[skip : skip + _NF], resolved),
                status=_STATUS[row[skip + _NF - 1]],
                document_title=docs[0],
                document_url=docs[1],
                publisher=docs[2],
                published=docs[3],
            )
        )
    return out


def items_from_rows(rows: Iterable[Any]) -> list[Item]:
    """Rows laid out as ``fact_columns()`` -> one item per fact, as ``item_of`` makes
    from the ``StoredFact`` that ``stored_facts`` would build, without building it."""
    grouped: dict[str, tuple[tuple[Any, ...], list[tuple[int, _Place]]]] = {}
    at_place = _NF + _ND
    seen: dict[tuple[Any, ...], _Place] = {}  # a few places recur across many facts
    for row in rows:
        r = tuple(row)  # plain tuple: slicing a Row costs more
        entry = grouped.get(r[0])
        if entry is None:
            entry = grouped[r[0]] = (r, [])
        if r[at_place + 1] is not None:
            key = r[at_place + 1 : at_place + 14]
            place = seen.get(key)
            if place is None:
                rp = _resolved(r, at_place)
                place = seen[key] = _Place(rp, bool(rp.place_id or rp.admin1_code), rp.name)
            entry[1].append((r[at_place], place))
    infos_of: dict[tuple[Any, ...], PlaceInfo] = {}  # per list of places
    out = []
    for r, places in grouped.values():
        if len(places) > 1:
            places.sort(key=lambda x: x[0])
        resolved = tuple(pl.resolved for _, pl in places)
        pkey = tuple(id(pl) for _, pl in places)
        info = infos_of.get(pkey)
        if info is None:
            if any(pl.coded for _, pl in places):
                infos = [place_info(pl.resolved) for _, pl in places]
            else:  # as ``item_of``: a fact with no coded place is known by its names
                infos = [place_info(ResolvedPlace(name=pl.name)) for _, pl in places]
            info = infos_of[pkey] = combine_places(infos)
        (fid, doc, quote, _qs, _s0, _s1, value, high, text, qual, unit, cat, subject) = r[:13]
        date_start, date_end, source, is_total, _conf, status = r[13:_NF]
        publisher, published = r[_NF + 2], r[_NF + 3]
        start, end = period(date_start, date_end, published)
        out.append(
            Item(
                id=fid,
                doc=doc,
                value=value,
                value_high=high,
                value_text=text,
                qualifier=_QUALIFIER[qual],
                category=cat,
                unit=unit,
                subject=subject or "",
                subject_key=subject_key(subject or ""),
                start=start,
                end=end,
                source=source,
                publisher=publisher,
                published=published.toordinal() if published else None,
                is_total=bool(is_total),
                quote=quote_key(quote),
                place=info,
                status=status,
                open_start=date_start is None and start is not None,
                make_fact=partial(_fact, r[:_NF], resolved),
            )
        )
    return out


@dataclass(frozen=True, slots=True)
class _Place:
    """A distinct place row, with what ``items_from_rows`` asks of it worked out once."""

    resolved: ResolvedPlace
    coded: bool
    name: str | None


def _resolved(r: Any, at: int) -> ResolvedPlace:
    (_, name, place_id, canonical, kind, country, admin1, admin1_code, admin2, admin2_code) = r[
        at : at + 10
    ]
    lat, lon, precision, score = r[at + 10 : at + 14]
    return ResolvedPlace(
        name=name,
        place_id=place_id,
        canonical=canonical,
        kind=kind,
        country=country,
        admin1=admin1,
        admin1_code=admin1_code,
        admin2=admin2,
        admin2_code=admin2_code,
        lat=lat,
        lon=lon,
        precision=_PRECISION[precision or "unresolved"],
        score=score or 0.0,
    )


def _fact(r: Any, resolved: tuple[ResolvedPlace, ...]) -> Fact:
    (fid, doc, quote, quote_start, s0, s1, value, high, text, qual, unit, cat, subject) = r[:13]
    date_start, date_end, source, is_total, confidence, _status = r[13:]
    return Fact(
        doc=doc,
        quote=quote,
        span=(s0, s1),
        value=value,
        value_high=high,
        value_text=text,
        qualifier=_QUALIFIER[qual],
        unit=_UNIT[unit],
        category=_CATEGORY[cat],
        subject=subject or "",
        places=tuple(p.name for p in resolved),
        date_start=date_start,
        date_end=date_end,
        source=source,
        is_total=bool(is_total),
        quote_start=quote_start,
        confidence=confidence,
        resolved=resolved if any(p.place_id or p.admin1_code for p in resolved) else (),
        extra={"fact_id": fid},
    )
