"""Documents and their facts written in bulk: many documents per transaction.

``add_document`` writes one document per transaction and one statement per
table: right for the web upload, slow for an archive (PostgreSQL took about
1,000 facts a second). Here a batch of documents goes in one transaction:

- the documents with one ``INSERT .. ON CONFLICT DO NOTHING RETURNING id``: the
  ids returned are the documents this batch really adds (a document already
  stored, by content hash, is skipped, and so are its facts);
- the facts and places of those documents only, with ``COPY`` on PostgreSQL
  and batched ``executemany`` on SQLite.

A run stopped at any point (a killed client, a killed worker, Ctrl-C) leaves
whole batches or nothing, and run again it adds exactly the documents that are
missing: every document ends up stored exactly once, with all its facts.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection

from crisisdesk.model import Document, Fact
from crisisdesk.store import schema
from crisisdesk.store.documents import now
from crisisdesk.store.rows import document_row, fact_row

_JSON_COLUMNS = {"places", "extra", "candidates", "locations"}
ROWS_PER_STATEMENT = 500


def add_documents(engine: Engine, works: Sequence[tuple[Document, Sequence[Fact]]]) -> set[str]:
    """Write the documents of ``works`` that are not stored yet, each with its facts,
    all in one transaction; the ids of the documents added."""
    if not works:
        return set()
    stamp = now()
    by_id: dict[str, tuple[Document, Sequence[Fact]]] = {}
    for doc, facts in works:
        by_id.setdefault(doc.id, (doc, facts))  # the same text twice in a batch: once
    with engine.begin() as conn:
        added = _insert_documents(conn, [document_row(d, stamp) for d, _ in by_id.values()])
        facts, places = _fact_and_place_rows(
            (f for doc_id in added for f in by_id[doc_id][1]), stamp
        )
        if conn.dialect.name == "postgresql":
            _copy(conn, "facts", facts)
            _copy(conn, "fact_places", places)
        else:
            _execute_many(conn, schema.facts, facts)
            _execute_many(conn, schema.fact_places, places)
    return added


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


def _copy(conn: Connection, table: str, rows: list[dict[str, Any]]) -> None:
    """PostgreSQL's COPY: one stream for all the rows (JSON columns as their text)."""
    if not rows:
        return
    cols = list(rows[0])
    encode = [c in _JSON_COLUMNS for c in cols]
    raw = conn.connection.driver_connection
    names = ", ".join(cols)
    with raw.cursor() as cur, cur.copy(f"COPY {table} ({names}) FROM STDIN") as copy:  # type: ignore[union-attr]
        for row in rows:
            values = [row.get(c) for c in cols]
            copy.write_row(
                [
                    json.dumps(v, default=str) if e else v
                    for v, e in zip(values, encode, strict=True)
                ]
            )
