"""The script-based language detector: documents and paragraphs."""

from __future__ import annotations

from crisisdesk.language import (
    all_arabic,
    detect_language,
    has_arabic_script,
    paragraph_languages,
)


def test_arabic_english_and_empty() -> None:
    assert detect_language("قتل ثلاثة مدنيين في قصف على البلدة") == "ar"
    assert detect_language("Three civilians were killed in shelling.") == "en"
    assert detect_language("12, 30 — 2020") == "und"
    assert detect_language("") == "und"


def test_acronyms_do_not_turn_arabic_into_english() -> None:
    assert detect_language("قالت وكالة UNRWA إن عشرة آلاف شخص نزحوا") == "ar"


def test_an_arabic_name_does_not_turn_english_into_arabic() -> None:
    assert detect_language("Shelling hit the town of سرمين on Monday, killing four people.") == "en"


def test_persian_letters_tell_persian_from_arabic() -> None:
    assert detect_language("چهار نفر در این حمله کشته شدند و یک کودک زخمی گردید") == "fa"


def test_paragraphs_keep_offsets_and_languages() -> None:
    text = "Four people were killed.\n\nقتل أربعة أشخاص.\n\n  2020  \n\nTwo were hurt."
    parts = paragraph_languages(text)
    assert [lang for _, _, lang in parts] == ["en", "ar", "en", "en"]
    assert [text[s:e] for s, e, _ in parts] == [
        "Four people were killed.",
        "قتل أربعة أشخاص.",
        "2020",
        "Two were hurt.",
    ]


def test_has_arabic_script() -> None:
    assert has_arabic_script("in سرمين")
    assert not has_arabic_script("Three civilians were killed.")


def test_all_arabic_says_what_the_paragraphs_say() -> None:
    """The shortcut the extractor takes for a wholly Arabic document agrees with reading
    paragraph by paragraph, and refuses any text with a Latin or Persian-only letter."""
    texts = {
        "قتل 12 مدنياً في سرمين.\n\n2020\n\nنزحت 300 عائلة.": True,
        "قتل 12 مدنياً.\n\nTwelve civilians were killed.": False,
        "قتل 12 مدنياً بحسب OCHA.": False,  # Arabic, but not told by the shortcut
        "کشته شدند ۱۲ نفر در گچساران": False,
        "Twelve civilians were killed.": False,
        "": False,
    }
    for text, expected in texts.items():
        assert all_arabic(text) is expected, text
        if expected:
            assert {lang for _, _, lang in paragraph_languages(text)} == {"ar"}
