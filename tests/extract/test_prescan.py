"""The cheap scans that skip slow patterns are exact: they never skip a stretch the pattern
would match (checked on hand-made stretches and on every sentence of the shared corpora)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from crisisdesk.extract import filters, place_anaphora, places, sources
from crisisdesk.extract.numbers import find_numbers
from crisisdesk.extract.prescan import WordGate, names_an_office
from crisisdesk.extract.speakers import offices
from crisisdesk.extract.text import lower_same_length, sentences

_HERE = Path(__file__).resolve()
# the shared corpora beside the checkout, or beside a folder holding it (a git worktree)
CORPORA = next(
    (p / "shared" / "corpus" for p in _HERE.parents if (p / "shared" / "corpus").is_dir()),
    _HERE.parents[2].parent / "shared" / "corpus",
)


def test_gate_shuts_only_without_the_phrase_as_a_word() -> None:
    gate = WordGate(["there", "the town"])
    assert gate.shut("Nine were hurt in Kelma.", 0, 24)
    assert not gate.shut("Nine were hurt there.", 0, 21)
    assert not gate.shut("They fled to the  town on Monday.", 0, 33)  # any spacing
    assert gate.shut("Elsewhere, nothing.", 0, 19)  # inside a word only
    # a phrase glued to a word first, then the same word standing alone
    assert not gate.shut("nowhere there", 0, 13)
    assert not gate.shut("Ça: there", 0, 9)  # beyond ASCII the pattern decides


def test_destination_words_glued_then_alone_are_still_read() -> None:
    text = "people xarrived to to Dana"
    assert places._led_by(text, 0, 22, "destination")
    assert not places._led_by("people went home from ", 0, 22, "destination")


def test_office_prefilter() -> None:
    assert names_an_office("the ombudsman of armenia said")
    assert not names_an_office("the ministry of health said")


def _sentences() -> list[tuple[str, int, int]]:
    out = []
    for name in ("dev", "dev2", "dev3"):
        path = CORPORA / name / "docs.jsonl"
        if not path.exists():
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                text = json.loads(line)["text"]
                out.extend((text, s.start, s.end) for s in sentences(text))
    return out


def test_gates_never_shut_where_the_patterns_match() -> None:
    found = _sentences()
    if not found:
        pytest.skip("../shared/corpus is not available")
    rx = places._regexes()
    for key, gate in place_anaphora._gates().items():
        for text, start, end in found:
            if rx[key].search(text, start, end):
                assert not gate.shut(text, start, end), (key, text[start:end])
    for text, start, end in found:
        for key in ("destination", "aid_origin"):
            lo = max(start, end - 120)
            assert places._led_by(text, lo, end, key) == bool(rx[key].search(text, lo, end))
        assert bool(rx["apposition"].search(text[start:end])) == places._apposition_before(
            text[start:end]
        )
        low = lower_same_length(text[start:end])
        if offices(low):
            assert names_an_office(low)


def test_rate_gate_agrees_with_the_rate_pattern() -> None:
    found = _sentences()
    if not found:
        pytest.skip("../shared/corpus is not available")
    rx = filters._patterns()["rate"]
    assert filters.rate_after("arrive 500 each week.", 10, 21)
    seen = 0
    for text, start, end in found:
        for m in find_numbers(text[start:end]):
            pos = start + m.end
            expected = bool(rx.match(text, pos, end))
            assert filters.rate_after(text, pos, end) == expected, text[start:end]
            seen += expected
    assert seen > 0


def test_we_as_a_word_is_found_as_the_case_blind_pattern_finds_it() -> None:
    blind = re.compile(r"\bwe\b", re.I)
    texts = ["We said", "awe", "we2", "_we", "WE.", "wE,", "twe we", "ẃe", "WEEK", "we"]
    texts += [text for text, start, end in _sentences()[:4000]]
    for text in texts:
        assert [m.span() for m in blind.finditer(text)] == [
            m.span() for m in sources._WE_WORD.finditer(text)
        ], text


def test_periods_kinds_told_by_end_groups_as_by_wrapping_groups() -> None:
    """The periods pattern tells each kind by an empty group at the end of its alternative;
    the same pattern with a named group around each kind finds the same spans and kinds."""
    found = _sentences()
    if not found:
        pytest.skip("../shared/corpus is not available")
    from crisisdesk.extract import period_pattern

    new = period_pattern.regex_low()
    parts = period_pattern._parts().items()
    tail = "(?:" + "|".join(f"(?:{v})(?P<{k}>)" for k, v in parts) + r")(?![\w])"
    assert new.pattern.endswith(tail)
    head = new.pattern[: -len(tail)]
    body = "|".join(f"(?P<{k}>{v})" for k, v in parts)
    wrapped = re.compile(rf"{head}(?:{body})(?![\w])")
    for text, start, end in found:
        low = lower_same_length(text)
        got = [(m.span(), m.lastgroup) for m in new.finditer(low, start, end)]
        assert got == [(m.span(), m.lastgroup) for m in wrapped.finditer(low, start, end)]


def test_anaphor_pattern_matches_as_its_word_boundary_form() -> None:
    """The anaphor pattern opens with letters (``vocab.word_led``); written with a leading
    ``\\b`` it finds the same spans and groups in every corpus sentence."""
    found = _sentences()
    if not found:
        pytest.skip("../shared/corpus is not available")
    rx = sources._regexes()["anaphor"]
    slow = re.compile(re.sub(r"(\w)\(\?<!\[\\w\]\[\\s\\S\]\)", r"\\b\1", rx.pattern))
    assert slow.pattern != rx.pattern
    for text, start, end in found:
        low = lower_same_length(text)
        got = [(m.span(), m.groupdict()) for m in rx.finditer(low, start, end)]
        assert got == [(m.span(), m.groupdict()) for m in slow.finditer(low, start, end)]
