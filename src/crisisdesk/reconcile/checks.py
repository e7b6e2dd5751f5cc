"""Plausibility checks: they flag a figure for a person to look at and never change it.

* ``household_size`` — a count stated both in families and in people whose
  ratio is far from the usual people per family there (data:
  ``data/vocab/household_size.yaml``);
* ``cumulative_falls`` — a running total ("since the offensive began") that
  is lower than the same running total on an earlier date;
* ``sources_disagree`` — one source's number for a count is far outside what
  the other sources say (more than ``FAR`` times, either way).

Flags are strings ``"<code>: <what is wrong, in words>"`` on the figure.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from statistics import median

import yaml

from crisisdesk.errors import ConfigError
from crisisdesk.reconcile.draft import Draft
from crisisdesk.reconcile.estimate import fmt, iso, stated

FAR = 2.0  # a value more than twice, or less than half, the others' median is "far"


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


def check_household_size(drafts: Sequence[Draft]) -> None:
    """Pair facts that state one count in families and in people (same document,
    same clause) and flag both figures when the ratio is implausible."""
    table = household_sizes()
    families: dict[tuple[str, str, str], tuple[Draft, int, str | None]] = {}
    people: dict[tuple[str, str, str], tuple[Draft, int]] = {}
    for d in drafts:
        for it in d.items:
            if it.value is None or not it.quote:
                continue
            key = (it.doc, it.quote, it.category)
            if it.unit == "families":
                families[key] = (d, it.value, it.place.country)
            elif it.unit == "people":
                people[key] = (d, it.value)
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


def check_cumulative(drafts: Sequence[Draft]) -> None:
    """Flag a running total that falls: same count and start, later end, smaller number."""
    series: dict[tuple[object, ...], list[Draft]] = defaultdict(list)
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


def check_disagreement(drafts: Sequence[Draft]) -> None:
    """Flag a figure where one source's number is far from what the others say."""
    for d in drafts:
        numeric = [it for it in d.items if it.value is not None and it.value > 0]
        if len({it.value for it in numeric}) < 2:
            continue
        for it in numeric:
            others = [o.value for o in numeric if o.doc != it.doc and o.value]
            if not others:
                continue
            mid = median(others)
            assert it.value is not None
            if it.value > FAR * mid or it.value * FAR < mid:
                d.flag(
                    "sources_disagree",
                    f"{it.who} says {stated(it)} (document {it.doc}) where the other reports "
                    f"say about {fmt(int(mid))}",
                )


def run_checks(drafts: Sequence[Draft]) -> None:
    check_household_size(drafts)
    check_cumulative(drafts)
    check_disagreement(drafts)
