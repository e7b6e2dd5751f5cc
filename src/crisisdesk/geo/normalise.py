"""Name keys: how a place name as written becomes something we can look up.

Reports spell the same town many ways (Saraqib, Sarakib, Saraqeb; Ma'arrat
al-Nu'man, Maarat an-Numan). Rather than list every spelling, we reduce a name
to keys at three strengths, and the gazetteer stores the same keys for every
name it knows:

* ``fold``   -- case folded, whitespace collapsed: the exact-name baseline;
* ``key``    -- diacritics, apostrophes and ayn marks, hyphens, Arabic
  articles (al-, el-, ad-, as-...) and Arabic-script article and vowel marks
  removed;
* ``skeleton`` -- a transliteration-blind form: q/k, kh/k, sh/s, th/t, ou/u,
  ee/i, final -eh/-ah folded, inner vowels and word breaks dropped, doubled
  letters single.

The build script and the matcher both call these functions, so a key written
into the gazetteer file and a key computed at query time always agree.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

MAX_NAME_CHARS = 200  # longer strings are not place names; we look at this much only

_APOSTROPHES = "'`´‘’ʼʻʾʿ′ˈ"
_APOS_RE = re.compile(f"[{re.escape(_APOSTROPHES)}]")
_SEP_RE = re.compile(r"[\s\-_‐‑‒–—/.,;:()\[\]\"“”«»]+")
_NON_WORD_RE = re.compile(r"[^\w ]+")
_ARTICLE_WORDS = frozenset(
    {
        "al",
        "el",
        "ad",
        "ar",
        "as",
        "ash",
        "at",
        "az",
        "an",
        "ed",
        "er",
        "es",
        "ez",
        "adh",
        "ath",
        "ul",
        "il",
        "l",
    }
)
_ARABIC_MARKS_RE = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
_ARABIC_FOLD = str.maketrans(
    {"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ة": "ه", "ى": "ي", "ئ": "ي", "ؤ": "و"}
)
_ARABIC_RE = re.compile("[\u0600-\u06ff]")
# Letters that transliteration renders in several ways; order matters (digraphs first).
_SKELETON_SUBS = (
    ("ou", "u"),
    ("oo", "u"),
    ("ee", "i"),
    ("ei", "ay"),
    ("ai", "ay"),
    ("dj", "j"),
    ("kh", "k"),
    ("gh", "g"),
    ("sh", "s"),
    ("ch", "s"),
    ("th", "t"),
    ("dh", "d"),
    ("ph", "f"),
    ("q", "k"),
    ("c", "k"),
    ("x", "ks"),
    ("w", "u"),
    ("e", "a"),
    ("o", "u"),
)
_VOWELS = frozenset("aeiouy")
_FINAL_H_RE = re.compile(r"(?<=[aeiou])h\b")


_CONTROL_RE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ufff0-\uffff]"
)


def clean(name: str) -> str:
    """Strip control and format characters and cap the length: what every other step reads."""
    return _CONTROL_RE.sub(" ", name[:MAX_NAME_CHARS]).strip()


@lru_cache(maxsize=65536)
def fold(name: str) -> str:
    """Case-folded, whitespace-collapsed name: the exact-name baseline's key."""
    return " ".join(clean(name).casefold().split())


def is_arabic(text: str) -> bool:
    return bool(_ARABIC_RE.search(text))


# Latin letters that Unicode does not decompose into a base letter and a mark
# (Turkish dotless i in "Reyhanlı", Polish ł, Maltese ħ...).
_LATIN_FOLD = str.maketrans(
    {"ı": "i", "ł": "l", "Ł": "l", "ø": "o", "Ø": "o", "đ": "d", "Đ": "d", "ħ": "h", "Ħ": "h"}
    | {"ŧ": "t", "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe", "ð": "d", "þ": "th"}
)


def _strip_latin_marks(text: str) -> str:
    if text.isascii():  # most names: nothing to strip, and decomposing is the slow part
        return text
    decomposed = unicodedata.normalize("NFKD", text.translate(_LATIN_FOLD))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _arabic_key(text: str) -> str:
    text = _ARABIC_MARKS_RE.sub("", text).translate(_ARABIC_FOLD)
    words = []
    for word in _SEP_RE.sub(" ", text).split():
        if word.startswith("ال") and len(word) > 3:
            word = word[2:]
        elif word.startswith("وال") and len(word) > 4:
            word = word[3:]
        words.append(word)
    return " ".join(words)


@lru_cache(maxsize=65536)
def key(name: str) -> str:
    """The normalised key: no case, marks, apostrophes, hyphens or Arabic articles."""
    text = clean(name)
    if not text:
        return ""
    if is_arabic(text):
        return _arabic_key(text)
    text = _APOS_RE.sub("", _strip_latin_marks(text).casefold())
    # "al-Atarib", "ash-Shughur", "Khan-alsabil": split the article from its word
    text = _SEP_RE.sub(" ", text)
    text = _NON_WORD_RE.sub("", text)
    words = [w for w in text.split() if w not in _ARTICLE_WORDS]
    return " ".join(words)


def key_without_joined_article(k: str) -> str:
    """``khan alsabeel`` -> ``khan sabeel``: an article written without a hyphen.

    Only tried when the plain key finds nothing, because many names do start
    with "al" (Aleppo, Alma).
    """
    words = []
    for word in k.split():
        if len(word) > 4 and word[:2] in ("al", "el") and word[2] not in _VOWELS:
            word = word[2:]
            if len(word) > 2 and word[0] == word[1]:  # "assabil": assimilated article
                word = word[1:]
        words.append(word)
    return " ".join(words)


@lru_cache(maxsize=65536)
def skeleton(k: str) -> str:
    """Transliteration-blind form of a key (see module doc).

    Word breaks are dropped too: "Kafr Nabl" / "Kafrnabl", "كفر تخاريم" / "كفرتخاريم".
    """
    if not k:
        return k
    if is_arabic(k):
        return k.replace(" ", "")
    k = _FINAL_H_RE.sub("", k)
    out_words = []
    for word in k.split():
        for a, b in _SKELETON_SUBS:
            word = word.replace(a, b)
        if not word:
            continue
        first, rest = word[0], word[1:]
        if first in _VOWELS:
            first = "a"  # Idlib / Edlib, Ariha / Eriha, Azaz / Izaz
        out_words.append(first + "".join(ch for ch in rest if ch not in _VOWELS))
    collapsed: list[str] = []
    for ch in "".join(out_words):
        if not collapsed or collapsed[-1] != ch:
            collapsed.append(ch)
    return "".join(collapsed)


def all_keys(name: str) -> tuple[str, str, str]:
    """(fold, key, skeleton) of one name, as the gazetteer stores them."""
    k = key(name)
    return fold(name), k, skeleton(k)
