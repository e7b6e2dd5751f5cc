"""The relational schema, as SQLAlchemy Core tables.

Core rather than the ORM: the store moves facts in batches of thousands and
the reconcile queries aggregate over millions, where plain rows are both
simpler and faster. Alembic migrations (``migrations/``) create exactly these
tables; a test checks that they agree.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
)
from sqlalchemy.types import TypeDecorator, TypeEngine

from crisisdesk.ingest.dedupe import packed, unpacked

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = MetaData(naming_convention=NAMING)


def Code(length: int) -> TypeEngine[str]:  # noqa: N802 (a type, as String)
    """A code-like string (an id, a hash, an admin code, a category, unit or status):
    compared byte by byte (COLLATE "C") on PostgreSQL, where the database's locale
    would compare it with strcoll and no abbreviated keys. Its indexes build and its
    keys are looked up faster (migration 0013); these values are ASCII, where "C"
    orders as a UTF-8 code-point locale (C.UTF-8) does. SQLite: a plain String."""
    return String(length).with_variant(String(length, collation="C"), "postgresql")


class Sketch(TypeDecorator[dict[str, Any]]):
    """A document's sketch (``dedupe.sketch``) stored packed (``dedupe.packed``: bytea
    on PostgreSQL, a BLOB on SQLite; migration 0015), read back as the dict."""

    impl = LargeBinary
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Any) -> bytes | None:
        return None if not value else packed(value)

    def process_result_value(self, value: Any, dialect: Any) -> dict[str, Any] | None:
        return None if value is None else unpacked(value)


documents = Table(
    "documents",
    metadata,
    Column("id", Code(64), primary_key=True),  # content hash, or the id a JSONL file gives
    Column("url", Text),
    Column("title", Text),
    Column("publisher", Text),
    Column("published", Date),
    Column("language", String(16)),
    Column("origin", Text),  # file path or upload name
    Column("fmt", String(16), nullable=False, default="text"),
    Column("text", Text, nullable=False),
    Column("locations", JSON, nullable=False, default=list),  # [[offset, "page 2"], ...]
    Column("ingested_at", DateTime(timezone=True), nullable=False),
    # near-duplicates (migration 0008): hash of the words, MinHash of word 5-grams
    Column("fingerprint", Code(64), index=True),
    Column("shingles", Sketch),  # packed (migration 0015)
    Column("duplicate_of", Code(64)),  # the stored document this one repeats
)

# the few smallest word 5-gram hashes of each document (hex), indexed: a new document
# is compared in full only with the stored ones sharing one of its own (migration 0008).
# Keyed by hash first (migration 0015): what the duplicate check looks rows up by, with
# no second index to keep; nothing reads the rows by document alone
document_sketch = Table(
    "document_sketch",
    metadata,
    Column("hash", Code(16), primary_key=True),
    Column("doc_id", Code(64), ForeignKey("documents.id"), primary_key=True),
)

facts = Table(
    "facts",
    metadata,
    Column("id", Code(40), primary_key=True),  # Fact.key: stable for the same text
    Column("doc_id", Code(64), ForeignKey("documents.id"), nullable=False),
    Column("quote", Text, nullable=False),
    Column("quote_start", Integer),
    Column("span_start", Integer, nullable=False),
    Column("span_end", Integer, nullable=False),
    Column("value", BigInteger),
    Column("value_high", BigInteger),
    Column("value_text", String(64)),
    Column("qualifier", String(16), nullable=False),
    Column("unit", Code(16), nullable=False),
    Column("category", Code(32), nullable=False),
    Column("subject", Text, nullable=False, default=""),
    Column("places", JSON, nullable=False, default=list),  # names as written
    Column("date_start", Date),
    Column("date_end", Date),
    Column("source", Text),
    Column("is_total", Boolean, nullable=False, default=False),
    Column("confidence", Float, nullable=False, default=1.0),
    Column("extra", JSON, nullable=False, default=dict),
    Column("status", Code(16), nullable=False, default="unreviewed"),
    # where the period, source and places were read (model.FieldSpans as JSON text)
    Column("evidence", Text),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False, index=True),
    # The admin codes of the area the fact's resolved places share, copied from
    # fact_places so that "category + area + period" is one index range scan.
    Column("admin1_code", Code(32)),
    Column("admin2_code", Code(32)),
    # moves on every review change: a change based on an older version is refused
    Column("version", Integer, nullable=False, default=1, server_default="1"),
    # team review (migration 0008): whose values the fact holds (a correction or an
    # added figure; NULL for the extractor's), and who is to review it
    Column("author", String(128)),
    Column("assignee", String(128), index=True),
    Index("ix_facts_category_unit_dates", "category", "unit", "date_start", "date_end"),
    Index("ix_facts_area1", "category", "unit", "admin1_code", "date_start", "date_end"),
    Index("ix_facts_area2", "category", "unit", "admin2_code", "date_start", "date_end"),
    # the review queue's orders (migration 0012): a page is a range read, not a sort;
    # they serve look-ups by status or by document too (migration 0014)
    Index("ix_facts_status_created", "status", "created_at", "id"),
    Index("ix_facts_document_order", "doc_id", "span_start", "id"),
)

fact_places = Table(
    "fact_places",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("fact_id", Code(40), ForeignKey("facts.id"), nullable=False, index=True),
    Column("position", Integer, nullable=False),
    Column("name", Text, nullable=False),  # as written
    Column("place_id", Code(64), index=True),
    Column("canonical", Text),
    Column("kind", String(32)),
    Column("country", Code(8)),
    Column("admin1", Text),
    Column("admin1_code", Code(32), index=True),
    Column("admin2", Text),
    Column("admin2_code", Code(32), index=True),
    Column("lat", Float),
    Column("lon", Float),
    Column("precision", String(16), nullable=False, default="unresolved"),
    Column("score", Float, nullable=False, default=0.0),
    Column("candidates", JSON, nullable=False, default=list),
)

users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(128), nullable=False, unique=True),
    Column("role", String(16), nullable=False),  # viewer, analyst, admin
    Column("password_hash", Text, nullable=False),
    Column("active", Boolean, nullable=False, default=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("last_visit", DateTime(timezone=True)),  # of the dashboard (migration 0008)
    Column("seen", JSON),  # the headlines shown then, for "what changed since"
)

# One row per login (migration 0006): ``id`` is the SHA-256 of the random id the
# cookie carries, so reading this table gives no cookie that works.
sessions = Table(
    "sessions",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("user_name", String(128), nullable=False, index=True),
    Column("csrf", String(64), nullable=False),
    Column("address", String(64)),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("last_seen", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Column("revoked_at", DateTime(timezone=True)),
)

audit_log = Table(
    "audit_log",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("user_name", String(128), nullable=False),
    Column("action", Code(32), nullable=False),  # update, verify, reject, user_add...
    Column("fact_id", Code(40), ForeignKey("facts.id"), index=True),
    Column("old", JSON),
    Column("new", JSON),
    Column("note", Text),
    # the login limiter counts an address's recent attempts on every login (migration 0009)
    Index("ix_audit_log_action_at", "action", "at"),
)

figures = Table(
    "figures",
    metadata,
    Column("id", Code(40), primary_key=True),
    Column("category", Code(32), nullable=False),
    Column("unit", Code(16), nullable=False),
    Column("subject", Text, nullable=False, default=""),
    Column("place_name", Text),
    Column("place_id", Code(64)),
    Column("country", Code(8)),
    Column("admin1_code", Code(32)),
    Column("admin2_code", Code(32)),
    Column("date_start", Date),
    Column("date_end", Date),
    Column("low", BigInteger),
    Column("best", BigInteger),
    Column("high", BigInteger),
    Column("rule", Text, nullable=False, default=""),
    Column("explanation", Text, nullable=False, default=""),
    Column("is_total", Boolean, nullable=False, default=False),
    Column("sources", JSON, nullable=False, default=list),
    Column("flags", JSON, nullable=False, default=list),
    # What ``total`` needs to leave a figure out without reading its facts back:
    # the totals it is part of (figure ids, space-separated) and its facts' place names.
    Column("part_of", Text, nullable=False, default="", server_default=""),
    Column("places", JSON),
    Index("ix_figures_query", "category", "unit", "date_start", "date_end"),
    Index("ix_figures_admin1", "admin1_code"),
    Index("ix_figures_admin2", "admin2_code"),
    Index("ix_figures_area1", "category", "unit", "admin1_code", "date_start", "date_end"),
    Index("ix_figures_area2", "category", "unit", "admin2_code", "date_start", "date_end"),
    Index("ix_figures_place", "category", "unit", "place_id", "date_start", "date_end"),
)

figure_facts = Table(
    "figure_facts",
    metadata,
    Column("figure_id", Code(40), ForeignKey("figures.id"), primary_key=True),
    Column("fact_id", Code(40), ForeignKey("facts.id"), primary_key=True),
    Index("ix_figure_facts_fact", "fact_id"),
)

figure_links = Table(
    "figure_links",
    metadata,
    Column("total_id", Code(40), ForeignKey("figures.id"), primary_key=True),
    Column("part_id", Code(40), ForeignKey("figures.id"), primary_key=True),
    Index("ix_figure_links_part", "part_id"),
)

reconcile_runs = Table(
    "reconcile_runs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("finished_at", DateTime(timezone=True), nullable=False),
    Column("facts", Integer, nullable=False),  # live (non-rejected) facts it saw
    Column("last_fact_update", DateTime(timezone=True)),  # max(facts.updated_at) it saw
    Column("figures", Integer, nullable=False),
    Column("store_version", BigInteger),  # store_version.version it saw, before reading
    Column("reliability", String(64)),  # digest of the source reliabilities it used
    # the dashboard's headline totals, computed once the run's figures were stored
    # (migration 0010): {"version": the store version they are of, "all": [...], "verified": [...]}
    Column("headlines", JSON),
)

# One row (id 1) whose version the database moves on every change to documents,
# facts or fact places (triggers made by migration 0003): the stored figures are
# fresh while the last reconcile run saw the same version.
store_version = Table(
    "store_version",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("version", BigInteger, nullable=False),
)

# Uploads waiting for, or done by, the extraction worker (migration 0011): the web
# server stores the file and answers 202; a worker process extracts it.
jobs = Table(
    "jobs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("kind", String(16), nullable=False),  # "upload"
    Column("state", String(16), nullable=False, index=True),  # queued running done failed
    Column("name", Text, nullable=False),  # the file's name as kept
    Column("payload", LargeBinary),  # the file; dropped once it is stored
    Column("options", JSON, nullable=False, default=dict),  # {"allow_duplicate": bool}
    Column("result", JSON),  # the ingest report's JSON
    Column("error", Text),
    Column("created_by", String(128), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("started_at", DateTime(timezone=True)),
    Column("finished_at", DateTime(timezone=True)),
    Column("attempts", Integer, nullable=False, default=0, server_default="0"),
)
