"""Reading one sentence: each number's counted noun, qualifier and cues, and (through
``figure_links``) the figure it leans on: a pair in brackets, "including", "of them",
"another", an elliptical "and nine were wounded". The link phrases are in
data/vocab/links.yaml (``link_patterns``)."""

from __future__ import annotations

import re
from functools import cache

from crisisdesk.extract import categories as cat
from crisisdesk.extract.categorise import categorise
from crisisdesk.extract.compiled import compile_rx
from crisisdesk.extract.draft import PART_LINKS, DocState, Draft
from crisisdesk.extract.figure_links import link, people_then_households
from crisisdesk.extract.figure_verbs import PEOPLE_UNITS
from crisisdesk.extract.filters import non_figure, rate_after, rate_before
from crisisdesk.extract.link_patterns import RELATIVE_BODY
from crisisdesk.extract.link_patterns import link_patterns as _rx
from crisisdesk.extract.numbers import NumberMention
from crisisdesk.extract.parts_by_place import (
    PLACE_PART,
    whole_of,
)
from crisisdesk.extract.qualifiers import approx_after, at_least_after, qualifier_before
from crisisdesk.extract.scenarios import in_scenario
from crisisdesk.extract.text import Sentence, clauses
from crisisdesk.model import Qualifier
from crisisdesk.vocab import number_words, phrase_pattern, vocab_list

_NO_HEAD = cat.Head(None, "", 0)
_COUNTED_ONE = ("killed", "injured", "fighters_killed", "detained", "missing")
# a verb of harm right before a bare "one": "killed one", "wounding one"
_HARM_THEN_ONE = compile_rx(
    r"\b(?:killed|killing|kills|wounded|wounding|wounds|injured|injuring|injures)\s+one$", re.I
)
_HIT_CATEGORIES = (
    "attacks",
    "airstrikes",
    "barrel_bombs",
    "rockets",
    "shelling",
    "facilities_damaged",
)


def read_sentence(
    state: DocState, sent: Sentence, mentions: list[NumberMention], earlier: list[Draft]
) -> list[Draft]:
    """Drafts for every number of one sentence, linked, categorised (or dropped, with why)."""
    drafts = _read_numbers(state, sent, mentions)
    live = [d for d in drafts if not d.dropped]
    text = state.text
    for d in live:
        got = cat.cue_after(text, d.np_end, _verb_reach(text, d))
        rel = _SET_OFF_CLAUSE.match(text, d.np_end, d.sentence.end) or _OUT_OF.match(
            text, d.np_end, d.sentence.end
        )
        if rel is not None:  # "500 minors, who were receiving aid in Goma, are now displaced"
            got = cat.cue_after(text, rel.end(), d.sentence.end) or got
        background = got is not None and (
            _adjective(text, got[1]) or _background_verb(text, d, got[1], state)
        )
        d.fwd = got[0] if got and not background and not _verb_of_next(text, d, got[1]) else None
        if got and _PART_ASIDE.search(text, d.np_end, got[1]) and _population_before(text, d):
            d.fwd = None  # "hosts three million people including many displaced": a population
        if (
            _hypothetical().match(text, d.np_end, d.sentence.end)
            or (got and _hypothetical_inside().search(text, d.np_end, got[1]))
            or _hypothetical_before().search(
                text, max(sent.start, d.qual_start - 140), d.qual_start
            )
            or in_scenario(text, d.qual_start, d.np_end, sent.start, sent.end)
        ):
            d.dropped = "a figure that may come, not one that came"
        people = d.head.entry is None or d.head.entry.unit in PEOPLE_UNITS
        if d.fwd == "facilities_damaged" and people:
            d.fwd = None  # "killed 1,600 civilians, destroyed homes": the verb is about homes
    _share_coordinated(text, live)
    previous_live = _same_paragraph(earlier, sent.paragraph) or earlier[-1:]
    people_before = next((x for x in reversed(earlier) if x.unit in PEOPLE_UNITS), None)
    for k, d in enumerate(live):
        d.cues = state.cues(sent.index)
        whole = _toll_named(text, d, earlier) if d.head.partitive and k == 0 else None
        link(text, d, live[:k], [whole] if whole is not None else previous_live)
        if (
            d.link == "elliptical"
            and d.ante is None
            and people_before is not None
            and cat.is_bracketed(text, sent.start, d.m.start, d.m.end)
            and _after_a_place(state, sent, d)
        ):
            d.ante = whole_of(people_before)  # "have arrived in Shamsin (2,700)": those people
        categorise(text, d)
        if not d.dropped and _is_bare_one(text, d) and not _counted_one(text, d):
            d.dropped = "pronoun or article"
        elif not d.dropped and _is_bare_one(text, d) and _ONE_DESCRIBED.match(text, d.m.end):
            d.dropped = "pronoun"  # "two children, one with his head shattered": one of them
    kept = [d for d in live if not d.dropped]
    _share_list_meaning(text, kept)
    _share_qualifiers(text, kept)
    return drafts


_HARMED_PART = compile_rx(r"\s+of\s+(?:those|the)\s+(killed|dead|wounded|injured)\b", re.I)
_TOLL_REACH = 3  # paragraphs back in which "Eight of those killed" finds the toll it splits


def _toll_named(text: str, d: Draft, earlier: list[Draft]) -> Draft | None:
    """ "Eight of those killed died in Sarmin" opening a later paragraph: a part of the last
    toll of that harm (not of whatever figure came last: a background count of displaced)."""
    m = _HARMED_PART.match(text, d.m.end)
    if m is None or not earlier:
        return None
    harm = "killed" if m.group(1).lower() in ("killed", "dead") else "injured"
    floor = d.sentence.paragraph - _TOLL_REACH
    for x in reversed(earlier):
        if x.sentence.paragraph < floor:
            return None
        if x.category == harm and x.link is None:
            return x
    return None


def _after_a_place(state: DocState, sent: Sentence, d: Draft) -> bool:
    """The bracket follows a place ("arrived in Shamsin (2,700)"), not a person ("Rahman
    Gerdi (29), a farmer": an age)."""
    opened = state.text.rfind("(", sent.start, d.m.start)
    return any(0 <= opened - p.end <= 1 for p in state.places_in(sent.index, sent.start, opened))


# a relative clause set off by commas after a figure's noun: its verb is not the figure's
# (also a share restating the figure: "almost one million people, or one third of the
# population of the zone, were forced to flee")
_SET_OFF_CLAUSE = compile_rx(
    r"\s*,\s*(?:(?:who|which)\s+[^,;.()]{3,150}|or\s+[^,;.()]{0,30}?\bof\b[^,;.()]{3,120}),"
)
# the whole a figure is part of, between it and its verb ("2.8 million people out of 4 million
# were in need")
_OUT_OF = compile_rx(
    r"\s+out\s+of\s+(?:a\s+total\s+of\s+|an?\s+estimated\s+)?\d[\d.,]*"
    r"(?:\s+(?:million|thousand|billion))?(?:\s+(?:people|residents|inhabitants|civilians|persons))?"
)
# a noun and a comma right before a figure: "civilians, thousands of whom ..."


def _same_paragraph(earlier: list[Draft], paragraph: int) -> list[Draft]:
    """The earlier figures of a paragraph: a suffix of ``earlier``, which is in text order
    (found from the end, so that a long document is not scanned again at every sentence)."""
    k = len(earlier)
    while k > 0 and earlier[k - 1].sentence.paragraph == paragraph:
        k -= 1
    return earlier[k:]


_ONE_DESCRIBED = compile_rx(r"\s+(?:with|whose|who|wearing|having)\b")


def _counted_one(text: str, d: Draft) -> bool:
    """ "one" is a figure when it counts a casualty ("one child was killed") or a thing
    something happened to ("one hospital was hit", "one attack killed 27")."""
    entry = d.head.entry
    if entry is None and d.category in _COUNTED_ONE and _HARM_THEN_ONE.search(text, 0, d.m.end):
        return True  # "the strikes killed one in Binnish and 10 others in Sarmin"
    if entry is None:  # "four attacks: three in Ariha and one in Kafr"
        by_place = d.link == "elliptical" and PLACE_PART.match(text, d.np_end) is not None
        if by_place and d.ante is not None:
            return True  # a part by place, whatever the whole counts
        return d.link in PART_LINKS and d.ante is not None and d.category != "other"
    if entry.kind in ("generic", "place"):
        return d.category in _HIT_CATEGORIES
    return d.category in _COUNTED_ONE


def _share_list_meaning(text: str, live: list[Draft]) -> None:
    """ "380,000 people need shelter, and 418,000 people food": a list partner whose verb is
    left out shares the meaning of the figure before it."""
    for k in range(1, len(live)):
        a, b = live[k - 1], live[k]
        if b.confidence >= 1.0 or b.category != "other" or a.unit != b.unit:
            continue
        if a.confidence >= 1.0 and _rx()["partner_gap"].fullmatch(text, a.np_end, b.qual_start):
            b.category, b.confidence = a.category, 1.0


def _read_numbers(state: DocState, sent: Sentence, mentions: list[NumberMention]) -> list[Draft]:
    """One draft per number: its noun, qualifier and clause; non-figures dropped with a reason."""
    text = state.text
    spans = clauses(text, sent.start, sent.end)
    drafts: list[Draft] = []
    prev_end = sent.start
    estimated = None
    if state.low.find("estimat", sent.start, sent.end) >= 0:
        estimated = _rx()["estimated"].search(text, sent.start, sent.end)
    for m in mentions:
        clause = _clause_of(spans, m.start, sent)
        reason = non_figure(text, m) or _in_period(state, sent, m)
        if reason:  # a year, a date, a measure...: no need to read its noun or qualifier
            drafts.append(Draft(m, sent, clause, m.start, _NO_HEAD, m.end, dropped=reason))
        else:
            d = _read_one(text, m, sent, clause, prev_end)
            if d.qualifier is None and estimated and estimated.end() <= d.qual_start:
                d.qualifier = Qualifier.APPROX
            drafts.append(d)
        prev_end = m.end
    return drafts


def _in_period(state: DocState, sent: Sentence, m: NumberMention) -> str | None:
    """A day inside a period the sentence states ("between January 26 and 30", "from
    January 26 to 30"): part of the date, no figure."""
    for p in state.periods(sent.index):
        inside = p.start <= m.start and m.end <= p.end and (p.start, p.end) != (m.start, m.end)
        if inside and (p.date_start is not None or (p.report and p.date_end is not None)):
            return "date"  # (a bare year is the number filters' to judge: "1939 persons")
    return None


def _clause_of(spans: list[tuple[int, int]], pos: int, sent: Sentence) -> tuple[int, int]:
    """The clause holding ``pos`` (the whole sentence when it falls between clauses)."""
    for span in spans:
        if span[0] <= pos < span[1]:
            return span
    return (sent.start, sent.end)


def _read_one(
    text: str, m: NumberMention, sent: Sentence, clause: tuple[int, int], prev_end: int
) -> Draft:
    """The counted noun and qualifier of one number that may be a figure."""
    head = cat.read_head(text, m.end, sent.end)
    np_end = head.end if head.entry or head.partitive else m.end
    got = qualifier_before(text, m.start, prev_end)
    qualifier, qual_start = got if got else (None, m.start)
    lo = max(prev_end, qual_start - 20)
    filler = _rx()["filler"].search(text[lo:qual_start])
    if filler:
        qual_start = lo + filler.start()
    d = Draft(m, sent, clause, qual_start, head, np_end, qualifier=qualifier)
    if _is_bare_one(text, d) and _rx()["one_after"].search(text[max(0, m.start - 6) : m.start]):
        d.dropped = "pronoun or article"
    elif rate_after(text, np_end, clause[1]) or rate_before(text, sent.start, qual_start):
        d.dropped = "rate"
    if m.is_vague or approx_after(text, np_end, sent.end) or _ESTIMATED_NOUN.match(text, m.end):
        d.qualifier = Qualifier.APPROX  # ("48,500 estimated beneficiaries")
    elif qualifier is None and (
        at_least_after(text, np_end, sent.end) or at_least_after(text, m.end, sent.end)
    ):
        d.qualifier = Qualifier.AT_LEAST
    return d


def _is_bare_one(text: str, d: Draft) -> bool:
    return d.m.kind == "words" and text[d.m.start : d.m.end].lower() == "one"


def _alike(a: Draft, b: Draft) -> bool:
    """Whether ``b``'s verb can be ``a``'s: ``a`` does not say itself what happened ("2,000
    injured, and hundreds of facilities destroyed") and both count the same kind of thing."""
    own, other = a.head.entry, b.head.entry
    if own is None or own.category:
        return False
    return (
        other is None
        or other.unit == own.unit
        or other.unit in PEOPLE_UNITS
        and own.unit in PEOPLE_UNITS
    )


# "killed nearly 900 people ... and displaced almost 300,000": the second verb has its own
# object, the next figure, right after it
@cache
def _object_number() -> re.Pattern[str]:
    """A figure right after a verb, in digits or words (numbers.yaml): the verb's object."""
    words = phrase_pattern([w for w in number_words().small if w not in ("zero", "one")])
    return compile_rx(
        r"\s+(?:(?:almost|nearly|about|around|some|over|another|at\s+least|more\s+than|up\s+to"
        rf"|an\s+estimated|approximately|roughly)\s+)?(?:\d|(?:{words})\b)",
        re.I,
    )


_ESTIMATED_NOUN = compile_rx(r"\s+estimated\s+[A-Za-z]", re.I)  # key-figure lines: "Estimated"
_AND_BEFORE = compile_rx(r"\band\s+(?:[a-z]+\s+)?$", re.I)


def _modals() -> str:
    return phrase_pattern(vocab_list("categories", "hypothetical_auxiliaries"))


@cache
def _hypothetical() -> re.Pattern[str]:
    """A modal right after the counted noun (categories.yaml hypothetical_auxiliaries)."""
    return compile_rx(rf"\s+(?:(?:still|also|now|all)\s+)?(?:{_modals()})\b", re.I)


@cache
def _hypothetical_inside() -> re.Pattern[str]:
    """A modal anywhere between the counted noun and its verb."""
    return compile_rx(rf"\b(?:{_modals()})\b", re.I)


@cache
def _hypothetical_before() -> re.Pattern[str]:
    """A modal before the verb whose object the figure is ("risks displacing thousands")."""
    leads = phrase_pattern(vocab_list("categories", "hypothetical_leads"))
    verbs = phrase_pattern(vocab_list("categories", "hypothetical_verbs"))
    # the figure may be where the verb takes a running count ("would push the number of displaced
    # people to over a million"): a projected total, not a counted one
    count_to = (
        r"the\s+(?:overall\s+|total\s+)?(?:number|total|toll|count|figure)\b[^.;:]{0,80}?\s+to\s+"
    )
    bound = (
        r"up\s+to|as\s+many\s+as|some|about|an\s+estimated|over|more\s+than|nearly|almost|around"
    )
    return compile_rx(
        rf"\b(?:{leads})\s+(?:{verbs})\s+(?:{count_to})?(?:(?:{bound})\s+)?$",
        re.I,
    )


@cache
def _contrast_after() -> re.Pattern[str]:
    """A comma and a contrasting clause opener ("..., while five were killed")."""
    openers = phrase_pattern(vocab_list("text", "contrast_openers"))
    return compile_rx(rf"\s*,\s*(?:{openers})\b", re.I)


def _verb_reach(text: str, d: Draft) -> int:
    """Where the verb of the figure may be looked for: the sentence's end, or its clause's
    end when a contrasting clause with a subject of its own follows ("27 others wounded in
    the south, while five were killed in ...": "killed" is the five's)."""
    end = d.clause[1]
    if d.np_end <= end < d.sentence.end and _contrast_after().match(text, end, d.sentence.end):
        return end
    return d.sentence.end


def _verb_of_next(text: str, d: Draft, cue_end: int) -> bool:
    """The verb found after the figure is joined to it by "and" and governs the number
    right after it: it is that figure's verb, not this one's."""
    if not _object_number().match(text, cue_end, d.sentence.end):
        return False
    cue_start = text.rfind(" ", d.np_end, cue_end - 1) + 1
    if text[d.np_end : cue_start].strip() == ",":
        return True  # "killed two people, injured seven others": a list of verbs
    return _AND_BEFORE.search(text, d.np_end, cue_start) is not None


# (an aside on who they were may come first: "Eight civilians, including two children, were
# among the 23 people killed")
_AMONG = compile_rx(
    r"(?:,?\s+including\s+[^.;:,\d]{1,40}?,?)?"
    r",?\s+(?:were|was|are|is)\s+(?:also\s+)?among\s+(?:the\s+)?",
    re.I,
)


def _share_coordinated(text: str, live: list[Draft]) -> None:
    """ "two boys and seven other people were hurt": the verb and qualifier are shared."""
    rx = _rx()
    listed = False  # inside a list "A, B, C and D were killed", read from its end
    for k in range(len(live) - 2, -1, -1):
        a, b = live[k], live[k + 1]
        gap = text[a.np_end : b.qual_start]
        joined = bool(rx["coord"].fullmatch(gap)) and ("and" in gap or "or" in gap)
        joined = joined or rx["parts_gap"].fullmatch(gap) is not None  # "12 people including 4"
        # "5,100 people in 1,020 households were displaced": the pair shares its verb
        joined = joined or bool(
            people_then_households(b, a) and rx["household_pair"].fullmatch(gap)
        )
        if a.head.entry and a.fwd is None and b.fwd is not None and _AMONG.fullmatch(gap):
            a.fwd = b.fwd  # "Three women were among the 12 people killed": the same fate
        coordinated = joined or (listed and gap.strip() == ",")
        if a.head.entry and coordinated and a.fwd is None and b.fwd is not None and _alike(a, b):
            if _named_before(text, a) or _population_before(text, a):
                continue  # "recorded the deaths of 9,700 civilians, and another 7,000 are missing"
            a.fwd = b.fwd
        listed = coordinated and b.fwd is not None and a.fwd == b.fwd
    for k in range(1, len(live)):
        a, b = live[k - 1], live[k]
        gap = text[a.np_end : b.m.start]
        if b.qualifier is None and rx["and_or"].fullmatch(gap):
            b.qualifier = a.qualifier


_PART_ASIDE = compile_rx(r"\b(?:including|among\s+them|mostly)\b", re.I)


@cache
def _population_lead() -> re.Pattern[str]:
    leads = phrase_pattern(vocab_list("categories", "population_leads"))
    return compile_rx(rf"\b(?:{leads})\s+$", re.I)


def _population_before(text: str, a: Draft) -> bool:
    """The figure is a population ("inhabited by 4 million civilians, including hundreds of
    thousands displaced"): its part's participle describes the part, not all of them."""
    return (
        _population_lead().search(text, max(a.clause[0], a.qual_start - 30), a.qual_start)
        is not None
    )


def _named_before(text: str, a: Draft) -> bool:
    """The figure's own clause names what happened to it before it ("the deaths of")."""
    got = cat.cue_before(text, a.clause[0], a.qual_start)
    return got is not None and cat.is_people_category(got[0])


def _share_qualifiers(text: str, live: list[Draft]) -> None:
    """A qualifier in front of the first figure of a list applies to its partners counted in
    the same unit: "at least 174 people were killed and 758 wounded", "at least 20 killed,
    93 injured"."""
    for k in range(1, len(live)):
        a, b = live[k - 1], live[k]
        # parts of one whole share a qualifier too ("including about 28,000 Syrians, 30,000
        # Iraqis"), not the whole's
        siblings = a.link in PART_LINKS and b.link == a.link and b.ante is a.ante
        if b.qualifier is not None or a.qualifier is None:
            continue
        if b.link in PART_LINKS and not siblings:
            continue
        if a.head.entry is None or (a.link in PART_LINKS and not siblings) or a.unit != b.unit:
            continue  # "more than 300 air strikes, 95 barrel bombs": different things
        if b.link == "elliptical" and b.ante is a and PLACE_PART.match(text, b.np_end):
            continue  # "at least 15 people, four in Danga and six in ...": a part by place
        rx = _rx()
        if rx["partner_gap"].fullmatch(text, a.np_end, b.qual_start) or (
            a.category != b.category
            and rx["partner_verb_gap"].fullmatch(text, a.np_end, b.qual_start)
        ):
            b.qualifier = a.qualifier


def _adjective(text: str, cue_end: int) -> bool:
    """ "killed 13 people at a site hosting displaced people": a cue right before a counted
    noun describes that noun; it is no verb of the figure."""
    noun = cat.next_noun(text, cue_end)
    return noun is not None and cat.is_people_noun(noun.group("noun"))


_RELATIVE = compile_rx(RELATIVE_BODY, re.I)


def _background_verb(text: str, d: Draft, cue_end: int, state: DocState) -> bool:
    """ "killed 40 people, including 4 women, who had sought shelter there", "killed 19
    people who were sheltering there": a relative clause after the figure says what the
    people had done or were doing; the verb before the figure says what happened to them."""
    if _RELATIVE.search(text, d.np_end, cue_end) is None:
        return False
    cues = state.cues(d.sentence.index)
    return cat.cue_before(text, d.clause[0], d.qual_start, cues) is not None
