"""What a sentence says about who speaks, beyond the organisations it credits.

The words that stand for an organisation named before ("it said", "the ministry
noted"), speakers that are no organisation ("activists said"), people introduced
with a role ("WHO spokesman Jane Doe"), offices that speak as institutions ("the
ombudsman of Armenia"), paragraphs that go on with the report before, headings and
citations that cover a paragraph, and a closing "..., local officials said" that
credits someone else. Read on lower-cased text where they can be (``low``, same
offsets), with cheap word scans before the slow patterns. The patterns themselves
live with the organisation patterns in sources.py; attribution.py combines these
readings over a document.
"""

from __future__ import annotations

import bisect
import re
from functools import cache

from crisisdesk.extract.compiled import compile_rx
from crisisdesk.extract.country import is_national_word
from crisisdesk.extract.source_patterns import regexes as _regexes
from crisisdesk.extract.sources import (
    _PASSIVE,
    _SOURCE_LABEL,
    SourceContext,
    organisations,
)
from crisisdesk.extract.text import PhraseScanner
from crisisdesk.vocab import load_sources, load_yaml, phrase_pattern, vocab_list


@cache
def _scanners() -> dict[str, PhraseScanner]:
    """Fast word scans that tell when a slow pattern cannot match a sentence."""
    heads = (
        vocab_list("sources", "anaphor_heads")
        + vocab_list("sources", "report_nouns")
        + vocab_list("sources", "speaking_pronouns")
        + vocab_list("sources", "speaking_roles")
    )
    return {
        "individuals": PhraseScanner(vocab_list("sources", "individual_speakers")),
        "anaphor_words": PhraseScanner([*heads, "it", "they", "report no", *_OBJECT_PRONOUNS]),
    }


@cache
def _pronouns() -> frozenset[str]:
    """Pronouns that speak only with a reporting verb ("it said", not "it reached")."""
    return frozenset({"it", "they", *speaking_pronouns()})


# a word of a person's name, with its article ("Ashraf al-Qedra", "Hassan el-Amin")
_NAME_WORD = r"(?:(?:al|el|ad|as|an|ar)-)?[A-Z][\w’'-]+"


@cache
def _people_regexes() -> dict[str, re.Pattern[str]]:
    """Patterns for people who speak for an organisation."""
    roles = phrase_pattern(vocab_list("sources", "person_roles"))
    verbs = phrase_pattern(vocab_list("sources", "reporting_verbs"))
    return {
        "role_word": compile_rx(rf"\b(?:{roles})\b"),  # scanned on lower-cased text
        # a person introduced as speaking for an organisation, read for the surname:
        # "WHO spokesman Tarik Jasarevic told", "Matilda Bogner, head of X", "the head of X, J. Doe"
        "role_then_person": compile_rx(
            rf"(?i:\b(?:{roles}))\s+(?:{_NAME_WORD}\s+){{0,2}}(?P<sur>{_NAME_WORD})"
            rf"(?=\s*(?:,|also\b|earlier\b|(?i:{verbs})\b))"
        ),
        "person_then_role": compile_rx(
            rf"(?P<sur>{_NAME_WORD}),?\s+(?:the\s+|a\s+)?(?:[a-z][\w-]*\s+){{0,2}}?"
            rf"(?i:(?:{roles}))\b"
        ),
        "role_of_then_person": compile_rx(
            rf"(?i:\b(?:{roles}))\s+(?:of|for|at)\s+(?:the\s+)?[^,;.]{{3,80}},\s+"
            r"[A-Z][\w’'-]+\s+(?P<sur>[A-Z][\w’'-]+)"
        ),
        "person_speaks": compile_rx(
            r"\b(?:Mr|Ms|Mrs|Dr)\.?\s+(?P<sur>[A-Z][\w’'-]+)"
            rf"|(?P<sur2>[A-Z][\w’'-]+)\s+(?:also\s+|earlier\s+)?(?i:{verbs})\b"
            r"|\b(?:said|says|added)\s+(?:[A-Z][\w’'-]+\s+){0,2}(?P<sur3>[A-Z][\w’'-]+)"
            # "According to Bogner, there have been ...": a surname alone after "according to"
            r"|\b[Aa]ccording\s+to\s+(?:(?:Mr|Ms|Mrs|Dr)\.?\s+)?(?P<sur4>[A-Z][\w’'-]+),"
            # "..., as stated by Al-Qedra": the person the figure is credited to, after "by"
            rf"|\b(?i:{verbs})\s+by\s+(?:(?:Mr|Ms|Mrs|Dr)\.?\s+)?(?:[A-Z][\w’'-]+\s+){{0,2}}"
            r"(?P<sur5>[A-Z][\w’'-]+)\b"
        ),
    }


def third_party_figure(low: str, end: int) -> bool:
    """The figure ending at ``end`` is marked as another party's declaration: "547 reported
    strikes", "272 strikes were declared" (read within its clause, on lower-cased text)."""
    return bool(_regexes()["third_party"].match(low, end, min(len(low), end + 60)))


def names_reports(low: str, end: int) -> bool:
    """The name ending at ``end`` qualifies a report noun ("the UN reports", "UN figures")
    or names one of its bodies ("the UN agency said", "the U.N. body")."""
    rx = _regexes()
    return bool(rx["reports_after"].match(low, end) or rx["body_after"].match(low, end))


def is_body_of(name: str, parent: str) -> bool:
    """Whether the table's organisation ``name`` is a body of ``parent`` (a name or alias of
    it opens with the parent's words: "UN OCHA", "UN Refugee Agency" for United Nations)."""
    return name in _bodies().get(parent, frozenset())


@cache
def _bodies() -> dict[str, frozenset[str]]:
    """The bodies of each parent organisation of sources.yaml ``parent_bodies``."""
    parents = load_yaml("sources").get("parent_bodies") or {}
    out: dict[str, frozenset[str]] = {}
    for parent, words in parents.items():
        opens = tuple(f"{w} " for w in words) + tuple(f"{w}-" for w in words)
        out[str(parent)] = frozenset(
            s.name
            for s in load_sources()
            if s.name != parent and any(x.startswith(opens) for x in (s.name, *s.aliases))
        )
    return out


def sentences_with_cues(low: str, starts: list[int]) -> dict[str, set[int]]:
    """Which sentences (by index, from their start offsets) hold a word that individual
    speakers or role people need: one scan of the whole text per kind, so the
    many sentences without any skip those readers."""
    scans = {
        "individual": _scanners()["individuals"].finditer(low),
        "role": _people_regexes()["role_word"].finditer(low),
    }
    return {
        kind: {bisect.bisect_right(starts, m.start()) - 1 for m in hits}
        for kind, hits in scans.items()
    }


def anaphors(low: str, start: int, end: int) -> list[tuple[int, int, str]]:
    """Words that stand for an organisation named before and credit it: "It added",
    "the Ministry noted", "according to the rights group", "field teams observed".
    Each as (start, end, head word); the head picks which organisation it stands for.
    ``low`` is the text lower-cased with the same offsets (scanned without IGNORECASE)."""
    if _scanners()["anaphor_words"].search(low, start, end) is None:
        return []
    rx = _regexes()
    out = []
    for key in ("anaphor", "according_anaphor", "role_anaphor"):
        for m in rx[key].finditer(low, start, end):
            group = "np" if m.group("np") is not None else "np2"
            np = m.group(group)
            if (
                key == "anaphor"
                and np in _pronouns()
                and (not m.group("said") or _PASSIVE.match(low, m.end("np")))
            ):
                continue  # "it was reported": nobody; "it reached its peak": no report
            if any(is_national_word(w) for w in np.split()[1:-1]):
                continue  # "according to the Lebanese authorities": a body of its own
            if np in _pronouns() and _inside_quote(low, m.start(group)):
                continue  # "“We had a hard day. It showed us ...,” the mayor said": his words
            out.append((m.start(group), m.end(group), _head(np)))
    return sorted(set(out))


def _inside_quote(low: str, pos: int) -> bool:
    """Whether ``pos`` lies inside a quotation opened earlier in its paragraph."""
    seg = low[low.rfind("\n", 0, pos) + 1 : pos]
    return seg.count('"') % 2 == 1 or seg.count("“") > seg.count("”")


# ("according to them": the body credited before, or the figures it published)
_OBJECT_PRONOUNS = {"him": "he", "her": "she", "them": "they"}


def _head(np: str) -> str:
    """The word that says what an anaphor stands for: its last, or the role of a person
    named after it ("the ministry spokesperson jane doe": spokesperson)."""
    words = np.split()
    if np in _OBJECT_PRONOUNS:
        return _OBJECT_PRONOUNS[np]  # "according to him": he who spoke before
    roles = speaking_roles()
    if len(words) > 2 and words[-1] in _report_nouns():
        words = words[:-1]  # "a ministry statement": the ministry
    if len(words) == 3 and words[1].endswith(("'s", "’s")) and words[2] in _report_nouns():
        words = [words[0], words[1][:-2]]  # "the group's report": the group
    owner = next((w[:-2] for w in words[:-1] if w.endswith(("'s", "’s"))), None)
    if owner in _anaphor_heads():
        return owner  # "the ministry's emergency service", "the ministry's spokesman": the ministry
    return next((w for w in reversed(words) if w in roles), words[-1])


@cache
def _anaphor_heads() -> frozenset[str]:
    return frozenset(vocab_list("sources", "anaphor_heads"))


@cache
def _report_nouns() -> frozenset[str]:
    return frozenset(vocab_list("sources", "report_nouns"))


@cache
def speaking_roles() -> frozenset[str]:
    """Role nouns that stand for the person speaking for an organisation ("the spokesman")."""
    return frozenset(vocab_list("sources", "speaking_roles"))


@cache
def speaking_pronouns() -> frozenset[str]:
    """ "He said", "she added": a person speaking, for whom it depends on who spoke before."""
    return frozenset(vocab_list("sources", "speaking_pronouns"))


def offices(low: str) -> list[tuple[int, int, str, tuple[int, int] | None]]:
    """Offices that speak as institutions ("the ombudsman of Armenia", "Georgia's public
    defender", "the ombudsman of the unrecognized republic"): where, the title, where its
    place is written (None for a description, left to the caller)."""
    out = []
    rx = _regexes()
    for m in (*rx["office"].finditer(low), *rx["office_owned"].finditer(low)):
        place = None if m.groupdict().get("described") else m.span("place")
        out.append((m.start("office"), m.end(), m.group("office").title(), place))
    return out


def role_people(text: str, low: str, start: int, end: int) -> list[tuple[int, str, bool]]:
    """People introduced with a role ("WHO spokesman Tarik Jasarevic", "Matilda Bogner, head
    of ...", "the director of X, Jane Doe"): where, their surname, and whether the role
    names whose it is ("the president of the local civil society organisation")."""
    rx = _people_regexes()
    if not rx["role_word"].search(low, start, end):
        return []  # most sentences name no role: skip the three case-sensitive scans
    return [
        (
            m.start(),
            m.group("sur"),
            _owned(text, m.end()) if key != "role_then_person" else _owner_before(text, m.start()),
        )
        for key in ("role_then_person", "person_then_role", "role_of_then_person")
        for m in rx[key].finditer(text, start, end)
    ]


_OF_AFTER = compile_rx(r"\s+(?:of|for|at)\s")


def _owned(text: str, end: int) -> bool:
    """The role goes on to say whose it is ("head of ...")."""
    return _OF_AFTER.match(text, end) is not None


# "Kirkuk police head Ali Kemal": a force or office of no organisation known is whose role it is
_FORCE_BEFORE = compile_rx(r"\b(?:police|army|military|security|provincial|district)\s+$", re.I)


def _owner_before(text: str, start: int) -> bool:
    return _FORCE_BEFORE.search(text, max(0, start - 20), start) is not None


def person_mentions(text: str, start: int, end: int) -> list[str]:
    """Surnames that speak in a sentence ("Mr Sheiko said", "said Matilda Bogner", "according
    to Bogner,")."""
    return [
        m.group("sur") or m.group("sur2") or m.group("sur3") or m.group("sur4") or m.group("sur5")
        for m in _people_regexes()["person_speaks"].finditer(text, start, end)
    ]


def individual_speakers(low: str, start: int, end: int) -> list[tuple[int, int]]:
    """Where a sentence names a speaker that is no organisation ("activists said", "Reports
    indicate", "according to a survey cited by local journalists", "an official ... reported").
    ``low`` is the text lower-cased with the same offsets."""
    if _scanners()["individuals"].search(low, start, end) is None:
        return []  # no such word: skip the slow pattern
    out = []
    for m in _regexes()["individual"].finditer(low[start:end]):
        who = next(g for g in ("w1", "w2", "w3") if m.group(g))
        out.append((start + m.start(who), start + m.end(who)))
    return out


def continues_paragraph(low: str, start: int, end: int) -> bool:
    """A paragraph opening "Also, ..." or "For their part, ..." goes on with the report
    before, as does one whose first sentence points back at it ("these alleged killings",
    "61% of those items"). The demonstrative pattern needs "these" or "those": a sentence
    without either is not searched."""
    rx = _regexes()
    m = rx["opener"].match(low, start, end)
    if m and m.end() < end and low[m.end()] in ", ":
        return True
    if _continuing_mention().search(low, start, end):
        return True  # "accounting for 97 per cent (335 HH) of the total"
    if low.find("these", start, end) < 0 and low.find("those", start, end) < 0:
        return False
    return bool(rx["demonstrative"].search(low, start, end))


@cache
def _continuing_mention() -> re.Pattern[str]:
    return compile_rx(rf"\b(?:{phrase_pattern(vocab_list('sources', 'continuing_mentions'))})\b")


def restates_figure(text: str, before: int, start: int, end: int) -> bool:
    """The sentence ``text[start:end]`` repeats a count of the text just before it (from
    ``before``): "Despite a drop in incidents (from 215 to 206)" after "documented 206
    incidents" goes on with the same report. Years and counts under 10 say nothing."""
    said = _counts(text[max(before, start - 3000) : start])
    return bool(said) and not said.isdisjoint(_counts(text[start:end]))


def same_month_tally(text: str, before: int, start: int, end: int) -> bool:
    """The sentence ``text[start:end]`` gives a whole month's count, as the report just
    before it did ("In September 2013, 887 civilians were killed" after "... killed during
    October 2013, according to X"; "The number killed in August was 116"): the same
    report's monthly tally. A dated day ("on 3 May") is no month's tally."""
    said = text[max(before, start - 3000) : start]
    return _whole_month(text[start:end]) and _whole_month(said)


def _whole_month(span: str) -> bool:
    return _MONTH_TALLY.search(_DAY_OF_MONTH.sub(" ", span)) is not None


def _counts(span: str) -> set[str]:
    out = set()
    for m in _COUNT.finditer(_DAY_OF_MONTH.sub(" ", span)):  # ("on 27 October": no count)
        digits = m.group().replace(",", "")
        if len(digits) >= 2 and not (len(digits) == 4 and digits[:2] in ("19", "20")):
            out.add(digits)
    return out


_MONTHS = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*"
_DAY_OF_MONTH = compile_rx(
    rf"(?i)\b\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTHS}\b|\b{_MONTHS}\s+\d{{1,2}}\b"
)
# (not a number in a name: "Grad-40", "BM-21")
_MONTH_TALLY = compile_rx(
    r"\b(?:[Ii]n|[Dd]uring|[Tt]hroughout|[Ff]or)\s+(?:the\s+month\s+of\s+)?"
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December)\b"
)
_COUNT = compile_rx(r"(?<![\w.,-])\d{1,3}(?:,\d{3})+(?![\w.])|(?<![\w.,-])\d+(?![\w.,-]\d)")


def recorded_by_no_one(low: str, start: int, end: int) -> bool:
    """The sentence says what was recorded without saying by whom ("Three massacres were
    recorded today in ..."): the report of the speaker before goes on."""
    m = _recording_passive().search(low, start, min(end, start + 90))
    return m is not None and not _BY_AGENT.match(low, m.end(), end)


@cache
def _recording_passive() -> re.Pattern[str]:
    return compile_rx(rf"\b(?:{phrase_pattern(vocab_list('sources', 'recording_passives'))})\b")


_BY_AGENT = compile_rx(r"[^.;]{0,40}?\bby\s")


def refers_back(text: str, start: int, end: int) -> bool:
    """The sentence opens with a quotation or words that refer to the figures before it."""
    return bool(_regexes()["back_reference"].match(text, start, end))


def cites_paragraph(text: str, start: int, end: int) -> bool:
    """A sentence that is only a citation ("Source: AWSD") closes and covers its paragraph."""
    return bool(_SOURCE_LABEL.match(text, start, end))


def is_heading(text: str, start: int, end: int) -> bool:
    """A heading line: short, alone on its line, ending in a colon ("DTM Flash Alert North
    Darfur, 1-17 April:") or in no stop at all ("..., says Save the Children")."""
    line = text[start:end].rstrip()
    if not line or end - start > 160 or line.endswith(":"):
        return bool(line) and end - start <= 160
    alone = (start == 0 or text[start - 1] == "\n") and (end == len(text) or text[end] == "\n")
    # a line of figures ("34,100 people displaced") is no heading
    return alone and line[-1] not in ".!?”\"’')" and not any(ch.isdigit() for ch in line)


def may_close_with_speaker(low: str, start: int, end: int) -> bool:
    """Cheap test before ``credits_someone_else``: its verb must be near the sentence's end."""
    return bool(_regexes()["trailing_verb"].search(low, max(start, end - 60), end))


def credits_someone_else(text: str, start: int, end: int, ctx: SourceContext) -> bool:
    """ "..., local officials said.": the sentence names its own speaker, who is not an
    organisation we know, so no earlier organisation's attribution carries into it."""
    window = max(start, end - 160)  # both patterns are anchored at the sentence's end
    if text.find(",", window, end) < 0:
        return False  # both need a comma before the speaker
    m = _regexes()["trailing"].search(text, window, end)
    if not m or _regexes()["trailing_anaphor"].search(text, window, end):
        return False
    return not organisations(text, m.start("org"), m.end("org"), ctx)


def unnamed_monitor(low: str, start: int, end: int) -> bool:
    """A monitor speaks with no name (", a war monitor said", "A Syria monitor said")."""
    if low.find("monitor", start, end) < 0:
        return False
    return _unnamed_monitor_rx().search(low, start, end) is not None


@cache
def _unnamed_monitor_rx() -> re.Pattern[str]:
    nouns = phrase_pattern(vocab_list("sources", "unnamed_monitor_nouns"))
    verbs = phrase_pattern(vocab_list("sources", "reporting_verbs"))
    return compile_rx(rf"\ba\s+(?:[\w-]+\s+)?(?:{nouns})\s+(?:{verbs})\b")


@cache
def monitor_by_head(head: str) -> str | None:
    """The one monitoring body whose name has ``head`` as a word ("the Observatory" after
    "a war monitor said"); None when no body or several have it."""
    fits = [n for n in monitoring_bodies() if head in n.lower().split()]
    return fits[0] if len(fits) == 1 else None


@cache
def monitoring_bodies() -> frozenset[str]:
    """The organisations an unnamed monitor may stand for (sources.yaml)."""
    return frozenset(vocab_list("sources", "monitoring_bodies"))


def contrasted_speaker(low: str, start: int, end: int) -> bool:
    """A clause of "while"/"whereas" with a speaker of its own lies in ``low[start:end]``
    ("X said three were killed while a hospital source put the toll at 20", "..., according
    to UN figures, while a study estimates the toll at 130,000"): the figure after it is that
    speaker's, not the one credited before."""
    return _contrast_rx().search(low, start, end) is not None


@cache
def _contrast_rx() -> re.Pattern[str]:
    verbs = phrase_pattern(vocab_list("sources", "reporting_verbs"))
    return compile_rx(rf"\b(?:while|whereas)\s+(?:[a-z’'-]+\s+){{1,6}}?(?:{verbs})\b")
