"""Serving ``total`` from the figures ``reconcile_store`` wrote, while they are fresh.

Reconciling the facts of a governorate-year again for every question costs
seconds on a large store; the stored figures already hold the answer. They are
used only when nothing changed since the last run: ``reconcile_runs`` keeps,
per run, how many live facts it saw and the latest ``facts.updated_at`` (every
ingest, correction and review moves it), read *before* the facts were. If
either differs now, ``total`` reconciles from the facts instead, so the answer
is the same either way.

A stored figure is rebuilt as a ``Draft`` (its facts as items, its estimate,
links and flags as written) so that ``totals.sum_drafts`` treats both paths
alike. Figures are selected through their facts: every figure with at least
one fact the question matches, with all its facts as evidence.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from crisisdesk.model import StoredFact
from crisisdesk.reconcile.draft import Draft
from crisisdesk.reconcile.estimate import Estimate
from crisisdesk.reconcile.items import Item, item_of
from crisisdesk.reconcile.queries import chunks, fact_columns, stored_facts, tune_reads
from crisisdesk.store import Store
from crisisdesk.store import schema as s


@dataclass(frozen=True, slots=True)
class FactsState:
    """What the facts looked like: live count and latest change."""

    facts: int
    last_update: datetime | None


def facts_state(conn: Connection) -> FactsState:
    """Live facts and the latest ``updated_at`` (both read through indexes)."""
    f = s.facts
    every = conn.execute(select(func.count()).select_from(f)).scalar_one()
    rejected = conn.execute(
        select(func.count()).select_from(f).where(f.c.status == "rejected")
    ).scalar_one()
    last = conn.execute(select(func.max(f.c.updated_at))).scalar_one()
    return FactsState(int(every) - int(rejected), _aware(last))


def record_run(conn: Connection, state: FactsState, figures: int) -> None:
    """Note a finished reconcile: what it saw, so ``is_fresh`` can tell later."""
    conn.execute(
        s.reconcile_runs.insert().values(
            finished_at=datetime.now(UTC),
            facts=state.facts,
            last_fact_update=state.last_update,
            figures=figures,
        )
    )


def is_fresh(store: Store) -> bool:
    """Whether the stored figures were computed from the facts as they are now."""
    r = s.reconcile_runs
    with store.engine.connect() as conn:
        run = conn.execute(select(r).order_by(r.c.id.desc()).limit(1)).first()
        if run is None:
            return False
        now = facts_state(conn)
    return run.facts == now.facts and _aware(run.last_fact_update) == now.last_update


def _aware(value: datetime | None) -> datetime | None:
    """SQLite gives back naive datetimes; compare everything in UTC."""
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=UTC)


def stored_drafts(store: Store, fact_ids: Any) -> list[Draft]:
    """The stored figures having a fact among ``fact_ids`` (a SELECT), as drafts.

    Read in steps that each follow a primary key or an index, with lists of ids
    rather than nested subqueries (which both databases may plan as scans).
    """
    f, d, p = s.facts, s.documents, s.fact_places
    g, ff, fl = s.figures, s.figure_facts, s.figure_links
    figures: list[Any] = []
    links: set[tuple[str, str]] = set()
    member_of: dict[str, str] = {}
    with store.engine.connect() as conn:
        tune_reads(conn)
        matched = [r[0] for r in conn.execute(fact_ids)]
        wanted: set[str] = set()
        for chunk in chunks(matched):
            stmt = select(ff.c.figure_id).where(ff.c.fact_id.in_(chunk))
            wanted.update(r[0] for r in conn.execute(stmt))
        ids = sorted(wanted)
        for chunk in chunks(ids):
            stmt = select(ff.c.fact_id, ff.c.figure_id).where(ff.c.figure_id.in_(chunk))
            member_of.update((a, b) for a, b in conn.execute(stmt))
            figures.extend(conn.execute(select(g).where(g.c.id.in_(chunk))))
            # links to totals (what ``total`` needs); a total's parts outside the
            # question are not read, so ``parts`` lists those the question sees
            stmt = select(fl.c.total_id, fl.c.part_id).where(fl.c.part_id.in_(chunk))
            links.update((a, b) for a, b in conn.execute(stmt))
        rows: list[Any] = []
        for chunk in chunks(sorted(member_of)):
            facts_stmt = (
                select(*fact_columns())
                .join(d, d.c.id == f.c.doc_id)
                .outerjoin(p, p.c.fact_id == f.c.id)
                .where(f.c.id.in_(chunk))
            )
            rows.extend(conn.execute(facts_stmt))
    members: dict[str, list[StoredFact]] = defaultdict(list)
    for sf in stored_facts(rows):
        members[member_of[sf.id]].append(sf)
    parts: dict[str, list[str]] = defaultdict(list)
    part_of: dict[str, list[str]] = defaultdict(list)
    for total_id, part_id in sorted(links):
        if total_id in wanted:
            parts[total_id].append(part_id)
        part_of[part_id].append(total_id)
    out = []
    for row in sorted(figures, key=lambda r: r[0]):
        items = [item_of(sf) for sf in members[row.id]]
        if items:
            out.append(_draft(row, items, parts[row.id], part_of[row.id]))
    return out


def _draft(row: Any, items: list[Item], parts: list[str], part_of: list[str]) -> Draft:
    start = row.date_start.toordinal() if row.date_start else None
    end = row.date_end.toordinal() if row.date_end else None

    def fits(it: Item) -> tuple[bool, bool, str]:
        return ((it.start, it.end) == (start, end), it.value == row.best, it.id)

    if len(items) == 1:  # most figures: no choosing, no merging of places
        ordered, chosen = items, items[0]
        selfk, area = chosen.place.self_keys, chosen.place.area_keys
    else:
        ordered = sorted(items, key=fits, reverse=True)
        chosen = ordered[0]
        selfk, area = set(), set()
        for it in items:
            selfk |= it.place.self_keys
            area |= it.place.area_keys
    est = Estimate(row.low, row.best, row.high, row.rule, row.explanation, chosen, tuple(ordered))
    return Draft(
        id=row.id,
        items=items,
        est=est,
        place=chosen.place,
        self_keys=frozenset(selfk),
        area_keys=frozenset(area - selfk),
        is_total=bool(row.is_total),
        category=row.category,
        unit=row.unit,
        subject_key=chosen.subject_key,
        start=start,
        end=end,
        parts=parts,
        part_of=part_of,
        flags=list(row.flags or ()),
    )
