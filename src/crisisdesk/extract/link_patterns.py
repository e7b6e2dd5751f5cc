"""The patterns that link a figure to the one it leans on (a pair in brackets, "including",
"another", an elliptical "and nine were wounded"), built once from data/vocab/links.yaml."""

from __future__ import annotations

import re
from functools import cache

from crisisdesk.extract.compiled import compile_rx
from crisisdesk.vocab import load_yaml, phrase_pattern, vocab_list


def alt(key: str) -> str:
    return phrase_pattern(vocab_list("links", key))


# a capitalised place name of up to four words ("the West Bank", "Deir ez-Zor")
PLACE_WORDS = r"[A-Z][\w’'-]*(?:\s+(?:[A-Z][\w’'-]*|of|al-[\w’'-]+|ez-[\w’'-]+)){0,3}"


@cache
def link_patterns() -> dict[str, re.Pattern[str]]:
    """The link patterns, built once from links.yaml (and the qualifiers for "including some")."""
    quals = load_yaml("qualifiers")
    qual = phrase_pattern([str(q) for k in ("at_least", "approx") for q in quals.get(k) or ()])
    coord = alt("coordinators")
    return {
        # "including two children", "including an old man and two children"
        "including": compile_rx(
            rf"\b(?:{alt('including')})\s*,?\s*(?:{qual}\s+)?"  # "of them, 106 were"
            r"(?:(?:a|an)\s+[a-z][\w-]*(?:\s+[a-z][\w-]*)?\s*(?:,\s*|\s+and\s+))?$",
            re.I,
        ),
        "additive_before": compile_rx(
            rf"\b(?:{alt('additive_before')})\s+(?:[a-z]+\s+){{0,2}}$", re.I
        ),
        "additive_after": compile_rx(rf"\s+(?:{alt('additive_after')})\b", re.I),
        "ellipsis": compile_rx(
            rf"^\s+(?:(?:{alt('ellipsis_aux')})\s+)?[a-z]+(?:\s+[a-z]+)?"
            # where: "hospitals were damaged in Idlib and 75 in Ariha", "attacks occurred in the
            # West Bank including East Jerusalem, while 75 in the Gaza Strip"
            rf"(?:\s+(?:in|at|on|across)\s+(?:the\s+)?{PLACE_WORDS}"
            rf"(?:,?\s+including\s+(?:the\s+)?{PLACE_WORDS})?)?"
            rf"\s*,?\s*(?:{alt('ellipsis_joiners')})\s+$"
        ),
        "colon": compile_rx(r"\s*:\s*"),
        # "destroyed 45 homes and damaged 120": the verb comes first, the noun is left out
        "ellipsis_verb_first": compile_rx(
            rf"^\s*,?\s*(?:{alt('ellipsis_joiners')})\s+[a-z]+(?:\s+[a-z]+)?\s+$"
        ),
        # "10,446 families (60,377 people)", "1,478 families, totalling 10,849 people"
        # "931 households, i.e. more than 5,000 people"
        "pair": compile_rx(
            # (after the noun's own abbreviation: "1,284 households (HH) (7,704 individuals)")
            r"(?:\s*\((?-i:[A-Z]{1,5})\))?\s*[(\[]\s*(?:[a-z]+\s+){0,3}"
            r"|\s*,\s*(?:totall?ing|i\.\s?e\.,?|that\s+is,?)\s+",
            re.I,
        ),
        "household_pair": compile_rx(rf"\s+(?:{alt('household_pair')})\s+", re.I),
        "coord": compile_rx(rf"\s*(?:,\s*)?(?:{coord})?\s*$", re.I),
        # ("112 persons at least including 17 children": a qualifier after the noun)
        "parts_gap": compile_rx(
            rf"(?:\s+at\s+least)?\s*,?\s+(?:{alt('verb_sharing_parts')})\s+", re.I
        ),
        "and_or": compile_rx(rf"\s*(?:{coord})\s*", re.I),
        "list_gap": compile_rx(rf"\s*(?:,\s*(?:{coord})?|(?:{coord}))\s*", re.I),
        "estimated": compile_rx(
            rf"\b(?:{alt('estimated')})\s+(?:that\s+)?(?:[^.;,]{{0,40}}?\s)?", re.I
        ),
        "filler": compile_rx(rf"(?:\b(?:{alt('filler')})\s+)$", re.I),
        "one_after": compile_rx(rf"\b(?:{alt('one_after')})\s+$", re.I),
        # a list partner: same sentence, a short gap ending in "and" or a comma
        "partner_gap": compile_rx(rf"[^.;:()\[\]\d]{{0,48}}?(?:,|\b(?:{coord}))\s*$", re.I),
        # ("killed at least 11 people and injured 35 more": the partner's own verb)
        "partner_verb_gap": compile_rx(
            rf"[^.;:()\[\]\d]{{0,48}}?\b(?:{coord})\s+(?:{alt('partner_verbs')})\s+$", re.I
        ),
    }


# a relative clause of what people had done or were doing ("who had fled", "who were
# sheltering"), not of what has happened to them ("who have fled": that is their count)
RELATIVE_BODY = r"\b(?:who|that)\s+(?:had\b|(?:were|was)\s+[a-z]+ing\b)"
