"""Alembic environment: runs migrations on the connection the Store hands in.

``render_as_batch`` lets the same migration files alter tables on SQLite,
which cannot ALTER most things in place.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from crisisdesk.store.schema import metadata

config = context.config


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = create_engine(config.get_main_option("sqlalchemy.url"))
    with engine.begin() as conn:
        _run(conn)
    engine.dispose()


def _run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=True,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations_online()
