"""the dashboard's headline totals, kept with the reconcile run that stored the figures

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-05 11:40:00

The dashboard's headline totals (killed, injured, displaced...) are reconciled
totals over the stored figures: eight ``total`` questions, half a second to
several seconds at 5,000 facts. Computing them on the first view after each
reconcile made that view slow; the run now computes them once, after writing
its figures, and keeps them here (``reconcile_runs.headlines``, JSON: every
status and verified only), valid while the store is at the version the run saw.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("reconcile_runs", sa.Column("headlines", sa.JSON(), nullable=True))


def downgrade() -> None:
    op.execute("ALTER TABLE reconcile_runs DROP COLUMN headlines")
