"""Arabic numbers and folding: values read right and every span exactly where the number
is written (offsets into the original text, tashkeel and tatweel included)."""

from __future__ import annotations

import pytest

from crisisdesk.extract.arabic_numbers import find_numbers_ar, read_digits
from crisisdesk.extract.tokens import fold, fold_with_offsets, span_back, stems, tokenise


def _numbers(text: str) -> list[tuple[str, int | None, str | None]]:
    return [
        (text[m.start : m.end], m.value, m.value_text)
        for m in find_numbers_ar(text, tokenise(text))
    ]


@pytest.mark.parametrize(
    ("text", "written", "value"),
    [
        ("قتل 19 مدنياً", "19", 19),
        ("أصيب ٢٧ شخصاً", "٢٧", 27),
        ("نزحت ۱۲۰ عائلة", "۱۲۰", 120),
        ("بلغ “48،250” نسمة", "48،250", 48250),
        ("بلغ 3,200 نازح", "3,200", 3200),
        ("عشرون طفلاً", "عشرون", 20),
        ("عشرين طفلاً", "عشرين", 20),
        ("قُتِلَ ثَلاثَةَ عَشَرَ شخصاً", "ثَلاثَةَ عَشَرَ", 13),
        ("سبعة عشر مدنيا", "سبعة عشر", 17),
        ("مئتا غارة", "مئتا", 200),
        ("مئتين وواحد وستين شخصاً", "مئتين وواحد وستين", 261),
        ("ثلاثمائة وخمسون عائلة", "ثلاثمائة وخمسون", 350),
        ("ستمئةٍ وأربعة آلاف", "ستمئةٍ وأربعة آلاف", 604000),
        ("خمسة آلاف نازح", "خمسة آلاف", 5000),
        ("ألفين شخص", "ألفين", 2000),
        ("مليون شخص", "مليون", 1000000),
        ("ربع مليون نازح", "ربع مليون", 250000),
        ("نصف مليون نازح", "نصف مليون", 500000),
        ("1.4 مليون شخص", "1.4 مليون", 1400000),
        ("12.350 ألف نسمة", "12.350 ألف", 12350),
        ("71 ألفاً و42 شخصاً", "71 ألفاً و42", 71042),
        ("ألف و210 جرحى", "ألف و210", 1210),
        ("مليونين و3 آلاف، و14 نازحاً", "مليونين و3 آلاف، و14", 2003014),
        ("ثمانمئة وعشرون ألفاً، وستمئة وخمسة أشخاص", "ثمانمئة وعشرون ألفاً، وستمئة وخمسة", 820605),
    ],
)
def test_values_and_spans(text: str, written: str, value: int) -> None:
    got = _numbers(text)
    assert (written, value, None) in got, got


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("أصيب العشرات", "العشرات"),
        ("سقط بالعشرات", "العشرات"),  # the clinging preposition is not part of it
        ("نزح عشرات الآلاف", "عشرات الآلاف"),
        ("نزح مئات آلاف المدنيين", "مئات آلاف"),
        ("فر الآلاف", "الآلاف"),
        ("ملايين المدنيين", "ملايين"),
    ],
)
def test_vague_amounts_keep_their_words(text: str, written: str) -> None:
    assert (written, None, written) in _numbers(text)


def test_sequences_are_not_joined_across_nouns() -> None:
    got = _numbers("قتل 5 مدنيين و3 أطفال وثلاثة رجال")
    assert [v for _, v, _ in got] == [5, 3, 3]


@pytest.mark.parametrize(
    "text", ["أحدهم طفل", "يوم الأحد", "الأسرة الستة", "الساعات الأربع والعشرين"]
)
def test_words_that_are_no_count(text: str) -> None:
    assert _numbers(text) == []


def test_read_digits() -> None:
    assert read_digits("١٬٢٣٤") == (1234, False)
    assert read_digits("2,424") == (2424, False)
    assert read_digits("3.5", 1000) == (3500, False)
    assert read_digits("3.5") == (None, True)


def test_fold_letter_variants_and_marks() -> None:
    assert fold("إدلب") == fold("ادلب") == "ادلب"
    assert fold("مدرسةٌ") == "مدرسه"
    assert fold("مستشفى") == "مستشفي"
    assert fold("مسـؤول") == "مسوول"
    assert fold("الدفاعُ المدنيُّ") == "الدفاع المدني"


def test_folded_copy_maps_back_to_the_original() -> None:
    text = "قال الدفاعُ المدنيُّ إنّ ٣ مدنيين قُتلوا"
    folded, offsets = fold_with_offsets(text)
    assert "الدفاع المدني" in folded and "3" in folded
    i = folded.index("الدفاع المدني")
    j = i + len("الدفاع المدني")
    start, end = span_back(text, offsets, i, j)
    assert text[start:end] == "الدفاعُ المدنيُّ"
    assert len(offsets) == len(folded) + 1


def test_tokens_keep_offsets_and_strip_clitics() -> None:
    text = "وبالقتلى، ولِلمدنيين"
    toks = tokenise(text)
    assert [text[t.start : t.end] for t in toks] == ["وبالقتلى", "ولِلمدنيين"]
    assert "قتلي" in stems(toks[0].norm)
    assert "مدنيين" in stems(toks[1].norm)
    assert stems("بلده")[0] == "بلده"  # the word itself is tried first
