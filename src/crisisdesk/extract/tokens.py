"""Words of an Arabic-script text as tokens that keep their offsets, folded for matching.

Arabic writes one word many ways: hamza forms (أ إ آ ٱ), alef maqsura (ى) for
ya, ta marbuta (ة) for ha, tatweel (ـ) and optional diacritics (tashkeel, case
endings). Matching folds all of them, but evidence must index the original
text, so folding is done per token and every token keeps ``start``/``end``
into ``Document.text``; nothing is rewritten.

Arabic also glues particles to words: proclitics (و "and", ف, ب "with/by",
ل "for", ك "as", the article ال) and enclitic pronouns (ـه ـها ـهم ...).
``stems`` gives the readings of a token with them taken off, most literal
first, so that a vocabulary lists a word once ("قتلى") and matches "والقتلى",
"بالقتلى", "للقتلى". The clitic lists are data (``data/vocab/ar/tokens.yaml``).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Container, Iterable, Iterator
from functools import cache
from itertools import accumulate, compress, count, repeat
from typing import NamedTuple

from crisisdesk.extract.compiled import compile_rx
from crisisdesk.vocab import load_lang_yaml

__all__ = [
    "Token",
    "fold",
    "fold_with_offsets",
    "folded_words",
    "leading_word",
    "matches_at",
    "span_back",
    "starts_of",
    "stems",
    "tokenise",
    "tokens_at",
]

# a word: letters of any script with their combining marks (tashkeel) and tatweel;
# digits are not part of words ("بـ31" is the particle and the number)
_MARK = r"[\u064B-\u065F\u0670\u0610-\u061A\u06D6-\u06ED\u0640]"
_MARKS = compile_rx(_MARK)
# runs of marks, as one mark then more: a pattern opening with a character class is
# searched by a fast scan to that class, where "_MARK+" is tried at every character
_MARK_RUNS = compile_rx(f"{_MARK}{_MARK}*")
_WORD_SPLIT = compile_rx(r"([^\W\d_]+)")  # split keeps the words between the gaps
_LETTERS = compile_rx(r"[^\W\d_]+")
_FOLD = str.maketrans(
    {
        "\u0623": "\u0627",  # أ
        "\u0625": "\u0627",  # إ
        "\u0622": "\u0627",  # آ
        "\u0671": "\u0627",  # ٱ
        "\u0649": "\u064a",  # ى -> ي
        "\u0629": "\u0647",  # ة -> ه
        "\u0624": "\u0648",  # ؤ -> و
        "\u0626": "\u064a",  # ئ -> ي
        "\u06cc": "\u064a",  # Persian yeh
        "\u06a9": "\u0643",  # Persian kaf
    }
)


class Token(NamedTuple):
    """One word: ``start``/``end`` index the original text; ``norm`` is its folded form.
    A named tuple: a document makes one per word, and a tuple is made several times
    faster than a frozen dataclass."""

    start: int
    end: int
    norm: str
    index: int  # type: ignore[assignment]  # (shadows tuple.index, never called)


def longest_first(phrase: str) -> tuple[int, str]:
    """Sort key of a pattern's alternatives: longer first, then by text, so that the
    pattern is the same string in every run (a set's order changes from run to run;
    two phrases of one length never match at the same place, so the order between
    them changes nothing a pattern matches)."""
    return -len(phrase), phrase


def folded_alternation(phrases: Iterable[object]) -> str:
    """Phrases of a vocabulary list as one alternation for the folded text: each folded,
    longest first (``longest_first``), the spaces between its words matching any run."""
    parts = sorted({" ".join(fold(str(p)).split()) for p in phrases}, key=longest_first)
    return "|".join(r"\s+".join(map(re.escape, p.split())) for p in parts)


def fold(text: str) -> str:
    """``text`` with diacritics and tatweel removed and letter variants folded (lower case)."""
    return _MARKS.sub("", text).translate(_FOLD).lower()


_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
# both as (character, replacement) pairs, replaced one by one: no replacement is itself
# replaced, so this is ``translate`` with _FOLD then _DIGITS, and each ``str.replace`` is a
# fast scan where ``translate`` looks every character of the text up in a dict
_FOLD_PAIRS = tuple(
    (chr(a), b if isinstance(b, str) else chr(b))  # type: ignore[arg-type]
    for a, b in {**_FOLD, **_DIGITS}.items()
)


def _fold_letters(kept: str) -> str:
    for a, b in _FOLD_PAIRS:
        if a in kept:
            kept = kept.replace(a, b)
    return kept


def fold_with_offsets(text: str) -> tuple[str, list[int]]:
    """A folded copy of ``text`` (as ``fold``, digits of any script as 0-9) and, for each of
    its characters, the offset of the character of ``text`` it came from (one more entry
    for the end), so that a match on the copy maps back to an exact span of ``text``.
    Runs of marks are cut out slice by slice: most Arabic text carries few."""
    pieces: list[str] = []
    offsets: list[int] = []
    pos = 0
    for m in _MARK_RUNS.finditer(text):
        if m.start() > pos:
            pieces.append(text[pos : m.start()])
            offsets.extend(range(pos, m.start()))
        pos = m.end()
    pieces.append(text[pos:])
    offsets.extend(range(pos, len(text)))
    offsets.append(len(text))
    kept = _fold_letters("".join(pieces))
    folded = kept.lower()
    if len(folded) != len(kept):  # a character whose lower case is longer: keep it as is
        folded = kept
    return folded, offsets


def span_back(text: str, offsets: list[int], fs: int, fe: int) -> tuple[int, int]:
    """The span of ``text`` that the folded copy's ``[fs, fe)`` came from, with the marks
    written on its last letter (tashkeel, tatweel) included."""
    if fe <= fs:
        return offsets[fs], offsets[fs]
    end = offsets[fe - 1] + 1
    while end < len(text) and _MARKS.match(text[end]):
        end += 1
    return offsets[fs], end


def tokenise(text: str, folded: tuple[str, list[int]] | None = None) -> list[Token]:
    """The words of ``text`` in order, folded, with offsets into ``text`` (pass the
    document's ``fold_with_offsets`` when it is already made)."""
    low, offsets = folded or fold_with_offsets(text)
    words, fstarts, fends = folded_words(low)
    return tokens_at(words, fstarts, fends, offsets)[0]


def folded_words(low: str) -> tuple[list[str], list[int], list[int]]:
    """The words of a folded text (``tokenise``'s norms) with their starts and ends in it,
    cut by one ``split``: no Python step per word."""
    parts = _WORD_SPLIT.split(low)  # gap, word, gap, word, ..., gap
    bounds = list(accumulate(map(len, parts)))
    return parts[1::2], bounds[0:-1:2], bounds[1::2]


def tokens_at(
    words: list[str], fstarts: list[int], fends: list[int], offsets: list[int]
) -> tuple[list[Token], list[int]]:
    """The tokens of ``folded_words`` (and their starts) in the original text. A word's
    end there is where the next kept character stands: only marks are cut from the
    folded copy, so that takes in the marks written on the word's last letter, as
    ``span_back`` does."""
    starts = list(map(offsets.__getitem__, fstarts))
    ends = map(offsets.__getitem__, fends)
    made = map(tuple.__new__, repeat(Token), zip(starts, ends, words, count()))
    return list(made), starts


def leading_word(written: str) -> str:
    """The word a match of the literal text ``written`` starts with, as tokens are cut:
    its leading letters ("" when it opens with a non-letter)."""
    m = _LETTERS.match(written)
    return m.group() if m else ""


def starts_of(norms: list[str], fstarts: list[int], words: Container[str]) -> list[int]:
    """The folded starts of the words among ``words``, in order (one look-up per word,
    with no Python step per word)."""
    return [fstarts[i] for i in compress(count(), map(words.__contains__, norms))]


def matches_at(
    rx: re.Pattern[str], s: str, starts: list[int], fs: int = 0, fe: int | None = None
) -> Iterator[re.Match[str]]:
    """``rx.finditer(s, fs, fe)`` for a pattern that can only match at ``starts``
    (sorted): ``rx.match`` at each of them, in order, past the previous match. A
    look-behind sees the text before ``fs`` either way, and ``fe`` ends the text for
    look-aheads as it does for ``finditer``."""
    end = len(s) if fe is None else fe
    pos = fs
    for k in range(bisect.bisect_left(starts, fs), len(starts)):
        p = starts[k]
        if p >= end:
            return
        if p < pos:
            continue
        m = rx.match(s, p, end)
        if m is not None:
            yield m
            pos = m.end()


@cache
def _clitics() -> tuple[tuple[str, ...], tuple[str, ...], int]:
    data = load_lang_yaml("ar", "tokens")
    pro = tuple(sorted((fold(str(p)) for p in data["proclitics"]), key=len, reverse=True))
    enc = tuple(sorted((fold(str(p)) for p in data["enclitics"]), key=len, reverse=True))
    return pro, enc, int(data.get("min_stem", 2))


def enclitics() -> tuple[str, ...]:
    """The folded enclitic pronouns of the data (ه, ها, هم ...), longest first."""
    return _clitics()[1]


@cache
def stems(norm: str) -> tuple[str, ...]:
    """Readings of a folded word with clitics removed, the word itself first.

    Every proclitic sequence of the data (و، ف، ب، ل، ك، ال and their combinations such
    as وبال، لل) is tried, then an enclitic pronoun, keeping a stem of at least
    ``min_stem`` letters. Callers look the readings up in order and keep the first hit,
    so a word that merely begins with such a letter ("بلدة", "لبنان") matches itself first.
    """
    pro, enc, min_stem = _clitics()
    out = [norm]
    for p in pro:
        if norm.startswith(p) and len(norm) - len(p) >= min_stem:
            out.append(norm[len(p) :])
    for s in list(out):
        for e in enc:
            if s.endswith(e) and len(s) - len(e) >= min_stem:
                out.append(s[: -len(e)])
    # the accusative alef of an indefinite noun ("مدنياً" -> "مدنيا") and a folded
    # ta marbuta before an enclitic ("عائلته" -> "عائله")
    for s in list(out):
        if s.endswith("ا") and len(s) > min_stem + 1:
            out.append(s[:-1])
        if s.endswith("ت") and len(s) > min_stem + 1:
            out.append(s[:-1] + "ه")
    seen: dict[str, None] = {}
    for s in out:
        seen.setdefault(s, None)
    return tuple(seen)
