"""An Arabic document's text cut once, and the phrase look-ups on its tokens.

``ArabicText`` holds the folded copy, tokens and sentences every Arabic component
reads; ``ending_with``/``match_before`` find a phrase of the vocabulary ending at a
token without scanning the whole list.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from functools import cache, lru_cache, partial

from crisisdesk.extract.arabic_lexicon import ArNoun, phrases
from crisisdesk.extract.compiled import compile_rx
from crisisdesk.extract.text import Sentence, append_sentence
from crisisdesk.extract.tokens import fold, fold_with_offsets, folded_words, stems, tokens_at
from crisisdesk.vocab import load_lang_yaml

# "[.!?؟](?=\s|$|[^\W\d_])|\n+|•" opening with one character class (a look-behind tells
# which it took): the engine scans to those characters instead of trying each branch
_SENT_END = compile_rx(
    r"[.!?\u061f\n\u2022](?:(?<=[.!?\u061f])(?=\s|$|[^\W\d_])|(?<=\n)\n*|(?<=\u2022))"
)
# words before a spaced double dot that are a phrase put in front of its sentence, not one
_FRONTED = 3
CLAUSE = compile_rx(r"[\u060c\u061b,;:]")


class ArabicText:
    """A document's text cut once: tokens, sentences and an index from offsets to tokens."""

    def __init__(self, text: str) -> None:
        self.text = text
        # one folded copy of the text with its offset map, shared by every component
        self.folded, self.offsets = fold_with_offsets(text)
        # the words of the folded copy (each token's norm) and their starts in it
        self.norms, self.fstarts, fends = folded_words(self.folded)
        self.tokens, self.starts = tokens_at(self.norms, self.fstarts, fends, self.offsets)
        self.sents = sentences_ar(text)
        self.sent_starts = [s.start for s in self.sents]
        # the counted noun of each draft and the token after it (a Draft has no slot for
        # an Arabic noun), keyed by id(draft); lives as long as the document's reading
        self.heads: dict[int, tuple[ArNoun | None, int]] = {}
        # after(pos): index of the first token starting at or after ``pos`` (the readers
        # ask it some 300 times per document: a partial of the C function, no Python frame)
        self.after: Callable[[int], int] = partial(bisect.bisect_left, self.starts)

    def sentence_of(self, pos: int) -> Sentence | None:
        i = bisect.bisect_right(self.sent_starts, pos) - 1
        if i < 0 or pos >= self.sents[i].end:
            return None
        return self.sents[i]


def sentences_ar(text: str) -> list[Sentence]:
    """Sentences of an Arabic text: a stop (also "؟") before a space or a letter, a line
    break, a bullet. Arabic has no capitals to tell an abbreviation from the end."""
    out: list[Sentence] = []
    paragraph = 0
    start = 0
    for m in _SENT_END.finditer(text):
        piece = m.group()
        end = m.end() if piece[0] in ".!?\u061f" else m.start()
        if text.endswith(" ..", 0, end) and len(text[start : end - 3].split()) <= _FRONTED:
            continue  # "وفى عفرين .. أشار المرصد": a fronted place, then its sentence
        append_sentence(text, start, end, paragraph, out)
        paragraph += piece.count("\n")
        start = m.end()
    append_sentence(text, start, len(text), paragraph, out)
    return out


def clause_of(text: str, pos: int, sent: Sentence) -> tuple[int, int]:
    start = sent.start
    for m in CLAUSE.finditer(text, sent.start, pos):
        start = m.end()
    nxt = CLAUSE.search(text, pos, sent.end)
    return start, (nxt.start() if nxt else sent.end)


@cache
def _by_last_word(file: str, key: str) -> dict[str, tuple[tuple[str, ...], ...]]:
    out: dict[str, list[tuple[str, ...]]] = {}
    for p in phrases(file, key):
        out.setdefault(p[-1], []).append(p)
    return {k: tuple(v) for k, v in out.items()}


@lru_cache(maxsize=65536)
def ending_with(file: str, key: str, norm: str) -> tuple[tuple[str, ...], ...]:
    """The phrases of a list that can end at a token (looked up by its last word, with the
    token's clitic readings for a one-word phrase): no scan of the whole list."""
    index = _by_last_word(file, key)
    got = index.get(norm, ())
    for s in stems(norm)[1:]:
        got += tuple(p for p in index.get(s, ()) if len(p) == 1)
    return got


def match_before(at: ArabicText, i: int, phrase: tuple[str, ...], floor: int) -> int | None:
    """Start offset when ``phrase`` ends at token ``i`` (inclusive), else None."""
    first = i - len(phrase) + 1
    if first < 0 or at.starts[first] < floor:
        return None
    norms = at.norms  # the first word may carry clitics; the others are as written
    if norms[first] != phrase[0] and phrase[0] not in stems(norms[first]):
        return None
    if len(phrase) > 1 and tuple(norms[first + 1 : i + 1]) != phrase[1:]:
        return None
    return at.starts[first]


@cache
def quoted_name() -> str:
    """The pattern (on folded text) of a name in quotation marks right after a network's,
    group's or outlet's word ("شبكة “دير الزور 24”", "مراسلي “حلب اليوم”"):
    ``quoted_name_after`` of places.yaml."""
    words = load_lang_yaml("ar", "places")["quoted_name_after"]
    heads = "|".join(sorted({re.escape(fold(str(w))) for w in words}))
    return rf"(?<![^\W\d_])[وبل]?(?:ال)?(?:{heads})\s+[\"“«][^\"“”«»\n]{{1,40}}[\"”»]"


@cache
def _quoted_name_end() -> re.Pattern[str]:
    return compile_rx(rf"(?:{quoted_name()})$")


def ends_quoted_name(at: ArabicText, end: int) -> bool:
    """Whether a quoted name ("شبكة “درعا 24”") closes right after ``end`` (its closing mark
    next): a number there is part of the name."""
    if at.text[end : end + 1] not in ('"', "”", "»"):
        return False
    return _quoted_name_end().search(fold(at.text[max(0, end - 60) : end + 1])) is not None
