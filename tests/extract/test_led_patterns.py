"""Whole-text patterns rewritten to open with their letters (so the regex engine skips ahead
to them) find exactly what their plain ``\\b``-led forms find: on made texts (the edges of a
stretch, a letter glued to a word, letters beyond ASCII) and on every text of the shared
corpora (when present)."""

from __future__ import annotations

import re

import pytest
from test_prescan import _sentences

from crisisdesk.extract import country, places, sources
from crisisdesk.vocab import (
    month_numbers,
    opening_letters,
    phrase_pattern,
    vocab_list,
    weekday_numbers,
)

TEXTS = [
    "",
    "According to OCHA, 12 were killed; UNHCR said 40 fled.",
    "according to the WHO said the NPA reported; The NPA reported; An NGO said",
    "xAccording to KRN, éaccording to KRN, citing SOHR, as reported by SANA, as per HRW",
    "THE media organization Ariha Today said; the media organization Ariha Today reported",
    "lathe media group Foo Bar said; the rights group Doctors Network stated",
    "On Sunday, in March, Mondays, Septembers, Sept 5, xMarch, ÉMarch, March_ in Sept.",
    "SMARTS reported; SMART said; UAV reported; IDPs said; ABCDEFG reported",
    "x" * 40 + " according to ACLED",
    "in al-Bab, ad-Dana and Ma'arat al-Numan; xAleppo, éIdlib, the Town of Deir ez-Zor",
    "The Gaza Strip, In Jabal Akrad, tal-Abyad, Khan Younis Camp II, umm-Qasr, Abu Kamal",
]


def _plain_cited() -> re.Pattern[str]:
    leads = phrase_pattern(vocab_list("sources", "acronym_citing_leads"))
    verbs = phrase_pattern(vocab_list("sources", "acronym_reporting_verbs"))
    generic = phrase_pattern(vocab_list("sources", "generic_acronyms"), lower=False)
    return re.compile(
        rf"\b(?i:{leads})\s+(?:the\s+)?(?P<acr>[A-Z]{{2,6}})\b(?![’'\-])"
        rf"|(?<![Tt]he\s)(?<![Aa]n\s)\b(?!(?:{generic})\b)(?P<acr2>[A-Z]{{3,6}})(?=\s+(?:{verbs})\b)"
    )


def _plain_named_after_head() -> re.Pattern[str]:
    heads = phrase_pattern(vocab_list("sources", "describing_heads"))
    verbs = phrase_pattern(vocab_list("sources", "reporting_verbs"))
    return re.compile(
        rf"\b(?i:the)\s+(?:[a-z-]+\s+){{0,2}}(?:{heads})\s+"
        r"(?P<name>[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*){1,4})"
        rf"\s+(?:{verbs})\b"
    )


def _plain_calendar() -> re.Pattern[str]:
    words = [w.title() for w in (*month_numbers(), *weekday_numbers()) if len(w) > 3]
    return re.compile(rf"\b(?:{'|'.join(sorted(map(re.escape, words), key=len, reverse=True))})\b")


_PLACE_GUARDS = re.compile(
    r"^\(\?=\[A-Z[a-z]*\]\)(\(\?<!\[[^]]*\]\))\(\?=\[A-Z\]\|\(\?:\(\?:[^)]*\)\[[^]]*\]\)\)"
)


def _plain_place() -> re.Pattern[str]:
    """The place pattern without the look-aheads that open it (its look-behind first)."""
    fast = places._regexes()["place"].pattern
    guards = _PLACE_GUARDS.match(fast)
    assert guards is not None, fast[:200]
    return re.compile(guards.group(1) + fast[guards.end() :])


PAIRS = [
    (sources._cited_acronym, _plain_cited),
    (sources._named_after_head, _plain_named_after_head),
    (country._calendar_words, _plain_calendar),
    (lambda: places._regexes()["place"], _plain_place),
]


def _same(fast: re.Pattern[str], plain: re.Pattern[str], text: str, start: int, end: int) -> None:
    got = [(m.span(), m.groups()) for m in fast.finditer(text, start, end)]
    want = [(m.span(), m.groups()) for m in plain.finditer(text, start, end)]
    assert got == want, (text[start:end], start, end)


@pytest.mark.parametrize(("fast", "plain"), PAIRS)
def test_led_patterns_find_what_the_plain_ones_find(fast, plain) -> None:  # type: ignore[no-untyped-def]
    f, p = fast(), plain()
    for text in TEXTS:
        for start in range(0, len(text) + 1, max(1, len(text) // 9)):
            for end in (start, min(len(text), start + 12), len(text)):
                _same(f, p, text, start, end)


@pytest.mark.parametrize(("fast", "plain"), PAIRS)
def test_led_patterns_on_the_corpora(fast, plain) -> None:  # type: ignore[no-untyped-def]
    found = _sentences()
    if not found:
        pytest.skip("../shared/corpus is not available")
    f, p = fast(), plain()
    for text in {t for t, _, _ in found}:
        _same(f, p, text, 0, len(text))
    for text, start, end in found:
        _same(f, p, text, start, end)


def test_opening_letters_are_the_first_letters_case_blind() -> None:
    assert opening_letters(["according to", "citing", " as per"]) == "(?=(?i:[ac]))"
    rx = re.compile(opening_letters(["Über", "x"]))
    assert rx.match("über") and rx.match("X") and not rx.match("y")


def _plain_named_before(text: str, a: int, body: str) -> str | None:
    """``country._named_before`` without its cheap test first."""
    rx, of_word = country._table()
    words = r"\s+".join(re.escape(w) for w in body.split())
    found = None
    for m in re.compile(rf"(?:{rx.pattern})(?:['’]s)?\s+{words}\b", re.I).finditer(text, 0, a):
        found = m
    if found is None:
        return None
    word = rx.match(found.group()) or rx.search(found.group())
    return of_word.get(word.group()) if word else None


def test_named_before_answers_as_without_its_cheap_test() -> None:
    texts = [
        "The Israeli army said 3 died. Later the army said 5.",
        "Syria's Civil Defence reported 4 dead; the civil  defence added",
        "The police said; Lebanese police; the Police",
        *sorted({t for t, _, _ in _sentences()})[:40],
    ]
    for text in texts:
        for body in ("Army", "Civil Defence", "Police", "Ministry of Health"):
            for a in range(0, len(text) + 1, max(1, len(text) // 11)):
                got = country._named_before(text, a, body)
                assert got == _plain_named_before(text, a, body), (text[:a], body)
