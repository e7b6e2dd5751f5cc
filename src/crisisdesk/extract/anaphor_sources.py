"""Whom an anaphor stands for: "it", "the ministry", "the group", "her office", "the
government" resolved to an organisation named or credited earlier, or to the national
body of the country the document is about. attribution.py's walk keeps what was named
and credited; this module only chooses among them.
"""

from __future__ import annotations

from functools import cache

from crisisdesk.extract.compiled import compile_rx
from crisisdesk.extract.draft import DocState
from crisisdesk.extract.quoted_sources import Span
from crisisdesk.vocab import (
    canonical_source,
    load_sources,
    load_yaml,
    vocab_list,
)

# a person's name and a verb of saying between an organisation and a pronoun: "UN High
# Commissioner for Human Rights Michelle Bachelet said her office"
_NAME_SAID = compile_rx(
    r"(?:[’']s)?(?:\s+(?:[A-Z][\w’'-]+|al-|el-)){1,4},?\s+(?:said|says|told|added|stated)\s+$"
)


def titled_speaker(text: str, earlier: list[tuple[str, Span]], a: int) -> tuple[str, Span] | None:
    """The organisation in whose title a person named in this sentence speaks before the
    pronoun: "her office" is hers, not that of someone who spoke earlier."""
    if not earlier:
        return None
    name, span = earlier[-1]
    return (name, span) if _NAME_SAID.fullmatch(text, span[1], a) else None


def resolve_anaphor(
    head: str, recent: list[tuple[str, Span]], credited: list[tuple[str, Span]]
) -> tuple[str, Span] | None:
    """The organisation "the <head>" stands for: the last one whose name has the head word
    ("the ministry"); for a generic head ("it", "the group", "the report") the last one
    credited, else the last one named (a perpetrator named in between is no speaker)."""
    for name, span in reversed(recent):
        if any(word.startswith(head) for word in _name_words(name)):
            return name, span
    if head in specific_heads():
        return None
    if credited:
        return credited[-1]
    return recent[-1] if recent else None


@cache
def _name_words(name: str) -> frozenset[str]:
    """The words of an organisation's name and of its spelt-out aliases: "the mission" is
    UNAMI, the United Nations Assistance Mission for Iraq."""
    names = [name]
    names += [a for s in load_sources() if s.name == name for a in s.aliases]
    return frozenset(w for n in names for w in n.lower().split())


def opening_subject(
    state: DocState, i: int, a: int, prev_named: list[tuple[int, int, str]]
) -> tuple[str, Span] | None:
    """ "The Syrian Civil Defence blamed Russian jets for the raid. They said 14 were
    killed.": a pronoun opening sentence ``i`` stands for the organisation the sentence
    before opens with, its subject, even when that sentence credited no figure; an
    organisation credited earlier in the text is further from the pronoun."""
    if i < 1 or not prev_named:
        return None
    low, here, prev = state.low, state.sents[i], state.sents[i - 1]
    if not _PRONOUN_OPENING.fullmatch(low, here.start, a):
        return None
    x, y, name = prev_named[0]
    if not _SUBJECT_OPENING.fullmatch(low, prev.start, x):
        return None
    return name, (x, y)


# nothing but an opening word or two before the pronoun ("They said", "But it added")
_PRONOUN_OPENING = compile_rx(r"[\s\W]*(?:(?:but|and|also|however|later),?\s+)?")
# the organisation's name opens the sentence before, with at most an article
_SUBJECT_OPENING = compile_rx(r"[\s\W]*(?:the\s+)?")


def national_anaphor(state: DocState, head: str, a: int, b: int) -> tuple[str, Span] | None:
    """ "the government said" with no government named: the government of the country the
    document is about ("Cameroonian Government"; sources.yaml ``national_anaphors``)."""
    body = _national_anaphors().get(head)
    country = state.sources.demonym() if body else None
    if not country:
        return None
    name = f"{country} {body}"
    return canonical_source(name) or name, (a, b)


@cache
def _national_anaphors() -> dict[str, str]:
    """sources.yaml ``national_anaphors``, read once."""
    table = load_yaml("sources").get("national_anaphors") or {}
    return {str(k): str(v) for k, v in table.items()}


@cache
def specific_heads() -> tuple[str, ...]:
    """Anaphor heads that stand only for an organisation of that kind (sources.yaml)."""
    return vocab_list("sources", "specific_anaphor_heads")
