"""Which Arabic figures are totals: counts over more than a day or since a start, tolls
and sums ("الحصيلة الإجمالية", "ارتفع عدد القتلى إلى"), stocks of displaced people, and
a figure whose parts are counted out of it ("57 غارة ... 19 منها"). A day's count and
its demographic subset ("بينهم ثلاثة أطفال") are not; the words are in
``data/vocab/ar/totals.yaml``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, timedelta
from functools import cache, lru_cache

from crisisdesk.extract.arabic_categorise import RESCUED
from crisisdesk.extract.arabic_reading import ArabicText
from crisisdesk.extract.draft import PART_LINKS, Draft
from crisisdesk.extract.periods import Period
from crisisdesk.extract.tokens import fold, stems
from crisisdesk.vocab import load_lang_yaml

__all__ = ["brought_to_between", "date_running_tolls", "mark_totals_ar", "states_a_toll"]


@cache
def _words() -> tuple[frozenset[str], frozenset[tuple[str, ...]], frozenset[str]]:
    d = load_lang_yaml("ar", "totals")
    return (
        frozenset(fold(str(w)) for w in d["total_words"]),
        frozenset(tuple(fold(str(w)).split()) for w in d["added_words"]),
        frozenset(str(c) for c in d["never_total"]),
    )


@lru_cache(maxsize=1024)
def _firsts(phrases: frozenset[tuple[str, ...]]) -> frozenset[str]:
    return frozenset(p[0] for p in phrases)


@lru_cache(maxsize=65536)
def _one_of(norm: str, words: frozenset[str]) -> bool:
    """Whether a token, as written or with clitics off (its first four readings), is one of
    ``words`` (cached per word: every token of a sentence is tested for each figure); a word
    that only reads as one with a pronoun taken off ("مجموعة", a group: not "مجموع" + ه) is not."""
    readings = stems(norm)[:4]
    return any(s in words for s in readings) and not any(s in _lookalikes() for s in readings)


@cache
def _lookalikes() -> frozenset[str]:
    words = load_lang_yaml("ar", "totals").get("not_total_words") or ()
    return frozenset(fold(str(w)) for w in words)


def states_a_toll(at: ArabicText, d: Draft, start: int | None = None) -> bool:
    """A word of a risen toll before the figure in its sentence (after ``start``, if given):
    ("ارتفاع عدد ضحايا العدوان إلى 22185"): a running count, which a short window stated
    before it does not date."""
    return d.link not in PART_LINKS and _has(
        at, d.sentence.start if start is None else start, d.m.start, _rising()
    )


def brought_to_between(at: ArabicText, start: int, end: int) -> bool:
    """A verb bringing a toll to a figure between ``start`` and ``end`` ("، لتبلغ حصيلة القتلى
    منذ ...", "ليرتفع العدد"): a clause of its own toll."""
    return _has(at, start, end, _bringing())


@cache
def _bringing() -> frozenset[str]:
    return frozenset(fold(str(w)) for w in load_lang_yaml("ar", "totals")["bringing_words"])


@cache
def _rising() -> frozenset[str]:
    return frozenset(fold(str(w)) for w in load_lang_yaml("ar", "totals")["rising_words"])


@cache
def _risen() -> frozenset[str]:
    """The rising words that say a toll rose, not only name it ("ارتفع", not "حصيلة")."""
    nouns = frozenset(fold(str(w)) for w in load_lang_yaml("ar", "totals")["toll_nouns"])
    return _rising() - nouns


def _has(at: ArabicText, start: int, end: int, words: frozenset[str]) -> bool:
    return _first_word(at, start, end, words) is not None


def _has_phrase(at: ArabicText, start: int, end: int, phrases: frozenset[tuple[str, ...]]) -> bool:
    toks = at.tokens[at.after(start) : at.after(end)]
    norms = [t.norm for t in toks]
    firsts = _firsts(phrases)
    for i, norm in enumerate(norms):
        if not _one_of(norm, firsts):
            continue  # most words start no phrase: one look-up each
        for p in phrases:
            n = len(p)
            if tuple(norms[i + 1 : i + n]) == p[1:] and p[0] in stems(norm)[:4]:
                return True
    return False


def _town_parts(d: Draft, later: list[Draft], told: bool = True) -> bool:
    """A day's toll in the lead told again town by town: later figures of the same category,
    no larger, in places of their own ("قتل عشرون مدنياً ..." then 11 in one town). The same
    number again is a part only when the lead is ``told`` town by town (a figure of its
    sentence has a smaller part); else it is the toll restated ("ما أسفر عن مقتل 9 مواطنين")."""
    if d.link is not None or d.unit != "people" or d.sentence.paragraph:
        return False  # the lead's toll, told again further down
    if d.m.value is None:
        return _vague_lead_parts(d, later)
    parts = [
        g.m.value
        for g in later
        if g.category == d.category
        and g.m.value is not None
        and g.m.value <= d.m.value
        and g.link not in PART_LINKS
        and g.places
        and not _same_places(g.places, d.places)
    ]
    return any(v < d.m.value or told for v in parts)


def _vague_lead_parts(d: Draft, later: list[Draft]) -> bool:
    """A vague toll of the lead ("وأصيب العشرات", "قتل وجرح عشرات المدنيين") told again town
    by town with counted figures: those are its parts, whatever their size (the dead and
    the wounded both for casualties not split)."""
    kinds = _HARMED if _casualties(d) else frozenset({d.category})
    return any(
        g.category in kinds
        and g.m.value is not None
        and g.link not in PART_LINKS
        and g.places
        and not _same_places(g.places, d.places)
        for g in later
    )


def _same_places(these: Sequence[str], those: Sequence[str]) -> bool:
    """The same places, one written with the word for what it is before it ("غزة" and "قطاع
    غزة", "إدلب" and "مدينة إدلب"; not "حلب" and "ريف حلب", its countryside)."""
    return (
        set(these) == set(those)
        or bool(those)
        and all(any(_one_place(a, b) for b in those) for a in these)
    )


def _one_place(a: str, b: str) -> bool:
    heads = _place_heads()
    return a == b or any(b == f"{h} {a}" or a == f"{h} {b}" for h in heads)


@cache
def _place_heads() -> tuple[str, ...]:
    return tuple(str(w) for w in load_lang_yaml("ar", "totals")["same_place_heads"])


def _summed_before(d: Draft, earlier: list[Draft]) -> bool:
    """A toll that sums the figures listed just before it, place by place ("جنوب لبنان: 11
    شهيدا ... الشمال: 21 شهيدا" then "الحصيلة الإجمالية ... 41 شهيدا"): a total of its parts."""
    if d.m.value is None or d.link is not None:
        return False
    total, seen = 0, list[set[str]]()
    for g in reversed(earlier):
        if g.category != d.category or g.unit != d.unit or g.link is not None:
            continue
        places = set(g.places)
        if g.m.value is None or not places or g.sentence.index == d.sentence.index:
            return False
        if any(places & other for other in seen):
            return False  # one place counted twice: no list of places
        total = total + g.m.value
        seen.append(places)
        if total >= d.m.value:
            return total == d.m.value and len(seen) >= 2
    return False


def _summed_after(d: Draft, later: list[Draft]) -> bool:
    """A toll told again place by place in the sentence right after it, the places' figures
    adding up to it ("مقتل 17 مدنيًا ... في 9 من شباط." then "وقتل تسعة أشخاص في بلدة كفرنوران،
    وثلاثة آخرون في ...، ومدنيان اثنان في ...، وثلاثة آخرون في ..."): a total of its parts."""
    if d.m.value is None or d.link is not None:
        return False
    total, seen = 0, list[set[str]]()
    for g in later:
        if g.sentence.index == d.sentence.index:
            continue
        if g.sentence.index != d.sentence.index + 1 or g.m.value is None:
            return False
        if g.category != d.category or g.unit != d.unit or g.link in PART_LINKS:
            continue
        places = set(g.places)
        if not places or any(places & other for other in seen):
            return False  # a figure with no place, or one place counted twice: no list
        total += g.m.value
        seen.append(places)
        if total >= d.m.value:
            return total == d.m.value and len(seen) >= 2
    return False


def _split_after(d: Draft, later: list[Draft]) -> bool:
    """Killed and wounded counted together ("سقوط 15 مدنياً بين قتيل وجريح") and told apart in
    the sentence after, the dead and the wounded adding up to it ("مقتل 6 وإصابة 9"): a
    total of its parts."""
    if not _casualties(d) or d.m.value is None:
        return False
    nxt = [g for g in later if g.sentence.index == d.sentence.index + 1 and g.m.value is not None]
    dead = next((g.m.value for g in nxt if g.category == "killed" and g.link is None), None)
    hurt = next((g.m.value for g in nxt if g.category == "injured" and g.link is None), None)
    return dead is not None and hurt is not None and dead + hurt == d.m.value


def _told_by_town(drafts: list[Draft]) -> set[int]:
    """The sentences of the lead whose figures are told again with smaller parts."""
    return {
        d.sentence.index
        for k, d in enumerate(drafts)
        if _town_parts(d, drafts[k + 1 :], told=False)
    }


def _placed_parts(d: Draft, later: list[Draft]) -> bool:
    """A toll whose parts after بينهم are told town by town ("استشهاد 24 مدنياً ... بينهم
    10 شهداء في تلمنس، و6 في بلدة بداما"): a sum of places, a total (a subset of who was
    killed, "بينهم 8 أطفال", with no place of its own, is not)."""
    return d.unit == "people" and any(
        g.ante is d
        and g.link in PART_LINKS
        and g.category == d.category
        and g.places
        and not set(g.places) & set(d.places)
        for g in later
    )


def _last_hours(at: ArabicText, d: Draft) -> bool:
    """A count of the last 24 hours ("إجمالي ما وصل خلال الـ24 ساعة الماضية: 7 إصابات"): a
    sum word before it makes it no total unless a toll has risen to it."""
    p = d.period
    if p is None or p.cumulative:
        return False
    if p.date_start is not None and p.date_end is not None:
        span = p.date_end - p.date_start
    elif p.date_start is None and p.date_end is None and p.length == "day" and _hours(at, p):
        span = timedelta(days=1)  # the last 24 hours of a report with no date (not its
        # "اليوم", the day a report came out, which dated is no 24-hour window either)
    else:
        return False
    named = _has(at, d.sentence.start, d.m.start, _rising())
    if span == timedelta(days=1) and not named:
        return True
    # a toll named, not risen ("وفي حصيلة جديدة ... 72 شهيدا ... خلال الساعات الـ24
    # الماضية", "في تقريرها اليومي لحصيلة الضحايا", "حصيلة الشهداء من يوم 28 أيلول"), with
    # the window or the day in the figure's own sentence: that day's count
    own = d.sentence.start <= p.start < d.sentence.end
    one = span <= timedelta(days=1) and named and own and not latest_toll(at, d)
    risen = _first_word(at, d.sentence.start, d.m.start, _risen())
    # "ارتفاع حصيلة الضحايا خلال الساعات الـ24 الماضية إلى 71": the window between the
    # rise and the figure says which toll rose, that day's
    return one and (risen is None or risen[1] <= p.start < d.m.start)


def _hours(at: ArabicText, p: Period) -> bool:
    """Whether a period is written in hours ("خلال الساعات الـ24 الماضية")."""
    words = _hour_words()
    return any(
        t.norm.removeprefix("ال") in words for t in at.tokens[at.after(p.start) : at.after(p.end)]
    )


@cache
def _hour_words() -> frozenset[str]:
    """The span units of hours (length 0 in ``span_units``), folded."""
    units = load_lang_yaml("ar", "periods")["span_units"]
    return frozenset(fold(str(k)) for k, v in units.items() if not int(v))


def latest_toll(at: ArabicText, d: Draft) -> bool:
    """ "آخر حصيلة ... أعلنتها المنظمة الخميس": the latest running toll, told on a day."""
    word = _first_word(at, d.sentence.start, d.m.start, _rising())
    k = at.after(word[0]) if word else 0
    return k > 0 and at.tokens[k - 1].norm in _latest_words()


@cache
def _latest_words() -> frozenset[str]:
    return frozenset(fold(str(w)) for w in load_lang_yaml("ar", "totals")["latest_words"])


# "ليرتفع عدد الضحايا بـ 21 شهيدا"; "ارتفعت الحصيلة بعد ارتقاء 44 شهيداً" (after 44 more)
_BY = re.compile(r"(?:\s+[^\s\d]+){0,3}?\s+(?:بـ?|بعد(?:\s+[^\s\d]+){0,2}\s)\s*\d")


def _risen_by(at: ArabicText, d: Draft) -> bool:
    """A toll that rose by the figures, not to them ("ليرتفع عدد الضحايا بـ 21 شهيدا و39
    جريحا"): an increase, no total."""
    toks = at.tokens[at.after(d.sentence.start) : at.after(d.m.start)]
    word = next((t for t in reversed(toks) if _one_of(t.norm, _rising())), None)
    return word is not None and _BY.match(at.text, word.end, d.m.end) is not None


def _broken_down(at: ArabicText, d: Draft, totals: frozenset[str]) -> bool:
    """A count told by its parts ("عدد الضحايا المسجل الثلاثاء شمل 39 شهيدا ... بمحافظة
    الجنوب"): the figures after the verb of including are parts, not the toll."""
    word = _first_word(at, d.sentence.start, d.m.start, totals)
    return word is not None and _has(at, word[1], d.m.start, _part_words())


def _toll_told_before(
    at: ArabicText, d: Draft, earlier: list[Draft], totals: frozenset[str]
) -> bool:
    """The toll word nearest before the figure already has its figure: one of the same kind
    stands between them ("ارتفعت حصيلة ضحايا القرية إلى تسعة، بعد مقتل خمسة بغارات"): the
    later one is a part or a cause of the toll, not the toll."""
    if d.link is not None:
        return False  # "خمسة آلاف أي ما يعادل 26.779 ألف نسمة": the toll told in another unit
    toks = at.tokens[at.after(d.sentence.start) : at.after(d.m.start)]
    word = next((t for t in reversed(toks) if _one_of(t.norm, totals)), None)
    return word is not None and any(
        g.sentence is d.sentence
        and g.link is None
        and g.category == d.category
        and g.unit == d.unit
        and word.end <= g.m.start < d.m.start
        for g in earlier
    )


@cache
def _part_words() -> frozenset[str]:
    return frozenset(fold(str(w)) for w in load_lang_yaml("ar", "totals")["part_words"])


def _one_day(d: Draft) -> bool:
    """A count of one day or of the last 24 hours, dated or not."""
    p = d.period
    if p is None or p.cumulative:
        return False
    if p.date_start is not None and p.date_end is not None:
        return p.date_end - p.date_start <= timedelta(days=1)
    return p.length == "day"


def _since_today(d: Draft) -> bool:
    """A running count of one day ("منذ فجر اليوم"): its subsets are no totals."""
    p = d.period
    return (
        p is not None and p.cumulative and p.date_start is not None and p.date_start == p.date_end
    )


def _over_days(d: Draft) -> bool:
    """A period longer than the last 24 hours, or one running since a start."""
    p = d.period
    if p is None:
        return False
    if p.cumulative:
        return True
    if p.date_start is None and p.date_end is None:
        return p.length == "multi"  # a span the text states but no date resolves
    if p.date_start is None or p.date_end is None:
        return False
    if p.length == "multi":  # two named days ("يومي الثلاثاء والأربعاء") or more
        return p.date_end > p.date_start
    return p.date_end - p.date_start > timedelta(days=1)


def mark_totals_ar(at: ArabicText, drafts: list[Draft]) -> None:
    """Set ``is_total`` on every figure of an Arabic document."""
    totals, added, never = _words()
    for d in drafts:
        # counted out of it in its own unit ("57 غارة ... 19 منها"); the dead of three
        # massacres ("3 مجازر ... وصل منها للمستشفيات 51 شهيد") are no part of the count
        if d.link == "partitive" and d.ante is not None and d.unit == d.ante.unit:
            # people of a day's count ("45 شهيدا، منهم 3 شهداء انتشال") are a subset of who
            # was counted, as after بينهم, unless told place by place (_placed_parts)
            d.ante.has_parts = d.unit != "people" or not _one_day(d.ante) or d.ante.has_parts
    _split_whole(drafts)
    added_in: dict[int, bool] = {}  # per sentence: once, not per figure
    told = _told_by_town(drafts)
    for k, d in enumerate(drafts):
        if d.category in never and not (_casualties(d) or _rescued_over_days(d)):
            continue
        s = d.sentence
        if s.index not in added_in:
            added_in[s.index] = _has_phrase(at, s.start, s.end, added)
        if added_in[s.index] and _has_phrase(at, s.start, d.m.start, added):
            continue  # added to a toll after verification: not the toll
        whole = d.link not in PART_LINKS
        toll = whole and _has(at, d.sentence.start, d.m.start, totals) and not _last_hours(at, d)
        toll = toll and not _risen_by(at, d) and not _broken_down(at, d, totals)
        toll = toll and not _toll_told_before(at, d, drafts[:k], totals)
        stock = d.category in _STOCKS and (d.period is None or d.period.length == "none")
        parts = _town_parts(d, drafts[k + 1 :], d.sentence.index in told)
        parts = parts or _summed_before(d, drafts[:k]) or _summed_after(d, drafts[k + 1 :])
        parts = parts or _split_after(d, drafts[k + 1 :])
        over = _over_days(d) and (whole or not _since_today(d))
        if over or d.has_parts or toll or stock or parts:
            d.is_total = True
        if whole and _placed_parts(d, drafts[k + 1 :]):
            d.is_total = True
        if not whole and _running_share(at, d):
            d.is_total = True
    _restated_totals(drafts)


def _split_whole(drafts: list[Draft]) -> None:
    """A count split whole into its kinds after منهم ("9 وفيات، منهم 6 ... و3 ..."; "7
    إصابات، منها 4 ... و3 ..."): two parts or more that add up to it make it a sum of its
    parts, a day's count too (a subset alone, "منهم 2 من النساء", does not)."""
    parts: dict[int, list[Draft]] = {}
    for d in drafts:
        head = d.ante
        if d.link == "elliptical" and head is not None and head.link == "partitive":
            head = head.ante  # "و3 ..." after "منهم 6 ...": the next part of the same count
        elif d.link != "partitive":
            continue
        if head is None or head.link is not None or d.unit != head.unit or d.m.value is None:
            continue
        parts.setdefault(id(head), []).append(d)
    for d in drafts:
        told = parts.get(id(d))
        if told and len(told) >= 2 and sum(g.m.value or 0 for g in told) == d.m.value:
            d.has_parts = True


_RESTATED_MIN = 100  # a smaller number met twice may be two counts, not one told again


def _restated_totals(drafts: list[Draft]) -> None:
    """A figure told plainly ("بأن 4 آلاف و47 مواطنًا استشهدوا") and again later as a toll
    ("الحصيلة النهائية حتى الآن هي 4047 شهيدا") is the same total."""
    told = {
        (d.m.value, d.category, d.unit)
        for d in drafts
        if d.is_total and d.link not in PART_LINKS and (d.m.value or 0) >= _RESTATED_MIN
    }
    for d in drafts:
        if not d.is_total and d.link not in PART_LINKS and (d.m.value, d.category, d.unit) in told:
            d.is_total = True


def _running_share(at: ArabicText, d: Draft) -> bool:
    """A part ("بينهم 447 طفلا") of a toll that runs over days or since a start ("ارتفعت
    الحصيلة إلى 1417 شهيدا", "منذ سقوط أول قتيل"): a breakdown of a cumulative figure is
    a total as the figure is (a day's toll and its subset are not)."""
    whole = d.ante
    while whole is not None and whole.link in PART_LINKS and whole.ante not in (None, whole):
        whole = whole.ante
    if whole is None or _since_today(whole):
        return False  # "منذ فجر اليوم" (since dawn today): a day's toll, its subsets no totals
    if _over_days(whole):
        return True
    period = whole.period
    a_day = period is not None and period.length != "none"  # "اليوم": no running toll
    if a_day and period is not None and _has(at, period.end, whole.m.start, _risen()):
        a_day = False  # "خلال الساعات الأخيرة حالتي وفاة ... ليرتفع العدد الإجمالي إلى 273": the
        # day's window is the new deaths', the toll risen after it runs on
    return not a_day and _has(at, whole.sentence.start, whole.m.start, _rising())


# people counted where they are with no period: a stock, as the conventions have displaced
# people and refugees (and those held: "5700 لاجئ ومهاجر في مراكز الاحتجاز")
_STOCKS = frozenset({"displaced", "detained"})
_HARMED = frozenset({"killed", "injured"})


# casualty tolls run to the day they are reported; a count of displaced people with no
# period is a state (both dates null under the conventions), not a running toll
_RUNNING = frozenset({"killed", "injured", "missing"})


def _casualties(d: Draft) -> bool:
    """The dead and wounded counted together ("مئة قتيل ومصاب"): a toll like its parts."""
    return d.category == "other" and d.subject in ("casualties", "victims")


def _rescued_over_days(d: Draft) -> bool:
    """People rescued over days ("أنقذت الفرق 178 مدنياً خلال الأيام العشرة الماضية"), and their
    parts: aggregated over more than a day, a total like any such count."""
    whole = d
    while whole.link in PART_LINKS and whole.ante is not None and whole.ante is not whole:
        whole = whole.ante
    return d.category == "other" and whole.subject == RESCUED and _over_days(whole)


def _running(d: Draft) -> bool:
    return d.category in _RUNNING or _casualties(d)


def date_running_tolls(at: ArabicText, drafts: list[Draft], published: date | None) -> None:
    """A casualty toll that states no period ("ارتفعت حصيلة القتلى إلى 23") counts up to
    the day it is published: no start, the publication day as its end, as the conventions
    date a cumulative figure with no start (English "the toll has risen to 23")."""
    if published is None:
        return
    totals = _words()[0]
    for d in drafts:
        p = d.period
        undated = p is None or (p.date_start is None and p.date_end is None and not p.cumulative)
        if not (d.is_total and undated and _running(d)):
            continue
        if d.link in PART_LINKS:
            continue
        word = _first_word(at, d.sentence.start, d.m.start, totals)
        if word is not None:  # the toll's word is the period's evidence
            d.period = Period(*word, None, published, "multi", cumulative=True)
    for d in drafts:  # "ارتفعت الحصيلة إلى 1417 شهيدا، بينهم 447 طفلا": the parts' period too
        p, whole = d.period, d.ante
        undated = p is None or (p.date_start is None and p.date_end is None and not p.cumulative)
        if undated and d.link in PART_LINKS and whole is not None:
            q = whole.period
            if q is not None and q.cumulative and _running(d):
                d.period, d.is_total = q, whole.is_total  # a share of the running toll


def _first_word(
    at: ArabicText, start: int, end: int, words: frozenset[str]
) -> tuple[int, int] | None:
    """The span of the first token between ``start`` and ``end`` that is one of ``words``
    (not a provisional toll: "في حصيلة أولية")."""
    toks = at.tokens
    for i in range(at.after(start), at.after(end)):
        t = toks[i]
        if _one_of(t.norm, words) and not _provisional(at, i) and not _some_of(at, i):
            return t.start, t.end
    return None


def _provisional(at: ArabicText, i: int) -> bool:
    """Token ``i`` is a toll noun hedged as provisional ("كحصيلة أولية", "حصيلة ليست نهائية")."""
    toks = at.tokens
    nouns, after, _ = _provisional_words()
    return (
        i + 1 < len(toks)
        and bool(set(stems(toks[i].norm)[:4]) & nouns)
        and toks[i + 1].norm in after
    )


def _some_of(at: ArabicText, i: int) -> bool:
    """Token ``i`` is "عدداً من" / "عدد من" (a number of): some, no count's total."""
    toks = at.tokens
    return (
        i + 1 < len(toks) and toks[i].norm in _provisional_words()[2] and toks[i + 1].norm == "من"
    )


@cache
def _provisional_words() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    d = load_lang_yaml("ar", "totals")
    return (
        frozenset(fold(str(w)) for w in d["toll_nouns"]),
        frozenset(fold(str(w)) for w in d["provisional_after"]),
        frozenset(fold(str(w)) for w in d["some_of"]),
    )
