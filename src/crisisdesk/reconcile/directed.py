"""Directed incremental reconcile: new reports change their own figures, and only the
links and flags of the stored figures around those (issue 18).

The reach (``reach.Reach``) closes the changed facts under every relation both
ways, so a long total joins everything it covers, and everything that covers any
of that: on a large store the reach of a day's reports is most of the store. Yet a
new town-day does not change the month total that covers it, only that total's
parts and its parts-exceed flag. Here, for new facts of new documents only:

1. **Their own figures.** A new fact joins the figures of the stored facts it is the
   same count as (``grouping``: same bucket, compared, strength > 0). When no
   document gives two numbers among the new facts and those figures together, the
   union-find of ``grouping`` ends with those figures and the new facts as one
   group and every other group as it was (``docs/scale.md``); else this pass gives
   way to the reach. The stored figures merged are removed (``removed``), the new
   drafts added. ``merge_running`` runs over the new drafts; a stored running count
   it might pair one of them with sends the pass to the reach.
2. **Links.** A figure's totals depend only on the figures that contain it. So only
   the figures a new or removed figure contains (``nesting.contained``), and the
   new ones, have their totals found again (``link_parts`` over them and every
   stored figure whose period meets theirs: all that can contain them). The
   totals that gain or lose a part have their parts (stored links, changed ones
   replaced), ``is_total`` and parts-exceed flag made again from the stored figures.
3. **Checks.** A falling running total is checked again over each series (same
   category, unit, subject, place and first day) that a new, removed or re-linked
   figure is in, every stored member read; household sizes pair the facts of one
   sentence, so only the new drafts' sentences are paired again (a sentence stating
   two counts in one unit sends the pass to the reach: the check keeps the last).

The stored figures whose links, ``is_total`` or flags change are updated in place
(``store.partial.write_directed``, one transaction), and the headlines selected
again over them and the figures above them (``selection``).
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from crisisdesk.model import Flag
from crisisdesk.reconcile.checks import (
    NOT_ATTACK,
    check_cumulative,
    check_disagreement,
    check_household_size,
    check_not_attack,
)
from crisisdesk.reconcile.draft import FigureDraft, make_draft, merge_running
from crisisdesk.reconcile.grouping import (
    SAME_COUNT_END_DAYS,
    bucket_key,
    group_items,
    match_strength,
    value_key,
)
from crisisdesk.reconcile.headlines import Replaced
from crisisdesk.reconcile.intervals import IntervalIndex
from crisisdesk.reconcile.items import Item, ItemMaker, member_places, quote_key
from crisisdesk.reconcile.joining import UnionFind, join_bucket
from crisisdesk.reconcile.nesting import contained, link_parts, parts_exceed
from crisisdesk.reconcile.reach import bucket_of, compared_by_grouping, merge_spans
from crisisdesk.reconcile.run import figure_rows, unplaced_at
from crisisdesk.store import FactRow, FactsState, Store, StoredFigure
from crisisdesk.store.partial import (
    Directed,
    Order,
    fact_ids_near,
    facts_by_id,
    facts_near,
    figure_ids_over,
    figure_ids_starting,
    figures_by_id,
    figures_of_facts,
    only_new,
    parts_of,
    stated_in_documents,
    write_directed,
)

log = logging.getLogger(__name__)

NEAR = SAME_COUNT_END_DAYS
HOUSEHOLD = ("families", "people")
PE, CUM = "parts_exceed_total", "cumulative_falls"


class GiveWay(Exception):
    """The directed pass cannot be sure here: the reach must answer."""


@dataclass(frozen=True, slots=True)
class DirectedDone:
    """What a directed pass did (see ``incremental.IncrementalSummary``)."""

    facts: int  # facts of the figures made again
    figures: int  # figures written
    drafts: list[FigureDraft]
    quotes: dict[str, str]
    updated: int  # stored figures whose links, is_total or flags changed
    replaced: Replaced | None


@dataclass(slots=True)
class _Stored:
    """Stored figures read back: drafts made again from their facts (as a full pass
    makes them, before links), and what the store says of them."""

    drafts: dict[str, FigureDraft]
    meta: dict[str, StoredFigure]
    parts: dict[str, list[str]]

    def read(
        self,
        store: Store,
        ids: Iterable[str],
        table: Mapping[str, float],
        known: Callable[[Iterable[str]], Mapping[str, Item]] | None = None,
    ) -> None:
        """Read ``ids`` back. With ``known`` (fact ids -> the pass's items, the live ones
        among them read now if not yet): a figure's facts are taken from there, and
        only the figure's row and links read; a figure holding a fact ``known`` lacks
        is read whole. The windows the pass reads hold most facts of the figures
        around the new ones: each was read from the store twice."""
        wanted = [i for i in sorted(set(ids)) if i not in self.drafts]
        if not wanted:
            return
        if known is not None:
            held = store.figure_fact_ids(wanted)
            items = known({f for fs in held.values() for f in fs})
            ready = [i for i in wanted if held.get(i) and all(f in items for f in held[i])]
            links = parts_of(store.engine, ready)
            for fig in figures_by_id(store.engine, ready):
                drafted = make_draft([items[f] for f in held[fig.id]], table, False)
                self.drafts[fig.id] = drafted
                self.meta[fig.id] = fig
                self.parts[fig.id] = links.get(fig.id, [])
            wanted = [i for i in wanted if i not in self.drafts]
            if not wanted:
                return
        maker = ItemMaker(keep_facts=False)
        for read in store.iter_figures(wanted):
            for fig in read.figures:
                rows = read.facts.get(fig.id, ())
                if not rows:
                    raise GiveWay(f"figure {fig.id} holds no facts")
                self.drafts[fig.id] = make_draft([maker(r) for r in rows], table, False)
                self.meta[fig.id] = fig
                self.parts[fig.id] = list(read.parts.get(fig.id, ()))


def reconcile_directed(
    store: Store, changed: Mapping[str, str], state: FactsState, table: Any, digest: str
) -> DirectedDone | None:
    """The directed pass over the facts ``changed`` (id -> category); None when only
    the reach is sure (they are not all new facts of new documents, or see
    ``GiveWay``), or a write came in between."""
    if not changed or not only_new(store.engine, changed):
        return None
    try:
        return _Pass(store, changed, table).run(state, digest)
    except GiveWay as why:
        log.info("directed pass gives way to the reach: %s", why)
        return None


class _Pass:
    def __init__(self, store: Store, changed: Mapping[str, str], table: Any) -> None:
        self.store, self.engine, self.table = store, store.engine, table
        self.changed = set(changed)
        self.order: dict[str, Order] = {}
        self.items: dict[str, Item] = {}
        self.names: dict[str, tuple[str, ...]] = {}
        self.quotes: dict[str, str] = {}
        self.maker = ItemMaker(keep_facts=False)
        self.stored = _Stored({}, {}, {})
        self.districts: dict[tuple[str, str, str], list[Item]] = {}

    def _take(self, got: tuple[list[FactRow], dict[str, Order]]) -> list[Item]:
        rows, order = got
        self.order.update(order)
        out = []
        for r in rows:
            if r.id in self.items:
                out.append(self.items[r.id])
                continue
            it = self.maker(r)
            self.items[r.id] = it
            ps = r.places
            if ps and (len(ps) > 1 or ps[0].name != it.place.name):
                self.names[r.id] = tuple(dict.fromkeys(p.name for p in ps))
            if unplaced_at(it):
                self.quotes[it.id] = r.quote
            out.append(it)
        return out

    def _known(self, ids: Iterable[str]) -> dict[str, Item]:
        """The pass's items, with the live facts among ``ids`` it has not read yet read."""
        missing = {i for i in ids if i not in self.items}
        if missing:
            self._take(facts_by_id(self.engine, missing))
        return self.items

    # -- 1. the new facts' own figures ---------------------------------------------

    def groups(self) -> tuple[list[FigureDraft], dict[str, FigureDraft]]:
        """The new drafts (in the order a full pass makes them, merged running counts
        joined) and the stored figures they replace, as drafts."""
        new = self._take(facts_by_id(self.engine, self.changed))
        if len(new) != len(self.changed):
            raise GiveWay("a new fact is not live")
        spans: dict[tuple[str, str], list[tuple[int, int]]] = defaultdict(list)
        undated: set[tuple[str, str]] = set()
        for it in new:
            kind = (it.category, it.unit)
            if it.start is None or it.end is None:
                undated.add(kind)
            else:
                spans[kind].append((it.start - NEAR, it.end + NEAR))
        old: dict[tuple[str, str, str, str], list[Item]] = defaultdict(list)
        for kind in sorted(spans.keys() | undated):
            days = _days(merge_spans(spans.get(kind, ())))
            for it in self._take(facts_near(self.engine, *kind, days, kind in undated)):
                if it.id not in self.changed:
                    old[bucket_of(it)].append(it)
        fresh: dict[tuple[str, str, str, str], list[Item]] = defaultdict(list)
        for it in new:
            fresh[bucket_of(it)].append(it)
        joined: list[tuple[str, str]] = []  # (new fact, other fact) that are one count
        for b, mine in fresh.items():
            for k, x in enumerate(mine):
                joined.extend((x.id, y.id) for y in mine[k + 1 :] if _one_count(x, y))
                joined.extend((x.id, y.id) for y in old.get(b, ()) if _one_count(x, y))
        partners = {o for _, o in joined if o not in self.changed}
        holders = figures_of_facts(self.engine, partners)
        if any(len(holders.get(o, ())) != 1 for o in partners):
            raise GiveWay("a stored fact is not held by exactly one figure")
        removed_ids = sorted({holders[o][0] for o in partners})
        held = self.store.figure_fact_ids(removed_ids)
        self._known({f for ids in held.values() for f in ids})
        removed: dict[str, FigureDraft] = {}
        for fid in removed_ids:
            its = [self.items[f] for f in held.get(fid, ()) if f in self.items]
            if len(its) != len(held.get(fid, ())) or len({bucket_of(it) for it in its}) != 1:
                raise GiveWay(f"stored figure {fid} is not one group of live facts")
            removed[fid] = make_draft(its, self.table, False)
        # union-find over the new facts and the stored figures they join
        nodes = [it.id for it in new] + [f"g:{fid}" for fid in removed_ids]
        slot = {n: k for k, n in enumerate(nodes)}
        forest = UnionFind(len(nodes))

        def node(fact: str) -> int:
            return slot[fact] if fact in self.changed else slot[f"g:{holders[fact][0]}"]

        for a, b in joined:
            forest.union(node(a), node(b))
        members: dict[int, list[Item]] = defaultdict(list)
        for it in new:
            members[forest.find(slot[it.id])].append(it)
        for fid in removed_ids:
            members[forest.find(slot[f"g:{fid}"])].extend(removed[fid].items)
        drafts = []
        clash = [its for its in members.values() if not _one_number_each(its)]
        clashing = {id(its) for its in clash}
        owner = {it.id: fid for fid in removed_ids for it in removed[fid].items}
        covered: set[str] = set()  # facts grouped again with all they are joined to
        kept: set[str] = set()  # stored figures grouped again as they were
        regrouped: list[tuple[list[list[Item]], dict[str, list[str]]]] = []
        alone: list[tuple[list[list[Item]], dict[str, list[str]]]] = []
        for its in clash:
            # a document gives two numbers: the union-find's order decides. Its own
            # stored figures alone, when each comes out whole (``_alone``); else every
            # fact joined to these by pairs, grouped again as the full pass groups them
            local = self._alone(its, owner)
            if local is not None:
                alone.append(local)
                continue
            if its[0].id in covered:
                continue
            whole, inside = self._connected(its)
            whole.sort(key=lambda it: self.order[it.id])
            covered.update(it.id for it in whole)
            regrouped.append((group_items(whole), inside))
        for grouped, inside in alone:
            if grouped[0][0].id not in covered:  # else within a chain grouped again
                covered.update(it.id for g in grouped for it in g)
                regrouped.append((grouped, inside))
        for grouped, inside in regrouped:
            was = {frozenset(ids): fid for fid, ids in inside.items()}
            for g in grouped:
                same = was.get(frozenset(it.id for it in g))
                if same is not None:
                    kept.add(same)  # the very facts of a stored figure: it stays
                else:
                    drafts.append(make_draft(g, self.table))
            for fid, ids in sorted(inside.items()):
                if fid not in kept and fid not in removed:
                    removed[fid] = make_draft([self.items[i] for i in ids], self.table, False)
        for fid in kept:
            removed.pop(fid, None)
        for its in members.values():
            if id(its) in clashing or its[0].id in covered:
                continue
            its.sort(key=lambda it: self.order[it.id])
            drafts.append(make_draft(its, self.table))
        drafts.sort(key=lambda d: (bucket_key(d.items[0]), self.order[d.items[0].id]))
        return merge_running(drafts, self.table), removed

    def _alone(
        self, its: list[Item], owner: Mapping[str, str]
    ) -> tuple[list[list[Item]], dict[str, list[str]]] | None:
        """The groups of a clashing set (new facts and the stored figures they are one
        count with) as the full pass makes them, from those facts alone, and the stored
        figures among them (id -> fact ids); None when the chain must be grouped again.

        The last run's union-find accepted every pair inside a stored figure and
        refused every pair across two (docs/scale.md). So the pairs of these facts are
        joined in the full pass's order, except pairs across two stored figures, which
        are left out: when every stored figure comes out inside one group, each group
        held, at every step, the whole groups the last run had then, and a pair across
        two stored figures, or to a fact outside, met a document giving two numbers as
        in the last run and was refused again; the facts outside group as they did."""
        bucket = sorted(its, key=lambda it: self.order[it.id])

        def strength(a: Item, b: Item) -> int:
            fa, fb = owner.get(a.id), owner.get(b.id)
            if fa is not None and fb is not None and fa != fb:
                return 0  # refused in the last run, refused again
            return match_strength(a, b)

        members = join_bucket(bucket, strength, SAME_COUNT_END_DAYS)
        groups = (
            [[it] for it in bucket]
            if members is None
            else [[bucket[i] for i in group] for group in members]
        )
        where: dict[str, int] = {}
        for k, g in enumerate(groups):
            for it in g:
                fid = owner.get(it.id)
                if fid is not None and where.setdefault(fid, k) != k:
                    return None  # a stored figure split: the chain decides
        inside: dict[str, list[str]] = defaultdict(list)
        for it in bucket:
            if it.id in owner:
                inside[owner[it.id]].append(it.id)
        return groups, dict(inside)

    def _connected(self, seed: list[Item]) -> tuple[list[Item], dict[str, list[str]]]:
        """Every fact of the seed's bucket joined to it by a chain of compared pairs that
        are one count (``grouping`` groups it with these, or refuses to), and the stored
        figures holding them (id -> fact ids). The facts of the bucket's category, unit
        and district are read, every period at once (a chain of running counts can span
        the store). The chain is followed over the stored figures it crosses: a stored
        figure is one group of the last run, joined by its own pairs, so all its facts
        are reached with the first; only facts of figures not reached yet are tested."""
        b = bucket_of(seed[0])
        place = seed[0].place
        codes = {k[3:] for k in place.self_keys | place.area_keys if k.startswith("a2:")}
        if len(codes) != 1 or any(bucket_of(it) != b for it in seed):
            raise GiveWay("a group to join again is not one bucket of one district")
        (code,) = codes
        if (b[0], b[1], code) not in self.districts:
            every = [(date.min, date.max)]
            ids = fact_ids_near(self.engine, b[0], b[1], every, True, code)
            held = self._known(ids)  # most were read already: the windows, the figures
            self.districts[(b[0], b[1], code)] = [
                held[i] for i in dict.fromkeys(ids) if i in held and i not in self.changed
            ]
        stored = [it for it in self.districts[(b[0], b[1], code)] if bucket_of(it) == b]
        bucket = stored + [
            it for it in self.items.values() if it.id in self.changed and bucket_of(it) == b
        ]
        holder = self._holders(stored)
        figures = self.store.figure_fact_ids(set(holder.values()))
        mine = {it.id for it in stored}
        for fid, ids in figures.items():
            if not set(ids) <= mine:
                raise GiveWay(f"stored figure {fid} holds facts outside its bucket")
        by_day: IntervalIndex[Item] = IntervalIndex()
        loose = []
        for it in bucket:
            if it.start is None or it.end is None:
                loose.append(it)
            else:
                by_day.add(it.start, it.end, it)
        got: dict[str, Item] = {}
        inside: dict[str, list[str]] = {}
        todo: list[Item] = []

        def reach(it: Item) -> None:
            fid = holder.get(it.id)
            if fid is None:  # a new fact
                got[it.id] = it
                todo.append(it)
                return
            inside[fid] = figures[fid]
            for i in figures[fid]:
                got[i] = self.items[i]
                todo.append(self.items[i])

        for it in seed:
            if it.id not in got:
                reach(it)
        while todo:
            x = todo.pop()
            if x.start is None or x.end is None:
                near = loose
            else:
                near = [y for _, _, y in by_day.overlapping(x.start - NEAR, x.end + NEAR)]
            for y in near:
                if y.id not in got and _one_count(x, y):
                    reach(y)
        return list(got.values()), inside

    def _holders(self, stored: list[Item]) -> dict[str, str]:
        """Fact id -> the stored figure holding it; gives way unless each is held by one."""
        held = figures_of_facts(self.engine, [it.id for it in stored])
        if any(len(held.get(it.id, ())) != 1 for it in stored):
            raise GiveWay("a stored fact is not held by exactly one figure")
        return {i: fs[0] for i, fs in held.items()}

    # -- 2. links --------------------------------------------------------------------

    def run(self, state: FactsState, digest: str) -> DirectedDone | None:
        added, removed = self.groups()
        added_ids = {d.id for d in added}
        st = self.stored
        around = self._around([*added, *removed.values()]) - removed.keys()
        st.read(self.store, around, self.table, self._known)
        self._no_merge(added)
        pool = [d for i, d in st.drafts.items() if i not in removed]
        link_parts([*added, *pool])  # the pool's drafts are made for this pass only
        moved = contained([*added, *removed.values()], pool)  # their totals change
        parents: dict[str, list[str]] = {d.id: sorted(d.part_of) for d in added}
        parents.update((d.id, sorted(d.part_of)) for d in pool if d.id in moved)
        removed_meta = {m.id: m for m in figures_by_id(self.engine, removed)}
        totals: set[str] = set()
        for ps in parents.values():
            totals.update(ps)
        for i in moved:
            totals.update(st.meta[i].part_of)
        for m in removed_meta.values():
            totals.update(m.part_of)
        totals -= set(removed) | added_ids
        if not totals <= st.drafts.keys():
            raise GiveWay("a total is outside the figures read")
        parts: dict[str, set[str]] = {}
        gone = set(removed) | moved | added_ids
        for t in totals:
            parts[t] = {p for p in st.parts.get(t, ()) if p not in gone}
        for f, ps in parents.items():
            for t in ps:
                if t in parts:
                    parts[t].add(f)
        by_id = {d.id: d for d in added}
        wanted = {p for ps in parts.values() for p in ps} - by_id.keys()
        st.read(self.store, wanted, self.table, self._known)
        by_id.update((i, d) for i, d in st.drafts.items() if i not in by_id)
        is_total = {
            t: any(it.is_total for it in st.drafts[t].items) or bool(parts[t]) for t in totals
        }
        exceeds: dict[str, Flag | None] = {}
        for t in totals:
            best = st.drafts[t].best
            exceeds[t] = (
                parts_exceed(best, [by_id[p] for p in parts[t]])
                if parts[t] and best is not None
                else None
            )
        # -- 3. checks ----------------------------------------------------------------
        for d in added:
            d.flags = []
            if d.parts and d.best is not None:
                found = parts_exceed(d.best, [by_id[p] for p in d.parts])
                if found is not None:
                    d.flag(found.code, found.message)
        check_not_attack(added)
        households = self._households(added)
        falls = self._series(added, removed, removed_meta, is_total)
        for d in added:
            if falls.get(d.id) is not None:
                d.flag(CUM, falls[d.id].message)  # type: ignore[union-attr]
        check_disagreement(added)
        # -- 4. the stored figures that change, and the write --------------------------
        updated: dict[str, tuple[bool, tuple[Flag, ...], tuple[str, ...]]] = {}
        changing = totals | moved | falls.keys() | households.keys()
        for i in sorted(changing - added_ids - set(removed)):
            m = st.meta[i]
            now_total = is_total.get(i, m.is_total)
            now_of = tuple(parents[i]) if i in moved else tuple(sorted(m.part_of))
            flags = _flags(m.flags, i, exceeds, falls, households)
            if (now_total, flags, now_of) != (m.is_total, tuple(m.flags), tuple(sorted(m.part_of))):
                updated[i] = (now_total, flags, now_of)
        links = [(t, f) for f, ps in parents.items() for t in ps]
        rows = figure_rows(added, self.names)
        plan = Directed(
            removed={i: frozenset(it.id for it in d.items) for i, d in removed.items()},
            added=rows,
            relinked=frozenset(moved),
            links=links,
            updated=updated,  # type: ignore[arg-type]
            new_facts=frozenset(self.changed),
        )
        above = self._above(set(updated) | moved | totals, parents)
        before = figures_by_id(self.engine, set(removed) | above)
        written = write_directed(self.engine, plan, state=state, reliability=digest)
        if written is None:
            return None
        written_ids = frozenset(added_ids | above)
        held = {i: d.items for i, d in st.drafts.items() if i not in removed}
        held.update((d.id, d.items) for d in added)
        kept = {i: m for i, m in st.meta.items() if i not in written_ids and i not in removed}
        replaced = Replaced(before, written_ids, held, kept)
        facts = sum(len(d.items) for d in added)
        return DirectedDone(facts, len(rows), added, self.quotes, len(updated), replaced)

    def _around(self, drafts: list[FigureDraft]) -> set[str]:
        """The stored figures whose period meets one of ``drafts``' (all that can contain
        them or lie inside them), and the running counts ``merge_running`` could pair
        one with (last days at most NEAR apart)."""
        spans: dict[tuple[str, str], list[tuple[int, int]]] = defaultdict(list)
        for d in drafts:
            if d.start is None or d.end is None:
                continue
            spans[(d.category, d.unit)].append((d.start, d.end))
            if d.est.chosen.running:
                spans[(d.category, d.unit)].append((d.end - NEAR, d.end + NEAR))
        out: set[str] = set()
        for (category, unit), got in sorted(spans.items()):
            out |= figure_ids_over(self.engine, category, unit, _days(merge_spans(got)))
        return out

    def _no_merge(self, added: list[FigureDraft]) -> None:
        """Give way when ``merge_running`` might pair a new draft with a stored one."""
        series: dict[tuple[object, ...], list[FigureDraft]] = defaultdict(list)
        for d in self.stored.drafts.values():
            key = _series(d)
            if key is not None:
                series[key].append(d)
        for a in added:
            key = _series(a)
            for b in series.get(key, ()) if key is not None else ():
                if abs(b.end - a.end) > NEAR or a.place.primary == b.place.primary:  # type: ignore[operator]
                    continue
                if not (a.self_keys.isdisjoint(_keys(b)) and b.self_keys.isdisjoint(_keys(a))):
                    raise GiveWay("a new running count may merge with a stored one")

    def _households(self, added: list[FigureDraft]) -> dict[str, list[Flag]]:
        """``check_household_size`` for the new drafts, and again for the stored figures
        holding the other facts of their sentences (their flags follow the order of
        the figures their partners are in): every figure holding a partner of any of
        those is read too, ordered as a full pass orders its figures. Returns the
        stored figures' household flags."""
        mine = {it.id for d in added for it in d.items}
        near: dict[str, FigureDraft] = {}  # stored figures in play, by id
        keys: set[tuple[str, str, str]] = set()
        level = list(added)
        for _ in range(2):  # the new drafts' partners, then those of the figures found
            more = {k for d in level for k in _household_keys(d)} - keys
            if not more:
                break
            keys |= more
            ids = self._partners(more) - mine - {it.id for d in near.values() for it in d.items}
            holders = {h for hs in figures_of_facts(self.engine, ids).values() for h in hs}
            self.stored.read(self.store, holders - near.keys(), self.table, self._known)
            level = [self.stored.drafts[h] for h in sorted(holders - near.keys())]
            near.update((d.id, d) for d in level)
        if not keys:
            return {}
        lacking = {it.id for d in near.values() for it in d.items if it.id not in self.order}
        self.order.update(facts_by_id(self.engine, lacking)[1])

        def first(it: Item) -> tuple[object, ...]:
            return (bucket_key(it), self.order[it.id])

        shadows = [replace(d, flags=[], items=sorted(d.items, key=first)) for d in near.values()]
        every = sorted([*added, *shadows], key=lambda d: min(map(first, d.items)))
        check_household_size(every)
        return {d.id: list(d.flags) for d in shadows}

    def _partners(self, keys: set[tuple[str, str, str]]) -> set[str]:
        """The live facts stating families or people in the sentences ``keys`` (document,
        quote, category); gives way when one states two in one unit (the check keeps
        the last it meets)."""
        seen: dict[tuple[str, str, str, str], int] = defaultdict(int)
        out: set[str] = set()
        for fid, doc, category, unit, value, quote in stated_in_documents(
            self.engine, {doc for doc, _, _ in keys}
        ):
            key = (doc, quote_key(quote or ""), category)
            if unit in HOUSEHOLD and value is not None and key[1] and key in keys:
                seen[(*key, unit)] += 1
                out.add(fid)
        if any(n > 1 for n in seen.values()):
            raise GiveWay("a sentence states two counts in one unit")
        return out

    def _series(
        self,
        added: list[FigureDraft],
        removed: Mapping[str, FigureDraft],
        removed_meta: Mapping[str, StoredFigure],
        is_total: Mapping[str, bool],
    ) -> dict[str, Flag | None]:
        """The falling-total flag of every member of each series a new, removed or
        re-linked figure is in (``check_cumulative`` over all its members)."""
        st = self.stored

        def total_now(i: str) -> bool:
            return is_total[i] if i in is_total else st.meta[i].is_total

        keys = {k for d in added if (k := _cumulative(d, d.is_total)) is not None}
        for i, d in removed.items():
            m = removed_meta.get(i)
            if m is not None and (k := _cumulative(d, m.is_total)) is not None:
                keys.add(k)
        for i, now in is_total.items():
            for k in (
                _cumulative(st.drafts[i], now),
                _cumulative(st.drafts[i], st.meta[i].is_total),
            ):
                if k is not None:
                    keys.add(k)
        if not keys:
            return {}
        starts: dict[tuple[str, str], set[int]] = defaultdict(set)
        for k in keys:
            starts[(k[0], k[1])].add(k[4])  # type: ignore[arg-type]
        ids: set[str] = set()
        for (category, unit), days in sorted(starts.items()):
            ids |= figure_ids_starting(self.engine, category, unit, days)
        ids -= set(removed)
        st.read(self.store, ids, self.table, self._known)
        members = [replace(d, flags=[]) for d in added if _cumulative(d, d.is_total) in keys]
        for i in sorted(ids):
            d = st.drafts[i]
            if _cumulative(d, total_now(i)) in keys:
                members.append(replace(d, flags=[], is_total=total_now(i)))
        check_cumulative(members)
        return {d.id: next((f for f in d.flags if f.code == CUM), None) for d in members}

    def _above(self, ids: set[str], parents: Mapping[str, list[str]]) -> set[str]:
        """``ids`` and every stored figure above them (their totals, and theirs...): the
        headlines must see a changed figure's totals with it."""
        st = self.stored
        out = set(ids)
        todo = list(ids)
        while todo:
            missing = [i for i in todo if i not in st.meta and i not in parents]
            for m in figures_by_id(self.engine, missing):
                st.meta[m.id] = m
            up: set[str] = set()
            for i in todo:
                up.update(
                    parents[i] if i in parents else st.meta[i].part_of if i in st.meta else ()
                )
            todo = [i for i in up if i not in out and i not in parents]
            out.update(todo)
        return out


def _one_number_each(items: list[Item]) -> bool:
    """Whether no document gives two numbers among ``items`` (``grouping.Groups``)."""
    numbers: dict[str, tuple[object, ...]] = {}
    return all(numbers.setdefault(it.doc, value_key(it)) == value_key(it) for it in items)


def _one_count(a: Item, b: Item) -> bool:
    """Whether ``grouping`` compares a and b (one bucket) and finds them one count."""
    if a.start is None or a.end is None or b.start is None or b.end is None:
        undated = a.start is None and b.start is None
        return undated and bool(match_strength(a, b) or match_strength(b, a))
    return compared_by_grouping(a, b)


def _series(d: FigureDraft) -> tuple[object, ...] | None:
    """The series ``merge_running`` compares a draft within (None: not a running count)."""
    c = d.est.chosen
    if not c.running or d.end is None or d.best is None:
        return None
    return (d.category, d.unit, d.subject_key, "to date" if c.open_start else d.start)


def _keys(d: FigureDraft) -> frozenset[str]:
    return d.self_keys | d.area_keys | member_places(d.place.primary)


def _cumulative(d: FigureDraft, is_total: bool) -> tuple[object, ...] | None:
    """The series ``check_cumulative`` checks d in, given whether it is a total."""
    if not is_total or d.best is None or d.start is None or d.start == d.end:
        return None
    return (d.category, d.unit, d.subject_key, d.place.primary, d.start)


def _flags(
    old: Iterable[Flag],
    i: str,
    exceeds: Mapping[str, Flag | None],
    falls: Mapping[str, Flag | None],
    households: Mapping[str, list[Flag]],
) -> tuple[Flag, ...]:
    """A stored figure's flags with those made again put in, in the order a full pass
    adds them: parts exceed, not attack damage, household sizes, falling total,
    sources disagree."""
    by: dict[str, list[Flag]] = defaultdict(list)
    for f in old:
        by[f.code].append(f)
    if i in exceeds:
        by[PE] = [f for f in (exceeds[i],) if f is not None]
    if i in households:
        by["household_size"] = households[i]
    if i in falls:
        by[CUM] = [f for f in (falls[i],) if f is not None]
    codes = (PE, NOT_ATTACK, "household_size", CUM, "sources_disagree")
    if set(by) - set(codes):
        raise GiveWay(f"figure {i} has a flag of another check")
    return tuple(f for code in codes for f in by.get(code, ()))


def _household_keys(d: FigureDraft) -> set[tuple[str, str, str]]:
    return {
        (it.doc, it.quote, it.category)
        for it in d.items
        if it.unit in HOUSEHOLD and it.value is not None and it.quote
    }


def _days(spans: list[tuple[int, int]]) -> list[tuple[date, date]]:
    return [(date.fromordinal(max(lo, 1)), date.fromordinal(hi)) for lo, hi in spans]


__all__ = ["DirectedDone", "reconcile_directed"]
