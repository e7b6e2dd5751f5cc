"""Which language a text is written in, told by its script.

The pipeline reads every language with the same components and picks each
component's phrase tables by this code, so the detector must be cheap, need no
model and never download anything. Script is enough for the languages we read:
Arabic letters mean Arabic ("ar"), Latin letters mean English ("en"); a text
with no letters at all is "und" (undetermined, the BCP 47 code).

Persian and Urdu share the Arabic script; the few letters only they use
(پ چ ژ گ ک ی) are counted so that a Persian text is not read as Arabic ("fa").
"""

from __future__ import annotations

import re

__all__ = [
    "all_arabic",
    "detect_language",
    "has_arabic_script",
    "paragraph_languages",
    "script_counts",
]

# letters of the Arabic script (base block and presentation forms), digits excluded
_ARABIC = re.compile(
    r"[\u0621-\u064A\u066E-\u06D3\u06FA-\u06FF\u0750-\u077F\uFB50-\uFDFF\uFE70-\uFEFC]"
)
_ARABIC_RUN = re.compile(_ARABIC.pattern + "+")
_PERSIAN_ONLY = re.compile(r"[\u067E\u0686\u0698\u06AF\u06A9\u06CC]")
_LATIN = re.compile(r"[A-Za-z\u00C0-\u024F]")
_PARAGRAPH = re.compile(r"\n[ \t\xa0]*\n")

# a text needs this share of Arabic-script letters to be read as Arabic: an
# English report quoting an Arabic name stays English, an Arabic report with a
# few Latin acronyms (UNRWA, OCHA) stays Arabic
_ARABIC_SHARE = 0.5


def script_counts(text: str) -> tuple[int, int, int]:
    """Letters of the Arabic script, of them the Persian-only ones, and Latin letters.
    Arabic letters are counted by runs (a word at a time, not a string per letter: half
    the time on Arabic reports)."""
    return (
        sum(map(len, _ARABIC_RUN.findall(text))),
        len(_PERSIAN_ONLY.findall(text)),
        len(_LATIN.findall(text)),
    )


def has_arabic_script(text: str) -> bool:
    """True when ``text`` holds any letter of the Arabic script (one fast scan: most
    English texts need nothing more)."""
    return _ARABIC.search(text) is not None


def all_arabic(text: str) -> bool:
    """True when every paragraph of ``text`` reads as Arabic: it has Arabic-script letters
    and no Latin or Persian-only letter (what ``paragraph_languages`` would say of each
    paragraph, told by two fast scans instead of counting every letter twice)."""
    return (
        has_arabic_script(text)
        and _LATIN.search(text) is None
        and _PERSIAN_ONLY.search(text) is None
    )


def _decide(arabic: int, persian: int, latin: int) -> str:
    if arabic == 0 and latin == 0:
        return "und"
    if arabic >= _ARABIC_SHARE * (arabic + latin):
        # Persian-only letters in more than a trace of the text
        return "fa" if persian * 20 > arabic else "ar"
    return "en"


def detect_language(text: str) -> str:
    """The language code of ``text`` by its script: "ar", "fa", "en" or "und".

    A text with no Arabic-script letter is told by two regex searches at C speed, not by
    counting every letter in Python (most documents; counting cost ~7% of extract-file)."""
    if not has_arabic_script(text):
        return "en" if _LATIN.search(text) else "und"
    return _decide(*script_counts(text))


def paragraph_languages(text: str) -> list[tuple[int, int, str]]:
    """``(start, end, language)`` per paragraph (blank-line separated) of ``text``.

    Offsets index ``text``; paragraphs with no letters take the language of the
    whole text, so a line of figures between two Arabic paragraphs is Arabic.
    Consecutive paragraphs are not merged: callers may want each one.
    """
    whole = detect_language(text)
    out: list[tuple[int, int, str]] = []
    pos = 0
    for m in _PARAGRAPH.finditer(text):
        _add(out, text, pos, m.start(), whole)
        pos = m.end()
    _add(out, text, pos, len(text), whole)
    return out


def _add(out: list[tuple[int, int, str]], text: str, start: int, end: int, whole: str) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start >= end:
        return
    lang = detect_language(text[start:end])
    out.append((start, end, whole if lang == "und" else lang))
