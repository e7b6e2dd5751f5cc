""" "In the capital": the capital city a report named earlier ("Haiti's capital, Port-au-Prince",
"the capital Khartoum", "the capital city of Juba").

News copy names the capital once and then says "the capital" for it ("96,000 fled
insecurity in the capital"); the figure is about that city, not the country the sentence
may inherit. The words are data (``places.yaml`` ``capital_anaphora``).
"""

from __future__ import annotations

import re
from functools import cache

from crisisdesk.extract.compiled import compile_rx
from crisisdesk.vocab import phrase_pattern, vocab_list

_NAME = r"(?P<name>[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+){0,2})"


@cache
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """A capital named ("capital, Port-au-Prince", "capital city of Juba"), and one pointed at
    ("in the capital" with no name after it)."""
    named = compile_rx(rf"\bcapital(?:\s+city)?(?:,\s*|\s+of\s+|\s+){_NAME}")
    words = phrase_pattern(vocab_list("places", "capital_anaphora"))
    unnamed = r"(?![’']s\b)(?!,?\s+(?:city\s+)?(?:of\s+)?(?-i:[A-Z]))"  # not "the capital, Juba"
    pointed = compile_rx(rf"\b(?:{words})\b{unnamed}", re.I)
    return named, pointed


def capital_pointed(text: str, start: int, end: int) -> tuple[str, tuple[int, int]] | None:
    """The capital (name, span) that "the capital" in ``text[start:end]`` stands for: the
    last one named before it, when the text names one."""
    named, pointed = _patterns()
    at = pointed.search(text, start, end)
    if at is None:
        return None
    last = None
    for m in named.finditer(text, 0, at.start()):
        last = m
    return (last.group("name"), last.span("name")) if last is not None else None
