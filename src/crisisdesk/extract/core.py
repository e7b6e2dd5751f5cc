"""Turning one document into facts: the steps of ``extract_document`` and their order.

1. find numbers (numbers.py) and drop the ones that are not figures (filters.py);
2. per sentence, read each number's counted noun, qualifier and cue words, and
   link it to the figure it depends on (a pair in brackets, "including", "of
   them", "another", an elliptical "and nine were wounded");
3. give each figure its category and unit, then its period, places, source and
   is_total, inheriting from the linked figure where the text leaves them out.

Everything is computed from the document alone, so the function is pure and can
be mapped over partitions.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from datetime import date

from crisisdesk.extract import categories as cat
from crisisdesk.extract.attribution import choose_source
from crisisdesk.extract.filters import non_figure
from crisisdesk.extract.numbers import NumberMention, find_numbers
from crisisdesk.extract.periods import DateContext, Period, context_for, find_periods
from crisisdesk.extract.places import PlaceMention, anaphora_in, find_places
from crisisdesk.extract.qualifiers import approx_after, qualifier_before
from crisisdesk.extract.sources import (
    SourceContext,
    attributions,
    document_context,
)
from crisisdesk.extract.text import Sentence, clauses, lower_same_length, sentences
from crisisdesk.extract.totals import decide_total, is_present_perfect
from crisisdesk.model import Category, Document, Fact, Qualifier, Unit

_INCLUDING = re.compile(
    r"(?:including|among\s+them|among\s+whom|among\s+(?:the|those)\s+\w+|mostly|of\s+whom|of\s+them)"
    r"\s*(?:at\s+least\s+|some\s+|about\s+|nearly\s+|more\s+than\s+|over\s+)?$",
    re.I,
)
_ADDITIVE_BEFORE = re.compile(
    r"\b(?:another|a\s+further|an\s+additional|an\s+extra|in\s+addition\s+to)\s+"
    r"(?:[a-z]+\s+){0,2}$",
    re.I,
)
_INCLUDING_HINT = re.compile(r"(?i:includ|among|mostly|of\s+wh|of\s+them)")
_ADDITIVE_HINT = re.compile(r"(?i:another|further|additional|extra|addition)")
_ADDITIVE_AFTER = re.compile(r"\s+(?:more|other|others|additional|further)\b", re.I)
_ELLIPSIS_GAP = re.compile(
    r"^\s+(?:(?:were|was|have\s+been|had\s+been|are)\s+)?[a-z]+(?:\s+[a-z]+)?\s*,?\s*(?:and|while)\s+$"
)
_PAIR_GAP = re.compile(r"\s*[(\[]\s*(?:[a-z]+\s+){0,3}$", re.I)
_COORD_GAP = re.compile(r"\s*(?:,\s*)?(?:and|or|as\s+well\s+as)?\s*$", re.I)
_ESTIMATED = re.compile(r"\bestimat(?:ed|es|e)\s+(?:that\s+)?(?:[^.;,]{0,40}?\s)?", re.I)
_STATE = re.compile(
    r"\b(?:currently|at\s+present|presently|are\s+still|remain|(?:are|is)\s+now)\b", re.I
)
_FILLER = re.compile(
    r"(?:\b(?:another|a\s+further|an\s+additional|an\s+extra|a\s+total\s+of)\s+)$", re.I
)
_ONE_AFTER = re.compile(r"\b(?:at|the|in|on|for|with|of)\s+$", re.I)
_AND_OR = re.compile(r"\s*(?:and|or)\s*")
_NO_HEAD = cat.Head(None, "", 0)
_SINCE_ORDINAL = re.compile(r"\btimes?\s+$", re.I)
_ANAPHORIC_START = re.compile(
    r"^(?:\W*)(?:These|This|Those|The\s+same|Such)\b|\bas\s+a\s+result\b|\bin\s+the\s+same\s+period\b",
    re.I,
)


@dataclass(slots=True)
class Draft:
    """A figure being built; fields are filled step by step."""

    m: NumberMention
    sentence: Sentence
    clause: tuple[int, int]
    qual_start: int  # where the qualifier (or the number) starts
    head: cat.Head
    np_end: int
    qualifier: Qualifier | None = None
    fwd: str | None = None
    unit: str | None = None
    category: str | None = None
    subject: str = ""
    link: str | None = None  # pair, including, partitive, additive, elliptical
    ante: Draft | None = None
    places: tuple[str, ...] = ()
    period: Period | None = None
    source: str | None = None
    is_total: bool = False
    has_parts: bool = False
    confidence: float = 1.0
    dropped: str | None = None
    notes: list[str] = field(default_factory=list)
    cues: list[tuple[int, int, str]] = field(default_factory=list)


@dataclass(slots=True)
class _Doc:
    """Per-document working state, built once per call (never shared)."""

    doc: Document
    sents: list[Sentence]
    dates: DateContext
    sources: SourceContext
    period_cache: dict[int, list[Period]] = field(default_factory=dict)
    cue_cache: dict[int, list[tuple[int, int, str]]] = field(default_factory=dict)
    place_cache: dict[int, list[PlaceMention]] = field(default_factory=dict)
    attr_cache: dict[int, list] = field(default_factory=dict)
    source_cache: dict[int, str | None] = field(default_factory=dict)
    named_sources: set[str] = field(default_factory=set)
    lowered: str | None = None

    @property
    def text(self) -> str:
        return self.doc.text

    @property
    def low(self) -> str:
        """The text lower-cased with the same offsets (for the fast case-blind scans)."""
        if self.lowered is None:
            self.lowered = lower_same_length(self.doc.text)
        return self.lowered

    def periods(self, i: int) -> list[Period]:
        if i not in self.period_cache:
            s = self.sents[i]
            self.period_cache[i] = find_periods(self.text, s.start, s.end, self.dates, self.low)
        return self.period_cache[i]

    def attrs(self, i: int) -> list:
        if i not in self.attr_cache:
            s = self.sents[i]
            self.attr_cache[i] = attributions(self.text, s.start, s.end, self.sources)
        return self.attr_cache[i]

    def cues(self, i: int) -> list[tuple[int, int, str]]:
        if i not in self.cue_cache:
            s = self.sents[i]
            self.cue_cache[i] = cat.cues_in(self.text, s.start, s.end)
        return self.cue_cache[i]

    def sentence_places(self, i: int) -> list[PlaceMention]:
        """Places of one sentence, found on first use (most sentences never need them)."""
        if i not in self.place_cache:
            s = self.sents[i]
            self.place_cache[i] = find_places(self.text, s.start, s.end)
        return self.place_cache[i]

    def places_in(self, i: int, start: int, end: int) -> list[PlaceMention]:
        return [p for p in self.sentence_places(i) if start <= p.start and p.end <= end]


def extract_document(doc: Document) -> list[Fact]:
    """Every figure stated in ``doc``, as facts (pure: depends on the document only)."""
    return [d for d in _facts(draft_document(doc), doc)]


def draft_document(doc: Document) -> list[Draft]:
    """All drafts of a document, the dropped ones included (for diagnosis)."""
    text = doc.text
    mentions = find_numbers(text)
    if not mentions:
        return []
    sents = sentences(text)
    state = _Doc(
        doc=doc,
        sents=sents,
        dates=context_for(text, doc.published),
        sources=document_context(text, doc.publisher),
    )
    starts = [s.start for s in sents]
    by_sentence: dict[int, list[NumberMention]] = {}
    out: list[Draft] = []
    for m in mentions:
        i = bisect.bisect_right(starts, m.start) - 1
        if i < 0 or m.start >= sents[i].end:
            continue
        by_sentence.setdefault(i, []).append(m)
    kept: list[Draft] = []
    for i in sorted(by_sentence):
        drafts = _read_sentence(state, sents[i], by_sentence[i], kept)
        for d in drafts:
            d.cues = state.cues(i) if not d.dropped else []
        out.extend(drafts)
        kept.extend(d for d in drafts if not d.dropped)
    _finish(state, kept)
    return out


# --- step 2: reading a sentence -------------------------------------------


def _read_sentence(
    state: _Doc, sent: Sentence, mentions: list[NumberMention], earlier: list[Draft]
) -> list[Draft]:
    text = state.text
    spans = clauses(text, sent.start, sent.end)
    drafts: list[Draft] = []
    prev_end = sent.start
    estimated = (
        _ESTIMATED.search(text, sent.start, sent.end)
        if state.low.find("estimat", sent.start, sent.end) >= 0
        else None
    )
    for m in mentions:
        clause = next(((a, b) for a, b in spans if a <= m.start < b), (sent.start, sent.end))
        reason = non_figure(text, m)
        if reason:  # a year, a date, a measure...: no need to read its noun or qualifier
            drafts.append(Draft(m, sent, clause, m.start, _NO_HEAD, m.end, dropped=reason))
            prev_end = m.end
            continue
        head = cat.read_head(text, m.end, sent.end)
        np_end = head.end if head.entry or head.partitive else m.end
        got = qualifier_before(text, m.start, prev_end)
        qualifier, qual_start = got if got else (None, m.start)
        filler = _FILLER.search(text[max(prev_end, qual_start - 20) : qual_start])
        if filler:
            qual_start = max(prev_end, qual_start - 20) + filler.start()
        if qualifier is None and estimated and estimated.end() <= qual_start:
            qualifier = Qualifier.APPROX
        d = Draft(m, sent, clause, qual_start, head, np_end, qualifier=qualifier)
        if (
            m.kind == "words"
            and text[m.start : m.end].lower() == "one"
            and (
                not head.entry
                or head.entry.kind not in ("civilian", "fighter")
                or _ONE_AFTER.search(text[max(0, m.start - 6) : m.start])
            )
        ):
            d.dropped = "pronoun or article"
        if m.is_vague or approx_after(text, np_end, sent.end):
            d.qualifier = Qualifier.APPROX
        drafts.append(d)
        prev_end = m.end
    live = [d for d in drafts if not d.dropped]
    for d in live:
        got = cat.cue_after(text, d.np_end, d.sentence.end)
        d.fwd = got[0] if got else None
        people = d.head.entry is not None and d.head.entry.unit in ("people", "families")
        if d.fwd == "facilities_damaged" and people:
            d.fwd = None  # "killed 1,600 civilians, destroyed homes": the verb is about homes
    _share_coordinated(text, live)
    previous_live = [e for e in earlier if e.sentence.paragraph == sent.paragraph] or earlier[-1:]
    for k, d in enumerate(live):
        before_in_sentence = [e for e in live[:k] if not e.dropped]
        _link(text, d, before_in_sentence, previous_live)
        d.cues = state.cues(sent.index)
        _categorise(text, d)
        if (
            not d.dropped
            and d.m.kind == "words"
            and text[d.m.start : d.m.end].lower() == "one"
            and d.category not in ("killed", "injured", "fighters_killed", "detained", "missing")
        ):
            d.dropped = "pronoun or article"
    return drafts


def _share_coordinated(text: str, live: list[Draft]) -> None:
    """ "two boys and seven other people were hurt": the verb and qualifier are shared."""
    for k in range(len(live) - 2, -1, -1):
        a, b = live[k], live[k + 1]
        gap = text[a.np_end : b.qual_start]
        coordinated = _COORD_GAP.fullmatch(gap) and ("and" in gap or "or" in gap)
        if a.head.entry and coordinated and a.fwd is None and b.fwd is not None:
            a.fwd = b.fwd
    for k in range(1, len(live)):
        a, b = live[k - 1], live[k]
        gap = text[a.np_end : b.m.start]
        if b.qualifier is None and _AND_OR.fullmatch(gap):
            b.qualifier = a.qualifier


def _link(text: str, d: Draft, same: list[Draft], previous: list[Draft]) -> None:
    """Find the figure this one depends on, if any."""
    prior = same[-1] if same else None
    if prior is not None:
        gap = text[prior.np_end : d.qual_start]
        if _PAIR_GAP.fullmatch(gap):
            d.link, d.ante = "pair", prior
            return
        between = text[prior.m.end : d.qual_start]
        if len(gap) < 60 and _INCLUDING_HINT.search(between) and _INCLUDING.search(between):
            d.link, d.ante = "including", prior
            return
    candidates = same or previous
    if d.head.partitive:
        d.link, d.ante = "partitive", (candidates[-1] if candidates else None)
        return
    window = text[max(0, d.m.start - 24) : d.m.start]
    if (_ADDITIVE_HINT.search(window) and _ADDITIVE_BEFORE.search(window)) or (
        _ADDITIVE_AFTER.match(text, d.m.end) and not d.head.entry
    ):
        d.link, d.ante = "additive", (_whole(candidates[-1]) if candidates else None)
        return
    if d.head.entry is None:
        if (
            prior is not None
            and prior.unit
            and _ELLIPSIS_GAP.search(text[prior.np_end : d.qual_start])
        ):
            d.link, d.ante = "elliptical", prior  # "1,200 homes were destroyed and 4,500 damaged"
            return
        people = [c for c in candidates if c.unit in ("people", "families")]
        d.link, d.ante = "elliptical", (_whole(people[-1]) if people else None)


def _whole(d: Draft) -> Draft:
    """ "killed 11 people, including two children, and injured 54 others": the others are
    people like the 11, not children; a part's figure refers back to its whole."""
    while d.link in ("including", "partitive") and d.ante is not None and d.ante is not d:
        d = d.ante
    return d


def _categorise(text: str, d: Draft) -> None:
    """Unit, category and subject of one draft."""
    entry = d.head.entry
    sent = d.sentence
    clause_start = d.clause[0]
    ante = d.ante
    bwd = cat.cue_before(text, sent.start, d.qual_start, d.cues)
    nof = None if entry else cat.number_of_before(text, clause_start, d.qual_start)
    category: str | None
    unit: str | None = entry.unit if entry else None
    subject = d.head.subject
    if entry and entry.kind == "generic":
        category = entry.category
        if unit == "facilities":
            category = (
                cat.override_for("facilities", unit, text[clause_start : d.m.start]) or category
            )
    elif entry and entry.kind == "place":
        scope = text[clause_start : d.np_end]
        category = cat.override_for("place", unit or "other", scope) or "other"
    elif d.link in ("pair", "including") and ante is not None:
        category = ante.category
        if category == "fighters_killed" and entry and entry.kind == "civilian":
            category = "killed"
        if entry is None:  # "1.7 million displaced, including 800,000 sheltering in schools"
            unit, subject = ante.unit, ante.subject
    elif entry:
        if d.fwd:
            category = d.fwd
        elif entry.category:
            category = entry.category
        elif d.link == "partitive" and ante is not None:
            category = ante.category
        else:
            nof2 = cat.number_of_before(text, clause_start, d.qual_start)
            category = nof2[1] if nof2 and nof2[1] else (bwd[0] if bwd else None)
            if category is None and ante is not None and d.link == "additive":
                category = ante.category
            if category is None:
                category = "other"
                d.confidence = 0.6
    else:
        category = None
        if d.link == "elliptical" and ante is not None and ante.unit not in ("people", "families"):
            d.unit, d.category, d.subject = ante.unit, ante.category, ante.subject
            return
        if not nof and cat.unknown_noun_after(text, d.m.end, sent.end):
            d.dropped = "counted noun not in the vocabulary"
            return
        if nof:
            unit = nof[0].entry.unit if nof[0].entry else "people"
            subject = nof[0].subject
            category = d.fwd or nof[1] or (nof[0].entry.category if nof[0].entry else None)
        if category is None:
            category = d.fwd or (bwd[0] if bwd else None)
        if category is None and ante is not None and d.link in ("partitive", "additive"):
            category = ante.category
        if (
            category is None
            and d.link == "elliptical"
            and ante is not None
            and ante.m.value is not None
        ):
            gap = text[ante.np_end : d.qual_start]
            if len(gap) < 40 and not re.search(r"[.;]", gap):
                category = ante.category
        if category is None or not cat.is_people_category(category) and not nof:
            d.dropped = "no counted noun or cue"
            return
        if unit is None:
            unit = ante.unit if ante is not None and ante.unit else "people"
        if not subject:
            subject = ante.subject if ante is not None and ante.subject else "people"
    if d.link == "partitive" and d.head.entry is None and ante is not None:
        unit = ante.unit
    if unit is None:
        d.dropped = "no counted noun"
        return
    if category is None:
        category = ante.category if ante is not None else "other"
    if entry and entry.kind == "fighter" and category == "killed":
        category = "fighters_killed"
    if category == "fighters_killed" and entry and entry.kind == "civilian":
        category = "killed"
    if (
        d.m.is_vague
        and entry is None
        and nof is None
        and not (d.fwd and d.fwd != "other" and cat.is_people_category(d.fwd))
    ):  # "forcing thousands to flee" is a figure; a bare "thousands" is not
        d.dropped = "vague amount with no counted noun"
        return
    if d.link == "pair" and ante is not None and d.qualifier is None:
        d.qualifier = ante.qualifier
    d.unit, d.category, d.subject = unit, category, subject or "people"


# --- step 3: period, places, source, is_total -------------------------------


def _finish(state: _Doc, drafts: list[Draft]) -> None:
    text = state.text
    for d in drafts:
        if d.ante is not None and d.link in ("including", "partitive"):
            d.ante.has_parts = True
    _assign_places(state, drafts)
    running: dict[int, Period] = {}
    for d in drafts:
        d.period = _choose_period(state, d, running)
        if d.period is not None:
            running[d.sentence.paragraph] = d.period
    for d in drafts:
        d.source = choose_source(state, d)
    for d in drafts:
        clause_text = text[d.clause[0] : d.clause[1]]
        before = text[d.clause[0] : d.m.start]
        if d.link in ("including", "partitive") and d.ante is not None:
            d.is_total = d.ante.is_total
        else:
            d.is_total = decide_total(
                d.category or "other", clause_text, before, d.period, d.has_parts
            )
    event_day = _event_day(drafts, state)
    if event_day is not None:
        for d in drafts:
            linked = d.link in ("pair", "including", "partitive") and d.ante is not None
            if linked and d.period is None and d.ante.period is not None:
                d.period = d.ante.period  # a part is dated with the figure it belongs to
            elif (
                d.period is None
                and (not d.is_total or d.has_parts)
                and d.category not in ("other", "in_need", "displaced")
            ):
                d.period = Period(d.m.start, d.m.start, event_day, event_day, "day")


def _event_day(drafts: list[Draft], state: _Doc | None = None) -> date | None:
    """A document about one dated event: the day its first figure states, else the one
    day its opening sentence states ("Strikes hit the town on Sunday. ... 9 were killed")."""
    if not drafts:
        return None
    first = drafts[0]
    p = first.period
    if p and p.length == "day" and not p.report and p.date_start and "own" in first.notes:
        return p.date_start
    if p is None and state is not None and state.sents and first.sentence.index <= 2:
        days = {q.date_start for q in state.periods(0) if q.length == "day" and not q.report}
        others = [q for q in state.periods(0) if q.length != "day"]
        if len(days) == 1 and not others:
            return days.pop()
    return None


def _choose_period(state: _Doc, d: Draft, running: dict[int, Period]) -> Period | None:
    text = state.text
    i = d.sentence.index
    found = state.periods(i)
    plain = [p for p in found if not p.report]
    reports = [p for p in found if p.report]
    ante = d.ante
    if (
        d.link in ("pair", "including", "partitive")
        and ante is not None
        and (d.link != "partitive" or ante.sentence.index == i or not plain)
    ):
        return ante.period
    plain = [  # "for the sixth time since 2019" dates the count of times, not the figure
        p
        for p in plain
        if not (p.cumulative and _SINCE_ORDINAL.search(text[max(0, p.start - 12) : p.start]))
    ]
    if d.category == "in_need":
        return None
    in_clause = [p for p in plain if d.clause[0] <= p.start < d.clause[1]]
    clause_text = text[d.clause[0] : d.clause[1]]
    if _STATE.search(clause_text) and not any(
        p.cumulative or p.length == "multi" for p in in_clause
    ):
        return None
    own = _nearest(in_clause or plain, d.m.start, d.m.end)
    if own is not None:
        d.notes.append("own")
        return own
    if d.category == "other":
        return None
    if ante is not None and d.link in ("additive", "elliptical", "partitive") and ante.period:
        return ante.period
    sent_text = text[d.sentence.start : d.sentence.end]
    if i > 0 and _ANAPHORIC_START.search(sent_text):
        prev = [p for p in state.periods(i - 1) if not p.report]
        if prev:
            return prev[-1]
        if d.sentence.paragraph in running:
            return running[d.sentence.paragraph]
    if reports:
        return _nearest(reports, d.m.start, d.m.end)
    if is_present_perfect(clause_text):
        if d.sentence.paragraph in running:
            return running[d.sentence.paragraph]
        if i > 0 and state.sents[i - 1].paragraph == d.sentence.paragraph:
            prev = [p for p in state.periods(i - 1) if not p.report]
            if prev:
                return prev[-1]
        if state.dates.published and d.category not in ("other", "in_need"):
            pub = state.dates.published
            return Period(d.m.start, d.m.start, None, pub, "multi")
    return None


def _nearest(periods: list[Period], start: int, end: int) -> Period | None:
    best = None
    best_gap = 10**9
    for p in periods:
        gap = max(p.start - end, start - p.end, 0)
        if gap < best_gap:
            best, best_gap = p, gap
    return best


def _assign_places(state: _Doc, drafts: list[Draft]) -> None:
    text = state.text
    by_sentence: dict[int, list[Draft]] = {}
    for d in drafts:
        by_sentence.setdefault(d.sentence.index, []).append(d)
    own: dict[int, list[str]] = {id(d): [] for d in drafts}
    for ds in by_sentence.values():
        sent = ds[0].sentence
        for p in state.sentence_places(sent.index):
            if _in_org_name(state, sent.index, p):
                continue
            in_clause = [d for d in ds if d.clause[0] <= p.start < d.clause[1]]
            before = [d for d in in_clause if d.m.end <= p.start]
            after = [d for d in in_clause if d.m.start >= p.end]
            target = before[-1] if before else (after[0] if after else None)
            if target is not None:
                own[id(target)].append(p.name)
    default = _document_place(state, list(by_sentence))
    for d in drafts:
        names = list(dict.fromkeys(own[id(d)]))
        if not names:
            clause_places = [p.name for p in state.places_in(d.sentence.index, *d.clause)]
            names = list(dict.fromkeys(clause_places))
        if not names and anaphora_in(text, d.clause[0], d.clause[1]):
            names = _previous_places(state, d.sentence.index, d.clause[0])
        ante = d.ante
        if ante is not None and d.link in ("additive",):
            names = list(dict.fromkeys([*names, *ante.places]))
        elif (
            ante is not None
            and not names
            and d.link in ("pair", "including", "partitive", "elliptical")
        ):
            names = list(ante.places)
        if not names and default and d.category != "in_need":
            names = [default]
        d.places = tuple(names)


_ORG_PLACE_GAP = re.compile(r"\s+(?:in|for|on)\s+(?:the\s+)?$")


def _in_org_name(state: _Doc, index: int, p: PlaceMention) -> bool:
    """ "the Norwegian Refugee Council in Yemen": a place that only qualifies an
    organisation credited in the sentence is not what the figure is about."""
    for a in state.attrs(index):
        if a.start <= p.start < a.end:
            return True
        if 0 <= p.start - a.end <= 12 and _ORG_PLACE_GAP.fullmatch(state.text, a.end, p.start):
            return True
    return False


def _previous_places(state: _Doc, index: int, before: int) -> list[str]:
    sent = state.sents[index]
    inside = [p.name for p in state.places_in(index, sent.start, before)]
    if inside:
        return inside
    for j in range(index - 1, max(-1, index - 4), -1):
        names = [p.name for p in state.sentence_places(j)]
        if names:
            return list(dict.fromkeys(names))
    return []


def _norm(name: str) -> str:
    return " ".join(re.sub(r"[^\w]+", " ", name.lower()).split())


def _document_place(state: _Doc, figure_sentences: list[int]) -> str | None:
    """The place a document is about as a whole: named in its title, repeated in its text,
    and not outnumbered by other places in the sentences that state figures."""
    title = state.doc.title or ""
    if not title:
        return None
    for t in find_places(title, 0, len(title)):
        words = [
            w for w in re.findall(r"[A-Z][\w’'\-]+", t.name) if w.lower() not in _GENERIC_PLACE
        ]
        if not words:
            continue
        core = max(words, key=len)
        hits = _count_word(state.text, core)
        key = _norm(t.name)
        others = sum(
            1
            for i in figure_sentences
            for p in state.sentence_places(i)
            if not (key in _norm(p.name) or _norm(p.name) in key or core.lower() in _norm(p.name))
        )
        if hits >= 1 and hits >= others:
            return t.name
    return None


_OWNER_AFTER = re.compile(r"[’']s\s+[A-Z]")


def _count_word(text: str, word: str) -> int:
    """How often ``word`` stands as a whole word in ``text``, not as an owner ("Gaza's Health
    Ministry"). A plain find loop: a regex built per document would be compiled every time."""
    count = 0
    pos = text.find(word)
    n = len(word)
    while pos >= 0:
        end = pos + n
        left_ok = pos == 0 or not (text[pos - 1].isalnum() or text[pos - 1] == "_")
        right_ok = end == len(text) or not (text[end].isalnum() or text[end] == "_")
        if left_ok and right_ok and not _OWNER_AFTER.match(text, end):
            count += 1
        pos = text.find(word, pos + 1)
    return count


_GENERIC_PLACE = frozenset(
    [
        "north",
        "south",
        "east",
        "west",
        "northern",
        "southern",
        "eastern",
        "western",
        "northwest",
        "northeast",
        "southwest",
        "southeast",
        "central",
        "rural",
        "greater",
        "upper",
        "lower",
        "strip",
        "province",
        "governorate",
        "region",
        "state",
        "district",
        "city",
        "town",
        "countryside",
        "area",
    ]
)


# --- building facts ----------------------------------------------------------


def _facts(drafts: list[Draft], doc: Document) -> list[Fact]:
    text = doc.text
    out: list[Fact] = []
    for d in drafts:
        if d.dropped or d.unit is None or d.category is None:
            continue
        q_start, q_end = _quote_bounds(text, d)
        period = d.period
        out.append(
            Fact(
                doc=doc.id,
                quote=text[q_start:q_end],
                quote_start=q_start,
                span=(d.m.start, d.m.end),
                value=d.m.value,
                value_high=d.m.value_high,
                value_text=d.m.value_text,
                qualifier=d.qualifier or Qualifier.EXACT,
                unit=Unit(d.unit),
                category=Category(d.category),
                subject=d.subject,
                places=d.places,
                date_start=period.date_start if period else None,
                date_end=period.date_end if period else None,
                source=d.source,
                is_total=d.is_total,
                confidence=d.confidence,
            )
        )
    return out


def _quote_bounds(text: str, d: Draft) -> tuple[int, int]:
    """The clause around the figure, trimmed of spaces and dangling punctuation."""
    start, end = d.clause
    start = min(start, d.qual_start)
    end = max(end, d.np_end)
    while start < end and text[start] in " ,;:—–-\n\t\xa0•":
        start += 1
    while end > start and text[end - 1] in " ,;:—–-\n\t\xa0":
        end -= 1
    return start, end
