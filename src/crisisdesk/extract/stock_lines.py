"""Figures that state a stock rather than count events: key-figure lines ("34,100 people
internally displaced"), status lines with no verb, parts of such a state and tallies of
casualties not split into killed and injured. Dating asks these to decide whether a figure
takes the period stated before it or stands as a present count."""

from __future__ import annotations

import re
from functools import cache

from crisisdesk.extract.compiled import compile_rx
from crisisdesk.extract.draft import DocState, Draft
from crisisdesk.extract.text import PhraseScanner
from crisisdesk.vocab import phrase_pattern, vocab_list

_KEY_LINE = 90  # characters: the longest key-figure line
_CAUSE_REACH = 16  # characters after a status word within which "by"/"due to" starts its cause


@cache
def _tallied_others() -> frozenset[str]:
    return frozenset(vocab_list("periods", "tallied_other_nouns"))


def tallied_other(state: DocState, d: Draft) -> bool:
    """Casualties not split into killed and injured are a tally like its parts: they take
    the period stated before them ("From 24 February to 24 March: 1,240 casualties"; "the
    total civilian casualties amounted to 30,457 people")."""
    words = d.head.subject.lower().split()
    if d.head.subject.lower() in _tallied_others() or words[-1:] and words[-1] in _tallied_others():
        return True  # also "suspected cholera cases": the noun that heads the subject
    before = state.low[d.clause[0] : d.qual_start]
    return any(f"{w} " in before for w in _tallied_others())


@cache
def _stock_words() -> tuple[PhraseScanner, PhraseScanner, PhraseScanner]:
    return (
        PhraseScanner(vocab_list("periods", "stock_participles")),
        PhraseScanner(vocab_list("periods", "auxiliaries")),
        PhraseScanner(vocab_list("periods", "cause_leads")),
    )


def verbless_stock(state: DocState, d: Draft) -> bool:
    """A key figure or bullet that only describes its people ("530K internally displaced",
    "8,000 people internally displaced of whom ..."): a status, no verb of an event (no
    "have been", no "displaced by the fighting") and no date, so a present stock."""
    stock, aux, cause = _stock_words()
    low = state.low
    hit = stock.search(low, d.m.end, min(d.np_end + 2, d.clause[1]))
    if hit is None:
        return _stock_noun_line(state, d)
    if aux.search(low, d.m.end, hit.start()) is not None:
        return False
    if any(d.clause[0] <= p.start < d.clause[1] for p in state.periods(d.sentence.index)):
        return False  # "... at the end of 2019": a stock counted as of a day
    after = cause.search(low, hit.end(), hit.end() + _CAUSE_REACH)
    return after is None or low[hit.end() : after.start()].strip() != ""


@cache
def _stock_nouns() -> PhraseScanner:
    return PhraseScanner(vocab_list("periods", "stock_nouns"))


_VERB_ON_LINE = compile_rx(r"\b(?:[a-z]+ed|have|has|had|were|was|are|is|been|fled|left|fleeing)\b")


def _stock_noun_line(state: DocState, d: Draft) -> bool:
    """A key-figure line that names its people by a status noun and says nothing they did
    ("280,539 refugees and asylum seekers"): a present stock. Not with a verb on the line
    ("3,000 refugees arrived in May") nor a date ("... as of 31 December")."""
    if not key_figure_line(state, d, True):
        return False
    low = state.low
    hit = _stock_nouns().search(low, d.m.end, min(d.np_end + 2, d.clause[1]))
    if hit is None:
        return False
    line_end = low.find("\n", hit.end())
    if _VERB_ON_LINE.search(low, hit.end(), len(low) if line_end < 0 else line_end):
        return False
    return not any(d.clause[0] <= p.start < d.clause[1] for p in state.periods(d.sentence.index))


def part_of_state(state: DocState, d: Draft, figures: list[Draft]) -> bool:
    """A figure with no period that breaks down a stock of the same thing in its sentence
    ("IDPs in the city number 11,500; of this number, 23 are unaccompanied children") is a
    state too; so is one added to it ("Currently, 765,517 people are internally displaced,
    with another 16,000 people having fled into Niger")."""
    if d.link == "additive" and any(x is d.ante and "state" in x.notes for x in figures):
        return True
    low = state.low
    return any(
        x.m.end <= d.m.start
        and x.category == d.category
        and "state" in x.notes
        and _breakdown_cues().search(low, x.m.end, d.m.start) is not None
        for x in figures
    )


@cache
def _breakdown_cues() -> PhraseScanner:
    links = [*vocab_list("links", "including"), *vocab_list("links", "breakdown_cues")]
    return PhraseScanner(links)


def key_figure_line(state: DocState, d: Draft, bulleted: bool = False) -> bool:
    """A report's key-figure line: a short line of its own that opens with the figure and
    ends with no full stop ("34,100 people internally displaced", "89 casualties confirmed"):
    a count to date, like the report's running tallies. ``bulleted``: the line may open with
    a bullet ("  • 89 ..."); such a line, too, keeps its period to itself."""
    s = d.sentence
    text = state.text
    line = text[s.start : s.end].strip()
    if not line or len(line) > _KEY_LINE or line.endswith((".", ":")):
        return False
    if text[s.start : d.m.start].strip():
        return False
    after = text[s.end : s.end + 1]
    if bulleted:
        line_start = text.rfind("\n", 0, s.start) + 1
        return _LINE_MARKS.fullmatch(text, line_start, s.start) is not None and after in ("", "\n")
    before = text[max(0, s.start - 1) : s.start]
    return before in ("", "\n") and after in ("", "\n")


_LINE_MARKS = compile_rx(r"[ \t]*(?:[•·▪●*-][ \t]*)?")


@cache
def _line_flow() -> re.Pattern[str]:
    verbs = phrase_pattern(vocab_list("periods", "key_line_flow_verbs"))
    return compile_rx(rf"[ \t]+(?:{verbs})\b", re.I)


def flow_on_key_line(state: DocState, d: Draft) -> bool:
    """A key-figure line whose people did something in the simple past right after they are
    named ("2,964 refugees arrived through the border crossing"): a flow over the period the
    report covers, not a count to date (periods.yaml ``key_line_flow_verbs``)."""
    return _line_flow().match(state.text, d.np_end, d.sentence.end) is not None
