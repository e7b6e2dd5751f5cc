"""team review: who authored and who is assigned a fact; near-duplicate documents;
what each user last saw on the dashboard

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-05 07:20:00

``facts.author`` names the analyst whose values the fact now holds (a correction or
an added figure; NULL for the extractor's): under the default rule someone else
must verify it (second pair of eyes). ``facts.assignee`` is the analyst the fact
(or its whole document) is assigned to. ``documents.fingerprint`` is the hash of
the document's words (case, punctuation and line breaks removed) and
``documents.shingles`` a MinHash signature of its word 5-grams, so the same report
typeset again is found (``duplicate_of``); ``document_sketch`` indexes the few
smallest of those hashes, so the documents worth comparing are found by index
rather than by reading every signature. ``users.last_visit`` and
``users.seen`` keep the dashboard headlines a user last saw, for "what changed
since your last visit".

Every column is added in place (``ADD COLUMN``), never by rebuilding a table in
batch mode, so the store-version triggers of migration 0003 stay.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("facts", sa.Column("author", sa.String(128), nullable=True))
    op.add_column("facts", sa.Column("assignee", sa.String(128), nullable=True))
    op.create_index(op.f("ix_facts_assignee"), "facts", ["assignee"])
    op.add_column("documents", sa.Column("fingerprint", sa.String(64), nullable=True))
    op.add_column("documents", sa.Column("shingles", sa.JSON(), nullable=True))
    op.add_column("documents", sa.Column("duplicate_of", sa.String(64), nullable=True))
    op.create_index(op.f("ix_documents_fingerprint"), "documents", ["fingerprint"])
    op.create_table(
        "document_sketch",
        sa.Column("doc_id", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(16), nullable=False),
        sa.ForeignKeyConstraint(
            ["doc_id"], ["documents.id"], name=op.f("fk_document_sketch_doc_id_documents")
        ),
        sa.PrimaryKeyConstraint("doc_id", "hash", name=op.f("pk_document_sketch")),
    )
    op.create_index(op.f("ix_document_sketch_hash"), "document_sketch", ["hash"])
    op.add_column("users", sa.Column("last_visit", sa.DateTime(timezone=True), nullable=True))
    op.add_column("users", sa.Column("seen", sa.JSON(), nullable=True))


def downgrade() -> None:
    op.execute("ALTER TABLE users DROP COLUMN seen")
    op.execute("ALTER TABLE users DROP COLUMN last_visit")
    op.drop_index(op.f("ix_document_sketch_hash"), table_name="document_sketch")
    op.drop_table("document_sketch")
    op.drop_index(op.f("ix_documents_fingerprint"), table_name="documents")
    for column in ("duplicate_of", "shingles", "fingerprint"):
        op.execute(f"ALTER TABLE documents DROP COLUMN {column}")
    op.drop_index(op.f("ix_facts_assignee"), table_name="facts")
    op.execute("ALTER TABLE facts DROP COLUMN assignee")
    op.execute("ALTER TABLE facts DROP COLUMN author")
