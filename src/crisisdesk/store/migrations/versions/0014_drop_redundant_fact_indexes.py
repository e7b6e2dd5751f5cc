"""drop the facts' indexes on doc_id and on status alone: leading columns of others

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06 17:35:00

``ix_facts_doc_id`` (doc_id) is the first column of ``ix_facts_document_order``
(doc_id, span_start, id) and ``ix_facts_status`` (status) the first of
``ix_facts_status_created`` (status, created_at, id), both of migration 0012:
every look-up by document or by status reads the longer index as well, so the
short ones only cost each insertion and a rebuild after a deferred load.
"""

from __future__ import annotations

from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index("ix_facts_doc_id", table_name="facts")
    op.drop_index("ix_facts_status", table_name="facts")


def downgrade() -> None:
    op.create_index("ix_facts_status", "facts", ["status"])
    op.create_index("ix_facts_doc_id", "facts", ["doc_id"])
