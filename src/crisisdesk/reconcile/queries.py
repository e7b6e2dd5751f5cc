"""The narrow reads behind ``total`` and ``load_figures``.

``total`` reconciles the facts of one question (category, unit, place,
period) from the facts themselves, so the answer is right even when
``reconcile`` has not run since the last ingest or review. To stay fast on a
large store, a place name is first turned into admin codes or a gazetteer id
(indexed columns of ``fact_places``); only when no fact carries a code for it
are facts matched by name, which reads the whole places table.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

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
from crisisdesk.reconcile.items import ADM1_KINDS, ADM2_KINDS, name_key
from crisisdesk.store import Store
from crisisdesk.store import schema as s

LIVE = ("unreviewed", "verified", "corrected")
VERIFIED = ("verified", "corrected")


@dataclass(frozen=True, slots=True)
class PlaceMatch:
    """What a place asked for by the user matches: codes when known, its name always."""

    text: str
    place_ids: frozenset[str] = frozenset()
    admin1_codes: frozenset[str] = frozenset()
    admin2_codes: frozenset[str] = frozenset()

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
    return PlaceMatch(needle, frozenset(ids), frozenset(a1), frozenset(a2))


def _first(conn: Connection, stmt: Any) -> Any:
    row = conn.execute(stmt.limit(1)).first()
    return row[0] if row is not None else None


SHORT_WINDOW = 100  # days: below this, start from the dates index and check each fact's places


def _place_condition(match: PlaceMatch, *, per_fact: bool) -> Any:
    """Facts at the place or inside it.

    ``per_fact``: a short window selects few facts by date, so each is checked
    against its own places (an indexed probe); otherwise the facts of the place
    are listed first from the admin-code indexes. By name, both read names
    (no index on them), which is why codes are preferred.
    """
    f = s.facts
    p = s.fact_places.alias("match_places")  # the outer query joins fact_places too
    if match.by_code:
        tests = []
        if match.admin1_codes:
            tests.append(p.c.admin1_code.in_(match.admin1_codes))
        if match.admin2_codes:
            tests.append(p.c.admin2_code.in_(match.admin2_codes))
        if match.place_ids:
            tests.append(p.c.place_id.in_(match.place_ids))
    else:
        low = match.text.lower()
        tests = [
            func.lower(p.c.name) == low,
            func.lower(p.c.canonical) == low,
            func.lower(p.c.admin1) == low,
            func.lower(p.c.admin2) == low,
        ]
    if per_fact:
        return exists(select(p.c.id).where(p.c.fact_id == f.c.id, or_(*tests)))
    if match.by_code and len(tests) > 1:
        return f.c.id.in_(union(*(select(p.c.fact_id).where(t) for t in tests)))
    return f.c.id.in_(select(p.c.fact_id).where(or_(*tests)))


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
    undated = or_(f.c.date_start.is_not(None), f.c.date_end.is_not(None), within(d.c.published))
    return [arms, undated]


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
    f, d, p = s.facts, s.documents, s.fact_places
    conds = [
        f.c.category == category,
        f.c.status.in_(VERIFIED if verified_only else LIVE),
        *_window(date_from, date_to),
    ]
    if unit:
        conds.append(f.c.unit == unit)
    if place is not None:
        short = bool(date_from and date_to and (date_to - date_from).days < SHORT_WINDOW)
        conds.append(_place_condition(place, per_fact=short or not place.by_code))
    stmt = (
        select(*fact_columns())
        .join(d, d.c.id == f.c.doc_id)
        .outerjoin(p, p.c.fact_id == f.c.id)
        .where(*conds)
    )
    with store.engine.connect() as conn:
        return stored_facts(conn.execute(stmt))


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


def stored_facts(rows: Iterable[Any], skip: int = 0) -> list[StoredFact]:
    """Rows laid out as ``fact_columns()`` (after ``skip`` leading columns) -> one
    StoredFact per fact, places in their written order."""
    grouped: dict[str, tuple[Any, list[tuple[int, ResolvedPlace]]]] = {}
    at_place = skip + _NF + _ND
    for row in rows:
        entry = grouped.get(row[skip])
        if entry is None:
            entry = grouped[row[skip]] = (row, [])
        if row[at_place + 1] is not None:
            entry[1].append((row[at_place], _resolved(row, at_place)))
    out = []
    for row, places in grouped.values():
        places.sort(key=lambda x: x[0])
        resolved = tuple(rp for _, rp in places)
        docs = row[skip + _NF : skip + _NF + _ND]
        out.append(
            StoredFact(
                id=row[skip],
                fact=_fact(row[skip : skip + _NF], resolved),
                status=FactStatus(row[skip + _NF - 1]),
                document_title=docs[0],
                document_url=docs[1],
                publisher=docs[2],
                published=docs[3],
            )
        )
    return out


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
        precision=Precision(precision or "unresolved"),
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
        qualifier=Qualifier(qual),
        unit=Unit(unit),
        category=Category(cat),
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
