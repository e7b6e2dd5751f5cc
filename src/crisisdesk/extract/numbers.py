"""Finding and reading numbers as they are written in reports.

Handles digits with thousands separators (10,446 · 10.446 · 10 446), decimals
with a scale word (1.2 million), number words (twenty-five, two dozen, a
hundred, half a million), vague amounts (hundreds, tens of thousands) and
ranges (between 20 and 30, 20-30, 20 to 30). One compiled regex scans the
whole text; everything else is done per match.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from crisisdesk.extract.compiled import compile_rx
from crisisdesk.extract.text import lower_same_length
from crisisdesk.vocab import load_yaml, month_numbers, number_words, phrase_pattern, vocab_list


@dataclass(slots=True, unsafe_hash=True)  # not frozen: see draft.py
class NumberMention:
    """A number in the text: ``start``/``end`` index Document.text."""

    start: int
    end: int
    value: int | None
    value_high: int | None = None
    value_text: str | None = None
    kind: str = "digits"  # digits, words, vague
    decimal: bool = False  # a fraction without a scale word ("2.5"): not a count
    plain: bool = False  # bare digits with no separator or scale ("2019")

    @property
    def is_vague(self) -> bool:
        return self.value is None


# (Indian grouping first: "4,00,000", "12,50,000" are lakhs of thousands; a count then a
# calibre is no grouped number: "37 120-mm shells" is 37 shells)
_DIGITS = (
    r"\d{1,2}(?:,\d{2})+,\d{3}(?![\d,])"
    r"|\d{1,3}(?:(?:,|\.|\u00a0|\u202f| |'|\u2019)\d{3})+(?!\d|-?mm\b|-millimet)|\d+(?:[.,]\d+)?"
)


@cache
def number_regex() -> re.Pattern[str]:
    """The one pattern that finds candidate numbers (compiled once)."""
    nw = number_words()
    word_alts = sorted([*nw.small, *nw.scales], key=len, reverse=True)
    w = "(?:" + "|".join(word_alts) + ")"
    big = "(?:" + "|".join(s for s in nw.scales if nw.scales[s] >= 100) + ")"
    any_scale = "(?:" + "|".join(nw.scales) + ")"
    after_big = "".join(f"(?<={s})" if i == 0 else f"|(?<={s})" for i, s in enumerate(nw.scales))
    words_num = (
        rf"(?:(?:an?)\s+(?={any_scale}\b))?{w}"
        rf"(?:(?:\s+|-){w}\b|(?:{after_big})\s+and\s+{w}\b)*"
    )
    fractions = "(?:" + "|".join(nw.fractions) + ")"
    # "half a million", "a quarter of a million", "a half million", "a quarter-million"
    fraction = rf"(?:a\s+)?{fractions}(?:-|\s+(?:(?:of\s+)?an?\s+)?){big}"
    scales = "(?:" + "|".join(sorted(nw.digit_scales, key=len, reverse=True)) + ")"
    vague = phrase_pattern(nw.vague)
    suffixes = "|".join(re.escape(k) for k in _suffixes())
    # a key-figure value closing its line may stand apart from its letter ("11.7 M")
    spaced = rf"(?:[ ](?=(?:{suffixes})[ \t]*(?:\n|\Z)))"
    # a scale letter of either case, glued or apart, right before people counted ("21.2 m
    # people in need", "1.2m refugees"): no measure is written so
    counted = (
        rf"(?-i:[ ]?(?P<counted>[{''.join(sorted({k.lower() + k.upper() for k in _suffixes()}))}]))"
        rf"(?=[ ]+(?:{phrase_pattern(vocab_list('numbers', 'suffix_people'))})\b)"
    )
    # a count glued to the people it counts, as text taken from a PDF often is
    # ("2,079,501individuals", "14,250households")
    glued = rf"(?=(?:{phrase_pattern(vocab_list('numbers', 'suffix_people'))})\b)"
    pattern = (
        rf"(?P<digits>{_DIGITS})(?:\s*(?P<scale>{scales})\b|(?-i:{spaced}?(?P<suffix>{suffixes}))\b"
        rf"|{counted}"
        rf"|(?![A-Za-z\d])|{glued})"
        rf"|\b(?:(?P<frac>{fraction})\b"
        rf"|(?P<vague>{vague})\b"
        rf"|(?P<words>{words_num})\b)"
    )
    return compile_rx(pattern, re.IGNORECASE)


@cache
def _suffixes() -> dict[str, int]:
    """Scale letters glued to digits ("820K"), case-sensitive (numbers.yaml)."""
    return {str(k): int(v) for k, v in (load_yaml("numbers").get("digit_suffixes") or {}).items()}


_DIGIT_CHARS = "0123456789\u0660\u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668\u0669"


@cache
def _trigger() -> re.Pattern[str]:
    """Where a number can start: a digit, or a word that begins a number word.

    One flat alternation of literals, scanned over a lower-cased copy without
    IGNORECASE or a leading word boundary, so that the regex engine can skip ahead by
    first character; ``find_numbers`` checks the word boundaries itself."""
    nw = number_words()
    firsts = {w.split()[0] for w in [*nw.small, *nw.scales, *nw.fractions, *nw.vague]}
    firsts -= {"a", "an"}
    plural = {f"{w}s" for w in nw.scales}
    led = [
        f"{art} {w}"
        for art in ("a", "an")
        for w in ("dozen", "hundred", "thousand", "million", "billion", "quarter", "few")
    ]
    return compile_rx(phrase_pattern([*_DIGIT_CHARS, *firsts, *plural, "several", *led]))


def _wordish(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


_WORD_GAP = compile_rx(r"[\s\-]+")
_GROUP_MARKS = compile_rx(r"[,' ]")
_SEPARATORS = compile_rx(r"[,.' ]")


def parse_words(text: str) -> int | None:
    """Value of a number written in words ("two thousand eight hundred" -> 2800)."""
    nw = number_words()
    total = 0
    current = 0
    seen = False
    for token in _WORD_GAP.split(text.lower()):
        if token in ("and", ""):
            continue
        if token in ("a", "an"):
            current = max(current, 1)
            continue
        if token in nw.small:
            current += nw.small[token]
        elif token in nw.scales:
            scale = nw.scales[token]
            if scale >= 1000:
                total += max(current, 1) * scale
                current = 0
            else:
                current = max(current, 1) * scale
        else:
            return None
        seen = True
    return total + current if seen else None


# With a scale word a point is always decimal ("1.955 million"); a comma is decimal
# only before one or two digits ("1,5 million"), since "1,955 million" groups thousands.
_DECIMAL = compile_rx(r"\d+(?:\.\d{1,3}|,\d{1,2})")
_GROUPED = compile_rx(r"\d{1,3}(?:([,.' ])\d{3})(?:\1\d{3})*")
_LAKHS = compile_rx(r"\d{1,2}(?:,\d{2})+,\d{3}")  # "4,00,000": Indian grouping


def parse_digits(text: str, scale: str | None, factor: int = 0) -> tuple[int | None, bool]:
    """Value of digits with separators and an optional scale word (or its ``factor``);
    (value, is_decimal)."""
    if not scale and not factor and text.isdecimal():
        return int(text), False  # the common case: plain digits
    raw = text.replace("\u00a0", " ").replace("\u202f", " ").replace("\u2019", "'")  # 260’000
    nw = number_words()
    if scale or factor:
        factor = factor or nw.digit_scales[str(scale).lower()]
        if _DECIMAL.fullmatch(raw):  # 1.2 million, 1,5 million
            return round(float(raw.replace(",", ".")) * factor), False
        return round(float(_GROUP_MARKS.sub("", raw).replace(".", "")) * factor), False
    if _GROUPED.fullmatch(raw) or _LAKHS.fullmatch(raw):
        return int(_SEPARATORS.sub("", raw)), False
    if raw.isdecimal():
        return int(raw), False
    return None, True  # 2.5, 3,14: a fraction, not a count


def _parse_fraction(text: str) -> int | None:
    nw = number_words()
    low = text.lower().replace("-", " ").split()  # ("a quarter-million")
    fraction = next((nw.fractions[w] for w in low if w in nw.fractions), None)
    scale = next((nw.scales[w] for w in low if w in nw.scales), None)
    if fraction is None or scale is None:
        return None
    return round(fraction * scale)


# "20 to 30", "from 200,000 to some 700,000" (a hedge on the upper end is the range's)
_RANGE_GAP = compile_rx(
    r"\s*(?:-|–|‐|to|and|or)\s*(?:(?<=[a-z] )(?:some|about|around|roughly|nearly|almost)\s+)?",
    re.IGNORECASE,
)
_BETWEEN = compile_rx(r"\b(?:between|from)\s+$", re.IGNORECASE)
_CHANGE = compile_rx(
    r"\b(?:rose|risen|rising|increased|increasing|climbed|jumped|grew|fell|dropped|decreased|"
    r"declined|up|down|went)\s+(?:from\s+)?$",
    re.IGNORECASE,
)


def find_numbers(text: str) -> list[NumberMention]:
    """Every number written in ``text``, ranges merged, in order of appearance."""
    found: list[NumberMention] = []
    rx = number_regex()
    trigger = _trigger()
    pos = 0
    end = len(text)
    low = lower_same_length(text)
    while True:
        t = trigger.search(low, pos)
        if t is None:
            break
        ts, te = t.start(), t.end()
        if not low[ts].isdigit() and (
            (ts > 0 and _wordish(low[ts - 1])) or (te < end and _wordish(low[te]))
        ):
            pos = ts + 1  # inside a word ("someone", "tenth")
            continue
        m = rx.match(text, ts)
        if m is None or m.end() == m.start():
            pos = _skip_digits(text, ts + 1)
            continue
        pos = m.end()
        if _glued(text, m):
            continue
        mention = _mention(text, m)
        if mention is not None:
            found.append(mention)
            pos = mention.end
    return _merge_restated(text, _merge_ranges(text, _merge_scaled_sums(text, found)))


_SUM_GAP = compile_rx(r"\s+and\s+")
_SCALE_END = compile_rx(r"(?:thousand|million)$", re.IGNORECASE)


def _merge_scaled_sums(text: str, found: list[NumberMention]) -> list[NumberMention]:
    """Join "two thousand and 367", "11 thousand and 88" (as translated Arabic copy writes
    numbers: "ألفين و367") into one number: a count ending in its scale word, "and", then
    fewer than that scale in digits."""
    out: list[NumberMention] = []
    i = 0
    while i < len(found):
        a = found[i]
        if i + 1 < len(found) and a.value and a.value_high is None:
            b = found[i + 1]
            scale = 1_000_000 if text[a.start : a.end].lower().endswith("million") else 1000
            if (
                b.kind == "digits"
                and b.value is not None
                and b.value_high is None
                and b.value < scale
                and a.value % scale == 0
                and _SCALE_END.search(text, a.start, a.end)
                and _SUM_GAP.fullmatch(text, a.end, b.start)
            ):
                out.append(NumberMention(a.start, b.end, a.value + b.value, kind=a.kind))
                i += 2
                continue
        out.append(a)
        i += 1
    return out


_RESTATED = compile_rx(r"\s*\(\s*$")
_RESTATED_CLOSE = compile_rx(r"\s*\)")


def _merge_restated(text: str, found: list[NumberMention]) -> list[NumberMention]:
    """Join a number in words and the same number in digits in brackets after it ("five
    (5) health workers", as legal and agency copy writes counts) into one mention: one
    figure, whose noun is the word after the bracket."""
    out: list[NumberMention] = []
    i = 0
    while i < len(found):
        a = found[i]
        if i + 1 < len(found) and a.kind == "words" and a.value is not None:
            b = found[i + 1]
            close = _RESTATED_CLOSE.match(text, b.end)
            same = b.kind == "digits" and b.value == a.value and b.value_high is None
            if same and close and _RESTATED.match(text[a.end : b.start]):
                out.append(NumberMention(a.start, close.end(), a.value, kind="digits"))
                i += 2
                continue
        out.append(a)
        i += 1
    return out


def _skip_digits(text: str, pos: int) -> int:
    """Past the rest of a run of digits that does not read as a number."""
    if text[pos - 1].isdigit():
        while pos < len(text) and text[pos].isdigit():
            pos += 1
    return pos


def _glued(text: str, m: re.Match[str]) -> bool:
    """True when the match continues a word, a code or a decimal ("A4", "v2.5", "x-3")."""
    before = text[max(0, m.start() - 2) : m.start()]
    glued = before[-1:] and (before[-1].isalnum() or before[-1] in "_.,:/#+")
    hyphened = len(before) == 2 and before[0].isalpha() and before[1] in "-‐"
    if not (glued or hyphened):
        return False
    if before[-1:] == "/" and _WORD_SLASH.search(text, max(0, m.start() - 5), m.start()):
        return False  # "(1,022 individuals/216 households)": a pair split by a slash
    return bool(m.group("digits")) or before[-1:].isalnum()


_WORD_SLASH = compile_rx(r"[a-z]{3}/$")  # a word right before the slash


def _mention(text: str, m: re.Match[str]) -> NumberMention | None:
    """The number a match reads as, or None when it is no number after all."""
    if m.group("frac"):
        value = _parse_fraction(m.group("frac"))
        return None if value is None else NumberMention(m.start(), m.end(), value, kind="words")
    if m.group("vague"):
        phrase = " ".join(m.group("vague").lower().split())
        if phrase in number_words().vague_needs_of and not (
            _OF_AFTER.match(text, m.end()) or _bare_harm(text, m.start(), m.end())
        ):
            return None
        return NumberMention(m.start(), m.end(), None, value_text=phrase, kind="vague")
    if m.group("digits"):
        return _digits_mention(text, m)
    value = parse_words(m.group("words"))
    return None if value is None else NumberMention(m.start(), m.end(), value, kind="words")


# "scores of civilians", and "scores more were injured" (more of the people just counted)
_OF_AFTER = compile_rx(r"\s+(?:of|more)\b")


@cache
def _bare_vague_rx() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """A harm right after or right before a bare "scores"/"tens" (numbers.yaml)."""
    after = phrase_pattern(vocab_list("numbers", "vague_bare_after"))
    before = phrase_pattern(vocab_list("numbers", "vague_bare_before"))
    return (
        compile_rx(rf"\s+(?:more\s+)?(?:{after})\b", re.I),  # ("scores more were wounded")
        compile_rx(rf"\b(?:{before})\s+$", re.I),
    )


def _bare_harm(text: str, start: int, end: int) -> bool:
    """ "killing scores", "scores were killed": a bare "scores" or "tens" counts people when
    a harm stands right beside it (not "scores" of a test, "tens" of a number)."""
    after, before = _bare_vague_rx()
    return bool(after.match(text, end)) or bool(before.search(text, max(0, start - 20), start))


_STRAY_SPACE = compile_rx(r",\s\d{3}(?![\d]|[.,]\d)")
_COMMA_GROUPS = compile_rx(r"\d{1,3}(?:,\d{3})*")
_LAST_WORD = compile_rx(r"([A-Za-z]+)\.?\s+(?:\d{1,2}\s*(?:to|and|-|–)\s*)?$")


def _after_month(text: str, pos: int) -> bool:
    """True when a month name stands right before ``pos`` ("June 12, 400 people"), or
    before the day range it ends ("from February 24 to 28, 353 people")."""
    word = _LAST_WORD.search(text, max(0, pos - 24), pos)
    return word is not None and word.group(1).lower() in month_numbers()


@cache
def share_pattern() -> str:
    """The words of a share taken of a count ("half", "two-thirds", "40 per cent"), as a
    pattern for case-insensitive use (numbers.yaml ``share_words``)."""
    words = phrase_pattern(vocab_list("numbers", "share_words"), space=r"[\s-]+")
    return rf"(?:\b(?:{words})|\b\d+(?:[.,]\d+)?\s*(?:%|per\s*cent|percent))"


# a year then a dash or slash, right before a number: "2022-23", "2019/20" (its last two figures)
YEAR_DASH_BEFORE = compile_rx(r"(?<!\d)(?:19|20)\d\d[-–/]$")


def _digits_mention(text: str, m: re.Match[str]) -> NumberMention:
    """A number in digits, with its scale ("1.2 million"), its key-figure suffix ("820K")
    or a stray space after a thousands comma ("50, 000")."""
    digits, scale, suffix = m.group("digits"), m.group("scale"), m.group("suffix")
    suffix = suffix or (m.group("counted") or "").upper()
    if suffix:
        factor = _suffixes()[suffix]
        value, decimal = parse_digits(digits, None, factor)
        return NumberMention(m.start(), m.end(), value, decimal=False, kind="digits")
    end = m.end()
    stray = None if scale else _STRAY_SPACE.match(text, end)
    if (
        stray
        and _COMMA_GROUPS.fullmatch(digits)
        and not _after_month(text, m.start())
        and not YEAR_DASH_BEFORE.search(text, max(0, m.start() - 5), m.start())
    ):
        # "at least 50, 000 civilians" (a date such as "April 20, 500 people" is left alone,
        # and so is a year's end: "In 2019-20, 140 schools")
        digits, end = digits + "," + text[end + 2 : stray.end()], stray.end()
    value, decimal = parse_digits(digits, scale)
    plain = scale is None and digits.isdigit()
    return NumberMention(m.start(), end, value, decimal=decimal, plain=plain, kind="digits")


def _merge_ranges(text: str, found: list[NumberMention]) -> list[NumberMention]:
    """Join "20-30", "20 to 30" and "between 20 and 30" into one mention with value_high."""
    out: list[NumberMention] = []
    i = 0
    while i < len(found):
        a = found[i]
        scaled = _scaled_low(text, a, found[i + 1]) if i + 1 < len(found) else None
        if scaled is not None:  # "1.2-1.5 million": the low end takes the high end's scale
            out.append(scaled)
            i += 2
            continue
        if i + 1 < len(found) and a.value is not None and found[i + 1].value is not None:
            b = found[i + 1]
            gap = text[a.end : b.start]
            joiner = _RANGE_GAP.fullmatch(gap)
            before = text[max(0, a.start - 24) : a.start]
            if joiner and not a.decimal and not b.decimal:
                word = gap.strip().lower().split()[0]
                ok = word in ("-", "–", "‐") or (word == "to" and not _CHANGE.search(before))
                if word in ("and", "or"):  # "between 15 or 20 people"
                    ok = bool(_BETWEEN.search(before))
                if ok and (b.value or 0) > 31 and _after_month(text, a.start):
                    ok = False  # "since Oct. 14 to 12,014 people": a day, then the count
                low = a.value
                high = b.value
                assert low is not None and high is not None
                if ok and high >= 1000 and low < 1000 and b.kind == "digits":
                    scale = _trailing_scale(text[b.start : b.end])
                    if scale and low * scale <= high:
                        low *= scale
                if ok and low < high:
                    out.append(NumberMention(a.start, b.end, low, high, kind=a.kind, plain=False))
                    i += 2
                    continue
        out.append(a)
        i += 1
    return out


def _scaled_low(text: str, a: NumberMention, b: NumberMention) -> NumberMention | None:
    """ "1.2-1.5 million", "2.5 to 3 million": a decimal low end with no scale word of its
    own, joined to a high end that has one, counts in that scale."""
    if not a.decimal or b.value is None or b.decimal or b.kind != "digits":
        return None
    gap = text[a.end : b.start]
    word = gap.strip().lower()
    before = text[max(0, a.start - 24) : a.start]
    if _RANGE_GAP.fullmatch(gap) is None or _CHANGE.search(before):
        return None  # (not "rose from 1.2 to 1.5 million": a change, not a range)
    if word not in ("-", "–", "‐", "to") and not (word == "and" and _BETWEEN.search(before)):
        return None
    scale = _trailing_scale(text[b.start : b.end])
    low_text = text[a.start : a.end]
    if scale is None or not _DECIMAL.fullmatch(low_text):
        return None
    low = round(float(low_text.replace(",", ".")) * scale)
    if low >= b.value:
        return None
    return NumberMention(a.start, b.end, low, b.value, kind="digits", plain=False)


def _trailing_scale(text: str) -> int | None:
    words = text.lower().split()
    scales = number_words().digit_scales
    return scales.get(words[-1]) if len(words) > 1 else None
