"""The ``total`` query: how many, over a place and a period, counted once.

Steps, each leaving a reason behind for what it leaves out:

1. load the live facts of the category (and unit) for the place and period,
   and reconcile them (same counts merge; totals link to their parts); or,
   when the stored figures are fresh (``stored.stored_state``) and can answer
   the question, list those instead: the same figures, read back in full only
   where counted or named;
2. keep figures of one unit (people by default when several are present),
   with a number, and whose period lies inside the window asked for (a
   figure that runs outside it cannot be split, so it is left out);
3. drop every figure included in another kept figure: the total is counted,
   its parts are not;
4. among what is left, drop figures that overlap a kept one in place and
   period without being contained in it (``nesting.select_disjoint``);
5. add up best, low and high over the figures used.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from enum import StrEnum
from typing import Any, overload

from crisisdesk.errors import ConfigError
from crisisdesk.model import Category, Figure, Flag, Unit
from crisisdesk.reconcile.checks import NOT_ATTACK
from crisisdesk.reconcile.draft import FigureDraft
from crisisdesk.reconcile.estimate import iso
from crisisdesk.reconcile.figures import (
    figure_json,
    paused_gc,
    reconcile_items,
    reliability_table,
    sources_of,
    to_figure,
)
from crisisdesk.reconcile.items import fact_of, items_of_rows
from crisisdesk.reconcile.nesting import describe, select_disjoint
from crisisdesk.reconcile.stored import FigureReader, stored_run
from crisisdesk.store import PlaceMatch, Question, Store, StoredFigure

STALE_STORED_NOTE = (
    "counted from the figures of the last reconcile ({as_of}): reports changed since, "
    "and a reconcile in the background brings them up to date"
)
STALE_NOTE = (
    "counted from the reports themselves: they changed since the last reconcile "
    "(`crisisdesk reconcile` makes this fast again on a large store)"
)
FULL_EXCLUDED = 50  # excluded figures given with full evidence in ``to_json``; the rest compact
FREEZE_BLOCK = 500  # listed figures read back from the store at a time

Countable = FigureDraft | StoredFigure  # as ``sum_drafts`` weighs a figure: full, or listed
Scope = tuple[bool, str | None]  # whether any figure's place resolved, the main country


class Why(StrEnum):
    """Why a figure is left out of a total, as a code (``Exclusion.reason`` says it)."""

    BEYOND_PLACE = "beyond_place"  # names places together that reach beyond the one asked
    OTHER_UNIT = "other_unit"  # counted in another unit
    NO_NUMBER = "no_number"  # a vague amount only
    UNDATED = "undated"  # no date, and a period was asked for
    OUTSIDE_PERIOD = "outside_period"  # runs outside the period asked for
    PART_OF_TOTAL = "part_of_total"  # inside a total that is counted
    SAME_REPORT = "same_report"  # a second number of the same report, place and period
    OVERLAPS = "overlaps"  # covers some of a counted figure's place and period
    NOT_PLACED = "not_placed"  # names places that did not resolve: counted nowhere
    NOT_ATTACK = "not_attack"  # damage the report puts down (also) to storms, fire, floods
    OTHER_COUNTRY = "other_country"  # in another country than the one counted


@dataclass(frozen=True, slots=True)
class Exclusion:
    """A figure left out of a total: why as a code, and as a sentence for a reader."""

    code: Why
    figure: Figure
    reason: str


class StaleFigures(Exception):
    """A stored figure could not be read back: the store changed under the question."""


class NoStoredFigures(Exception):
    """``total(stale_ok=True)`` before any reconcile: there is nothing stored to answer from."""


class Excluded(Sequence[Exclusion]):
    """The figures left out, and why: a read-only list of ``Exclusion``.

    A year of a governorate leaves thousands of figures out (the days and weeks
    inside the monthly totals); freezing each into a ``Figure`` with its evidence
    cost more than the rest of ``total``. They are frozen on first access instead
    (a listed stored figure is read back from the store then, a block at a time),
    and ``to_json`` describes all but the first ``FULL_EXCLUDED`` compactly.
    """

    __slots__ = ("_entries", "_frozen", "_reader")

    def __init__(
        self,
        entries: Sequence[tuple[Countable, Why, str]] = (),
        reader: FigureReader | None = None,
    ) -> None:
        self._entries = list(entries)
        self._frozen: dict[int, Figure] = {}
        self._reader = reader

    def __len__(self) -> int:
        return len(self._entries)

    @overload
    def __getitem__(self, i: int) -> Exclusion: ...
    @overload
    def __getitem__(self, i: slice) -> list[Exclusion]: ...
    def __getitem__(self, i: int | slice) -> Exclusion | list[Exclusion]:
        if isinstance(i, slice):
            return [self[k] for k in range(*i.indices(len(self)))]
        k = range(len(self))[i]  # negative indices, and IndexError past the end
        fig = self._frozen.get(k)
        entry, code, reason = self._entries[k]
        if fig is None:
            if isinstance(entry, StoredFigure):
                self._read_back(k)
                fig = self._frozen[k]
            else:
                fig = self._frozen[k] = to_figure(entry)
        return Exclusion(code, fig, reason)

    def _read_back(self, k: int) -> None:
        """Freeze the listed figure at ``k`` and the next ones, with one read."""
        block = [
            j
            for j in range(k, min(len(self), k + FREEZE_BLOCK))
            if j not in self._frozen and isinstance(self._entries[j][0], StoredFigure)
        ]
        assert self._reader is not None, "listed figures come with their reader"
        drafts = self._reader.drafts(self._entries[j][0].id for j in block)
        for j in block:
            listed = self._entries[j][0]
            draft = drafts.get(listed.id)
            self._frozen[j] = to_figure(draft) if draft else frozen_listed(listed)  # type: ignore[arg-type]

    def __iter__(self) -> Iterator[Exclusion]:
        for k in range(len(self)):
            yield self[k]

    def codes(self) -> list[Why]:
        """Why each figure is left out, as codes, in order, reading no figure back."""
        return [code for _, code, _ in self._entries]

    def reasons(self) -> list[str]:
        """Why each figure is left out, in words, in order, reading no figure back."""
        return [reason for _, _, reason in self._entries]

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Excluded | list | tuple):
            return list(self) == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Excluded({len(self)} figures)"

    def to_json(self) -> list[dict[str, Any]]:
        """Every excluded figure with its reason: the first ``FULL_EXCLUDED`` with their
        evidence, the others compact (numbers, place, period, sources, fact ids)."""
        rest = [e for e, _, _ in self._entries[FULL_EXCLUDED:] if isinstance(e, StoredFigure)]
        fact_ids = self._reader.fact_ids(e.id for e in rest) if self._reader and rest else {}
        out = []
        for k, (entry, code, reason) in enumerate(self._entries):
            if k < FULL_EXCLUDED:
                fig = figure_json(self[k].figure)
            elif isinstance(entry, StoredFigure):
                fig = compact_listed(entry, fact_ids.get(entry.id, []))
            else:
                fig = compact_json(entry)
            out.append({"figure": fig, "code": str(code), "reason": reason})
        return out


def frozen_listed(listed: StoredFigure) -> Figure:
    """A listed figure whose facts are gone since it was listed: numbers, no evidence."""
    return Figure(
        id=listed.id,
        category=Category(listed.category),
        unit=Unit(listed.unit),
        subject=listed.subject,
        places=tuple(listed.places),
        date_start=date.fromordinal(listed.start) if listed.start is not None else None,
        date_end=date.fromordinal(listed.end) if listed.end is not None else None,
        low=listed.low,
        best=listed.best,
        high=listed.high,
        rule="",
        explanation="its reports were changed after it was listed; ask again to see them",
        facts=(),
        sources=tuple(listed.sources),
        is_total=listed.is_total,
        part_of=tuple(listed.part_of),
        flags=tuple(listed.flags),
    )


def compact_listed(listed: StoredFigure, fact_ids: list[str]) -> dict[str, Any]:
    """An excluded figure without its evidence: what it says and which facts say it."""
    return {
        "id": listed.id,
        "category": listed.category,
        "unit": listed.unit,
        "subject": listed.subject,
        "places": list(listed.places),
        "date_start": iso(listed.start),
        "date_end": iso(listed.end),
        "low": listed.low,
        "best": listed.best,
        "high": listed.high,
        "sources": list(listed.sources),
        "is_total": listed.is_total,
        "part_of": list(listed.part_of),
        "flags": [str(flag) for flag in listed.flags],
        "fact_ids": fact_ids,
        "compact": True,
    }


def compact_json(d: FigureDraft) -> dict[str, Any]:
    """``compact_listed`` of a draft: its places as its facts wrote them."""
    chosen = d.est.chosen
    places = [d.place.name] if d.place.name else []
    if len(d.items) > 1 or not places:
        facts = [f for f in map(fact_of, d.est.ordered) if f is not None]
        places = list(dict.fromkeys(n for f in facts for n in f.places)) or places
    elif (fact := fact_of(d.items[0])) is not None:
        places = list(fact.places) or places
    listed = StoredFigure(
        id=d.id, category=chosen.category, unit=chosen.unit, subject=chosen.subject,
        places=tuple(places), start=chosen.start, end=chosen.end, low=d.est.low,
        best=d.est.best, high=d.est.high, is_total=d.is_total, sources=sources_of(d.items),
        flags=tuple(d.flags), part_of=list(d.part_of),
    )  # fmt: skip
    return compact_listed(listed, [it.id for it in d.est.ordered])


@dataclass(frozen=True, slots=True)
class TotalResult:
    """The answer to "how many?", with the figures used and those left out, and why."""

    best: int
    low: int
    high: int
    figures: list[Figure]
    excluded: Excluded
    flags: list[Flag]  # each with its figure's id
    unit: str | None = None
    notes: list[str] = field(default_factory=list)
    from_stored: bool = False  # answered from the stored figures, not the facts afresh
    stale: bool = False  # the stored figures it was answered from predate the last change
    as_of: datetime | None = None  # when those stored figures were written

    def to_json(self) -> dict[str, Any]:
        return {
            "best": self.best,
            "low": self.low,
            "high": self.high,
            "figures": [figure_json(f) for f in self.figures],
            "excluded": self.excluded.to_json(),
            "flags": [str(flag) for flag in self.flags],
            "not_placed": [
                {
                    "figure": e.figure.id,
                    "best": e.figure.best,
                    "places": list(e.figure.places),
                    "quotes": [f.quote for f in e.figure.facts],
                }
                for e in self.not_placed()
            ],  # fmt: skip
            "notes": list(self.notes),
        }

    def not_placed(self) -> list[Exclusion]:
        """The figures whose places did not resolve: listed with their quotes, never added."""
        codes = self.excluded.codes()
        return [self.excluded[k] for k, code in enumerate(codes) if code == Why.NOT_PLACED]


def check_category(category: str) -> str:
    try:
        return Category(category.strip().lower()).value
    except ValueError:
        allowed = ", ".join(c.value for c in Category)
        raise ConfigError(f"unknown category {category!r}; use one of: {allowed}") from None


def check_unit(unit: str | None) -> str | None:
    if unit is None:
        return None
    try:
        return Unit(unit.strip().lower()).value
    except ValueError:
        allowed = ", ".join(u.value for u in Unit)
        raise ConfigError(f"unknown unit {unit!r}; use one of: {allowed}") from None


def total(
    store: Store,
    *,
    category: str,
    unit: str | None = None,
    place: str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    verified_only: bool = False,
    gazetteer: Any = None,
    reliability: Mapping[str, float] | None = None,
    use_stored: bool = True,
    stale_ok: bool = False,
    evidence: bool = True,
) -> TotalResult:
    """Best, low and high for ``category`` over a place and period, never counting twice.

    Answered from the figures ``reconcile_store`` wrote while they are fresh (no
    document, fact or place changed since, same source reliabilities), and for
    questions they can answer: every review status, default reliabilities, a
    place known by code. Otherwise, or with ``use_stored=False``, from the facts,
    reconciled afresh. The two give the same answers (tests/reconcile hold them
    to it); the stored figures are what keeps a governorate-year fast on a large
    store (benchmarks/total_speed.py measures both).

    ``stale_ok`` (the web API): answer from the stored figures even when reports
    changed since they were written (``stale`` and ``as_of`` say so), never by
    reconciling; ``NoStoredFigures`` before any reconcile. Questions the stored
    figures cannot answer (verified only, other reliabilities, a place known
    only by name) are still counted from their facts.

    ``evidence=False``: the figures counted and left out come without their facts
    (``Figure.facts`` empty, reasons without the places their facts name), for a
    caller that keeps only the numbers (the dashboard's headlines, asked by every
    reconcile run over whole categories): the same total, held in far less memory.
    """
    category = check_category(category)
    unit = check_unit(unit)
    if date_from and date_to and date_from > date_to:
        raise ConfigError(f"--from {date_from} is after --to {date_to}")
    country = _country_asked(place, gazetteer)
    match = store.find_place(place, gazetteer) if place and place.strip() and not country else None
    question = Question(category, unit, match, date_from, date_to, verified_only)
    if match is not None and not match.by_code:
        _check_known(store, [question], gazetteer)
    window = {"date_from": date_from, "date_to": date_to, "country": country}
    with paused_gc():
        stored_can = not verified_only and reliability is None and (match is None or match.by_code)
        state, as_of = stored_run(store) if use_stored and stored_can else ("unused", None)
        if stale_ok and state == "none":
            raise NoStoredFigures("no figures are stored yet: a reconcile has not run")
        if state == "fresh" or (stale_ok and state == "stale"):
            # the stored figures may be replaced while we read them: read again, and
            # only without ``stale_ok`` fall back to reconciling the facts
            for _ in range(3 if stale_ok else 1):
                listed = store.figures_for(question)
                reader = FigureReader(store, frozenset(x.id for x in listed), evidence)
                try:
                    result = sum_drafts(listed, unit=unit, place=match, reader=reader, **window)
                except StaleFigures:
                    continue
                if state == "stale":
                    when = as_of.isoformat(timespec="seconds") if as_of else "?"
                    result.notes.append(STALE_STORED_NOTE.format(as_of=when))
                return replace(result, stale=state == "stale", as_of=as_of)
            if stale_ok:
                raise StaleFigures("the stored figures were replaced while they were read")
        items = items_of_rows(store.facts_for(question), keep_facts=evidence)
        drafts = reconcile_items(items, reliability_table(reliability))
        result = sum_drafts(drafts, unit=unit, place=match, **window)
        if state == "stale":
            result.notes.append(STALE_NOTE)
        return result


def _country_asked(place: str | None, gazetteer: Any) -> str | None:
    """The country code when the place asked for is a country ("Syria"): its figures
    are those whose places resolved inside it."""
    if not place or not place.strip() or gazetteer is None:
        return None
    area = gazetteer.find_area(place.strip())
    return area.country if area is not None and area.kind == "country" else None


def _check_known(store: Store, questions: Sequence[Question], gazetteer: Any) -> None:
    """An unknown place is an error naming the nearest known names (exit code 5), not a
    total of 0: no gazetteer entry has that name and no stored report names it."""
    assert questions and questions[0].place is not None
    text = questions[0].place.text
    if gazetteer is not None:
        resolved = gazetteer.resolve(text)
        if resolved.place_id is not None and resolved.score >= KNOWN_SCORE:
            return
    if any(store.facts_for(q) for q in questions):
        return
    from crisisdesk.geo.nearest import unknown_place

    raise unknown_place(gazetteer, text)


def check_place(store: Store, place: str, gazetteer: Any = None) -> None:
    """Raise NotFoundError (naming the nearest known names) when ``place`` is unknown:
    no gazetteer entry, no code a fact carries, no report naming it. For commands
    that take a place (``report --place``) before they count anything."""
    if not place.strip() or _country_asked(place, gazetteer):
        return
    match = store.find_place(place, gazetteer)
    if not match.by_code:
        asked = [Question(c.value, None, match, None, None, False) for c in Category]
        _check_known(store, asked, gazetteer)


KNOWN_SCORE = 0.99  # a gazetteer reading this sure means the place is known, figures or not


def _span(d: Countable) -> str:
    return iso(d.start) or "?" if d.start == d.end else f"{iso(d.start)} to {iso(d.end)}"


def _full(
    wanted: list[Countable], reader: FigureReader | None, counted: set[str]
) -> dict[str, FigureDraft]:
    """Drafts for figures ``total`` counts or names: listed ones read back in one go
    (with their parts only when they may be counted)."""
    full = {d.id: d for d in wanted if isinstance(d, FigureDraft)}
    listed = [d.id for d in wanted if isinstance(d, StoredFigure) and d.id not in full]
    if listed:
        if reader is None:
            raise TypeError("listed figures need a FigureReader")
        read = reader.drafts(listed, parts_for=counted)
        if len(read) < len(set(listed)):
            raise StaleFigures(f"{len(set(listed)) - len(read)} stored figures have no facts")
        full.update(read)
    return full


def _where(d: Countable) -> tuple[str | None, str | None, str | None, str | None]:
    """(place id, country, admin1 code, admin2 code) of the area a figure is at."""
    p = d.place if isinstance(d, FigureDraft) else d
    return p.place_id, p.country, p.admin1_code, p.admin2_code


def _outside(d: Countable, place: PlaceMatch) -> bool:
    """A figure found for the place asked for that is not at it: a count naming places
    side by side that reach beyond it ("Idlib and Aleppo" for Idlib alone, three towns
    for one of them). A figure known by name only is where its name says."""
    place_id, country, admin1, admin2 = _where(d)
    if not (place_id or country or admin1 or admin2):
        return False
    if place.place_ids:
        return place_id not in place.place_ids
    return admin1 not in place.admin1_codes and admin2 not in place.admin2_codes


def _names(d: Countable) -> str:
    """The places a figure names, for a reader: "Saraqib, Ariha and Khan al-Subul"."""
    if isinstance(d, FigureDraft):
        written = [n for it in d.est.ordered if (f := fact_of(it)) for n in f.places]
    else:
        written = list(d.places)
    names = list(dict.fromkeys(written))
    return ", ".join(names[:-1]) + f" and {names[-1]}" if len(names) > 1 else "".join(names)


def _not_attack(d: Countable) -> str | None:
    """The message of a figure's not-attack-damage flag (``checks.check_not_attack``)."""
    for flag in d.flags:
        if flag.code == NOT_ATTACK:
            return flag.message
    return None


def not_placed(d: Countable) -> bool:
    """A figure whose places are named but resolved to no place, area or country."""
    if any(_where(d)):
        return False
    if isinstance(d, FigureDraft):
        return bool(d.place.name) and not d.member_keys
    return bool(d.places)


def _other_country(where: str | None, main: str) -> str:
    if where is None:
        return f"names no place, so it cannot be counted for {main}"
    return f"in {where}, not {main}: a total never pools countries (ask with --place)"


def _scoped(
    drafts: Sequence[Countable],
    country: str | None,
    excluded: list[tuple[Countable, Why, str]],
    notes: list[str],
    scope: Scope | None = None,
) -> list[Countable]:
    """The figures a total over ``country`` (or over the main country of the figures,
    when none is asked for) may count: a figure is counted only where its places
    resolved; one that could not be placed, or is in another country, is listed.
    ``scope``: whether places resolve and the main country, as they were found over
    every figure of the question, for a few of them taken alone (``selection``)."""
    kept: list[Countable] = []
    placed: list[Countable] = []
    # facts stored without resolving places (no gazetteer) are all known by name only:
    # then names are all there is, and they are counted as before
    resolving = scope[0] if scope else any(any(_where(d)) for d in drafts)
    for d in drafts:
        if resolving and not_placed(d):
            why = f"not placed: {_names(d) or 'its place'} did not resolve to a known place"
            excluded.append((d, Why.NOT_PLACED, why + ", so it is counted nowhere"))
        else:
            placed.append(d)
    countries = Counter(c for d in placed if (c := _where(d)[1]))
    if scope is not None:
        main = country or scope[1]
    else:
        main = country or (countries.most_common(1)[0][0] if countries else None)
    for d in placed:
        where = _where(d)[1]
        if main is not None and (where != main if country else where not in (None, main)):
            excluded.append((d, Why.OTHER_COUNTRY, _other_country(where, main)))
        else:
            kept.append(d)
    if len(countries) > 1 and not country:
        others = ", ".join(sorted(c for c in countries if c != main))
        notes.append(f"counted for {main}; figures in {others} are listed, not added")
    return kept


def _innermost(d: Countable, by_id: Mapping[str, Countable]) -> Countable | None:
    """The total d is counted in: of those the question sees, the one with the
    shortest period (a day inside a week inside a month is named as part of its week)."""
    inside = [by_id[p] for p in d.part_of if p in by_id]
    if len(inside) < 2:
        return inside[0] if inside else None
    return min(inside, key=lambda t: ((t.end or 0) - (t.start or 0), t.id))


def countable(
    drafts: Sequence[Countable],
    *,
    unit: str | None,
    date_from: date | None,
    date_to: date | None,
    place: PlaceMatch | None,
    country: str | None,
    excluded: list[tuple[Countable, Why, str]],
    notes: list[str],
    scope: Scope | None = None,
) -> tuple[str | None, list[Countable]]:
    """Step 2: the unit counted and the figures that may be counted, in order; the
    others go to ``excluded`` with their reason (``scope``: see ``_scoped``)."""
    if place is None:
        drafts = _scoped(drafts, country, excluded, notes, scope)
    if unit is None and drafts:
        units = Counter(d.unit for d in drafts)
        unit = "people" if "people" in units else units.most_common(1)[0][0]
        if len(units) > 1:
            notes.append(f"counted in {unit}; figures in other units are left out")
    lo = date_from.toordinal() if date_from else None
    hi = date_to.toordinal() if date_to else None
    window = f"{date_from or 'the beginning'} to {date_to or 'now'}"
    candidates: list[Countable] = []
    for d in drafts:
        if place is not None and place.by_code and _outside(d, place):
            if not place.place_ids:  # a town's question leaves out wider areas unsaid
                excluded.append(
                    (d, Why.BEYOND_PLACE, f"names {_names(d)} together, which reach beyond "
                        f"{place.text}; it cannot be split")
                )  # fmt: skip
            continue
        cause = _not_attack(d)
        if cause is not None:
            excluded.append((d, Why.NOT_ATTACK, cause))
        elif d.unit != unit:
            excluded.append(
                (d, Why.OTHER_UNIT, f"counted in {d.unit}, not {unit} (ask with --unit {d.unit})")
            )
        elif d.best is None:
            excluded.append((d, Why.NO_NUMBER, "gives no number, only a vague amount"))
        elif (lo is not None or hi is not None) and d.start is None:
            excluded.append(
                (d, Why.UNDATED, "has no date, so it cannot be placed in the period asked for")
            )
        elif (lo is not None and d.start is not None and d.start < lo) or (
            hi is not None and d.end is not None and d.end > hi
        ):
            excluded.append(
                (d, Why.OUTSIDE_PERIOD,
                 f"covers {_span(d)}, which runs outside {window}; it cannot be split")
            )  # fmt: skip
        else:
            candidates.append(d)
    return unit, candidates


def tops(candidates: Sequence[Countable]) -> tuple[list[Countable], dict[str, Countable]]:
    """Step 3: the candidates inside no other candidate (in order), and the total each
    of the others is counted in."""
    by_id = {d.id: d for d in candidates}
    container_of = {d.id: c for d in candidates if (c := _innermost(d, by_id)) is not None}
    return [d for d in candidates if d.id not in container_of], container_of


def sum_drafts(
    drafts: Sequence[Countable],
    *,
    unit: str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    place: PlaceMatch | None = None,
    reader: FigureReader | None = None,
    country: str | None = None,
) -> TotalResult:
    """Steps 2 to 5 of the module docstring, over figures already reconciled: drafts,
    or figures listed from the store (``reader`` reads those back when needed)."""
    excluded: list[tuple[Countable, Why, str]] = []
    notes: list[str] = []
    unit, candidates = countable(
        drafts, unit=unit, date_from=date_from, date_to=date_to, place=place, country=country,
        excluded=excluded, notes=notes,
    )  # fmt: skip
    top, container_of = tops(candidates)
    containers = {c.id: c for c in container_of.values()}
    full = _full([*top, *containers.values()], reader, counted={d.id for d in top})
    named: dict[str, str] = {}  # a monthly total holds hundreds of parts: describe it once
    for d in candidates:
        container = container_of.get(d.id)
        if container is not None:
            name = named.get(container.id)
            if name is None:
                name = named[container.id] = describe(full[container.id])
            excluded.append(
                (d, Why.PART_OF_TOTAL, f"part of {name}, counted there (figure {container.id})")
            )
    used, overlapping = select_disjoint([full[d.id] for d in top])
    excluded.extend(
        (d, Why.SAME_REPORT if same_report else Why.OVERLAPS, reason)
        for d, same_report, reason in overlapping
    )
    best = sum(d.best or 0 for d in used)
    low = sum(d.est.low if d.est.low is not None else d.best or 0 for d in used)
    high = sum(d.est.high if d.est.high is not None else d.best or 0 for d in used)
    flags = [flag.on(d.id) for d in candidates for flag in d.flags]
    used.sort(key=lambda d: (d.start or 0, d.end or 0, d.id))
    return TotalResult(
        best=best,
        low=min(low, best),
        high=max(high, best),
        figures=[to_figure(d) for d in used],
        excluded=Excluded(excluded, reader),
        flags=flags,
        unit=unit,
        notes=notes,
        from_stored=reader is not None,
    )
