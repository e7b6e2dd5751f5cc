"""The verb next to a figure that says what happened to the people it counts: a verb of
harm right before it ("killed 13 displaced people"), between a part and its whole, or
the part's own verb after it ("of which 875,000 have been displaced").

Shared by the figures with a noun of their own (categorise.py) and those that borrow
one (borrowed.py).
"""

from __future__ import annotations

import re

from crisisdesk.extract import categories as cat
from crisisdesk.extract.compiled import compile_rx
from crisisdesk.extract.draft import Draft

# links by which a figure shares the noun of the figure before ("pair", "including")
SHARED_LINKS = ("pair", "including")
PEOPLE_UNITS = ("people", "families")
VERB_REACH = 24  # characters: a verb this close before the figure governs it
HARMS = frozenset({"killed", "injured"})
_ADVERBS = compile_rx(r"(?:\s*\b[a-z]+ly\b)*\s*", re.I)


def harm_right_before(text: str, d: Draft) -> str | None:
    """A verb of harm right before a figure whose noun has a meaning of its own ("killed 13
    displaced people", "seriously injuring 12 refugees"): what happened to them."""
    found = cat.cue_before(
        text, max(d.sentence.start, d.qual_start - VERB_REACH), d.qual_start, d.cues
    )
    if found is None or found[0] not in HARMS:
        return None
    end = next((e for s, e, _ in d.cues if s == found[1]), found[1])
    return found[0] if _ADVERBS.fullmatch(text, end, d.qual_start) else None


_NEXT_VERB = compile_rx(r"\s*(?:,\s*(?:and\s+)?|\s+and\s+)[a-z]+(?:ed|ing)\s+(?:\w+\s+)?others\b")


def other_verbs_object(text: str, d: Draft) -> bool:
    """A harm verb right before the figure, and after its noun another harm with "others"
    for its object ("killed two civilians, injured others", "killing 3 and wounding
    several others"): the verb after the noun is not the figure's."""
    harm = harm_right_before(text, d)
    return (
        harm is not None
        and harm != d.fwd
        and _NEXT_VERB.match(text, d.np_end, min(d.sentence.end, d.np_end + 40)) is not None
    )


def verb_between(text: str, ante: Draft, d: Draft) -> str | None:
    """ "killing four troops and a civilian and wounding several others, including two
    children": a verb of harm between the figure before and a part is the part's (its whole
    has no number)."""
    found = cat.cue_before(text, ante.np_end, d.qual_start, d.cues)
    if found is None or found[0] == ante.category or found[0] not in HARMS:
        return None
    return found[0]


def own_event(text: str, d: Draft) -> str | None:
    """What a part's own verb says happened to its people ("of which 875,000 have been
    displaced"); a state ("of whom 17,000 were living under trees") leaves them its whole's,
    and so does a verb after another figure ("5,614 deaths, including 362 children, and
    7,946 people injured")."""
    fwd = d.fwd
    if not fwd or fwd == "other" or not cat.is_people_category(fwd):
        return None
    got = cat.cue_after(text, d.np_end, d.sentence.end)
    own = got is not None and not any(ch.isdigit() for ch in text[d.np_end : got[1]])
    return fwd if own else None
