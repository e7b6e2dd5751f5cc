"""Attribution: which organisation a figure is credited to.

Patterns: "according to X", "X said / counted / documented", "X's statistics
indicated", "reported ... by X", a first-person voice ("we at X"), and carry-over
to the next sentences ("It added", "the group said", "according to the report").
Names are mapped to canonical names through the alias table (data/vocab/sources.yaml);
an organisation the table does not know is kept as written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from crisisdesk.vocab import canonical_source, load_sources, phrase_pattern, vocab_list


@dataclass(frozen=True, slots=True)
class Attribution:
    start: int  # offset of the organisation name
    end: int
    name: str  # canonical name (or as written)
    kind: str  # explicit, carry, voice


@dataclass(slots=True)
class SourceContext:
    """Per-document attribution state: acronyms defined in the text, the first-person voice."""

    acronyms: dict[str, str] = field(default_factory=dict)
    voice: str | None = None
    publisher: str | None = None
    acronym_regex: re.Pattern[str] | None = None


@cache
def _regexes() -> dict[str, re.Pattern[str]]:
    names: list[str] = []
    acronyms: list[str] = []
    for source in load_sources():
        for alias in (source.name, *source.aliases):
            if re.match(r"the\s", alias, re.I):
                # "the UN" must not win over "the UN refugee agency": every name may take
                # "the", so an alias written with it only says the bare word needs it.
                names.append(alias)
                continue
            letters = re.sub(r"[^A-Za-z]", "", alias)
            if alias.isupper() or (
                len(letters) <= 5 and letters[:1].isupper() and " " not in alias
            ):
                acronyms.append(alias)
            else:
                names.append(alias)
    verbs = phrase_pattern(vocab_list("sources", "reporting_verbs"))
    nouns = phrase_pattern(vocab_list("sources", "report_nouns"))
    anaphoric = phrase_pattern(vocab_list("sources", "anaphoric_sources"))
    cap = r"(?:[A-Z][\w’'&\-.]*|al-[A-Z][\w’'\-]*)"
    return {
        "names": re.compile(
            rf"(?<![\w-])(?:the\s+)?(?:{phrase_pattern([_bare(n) for n in names])})(?![\w-])", re.I
        ),
        # Scanned over a lower-cased copy without IGNORECASE and without a leading
        # look-behind, so that the engine can skip ahead by first character (many times
        # faster); the word boundary before a match is checked in Python.
        "names_low": re.compile(
            rf"{phrase_pattern([p for n in names for p in (_bare(n), 'the ' + _bare(n))])}(?![\w-])"
        ),
        "needs_the": re.compile(
            rf"(?:{phrase_pattern([_bare(n) for n in names if _bare(n) != n])})$", re.I
        ),
        "role": re.compile(
            rf"\b(?:{phrase_pattern(vocab_list('sources', 'person_roles'))})"
            r"\s+(?:of|for|at|with|from|in)\s+(?:the\s+)?$",
            re.I,
        ),
        "after_role": re.compile(
            r"(?:[’']s)?(?:\s*\([^)]{1,15}\))?(?:\s+(?:in|for|of|on)\s+(?:the\s+)?[A-Z][\w’'-]*"
            r"(?:\s+[A-Z][\w’'-]*){0,2})?,?[^.;!?]{0,60}?\b"
            rf"(?:{verbs})\b"
        ),
        "acronyms": re.compile(rf"{phrase_pattern(acronyms, lower=False)}(?![\w-])"),
        "after": re.compile(
            r"(?:[’']s)?[”\"’]?(?:\s*[\"“‘][^\"“”]{1,40}[\"”’])?(?:\s*\([^)]{1,15}\))?"
            r"(?:\s+(?:in|of)\s+[A-Z][\w-]+)?"
            r"(?:\s+and\s+(?:its\s+)?(?:partners?\s+)?(?:the\s+)?[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*){0,4})?"
            rf"(?:\s+(?:{nouns})(?:\s+(?:in|for|of|on|from)\s+\S+)?)?"
            r"(?:\s+(?:has|have|had|also|further|later|then|previously|again|now|still|already|"
            r"are|is|was|were))*"
            rf"\s+(?:{verbs})\b",
            re.I,
        ),
        "according": re.compile(
            r"according\s+to\s+(?:the\s+)?(?:latest\s+)?(?:figures\s+(?:from|of)\s+)?$", re.I
        ),
        "by": re.compile(
            r"(?:reported|documented|recorded|confirmed|announced|stated|counted|monitored|verified|"
            r"published|released|compiled|gathered|provided|issued)\b[^.;]{0,90}\bby\s+(?:the\s+)?$",
            re.I,
        ),
        "listener": re.compile(
            r"(?:said|told|spoke|speaking|talked)\s+(?:to\s+)?(?:the\s+)?$", re.I
        ),
        "voice": re.compile(r"\bwe(?:,)?\s+(?:at|in|from)?\s*(?:the\s+)?$", re.I),
        "carry": re.compile(
            r"(?:[\"“]?\s*)?(?:It|The\s+(?:group|organi[sz]ation|agency|monitor|network|ministry|office|"
            r"observatory|cent(?:re|er)|mission|team|report|statement)|They|Its\s+(?:report|statement|"
            rf"figures|data))\s+(?:also\s+|further\s+|then\s+|later\s+)?(?:{verbs})\b",
            re.I,
        ),
        "anaphoric": re.compile(rf"according\s+to\s+(?:{anaphoric})\b", re.I),
        # "..., the group said." at the end: the source named before speaks again
        "trailing_anaphor": re.compile(
            r",\s*(?:it|they|the\s+(?:[a-z\-]+\s+)?(?:group|organi[sz]ation|agency|monitor|network|ministry|"
            r"office|observatory|cent(?:re|er)|mission|team|rescuers|volunteers))\s+"
            rf"(?:also\s+|further\s+)?(?:{verbs})\b[^.;]{{0,40}}[.!]?[\"”]?\s*$",
            re.I,
        ),
        "trailing": re.compile(
            r",\s*(?:the\s+)?(?P<org>[^,.;]{2,80}?)\s+(?:said|reported|says|reports|added|stated|"
            r"announced|confirmed|documented|counted)\b[^.;]{0,40}[.!]?\s*$",
            re.I,
        ),
        "acronym_paren": re.compile(r"\((?P<acr>[A-Z][A-Za-z]{1,9})\)"),
        "acronym_full": re.compile(
            r"(?P<full>(?:[A-Z][\w’'\-]*\s+(?:(?:of|for|the|and|on)\s+)*){1,8})$"
        ),
        "we": re.compile(r"\bwe\b", re.I),
        "org_word": re.compile(
            rf"(?-i:{phrase_pattern(vocab_list('sources', 'org_words'), lower=False)}\b)"
        ),
        "org_left": re.compile(rf"(?-i:(?:{cap}\s+(?:(?:of|for|the|and|on|in)\s+)*){{1,6}})$"),
        "org_right": re.compile(
            rf"(?-i:(?:\s+(?:of|for|on)\s+(?:the\s+)?{cap}(?:\s+{cap}){{0,3}})?)"
        ),
    }


def _bare(alias: str) -> str:
    return re.sub(r"^the\s+", "", alias, flags=re.I)


def document_context(text: str, publisher: str | None) -> SourceContext:
    """Acronyms the text defines ("Ministry of Health (MoH) in Gaza") and a first-person voice."""
    ctx = SourceContext(publisher=canonical_source(publisher) if publisher else None)
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
        if name is None and _looks_like_org(full):
            name = re.sub(r"^the\s+", "", full, flags=re.I)
        if name:
            ctx.acronyms[m.group("acr")] = name
    if ctx.acronyms:
        alts = "|".join(re.escape(a) for a in sorted(ctx.acronyms, key=len, reverse=True))
        ctx.acronym_regex = re.compile(rf"(?<![\w-])(?:{alts})(?![\w-])")
    for we in rx["we"].finditer(text):
        after = rx["names"].search(text, we.end(), we.end() + 90)
        if (
            after
            and after.start() - we.end() <= 12
            and rx["voice"].search(text[max(0, after.start() - 12) : after.start()])
        ):
            ctx.voice = canonical_source(after.group())
            break
    return ctx


def _looks_like_org(name: str) -> bool:
    words = set(vocab_list("sources", "org_words"))
    return any(w in words for w in re.findall(r"[\w’']+", name))


def _canonical(name: str, ctx: SourceContext) -> str:
    name = re.sub(r"^(?:the|The)\s+", "", name.strip().strip("“”\"’'"))
    if name in ctx.acronyms:
        return ctx.acronyms[name]
    return canonical_source(name) or name


_THE = re.compile(r"the\s", re.I)
_LEAD_WORDS = frozenset(
    ["of", "for", "at", "with", "from", "in", "the", "said", "told", "spoke", "speaking"]
    + ["talked", "to", "latest", "by"]
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
    rx = _regexes()
    found: list[tuple[int, int, str]] = []
    taken: list[tuple[int, int]] = []

    def free(a: int, b: int) -> bool:
        return all(b <= x or a >= y for x, y in taken)

    for a, b in _name_spans(text, start, end):
        written = text[a:b]
        if rx["needs_the"].fullmatch(written) and not _THE.match(written):
            continue  # "Observatory" alone is a word, "the Observatory" a name
        found.append((a, b, _canonical(written, ctx)))
        taken.append((a, b))
    for m in rx["acronyms"].finditer(text, start, end):
        if _glued(text, m.start()):
            continue
        if free(m.start(), m.end()):
            found.append((m.start(), m.end(), _canonical(m.group(), ctx)))
            taken.append((m.start(), m.end()))
    if ctx.acronym_regex is not None:
        for m in ctx.acronym_regex.finditer(text, start, end):
            a, b = m.start(), m.end()
            if free(a, b):
                found.append((a, b, ctx.acronyms[m.group()]))
                taken.append((a, b))
    for w in rx["org_word"].finditer(text, start, end):
        if w.start() > 0 and _WORDISH(text[w.start() - 1]):
            continue
        left = rx["org_left"].search(text, max(start, w.start() - 90), w.start())
        a = left.start() if left else w.start()
        right = rx["org_right"].match(text, w.end(), end)
        b = right.end() if right else w.end()
        if free(a, b):
            name = text[a:b].strip()
            if len(name.split()) >= 2 or name.isupper():
                found.append((a, b, _canonical(name, ctx)))
                taken.append((a, b))
    found.sort()
    return found


def attributions(text: str, start: int, end: int, ctx: SourceContext) -> list[Attribution]:
    """Explicit attributions inside one sentence."""
    rx = _regexes()
    out: list[Attribution] = []
    for a, b, name in organisations(text, start, end, ctx):
        before = text[max(start, a - 120) : a]
        # the patterns that read what comes before a name all end in one of a few words:
        # test that first (cheap) and skip the end-anchored searches when it cannot match
        words_before = before[-24:].lower().split()
        led = bool(words_before) and words_before[-1] in _LEAD_WORDS
        if (
            led
            and rx["role"].search(before[-60:])
            and rx["after_role"].match(text, b, min(end, b + 140))
        ):
            out.append(Attribution(a, b, name, "explicit"))  # "Jane Doe, head of X, said"
            continue
        if led and rx["listener"].search(before):
            continue
        if (led and (rx["according"].search(before[-40:]) or rx["by"].search(before))) or rx[
            "after"
        ].match(text, b, min(end, b + 120)):
            out.append(Attribution(a, b, name, "explicit"))
    return out


def carries_over(text: str, start: int, end: int) -> bool:
    """True when the sentence continues the previous source ("It added that ...")."""
    rx = _regexes()
    return bool(
        rx["carry"].match(text, start, end)
        or rx["anaphoric"].search(text, start, end)
        or rx["trailing_anaphor"].search(text, start, end)
    )


def credits_someone_else(text: str, start: int, end: int, ctx: SourceContext) -> bool:
    """ "..., local officials said.": the sentence names its own speaker, who is not an
    organisation we know, so no earlier organisation's attribution carries into it."""
    m = _regexes()["trailing"].search(text, start, end)
    if not m or _regexes()["trailing_anaphor"].search(text, start, end):
        return False
    return not organisations(text, m.start("org"), m.end("org"), ctx)


def trailing_attribution(
    text: str, start: int, end: int, ctx: SourceContext
) -> tuple[int, int, str] | None:
    """ "..., Daily Sabah reported." at the end of a sentence: the organisation, if it is one."""
    m = _regexes()["trailing"].search(text, start, end)
    if not m:
        return None
    orgs = organisations(text, m.start("org"), m.end("org"), ctx)
    return orgs[-1] if orgs else None
