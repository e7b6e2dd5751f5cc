"""Cheap scans that tell when a slow pattern cannot match a text at all.

A few patterns are tried at every word of a document (a word, then "'s", then an
office's title); most documents never contain the words those patterns need. A
bare scan for the words, which the regex engine runs by first character, answers
"not here" for them at a fraction of the cost, and the answer is exact: the slow
pattern needs the word, so a text without it holds no match.
"""

from __future__ import annotations

from functools import cache

from crisisdesk.extract.text import PhraseScanner
from crisisdesk.vocab import vocab_list


@cache
def _office_titles() -> PhraseScanner:
    return PhraseScanner(vocab_list("sources", "offices"))


def names_an_office(low: str) -> bool:
    """Whether the lower-cased text holds an office's title ("ombudsman", "public
    defender"): both office patterns of sources.py need one."""
    return _office_titles().search(low) is not None
