"""code-like columns compared byte by byte (COLLATE "C") on PostgreSQL

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06 16:20:00

Ids, hashes, admin codes, categories, units and statuses are ASCII codes, but
PostgreSQL compared them in the database's collation: with a libc locale (even
C.UTF-8) every comparison is a strcoll() call and sorts get no abbreviated
keys. A bulk load spends much of its time in those comparisons: inserting into
the primary keys and the sketches' hash index, the duplicate check's joins on
the hashes, and the index builds after a deferred load. With COLLATE "C" they
are memcmp() (and abbreviated keys in sorts). Every column compared with
another (a key and its foreign keys, the same code in facts, places and
figures) changes together, so no comparison mixes two collations. For ASCII
values "C" orders as C.UTF-8 does; under another locale (en_US) a sort on these
columns now orders by byte (upper case before lower case), as Python orders
them. SQLite: nothing to do (its default comparison is already by byte).

Changing only the collation does not rewrite the tables; PostgreSQL rebuilds
the indexes on the columns, and checks the foreign keys again.
"""

from __future__ import annotations

from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

# table -> (column, varchar length); referenced keys before the columns referring to them
COLUMNS = {
    "documents": (("id", 64), ("fingerprint", 64), ("duplicate_of", 64)),
    "document_sketch": (("doc_id", 64), ("hash", 16)),
    "facts": (
        ("id", 40),
        ("doc_id", 64),
        ("unit", 16),
        ("category", 32),
        ("status", 16),
        ("admin1_code", 32),
        ("admin2_code", 32),
    ),
    "fact_places": (
        ("fact_id", 40),
        ("place_id", 64),
        ("country", 8),
        ("admin1_code", 32),
        ("admin2_code", 32),
    ),
    "audit_log": (("action", 32), ("fact_id", 40)),
    "figures": (
        ("id", 40),
        ("category", 32),
        ("unit", 16),
        ("place_id", 64),
        ("country", 8),
        ("admin1_code", 32),
        ("admin2_code", 32),
    ),
    "figure_facts": (("figure_id", 40), ("fact_id", 40)),
    "figure_links": (("total_id", 40), ("part_id", 40)),
}

# the foreign keys between these columns: dropped while their columns change (a key
# and the column referring to it differ in collation meanwhile), added back after
FOREIGN_KEYS = (
    ("document_sketch", "doc_id", "documents", "id"),
    ("facts", "doc_id", "documents", "id"),
    ("fact_places", "fact_id", "facts", "id"),
    ("audit_log", "fact_id", "facts", "id"),
    ("figure_facts", "figure_id", "figures", "id"),
    ("figure_facts", "fact_id", "facts", "id"),
    ("figure_links", "total_id", "figures", "id"),
    ("figure_links", "part_id", "figures", "id"),
)


def _collate(collation: str) -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    present = set(
        op.get_bind()
        .exec_driver_sql(
            "SELECT conname FROM pg_constraint WHERE contype = 'f' "
            "AND connamespace = current_schema()::regnamespace"
        )
        .scalars()
    )
    # a deferred load killed before its end may have left some out: add back only those
    keys = [k for k in FOREIGN_KEYS if _fk_name(*k) in present]
    for table, column, referred, _ in keys:
        op.execute(f"ALTER TABLE {table} DROP CONSTRAINT {_fk_name(table, column, referred, '')}")
    for table, columns in COLUMNS.items():
        changes = ", ".join(
            f'ALTER COLUMN {c} TYPE varchar({n}) COLLATE "{collation}"' for c, n in columns
        )
        op.execute(f"ALTER TABLE {table} {changes}")
    for table, column, referred, key in keys:
        op.execute(
            f"ALTER TABLE {table} ADD CONSTRAINT {_fk_name(table, column, referred, key)} "
            f"FOREIGN KEY ({column}) REFERENCES {referred} ({key})"
        )


def _fk_name(table: str, column: str, referred: str, _key: str) -> str:
    return f"fk_{table}_{column}_{referred}"


def upgrade() -> None:
    _collate("C")


def downgrade() -> None:
    _collate("default")
