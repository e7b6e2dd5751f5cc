"""The store's side of an incremental reconcile: what changed since the last run, the
live facts of some categories only, and their figures replaced in place.

Reconcile never relates facts of different categories (grouping, totals and
parts, checks all key on the category first), so the figures of a category
depend on that category's facts alone: when new documents bring facts of
three categories, only those three are read and rewritten; the figures of the
others stay as they are, and the run is recorded like a full one (so freshness
works as before).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, delete, func, select

from crisisdesk.store import schema as s
from crisisdesk.store.figures import Written, _area_order, _bulk, _record_run, _writer
from crisisdesk.store.questions import stored_order
from crisisdesk.store.records import FactRow, FactsState, FigureRow
from crisisdesk.store.rows import (
    FIGURE_COLUMNS,
    JsonTexts,
    fact_row_columns,
    fact_rows,
    figure_values,
)


@dataclass(frozen=True, slots=True)
class LastRunState:
    store_version: int | None
    reliability: str | None
    last_fact_update: datetime | None


def last_run_state(engine: Engine) -> LastRunState | None:
    """What the last reconcile run saw (None before any)."""
    r = s.reconcile_runs
    with engine.connect() as conn:
        run = conn.execute(
            select(r.c.store_version, r.c.reliability, r.c.last_fact_update)
            .order_by(r.c.id.desc())
            .limit(1)
        ).first()
    return None if run is None else LastRunState(*run)


def changed_categories(engine: Engine, since: datetime | None) -> set[str]:
    """Categories whose facts changed since ``since`` (added, edited, rejected), and
    those whose live facts are not the facts their stored figures hold (a document
    deleted, a write that committed while the last run was reading)."""
    f, g, gf = s.facts, s.figures, s.figure_facts
    with engine.connect() as conn:
        touched: set[str] = set()
        if since is not None:
            touched.update(
                conn.scalars(select(f.c.category).where(f.c.updated_at > since).distinct())
            )
        live = dict(
            conn.execute(
                select(f.c.category, func.count())
                .where(f.c.status != "rejected")
                .group_by(f.c.category)
            ).all()
        )
        held = dict(
            conn.execute(
                select(g.c.category, func.count())
                .select_from(gf.join(g, g.c.id == gf.c.figure_id))
                .group_by(g.c.category)
            ).all()
        )
    touched.update(c for c in live.keys() | held.keys() if live.get(c) != held.get(c))
    if since is None:
        touched.update(live)
    return touched


def live_facts_of(engine: Engine, categories: Iterable[str]) -> list[FactRow]:
    """The live facts of ``categories``, in the order ``questions.live_facts`` reads
    them all (the table's own order: reconcile's ties follow the order of its input,
    so a category read through an index would come out differently)."""
    f, d, p = s.facts, s.documents, s.fact_places
    stmt = (
        select(*fact_row_columns(lean=True))
        .join(d, d.c.id == f.c.doc_id)
        .outerjoin(p, p.c.fact_id == f.c.id)
        .where(f.c.status != "rejected", f.c.category.in_(sorted(set(categories))))
        .order_by(*stored_order())
    )
    with engine.connect() as conn:
        result = conn.execution_options(stream_results=True, yield_per=20_000).execute(stmt)
        return fact_rows(result)


def replace_figures_of(
    engine: Engine,
    categories: Iterable[str],
    figures: Sequence[FigureRow],
    *,
    state: FactsState,
    reliability: str,
) -> Written:
    """Replace the figures of ``categories`` (and their links and fact rows) by
    ``figures`` in one transaction, and record the run."""
    cats = sorted(set(categories))
    sqlite = engine.dialect.name == "sqlite"
    g, gf, gl = s.figures, s.figure_facts, s.figure_links
    texts = JsonTexts()
    counts = [0, 0, 0]
    with _writer(engine) as conn:
        if cats:
            ids = select(g.c.id).where(g.c.category.in_(cats)).scalar_subquery()
            conn.execute(delete(gl).where(gl.c.total_id.in_(ids)))
            conn.execute(delete(gl).where(gl.c.part_id.in_(ids)))
            conn.execute(delete(gf).where(gf.c.figure_id.in_(ids)))
            conn.execute(delete(g).where(g.c.category.in_(cats)))
        rows = [figure_values(f, sqlite, texts) for f in sorted(figures, key=_area_order)]
        ordered = sorted(figures, key=lambda f: f.id)  # as replace_figures writes them
        facts = [(f.id, fid) for f in ordered for fid in sorted(f.facts)]
        links = [(f.id, part) for f in ordered for part in sorted(f.parts)]
        _bulk(conn, "figures", FIGURE_COLUMNS, rows, sqlite)
        _bulk(conn, "figure_facts", ("figure_id", "fact_id"), facts, sqlite)
        _bulk(conn, "figure_links", ("total_id", "part_id"), links, sqlite)
        counts = [len(rows), len(facts), len(links)]
        stored = conn.execute(select(func.count()).select_from(s.figures)).scalar_one()
        _record_run(conn, state, int(stored), reliability)
    return Written(*counts)


def count_figures(engine: Engine) -> int:
    """How many figures are stored."""
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(s.figures)).scalar_one())
