"""Which organisation an Arabic figure is attributed to, by its canonical English name.

Organisations are found by their Arabic names (``data/vocab/ar/sources.yaml``) on a
folded copy of the text, with a proclitic allowed in front ("للدفاع المدني"); the
short names a report uses after the first mention ("المنظمة", "الشبكة", "الوزارة")
resolve to the organisation named last that goes by them. An organisation that only
appears as a target or through an unnamed member ("مراكز الدفاع المدني", "مصدر من
الدفاع المدني") is no source. A sentence that names no organisation takes the
source of the sentence before when it opens as a continuation ("وأضاف", "وبحسب
البيان"), or, for the items of an account ("كما", "وفي بلدة", "بينما"), when the
sentences on both sides name the same organisation.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import cache

from crisisdesk.extract.arabic_carry import carries_across
from crisisdesk.extract.compiled import compile_rx
from crisisdesk.extract.text import Sentence
from crisisdesk.extract.tokens import (
    fold,
    fold_with_offsets,
    folded_alternation,
    folded_words,
    leading_word,
    matches_at,
    span_back,
    starts_of,
    stems,
)
from crisisdesk.vocab import canonical_source, load_lang_yaml

__all__ = ["ArabicSources"]

_PROCLITICS = ("و", "ف", "ب", "ل", "ك", "لل", "وب", "ول", "فب", "وال", "بال", "فال", "ولل")
_PRO = f"(?:{'|'.join(_PROCLITICS)})?"
_QUOTES = ('"', "“", "«")


@dataclass(frozen=True, slots=True)
class _Org:
    name: str
    displacement_name: str | None
    anaphora: frozenset[str]
    # a body every country has ("Civil Defence", "Ministry of Health"): its full name needs
    # the country, the one written after it (``demonym``) or the document's, read late
    national: str | None = None
    demonym: str | None = None
    # a place written in its name after "في" is part of the name ("منسقو الاستجابة في الشمال
    # السوري"), not where it reports, unlike "وزارة الصحة في غزة"
    place_in_name: bool = False


@dataclass(frozen=True, slots=True)
class _Vocab:
    by_alias: dict[str, _Org]
    anaphora: frozenset[str]
    report_anaphora: frozenset[str]  # "التقرير": the organisation credited last, whichever
    names: re.Pattern[str]
    not_before: re.Pattern[str]
    breaks: re.Pattern[str]
    markers: re.Pattern[str]
    ministry: re.Pattern[str]
    portfolios: dict[str, str]
    nationalities: dict[str, str]
    country_words: re.Pattern[str]
    country_after: re.Pattern[str]
    belligerent: frozenset[str]  # folded stems of what a side fights with
    turns: re.Pattern[str]  # "، فيما", "، في حين": a clause of its own opens
    # per pattern run over the whole document (names, ministry, country_words): the
    # words a match can start at, and the characters when it starts at no word
    leads: dict[str, tuple[frozenset[str], str]]


_BRACKET_GAP = re.compile(r"\s*[(\[]\s*")


def _spellings(aliases: list[str], variants: dict[str, str]) -> list[str]:
    """The aliases and, for a word publishers spell two ways ("شؤون", "شئون"), the same
    aliases in the other spelling."""
    more = [a.replace(w, v) for a in aliases for w, v in variants.items() if w in a]
    return aliases + more


@cache
def _vocab() -> _Vocab:
    d = load_lang_yaml("ar", "sources")
    by_alias: dict[str, _Org] = {}
    anaphora: set[str] = set()
    for o in d["organisations"]:
        ana = frozenset(" ".join(fold(str(a)).split()) for a in o.get("anaphora") or [])
        org = _Org(
            str(o["name"]),
            o.get("displacement_name"),
            ana,
            place_in_name=bool(o.get("place_in_name")),
        )
        for a in _spellings([str(a) for a in o["aliases"]], d.get("spelling_variants") or {}):
            by_alias.setdefault(" ".join(fold(a).split()), org)
        anaphora |= ana
    for body, aliases in (d.get("national_bodies") or {}).items():
        org = _Org(str(body), None, frozenset(), national=str(body))
        for a in aliases:
            by_alias.setdefault(" ".join(fold(str(a)).split()), org)
    reports = frozenset(" ".join(fold(str(a)).split()) for a in d.get("report_anaphora") or [])
    anaphora |= reports
    names = folded_alternation([*by_alias, *anaphora])
    # "ل" before the article writes "لل" and drops the article's alef: "للمرصد" is
    # "ل" + "المرصد", so a name that opens with the article is also read after "لل"
    after_lam = folded_alternation([n[2:] for n in [*by_alias, *anaphora] if n.startswith("ال")])
    # where each pattern's matches may start: its optional proclitic and quote, then a
    # phrase of its list (matched from the start of a word to the end of one)
    pro = ("", *_PROCLITICS)
    leads = {
        "names": _leads(
            [p + q + n for p in pro for q in ("", *_QUOTES) for n in [*by_alias, *anaphora]]
            + [p + "لل" + n[2:] for p in ("", "و", "ف") for n in by_alias if n.startswith("ال")]
            + [p + "لل" + n[2:] for p in ("", "و", "ف") for n in anaphora if n.startswith("ال")]
        ),
        "ministry": _leads([p + w for p in pro for w in ("وزاره", "وزير")]),
        "country_words": _leads(
            [p + fold(str(n)) for p in ("", "و", "ب", "ل", "في") for n in d["nationalities"]]
        ),
    }
    return _Vocab(
        by_alias=by_alias,
        anaphora=frozenset(anaphora),
        report_anaphora=reports,
        names=compile_rx(
            rf"(?<![^\W\d_])(?:{_PRO}[\"“«]?({names})|(?:و|ف)?لل({after_lam}))(?![^\W\d_])"
        ),
        not_before=compile_rx(
            rf"(?:{folded_alternation(d['not_source_before'])})\s*[\"“«]?\s*{_PRO}$"
        ),
        breaks=compile_rx(
            # "من جهته" and "ومن جهته"; "وقال ناشط" and "أوضح الناشط"
            rf"[\"“«\s]*(?!(?:{folded_alternation(d['carry_goes_on'])})(?![^\W\d_]))(?:و?(?:{folded_alternation(d['carry_breaks'])})"
            # ("ووفقا لتقارير إعلامية": the voice after "ل")
            rf"|و?(?:{folded_alternation(d['voice_verbs'])})\s+(?:ال|لل|ل)?(?:{folded_alternation(d['unnamed_voices'])}))(?![^\W\d_])"
        ),
        ministry=compile_rx(
            # the ministry, or its minister speaking for it ("أعلن وزير الصحة العامة")
            rf"(?<![^\W\d_]){_PRO}(وزاره|وزير)\s+({folded_alternation(list(d['portfolios']))})(?![^\W\d_])"
            rf"(?:\s+(?:في\s+|ب)?({folded_alternation(list(d['nationalities']))})(?![^\W\d_]))?"
        ),
        portfolios={" ".join(fold(str(k)).split()): str(v) for k, v in d["portfolios"].items()},
        nationalities={fold(str(k)): str(v) for k, v in d["nationalities"].items()},
        country_words=compile_rx(
            rf"(?<![^\W\d_])(?:و|ب|ل|في)?({folded_alternation(list(d['nationalities']))})(?![^\W\d_])"
        ),
        country_after=compile_rx(
            rf"\s+(?:في\s+|ب)?({folded_alternation(list(d['nationalities']))})(?![^\W\d_])"
        ),
        markers=compile_rx(
            rf"(?<![^\W\d_])(?:{folded_alternation(d['attribution_markers'])})(?:\s+[^\s\d]+){{0,3}}\s*[\"“«]?\s*$"
        ),
        belligerent=frozenset(fold(str(w)) for w in d["belligerent_nouns"]),
        turns=compile_rx(rf"[،,]\s*(?:و)?(?:{folded_alternation(d['clause_turns'])})(?![^\W\d_])"),
        leads=leads,
    )


def _leads(written: list[str]) -> tuple[frozenset[str], str]:
    """The words matches written as ``written`` start at, and the characters they start
    with when that is not a letter (a quote with no proclitic before it)."""
    words = {leading_word(w) for w in written}
    others = "".join(sorted({w[0] for w in written if w and not leading_word(w)}))
    return frozenset(words - {""}), others


def _starts(kind: str, folded: str, words: tuple[list[str], list[int]] | None) -> list[int]:
    """Where a match of ``kind`` may start in the folded text: the words of its leads
    and the characters of its others (``ArabicSources`` runs the pattern only there)."""
    lead_words, others = _vocab().leads[kind]
    norms, fstarts = words or folded_words(folded)[:2]
    out = starts_of(norms, fstarts, lead_words)
    if others:
        out += [m.start() for m in _others_rx(others).finditer(folded)]
        out.sort()
    return out


@cache
def _others_rx(chars: str) -> re.Pattern[str]:
    return compile_rx(f"[{re.escape(chars)}]")


def _document_country(folded: str, words: tuple[list[str], list[int]] | None) -> str | None:
    """The demonym of the country the text names most, if any; a side named by what it
    fights with ("الغارات الإسرائيلية") is not counted: the report is about where it struck."""
    v = _vocab()
    counts: dict[str, int] = {}
    for m in matches_at(v.country_words, folded, _starts("country_words", folded, words)):
        if _names_a_side(folded, m.start()):
            continue
        demonym = v.nationalities[m.group(1)]
        counts[demonym] = counts.get(demonym, 0) + 1
    return max(counts, key=lambda k: counts[k]) if counts else None


def _names_a_side(folded: str, start: int) -> bool:
    """Whether the nationality at ``start`` follows one of ``belligerent_nouns``, perhaps
    with up to two words between ("الطائرات الحربية الروسية", "المقاتلات الحربية التابعة
    لروسيا")."""
    before = folded[max(0, start - 50) : start].split()[-3:]
    side = _vocab().belligerent
    return any(not side.isdisjoint(stems(w)) for w in before)


@cache
def _national_bodies() -> frozenset[str]:
    """The bodies every country has ("Civil Defence", "Ministry of Health")."""
    d = load_lang_yaml("ar", "sources")
    return frozenset(str(b) for b in (d.get("national_bodies") or {}))


@cache
def _told_words() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    d = load_lang_yaml("ar", "sources")
    return (
        frozenset(str(w) for w in d["told_agencies"]),
        frozenset(fold(str(w)) for w in d["told_after"]),
        frozenset(fold(str(w)) for w in d.get("channel_before") or ()),
    )


def _told(folded: str, m: re.Match[str], group: int, org: _Org) -> bool:
    """A wire agency a statement was made to ("قال مدير المرصد لفرانس برس") or through
    ("عبر وكالة رويترز"): the listener or channel, not the source, unless a word of
    attribution stands before ("وفقاً لرويترز")."""
    agencies, attributing, channels = _told_words()
    if org.name not in agencies:
        return False
    lam = group == 2 or folded[m.start() : m.start(group)].strip('"“« ').endswith("ل")
    before = folded[max(0, m.start() - 16) : m.start()].split()[-1:]
    words = [w for w in folded[max(0, m.start() - 24) : m.start()].strip('"“« ').split()]
    if words and words[-1].strip('"“«') in ("وكاله", "وكالة"):
        words = words[:-1]  # "عبر وكالة \"رويترز\"": the agency's word before its name
    if words and words[-1] in channels:
        return True  # spoken through it: "عبر وكالة رويترز"
    return lam and not (before and before[0].removeprefix("و") in attributing)


def _known_name(org: _Org) -> str:
    """An organisation's canonical name as far as its own mention tells it: a national body
    named bare after it was named with its country ("الدفاع المدني السوري ... كما نعى الدفاع
    المدني") is that country's, as a table name is; one of no known country keeps its body."""
    if not org.national or org.demonym is None:
        return org.name
    name = f"{org.demonym} {org.national}"
    name = _national_names().get(name, name)
    return canonical_source(name) or name


@cache
def _national_names() -> dict[str, str]:
    """Built names whose body Arabic reports call by another canonical name ("Lebanese
    Ministry of Health" -> "Lebanese Ministry of Public Health")."""
    d = load_lang_yaml("ar", "sources")
    return {str(k): str(v) for k, v in (d.get("national_names") or {}).items()}


@dataclass(frozen=True, slots=True)
class _Mention:
    start: int  # into the original text
    end: int
    org: _Org
    named: tuple[int, int] | None = None  # a report anaphor: where its organisation was named


class ArabicSources:
    """The organisations a document names, and each sentence's source."""

    def __init__(
        self,
        text: str,
        sents: list[Sentence],
        folded: tuple[str, list[int]] | None = None,
        words: tuple[list[str], list[int]] | None = None,
    ) -> None:
        """``folded`` is the document's ``fold_with_offsets`` and ``words`` the words of
        that copy with their starts in it (``folded_words``), when the caller has them."""
        v = _vocab()
        folded_text, offsets = folded or fold_with_offsets(text)
        words = words or folded_words(folded_text)[:2]
        self.mentions: list[_Mention] = []
        reports: list[tuple[int, int]] = []  # "التقرير": resolved once every name is read
        pending: list[tuple[re.Match[str], int, str]] = []  # anaphors of no name read before
        skipped = -1  # end of the last name read as no source ("مصادر في الدفاع المدني")
        for m in matches_at(v.names, folded_text, _starts("names", folded_text, words)):
            if v.not_before.search(folded_text, max(0, m.start() - 20), m.start()):
                skipped = m.end()
                continue
            # its other name in brackets right after it is no source either ("مصادر في
            # الدفاع المدني السوري (الخوذ البيضاء)")
            if skipped >= 0 and _BRACKET_GAP.fullmatch(folded_text, skipped, m.start()):
                continue
            group = 1 if m.group(1) is not None else 2
            written = " ".join(m.group(group).split())
            if group == 2:
                written = "ال" + written
            org = v.by_alias.get(written)
            if org is None and written in v.report_anaphora:
                reports.append(span_back(text, offsets, m.start(group), m.end(group)))
                continue
            if org is None:  # an anaphor: the organisation named last that goes by it
                org = next(
                    (x.org for x in reversed(self.mentions) if written in x.org.anaphora), None
                )
                if org is None:  # perhaps a ministry, read after the names
                    pending.append((m, group, written))
            if org is not None and _told(folded_text, m, group, org):
                continue
            if org is not None:
                # after "لل" the evidence starts at it: the name's article is inside it
                first = m.start(group) - (2 if group == 2 else 0)
                last = m.end(group)
                if org.national:  # "الدفاع المدني الفلسطيني", "الدفاع المدني في غزة"
                    after = v.country_after.match(folded_text, last)
                    if after:
                        org = _Org(
                            org.name,
                            None,
                            org.anaphora,
                            org.national,
                            v.nationalities[after.group(1)],
                        )
                        last = after.end()
                start, end = span_back(text, offsets, first, last)
                self.mentions.append(_Mention(start, end, org))
        self._ministries(text, folded_text, offsets, _starts("ministry", folded_text, words))
        self.mentions.sort(key=lambda x: x.start)
        self._ministry_anaphora(text, folded_text, offsets, pending)
        self._report_anaphora(reports)
        self._keep_countries()
        # the country of a national body named bare: by default the one the text names
        # most; the document pass may set a better reader (the country of its places)
        self.country_reader: Callable[[], str | None] = lambda: _document_country(
            folded_text, words
        )
        self._country: tuple[str | None] | None = None
        self._starts = [x.start for x in self.mentions]
        self.sents = sents
        self.by_sentence = self._sentence_sources(folded_text, offsets)

    def _keep_countries(self) -> None:
        """A national body named bare after it was named with its country keeps that
        country ("أصدر الدفاع المدني السوري ... ووثق الدفاع المدني")."""
        known: dict[str, str] = {}
        bodies = _national_bodies()
        for k, x in enumerate(self.mentions):
            body = x.org.national
            if body is None:  # a name of the table ("الدفاع المدني السوري": Syrian Civil Defence)
                for b in bodies:
                    if x.org.name.endswith(" " + b):
                        known[b] = x.org.name[: -len(b) - 1]
                continue
            if x.org.demonym is not None:
                known[body] = x.org.demonym
            elif body in known:
                org = replace(x.org, demonym=known[body])
                self.mentions[k] = _Mention(x.start, x.end, org, x.named)

    def _ministry_anaphora(
        self,
        text: str,
        folded: str,
        offsets: list[int],
        pending: list[tuple[re.Match[str], int, str]],
    ) -> None:
        """ "أعلنت وزارة الصحة الليبية ... ونشرت الوزارة": an anaphor read before the ministries
        were (they are found by pattern, after the names of the table) stands for the ministry
        named last before it."""
        for m, group, written in pending:
            start, end = span_back(
                text, offsets, m.start(group) - (2 if group == 2 else 0), m.end(group)
            )
            org = next(
                (
                    x.org
                    for x in reversed(self.mentions)
                    if x.start < start and written in x.org.anaphora
                ),
                None,
            )
            if org is not None and not _told(folded, m, group, org):
                bisect.insort(self.mentions, _Mention(start, end, org), key=lambda x: x.start)

    def _report_anaphora(self, reports: list[tuple[int, int]]) -> None:
        """ "وثق التقرير مقتل ...": the report of the organisation named last before it; the
        evidence is where that organisation was named."""
        named = list(self.mentions)
        starts = [x.start for x in named]
        for start, end in reports:
            k = bisect.bisect_left(starts, start)
            if k:
                last = named[k - 1]
                self.mentions.append(_Mention(start, end, last.org, (last.start, last.end)))
        self.mentions.sort(key=lambda x: x.start)

    def _ministries(self, text: str, folded: str, offsets: list[int], starts: list[int]) -> None:
        """ "وزارة الصحة السودانية" -> "Sudanese Ministry of Health"; a bare "وزارة الصحة"
        takes the country the document names most (``starts``: where a match may start)."""
        v = _vocab()
        taken = [(x.start, x.end) for x in self.mentions]
        for m in matches_at(v.ministry, folded, starts):
            start, end = span_back(text, offsets, m.start(1), m.end())
            if any(a < end and start < b for a, b in taken):
                continue  # a name of the table ("وزارة الصحة في غزة") already read it
            if m.group(3) is None and (full := self._full_name_before(text, start, m)) is not None:
                self.mentions.append(_Mention(start, end, full.org, (full.start, full.end)))
                continue
            body = f"Ministry of {v.portfolios[' '.join(m.group(2).split())]}"
            demonym = v.nationalities.get(m.group(3) or "")
            org = _Org(body, None, frozenset({"الوزاره"}), national=body, demonym=demonym)
            self.mentions.append(_Mention(start, end, org))

    def _full_name_before(self, text: str, start: int, m: re.Match[str]) -> _Mention | None:
        """The ministry a bare "وزارة الصحة" shortens: the last name of the table before
        ``start`` that begins with the same words ("وزارة الصحة في غزة ... وقالت وزارة الصحة").
        A report names a body in full once and then cuts it short; the short form is the same
        body, not the country's ministry built anew."""
        bare = " ".join(f"{m.group(1)} {m.group(2)}".split())
        for x in reversed(self.mentions):
            if x.start >= start or x.org.national is not None or x.named is not None:
                continue
            said = " ".join(fold(text[x.start : x.end]).split())
            if said.find(bare + " ") in range(3):  # after a clinging "و"/"ب"/"ل" at most
                return x
        return None

    def _name(self, org: _Org) -> str:
        """An organisation's canonical name; a national body's built with its country."""
        if not org.national or org.demonym is not None:
            return _known_name(org)
        if self._country is None:
            self._country = (self.country_reader(),)
        if self._country[0] is None:
            return canonical_source(org.national) or org.national
        return _known_name(replace(org, demonym=self._country[0]))

    def name_spans(self) -> list[tuple[int, int]]:
        """Where organisations are named: a place inside such a name ("منسقو استجابة
        سوريا") is part of the name, not where a figure happened."""
        return [(x.start, x.end) for x in self.mentions]

    def whole_name_spans(self) -> list[tuple[int, int]]:
        """The names of ``name_spans`` whose place after "في" is part of the name."""
        return [(x.start, x.end) for x in self.mentions if x.org.place_in_name]

    def _in(self, s: Sentence) -> list[_Mention]:
        a = bisect.bisect_left(self._starts, s.start)
        b = bisect.bisect_left(self._starts, s.end)
        return self.mentions[a:b]

    def _sentence_sources(self, folded: str, offsets: list[int]) -> list[_Mention | None]:
        """The source each sentence carries when it names none itself."""
        v = _vocab()
        self._folded, self._offsets = folded, offsets
        own = [self._in(s) for s in self.sents]
        out: list[_Mention | None] = []
        for i, s in enumerate(self.sents):
            if own[i]:
                # the sentence's first attribution is the account it goes on with; a second
                # body in a "فيما" clause ("فيما أفادت وحدة ...") is that clause's only
                out.append(own[i][0])
                continue
            fs = self._f(s.start)
            if i == 0 or v.breaks.match(folded, fs) or not self._goes_on(own, i, out[i - 1]):
                out.append(None)
                continue
            out.append(out[i - 1])
        return out

    def _goes_on(self, own: list[list[_Mention]], i: int, prev: _Mention | None) -> bool:
        """Whether sentence ``i``, which names no organisation, carries ``prev``."""
        if prev is None:
            return True
        following = next((_known_name(m[0].org) for m in own[i + 1 :] if m), None)
        fs = self._f(self.sents[i].start)
        return carries_across(self.sents, i, self._folded, fs, _known_name(prev.org), following)

    def _f(self, pos: int) -> int:
        return bisect.bisect_left(self._offsets, pos)

    def _turn(self, a: int, b: int) -> bool:
        """A clause of its own opens between ``a`` and ``b`` ("، فيما", "، في حين")."""
        return _vocab().turns.search(self._folded, self._f(a), self._f(b)) is not None

    def _marked(self, x: _Mention) -> bool:
        """An organisation named after the figure with "بحسب", "وفق", "أعلنت"... before it."""
        fs = self._f(x.start)
        return _vocab().markers.search(self._folded, max(0, fs - 45), fs) is not None

    def source_for(
        self, sent: Sentence, pos: int, category: str | None
    ) -> tuple[str | None, tuple[int, int] | None]:
        """The canonical name of the organisation a figure at ``pos`` is attributed to,
        and where it was read."""
        named = self._in(sent)
        before = [x for x in named if x.start < pos]
        # an attribution closing a clause of its own ("فيما تصاعد عدد النازحين إلى 400 ألف،
        # وفق تقديرات للأمم المتحدة") is that clause's: not across "في حين"/"فيما"/"بينما"
        after = [
            x for x in named if x.start >= pos and self._marked(x) and not self._turn(pos, x.start)
        ]
        got: _Mention | None
        if before and after and self._turn(before[-1].end, pos):
            got = after[0]
        elif before:
            got = before[-1]
        elif after:
            got = after[0]
        elif sent.index > 0:  # the report this sentence continues
            got = self.by_sentence[sent.index - 1]
            if _vocab().breaks.match(self._folded, self._f(sent.start)):
                got = None
            elif not self._goes_on([self._in(x) for x in self.sents], sent.index, got):
                got = None  # a new paragraph on another item or background
        else:
            got = None
        if got is None:
            return None, None
        name = self._name(got.org)
        if category in ("displaced", "returned") and got.org.displacement_name:
            name = got.org.displacement_name
        return name, got.named or (got.start, got.end)
