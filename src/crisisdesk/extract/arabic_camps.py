"""Arabic figures of people who live in camps: the displaced, counted by where they shelter.

"ويقيم في المخيمات مليونا شخص", "يعيش 300 ألف نازح في مخيمات الشمال": a verb of living
somewhere (``camp_residence_verbs`` of categories.yaml) and a word for camps in the figure's
clause count displaced people, as the conventions count breakdowns by shelter, whatever
else the clause says; the figure's own verb of harm ("قتل 5 في مخيم") is left alone.
"""

from __future__ import annotations

from functools import cache

from crisisdesk.extract.arabic_text import ArabicText
from crisisdesk.extract.draft import Draft
from crisisdesk.extract.tokens import fold, stems
from crisisdesk.vocab import load_lang_yaml

__all__ = ["lives_in_camps"]


def lives_in_camps(at: ArabicText, d: Draft) -> bool:
    """Whether the figure's clause says its people live in camps."""
    verbs, camps = _words()
    toks = at.tokens[at.after(d.clause[0]) : at.after(d.clause[1])]
    readings = [set(stems(t.norm)[:4]) for t in toks]
    return any(r & verbs for r in readings) and any(r & camps for r in readings)


@cache
def _words() -> tuple[frozenset[str], frozenset[str]]:
    data = load_lang_yaml("ar", "categories")
    verbs = frozenset(fold(str(w)) for w in data["camp_residence_verbs"])
    camps = frozenset(fold(str(w)) for w in data["camp_words"])
    return verbs, camps
