"""Whether a figure is a total (cumulative or aggregate), decided from what its words and
period say: ``Reading`` holds what was read of one figure, ``Frame`` what the document says
of all of them, and ``total_reason`` names the rule that decides ("total: ..." or
"single: ..."). ``totals`` reads the figures; this module only decides."""

from __future__ import annotations

from dataclasses import dataclass

from crisisdesk.extract.periods import Period


@dataclass(frozen=True, slots=True)
class Frame:
    """What the whole document says about its figures' period."""

    periodic: bool = False  # a situation report, flash update, fact sheet...
    stated_period: bool = False  # the title states a period of several days


@dataclass(slots=True)
class Reading:
    """What one figure's text and period say, for ``decide_total``."""

    category: str
    figure_cue: bool = False  # "a total of", "has risen to" in the figure's own phrase
    toll: bool = False  # "the death toll" in the figure's own phrase: a total unless one event
    clause_cue: bool = False  # "so far", "since" in its clause
    incident: bool = False  # "one attack", "an airstrike" before it in its clause
    single_day: bool = False  # "in a single day", "over the past 24 hours"
    perfect: bool = False  # "have been killed"
    plural_agent: bool = False  # "the strikes also hit", "attacks ... which killed"
    population: bool = False  # "home to", "population of"
    displacement: bool = False  # "displaced people", "refugees" in its noun phrase
    held: bool = False  # a stock of people held ("4,754 migrants are currently held in detention")
    sheltered: bool = False  # a stock of displaced people ("a camp housing 30,000 displaced")
    casualties: bool = False  # casualties, victims, displaced (the "other" that add up)
    countable: bool = True  # more than one person, family, facility or event (not items)
    sites: bool = False  # it counts facilities or places (shelters, camps, schools)
    single: bool = False  # the count is one
    period: Period | None = None
    parts: bool = False  # its parts are given later in the document
    parts_with: bool = False  # its parts follow it after ", with" ("at 41, with 23 in X ...")


# --- the decision ------------------------------------------------------------------


def decide_total(r: Reading, frame: Frame = Frame()) -> bool:
    """Whether a figure is cumulative or aggregate, from what its text and period say."""
    return total_reason(r, frame).startswith("total")


def total_reason(r: Reading, frame: Frame = Frame()) -> str:
    """The rule that decides, "total: ..." or "single: ..." (kept in the draft's notes).
    The order matters: what the words say beats the period, a day beats the frame."""
    return _said(r) or _counted(r) or _covered(r, frame)


def _said(r: Reading) -> str | None:
    """What the words say outright: a need or population, a tally, a cumulative clause."""
    if r.category == "in_need" or r.population:
        return "single: need or population"
    if r.figure_cue:
        return "total: tally words"
    if r.sheltered:  # (a stock, whatever incident hit the place that holds it)
        return "total: a stock of displaced people"
    if _one_day(r.period) and r.period is not None and r.period.cumulative:
        # a count of the same day (with its parts given, a day's total, as below)
        return "total: one day, parts given" if r.parts else "single: since this morning"
    # a running period carried onto "One attack killed 27" does not make the one attack a tally
    if r.clause_cue or (r.period is not None and r.period.cumulative and not r.single):
        return "total: cumulative words"
    if r.category == "other" and r.sites:
        return "single: sites"  # shelters, camps, schools hosting people: a state, not a tally
    if r.category == "other" and not r.casualties:
        # population, places, people affected: a tally only when stated or given in parts
        return "total: other, perfect or parts" if r.perfect or r.parts else "single: other"
    return None


def _counted(r: Reading) -> str | None:
    """One incident (also its toll: "the provisional death toll of the attack was 10"), one
    day or one person; or a toll, or parts given later."""
    if r.incident:
        return "single: one incident"
    if r.single_day or _one_day(r.period):
        # "put Friday's death toll at 57, with 32 ... and 25 ..." has its parts; a day's
        # toll without them ("reported a death toll of 10") is that day's count
        given = r.parts or (r.toll and r.parts_with)
        return "total: one day, parts given" if given else "single: one day"
    if r.toll:
        return "total: a toll"
    if r.parts:
        return "total: parts given"
    if r.single:
        return "single: one person or thing"  # one death is one event, whatever the period
    return None


def _covered(r: Reading, frame: Frame) -> str:
    """Several days, a present-perfect tally, several attacks, a stock of displaced or
    detained people (the conventions treat both alike), or the period of the report."""
    if _several_days(r.period):
        return "total: several days"
    if r.perfect or r.plural_agent or r.category == "displaced" or r.displacement or r.held:
        return "total: perfect, several attacks or displaced"
    if _in_frame(r, frame):
        return "total: report frame"
    return "single: nothing says total"


def _in_frame(r: Reading, frame: Frame) -> bool:
    """An undated count of people or places in a periodic report or a document about a
    stated period covers that period (a single person or item is one event's)."""
    undated = r.period is None or r.period.report
    return undated and r.countable and (frame.periodic or frame.stated_period)


def _one_day(period: Period | None) -> bool:
    """A period of one day ("on Tuesday", "since this morning": it starts and ends today)."""
    if period is None or period.report:
        return False
    same = period.date_start is not None and period.date_start == period.date_end
    return period.length == "day" or same


def _several_days(period: Period | None) -> bool:
    return (
        period is not None
        and not period.report
        and not _one_day(period)
        and (period.length == "multi")
    )
