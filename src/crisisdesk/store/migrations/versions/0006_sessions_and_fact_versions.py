"""server-side sessions; a version on every fact for optimistic concurrency

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04 20:00:00

``sessions`` holds one row per login: the SHA-256 of the random id the cookie
carries (a copy of the table gives no usable cookie), the user, the CSRF token,
when it started, was last seen and ends, and when it was revoked. ``facts.version``
starts at 1 and moves on every review change; a change based on another version
is refused (409).

``facts`` is altered in place (``ADD COLUMN``), never rebuilt in batch mode, so
the store-version triggers of migration 0003 stay.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sessions",
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("user_name", sa.String(128), nullable=False),
        sa.Column("csrf", sa.String(64), nullable=False),
        sa.Column("address", sa.String(64), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sessions")),
    )
    op.create_index(op.f("ix_sessions_user_name"), "sessions", ["user_name"])
    op.add_column("facts", sa.Column("version", sa.Integer(), nullable=False, server_default="1"))


def downgrade() -> None:
    op.execute("ALTER TABLE facts DROP COLUMN version")
    op.drop_index(op.f("ix_sessions_user_name"), table_name="sessions")
    op.drop_table("sessions")
