"""What the dashboard reads: the stored figures (flags, places on the map, the
largest figure per headline), review counts, and the activity that concerns one
user, each a few indexed queries rather than the facts of the whole store.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Engine, Text, cast, func, or_, select, update

from crisisdesk.model import AuditEntry
from crisisdesk.store import schema

PEOPLE = ("killed", "injured", "displaced")


@dataclass(frozen=True, slots=True)
class Window:
    """The dashboard's period and place."""

    date_from: date | None = None
    date_to: date | None = None
    place: str | None = None


@dataclass(frozen=True, slots=True)
class PlacePoint:
    place_id: str
    name: str
    lat: float
    lon: float
    people: int  # killed, injured and displaced people of its stored figures
    figures: int
    lines: tuple[tuple[int, str, str], ...]  # (value, category, unit): (12, "killed", "people")


def _figure_window(w: Window) -> list[Any]:
    g = schema.figures
    conds: list[Any] = []
    if w.date_from:
        conds.append(or_(g.c.date_end.is_(None), g.c.date_end >= w.date_from))
    if w.date_to:
        conds.append(or_(g.c.date_start.is_(None), g.c.date_start <= w.date_to))
    if w.place:
        needle = w.place.strip()
        conds.append(
            or_(
                g.c.place_id == needle,
                g.c.admin1_code == needle,
                g.c.admin2_code == needle,
                func.lower(g.c.place_name) == needle.lower(),
            )
        )
    return conds


def largest_figures(engine: Engine, w: Window) -> dict[tuple[str, str], tuple[int, int]]:
    """(category, unit) -> (largest stored best value, how many figures) in the window."""
    g = schema.figures
    stmt = (
        select(g.c.category, g.c.unit, func.max(g.c.best), func.count())
        .where(*_figure_window(w))
        .group_by(g.c.category, g.c.unit)
    )
    with engine.connect() as conn:
        return {(r[0], r[1]): (int(r[2] or 0), int(r[3])) for r in conn.execute(stmt)}


def flagged_figures(engine: Engine, w: Window, limit: int = 25) -> list[dict[str, Any]]:
    """Stored figures with flags, largest first: what a person should look at."""
    g = schema.figures
    stmt = (
        select(
            g.c.id,
            g.c.category,
            g.c.unit,
            g.c.place_name,
            g.c.place_id,
            g.c.best,
            g.c.date_start,
            g.c.date_end,
            g.c.flags,
        )  # fmt: skip
        .where(g.c.flags.is_not(None), func.length(cast(g.c.flags, Text)) > 2)
        .where(*_figure_window(w))
        .order_by(g.c.best.desc().nulls_last(), g.c.id)
        .limit(limit)
    )
    out = []
    with engine.connect() as conn:
        for r in conn.execute(stmt):
            flags = r.flags if isinstance(r.flags, list) else json.loads(r.flags or "[]")
            if flags:
                out.append({**r._mapping, "flags": [str(f) for f in flags]})
    return out


def place_points(engine: Engine, w: Window, limit: int = 60) -> list[PlacePoint]:
    """Places of the stored figures with coordinates (from the facts' resolved places),
    with the people killed, injured and displaced their figures state."""
    g, p = schema.figures, schema.fact_places
    coords = (
        select(p.c.place_id, func.min(p.c.lat).label("lat"), func.min(p.c.lon).label("lon"))
        .where(p.c.place_id.is_not(None), p.c.lat.is_not(None))
        .group_by(p.c.place_id)
        .subquery()
    )
    stmt = (
        select(
            g.c.place_id,
            func.min(g.c.place_name),
            coords.c.lat,
            coords.c.lon,
            g.c.category,
            g.c.unit,
            func.sum(g.c.best),
            func.count(),
        )  # fmt: skip
        .join(coords, coords.c.place_id == g.c.place_id)
        .where(*_figure_window(w), g.c.part_of == "")
        .group_by(g.c.place_id, coords.c.lat, coords.c.lon, g.c.category, g.c.unit)
    )
    by_place: dict[str, dict[str, Any]] = {}
    with engine.connect() as conn:
        for pid, name, lat, lon, cat, unit, best, n in conn.execute(stmt):
            e = by_place.setdefault(
                pid, {"name": name or pid, "lat": lat, "lon": lon, "people": 0, "n": 0, "lines": []}
            )
            e["n"] += int(n)
            if cat in PEOPLE and unit == "people":
                e["people"] += int(best or 0)
            value = int(best or 0)
            e["lines"].append((value, cat, unit))
    ranked = sorted(by_place.items(), key=lambda kv: (-kv[1]["people"], -kv[1]["n"], kv[0]))
    return [
        PlacePoint(
            pid,
            e["name"],
            float(e["lat"]),
            float(e["lon"]),
            e["people"],
            e["n"],
            tuple(sorted(e["lines"], reverse=True)[:3]),
        )  # fmt: skip
        for pid, e in ranked[:limit]
    ]


def activity_for(engine: Engine, user: str, *, admin: bool, limit: int = 12) -> list[AuditEntry]:
    """The audit entries that concern ``user``'s work: their own changes and those to
    figures they authored or are assigned; an admin sees everything, including
    refused logins, which nobody else does."""
    a, f = schema.audit_log, schema.facts
    # undo bookkeeping (store.history) is not activity: the changes it made are
    stmt = select(a).where(a.c.action.not_in(("undo_step", "undone")))
    stmt = stmt.order_by(a.c.at.desc(), a.c.id.desc()).limit(limit)
    if not admin:  # figure changes only: accounts and logins have no fact
        concerns = select(f.c.id).where(or_(f.c.author == user, f.c.assignee == user))
        stmt = stmt.where(
            a.c.fact_id.is_not(None), or_(a.c.user_name == user, a.c.fact_id.in_(concerns))
        )
    with engine.connect() as conn:
        return [
            AuditEntry(r.id, r.at, r.user_name, r.action, r.fact_id, r.old, r.new, r.note)
            for r in conn.execute(stmt)
        ]


def save_headlines(engine: Engine, version: int | None, headlines: dict[str, Any]) -> bool:
    """Keep the dashboard's headline totals with the last reconcile run, if that run
    saw store version ``version`` (the figures they were computed from)."""
    r = schema.reconcile_runs
    with engine.begin() as conn:
        last = conn.execute(select(r.c.id, r.c.store_version).order_by(r.c.id.desc()).limit(1))
        row = last.first()
        if row is None or version is None or row.store_version != version:
            return False
        stored = {**headlines, "version": version}
        conn.execute(update(r).where(r.c.id == row.id).values(headlines=stored))
    return True


def saved_headlines(engine: Engine) -> dict[str, Any] | None:
    """The headline totals the last run kept, while the store is still at the version
    they were computed at (two one-row reads); None otherwise."""
    r, v = schema.reconcile_runs, schema.store_version
    with engine.connect() as conn:
        kept = conn.execute(select(r.c.headlines).order_by(r.c.id.desc()).limit(1)).scalar()
        now = conn.execute(select(v.c.version).where(v.c.id == 1)).scalar()
    if isinstance(kept, str):
        kept = json.loads(kept)
    if not isinstance(kept, dict) or kept.get("version") != now:
        return None
    return kept
