"""Documents and their facts: written together, read back one at a time or in pages.

A document and all its facts are written in a single transaction, and the
document row is inserted with "on conflict do nothing", so a re-run, a crash
half-way or two processes ingesting the same file at once never leave a
document half-written or written twice.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, TypeVar

from sqlalchemy import Engine, and_, func, or_, select, type_coerce
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError
from sqlalchemy.types import NullType

from crisisdesk.errors import NotFoundError, StoreError, ValidationError
from crisisdesk.ingest.dedupe import anchors, fingerprint, repeats, sketch
from crisisdesk.model import Document, Fact, ResolvedPlace, StoredFact
from crisisdesk.store import schema
from crisisdesk.store.duplicates import common_anchors
from crisisdesk.store.rows import (
    area_codes,
    document,
    document_row,
    fact_row,
    place_row,
    resolved_place,
    stored_fact,
)

BATCH = 1000
CANDIDATES = 20  # stored documents compared in full with a new one
T = TypeVar("T")


def now() -> datetime:
    return datetime.now(UTC)


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
    # the review queue's filters (``status`` may also be "open": not verified or rejected)
    qualifier: str | None = None
    source: str | None = None  # words of the source, any case
    text: str | None = None  # words of the quote, subject, source or places
    assignee: str | None = None  # a user name, or "none" for unassigned
    figure: str | None = None  # the facts a stored figure rests on


OPEN = ("unreviewed", "corrected", "added")  # what still needs a look
# sort orders of the review queue: document order, newest change, largest value,
# least certain first
SORTS = ("document", "newest", "value", "uncertain", "oldest")


def order_by(sort: str) -> tuple[Any, ...]:
    f = schema.facts
    if sort == "newest":
        return (f.c.updated_at.desc(), f.c.id)
    if sort == "value":
        return (f.c.value.desc().nulls_last(), f.c.doc_id, f.c.span_start, f.c.id)
    if sort == "uncertain":
        return (f.c.confidence, f.c.doc_id, f.c.span_start, f.c.id)
    if sort == "oldest":
        return (f.c.created_at, f.c.id)
    return (f.c.doc_id, f.c.span_start, f.c.id)


# what ``made_facts`` reads: every column of a fact's row and its document's, and of its
# places' rows, as the driver gives them (no type's decoding: that is done on a miss)
_RAW = NullType()
_FACT_READ = (
    *schema.facts.columns,
    *(schema.documents.c[n] for n in ("title", "url", "publisher", "published")),
)
_PLACE_READ = tuple(c for c in schema.fact_places.columns if c.name != "id")
_RAW_FACT = tuple(type_coerce(c, _RAW).label(c.name) for c in _FACT_READ)
_RAW_PLACE = tuple(type_coerce(c, _RAW).label(c.name) for c in _PLACE_READ)
_MISSING = object()


class MadeMemo:
    """What a reader made of each fact (a CSV line, a page's JSON item), kept by the
    fact's stored rows exactly as read: its row with its document's columns, and
    its places' rows (``made_facts``).

    A row read again that equals the kept one, value for value, is the same fact
    with the same places and document, so what was made of it is what would be
    made again; anything else (a new version, a place resolved, a title changed)
    is made afresh and kept instead. Comparing raw rows costs a fraction of
    decoding them (JSON columns, dates) and building the records. At most
    ``size`` facts (then it starts over); threads may share one (a stale entry
    is only ever made again).
    """

    def __init__(self, size: int = 100_000) -> None:
        self.size = size
        self._made: dict[str, tuple[Any, Any]] = {}
        self.hits = 0
        self.misses = 0

    def get(self, fact_id: str, raw: Any) -> Any:
        kept = self._made.get(fact_id)
        if kept is not None and kept[0] == raw:
            self.hits += 1
            return kept[1]
        self.misses += 1
        return _MISSING

    def put(self, fact_id: str, raw: Any, made: Any) -> None:
        if len(self._made) >= self.size:
            self._made.clear()
        self._made[fact_id] = (raw, made)

    def __len__(self) -> int:
        return len(self._made)


def _at_once(query: FactQuery, limit: int | None) -> bool:
    """A page (up to ``BATCH``) or one document's facts is read whole, outside a
    transaction; anything larger is streamed through a server-side cursor."""
    return (limit is not None and limit <= BATCH) or bool(query.doc_id)


def _like(text: str) -> str:
    """A LIKE pattern for words anywhere (``%`` and ``_`` typed are plain characters)."""
    escaped = text.strip().lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


class DocumentsAndFacts:
    """The ``Store``'s documents and facts (its ``engine`` and ``dialect``)."""

    engine: Engine
    reader: Engine  # the same pool, reads outside a transaction (``Store.reader``)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    # -- documents ----------------------------------------------------------

    def has_document(self, doc_id: str) -> bool:
        with self.engine.connect() as conn:
            row = conn.execute(
                select(schema.documents.c.id).where(schema.documents.c.id == doc_id)
            ).first()
        return row is not None

    def find_duplicate(self, doc: Document) -> str | None:
        """A stored document ``doc`` repeats (the same words, or nearly: ``dedupe``)."""
        d = schema.documents
        fp = fingerprint(doc.text)
        with self.engine.connect() as conn:
            same = conn.execute(
                select(d.c.id).where(d.c.fingerprint == fp, d.c.id != doc.id).limit(1)
            ).scalar()
            if same:
                return str(same)
            mine = sketch(doc.text)
            if not mine:
                return None
            sk = schema.document_sketch
            # the stored documents sharing most of its smallest hashes (boilerplate a
            # publisher repeats makes many share a few: those many share are left out)
            leads = anchors(mine)
            common = common_anchors(conn, leads)
            leads = [h for h in leads if h not in common]
            if not leads:
                return None
            near = (
                select(sk.c.doc_id)
                .where(sk.c.hash.in_(leads), sk.c.doc_id != doc.id)
                .group_by(sk.c.doc_id)
                .order_by(func.count().desc(), sk.c.doc_id)
                .limit(CANDIDATES)
            )
            rows = conn.execute(
                select(d.c.id, d.c.shingles).where(
                    d.c.id.in_(near.scalar_subquery()), d.c.duplicate_of.is_(None)
                )
            )
            best = max(((repeats(mine, sig or {}), i) for i, sig in rows), default=(0.0, ""))
        return best[1] if best[0] > 0 else None

    def duplicates_of(self, doc: Document) -> dict[str, Any]:
        """The stored document ``doc`` repeats, and those that repeat it (id, title)."""
        d = schema.documents
        with self.engine.connect() as conn:
            of = conn.execute(select(d.c.duplicate_of).where(d.c.id == doc.id)).scalar()
            ids = [of] if of else []
            repeats = conn.execute(
                select(d.c.id, d.c.title, d.c.origin).where(d.c.duplicate_of == doc.id).limit(20)
            ).all()
            stmt = select(d.c.id, d.c.title, d.c.origin).where(d.c.id.in_(ids))
            first = conn.execute(stmt).first()
        return {
            "of": (first[0], first[1] or first[2] or first[0]) if first else None,
            "repeats": [(r[0], r[1] or r[2] or r[0]) for r in repeats],
        }

    def add_document(
        self, doc: Document, facts: Iterable[Fact] = (), *, duplicate_of: str | None = None
    ) -> bool:
        """Write a document and its facts in one transaction (``duplicate_of``: the
        stored document it repeats, recorded with it).

        Returns False, writing nothing, when a document with the same id is
        already stored (ingest is idempotent by content hash).
        """
        rows = [fact_row(f) for f in facts]
        for fact in rows:
            if fact["row"]["doc_id"] != doc.id:
                raise ValidationError("a fact points at another document", where=doc.id)
        stamp = now()
        try:
            with self.engine.begin() as conn:
                row = document_row(doc, stamp)
                sig = sketch(doc.text)
                row.update(fingerprint=fingerprint(doc.text), shingles=sig or None)
                row["duplicate_of"] = duplicate_of
                inserted = self._insert_ignore(conn, schema.documents, row)
                if not inserted:
                    return False
                if sig:
                    found = [{"doc_id": doc.id, "hash": h} for h in dict.fromkeys(anchors(sig))]
                    conn.execute(schema.document_sketch.insert(), found)
                self._insert_fact_rows(conn, rows, stamp)
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
        with self.reader.connect() as conn:
            row = conn.execute(
                select(schema.documents).where(schema.documents.c.id == doc_id)
            ).first()
        if row is None:
            raise NotFoundError(f"no document {doc_id!r}")
        return document(row._mapping)

    def list_documents(self, *, limit: int = 50, offset: int = 0) -> list[Document]:
        d = schema.documents
        stmt = (
            select(d)
            .order_by(d.c.published.desc().nulls_last(), d.c.ingested_at.desc(), d.c.id)
            .limit(limit)
            .offset(offset)
        )
        with self.engine.connect() as conn:
            return [document(r._mapping) for r in conn.execute(stmt)]

    def iter_documents(self) -> Iterator[Document]:
        with self.engine.connect() as conn:
            result = conn.execution_options(stream_results=True, yield_per=BATCH).execute(
                select(schema.documents).order_by(schema.documents.c.id)
            )
            for row in result:
                yield document(row._mapping)

    def count_documents(self) -> int:
        with self.engine.connect() as conn:
            return conn.execute(select(func.count()).select_from(schema.documents)).scalar_one()

    # -- facts --------------------------------------------------------------

    def count_facts(self, query: FactQuery | None = None) -> int:
        stmt = select(func.count()).select_from(schema.facts)
        stmt = stmt.where(*self._conditions(query or FactQuery()))
        with self.reader.connect() as conn:
            return conn.execute(stmt).scalar_one()

    def iter_facts(
        self,
        query: FactQuery | None = None,
        *,
        limit: int | None = None,
        offset: int = 0,
        oldest_first: bool = False,
        sort: str = "document",
    ) -> Iterator[StoredFact]:
        """Facts matching ``query``, with their resolved places, in stable order
        (``sort``: one of SORTS; document order by default).

        A page (``limit`` up to ``BATCH``) or one document's facts are read at
        once, outside a transaction; anything larger is streamed through a
        server-side cursor (which PostgreSQL keeps inside a transaction), so
        an export of every fact holds one batch in memory at a time."""
        query = query or FactQuery()
        d = schema.documents
        columns = (schema.facts, d.c.title, d.c.url, d.c.publisher, d.c.published)
        stmt = self._facts_read(columns, query, limit, offset, "oldest" if oldest_first else sort)
        if _at_once(query, limit):
            with self.reader.connect() as conn:
                rows = [row._mapping for row in conn.execute(stmt)]
                found = list(self._stored(conn, rows))
            yield from found
            return
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

    def made_facts(
        self,
        make: Callable[[StoredFact], T],
        memo: MadeMemo,
        query: FactQuery | None = None,
        *,
        limit: int | None = None,
        offset: int = 0,
        oldest_first: bool = False,
        sort: str = "document",
    ) -> Iterator[T]:
        """``make(fact)`` for each fact ``iter_facts`` gives (same arguments, same order,
        read the same way), with ``memo`` keeping each result by the rows it was made
        from: a fact whose rows read back as they were is neither decoded nor made
        again. For readers that make the same thing of mostly the same facts request
        after request (an export's lines, a review-queue page's items)."""
        query = query or FactQuery()
        stmt = self._facts_read(_RAW_FACT, query, limit, offset, "oldest" if oldest_first else sort)
        if _at_once(query, limit):
            with self.reader.connect() as conn:
                result = conn.execute(stmt)
                types = _types(result)
                made = list(self._made_of(conn, result.all(), types, make, memo))
            yield from made
            return
        with self.engine.connect() as conn:
            result = conn.execution_options(stream_results=True, yield_per=BATCH).execute(stmt)
            types = _types(result)
            for batch in result.partitions(BATCH):
                yield from self._made_of(conn, batch, types, make, memo)

    def _facts_read(
        self, columns: Sequence[Any], query: FactQuery, limit: int | None, offset: int, sort: str
    ) -> Any:
        """The statement ``iter_facts`` and ``made_facts`` read: ``columns`` of the facts
        ``query`` selects, joined to their documents, in ``sort`` order, one page of them."""
        f, d = schema.facts, schema.documents
        stmt = (
            select(*columns)
            .select_from(f.join(d, d.c.id == f.c.doc_id))
            .where(*self._conditions(query))
            .order_by(*order_by(sort))
            .offset(offset)
        )
        return stmt if limit is None else stmt.limit(limit)

    def _made_of(
        self,
        conn: Connection,
        rows: Sequence[Any],
        types: tuple[Any, ...],
        make: Callable[[StoredFact], T],
        memo: MadeMemo,
    ) -> Iterator[T]:
        p = schema.fact_places
        places: dict[str, list[tuple[Any, ...]]] = {}
        ids = [r[0] for r in rows]
        place_types: tuple[Any, ...] = ()
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            stmt = select(*_RAW_PLACE).where(p.c.fact_id.in_(chunk))
            result = conn.execute(stmt.order_by(p.c.fact_id, p.c.position))
            place_types = _types(result)
            for pr in result:
                places.setdefault(pr[0], []).append(tuple(pr))
        decode: _RawDecoder | None = None
        for r in rows:
            fid = r[0]
            raw = (tuple(r), tuple(places.get(fid, ())))
            made = memo.get(fid, raw)
            if made is _MISSING:
                decode = decode or _raw_decoder(conn.dialect, types, place_types)
                made = make(decode(raw))
                memo.put(fid, raw, made)
            yield made

    def get_fact(self, fact_id: str) -> StoredFact:
        with self.reader.connect() as conn:
            return self._fact_in(conn, fact_id)

    def _fact_in(self, conn: Connection, fact_id: str) -> StoredFact:
        """One fact as ``conn`` (maybe inside a write transaction) sees it."""
        f, d = schema.facts, schema.documents
        stmt = (
            select(f, d.c.title, d.c.url, d.c.publisher, d.c.published)
            .join(d, d.c.id == f.c.doc_id)
            .where(f.c.id == fact_id)
        )
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
        if q.status == "open":
            conds.append(f.c.status.in_(OPEN))
        elif q.status:
            conds.append(f.c.status == q.status)
        if q.qualifier:
            conds.append(f.c.qualifier == q.qualifier)
        if q.assignee == "none":
            conds.append(f.c.assignee.is_(None))
        elif q.assignee:
            conds.append(f.c.assignee == q.assignee)
        if q.source:
            conds.append(func.lower(f.c.source).like(_like(q.source), escape="\\"))
        if q.text:
            conds.append(self._text_condition(q.text))
        if q.figure:
            ff = schema.figure_facts
            conds.append(f.c.id.in_(select(ff.c.fact_id).where(ff.c.figure_id == q.figure)))
        if q.doc_id:
            conds.append(f.c.doc_id == q.doc_id)
        if q.verified_only:
            conds.append(f.c.status == "verified")  # corrected/added wait for a second look
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

    def _text_condition(self, text: str) -> Any:
        """Every word typed appears in the quote, subject, source or place names."""
        f, p = schema.facts, schema.fact_places
        conds = []
        for word in text.split()[:8]:
            pattern = _like(word)
            conds.append(
                or_(
                    func.lower(f.c.quote).like(pattern, escape="\\"),
                    func.lower(f.c.subject).like(pattern, escape="\\"),
                    func.lower(f.c.source).like(pattern, escape="\\"),
                    f.c.id.in_(
                        select(p.c.fact_id).where(func.lower(p.c.name).like(pattern, escape="\\"))
                    ),
                )
            )
        return and_(*conds)

    def _stored(self, conn: Connection, rows: list[Any]) -> Iterator[StoredFact]:
        ids = [r["id"] for r in rows]
        p = schema.fact_places
        places: dict[str, list[ResolvedPlace]] = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            for pr in conn.execute(
                select(p).where(p.c.fact_id.in_(chunk)).order_by(p.c.fact_id, p.c.position)
            ):
                places.setdefault(pr.fact_id, []).append(resolved_place(pr._mapping))
        for r in rows:
            yield stored_fact(r, tuple(places.get(r["id"], ())))

    def set_resolved_places(self, fact_id: str, places: Sequence[ResolvedPlace]) -> None:
        """Replace a fact's resolved places (after a gazetteer import, or a correction)."""
        with self.engine.begin() as conn:
            conn.execute(schema.fact_places.delete().where(schema.fact_places.c.fact_id == fact_id))
            rows = [place_row(fact_id, i, p) for i, p in enumerate(places)]
            if rows:
                conn.execute(schema.fact_places.insert(), rows)
            conn.execute(
                schema.facts.update()
                .where(schema.facts.c.id == fact_id)
                .values(**area_codes(places), updated_at=now())
            )

    # -- summaries ----------------------------------------------------------

    def fact_counts(self) -> dict[str, int]:
        """Facts per review status: what the review queue and the CLI show."""
        f = schema.facts
        with self.engine.connect() as conn:
            rows = conn.execute(select(f.c.status, func.count()).group_by(f.c.status))
            return {r[0]: r[1] for r in rows}


class _RawDecoder:
    """Raw rows of ``made_facts`` -> the StoredFact ``iter_facts`` gives: each column
    decoded by its type as SQLAlchemy would (JSON, dates, booleans on SQLite),
    given the driver's type of each column (``cursor.description``)."""

    def __init__(self, dialect: Any, types: tuple[Any, ...], place_types: tuple[Any, ...]) -> None:
        def procs(columns: Sequence[Any], codes: tuple[Any, ...]) -> list[tuple[str, Any]]:
            codes = codes or (None,) * len(columns)
            return [
                (c.name, c.type.dialect_impl(dialect).result_processor(dialect, code))
                for c, code in zip(columns, codes, strict=True)
            ]

        self.fact = procs(_FACT_READ, types)
        self.place = procs(_PLACE_READ, place_types)

    @staticmethod
    def _named(procs: list[tuple[str, Any]], values: Sequence[Any]) -> dict[str, Any]:
        return {n: (p(v) if p is not None else v) for (n, p), v in zip(procs, values, strict=True)}

    def __call__(self, raw: tuple[tuple[Any, ...], tuple[tuple[Any, ...], ...]]) -> StoredFact:
        row, places = raw
        resolved = tuple(resolved_place(self._named(self.place, pr)) for pr in places)
        return stored_fact(self._named(self.fact, row), resolved)


_DECODERS: dict[tuple[Any, ...], _RawDecoder] = {}


def _types(result: Any) -> tuple[Any, ...]:
    """The driver's type code of each column of a result (None where it gives none)."""
    description = result.cursor.description if result.cursor is not None else None
    return tuple(d[1] for d in description) if description else ()


def _raw_decoder(dialect: Any, types: tuple[Any, ...], place_types: tuple[Any, ...]) -> _RawDecoder:
    key = (dialect.name, dialect.driver, types, place_types)
    found = _DECODERS.get(key)
    if found is None:
        found = _DECODERS[key] = _RawDecoder(dialect, types, place_types)
    return found
