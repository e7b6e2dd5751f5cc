"""The Arabic readers' shortcuts give exactly what the full reading gives.

Each shortcut skips work that cannot find anything: a date pattern whose words the
document lacks, positions a digit-led pattern cannot start at, tokens that open no
place name and words that open no number. These tests run both ways over the ar-dev
reports (when ../shared is present) and over sentences of ours, so that a pattern or a
vocabulary changed without its shortcut fails here instead of silently losing a match.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from crisisdesk.extract import (
    arabic_dates,
    arabic_numbers,
    arabic_places,
    arabic_sources,
    tokens,
)
from crisisdesk.extract.arabic_reading import ArabicText
from crisisdesk.ingest.jsonl import read_documents
from crisisdesk.model import Document

AR_DEV = Path(__file__).resolve().parents[2].parent / "shared" / "corpus" / "ar-dev"

OURS = [
    "قال الدفاع المدني إن 12 مدنياً قتلوا في غارات على بلدة سرمين يوم الثلاثاء 3/2/2020.",
    "نزحت نحو 300 عائلة من ريف إدلب الجنوبي بين 26 و29 أكتوبر، وفي 19 من الشهر الجاري.",
    "منذ بدء التصعيد مطلع العام الجاري وحتى يوم أمس، وثق المرصد مقتل عشرات المدنيين.",
    "خلال الأيام الثلاثة الماضية أصيب ثلاثة عشر شخصاً في مخيم أطمة، وفي الفترة ذاتها 4-5.",
    "سقط 40 صاروخاً في 16/01/2020 وحتى 21/01/2020 على معرة النعمان في عام 2020.",
    # each date pattern's words with the proclitics its pattern allows, and two month
    # names written together with and without a stroke between them
    "وفي شهر أيار الماضي وبشهر آب، ولشباط وفحزيران، وبيناير/كانون الثاني 2021 وينايركانون الثاني.",
    "ومنذ بداية الحرب، وأمس وفاليوم ويوم الخميس وفالجمعة، ولعام 2021 وبالعام 2020 وسنة 2019.",
    "على مدى الأيام السبعة الماضية وخلال الأسبوعين الماضيين، في الحادي عشر من شباط والعاشر منه.",
    "بين 4 و10 مارس، وفي 19 من الشهر الحالي، 12/آذار/2020، ومطلع العام وبداية الشهر الجاري.",
    "ونزح 120 شخصاً في الفترة نفسها، وخلال ذات الفترة، والليلة الماضية وصباح اليوم.",
    # organisation names after a proclitic, a quote or both, and after "لل"
    'وفقاً لـ«الدفاع المدني السوري» و«المرصد السوري»، وقال "المرصد" وللمرصد السوري'
    " ولـ“الخوذ البيضاء”.",
    "أعلنت وزارة الصحة الفلسطينية وبوزارة الصحة في غزة، وفلوزارة الداخلية، والسوريين"
    " في سوريا واليمن.",
]


def _texts() -> list[str]:
    texts = list(OURS)
    if (AR_DEV / "docs.jsonl").exists():
        with (AR_DEV / "docs.jsonl").open(encoding="utf-8") as stream:
            texts += [d.text for d in read_documents(stream) if isinstance(d, Document)]
    return texts


@pytest.fixture(scope="module")
def texts() -> list[str]:
    return _texts()


def test_date_patterns_find_the_same_matches(texts: list[str]) -> None:
    rx = arabic_dates._vocab().rx
    for text in texts:
        at = ArabicText(text)
        alone = arabic_dates.ArabicDates(text, None)  # cuts its own words
        words = (at.norms, at.fstarts)
        shared = arabic_dates.ArabicDates(text, None, (at.folded, at.offsets), words)
        s = alone.folded
        for kind in rx:
            for dates in (alone, shared):
                full = [m.span() for m in rx[kind].finditer(s)]
                fast = [m.span() for m in dates._matches(kind, 0, len(s))]
                assert fast == full, (kind, text[:60])
                mid = len(s) // 3  # a stretch starting inside the text, as a sentence does
                full = [m.span() for m in rx[kind].finditer(s, mid, len(s) - 5)]
                fast = [m.span() for m in dates._matches(kind, mid, len(s) - 5)]
                assert fast == full, (kind, text[:60])


def test_date_patterns_start_where_indexed() -> None:
    """Every word a date pattern can start at is a whole word as tokens are cut (letters
    only), or the index by word would miss it."""
    for word in arabic_dates._vocab().leads:
        assert re.fullmatch(r"[^\W\d_]+", word), word


def test_source_patterns_find_the_same_matches(texts: list[str]) -> None:
    v = arabic_sources._vocab()
    for text in texts:
        at = ArabicText(text)
        for kind in v.leads:
            rx = getattr(v, kind)
            full = [m.span() for m in rx.finditer(at.folded)]
            for words in (None, (at.norms, at.fstarts)):
                starts = arabic_sources._starts(kind, at.folded, words)
                fast = [m.span() for m in tokens.matches_at(rx, at.folded, starts)]
                assert fast == full, (kind, text[:60])


def test_inert_tokens_open_no_place(texts: list[str]) -> None:
    for text in texts:
        at = ArabicText(text)
        places = arabic_places.ArabicPlaces(at)
        for k, tok in enumerate(at.tokens):
            if arabic_places._inert(tok.norm):
                before = len(places.hits)
                assert places._read(k) == k + 1, tok.norm
                assert len(places.hits) == before, tok.norm


def test_words_without_numbers_read_as_none(texts: list[str]) -> None:
    nv = arabic_numbers.numbers_vocab()
    for text in texts:
        at = ArabicText(text)
        atoms = arabic_numbers._atoms(text, at.tokens)
        for i, a in enumerate(atoms):
            if not a.digits and arabic_numbers._no_number(a.norm):
                assert arabic_numbers._read_at(text, atoms, i, nv) is None, a.norm


def _reference_fold(text: str) -> tuple[str, list[int]]:
    """The folded copy the slow, plain way: drop marks and map letters one by one."""
    kept = [(i, c) for i, c in enumerate(text) if not tokens._MARKS.match(c)]
    folded = "".join(c for _, c in kept).translate({**tokens._FOLD, **tokens._DIGITS})
    low = folded.lower() if len(folded.lower()) == len(folded) else folded
    return low, [i for i, _ in kept] + [len(text)]


def _reference_tokens(text: str) -> list[tuple[int, int, str]]:
    """Each word of the folded copy mapped back, with the marks on its last letter."""
    low, offsets = _reference_fold(text)
    out = []
    for m in re.finditer(r"[^\W\d_]+", low):
        end = offsets[m.end() - 1] + 1
        while end < len(text) and tokens._MARKS.match(text[end]):
            end += 1
        out.append((offsets[m.start()], end, m.group()))
    return out


MARKED = [
    "قُتِلَ 12 مدنياً وأُصيبَ ٣٠ آخرونَ في غاراتٍ على بلدةِ سرمين، بحسبِ الدفاعِ المدنيّ",
    "الـ24 ساعة الماضية: نزوح ۱۲۰ عائلةً (حوالي 600 شخص) من مخيمات اطمة",
    "ّبداية نص بعلامة، UNHCR و OCHA Reports؛ ـــ نهاية بعلامات ًٌٍ",
    "",
    "   ",
    "İstanbul ﷲ ﻻ and ß ی ک ئ ؤ ى ة إ آ ٱ",
]


def test_folding_and_tokens_as_done_one_by_one(texts: list[str]) -> None:
    for text in [*MARKED, *texts]:
        assert tokens.fold_with_offsets(text) == _reference_fold(text)
        got = tokens.tokenise(text)
        assert [(t.start, t.end, t.norm) for t in got] == _reference_tokens(text)
        assert [t.index for t in got] == list(range(len(got)))
