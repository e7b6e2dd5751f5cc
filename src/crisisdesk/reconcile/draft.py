"""A figure while it is being reconciled: a group of items, its estimate, links and flags.

Drafts are mutable (links and flags are added by later passes) and become
frozen ``model.Figure`` records, or rows of the figures tables, at the end.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from hashlib import sha256

from crisisdesk.model import Flag
from crisisdesk.reconcile.estimate import Estimate, estimate
from crisisdesk.reconcile.grouping import (
    CLOSE,
    SAME_COUNT_END_DAYS,
    Groups,
    ends_close,
    value_key,
)
from crisisdesk.reconcile.items import (
    ANY_SUBJECT,
    Item,
    PlaceInfo,
    member_places,
    subject_within,
)


@dataclass(slots=True, eq=False)
class FigureDraft:
    """One figure being reconciled (``make_draft`` fills the fields by position)."""

    id: str
    items: list[Item]
    est: Estimate
    place: PlaceInfo
    self_keys: frozenset[str]
    area_keys: frozenset[str]
    is_total: bool
    # copied from the chosen fact: read in every comparison, so plain attributes
    category: str = ""
    unit: str = ""
    subject_key: str = ""
    start: int | None = None
    end: int | None = None
    parts: list[str] = field(default_factory=list)
    part_of: list[str] = field(default_factory=list)
    flags: list[Flag] = field(default_factory=list)
    # every key of every place named side by side, over all the draft's facts (the
    # chosen fact may name one governorate where another names two)
    member_keys: frozenset[str] = frozenset()

    @property
    def best(self) -> int | None:
        return self.est.best

    @property
    def days(self) -> int:
        return self.est.chosen.days

    def flag(self, code: str, message: str) -> None:
        found = Flag(code, message)
        if found not in self.flags:
            self.flags.append(found)


def figure_id(items: Sequence[Item]) -> str:
    """Stable id: the same facts always make the same figure id."""
    raw = items[0].id if len(items) == 1 else "|".join(sorted(it.id for it in items))
    return sha256(raw.encode()).hexdigest()[:20]


def make_draft(items: list[Item], table: Mapping[str, float], words: bool = True) -> FigureDraft:
    """A draft for one group of items (``words=False``: no explanation, see ``estimate``).

    Most groups hold one fact, or facts of one place: their draft shares the
    place's key sets instead of building equal copies (a million drafts, a
    few thousand places). FigureDraft's fields are passed by position, in the order
    the class declares them: half the cost of keywords, for every figure.
    """
    est = estimate(items, table, words)
    chosen = est.chosen
    first = items[0].place
    members = first.member_keys
    if len(items) == 1:
        selfk, area, is_total = first.self_keys, first.area_keys, items[0].is_total
        fid = sha256(items[0].id.encode()).hexdigest()[:20]
    else:
        members = frozenset().union(*(it.place.member_keys for it in items))
        is_total = any(it.is_total for it in items)
        fid = figure_id(items)
        if all(it.place is first for it in items):
            selfk, area = first.self_keys, first.area_keys
        else:
            keys: set[str] = set()
            areas: set[str] = set()
            for it in items:
                keys |= it.place.self_keys
                areas |= it.place.area_keys
            selfk, area = frozenset(keys), frozenset(areas)
    if not area.isdisjoint(selfk):
        area = area - selfk
    draft = FigureDraft(
        fid,
        items,
        est,
        chosen.place,
        selfk,
        area,
        is_total,
        chosen.category,
        chosen.unit,
        chosen.subject_key,
        chosen.start,
        chosen.end,
    )
    if members:
        draft.member_keys = members
    return draft


def broader_place(a: FigureDraft, b: FigureDraft) -> bool:
    """a's place is an area that contains b's place, or places side by side among
    which b's place is ("Saraqib, Ariha and Binnish" holds Ariha)."""
    if not a.self_keys.isdisjoint(b.area_keys) and b.self_keys.isdisjoint(a.area_keys):
        return True
    members = a.member_keys  # every key of every place named side by side
    if not members or b.place.primary == a.place.primary:
        return False
    return not members.isdisjoint(b.self_keys | b.area_keys)


def organisations(d: FigureDraft) -> set[str]:
    """The organisations a figure's facts are attributed to (case-folded)."""
    return {it.source.casefold() for it in d.items if it.source}


def covers_place(t: FigureDraft, f: FigureDraft) -> bool:
    """t's place covers f's and is larger: a wider area, or no place at all for an
    organisation's own count ("its teams recorded 130 deaths in January") over the
    places of its own daily counts. A count with no place from someone else could
    be about anywhere, so it covers nothing."""
    if broader_place(t, f):
        return True
    if t.place.primary or not f.place.primary:
        return False
    return bool(organisations(t) & organisations(f))


def near_days(a: FigureDraft, b: FigureDraft) -> bool:
    """Periods whose first days are at most SAME_COUNT_END_DAYS apart and last days close."""
    if a.start is None or b.start is None or a.end is None or b.end is None:
        return False
    return abs(a.start - b.start) <= SAME_COUNT_END_DAYS and ends_close(
        a.start, a.end, b.start, b.end
    )


def same_place(a: FigureDraft, b: FigureDraft) -> bool:
    if a.place.primary == b.place.primary:
        return True
    return (
        not a.self_keys.isdisjoint(b.self_keys)
        and not broader_place(a, b)
        and not broader_place(b, a)
    )


def subjects_nest(outer: FigureDraft, inner: FigureDraft) -> bool:
    return subject_within(outer.subject_key, inner.subject_key)


def contains(t: FigureDraft, f: FigureDraft) -> bool:
    """t is a total that includes f: same kind of count, t's period and place cover f's,
    and t is bigger in at least one way (longer period, wider place, wider subject).

    Asked millions of times by ``link_parts``: the cheapest tests come first.
    """
    if t is f or t.category != f.category or t.unit != f.unit:
        return False
    if t.start is None or f.start is None or t.end is None or f.end is None:
        return False
    if t.start > f.start or t.end < f.end or not subjects_nest(t, f):
        return False
    wider = covers_place(t, f)
    if not wider and not same_place(t, f):
        return False
    if f.subject_key == t.subject_key and (f.best or 0) > (t.best or 0) and near_days(t, f):
        return False  # a "part" larger than its "total" over nearly the same days: a conflict
    longer = (t.end - t.start) > (f.end - f.start)
    wider_subject = t.subject_key == ANY_SUBJECT and f.subject_key != ANY_SUBJECT
    return longer or wider or wider_subject or subset_of(t, f)


SUBSET_WORDS = ("of them", "of whom", "of which")  # "12 of them were hit twice"


def subset_of(t: FigureDraft, f: FigureDraft) -> bool:
    """f counts some of the very things t counts, said so in the same report ("12 of
    the hospitals were hit more than once" inside "53 hospitals"): a part, never an
    addition, though place, period and subject are the same."""
    if t.best is None or f.best is None or f.best >= t.best:
        return False
    subject = f.est.chosen.subject.lower()
    phrases = (*SUBSET_WORDS, f"of the {subject}", f"of these {subject}", f"of those {subject}")
    docs = {it.doc for it in t.items}
    return any(it.doc in docs and any(p in it.quote.lower() for p in phrases) for it in f.items)


def related(a: FigureDraft, b: FigureDraft) -> bool:
    """a and b may count some of the same people or things (place and subject overlap)."""
    if a.category != b.category or a.unit != b.unit:
        return False
    if not (subjects_nest(a, b) or subjects_nest(b, a)):
        return False
    return same_place(a, b) or covers_place(a, b) or covers_place(b, a)


def merge_running(drafts: list[FigureDraft], table: Mapping[str, float]) -> list[FigureDraft]:
    """Join running counts that grouping kept apart only because their places differ.

    Two running counts of one thing from the same first day (or both "to date"),
    last days at most SAME_COUNT_END_DAYS apart, for the same place under another
    name or for places one inside the other, are one count from organisations
    that disagree, unless the narrower place gives clearly less (then it is a
    part of the wider total, linked by ``nesting``): a "part" larger than its
    "total" over nearly the same period is a disagreement, not containment.
    """
    series: dict[tuple[object, ...], list[int]] = defaultdict(list)
    for i, d in enumerate(drafts):
        c = d.est.chosen
        if c.running and d.end is not None and d.best is not None:
            first: object = "to date" if c.open_start else d.start
            series[(d.category, d.unit, d.subject_key, first)].append(i)
    pairs: list[tuple[int, int]] = []
    for members in series.values():
        members.sort(key=lambda i: (drafts[i].end, i))
        # (draft, every key of its place): places that share no key where one of
        # them names itself are neither the same place nor one inside the other,
        # which rules out most pairs before any closer look
        rows = [(drafts[i], _all_keys(drafts[i])) for i in members]
        for pos, (a, keys_a) in enumerate(rows):
            for q in range(pos + 1, len(rows)):
                b, keys_b = rows[q]
                if b.end - a.end > SAME_COUNT_END_DAYS:  # type: ignore[operator]
                    break
                if a.place.primary == b.place.primary:
                    continue  # one bucket: grouping already decided
                if a.self_keys.isdisjoint(keys_b) and b.self_keys.isdisjoint(keys_a):
                    continue
                first_a = None if a.est.chosen.open_start else a.start
                first_b = None if b.est.chosen.open_start else b.start
                ends = ends_close(first_a, a.end, first_b, b.end)  # type: ignore[arg-type]
                if ends and _one_running_count(a, b):
                    pairs.append((members[pos], members[q]))
    if not pairs:
        return drafts
    involved = sorted({i for pair in pairs for i in pair})  # a few among many drafts
    slot = {i: k for k, i in enumerate(involved)}
    groups = Groups([_doc_values(drafts[i]) for i in involved])
    for i, j in pairs:
        groups.union(slot[i], slot[j])
    merged: dict[int, FigureDraft] = {}  # first draft of each group -> its replacement
    dropped: set[int] = set()
    for members in groups.members(len(involved)):
        if len(members) > 1:
            ids = [involved[k] for k in members]
            merged[ids[0]] = make_draft([it for i in ids for it in drafts[i].items], table)
            dropped.update(ids[1:])
    return [merged.get(i, d) for i, d in enumerate(drafts) if i not in dropped]


def _all_keys(d: FigureDraft) -> frozenset[str]:
    """Every key of d's place and its areas, and of the places it is made of."""
    return d.self_keys | d.area_keys | member_places(d.place.primary)


def _one_running_count(a: FigureDraft, b: FigureDraft) -> bool:
    if same_place(a, b):
        return True
    if broader_place(a, b):
        outer, inner = a, b
    elif broader_place(b, a):
        outer, inner = b, a
    else:
        return False
    return (inner.best or 0) >= (outer.best or 0) * (1 - CLOSE)


def _doc_values(d: FigureDraft) -> dict[str, tuple[object, ...]]:
    return {it.doc: value_key(it) for it in d.items}
