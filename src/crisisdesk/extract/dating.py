"""The period each figure covers.

In order: a date expression of the figure's own clause or sentence; the
figure it leans on (a pair, a part); the period the text has stated last
(reports state a period once for the figures that follow, until they state
another); for a running tally, the start the document gives its crisis and the
publication date (or the "as of" date of its sentence); else the one dated
event the document is about. A carried period keeps the span of the words it
was read from, so a reviewer sees why a figure is dated so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import cache

from crisisdesk.extract.announced_days import without_announcing_day
from crisisdesk.extract.asides import is_dateline
from crisisdesk.extract.clause_state import (
    after_state_lead,
    described_by_participle,
    is_state,
    is_tally,
    state_words,
)
from crisisdesk.extract.compiled import compile_rx
from crisisdesk.extract.control_history import dates_a_holding
from crisisdesk.extract.draft import TOLD_ON_ITS_DAY, DocState, Draft
from crisisdesk.extract.earlier_whole import earlier_whole_period
from crisisdesk.extract.event_openers import (
    continues_event,
    continues_statement,
    opens_on_event,
    toll_of_dated_incident,
)
from crisisdesk.extract.frame import (
    DateFrame,
    build_frame,
    dates_its_war,
    start_key,
)
from crisisdesk.extract.heading_as_of import heading_days, run_to_day
from crisisdesk.extract.incident_perfect import names_its_incident
from crisisdesk.extract.list_intro import intro_in_perfect, introduced_by
from crisisdesk.extract.listed_days import another_listed_day, inside
from crisisdesk.extract.period_owner import (
    TO,
    compared_later,
    leading_into,
    leads_elsewhere,
    stock_as_of,
)
from crisisdesk.extract.period_sharing import (
    compared_count,
    compared_figure,
    cut_at_as_of,
    held_by_other,
    leans_on_ante,
    mark_aside_parts,
    nearest,
    opening_over_later,
    own_after,
    own_count_day,
    same_period_before,
    unblocked,
)
from crisisdesk.extract.periods import Period
from crisisdesk.extract.place_names import paragraph_label
from crisisdesk.extract.referred import referred
from crisisdesk.extract.remarks import before_remark
from crisisdesk.extract.report_dates import starts_ahead, told_on
from crisisdesk.extract.report_period import states_report_period
from crisisdesk.extract.restated import (
    repeated_toll_period,
    restated_period,
    start_restated_later,
)
from crisisdesk.extract.running import brief, rounded_span, short, up_to
from crisisdesk.extract.sentence_periods import plain_periods
from crisisdesk.extract.stock_lines import (
    flow_on_key_line,
    key_figure_line,
    part_of_state,
    tallied_other,
    verbless_stock,
)
from crisisdesk.extract.tally_spans import background_span, vague_tally
from crisisdesk.extract.totals import is_present_perfect
from crisisdesk.extract.update_starts import since_previous_report
from crisisdesk.extract.war_background import war_start
from crisisdesk.vocab import phrase_pattern, vocab_list

# what a crisis's running tallies count (not aid, shelters, population)
TALLIED = frozenset(
    {"killed", "injured", "fighters_killed", "displaced", "detained", "missing", "attacks"}
    | {"airstrikes", "shelling", "rockets", "barrel_bombs", "facilities_damaged"}
)
PAST_PERFECT = re.compile(r"\bhad\s+(?:been|[a-z]+ed)\b", re.I)  # "had been displaced"
_OPENING = 4  # sentences: where a news story says which day it is about
_EVENT_REACH = 30  # characters after a figure within which "in one attack" names its event


@dataclass(slots=True)
class _Carry:
    """What the text has stated so far, read forward sentence by sentence once."""

    frame: DateFrame
    last: Period | None = None  # the period stated last (not a reporting date)
    last_paragraph: int = -1  # the paragraph it was stated in (a day carries no further)
    running: Period | None = None  # the running period stated last ("since X"): outlasts a day
    outer: Period | None = None  # a wider period ``last`` lies inside (the report's month)
    read_upto: int = 0  # sentences already read
    owned: set[int] = field(default_factory=set)  # sentences whose figures set ``last``
    sentence_of_last: int = -1  # the sentence whose figure stated ``last`` as its own
    figures: dict[int, list[Draft]] = field(default_factory=dict)  # figures by sentence
    plain: dict[int, list[Period]] = field(default_factory=dict)  # sentence -> its periods
    event: list[Period | None] = field(default_factory=list)  # the one event's day, once found
    label_starts: list[int] | None = None  # where paragraphs filed under a country open

    def labels(self, state: DocState) -> list[int]:
        """Where the paragraphs filed under a country open ("Kenya: Heavy rains ..."), read
        once per document (only when a tally looks for its start)."""
        if self.label_starts is None:
            sents = state.sents
            self.label_starts = [
                s.start
                for i, s in enumerate(sents)
                if (i == 0 or sents[i - 1].paragraph != s.paragraph)
                and paragraph_label(state.text, s.start, s.end) is not None
            ]
        return self.label_starts

    def periods(self, state: DocState, i: int) -> list[Period]:
        """The periods sentence ``i`` states for its figures, read once per document."""
        if i not in self.plain:
            self.plain[i] = plain_periods(state, i)
        return self.plain[i]

    def one_event(self, state: DocState, drafts: list[Draft]) -> Period | None:
        """The day of the document's one event, found once (after its first figure is dated)."""
        if not self.event:
            self.event.append(single_event(state, drafts, self.frame))
        return self.event[0]


def date_figures(state: DocState, drafts: list[Draft]) -> None:
    """Give each figure its period, carrying stated periods forward in one pass."""
    frame = build_frame(state)
    carry = _Carry(frame, frame.title)
    for d in drafts:
        carry.figures.setdefault(d.sentence.index, []).append(d)
    mark_aside_parts(state.text, drafts)
    heads = heading_days(state, carry.figures)
    done: list[Draft] = []  # the figures dated so far (a toll said again takes their period)
    for d in drafts:
        _read_until(state, carry, d.sentence.index)
        d.period = up_to(state, d, carry.figures, _choose_period(state, d, carry))
        if "loose" in d.notes:
            event = carry.one_event(state, drafts)
            if event is not None and dated_by_event(state, d):
                d.period = event
        d.period = restated_period(d, done) or repeated_toll_period(d, done) or d.period
        if d.ante is not None and d.ante.period and compared_count(state.text, d):
            d.period = same_period_before(state.text, d, d.ante.period) or d.period
        done.append(d)
        if "own" in d.notes and d.period is not None and d.period.date_start:
            # a key-figure line's period is its own, as is a figure given to compare with
            compared = d.period.start > d.m.start and compared_figure(state.text, d)
            ahead = starts_ahead(state.doc.published, d.period)
            if not key_figure_line(state, d, True) and not compared and not ahead:
                if carry.sentence_of_last == d.sentence.index and another_listed_day(
                    carry.last, d.period, carry.outer
                ):
                    carry.last = carry.outer  # incidents listed with their days: the month
                else:
                    _state_period(carry, d.period, d.sentence.paragraph)
                    carry.sentence_of_last = d.sentence.index
            carry.owned.add(d.sentence.index)
        if d.sentence.index in heads:  # a key figure under "KEY FIGURES (AS OF 27 MAY)"
            d.period = run_to_day(state, d.period, heads[d.sentence.index])  # (not carried)
    start_restated_later(drafts)


def _read_until(state: DocState, carry: _Carry, i: int) -> None:
    """Advance the carried period over the sentences before sentence ``i``."""
    while carry.read_upto < i:
        j = carry.read_upto
        stated = carry.periods(state, j)
        dated = [p for p in stated if p.date_start or (p.cumulative and not state.doc.published)]
        dated += [p for p in state.periods(j) if p.as_of and p.length == "multi" and p.date_end]
        keyed = any(key_figure_line(state, x, True) for x in carry.figures.get(j, []))
        if j not in carry.figures:  # "..., which has been in rebel hands since 2012"
            dated = [p for p in dated if not dates_a_holding(state.low, p)]
        if j not in carry.owned and not keyed:  # a key-figure line's period is its own
            for p in dated:  # the last one stated is carried; a running one outlasts a day
                if not starts_ahead(state.doc.published, p):
                    _state_period(carry, p, state.sents[j].paragraph)
        carry.read_upto += 1


def _state_period(carry: _Carry, period: Period, paragraph: int) -> None:
    period = rounded_span(carry.running, period)  # "In 5 weeks" after "on 24 February"
    outer = carry.outer if carry.outer is not None else carry.last
    carry.outer = outer if outer is not None and inside(period, outer) else None
    carry.last = period
    carry.last_paragraph = paragraph
    if period.cumulative or (period.running and not short(period)):
        carry.running = period


# "At least 11 civilians, including women and children, were killed when a ballistic
# missile ...": the event may be named after an aside; the conflict's span does not date it
_WHEN_REACH = 100


@cache
def _one_event_rx() -> re.Pattern[str]:
    openers = phrase_pattern(vocab_list("periods", "single_event_openers"))
    events = phrase_pattern(vocab_list("periods", "event_nouns"))
    return compile_rx(rf"\b(?:{openers})\s+(?:[\w’'-]+\s+){{0,3}}?(?:{events})\b")


def _one_event(state: DocState, d: Draft, reach: int | None = None) -> bool:
    """The figure counts one event or its toll ("One attack killed 27", "A separate
    airstrike ... killed six", "killed 4 in a single raid"): a running period does not
    date it. ``reach``: characters read after the figure (default ``_EVENT_REACH``)."""
    # "One attack killed", "in one raid"
    stop = min(d.sentence.end, d.m.end + (_EVENT_REACH if reach is None else reach))
    return _one_event_rx().search(state.low, d.sentence.start, stop) is not None


def single_event(state: DocState, drafts: list[Draft], frame: DateFrame) -> Period | None:
    """The day of the one event the document is about (none for a periodic report)."""
    return None if frame.title is not None else _event_day(drafts, state)


def dated_by_event(state: DocState, d: Draft) -> bool:
    """A count of the event's toll: no state, population or running count ("has fled")."""
    if d.category in ("other", "in_need") or "state" in d.notes:
        return False
    one = any(n.startswith("single: one incident") for n in d.notes)  # "A bomber has killed 7"
    one = one or names_its_incident(state.text, d.m.end, d.clause[1])  # "... in an attack"
    return one or not is_present_perfect(state.text[d.clause[0] : d.clause[1]])


def _event_day(drafts: list[Draft], state: DocState) -> Period | None:
    """A document about one dated event: the day its first figure states, else the one
    day its opening states ("Strikes hit the town on Sunday. ... 9 were killed"), else the
    one day the whole text states when it states no other period (a story told around a
    quote: "20 were killed on Wednesday", the spokesman said)."""
    if not drafts:
        return None
    first = drafts[0]
    p = first.period
    day = p is not None and p.length == "day" and not p.report and p.date_start is not None
    if day and ("own" in first.notes or _in_opening(state, p)):  # type: ignore[arg-type]
        return p
    if p is not None and not wordless(p) and not p.report:  # a day reported on: no event's
        return None
    counted = {d.sentence.index for d in drafts}

    def stated(i: int) -> list[Period]:
        # background with no figure ("The country has been in crisis since the army seized
        # power", "The town has been targeted over the last week") is no period of the
        # story's event
        return [q for q in plain_periods(state, i) if i in counted or q.length == "day"]

    opening = [q for i in range(min(_OPENING, len(state.sents))) for q in stated(i)]
    opening = _beside_told_days(state.text, opening)
    one = _one_day(opening) or _night_across(state, opening)
    if one is not None or any(q.length == "day" for q in opening):
        return one
    if opening:  # only spans, of other counts ("operations in the last 24 hours killed 95")
        return _told_day(state)
    one = _one_day([q for i in range(len(state.sents)) for q in stated(i)])
    if one is None and TOLD_ON_ITS_DAY in first.notes:
        # no day of the event stated, but its lead toll was told on the day it was
        # reported ("20 died in strikes, a monitor said Tuesday"): that day is the story's
        return p
    return one if one is not None else _told_day(state)


# between a figure and another one told beside it: a clause of its own ("..., and", ";", a line)
# or the close of a bracket
_NEXT_CLAUSE = compile_rx(r"(?:,\s*(?:and|while|whereas)\s|;|\n|\))")


def _own_stretch(text: str, d: Draft, figures: list[Draft]) -> tuple[int, int]:
    """The stretch of ``d``'s clause that is about ``d``: after a figure before it that is
    neither its whole nor its partner, to a figure after it told in a clause of its own."""
    lo, hi = d.clause[0], d.clause[1]
    for x in figures:
        if x is d or x.ante is d or d.ante is x:
            continue
        if lo <= x.m.end <= d.qual_start and _NEXT_CLAUSE.search(text, x.m.end, d.qual_start):
            lo = max(lo, x.np_end if x.np_end <= d.qual_start else x.m.end)
        elif d.np_end <= x.qual_start < hi and _NEXT_CLAUSE.search(text, d.np_end, x.qual_start):
            hi = x.qual_start
    return lo, hi


def _beside_told_days(text: str, periods: list[Period]) -> list[Period]:
    """The opening's periods without the day its news was told ("..., a community leader
    confirmed the incident to the paper on Friday"), when it states another day, not after
    that one, in another sentence ("the gunmen stormed the village on Thursday"): that day is
    the event's, the telling day no second day of it."""
    told = [q for q in periods if q.length == "day" and q.date_end and told_on(text, q.start)]
    if not told:
        return periods
    rest = [q for q in periods if q not in told]
    first_told = min(q.date_end for q in told if q.date_end)
    if any(q.length == "day" and q.date_end and q.date_end <= first_told for q in rest):
        return rest
    return periods


def _night_across(state: DocState, periods: list[Period]) -> Period | None:
    """Two days in a row, the only periods the opening states, named in one sentence ("the
    raid began Thursday evening and went on into Friday morning"): one event across the night
    between them, from the first day to the second."""
    if len(periods) != 2 or any(q.length != "day" or q.date_start is None for q in periods):
        return None
    first, second = sorted(periods, key=lambda q: q.start)
    if first.date_start is None or second.date_start is None:
        return None
    if (second.date_start - first.date_start).days != 1:
        return None
    if any(first.start < s.end <= second.start for s in state.sents[:_OPENING]):
        return None  # (in two sentences: two events)
    return Period(first.start, second.end, first.date_start, second.date_start, "multi")


_TOLD_LAG = 2  # days before publication a story's news may have been told


def _told_day(state: DocState) -> Period | None:
    """A news story whose opening states no period of its event but one day its news was
    told ("..., the agency reported on Tuesday", "he told reporters on Sunday"), that day
    or one of the two before publication: the story is that day's news, and its event is
    dated by it."""
    published = state.dates.published
    if published is None:
        return None
    told = [
        q
        for i in range(min(_OPENING, len(state.sents)))
        for q in state.periods(i)
        if q.report and not q.as_of and q.length == "day" and q.date_end is not None
    ]
    if len({q.date_end for q in told}) != 1:
        return None
    day = told[0].date_end
    assert day is not None
    if not 0 <= (published - day).days <= _TOLD_LAG:
        return None
    return Period(told[0].start, told[0].end, day, day, "day", report=True)


def _in_opening(state: DocState, p: Period) -> bool:
    """The period was read in the document's opening sentences (a day stated there and
    carried to the first figure: "Jets struck the town on Thursday. ... killed 8")."""
    opening = state.sents[:_OPENING]
    return bool(opening) and p.end > p.start and p.start < opening[-1].end


def wordless(p: Period) -> bool:
    """A period read from no words: a running count's publication end."""
    return p.start == p.end and p.date_start is None


def _one_day(periods: list[Period]) -> Period | None:
    """The day these periods state, when they state one day and nothing else."""
    days = [q for q in periods if q.length == "day" and q.date_start]
    if len({q.date_start for q in days}) == 1 and all(q.length == "day" for q in periods):
        return days[0]
    return None


def _choose_period(state: DocState, d: Draft, carry: _Carry) -> Period | None:
    if d.category == "in_need" or (d.category, d.subject) == ("other", "population"):
        return None  # a need or a population is a state: no period
    update = since_previous_report(state, d, carry.frame)
    if update is not None:  # "an additional 3,010 families since the previous report"
        d.notes.append("own")
        return update
    i = d.sentence.index
    plain = carry.periods(state, i)
    figures = carry.figures.get(i, [])
    plain = [p for p in plain if not compared_later(state.text, p, d, figures)]
    plain = before_remark(state, d, plain)  # ("..., noting that it had fallen since July")
    in_clause = [p for p in plain if d.clause[0] <= p.start < d.clause[1]]
    own_lead = leading_into(state.text, d, in_clause, figures)
    in_clause = [
        p for p in in_clause if p is own_lead or not leads_elsewhere(state.text, p, d, figures)
    ]
    # "fell to 714, in May to 476" ("in May - to 476"): May is 476's wherever 714's clause
    # ends (a bare dash may still explain the figure before it: "fled over the past two
    # months — 180,000 in March")
    plain = [
        p for p in plain if p is own_lead or not leads_elsewhere(state.text, p, d, figures, TO)
    ]
    after = own_after(d, in_clause, figures) or own_lead
    if after is None and leans_on_ante(d, plain):
        return d.ante.period  # type: ignore[union-attr]
    # a harm is an event: words of a state after its noun describe something else ("killed
    # 13 people at a site hosting displaced families")
    # (so is a count of facilities hit, described by a participle: "three schools hosting
    # displaced families were hit")
    harm = d.category in ("killed", "injured") or (
        d.category == "facilities_damaged" and described_by_participle(state.low, d.np_end)
    )
    clause_text = state.text[d.clause[0] : d.clause[1]]
    # (not the words of a part of it: "..., including 25,000 currently hosted")
    part_at = min(
        (
            x.qual_start
            for x in figures
            if x.ante is d and x.link != "pair" and d.m.end < x.m.start < d.clause[1]
        ),
        default=d.clause[1],
    )
    # (nor the words of another figure told beside it: "5.3 million have been displaced, and
    # nearly 850,000 continue to live in besieged areas", "the town (population of 155,000)
    # ... an attack which killed 41"; list lines run together: "... displaced\no 87 centres
    # are currently open")
    lo, hi = _own_stretch(state.text, d, figures)
    own_words = clause_text[lo - d.clause[0] : min(part_at, hi) - d.clause[0]]
    stock = is_state(state_words(own_words, d.np_end - lo, harm))
    stock = stock or verbless_stock(state, d) or after_state_lead(state.low, d.qual_start)
    # ("2.1 million are displaced - one million of these in 2017": 2017 is the part's)
    spans = [
        p
        for p in in_clause
        if (p.cumulative or p.length == "multi")
        and not any(x.ante is d and d.m.end <= x.m.start < p.start for x in figures)
        # ("Last year, 512 were killed, most in the north-west, home to 1.7 million"): the
        # year is the 512's, a figure between it and the state's
        # ("Clashes went on in July, and 18,100 remain displaced": July is the clashes', the
        # clause the "and" opens is the state's own; a running "since" still covers both)
        and not (stock and not p.cumulative and _joined_after(state.text, p, d))
        and not (
            stock
            and d.ante is None  # (a part of a running count takes its period)
            and any(
                p.end <= x.m.start < d.m.start or x.m.end <= p.start < p.end <= d.m.start
                for x in figures
                if x is not d and x.ante is not d
            )
        )
    ]
    # (a part its sentence dates no other way: "Out of them, 16 adults and 2 children")
    parted = (stock and not spans) or not (in_clause or plain)
    whole = earlier_whole_period(state, d, carry.figures) if parted else None
    if whole is not None:  # "Of these, 139,265 remain displaced": over the whole's period
        d.notes.append("part of the previous count")
        return whole
    if stock and not spans:
        d.notes.append("state")
        return stock_as_of(state.periods(i), d, state.text)
    earlier = any(x.m.end <= d.m.start for x in figures if x is not d)
    # (or a relative clause in the perfect: "On 28 January, the army took the town, in an
    # offensive that has driven tens of thousands from their homes": the day is the town's)
    relative = _RELATIVE_PERFECT.search(state.text, max(0, d.qual_start - 50), d.qual_start)
    if (earlier or relative) and _perfect_verb_before(state.text, d.qual_start):
        # "20 were killed over the weekend, ... a surge that has forced 200,000 from their
        # homes": a running tally takes no day or short window stated before it
        day_before = any(p.start < d.m.start and brief(p) for p in plain)
        in_clause = [p for p in in_clause if p.start > d.m.start or not brief(p)]
        plain = [p for p in plain if p.start > d.m.start or not brief(p)]
        if relative and day_before and not plain and d.category in TALLIED:
            d.notes.append("relative tally")  # not the day carried from its sentence either
            return _tally(state, d, carry, None)
    free = unblocked(in_clause, d, figures) or unblocked(plain, d, figures)
    unheld = [p for p in free if not held_by_other(p, d, figures)]  # "5 in May and 7 in June"
    unheld = _outside_concession(state, d, unheld)
    own = after or _since_after(d, unheld or free)
    candidates = opening_over_later(unheld or free or in_clause or plain, d, in_clause)
    candidates = without_announcing_day(state.text, candidates, plain, d, figures)
    own = own or nearest(candidates, d.m.start, d.m.end)
    if own is not None and own.running:
        # "Since 28 April, in just 9 days, 12 ... have been hit": the stated start, not the count
        since = [p for p in unheld or free if p.cumulative and p.date_start and p.end <= d.m.start]
        own = since[-1] if since else own
    if own is not None and after is None and held_by_other(own, d, figures):
        counted = own_count_day(state, d, figures)
        if counted is not None:
            d.notes.append("own as of")
            return counted
    if own is not None and own.reference:
        own = referred(state, own, carry.frame, carry.last) or own
    if own is not None and vague_tally(state, own, clause_text):
        d.notes.append("own")  # "has seen 358,000 displaced in recent weeks": a running count
        return Period(own.start, own.end, None, state.dates.published, "multi")
    if own is not None:
        d.notes.append("own")
        return _until_as_of(state, d, own, carry)
    if part_of_state(state, d, figures):
        d.notes.append("state")
        return None
    key_line = key_figure_line(state, d)
    if d.category == "other" and not key_line and not tallied_other(state, d):
        return None
    ante = d.ante
    if ante is not None and d.link in ("additive", "elliptical", "partitive") and ante.period:
        last = carry.last
        # "Two were killed on 23 July. ... Late on 25 July, insurgents killed four": a date
        # stated after the figure it leans on is the newer news (a start is not, unless
        # stated in the figure's own paragraph: "Since 6 March, ... The toll includes 683")
        newer = last is not None and last.date_start and last.start >= ante.sentence.end
        here = carry.last_paragraph == d.sentence.paragraph
        if not newer or (last.cumulative and not here):  # type: ignore[union-attr]
            return ante.period
    background = background_span(state, d) if d.category in TALLIED else None
    if background is not None:
        d.notes.append("background span")
        return _to_as_of(carry.frame, background)
    cited = stock_as_of(state.periods(i), d, state.text) if key_line else None
    if cited is not None:  # "172,487 people displaced (CONASUR – June 2019)": counted to then
        d.notes.append("state")
        return cited
    carried = _carried(state, d, carry, clause_text, key_line)
    if carried is None and d.category in TALLIED and not _one_event(state, d, _WHEN_REACH):
        return carry.frame.conflict  # the span of the war the report looks back on
    return carried


# "..., and" / "... and" right before a figure: it opens a clause of its own
_AND_BEFORE = compile_rx(r"(?:,\s*|\s+)and\s+$")


def _joined_after(text: str, p: Period, d: Draft) -> bool:
    """Period ``p`` ends before the "and" that opens the figure's own clause."""
    if p.end > d.qual_start:
        return False
    return _AND_BEFORE.search(text, max(p.end, d.qual_start - 8), d.qual_start) is not None


def _since_after(d: Draft, periods: list[Period]) -> Period | None:
    """ "On Friday, the ministry said that 162 people have died since August": a running
    period after the figure, in its clause, is what it counts; a day before it is when it
    was said."""
    after = [p for p in periods if p.cumulative and p.start >= d.m.end and p.start < d.clause[1]]
    if not after or not any(p.end <= d.qual_start and brief(p) for p in periods):
        return None
    return min(after, key=lambda p: p.start)


def _outside_concession(state: DocState, d: Draft, periods: list[Period]) -> list[Period]:
    """ "Although a truce has held since March, 6 raids were recorded in May": a leading
    concessive clause dates its own words, not the main clause's figure, when the main
    clause states a period."""
    s = d.sentence
    low = state.low
    comma = low.find(",", s.start, d.m.start)
    if comma < 0 or _concessive().match(low, s.start, comma) is None:
        return periods
    main = [p for p in periods if p.start > comma]
    return main or periods


@cache
def _concessive() -> re.Pattern[str]:
    return compile_rx(rf"\W*(?:{phrase_pattern(vocab_list('periods', 'concessive_leads'))})\b")


_RELATIVE_PERFECT = compile_rx(
    r"\b(?:that|which)\s+(?:has|have)\s+(?:[a-z]+ly\s+)?[a-z]+(?:ed|en|wn)\s+$"
)
_PERFECT_VERB_BEFORE = compile_rx(
    r"(?<!\bto )\b(?:has|have)\s+(?:[a-z]+ly\s+)?[a-z]+(?:ed|en|wn)\s+$"
)


def _perfect_verb_before(text: str, pos: int) -> bool:
    """A present perfect right before ``pos`` ("a surge that has forced"); the pattern needs
    "has" or "have" (case-sensitive), so a stretch with neither is not searched."""
    lo = max(0, pos - 40)
    window = text[lo:pos]
    if "has" not in window and "have" not in window:
        return False
    return _PERFECT_VERB_BEFORE.search(text, lo, pos) is not None


def _carried(
    state: DocState, d: Draft, carry: _Carry, clause_text: str, key_line: bool = False
) -> Period | None:
    """A figure whose sentence states no period: the period stated last, unless it is one
    day and the figure a running tally; a tally takes the crisis start and its end."""
    reports = [p for p in state.periods(d.sentence.index) if p.report and p.date_end]
    closed = carry.last is not None and not (carry.last.cumulative or carry.last.running)
    if closed:  # "In a report published on Wednesday, ...": its figures' own period carries,
        # while a running tally's release day ends it ("since January ... tally released Monday")
        reports = [p for p in reports if not _PUBLISHED_ON.search(state.low, p.start - 20, p.start)]
    end = nearest(reports, d.m.start, d.m.end)
    # "A Russian air attack on a shelter is reported to have killed 10": one event's toll,
    # whatever the tense, is no running tally
    tally = key_line or (
        (is_tally(clause_text) or intro_in_perfect(state, d, clause_text))
        and not _one_event(state, d, _WHEN_REACH)
        and not (
            carry.last_paragraph == d.sentence.paragraph
            and (opens_on_event(state, d) or toll_of_dated_incident(state, d, carry.last))
        )
    )
    same_paragraph = (
        carry.last_paragraph == d.sentence.paragraph
        or continues_event(state, d, carry.last_paragraph)
        or continues_statement(state, d, carry.last_paragraph)
        or introduced_by(state, carry.last_paragraph, d)  # a line of a list under a colon
    )
    last = carry.last
    if last is not None and brief(last) and (tally or not same_paragraph):
        last, same_paragraph = carry.running, True
    elif last is not None and not same_paragraph and carry.outer is not None:
        # "50 killed in September ... 96 refugees between 23 and 30 September." A new
        # paragraph goes back to the month: the narrower period was one figure's
        last = carry.outer
    # (aid given so far runs on like a toll: "has delivered 3,000 kits" takes no month stated
    # paragraphs before; a report's key-figure line keeps the report's period)
    aid = d.category == "aid_delivered" and not key_line
    running = tally and (d.category in TALLIED or aid)
    if key_line and last is not None and states_report_period(state, last):
        return _to_as_of(carry.frame, last)  # a sitrep's key figures, over its period
    if running and key_line and last == carry.frame.title and flow_on_key_line(state, d):
        return last  # "2,964 refugees arrived ..." in a monthly update: the month's arrivals
    if end is None and last is not None and _carries(last, running, same_paragraph):
        # (a "since" tally reaches no toll whose sentence names its one event further on: "12
        # were hurt and three died, 5 of the hurt being children, in an airstrike on a boat")
        reach = _WHEN_REACH if last.cumulative else None
        if (last.cumulative or last.running) and not running and _one_event(state, d, reach):
            if last.date_start is not None and last.date_start == last.date_end:
                # "Since this morning 51 were killed ... Another strike killed three": that day
                return Period(last.start, last.end, last.date_start, last.date_end, "day")
            return None  # "A separate airstrike killed six": one undated event
        if (last.cumulative or last.running) and not running:
            d.notes.append("loose")  # a single event's toll takes the event's day instead
        return _to_as_of(carry.frame, last)
    if end is not None and same_paragraph and _ends_within(last, end):
        # "between January and early September ... As of 4 September, 29,800 cases were
        # registered": a tally to a day inside the span stated just before counts from its start
        return Period(end.start, end.end, last.date_start, end.date_end, "multi", cumulative=True)  # type: ignore[union-attr]
    if tally or (end is not None and last is not None and last.cumulative):
        if tally and end is None:
            end = _report_before(state, d)
        return _tally(state, d, carry, end)
    return end


def _ends_within(last: Period | None, end: Period) -> bool:
    """A span of several days stated before (not a "since") that holds the as-of day."""
    if last is None or last.cumulative or last.length != "multi":
        return False
    a, b, day = last.date_start, last.date_end, end.date_end
    return a is not None and b is not None and day is not None and a < day <= b


_PUBLISHED_ON = compile_rx(r"\b(?:published|issued|released)\s+(?:on\s+)?$")


def _report_before(state: DocState, d: Draft) -> Period | None:
    """The day the sentence before, in the same paragraph, says its counts were reported
    ("a report published on 13 February says 170 were killed. Over 500 have been injured"):
    a running count that continues that report runs to the same day."""
    i = d.sentence.index
    if i == 0 or state.sents[i - 1].paragraph != d.sentence.paragraph:
        return None
    days = [p for p in state.periods(i - 1) if p.report and p.date_end and not p.aside]
    return days[-1] if days else None


def _until_as_of(state: DocState, d: Draft, own: Period, carry: _Carry) -> Period:
    """A running count ("since 1 December") ends at the "as of"/"by" date of its sentence,
    not at publication; "since the start of hostilities" starts where the text dates the
    same words elsewhere ("since the start of hostilities on 27 September"), "since then"
    where the period stated last starts."""
    if not own.cumulative:
        return cut_at_as_of(own, state.periods(d.sentence.index), state.text, d.m.start)
    first = own.date_start or _named_start(state, d, own, carry)
    reports = [p for p in state.periods(d.sentence.index) if p.report and p.date_end]
    # the day it was said, not the story's dateline ("GAZA, Jan 6 - ... said yesterday")
    said = [p for p in reports if not is_dateline(state.text, p.start, p.end)]
    end = nearest(said or reports, d.m.start, d.m.end)
    last = end.date_end if end is not None else own.date_end
    if end is None:
        last = _report_end(carry.frame, own)
    if last is None and carry.frame.published is None:
        last = _latest_stated(carry.periods(state, d.sentence.index))
        if last is None and first is not None and own.date_start is None:
            # "Since then, 4,258 have been killed" on an undated page: from the start named
            # before, to an end the text does not give
            return Period(own.start, own.end, first, None, "multi", cumulative=True)
    if last is None or (first is not None and last < first):
        return own
    return Period(own.start, own.end, first, last, "multi", cumulative=True)


def _latest_stated(periods: list[Period]) -> date | None:
    """With no publication date, a running count ends where the latest closed period of its
    sentence ends ("6 raids in January, bringing the total since 18 December to 8")."""
    ends = [p.date_end for p in periods if p.date_end and not p.cumulative]
    return max(ends) if ends else None


def _as_of_for(frame: DateFrame, start: date | None) -> Period | None:
    """The one day the report says its counts run to ("as of 7 October", a paragraph away),
    if a running count from ``start`` can end there."""
    as_of = frame.as_of
    if as_of is None or as_of.date_end is None or frame.published is None:
        return None
    return as_of if start is None or start <= as_of.date_end else None


def _report_end(frame: DateFrame, p: Period) -> date | None:
    """The end of a running period whose sentence gives none: the report's as-of day, else
    its own end (publication)."""
    as_of = _as_of_for(frame, p.date_start)
    if as_of is None or p.date_end != frame.published:
        return p.date_end
    return as_of.date_end


def _to_as_of(frame: DateFrame, p: Period) -> Period:
    """A carried running period ends where the report says its counts run to."""
    if not (p.cumulative or p.running):
        return p
    last = _report_end(frame, p)
    if last == p.date_end:
        return p
    return Period(p.start, p.end, p.date_start, last, "multi", cumulative=p.cumulative)


def _named_start(state: DocState, d: Draft, own: Period, carry: _Carry) -> date | None:
    key = start_key(state.text[own.start : own.end])
    if not key.endswith(" then"):
        return carry.frame.named.get(key)
    before = [
        p for p in carry.periods(state, d.sentence.index) if p.end <= own.start and p.date_start
    ]
    then = before[-1] if before else carry.last
    return then.date_start if then is not None else None


def _carries(last: Period, tally: bool, same_paragraph: bool) -> bool:
    """Whether the period stated last covers a figure that states none: a running tally
    takes only a running period ("so far in 2022"); a day ends with its paragraph."""
    if tally:
        return last.cumulative or (last.running and not short(last))
    return not brief(last) or same_paragraph


def _tally(state: DocState, d: Draft, carry: _Carry, end: Period | None) -> Period | None:
    """A running count with no period of its own: from the start the text has given it
    (a "since" stated before), else the start the document gives its crisis, to its "as
    of" date or the publication date."""
    frame = carry.frame
    last = carry.last
    origin = last if last is not None and last.cumulative and last.date_start else frame.origin
    if d.category not in TALLIED or (origin is not None and _filed_apart(state, carry, d, origin)):
        origin = None
    if (
        origin is not None
        and origin.start > d.m.start
        and _counts_own(state, carry, origin)
        and not dates_its_war(state, d.sentence.index, origin)
    ):
        origin = None  # a later figure's own "since" ("... 226 have been killed since 4 July")
    if origin is None and end is None and d.category in TALLIED:
        origin = war_start(state, d)  # "have died in the war" after "at war since 2015"
        if origin is not None and not _as_of_for(frame, origin.date_start):
            return origin
    if end is None:
        end = _as_of_for(frame, origin.date_start if origin is not None else None)
    stop: date | None = end.date_end if end is not None else frame.published
    if stop is None:
        return None
    if origin is not None and origin.date_start and origin.date_start <= stop:
        span = end or origin
        return Period(span.start, span.end, origin.date_start, stop, "multi", cumulative=True)
    if end is not None:
        return end
    return Period(d.m.start, d.m.start, None, stop, "multi")


def _counts_own(state: DocState, carry: _Carry, p: Period) -> bool:
    """Whether a period stands in a sentence with figures of its own (it starts their count,
    not the crisis that earlier figures run from)."""
    i = next((s.index for s in state.sents if s.start <= p.start < s.end), None)
    return i is not None and bool(carry.figures.get(i))


def _filed_apart(state: DocState, carry: _Carry, d: Draft, p: Period) -> bool:
    """Whether a paragraph filed under a country ("Kenya: Heavy rains since October ...")
    opens between the figure and the period: a bulletin's items are separate stories."""
    lo, hi = sorted((d.m.start, p.start))
    return any(lo < at <= hi for at in carry.labels(state))
