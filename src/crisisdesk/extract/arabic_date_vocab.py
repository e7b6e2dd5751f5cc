"""The vocabulary Arabic dates are read with, compiled once from
``data/vocab/ar/periods.yaml``: month names of every region, day words, the leads of
relative days and spans, ordinals, and the first words that let a scan skip a token.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache

from crisisdesk.extract.compiled import compile_rx
from crisisdesk.extract.tokens import fold
from crisisdesk.extract.tokens import folded_alternation as _alt
from crisisdesk.vocab import load_lang_yaml

_DIGIT_LED = ("numeric", "day_range", "day", "day_this_month", "day_of_it")


@dataclass(frozen=True, slots=True)
class _Vocab:
    months: dict[str, int]
    weekdays: dict[str, int]
    ordinals: dict[str, int]
    span_units: dict[str, int]
    ambiguous: frozenset[int]  # months whose name alone is not read (by number)
    ambiguous_names: frozenset[str]
    last_month: frozenset[str]  # "الماضي", "المنصرم" ...: the month before publication
    rx: dict[str, re.Pattern[str]]
    # per folded word, the patterns a match of which can start at that word (see _leads)
    leads: dict[str, tuple[str, ...]]
    indexed: tuple[str, ...]  # the patterns tried only where a match can start
    same_month: frozenset[str] = frozenset()  # "نفسه", "ذاته": the month of the date before
    counted_units: tuple[str, ...] = ()  # "أيام", "يوما": counted out, no "past" word needed
    start_words: frozenset[str] = frozenset()  # "بدء", "بداية": words for one start
    after_span_of: frozenset[str] = frozenset()  # "القتال": "بعد أسبوع من القتال" is a span


@cache
def _vocab() -> _Vocab:
    d = load_lang_yaml("ar", "periods")
    months = {" ".join(fold(str(k)).split()): int(v) for k, v in d["months"].items()}
    weekdays = {fold(str(k)): int(v) for k, v in d["weekdays"].items()}
    written = {str(k): int(v) for k, v in d["ordinals"].items()}
    # the tens as the subject of a sentence: "السادس والعشرون من سبتمبر" as "والعشرين"
    written |= {_nominative(k): v for k, v in written.items() if k.endswith("ين")}
    ordinals = {fold(k): v for k, v in written.items()}
    units = {fold(str(k)): int(v) for k, v in d["span_units"].items()}
    counted = tuple(fold(str(w)) for w in d["counted_units"])
    mon = _alt(list(d["months"]))
    # "تشرين الأول/ أكتوبر", "أيلول سبتمبر", "أيلول (سبتمبر)": one month in two calendars
    mon2 = rf"(?:{mon})(?:\s*[/\-]?\s*(?:{mon})(?![^\W\d_])|\s*\(\s*(?:{mon})\s*\))?"
    year = r"(?:19|20)\d\d"
    ords = _alt(list(written))
    rel_month = _alt([*d["this_month"], *d["last_month"]])
    b = r"(?<![^\W\d_])"  # a word starts here (a proclitic may stand before: handled per rule)
    e = r"(?![^\W\d_])"
    # an ordinal day may carry the "و" of a range ("بين 26 أكتوبر والثامن من ديسمبر")
    day = (
        # ("النصف الأول من شهر": the first half of a month, not its first day)
        rf"(?:(?<![\d/])\d{{1,2}}(?!\d)|(?<!الشهر\s)(?<!كانون\s)(?<!تشرين\s)(?<!النصف\s)"
        rf"{b}(?:و(?=ال))?(?:{ords}){e})"
    )
    rx = {
        "numeric": compile_rx(
            # (a backslash too: "21\12\2019")
            rf"(?<![\d/])(\d{{1,2}})\s*[/.\-\\]\s*(\d{{1,2}})\s*[/.\-\\]\s*({year})(?!\d)"
            rf"|(?<![\d/])(\d{{1,2}})\s*/\s*({mon2})\s*/\s*({year})(?!\d)"
        ),
        "day_range": compile_rx(
            # (a dash drawn with tatweel, "22 ـ 28", folds to two spaces)
            rf"(?<![\d/])(\d{{1,2}})(?:\s*(?:/|-|–|—|و|الي|حتي)\s*|\s{{2,}})(\d{{1,2}})\s+(?:من\s+)?"
            rf"(?:شهر\s+)?"
            rf"({mon2}){e}(?:\s*(?:من\s+)?(?:ل?عام\s+|(?:ال|لل)عام\s+)?({year}))?"
        ),
        "day": compile_rx(
            rf"({day})\s+(?:من\s+)?(?:شهر\s+)?({mon2}){e}"
            rf"(?:\s*[/،,]?\s*(?:من\s+)?(?:ل?عام\s+|(?:ال|لل)عام\s+)?({year})(?!\d))?"
            # "26 أكتوبر الماضي": the month's "last"/"this" is part of the date
            rf"(?:\s+(?:{rel_month}){e})?"
        ),
        "month": compile_rx(
            rf"(?:{b}(?:ب|و|ل|في)?(?:شهر|الشهر)\s+(?:[^\W\d_]+\s+)?)?{b}(?:ب|و|ل|ف)?({mon2}){e}"
            rf"(?:\s+({rel_month}){e})?"
            rf"(?:\s*[/،,]?\s*(?:من\s+)?(?:ل?عام|(?:ال|لل)عام|سنه)?\s*(?:الجاري|الحالي)?\s*({year})(?!\d)"
            rf"|\s+(?:من\s+)?({_alt(d['last_year'])}){e})?"
        ),
        # "وحتى الـ 28 منه": a day of the month named before (read with the date before it)
        "day_of_it": compile_rx(rf"(?:(?<=ال)|(?<=ال\s))(\d{{1,2}})\s+(منه){e}"),
        # "الأسبوع الرابع من يناير الجاري" (22-28), "الأسبوع الأول من العام 2024": a week counted
        # in a month or a year, not its fourth or first day
        "week_of": compile_rx(
            rf"{b}(?:و|ف|ب)?(?:ال)?اسبوع\s+({ords}){e}\s+(?:من\s+)?(?:(?:شهر\s+)?({mon2}){e}"
            rf"(?:\s+({rel_month}){e})?(?:\s*[/،,]?\s*(?:من\s+)?(?:ل?عام\s+|(?:ال|لل)عام\s+)?({year}))?"
            rf"|(?:ال)?(?:عام|سنه){e}(?:\s+(?:الجاري|الحالي){e})?(?:\s*({year}))?)"
        ),
        # "19 من الشهر الجاري", "12 من الشهر الماضي"
        # ... and "27 من الشهر ذاته" (of the month named before)
        "day_this_month": compile_rx(
            rf"({day})\s+(?:من\s+)?(?:الشهر|شهر)\s+({rel_month}|{_alt(d['same_month'])}){e}"
        ),
        "year_start": compile_rx(rf"{b}(?:{_alt(d['year_start'])}){e}"),
        # ... and the year before as a span: "خلال العام الفائت", "منذ العام الماضي" (not a bare
        # "العام الماضي" of a background clause: "الذين وسعوا نفوذهم العام الماضي")
        "last_year": compile_rx(
            rf"(?:{b}(?:و|ف)?(?:خلال|في|طوال)\s+|(?<=منذ\s))(?:{_alt(d['last_year'])}){e}"
        ),
        "month_start": compile_rx(rf"{b}(?:{_alt(d['month_start'])}){e}"),
        "weekend": compile_rx(rf"{b}(?:و|ف|ب|ل)?(?:{_alt(d['weekend'])}){e}"),
        # "عام 2023", and a part of it as the year: "حتى نهاية 2023", "منذ مطلع عام 2015"
        "year_only": compile_rx(
            rf"{b}(?:ل|ب|و)?(?:(?:{_YEAR_PART})\s+(?:عام\s+|العام\s+)?|(?:عام|العام|سنه|السنه)\s+)"
            rf"({year})(?!\d)"
        ),
        "yesterday": compile_rx(rf"{b}(?:و|ف)?(?:يوم\s+)?(?:{_alt(d['yesterday'])}){e}"),
        # ("اليوم الـ100 للحرب" is the war's 100th day, not today)
        "today": compile_rx(rf"{b}(?:و|ف)?(?:{_alt(d['today'])}){e}(?!\s*ال\s*\d)"),
        "weekday": compile_rx(rf"{b}(?:و|ف)?(?:يوم\s+)?({_alt(list(d['weekdays']))}){e}"),
        "last_span": compile_rx(
            # "خلال الـ (24 ساعة الماضية)": the count may stand in brackets; "وخلال", "وفي"
            # "في غضون ثلاثة أيام" (within three days) as "خلال"
            # "اشتباكات استمرت ستة أيام" (clashes that lasted six days): the span they ran
            # "بعد أسبوع من القتال" (after a week of fighting): read only before such a noun
            rf"{b}(?:و|ف)?(?:خلال|علي\s+مدي|في\s+غضون|غضون|في|{LASTED_VERBS}|{AFTER_SPAN})\s+(?:ال)?[\s(]*"
            r"(?:(\d+)\)?\s*)?"
            rf"([^\W\d_]+(?:\s+و[^\W\d_]+)?\s+)?({_alt(list(d['span_units']))})"
            rf"(?:(?:\s+([^\W\d_]+(?:\s+و[^\W\d_]+)?|(?:ال)?\s*\d+))?\s+(?:{_alt(d['span_past'])})"
            # a dual names its own span and needs no "past": "خلال (نحو) أسبوعين" ends today;
            # nor do hours counted in a report: "خلال 24 ساعة" are the last 24 hours
            r"|(?<=ين)|(?<=\d\sساعه)|(?<=\dساعه)"
            # so do days counted out: "خلال 3 أيام", "خلال خمسة أيام", "خلال 21 يوما" (a count
            # is read below), and one week, "خلال أسبوع": the seven days to today; weeks and
            # months counted out too, "خلال أربعة أشهر" (not "خلال شهر", which names a month)
            + "".join(rf"|(?<=\s{re.escape(u)})" for u in counted)
            + ")"
            rf"{e}"
        ),
        # "الأسبوع الماضي" with no "خلال" before it
        "bare_span": compile_rx(
            rf"{b}(?:و|ف|ب)?({_alt(d['bare_span_units'])})\s+(?:{_alt(d['span_past'])}){e}"
        ),
        "since": compile_rx(rf"{b}(?:و)?(?:{_alt(d['since'])}){e}"),
        "ongoing_since": compile_rx(
            rf"{b}(?:{_alt(d['ongoing_since'])})\s+(?:{_alt(d['since'])})\s+(?:[^\W\d_]+\s+){{0,2}}"
            rf"(?:\d+\s*)?(?:{_alt(list(d['span_units']))}){e}"
        ),
        "before_date": compile_rx(rf"{b}(?:و|ف)?(?:{_alt(d['before_date'])})\s*$"),
        "after_date": compile_rx(rf"{b}(?:و|ف)?(?:{_alt(d['after_date'])})\s*$"),
        "since_open": compile_rx(
            rf"{b}(?:و)?(?:{_alt(d['since'])})\s+(?:ال)?(?:{_alt(d['since_open'])}){e}"
        ),
        "report": compile_rx(rf"{b}(?:و|ف)?(?:{_alt(d['report_words'])}){e}[^\d.]{{0,40}}$"),
        "report_after": compile_rx(r"\s*[،,]?\s*(?:ب)?(?:ان|انه|انها)(?![^\W\d_])"),
        # "كشف تقرير ... أمس الإثنين، عن تدهور الوضع": what a report told that day follows (after
        # a reporting word earlier in the sentence; "أسفرت ... يومي الخميس والجمعة عن 22 قتيلاً"
        # is no report)
        "about_after": compile_rx(r"\s*[،,]?\s*عن(?![^\W\d_])"),
        "report_any": compile_rx(rf"{b}(?:و|ف)?(?:{_alt(d['report_words'])}){e}"),
        "event_after": compile_rx(rf"\s*[،,]?\s*(?:عن\s+)?(?:{_alt(d['event_nouns'])}){e}"),
        # "بأن امرأة وطفليها قتلوا": up to four words, no punctuation, then the verb; not when
        # the sentence states a span of its own ("إن 6 أطفال قتلوا خلال العام الجاري": the
        # day is where that span ends)
        "event_clause_after": compile_rx(
            rf"\s*[،,]?\s*(?:ب)?(?:ان|انه|انها)\s+(?:[^\s.،,؛:]+\s+){{0,4}}?"
            rf"(?:و)?(?:{_alt(d['event_verbs'])}){e}"
            rf"(?![^.!?؟\n]*{b}(?:{_alt(d['span_openers'])}){e})"
        ),
        "until": compile_rx(rf"{b}(?:{_alt(d['until'])}){e}"),
        "until_end": compile_rx(
            # the date may stand in brackets ("لغاية (15 أيلول 2023)")
            rf"{b}(?:{_alt(d['until'])})(?:\s+(?:بعد|قبل)?\s*(?:ظهر|مساء|صباح|فجر))?\s*\(?\s*$"
        ),
        "so_far": compile_rx(rf"{b}(?:و)?(?:{_alt(d['so_far'])}){e}"),
        "between": compile_rx(rf"{b}(?:{_alt(d['between'])}){e}\s*$"),
        "same": compile_rx(
            rf"{b}(?:في\s+|خلال\s+)?(?:{_alt(d['same_period'] + d['same_day'])}){e}"
        ),
        "year": compile_rx(rf"(?<!\d)({year})(?!\d)"),
    }
    ambiguous_names = frozenset(fold(str(w)) for w in d["ambiguous_months"])
    leads = _leads(d)
    indexed = tuple(sorted({k for kinds in leads.values() for k in kinds} | {*_DIGIT_LED}))
    last_month = frozenset(fold(str(w)) for w in d["last_month"])
    return _Vocab(
        months,
        weekdays,
        ordinals,
        units,
        frozenset(),
        ambiguous_names,
        last_month,
        rx,
        leads,
        indexed,
        frozenset(fold(str(w)) for w in d["same_month"]),
        counted,
        frozenset(fold(str(w)) for w in d["start_words"]),
        frozenset(fold(str(w)) for w in d["after_span_of"]),
    )


# points that state a span of days even when they cannot be dated (no publication date,
# no year): a figure over such a span is a total, as in English ("During August, ...")
_SPAN_KINDS = frozenset(
    {
        "day_range",
        "last_span",
        "bare_span",
        "month",
        "year_start",
        "month_start",
        "days",
        "week_of",
        "last_year",
        "weekend",
    }
)


# date kinds that may only say when a report was made ("في تقرير نشرته ... 1 أيار")
_SAID_KINDS = frozenset({"bare_span", "day", "numeric"})
# verbs of lasting before a span ("استمرت ستة أيام"), folded
LASTED_VERBS = "استمرت|استمر|دامت|دام"
# "after" before a span of fighting ("بعد أسبوع من القتال"), folded
AFTER_SPAN = "بعد"
# parts of a year read as the year ("نهاية 2023", "مطلع عام 2015"), folded
_YEAR_PARTS = ("نهايه", "بدايه", "مطلع", "اواخر", "اوائل", "منتصف")
_YEAR_PART = "|".join(_YEAR_PARTS)


def _nominative(ordinal: str) -> str:
    """ "السادس والعشرين" -> "السادس والعشرون": the tens word's nominative ending."""
    return ordinal[: -len("ين")] + "ون"


def _leads(d: Mapping) -> dict[str, tuple[str, ...]]:
    """The whole first word of every match of the word-led patterns above, by pattern.

    Each of those patterns starts at the start of a word (``b``), with an optional
    proclitic glued to a word of a list, and what follows that word is a space or a
    non-letter (``\\s+`` or ``e``), so a match can only start at a word written exactly
    as one of these (a proclitic + the first word of a phrase). One exception: a month
    name may be glued to a second one ("يناير/كانون" also matches with no "/"), so the
    word may also be a single-word month + the first word of another. The readers try
    each pattern only where such a word starts (``ArabicDates._matches``) instead of
    at every character; keep this in step with the patterns (the fast-path tests compare
    both ways on every pattern).
    """
    mon = {" ".join(fold(str(m)).split()) for m in d["months"]}
    mon_firsts = {m.split()[0] for m in mon}
    mon_single = [m for m in mon if " " not in m]
    written = [str(k) for k in d["ordinals"]]
    ords = _firsts([*written, *(_nominative(k) for k in written if k.endswith("ين"))])
    forms: dict[str, set[str]] = {
        "day": {*ords, *("و" + o for o in ords if o.startswith("ال"))},
        "day_this_month": {*ords, *("و" + o for o in ords if o.startswith("ال"))},
        "month": {p + w for p in ("", "ب", "و", "ل", "في") for w in ("شهر", "الشهر")}
        | {p + w for p in ("", "ب", "و", "ل", "ف") for w in mon_firsts}
        | {p + a + w for p in ("", "ب", "و", "ل", "ف") for a in mon_single for w in mon_firsts},
        "year_only": {
            p + w
            for p in ("", "ل", "ب", "و")
            for w in ("عام", "العام", "سنه", "السنه", *_YEAR_PARTS)
        },
        "week_of": {p + w for p in ("", "و", "ف", "ب") for w in ("اسبوع", "الاسبوع")},
        "year_start": set(_firsts(d["year_start"])),
        "last_year": {
            *(p + w for p in ("", "و", "ف") for w in ("خلال", "في", "طوال")),
            *_firsts(d["last_year"]),
        },
        "month_start": set(_firsts(d["month_start"])),
        "weekend": {p + w for p in ("", "و", "ف", "ب", "ل") for w in _firsts(d["weekend"])},
        "last_span": {
            p + w
            for p in ("", "و", "ف")
            for w in ("خلال", "علي", "في", "غضون", AFTER_SPAN, *LASTED_VERBS.split("|"))
        },
        "bare_span": {p + w for p in ("", "و", "ف", "ب") for w in _firsts(d["bare_span_units"])},
        "yesterday": {p + w for p in ("", "و", "ف") for w in ("يوم", *_firsts(d["yesterday"]))},
        "today": {p + w for p in ("", "و", "ف") for w in _firsts(d["today"])},
        "weekday": {p + w for p in ("", "و", "ف") for w in ("يوم", *_firsts(d["weekdays"]))},
        "since_open": {p + w for p in ("", "و") for w in _firsts(d["since"])},
        "same": {"في", "خلال", *_firsts(d["same_period"] + d["same_day"])},
    }
    out: dict[str, list[str]] = {}
    for kind, words in forms.items():
        for w in words:
            out.setdefault(w, []).append(kind)
    return {w: tuple(kinds) for w, kinds in out.items()}


def _firsts(words: Iterable[object]) -> tuple[str, ...]:
    """The first word of each phrase, folded (``_alt`` joins a phrase's words with
    spaces only)."""
    firsts = {fold(str(w)).split()[0] for w in words if fold(str(w)).split()}
    return tuple(sorted(firsts))


_DIGITS_RUN = compile_rx(r"\d\d*")  # \d+, opening with a class: searched by a fast scan
# patterns whose matches may start with a digit (never right after one): tried at the
# starts of digit runs (and "day" also at ordinal words)


def same_start(a: str, b: str) -> bool:
    """Two "since the start" phrases, in the same words or two words for a start ("منذ بدء
    الاعتداءات" told again as "منذ بداية الاعتداءات")."""
    starts = _vocab().start_words
    return (
        a == b
        or a.split()[-1].removeprefix("ال") in starts
        and b.split()[-1].removeprefix("ال") in starts
    )


def bound_word(before: str, kind: str) -> re.Match[str] | None:
    """The word that makes a dated day or month a bound ("قبل 15 أيلول", "بعد 15 أيلول"),
    at the end of the folded text ``before`` it, if any."""
    if kind not in ("day", "numeric", "month"):
        return None
    rx = _vocab().rx
    return rx["before_date"].search(before) or rx["after_date"].search(before)
