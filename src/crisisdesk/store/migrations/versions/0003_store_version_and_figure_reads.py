"""store version counter, and figures that answer ``total`` without their evidence

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25 18:00:00

``store_version`` holds one number that the database itself moves on every
change to documents, facts or their places (triggers, so no writer can forget
it: ingest, review, a bulk load, a hand-made SQL fix). ``reconcile_runs``
records the number it saw, and the stored figures are fresh while the two are
equal: one row read instead of counting a million facts.

A later migration that rebuilds one of those three tables on SQLite (Alembic's
batch mode copies the table) drops its triggers with it, and must make them
again (``_sqlite_triggers``); tests/store/test_store_version.py would fail.

``figures`` gains what ``total`` needs to leave a figure out without reading
its facts back: the totals it is part of (``part_of``, space-separated figure
ids) and the place names of its facts (``places``). Its area indexes now end
with ``date_end`` so that "overlaps the period" is decided inside the index.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

WATCHED = ("documents", "facts", "fact_places")
PG_FUNCTION = "crisisdesk_bump_store_version"


def upgrade() -> None:
    op.create_table(
        "store_version",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_store_version")),
    )
    op.execute("INSERT INTO store_version (id, version) VALUES (1, 0)")
    with op.batch_alter_table("reconcile_runs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("store_version", sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column("reliability", sa.String(length=64), nullable=True))
    with op.batch_alter_table("figures", schema=None) as batch_op:
        batch_op.add_column(sa.Column("part_of", sa.Text(), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("places", sa.JSON(), nullable=True))
        batch_op.drop_index("ix_figures_area1")
        batch_op.drop_index("ix_figures_area2")
        batch_op.create_index(
            "ix_figures_area1", ["category", "unit", "admin1_code", "date_start", "date_end"]
        )
        batch_op.create_index(
            "ix_figures_area2", ["category", "unit", "admin2_code", "date_start", "date_end"]
        )
        batch_op.create_index(
            "ix_figures_place", ["category", "unit", "place_id", "date_start", "date_end"]
        )
    if op.get_bind().dialect.name == "postgresql":
        _postgresql_triggers()
    else:
        _sqlite_triggers()


def _sqlite_triggers() -> None:
    """Row triggers (SQLite has no others): they fire only for rows really written."""
    for table in WATCHED:
        for event in ("INSERT", "UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER bump_version_{table}_{event.lower()} AFTER {event} ON {table} "
                "BEGIN UPDATE store_version SET version = version + 1 WHERE id = 1; END"
            )


def _postgresql_triggers() -> None:
    """Statement triggers that look at the rows a statement changed, so an insert that
    changed nothing (a document already stored) leaves the version, and its row lock,
    alone."""
    op.execute(
        f"CREATE FUNCTION {PG_FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$ "
        "BEGIN "
        "IF EXISTS (SELECT 1 FROM changed_rows) THEN "
        "UPDATE store_version SET version = version + 1 WHERE id = 1; "
        "END IF; "
        "RETURN NULL; "
        "END $$"
    )
    for table in WATCHED:
        for event, rows in (("INSERT", "NEW"), ("UPDATE", "NEW"), ("DELETE", "OLD")):
            op.execute(
                f"CREATE TRIGGER bump_version_{event.lower()} AFTER {event} ON {table} "
                f"REFERENCING {rows} TABLE AS changed_rows "
                f"FOR EACH STATEMENT EXECUTE FUNCTION {PG_FUNCTION}()"
            )


def downgrade() -> None:
    postgresql = op.get_bind().dialect.name == "postgresql"
    for table in WATCHED:
        for event in ("insert", "update", "delete"):
            if postgresql:
                op.execute(f"DROP TRIGGER IF EXISTS bump_version_{event} ON {table}")
            else:
                op.execute(f"DROP TRIGGER IF EXISTS bump_version_{table}_{event}")
    if postgresql:
        op.execute(f"DROP FUNCTION IF EXISTS {PG_FUNCTION}()")
    with op.batch_alter_table("figures", schema=None) as batch_op:
        batch_op.drop_index("ix_figures_place")
        batch_op.drop_index("ix_figures_area2")
        batch_op.drop_index("ix_figures_area1")
        batch_op.create_index(
            "ix_figures_area2", ["category", "unit", "admin2_code", "date_start"], unique=False
        )
        batch_op.create_index(
            "ix_figures_area1", ["category", "unit", "admin1_code", "date_start"], unique=False
        )
        batch_op.drop_column("places")
        batch_op.drop_column("part_of")
    with op.batch_alter_table("reconcile_runs", schema=None) as batch_op:
        batch_op.drop_column("reliability")
        batch_op.drop_column("store_version")
    op.drop_table("store_version")
