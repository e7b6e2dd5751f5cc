"""Which organisation a figure is attributed to.

A figure takes the nearest organisation credited in its own sentence ("X said",
"according to X", "(MoPH)", "the ministry noted"); a figure paired with another
shares its source. Otherwise the source carries from the text around it, read
in one walk over the sentences in order:

- within a paragraph, the last speaker goes on until another one speaks; a speaker
  that is no organisation ("activists said", "Reports indicate") credits nobody;
- a paragraph opening "Also, ..." or pointing back ("these alleged killings") goes on
  with the one before; a heading naming an organisation ("DTM Flash Alert ...:",
  "..., says Save the Children") covers the paragraphs under it, up to the next heading;
- the sentences of a quotation take the speaker named after it, a paragraph closed by
  "Source: X" is X's, and a sentence takes the attribution that closes the next one
  (", X said");
- a text written in its publisher's first person ("we have documented") credits the
  publisher with the rest.

"It", "the group", "the ministry", "its staff" stand for the organisation named
last (the last one whose name has that head word, "the ministry" for a ministry);
a person speaking for an organisation ("WHO spokesman Tarik Jasarevic", later
"Jasarevic said") gives the organisation. The walk keeps a bounded list of the
organisations named so far, so looking back costs the same for every sentence.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import cache

from crisisdesk.extract.anaphor_sources import (
    national_anaphor,
    opening_subject,
    resolve_anaphor,
    specific_heads,
    titled_speaker,
)
from crisisdesk.extract.compiled import compile_rx
from crisisdesk.extract.draft import DocState, Draft
from crisisdesk.extract.list_intro import opens_list_to
from crisisdesk.extract.name_forms import full_names
from crisisdesk.extract.numbers import find_numbers
from crisisdesk.extract.prescan import names_an_office
from crisisdesk.extract.quoted_sources import Named, Span, has_digit, surrounding_sources
from crisisdesk.extract.sources import Attribution, attributions
from crisisdesk.extract.speakers import (
    anaphors,
    continues_paragraph,
    contrasted_speaker,
    credits_someone_else,
    individual_speakers,
    is_body_of,
    is_heading,
    may_close_with_speaker,
    monitor_by_head,
    monitoring_bodies,
    names_reports,
    offices,
    person_mentions,
    recorded_by_no_one,
    refers_back,
    restates_figure,
    role_people,
    same_month_tally,
    sentences_with_cues,
    speaking_pronouns,
    speaking_roles,
    third_party_figure,
    unnamed_monitor,
)
from crisisdesk.vocab import (
    phrase_pattern,
    vocab_list,
)

_NONE: Named = (None, None)
_RECENT = 8  # organisations remembered for "it", "the group", "the ministry"


@dataclass(slots=True)
class _Walk:
    """What the walk over the sentences remembers."""

    recent: list[tuple[str, Span]] = field(default_factory=list)
    credited: list[tuple[str, Span]] = field(default_factory=list)
    people: dict[str, tuple[str, Span]] = field(default_factory=dict)
    own: list[Named | None] = field(default_factory=list)  # None: the sentence names no speaker
    named: list[list[tuple[int, int, str]]] = field(default_factory=list)  # per sentence
    first_by_head: dict[str, tuple[str, Span]] = field(default_factory=dict)
    cues: dict[str, set[int]] = field(default_factory=dict)  # sentences holding each kind of word
    anaphors: dict[int, list[tuple[int, int, str]]] = field(default_factory=dict)  # by sentence
    voice: tuple[str, Span] | None = None  # the organisation of the last person speaking for one


def attribute(state: DocState, drafts: list[Draft]) -> None:
    """Fill each draft's source and the span of the words it was read from."""
    if drafts and not state.source_cache:
        _walk(state)
    for d in drafts:
        d.source, d.source_span = choose_source(state, d)
    named = [name for found in state.organisations() for _, _, name in found]
    longer = full_names(named + [d.source for d in drafts if d.source]) if drafts else {}
    for d in drafts:
        if d.source in longer:
            d.source = longer[d.source]  # a name cut short: the one written in full


def choose_source(state: DocState, d: Draft) -> Named:
    """The nearest speaker in the figure's sentence, the source of the figure it is paired
    with, else what the sentence carries (see ``_walk``)."""
    i = d.sentence.index
    attrs = _origins(state.text, state.attrs(i))
    if "tally label" in d.notes:  # "Syrian Democratic Forces: 11": whose dead, not who says
        attrs = [a for a in attrs if not d.sentence.start <= a.pos < d.m.start]
    if attrs:
        # (by where the words that credit stand: "it said" is where "it" is)
        before = [a for a in attrs if a.pos <= d.m.start]
        if before and contrasted_speaker(state.low, _end(before[-1]), d.m.start):
            return _NONE  # "X said 3 were killed while a hospital source put it at 20"
        tail = d.sentence.end - (d.sentence.end - d.sentence.start) // 3
        # an individual after the figure speaks for it only from the sentence's end
        # (", activists said"); mid-sentence ("while an official reported 55") it has its own
        after = [a for a in attrs if a.pos > d.m.start and (a.name or a.pos >= tail)]
        if after and _NEXT_CLAUSE.search(state.text, d.m.end, after[0].pos):
            # "X documented 3,364 deaths, while Y ... documented 3,473": Y's own; with no
            # speaker before, only a Y that opens the next clause ("the toll was 50, while the
            # Y website reported 124"; not a closing "..., according to Y")
            if not before and _WHILE_SUBJECT.search(state.text, d.m.end, after[0].start):
                return _before_sentence(state, d)
            if before:
                after = []
        if after and _opens_next_figure(state, d, after[0]):
            # "... hosts 1.5 million people and, according to the UN, 300,000 more have fled":
            # the speaker opens the next clause and its figure
            if not before:
                return _before_sentence(state, d)
            after = []
        if after and _CLOSING.fullmatch(state.text, after[0].end, d.sentence.end):
            # "Doctors said the RSF attacked ..., leaving dozens dead, AP reported": AP relays
            # what the speaker before the figure said (named or not: "A union of doctors said")
            if before and _SAYS_THAT.match(state.text, before[-1].end):
                after = []
            elif not before and _OPENS_SAYING.match(state.text, d.sentence.start, d.m.start):
                return _NONE
        if before or after:
            chosen = (
                after[0]
                if after and (not before or d.m.start - _end(before[-1]) > after[0].pos - d.m.end)
                else (before[-1] if before else after[0])
            )
            return (chosen.name, _span(chosen)) if chosen.name else _NONE
    if d.link in ("pair", "including", "partitive") and d.ante is not None:
        # parts of a toll told in a later sentence ("Among the victims were 4 women") are
        # the same organisation's count as the toll
        return d.ante.source, d.ante.source_span
    got = state.source_cache.get(i, _NONE)
    if "tally label" in d.notes and _in_label(got, d):  # its label names whose dead
        got = state.source_cache.get(i - 1, _NONE) if i > 0 else _NONE
    voice = state.sources.voice
    if (
        voice
        and got == (voice, state.sources.voice_span)
        and third_party_figure(state.low, d.m.end)
    ):
        return _NONE  # the publisher relays another party's declaration
    return got


def _in_label(got: Named, d: Draft) -> bool:
    """The source was read from the label of a tally line ("Syrian Democratic Forces: 11")."""
    span = got[1]
    return span is not None and d.sentence.start <= span[0] < d.m.start


def _before_sentence(state: DocState, d: Draft) -> Named:
    """What the sentence before, in the same paragraph, carries: the speaker of a figure
    whose own clause names none (the clause after it has its own)."""
    i = d.sentence.index
    if i == 0 or state.sents[i - 1].paragraph != d.sentence.paragraph:
        return _NONE
    return state.source_cache.get(i - 1, _NONE)


def _opens_next_figure(state: DocState, d: Draft, a: Attribution) -> bool:
    """ "and, according to X, <figure>": an attribution that opens a coordinated clause
    after the figure and goes with the figure of that clause."""
    if _AND_ACCORDING.search(state.text, d.m.end, a.start) is None:
        return False
    return bool(find_numbers(state.text[a.end : d.sentence.end]))


_AND_ACCORDING = compile_rx(r"\s(?:and|but)\s*,?\s*according\s+to\s+(?:the\s+)?$", re.I)
# a clause of its own after the figure, with its own speaker
_NEXT_CLAUSE = compile_rx(r",\s+(?:while|whereas)\b|;")
# the rest of a sentence after a name that closes it: "..., The Associated Press news agency
# reported on Saturday."
_CLOSING = compile_rx(r"(?i:(?:\s+news\s+agency)?\s+(?:reported|reports|said|says)\b[^,;:]{0,30})")
# a sentence opening with its speaker and "said" ("A union of doctors and a youth group said")
_OPENS_SAYING = compile_rx(r"(?i:[^,;:\d]{3,80}?\s+(?:said|say|says)(?:\s+that)?\s)")
_SAYS_THAT = compile_rx(r"(?i:\s+(?:said|say|says)(?:\s+that)?\s)")
_WHILE_SUBJECT = compile_rx(r",\s+(?:while|whereas)\s+(?:the\s+)?$")
# "Anadolu Agency reported, citing the Health Ministry": who relayed the figure, then its origin
_CITING = compile_rx(r"[^.;:!?]{0,60}?\bciting\s+(?:the\s+|a\s+|an\s+)?(?:[\w’'-]+[’']s\s+)?")


def _origins(text: str, attrs: list[Attribution]) -> list[Attribution]:
    """The attributions without those that only relay the one they cite."""
    return [
        a
        for k, a in enumerate(attrs)
        if k + 1 == len(attrs) or not _CITING.fullmatch(text, a.end, attrs[k + 1].start)
    ]


def _end(a: Attribution) -> int:
    """Where the words that credit ``a`` end (a name, or an anaphor's head word)."""
    return a.end if a.at < 0 else a.at + 1


def _span(a: Attribution) -> Span:
    return a.start, a.end


# --- the walk ---------------------------------------------------------------------


def _walk(state: DocState) -> None:
    """Resolve every sentence's speaker once, then the source each sentence carries."""
    w = _Walk()
    _index_names(state, w)
    starts = [x.start for x in state.sents]
    w.cues = sentences_with_cues(state.low, starts)
    for a, b, head in anaphors(state.low, 0, len(state.low)):  # one scan of the whole text
        k = bisect.bisect_right(starts, a) - 1
        if k >= 0 and b <= state.sents[k].end:
            w.anaphors.setdefault(k, []).append((a, b, head))
    for i in range(len(state.sents)):
        w.own.append(_own_speaker(state, i, w))
    quoted = surrounding_sources(state, w.own, w.named)
    _carry(state, w, quoted)


def _index_names(state: DocState, w: _Walk) -> None:
    """Organisations named in each sentence, and the first ministry, government... of the
    text (for a "the government said" that comes before the government is named)."""
    starts = [x.start for x in state.sents]
    per = [list(named) for named in state.organisations()]  # copies: offices are added
    for a, b, name in _offices(state, starts):
        k = bisect.bisect_right(starts, a) - 1
        if k >= 0 and not any(x < b and a < y for x, y, _ in per[k]):
            per[k].append((a, b, name))
            per[k].sort()
    for named in per:
        w.named.append(named)
        for a, b, name in named:
            for head in specific_heads():
                if head in name.lower():
                    w.first_by_head.setdefault(head, (name, (a, b)))


def _offices(state: DocState, starts: list[int]) -> list[tuple[int, int, str]]:
    """Offices named with their place ("Human Rights Defender of Armenia"); one named with a
    description of a place ("of the unrecognized republic") is of the place named last."""
    out: list[tuple[int, int, str]] = []
    if not names_an_office(state.low):
        return out  # most texts name no office: skip the two whole-text scans
    for a, b, office, place in offices(state.low):
        if place is not None:
            words = _CAPITALISED.search(state.text, *place)
            if words is None:
                continue  # "the ombudsman of our town": no name
            if place[0] > a:  # "of <place>": the name ends with the place
                b = words.end()
            where: str | None = words.group()
        else:
            where = _place_before(state, bisect.bisect_right(starts, a) - 1, a)
            if where is None:
                continue
        out.append((a, b, f"{office} of {where}"))
    return out


def _place_before(state: DocState, k: int, a: int) -> str | None:
    """The place the text named last before offset ``a`` (in sentence ``k`` or earlier)."""
    for j in range(k, -1, -1):
        names = [p.name for p in state.sentence_places(j) if p.end <= a]
        if names:
            return names[-1]
    return None


_CAPITALISED = compile_rx(r"[A-Z][\w-]*(?:\s+[A-Z][\w-]*)?")


_QUOTES = frozenset('“"')


def _carry(state: DocState, w: _Walk, quoted: dict[int, Named]) -> None:
    """Each sentence's source: its own speaker, else the one its paragraph, section or
    quotation carries (filled into ``state.source_cache``)."""
    para_speaker: Named | None = None
    heading: Named | None = None
    listing = _NO_LIST  # a colon sentence with a figure introducing a list: its items
    prev_paragraph = -1
    speaker_paragraph = -1  # where ``para_speaker`` spoke
    speaker_start = 0  # where that paragraph's speaking sentence starts
    for i, sent in enumerate(state.sents):
        if sent.paragraph != prev_paragraph:
            listing = _list_scope(state.text, sent.start, listing)
            if listing == _LIST_ENDED:
                heading, listing = None, _NO_LIST
            # "The victims included ...", "They also included ...": the figures before (a
            # quotation opening a paragraph takes the speaker named after it instead)
            quote = state.text[sent.start : sent.start + 1] in _QUOTES
            opener = (
                continues_paragraph(state.low, sent.start, sent.end)
                or (not quote and refers_back(state.text, sent.start, sent.end))
                or recorded_by_no_one(state.low, sent.start, sent.end)
                # the lines of a list its colon opens ("... were seen in:" then "Marib (512 HH)")
                or opens_list_to(state, speaker_paragraph, sent.paragraph, sent.start)
                # "Despite a decrease in incidents (from 215 to 206), ...": the count told before
                or (
                    para_speaker is not None
                    and not quote
                    and (
                        restates_figure(state.text, speaker_start, sent.start, sent.end)
                        # (of figures credited "according to" X: a publisher's own report
                        # goes on as its own)
                        or (
                            _credited_according(state.text, para_speaker)
                            and same_month_tally(state.text, speaker_start, sent.start, sent.end)
                        )
                    )
                )
            )
            para_speaker = para_speaker if opener else None
            prev_paragraph = sent.paragraph
        own = w.own[i]
        if is_heading(state.text, sent.start, sent.end):
            heading = own if own is not None and own[0] else None  # a new section
            listing = _LIST_OPEN if has_digit(state.text, sent.start, sent.end) else _NO_LIST
        if own is not None:
            if speaker_paragraph != sent.paragraph:
                speaker_start = sent.start
            para_speaker, speaker_paragraph = own, sent.paragraph
            state.source_cache[i] = own
            continue
        state.source_cache[i] = _carried(state, i, w, quoted, para_speaker or heading)


def _credited_according(text: str, speaker: Named) -> bool:
    """The speaker was credited "according to" it ("according to casualty figures recorded
    by the United Nations Assistance Mission for Iraq")."""
    at = speaker[1][0] if speaker[1] else None
    return at is not None and _ACCORDING_BEFORE.search(text, max(0, at - 160), at) is not None


_ACCORDING_BEFORE = compile_rx(r"\baccording\s+to\b[^.;!?]*$", re.I)


# "WHO has verified 28 attacks on health care:" then "- 12 ...", "- 16 ...": a sentence
# with a figure that opens a list covers the list's items, and ends with them
_NO_LIST, _LIST_OPEN, _IN_LIST, _LIST_ENDED = range(4)
_LIST_ITEM = compile_rx(r"\s*(?:[-–•*·▪●]|\d{1,2}[.)]\s)")
_FIGURE_LINE = compile_rx(r"\d[\d,.]*\s+[a-z]")


def _list_scope(text: str, start: int, listing: int) -> int:
    """The state of a list opened by a figure's colon, at a paragraph starting at ``start``:
    the paragraphs after it are its items while they open with a bullet; the first one
    that does not ends it (when there was at least one)."""
    if listing == _NO_LIST:
        return listing
    line = text.rfind("\n", 0, start) + 1  # a bullet may stand before the sentence
    if _LIST_ITEM.match(text, line):
        return _IN_LIST
    # items without bullets: lines that open with their figure ("77,123 displacements from
    # ..."), and the rest of an item its line broke after a comma
    if _FIGURE_LINE.match(text, line) or (
        listing == _IN_LIST and text[max(0, line - 4) : line].rstrip().endswith(",")
    ):
        return _IN_LIST
    return _LIST_ENDED if listing == _IN_LIST else _NO_LIST


def _carried(
    state: DocState, i: int, w: _Walk, quoted: dict[int, Named], around: Named | None
) -> Named:
    """The source of a sentence that names no speaker of its own."""
    if i in quoted:
        return quoted[i]
    if around is not None:
        return around
    nxt = _closing_attribution(state, i, w, quoted)
    if nxt is not None:
        return nxt
    voice = state.sources.voice
    return (voice, state.sources.voice_span) if voice else _NONE


def _closing_attribution(
    state: DocState, i: int, w: _Walk, quoted: dict[int, Named]
) -> Named | None:
    """ "...281. ..., the director of the White Helmets told Enab Baladi." The next sentence
    (in the same or the next paragraph) closes with an attribution that covers this one."""
    if i + 1 >= len(state.sents):
        return None
    sent, nxt = state.sents[i], state.sents[i + 1]
    # (the pattern is case-sensitive and needs "this": most sentences have none)
    said_this = (
        state.text.find("this", nxt.start, nxt.end) >= 0
        and _SAID_THIS.search(state.text, nxt.start, nxt.end) is not None
    )
    if nxt.paragraph != sent.paragraph and (
        nxt.paragraph - sent.paragraph > 1
        or not (said_this or refers_back(state.text, nxt.start, nxt.end))
    ):
        return None  # a new paragraph goes on with this one when it refers back to it
    if i + 1 in quoted:
        return quoted[i + 1]
    if not w.own[i + 1] or not w.own[i + 1][0]:  # type: ignore[index]
        return None
    attrs = unrelayed(state.text, [a for a in state.attrs(i + 1) if a.name], nxt.end)
    # "It is reported in the study of X ...": a sentence pointing back credits its figures
    closing = (
        nxt.end - nxt.start <= 60
        # (past its middle, and no figure of its own after it: "...; according to X, the
        # incident killed 53" credits X with the 53, not the sentence before)
        or (
            attrs
            # (or after the sentence's own figure: "A further 525 were injured, according to
            # the Office of the ... (OHCHR) report which covers the 24 February to 1 March period")
            and (
                attrs[-1].start >= (nxt.start + nxt.end) // 2
                or _figure_in(state, i + 1, nxt.start, attrs[-1].start)
            )
            and not _figure_in(state, i + 1, attrs[-1].end, nxt.end)
            # "..., the IDF said an airstrike hit ...": the speaker of its own news
            and _OWN_NEWS.match(state.text, attrs[-1].end, nxt.end) is None
        )
        or refers_back(state.text, nxt.start, nxt.end)
        # "The head of the X Administration, Y, said this on Telegram": "this" is the news before
        or said_this
        # "... the international organization has recorded": a speaker named by an anaphor
        # goes on with a report, which the sentence before belongs to
        or any(a.kind == "anaphor" for a in attrs)
    )
    if attrs and closing:
        return attrs[-1].name, _span(attrs[-1])
    # "Two soldiers were killed in an air strike. According to the ministry, the strike was
    # carried out by ...": the source of the event's account, which states no figure itself
    if (
        attrs
        and nxt.paragraph == sent.paragraph
        and _according_opening(state, nxt.start, attrs[0])
        and not find_numbers(state.text[nxt.start : nxt.end])
    ):
        return attrs[0].name, _span(attrs[0])
    return None


_ACCORDING = compile_rx(r"\s*according\s+to\b", re.I)


def _according_opening(state: DocState, start: int, a: Attribution) -> bool:
    """The sentence opens "According to X," with X the attribution ``a``."""
    return _ACCORDING.match(state.text, start) is not None and a.start - start <= 20


def _figure_in(state: DocState, j: int, a: int, b: int) -> bool:
    """A digit in ``text[a:b]`` (sentence ``j``) that no stated period holds ("according to X,
    the incident killed 53"; not "according to X's report covering 24 February to 1 March")."""
    spans = [(p.start, p.end) for p in state.periods(j)]
    return any(
        state.text[k].isdigit() and not any(x <= k < y for x, y in spans) for k in range(a, b)
    )


_SAID_THIS = compile_rx(
    r"\b(?:said|stated|reported|announced|wrote|posted|noted|confirmed)\s+this\b"
    r"(?!\s+(?:week|month|year|morning|afternoon|evening|time)\b)"
)
# a reporting verb followed by news of its own ("said an airstrike hit"), not by when or how
# it was said ("said on Monday", "said in a statement", "told AFP")
_OWN_NEWS = compile_rx(
    r"\s+(?:said|says|reported|stated|announced)\s+(?:that\b|(?!(?:on|in|at|late|early|"
    r"earlier|today|yesterday|last|this|by|via|through|to|from|during|after|before)\b)"
    r"[a-z]+\s+[a-z]+)"
)


def _explicit(state: DocState, i: int, named: list[tuple[int, int, str]]) -> list[Attribution]:
    """The explicit attributions of sentence ``i``: read already when an earlier component
    asked for them with the same names (no office added), else read now."""
    cached = state.attr_cache.get(i)
    if cached is not None and named == state.organisations()[i]:
        return list(cached)
    sent = state.sents[i]
    found = attributions(state.text, sent.start, sent.end, state.sources, named)
    # "verified according to WHO reporting standards": the organisation's norms, no speaker
    return [a for a in found if not _NORMS_AFTER.match(state.text, a.end)]


_NORMS_AFTER = compile_rx(
    r"[’']?s?\s+(?:reporting\s+|own\s+)?(?:standards|criteria|methodology|definitions?|guidelines)\b"
)


def _people_open(state: DocState, i: int) -> bool:
    """Sentence ``i`` opens with people who are no organisation ("Activists accuse ...")."""
    s = state.sents[i]
    return _people_opening().match(state.low, s.start, s.end) is not None


@cache
def _people_opening() -> re.Pattern[str]:
    words = phrase_pattern(vocab_list("sources", "people_subjects"))
    return compile_rx(rf"(?:local\s+)?(?:{words})\s+[a-z]+")


def _own_speaker(state: DocState, i: int, w: _Walk) -> Named | None:
    """The speaker a sentence names: an organisation (explicit, by anaphor, by a person
    speaking for it), the null speaker (an individual), or None when it names none."""
    text, sent = state.text, state.sents[i]
    named = w.named[i]
    monitor = None if named else _monitor_named_next(state, i, w)
    if monitor is not None:
        state.attr_cache[i] = []
        w.credited.append(monitor)
        return monitor
    if not named and _silent(state, i, w):
        state.attr_cache[i] = []
        return None
    attrs = _explicit(state, i, named)
    if not attrs and named and text[sent.start : sent.end].rstrip().endswith(":"):
        a, b, name = named[0]  # "DTM Sudan Flash Alert North Darfur, 1-17 April:"
        attrs.append(Attribution(a, b, name, "heading"))
    words = w.anaphors.get(i, [])
    for a, b, head in words:
        if any(x.start <= a < x.end for x in attrs):
            continue
        if head == "they" and i > 0 and (w.own[i - 1] == _NONE or _people_open(state, i - 1)):
            # "officials told the AP ... But they put the number at 15": those people (also
            # when they only acted: "Activists accuse the forces of ... They also report ...")
            attrs.append(Attribution(a, b, "", "individual"))
            continue
        earlier = [(n, (x, y)) for x, y, n in named if y <= a]
        if head in speaking_pronouns() or head in speaking_roles():
            # "He said", "according to the spokesman": the organisation someone spoke for
            # last (a pronoun with none such may be anybody), credited where the person
            # speaks ("Reuters reported the ministry spokesperson said": the ministry)
            org = titled_speaker(text, earlier, a) or w.voice
            org = org or (w.credited[-1] if w.credited and head in speaking_roles() else None)
            if org is not None:
                w.voice = org  # "the spokesperson said ... He added": the same person
                attrs.append(Attribution(org[1][0], org[1][1], org[0], "anaphor", at=a))
            continue
        org = opening_subject(state, i, a, w.named[i - 1]) if head in ("it", "they") else None
        org = org or resolve_anaphor(head, w.recent + earlier, w.credited)
        org = org or w.first_by_head.get(head)
        org = org or national_anaphor(state, head, a, b)
        if org is not None:
            attrs.append(Attribution(org[1][0], org[1][1], org[0], "anaphor"))
    attrs.extend(_people_speaking(state, i, w, attrs))
    for x, y, n in named:
        w.recent.append((n, (x, y)))
    del w.recent[:-_RECENT]
    if not attrs:
        state.attr_cache[i] = []
        monitor = _monitor_named_next(state, i, w) if named else None
        if monitor is not None:  # (the organisations it names only act: "government forces")
            w.credited.append(monitor)
            return monitor
        if _individual_only(state, i, w, named):
            w.voice = None  # "a resident said ...": "he" now is that person
            return _NONE
        return None
    attrs = [_body_reporting(state, a, w) for a in attrs]
    w.credited.extend((a.name, _span(a)) for a in attrs if a.name)
    del w.credited[:-_RECENT]
    # an individual nearer to a figure than the organisation speaks for it ("X said 56 were
    # killed, while an official at the hospital reported 55")
    # ("SOHR activists", "the rights group" and "Doctors" in a name are the organisation's)
    spoken = [(x, y) for x, y, _ in named] + [(x, y) for x, y, _ in words]
    for a, b in _individuals(state, i, w):
        if not any(x < b and a <= y + 1 for x, y in spoken) and not _joined(text, a, b, attrs):
            attrs.append(Attribution(a, b, "", "individual"))
    attrs.sort(key=lambda x: x.pos)
    state.attr_cache[i] = attrs
    last = unrelayed(text, [a for a in attrs if a.name], sent.end)
    return (last[-1].name, _span(last[-1])) if last else _NONE


def unrelayed(text: str, named: list[Attribution], end: int) -> list[Attribution]:
    """The named attributions of a sentence without a news outlet that closes it after a
    speaker it relays ("This was reported by the Civil Protection Service, NNA reports.")."""
    if len(named) > 1 and _RELAYED.fullmatch(text, named[-1].end, end):
        return named[:-1]
    return named


# a news outlet closing a sentence that already names its speaker: ", NNA reports."
_RELAYED = compile_rx(r"(?i:(?:\s+news\s+agency)?\s+(?:reports|reported)\s*[.!]?[\s\"”’]*)")


def _monitor_named_next(state: DocState, i: int, w: _Walk) -> tuple[str, Span] | None:
    """ "... killed 14 civilians, a war monitor said." with no organisation named: the
    monitoring body the next sentence (of this paragraph or the next) names ("The
    Britain-based Syrian Observatory for Human Rights said ...")."""
    sent = state.sents[i]
    if i + 1 >= len(state.sents):
        return None
    if not unnamed_monitor(state.low, sent.start, sent.end):
        return None
    # (a sentence of background may come first: "Government forces have stepped up ...")
    for j in range(i + 1, min(len(state.sents), i + 1 + _MONITOR_REACH)):
        if state.sents[j].paragraph - sent.paragraph > _MONITOR_REACH:
            return None
        named = [(n, (a, b)) for a, b, n in w.named[j] if n in monitoring_bodies()]
        # (or the one monitoring body its short name fits: "the Observatory said")
        named += [(n, (a, b)) for a, b, h in w.anaphors.get(j, []) if (n := monitor_by_head(h))]
        if named:
            return named[0]
    return None


_MONITOR_REACH = 3  # sentences (and paragraphs) ahead in which an unnamed monitor is named


def _body_reporting(state: DocState, a: Attribution, w: _Walk) -> Attribution:
    """ "The UN reports also indicate ..." after UN OCHA's report was cited, "the UN agency
    said" after IOM was: the reports of a parent organisation, or its body, are those of
    its body credited last. Only with the article: "according to UN reports" cites the
    parent afresh."""
    if not w.credited or not a.name or not names_reports(state.low, a.end):
        return a
    low = state.low
    if not (low.startswith("the ", a.start) or low[max(0, a.start - 4) : a.start] == "the "):
        return a
    last = w.credited[-1][0]
    if last != a.name and is_body_of(last, a.name):
        return Attribution(a.start, a.end, last, a.kind, a.at)
    return a


def _silent(state: DocState, i: int, w: _Walk) -> bool:
    """Most sentences name no speaker at all: no organisation, none of the words of an
    anaphor, a role or an individual speaker, no citation, no closing ", X said" and no
    person met before. Those skip every reader (a cheap test on what the walk has)."""
    if i in w.anaphors or i in w.cues["individual"] or i in w.cues["role"] or w.people:
        return False
    text, sent = state.text, state.sents[i]
    return (
        text.find("(", sent.start, sent.end) < 0
        and text.find("ource", sent.start, sent.end) < 0
        and not may_close_with_speaker(state.low, sent.start, sent.end)
    )


def _joined(text: str, a: int, b: int, attrs: list[Attribution]) -> bool:
    """ "according to activist Hadi Abdullah and the Britain-based Observatory", "WHO and
    partners have documented": the individual is named with an organisation, which speaks
    for the figures."""
    return any(
        (0 <= x.start - b <= 60 and " and " in text[b : x.start])
        or _AND_ITS.fullmatch(text, x.end, a) is not None
        for x in attrs
        if x.name
    )


_AND_ITS = compile_rx(r"\s+and\s+(?:its\s+|their\s+)?")


def _individuals(state: DocState, i: int, w: _Walk) -> list[Span]:
    """Speakers that are no organisation in sentence ``i`` (none without their words)."""
    if i not in w.cues["individual"]:
        return []
    sent = state.sents[i]
    return individual_speakers(state.low, sent.start, sent.end)


def _individual_only(state: DocState, i: int, w: _Walk, named: list[tuple[int, int, str]]) -> bool:
    """The sentence's speaker is no organisation ("activists said", "Reports indicate")."""
    text, sent = state.text, state.sents[i]
    spans = _individuals(state, i, w)
    if any(not any(x < b and a < y for x, y, _ in named) for a, b in spans):
        return True
    return not spans and credits_someone_else(text, sent.start, sent.end, state.sources)


def _people_speaking(
    state: DocState, i: int, w: _Walk, attrs: list[Attribution]
) -> list[Attribution]:
    """People who speak for an organisation: bind them when introduced ("WHO spokesman Tarik
    Jasarevic", "spokesperson Ahmed Sheiko" after the White Helmets), credit it when they
    speak again ("Mr Sheiko said")."""
    text, sent = state.text, state.sents[i]
    roles = role_people(text, state.low, sent.start, sent.end) if i in w.cues["role"] else []
    for a, surname, owned in roles:
        near = [x for x in attrs if x.name and abs(x.pos - a) <= 80]
        # "Agency X reported the ministry spokesperson said": the nearest one is whose
        nearest = min(near, key=lambda x: abs(x.pos - a), default=None)
        org = (nearest.name, _span(nearest)) if nearest is not None else None
        # "spokesperson Ahmed Sheiko": of the organisation speaking (not when the role says
        # whose it is: "Kinos Katuho, the president of the local civil society organisation")
        if org is None and not owned:
            org = w.credited[-1] if w.credited else w.recent[-1] if w.recent else None
        if org is not None and org[0]:
            w.voice = (org[0], org[1])
            w.people[surname] = (org[0], org[1])
            w.people[surname.rsplit("-", 1)[-1]] = (org[0], org[1])  # "Al-Saleh", "Saleh"
    if attrs or not w.people:
        return []
    out = []
    for said in person_mentions(text, sent.start, sent.end):
        # "al-Qedra" introduced, "Al-Qedra said" at a sentence's start: the same person
        surname = said if said in w.people else said.rsplit("-", 1)[-1]
        if surname in w.people:
            name, span = w.people[surname]
            w.voice = (name, span)
            out.append(Attribution(span[0], span[1], name, "person"))
    return out
