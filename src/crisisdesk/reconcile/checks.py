"""Plausibility checks: they flag a figure for a person to look at and never change it.

* ``household_size`` — a count stated both in families and in people whose
  ratio is far from the usual people per family there (data:
  ``data/vocab/household_size.yaml``);
* ``cumulative_falls`` — a running total ("since the offensive began") that
  is lower than the same running total on an earlier date;
* ``sources_disagree`` — organisations give numbers for one count that cannot
  all be right (beyond their qualifiers, and more than ``CLOSE`` apart).

Flags are strings ``"<code>: <what is wrong, in words>"`` on the figure.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml

from crisisdesk.errors import ConfigError
from crisisdesk.model import Qualifier
from crisisdesk.reconcile.draft import FigureDraft
from crisisdesk.reconcile.estimate import fmt, iso, stated
from crisisdesk.reconcile.grouping import CLOSE, value_key, values_close
from crisisdesk.reconcile.items import Item


@dataclass(frozen=True, slots=True)
class HouseholdSize:
    low: float
    high: float
    tolerance: float

    def plausible(self, ratio: float) -> bool:
        return self.low * (1 - self.tolerance) <= ratio <= self.high * (1 + self.tolerance)


@cache
def household_sizes() -> Mapping[str, HouseholdSize]:
    """People per family by country code; key ``""`` is the default."""
    path = resources.files("crisisdesk") / "data" / "vocab" / "household_size.yaml"
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        tol = float(data.get("tolerance", 0.25))
        table = {
            "": HouseholdSize(float(data["default"]["low"]), float(data["default"]["high"]), tol)
        }
        for code, row in (data.get("countries") or {}).items():
            table[str(code).upper()] = HouseholdSize(float(row["low"]), float(row["high"]), tol)
    except (OSError, yaml.YAMLError, KeyError, TypeError, ValueError, AttributeError) as exc:
        raise ConfigError(f"bad household size table: {exc}", where=str(path)) from exc
    return table


def check_household_size(drafts: Sequence[FigureDraft]) -> None:
    """Pair facts that state one count in families and in people (same document,
    same clause) and flag both figures when the ratio is implausible."""
    table = household_sizes()
    families: dict[tuple[str, str, str], tuple[FigureDraft, int, str | None]] = {}
    for d, it in _stated_in("families", drafts):
        families[(it.doc, it.quote, it.category)] = (d, it.value, it.place.country)  # type: ignore[assignment]
    if not families:
        return  # most stores state no families: no need to look at the people counts
    people: dict[tuple[str, str, str], tuple[FigureDraft, int]] = {}
    for d, it in _stated_in("people", drafts):
        key = (it.doc, it.quote, it.category)
        if key in families:
            people[key] = (d, it.value)  # type: ignore[assignment]
    for key, (fam_draft, fam, country) in families.items():
        if key not in people or fam <= 0:
            continue
        ppl_draft, ppl = people[key]
        size = table.get((country or "").upper(), table[""])
        ratio = ppl / fam
        if size.plausible(ratio):
            continue
        where = f"in {country}" if country and country.upper() in table else "usually"
        message = (
            f"{fmt(fam)} families and {fmt(ppl)} people is {ratio:.1f} people per family; "
            f"{size.low:g} to {size.high:g} is usual {where} (document {key[0]})"
        )
        fam_draft.flag("household_size", message)
        ppl_draft.flag("household_size", message)


def _stated_in(unit: str, drafts: Sequence[FigureDraft]) -> Iterator[tuple[FigureDraft, Item]]:
    """Facts that give a number in ``unit`` and quote their sentence, with their draft.

    A draft of one fact has that fact's unit, so most drafts are passed over
    without reading their items.
    """
    for d in drafts:
        if d.unit != unit and len(d.items) == 1:
            continue
        for it in d.items:
            if it.unit == unit and it.value is not None and it.quote:
                yield d, it


def check_cumulative(drafts: Sequence[FigureDraft]) -> None:
    """Flag a running total that falls: same count and start, later end, smaller number."""
    series: dict[tuple[object, ...], list[FigureDraft]] = defaultdict(list)
    for d in drafts:
        if d.is_total and d.best is not None and d.start is not None and d.start != d.end:
            series[(d.category, d.unit, d.subject_key, d.place.primary, d.start)].append(d)
    for run in series.values():
        if len(run) < 2:
            continue
        run.sort(key=lambda d: (d.end, d.id))
        peak = run[0]
        for d in run[1:]:
            if d.best is not None and peak.best is not None and d.best < peak.best:
                if d.end != peak.end:
                    d.flag(
                        "cumulative_falls",
                        f"{fmt(d.best)} up to {iso(d.end)} is less than the {fmt(peak.best)} "
                        f"already counted up to {iso(peak.end)} (figure {peak.id})",
                    )
            elif (d.best or 0) >= (peak.best or 0):
                peak = d


def bounds(it: Item) -> tuple[float, float]:
    """The values a fact allows: "over 130" allows 140, "about 500" allows 540."""
    lo, hi = float(it.low or 0), float(it.high or 0)
    if it.qualifier == Qualifier.AT_LEAST:
        hi = float("inf")
    elif it.qualifier == Qualifier.AT_MOST:
        lo = 0.0
    elif it.qualifier == Qualifier.APPROX:
        lo, hi = lo * (1 - CLOSE), hi * (1 + CLOSE)
    return lo, hi


def disagree(a: Item, b: Item) -> bool:
    """Two numbers for one count that cannot both be right, nor are they close."""
    (alo, ahi), (blo, bhi) = bounds(a), bounds(b)
    return (ahi < blo or bhi < alo) and not values_close(a, b)


def _org(it: Item) -> str:
    return (it.source or it.publisher or f"document {it.doc}").casefold()


def orgs_disagree(numeric: Sequence[Item]) -> bool:
    """Whether two facts of different organisations ``disagree`` (facts with a value).

    ``disagree`` reads a fact's value, range and qualifier only, and is symmetric;
    a fact never disagrees with one that states its number the same way. So the
    facts are taken once per way of stating a number, with the organisations that
    state it so, and two ways are compared once: a figure of a million-fact store
    can hold tens of thousands of facts of one running total, stated far fewer
    ways, and comparing every pair of its facts took minutes (issue 18). The
    answer is that of comparing every pair of facts of different organisations
    (``disagree_pairwise``, the reference)."""
    ways: dict[tuple[object, ...], tuple[Item, set[str]]] = {}
    for it in numeric:
        key = (it.value, it.high, it.qualifier)
        found = ways.get(key)
        if found is None:
            ways[key] = (it, {_org(it)})
        else:
            found[1].add(_org(it))
    reps = list(ways.values())
    for i, (a, a_orgs) in enumerate(reps):
        for b, b_orgs in reps[i + 1 :]:
            one_org = len(a_orgs) == 1 and a_orgs == b_orgs
            if not one_org and disagree(a, b):
                return True
    return False


def disagree_pairwise(numeric: Sequence[Item]) -> bool:
    """``orgs_disagree`` by comparing every pair of facts (the reference, for tests)."""
    return any(
        _org(a) != _org(b) and disagree(a, b)
        for i, a in enumerate(numeric)
        for b in numeric[i + 1 :]
    )


def check_disagreement(drafts: Sequence[FigureDraft]) -> None:
    """Flag a figure whose organisations give numbers that cannot all be right.

    Numbers that fit each other's qualifiers ("over 130" and "130") or are within
    CLOSE agree; the figure keeps its range either way, the flag asks a person
    to look at who is right.
    """
    for d in drafts:
        if len(d.items) < 2:
            continue  # one fact cannot disagree with itself (most figures)
        numeric = [it for it in d.items if it.value is not None]
        if len({value_key(it) for it in numeric}) < 2:
            continue
        if not orgs_disagree(numeric):
            continue
        said: dict[tuple[str, str], str] = {}
        for it in sorted(numeric, key=lambda it: (it.value or 0, it.id)):
            key = (_org(it), stated(it))
            said.setdefault(key, f"{it.source or it.who} says {stated(it)} (document {it.doc})")
        d.flag("sources_disagree", "the reports disagree: " + "; ".join(said.values()))


NOT_ATTACK = "not_attack_damage"  # the flag ``total`` leaves such a figure out by


@cache
def _not_attack_words() -> tuple[frozenset[str], re.Pattern[str] | None]:
    from crisisdesk.vocab import load_yaml

    data = load_yaml("causes")
    words = sorted({w.lower() for w in data.get("not_attack", ())}, key=len, reverse=True)
    pattern = re.compile(r"\b(?:" + "|".join(map(re.escape, words)) + r")\b") if words else None
    return frozenset(data.get("categories", ())), pattern


def check_not_attack(drafts: Sequence[FigureDraft]) -> None:
    """Flag damage whose own sentence names a cause that is no attack (storms, fire,
    floods: ``data/vocab/causes.yaml``): it is not counted as attack damage."""
    categories, pattern = _not_attack_words()
    if pattern is None:
        return
    for d in drafts:
        if d.category not in categories:
            continue
        for it in d.items:
            found = pattern.search(it.quote.lower())
            if found:
                d.flag(NOT_ATTACK, f"the report names {found.group(0)} as a cause: damage "
                       "that is not only from attacks is not counted as attack damage")  # fmt: skip
                break


def run_checks(drafts: Sequence[FigureDraft]) -> None:
    check_not_attack(drafts)
    check_household_size(drafts)
    check_cumulative(drafts)
    check_disagreement(drafts)
