"""Documents and their facts written in bulk: many documents per transaction.

``add_document`` writes one document per transaction and one statement per
table: right for the web upload, slow for an archive (PostgreSQL took about
1,000 facts a second). Here a batch of documents goes in one transaction:

- the documents not stored yet (by content hash, looked up in the transaction,
  or just before it when ``store.overlap`` checks a block ahead):
  by ``COPY`` on PostgreSQL, straight into the table; should another writer
  store one meanwhile, the block takes a temporary table and one ``INSERT ..
  ON CONFLICT DO NOTHING RETURNING id`` instead (on SQLite always that insert):
  a document already stored is skipped, and so are its facts;
- the facts and places of those documents only, with ``COPY`` on PostgreSQL
  and batched ``executemany`` on SQLite.

A run stopped at any point (a killed client, a killed worker, Ctrl-C) leaves
whole batches or nothing, and run again it adds exactly the documents that are
missing: every document ends up stored exactly once, with all its facts.
"""

from __future__ import annotations

import json
import struct
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from psycopg.errors import UniqueViolation
from sqlalchemy import JSON, BigInteger, Boolean, Date, DateTime, Engine, Float, Integer, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection

from crisisdesk.ingest.dedupe import anchors, fingerprint, packed, sketch
from crisisdesk.model import Document, Fact
from crisisdesk.store import duplicates, schema
from crisisdesk.store.documents import now
from crisisdesk.store.duplicates import Mark
from crisisdesk.store.rows import document_row, fact_row

_JSON_COLUMNS = {"places", "extra", "candidates", "locations"}
ROWS_PER_STATEMENT = 500
WORK_MEMORY = "64MB"
_LZ4: dict[Any, bool] = {}  # per database URL: does the server compress with lz4


STAMP = "\x01stamp\x01"  # written by the worker, replaced by the load time on the client
REPEATS = "\x01repeats\x01"  # written by the worker, replaced by duplicate_of on the client


@dataclass
class Prepared:
    """A batch of documents as rows, made where the facts were extracted (a worker):
    the client only streams them into the database. ``facts``/``places`` hold, per
    document id, COPY text on PostgreSQL and row dicts on SQLite."""

    dialect: str
    documents: list[dict[str, Any]] = field(default_factory=list)
    facts: dict[str, Any] = field(default_factory=dict)
    places: dict[str, Any] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)  # facts per document
    fact_columns: list[str] = field(default_factory=list)
    place_columns: list[str] = field(default_factory=list)
    # PostgreSQL: each document's row in COPY's binary format, but for its load time
    # (the first column) and ``duplicate_of`` (the last), which the client adds
    # (``documents`` then keeps id and language); ``facts`` holds per document its
    # facts' rows in that format without their leading count and two load times
    # (``fact_columns`` begins with created_at, updated_at)
    document_lines: dict[str, bytes] = field(default_factory=dict)
    document_columns: list[str] = field(default_factory=list)
    marks: dict[str, Mark] = field(default_factory=dict)  # what the duplicate check reads

    @property
    def ids(self) -> list[str]:
        return [d["id"] for d in self.documents]


def prepare(works: Sequence[tuple[Document, Sequence[Fact]]], dialect: str) -> Prepared:
    """Rows of ``works`` for ``dialect`` (a document given twice: once)."""
    out = Prepared(dialect)
    for doc, facts in works:
        if doc.id in out.counts:
            continue
        sig = sketch(doc.text)
        mark = Mark(doc.id, fingerprint(doc.text), sig, tuple(dict.fromkeys(anchors(sig))))
        out.marks[doc.id] = mark
        row = document_row(doc, STAMP)
        row.update(fingerprint=mark.fingerprint, shingles=sig or None, duplicate_of=REPEATS)
        out.documents.append(row)
        fact_rows, place_rows = _fact_and_place_rows(facts, STAMP)
        out.counts[doc.id] = len(facts)
        if dialect == "postgresql":
            if fact_rows and not out.fact_columns:
                out.fact_columns = [*_STAMPED, *(c for c in fact_rows[0] if c not in _STAMPED)]
            out.place_columns = out.place_columns or (list(place_rows[0]) if place_rows else [])
            rest = out.fact_columns[len(_STAMPED) :]
            out.facts[doc.id] = [binary_fields(r, rest, _FACT_KINDS) for r in fact_rows]
            out.places[doc.id] = "".join(copy_line(r, out.place_columns) for r in place_rows)
            row = out.documents[-1]
            if not out.document_columns:
                middle = [c for c in row if c not in ("ingested_at", "duplicate_of")]
                out.document_columns = ["ingested_at", *middle, "duplicate_of"]
            middle = out.document_columns[1:-1]
            out.document_lines[doc.id] = binary_fields(row, middle, _DOCUMENT_KINDS)
            out.documents[-1] = {"id": row["id"], "language": row.get("language")}
        else:
            out.facts[doc.id], out.places[doc.id] = fact_rows, place_rows
    return out


@dataclass
class Loaded:
    """What a block's load did: the documents added, and those of them that repeat a
    stored document (or an earlier one of the block) with the one they repeat."""

    added: set[str] = field(default_factory=set)
    duplicates: dict[str, str] = field(default_factory=dict)


def add_documents(
    engine: Engine,
    works: Sequence[tuple[Document, Sequence[Fact]]],
    *,
    allow_duplicate: bool = False,
) -> set[str]:
    """Write the documents of ``works`` that are not stored yet, each with its facts,
    all in one transaction; the ids of the documents added."""
    batch = prepare(works, engine.dialect.name)
    return add_prepared(engine, batch, allow_duplicate=allow_duplicate).added


def add_prepared(
    engine: Engine,
    batch: Prepared,
    *,
    allow_duplicate: bool = False,
    known: duplicates.Sketches | None = None,
) -> Loaded:
    """Write a prepared batch in one transaction: the documents not stored yet, and
    the facts and places of those only. A document that repeats a stored one (or an
    earlier one of the batch: ``store.duplicates``, as ``Pipeline.ingest`` finds
    them one by one) is stored naming it (``duplicate_of``), without its facts
    unless ``allow_duplicate``. ``known``: the sketches of the documents the load
    added before (kept there for the next block's duplicate check)."""
    if not batch.documents:
        return Loaded()
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            settings(conn)
        loaded = write(conn, batch, check(conn, batch, known), allow_duplicate=allow_duplicate)
    if known is not None:
        known.add(batch.marks[d] for d in batch.ids if d in loaded.added)
    return loaded


@dataclass
class Checked:
    """What a block's duplicate check found: the documents already stored, those to
    add (in block order), and the repeats among these with the document each repeats."""

    stored: set[str]
    fresh: list[str]
    repeats: dict[str, str]


def check(
    conn: Connection,
    batch: Prepared,
    known: duplicates.Sketches | None = None,
    pending: duplicates.Pending | None = None,
    own: duplicates.Own | None = None,
) -> Checked:
    """Which documents of ``batch`` are stored (or ``pending``: counted as stored) and
    which of the others repeat one (``duplicates.find``; ``own``: the store's sketch
    rows in memory)."""
    stored = _stored_in(conn, batch.ids)
    if pending:
        stored.update(set(batch.ids).intersection(m.id for m in pending.marks))
    fresh = [d for d in batch.ids if d not in stored]
    repeats = duplicates.find(conn, [batch.marks[d] for d in fresh], known, pending, own)
    return Checked(stored, fresh, repeats)


def write(
    conn: Connection,
    batch: Prepared,
    checked: Checked,
    *,
    allow_duplicate: bool,
    stamp: datetime | None = None,
) -> Loaded:
    """The writes of ``add_prepared`` once the block is checked, in ``conn``'s
    transaction; ``stamp``: the load time its rows get (now by default)."""
    stamp = stamp or now()
    stored, fresh, repeats = checked.stored, checked.fresh, checked.repeats
    if conn.dialect.name == "postgresql":
        added = _add_postgresql(conn, batch, fresh, repeats, stamp)
    else:
        docs = [
            {**d, "ingested_at": stamp, "duplicate_of": repeats.get(d["id"])}
            for d in batch.documents
            if d["id"] not in stored
        ]
        added = _insert_documents(conn, docs)
    counted = [d for d in batch.ids if d in added and (allow_duplicate or d not in repeats)]
    if conn.dialect.name == "postgresql":
        copy_binary(conn, "facts", batch.fact_columns, facts_data(batch, counted, stamp))
        copy_text(conn, "fact_places", batch.place_columns,
                  "".join(batch.places[d] for d in counted))  # fmt: skip
        copy_text(conn, "document_sketch", ["doc_id", "hash"], _sketch_text(batch, added))
    else:
        _execute_many(conn, schema.facts, _stamped(batch.facts, counted, stamp))
        _execute_many(conn, schema.fact_places, [r for d in counted for r in batch.places[d]])
        sketch_rows = [
            {"doc_id": d, "hash": h}
            for d in batch.ids
            if d in added
            for h in batch.marks[d].anchors
        ]
        _execute_many(conn, schema.document_sketch, sketch_rows)
    return Loaded(added, {d: of for d, of in repeats.items() if d in added})


def _sketch_text(batch: Prepared, added: set[str]) -> str:
    """The sketch rows of the documents added, as COPY text: the id escaped as COPY
    reads it (a JSON-lines file may give an id with a tab or a backslash), the hashes
    hex."""
    lines = []
    for d in batch.ids:
        if d in added:
            doc = _escaped(d)
            lines.extend(f"{doc}\t{h}\n" for h in batch.marks[d].anchors)
    return "".join(lines)


def settings(conn: Connection) -> None:
    """For the block's transaction: memory for the duplicate check's join to group in
    (not on disk), and lz4 rather than pglz for the documents' long values (text,
    shingles) where the server has it: pglz was half of the documents' COPY. No JIT:
    the duplicate check's estimates pass its threshold, and compiling took longer
    than running (40 ms a block). The commit does not wait for the log to reach the
    disk (``synchronous_commit``): a server crash may lose the last blocks committed,
    never part of one (the log still orders them), and a run started again adds them."""
    conn.exec_driver_sql(
        f"SET LOCAL work_mem = '{WORK_MEMORY}'; SET LOCAL jit = off; "
        "SET LOCAL synchronous_commit = off"
    )
    if _has_lz4(conn):
        conn.exec_driver_sql("SET LOCAL default_toast_compression = lz4")


# migration 0007's: the transaction whose change moved ``store_version`` already
BUMPED_IN = "crisisdesk.bumped_in"


def version_at_commit(conn: Connection) -> None:
    """Keep the triggers from moving ``store_version`` in this transaction: its
    writer moves it itself just before committing (``move_version``). Two blocks
    written at once would otherwise wait for each other: the first statement of the
    second took the version's row lock held by the first until it committed."""
    conn.exec_driver_sql(f"SELECT set_config('{BUMPED_IN}', txid_current()::text, true)")


def move_version(conn: Connection) -> int | None:
    """Move ``store_version`` once for this transaction (see ``version_at_commit``);
    the version it moves to."""
    return conn.exec_driver_sql(
        "UPDATE store_version SET version = version + 1 WHERE id = 1 RETURNING version"
    ).scalar()


def _has_lz4(conn: Connection) -> bool:
    found = _LZ4.get(conn.engine.url)
    if found is None:
        found = _LZ4[conn.engine.url] = bool(
            conn.exec_driver_sql(
                "SELECT 'lz4' = ANY(enumvals) FROM pg_settings "
                "WHERE name = 'default_toast_compression'"
            ).scalar()
        )
    return found


def _stamped(rows_of: dict[str, Any], ids: list[str], stamp: Any) -> list[dict[str, Any]]:
    return [{**r, "created_at": stamp, "updated_at": stamp} for d in ids for r in rows_of[d]]


def _stored_in(conn: Connection, ids: list[str]) -> set[str]:
    if conn.dialect.name == "postgresql":
        # one array parameter: 500 bound ones cost more to parse (client and server)
        # than to look up
        rows = conn.exec_driver_sql(
            "SELECT id FROM documents WHERE id = ANY(%(ids)s)", {"ids": ids}
        )
        return set(rows.scalars())
    d = schema.documents
    found: set[str] = set()
    for start in range(0, len(ids), ROWS_PER_STATEMENT):
        part = ids[start : start + ROWS_PER_STATEMENT]
        found.update(conn.scalars(select(d.c.id).where(d.c.id.in_(part))))
    return found


def documents_data(
    batch: Prepared, ids: Iterable[str], repeats: dict[str, str], stamp: datetime
) -> bytes:
    """The rows of ``ids`` in COPY's binary format, stamped, naming the document each
    repeats."""
    head = _COUNT.pack(len(batch.document_columns)) + _stamp(stamp)
    lines = batch.document_lines
    parts = [_HEADER]
    for d in ids:
        of = repeats.get(d)
        parts += (head, lines[d], _NULL if of is None else _field(of.encode()))
    if len(parts) == 1:
        return b""
    parts.append(_TRAILER)
    return b"".join(parts)


def facts_data(batch: Prepared, ids: Iterable[str], stamp: datetime) -> bytes:
    """The facts of ``ids`` in COPY's binary format, stamped (``b""``: none)."""
    rows = [r for d in ids for r in batch.facts[d]]
    if not rows:
        return b""
    when = _stamp(stamp)
    head = _COUNT.pack(len(batch.fact_columns)) + when + when
    return b"".join((_HEADER, head, head.join(rows), _TRAILER))


def _add_postgresql(
    conn: Connection, batch: Prepared, fresh: list[str], repeats: dict[str, str], stamp: Any
) -> set[str]:
    """The documents not stored yet by COPY straight into ``documents``. Should
    another writer store one of them between the look-up and the COPY, the block
    falls back to a temporary table and one INSERT .. SELECT .. ON CONFLICT DO
    NOTHING. The ids of the documents added."""
    try:
        with conn.begin_nested():
            docs = documents_data(batch, fresh, repeats, stamp)
            copy_binary(conn, "documents", batch.document_columns, docs)
        return set(fresh)
    except UniqueViolation:  # stored meanwhile by another writer
        return _add_documents_if_new(conn, batch, repeats, stamp)


def _add_documents_if_new(
    conn: Connection, batch: Prepared, repeats: dict[str, str], stamp: datetime
) -> set[str]:
    conn.exec_driver_sql(
        "CREATE TEMP TABLE IF NOT EXISTS crisisdesk_new_documents "
        "(LIKE documents INCLUDING DEFAULTS) ON COMMIT DELETE ROWS"
    )
    cols = batch.document_columns
    docs = documents_data(batch, batch.ids, repeats, stamp)
    copy_binary(conn, "crisisdesk_new_documents", cols, docs)
    names = ", ".join(cols)
    return set(
        conn.exec_driver_sql(
            f"INSERT INTO documents ({names}) SELECT {names} FROM crisisdesk_new_documents "
            "ON CONFLICT DO NOTHING RETURNING id"
        ).scalars()
    )


def stored_ids(engine: Engine, ids: Iterable[str]) -> set[str]:
    """Which of ``ids`` are stored already (a restarted run skips their documents)."""
    wanted = list(dict.fromkeys(ids))
    found: set[str] = set()
    d = schema.documents
    with engine.connect() as conn:
        for start in range(0, len(wanted), ROWS_PER_STATEMENT):
            part = wanted[start : start + ROWS_PER_STATEMENT]
            found.update(conn.scalars(d.select().with_only_columns(d.c.id).where(d.c.id.in_(part))))
    return found


def _insert_documents(conn: Connection, rows: list[dict[str, Any]]) -> set[str]:
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    added: set[str] = set()
    for start in range(0, len(rows), ROWS_PER_STATEMENT):
        part = rows[start : start + ROWS_PER_STATEMENT]
        stmt = dialect.insert(schema.documents).values(part).on_conflict_do_nothing()
        added.update(conn.scalars(stmt.returning(schema.documents.c.id)))
    return added


def _fact_and_place_rows(
    facts: Iterable[Fact], stamp: Any
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Rows as ``add_document`` writes them: a fact read twice (same key) once."""
    seen: set[str] = set()
    fact_rows: list[dict[str, Any]] = []
    place_rows: list[dict[str, Any]] = []
    for fact in facts:
        item = fact_row(fact)
        row = item["row"]
        if row["id"] in seen:
            continue
        seen.add(row["id"])
        fact_rows.append({**row, "created_at": stamp, "updated_at": stamp})
        place_rows.extend(item["places"])
    return fact_rows, place_rows


def _execute_many(conn: Connection, table: Any, rows: list[dict[str, Any]]) -> None:
    for start in range(0, len(rows), ROWS_PER_STATEMENT * 10):
        conn.execute(table.insert(), rows[start : start + ROWS_PER_STATEMENT * 10])


def copy_text(conn: Connection, table: str, cols: Sequence[str], data: str) -> None:
    """PostgreSQL's COPY of ready-made text: the client does no work per value."""
    if not data:
        return
    raw = conn.connection.driver_connection
    sql = f"COPY {table} ({', '.join(cols)}) FROM STDIN"
    with raw.cursor() as cur, cur.copy(sql) as copy:  # type: ignore[union-attr]
        copy.write(data.encode("utf-8"))


def copy_binary(conn: Connection, table: str, cols: Sequence[str], data: bytes) -> None:
    """PostgreSQL's COPY of ready-made rows in its binary format (``facts_data``,
    ``documents_data``): the server parses no text for them (dates, times, numbers),
    about a quarter of the facts' COPY and a third of the documents'."""
    if not data:
        return
    raw = conn.connection.driver_connection
    sql = f"COPY {table} ({', '.join(cols)}) FROM STDIN (FORMAT binary)"
    with raw.cursor() as cur, cur.copy(sql) as copy:  # type: ignore[union-attr]
        copy.write(data)


# COPY's binary format: a signature, flags and header extension, rows of a 16-bit count
# of fields and each field as a 32-bit length (-1: NULL) and its bytes, a -1 to end
_HEADER = b"PGCOPY\n\xff\r\n\x00" + struct.pack(">ii", 0, 0)
_TRAILER = struct.pack(">h", -1)
_COUNT = struct.Struct(">h")
_LENGTH = struct.Struct(">i")
_NULL = _LENGTH.pack(-1)
_INT4, _INT8, _FLOAT8 = struct.Struct(">i"), struct.Struct(">q"), struct.Struct(">d")
_EPOCH = date(2000, 1, 1)  # PostgreSQL's: days and microseconds count from it
_EPOCH_ORDINAL = _EPOCH.toordinal()
_EPOCH_TIME = datetime(2000, 1, 1, tzinfo=UTC)
_STAMPED = ("created_at", "updated_at")  # a fact's load times: the first two columns


def _column_kinds(table: Any) -> dict[str, str]:
    """How each column of ``table`` goes in COPY's binary format (its server type)."""
    out = {}
    for col in table.columns:
        kind = col.type
        if isinstance(kind, Boolean):
            out[col.name] = "bool"
        elif isinstance(kind, BigInteger):  # before Integer: a subclass of it
            out[col.name] = "int8"
        elif isinstance(kind, Integer):
            out[col.name] = "int4"
        elif isinstance(kind, Float):
            out[col.name] = "float8"
        elif isinstance(kind, DateTime):
            out[col.name] = "timestamptz"
        elif isinstance(kind, Date):
            out[col.name] = "date"
        elif isinstance(kind, JSON):
            out[col.name] = "json"
        elif isinstance(kind, schema.Sketch):
            out[col.name] = "sketch"
        else:
            out[col.name] = "text"
    return out


_FACT_KINDS = _column_kinds(schema.facts)
_DOCUMENT_KINDS = _column_kinds(schema.documents)


def _field(data: bytes) -> bytes:
    return _LENGTH.pack(len(data)) + data


def _stamp(when: datetime) -> bytes:
    """A load time as a timestamptz field."""
    delta = when - _EPOCH_TIME
    micros = (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds
    return _LENGTH.pack(8) + _INT8.pack(micros)


def _binary_value(value: Any, kind: str) -> bytes:
    """One value in COPY's binary format, as the server's type ``kind`` receives it
    (the same value its text form gives)."""
    if kind == "text":
        return str(value).encode()
    if kind == "json":
        return json.dumps(value, default=str, ensure_ascii=False).encode()
    if kind == "int4":
        return _INT4.pack(value)
    if kind == "int8":
        return _INT8.pack(value)
    if kind == "float8":
        return _FLOAT8.pack(value)
    if kind == "bool":
        return b"\x01" if value else b"\x00"
    if kind == "date":
        day = value if isinstance(value, date) else date.fromisoformat(str(value))
        return _INT4.pack(day.toordinal() - _EPOCH_ORDINAL)
    if kind == "sketch":
        return packed(value)
    raise ValueError(f"no binary form for a {kind} column")  # timestamps: ``_stamp``


def binary_fields(row: dict[str, Any], cols: Sequence[str], kinds: dict[str, str]) -> bytes:
    """The fields ``cols`` of ``row`` in COPY's binary format (no count before them)."""
    out = []
    for c in cols:
        value = row.get(c)
        out.append(_NULL if value is None else _field(_binary_value(value, kinds[c])))
    return b"".join(out)


def _escaped(text: str) -> str:
    """COPY's escapes of a text value (four passes in C: str.translate with a table
    of strings looked every character up in Python, the most of making rows)."""
    if "\\" in text:
        text = text.replace("\\", "\\\\")
    return text.replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def _copy_value(value: Any, column: str) -> str:
    """One value in COPY's text format."""
    if value is None:
        return "\\N"
    if column in _JSON_COLUMNS:
        value = json.dumps(value, default=str, ensure_ascii=False)
    elif isinstance(value, bool):
        return "t" if value else "f"
    elif isinstance(value, date | datetime):
        return value.isoformat()
    return _escaped(str(value))


def copy_line(row: dict[str, Any], cols: Sequence[str]) -> str:
    return "\t".join([_copy_value(row.get(c), c) for c in cols]) + "\n"
