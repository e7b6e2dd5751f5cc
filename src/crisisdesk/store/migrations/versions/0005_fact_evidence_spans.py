"""facts keep where their period, source and places were read (``Fact.field_spans``)

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-04 17:00:00

``facts.evidence`` holds ``FieldSpans`` as JSON text (the "evidence" key of
the fact schema): character spans of the document text, possibly in an
earlier sentence. Text rather than JSON: ``total`` reads thousands of facts
and decodes it only for the few it shows. NULL for facts stored before.

Both directions alter ``facts`` in place (SQLite has had ``ADD``/``DROP
COLUMN`` since 3.35): rebuilding the table in batch mode would drop the
store-version triggers that migration 0003 made on it.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("facts", sa.Column("evidence", sa.Text(), nullable=True))


def downgrade() -> None:
    op.execute("ALTER TABLE facts DROP COLUMN evidence")
