"""Reading attributions in one sentence: who is credited with its figures.

Organisations are found by the alias table (data/vocab/sources.yaml, mapped to
canonical names), by the acronyms a text defines, and by pattern: capitalised
words around an organisation word ("al-Atareb Media Center", "Ministry of
Migration and Displaced", "the Health sector"); a name the table does not know is
kept as written. One is credited when the sentence says so: "according to X",
"as per X", "X said / documented / has tracked", "said the X", "reports by X",
"X researchers documented", "X has sent 11,100 tents", "a spokesperson for X",
"X spokesman Jane Doe told", "X: ..." and citations ("(MoPH)", "Source: AWSD").
Also here: the patterns of the sentence-level speaker readers (speakers.py: "it
said", "activists said", people with a role) and the publisher's own voice ("we
have documented"). How these combine over a document is attribution.py's job.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import cache, lru_cache

from crisisdesk.extract.authority_names import authority_names
from crisisdesk.extract.compiled import compile_rx
from crisisdesk.extract.country import (
    body_key,
    document_demonym,
    is_ministry,
    minister_titles,
    ministry_title,
    national_bodies,
    national_body,
    national_name,
    places_demonym,
)
from crisisdesk.extract.name_edges import name_start, own_left, seat_end
from crisisdesk.extract.parentheses import cites_after, closes_key_line, spells_out, undated_end
from crisisdesk.extract.source_patterns import (
    ARTICLE,
    DESCRIBED_HEADS,
    DESCRIBING_WORDS,
    INNER_ACRONYM,
    REPORT_ADJECTIVES,
    bare,
)
from crisisdesk.extract.source_patterns import regexes as _regexes
from crisisdesk.vocab import (
    canonical_source,
    countries,
    opening_letters,
    phrase_pattern,
    vocab_list,
)


@dataclass(slots=True, unsafe_hash=True)  # not frozen: see draft.py
class Attribution:
    start: int  # offset of the organisation name
    end: int
    name: str  # canonical name (or as written)
    kind: str  # explicit, carry, voice
    at: int = -1  # where the words that credit it stand, when not at its name ("it said")

    @property
    def pos(self) -> int:
        """Where the attribution stands in its sentence."""
        return self.start if self.at < 0 else self.at


@dataclass(slots=True)
class SourceContext:
    """Per-document attribution state: acronyms defined in the text, the first-person voice."""

    acronyms: dict[str, str] = field(default_factory=dict)
    voice: str | None = None
    voice_span: tuple[int, int] | None = None  # "we at the White Helmets"; None for a publisher
    acronym_regex: re.Pattern[str] | None = None
    text: str = ""  # the document's text, read for its country only when a name needs it
    country_read: bool = False
    country: str | None = None  # demonym of the country the text is about ("Lebanese")

    def demonym(self) -> str | None:
        """The document country's demonym, read on first use (most texts never need it)."""
        if not self.country_read:
            # where its places are, else the country it names most
            found = places_demonym(self.text) or document_demonym(self.text)
            self.country, self.country_read = found, True
        return self.country


_DESCRIBED_HEAD = compile_rx(DESCRIBED_HEADS)


def document_context(text: str, publisher: str | None, title: str | None = None) -> SourceContext:
    """Acronyms the text defines ("Ministry of Health (MoH) in Gaza") and a first-person voice
    (named in the text's opening, else in a headline such as "Comment by X, Head of Y")."""
    ctx = SourceContext(text=text)
    rx = _regexes()
    for paren in rx["acronym_paren"].finditer(text):
        m = rx["acronym_full"].search(text, max(0, paren.start() - 120), paren.start())
        if m is None:
            continue
        full = m.group("full").strip()
        m = paren  # the acronym and where the definition ends
        tail = re.match(r"\s+in\s+([A-Z][\w-]+)", text[m.end() : m.end() + 30])
        with_place = canonical_source(f"{full} in {tail.group(1)}") if tail else None
        name = with_place or canonical_source(full) or canonical_source(m.group("acr"))
        if name is None and (_looks_like_org(full) or ministry_title(full)):
            name = national_name(re.sub(r"^the\s+", "", full, flags=re.I), ctx.demonym)
        bare_full = re.sub(r"^the\s+", "", full, flags=re.I)
        if (
            name is None
            and _reports_after(text, m.end())
            and _initials_lead(bare_full, m.group("acr"))
        ):
            # "the Emergency Tracking System (ETS) recorded 12 deaths": a body named in full
            # with its acronym that records or reports is an organisation, as written
            name = bare_full
        if name:
            ctx.acronyms[m.group("acr")] = name
    if ctx.acronyms:
        alts = "|".join(re.escape(a) for a in sorted(ctx.acronyms, key=len, reverse=True))
        ctx.acronym_regex = compile_rx(rf"(?<![\w-])(?:{alts})(?![\w-])")
    has_we = _WE_WORD.search(text) is not None  # both first-person patterns need the word
    for we in rx["we"].finditer(text) if has_we else ():
        after = rx["names"].search(text, we.end(), we.end() + 90)
        if (
            after
            and after.start() - we.end() <= 12
            and rx["voice"].search(text[max(0, after.start() - 12) : after.start()])
        ):
            ctx.voice = canonical_source(after.group())
            ctx.voice_span = (after.start(), after.end())
            break
    own = _publisher_name(publisher)
    if ctx.voice is None:
        _introduced_voice(ctx, text, rx, own)
    if ctx.voice is None and title:
        _titled_voice(ctx, text, title, rx, own)
    if ctx.voice is None and publisher and has_we and first_person(text, rx["first_person"]):
        ctx.voice = _publisher_voice(publisher)
    if ctx.voice is None and own in vocab_list("sources", "self_credited_publishers"):
        ctx.voice = own  # a monitor's own page: its figures are its documentation
    return ctx


def _publisher_name(publisher: str | None) -> str | None:
    """The table's name for the publisher ("Syrian Observatory for Human Rights (SOHR)"
    and "X via Y" without their tails), if it names a known organisation."""
    return canonical_source(_PUBLISHER_TAIL.sub("", publisher).strip()) if publisher else None


_INTRO_REACH = 300  # characters: where a text says whose words follow


def _introduced_voice(
    ctx: SourceContext, text: str, rx: dict[str, re.Pattern[str]], own: str | None
) -> None:
    """ "This is an update from the head of the White Helmets, Raed al-Saleh": the
    organisation the text's first person speaks for, named in its opening (not the
    publisher itself, ``own``, whose own figures its own statements give)."""
    if not _FIRST_PERSON_WORD.search(text, 0, 3000):
        return
    for m in rx["names"].finditer(text, 0, _INTRO_REACH):
        if rx["voice_intro"].search(text, max(0, m.start() - 80), m.start()):
            name = canonical_source(m.group())
            if name is not None and name != own:
                ctx.voice = name
                ctx.voice_span = (m.start(), m.end())
            return


def _titled_voice(
    ctx: SourceContext, text: str, title: str, rx: dict[str, re.Pattern[str]], own: str | None
) -> None:
    """ "Comment by Jane Doe, Head of the UN Mission in X": a headline naming whose words
    the text is; the text's first person speaks for that organisation (no span in the text)."""
    if not _FIRST_PERSON_WORD.search(text, 0, 3000):
        return
    for m in rx["names"].finditer(title):
        if rx["title_voice"].search(title[: m.start()]):
            name = canonical_source(m.group())
            if name is not None and name != own:
                ctx.voice = name
            return


# r"\b(?:[Ww]e|[Oo]ur|I)\b" led by its letters: each branch opens with one, and the word
# boundary before it is a look-behind after it, so the engine skips ahead to W, w, O, o and I
# instead of trying the pattern at every character (the same matches; 2-3x faster on the
# 3,000 characters searched, which most texts scan to the end)
_FIRST_PERSON_WORD = compile_rx(
    r"(?:W(?<!\wW)e|w(?<!\ww)e|O(?<!\wO)ur|o(?<!\wo)ur|I(?<!\wI))(?!\w)"
)


def _publisher_voice(publisher: str) -> str | None:
    """The organisation a publisher speaks as: "Kurdish Red Crescent (report posted on ...)"
    -> "Kurdish Red Crescent"; None for a news outlet, whose "we" is no organisation's."""
    name = _PUBLISHER_TAIL.sub("", publisher).strip()
    known = canonical_source(name) or _affiliate_of(name)
    words = set(_WORDS.findall(name))
    if words & set(vocab_list("sources", "media_words")):
        return None
    if known or words & set(vocab_list("sources", "org_words")):
        return known or name
    return None


def _affiliate_of(name: str) -> str | None:
    """The organisation a national affiliate is part of, named with its country after it
    ("World Vision New Zealand", "Save the Children UK", "UOSSM Canada")."""
    words = name.split()
    tails = countries() | set(vocab_list("sources", "affiliate_tails"))
    for k in (1, 2):
        if len(words) > k and " ".join(words[-k:]) in tails:
            return canonical_source(" ".join(words[:-k]))
    return None


def _looks_like_org(name: str) -> bool:
    words = set(vocab_list("sources", "org_words"))
    return any(w in words for w in re.findall(r"[\w’']+", name))


def _canonical(name: str, ctx: SourceContext) -> str:
    name = ARTICLE.sub("", name.strip().strip("“”\"’'"))
    if name in ctx.acronyms:
        return ctx.acronyms[name]
    return _known(name) or national_name(name, ctx.demonym)


@lru_cache(maxsize=8192)
def _known(name: str) -> str | None:
    """The table's name for ``name`` (cached: the same names come back in every document)."""
    return canonical_source(name)


_THE = compile_rx(r"the\s", re.I)
_AND_THE = compile_rx(r"\s*(?:and|&)\s+(?:the\s+)?")
_SOURCE_LABEL = compile_rx(r"\bSources?\s*:\s*")
_CLOSES = compile_rx(r"\)?[ \t]*(?:[.;\n]|$)")
# an organisation's name then a capitalised word and another name: a list of sites named after it
_NAMED_AFTER = compile_rx(r"\s+[A-Z][a-z]+\s+and\s+[A-Z]")
_WORDS = compile_rx(r"[A-Za-z]+")
_PUBLISHER_TAIL = compile_rx(r"\s*\(.*$|\s+via\s.*$")
_PASSIVE = compile_rx(r"\s+(?:was|is|were|are)\b")
# "we" as a word, any case: led by its letters, so the engine skips ahead (no letter folds to
# w or e but W and E, so this finds what the case-blind r"\bwe\b" finds)
_WE_WORD = compile_rx(r"[wW](?<![\w][wW])[eE](?!\w)")
_LEAD_WORDS = frozenset(
    [*DESCRIBING_WORDS, *REPORT_ADJECTIVES]
    + ["of", "for", "at", "with", "from", "in", "the", "said", "told", "spoke", "speaking"]
    + ["talked", "to", "latest", "by", "per", "a", "an", "says", "added", "stated", "reported"]
    + ["noted", "wrote", "tweeted", "explained", "confirmed", "announced", "new", "of", "from"]
    + ["reports", "documented", "estimated", "estimates", "warned", "warns"]
    + ["and", "citing"]  # "according to ... from health sector partners and UNOCHA"
)


def _WORDISH(ch: str) -> bool:  # noqa: N802 - reads as a character class
    return ch.isalnum() or ch == "_"


def _glued(text: str, pos: int) -> bool:
    """True when the match at ``pos`` continues a word or a hyphenated name."""
    return pos > 0 and (_WORDISH(text[pos - 1]) or text[pos - 1] == "-")


def _name_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Spans of alias-table names in ``text[start:end]`` (see the ``names_low`` pattern)."""
    rx = _regexes()
    low = text[start:end].lower()
    if len(low) != end - start:  # lower-casing changed the length: use the slow pattern
        return [(m.start(), m.end()) for m in rx["names"].finditer(text, start, end)]
    out = []
    for m in rx["names_low"].finditer(low):
        a = start + m.start()
        if not _glued(text, a):
            out.append((a, start + m.end()))
    return out


def organisations(
    text: str, start: int, end: int, ctx: SourceContext
) -> list[tuple[int, int, str]]:
    """Organisation names in ``text[start:end]`` (alias table, acronyms, then generic names)."""
    found: list[tuple[int, int, str]] = []  # kept in order, never overlapping
    starts: list[int] = []
    for finder in (_table_names, _acronym_names, _generic_names, _described_names, _authorities):
        for a, b, name in finder(text, start, end, ctx):
            # the names before the first one starting at or after ``b`` end in order, so
            # only the last of them can reach past ``a``: one look, however many names
            k = bisect.bisect_left(starts, b)
            if k and found[k - 1][1] > a:
                continue
            found.insert(k, (a, b, name))
            starts.insert(k, a)
    found.sort()
    return found


def sentence_organisations(
    text: str, bounds: list[tuple[int, int]], ctx: SourceContext
) -> list[list[tuple[int, int, str]]]:
    """``organisations`` of each sentence (``bounds``: start, end), from one scan of the whole
    text (much cheaper than one per sentence); a sentence a name was read across is read alone."""
    starts = [a for a, _ in bounds]
    per: list[list[tuple[int, int, str]]] = [[] for _ in bounds]
    redo: set[int] = set()
    for a, b, name in organisations(text, 0, len(text), ctx):
        k = bisect.bisect_right(starts, a) - 1
        if k >= 0 and b <= bounds[k][1]:
            per[k].append((a, b, name))
        else:  # a name read across a sentence break: read those sentences alone
            redo.update(range(max(k, 0), bisect.bisect_left(starts, b)))
    for k in redo:
        per[k] = organisations(text, bounds[k][0], bounds[k][1], ctx)
    return per


def _authorities(
    text: str, start: int, end: int, _ctx: SourceContext
) -> list[tuple[int, int, str]]:
    """ "the Israeli authorities", "Donetska oblast authorities" (authority_names.py)."""
    return authority_names(text, start, end)


def _table_names(text: str, start: int, end: int, ctx: SourceContext) -> list[tuple[int, int, str]]:
    """Names and aliases of the alias table."""
    rx = _regexes()
    out = []
    for a, b in _name_spans(text, start, end):
        written = text[a:b]
        if rx["needs_the"].fullmatch(written) and not _THE.match(written):
            continue  # "Observatory" alone is a word, "the Observatory" a name
        body = national_bodies().get(body_key(ARTICLE.sub("", written)))
        if body:  # "the civil defence": the country written with it, else the document's
            found = national_body(text, a, b, body, ctx.demonym)
            if found:
                out.append(found)
            continue
        out.append((a, b, _canonical(written, ctx)))
    return out


def _acronym_names(
    text: str, start: int, end: int, ctx: SourceContext
) -> list[tuple[int, int, str]]:
    """Acronyms of the table, then those the document defines ("Ministry of X (MoX)")."""
    out = [
        (m.start(), m.end(), _canonical(m.group(), ctx))
        for m in _regexes()["acronyms"].finditer(text, start, end)
        if not _glued(text, m.start())
    ]
    if ctx.acronym_regex is not None:
        out.extend(
            (m.start(), m.end(), ctx.acronyms[m.group()])
            for m in ctx.acronym_regex.finditer(text, start, end)
        )
    # an acronym no table knows, cited ("according to NPA") or reporting ("NPA reported"):
    # an organisation as written
    cited = _cited_acronym().finditer(text, start, end)
    for m in cited:
        g = "acr" if m.group("acr") else "acr2"
        out.append((m.start(g), m.end(g), m.group(g)))
    return out


@cache
def _reporting_after() -> re.Pattern[str]:
    verbs = phrase_pattern(vocab_list("sources", "acronym_reporting_verbs"))
    adverbs = phrase_pattern(vocab_list("sources", "reporting_adverbs"))
    return compile_rx(rf"\s+(?:(?:{adverbs})\s+)?(?:{verbs})\b")


def _reports_after(text: str, pos: int) -> bool:
    """Whether a reporting verb follows right at ``pos`` ("... (SSA) recorded")."""
    return _reporting_after().match(text, pos) is not None


def _initials_lead(full: str, acronym: str) -> bool:
    """The capitalised words of ``full`` open with the acronym's letters: "Emergency Tracking
    System for Health Attacks" spells "ETS" from its first word on."""
    capitals = "".join(w[0] for w in full.split() if w[:1].isupper()).lower()
    letters = "".join(ch for ch in acronym if ch.isupper()).lower()
    return len(letters) >= 2 and capitals.startswith(letters)


@cache
def _cited_acronym() -> re.Pattern[str]:
    citing = vocab_list("sources", "acronym_citing_leads")
    leads = phrase_pattern(citing)
    verbs = phrase_pattern(vocab_list("sources", "acronym_reporting_verbs"))
    generic = phrase_pattern(vocab_list("sources", "generic_acronyms"), lower=False)
    adverbs = phrase_pattern(vocab_list("sources", "reporting_adverbs"))
    # each branch opens with a look-ahead for its first letters: the pattern runs over every
    # document's whole text, and a character no branch can start at fails at once
    return compile_rx(
        rf"{opening_letters(citing)}\b(?i:{leads})\s+(?:the\s+)?(?P<acr>[A-Z]{{2,6}})\b(?![’'\-])"
        # "SMART reported that ...": an acronym that reports
        # (an adverb may stand between: "WAFA earlier reported", "NPA also said")
        r"|(?=[A-Z])(?<![Tt]he\s)(?<![Aa]n\s)"
        rf"\b(?!(?:{generic})\b)(?P<acr2>[A-Z]{{3,6}})"
        rf"(?=\s+(?:(?:{adverbs})\s+)?(?:{verbs})\b)"
    )


_POSSESSOR = compile_rx(r"(?:[A-Z][\w-]*[’']s\s+)?")


def _generic_names(
    text: str, start: int, end: int, ctx: SourceContext
) -> list[tuple[int, int, str]]:
    """Names the table does not know, recognised by pattern: capitalised words around an
    organisation word ("al-Atareb Media Center", "Ministry of Migration and Displaced"), read
    whole ("US Air Force Central Command", not "US Air Force")."""
    rx = _regexes()
    out = []
    for w in rx["org_word"].finditer(text, start, end):
        if w.start() > 0 and _WORDISH(text[w.start() - 1]):
            continue
        left = rx["org_left"].search(text, max(start, w.start() - 90), w.start())
        a = own_left(text, left.start(), w.start()) if left else w.start()
        a = name_start(text, a, w.start())
        if w.group() == "group":  # "the Emergency Lawyers group": the words before it
            possessor = _POSSESSOR.match(text, a, w.start())  # (not "Sudan's"; may be empty)
            a = possessor.end() if possessor is not None else a
            if left is not None and len(text[a : w.start()].split()) >= 2:
                out.append((a, w.start() - 1, _canonical(text[a : w.start()].strip(), ctx)))
            continue
        right = rx["org_right"].match(text, w.end(), end)
        b = right.end() if right else w.end()
        more = rx["org_more"].match(text, b, end)
        if more:  # "International Commission on Missing Persons": the next word's own right
            right = rx["org_right"].match(text, more.end(), end)
            b = right.end() if right else more.end()
        b = seat_end(text, w.start(), b, end)  # "the Free Education Directorate in Idlib"
        name = INNER_ACRONYM.sub("", text[a:b].strip())
        if w.group() in minister_titles() and not is_ministry(text, w, b):
            continue  # "Health Minister Jane Doe", "Prime Minister of X": a person
        if len(bare(name).split()) >= 2 or name.isupper():
            out.append((a, b, _canonical(name, ctx)))
    return out


@cache
def _described() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """A name in apposition to a description that says it is an organisation ("a local
    monitoring group, the Al Jazirah Conference, reported"): the head noun and its comma
    (scanned on the lower-cased text, fast), then the name between commas."""
    heads = phrase_pattern(vocab_list("sources", "anaphor_heads"))
    head = compile_rx(rf"(?<![\w-])(?:{heads}),\s")
    name = compile_rx(
        r"\s*(?:the\s+|The\s+)?"
        r"(?P<name>[A-Z][\w’'-]*(?:\s+(?:[A-Z][\w’'-]*|of|for|and|on|al-\w+)){0,7})"
        r"\s*(?:\([^)]{1,15}\)\s*)?,"
    )
    return head, name


_DESCRIBED_LEAD = compile_rx(r"\b(?:a|an)\s+(?:[\w-]+\s+){0,3}$", re.I)


def _described_names(
    text: str, start: int, end: int, ctx: SourceContext
) -> list[tuple[int, int, str]]:
    """Names the table does not know, made organisations by the description they follow
    ("a rights group, the Sudan Doctors Network, said")."""
    out: list[tuple[int, int, str]] = []
    low = text[start:end].lower()
    if len(low) != end - start:
        return out
    head, name_rx = _described()
    for h in head.finditer(low):
        a0 = start + h.start()
        if _DESCRIBED_LEAD.search(text, max(start, a0 - 40), a0) is None:
            continue
        m = name_rx.match(text, start + h.end() - 1, end)
        if m is None:
            continue
        a, b = m.span("name")
        words = text[a:b].split()
        if len(words) >= 2 and words[-1] not in ("of", "for", "and", "on"):
            out.append((a, b, _canonical(text[a:b], ctx)))
    heads = [_named_after_head()]  # "the media organization X said"
    if "according" in low:  # (what the citing pattern needs; most texts have none)
        heads.append(_cited_after_head())
    for rx in heads:
        for m in rx.finditer(text, start, end):
            a, b = m.span("name")
            out.append((a, b, _canonical(text[a:b], ctx)))
    out.extend(_described_after(text, low, start, ctx))
    return out


@cache
def _description_after() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """A description in apposition after a name ("the Kestrel Relief Network, a local rights
    group, said"; "..., according to Hollow Creek Watchers, a UK-based monitor"): the comma,
    "a/an", up to three describing words (none "of": "Jane Doe, a member of the group" is a
    person) and the head; then the capitalised words that end at the comma."""
    heads = phrase_pattern(vocab_list("sources", "describing_heads"))
    description = compile_rx(rf",\s+an?\s+(?:(?!of\b)[\w-]+\s+){{0,3}}(?:{heads})\b")
    name = compile_rx(
        r"(?-i:(?:[A-Z][\w’'-]*\s+(?:(?:of|for|the|and|on|in)\s+)*){1,7}[A-Z][\w’'-]*)$"
    )
    return description, name


def _described_after(
    text: str, low: str, start: int, ctx: SourceContext
) -> list[tuple[int, int, str]]:
    """Names the table does not know, made organisations by the description after them
    (``low``: ``text`` from ``start`` on, lower-cased, as the caller already has it)."""
    description, name_rx = _description_after()
    out = []
    for d in description.finditer(low):
        c = start + d.start()
        m = name_rx.search(text, max(start, c - 100), c)
        if m is None:
            continue
        a = name_start(text, m.start(), c)
        if len(text[a:c].split()) >= 2:
            out.append((a, c, _canonical(text[a:c], ctx)))
    return out


@cache
def _cited_after_head() -> re.Pattern[str]:
    """ "according to the human rights organization Emergency Lawyers, ...": a name right
    after a description that says it is an organisation, cited by "according to" and closed
    by a comma or the sentence's end."""
    heads = phrase_pattern(vocab_list("sources", "describing_heads"))
    return compile_rx(
        rf"\b(?i:according\s+to\s+the)\s+(?:[a-z-]+\s+){{0,3}}(?:{heads})\s+"
        r"(?P<name>[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*){0,4})\s*[,.;]"
    )


@cache
def _named_after_head() -> re.Pattern[str]:
    """ "the media organization Ariha Today said", "the activist collective X reported": a
    name right after a description that says it is an organisation, then a reporting verb."""
    heads = phrase_pattern(vocab_list("sources", "describing_heads"))
    verbs = phrase_pattern(vocab_list("sources", "reporting_verbs"))
    return compile_rx(  # ("[Tt]" then a look-behind: "\b(?i:the)" the engine skips ahead to)
        rf"[Tt](?<![\w][\s\S])(?i:he)\s+(?:[a-z-]+\s+){{0,2}}(?:{heads})\s+"
        r"(?P<name>[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*){1,4})"
        rf"\s+(?:{verbs})\b"
    )


def attributions(
    text: str,
    start: int,
    end: int,
    ctx: SourceContext,
    named: list[tuple[int, int, str]] | None = None,
) -> list[Attribution]:
    """Explicit attributions inside one sentence (organisations named as the source);
    ``named`` is the sentence's ``organisations`` when the caller has them already."""
    out: list[Attribution] = []
    if named is None:
        named = organisations(text, start, end, ctx)
    for a, b, name in named:
        if out and _AND_THE.fullmatch(text, out[-1].end, a):
            continue  # "the Ministry of Health and the WHO recorded": the first named
        if out and text[out[-1].end : a].strip() == "(":
            continue  # "the United Nations Office ... (UNOCHA) reported": the name credited
        if out and out[-1].name != name and _OWNED_NEXT.fullmatch(text, out[-1].end, a):
            out[-1] = Attribution(a, b, name, "explicit")  # "IOM Iraq's Displacement Tracking
            continue  # Matrix": the body named right after the organisation is credited
        if _attributed(text, start, end, a, b):
            out.append(Attribution(a, b, name, "explicit"))
    out.extend(citations(text, start, end, ctx, out))
    out.sort(key=lambda x: x.start)
    return out


# Between an organisation and a body of its own named right after it: a country office and a
# possessive at most ("IOM Iraq's Displacement Tracking Matrix", "the International
# Organization for Migration Displacement Tracking Matrix")
_OWNED_NEXT = compile_rx(r"(?:\s+[A-Z][\w-]*)?(?:[’']s)?\s+")
_CITED = compile_rx(r"\b(?:cited|quoted|citing|quoting)\s+(?:the\s+)?(?:[\w-]+[’']s\s+)?$", re.I)
_AS_SAYING = compile_rx(r"\s+as\s+(?:saying|stating|reporting)\b", re.I)  # "X cited Y as saying"


@cache
def _attack_by() -> re.Pattern[str]:
    """An attack and "by" before a name: the name is the side that attacked, whatever verb
    follows it (sources.yaml ``belligerent_nouns``)."""
    nouns = phrase_pattern(vocab_list("sources", "belligerent_nouns"))
    return compile_rx(rf"\b(?:{nouns})\s+(?:by|from)\s+(?:the\s+)?$", re.I)


@cache
def _near_to() -> re.Pattern[str]:
    """Words that put a speaker near an organisation, not in it (sources.yaml ``near_words``)."""
    near = phrase_pattern(vocab_list("sources", "near_words"))
    return compile_rx(rf"\b(?:{near})\s+(?:the\s+)?$", re.I)


def _attributed(text: str, start: int, end: int, a: int, b: int) -> bool:
    """Whether the organisation named at ``a:b`` is credited with the sentence's words."""
    rx = _regexes()
    before = text[max(start, a - 120) : a].removesuffix("“").removesuffix('"')  # a quoted name
    if before.endswith(("by ", "by the ", "from ", "from the ")) and _attack_by().search(
        before[-40:]
    ):
        return False  # "shelling by the Rapid Support Forces reached 23": who attacked
    near = before.endswith(("to ", "to the ", "with ", "with the "))
    if near and _near_to().search(before[-30:]):
        return False  # "a source close to Hezbollah said": someone near it, not the body
    # the patterns that read what comes before a name all end in one of a few words:
    # test that first (cheap) and skip the end-anchored searches when it cannot match
    words_before = before[-24:].lower().split()
    led = (
        bool(words_before)
        and (
            words_before[-1] in _LEAD_WORDS
            or words_before[-1].endswith(("-based", "’s", "'s"))
            or words_before[-1] == "based"  # "the UK based X", the hyphen left out
            or _DESCRIBED_HEAD.fullmatch(words_before[-1]) is not None
            or (words_before[-1].endswith(",") and _DESCRIBED_BEFORE.search(before) is not None)
            or words_before[-2:] == ["known", "as"]  # "the rescue group known as the White Helmets"
        )
    )
    after_end = min(end, b + 140)
    # how ``before`` ends, for the end-anchored searches below that need a given last word
    # ("by", "the", "cited", "X's"): each is tried at every position of ``before``
    tail = before.rstrip()[-7:].lower()
    if (
        led
        and rx["role"].search(before[-60:])
        and (rx["role_led"].search(before[-90:]) or rx["after_role"].match(text, b, after_end))
    ):
        return True  # "Jane Doe, head of X, said", "according to a spokesperson for X"
    if _NAME_COMMA.search(before[-40:]) and rx["role_after_name"].match(text, b, after_end):
        return True  # "Jane Doe, UNICEF Regional Director for the region, said"
    if (
        (tail.endswith(("ted", "ng", "the")) or tail[-2:-1] in ("’", "'"))
        and _CITED.search(before)
        and _AS_SAYING.match(text, b, min(end, b + 20))
    ):
        return True  # "Anadolu Agency cited the Response Coordinators Group as saying"
    if led and tail.endswith(("to", "told", "the")) and rx["listener"].search(before):
        return False
    if led and (
        rx["according"].search(before)
        or (tail.endswith(("of", "by", "from", "the")) and rx["by"].search(before))
    ):
        return True
    if led and rx["inverted"].search(before) and rx["inverted_end"].match(text, b, end):
        return True  # "..., said the White Helmets." (not "says the UN has failed")
    if rx["source_label"].search(before[-12:]):
        return True
    if rx["apposed"].search(before[-30:]) and rx["apposed_after"].match(text, b, end):
        return True  # "A local monitoring group, the Al Jazirah Conference, reported"
    if text[start:a].strip() in ("", "the", "The") and rx["colon_head"].match(text, b, end):
        return True  # "SNHR: at least nine civilians..."
    if text[a - 1 : a] == "(" and text[b : b + 1] == ")":
        b += 1  # "the UN Office (OCHA) said": the acronym spells out the name before it
    return bool(
        rx["after"].match(text, b, min(end, b + 120))
        or rx["after_person"].match(text, b, after_end)
        or rx["titled"].match(text, b, after_end)
        or (_opens_clause(text[start:a]) and rx["action"].match(text, b, after_end))
    )


# a person's name closed by a comma, before the organisation of the role they hold
_NAME_COMMA = compile_rx(r"\b[A-Z][\w’'-]+\s+[A-Z][\w’'-]+,\s+(?:(?:the|a|an)\s+)?$")
# "according to a report by the UK-based war monitor(,) ": a description of the name after it
_DESCRIBED_BEFORE = compile_rx(rf"\b{DESCRIBED_HEADS},?\s*$", re.I)


def _opens_clause(before: str) -> bool:
    """The name is the subject of its sentence: nothing before it but "In 2020, ..." phrases."""
    before = before.strip()
    return before in ("", "the", "The") or (len(before) <= 60 and before.endswith(","))


def citations(
    text: str, start: int, end: int, ctx: SourceContext, found: list[Attribution]
) -> list[Attribution]:
    """ "(MoPH)", "(IOM Displacement Tracking Matrix DTM Baseline, March 2021)", "Source: AWSD":
    a citation after the words it covers. A parenthesis that spells out the name before it
    ("Syrian Civil Defence (SCD)") defines an acronym and cites nobody."""
    if text.find("(", start, end) < 0 and text.find("ource", start, end) < 0:
        return []  # no parenthesis and no "Source:" label: nothing to read
    rx = _regexes()
    out: list[Attribution] = []
    taken = {(x.start, x.end) for x in found}
    for m in rx["citation"].finditer(text, start, end):
        lead = text[max(start, m.start() - 30) : m.start()].split()
        short = m.start() - start < 25 and not closes_key_line(text, start, m.start(), m.end())
        if short or not cites_after(lead[-2:]):
            continue  # "Syrian Civil Defence (SCD)": a definition; "Jan. 11 (UPI)": a dateline
        if spells_out(text[max(start, m.start() - 80) : m.start()], m.group("body")):
            continue  # "unexploded ordnance (UXO)"
        got = _cited(text, m.start("body"), m.end("body"), ctx)
        if got and (got[0], got[1]) not in taken:
            out.append(Attribution(got[0], got[1], got[2], "citation"))
    label = _SOURCE_LABEL.search(text, start, end)
    if label:
        a = label.end()
        if text.count(",", a, end) < 2:  # a list of outlets credits no single organisation
            got = _cited(text, a, end, ctx)
            if got and (got[0], got[1]) not in taken:
                out.append(Attribution(got[0], got[1], got[2], "citation"))
    return out


def _cited(text: str, a: int, b: int, ctx: SourceContext) -> tuple[int, int, str] | None:
    """The organisation a citation opens with: a known name, else an acronym as written
    ("(source: State Ministry of Health)": after its label)."""
    label = _CITATION_LABEL.match(text, a, b)
    if label:
        a = label.end()
    closes = _CLOSES.match(text[b : b + 3]) is not None
    dated = undated_end(text, a, b)  # "(CONASUR – June 2019)": the name before the date
    # (a name and the day it counted to cite it wherever the bracket stands: "reached 921,000
    # (CONASUR, 7 June 2020), of whom ...")
    closes, b = closes or dated < b, dated
    orgs = organisations(text, a, b, ctx)
    lead = len(text[a:b]) - len(text[a:b].lstrip())
    if orgs and _NAMED_AFTER.match(text, orgs[0][1], b):
        return None  # "(UN House and Tongping)": the organisation names a site, it cites nothing
    if orgs and (orgs[0][0] - a <= lead + 4 or len(text[a : orgs[0][0]].split()) <= 1):
        return orgs[0]  # (a word may qualify it: "State Ministry of Health")
    m = _regexes()["cited_acronym"].match(text, a + lead, b)
    if m and m.end() == b and closes and sum(ch.isupper() for ch in m.group()) >= 3:
        return m.start(), m.end(), ctx.acronyms.get(m.group(), m.group())
    return None


_CITATION_LABEL = compile_rx(r"\s*(?:sources?|data|figures)\s*:\s*", re.I)


def first_person(text: str, voice_re: re.Pattern[str]) -> bool:
    """The narrative (outside quotations) speaks as "we": the publisher's own voice."""
    plain = re.sub(r"[“\"][^”\"]{0,3000}[”\"]", " ", text)
    return bool(voice_re.search(plain))
