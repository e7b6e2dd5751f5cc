"""The cheap tests put before slow searches (a letter, a comma, a last word, a word gate) only
skip what the search could not match: each guarded reader answers as its bare pattern does,
on hand-made stretches and on every sentence of the shared corpora (when present)."""

from __future__ import annotations

import pytest
from test_prescan import _sentences

from crisisdesk.extract import (
    categories,
    clause_state,
    dating,
    filters,
    sources,
    tally_lines,
)

STRETCHES = [
    "",
    "2015",
    "The October 3, ",
    "The October 3,\n",
    "October 3 ,  ",
    "On average, every hour, ",
    "Every day, ",
    "every day ",
    "interviewed 38 people by telephone, including ",
    "INTERVIEWED people, INCLUDING ",
    "a camp prepared for ",
    "Interviews with ",
    "Fatalities:\nRegime forces: ",
    "Regime forces : \n",
    "Regime forces ",
    "in a northern town ",
    "near a CAMP",
    "in a town",
    "the dead AND are now displaced",
    "killed, and is still missing",
    "a report by the ",
    "figures released by ",
    "a study OF ",
    "reported from the",
    "Anadolu cited the ",
    "cited the ministry’s ",
    "QUOTING ",
    "citıng ",
    "cıted the group's ",
    "said the displacement has forced ",
    "who have reportedly fled ",
    "Every Day, ",
    "TOLD the ",
    "spoke to ",
    "the Death  Toll rose to ",
    "the number of displaced people reached ",
    "the NUMBER OF people ",
]


def _corpus_stretches() -> list[str]:
    out: list[str] = []
    for text, start, end in _sentences():
        body = text[start:end]
        # every sentence, and its beginnings up to each space (what comes before a figure,
        # which is where these readers look)
        out.append(body)
        out.extend(body[: i + 1] for i, ch in enumerate(body) if ch == " ")
    return out


def _check(stretches: list[str]) -> None:
    rate = filters._patterns()["rate_leading"]
    met, meaning = categories._met_list_rx(), categories._meaning_regexes()[0]
    rx = sources._regexes()
    for s in stretches:
        assert filters.rate_before(s, 0, len(s)) == (rate.search(s) is not None), s
        assert categories.met_list_before(s, 0, len(s)) == (
            (m := met.search(s)) is not None and categories._HARM_IN_GAP.search(m["gap"]) is None
        ), s
        assert categories.no_meaning_before(s, 0, len(s)) == bool(meaning.search(s[-60:])), s
        cut = clause_state._SECOND_PREDICATE.search(s)
        assert clause_state.state_words(s, 0, False) == (s[: cut.start()] if cut else s), s
        tail = s.rstrip()[-7:].lower()
        if sources._CITED.search(s):
            assert tail.endswith(("ted", "ng", "the")) or tail[-2:-1] in ("’", "'"), s
        if rx["by"].search(s):
            assert tail.endswith(("of", "by", "from", "the")), s
        if rx["listener"].search(s):
            assert tail.endswith(("to", "told", "the")), s
        rx_cat = categories._regexes()
        if rx_cat["number_of"].search(s):
            assert not categories._number_of_gate().shut(s, 0, len(s)), s
        if rx_cat["toll"].search(s):
            assert "oll" in s.lower(), s
        perfect = dating._PERFECT_VERB_BEFORE.search(s, max(0, len(s) - 40), len(s))
        assert dating._perfect_verb_before(s, len(s)) == (perfect is not None), s
        if filters._MONTH_DAY_BEFORE.search(s):
            assert s.rstrip().endswith(","), s
        if tally_lines._LABEL.search(s):
            assert s.rstrip().endswith(":"), s


def test_guarded_readers_answer_as_their_patterns_on_made_stretches() -> None:
    _check(STRETCHES)


def test_guarded_readers_answer_as_their_patterns_on_the_corpora() -> None:
    found = _corpus_stretches()
    if not found:
        pytest.skip("../shared/corpus is not available")
    _check(found)
