"""Whether an Arabic sentence that names no organisation carries the source before it.

Within a paragraph it does, as the conventions carry "وأضاف", "كما ..." and "وفي بلدة ...".
A new paragraph is where a report turns to another item or to the publisher's own
background ("وأمس الثلاثاء، استشهد 10 مدنيين ...", "ويقيم في شمال غربي سوريا 4.5 ملايين
شخص"): it carries the source only when it opens by going on with the account
(``paragraph_carry_openers`` of sources.yaml: "وأضاف", "وأوضحت", "كما", "وبحسب"), says it
follows "the same source" (``same_source_phrases``), or stands between two attributions to
the same organisation (the next one the report names is it).
"""

from __future__ import annotations

import re
from functools import cache

from crisisdesk.extract.compiled import compile_rx
from crisisdesk.extract.text import Sentence
from crisisdesk.extract.tokens import folded_alternation
from crisisdesk.vocab import load_lang_yaml

__all__ = ["carries_across"]


def carries_across(
    sents: list[Sentence], i: int, folded: str, fstart: int, prev: str, following: str | None
) -> bool:
    """Whether sentence ``i`` (at ``fstart`` in the folded text) goes on with the account of
    organisation ``prev`` credited before it; ``following`` is the next one the report names."""
    if i == 0 or sents[i].paragraph == sents[i - 1].paragraph:
        return True
    if _openers().match(folded, fstart) is not None or following == prev:
        return True
    stop = folded.find(".", fstart)
    end = len(folded) if stop < 0 else stop
    return _same_source().search(folded, fstart, end) is not None  # "وفق المصدر ذاته"


@cache
def _same_source() -> re.Pattern[str]:
    alt = folded_alternation(load_lang_yaml("ar", "sources")["same_source_phrases"])
    return compile_rx(rf"(?<![^\W\d_])(?:{alt})(?![^\W\d_])")


@cache
def _openers() -> re.Pattern[str]:
    alt = folded_alternation(load_lang_yaml("ar", "sources")["paragraph_carry_openers"])
    return compile_rx(rf"[\"“«\s]*(?:{alt})(?![^\W\d_])")
