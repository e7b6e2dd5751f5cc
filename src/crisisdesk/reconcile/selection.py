"""A headline total kept by groups, so that an incremental pass recomputes only the
groups its new figures touch (issue 18).

A headline (``headlines.HEADLINES``) is ``total`` over every stored figure of a
category: the figures inside no other counted figure (the *tops*), of which
``select_disjoint`` keeps those that never count the same people twice. Asked
afresh it reads back every top figure of the category with its facts, so after
1,000 new reports it cost what the category costs. Here it is kept as

* a *tally* of the category's figures by (unit, country, whether the place
  resolved, whether places are named): all ``total`` looks at over the whole
  category to choose the unit counted and the main country;
* *groups* of top figures joined by chains of clashes (``nesting.clash_groups``),
  each with what the selection keeps of it: best and how many figures. Whether a
  figure is kept depends only on its group, so the headline is their sum.

An incremental pass replaces the figures that hold the facts it read again
(``Written.replaced``) by new ones, and every figure that is linked to one of
those is replaced too; so the tops that stay are tops still, and only the groups
that held a replaced top, or that a new top clashes with (found among the tops
whose period meets a new one's), are read back and selected again. When the
tally chooses another unit or country, or two come level (the choice would then
follow the order figures are listed in), the headline is computed afresh.
``tests/reconcile/test_selection.py`` holds both ways to ``total``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from crisisdesk.reconcile.draft import FigureDraft
from crisisdesk.reconcile.items import Item
from crisisdesk.reconcile.nesting import clash_groups, select_disjoint
from crisisdesk.reconcile.reach import merge_spans
from crisisdesk.reconcile.stored import FigureReader, stored_draft
from crisisdesk.reconcile.totals import StaleFigures, countable, tops
from crisisdesk.store import Question, Store, StoredFigure
from crisisdesk.store.partial import figure_ids_over

TallyKey = tuple[str, str | None, bool, bool]  # unit, country, place resolved, places named


def tally_key(d: StoredFigure) -> TallyKey:
    known = bool(d.place_id or d.country or d.admin1_code or d.admin2_code)
    return d.unit, d.country, known, bool(d.places)


Settled = tuple[bool, str | None, str | None]  # places resolve, main country, unit counted


def settle(tally: Counter[TallyKey], unit: str | None) -> Settled | None:
    """(whether places resolve, main country, unit counted) as ``totals.countable``
    chooses them over figures of this tally; None when two countries or units come
    level (``most_common`` then keeps the first listed)."""
    rows = [(k, n) for k, n in tally.items() if n > 0]
    resolving = any(k[2] for k, _ in rows)
    placed = [(k, n) for k, n in rows if not (resolving and not k[2] and k[3])]
    countries: Counter[str] = Counter()
    for k, n in placed:
        if k[1]:
            countries[k[1]] += n
    main = _first(countries)
    if main is False:
        return None
    kept = [(k, n) for k, n in placed if not (main is not None and k[1] not in (None, main))]
    if unit is None and kept:
        units: Counter[str] = Counter()
        for k, n in kept:
            units[k[0]] += n
        chosen = "people" if "people" in units else _first(units)
        if chosen is False:
            return None
        unit = chosen  # type: ignore[assignment]
    return resolving, main, unit  # type: ignore[return-value]


def _first(counts: Counter[str]) -> str | None | bool:
    """The most common key; None when empty; False when two come level."""
    top = counts.most_common(2)
    if not top:
        return None
    if len(top) > 1 and top[0][1] == top[1][1]:
        return False
    return top[0][0]


@dataclass(slots=True)
class Selection:
    """One headline's tally and groups (see the module docstring)."""

    unit: str | None  # the unit asked (None: any, the one ``total`` chooses)
    tally: Counter[TallyKey] = field(default_factory=Counter)
    groups: dict[int, tuple[int, int, tuple[str, ...]]] = field(default_factory=dict)
    group_of: dict[str, int] = field(default_factory=dict)
    _next: int = 0

    @property
    def value(self) -> tuple[int | None, int]:
        """(best, figures counted) as the headline gives them: best None when none."""
        best = sum(b for b, _, _ in self.groups.values())
        used = sum(n for _, n, _ in self.groups.values())
        return (best if used else None), used

    def add_groups(self, drafts: Sequence[FigureDraft]) -> None:
        used = {d.id for d in select_disjoint(drafts, reasons=False)[0]}
        for group in clash_groups(drafts):
            kept = [d for d in group if d.id in used]
            ids = tuple(d.id for d in group)
            self.groups[self._next] = (sum(d.best or 0 for d in kept), len(kept), ids)
            for i in ids:
                self.group_of[i] = self._next
            self._next += 1

    def drop_groups(self, numbers: Iterable[int]) -> list[str]:
        """Forget these groups; their figures' ids."""
        out: list[str] = []
        for g in numbers:
            _, _, ids = self.groups.pop(g)
            for i in ids:
                del self.group_of[i]
            out.extend(ids)
        return out

    def to_json(self) -> dict[str, Any]:
        return {
            "unit": self.unit,
            "tally": [[*k, n] for k, n in self.tally.items() if n > 0],
            "groups": [[b, n, list(ids)] for b, n, ids in self.groups.values()],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Selection:
        sel = cls(data.get("unit"))
        for u, c, known, named, n in data["tally"]:
            sel.tally[(u, c, bool(known), bool(named))] = int(n)
        for b, n, ids in data["groups"]:
            sel.groups[sel._next] = (int(b), int(n), tuple(ids))
            for i in ids:
                sel.group_of[i] = sel._next
            sel._next += 1
        return sel


Known = tuple[Mapping[str, Sequence[Item]], Mapping[str, StoredFigure]]


def _drafts(store: Store, ids: Iterable[str], known: Known | None = None) -> dict[str, FigureDraft]:
    """Top figures read back with their items but not their facts (nor their parts:
    the selection does not look at them). ``known``: items and rows of figures the
    pass that wrote them still holds, drafted as the store's read drafts them."""
    wanted = list(dict.fromkeys(ids))
    got: dict[str, FigureDraft] = {}
    if known is not None:
        items, rows = known
        for i in wanted:
            if items.get(i) and i in rows:
                got[i] = stored_draft(rows[i], list(items[i]), [])
    rest = [i for i in wanted if i not in got]
    if rest:
        got.update(FigureReader(store, frozenset(), evidence=False).drafts(rest, parts_for=()))
    if len(got) < len(wanted):
        raise StaleFigures(f"{len(wanted) - len(got)} stored figures have no facts")
    return {i: got[i] for i in wanted}


def select_afresh(store: Store, category: str, unit: str | None) -> Selection | None:
    """The selection of a headline over every stored figure of ``category``; None when
    a tie makes its tally unfit to keep (the headline is then asked afresh each time)."""
    listed = store.figures_for(Question(category, unit, None, None, None, False))
    sel = Selection(unit, Counter(tally_key(d) for d in listed))
    chosen, candidates = countable(
        listed, unit=unit, date_from=None, date_to=None, place=None, country=None,
        excluded=[], notes=[],
    )  # fmt: skip
    settled = settle(sel.tally, unit)
    if settled is None or (candidates and settled[2] != chosen):
        return None
    top, _ = tops(candidates)
    drafts = _drafts(store, (d.id for d in top))
    sel.add_groups([drafts[d.id] for d in top])
    return sel


def select_again(
    store: Store,
    sel: Selection,
    category: str,
    replaced: Sequence[StoredFigure],
    written: Sequence[StoredFigure],
    known: Known | None = None,
) -> Selection | None:
    """``sel`` after an incremental pass replaced the figures ``replaced`` (as they
    were) by the figures ``written`` (as stored now; of every category); None when
    only ``select_afresh`` can answer (the unit or country counted changes, or ties)."""

    def mine(d: StoredFigure) -> bool:
        return d.category == category and (sel.unit is None or d.unit == sel.unit)

    old = [d for d in replaced if mine(d)]
    new = [d for d in written if mine(d)]
    before = settle(sel.tally, sel.unit)
    sel.tally.subtract(tally_key(d) for d in old)
    sel.tally.update(tally_key(d) for d in new)
    after = settle(sel.tally, sel.unit)
    if before is None or after != before:
        return None
    resolving, main, chosen = after
    # new figures link only to new figures (every figure linked to a replaced one is
    # replaced), so their candidates and tops are found among themselves
    _, candidates = countable(
        new, unit=chosen, date_from=None, date_to=None, place=None, country=None,
        excluded=[], notes=[], scope=(resolving, main),
    )  # fmt: skip
    top = [d.id for d in tops(candidates)[0]]
    gone = {d.id for d in old}
    dirty = {sel.group_of[i] for i in gone if i in sel.group_of}
    # tops that stay, whose period meets a new top's: they may clash with it
    tops_new = set(top)
    spans = merge_spans((d.start, d.end) for d in candidates if d.id in tops_new and _dated(d))
    days = [(date.fromordinal(lo), date.fromordinal(hi)) for lo, hi in spans]
    near: set[str] = set()
    for i in figure_ids_over(store.engine, category, sel.unit, days):
        g = sel.group_of.get(i)
        if g is not None and g not in dirty and i not in gone:
            near.add(i)
    stay = [i for i in sel.drop_groups(dirty) if i not in gone]
    drafts = _drafts(store, [*top, *stay, *sorted(near)], known)
    # the groups of the near tops a new top clashes with join the region
    joined = set()
    fresh = set(top) | set(stay)
    for group in clash_groups(list(drafts.values())):
        if any(d.id in fresh for d in group):
            joined.update(sel.group_of[d.id] for d in group if d.id in near)
    more = [i for i in sel.drop_groups(sorted(joined)) if i not in drafts]
    drafts.update(_drafts(store, more, known))
    region = [d for i, d in drafts.items() if i not in sel.group_of]  # near ones joined
    sel.add_groups(region)
    return sel


def _dated(d: StoredFigure) -> bool:
    return d.start is not None and d.end is not None
