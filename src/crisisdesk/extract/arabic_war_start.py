"""The start of the fighting a running Arabic toll counts from, stated elsewhere in the report.

"ارتفعت حصيلة ضحايا المعارك في طرابلس إلى 213 قتيلا" and "392 قتيلا ... حتى الآن" name no
start. Wire reports often state it once as background, after the toll as often as before
it: "وتشهد الضواحي الجنوبية اشتباكات مسلحة ... منذ مطلع أبريل الماضي", "منذ بدء الاشتباكات في
العاصمة في 4 أبريل". A toll of that fighting runs from there to its own end, as the
conventions date the Libya counts "منذ بدء هجوم ... في الرابع من أبريل". The start is read
only from a sentence that states no figure of its own and names the fighting (a word of
``after_span_of``: القتال، المعارك، الاشتباكات، الحرب ...), so a toll's own "منذ" and a
date of something else are not taken.
"""

from __future__ import annotations

import calendar
from dataclasses import replace
from datetime import date
from functools import cache

from crisisdesk.extract.arabic_dates import ArabicDates
from crisisdesk.extract.arabic_reading import ArabicText
from crisisdesk.extract.arabic_totals import latest_toll
from crisisdesk.extract.draft import Draft
from crisisdesk.extract.periods import Period
from crisisdesk.extract.tokens import fold, stems
from crisisdesk.vocab import load_lang_yaml

__all__ = ["start_running_tolls", "started_then"]

_VERB_REACH = 3  # words after the month or day where the verb of starting stands


def started_then(at: ArabicText, drafts: list[Draft], published: date | None) -> None:
    """A month or day right before a verb of starting a war, its sentence's period ("في
    كانون الأول، بدأت القوات هجوماً واسعاً ... ما أدى إلى مقتل 380"): the start of a running
    count to publication (none on a page with no date), not the whole month."""
    verbs, nouns = _start_words()
    for d in drafts:
        p = d.period
        if p is None or p.cumulative or p.date_start is None or p.end > d.m.start:
            continue
        if not _started_after(at, p, d, verbs, nouns) and not _started_before(at, p, verbs, nouns):
            continue
        d.period = (
            Period(p.start, p.end, p.date_start, published, "multi", cumulative=True)
            if published is not None and p.date_start <= published
            else None
        )


def _started_after(
    at: ArabicText, p: Period, d: Draft, verbs: frozenset[str], nouns: frozenset[str]
) -> bool:
    """ "في كانون الأول، بدأت القوات هجوماً واسعاً ... ما أدى إلى مقتل 380": a verb of starting
    right after the date, the war's word between it and the figure."""
    k = at.after(p.end)
    near = at.tokens[k : k + _VERB_REACH]
    if not any(set(stems(t.norm)[:3]) & verbs for t in near):
        return False
    between = at.tokens[k : at.after(d.m.start)]
    return any(set(stems(t.norm)[:4]) & nouns for t in between)


def _started_before(
    at: ArabicText, p: Period, verbs: frozenset[str], nouns: frozenset[str]
) -> bool:
    """ "الحرب التي اندلعت في السودان منتصف أبريل 2023، أسفرت عن مقتل عشرات الآلاف": a war's
    word, then a verb of starting a few words before a month (or a longer span)."""
    if not _month_or_year(p):
        return False  # a day ("الهجوم الذي بدأ فجر الأحد"), a span with its own end
    k = at.after(p.start)
    toks = at.tokens[max(0, k - _VERB_REACH - 1) : k]
    for i, t in enumerate(toks):
        if set(stems(t.norm)[:3]) & verbs:
            lead = at.tokens[max(0, k - len(toks) + i - _VERB_REACH) : k - len(toks) + i]
            return any(set(stems(w.norm)[:4]) & nouns for w in lead)
    return False


def _month_or_year(p: Period) -> bool:
    """A whole calendar month or year ("في أبريل 2023", "عام 2015")."""
    a, b = p.date_start, p.date_end
    if a is None or b is None or a.day != 1 or a.year != b.year:
        return False
    if a.month == 1 and (b.month, b.day) == (12, 31):
        return True
    return a.month == b.month and b.day == calendar.monthrange(b.year, b.month)[1]


def start_running_tolls(at: ArabicText, drafts: list[Draft], published: date | None) -> None:
    """Give the tolls counted up to a day with no start (``None..end``) the start of the
    fighting the report states in a sentence of no figure, when there is one. The latest
    toll told on a day ("وكانت آخر حصيلة ... أعلنتها المنظمة أمس الخميس، قد أفادت بمقتل 205")
    runs up to that day, as one."""
    for d in drafts:
        p = d.period
        if p is None or p.cumulative or p.date_start is None or p.date_start != p.date_end:
            continue
        if latest_toll(at, d):
            d.period = replace(p, date_start=None, cumulative=True, as_of=True)
    tolls = [d for d in drafts if _open_start(d.period)]
    if not tolls:
        return
    start = _fighting_start(at, drafts, published)
    if start is None or start.date_start is None:
        return
    for d in tolls:
        p = d.period
        if p is not None and p.date_end is not None and start.date_start <= p.date_end:
            d.period = Period(
                start.start, start.end, start.date_start, p.date_end, "multi", cumulative=True
            )


def _open_start(p: Period | None) -> bool:
    """A running count to a day whose start the figure's sentence does not give."""
    return p is not None and p.cumulative and p.date_start is None and p.date_end is not None


def _fighting_start(at: ArabicText, drafts: list[Draft], published: date | None) -> Period | None:
    """The first dated "since" of a sentence with no figure that names the fighting."""
    with_figures = {d.sentence.index for d in drafts}
    dates = ArabicDates(at.text, published, (at.folded, at.offsets), (at.norms, at.fstarts))
    for s in at.sents:
        if s.index in with_figures:
            continue
        for p in dates.open_since(s.start, s.end) + dates.periods(s.start, s.end):
            if p.date_start is not None and _names_fighting(at, s.start, p.end):
                return p
    return None


def _names_fighting(at: ArabicText, start: int, end: int) -> bool:
    """Whether a word for the fighting stands between ``start`` and ``end``."""
    words = _fighting_words()
    for t in at.tokens[at.after(start) : at.after(end)]:
        if any(s in words for s in stems(t.norm)):
            return True
    return False


@cache
def _start_words() -> tuple[frozenset[str], frozenset[str]]:
    data = load_lang_yaml("ar", "periods")
    verbs = frozenset(fold(str(w)) for w in data["war_start_verbs"])
    nouns = frozenset(fold(str(w)) for w in data["war_nouns"])
    return verbs, nouns


@cache
def _fighting_words() -> frozenset[str]:
    """The words of ``after_span_of``, with and without their article."""
    out: set[str] = set()
    for w in load_lang_yaml("ar", "periods")["after_span_of"]:
        f = fold(str(w))
        out.update({f, f.removeprefix("ال")})
    return frozenset(out)
