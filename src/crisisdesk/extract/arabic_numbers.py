"""Numbers as Arabic writes them, found over the tokens of a text.

Digits of three scripts (0-9, Arabic-Indic ٠-٩, Persian ۰-۹) with "," or the
Arabic comma "،" (or "٬") grouping thousands and "." or "٫" as a decimal point
before a scale ("26.779 ألف" = 26779, "1.9 مليون"), grouping three digits with no
scale after ("10.446", "٨٢٫٠٠٠"); number words with or
without tashkeel and case endings, compounds joined by و in Arabic order
(unit, ten, then the scale: "تسعمئة وثلاثة وأربعين ألفاً" = 943000), digits and
words together ("62 ألفاً و263", "مليونين و4 آلاف، و66"), fractions of a scale
("ربع مليون"), and vague amounts ("عشرات"، "مئات آلاف") with their value_text as
written, without a clinging particle. Duals ("طفلان", "بغارتين") are counted by
the reader, which knows the nouns (arabic_reading.py).

The words are data (``data/vocab/ar/numbers.yaml``); this module is the grammar
that data cannot say. Every mention indexes the original text.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass
from functools import cache, lru_cache
from itertools import compress, count, repeat
from operator import itemgetter
from typing import NamedTuple

from crisisdesk.extract.compiled import compile_rx
from crisisdesk.extract.numbers import NumberMention
from crisisdesk.extract.tokens import Token, fold, longest_first, stems
from crisisdesk.vocab import load_lang_yaml

__all__ = ["ArabicNumbers", "find_numbers_ar", "numbers_vocab", "read_digits"]

_D = "[0-9\u0660-\u0669\u06f0-\u06f9]"
# "{_D}{1,3}(?:[,،٬]{_D}{3})+(?!{_D})|{_D}+(?:[.٫]{_D}+)?" with its first digit taken out of
# the two branches: a pattern that opens with one character class is searched for by a
# fast scan to that class, where an alternation is tried at every character of the text
# ... and thousands grouped by two dots or more ("11.559.907": no decimal has two points)
_DIGITS = compile_rx(
    rf"{_D}(?:{_D}{{0,2}}(?:[,\u060c\u066c]{_D}{{3}})+(?!{_D})"
    rf"|{_D}{{0,2}}(?:[.\u066b]{_D}{{3}}){{2,}}(?![.\u066b]?{_D})|{_D}*(?:[.\u066b]{_D}+)?)"
)
# digits glued to Latin letters are part of a name ("مراسل sy24", "G20"), not a count
_LATIN = frozenset(string.ascii_letters)
_TO_ASCII = str.maketrans(
    "\u0660\u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668\u0669", "0123456789"
)
_TO_ASCII.update(str.maketrans("۰۱۲۳۴۵۶۷۸۹", "0123456789"))
_MARK = compile_rx(r"[\u064B-\u065F\u0670\u0610-\u061A\u0640]")


@dataclass(frozen=True, slots=True)
class ArabicNumbers:
    """The folded number words of numbers.yaml, by kind."""

    units: dict[str, int]
    tens: dict[str, int]
    hundreds: dict[str, int]
    hundred_stems: tuple[str, ...]
    scales: dict[str, int]
    dual_scales: frozenset[str]
    fractions: dict[str, float]
    vague: dict[str, tuple[str, ...]]  # first word -> full folded phrases (longest first)
    teen_only: frozenset[str]
    not_vague: frozenset[str] = frozenset()  # words that hold a vague amount's letters
    opening_duals: frozenset[str] = frozenset()  # "مليونا شخص": a dual when it opens


@cache
def numbers_vocab() -> ArabicNumbers:
    data = load_lang_yaml("ar", "numbers")

    def table(key: str) -> dict[str, int]:
        return {fold(str(k)): int(v) for k, v in data[key].items()}

    vague: dict[str, list[str]] = {}
    for phrase in data["vague"]:
        f = fold(str(phrase))
        vague.setdefault(f.split()[0], []).append(f)
    return ArabicNumbers(
        units=table("units"),
        tens=table("tens"),
        hundreds=table("hundreds"),
        hundred_stems=tuple(fold(str(s)) for s in data["hundred_stems"]),
        scales=table("scales"),
        dual_scales=frozenset(fold(str(s)) for s in data["dual_scales"]),
        fractions={fold(str(k)): float(v) for k, v in data["fractions"].items()},
        vague={k: tuple(sorted(v, key=len, reverse=True)) for k, v in vague.items()},
        not_vague=frozenset(fold(str(w)) for w in data.get("not_vague") or ()),
        opening_duals=frozenset(fold(str(w)) for w in data.get("opening_duals") or ()),
        teen_only=frozenset(fold(str(s)) for s in data["teen_only"]),
    )


def read_digits(raw: str, scale: int = 0) -> tuple[int | None, bool]:
    """Value of a run of digits of any script; (value, is_decimal)."""
    s = raw.translate(_TO_ASCII)
    if not scale and s.isdigit():  # most numbers: no pattern below matches digits alone
        return int(s), False
    if scale:
        if re.fullmatch(r"\d+[.\u066b]\d+", s):
            return round(float(s.replace("\u066b", ".")) * scale), False
        return int(re.sub(r"\D", "", s)) * scale, False
    if re.fullmatch(r"\d{1,3}(?:[,\u060c\u066c]\d{3})+", s):
        return int(re.sub(r"\D", "", s)), False
    if re.fullmatch(
        r"\d{1,3}(?:[.\u066b]\d{3})+", s
    ):  # "10.446", "٨٢٫٠٠٠", "11.559.907": thousands grouped with a dot
        return int(re.sub(r"\D", "", s)), False
    if s.isdigit():
        return int(s), False
    return None, True


# --- atoms: the words and digit runs of the text, in order ------------------------------


class _Atom(NamedTuple):
    """A word or a run of digits (a named tuple: one is made per word of the document)."""

    start: int
    end: int
    norm: str  # folded word, or "" for digits
    digits: str = ""


def _atoms(text: str, tokens: list[Token]) -> list[_Atom]:
    """The tokens and digit runs of ``text`` in order (the tokens made into atoms with no
    Python step per word; no two atoms start at one offset, so tuples sort by start)."""
    parts = (map(itemgetter(k), tokens) for k in (0, 1, 2))
    out = list(map(tuple.__new__, repeat(_Atom), zip(*parts, repeat(""))))
    out.extend(
        _Atom(m.start(), m.end(), "", m.group())
        for m in _DIGITS.finditer(text)
        if not (m.start() and text[m.start() - 1] in _LATIN)
    )
    out.sort()
    return out


def _word_kind(norm: str, nv: ArabicNumbers) -> tuple[str, float, int] | None:
    """(kind, value, letters of proclitic) of a number word, trying its clitic readings."""
    return _word_kind_of(norm)


@lru_cache(maxsize=32768)
def _word_kind_of(norm: str) -> tuple[str, float, int] | None:
    nv = numbers_vocab()
    for s in stems(norm):
        if len(norm) - len(s) > 2 or not norm.endswith(s) and not norm.startswith(s):
            continue
        cut = norm.find(s) if norm.endswith(s) else 0
        if s in nv.units:
            return "unit", nv.units[s], cut
        if s in nv.tens:
            return "ten", nv.tens[s], cut
        if s in nv.hundreds:
            return "hundred", nv.hundreds[s], cut
        for h in nv.hundred_stems:
            if s.endswith(h) and s[: -len(h)] in nv.units:
                return "hundred", nv.units[s[: -len(h)]] * 100, cut
        if s in nv.scales:
            return "scale", nv.scales[s], cut
        if s in nv.fractions:
            return "fraction", nv.fractions[s], cut
    return None


def _orig_cut(text: str, start: int, letters: int) -> int:
    """The offset in the original text after ``letters`` folded letters from ``start``."""
    pos = start
    seen = 0
    while seen < letters and pos < len(text):
        if not _MARK.match(text[pos]):
            seen += 1
        pos += 1
    while pos < len(text) and _MARK.match(text[pos]):
        pos += 1
    return pos


def _gap_ok(
    text: str, a: int, b: int, comma: bool = False, shut: bool = False, opened: bool = False
) -> bool:
    """Only spaces between two atoms (or a comma, with ``comma``; the bracket closing digits
    before, with ``shut``; the one opening digits after, with ``opened``)."""
    gap = text[a:b].strip()
    return (
        gap == ""
        or (comma and gap in ("،", ","))
        or (shut and gap == ")")
        or (opened and gap == "(")
    )


def _bracketed(text: str, a: _Atom) -> bool:
    """Digits standing alone in brackets ("(68)"), as some agencies write every figure."""
    return bool(a.digits) and text[a.start - 1 : a.start] == "(" and text[a.end : a.end + 1] == ")"


def find_numbers_ar(text: str, tokens: list[Token]) -> list[NumberMention]:
    """Every number written in ``text`` (Arabic script), in order of appearance."""
    nv = numbers_vocab()
    atoms = _atoms(text, tokens)
    out: list[NumberMention] = []
    # most words open no number (one cached look-up each, the same answer as _read_at's):
    # only the other atoms are read, each past the number read before it
    i = 0
    for k in compress(count(), map(_opens_number, map(itemgetter(2), atoms))):
        if k < i:
            continue
        got = _read_at(text, atoms, k, nv)
        if got is None:
            i = k + 1
            continue
        mention, i = got
        if mention is not None:
            out.append(mention)
    return _merge_ranges(text, out) if len(out) > 1 else out


@cache
def _range_words() -> tuple[re.Pattern[str], frozenset[str]]:
    d = load_lang_yaml("ar", "numbers")
    opens = sorted({fold(str(w)) for w in d["range_opens"]}, key=longest_first)
    opens_rx = compile_rx(rf"(?<![^\W\d_])(?:{'|'.join(map(re.escape, opens))})\s*$")
    return opens_rx, frozenset(fold(str(w)) for w in d["range_joiners"])


def _merge_ranges(text: str, found: list[NumberMention]) -> list[NumberMention]:
    """Join "بين 3 و4 آلاف" and "300-400" into one mention with value_high (the low end
    takes the scale written after the high one: 3000 to 4000)."""
    opens, joiners = _range_words()
    out: list[NumberMention] = []
    i = 0
    while i < len(found):
        a = found[i]
        b = found[i + 1] if i + 1 < len(found) else None
        merged = _range(text, a, b, opens, joiners) if b is not None else None
        if merged is not None:
            out.append(merged)
            i += 2
            continue
        out.append(a)
        i += 1
    return out


def _range(
    text: str, a: NumberMention, b: NumberMention, opens: re.Pattern[str], joiners: frozenset[str]
) -> NumberMention | None:
    if a.value is None or b.value is None or a.value_high is not None or a.decimal or b.decimal:
        return None
    gap = text[a.end : b.start]
    if gap in ("-", "\u2013"):
        ok = a.kind == b.kind == "digits"
    elif len(gap) > 4:  # most pairs of numbers: far apart, nothing to fold
        return None
    else:
        joined = fold(gap).strip()
        before = fold(text[max(0, a.start - 16) : a.start])
        ok = joined in joiners and opens.search(before) is not None
    if not ok:
        return None
    low, high = a.value, b.value
    scale = _scale_of(high)
    if low < scale <= high and low * scale <= high:
        low *= scale  # "بين 3 و4 آلاف": the scale is written once
    if low >= high:
        return None
    return NumberMention(a.start, b.end, low, high, kind=a.kind)


def _read_at(
    text: str, atoms: list[_Atom], i: int, nv: ArabicNumbers
) -> tuple[NumberMention | None, int] | None:
    """The number at atom ``i`` and the atom after it; (None, j) to skip words up to j
    that read as a number but count nothing."""
    a = atoms[i]
    if a.digits:
        return _read_digit_number(text, atoms, i, nv)
    vague = _vague_at(text, atoms, i, nv)
    if vague is not None:
        return vague
    kind = _word_kind(a.norm, nv)
    if kind is None or kind[0] == "scale" and a.norm.endswith(("الاف", "ملايين")):
        return None
    got = _read_word_number(text, atoms, i, nv)
    scaled = got is not None and got[0] is not None and (got[0].value or 0) >= 1000
    hedged_hundred = i > 0 and atoms[i - 1].norm in _hedges() and _hundred(a.norm, nv)
    if got is not None and _definite(a.norm, nv) and not scaled and not hedged_hundred:
        return None, got[1]  # "الأسرة الستة", "الأسابيع السبعة": an adjective, not a count
    # (with a scale after it, "تجاوزت الحصيلة المئة ألف قتيل", it is a count: the mark passed)
    return got


def _vague_at(
    text: str, atoms: list[_Atom], i: int, nv: ArabicNumbers
) -> tuple[NumberMention, int] | None:
    """ "عشرات", "بالعشرات" (value_text "العشرات"), "مئات آلاف", "عشرات الآلاف"."""
    a = atoms[i]
    if not _may_be_vague(a.norm):
        return None
    # a reading that is itself a vague amount comes before one that lacks its article:
    # "بآلاف" is ب + "آلاف", not بال + "اف" read as "الآلاف" without its article
    readings = stems(a.norm)
    readings = tuple(sorted(readings, key=lambda s: s not in nv.vague))
    for s in readings:
        if not a.norm.endswith(s):
            continue
        phrases = nv.vague.get(s) or nv.vague.get("ال" + s if not s.startswith("ال") else s[2:])
        if not phrases:
            continue
        cut = len(a.norm) - len(s)
        # keep the article: "بالعشرات" -> "العشرات"
        if s in nv.vague and a.norm[:cut].endswith("ال") and ("ال" + s) in nv.vague:
            cut -= 2
        for phrase in phrases:
            words = phrase.split()
            if words[0] not in (s, "ال" + s) and ("ال" + words[0]) != s:
                continue
            j, end = i, a.end
            ok = True
            for w in words[1:]:
                j += 1
                if j >= len(atoms) or atoms[j].norm != w or not _gap_ok(text, end, atoms[j].start):
                    ok = False
                    break
                end = atoms[j].end
            if not ok:
                continue
            start = _orig_cut(text, a.start, cut)
            written = text[start:end]
            return NumberMention(start, end, None, value_text=written, kind="vague"), j + 1
    return None


@lru_cache(maxsize=32768)
def _no_number(norm: str) -> bool:
    """A word that neither is nor opens a number word or a vague amount (``_read_at`` reads
    nothing at it)."""
    return not _may_be_vague(norm) and _word_kind_of(norm) is None


@lru_cache(maxsize=32768)
def _opens_number(norm: str) -> bool:
    """Whether ``_read_at`` may read a number at an atom of this norm ("" for digits)."""
    return not norm or not _no_number(norm)


@lru_cache(maxsize=32768)
def _may_be_vague(norm: str) -> bool:
    nv = numbers_vocab()
    vague, words = nv.vague, stems(norm)
    if any(s in nv.not_vague for s in words):
        return False  # "كميات" (quantities) is no "ك" + "مئات"
    return any(s in vague or "ال" + s in vague or s[2:] in vague for s in words)


def _read_digit_number(
    text: str, atoms: list[_Atom], i: int, nv: ArabicNumbers
) -> tuple[NumberMention, int]:
    a = atoms[i]
    start, end = a.start, a.end
    j = i + 1
    scale = 0
    shut = _bracketed(text, a)  # "(68) ألفًا و(234)": the digits in brackets, the scale after
    if j < len(atoms) and atoms[j].norm and _gap_ok(text, end, atoms[j].start, shut=shut):
        k = _word_kind(atoms[j].norm, nv)
        if k and k[0] == "scale" and k[2] == 0 and atoms[j].norm not in nv.dual_scales:
            scale = int(k[1])
            end = atoms[j].end
            j += 1
    value, decimal = read_digits(a.digits, scale)
    if value is None:
        return NumberMention(start, end, None, decimal=True, kind="digits"), j
    if scale:
        value, end, j = _continue(text, atoms, j, end, value, scale, nv)
    plain = not scale and a.digits.translate(_TO_ASCII).isdigit()
    return NumberMention(start, end, value, decimal=decimal, plain=plain, kind="digits"), j


def _continue(
    text: str, atoms: list[_Atom], j: int, end: int, value: int, scale: int, nv: ArabicNumbers
) -> tuple[int, int, int]:
    """After a scale: "و263", "و4 آلاف، و66", "وسبعمئة واثنان وثلاثون" add a smaller part."""
    while j < len(atoms):
        b = atoms[j]
        if not _gap_ok(text, end, b.start, comma=True):
            break
        nxt = None
        if (
            b.norm == "و"
            and j + 1 < len(atoms)
            and _gap_ok(text, b.end, atoms[j + 1].start, opened=_bracketed(text, atoms[j + 1]))
        ):
            c = atoms[j + 1]
            if c.digits:
                nxt = _read_digit_number(text, atoms, j + 1, nv)
            elif _word_kind(c.norm, nv):
                nxt = _read_word_number(text, atoms, j + 1, nv)
        elif b.norm.startswith("و") and not b.digits:
            k = _word_kind(b.norm, nv)
            if k and k[0] != "scale" and k[2] == 1:
                nxt = _read_word_number(text, atoms, j, nv)
        elif _bare_hundreds(text, b, end, scale):
            nxt = _read_digit_number(text, atoms, j, nv)  # "44 ألفًا 532 مصابًا": "و" left out
        if nxt is None or nxt[0].value is None or nxt[0].value >= scale:
            break
        part, j = nxt
        assert part.value is not None
        value += part.value
        end = part.end
        scale = _scale_of(part.value)
        if scale <= 1:
            break
    return value, end, j


def _bare_hundreds(text: str, b: _Atom, end: int, scale: int) -> bool:
    """Three digits right after "ألف" with only a space between ("44 ألفًا 532 مصابًا"): the
    hundreds of the thousands, their "و" left out, as some reports write them; not a part
    counted out of them ("5 آلاف 300 منهم أطفال")."""
    return (
        scale == 1000
        and len(b.digits) == 3
        and b.digits.isdigit()
        and not text[end : b.start].strip()
        and not text[b.end : b.end + 6].lstrip().startswith(("منه", "منها"))
    )


def _scale_of(value: int) -> int:
    for s in (1_000_000_000, 1_000_000, 1000):
        if value >= s and value % s == 0:
            return s
    return 1


def _read_word_number(
    text: str, atoms: list[_Atom], i: int, nv: ArabicNumbers
) -> tuple[NumberMention, int] | None:
    """A number in words from atom ``i``: groups of hundred, unit, ten, then a scale."""
    total = 0
    current = 0.0
    prev = ""
    start = end = -1
    j = i
    while j < len(atoms):
        a = atoms[j]
        if a.digits:
            break
        if j > i and not _gap_ok(text, end, a.start, comma=prev == "scale"):
            break
        joined = False
        norm = a.norm
        if j > i and norm == "و" and j + 1 < len(atoms) and not atoms[j + 1].digits:
            k = _word_kind(atoms[j + 1].norm, nv)
            if k is None or not _gap_ok(text, a.end, atoms[j + 1].start):
                break
            joined = True
            j += 1
            a = atoms[j]
            norm = a.norm
        k = _word_kind(norm, nv)
        if k is None:
            break
        kind, val, cut = k
        if j > i and not joined:
            joined = cut == 1 and norm.startswith("و")
        if j > i and not _follows(prev, kind, joined, norm):
            break
        if j == i:
            start = _orig_cut(text, a.start, cut) if kind != "fraction" else a.start
            if kind == "scale" and _opens_as_dual(text, a, cut, nv):
                val *= 2  # "مليونا شخص": two million ("ألف", "مليون" alone: one)
        if kind == "scale":
            if norm in nv.dual_scales or any(s in nv.dual_scales for s in stems(norm)):
                total += int(val)
            else:
                total += round((current or 1) * val)
            current = 0.0
        elif kind == "fraction":
            current = val
        elif (
            kind == "unit"
            and norm.endswith("عشر")
            and prev == "unit"
            and not joined
            or kind == "unit"
            and prev == "unit"
            and not joined
            and val == 10
        ):
            current += 10
        else:
            current += val
        prev = kind
        end = a.end
        j += 1
    if start < 0 or prev == "fraction":
        return None
    first = atoms[i].norm
    matched = next((s for s in stems(first) if s in nv.units), None)
    if j == i + 1 and matched in nv.teen_only:
        return None  # "أحدهم" (one of them), "الأحد" (Sunday)
    value = total + round(current)
    if value <= 0:
        return None
    if total and total % 1000 == 0:  # "خمسمئة وأربعون ألفاً، وسبعمئة واثنان وثلاثون"
        value, end, j = _continue(text, atoms, j, end, value, _scale_of(total), nv)
    return NumberMention(start, end, value, kind="words"), j


def _opens_as_dual(text: str, a: _Atom, cut: int, nv: ArabicNumbers) -> bool:
    """Whether a scale word that opens a figure is a dual in the construct state
    ("مليونا شخص", two million people) rather than the accusative of one, which follows a
    number ("15 مليونا") or is written with its tanween ("ألفًا")."""
    return a.norm[cut:] in nv.opening_duals and "\u064b" not in text[a.start : a.end]


@cache
def _hedges() -> frozenset[str]:
    """One-word hedges of about ("نحو", "حوالي", "قرابة"), from qualifiers.yaml."""
    words = load_lang_yaml("ar", "qualifiers")["approx"]
    return frozenset(fold(str(w)) for w in words if " " not in str(w))


def _hundred(norm: str, nv: ArabicNumbers) -> bool:
    """ "المئة", "المائة": the hundred with the article, a round count after a hedge
    ("حوالي المائة", "نحو المئة": about a hundred), unlike "the six" after a noun."""
    return any(norm == "ال" + s and nv.hundreds.get(s) == 100 for s in stems(norm)[1:])


def _definite(norm: str, nv: ArabicNumbers) -> bool:
    """A number word with the article ("الستة", "والثلاث"): it follows a definite noun as
    an adjective ("the six"), or is an ordinal day; not a count of its own."""
    for s in stems(norm)[1:]:
        head = norm[: len(norm) - len(s)] if norm.endswith(s) else ""
        if head.endswith("ال") and (s in nv.units or s in nv.tens or s in nv.hundreds):
            return True
    return False


def _follows(prev: str, kind: str, joined: bool, norm: str) -> bool:
    """May a number word of ``kind`` continue a number whose last word was ``prev``?"""
    if kind == "scale":
        return prev in ("unit", "ten", "hundred", "fraction") and not joined
    if kind == "unit" and not joined:
        return prev == "unit" and norm.endswith(("عشر", "عشره"))  # "ثلاثة عشر"
    if not joined:
        return False
    if prev == "hundred":
        return kind in ("unit", "ten")
    if prev == "unit":
        return kind == "ten"
    if prev == "scale":
        return kind in ("hundred", "unit", "ten")
    return False
