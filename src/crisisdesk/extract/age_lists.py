"""Ages in a list of named people: "Salma Haddad (34), Omar Haddad (9), Lina Haddad (2)", or
with commas: "Salma Haddad, 34, Omar Haddad, 9, and Lina Haddad, 2".

Casualty lists name the dead one by one, each with an age in brackets; a list of places
with counts is written the same way ("Kafr Nabl (8), Maarat Misrin (5)"). An entry is an
age when its name is a person's (two or more capitalised words that are not a place) and
a neighbouring entry is written the same way: one such entry alone says too little.
Whether a name is a place is asked of the gazetteer (a list of the dead names no place).
"""

from __future__ import annotations

from crisisdesk.extract.compiled import compile_rx
from crisisdesk.extract.country import bundled_gazetteer
from crisisdesk.extract.numbers import NumberMention

_MAX_AGE = 110
# a full name right before the bracket ("Musab Haddad (", "Radwan Haddad, (")
_NAME_BEFORE = compile_rx(r"(?<![\w’'\-])(?:[A-Z][a-z]+\s+)+[A-Z][a-z]+\s?,?\s?\($")
# the same kind of entry right after this one, or right before it
_ENTRY_AFTER = compile_rx(r"\)\s*(?:,|and|;)\s*(?:[A-Z][a-z]+\s+)+[A-Z][a-z]+\s?,?\s?\(\d{1,3}\)")
_ENTRY_BEFORE = compile_rx(
    r"(?<![\w’'\-])(?:[A-Z][a-z]+\s+)+[A-Z][a-z]+\s?,?\s?\(\d{1,3}\)\s*(?:,|and|;)\s*"
    r"(?:[A-Z][a-z]+\s+)+[A-Z][a-z]+\s?,?\s?\($"
)
# the same list written with commas ("Jane Doe, 14, John Roe, 18, and Ann Poe, 76")
_NAME_BEFORE_COMMA = compile_rx(r"(?<![\w’'\-])(?:[A-Z][a-z]+\s+)+[A-Z][a-z]+,\s$")
_ENTRY_AFTER_COMMA = compile_rx(
    r"\s*,\s*(?:and\s+)?(?:[A-Z][a-z]+\s+)+[A-Z][a-z]+,\s\d{1,3}(?:\s*[,.;]|\s+and\b)"
)
_ENTRY_BEFORE_COMMA = compile_rx(
    r"(?<![\w’'\-])(?:[A-Z][a-z]+\s+)+[A-Z][a-z]+,\s\d{1,3}\s*,\s*(?:and\s+)?"
    r"(?:[A-Z][a-z]+\s+)+[A-Z][a-z]+,\s$"
)
_REACH = 80  # characters: the longest entry looked at on either side


def in_age_list(text: str, m: NumberMention) -> bool:
    """Whether the number at ``m`` is the bracketed age of a person in a list of names."""
    if m.kind != "digits" or m.value is None or m.value > _MAX_AGE:
        return False
    lo = max(0, m.start - _REACH)
    name = _NAME_BEFORE.search(text, lo, m.start)
    if name is not None and text[m.end : m.end + 1] == ")":
        after, before = _ENTRY_AFTER, _ENTRY_BEFORE
    else:
        name = _NAME_BEFORE_COMMA.search(text, lo, m.start)
        if name is None or text[m.end : m.end + 1] not in (",", "."):
            return False
        after, before = _ENTRY_AFTER_COMMA, _ENTRY_BEFORE_COMMA
    if not (
        after.match(text, m.end, m.end + _REACH)
        or before.search(text, max(0, m.start - 2 * _REACH), m.start)
    ):
        return False
    written = text[name.start() : name.end()].rstrip(" ,(")
    return not bundled_gazetteer().candidates(written, limit=1)
