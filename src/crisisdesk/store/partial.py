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

import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, Engine, and_, delete, func, or_, select

from crisisdesk.store import schema as s
from crisisdesk.store.figures import (
    Written,
    _bulk,
    _record_run,
    _writer,
    area_order,
    figure_columns,
)
from crisisdesk.store.questions import chunks, stored_order
from crisisdesk.store.records import FactRow, FactsState, FigureRow, StoredFigure
from crisisdesk.store.rows import (
    FIGURE_COLUMNS,
    Decoder,
    JsonTexts,
    fact_row_columns,
    fact_rows,
    figure_values,
    stored_figure,
)


@dataclass(frozen=True, slots=True)
class LastRunState:
    store_version: int | None
    reliability: str | None
    last_fact_update: datetime | None
    # the dashboard's headlines that run kept for the figures it left (None: none kept)
    headlines: dict[str, Any] | None = None


def last_run_state(engine: Engine) -> LastRunState | None:
    """What the last reconcile run saw (None before any)."""
    r = s.reconcile_runs
    with engine.connect() as conn:
        run = conn.execute(
            select(r.c.store_version, r.c.reliability, r.c.last_fact_update, r.c.headlines)
            .order_by(r.c.id.desc())
            .limit(1)
        ).first()
    if run is None:
        return None
    heads = json.loads(run[3]) if isinstance(run[3], str) else run[3]
    if not isinstance(heads, dict) or heads.get("version") != run[0]:
        heads = None  # kept for another version of the store: of no use
    return LastRunState(run[0], run[1], run[2], heads)


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


def live_categories(engine: Engine) -> set[str]:
    """The categories that have live facts."""
    f = s.facts
    with engine.connect() as conn:
        return set(conn.scalars(select(f.c.category).where(f.c.status != "rejected").distinct()))


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
        rows = [figure_values(f, sqlite, texts) for f in sorted(figures, key=area_order)]
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


# -- narrowed by period and place (see reconcile/reach.py) ---------------------------

Order = tuple[Any, ...]  # a fact's place in ``stored_order``
Span = tuple[date, date]


@dataclass(frozen=True, slots=True)
class OldFigure:
    """A stored figure holding a changed fact: what it covered before the change."""

    id: str
    category: str
    unit: str
    start: date | None
    end: date | None


def changed_facts(engine: Engine, since: datetime) -> dict[str, str]:
    """Fact id -> category of every fact added, edited or rejected since ``since``."""
    f = s.facts
    with engine.connect() as conn:
        return dict(conn.execute(select(f.c.id, f.c.category).where(f.c.updated_at > since)).all())


def held_elsewhere(engine: Engine, changed: Iterable[str]) -> int:
    """Live facts not held by a figure plus held facts that are not live, outside
    ``changed``: 0 when the stored figures hold exactly the unchanged live facts (else
    a write slipped past the last run's timestamp and only a wider pass is safe)."""
    f, gf = s.facts, s.figure_facts
    ids = sorted(set(changed))
    with engine.connect() as conn:
        live = conn.execute(
            select(func.count()).select_from(f).where(f.c.status != "rejected")
        ).scalar_one()
        held = conn.execute(select(func.count()).select_from(gf)).scalar_one()
        for part in chunks(ids):
            live -= conn.execute(
                select(func.count())
                .select_from(f)
                .where(f.c.id.in_(part), f.c.status != "rejected")
            ).scalar_one()
            held -= conn.execute(
                select(func.count()).select_from(gf).where(gf.c.fact_id.in_(part))
            ).scalar_one()
    return abs(int(live) - int(held))


def old_figures(engine: Engine, fact_ids: Iterable[str]) -> tuple[list[OldFigure], set[str]]:
    """The stored figures holding ``fact_ids``, and every fact they and the figures
    linked to them (totals and parts) hold: what the changed facts touched before."""
    g, gf, gl = s.figures, s.figure_facts, s.figure_links
    found: dict[str, OldFigure] = {}
    with engine.connect() as conn:
        for part in chunks(sorted(set(fact_ids))):
            stmt = (
                select(g.c.id, g.c.category, g.c.unit, g.c.date_start, g.c.date_end)
                .join(gf, gf.c.figure_id == g.c.id)
                .where(gf.c.fact_id.in_(part))
            )
            for row in conn.execute(stmt):
                found[row[0]] = OldFigure(*row)
        near = set(found)
        for part in chunks(sorted(found)):
            near.update(conn.scalars(select(gl.c.part_id).where(gl.c.total_id.in_(part))))
            near.update(conn.scalars(select(gl.c.total_id).where(gl.c.part_id.in_(part))))
        facts: set[str] = set()
        for part in chunks(sorted(near)):
            facts.update(conn.scalars(select(gf.c.fact_id).where(gf.c.figure_id.in_(part))))
    return list(found.values()), facts


def figures_holding(engine: Engine, fact_ids: Iterable[str]) -> list[StoredFigure]:
    """The stored figures that hold any of ``fact_ids``, as listed (no facts): what an
    incremental pass is about to replace, for the headlines it keeps (``selection``)."""
    gf = s.figure_facts
    ids: set[str] = set()
    with engine.connect() as conn:
        for part in chunks(sorted(set(fact_ids))):
            ids.update(conn.scalars(select(gf.c.figure_id).where(gf.c.fact_id.in_(part))))
    return figures_by_id(engine, ids)


def figures_by_id(engine: Engine, ids: Iterable[str]) -> list[StoredFigure]:
    """Stored figures by id, as ``figures_for`` lists them (no facts), in id order."""
    g = s.figures
    decode = Decoder()
    out: list[StoredFigure] = []
    with engine.connect() as conn:
        for part in chunks(sorted(set(ids))):
            stmt = select(*figure_columns()).where(g.c.id.in_(part)).order_by(g.c.id)
            out.extend(stored_figure(row, decode) for row in conn.execute(stmt))
    return out


def parts_of(engine: Engine, ids: Iterable[str]) -> dict[str, list[str]]:
    """Total id -> the ids of the figures it holds (sorted), for the totals among ``ids``
    (as ``figures.iter_figures`` lists parts, without reading any fact)."""
    gl = s.figure_links
    held = _pairs(engine, gl.c.total_id, gl.c.part_id, ids)
    return {k: sorted(set(v)) for k, v in held.items()}


def _pairs(
    engine: Engine, key: ColumnElement[str], value: ColumnElement[str], keys: Iterable[str]
) -> dict[str, list[str]]:
    """``key`` -> the ``value`` of every row of their table whose ``key`` is one of
    ``keys``, in the order the rows come (``keys`` asked in chunks)."""
    out: dict[str, list[str]] = {}
    with engine.connect() as conn:
        for part in chunks(sorted(set(keys))):
            for k, v in conn.execute(select(key, value).where(key.in_(part))):
                out.setdefault(k, []).append(v)
    return out


def figure_ids_over(
    engine: Engine, category: str, unit: str | None, spans: Sequence[tuple[date, date]]
) -> set[str]:
    """Ids of the stored figures of ``category`` (and ``unit``) whose period shares a
    day with one of ``spans`` (by the figures' query index)."""
    g = s.figures
    kind = [g.c.category == category] + ([g.c.unit == unit] if unit else [])
    out: set[str] = set()
    with engine.connect() as conn:
        for lo, hi in spans:
            stmt = select(g.c.id).where(*kind, g.c.date_start <= hi, g.c.date_end >= lo)
            out.update(conn.scalars(stmt))
    return out


def _read(engine: Engine, *conds: Any) -> tuple[list[FactRow], dict[str, Order]]:
    """Live facts matching ``conds``, with each one's place in ``stored_order``."""
    f, d, p = s.facts, s.documents, s.fact_places
    order = stored_order()
    # the lean rows leave the span out: it is read here for the order
    stmt = (
        select(order[0], order[2], *fact_row_columns(lean=True))
        .join(d, d.c.id == f.c.doc_id)
        .outerjoin(p, p.c.fact_id == f.c.id)
        .where(f.c.status != "rejected", *conds)
    )
    when: dict[str, Any] = {}

    def tap(rows: Iterable[Any]) -> Iterator[Any]:
        for r in rows:
            when[r[2]] = (r[0], r[1])
            yield r

    with engine.connect() as conn:
        rows = fact_rows(tap(conn.execute(stmt)), skip=2)
    return rows, {r.id: (when[r.id][0], r.doc_id, when[r.id][1], r.id) for r in rows}


def facts_by_id(engine: Engine, ids: Iterable[str]) -> tuple[list[FactRow], dict[str, Order]]:
    """The live facts among ``ids``."""
    rows: list[FactRow] = []
    order: dict[str, Order] = {}
    for part in chunks(sorted(set(ids))):
        got, at = _read(engine, s.facts.c.id.in_(part))
        rows += got
        order.update(at)
    return rows, order


def facts_of_documents(
    engine: Engine, category: str, docs: Iterable[str]
) -> tuple[list[FactRow], dict[str, Order]]:
    """The live facts of ``category`` stated by ``docs``. Found by document alone, the
    category tested here: given both, SQLite walks the category's index, every fact
    of the category, rather than the few facts of the documents."""
    f = s.facts
    ids: list[str] = []
    with engine.connect() as conn:
        for part in chunks(sorted(set(docs))):
            got = conn.execute(select(f.c.id, f.c.category).where(f.c.doc_id.in_(part)))
            ids.extend(i for i, c in got if c == category)
    return facts_by_id(engine, ids)


def facts_near(
    engine: Engine,
    category: str,
    unit: str,
    spans: Sequence[Span],
    undated: bool,
    admin2: str | None = None,
) -> tuple[list[FactRow], dict[str, Order]]:
    """The live facts of ``fact_ids_near``, read."""
    return facts_by_id(engine, fact_ids_near(engine, category, unit, spans, undated, admin2))


def fact_ids_near(
    engine: Engine,
    category: str,
    unit: str,
    spans: Sequence[Span],
    undated: bool,
    admin2: str | None = None,
) -> list[str]:
    """The ids of the facts of one category and unit whose period (as reconcile reads
    it: the fact's days, else its document's publication day) shares a day with one
    of ``spans``; with ``undated`` also those that have no day at all. Rejected ones
    too: ``facts_by_id`` keeps the live.

    Found in two steps: the ids of those with days of their own from the index of
    category, unit and dates alone, those without through their documents; then
    their rows by id (``facts_near``; a caller holding some of them reads only the
    others). One query joining every fact of the category and unit to its
    document (for its publication day) cost ten times as much on SQLite."""
    f, d = s.facts, s.documents
    first, last = (
        func.coalesce(f.c.date_start, f.c.date_end),
        func.coalesce(f.c.date_end, f.c.date_start),
    )
    # either end may be the earlier one (``items.period`` swaps them)
    near = [and_(or_(first <= hi, last <= hi), or_(first >= lo, last >= lo)) for lo, hi in spans]
    published = [d.c.published.between(lo, hi) for lo, hi in spans]
    if undated:
        published.append(d.c.published.is_(None))
    kind: tuple[Any, ...] = (f.c.category == category, f.c.unit == unit)
    if admin2 is not None:  # those of one district only (``ix_facts_area2``)
        kind = (*kind, f.c.admin2_code == admin2)
    no_days = and_(f.c.date_start.is_(None), f.c.date_end.is_(None))
    ids: list[str] = []
    with engine.connect() as conn:
        for start in range(0, len(near), 40):
            dated = or_(f.c.date_start.is_not(None), f.c.date_end.is_not(None))
            stmt = select(f.c.id).where(*kind, dated, or_(*near[start : start + 40]))
            ids.extend(conn.scalars(stmt))
        for start in range(0, len(published), 40):
            stmt = (
                select(f.c.id)
                .join(d, d.c.id == f.c.doc_id)
                .where(*kind, no_days, or_(*published[start : start + 40]))
            )
            ids.extend(conn.scalars(stmt))
    return ids


def replace_figures_holding(
    engine: Engine,
    fact_ids: Iterable[str],
    figures: Sequence[FigureRow],
    *,
    state: FactsState,
    reliability: str,
) -> Written | None:
    """Replace the figures that hold any of ``fact_ids`` by ``figures`` (made from
    exactly those facts), in one transaction, and record the run. None, and nothing
    written, when one of those figures also holds a fact outside ``fact_ids`` or is
    linked to a figure that is neither replaced nor rewritten: the facts were not
    closed under reconcile's relations and the caller must take a wider set."""
    ids = set(fact_ids)
    new_ids = {f.id for f in figures}
    try:
        return _replace_holding(engine, ids, new_ids, figures, state, reliability)
    except _NotClosed:
        return None


class _NotClosed(Exception):
    """Raised inside the writing transaction to roll it back."""


def _replace_holding(
    engine: Engine,
    ids: set[str],
    new_ids: set[str],
    figures: Sequence[FigureRow],
    state: FactsState,
    reliability: str,
) -> Written:
    sqlite = engine.dialect.name == "sqlite"
    g, gf, gl = s.figures, s.figure_facts, s.figure_links
    texts = JsonTexts()
    with _writer(engine) as conn:
        old: set[str] = set()
        for part in chunks(sorted(ids)):
            old.update(conn.scalars(select(gf.c.figure_id).where(gf.c.fact_id.in_(part))))
        for part in chunks(sorted(old)):
            held = conn.scalars(select(gf.c.fact_id).where(gf.c.figure_id.in_(part)))
            if any(fid not in ids for fid in held):
                raise _NotClosed
            linked = conn.execute(
                select(gl.c.total_id, gl.c.part_id).where(
                    or_(gl.c.total_id.in_(part), gl.c.part_id.in_(part))
                )
            ).all()
            if any(t not in old or p not in old for t, p in linked):
                raise _NotClosed
        for part in chunks(sorted(old)):
            conn.execute(delete(gl).where(gl.c.total_id.in_(part)))
            conn.execute(delete(gf).where(gf.c.figure_id.in_(part)))
            conn.execute(delete(g).where(g.c.id.in_(part)))
        clash = set()
        for part in chunks(sorted(new_ids - old)):
            clash.update(conn.scalars(select(g.c.id).where(g.c.id.in_(part))))
        if clash:
            raise _NotClosed
        rows = [figure_values(f, sqlite, texts) for f in sorted(figures, key=area_order)]
        ordered = sorted(figures, key=lambda f: f.id)
        facts = [(f.id, fid) for f in ordered for fid in sorted(f.facts)]
        links = [(f.id, part) for f in ordered for part in sorted(f.parts)]
        _bulk(conn, "figures", FIGURE_COLUMNS, rows, sqlite)
        _bulk(conn, "figure_facts", ("figure_id", "fact_id"), facts, sqlite)
        _bulk(conn, "figure_links", ("total_id", "part_id"), links, sqlite)
        stored = conn.execute(select(func.count()).select_from(s.figures)).scalar_one()
        _record_run(conn, state, int(stored), reliability)
    return Written(len(rows), len(facts), len(links), frozenset(old))


# -- directed updates (see reconcile/directed.py) -----------------------------------


def only_new(engine: Engine, changed: Iterable[str]) -> bool:
    """Whether the changed facts are all live, held by no figure, and of documents none
    of whose facts a figure holds: new reports, not edits, rejections or additions to
    a document reconciled before (a document's facts may meet in one figure)."""
    f, gf = s.facts, s.figure_facts
    ids = sorted(set(changed))
    docs: set[str] = set()
    with engine.connect() as conn:
        for part in chunks(ids):
            got = conn.execute(select(f.c.doc_id, f.c.status).where(f.c.id.in_(part))).all()
            if len(got) != len(part) or any(status == "rejected" for _, status in got):
                return False
            docs.update(d for d, _ in got)
        for part in chunks(sorted(docs)):
            held = conn.execute(
                select(gf.c.fact_id)
                .join(f, f.c.id == gf.c.fact_id)
                .where(f.c.doc_id.in_(part))
                .limit(1)
            ).first()
            if held is not None:
                return False
    return True


def figures_of_facts(engine: Engine, fact_ids: Iterable[str]) -> dict[str, list[str]]:
    """Fact id -> the ids of the stored figures holding it."""
    gf = s.figure_facts
    return _pairs(engine, gf.c.fact_id, gf.c.figure_id, fact_ids)


def figure_ids_starting(
    engine: Engine, category: str, unit: str, starts: Iterable[int]
) -> set[str]:
    """Ids of the stored figures of ``category`` and ``unit`` whose period starts on one
    of ``starts`` (day ordinals) and is longer than a day: the series a running total
    is checked in (``checks.check_cumulative``)."""
    g = s.figures
    days = [date.fromordinal(d) for d in sorted(set(starts))]
    out: set[str] = set()
    with engine.connect() as conn:
        for start in range(0, len(days), 200):
            stmt = select(g.c.id).where(
                g.c.category == category,
                g.c.unit == unit,
                g.c.date_start.in_(days[start : start + 200]),
                g.c.date_end != g.c.date_start,
            )
            out.update(conn.scalars(stmt))
    return out


@dataclass(frozen=True, slots=True)
class Directed:
    """What a directed pass writes: figures ``removed`` (each with exactly the facts
    it must hold now) and ``added``, the totals of ``relinked`` parts (every link of
    those parts is replaced by ``links``), and other columns of figures kept."""

    removed: dict[str, frozenset[str]]  # figure id -> the facts it holds
    added: Sequence[FigureRow]
    relinked: frozenset[str]  # part ids whose links are all in ``links``
    links: Sequence[tuple[str, str]]  # (total, part)
    updated: dict[str, tuple[bool, tuple[Any, ...], tuple[str, ...]]]  # is_total, flags, part_of
    new_facts: frozenset[str]  # held by no figure before the write


def write_directed(
    engine: Engine, plan: Directed, *, state: FactsState, reliability: str
) -> Written | None:
    """Apply ``plan`` in one transaction and record the run; None, and nothing written,
    when the stored figures are not those the plan was made from (a write came in
    between)."""
    try:
        return _write_directed(engine, plan, state, reliability)
    except _NotClosed:
        return None


def _write_directed(engine: Engine, plan: Directed, state: FactsState, reliability: str) -> Written:
    sqlite = engine.dialect.name == "sqlite"
    g, gf, gl = s.figures, s.figure_facts, s.figure_links
    texts = JsonTexts()
    removed = sorted(plan.removed)
    with _writer(engine) as conn:
        held: dict[str, set[str]] = {i: set() for i in removed}
        for part in chunks(removed):
            for figure_id, fact_id in conn.execute(
                select(gf.c.figure_id, gf.c.fact_id).where(gf.c.figure_id.in_(part))
            ):
                held[figure_id].add(fact_id)
        if any(held[i] != plan.removed[i] for i in removed):
            raise _NotClosed
        for part in chunks(sorted(plan.new_facts)):
            if conn.execute(select(gf.c.fact_id).where(gf.c.fact_id.in_(part)).limit(1)).first():
                raise _NotClosed
        kept = sorted(plan.updated)
        found = 0
        for part in chunks(kept):
            found += conn.execute(
                select(func.count()).select_from(g).where(g.c.id.in_(part))
            ).scalar_one()
        if found != len(kept):
            raise _NotClosed
        for part in chunks(sorted(plan.relinked | set(removed))):
            conn.execute(delete(gl).where(gl.c.part_id.in_(part)))
        for part in chunks(removed):
            conn.execute(delete(gl).where(gl.c.total_id.in_(part)))
            conn.execute(delete(gf).where(gf.c.figure_id.in_(part)))
            conn.execute(delete(g).where(g.c.id.in_(part)))
        added = sorted(plan.added, key=lambda f: f.id)
        rows = [figure_values(f, sqlite, texts) for f in sorted(added, key=area_order)]
        facts = [(f.id, fid) for f in added for fid in sorted(f.facts)]
        _bulk(conn, "figures", FIGURE_COLUMNS, rows, sqlite)
        _bulk(conn, "figure_facts", ("figure_id", "fact_id"), facts, sqlite)
        _bulk(conn, "figure_links", ("total_id", "part_id"), sorted(set(plan.links)), sqlite)
        for fid in kept:
            is_total, flags, part_of = plan.updated[fid]
            conn.execute(
                g.update()
                .where(g.c.id == fid)
                .values(
                    is_total=is_total,
                    flags=[str(f) for f in flags],
                    part_of=" ".join(sorted(part_of)) if len(part_of) > 1 else "".join(part_of),
                )
            )
        stored = conn.execute(select(func.count()).select_from(s.figures)).scalar_one()
        _record_run(conn, state, int(stored), reliability)
    return Written(len(rows), len(facts), len(plan.links), frozenset(removed))


def stated_in_documents(
    engine: Engine, docs: Iterable[str]
) -> list[tuple[str, str, str, str, int | None, str | None]]:
    """(id, document, category, unit, value, quote) of the live facts of ``docs``: what
    the household check pairs facts by, without reading whole rows."""
    f = s.facts
    out: list[tuple[str, str, str, str, int | None, str | None]] = []
    cols = (f.c.id, f.c.doc_id, f.c.category, f.c.unit, f.c.value, f.c.quote)
    with engine.connect() as conn:
        for part in chunks(sorted(set(docs))):
            stmt = select(*cols).where(f.c.doc_id.in_(part), f.c.status != "rejected")
            out.extend(tuple(r) for r in conn.execute(stmt))  # type: ignore[misc]
    return out
