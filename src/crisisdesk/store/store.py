"""The store: documents, facts, their resolved places, reviews and the audit log.

One ``Store`` wraps one SQLAlchemy engine (SQLite file by default, or a
PostgreSQL server). A document and all its facts are written in a single
transaction, and the document row is inserted with "on conflict do nothing",
so a re-run, a crash half-way or two processes ingesting the same file at
once never leave a document half-written or written twice.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, func, or_, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError, OperationalError, SQLAlchemyError

from crisisdesk.errors import ConflictError, NotFoundError, StoreError, ValidationError
from crisisdesk.model import (
    AuditEntry,
    Category,
    Document,
    Fact,
    FactStatus,
    Precision,
    Qualifier,
    ResolvedPlace,
    StoredFact,
    Unit,
    User,
    shared_area,
)
from crisisdesk.store import schema
from crisisdesk.store.migrate import upgrade

log = logging.getLogger(__name__)

DEFAULT_URL = "sqlite:///crisisdesk.sqlite"
BATCH = 1000

# Fields a reviewer may change on a fact, and how each is checked.
EDITABLE = (
    "value",
    "value_high",
    "value_text",
    "qualifier",
    "unit",
    "category",
    "subject",
    "places",
    "date_start",
    "date_end",
    "source",
    "is_total",
)


def _now() -> datetime:
    return datetime.now(UTC)


def normalise_url(url: str | None) -> str:
    """Accept a bare file path as a SQLite store; keep any other URL as given."""
    if not url:
        return DEFAULT_URL
    if "://" not in url:
        return f"sqlite:///{Path(url).expanduser()}"
    if url.startswith("postgresql://"):
        return "postgresql+psycopg://" + url.removeprefix("postgresql://")
    if url.startswith("postgres://"):
        return "postgresql+psycopg://" + url.removeprefix("postgres://")
    return url


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA journal_mode=WAL")  # readers do not block the writer
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.close()


@dataclass(frozen=True, slots=True)
class FactQuery:
    """Filters for listing facts. Places match by gazetteer id, admin codes or name."""

    category: str | None = None
    unit: str | None = None
    status: str | None = None
    doc_id: str | None = None
    place: str | None = None  # a name as written, a place id or an admin code
    date_from: date | None = None
    date_to: date | None = None
    include_rejected: bool = True
    verified_only: bool = False


class Store:
    """Documents and facts in SQL; the same code on SQLite and PostgreSQL."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    # -- opening -----------------------------------------------------------

    @classmethod
    def open(cls, url: str | None = None, *, migrate: bool = True) -> Store:
        """Open (and by default create or upgrade) the store at ``url``."""
        url = normalise_url(url)
        try:
            if url.startswith("sqlite"):
                engine = create_engine(url, connect_args={"timeout": 30})
                event.listen(engine, "connect", _sqlite_pragmas)
            else:
                engine = create_engine(url, pool_pre_ping=True)
            store = cls(engine)
            if migrate:
                upgrade(engine)
        except OperationalError as exc:
            raise StoreError(f"cannot open the store: {exc.orig}", where=_safe(url)) from exc
        except SQLAlchemyError as exc:
            raise StoreError(f"cannot open the store: {exc}", where=_safe(url)) from exc
        return store

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- documents ----------------------------------------------------------

    def has_document(self, doc_id: str) -> bool:
        with self.engine.connect() as conn:
            row = conn.execute(
                select(schema.documents.c.id).where(schema.documents.c.id == doc_id)
            ).first()
        return row is not None

    def add_document(self, doc: Document, facts: Iterable[Fact] = ()) -> bool:
        """Write a document and its facts in one transaction.

        Returns False, writing nothing, when a document with the same id is
        already stored (ingest is idempotent by content hash).
        """
        rows = [_fact_row(f) for f in facts]
        for fact in rows:
            if fact["row"]["doc_id"] != doc.id:
                raise ValidationError("a fact points at another document", where=doc.id)
        now = _now()
        try:
            with self.engine.begin() as conn:
                inserted = self._insert_ignore(
                    conn,
                    schema.documents,
                    {
                        "id": doc.id,
                        "url": doc.url,
                        "title": doc.title,
                        "publisher": doc.publisher,
                        "published": doc.published,
                        "language": doc.language,
                        "origin": doc.origin,
                        "fmt": doc.fmt,
                        "text": doc.text,
                        "locations": [list(x) for x in doc.locations],
                        "ingested_at": now,
                    },
                )
                if not inserted:
                    return False
                self._insert_fact_rows(conn, rows, now)
        except IntegrityError as exc:
            raise StoreError(f"could not store the document: {exc.orig}", where=doc.id) from exc
        return True

    def _insert_ignore(self, conn: Connection, table: Any, row: dict[str, Any]) -> bool:
        dialect = postgresql if self.dialect == "postgresql" else sqlite
        stmt = dialect.insert(table).values(**row).on_conflict_do_nothing()
        # rowcount is not reliable for ON CONFLICT on every driver; RETURNING is.
        key = next(iter(table.primary_key.columns))
        return conn.execute(stmt.returning(key)).first() is not None

    def _insert_fact_rows(
        self, conn: Connection, rows: Sequence[dict[str, Any]], now: datetime
    ) -> None:
        seen: set[str] = set()
        fact_rows, place_rows = [], []
        for item in rows:
            row = item["row"]
            if row["id"] in seen:  # two readings of the same number: keep the first
                continue
            seen.add(row["id"])
            fact_rows.append({**row, "created_at": now, "updated_at": now})
            place_rows.extend(item["places"])
        for start in range(0, len(fact_rows), BATCH):
            conn.execute(schema.facts.insert(), fact_rows[start : start + BATCH])
        kept = [p for p in place_rows if p["fact_id"] in seen]
        for start in range(0, len(kept), BATCH):
            conn.execute(schema.fact_places.insert(), kept[start : start + BATCH])

    def get_document(self, doc_id: str) -> Document:
        with self.engine.connect() as conn:
            row = conn.execute(
                select(schema.documents).where(schema.documents.c.id == doc_id)
            ).first()
        if row is None:
            raise NotFoundError(f"no document {doc_id!r}")
        return _document(row._mapping)

    def list_documents(self, *, limit: int = 50, offset: int = 0) -> list[Document]:
        d = schema.documents
        stmt = (
            select(d)
            .order_by(d.c.published.desc().nulls_last(), d.c.ingested_at.desc(), d.c.id)
            .limit(limit)
            .offset(offset)
        )
        with self.engine.connect() as conn:
            return [_document(r._mapping) for r in conn.execute(stmt)]

    def iter_documents(self) -> Iterator[Document]:
        with self.engine.connect() as conn:
            result = conn.execution_options(stream_results=True, yield_per=BATCH).execute(
                select(schema.documents).order_by(schema.documents.c.id)
            )
            for row in result:
                yield _document(row._mapping)

    def count_documents(self) -> int:
        with self.engine.connect() as conn:
            return conn.execute(select(func.count()).select_from(schema.documents)).scalar_one()

    # -- facts --------------------------------------------------------------

    def count_facts(self, query: FactQuery | None = None) -> int:
        stmt = select(func.count()).select_from(schema.facts)
        stmt = stmt.where(*self._conditions(query or FactQuery()))
        with self.engine.connect() as conn:
            return conn.execute(stmt).scalar_one()

    def iter_facts(
        self,
        query: FactQuery | None = None,
        *,
        limit: int | None = None,
        offset: int = 0,
        oldest_first: bool = False,
    ) -> Iterator[StoredFact]:
        """Facts matching ``query``, with their resolved places, in stable order."""
        f, d = schema.facts, schema.documents
        stmt = (
            select(f, d.c.title, d.c.url, d.c.publisher, d.c.published)
            .join(d, d.c.id == f.c.doc_id)
            .where(*self._conditions(query or FactQuery()))
        )
        order = (f.c.created_at, f.c.id) if oldest_first else (f.c.doc_id, f.c.span_start, f.c.id)
        stmt = stmt.order_by(*order).offset(offset)
        if limit is not None:
            stmt = stmt.limit(limit)
        with self.engine.connect() as conn:
            result = conn.execution_options(stream_results=True, yield_per=BATCH).execute(stmt)
            batch: list[Any] = []
            for row in result:
                batch.append(row._mapping)
                if len(batch) >= BATCH:
                    yield from self._stored(conn, batch)
                    batch = []
            if batch:
                yield from self._stored(conn, batch)

    def get_fact(self, fact_id: str) -> StoredFact:
        f, d = schema.facts, schema.documents
        stmt = (
            select(f, d.c.title, d.c.url, d.c.publisher, d.c.published)
            .join(d, d.c.id == f.c.doc_id)
            .where(f.c.id == fact_id)
        )
        with self.engine.connect() as conn:
            row = conn.execute(stmt).first()
            if row is None:
                raise NotFoundError(f"no fact {fact_id!r}")
            return next(self._stored(conn, [row._mapping]))

    def _conditions(self, q: FactQuery) -> list[Any]:
        f = schema.facts
        conds: list[Any] = []
        if q.category:
            conds.append(f.c.category == q.category)
        if q.unit:
            conds.append(f.c.unit == q.unit)
        if q.status:
            conds.append(f.c.status == q.status)
        if q.doc_id:
            conds.append(f.c.doc_id == q.doc_id)
        if q.verified_only:
            conds.append(f.c.status.in_(("verified", "corrected")))
        elif not q.include_rejected:
            conds.append(f.c.status != "rejected")
        if q.date_from:  # periods that end on or after the start of the window
            conds.append(or_(f.c.date_end.is_(None), f.c.date_end >= q.date_from))
            conds.append(f.c.date_end.is_not(None) | f.c.date_start.is_not(None))
        if q.date_to:
            conds.append(or_(f.c.date_start.is_(None), f.c.date_start <= q.date_to))
            conds.append(f.c.date_end.is_not(None) | f.c.date_start.is_not(None))
        if q.place:
            p = schema.fact_places
            needle = q.place.strip()
            lowered = needle.lower()
            conds.append(
                f.c.id.in_(
                    select(p.c.fact_id).where(
                        or_(
                            p.c.place_id == needle,
                            p.c.admin1_code == needle,
                            p.c.admin2_code == needle,
                            func.lower(p.c.name) == lowered,
                            func.lower(p.c.canonical) == lowered,
                            func.lower(p.c.admin1) == lowered,
                            func.lower(p.c.admin2) == lowered,
                        )
                    )
                )
            )
        return conds

    def _stored(self, conn: Connection, rows: list[Any]) -> Iterator[StoredFact]:
        ids = [r["id"] for r in rows]
        p = schema.fact_places
        places: dict[str, list[ResolvedPlace]] = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            for pr in conn.execute(
                select(p).where(p.c.fact_id.in_(chunk)).order_by(p.c.fact_id, p.c.position)
            ):
                places.setdefault(pr.fact_id, []).append(_resolved(pr._mapping))
        for r in rows:
            fact = _fact(r, tuple(places.get(r["id"], ())))
            yield StoredFact(
                id=r["id"],
                fact=fact,
                status=FactStatus(r["status"]),
                document_title=r["title"],
                document_url=r["url"],
                publisher=r["publisher"],
                published=r["published"],
            )

    # -- review -------------------------------------------------------------

    def update_fact(
        self, fact_id: str, changes: dict[str, Any], *, user: str, note: str | None = None
    ) -> StoredFact:
        """Correct a fact's fields; the old and new values go to the audit log."""
        unknown = set(changes) - set(EDITABLE)
        if unknown:
            raise ValidationError(f"these fields cannot be edited: {', '.join(sorted(unknown))}")
        current = self.get_fact(fact_id)
        old_json = current.fact.to_json()
        clean = _validated_changes(changes, current.fact)
        new_values = {k: v for k, v in clean.items() if _jsonable(old_json.get(k)) != _jsonable(v)}
        if not new_values:
            return current
        row = {k: _db_value(k, v) for k, v in new_values.items()}
        with self.engine.begin() as conn:
            conn.execute(
                schema.facts.update()
                .where(schema.facts.c.id == fact_id)
                .values(**row, status=FactStatus.CORRECTED.value, updated_at=_now())
            )
            if "places" in new_values:  # names changed: the old resolutions no longer hold
                self._replace_places(conn, fact_id, new_values["places"])
            self._audit(
                conn,
                user=user,
                action="update",
                fact_id=fact_id,
                old={k: _jsonable(old_json.get(k)) for k in new_values},
                new={k: _jsonable(v) for k, v in new_values.items()},
                note=note,
            )
        return self.get_fact(fact_id)

    def set_status(
        self, fact_id: str, status: FactStatus | str, *, user: str, note: str | None = None
    ) -> StoredFact:
        """Verify or reject a fact (nothing is deleted: a rejection is a status)."""
        status = FactStatus(status)
        current = self.get_fact(fact_id)
        with self.engine.begin() as conn:
            conn.execute(
                schema.facts.update()
                .where(schema.facts.c.id == fact_id)
                .values(status=status.value, updated_at=_now())
            )
            self._audit(
                conn,
                user=user,
                action={"verified": "verify", "rejected": "reject"}.get(status.value, "status"),
                fact_id=fact_id,
                old={"status": current.status.value},
                new={"status": status.value},
                note=note,
            )
        return self.get_fact(fact_id)

    def _replace_places(self, conn: Connection, fact_id: str, names: list[str]) -> None:
        fp = schema.fact_places
        conn.execute(fp.delete().where(fp.c.fact_id == fact_id))
        conn.execute(
            schema.facts.update()
            .where(schema.facts.c.id == fact_id)
            .values(admin1_code=None, admin2_code=None)
        )
        rows = [
            {"fact_id": fact_id, "position": i, "name": n, "precision": "unresolved"}
            for i, n in enumerate(names)
        ]
        if rows:
            conn.execute(fp.insert(), rows)

    def set_resolved_places(self, fact_id: str, places: Sequence[ResolvedPlace]) -> None:
        """Replace a fact's resolved places (after a gazetteer import, or a correction)."""
        with self.engine.begin() as conn:
            conn.execute(schema.fact_places.delete().where(schema.fact_places.c.fact_id == fact_id))
            rows = [_place_row(fact_id, i, p) for i, p in enumerate(places)]
            if rows:
                conn.execute(schema.fact_places.insert(), rows)
            conn.execute(
                schema.facts.update()
                .where(schema.facts.c.id == fact_id)
                .values(**area_codes(places), updated_at=_now())
            )

    def _audit(self, conn: Connection, *, user: str, **entry: Any) -> None:
        conn.execute(schema.audit_log.insert().values(at=_now(), user_name=user, **entry))

    def audit(self, *, fact_id: str | None = None, limit: int = 200) -> list[AuditEntry]:
        a = schema.audit_log
        stmt = select(a).order_by(a.c.at.desc(), a.c.id.desc()).limit(limit)
        if fact_id:
            stmt = stmt.where(a.c.fact_id == fact_id)
        with self.engine.connect() as conn:
            return [
                AuditEntry(
                    id=r.id,
                    at=r.at,
                    user=r.user_name,
                    action=r.action,
                    fact_id=r.fact_id,
                    old=r.old,
                    new=r.new,
                    note=r.note,
                )
                for r in conn.execute(stmt)
            ]

    def record_event(self, *, user: str, action: str, note: str | None = None) -> None:
        """Audit something that is not a fact change (a user added, a login refused...)."""
        with self.engine.begin() as conn:
            self._audit(conn, user=user, action=action, fact_id=None, old=None, new=None, note=note)

    # -- users --------------------------------------------------------------

    def add_user(self, name: str, role: str, password_hash: str, *, by: str = "cli") -> User:
        if role not in ("viewer", "analyst", "admin"):
            raise ValidationError(f"unknown role {role!r}: use viewer, analyst or admin")
        if not name.strip():
            raise ValidationError("a user needs a name")
        try:
            with self.engine.begin() as conn:
                conn.execute(
                    schema.users.insert().values(
                        name=name, role=role, password_hash=password_hash, created_at=_now()
                    )
                )
                self._audit(
                    conn,
                    user=by,
                    action="user_add",
                    fact_id=None,
                    old=None,
                    new={"name": name, "role": role},
                    note=None,
                )
        except IntegrityError as exc:
            raise ConflictError(f"a user named {name!r} already exists") from exc
        return self.get_user(name)

    def get_user(self, name: str) -> User:
        with self.engine.connect() as conn:
            r = conn.execute(select(schema.users).where(schema.users.c.name == name)).first()
        if r is None:
            raise NotFoundError(f"no user {name!r}")
        return User(r.id, r.name, r.role, r.password_hash, r.active)

    def list_users(self) -> list[User]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(schema.users).order_by(schema.users.c.name))
            return [User(r.id, r.name, r.role, r.password_hash, r.active) for r in rows]

    def set_password(self, name: str, password_hash: str) -> None:
        with self.engine.begin() as conn:
            done = conn.execute(
                schema.users.update()
                .where(schema.users.c.name == name)
                .values(password_hash=password_hash)
            ).rowcount
        if not done:
            raise NotFoundError(f"no user {name!r}")

    # -- summaries ----------------------------------------------------------

    def fact_counts(self) -> dict[str, int]:
        """Facts per review status: what the review queue and the CLI show."""
        f = schema.facts
        with self.engine.connect() as conn:
            rows = conn.execute(select(f.c.status, func.count()).group_by(f.c.status))
            return {r[0]: r[1] for r in rows}


# -- row <-> record ---------------------------------------------------------


def _safe(url: str) -> str:
    """The URL without its password, for error messages."""
    if "@" in url and "://" in url:
        scheme, rest = url.split("://", 1)
        creds, host = rest.rsplit("@", 1)
        user = creds.split(":", 1)[0]
        return f"{scheme}://{user}:***@{host}"
    return url


def _fact_row(fact: Fact) -> dict[str, Any]:
    fid = fact.key
    row = {
        "id": fid,
        "doc_id": fact.doc,
        "quote": fact.quote,
        "quote_start": fact.quote_start,
        "span_start": fact.span[0],
        "span_end": fact.span[1],
        "value": fact.value,
        "value_high": fact.value_high,
        "value_text": fact.value_text,
        "qualifier": str(fact.qualifier),
        "unit": str(fact.unit),
        "category": str(fact.category),
        "subject": fact.subject or "",
        "places": list(fact.places),
        "date_start": fact.date_start,
        "date_end": fact.date_end,
        "source": fact.source,
        "is_total": fact.is_total,
        "confidence": float(fact.confidence),
        "extra": dict(fact.extra),
        "status": FactStatus.UNREVIEWED.value,
    }
    resolved = list(fact.resolved) or [ResolvedPlace(name=n) for n in fact.places]
    places = [_place_row(fid, i, p) for i, p in enumerate(resolved)]
    row.update(area_codes(resolved))
    return {"row": row, "places": places}


def area_codes(places: Sequence[ResolvedPlace]) -> dict[str, str | None]:
    """The admin codes of the area a fact is at (what area queries index): those its
    places share (``model.shared_area``), so a district's question does not take a
    three-town count as its own, and a count naming two governorates has no
    governorate code at all (it is found by name, and ``total`` says why it is
    left out)."""
    admin1, admin2 = shared_area(places)
    return {"admin1_code": admin1, "admin2_code": admin2}


def _place_row(fact_id: str, position: int, p: ResolvedPlace) -> dict[str, Any]:
    return {
        "fact_id": fact_id,
        "position": position,
        "name": p.name,
        "place_id": p.place_id,
        "canonical": p.canonical,
        "kind": p.kind,
        "country": p.country,
        "admin1": p.admin1,
        "admin1_code": p.admin1_code,
        "admin2": p.admin2,
        "admin2_code": p.admin2_code,
        "lat": p.lat,
        "lon": p.lon,
        "precision": str(p.precision),
        "score": float(p.score),
        "candidates": list(p.candidates),
    }


def _fact(r: Any, resolved: tuple[ResolvedPlace, ...]) -> Fact:
    return Fact(
        doc=r["doc_id"],
        quote=r["quote"],
        span=(r["span_start"], r["span_end"]),
        value=r["value"],
        value_high=r["value_high"],
        value_text=r["value_text"],
        qualifier=Qualifier(r["qualifier"]),
        unit=Unit(r["unit"]),
        category=Category(r["category"]),
        subject=r["subject"] or "",
        places=tuple(r["places"] or ()),
        date_start=r["date_start"],
        date_end=r["date_end"],
        source=r["source"],
        is_total=bool(r["is_total"]),
        quote_start=r["quote_start"],
        confidence=r["confidence"],
        resolved=resolved,
        extra=dict(r["extra"] or {}),
    )


def _resolved(r: Any) -> ResolvedPlace:
    return ResolvedPlace(
        name=r["name"],
        place_id=r["place_id"],
        canonical=r["canonical"],
        kind=r["kind"],
        country=r["country"],
        admin1=r["admin1"],
        admin1_code=r["admin1_code"],
        admin2=r["admin2"],
        admin2_code=r["admin2_code"],
        lat=r["lat"],
        lon=r["lon"],
        precision=Precision(r["precision"]),
        score=r["score"],
        candidates=tuple(r["candidates"] or ()),
    )


def _document(r: Any) -> Document:
    return Document(
        id=r["id"],
        text=r["text"],
        url=r["url"],
        title=r["title"],
        publisher=r["publisher"],
        published=r["published"],
        language=r["language"],
        origin=r["origin"],
        fmt=r["fmt"],
        locations=tuple((int(o), str(label)) for o, label in r["locations"] or ()),
    )


def _jsonable(v: Any) -> Any:
    if isinstance(v, date):
        return v.isoformat()
    if isinstance(v, tuple):
        return list(v)
    return v


def _validated_changes(changes: dict[str, Any], current: Fact) -> dict[str, Any]:
    """Check edited values by building the fact they would make (the model validates)."""
    typed: dict[str, Any] = {}
    for key, value in changes.items():
        try:
            typed[key] = _typed(key, value)
        except (ValueError, TypeError) as exc:
            raise ValidationError(f"{key}: {exc}") from exc
    try:
        current.with_(**typed)
    except (ValueError, TypeError) as exc:
        raise ValidationError(str(exc)) from exc
    start = typed.get("date_start", current.date_start)
    end = typed.get("date_end", current.date_end)
    if start and end and start > end:
        raise ValidationError("date_start is after date_end")
    return {k: (list(v) if isinstance(v, tuple) else v) for k, v in typed.items()}


def _typed(key: str, value: Any) -> Any:
    if key in ("value", "value_high"):
        return None if value in (None, "") else int(value)
    if key == "qualifier":
        return Qualifier(value)
    if key == "unit":
        return Unit(value)
    if key == "category":
        return Category(value)
    if key in ("date_start", "date_end"):
        return None if value in (None, "") else date.fromisoformat(str(value))
    if key == "places":
        if isinstance(value, str):
            value = value.split(";")
        return tuple(p.strip() for p in value if p and p.strip())
    if key == "is_total":
        return value in (True, "true", "1", 1, "on", "yes")
    if key in ("source", "value_text"):
        return str(value).strip() or None if value is not None else None
    return str(value or "").strip()


def _db_value(key: str, value: Any) -> Any:
    if key in ("qualifier", "unit", "category"):
        return str(value)
    return value


__all__ = ["DEFAULT_URL", "FactQuery", "Store", "normalise_url"]
