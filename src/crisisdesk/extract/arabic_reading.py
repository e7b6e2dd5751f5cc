"""Reading Arabic figures: each number's counted noun, qualifier, cue and the figure it
leans on, as the ``Draft`` records the rest of the pipeline fills.

Arabic puts the counted noun after the number as English does ("13 جريحاً"), but
also before it ("عدد القتلى ... إلى 21", "مقتل مدني واحد"), writes a dual noun as
its own number ("طفلان" two children), and marks parts with بينهم / منهم. Words
are matched per token with clitics taken off (tokens.py) against the tables of
``data/vocab/ar``; nothing here is a phrase list.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

from crisisdesk.extract import categories as cat
from crisisdesk.extract.arabic_categorise import HARMS, categorise, share_qualifiers
from crisisdesk.extract.arabic_lexicon import ArNoun, cue_of, dual_of, noun_of, phrases
from crisisdesk.extract.arabic_numbers import find_numbers_ar, numbers_vocab
from crisisdesk.extract.arabic_text import (
    CLAUSE,
    ArabicText,
    clause_of,
    ending_with,
    ends_quoted_name,
    match_before,
    sentences_ar,
)
from crisisdesk.extract.compiled import compile_rx
from crisisdesk.extract.draft import PART_LINKS, Draft
from crisisdesk.extract.numbers import NumberMention
from crisisdesk.extract.text import Sentence
from crisisdesk.extract.tokens import fold, stems
from crisisdesk.model import Qualifier
from crisisdesk.vocab import load_lang_yaml

__all__ = ["ArabicText", "read_arabic", "sentences_ar"]

_NO_HEAD = cat.Head(None, "", 0)
_TWO = frozenset(fold(w) for w in ("اثنان", "اثنين", "اثنتان", "اثنتين"))
_ONE = frozenset(fold(w) for w in ("واحد", "واحدة"))
_DIGIT = compile_rx(r"\d")
_ONE_TWO = _TWO | _ONE
_DIGIT_AFTER = compile_rx(r"\s*[0-9\u0660-\u0669\u06f0-\u06f9]+")
# words between a noun and its number: "الجرحى إلى 10906", "الهجمات الـ 71", "بلغ"
_BRIDGES = frozenset(fold(w) for w in ("إلى", "الى", "ال", "بلغ", "بلغت", "وصل", "نحو", "حتى"))
_PEOPLE = ("people", "families")
_TO = [fold("إلى")]
_RATE_STOP = compile_rx(r"[.،,؛;:(\d]")
_QUALS = {"at_least": Qualifier.AT_LEAST, "approx": Qualifier.APPROX, "at_most": Qualifier.AT_MOST}


@dataclass(frozen=True, slots=True)
class _Filters:
    after: frozenset[str]  # one-word measures, durations and months
    after_phrases: tuple[tuple[str, ...], ...]  # "في المائة"
    before: frozenset[str]
    months: frozenset[str]
    ordinal_units: frozenset[str]  # "الثامنة" in "الثامنة عشرة"
    ordinal_tens: frozenset[str]
    context: frozenset[str]
    context_phrases: tuple[tuple[str, ...], ...]
    years: tuple[int, int]
    rate_after: frozenset[str]
    day_of_it: frozenset[str] = frozenset()  # "الـ 28 منه": a day of the month named before
    demonstratives: frozenset[str] = frozenset()  # "هاتين" before a dual
    average: frozenset[str] = frozenset()  # "بمعدل": an average follows
    rate_adjectives: frozenset[str] = frozenset()  # "اليومي": a daily report, no rate
    areas: frozenset[str] = frozenset()  # "المحافظات العراقية الـ18": how many areas
    year_before: frozenset[str] = frozenset()  # "عام 2020": a year, whatever noun follows


@cache
def _filters() -> _Filters:
    data = load_lang_yaml("ar", "filters")
    months = frozenset(
        w for m in load_lang_yaml("ar", "periods")["months"] for w in fold(str(m)).split()
    ) | {"الشهر", "شهر"}
    after_all = [fold(str(w)).split() for w in data["not_counted_after"]]
    context = [fold(str(w)).split() for w in data["not_counted_context"]]
    lo, hi = data["years"]
    return _Filters(
        after=frozenset(w[0] for w in after_all if len(w) == 1) | months,
        after_phrases=tuple(tuple(w) for w in after_all if len(w) > 1),
        before=frozenset(fold(str(w)) for w in data["not_counted_before"]),
        months=months,
        ordinal_units=frozenset(fold(str(w)) for w in data["ordinal_units"]),
        ordinal_tens=frozenset(fold(str(w)) for w in data["ordinal_tens"]),
        context=frozenset(w[0] for w in context if len(w) == 1),
        context_phrases=tuple(tuple(w) for w in context if len(w) > 1),
        years=(int(lo), int(hi)),
        rate_after=frozenset(fold(str(w)) for w in data["rate_after"]),
        day_of_it=frozenset(fold(str(w)) for w in data["day_of_it"]),
        demonstratives=frozenset(fold(str(w)) for w in data["dual_demonstratives"]),
        average=frozenset(fold(str(w)) for w in data["average_before"]),
        rate_adjectives=frozenset(fold(str(w)) for w in data["rate_adjectives"]),
        areas=frozenset(fold(str(w)) for w in data.get("areas_before_article") or ()),
        year_before=frozenset(fold(str(w)) for w in data.get("year_before") or ()),
    )


@cache
def _word_groups() -> dict[str, frozenset[str]]:
    """The one-word lists a token is looked up in, by name."""
    f = _filters()
    return {
        "after": f.after,
        "before": f.before,
        "months": f.months,
        "ordinal_units": f.ordinal_units,
        "context": f.context,
        "context_before": f.context | f.average,
        "today": frozenset(fold(str(w)) for w in load_lang_yaml("ar", "filters")["today_after"]),
        "caused": frozenset(
            fold(str(w)) for w in load_lang_yaml("ar", "filters")["caused_after_fear"]
        ),
        "estimated": frozenset(p[0] for p in phrases("qualifiers", "estimated")),
        "not_estimated_before": frozenset(
            p[0] for p in phrases("qualifiers", "not_estimated_before")
        ),
        "exceeded": frozenset(p[0] for p in phrases("qualifiers", "exceeded")),
        "count_of": frozenset(w[0] for w in phrases("links", "count_of")),
    }


@lru_cache(maxsize=65536)
def _reads_as(norm: str, group: str) -> bool:
    """Whether a token, as written or with its first clitics off (its first three readings),
    is a word of ``group``: cached per word, since the readers test every token of a clause
    or sentence for each figure."""
    words = _word_groups()[group]
    return any(s in words for s in stems(norm)[:3])


# --- finding the figures ----------------------------------------------------------------


def read_arabic(at: ArabicText) -> list[Draft]:
    """Drafts for every number of an Arabic text (non-figures dropped, with why)."""
    mentions = _with_duals(at, find_numbers_ar(at.text, at.tokens))
    drafts: list[Draft] = []
    for k, m in enumerate(mentions):
        sent = at.sentence_of(m.start)
        if sent is None:
            continue
        nxt = mentions[k + 1].start if k + 1 < len(mentions) else sent.end
        drafts.append(_read_one(at, m, sent, min(nxt, sent.end)))
    live = [d for d in drafts if not d.dropped]
    for k, d in enumerate(live):
        _link(at, d, live[:k])
        categorise(at, d)
    share_qualifiers(at, [d for d in live if not d.dropped])
    return drafts


def _with_duals(at: ArabicText, found: list[NumberMention]) -> list[NumberMention]:
    """Add the dual nouns that stand for "two" ("طفلان", "بغارتين", "وسيارتي إسعاف") and
    fold a numeral written after them ("طفلان اثنان") into them."""
    text = at.text
    by_start = {m.start: m for m in found}
    numbers_end = {m.end for m in found}
    drop: set[int] = set()
    extra: list[NumberMention] = []
    toks = at.tokens
    for k, t in enumerate(toks):
        if dual_of(t.norm) is None or text[t.start : t.end].rstrip(_MARKS).endswith("ة"):
            continue  # a word ending in ta marbuta ("صاروخية") is a singular, never a dual
        if k > 0 and toks[k - 1].norm in _filters().demonstratives:
            continue  # "هاتين المنطقتين": the two just named, no count
        after_number = k > 0 and toks[k - 1].end in numbers_end and t.norm[:1] != "و"
        if after_number and not text[toks[k - 1].end : t.start].strip():
            continue  # "3 سيدتين" does not happen; a noun after a number is its head
        prev = extra[-1] if extra else None
        agrees = prev is not None and prev.end == toks[k - 1].end and t.norm[:1] != "و"
        if agrees and prev is not None and not text[prev.end : t.start].strip():
            continue  # "طفلان آخران": the second dual agrees with the first, one count
        end = t.end
        if k + 1 < len(toks) and toks[k + 1].norm in _TWO and toks[k + 1].start in by_start:
            drop.add(toks[k + 1].start)
            end = toks[k + 1].end
        extra.append(NumberMention(t.start, end, 2, kind="dual"))
    out = [m for m in found if m.start not in drop] + extra
    out.sort(key=lambda m: m.start)
    return out


_YEARS = re.compile(r"\d{4}\s*[-–/]\s*\d{4}")
_ARTICLE_BEFORE = re.compile(r"(?<![^\W\d_])(?:و|ف|ب|ل)?ال\u0640*\s?$")
_MARKS = "\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652"
_DAY_WORDS = frozenset({"اليوم", "لليوم", "يوم", "واليوم", "باليوم"})


def _slash_wrapped(text: str, m: NumberMention) -> bool:
    """Some agencies set every figure between slashes ("عودة /1,250/ نازحاً"): a number
    with a slash on each side and no digit beyond either slash is a figure, not a date
    part ("16/01/2020" has digits beyond its slashes)."""
    return (
        text[m.start - 1 : m.start] == "/"
        and text[m.end : m.end + 1] == "/"
        and not text[max(0, m.start - 2) : m.start - 1].isdigit()
        and not text[m.end + 1 : m.end + 2].isdigit()
    )


def _wrap(text: str, m: NumberMention) -> str:
    """The slash a slash-wrapped figure stands between: part of the gap to its noun and hedge."""
    return "/" if _slash_wrapped(text, m) else ""


def _areas_before(at: ArabicText, i: int, areas: frozenset[str]) -> bool:
    """A plural of administrative areas at token ``i`` or the one before it (an adjective or
    its country between): "المحافظات العراقية الـ18", "ولايات السودان الـ18"."""
    return any(k >= 0 and set(stems(at.tokens[k].norm)[:3]) & areas for k in (i, i - 1))


def _non_figure(at: ArabicText, m: NumberMention, j: int, clause_start: int) -> str | None:
    """Why a number is not a figure (a date, a year, an age, a duration, a share);
    ``clause_start`` is where the number's clause starts."""
    text = at.text
    if m.decimal:
        return "decimal"
    before = text[max(0, m.start - 1) : m.start]
    after = text[m.end : m.end + 2]
    # a share's sign may stand after a space ("(49 %)")
    sign = text[m.end : m.end + 4].lstrip(" \u00a0")[:1]
    shared = sign in ("%", "٪")
    # (a backslash too, as some keyboards write a date: "بتاريخ 21\12\2019")
    slashed = before in ("/", ":", "-", "\\") or after[:1] in ("/", ":", "\\")
    if m.kind == "digits" and ((slashed and not _slash_wrapped(text, m)) or shared):
        return "date, time or share"
    if m.kind == "digits" and ends_quoted_name(at, m.end):
        return "part of a name"  # "شبكة “دير الزور 24”"
    f = _filters()
    toks = at.tokens
    if j < len(toks) and not CLAUSE.search(text[m.end : toks[j].start]):
        if _reads_as(toks[j].norm, "after") and not _reads_as(toks[j].norm, "today"):
            return "duration, measure or date"
        readings = stems(toks[j].norm)  # a phrase whose first word is none of them cannot match
        if any(
            match_before(at, j + len(p) - 1, p, m.end) is not None
            for p in f.after_phrases
            if p[0] in readings
        ):
            return "share or measure"
        if _date_after(at, j, f):
            return "day of a month"
        if toks[j].norm in f.day_of_it and _ARTICLE_BEFORE.search(text, 0, m.start):
            return "day of a month"  # "وحتى الـ 28 منه"
    if _ordinal_teen(at, m, f):
        return "ordinal"
    i = at.after(m.start) - 1
    gap_end = m.start
    if i > 0 and toks[i].norm == "ال" and not text[toks[i].end : m.start].strip():
        gap_end, i = toks[i].start, i - 1  # "الساعات الـ24"
    if (
        i >= 0
        and m.kind == "digits"
        and not text[toks[i].end : gap_end].strip(" \"“'(«")
        and _reads_as(toks[i].norm, "before")
    ):
        return "age or label"
    if gap_end != m.start and i >= 0 and toks[i].norm in _DAY_WORDS:
        return "ordinal day"  # "لليوم الـ 424", "في اليوم الـ 100 للحرب": the Nth day
    if gap_end != m.start and _areas_before(at, i, f.areas):
        return "number of areas"  # "كافة المحافظات العراقية الـ18"
    lo, hi = f.years
    year = m.plain and lo <= (m.value or 0) <= hi and len(text[m.start : m.end]) == 4
    if year and (j >= len(toks) or noun_of(toks[j].norm) is None or _year_named(at, m, f)):
        return "year"
    if _YEARS.fullmatch(text, m.start, m.end) and lo <= (m.value or 0) <= (m.value_high or 0) <= hi:
        return "years"  # "سيطروا في 2014-2015 على العاصمة": a span of years
    if _feared(at, m, f, clause_start):
        return "feared, forecast or a rate"
    return None


def _year_named(at: ArabicText, m: NumberMention, f: _Filters) -> bool:
    """A year-like number right after a word for "year" or a month's name ("عام 2020",
    "20 نوفمبر 2019، مخيماً"): a year, whatever noun comes after it."""
    i = at.after(m.start) - 1
    if i < 0 or at.text[at.tokens[i].end : m.start].strip(" /،,"):
        return False
    return at.tokens[i].norm in f.year_before or at.tokens[i].norm in f.months


def _ordinal_teen(at: ArabicText, m: NumberMention, f: _Filters) -> bool:
    """A ten written right after an ordinal unit ("سن الثامنة عشرة", "اليوم الحادي عشر"):
    the two words are one ordinal (eighteenth), an age, a rank or a day, never a count."""
    if m.kind != "words" or fold(at.text[m.start : m.end]) not in f.ordinal_tens:
        return False
    i = at.after(m.start) - 1
    return (
        i >= 0
        and not at.text[at.tokens[i].end : m.start].strip()
        and _reads_as(at.tokens[i].norm, "ordinal_units")
    )


def _date_after(at: ArabicText, j: int, f: _Filters) -> bool:
    """ "10 من كانون الثاني", "19 من الشهر الجاري", "4 إلى 10 فبراير", "26 و29 أكتوبر"."""
    toks = at.tokens
    k = j
    if k < len(toks) and toks[k].norm in ("الي", "حتي", "و"):
        nxt = _DIGIT_AFTER.match(at.text, toks[k].end)
        if nxt is None:
            return False
        k = at.after(nxt.end())
    elif k < len(toks) and toks[k].norm == "من":
        k += 1
    return k < len(toks) and k != j and _reads_as(toks[k].norm, "months")


def _feared(at: ArabicText, m: NumberMention, f: _Filters, start: int) -> bool:
    """A fear, a forecast or a daily rate in the clause before the number (from
    ``start``)."""
    feared = False
    for k in range(at.after(start), at.after(m.start)):
        norm = at.tokens[k].norm
        if _reads_as(norm, "context_before") and not _two_days(at, k) and not _adjective(norm, f):
            feared = True
        elif feared and _reads_as(norm, "caused"):
            feared = False  # "المخاوف من تصعيد أدت إلى نزوح 9000": the fear caused it
    if feared:
        return True
    j = at.after(m.end)
    for k in range(j, min(j + 8, len(at.tokens))):
        if _RATE_STOP.search(at.text, m.end, at.tokens[k].start):
            break  # the clause or the figure is over: a comma, a bracket, another number
        if at.tokens[k].norm in f.rate_after:
            return True
    return any(
        k < len(at.tokens) and at.tokens[k].norm in f.context and not _two_days(at, k)
        for k in (j, j + 1)
        if k < len(at.tokens) and at.tokens[k].start - m.end < 30
    )


def _adjective(norm: str, f: _Filters) -> bool:
    """A rate word with the article, an adjective of the noun before it ("التقرير اليومي")."""
    return any(norm.endswith("ال" + w) for w in f.rate_adjectives)


def _two_days(at: ArabicText, k: int) -> bool:
    """ "يومي الخميس والجمعة": the dual of "يوم" before the days it names, not "daily"."""
    nxt = k + 1
    return (
        at.tokens[k].norm == "يومي"
        and nxt < len(at.tokens)
        and any(s in _weekdays() for s in stems(at.tokens[nxt].norm))
    )


@cache
def _weekdays() -> frozenset[str]:
    return frozenset(fold(str(w)) for w in load_lang_yaml("ar", "periods")["weekdays"])


def _head_after(at: ArabicText, m: NumberMention, j: int, limit: int) -> tuple[int, ArNoun] | None:
    """The counted noun right after the number ("13 جريحاً", "أربعة من الكوادر")."""
    toks = at.tokens
    if j >= len(toks) or toks[j].start >= limit:
        return None
    gap = at.text[m.end : toks[j].start]
    if gap.strip(" \xa0\"“”'«»()ـ" + _wrap(at.text, m)) or "\n" in gap:
        return None
    norm = toks[j].norm
    got = noun_of(norm)
    if got is not None and "ب" in norm[: max(0, norm.find(got[0]))]:
        return None  # "وإصابة 8 بغارة": by a strike, not 8 strikes; the noun is elided
    if got is not None and norm[:1] == "و" and at.norms[j + 1 : j + 2] == _TO:
        return None  # "إلى 3961 والجرحى إلى 16520": the noun of the next toll
    if got is not None and "و" in norm[: max(0, norm.find(got[0]))]:
        return None  # "مقتل مدنيين اثنين وإصابة 3": "و" opens the next item, not the noun
    dual = dual_of(norm) if got is None else None
    if dual is not None and norm.startswith(("ب", "وب")) and dual_of(norm.split("ب", 1)[1]):
        return None
    if dual is not None and norm[:1] != "و":  # "اثنان آخران"; "واحد وسيدتان": a new item
        return j, dual
    if got is None and toks[j].norm == "من" and j + 1 < len(toks) and toks[j + 1].start < limit:
        got = noun_of(toks[j + 1].norm)
        j += 1
    return (j, got[1]) if got else None


def _read_one(at: ArabicText, m: NumberMention, sent: Sentence, limit: int) -> Draft:
    text = at.text
    clause = clause_of(text, m.start, sent)
    j = at.after(m.end)
    reason = _non_figure(at, m, j, clause[0])
    d = Draft(m, sent, clause, m.start, _NO_HEAD, m.end)
    if reason:
        d.dropped = reason
        return d
    head: ArNoun | None = None
    toks = at.tokens
    if m.kind == "dual":
        k = at.after(m.start)
        head = dual_of(toks[k].norm)
        d.np_end = m.end
        j = k + 1
    else:
        got = _head_after(at, m, j, sent.end)
        if got is not None:
            j, head = got
            d.np_end = toks[j].end
            j += 1
        elif m.kind == "words" and text[m.start : m.end].split()[-1:] and _postposed(at, m):
            head = _postposed(at, m)
        elif (
            m.kind == "words"
            and fold(text[m.start : m.end]) in _ONE
            and not _one_listed(at, m, sent)
        ):
            d.dropped = "one, with no noun"  # "أحدهم", "واحد منهم"; "اثنان" alone still counts
            return d
    if head is None:
        head = _named_before(at, m, sent)
    d.head = cat.Head(None, head.subject if head else "", d.np_end)
    d.notes.append(f"noun:{head.unit}/{head.category}/{head.subject}" if head else "noun:-")
    at.heads[id(d)] = (head, j)
    d.qualifier, d.qual_start = _qualifier(at, m, d.np_end, sent)
    return d


def _one_listed(at: ArabicText, m: NumberMention, sent: Sentence) -> bool:
    """ "4 منهم على يد قوات النظام، وواحد على يد قسد": "واحد" joined by "و" as the last item
    of a list of figures in its sentence, not "one of them" (``one_of_after``)."""
    toks, nv = at.tokens, numbers_vocab()
    k = at.after(m.start) - 1
    if k < 0 or toks[k].end < m.end or not toks[k].norm.startswith("و"):
        return False
    if k + 1 < len(toks) and toks[k + 1].norm in _one_of_after():
        return False
    if _DIGIT.search(at.text, sent.start, m.start):
        return True
    return any(
        any(s in nv.units or s in nv.tens for s in stems(t.norm))
        for t in toks[at.after(sent.start) : k]
    )


@cache
def _one_of_after() -> frozenset[str]:
    return frozenset(fold(str(w)) for w in load_lang_yaml("ar", "numbers")["one_of_after"])


def _postposed(at: ArabicText, m: NumberMention) -> ArNoun | None:
    """ "مدني واحد", "مجزرة واحدة", "رجلين اثنين": a numeral after its noun."""
    if fold(at.text[m.start : m.end]) not in _ONE_TWO:
        return None
    i = at.after(m.start) - 1
    if i < 0 or at.text[at.tokens[i].end : m.start].strip():
        return None
    got = noun_of(at.tokens[i].norm)
    if got is None:
        return None
    if i > 0 and at.tokens[i - 1].norm == "من":  # "من عائلة واحدة": from one family
        return None
    if i > 1 and at.tokens[i - 2].norm == "من" and at.tokens[i - 1].norm in _MEMBERS_OF:
        return None  # "من أفراد عائلة واحدة", "من أبناء أسرة واحدة": of one family
    return got[1]


_MEMBERS_OF = frozenset(fold(w) for w in ("أفراد", "أبناء", "عائلة", "أسرة"))


def _named_before(at: ArabicText, m: NumberMention, sent: Sentence) -> ArNoun | None:
    """The noun written before a number with none after it: "الهجمات الـ 71",
    "والجرحى إلى 10906", "وإصابة 124", "عدد القتلى ... إلى 21"."""
    toks = at.tokens
    i = at.after(m.start) - 1
    k = i
    steps = 0
    after = m.start
    while k >= 0 and toks[k].start >= sent.start and steps < 3:
        if at.text[toks[k].end : after].strip(" \xa0\"“”'«»ـ"):
            break  # "مجازر، 56 منهم": a comma between
        after = toks[k].start
        got = noun_of(toks[k].norm)
        if got is not None and (got[1].category is not None or steps and toks[k + 1].norm == "ال"):
            # "إجمالي شهداء المساعدات ممن وصلوا إلى المستشفيات إلى 996": the count's noun
            return _counted_before_relative(at, k, sent) or got[1]
        if toks[k].norm not in _BRIDGES:
            break
        k -= 1
        steps += 1
    k = i
    while k >= 0 and toks[k].start >= sent.start:
        if _reads_as(toks[k].norm, "count_of"):
            for n in range(k + 1, min(k + 4, len(toks))):
                got = noun_of(toks[n].norm)
                if got is None:
                    continue
                noun = got[1]
                if noun.category in (None, "other") and n + 1 < len(toks):
                    cue = cue_of(toks[n + 1].norm)  # "عدد العائلات النازحة"
                    if cue:
                        return ArNoun(noun.unit, cue, noun.subject, noun.kind)
                return noun
            topic = _topic_before(at, k, sent)
            if topic is not None:  # "أما بالنسبة للجرحى فقد بلغت الحصيلة 3357"
                return topic
        k -= 1
    return None


def _counted_before_relative(at: ArabicText, k: int, sent: Sentence) -> ArNoun | None:
    """When token ``k`` stands in a relative clause opened a few words before it, in its
    clause, right after a count and its noun ("إجمالي شهداء المساعدات ممن وصلوا إلى
    المستشفيات"): the count's noun; else None."""
    toks = at.tokens
    for n in range(k - 1, max(-1, k - 5), -1):
        if toks[n].start < sent.start or _CLAUSE_MARK.search(
            at.text, toks[n].end, toks[n + 1].start
        ):
            return None
        if toks[n].norm not in _relative_words()[0]:
            continue
        for c in range(n - 2, max(-1, n - 5), -1):
            if toks[c].start < sent.start:
                return None
            if toks[c].norm in _relative_words()[1] or _reads_as(toks[c].norm, "count_of"):
                got = noun_of(toks[c + 1].norm)
                return got[1] if got is not None else None
        return None
    return None


@cache
def _relative_words() -> tuple[frozenset[str], frozenset[str]]:
    d = load_lang_yaml("ar", "links")
    return (
        frozenset(fold(str(w)) for w in d["relatives"]),
        frozenset(fold(str(w)) for w in d["total_of"]),
    )


def _topic_before(at: ArabicText, k: int, sent: Sentence) -> ArNoun | None:
    """A bare toll word ("الحصيلة", "العدد") with the noun it counts named a few words before
    it, in its clause ("أما بالنسبة للجرحى فقد بلغت الحصيلة"): that noun."""
    toks = at.tokens
    for n in range(k - 1, max(-1, k - 5), -1):
        if toks[n].start < sent.start or _CLAUSE_MARK.search(
            at.text, toks[n].end, toks[n + 1].start
        ):
            return None
        got = noun_of(toks[n].norm)
        if got is not None and got[1].category is not None:
            return got[1]
    return None


_CLAUSE_MARK = compile_rx(r"[،,.:؛;]")


def _qualifier(
    at: ArabicText, m: NumberMention, np_end: int, sent: Sentence
) -> tuple[Qualifier | None, int]:
    if m.is_vague:
        return Qualifier.APPROX, m.start
    text = at.text
    i = at.after(m.start) - 1
    gap_end = m.start
    if i > 0 and at.tokens[i].norm == "ال" and not text[at.tokens[i].end : m.start].strip():
        gap_end = at.tokens[i].start  # "ما يقارب الـ 50": the article written on the number
        i -= 1
    elif i >= 0 and at.tokens[i].start < m.start < at.tokens[i].end:
        gap_end = at.tokens[i].start  # "نحو المليون": the number word carries the article
        i -= 1
    if i >= 0 and not text[at.tokens[i].end : gap_end].strip(" \xa0\"“”'«ـ(" + _wrap(text, m)):
        for key in ("at_most", "at_least", "approx"):
            for p in ending_with("qualifiers", key, at.tokens[i].norm):
                s = match_before(at, i, p, sent.start)
                if s is not None:
                    return _QUALS[key], s
    j = at.after(np_end)
    others = {p[0] for p in phrases("qualifiers", "before_hedge_after")}
    if j < len(at.tokens) and at.tokens[j].start - np_end < 3 and at.tokens[j].norm in others:
        np_end = at.tokens[j].end  # "266 شخصا آخرين على الأقل": the hedge after "others"
        j += 1
    readings = stems(at.tokens[j].norm) if j < len(at.tokens) else ()
    for key in ("at_least_after", "approx_after"):
        for p in phrases("qualifiers", key):
            if p[0] not in readings:
                continue  # its first word is not the token's: ``match_before`` says None
            k = j + len(p) - 1
            near = k < len(at.tokens) and at.tokens[j].start - np_end < 3
            if near and match_before(at, k, p, np_end) is not None:
                return _QUALS[key.removesuffix("_after")], m.start
    for k in range(at.after(sent.start), at.after(m.start)):
        nxt = at.tokens[k + 1].norm if k + 1 < len(at.tokens) else ""
        if (
            _reads_as(at.tokens[k].norm, "estimated")
            and nxt not in _word_groups()["not_estimated_before"]
        ):
            return Qualifier.APPROX, m.start
    exceeded = _exceeded_before(at, m.start, sent.start)
    return (Qualifier.AT_LEAST, exceeded) if exceeded is not None else (None, m.start)


# letters every verb of ``exceeded`` holds as written (a quick test before the word look-ups)
_EXCEED_HINT = compile_rx("تجاوز|تخط|فاق|فوق")
_EXCEEDED_REACH = 8  # words between the verb and the figure ("عدد النازحين من ريف حلب")


def _exceeded_before(at: ArabicText, pos: int, floor: int) -> int | None:
    """Where a verb of exceeding stands right before ``pos``, or a few words before it with
    its subject, a count, between ("تجاوز عدد القتلى 31 ألفاً", "تخطت حصيلة الضحايا"), if
    one does; a digit in between ends it."""
    i = at.after(pos)
    near = pos
    if i > 0 and at.tokens[i - 1].norm == "ال" and not at.text[at.tokens[i - 1].end : pos].strip():
        near = at.tokens[i - 1].start  # "يفوق الـ 283 ألف": the article written on the number
        i -= 1
    lo = max(at.after(floor), i - 1 - _EXCEEDED_REACH)
    if lo >= i or not _EXCEED_HINT.search(at.text, at.tokens[lo].start, pos):
        return None  # no verb of exceeding written there (most figures): no token looked up
    for k in range(i - 1, lo - 1, -1):
        if _reads_as(at.tokens[k].norm, "exceeded"):
            if k == i - 1 and not at.text[at.tokens[k].end : near].strip():
                return at.tokens[k].start  # after its subject: "عدد الضحايا تجاوز 31 ألفاً"
            counted = k + 1 < i and _reads_as(at.tokens[k + 1].norm, "count_of")
            between = at.text[at.tokens[k].end : pos]
            if counted and not any(c.isdigit() for c in between):
                return at.tokens[k].start
            return None
    return None


# --- links between figures ---------------------------------------------------------------


def _link(at: ArabicText, d: Draft, earlier: list[Draft]) -> None:
    """Parts after بينهم/منهم, "27 منها", list items after a part, bare numbers."""
    text = at.text
    same = [e for e in earlier if e.sentence.index == d.sentence.index]
    para = [e for e in earlier if e.sentence.paragraph == d.sentence.paragraph]
    prior = same[-1] if same else para[-1] if para else earlier[-1] if earlier else None
    head, _ = at.heads.get(id(d), (None, 0))
    floor = prior.m.end if same and prior is not None else d.sentence.start
    word = _including_before(at, _phrase_start(at, d), floor) if prior is not None else None
    if prior is not None and word is not None:
        # "منها"/"منهم" count a kind out of the whole ("43 صاروخاً منها 3 من نوع أرض – أرض");
        # "بينهم" names who was among it
        partitive = {p[0] for p in phrases("links", "partitive_after")}
        d.link = "partitive" if word in partitive else "including"
        d.ante = _whole_saying(_whole(prior), head, same)
        return
    if same and prior is not None:
        gap = text[prior.np_end : d.qual_start]
        listed = len(gap) < 12 and re.fullmatch(r"[\s،,و]*", gap) is not None
        listed = listed or _labelled_item(gap, head, at.heads.get(id(prior), (None, 0))[0])
        if prior.link in PART_LINKS and prior.ante is not None and listed:
            d.link, d.ante = prior.link, prior.ante  # "بينهم 73 طفلاً، و30 سيدة"
            return
        k = at.after(d.qual_start) - 1
        if k >= 0 and any(
            match_before(at, k, p, prior.m.end) is not None
            for p in ending_with("links", "pair", at.norms[k])
        ):
            d.link, d.ante = "pair", prior
            return
    j = at.after(d.np_end)
    partitive = {p[0] for p in phrases("links", "partitive_after")}
    near = j < len(at.tokens) and at.tokens[j].start - d.np_end < 3
    if head is None and near and at.tokens[j].norm in partitive:
        people = at.tokens[j].norm in ("منهم", "منهن")
        back = [e for e in (same or para or earlier) if (e.unit in _PEOPLE) == people]
        if people and not back:
            d.link = "partitive"  # "مقتل 11 منهن": of a group the text does not count
            return
        if back:
            d.link, d.ante = "partitive", _whole(back[-1])
            return
    if head is None:
        bare = [e for e in same if e.link in ("partitive", "elliptical") and e.ante is not None]
        if bare and re.fullmatch(r"[\s،,و]*", text[bare[-1].np_end : d.qual_start][-3:]):
            d.link, d.ante = bare[-1].link, bare[-1].ante  # "59 منهم ...، و9 بمحافظة حلب"
            return
        back = [e for e in (same or para) if e.unit is not None]
        if back:
            d.link, d.ante = "elliptical", back[-1]


def _phrase_start(at: ArabicText, d: Draft) -> int:
    """Where the figure's words begin: at its noun when the numeral follows it ("منهم طفل
    واحد": the part after منهم, as "منهم 2 من الأطفال" is), else where its hedge or number does."""
    if d.m.kind == "words" and d.qual_start == d.m.start and _postposed(at, d.m) is not None:
        return at.tokens[at.after(d.m.start) - 1].start
    return d.qual_start


def _labelled_item(gap: str, head: ArNoun | None, prior_head: ArNoun | None) -> bool:
    """The next item of a list whose items each name their place first ("موزعة على محافظة إدلب
    57 نقطة ومحافظة حماة 11 نقطة"): "و", a label of a few words with no figure, and the same
    counted noun as the item before."""
    return (
        head is not None
        and head == prior_head
        and len(gap) < 40
        and re.match(r"[\s،,]*و", gap) is not None
        and not any(c.isdigit() for c in gap)
    )


def _including_before(at: ArabicText, pos: int, floor: int) -> str | None:
    """The last word of "بينهم", "من بينهم", "يتألفون من" right before ``pos`` (a few words
    with no verb of their own may come between: "بينهم عائلة كاملة مؤلفة من 6"), if any."""
    k = at.after(pos) - 1
    for back in range(0, 4):
        if k - back < 0 or back and cue_of(at.tokens[k - back + 1].norm):
            break
        for p in ending_with("links", "including", at.tokens[k - back].norm):
            if match_before(at, k - back, p, floor) is not None:
                return p[-1]
    return None


def _whole_saying(whole: Draft, head: ArNoun | None, same: list[Draft]) -> Draft:
    """ "استشهاد 24 مدنياً وإصابة 22 آخرين، بينهم 10 شهداء": a part whose noun says what
    happened to it belongs to the figure of its sentence that says the same."""
    said = head.category if head is not None else None
    if said not in HARMS or whole.category in (None, said):
        return whole
    return next(
        (e for e in reversed(same) if e.category == said and e.link not in PART_LINKS), whole
    )


def _whole(d: Draft) -> Draft:
    while d.link in PART_LINKS and d.ante is not None and d.ante is not d:
        d = d.ante
    return d
