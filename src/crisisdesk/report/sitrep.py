"""What a situation report says, gathered from the store before anything is drawn.

``build_sitrep`` returns a plain ``Sitrep`` record: headline figures with the
rule behind each best value, series over time (by the period each figure
covers, not by publication date), attacks by type, points for the map, one
table row per figure and one footnote per quoted sentence. The renderers
only lay it out.

Figures come from ``crisisdesk.reconcile``. Asked not to reconcile, each
stored fact stands as its own figure and every headline says that the
figures were not reconciled, rather than adding up numbers that may count the
same people twice.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from crisisdesk.errors import ConfigError, NotFoundError
from crisisdesk.model import Category, Document, Fact, Figure, StoredFact, Unit
from crisisdesk.reconcile import reconcile_facts, total
from crisisdesk.reconcile.checks import NOT_ATTACK
from crisisdesk.reconcile.headlines import HEADLINES
from crisisdesk.report.points import map_points
from crisisdesk.report.series import matches, series_over_time
from crisisdesk.report.views import (
    CardItem,
    Filters,
    Footnote,
    Headline,
    MapPoint,
    NotPlaced,
    Series,
    SeriesBin,
    Sitrep,
    TableRow,
)
from crisisdesk.report.words import (
    CATEGORY_LABELS,
    LOWER_BOUNDS,
    distinct_sources,
    fact_place,
    fact_value,
    figure_period,
    fmt_date,
    fmt_int,
    period_text,
    place_text,
    plain_flag,
    qualifier_words,
    short_period,
    value_text,
    written_places,
)
from crisisdesk.store import FactQuery, Store

# re-exported: the records and words of a report, from where they were first defined
__all__ = [
    "CATEGORY_LABELS",
    "Filters",
    "Footnote",
    "Headline",
    "MapPoint",
    "Series",
    "SeriesBin",
    "Sitrep",
    "TableRow",
    "build_sitrep",
    "fmt_date",
    "fmt_int",
    "period_text",
    "short_period",
    "summary_rows",
]

log = logging.getLogger(__name__)

ATTACK_TYPES: tuple[tuple[Category, str], ...] = (
    (Category.AIRSTRIKES, "Air strikes"),
    (Category.BARREL_BOMBS, "Barrel bombs"),
    (Category.ROCKETS, "Rockets"),
    (Category.SHELLING, "Shelling"),
    (Category.ATTACKS, "Attacks (unspecified)"),
)

_NOT_RECONCILED = "largest single figure reported (figures not yet reconciled, so not added up)"


# -- loading figures ----------------------------------------------------------


def _fact_figure(stored: StoredFact) -> Figure:
    """A fact standing alone as a figure (when figures are not reconciled)."""
    fact = stored.fact
    value = fact.value
    return Figure(
        id=stored.id,
        category=fact.category,
        unit=fact.unit,
        subject=fact.subject,
        places=fact.places,
        date_start=fact.date_start,
        date_end=fact.date_end,
        low=value,
        best=value,
        high=fact.value_high if fact.value_high is not None else value,
        rule="single",
        explanation="as stated by one source",
        facts=(fact,),
        sources=tuple(s for s in (fact.source or stored.publisher,) if s),
        is_total=fact.is_total,
        resolved=fact.resolved,
    )


def _load_figures(store: Store, filters: Filters, reconciled: bool) -> list[Figure]:
    """The figures of the window: reconciled afresh from its facts (so the report never
    shows figures older than the facts), or, not reconciled, one figure per fact."""
    query = FactQuery(
        place=filters.place,
        date_from=filters.date_from,
        date_to=filters.date_to,
        verified_only=filters.verified_only,
        include_rejected=False,
    )
    stored = list(store.iter_facts(query))  # a report must see every fact of its window
    if filters.categories:
        stored = [s for s in stored if str(s.fact.category) in filters.categories]
    if reconciled and stored:
        return reconcile_facts(stored)
    return [_fact_figure(s) for s in stored]


def _gazetteer() -> Any:
    """The bundled gazetteer, for the extent of the areas on the map; None if it cannot open."""
    from crisisdesk.geo import Gazetteer

    try:
        return Gazetteer.open()
    except (OSError, ConfigError, NotFoundError) as exc:
        log.warning("map areas drawn without extents: %s", exc)
        return None


# -- footnotes ----------------------------------------------------------------


class _Footnotes:
    """Numbers each quoted sentence once, in the order the table cites them."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.notes: list[Footnote] = []
        self.by_key: dict[tuple[str, str], int] = {}
        self.docs: dict[str, Document | None] = {}

    def _document(self, doc_id: str) -> Document | None:
        if doc_id not in self.docs:
            try:
                self.docs[doc_id] = self.store.get_document(doc_id)
            except NotFoundError:
                self.docs[doc_id] = None
        return self.docs[doc_id]

    def cite(self, facts: Iterable[Fact]) -> tuple[int, ...]:
        numbers: list[int] = []
        for fact in facts:
            key = (fact.doc, fact.quote)
            if key not in self.by_key:
                doc = self._document(fact.doc)
                self.notes.append(
                    Footnote(
                        number=len(self.notes) + 1,
                        quote=fact.quote,
                        doc_id=fact.doc,
                        span=fact.span,
                        title=doc.title if doc else None,
                        publisher=doc.publisher if doc else None,
                        published=doc.published if doc else None,
                        url=doc.url if doc else None,
                    )
                )
                self.by_key[key] = len(self.notes)
            if self.by_key[key] not in numbers:
                numbers.append(self.by_key[key])
        return tuple(numbers)


# -- headlines ----------------------------------------------------------------


def _chosen_fact(f: Figure) -> Fact | None:
    """The fact whose number the figure's best value is (its words are the card's)."""
    return next((x for x in f.facts if x.value == f.best), f.facts[0] if f.facts else None)


def _reaches_outside(f: Figure, filters: Filters) -> bool:
    start, end = f.date_start or f.date_end, f.date_end or f.date_start
    before = bool(filters.date_from and start and start < filters.date_from)
    return before or bool(filters.date_to and end and end > filters.date_to)


def _figure_item(f: Figure, filters: Filters) -> CardItem:
    fact = _chosen_fact(f)
    return CardItem(
        value=fact_value(fact) if fact else fmt_int(f.best),
        qualifier=qualifier_words(fact) if fact else "",
        best=f.best,
        period=figure_period(f),
        place=fact_place(fact) if fact and fact.places else written_places(f.places),
        outside=_reaches_outside(f, filters),
        sources=distinct_sources(f.sources),
        figure_ids=(f.id,),
    )


def _sum_words(used: Sequence[Figure]) -> str:
    """A sum's qualifier: a lower bound when any part is one, "about" when any is rough."""
    words = [qualifier_words(x) for f in used if (x := _chosen_fact(f))]
    if any(w in ("more than", "over") for w in words):
        return "more than"
    if any(w in LOWER_BOUNDS for w in words):
        return "at least"
    return "about" if any(words) else ""


def _sum_item(used: Sequence[Figure], best: int, filters: Filters) -> CardItem:
    """The window's count: one figure as reported, or the sum of several with their span."""
    if len(used) == 1:
        return _figure_item(used[0], filters)
    words = _sum_words(used)
    starts = [d for f in used if (d := f.date_start or f.date_end)]
    ends = [d for f in used if (d := f.date_end or f.date_start)]
    places = [fact_place(x) for f in used if (x := _chosen_fact(f)) and x.places]
    unstated = sum(f.best or 0 for f in used if not ((x := _chosen_fact(f)) and x.places))
    if places and unstated:  # part of the sum names no place: say so, do not lend it one
        places.append(f"{fmt_int(unstated)} with no place stated")
    return CardItem(
        value=f"{words} {fmt_int(best)}".strip(),
        qualifier=words,
        best=best,
        period=short_period(min(starts, default=None), max(ends, default=None)),
        place="; ".join(dict.fromkeys(places)) or "place not stated",
        outside=any(_reaches_outside(f, filters) for f in used),
        sources=_sources(used),
        figure_ids=tuple(f.id for f in used),
    )


def _placed(f: Figure) -> bool:
    return any(p.place_id or p.country for p in f.resolved)


def not_placed(f: Figure) -> bool:
    """A figure that names places none of which resolved (``total`` counts it nowhere)."""
    return bool(f.places) and not _placed(f)


def places_resolved(figures: Iterable[Figure]) -> bool:
    """Whether any figure was placed: a store filled without a gazetteer places none, and
    then names are all there is (as in ``total``), so nothing is "not placed"."""
    return any(_placed(f) for f in figures)


def _countable(f: Figure, resolving: bool) -> bool:
    """Whether a figure may stand on a card at all: not damage the report puts down to
    storms, fire or floods (never attack damage), not a figure whose places did not resolve
    (counted nowhere, listed as not placed) when the store places its facts at all."""
    if any(flag.code == NOT_ATTACK for flag in f.flags):
        return False
    return not (resolving and not_placed(f))


def _outside_figures(
    mine: Sequence[Figure], used: Sequence[Figure], filters: Filters, resolving: bool
) -> list[Figure]:
    """Figures whose period overlaps the window but reaches outside it: shown with their
    own period, largest first, a figure inside another of them left to that one."""
    taken = {f.id for f in used}
    candidates = [
        f
        for f in mine
        if f.id not in taken
        and f.best
        and _reaches_outside(f, filters)
        and _countable(f, resolving)
    ]
    ids = {f.id for f in candidates}
    kept = [f for f in candidates if not ids.intersection(f.part_of)]
    return sorted(kept, key=lambda f: -(f.best or 0))


def _headline(
    store: Store,
    reconciled: bool,
    filters: Filters,
    figures: Sequence[Figure],
    spec: tuple[Category, Unit | None, str],
    notes: _Footnotes,
) -> Headline:
    category, unit, label = spec
    mine = [f for f in figures if matches(f, category, unit)]
    if not mine:
        return Headline(label, category, unit, None, None, None, "no figure reported", 0)
    if not reconciled:
        return _unreconciled_headline(mine, spec, filters, notes)
    result = total(
        store,
        category=str(category),
        unit=str(unit) if unit else None,
        place=filters.place,
        date_from=filters.date_from,
        date_to=filters.date_to,
        verified_only=filters.verified_only,
    )
    used = [f for f in result.figures if f.best] if result.best else []
    resolving = places_resolved(figures)  # else no fact was placed: no gazetteer
    outside = _outside_figures(mine, used, filters, resolving)
    items = ([_sum_item(used, result.best, filters)] if used else []) + [
        _figure_item(f, filters) for f in outside
    ]
    if not items:  # figures with no number ("dozens"): shown as written, never as 0
        items = [
            _figure_item(f, filters) for f in [f for f in mine if _countable(f, resolving)][:1]
        ]
    if not items:  # only storm damage or figures placed nowhere: nothing to count
        return Headline(label, category, unit, None, None, None, "no figure reported", 0)
    lead = items[0]
    shown = [*used, *outside]
    rule = _sum_rule(used, len(result.excluded), result.notes) if used else _outside_rule(lead)
    return Headline(
        label=label,
        category=category,
        unit=unit,
        best=lead.best,
        low=result.low if used else (outside[0].low if outside else None),
        high=result.high if used else (outside[0].high if outside else None),
        rule=rule,
        figures=len(shown) or len(mine),
        flags=tuple(result.flags),
        footnotes=tuple(sorted(notes.cite(fact for f in shown or mine for fact in f.facts))),
        sources=_sources(shown or mine),
        used=tuple(used),
        items=tuple(items),
        shown=tuple(shown),
    )


def _outside_rule(item: CardItem) -> str:
    return (
        f"no figure falls wholly inside the report's period; the largest figure whose "
        f"period overlaps it is shown with its own period ({item.period}), not cut to fit"
    )


def _unreconciled_headline(
    mine: Sequence[Figure],
    spec: tuple[Category, Unit | None, str],
    filters: Filters,
    notes: _Footnotes,
) -> Headline:
    category, unit, label = spec
    top = max(mine, key=lambda f: (f.best or 0, f.is_total))
    return Headline(
        label=label,
        category=category,
        unit=unit,
        best=top.best,
        low=top.low,
        high=top.high,
        rule=_NOT_RECONCILED,
        figures=len(mine),
        flags=top.flags,
        footnotes=notes.cite(top.facts),
        sources=_sources([top]),
        items=(_figure_item(top, filters),),
        shown=(top,),
    )


def _sources(figures: Iterable[Figure]) -> tuple[str, ...]:
    return distinct_sources(name for f in figures for name in f.sources)


def _sum_rule(figures: Sequence[Figure], excluded: int = 0, notes: Sequence[str] = ()) -> str:
    """The rule behind a headline, in words a reader can check against the table."""
    if len(figures) == 1:
        text = figures[0].explanation or "a single figure"
    else:
        text = (
            f"sum of {len(figures)} figures for different places or periods; "
            "a total is counted instead of its parts, never with them"
        )
    if excluded:
        text = text.rstrip(".") + (
            f"; {excluded} other figure{'s' if excluded != 1 else ''} left out "
            "(repeats, parts of a total, or periods overlapping the window's edge)"
        )
    return "; ".join([text.rstrip("."), *notes])


# -- table ----------------------------------------------------------------------


def _row(f: Figure, notes: _Footnotes, resolving: bool = True) -> TableRow:
    place = place_text(f)
    if resolving and not_placed(f):
        place += " (not placed: counted nowhere)"
    return TableRow(
        category=CATEGORY_LABELS.get(str(f.category), str(f.category)),
        unit=str(f.unit),
        subject=f.subject,
        value=value_text(f),
        place=place,
        period=figure_period(f),
        sources=", ".join(distinct_sources(f.sources)) or "not attributed",
        rule=f.explanation,
        is_total=f.is_total,
        flags=f.flags,
        footnotes=notes.cite(f.facts),
    )


_ORDER = {str(c): i for i, c in enumerate(Category)}


def _row_order(f: Figure) -> tuple[int, date, int]:
    return (_ORDER.get(str(f.category), 99), f.date_start or f.date_end or date.min, -(f.best or 0))


def _not_placed(figures: Sequence[Figure], notes: _Footnotes) -> tuple[NotPlaced, ...]:
    """Figures whose places did not resolve, as ``total`` lists them: counted nowhere, shown
    with their quote (none when no fact was ever placed: a store without a gazetteer)."""
    if not places_resolved(figures):
        return ()
    return tuple(
        NotPlaced(
            category=CATEGORY_LABELS.get(str(f.category), str(f.category)),
            value=value_text(f),
            place=", ".join(dict.fromkeys(f.places)),
            period=figure_period(f),
            quote=f.facts[0].quote if f.facts else "",
            footnotes=notes.cite(f.facts),
        )
        for f in sorted(figures, key=_row_order)
        if not_placed(f)
    )


# -- the report ------------------------------------------------------------------


def _check_categories(categories: Iterable[str] | None) -> tuple[str, ...]:
    chosen = tuple(str(c).strip().lower() for c in categories or () if str(c).strip())
    known = {str(c) for c in Category}
    unknown = [c for c in chosen if c not in known]
    if unknown:
        raise ConfigError(
            f"unknown category {', '.join(unknown)}; use one of {', '.join(sorted(known))}"
        )
    return chosen


def build_sitrep(
    store: Store,
    *,
    date_from: date | None = None,
    date_to: date | None = None,
    place: str | None = None,
    categories: Iterable[str] | None = None,
    verified_only: bool = False,
    reconciled: bool = True,
) -> Sitrep:
    """Gather a situation report for a place and period from the store.

    Reads every matching figure (a report must see them all). A window with
    no figures gives an empty report that says so, not an error.
    ``reconciled=False`` shows the facts as stated, one figure each.
    """
    if date_from and date_to and date_from > date_to:
        raise ConfigError(f"--from {date_from} is after --to {date_to}")
    filters = Filters(
        date_from,
        date_to,
        (place or "").strip() or None,
        _check_categories(categories),
        verified_only,
    )
    figures = _load_figures(store, filters, reconciled)
    notes = _Footnotes(store)
    resolving = places_resolved(figures)  # else no fact was placed: no gazetteer
    rows = tuple(_row(f, notes, resolving) for f in sorted(figures, key=_row_order))
    specs = [s for s in HEADLINES if not filters.categories or str(s[0]) in filters.categories]
    headlines = tuple(
        h
        for h in (_headline(store, reconciled, filters, figures, s, notes) for s in specs)
        if h.best is not None or not filters.categories
    )
    casualty_specs = [("Killed", Category.KILLED, None), ("Injured", Category.INJURED, None)]
    displaced_specs = [("People displaced", Category.DISPLACED, Unit.PEOPLE)]
    casualties = series_over_time(
        "Casualties over time",
        casualty_specs,
        figures,
        filters,
    )
    displacement = series_over_time(
        "Displacement over time",
        displaced_specs,
        figures,
        filters,
    )
    by_label = {h.category: h.best for h in headlines if h.best is not None}
    attacks = []
    for category, label in ATTACK_TYPES:
        value = by_label.get(category)
        if value is None:
            value = max((f.best or 0 for f in figures if f.category == category), default=0)
        if value:
            attacks.append((label, int(value)))
    points, unlocated = map_points(headlines, _gazetteer())
    flags: list[str] = []
    for f in figures:
        where = f"{CATEGORY_LABELS.get(str(f.category))}, {place_text(f)}, {figure_period(f)}"
        flags.extend(f"{where}: {plain_flag(flag)}" for flag in f.flags)
    starts = [d for f in figures if (d := f.date_start or f.date_end) is not None]
    ends = [d for f in figures if (d := f.date_end or f.date_start) is not None]
    start = date_from or min(starts, default=None)
    end = date_to or max(ends, default=None)
    title = f"Situation report: {filters.place}" if filters.place else "Situation report"
    return Sitrep(
        title=title,
        generated=date.today(),
        date_from=start,
        date_to=end,
        place=filters.place,
        categories=filters.categories,
        verified_only=verified_only,
        reconciled=reconciled,
        headlines=headlines,
        casualties=casualties,
        displacement=displacement,
        attacks=tuple(attacks),
        points=points,
        unlocated=unlocated,
        rows=rows,
        footnotes=tuple(notes.notes),
        flags=tuple(dict.fromkeys(flags)),
        documents=len({fact.doc for f in figures for fact in f.facts}),
        facts=sum(len(f.facts) for f in figures),
        not_placed=_not_placed(figures, notes),
    )


def summary_rows(store: Store) -> list[dict[str, Any]]:
    """Headline figures by category for the terminal summary (``crisisdesk demo``)."""
    sitrep = build_sitrep(store)
    return [
        {
            "label": h.label,
            "category": str(h.category),
            "unit": str(h.unit) if h.unit else None,
            "best": h.best,
            "low": h.low,
            "high": h.high,
            "figures": h.figures,
            "rule": h.rule,
            "sources": ", ".join(h.sources[:3]) + (" …" if len(h.sources) > 3 else ""),
        }
        for h in sitrep.headlines
    ]
