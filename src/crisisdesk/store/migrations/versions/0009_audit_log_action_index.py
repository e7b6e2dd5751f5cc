"""an index on the audit log's action and time, for the login limiter

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-05 08:55:00

The login limiter (store/attempts.py) writes each attempt to the audit log
before its password check and reads back the address's recent attempts; with
no index that read scans the whole log, which grows with every edit, so a
login would get slower the longer a team works.
"""

from __future__ import annotations

from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_audit_log_action_at", "audit_log", ["action", "at"])


def downgrade() -> None:
    op.drop_index("ix_audit_log_action_at", table_name="audit_log")
