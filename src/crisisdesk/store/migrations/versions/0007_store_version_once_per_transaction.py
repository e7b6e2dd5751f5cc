"""the store version moves once per transaction, not once per statement

Revision ID: 0007
Revises: 0005 (for now: 0006 is being written in parallel; re-chain to 0006)
Create Date: 2026-12-04 20:15:00

Migration 0003 made PostgreSQL statement triggers that bump ``store_version``
for every statement that changed documents, facts or fact places: a bulk load
of 300,000 facts bumped it 630,000 times (one row lock and one dead tuple
each). The version only has to move when a transaction changed something,
since readers compare it with the one a reconcile run saw. The function now
remembers, in a transaction-local setting, the transaction that last bumped
it, and bumps once per transaction: same meaning for the web and dashboard
(every committed change moves the version), a fraction of the work.

SQLite keeps its row triggers (it has no statement triggers and no session
variables a trigger can see); its writes are in-process and cheap.
"""

from __future__ import annotations

from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

PG_FUNCTION = "crisisdesk_bump_store_version"
SETTING = "crisisdesk.bumped_in"


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(
        f"CREATE OR REPLACE FUNCTION {PG_FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$ "
        "BEGIN "
        f"IF current_setting('{SETTING}', true) IS DISTINCT FROM txid_current()::text "
        "AND EXISTS (SELECT 1 FROM changed_rows) THEN "
        "UPDATE store_version SET version = version + 1 WHERE id = 1; "
        f"PERFORM set_config('{SETTING}', txid_current()::text, true); "
        "END IF; "
        "RETURN NULL; "
        "END $$"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(
        f"CREATE OR REPLACE FUNCTION {PG_FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$ "
        "BEGIN "
        "IF EXISTS (SELECT 1 FROM changed_rows) THEN "
        "UPDATE store_version SET version = version + 1 WHERE id = 1; "
        "END IF; "
        "RETURN NULL; "
        "END $$"
    )
