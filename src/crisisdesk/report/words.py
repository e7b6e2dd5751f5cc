"""A report's figures in words: numbers, dates, periods, places, flags, categories.

Shared by the report builder and the renderers (HTML, PDF, charts, map).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date

from crisisdesk.geo.boundaries import AREA_KINDS
from crisisdesk.model import Fact, Figure, Flag

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


def figure_period(f: Figure) -> str:
    return short_period(f.date_start, f.date_end)


def plain_flag(flag: Flag) -> str:
    """A check's flag in words, for a reader: its message, without the check's code."""
    return flag.message


def value_text(f: Figure) -> str:
    if f.best is None:
        texts = {fact.value_text for fact in f.facts if fact.value_text}
        return ", ".join(sorted(texts)) or "–"
    text = fmt_int(f.best)
    if f.low is not None and f.high is not None and f.low != f.high:
        text += f" ({fmt_int(f.low)}–{fmt_int(f.high)})"
    return text


def place_text(f: Figure) -> str:
    names = [p.canonical or p.name for p in f.resolved] or list(f.places)
    return ", ".join(dict.fromkeys(n for n in names if n)) or "not stated"


_QUALIFIER_WORDS = re.compile(
    r"(no fewer than|no less than|more than|fewer than|less than|at least|at most|up to|"
    r"nearly|almost|about|around|approximately|roughly|some|an estimated|estimated|over|"
    r"under)\s*$",
    re.IGNORECASE,
)
_ENUM_WORDS = {"at_least": "at least", "at_most": "at most", "approx": "about"}
LOWER_BOUNDS = ("more than", "over", "at least", "no fewer than", "no less than")


def qualifier_words(fact: Fact) -> str:
    """The words that qualify the number where it was written ("more than", "an
    estimated"); the qualifier's plain words when the quote does not show them."""
    offset = fact.span[0] - (fact.quote_start or 0)
    before = fact.quote[:offset] if 0 <= offset <= len(fact.quote) else ""
    match = _QUALIFIER_WORDS.search(before)
    if match:
        return match.group(1).lower()
    return _ENUM_WORDS.get(str(fact.qualifier), "")


def fact_value(fact: Fact) -> str:
    """A fact's number as reported: "more than 130", "10–15", "dozens"."""
    if fact.value is None:
        return fact.value_text or "–"
    number = fmt_int(fact.value)
    if fact.value_high is not None and fact.value_high != fact.value:
        number = f"{number}–{fmt_int(fact.value_high)}"
    words = qualifier_words(fact)
    return f"{words} {number}" if words else number


def written_places(places: Iterable[str]) -> str:
    """Places as the source wrote them, a name that repeats a longer one left out
    ("western Aleppo governorates" beside "western Aleppo")."""
    names = [p.strip() for p in places if p and p.strip()]
    kept: list[str] = []
    for name in names:
        low = name.lower()
        if any(low.startswith(k.lower()) or k.lower().startswith(low) for k in kept):
            continue
        kept.append(name)
    if len(kept) > 1:
        return ", ".join(kept[:-1]) + " and " + kept[-1]
    return kept[0] if kept else "place not stated"


def distinct_sources(names: Iterable[str]) -> tuple[str, ...]:
    """Each organisation once: "UN OCHA" and "UN OCHA (example)" are one source."""
    seen: dict[str, str] = {}
    for name in names:
        if not name:
            continue
        base = re.sub(r"\s*\([^)]*\)\s*$", "", name).strip().lower()
        seen.setdefault(base, name)
    return tuple(seen.values())


def shown_name(written: str, canonical: str | None) -> str:
    """A place as the report shows it: as written, unless it is written in a script the
    report is not (an Arabic name in an English report) and the gazetteer knows it, when
    its gazetteer name reads in one language with the rest; the quote keeps the original."""
    if canonical and not _LATIN.search(written):
        return canonical
    return written


_LATIN = re.compile(r"[A-Za-z]")


def fact_place(fact: Fact) -> str:
    """Where a fact counts, as written; a governorate named only to situate a town in it
    goes in brackets ("Atarib (Aleppo)"), not beside it as a second place."""
    names = [n for n in fact.places if n and n.strip()]
    pairs = list(zip(names, fact.resolved, strict=False)) if fact.resolved else []
    shown = {n: shown_name(n, r.canonical) for n, r in pairs}
    towns = {r.admin1_code for _, r in pairs if r.kind not in AREA_KINDS and r.admin1_code}
    context = [shown.get(n, n) for n, r in pairs if r.kind == "adm1" and r.admin1_code in towns]
    text = written_places(shown.get(n, n) for n in names if shown.get(n, n) not in context)
    return f"{text} ({', '.join(context)})" if context else text
