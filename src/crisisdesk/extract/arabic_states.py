"""Arabic figures that state a present state, which a period stated before does not date.

"... منذ أول ديسمبر. وقدّر المكتب أن نحو 82 ألف شخص ينامون في العراء": the earlier span dates
the displacement, not how many sleep in the open now. A present-tense verb of where or how
people are (``state_verbs`` of periods.yaml: ينامون، يقيمون، يعيشون، يتكدس، يعانون) in the
figure's clause makes it a state, which the conventions leave undated ("1.6 million are
currently displaced", "is home to 3 million"); its own sentence's period still applies.
"""

from __future__ import annotations

from functools import cache

from crisisdesk.extract.arabic_reading import ArabicText
from crisisdesk.extract.draft import Draft
from crisisdesk.extract.tokens import fold, stems
from crisisdesk.vocab import load_lang_yaml

__all__ = ["states_a_state"]

_REACH = 3  # words after the figure's noun where the verb stands ("40 ألف شخص ينامون")


def states_a_state(at: ArabicText, d: Draft) -> bool:
    """Whether a present-tense verb of a state stands before the figure in its clause or
    right after its noun."""
    lo = at.after(d.clause[0])
    hi = min(at.after(d.clause[1]), at.after(d.np_end) + _REACH)
    verbs = _state_verbs()
    return any(s in verbs for t in at.tokens[lo:hi] for s in stems(t.norm)[:3])


@cache
def _state_verbs() -> frozenset[str]:
    return frozenset(fold(str(w)) for w in load_lang_yaml("ar", "periods")["state_verbs"])
