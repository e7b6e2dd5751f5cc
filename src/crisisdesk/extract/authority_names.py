"""Authorities named by their place or people: "according to the Israeli authorities",
"Somali authorities said", "Donetska oblast authorities report damage to ...", and a local
government written the same way with a lower-case head ("the Kharkiv regional military
administration", "a Tessi district people's administration spokesman", "the Marib health
office").

A government body speaking through its officials is a source (the conventions credit
"the government said"); written as a capitalised place or demonym before "authorities"
(perhaps with the kind of area: "oblast", "regional"), it is credited as written. Bare
"the authorities" and generic heads ("Health authorities", "Local authorities") name no one.
"""

from __future__ import annotations

import re
from functools import cache

from crisisdesk.extract.compiled import compile_rx
from crisisdesk.vocab import phrase_pattern, vocab_list


@cache
def _authorities() -> re.Pattern[str]:
    areas = phrase_pattern(vocab_list("sources", "authority_area_words"))
    heads = phrase_pattern(vocab_list("sources", "authority_heads"))
    return compile_rx(
        r"(?<![\w’'-])(?P<name>(?:[A-Z][\w’'-]+\s+){1,3}"
        rf"(?:(?:{areas})\s+)?(?:{heads}))\b"
    )


@cache
def _head_words() -> re.Pattern[str]:
    """The last word of any head: a cheap test before the capitals are tried."""
    last = {h.split()[-1] for h in vocab_list("sources", "authority_heads")}
    return compile_rx(rf"\b(?:{phrase_pattern(sorted(last))})\b")


@cache
def _not_places() -> frozenset[str]:
    return frozenset(
        [
            *vocab_list("sources", "not_name_starts"),
            *vocab_list("sources", "authority_generic_words"),
        ]
    )


@cache
def _describing() -> tuple[str, ...]:
    return tuple(vocab_list("sources", "describing_word_endings"))


def authority_names(text: str, start: int, end: int) -> list[tuple[int, int, str]]:
    """(start, end, name as written) of each authority named by a place or a people."""
    out: list[tuple[int, int, str]] = []
    if _head_words().search(text, start, end) is None:
        return out  # the pattern tries every capital of the text: most texts name none
    for m in _authorities().finditer(text, start, end):
        a, b = m.span("name")
        words = text[a:b].split()
        while words and words[0] in _not_places():  # "According to Mariupol authorities"
            a = text.index(words[1], a + len(words[0])) if len(words) > 1 else b
            words = words[1:]
        if len(words) < 2 or not words[0][:1].isupper() or words[0].endswith(_describing()):
            continue  # "Kurdish-led authorities": who runs them, no name
        out.append((a, b, " ".join(words)))
    return out


__all__ = ["authority_names"]
