"""Numbers that are not figures: years, dates, times, ages, identifiers, money...

``non_figure`` looks only at the characters around a number and returns the
reason it is not a count (or None). The word lists are in data/vocab/filters.yaml
and categories.yaml (``not_counts_after``).
"""

from __future__ import annotations

import re
from functools import cache

from crisisdesk.extract.age_lists import in_age_list
from crisisdesk.extract.compiled import compile_rx
from crisisdesk.extract.numbers import YEAR_DASH_BEFORE, NumberMention
from crisisdesk.extract.period_pattern import COUNT_AHEAD
from crisisdesk.extract.prescan import WordGate
from crisisdesk.vocab import month_numbers, nouns, phrase_pattern, vocab_list


@cache
def _patterns() -> dict[str, re.Pattern[str]]:
    months = phrase_pattern(
        [m for m in month_numbers() if len(m) > 3]
        + ["jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec"]
    )
    not_counts = phrase_pattern(vocab_list("categories", "not_counts_after"))
    after = "|".join(_bounded(a) for a in vocab_list("filters", "after_words"))
    compounds = phrase_pattern(vocab_list("filters", "compound_exceptions"))
    rates = phrase_pattern(vocab_list("filters", "rates_after"))
    fractions = phrase_pattern(vocab_list("filters", "fractions_after"))
    ratios = phrase_pattern(vocab_list("filters", "ratio_denominators"))
    ones = phrase_pattern(vocab_list("filters", "one_not_count"))
    return {
        "acronym": compile_rx(r"(?:^|\s)[A-Z]{1,6}[\s-]$"),
        "one": compile_rx(rf"(?:{ones})\b", re.I),
        "one_shared": compile_rx(
            rf"(?<![\w-])(?:{phrase_pattern(vocab_list('filters', 'one_shared_before'))})\s+$"
        ),
        "one_shared_noun": compile_rx(
            rf"\s+(?:the\s+)?(?:same\s+)?"
            rf"(?:{phrase_pattern(vocab_list('filters', 'one_shared_nouns'))})\b"
        ),
        "rate": compile_rx(
            # not into brackets: "140 children (five children are killed every day)"
            rf"[^.,;:\d(]{{0,48}}?"
            # over the rest of a list that ends with the rate: "860 admissions and 700 surgeries
            # per month" (the rate is every member's)
            r"(?:(?:,\s*(?:and\s+)?|\s+(?:and|or)\s+)\d[\d,. ]*[^.,;:\d(]{1,40}?){0,4}"
            rf"\b(?:{rates})\b"
            r"(?=\s*(?:[,.;:)]|$)|\s+(?:in|from|to|at|on|since|across|into|and|or|over)\b)",
            re.I,
        ),
        # an opening adverbial, set off by commas: "Every day, ...", "..., on average, ..."
        "rate_leading": compile_rx(
            rf"(?:^|[,;:—–])\s*(?:{phrase_pattern(vocab_list('filters', 'rates_leading'))}),", re.I
        ),
        "phone": compile_rx(r"\+?\(?\d{2,4}\)?[\s.-]\d{2,4}[\s.-]\d{3,4}\b"),
        # the four checks of _words_after in their order, as one alternation: the first
        # branch that matches is the first check that would
        "after_words": compile_rx(
            rf"(?P<after>{after})|(?P<fraction>[\s\-\u2010]+(?:{fractions})\b)"
            # a ratio in words: "four in ten people" (not "three in ten minutes")
            rf"|(?P<ratio>\s+in\s+(?:{ratios})\b(?![\s-]*(?:{not_counts})(?![\w])))"
            rf"|(?P<not_count>[\s-]*(?:{not_counts})(?![\w]))"
            # "a nine-member coalition", "two-storey", "two-thirds": part of a word
            rf"|(?P<compound>[-‐‑](?!(?:{compounds})\b)[a-z])",
            re.I,
        ),
        # what follows a date or a time, in the order _calendar tests them: a month ("10 May"
        # only with its capital), then a clock time
        "calendar_after": compile_rx(
            rf"(?P<month>(?:st|nd|rd|th)?\s*(?:of\s+)?{months}\b\.?"
            r"|(?-i:(?:st|nd|rd|th)?\s*(?:of\s+)?May\b))"
            r"|(?P<time>[:.]\d\d\b|\s*(?:a\.m\.|p\.m\.|am\b|pm\b|hrs\b|h\b|gmt\b|utc\b))",
            re.I,
        ),
    }


_NAMED_BEFORE = compile_rx(r"[A-Z][a-z]+ $")
_CAMP_AFTER = compile_rx(r"\s+(?:IDP\s+)?(?:camps?|sites?|settlements?)\b", re.I)
# a capitalised number word inside a proper name ("in the Six Mountains area", "at the Three
# Rivers crossing"): after an article or a preposition in running text, before another
# capitalised word
_NAME_LEAD = compile_rx(r"\b(?:the|in|of|at|near|from)\s+$")
_NAME_NEXT = compile_rx(r"[ -][A-Z][a-z]")


def _in_a_name(text: str, m: NumberMention, before: str, after: str) -> bool:
    """A capitalised number word between an article or preposition and a capitalised word."""
    capital = m.kind == "words" and text[m.start].isupper()
    return capital and bool(_NAME_LEAD.search(before) and _NAME_NEXT.match(after))


_MONTH_DAY_BEFORE = compile_rx(r"\b([A-Za-z]+)\.?\s+\d{1,2}(?:st|nd|rd|th)?,\s*$")
# the second day of a span of days after its month ("between October 26 and 28")
_MONTH_DAY_SPAN_BEFORE = compile_rx(
    r"\b([A-Za-z]+)\.?\s+\d{1,2}(?:st|nd|rd|th)?\s*(?:and|to|until|till|through|[-–])\s*$"
)


def non_figure(text: str, m: NumberMention) -> str | None:
    """Why the number at ``m`` is not a figure ("year", "date", "age"...), or None."""
    if m.decimal:
        return "decimal"
    if m.value == 0 and m.value_high is None:
        # nothing counted is no figure to copy out, and "zero" is most often a reading on a
        # scale ("temperatures fell close to zero")
        return "zero"
    after = text[m.end : m.end + 40]
    before = text[max(0, m.start - 40) : m.start]
    # the checks in their order; the first reason found is the answer
    return (
        _calendar(text, m, before, after)
        or _digits_only(text, m, before, after)
        or _marks(text, m, before, after)
        or _words_after(text, m, before, after)
        or _words_before(text, m, before, after)
        or _numbered_name(text, m, after)
    )


def _numbered_name(text: str, m: NumberMention, after: str) -> str | None:
    """The number that ends a name ("France 24 reported"; filters.yaml ``numbered_names``):
    a name, unless people are counted right after it."""
    found = _numbered_names().search(text, max(0, m.start - 30), min(len(text), m.end + 5))
    if found is None or not found.start() < m.end <= found.end() or _people_after(after):
        return None
    return "name"


@cache
def _numbered_names() -> re.Pattern[str]:
    names = phrase_pattern(vocab_list("filters", "numbered_names"))
    return compile_rx(rf"(?<![\w-])(?:{names})(?![\w-])", re.I)


_QUALIFIED = compile_rx(
    r"\b(?:more\s+than|at\s+least|nearly|almost|approximately|up\s+to|fewer\s+than|less\s+than)\s+$",
    re.I,
)


def _calendar(text: str, m: NumberMention, before: str, after: str) -> str | None:
    """Years, dates and times."""
    written = text[m.start : m.end]
    if m.plain and m.value is not None and len(written) == 4 and 1900 <= m.value <= 2100:
        # "The October 3, 2015 bombing": a date's year (the pattern ends with a comma and
        # spaces, so only a stretch ending so is searched)
        comma = before.rstrip().endswith(",")
        dated = _MONTH_DAY_BEFORE.search(before) if comma else None
        if dated and dated.group(1).lower() in month_numbers():
            return "date"
        follower = _FOLLOWER.match(after)
        counted = follower and follower.group(1) in nouns()
        if counted and _YEAR_PREPOSITION.search(before) and _VERB_THEN_COUNT.match(after):
            return "year"  # "Fighting in 2019 killed 40": the verb after the year, not "40 killed"
        if not counted and not _QUALIFIED.search(before) and not _year_like_count(after):
            return "year"  # (not "more than 2000 have been injured", "1957 were injured")
    if m.value_high is not None and _YEAR_RANGE.fullmatch(written):
        return "year"
    if len(written) == 2 and YEAR_DASH_BEFORE.search(before):
        return "year"  # "in 2022-23", "the 2019/20 season": a year's last two figures
    if m.value_high is None and m.plain and _YEAR_AFTER.match(after):
        return "year"
    if m.kind != "digits":
        return None
    hit = _patterns()["calendar_after"].match(after)
    kind = hit.lastgroup if hit else None
    if kind == "month":  # "12 June", and "10 May", whose short month needs its capital
        return "date"
    gap = before[len(before.rstrip()) :]  # a month at the end of the line before is no date's
    last = before[-12:].split()[-1:] if gap and "\n" not in gap else []
    # a day or a year after a month name ("March 3", "March 2024"), not "March 2,000"
    day = m.value is not None and written.isdigit() and (m.value <= 31 or len(written) == 4)
    if day and last and last[0].lower().rstrip(".") in month_numbers():
        return "date"
    if _day_span_end(m, before, after):
        return "date"
    return "time" if kind == "time" else None


def _day_span_end(m: NumberMention, before: str, after: str) -> bool:
    """Days of a month, not counts: the last day of "October 26 and 28", or "March 3 to 9"
    read as one range; unless a counted noun follows ("on May 3 and 14 people ...")."""
    counted = _PEOPLE_AFTER.match(after)
    if counted and counted.group(1) in nouns():
        return False
    if m.value is None or m.value > 31 or (m.value_high or 0) > 31:
        return False
    if m.value_high is not None:
        last = before.rstrip().rsplit(None, 1)[-1:]
        return bool(last) and last[0].lower().rstrip(".") in month_numbers()
    spanned = _MONTH_DAY_SPAN_BEFORE.search(before) if m.plain else None
    return spanned is not None and spanned.group(1).lower() in month_numbers()


def _digits_only(text: str, m: NumberMention, before: str, after: str) -> str | None:
    """Shares of a whole ("one of its seven districts") and phone numbers written in digits."""
    if "of" in before and _DENOMINATOR.search(before):
        return "share of a whole"  # "in 33 of the country's 34 provinces": the 34 is the whole
    if m.kind != "digits":
        return None
    if _PHONE_HINT.search(text, max(0, m.start - 2), m.end + 2) and _is_phone(text, m):
        return "phone number"
    if "+" in before[-16:] and _COUNTRY_CODE.search(before[-16:]):
        return "phone number"  # "+967 1 234 567": digits after a dialling code
    return None


def _marks(text: str, m: NumberMention, before: str, after: str) -> str | None:
    """Footnote marks and numbered identifiers ("[3]", "#12")."""
    if before.endswith("[") and after.startswith("]"):
        return "footnote mark"
    if before.endswith(("^", "#", "№")):
        return "identifier"
    return None


_PAIRED_PERCENT = compile_rx(
    r"\s*(?:and|or|to|-|–)\s*\d+(?:[.,]\d+)?\s*(?:%|percent\b|per\s+cent\b)", re.I
)


def _words_after(text: str, m: NumberMention, before: str, after: str) -> str | None:
    """Ages, percentages, measures and compounds, told by the words after the number."""
    if _PAIRED_PERCENT.match(after):
        return "percentage"  # "showing 17 and 28 per cent increase respectively"
    hit = _patterns()["after_words"].match(after)
    if hit is None:
        return None
    kind = hit.lastgroup
    if kind == "after":
        return _after_reason(after)
    if kind in ("fraction", "ratio"):
        return "fraction"
    if kind == "not_count":
        return "measure, duration or money"
    if m.kind != "vague" and m.value_high is None:
        return "part of a compound word"
    return None


# an age set off by commas after a person's name: "Meir Tamari, 32, was killed" (not a list of
# places and counts: "Saraqib, 12, Binnish, 8" goes on with a name)
_AGE_APPOSITION = compile_rx(r"(?<![\w’'\-])[A-Z][a-z]+(?:\s+[A-Z][a-z]+)*,\s$")
# the later numbers of a list of ages ("aged 12 and 14", "ages 5, 7 and 9", "aged 8 to 12")
_AGE_LIST = compile_rx(
    r"\b(?:aged|ages|age|ages\s+of)\s+(?:between\s+|from\s+)?\d{1,3}(?:\s*(?:,|and|or|to|-|–)\s*\d{1,3})*"
    r"\s*(?:,|,?\s*and|or|to|-|–)\s*$",
    re.I,
)
_AGE_CLOSE = compile_rx(r",\s+(?:was|were|is|who|had|has|a|an|the|from)\b")
# an age in brackets after a full name: "Samir Haddad (42), a baker", "Layla Nasser (35) was"
# (a place's count goes on otherwise: "Tell Abyad (460) in Ar-Raqqa", "Mali (2), DRC")
_AGE_BRACKETED = compile_rx(r"(?<![\w’'\-])[A-Z][a-z]+(?:\s+[A-Z][a-z]+)+\s?\($")
_AGE_BRACKET_CLOSE = compile_rx(
    r"\)(?:,\s+(?:a|an|the|who)|\s+(?:was|were|is|who|had|has|from|said|told|says|[a-z]{3,}ed)"
    r"|\s+and\s+(?:his|her|their)\b)\b"  # "Ali Darwish (14) and his sister"
)


@cache
def _kin_bracketed() -> re.Pattern[str]:
    """A first name after a word of kin, then a bracket: "his son Omar (" (an age follows)."""
    kin = phrase_pattern(vocab_list("filters", "kin_before_names"))
    return compile_rx(rf"\b(?:{kin})\s+(?-i:[A-Z][a-z]+)\s?\($", re.I)


def _words_before(text: str, m: NumberMention, before: str, after: str) -> str | None:
    """Identifiers, rates and money, told by the words before the number; "one" as a pronoun."""
    # a designator or rate word stands right before the number ("Resolution 2254"), not
    # across punctuation ("over the past week, 23 attacks")
    last_char = before.rstrip()[-1:]
    sets = _sets()
    tail: tuple[str, ...] = ()
    if last_char not in (",", ";", ":", ")", "(", "—", "–"):  # "the number — 1,692 killed"
        words = _TOKEN.findall(before[-28:].lower())[-3:]
        if words and words[-1] in sets["last_words"]:  # no phrase can end otherwise
            tail = _tails(words)
    if (
        m.kind != "vague"
        and _ends_with(tail, sets["designators"])
        and not _time_before(tail)
        and not _people_after(after)  # "casualty figures report 37 people wounded"
    ):
        return "identifier"
    near = before[-9:].rsplit("\n", 1)[-1]  # not the line before ("61 KILLED\n\n240")
    if (
        m.kind == "digits"
        and near != near.lower()
        and _patterns()["acronym"].search(near)
        and not _people_after(after)  # "sources told AFP 15 people were wounded"
    ):
        return "identifier"
    numbered = m.kind == "digits" or (m.kind == "words" and text[m.start].isupper())
    if numbered and _NAMED_BEFORE.search(before) and _CAMP_AFTER.match(after):
        return "identifier"  # "the Dalori 2 IDP camp", "the Diaa Two camp": a camp's name
    if _in_a_name(text, m, before, after):
        return "identifier"  # "the Six Mountains area": a place's name
    if _ends_with(tail, sets["rates"]) or last_char in ("$", "€", "£", "¥", "₺"):
        return "rate, money or age"
    if _rate_then_qualifier(before):
        return "rate, money or age"  # "a daily average of more than 4,000 people"
    aged = m.kind == "digits" and m.value is not None and m.value <= 110
    if aged and _AGE_APPOSITION.search(before) and _AGE_CLOSE.match(after):
        return "age"  # "Meir Tamari, 32, was killed"
    if aged and _AGE_BRACKETED.search(before) and _AGE_BRACKET_CLOSE.match(after):
        return "age"  # "Rahman Gerdi (29), a farmer from the village"
    if aged and in_age_list(text, m):
        return "age"  # "Musab Haddad (26), Basil Haddad (1)": a list of the dead
    if aged and _kin_bracketed().search(before) and after.startswith(")"):
        return "age"  # "her brother Sami (9), a pupil": kin give a person's name
    if aged and _AGE_LIST.search(before):
        return "age"  # "two boys aged 12 and 14", "aged 5, 7 and 9"
    one = m.end - m.start == 3 and text[m.start : m.end].lower() == "one"
    if one and _patterns()["one"].match(text, m.start):
        return "pronoun"
    shared = one and _patterns()["one_shared"].search(before.lower())
    if shared and _patterns()["one_shared_noun"].match(after.lower()):
        return "what they share"  # "most of them from one family"
    return None


@cache
def _qualifier_end() -> re.Pattern[str]:
    words = [vocab_list("qualifiers", k) for k in ("at_least", "at_most", "approx")]
    return compile_rx(rf"\s(?:{phrase_pattern([w for ws in words for w in ws])})\s*$", re.I)


def _rate_then_qualifier(before: str) -> bool:
    """A rate before the qualifier of the number ("a daily average of more than")."""
    q = _qualifier_end().search(before[-60:])
    if q is None:
        return False
    head = " ".join(_TOKEN.findall(before[-60:][: q.start()].lower()))
    return any(head.endswith(r) for r in vocab_list("filters", "rates_before_qualifier"))


_DENOMINATOR = compile_rx(
    r"(?:\d(?:[\d,.]*\d)?|\b(?i:one|two|three|four|five))(?:\s+[a-z]+)?\s+of\s+(?:(?:the|its|their)\s+)?"
    r"(?:(?:[A-Z][\w\-]*\s+)?[\w\-]+[’']s\s+)?"
    r"(?:(?!(?:whom|which|them|these|those)\b)[a-z]+\s+)?$"
)
_FOLLOWER = compile_rx(r"\s+(?:more\s+|other\s+)?([a-z]+)")
# a preposition of time right before a year-like number ("in 2019", "since 2011")
_YEAR_PREPOSITION = compile_rx(r"\b(?:in|since|during|until|till)\s+$", re.I)
# a verb in the past then a count, right after a year ("in 2019 killed 40 people"; not "resulting
# in 1500 killed and 300 injured", where the year-like number is the count)
_VERB_THEN_COUNT = compile_rx(rf"\s+[a-z]+ed{COUNT_AHEAD}", re.I)


def _year_like_count(after: str) -> bool:
    """A verb of harm right after a year-like number: a count ("1957 were injured")."""
    return _year_like_verbs().match(after) is not None


@cache
def _year_like_verbs() -> re.Pattern[str]:
    verbs = phrase_pattern(vocab_list("filters", "year_like_count_verbs"))
    return compile_rx(rf"\s+(?:{verbs})\b", re.I)


_YEAR_RANGE = compile_rx(r"(?:19|20)\d\d\s*(?:[-–]|\s(?:and|to|until|through)\s)\s*(?:19|20)?\d\d")
_YEAR_AFTER = compile_rx(r"\s*[-–]\s*(?:19|20)\d\d\b")
_TOKEN = compile_rx(r"[\w.$€£#:\-]+")


def _bounded(phrase: str) -> str:
    """A phrase that ends in a letter must end a word: " am" is a time, " ambulances" is not."""
    return re.escape(phrase) + (r"(?![\w])" if phrase[-1:].isalnum() else "")


def rate_after(text: str, pos: int, limit: int) -> bool:
    """True when the words after a figure make it a rate ("arrive daily", "500 a week"),
    which reports give as an average, not a count. The pattern needs a rate phrase before
    ``limit``: a stretch without one as a word is not tried (exact, and most have none)."""
    if _rate_gate().shut(text, pos, limit):
        return False
    return bool(_patterns()["rate"].match(text, pos, limit))


def rate_before(text: str, start: int, end: int) -> bool:
    """True when the words of the sentence before a figure make it a rate ("on average,
    every hour, seven children were killed")."""
    window = text[start:end]
    # the pattern is a phrase of its list then a comma: a stretch without a comma, or
    # without one of the phrases as a word, cannot match (the pattern is tried at every
    # position of the stretch)
    if "," not in window or _leading_gate().shut(window, 0, len(window)):
        return False
    return _patterns()["rate_leading"].search(window) is not None


@cache
def _leading_gate() -> WordGate:
    return WordGate(vocab_list("filters", "rates_leading"))


@cache
def _rate_gate() -> WordGate:
    return WordGate(vocab_list("filters", "rates_after"))


_PEOPLE_AFTER = compile_rx(r"\s+([a-z]+)")


def _people_after(after: str) -> bool:
    """A counted noun of people right after the number: a count, whatever word is before."""
    m = _PEOPLE_AFTER.match(after)
    entry = nouns().get(m.group(1)) if m else None
    return entry is not None and entry.unit == "people"


_TIME_UNITS = frozenset({"day", "week", "year"})
_TIME_DETERMINERS = frozenset({"last", "previous", "past", "this", "that", "same", "following"})


def _time_before(tail: tuple[str, ...]) -> bool:
    """ "the previous week 50 were killed": a time phrase before the number, not "Week 50"."""
    words = tail[-1].split() if tail else []
    return len(words) > 1 and words[-1] in _TIME_UNITS and words[-2] in _TIME_DETERMINERS


def _tails(words: list[str]) -> tuple[str, ...]:
    """The last one, two and three words before a number, each joined by a space."""
    return tuple(" ".join(words[-k:]) for k in (1, 2, 3) if len(words) >= k)


def _ends_with(tails: tuple[str, ...], phrases: frozenset[str]) -> bool:
    """True when the last one, two or three words before a number form one of ``phrases``."""
    return any(t in phrases for t in tails)


@cache
def _sets() -> dict[str, frozenset[str]]:
    def norm(items: tuple[str, ...]) -> frozenset[str]:
        return frozenset(" ".join(i.lower().split()) for i in items)

    designators = norm(vocab_list("filters", "designators_before"))
    rates = norm(vocab_list("filters", "rates_before"))
    last_words = frozenset(p.split()[-1] for p in designators | rates if p.split())
    return {"designators": designators, "rates": rates, "last_words": last_words}


def _after_reason(after: str) -> str:
    low = after.lower()
    if "old" in low[:16]:
        return "age"
    if low.lstrip().startswith(("%", "percent", "per cent")):
        return "percentage"
    if low.startswith(
        (":", "am", "pm", " am", " pm", " a.m", " p.m", " hrs", "h ", " gmt", " utc")
    ):
        return "time"
    return "rate or ordinal"


_COUNTRY_CODE = compile_rx(r"(?<![\w+])\+\d{1,4}[\s\-.]?\(?\d{0,4}\)?[\s\-.]?$")
_PHONE_HINT = compile_rx(r"\d[\s.\-]\d|\+\d|\)\s?\d")


def _is_phone(text: str, m: NumberMention) -> bool:
    lo = max(0, m.start - 20)
    window = text[lo : m.end + 16]
    for hit in _patterns()["phone"].finditer(window):
        if hit.start() + lo <= m.start < hit.end() + lo:
            digits = sum(ch.isdigit() for ch in hit.group())
            return digits >= 8
    return text[max(0, m.start - 1) : m.start] == "+"
