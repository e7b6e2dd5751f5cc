"""Lists introduced by a sentence that ends in a colon.

A report often states a period once and then breaks its count down line by line:

    Between 7 and 13 May, 655 households were displaced. Most arrived in:
    North (512 HH) - Town A (220 HH), Town B (118 HH) districts.
    South (51 HH) - ...

Each line is a paragraph of its own, yet it counts within the period of the sentence that
introduced it, not within a wider period stated before (which a new paragraph otherwise
goes back to).
"""

from __future__ import annotations

from crisisdesk.extract.draft import DocState, Draft

LIST_REACH = 1600  # characters from the introducing colon to a line of its list


def introduced_by(state: DocState, paragraph: int, d: Draft) -> bool:
    """Whether paragraph ``paragraph`` ends in a colon that opens a list reaching ``d``
    (a later paragraph, within reach)."""
    if paragraph < 0 or d.sentence.paragraph <= paragraph:
        return False
    ends = [s.end for s in state.sents if s.paragraph == paragraph]
    if not ends:
        return False
    end = max(ends)
    if not state.text[:end].rstrip().endswith(":"):
        return False
    return 0 <= d.m.start - end <= LIST_REACH
