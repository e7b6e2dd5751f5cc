"""The dashboard's headline totals (people killed, injured, displaced...), computed
once by the reconcile run that stored the figures rather than on the first view.

Each headline is a reconciled ``total`` over the stored figures: eight questions,
half a second to seconds on a store of 5,000 facts. ``remember_headlines`` asks
them right after a run has written its figures (every review status, and verified
only) and keeps the answers with the run (``Store.save_headlines``); the dashboard
reads them back in two one-row reads while the store has not moved since
(``Store.saved_headlines``), and asks ``headline_totals`` itself only for a period
or place of its own.

The plain ones (every review status) are kept with the groups they were counted
from (``selection``): an incremental run selects again only the groups of the
figures it replaced, and takes those of categories it did not touch as they were.
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from crisisdesk.errors import CrisisdeskError
from crisisdesk.model import Category, Unit
from crisisdesk.reconcile.items import Item
from crisisdesk.reconcile.selection import Selection, select_afresh, select_again
from crisisdesk.reconcile.stored import stored_state
from crisisdesk.reconcile.totals import total
from crisisdesk.store import Store, StoredFigure
from crisisdesk.store.partial import figures_by_id

log = logging.getLogger(__name__)

# (category, unit or None for any, label) in the order a reader expects them
HEADLINES: tuple[tuple[Category, Unit | None, str], ...] = (
    (Category.KILLED, None, "People killed"),
    (Category.INJURED, None, "People injured"),
    (Category.DISPLACED, Unit.PEOPLE, "People displaced"),
    (Category.DISPLACED, Unit.FAMILIES, "Families displaced"),
    (Category.AIRSTRIKES, None, "Air strikes"),
    (Category.BARREL_BOMBS, None, "Barrel bombs"),
    (Category.ROCKETS, None, "Rockets"),
    (Category.FACILITIES_DAMAGED, None, "Facilities damaged"),
)


@dataclass(frozen=True, slots=True)
class Replaced:
    """What an incremental pass replaced: the figures as they were, and the ids of the
    figures it wrote instead (``selection.select_again``). ``items``: the facts, as
    items, of stored figures the pass still holds in memory (those it wrote, and
    others it read and left as they were, with ``kept``, their rows): the selection
    reads them back from the store otherwise, every fact of every top it looks at."""

    figures: Sequence[StoredFigure]
    written: frozenset[str]
    items: Mapping[str, Sequence[Item]] = field(default_factory=dict)
    kept: Mapping[str, StoredFigure] = field(default_factory=dict)


def headline_totals(
    store: Store,
    *,
    place: str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    verified_only: bool = False,
    known: Mapping[tuple[str, str | None], dict[str, Any]] | None = None,
) -> list[dict[str, Any]]:
    """Each headline's reconciled total: label, category, unit, value (None when no
    figure), how many figures it holds. Numbers only, so each total is asked without
    its figures' evidence (``total(evidence=False)``): a headline over a whole
    category of a million facts would otherwise hold most of its facts at once.
    ``known``: headlines by (category, unit) already answered for this store (an
    incremental run keeps those of categories it did not touch), taken as they are."""
    out = []
    for category, unit, label in HEADLINES:
        cat, u = str(category), (str(unit) if unit else None)
        same = (known or {}).get((cat, u))
        if same is not None and same.get("label") == label:
            out.append(same)
            continue
        out.append(
            _asked(store, cat, u, label, place=place, date_from=date_from, date_to=date_to,
                   verified_only=verified_only)
        )  # fmt: skip
    return out


def _asked(store: Store, cat: str, u: str | None, label: str, **question: Any) -> dict[str, Any]:
    """One headline, asked of ``total``."""
    value, figures = None, 0
    try:
        result = total(store, category=cat, unit=u, evidence=False, **question)
    except CrisisdeskError:
        result = None
    if result is not None and result.figures:
        value, figures = result.best, len(result.figures)
    return {"label": label, "category": cat, "unit": u, "value": value, "figures": figures}


def kept_headlines(
    store: Store,
    before: Mapping[str, Any] | None = None,
    touched: Collection[str] = (),
    replaced: Replaced | None = None,
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """The plain headlines over every review status, and the selections they were
    counted from (``selection``: kept with them, for the next incremental run).
    Those of categories not ``touched`` are ``before``'s; those of touched ones are
    selected again where ``replaced`` says what changed, else afresh."""
    known = _untouched(before, "all", touched)
    prior = (before or {}).get("selection")
    prior = prior if isinstance(prior, dict) else {}
    out: list[dict[str, Any]] = []
    kept: dict[str, Any] = {}
    written: list[StoredFigure] | None = None  # the figures the pass wrote, read once
    for category, unit, label in HEADLINES:
        cat, u = str(category), (str(unit) if unit else None)
        key = f"{cat}/{u or ''}"
        same = known.get((cat, u))
        if same is not None and same.get("label") == label:
            out.append(same)
            if key in prior:
                kept[key] = prior[key]
            continue
        sel = None
        try:
            if replaced is not None and isinstance(prior.get(key), dict):
                if written is None:
                    written = figures_by_id(store.engine, replaced.written)
                rows = {**replaced.kept, **{w.id: w for w in written}}
                sel = select_again(
                    store, Selection.from_json(prior[key]), cat, replaced.figures, written,
                    (replaced.items, rows),
                )  # fmt: skip
            if sel is None:
                sel = select_afresh(store, cat, u)
        except CrisisdeskError:
            sel = None
        if sel is None:  # ties: counted as the dashboard asks, and nothing kept
            out.append(_asked(store, cat, u, label))
            continue
        value, figures = sel.value
        out.append({"label": label, "category": cat, "unit": u, "value": value,
                    "figures": figures})  # fmt: skip
        kept[key] = sel.to_json()
    return out, kept


def remember_headlines(
    store: Store,
    before: Mapping[str, Any] | None = None,
    touched: Collection[str] = (),
    replaced: Replaced | None = None,
) -> bool:
    """Compute the plain dashboard's headlines from freshly stored figures and keep
    them with the run; False (nothing kept) when the figures are not fresh any more
    or the run already kept them.

    ``before``: the headlines the previous run kept, for the figures it left; an
    incremental run that changed facts and figures of the ``touched`` categories
    only takes the others from there (a headline reads the figures, and the facts
    for verified only, of its own category: those of the others are as they were),
    and with ``replaced`` selects again only the groups of figures it changed."""
    run, version = store.last_run()
    if run is None or stored_state(store) != "fresh":
        return False
    kept = store.saved_headlines()
    if kept is not None:
        return False
    try:
        with store.unmapped_reads():  # a reconcile's memory: see there
            plain, selections = kept_headlines(store, before, touched, replaced)
            heads = {
                "all": plain,
                "verified": headline_totals(
                    store, verified_only=True, known=_untouched(before, "verified", touched)
                ),
                "selection": selections,
            }
    except Exception:  # the figures are stored; the dashboard computes them itself then
        log.exception("headline totals not kept")
        return False
    return store.save_headlines(version, heads)


def _untouched(
    before: Mapping[str, Any] | None, which: str, touched: Collection[str]
) -> dict[tuple[str, str | None], dict[str, Any]]:
    """The headlines of ``before[which]`` whose category is not ``touched``."""
    kept = (before or {}).get(which)
    if not isinstance(kept, list):
        return {}
    return {
        (h["category"], h.get("unit")): h
        for h in kept
        if isinstance(h, dict) and "category" in h and h["category"] not in touched
    }
