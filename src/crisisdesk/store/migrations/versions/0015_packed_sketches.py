"""documents' sketches packed in binary; sketch rows keyed by hash, one index fewer

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-08 02:00:00

``documents.shingles`` held each document's sketch (``dedupe.sketch``) as JSON:
128 hashes of up to twenty digits and the text's numbers, 2.7 KB a document that
PostgreSQL parsed on every COPY of a bulk load and the duplicate check decoded
again. It now holds them packed (``dedupe.packed``: 1.1 KB; bytea on
PostgreSQL, a BLOB on SQLite), the same values.

``document_sketch`` was keyed (doc_id, hash) with a second index on hash, the
only column anything looks its rows up by (the duplicate check's candidates and
counts of holders). Keyed (hash, doc_id), the key serves those look-ups and the
second index goes: every sketch row written (twelve a document) kept two
indexes. Nothing reads the rows by document alone (they are never deleted).

Both steps go back on the way down. The sketches are converted in Python, a
thousand documents a statement, on both backends.
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

from crisisdesk.ingest.dedupe import packed, unpacked

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

BLOCK = 1000


def _convert(target: str, make: object) -> None:
    """Fill ``documents.<target>`` from ``shingles`` with ``make`` (old value -> new),
    by id, a block at a time."""
    conn = op.get_bind()
    read = sa.text(
        "SELECT id, shingles FROM documents WHERE shingles IS NOT NULL AND id > :after "
        "ORDER BY id LIMIT :n"
    )
    write = sa.text(f"UPDATE documents SET {target} = :v WHERE id = :id")
    after = ""
    while True:
        rows = conn.execute(read, {"after": after, "n": BLOCK}).all()
        if not rows:
            return
        conn.execute(write, [{"id": i, "v": make(v)} for i, v in rows])  # type: ignore[operator]
        after = rows[-1][0]


def _as_json(value: object) -> object:
    return json.loads(value) if isinstance(value, str) else value


def _swap(new_type: str, make: object) -> None:
    op.execute(f"ALTER TABLE documents ADD COLUMN shingles_new {new_type}")
    _convert("shingles_new", make)
    op.execute("ALTER TABLE documents DROP COLUMN shingles")
    op.execute("ALTER TABLE documents RENAME COLUMN shingles_new TO shingles")


def upgrade() -> None:
    pg = op.get_bind().dialect.name == "postgresql"
    _swap("bytea" if pg else "BLOB", lambda v: packed(_as_json(v)) if _as_json(v) else None)
    _key_sketch_rows(("hash", "doc_id"))
    op.drop_index("ix_document_sketch_hash", table_name="document_sketch")


def downgrade() -> None:
    pg = op.get_bind().dialect.name == "postgresql"
    _swap("json" if pg else "JSON", lambda v: json.dumps(unpacked(v)))
    _key_sketch_rows(("doc_id", "hash"))
    op.create_index("ix_document_sketch_hash", "document_sketch", ["hash"])


def _key_sketch_rows(columns: tuple[str, str]) -> None:
    """``document_sketch``'s primary key on ``columns`` (SQLite: the table is made
    again, its rows kept)."""
    with op.batch_alter_table("document_sketch", recreate="auto") as batch:
        batch.drop_constraint("pk_document_sketch", type_="primary")
        batch.create_primary_key("pk_document_sketch", list(columns))
