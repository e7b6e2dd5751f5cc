"""The country a document is about, for naming the national bodies it leaves unqualified.

The country is the one the text names most, counting its name and its demonym
("Lebanon", "Lebanese"); countries and demonyms are data (sources.yaml ``demonyms``).
"""

from __future__ import annotations

import re
from collections import Counter
from functools import cache

from crisisdesk.vocab import load_yaml, phrase_pattern


@cache
def _table() -> tuple[re.Pattern[str], dict[str, str]]:
    """One pattern for every country name and demonym, and the demonym of each word."""
    demonyms = {str(k): str(v) for k, v in (load_yaml("sources").get("demonyms") or {}).items()}
    of_word = {}
    for country, demonym in demonyms.items():
        of_word[country] = demonym
        of_word.setdefault(demonym, demonym)
    rx = re.compile(rf"\b(?:{phrase_pattern(list(of_word), lower=False)})\b")
    return rx, of_word


def document_demonym(text: str) -> str | None:
    """The demonym of the country the text names most (None when it names none); a tie
    goes to the country named first."""
    rx, of_word = _table()
    counts: Counter[str] = Counter(of_word[m.group()] for m in rx.finditer(text))
    if not counts:
        return None
    return counts.most_common(1)[0][0]
