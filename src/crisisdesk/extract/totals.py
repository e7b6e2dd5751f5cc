"""is_total: cumulative or aggregate figures, as opposed to one incident's count.

A figure is a total when its own phrase says so ("a total of", "has risen to"),
when its clause is cumulative ("so far", "since"), when it covers more than one
day (a month, "within 48 hours"), when it is a present-perfect count ("have
been killed"), a current stock of displaced people, the toll of several attacks
or of a campaign, when it restates an earlier total, or when the document gives
its parts later ("20 were killed ... nine in one town, six in another"). A
figure of one incident ("one attack killed 27"), of one day or of one person is
not, unless its parts are given. Undated figures of a periodic report
(situation report, flash update) or of a document whose title states a period
("... in January 2020") aggregate over that period. Counts of people in need
and of population are never totals.

A part linked to a total ("of whom 12 children", "500 of the dead are
children", "this includes 640 children") shares its flag, except the parts of a
one-day toll that is a total only because its breakdown or a tally word is
given (its "including 8 children" is still one day's count).

The decision is ``total_reason`` on a ``Reading`` of the figure; the rule that
decided is kept in the draft's notes ("total: several days"). Phrases are in
``data/vocab/totals.yaml``, scanned once per document (over the sentences
with figures), the hits bucketed by sentence.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field, replace
from functools import cache

from crisisdesk.extract.asides import follows_superlative, follows_war_state
from crisisdesk.extract.breakdowns import broken_down
from crisisdesk.extract.compiled import compile_rx
from crisisdesk.extract.draft import PART_LINKS, TOLD_ON_ITS_DAY, DocState, Draft
from crisisdesk.extract.hedged_perfect import has_unhedged
from crisisdesk.extract.name_edges import in_name
from crisisdesk.extract.periods import Period
from crisisdesk.extract.text import PhraseScanner, Sentence, lower_same_length
from crisisdesk.extract.total_rules import Frame, Reading, decide_total, total_reason
from crisisdesk.vocab import month_numbers, phrase_pattern, vocab_list

# what the text says of a count's own event, which a restatement does not undo
_SAID_SINGLE = (
    "single: need or population",
    "single: since this morning",
    "single: one incident",
    "single: one day",
    "single: one person or thing",
    "single: sites",
)
_RESTATED_MIN = 10  # a smaller count said twice is as likely two different counts
_WITH_PARTS = compile_rx(r"[^,;]{0,30}?,\s*with\s+(?:[a-z]+\s+){0,2}?\d")  # "41, with 23 ..."
_LIST_JOIN = compile_rx(r"^\s*(?:,\s*)?(?:and\s+)?$")


# --- vocabulary -----------------------------------------------------------------
# The phrase lists are scanned all together, once per document, on its lower-cased text
# (only the runs of sentences that are read); each figure then looks at the hits of its
# sentence in its own stretch of text.

_SCANNED = (
    "figure_cues",
    "rise_cues",
    "figure_frames",
    "toll_frames",
    "clause_cues",
    "single_day",
    "population",
    "displacement",
    "casualties",
    "toll_parts",
    "incident_nouns",
    "plural_events",
    "series_openers",
)
_WORD = compile_rx(r"[\w’'-]+")
_PERFECT = compile_rx(
    r"\b(?:have|has)\s+(?:now\s+|already\s+|reportedly\s+|also\s+|so\s+far\s+)?"
    # "It has been reported that ... 14 died": the perfect of the report, not of the count
    r"(?!been\s+(?:reported|confirmed|announced|said|stated|learned|learnt|noted|alleged)\s+that\b)"
    r"(?:been|fled|lost|left|hit|struck|killed|risen|reached|displaced|saved|returned|seen|"
    # (irregular participles: "an offensive that has driven tens of thousands from home")
    r"died|documented|recorded|driven|taken|brought|sent|held|kept|[a-z]+ed)\b",
    re.I,
)


Hits = dict[str, list[tuple[int, int]]]  # vocabulary list -> spans of its phrases found


@cache
def _words(key: str) -> frozenset[str]:
    return frozenset(vocab_list("totals", key))


@cache
def _union() -> tuple[PhraseScanner, dict[str, frozenset[str]]]:
    """One scanner for every scanned list, and the lists each phrase belongs to."""
    owners: dict[str, set[str]] = {}
    for key in _SCANNED:
        for phrase in vocab_list("totals", key):
            owners.setdefault(" ".join(phrase.lower().split()), set()).add(key)
    return PhraseScanner(list(owners)), {p: frozenset(k) for p, k in owners.items()}


def _scan(low: str, start: int, end: int) -> list[tuple[str, int, int]]:
    """(list, start, end) of every vocabulary phrase in ``low[start:end]``, in order."""
    scanner, owners = _union()
    out: list[tuple[str, int, int]] = []
    for m in scanner.finditer(low, start, end):
        found = m.group()
        keys = owners.get(found) or owners[" ".join(found.split())]
        out.extend((key, m.start(), m.end()) for key in keys)
    return out


def hits_by_sentence(
    low: str, sents: list[Sentence], wanted: set[int], text: str = ""
) -> dict[int, Hits]:
    """The vocabulary of the ``wanted`` sentences, one scan per run of consecutive ones
    (a document's figures cluster; the text between them is never scanned): each hit
    goes to the sentence it lies in (a hit across a sentence break belongs to none).
    An event word inside a capitalised name is no event ("the Ambulance Operations
    Coordinator", "The Syria Campaign")."""
    out: dict[int, Hits] = {i: {} for i in wanted}
    for first, last in _runs(sorted(wanted)):
        run = sents[first : last + 1]
        starts = [x.start for x in run]
        for key, a, b in _scan(low, run[0].start, run[-1].end):
            x = run[bisect.bisect_right(starts, a) - 1]
            if b > x.end or (key == "plural_events" and text and in_name(text, a, b, x.start)):
                continue
            out[x.index].setdefault(key, []).append((a, b))
    return out


def _runs(indices: list[int]) -> list[tuple[int, int]]:
    """Runs of consecutive numbers: [1, 2, 3, 7, 8] -> [(1, 3), (7, 8)]."""
    out: list[tuple[int, int]] = []
    for i in indices:
        if out and out[-1][1] == i - 1:
            out[-1] = (out[-1][0], i)
        else:
            out.append((i, i))
    return out


def _within(hits: Hits, key: str, lo: int, hi: int) -> list[tuple[int, int]]:
    return [(a, b) for a, b in hits.get(key, ()) if lo <= a and b <= hi]


def _any(hits: Hits, key: str, lo: int, hi: int) -> bool:
    # asked about seven times per figure, most often of a list the sentence does not hold
    found = hits.get(key)
    return found is not None and any(lo <= a and b <= hi for a, b in found)


def _words_before(low: str, pos: int, floor: int, n: int) -> list[str]:
    """The last ``n`` words before ``pos`` (not before ``floor``)."""
    return low[max(floor, pos - 16 * n) : pos].split()[-n:]


def _figure_cue(low: str, hits: Hits, start: int, pos: int) -> bool:
    """A tally word just before the figure ("has risen to 1,537", "a total of 26"), or a
    tally construction anywhere in its own phrase ("bringing the number ... to 109,408")."""
    if _any(hits, "figure_frames", start, pos):
        return True
    return any(len(low[b:pos].split()) <= 3 for _, b in _within(hits, "figure_cues", start, pos))


_RISE_GAP = 8  # words: "rose from 120 on Monday to 164": the start, its day, "to"


def _risen(low: str, hits: Hits, start: int, pos: int) -> bool:
    """ "rose from 120 on Monday to 164": both are the tally, at two times (the first within
    three words of "rose from", the second right after the "to" that follows it). Read from
    the clause's start: the second figure's own phrase begins after the first."""
    for _, b in _within(hits, "rise_cues", start, pos):
        words = low[b:pos].split()
        if len(words) <= 3 or (len(words) <= _RISE_GAP and words[-1] == "to"):
            return True
    return False


_SINCE_WHEN = compile_rx(r"since\s+(?:the\s|\d|early|late|mid|[a-z]+\s+\d)")


def _compares(low: str, pos: int) -> bool:
    """ "the deadliest incident since the intervention in 2001": a superlative shortly
    before "since" and a time after it compare; the clause counts nothing up."""
    return _SINCE_WHEN.match(low, pos) is not None and follows_superlative(low, pos)


def _clause_cue(low: str, hits: Hits, start: int, end: int) -> bool:
    """A cumulative word in the clause, unless it only compares ("the worst since 2019",
    "for the sixth time since 21 October") or starts the same day ("since dawn")."""
    blockers = _words("cue_blockers")
    same_day = _within(hits, "single_day", start, end)
    for a, _ in _within(hits, "clause_cues", start, end):
        if any(x <= a < y for x, y in same_day):
            continue  # "since dawn": a count of the same day
        last = _words_before(low, a, start, 1)
        if (not last or last[0] not in blockers) and not _compares(low, a):
            if low.startswith("since", a) and follows_war_state(low, a):
                continue  # "as fighting ravages the country since 2021": the war's background
            return True
    return False


_OPENING_CUE = compile_rx(r"\W*(?:to date|so far|thus far|overall|in total|altogether|until now),")


def _opening_cue(low: str, start: int, clause_start: int) -> bool:
    """A sentence opening "To date, ..." or "So far, ..." makes every figure of it
    cumulative, though the comma ends that clause ("To date, WHO had reported 2,159
    attacks")."""
    return clause_start > start and _OPENING_CUE.match(low, start, clause_start + 1) is not None


def _names_incident(low: str, hits: Hits, start: int, end: int) -> bool:
    """One incident named before the figure: a determiner, up to two words and a singular
    incident noun ("One attack killed 27", "a rocket attack on the market"), unless it
    anchors a period ("within 48 hours after the attack")."""
    dets, anchors = _words("incident_determiners"), _words("incident_anchors")
    for a, _ in _within(hits, "incident_nouns", start, end):
        if _added().search(low, max(start, a - 40), a):
            continue  # "125 killed in May, in addition to one massacre": another count
        # a quotation may open on the determiner ('"This strike on the bakery has killed ...," the
        # director said')
        words = [w.lstrip('"“‘«') for w in _words_before(low, a, start, 4)]
        for k in range(len(words) - 1, max(len(words) - 4, -1), -1):
            if words[k] in dets or words[k].endswith(("'s", "’s")):  # "Tuesday's air strike"
                if k == 0 or words[k - 1] not in anchors or _caused_by(words, k):
                    return True
                break
            if not words[k].replace("-", "").isalnum():
                break  # a modifier is a plain word ("cluster", "rocket")
    return False


@cache
def _added() -> re.Pattern[str]:
    """An incident listed as a count of its own after the figure ("in addition to one massacre")."""
    added = phrase_pattern(vocab_list("totals", "incident_additions"))
    return compile_rx(rf"\b(?:{added})\s+(?:[\w-]+\s+){{0,2}}$")


def _after_closed_parts(
    low: str, hits: Hits, next_at: int | None, parts_at: int | None, c1: int
) -> bool:
    """ "30 civilians, including 16 of one family, were killed in the attack": after the
    comma that closes its parts, the whole's verb names one incident (not "..., including
    27 soldiers during an attack": that one is the part's)."""
    if next_at is None or next_at != parts_at:
        return False
    close = low.find(",", next_at, c1)
    return close >= 0 and _names_incident(low, hits, close, c1)


def _series_start(hits: Hits, start: int, end: int) -> int:
    """Where the figure's own words start for naming an incident: at "the latest" before it
    ("hurt in an attack, the latest casualties of a wave that has killed 13": the attack is
    the latest one, not the 13's), else at the clause start."""
    found = _within(hits, "series_openers", start, end)
    return found[-1][0] if found else start


def _caused_by(words: list[str], k: int) -> bool:
    """ "killed after a drone strike hit": "after" or "following" and an indefinite article
    name the incident that caused the count, unless a span of time is measured from it
    ("two days after an attack")."""
    if words[k] not in _words("indefinite_incident_determiners"):
        return False
    if words[k - 1] not in _words("cause_anchors"):
        return False
    return k < 2 or words[k - 2] not in _words("time_spans")


def _plural_agent(low: str, hits: Hits, start: int, pos: int, said_before: bool) -> bool:
    """Several events or a campaign as the agent of a harm verb among the last words
    before the figure ("the strikes also hit at least five markets", "45 attacks, which
    killed 426"), or a plural pronoun standing for the events of the sentence before
    (``said_before``: "... documented four attacks. They killed at least seven")."""
    if not said_before and not _any(hits, "plural_events", start, pos):
        return False
    harm = _words("harm_verbs")
    last = list(_WORD.finditer(low, max(start, pos - 48), pos))[-4:]
    verb = next((w for w in last if w.group() in harm), None)
    if verb is None:
        return False
    if _any(hits, "plural_events", start, verb.start()):
        return True
    opening = low[start : min(verb.start(), start + 24)].split()[:2]  # the sentence's subject
    return said_before and any(w in _words("plural_pronouns") for w in opening)


def is_present_perfect(text: str) -> bool:
    return has_unhedged(_PERFECT, text)


# --- reading a figure -------------------------------------------------------------


def read_figure(
    text: str,
    low: str,
    hits: Hits,
    d: Draft,
    before_start: int,
    parts: bool,
    events_before: bool = False,
    perfect: bool | None = None,
    parts_at: int | None = None,
    next_at: int | None = None,
) -> Reading:
    """The cues of one figure: its own phrase runs from ``before_start`` (the end of the
    figure before it in the clause, or the clause start) to the number; ``low`` is the
    text lower-cased (same offsets), ``hits`` the vocabulary found in its sentence and
    ``events_before`` whether the sentence before (same paragraph) names several events;
    ``perfect`` whether its clause is present perfect, when already known; ``parts_at``
    where its parts start in the clause ("..., including 51 killed in the last 24 hours":
    the day is the parts', not the figure's); ``next_at`` where the next figure of the
    clause starts (the words up to it are the figure's own: "... killed in an attack")."""
    c0, c1 = d.clause
    at = d.m.start
    near_end = min(d.np_end + 12, d.sentence.end)  # the figure's noun and a few words
    if perfect is None:
        perfect = has_unhedged(_PERFECT, text, c0, c1)
    displacement = _any(hits, "displacement", at, near_end)
    return Reading(
        category=d.category or "other",
        figure_cue=_figure_cue(low, hits, before_start, at) or _risen(low, hits, c0, at),
        toll=_any(hits, "toll_frames", before_start, at),
        parts_with=_WITH_PARTS.match(low, d.m.end, d.sentence.end) is not None,
        clause_cue=_clause_cue(low, hits, c0, c1) or _opening_cue(low, d.sentence.start, c0),
        incident=_names_incident(low, hits, _series_start(hits, c0, at), at)
        or _names_incident(low, hits, d.np_end, c1 if next_at is None else next_at)
        or _after_closed_parts(low, hits, next_at, parts_at, c1),
        single_day=_any(hits, "single_day", c0, c1 if parts_at is None else parts_at)
        or _carried_single_day(low, d)
        # a toll told in the simple past on the day it was reported counts that day's events
        or TOLD_ON_ITS_DAY in d.notes,
        perfect=perfect,
        population=_population(hits, d, before_start, near_end)
        and not displacement
        and d.category != "displaced"  # "one million residents already displaced"
        and d.category not in _HARMED  # "226 residents of X have been killed": a toll
        or (d.category, d.subject) == ("other", "population"),  # "half the population of 3m fled"
        displacement=displacement,
        held=d.category == "detained" and "state" in d.notes,
        sheltered=d.category == "displaced" and "state" in d.notes,
        casualties=_any(hits, "casualties", c0, c1),
        plural_agent=_plural_agent(low, hits, d.sentence.start, at, events_before),
        countable=d.unit != "items" and d.m.value != 1,
        sites=d.unit == "facilities",
        single=d.m.value == 1,
        period=_own_period(d, perfect),
        parts=parts,
    )


_HARMED = frozenset({"killed", "injured", "fighters_killed", "detained", "missing"})


def _population(hits: Hits, d: Draft, start: int, near_end: int) -> bool:
    """A population or a need in the figure's own phrase; for a count of people of no
    harm category, anywhere in its clause ("2.8 million ... were estimated to be in need")."""
    if _any(hits, "population", start, near_end):
        return True
    return d.category in (None, "other") and _any(hits, "population", *d.clause)


def _carried_single_day(low: str, d: Draft) -> bool:
    """A period carried from another sentence that was stated as one day ("92 deaths in the
    past 24 hours. Its spokesperson added that 140 were injured"): the figure counts one
    day too, though the period's dates span two."""
    p = d.period
    if p is None or p.end <= p.start or d.sentence.start <= p.start < d.sentence.end:
        return False
    return _single_day_words().search(low, p.start, p.end) is not None


@cache
def _single_day_words() -> PhraseScanner:
    return PhraseScanner(vocab_list("totals", "single_day"))


def _own_period(d: Draft, perfect: bool) -> Period | None:
    """The figure's period, less a single day carried from another sentence onto a
    present-perfect tally ("On Thursday ... 20 civilians have been killed in raids")."""
    p = d.period
    if p is None or not perfect or p.length != "day" or p.cumulative:
        return p
    inside = d.sentence.start <= p.start < d.sentence.end
    return p if inside or p.end <= p.start else None


@cache
def _periodic_titles() -> PhraseScanner:
    return PhraseScanner(vocab_list("totals", "periodic_titles"))


def _names_a_date(phrase: str) -> bool:
    """A date expression with a day, month or year in it ("February 2017", "20-30 October"),
    not a relative one ("last year")."""
    months = month_numbers()
    words = phrase.lower().replace("’s", " ").replace("'s", " ").replace(".", " ").split()
    return any(c.isdigit() for c in phrase) or any(w in months for w in words)


def _may_name_a_date(title: str) -> bool:
    """A cheap test before the title's periods are read: a digit or a month name in it."""
    low = title.lower()
    return any(c.isdigit() for c in title) or any(m in low for m in month_numbers())


def document_frame(state: DocState) -> Frame:
    """A periodic report (by its title), or a title that states a period of several days."""
    title = state.doc.title or ""
    if not title:
        return Frame()
    periodic = _periodic_titles().search(lower_same_length(title)) is not None
    stated = _may_name_a_date(title) and any(
        p.length == "multi"
        and not p.report
        and p.date_start is not None
        and _names_a_date(title[p.start : p.end])
        for p in state.title_periods()
    )
    return Frame(periodic=periodic, stated_period=stated)


# --- the document pass -----------------------------------------------------------


def _list_partner(prev: Draft | None, d: Draft, text: str, parent: Draft | None) -> Draft | None:
    """The total a listed partner belongs to: "including 28 children and 10 women" makes 10
    a part of the same total as 28 (``parent``, the total ``prev`` belongs to), when
    reading linked only the first; so does "500 of the dead are children, and 276 are
    women" (276 left without a noun after 500)."""
    if prev is None or parent is None or prev.sentence.index != d.sentence.index:
        return None
    if d.link == "elliptical" and d.ante is prev:
        return parent
    joined = _LIST_JOIN.match(text[prev.np_end : d.qual_start])
    return parent if d.link is None and prev.clause == d.clause and joined else None


def _toll_of(d: Draft, hits: Hits, tolls: dict[str, Draft]) -> Draft | None:
    """The earlier toll a figure is a part of when its clause says so ("500 of the dead
    are children", "among the victims were 20 civilians") and reading linked none."""
    earlier = tolls.get(d.category or "")
    if earlier is None and d.category == "other":
        earlier = tolls.get("")  # "among the victims were 20 civilians": the latest figure
    if earlier is None or d.link is not None:
        return None
    if d.m.value is not None and earlier.m.value is not None and d.m.value > earlier.m.value:
        return None  # "One civilian died ... Of the victims, 40 ...": no part of that one
    return earlier if _any(hits, "toll_parts", d.clause[0], d.clause[1]) else None


def _restated(d: Draft, seen: dict[tuple[str | None, int], bool]) -> bool | None:
    """The same count of the same thing as an earlier total: the toll said again (a
    report's key figures repeated in its summary, "1,537 killed" after "has risen to
    1,537"). None if not; else whether that earlier total was one by its parts only."""
    v = d.m.value
    if v is None or v < _RESTATED_MIN:
        return None
    return seen.get((d.category, v))


def _by_parts_only(r: Reading, frame: Frame, restated: bool | None = None) -> bool:
    """Whether a total is one only because its parts or a tally word are given (a day's
    toll of 26 with six in one town; its "including 8 children" is one day's count); a
    restated toll is whatever the earlier one was, unless it says more itself."""
    if not (r.parts or r.figure_cue or r.toll) and restated is None:
        return False
    own = decide_total(replace(r, parts=False, figure_cue=False, toll=False), frame)
    return not own and restated is not False


@dataclass(slots=True)
class _Pass:
    """What the document pass keeps while it walks the figures in order."""

    text: str
    low: str
    sents: list[Sentence]
    frame: Frame
    broken: set[int]  # ids of figures whose parts are given later
    hits: dict[int, Hits]  # per sentence with a figure, and the one before each
    tolls: dict[str, Draft] = field(default_factory=dict)  # latest figure per category
    by_parts: set[int] = field(default_factory=set)  # totals only by parts or a tally word
    # (category, value) of the totals so far, and whether each was one by its parts only
    seen: dict[tuple[str | None, int], bool] = field(default_factory=dict)
    perfect: dict[tuple[int, int], bool] = field(default_factory=dict)  # per clause
    parts_at: dict[int, int] = field(default_factory=dict)  # a whole's id: where its parts start
    next_at: dict[int, int] = field(default_factory=dict)  # where the next figure of its clause is
    partnered: set[int] = field(default_factory=set)  # "12 killed and 20 wounded": its partner next

    def perfect_clause(self, clause: tuple[int, int]) -> bool:
        """Whether a clause is present perfect (read once per clause: figures share them)."""
        if clause not in self.perfect:
            self.perfect[clause] = has_unhedged(_PERFECT, self.text, *clause)
        return self.perfect[clause]

    def sentence_hits(self, s: Sentence) -> Hits:
        return self.hits[s.index]

    def events_before(self, s: Sentence) -> bool:
        """Whether the sentence before, in the same paragraph, names several events."""
        if s.index == 0 or self.sents[s.index - 1].paragraph != s.paragraph:
            return False
        before = self.sents[s.index - 1]
        return _any(self.sentence_hits(before), "plural_events", before.start, before.end)

    def decide(self, d: Draft, prev: Draft | None, found: Hits) -> None:
        """is_total of a figure that belongs to no other, with the rule that decided."""
        start = d.clause[0]
        if prev is not None and prev.clause == d.clause:
            start = max(start, prev.m.end)
        if prev is not None and _tally_shared(prev, d, self.text):
            d.is_total = True  # "the toll has risen to 23 killed and 56 wounded"
            d.notes.append("total: tally words, shared")
            if d.category:
                self.tolls[d.category] = d
            self.tolls[""] = d
            return
        has_parts = id(d) in self.broken or d.has_parts
        events = self.events_before(d.sentence)
        perfect = self.perfect_clause(d.clause)
        parts_at, next_at = self.parts_at.get(id(d)), self.next_at.get(id(d))
        reading = read_figure(
            self.text, self.low, found, d, start, has_parts, events, perfect, parts_at, next_at
        )
        reason = total_reason(reading, self.frame)
        if (
            reason in _PARTNER_TOTALS
            and id(d) in self.partnered
            and not reading.parts
            and _names_incident(self.low, found, d.np_end, d.clause[1])
        ):
            # "12 have been killed and 20 wounded in a missile attack": the event is both's,
            # also in a week's report ("During the week ... Six were killed and 13 injured
            # during an attack on the camp")
            reason = "single: one incident, with its partner"
        if reason == "single: one incident" and id(d) in self.broken:
            # "21 were killed in an airstrike ... 19 in Ariha, one in Has": a toll broken
            # down by place is a total ("including 17 children" is still the one attack's)
            reason = "total: one incident, broken down by place"
        earlier = _restated(d, self.seen) if reason not in _SAID_SINGLE else None
        if earlier is not None:
            reason = "total: restates an earlier total"
        if reason.startswith("total") and _by_parts_only(reading, self.frame, earlier):
            self.by_parts.add(id(d))  # one day's toll: its subsets are one day's counts
        d.is_total = reason.startswith("total")
        d.notes.append(reason)
        if d.category:
            self.tolls[d.category] = d
        self.tolls[""] = d


def _tally_shared(prev: Draft, d: Draft, text: str) -> bool:
    """A tally word before a list of figures governs them all: in "the toll has risen to
    23 killed and 56 wounded" the 56 is as much the toll as the 23, though the words
    before it read as one incident's."""
    return (
        d.link is None
        and prev.clause == d.clause
        and bool(prev.notes)
        and prev.notes[-1].startswith("total: tally words")
        and _LIST_JOIN.match(text[prev.np_end : d.qual_start]) is not None
    )


def _day_of_its_own(d: Draft, found: Hits) -> bool:
    """A part with its own day after it ("94 killed over three days, including 51 killed in
    the last 24 hours", "bringing the toll to 59, including one on Tuesday"): a day's count,
    not a share of its whole's tally."""
    ante = d.ante
    return (
        ante is not None
        and ante.clause == d.clause
        and ante.is_total
        and (_any(found, "single_day", d.qual_start, d.clause[1]) or _dated_day(d))
    )


def _dated_day(d: Draft) -> bool:
    """The figure's period is one day stated right after it in its clause ("one on Tuesday")."""
    p = d.period
    return p is not None and p.length == "day" and d.m.end <= p.start < d.clause[1]


def _one_event(d: Draft) -> bool:
    """One attack or one facility hit, even as a part of a total ("four attacks: three in
    A and one in B"): one incident is never a tally."""
    return d.m.value == 1 and d.unit in ("events", "facilities")


def _read_sentences(sents: list[Sentence], drafts: list[Draft]) -> set[int]:
    """The sentences whose words are read: those with a figure, and the sentence before
    each in the same paragraph (whether it names several events)."""
    out = {d.sentence.index for d in drafts}
    for i in list(out):
        if i > 0 and sents[i - 1].paragraph == sents[i].paragraph:
            out.add(i - 1)
    return out


_PARTNER_GAP = compile_rx(
    r"\s+(?:(?:have|has|had|were|was|are|is)\s+)?(?:been\s+)?[a-z]+,?\s+(?:and|while)\s+"
)
# totals that one incident named after a figure's partner makes single for both
_PARTNER_TOTALS = frozenset({"total: perfect, several attacks or displaced", "total: several days"})


def mark_totals(state: DocState, drafts: list[Draft]) -> None:
    """is_total of each figure; a part inside a total shares its total's flag."""
    hits = hits_by_sentence(
        state.low, state.sents, _read_sentences(state.sents, drafts), state.text
    )
    run = _Pass(
        state.text, state.low, state.sents, document_frame(state), broken_down(drafts), hits
    )
    for a, d in zip(drafts, drafts[1:], strict=False):
        if a.clause == d.clause:
            run.next_at[id(a)] = d.qual_start
            if _PARTNER_GAP.fullmatch(state.low, a.np_end, d.qual_start):
                run.partnered.add(id(a))
    for d in drafts:
        if d.link in PART_LINKS and d.ante is not None and d.ante.clause == d.clause:
            run.parts_at.setdefault(id(d.ante), d.qual_start)
    prev: Draft | None = None
    parent: dict[int, Draft] = {}  # the total each part belongs to
    for d in drafts:
        found = run.sentence_hits(d.sentence)
        ante = d.ante if d.link in PART_LINKS and not _day_of_its_own(d, found) else None
        if ante is None and prev is not None:
            ante = _list_partner(prev, d, run.text, parent.get(id(prev)))
        ante = ante or _toll_of(d, found, run.tolls)
        if ante is not None and ante.category in ("other", "in_need") and d.category == "displaced":
            ante = None  # "4 million civilians, including 1.5 million displaced": a stock
        if ante is not None:
            parent[id(d)] = ante
            d.is_total = ante.is_total and id(ante) not in run.by_parts and not _one_event(d)
        else:
            run.decide(d, prev, found)
            if d.link in PART_LINKS and _dated_day(d) and _day_of_its_own(d, found):
                d.is_total = False  # its whole's words of a tally are not its own
        if d.is_total and d.m.value is not None:
            run.seen.setdefault((d.category, d.m.value), id(d) in run.by_parts)
        prev = d
