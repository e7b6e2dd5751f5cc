"""A place named as a part of the next one ("the Al-Mawasi area of Khan Yunis", "the
Madamai village of Kaura local government area"): the figure is about the part, which lies
inside the place after "of", unlike "the West Bank city of Jenin" where the words before the
kind word say where the place after "of" lies."""

from __future__ import annotations

import re
from functools import cache

from crisisdesk.vocab import vocab_list


@cache
def _part_words() -> frozenset[str]:
    return frozenset(w.lower() for w in vocab_list("places", "part_words"))


def part_of_the_next(suffix: str, wider: re.Match[str] | None) -> bool:
    """The kind word after a name (``suffix``) names a part of a place ("area",
    "neighbourhood", "district"), or the place after "of" carries a kind word of its own
    ("of Kaura local government area", "of Hais district"): a smaller place inside it."""
    if suffix.strip().lower() in _part_words():
        return True
    return wider is not None and bool(wider.group("suffix"))
