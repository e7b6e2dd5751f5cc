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
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from crisisdesk.errors import ConfigError, NotFoundError
from crisisdesk.model import Category, Document, Fact, Figure, Flag, StoredFact, Unit
from crisisdesk.reconcile import reconcile_facts, total
from crisisdesk.store import FactQuery, Store

log = logging.getLogger(__name__)

# (category, unit or None for any, label) in the order a reader expects them.
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

ATTACK_TYPES: tuple[tuple[Category, str], ...] = (
    (Category.AIRSTRIKES, "Air strikes"),
    (Category.BARREL_BOMBS, "Barrel bombs"),
    (Category.ROCKETS, "Rockets"),
    (Category.SHELLING, "Shelling"),
    (Category.ATTACKS, "Attacks (unspecified)"),
)

CATEGORY_LABELS: dict[str, str] = {
    "killed": "Killed",
    "injured": "Injured",
    "displaced": "Displaced",
    "returned": "Returned",
    "detained": "Detained",
    "missing": "Missing",
    "besieged": "Besieged",
    "in_need": "In need",
    "fighters_killed": "Fighters killed",
    "attacks": "Attacks",
    "airstrikes": "Air strikes",
    "barrel_bombs": "Barrel bombs",
    "rockets": "Rockets",
    "shelling": "Shelling",
    "facilities_damaged": "Facilities damaged",
    "aid_delivered": "Aid delivered",
    "other": "Other",
}

_PEOPLE_ON_MAP = (Category.KILLED, Category.INJURED, Category.DISPLACED)
_DAILY_LIMIT_DAYS = 45  # longer windows are charted by week...
_WEEKLY_LIMIT_DAYS = 366  # ...and windows longer than a year by month
_NOT_RECONCILED = "largest single figure reported (figures not yet reconciled, so not added up)"


@dataclass(frozen=True, slots=True)
class Footnote:
    """The sentence a number came from, and the document that says it."""

    number: int
    quote: str
    doc_id: str
    span: tuple[int, int]
    title: str | None
    publisher: str | None
    published: date | None
    url: str | None


@dataclass(frozen=True, slots=True)
class Headline:
    label: str
    category: Category
    unit: Unit | None
    best: int | None
    low: int | None
    high: int | None
    rule: str  # how the best value was chosen, in plain words
    figures: int  # how many figures it rests on
    flags: tuple[Flag, ...] = ()
    footnotes: tuple[int, ...] = ()
    sources: tuple[str, ...] = ()  # who the figures behind it are attributed to
    used: tuple[Figure, ...] = ()  # the figures the best value adds up (reconciled only)

    @property
    def has_range(self) -> bool:
        return self.low is not None and self.high is not None and self.low != self.high


@dataclass(frozen=True, slots=True)
class SeriesBin:
    start: date
    end: date
    values: dict[str, float]  # series name -> amount in this bin


@dataclass(frozen=True, slots=True)
class Series:
    title: str
    names: tuple[str, ...]  # the series drawn, in legend order
    step: str  # "day", "week" or "month"
    bins: tuple[SeriesBin, ...]
    note: str = ""

    @property
    def is_empty(self) -> bool:
        return not any(v for b in self.bins for v in b.values.values())


@dataclass(frozen=True, slots=True)
class MapPoint:
    name: str
    lat: float
    lon: float
    people: int  # killed, injured and displaced people stated for this place
    figures: int
    label: str  # e.g. "Ariha: 12 killed, 3,000 displaced"


@dataclass(frozen=True, slots=True)
class TableRow:
    category: str
    unit: str
    subject: str
    value: str  # best, with the range when sources differ
    place: str
    period: str
    sources: str
    rule: str
    is_total: bool
    flags: tuple[Flag, ...]
    footnotes: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class Sitrep:
    """Everything a situation report shows, ready to lay out."""

    title: str
    generated: date
    date_from: date | None
    date_to: date | None
    place: str | None
    categories: tuple[str, ...]
    verified_only: bool
    reconciled: bool
    headlines: tuple[Headline, ...]
    casualties: Series
    displacement: Series
    attacks: tuple[tuple[str, int], ...]
    points: tuple[MapPoint, ...]
    unlocated: int  # figures with no coordinates, left off the map
    rows: tuple[TableRow, ...]
    footnotes: tuple[Footnote, ...]
    flags: tuple[str, ...]
    documents: int
    facts: int
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def is_empty(self) -> bool:
        return not self.rows

    @property
    def period_text(self) -> str:
        return period_text(self.date_from, self.date_to)

    @property
    def scope_text(self) -> str:
        """ "Idlib, 1 January 2020 – 31 January 2020" or "all places, all dates"."""
        return f"{self.place or 'all places'}, {self.period_text}"

    @property
    def empty_message(self) -> str:
        where = f"for {self.place}" if self.place else "in the store"
        when = f" between {fmt_date(self.date_from)} and {fmt_date(self.date_to)}"
        if not (self.date_from and self.date_to):
            when = f" ({self.period_text})" if (self.date_from or self.date_to) else ""
        kinds = f" in the categories {', '.join(self.categories)}" if self.categories else ""
        checked = " that has been verified" if self.verified_only else ""
        return f"No figure{checked} is recorded {where}{when}{kinds}."


# -- formatting helpers (shared with the renderers) ----------------------------


def fmt_int(n: float | None) -> str:
    return "–" if n is None else f"{round(n):,}"


def fmt_date(d: date | None) -> str:
    return d.strftime("%-d %B %Y") if d else "?"


def period_text(start: date | None, end: date | None) -> str:
    if start is None and end is None:
        return "all dates"
    if start and end and start == end:
        return fmt_date(start)
    if start and end:
        return f"{fmt_date(start)} – {fmt_date(end)}"
    return f"from {fmt_date(start)}" if start else f"until {fmt_date(end)}"


def short_period(start: date | None, end: date | None) -> str:
    """A compact period for tables: "19 Jan 2020", "20–27 Jan 2020", "28 Dec 2019 – 3 Jan 2020"."""
    if start is None and end is None:
        return "not stated"
    if start is None or end is None or start == end:
        return (start or end or date.min).strftime("%-d %b %Y")
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}–{end:%-d %b %Y}"
    if start.year == end.year:
        return f"{start:%-d %b} – {end:%-d %b %Y}"
    return f"{start:%-d %b %Y} – {end:%-d %b %Y}"


def _figure_period(f: Figure) -> str:
    return short_period(f.date_start, f.date_end)


def plain_flag(flag: Flag) -> str:
    """A check's flag in words, for a reader: its message, without the check's code."""
    return flag.message


# -- loading figures ----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Filters:
    date_from: date | None = None
    date_to: date | None = None
    place: str | None = None
    categories: tuple[str, ...] = ()
    verified_only: bool = False


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


def _matches(f: Figure, category: Category, unit: Unit | None) -> bool:
    return f.category == category and (unit is None or f.unit == unit)


def _headline(
    store: Store,
    reconciled: bool,
    filters: Filters,
    figures: Sequence[Figure],
    spec: tuple[Category, Unit | None, str],
    notes: _Footnotes,
) -> Headline:
    category, unit, label = spec
    mine = [f for f in figures if _matches(f, category, unit) and f.best is not None]
    if reconciled and mine:
        result = total(
            store,
            category=str(category),
            unit=str(unit) if unit else None,
            place=filters.place,
            date_from=filters.date_from,
            date_to=filters.date_to,
            verified_only=filters.verified_only,
        )
        used = result.figures or mine
        rule = _sum_rule(used, len(result.excluded), result.notes)
        return Headline(
            label=label,
            category=category,
            unit=unit,
            best=result.best,
            low=result.low,
            high=result.high,
            rule=rule,
            figures=len(used),
            flags=tuple(result.flags),
            footnotes=tuple(sorted(notes.cite(fact for f in used for fact in f.facts))),
            sources=_sources(used),
            used=tuple(used),
        )
    if not mine:
        return Headline(label, category, unit, None, None, None, "no figure reported", 0)
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
    )


def _sources(figures: Iterable[Figure]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(name for f in figures for name in f.sources if name))


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


# -- series ---------------------------------------------------------------------


def _leaves(figures: Sequence[Figure]) -> list[Figure]:
    """Figures that can be added: not a total of other figures present.

    Reconciled totals know their parts; for unreconciled facts a stated total
    is left out whenever figures that are not totals exist for its category.
    """
    with_parts = [f for f in figures if not f.parts]
    by_category: dict[tuple[Category, Unit], list[Figure]] = defaultdict(list)
    for f in with_parts:
        by_category[(f.category, f.unit)].append(f)
    kept: list[Figure] = []
    for group in by_category.values():
        parts = [f for f in group if not f.is_total]
        kept.extend(parts or group)
    return kept


def _charted(
    specs: Sequence[tuple[str, Category, Unit | None]],
    headlines: Sequence[Headline],
    leaves: Sequence[Figure],
) -> list[Figure]:
    """What a chart adds up: the figures its key figure counted, so the chart and the
    headline agree (a monthly total is spread over its days, not replaced by the few
    daily counts inside it); without reconciled headlines, the figures that are no total."""
    counted = {(h.category, h.unit): h.used for h in headlines if h.used}
    chosen: list[Figure] = []
    for _name, category, unit in specs:
        used = counted.get((category, unit))
        chosen.extend(used if used else [f for f in leaves if _matches(f, category, unit)])
    return chosen


def _bin_start(day: date, step: str) -> date:
    if step == "month":
        return day.replace(day=1)
    return day - timedelta(days=day.weekday()) if step == "week" else day


def _next_bin(start: date, step: str) -> date:
    if step == "month":
        return (start.replace(day=28) + timedelta(days=4)).replace(day=1)
    return start + timedelta(days=7 if step == "week" else 1)


def _step_for(days: int) -> str:
    if days < _DAILY_LIMIT_DAYS:
        return "day"
    return "week" if days < _WEEKLY_LIMIT_DAYS else "month"


def _series(
    title: str,
    specs: Sequence[tuple[str, Category, Unit | None]],
    figures: Sequence[Figure],
    filters: Filters,
) -> Series:
    """Amounts per day, week or month, each figure spread evenly over the days it covers.

    A figure that runs past the window's edge keeps only the share of its days
    inside the window.
    """
    dated: list[tuple[str, Figure, date, date, int]] = []
    undated = 0
    for name, category, unit in specs:
        for f in figures:
            if not _matches(f, category, unit) or f.best is None:
                continue
            start = f.date_start or f.date_end
            end = f.date_end or f.date_start
            if start is None or end is None:
                undated += 1
                continue
            days = (end - start).days + 1
            start = max(start, filters.date_from) if filters.date_from else start
            end = min(end, filters.date_to) if filters.date_to else end
            if start <= end:
                dated.append((name, f, start, end, days))
    names = tuple(name for name, *_ in specs)
    if not dated:
        return Series(title, names, "day", (), _undated_note(undated))
    first = min(d[2] for d in dated)
    last = max(d[3] for d in dated)
    step = _step_for((last - first).days)
    amounts: dict[date, dict[str, float]] = {}
    day = _bin_start(first, step)
    while day <= last:
        amounts[day] = dict.fromkeys(names, 0.0)
        day = _next_bin(day, step)
    spread = False
    for name, f, start, end, days in dated:
        spread = spread or days > 1
        share = (f.best or 0) / days
        for i in range((end - start).days + 1):
            amounts[_bin_start(start + timedelta(days=i), step)][name] += share
    bins = tuple(
        SeriesBin(d, _next_bin(d, step) - timedelta(days=1), v) for d, v in sorted(amounts.items())
    )
    notes = []
    if spread:
        notes.append("A figure that covers several days is spread evenly over them.")
    if undated:
        notes.append(_undated_note(undated))
    return Series(title, names, step, bins, " ".join(notes))


def _undated_note(n: int) -> str:
    if not n:
        return ""
    if n == 1:
        return "1 figure with no stated period is not charted."
    return f"{n} figures with no stated period are not charted."


# -- map ------------------------------------------------------------------------


def _points(figures: Sequence[Figure]) -> tuple[tuple[MapPoint, ...], int]:
    """One point per located place; each figure counted at its first located place only."""
    acc: dict[tuple[str, float, float], dict[str, Any]] = {}
    unlocated = 0
    for f in figures:
        place = next((p for p in f.resolved if p.lat is not None and p.lon is not None), None)
        if place is None:
            unlocated += 1
            continue
        name = place.canonical or place.name
        key = (place.place_id or name, float(place.lat or 0), float(place.lon or 0))
        entry = acc.setdefault(key, {"name": name, "people": 0, "figures": 0, "by": {}})
        entry["figures"] += 1
        if f.category in _PEOPLE_ON_MAP and f.unit == Unit.PEOPLE and f.best:
            entry["people"] += f.best
            label = CATEGORY_LABELS[str(f.category)].lower()
            entry["by"][label] = entry["by"].get(label, 0) + f.best
    points = []
    for (_, lat, lon), e in acc.items():
        parts = [f"{fmt_int(v)} {k}" for k, v in e["by"].items()]
        detail = ", ".join(parts) if parts else f"{e['figures']} figure(s), no people counted"
        points.append(
            MapPoint(e["name"], lat, lon, e["people"], e["figures"], f"{e['name']}: {detail}")
        )
    points.sort(key=lambda p: -p.people)
    return tuple(points), unlocated


# -- table ----------------------------------------------------------------------


def _value_text(f: Figure) -> str:
    if f.best is None:
        texts = {fact.value_text for fact in f.facts if fact.value_text}
        return ", ".join(sorted(texts)) or "–"
    text = fmt_int(f.best)
    if f.low is not None and f.high is not None and f.low != f.high:
        text += f" ({fmt_int(f.low)}–{fmt_int(f.high)})"
    return text


def _place_text(f: Figure) -> str:
    names = [p.canonical or p.name for p in f.resolved] or list(f.places)
    return ", ".join(dict.fromkeys(n for n in names if n)) or "not stated"


def _row(f: Figure, notes: _Footnotes) -> TableRow:
    return TableRow(
        category=CATEGORY_LABELS.get(str(f.category), str(f.category)),
        unit=str(f.unit),
        subject=f.subject,
        value=_value_text(f),
        place=_place_text(f),
        period=_figure_period(f),
        sources=", ".join(f.sources) or "not attributed",
        rule=f.explanation,
        is_total=f.is_total,
        flags=f.flags,
        footnotes=notes.cite(f.facts),
    )


_ORDER = {str(c): i for i, c in enumerate(Category)}


def _row_order(f: Figure) -> tuple[int, date, int]:
    return (_ORDER.get(str(f.category), 99), f.date_start or f.date_end or date.min, -(f.best or 0))


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
    rows = tuple(_row(f, notes) for f in sorted(figures, key=_row_order))  # numbers footnotes
    specs = [s for s in HEADLINES if not filters.categories or str(s[0]) in filters.categories]
    headlines = tuple(
        h
        for h in (_headline(store, reconciled, filters, figures, s, notes) for s in specs)
        if h.best is not None or not filters.categories
    )
    leaves = _leaves(figures)
    casualty_specs = [("Killed", Category.KILLED, None), ("Injured", Category.INJURED, None)]
    displaced_specs = [("People displaced", Category.DISPLACED, Unit.PEOPLE)]
    casualties = _series(
        "Casualties over time",
        casualty_specs,
        _charted(casualty_specs, headlines, leaves),
        filters,
    )
    displacement = _series(
        "Displacement over time",
        displaced_specs,
        _charted(displaced_specs, headlines, leaves),
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
    points, unlocated = _points(leaves)
    flags = []
    for f in figures:
        where = f"{CATEGORY_LABELS.get(str(f.category))}, {_place_text(f)}, {_figure_period(f)}"
        flags.extend(f"{where}: {plain_flag(flag)}" for flag in f.flags)
    start = date_from or min(
        (f.date_start or f.date_end for f in figures if f.date_start or f.date_end), default=None
    )
    end = date_to or max(
        (f.date_end or f.date_start for f in figures if f.date_start or f.date_end), default=None
    )
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
