"""An organisation's name cut short: a report names an organisation in full once and then
by a shorter form of the same name (its first and last words kept, words between dropped:
"the Northern Rights Monitor" later "the Northern Monitor"). The figures credited to the
short form are credited to the full name, as the conventions write names whole."""

from __future__ import annotations

import re

_WORD = re.compile(r"[^\W_]+")
_MIN_WORDS = 2  # a one-word short form ("the UN", "IOM") may be another body of the family


def _words(name: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(name)]


def _cut_from(short: list[str], full: list[str]) -> bool:
    """Whether ``short`` is ``full`` with words dropped between its first and last word."""
    if len(short) < _MIN_WORDS or len(full) <= len(short):
        return False
    if short[0] != full[0] or short[-1] != full[-1]:
        return False
    it = iter(full)
    return all(w in it for w in short)


def full_names(names: list[str]) -> dict[str, str]:
    """For each name that is another one of ``names`` cut short, that full name (the only
    one it can be cut from)."""
    distinct = list(dict.fromkeys(names))
    if len(distinct) < 2:
        return {}
    split = {n: _words(n) for n in distinct}
    out: dict[str, str] = {}
    for short in distinct:
        fulls = [f for f in distinct if f != short and _cut_from(split[short], split[f])]
        if len(fulls) == 1:
            out[short] = fulls[0]
    return out
