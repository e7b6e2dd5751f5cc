"""A count of people who suffered several kinds of harm at once ("killed, missing or
wounded", "killed, injured and abducted"): casualties not split into one kind, so of no
single harm category ("other", as the conventions read unsplit casualties). The harms are
read by meaning, a list of harm words of different kinds joined by commas, "and" or "or",
not by a list of the combinations (categories.yaml ``harm_kinds``)."""

from __future__ import annotations

import re
from functools import cache

from crisisdesk.extract.compiled import compile_rx
from crisisdesk.vocab import load_yaml, phrase_pattern, vocab_list

_REACH = 40  # characters after the counted people within which their harms are said


@cache
def _harms() -> tuple[re.Pattern[str], re.Pattern[str], dict[str, str]]:
    table = load_yaml("categories")["harm_kinds"]
    kinds = {str(w).lower(): str(k) for k, ws in table.items() for w in ws}
    word = phrase_pattern(list(kinds))
    lead = phrase_pattern(vocab_list("categories", "harm_list_leads"))
    objects = phrase_pattern(vocab_list("categories", "harm_verb_objects"))
    join = r"(?:\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+)"
    rx = compile_rx(
        rf"^\s*(?:(?:{lead})\s+){{0,3}}(?P<a>{word})(?P<rest>(?:{join}(?:(?:{lead})\s+)?(?:{word}))+)\b"
        # (not a harm verb with its own object: "left 6 dead and wounded 15 others")
        rf"(?!\s+(?:\d|(?:[a-z-]+\s+)?(?:{objects})\b))",
        re.I,
    )
    return rx, compile_rx(word, re.I), kinds


def mixed_harms_after(text: str, start: int, end: int) -> bool:
    """Whether the words right after the people counted (``text[start:end]``) list harms of
    more than one kind, an injury among them ("have been killed, reported missing or
    injured")."""
    rx, one, kinds = _harms()
    m = rx.match(text[start : min(end, start + _REACH + 60)])
    if m is None:
        return False
    words = [m.group("a"), *one.findall(m.group("rest"))]
    # (an injury among them: "killed or missing" troops are still counted as the dead)
    found = {kinds[w.lower()] for w in words}
    return len(found) > 1 and "injured" in found
