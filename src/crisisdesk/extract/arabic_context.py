"""The document pass for Arabic figures: periods, places, sources and is_total.

Each field is read from the figure's sentence first; where the sentence leaves it
out, from what the document stated before (a period or a source "carries" to the
figures that follow, as the annotation conventions say), and for places from the
document's frame (the lead's places).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace
from datetime import date, timedelta
from functools import cache

from crisisdesk.extract.arabic_categorise import size_of_a_share
from crisisdesk.extract.arabic_date_vocab import AFTER_SPAN, LASTED_VERBS
from crisisdesk.extract.arabic_dates import ArabicDates
from crisisdesk.extract.arabic_lexicon import cue_of
from crisisdesk.extract.arabic_places import ArabicPlaces
from crisisdesk.extract.arabic_reading import ArabicText
from crisisdesk.extract.arabic_sources import ArabicSources
from crisisdesk.extract.arabic_states import states_a_state
from crisisdesk.extract.arabic_totals import (
    brought_to_between,
    date_running_tolls,
    mark_totals_ar,
    states_a_toll,
)
from crisisdesk.extract.arabic_war_start import start_running_tolls, started_then
from crisisdesk.extract.compiled import compile_rx
from crisisdesk.extract.draft import PART_LINKS, Draft
from crisisdesk.extract.periods import Period
from crisisdesk.extract.running import short as _short
from crisisdesk.extract.tokens import fold, folded_alternation, stems
from crisisdesk.geo.context import GeoContext, demonym_of
from crisisdesk.geo.gazetteer import Gazetteer
from crisisdesk.model import Document
from crisisdesk.vocab import load_lang_yaml

__all__ = ["fill_context"]


def fill_context(at: ArabicText, doc: Document, drafts: list[Draft]) -> None:
    """Fill each figure's places, period, source and is_total from the whole document."""
    _date(at, doc, drafts)
    sources = ArabicSources(at.text, at.sents, (at.folded, at.offsets), (at.norms, at.fstarts))
    places = ArabicPlaces(at, sources.name_spans(), sources.whole_name_spans())
    places.note_figures(drafts)
    frame = places.frame()
    for d in drafts:
        hits = places.for_figure(d, frame)
        names: dict[str, tuple[int, int]] = {}
        for h in hits:
            names.setdefault(h.name or at.text[h.start : h.end], (h.start, h.end))
        d.places = tuple(names)
        d.place_spans = tuple(names.values())
    by_text = sources.country_reader
    named = [at.text[h.start : h.end] for h in frame] + [n for d in drafts for n in d.places]
    sources.country_reader = lambda: _country_of(list(dict.fromkeys(named))) or by_text()
    for d in drafts:
        d.source, d.source_span = sources.source_for(d.sentence, d.m.start, d.category)
    mark_totals_ar(at, drafts)
    date_running_tolls(at, drafts, doc.published)
    started_then(at, drafts, doc.published)
    start_running_tolls(at, drafts, doc.published)


@cache
def _gazetteer() -> Gazetteer:
    """The bundled gazetteer, opened once per process (read-only)."""
    return Gazetteer.open()


_MIN_TOWN = 3  # letters: a shorter word of a name is no town of its own


def _country_of(names: list[str]) -> str | None:
    """The demonym of the country most of the document's places lie in ("ريف إدلب" ->
    "Syrian"): where a report's figures are is a surer sign of whose civil defence or
    ministry it cites than the countries it names, which are often the belligerents."""
    gaz = _gazetteer()
    # resolved together: "أريحا" beside "ريف إدلب" is the Idlib town, not Jericho
    context = GeoContext.from_text(" ".join(names), gaz, names)
    counts: Counter[str] = Counter()
    for n in names:
        got = gaz.resolve(n, context=context)
        if got.place_id is not None and got.country:
            counts[got.country] += 1
            continue
        # "ريفي إدلب وحماة" (the countrysides of two towns): the towns after its head word
        for w in n.split()[1:]:
            for word in stems(fold(w)):
                part = gaz.resolve(word, context=context) if len(word) >= _MIN_TOWN else None
                if part is not None and part.place_id is not None and part.country:
                    counts[part.country] += 1
                    break
    if not counts:
        return None
    return demonym_of(counts.most_common(1)[0][0])


_DATELINE_REACH = 60  # characters: a dateline opens the text ("الفاشر ١٤ ابريل ٢٠٢٥م :")
_DATELINE_END = re.compile(r"\s*م?\s*[:–—-]")


def _dateline(text: str, p: Period) -> bool:
    """The date of a dateline is the day of the report: it dates no later sentence."""
    return p.end <= _DATELINE_REACH and _DATELINE_END.match(text, p.end) is not None


def _lasted(text: str, p: Period) -> bool:
    """ "بعد معارك استمرت يومين": how long an event lasted dates its own sentence's figures,
    not the report's later sentences."""
    first = fold(text[p.start : p.end]).split()[:1]
    lasted = (*LASTED_VERBS.split("|"), AFTER_SPAN)  # "بعد أسبوع من القتال" too
    return bool(first) and first[0].removeprefix("و").removeprefix("ف") in lasted


_BACKGROUND = re.compile(r"\s*(?:وكان|وكانت|كان|كانت|ويذكر|يذكر|الجدير)(?![^\W\d_])")


@cache
def _new_item() -> re.Pattern[str]:
    d = load_lang_yaml("ar", "periods")
    words = sorted(d["new_item"], key=len, reverse=True)
    related = "|".join(map(re.escape, d["new_item_not"]))  # "وفي سياق متصل": the same item
    return re.compile(
        r"\s*(?:" + "|".join(map(re.escape, words)) + rf")(?![^\W\d_])(?!\s+(?:{related}))"
    )


def _date(at: ArabicText, doc: Document, drafts: list[Draft]) -> None:
    dates = ArabicDates(at.text, doc.published, (at.folded, at.offsets), (at.norms, at.fstarts))
    by_sentence: dict[int, list[Period]] = {}
    carried: list[Period | None] = []
    last: Period | None = None
    # no sentence after the last figure's dates a figure
    reach = max((d.sentence.index for d in drafts), default=-1) + 1
    for s in at.sents[:reach]:
        found = dates.periods(s.start, s.end) + dates.open_since(s.start, s.end)
        found.sort(key=lambda p: p.start)
        by_sentence[s.index] = found
        if _new_item().match(at.text, s.start):
            last = None  # "إلى ذلك، قتل أربعة مدنيين": another item, not the report's period
        carried.append(last)
        dated = [
            p
            for p in found
            if (
                p.date_start is not None
                or p.date_end is not None
                or p.cumulative
                or p.length != "none"  # a day, or a span no date resolves ("خلال شهر أيار")
            )
            and not _dateline(at.text, p)
            and not _lasted(at.text, p)
        ]
        if dated:  # the period the sentence states first is the report's; a span counted
            # back from publication yields to the dated days it is said to be ("خلال الأيام الـ 10
            # الماضية (ما بين 15 و25 كانون الثاني)")
            last = _stated_over_counted(dated, doc.published)[0]
    parts_from: dict[int, int] = {}  # a whole's first part ("قتل 26 منهم ...") in its sentence
    for e in drafts:
        if e.link == "partitive" and e.ante is not None and e.ante.sentence is e.sentence:
            k = at.after(e.m.start) - 1  # with a verb of its own right before it
            if k >= 0 and cue_of(at.norms[k]) is not None:
                parts_from.setdefault(id(e.ante), e.m.start)
    for d in drafts:
        own = by_sentence.get(d.sentence.index) or []
        own = [
            p
            for p in own
            if not _compared(at.text, p) and not _later_toll(at, d, p) and not _aside(at, d, p)
        ]
        if id(d) in parts_from:  # "مقتل 72 مدنياً قتل 26 منهم خلال الأيام الثلاثة الأخيرة":
            own = [
                p for p in own if p.start < parts_from[id(d)]
            ]  # the part's days, not the whole's
        same = dates.refers_back(d.sentence.start, d.sentence.end)
        if same is not None:  # "في الفترة ذاتها": the period stated before it
            own = [p for p in own if p.start < same]
        if own:
            pos = d.m.start
            own = _stated_over_counted(own, doc.published)
            d.period = min(own, key=lambda p: min(abs(p.start - pos), abs(p.end - pos)))
            before = carried[d.sentence.index]
            if d.period.as_of and before is not None and before.cumulative and before.date_start:
                d.period = before  # "حتى الآن" after "منذ بدء الهجوم في 4 أبريل": that start
            elif _short(d.period) and d.period.end <= pos and states_a_toll(at, d, d.period.end):
                d.period = None  # "خلال 24 ساعة وصل 17 مصاباً، ليرتفع العدد إلى 2514": running
            else:
                d.period = _last_of_stated(at, d.period, before)
            if d.period is not None and d.period.length == "day" and states_a_state(at, d):
                d.period = None  # "في زيارته الثلاثاء للمخيم الذي يؤوي 40 ألفاً": the visit's day,
                # not a day of the state the figure counts (present stocks have no period)
        else:
            d.period = carried[d.sentence.index]
            if d.period is not None and states_a_state(at, d):
                d.period = None  # "ينامون في العراء": a present state, no carried period
            elif d.period is not None and _short(d.period) and states_a_toll(at, d):
                d.period = None  # "... خلال 24 ساعة. ارتفاع عدد الضحايا إلى 22185": a running toll
        if _share_of_running(d):
            d.period = None  # "... ليرتفع العدد الإجمالي إلى 200 شهيد، بينهم 98 طفلا"
        if d.category == "in_need" or d.category == "other" and size_of_a_share(at, d):
            d.period = None  # a need is a state, with no period (as the English reader has it);
            # so is the size of a group a share is taken of ("من السكان البالغ عددهم")
    _stated_next(at, dates, drafts)
    _restated_next(drafts)
    _not_past_publication(drafts, doc.published)


def _not_past_publication(drafts: list[Draft], published: date | None) -> None:
    """A month or year that is still running when the report is published ("في وقت سابق من
    أكتوبر" in a report of 30 October) is counted up to publication: no report counts days
    that have not come yet."""
    if published is None:
        return
    for d in drafts:
        p = d.period
        if p is None or not p.date_end or p.date_end <= published:
            continue
        if p.date_start is None or p.date_start <= published:
            d.period = replace(p, date_end=published)


def _stated_over_counted(own: list[Period], published: date | None) -> list[Period]:
    """ "نزحوا ... في ثلاثة أيام فقط في الفترة من 9 إلى 12 فبراير": a span of days counted back
    from publication yields to the dated span of about as many days its sentence states (the
    text says which days they were); spans of other lengths ("الأسبوع الماضي" and "شباط") stay."""
    if published is None or len(own) < 2:
        return own
    closed = [p for p in own if _closed(p) and p.date_end != published]
    if not closed:
        return own
    out = []
    for p in own:
        counted = _closed(p) and p.date_end == published
        if counted and any(abs(_days(p) - _days(q)) <= 1 and _overlap(p, q) for q in closed):
            continue
        out.append(p)
    return out


def _closed(p: Period) -> bool:
    """A dated span of more than one day that counts no running total."""
    return bool(p.date_start and p.date_end and p.date_end > p.date_start and not p.cumulative)


def _days(p: Period) -> int:
    return (p.date_end - p.date_start).days + 1  # type: ignore[operator]


def _last_of_stated(at: ArabicText, p: Period, before: Period | None) -> Period:
    """ "الأسبوع الأخير" (the last week) after a span stated before it that ends earlier than
    publication ("منذ الأول من يناير وحتى 24 من الشهر ذاته ... وأضافت أن الأسبوع الأخير شهد
    نزوح 58 أسرة"): the last days of that span, not the days before publication."""
    if before is None or before.date_end is None or p.date_end is None:
        return p
    days = _last_of().get(" ".join(fold(at.text[p.start : p.end]).split()[-2:]))
    if days is None or before.date_end >= p.date_end:
        return p
    first = before.date_end - timedelta(days=days - 1)
    return Period(p.start, p.end, first, before.date_end, "multi")


@cache
def _last_of() -> dict[str, int]:
    d = load_lang_yaml("ar", "periods")["last_of_stated"]
    return {" ".join(fold(str(k)).split()): int(v) for k, v in d.items()}


def _later_toll(at: ArabicText, d: Draft, p: Period) -> bool:
    """A period in a later clause that brings a toll up ("مقتل 20 مدنياً، لتبلغ حصيلة القتلى
    منذ بداية العام 210"): that toll's, not the figures before it."""
    return p.start >= d.clause[1] and brought_to_between(at, d.clause[1], p.start)


def _aside(at: ArabicText, d: Draft, p: Period) -> bool:
    """A period in a clause after the figure's that comments on it ("، وهو ما يتجاوز ضحايا حرب
    عام 2006"): what the figure is set against, not its period."""
    after = fold(at.text[d.clause[1] : d.clause[1] + 40])
    return p.start >= d.clause[1] and _aside_opener().match(after) is not None


@cache
def _aside_opener() -> re.Pattern[str]:
    alt = folded_alternation(load_lang_yaml("ar", "periods")["aside_after"])
    return compile_rx(rf"[\s،,]*(?:{alt})(?![^\W\d_])")


@cache
def _comparison() -> re.Pattern[str]:
    words = sorted(
        (fold(str(w)) for w in load_lang_yaml("ar", "periods")["compared_before"]), key=len
    )
    alt = "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in reversed(words))
    return re.compile(rf"(?<![^\W\d_])(?:{alt})(?:\s+[^\s\d]+){{0,2}}\s*$")


def _compared(text: str, p: Period) -> bool:
    """A period a figure is compared with ("تراجعت عما كانت عليه خلال الأيام الماضية"): an
    aside, no figure's period."""
    return _comparison().search(fold(text[max(0, p.start - 40) : p.start])) is not None


def _share_of_running(d: Draft) -> bool:
    """A part ("بينهم 98 طفلا") of a toll in its sentence that a short span before them does
    not date (a running toll): the span is not the part's either."""
    whole, p = d.ante, d.period
    if d.link not in PART_LINKS or whole is None or p is None:
        return False
    same = whole.sentence is d.sentence and p.end <= whole.m.start
    return whole.period is None and _short(p) and same


def _stated_next(at: ArabicText, dates: ArabicDates, drafts: list[Draft]) -> None:
    """The lead's figures with no dated period take a dated span the sentence after it states
    with no figure of its own ("نزوح 107,294 شخصاً. وعزت المنظمة ... خلال الفترة الممتدة بين 26
    أكتوبر والثامن من ديسمبر"), as the conventions carry a period stated once."""
    lead = min((d.sentence.index for d in drafts), default=len(at.sents))
    if lead + 1 >= len(at.sents) or any(
        d.sentence.index == lead + 1 and d.m.value is not None for d in drafts
    ):
        return
    nxt = at.sents[lead + 1]
    if _new_item().match(at.text, nxt.start) or _BACKGROUND.match(at.text, nxt.start):
        return  # "وكانت القوات قد سيطرت على البلدة بين ...": background, not the lead's span
    spans = [p for p in dates.periods(nxt.start, nxt.end) if p.date_start and p.date_end]
    # no open "منذ" (to publication); one closed by a stated end is a span ("في الفترة منذ أول
    # ديسمبر وحتى 12 فبراير")
    pub = dates.published
    spans = [
        p
        for p in spans
        if p.date_end > p.date_start  # type: ignore[operator]
        and (not p.cumulative or pub is not None and p.date_end < pub)  # type: ignore[operator]
    ]
    for d in drafts:
        p = d.period
        if not spans or d.sentence.index != lead:
            continue
        if p is None or not (p.date_start or p.date_end) or _restates_counted(p, spans[0], pub):
            d.period = spans[0]


def _restates_counted(p: Period, q: Period, published: date | None) -> bool:
    """``p``, a span counted back from publication ("خلال الأسبوعين الماضيين"), is the span
    ``q`` the next sentence dates ("في الفترة الممتدة بين 12 و25 ديسمبر"): about as many days,
    sharing some; the text says which days they were."""
    counted = _closed(p) and p.date_end == published
    return counted and _closed(q) and abs(_days(p) - _days(q)) <= 1 and _overlap(p, q)


def _restated_next(drafts: list[Draft]) -> None:
    """A lead figure told again in the next sentence with its dated span ("نزوح 348 يمنياً خلال
    الأسبوع الفائت." then "رصدت نزوح 58 أسرة يمثلون (348 فرداً)، خلال الفترة من 18 إلى 24
    يناير"): the span the text states for it, over the lead's looser one when they overlap.
    A lead that dates nothing ("أسفر قصف على السوق عن مقتل 7 مدنيين." then "وقال مصدر إن
    القصف صباح اليوم أسفر عن مقتل 7 مدنيين") takes the day or span its retelling states: the
    same count of the same event."""
    lead = min((d.sentence.index for d in drafts), default=-1)
    for d in drafts:
        p = d.period
        if d.sentence.index != lead or p is not None and p.cumulative:
            continue
        if d.m.value is None and (p is not None or not d.m.value_text):
            continue
        undated = p is None or not (p.date_start or p.date_end)
        for g in drafts:
            q = g.period
            again = g.sentence.index == lead + 1 and _same_count(g, d)
            if not again or g.category != d.category or q is None or q.cumulative:
                continue
            if not (q.date_start and q.date_end):
                continue
            if undated or q.date_end > q.date_start and _overlap(p, q):  # type: ignore[arg-type]
                d.period = q
                break


def _same_count(g: Draft, d: Draft) -> bool:
    """The same number, the same vague amount ("العشرات") written again, or the exact count
    a rounded lead gives as "more than" or "about" ("أكثر من 15 ألفاً" then "15 ألفاً و420")."""
    if d.m.value is None:
        return g.m.value is None and fold(g.m.value_text or "") == fold(d.m.value_text or "")
    if g.m.value == d.m.value:
        return True
    if g.m.value is None or d.qualifier not in ("at_least", "approx"):
        return False
    scale = 10 ** (len(str(d.m.value)) - len(str(d.m.value).rstrip("0")))
    return scale >= 100 and g.m.value // scale * scale == d.m.value


def _overlap(p: Period, q: Period) -> bool:
    """Two dated periods that share a day."""
    if not (p.date_start and p.date_end and q.date_start and q.date_end):
        return False
    return p.date_start <= q.date_end and q.date_start <= p.date_end
