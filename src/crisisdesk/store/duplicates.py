"""Which documents of a bulk block repeat a stored one, as one by one would find it.

``DocumentsAndFacts.find_duplicate`` answers for one document before it is
added; a block of a bulk load asks for hundreds at once, in two statements:
the stored documents with the same fingerprints, and for each document the
stored ones sharing most of its anchor hashes (a lateral query on PostgreSQL,
one grouped query per document on SQLite). The block's documents are then
taken in order, each also against the earlier ones of the block, as if they
had been added one at a time: the answer is what the serial ingest gives.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from crisisdesk.ingest.dedupe import repeats
from crisisdesk.store import schema

CANDIDATES = 20  # stored documents compared in full with a new one (as find_duplicate)


@dataclass(frozen=True, slots=True)
class Mark:
    """What the check needs of a document: made on the worker with its rows."""

    id: str
    fingerprint: str
    sketch: dict[str, Any]
    anchors: tuple[str, ...]


@dataclass(slots=True)
class _Candidate:
    shared: int
    duplicate_of: str | None
    sketch: dict[str, Any]


def find(conn: Connection, marks: Sequence[Mark]) -> dict[str, str]:
    """For each of ``marks`` (in block order) that repeats a stored document or an
    earlier one of the block: the document it repeats."""
    if not marks:
        return {}
    same = _same_words(conn, marks)
    near = _near(conn, marks)
    out: dict[str, str] = {}
    earlier: list[Mark] = []
    for mark in marks:
        of = same.get(mark.fingerprint)
        if of is None:
            of = next((e.id for e in earlier if e.fingerprint == mark.fingerprint), None)
        if of is None and mark.sketch:
            of = _nearest(mark, near.get(mark.id, {}), earlier, out)
        if of is not None:
            out[mark.id] = of
        earlier.append(mark)
    return out


def _nearest(
    mark: Mark, stored: dict[str, _Candidate], earlier: list[Mark], found: dict[str, str]
) -> str | None:
    """The best repeat among the CANDIDATES sharing most anchors (stored, or earlier in
    the block), those that are not themselves repeats."""
    pool = dict(stored)
    mine = set(mark.anchors)
    for e in earlier:
        shared = len(mine & set(e.anchors))
        if shared:
            pool[e.id] = _Candidate(shared, found.get(e.id), e.sketch)
    top = sorted(pool.items(), key=lambda kv: (-kv[1].shared, kv[0]))[:CANDIDATES]
    scored = [(repeats(mark.sketch, c.sketch or {}), i) for i, c in top if c.duplicate_of is None]
    best = max(scored, default=(0.0, ""))
    return best[1] if best[0] > 0 else None


def _same_words(conn: Connection, marks: Sequence[Mark]) -> dict[str, str]:
    """Stored documents by fingerprint (the first by id when several share it)."""
    d = schema.documents
    prints = sorted({m.fingerprint for m in marks})
    rows = conn.execute(
        select(d.c.fingerprint, func.min(d.c.id))
        .where(d.c.fingerprint.in_(prints))
        .group_by(d.c.fingerprint)
    )
    return {fp: doc_id for fp, doc_id in rows}


def _near(conn: Connection, marks: Sequence[Mark]) -> dict[str, dict[str, _Candidate]]:
    """Per document, the stored documents sharing most of its anchors."""
    asked = [m for m in marks if m.anchors]
    if not asked:
        return {}
    if conn.dialect.name == "postgresql":
        rows = _near_postgresql(conn, asked)
    else:
        rows = [(m.id, *r) for m in asked for r in _near_one(conn, m)]
    out: dict[str, dict[str, _Candidate]] = {}
    for doc, other, shared, duplicate_of, sketch in rows:
        out.setdefault(doc, {})[other] = _Candidate(int(shared), duplicate_of, sketch or {})
    return out


def _near_one(conn: Connection, mark: Mark) -> list[tuple[Any, ...]]:
    sk, d = schema.document_sketch, schema.documents
    top = (
        select(sk.c.doc_id, func.count().label("shared"))
        .where(sk.c.hash.in_(mark.anchors), sk.c.doc_id != mark.id)
        .group_by(sk.c.doc_id)
        .order_by(func.count().desc(), sk.c.doc_id)
        .limit(CANDIDATES)
        .subquery()
    )
    stmt = select(top.c.doc_id, top.c.shared, d.c.duplicate_of, d.c.shingles).join(
        d, d.c.id == top.c.doc_id
    )
    return [tuple(r) for r in conn.execute(stmt)]


_LATERAL = """
WITH asked AS (SELECT * FROM unnest(%(docs)s::text[], %(hashes)s::text[]) AS a(doc, hash))
SELECT mine.doc, top.doc_id, top.shared, d.duplicate_of, d.shingles
FROM (SELECT DISTINCT doc FROM asked) AS mine
CROSS JOIN LATERAL (
    SELECT s.doc_id, count(*) AS shared
    FROM document_sketch s
    WHERE s.hash IN (SELECT hash FROM asked WHERE asked.doc = mine.doc) AND s.doc_id <> mine.doc
    GROUP BY s.doc_id
    ORDER BY count(*) DESC, s.doc_id
    LIMIT %(limit)s
) AS top
JOIN documents d ON d.id = top.doc_id
"""


def _near_postgresql(conn: Connection, marks: Sequence[Mark]) -> list[tuple[Any, ...]]:
    docs = [m.id for m in marks for _ in m.anchors]
    hashes = [h for m in marks for h in m.anchors]
    params = {"docs": docs, "hashes": hashes, "limit": CANDIDATES}
    return [tuple(r) for r in conn.exec_driver_sql(_LATERAL, params)]
