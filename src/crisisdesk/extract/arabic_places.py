"""Place names in Arabic text, as written, and which figure each one is about.

Names come from the gazetteer's Arabic spellings (compared on the geo stage's name
keys, so hamza, ta marbuta and the article do not matter) and from the few names in
``data/vocab/ar/places.yaml`` it lacks. Around them: a generic word in front
("بلدة تلمنس") names a place even when the gazetteer does not know it, and is left
out of the name; a region word is kept whole with its directions ("ريف إدلب الجنوبي
والشرقي", "محافظة الأنبار", "قضاء صور"); a compass word is kept with its name ("شمال
غرب سوريا"). A proclitic is never part of a name ("بجبل الزاوية" -> "جبل الزاوية").
A figure takes the places of its part of the sentence, else of its sentence, else the
document's frame (the first places the text names); the geo stage resolves them.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import cache
from itertools import compress, count
from operator import not_

from crisisdesk.extract.arabic_place_words import (
    _ARABIC,
    _bare,
    _construct_tail,
    _counted,
    _credit,
    _destination_verb,
    _direction,
    _facility,
    _first_words,
    _inert,
    _joined_tail,
    _known_name,
    _left_out,
    _locator,
    _may_start,
    _names_with_places,
    _offset_after,
    _parties,
    _purpose,
    _relation_adjective,
    _seat_words,
    _second_target,
    _venue,
    _vocab_word,
    _words,
    event_told_before,
    ranked_next,
    same_event,
    spoke_from,
    theatre_names,
)
from crisisdesk.extract.arabic_reading import ArabicText
from crisisdesk.extract.compiled import compile_rx
from crisisdesk.extract.draft import Draft
from crisisdesk.extract.text import Sentence
from crisisdesk.extract.tokens import fold, stems
from crisisdesk.geo.normalise import key

__all__ = ["ArabicPlaces", "PlaceHit"]

_TANWEEN = compile_rx("[\u064b-\u064d]")
_ON_NAME = compile_rx(r"\s+\u0628[\u064b-\u0652]?")  # " ب" right after a name: "...بالسودان"
_PUNCT = compile_rx(r"[.،,؛;:]")
_DIGIT = compile_rx(r"[0-9\u0660-\u0669\u06f0-\u06f9]")
_QUOTES = " \"'“”«»‘’"


# where a sentence turns to another event: "، و", "فيما", "بينما", "في حين", "كما"
# "[،,]\s*(?=و)|(?<![^\W\d_])(?:فيما|بينما|في حين|كما)(?![^\W\d_])|[؛;]" written to open
# with one character class (each branch checks by a look-behind which character it took),
# so that the engine scans to those characters instead of trying every branch everywhere
# (and after a comma, a word of ``ranked_next`` opening an item with a number of its own:
# "تصدرت محافظة درعا بـ 31، تلتها محافظة دير الزور بـ 22": the next item of a ranking; not
# "تركزت في مأرب، تلتها تعز ثم الحديدة", the places of one figure)
_LEADS_FIGURE = 25  # characters from a place to the figure it opens ("في محافظة إدلب 56")
_CLAUSE_END = re.compile(r"[،,.:؛;]")


@cache
def _piece() -> re.Pattern[str]:
    nxt = "|".join(map(re.escape, ranked_next()))
    return compile_rx(
        rf"[،,؛;فبك](?:(?<=[،,])\s*(?=و|(?:{nxt})(?![^\W\d_])[^،,.؛;]*\d)|(?<=[؛;])"
        r"|(?<![^\W\d_].)(?:(?<=ف)(?:يما|ي حين)|(?<=ب)ينما|(?<=ك)ما)(?![^\W\d_]))"
    )


@dataclass(frozen=True, slots=True)
class PlaceHit:
    start: int  # into the original text
    end: int
    destination: bool = False
    name: str | None = None  # the name it stands for, when written as "العاصمة الليبية"


_OPEN_QUOTE = re.compile(r'["“«]')
_CLOSE_QUOTE = re.compile(r'["”»]')


class ArabicPlaces:
    """The places a document names, found once over its tokens."""

    def __init__(
        self,
        at: ArabicText,
        names: list[tuple[int, int]] | None = None,
        whole: list[tuple[int, int]] | None = None,
    ) -> None:
        """``names``: where organisations are named; ``whole``: those of them whose place after
        "في" is part of the name."""
        self.at = at
        self.hits: list[PlaceHit] = []
        self._piece_spans: dict[int, list[tuple[int, int]]] = {}
        # most tokens are inert (one cached look-up each, from C): only the others are
        # read, each past the name read before it
        k = 0
        for i in compress(count(), map(not_, map(_inert, at.norms))):
            if i >= k:
                k = self._read(i)
        self._common_items()
        # a place inside an organisation's name is part of the name, unless the name says
        # where ("وزارة الصحة في غزة"); an organisation's seat is none of its figures' places
        self.hits = [
            h
            for h in self.hits
            if not self._in_name(h, names or [], whole or [])
            and not self._seat(h)
            and not self._locates(h)
            and not self._credited(h)
            and not self._venue(h)
            and not self._spoke_from(h)
            and not self._named_facility(h)
            and not self._in_proper_name(h)
            and not _parties().search(fold(self.at.text[max(0, h.start - 60) : h.start]))
            and not _left_out().search(fold(self.at.text[max(0, h.start - 40) : h.start]))
        ]
        self.hits.sort(key=lambda h: h.start)
        self._starts = [h.start for h in self.hits]

    def _common_items(self) -> None:
        """ "صنعاء وصعدة والبيضاء": a word the vocabulary keeps from being read as a name on
        its own (``not_names``: البيضاء is also "the white") is a place when it is the third
        item of a list of two places joined by "و", the list telling which it is."""
        at, toks = self.at, self.at.tokens
        by_end = {h.end: h for h in self.hits if not h.destination}
        w = _words()
        for k in range(2, len(toks)):
            t = toks[k]
            if not t.norm.startswith("و") or key(t.norm[1:]) not in w.not_names:
                continue
            second = by_end.get(toks[k - 1].end)
            if second is None or at.text[toks[k - 1].end : t.start].strip():
                continue
            i = at.after(second.start)
            first = by_end.get(toks[i - 1].end) if i > 0 and toks[i].norm[:1] == "و" else None
            if first is not None and not at.text[first.end : toks[i].start].strip():
                hit = PlaceHit(_offset_after(at.text, t, 1), t.end)
                self.hits.append(hit)
                by_end[hit.end] = hit

    def _seat(self, h: PlaceHit) -> bool:
        """ "الذي يتخذ من لندن مقرا له": where an organisation sits."""
        before, after = _seat_words()
        text = self.at.text
        return bool(
            before.search(fold(text[max(0, h.start - 16) : h.start]))
            or after.match(fold(text[h.end : h.end + 12]))
        )

    def _locates(self, h: PlaceHit) -> bool:
        """ "(30 كم غرب إدلب)": the city a distance in brackets measures from, not where
        the figure is."""
        return bool(_locator().search(fold(self.at.text[max(0, h.start - 20) : h.start])))

    def _credited(self, h: PlaceHit) -> bool:
        """ "مراسل صدى الشام في إدلب", "ناشط إعلامي في ريف إدلب": where the one who tells
        the figures is, not where they happened."""
        return bool(_credit().search(fold(self.at.text[max(0, h.start - 40) : h.start])))

    def _venue(self, h: PlaceHit) -> bool:
        """ "في مؤتمر صحافي من السراي الحكومي، وسط بيروت": where the figures were told."""
        return bool(_venue().search(fold(self.at.text[max(0, h.start - 60) : h.start])))

    def _spoke_from(self, h: PlaceHit) -> bool:
        """ "وأوضحت رئيسة المكتب، من بورتسودان، أنه ...": where the speaker was, not where the
        figures are."""
        before, after = spoke_from()
        text = self.at.text
        return bool(
            before.search(fold(text[max(0, h.start - 8) : h.start]))
            and after.match(fold(text[h.end : h.end + 12]))
        )

    def _named_facility(self, h: PlaceHit) -> bool:
        """ "مصدر طبي في مستشفى الروضة", "مستشفى حلب الجامعي": a hospital's name, not where
        the figures are."""
        return bool(_facility().search(fold(self.at.text[max(0, h.start - 16) : h.start])))

    def _in_proper_name(self, h: PlaceHit) -> bool:
        """ "على يد قوات سوريا الديمقراطية", "شبكة “دير الزور 24”": a place written in the
        proper name of a force, network or outlet, not a place of the figures."""
        text = self.at.text
        before = fold(text[max(0, h.start - 32) : h.start])
        mid = fold(text[h.start : h.end])
        window = before + mid + fold(text[h.end : h.end + 40])
        return any(
            m.start() <= len(before) and len(before) + len(mid) <= m.end()
            for m in _names_with_places().finditer(window)
        )

    def _in_name(
        self, h: PlaceHit, names: list[tuple[int, int]], whole: list[tuple[int, int]]
    ) -> bool:
        """Inside an organisation's name ("منسقو استجابة سوريا"), or its country written on
        it with "ب" ("المنسقية العامة للنازحين واللاجئين بالسودان"); a name that says where
        with "في" or "ب" ("وزارة الصحة في غزة", "بغزة") keeps its place, unless that place is
        part of the name (``whole``: "منسقو الاستجابة في الشمال السوري")."""
        for a, b in names:
            if a <= h.start and h.end <= b:
                if (a, b) in whole:
                    return True
                return not re.search(r"(?<![^\W\d_])(?:في\s*|ب)$", self.at.text[a : h.start])
            if b <= h.start and _ON_NAME.fullmatch(self.at.text[b : h.start]):
                return True
        return False

    # --- finding names ---------------------------------------------------------------

    def _known(self, i: int, n: int, strict: bool) -> int:
        """Offset cut from token ``i`` when tokens i..i+n-1 are a known name, else -1."""
        norms = self.at.norms
        if i + n > len(norms):
            return -1
        return _known_name(norms[i], " ".join(norms[i + 1 : i + n]), n, strict)

    def _name_at(self, i: int, strict: bool) -> tuple[int, int] | None:
        """(cut, tokens) of the longest known name starting at token ``i``."""
        toks = self.at.tokens
        if i >= len(toks) or not any(_may_start(first) for _, first in _bare(toks[i].norm)):
            return None  # most words start no name: one cached look-up
        for n in (3, 2, 1):
            cut = self._known(i, n, strict)
            if cut >= 0:
                return cut, n
        return None

    def _add(self, i: int, cut_letters: int, j: int, lead: int | None = None) -> None:
        """A hit from token ``i`` (its proclitic cut off) to token ``j`` (exclusive);
        ``lead`` is the generic word before it, where a destination word would stand."""
        toks = self.at.tokens
        start = _offset_after(self.at.text, toks[i], cut_letters)
        w = _words()
        first = i if lead is None else lead
        prev = toks[first - 1].norm if first > 0 else ""
        dest = prev in w.destinations  # "إلى عفرين", "باتجاه مخيمات الحدود"
        for b in range(max(0, i - 7), i):  # "تم توزيعهم على 268 نقطة من بلدات ريف إدلب"
            if _destination_verb(toks[b].norm) and not _purpose(toks, b):
                dest = dest or not _PUNCT.search(self.at.text, toks[b].end, toks[i].start)
        self.hits.append(PlaceHit(start, toks[j - 1].end, dest))

    def _directions(self, j: int) -> int:
        """Past the direction adjectives after a region ("الجنوبي والجنوبي الشرقي")."""
        toks = self.at.tokens
        while j < len(toks) and _direction(toks[j].norm):
            if self.at.text[toks[j - 1].end : toks[j].start].strip():
                break
            j += 1
        return j

    def _read(self, k: int) -> int:
        toks = self.at.tokens
        w = _words()
        t = toks[k]
        for cut, s in _bare(t.norm):
            if s in w.region:
                j = k + 1
                if j < len(toks) and toks[j].norm in ("مدينه", "محافظه"):
                    j += 1
                if j < len(toks) and _PUNCT.search(self.at.text, toks[j - 1].end, toks[j].start):
                    continue  # "بالولاية، إبراهيم خاطر": the name after the comma is a person's
                if j < len(toks) and _DIGIT.search(self.at.text, toks[j - 1].end, toks[j].start):
                    continue  # "وتؤوي المحافظة 4 ملايين": a number, no name, follows
                got = self._name_at(j, strict=False)
                if got is None and j + 1 < len(toks) and toks[j].norm in w.compass:
                    more = self._name_at(j + 1, strict=False)  # "محافظة شمال قطاع غزة"
                    got = (0, 1 + more[1]) if more is not None and not more[0] else None
                plain = j < len(toks) and not self.at.text[toks[j - 1].end : toks[j].start].strip()
                longer = self._compound(j, 0, got) if plain else 0  # (a quoted name: as quoted)
                got = (0, longer) if longer else got  # "مديرية بني X": a compound name, as
                # after a generic word ("قرية تل X")
                if got is None and s in ("ريف", "ريفي"):
                    continue
                if got is None:
                    # 'منطقة "قماعل"': a name in quotes after a region word is one, known or not
                    quoted = self._quoted_after(k, j)
                    if (
                        not quoted
                        and j < len(toks)
                        and t.norm[:cut].endswith("ال")
                        and not _direction(toks[j].norm)
                    ):
                        continue  # "ضحايا المحافظة بلغ": the region spoken of, no name follows
                    if s == "منطقه" and not quoted:
                        continue  # "في المنطقة التي": no name follows
                    if j < len(toks) and toks[j].norm in w.not_after_generic:
                        continue  # "على المحافظة في وقت سابق": no name follows
                    if j < len(toks) and _relation_adjective(t, toks[j]):
                        continue  # "في 12 محافظة عراقية": an adjective, no name follows
                    n = 1 if j < len(toks) and _ARABIC.search(toks[j].norm) else 0
                    if not n or len(toks[j].norm) < 2:
                        continue  # "قصفت المحافظة بـ 10172 صاروخاً": a proclitic on the number
                    if j == k + 1 and _direction(toks[j].norm) and t.norm[:cut].endswith("ال"):
                        cut -= 2  # "الغوطة الشرقية": the region itself is the name, article kept
                    end = j + max(1, quoted)
                    if quoted:  # the name as written in its quotes, without "منطقة"
                        self._add(j, 0, end, lead=k)
                        return end
                else:
                    end = j + got[1]
                while s == "ريفي" and end < len(toks) and toks[end].norm.startswith("و"):
                    more = self._name_at(end, strict=False)
                    if more is None:
                        break
                    end += more[1]
                end = self._directions(end)
                self._add(k, cut, end)
                return end
            if s in w.compass and toks[min(k + 1, len(toks) - 1)].norm not in w.generic:
                j = k + 1  # ("جنوب مدينة عين العرب": the generic word reads the name)
                if j < len(toks) and any(x in w.compass for _, x in _bare(toks[j].norm)[:1]):
                    j += 1
                got = self._name_at(j, strict=False)
                if got is not None:
                    self._add(k, cut, j + got[1])
                    return j + got[1]
            if s in w.generic:
                if t.norm[:cut].endswith("ال"):
                    return k + 1  # "المخيمات القريبة": the camps spoken of, no name follows
                return self._generic(k, s in w.lists)
        for n in (2, 3) if t.norm in _first_words()[2] else ():
            written = " ".join(x.norm for x in toks[k : k + n])
            if written in w.anaphora:
                end = toks[k + n - 1].end
                self.hits.append(PlaceHit(t.start, end, False, w.anaphora[written]))
                return k + n
        got = self._name_at(k, strict=True)
        word = self._adjective(k) or self._after_title(k) or self._nisba(k)
        if got is not None and not word:
            cut, n = got
            self._add(k, cut, self._directions(k + n))
            return k + n
        return k + 1

    def _quoted_after(self, k: int, j: int) -> int:
        """How many words stand in quotes right after token ``k`` from token ``j`` ('منطقة
        "بني معالي"'), 0 when no quote opens between them or none closes within three words."""
        toks, text = self.at.tokens, self.at.text
        if j >= len(toks) or not _OPEN_QUOTE.fullmatch(text[toks[k].end : toks[j].start].strip()):
            return 0
        for n in range(1, 4):
            if j + n > len(toks):
                break
            after = text[toks[j + n - 1].end : toks[j + n].start if j + n < len(toks) else None]
            if _CLOSE_QUOTE.match(after.strip()):
                return n
        return 0

    def _nisba(self, k: int) -> bool:
        """A country's name that is also its feminine adjective ("طائرات حربية سورية": Syrian
        aircraft) right after an indefinite word that is no preposition, compass, region or
        place word: the adjective, not the country ("في سورية", "شمال غرب سورية" stay)."""
        toks, w = self.at.tokens, _words()
        if k == 0 or toks[k].norm not in w.adjective_names:
            return False
        prev = toks[k - 1].norm
        return not (
            prev.startswith(("ال", "وال", "بال", "لل"))
            or prev in w.not_after_generic
            or prev[:1].isdigit()
            or any(x in w.compass or x in w.region or x in w.generic for _, x in _bare(prev))
        )

    def _after_title(self, k: int) -> bool:
        """A name right after a person's title is the person's ("مقتل الطبيب عمران إسماعيل":
        Omran the doctor, not the town of Amran); right after a verb with its object on it
        ("غارات شنتها إسرائيل", "قتلتهم إسرائيل") it is the verb's subject, the attacker."""
        w = _words()
        return k > 0 and any(
            s in w.person_titles or s in w.actor_verbs for _, s in _bare(self.at.tokens[k - 1].norm)
        )

    def _adjective(self, k: int) -> bool:
        """An indefinite adjective agreeing with the noun before it ("قصفاً جوياً", "قصفا
        جويا": an air bombardment), not the village of that name: a name takes no tanween,
        and an unmarked "-يا" after an indefinite accusative noun is its adjective."""
        toks = self.at.tokens
        t = toks[k]
        if _TANWEEN.search(self.at.text, t.start, t.end):
            return True
        prev = toks[k - 1].norm if k > 0 else ""
        return (
            t.norm.endswith("يا")
            and len(t.norm) >= 4
            and len(prev) >= 3
            and prev.endswith("ا")
            and not prev.startswith("ال")
        )

    def _generic(self, k: int, listing: bool) -> int:
        """ "بلدة تلمنس", "قرية بجغاص", "بلدتي كفرنوران وكفرتعال", "مدينة إدلب ومعرة مصرين"."""
        toks = self.at.tokens
        j = k + 1
        if j >= len(toks) or self.at.text[toks[k].end : toks[j].start].strip(_QUOTES + "("):
            return j  # (a name may stand in quotes or brackets: 'مخيم "زمزم"', "بلدة (عرب سعيد)")
        if any(x in _words().generic for _, x in _bare(toks[j].norm)):
            return j  # "بلدات ومدن ريف إدلب": the next word opens the name
        if any(x in _words().region or x in _words().compass for _, x in _bare(toks[j].norm)):
            return j  # "قرى وبلدات ريف إدلب الجنوبي": a region opens there, read whole
        if len(toks[j].norm) < 2:
            return j  # "قصفت المحافظة بـ 10172 صاروخاً": a proclitic on the number
        got = self._name_at(j, strict=False)
        longer = self._compound(j, 0, got)
        got = (0, longer) if longer else got
        if got is None:
            if _vocab_word(toks[j].norm) or toks[j].norm.endswith(("ها", "هم", "هن")):
                return j  # a counted noun, a cue or a word with a pronoun ("أهمها")
            if toks[j].norm in _words().not_after_generic or _relation_adjective(toks[k], toks[j]):
                return j  # "بلدة في قضاء صور", "حي سكني": no name follows
            if toks[j].norm.startswith("لل"):
                return j  # "تعرضت 6 بلدات للقصف": "for the"/"to the" opens no name
            if _counted(toks, k):
                return j  # "في ثلاث مدن وأسفرت": a counted noun, no unknown name after it
            got = (0, 1)  # a name the gazetteer does not know
            nxt = j + 1
            joined = nxt < len(toks) and not self.at.text[toks[j].end : toks[nxt].start].strip()
            if (
                joined
                and toks[j].norm in _words().name_heads
                and not _vocab_word(toks[nxt].norm)
                and _bare(toks[nxt].norm)[0][1] == toks[nxt].norm
                and (len(stems(toks[nxt].norm)) == 1 or toks[nxt].norm.startswith("ال"))
            ):
                got = (0, 2)  # "حي الشيخ مقصود", "حي وادي القاضي": a compound name
            elif joined and _construct_tail(toks, nxt) and not _vocab_word(toks[nxt].norm):
                got = (0, 2)  # "حي شعب الدباء": a name and the definite word it governs
        end = self._directions(j + got[1])
        self._add(j, got[0], end, lead=k)
        while end < len(toks) and toks[end].norm.startswith("و"):
            more = self._name_at(end, strict=not listing)
            bare = toks[end].norm[1:]
            w = _words()
            if (
                more is None
                and listing
                and not _vocab_word(bare)
                and bare not in w.generic
                and bare not in w.not_after_generic  # "..., ومن بين المرافق": no item
            ):
                more = (1, 1)
            longer = self._compound(end, 1, more) if listing else 0
            more = (1, longer) if longer else more
            if more is None or self.at.text[toks[end - 1].end : toks[end].start].strip(" ،,"):
                break
            nxt = self._directions(end + more[1])
            self._add(end, more[0], nxt, lead=k)  # "إلى بلدتي X وY": both are where people went
            end = nxt
        return end

    def _compound(self, j: int, cut: int, got: tuple[int, int] | None) -> int:
        """Tokens of a name of two or more words after a generic word, whatever the
        gazetteer holds of its first: a name head and the word it governs ("بلدة تل حمام",
        "وعين بعال", "بلدات كفر X"), or an unknown word before a known town's name ("بلدة حدث
        بعلبك", a village named after its city); 0 when it is none. ``cut`` is the
        proclitic the first token carries ("وعين"), ``got`` the known name read there."""
        toks = self.at.tokens
        nxt = j + 1
        if got is not None and got[1] > 1 or nxt >= len(toks) or not _joined_tail(self.at, nxt):
            return 0
        first = toks[j].norm[cut:]
        if first in _words().name_heads and (cut or _bare(toks[j].norm)[0][1] == first):
            return 2
        after = self._name_at(nxt, strict=True)
        unknown = got is None and not cut and _joined_tail(self.at, j, _QUOTES + "(")
        if unknown and after is not None and after[0] == 0:
            return 1 + after[1]
        return 0

    # --- which places a figure is about -----------------------------------------------

    def in_range(self, start: int, end: int) -> list[PlaceHit]:
        a = bisect.bisect_left(self._starts, start)
        b = bisect.bisect_left(self._starts, end)
        return [h for h in self.hits[a:b] if h.end <= end and not h.destination]

    def frame(self) -> list[PlaceHit]:
        """The document's frame: the places of the first sentence that states figures
        and names places, else of the lead paragraph."""
        lead: list[PlaceHit] = []
        second = next((s.paragraph for s in self.at.sents if s.paragraph > 0), 0)
        for s in self.at.sents:
            got = self.in_range(s.start, s.end)
            if got and self._figures_in(s):
                return got
            if self._figures_in(s) and lead:
                return lead  # the lead sets the places its first figures do not name
            # (a lead that names no place: the paragraph after it sets them)
            if s.paragraph <= second and got and not lead:
                # the clause that names them first ("... في سوريا في شباط، مشيرة إلى ...")
                cut = re.search(r"[،,]", self.at.text[got[0].end : s.end])
                lead = [h for h in got if cut is None or h.start < got[0].end + cut.start()]
        for s in self.at.sents:  # no figure with a place: the lead's places
            if s.paragraph > 0:
                break
            got = self.in_range(s.start, s.end)
            if got:
                return got
        return self._one_theatre()

    def _one_theatre(self) -> list[PlaceHit]:
        """With no place in the lead, the one country or theatre the text names further
        down ("... في كل أنحاء سوريا"), if it names only one: the setting of it all."""
        theatres = theatre_names()
        text = self.at.text
        hits = [
            h for h in self.hits if not h.destination and fold(text[h.start : h.end]) in theatres
        ]
        named = {theatres[fold(text[h.start : h.end])] for h in hits}
        return hits[:1] if len(named) == 1 else []

    def label(self, d: Draft) -> list[PlaceHit]:
        """A list item "• النبطية: 6 شهداء": its label before the colon is a place."""
        text = self.at.text
        s = d.sentence
        before = text[max(0, s.start - 3) : s.start]
        colon = text.find(":", s.start, d.m.start)
        if "•" not in before and "-" not in before.strip() or colon < 0:
            return []
        label = text[s.start : colon].strip()
        if not label or len(label.split()) > 4 or any(ch.isdigit() for ch in label):
            return []
        return [PlaceHit(s.start, s.start + len(text[s.start : colon].rstrip()))]

    def for_figure(self, d: Draft, frame: list[PlaceHit]) -> list[PlaceHit]:
        s = d.sentence
        label = self.label(d)
        if label:
            return label
        lo, hi = s.start, s.end
        for a, b in self._pieces(s):
            if a <= d.m.start:
                lo = b
            elif a >= d.m.end:  # "بينهم طفلان، و8": a comma right after the figure
                hi = a
                break
        lo, hi = self._own_item(d, lo, hi)
        own = self.in_range(lo, hi)
        if own:
            return own
        # the sentence's other parts, unless they hold figures of their own ("56 منهم في
        # إدلب، و59 في حلب", "حيث قتلت في محافظة إدلب 56": those places are the 56's and the 59's)
        rest = [h for h in self.in_range(s.start, s.end) if not self._anothers(h, d)]
        return rest or self._same_event(s) or frame

    def _anothers(self, h: PlaceHit, d: Draft) -> bool:
        """A place of a later figure of ``d``'s sentence: right after it ("و59 في حلب"), or
        right before it in its clause, opening that item ("... و8 مجازر، حيث قتلت في محافظة
        إدلب 56"). A place after or opening an earlier figure is the context ``d`` goes on in
        ("تعرضت 9 قرى في ريف حماة لقصف بـ 40 غارة، و12 برميلاً": the 12 are in it too)."""
        text = self.at.text
        for a, b in self._figure_spans.get(id(d.sentence), ()):
            if h.start > b and h.start - b < 40 and a > d.m.start:
                return True
            opens = h.end <= a and a - h.end < _LEADS_FIGURE
            if opens and a > d.m.start and not _CLAUSE_END.search(text, h.end, a):
                return True
        return False

    def _same_event(self, s: Sentence) -> list[PlaceHit]:
        """ "وأشارت المصادر إلى إصابة 17 آخرين في القصف ذاته": the places of the sentence
        before that named the event, not the document's frame."""
        if s.index == 0:
            return []
        folded = fold(self.at.text[s.start : s.end])
        prev = self.at.sents[s.index - 1]
        if same_event().search(folded):
            return self.in_range(prev.start, prev.end)
        # "بأن القصف أدى إلى مقتل 4" after a sentence that tells where it struck, counting nothing
        if not self._figures_in(prev) and event_told_before().search(folded):
            return self.in_range(prev.start, prev.end)
        return []

    def _own_item(self, d: Draft, lo: int, hi: int) -> tuple[int, int]:
        """The figure's item in a list of figures each with its own place ("استشهد 10 في
        بلدة X و6 في بلدة Y", "بينهم 10 بغارات في Y، ... بالإضافة لـ 6 في بلدة Z"): the piece
        ``lo``..``hi`` cut where the next such item opens and where the figure's own opens,
        so a place of the item next to it does not bleed in. An item with no place of its
        own ("5 مدنيين و3 أطفال في X") cuts nothing: the places after it are shared."""
        for a, b in self._figure_spans.get(id(d.sentence), ()):
            if a <= d.m.end or b >= hi:
                continue
            opens = self._item_start(a)
            if opens is not None and self.in_range(d.m.end, opens) and self.in_range(b, hi):
                hi = opens
                break
        opens = self._item_start(d.m.start)
        if opens is not None and lo < opens and self.in_range(lo, opens):
            lo = opens if self.in_range(d.m.end, hi) else lo
        return lo, hi

    def _item_start(self, pos: int) -> int | None:
        """Where a list item opens before the number at ``pos``: a "و" written on it
        ("و6"), or a word of ``list_item_before`` right before it or before the cue word
        and noun written before it ("إضافة إلى مقتل مدنيين اثنين"); None if neither."""
        text = self.at.text
        if pos > 0 and text[pos - 1] == "و" and (pos < 2 or not text[pos - 2].isalpha()):
            return pos - 1
        toks = self.at.tokens
        i = bisect.bisect_left(self.at.starts, pos) - 1
        for _ in range(2):
            if i > 0 and _vocab_word(toks[i].norm) and not text[toks[i].end : pos].strip():
                pos, i = toks[i].start, i - 1
        for phrase in _words().list_items:
            first = i - len(phrase) + 1
            if first < 0 or text[toks[i].end : pos].strip(" ـ"):
                continue
            if tuple(t.norm for t in toks[first : i + 1]) == phrase:
                return toks[first].start
        return None

    def _pieces(self, s: Sentence) -> list[tuple[int, int]]:
        """Where the sentence turns to another event (``_piece``), read once for all its
        figures."""
        got = self._piece_spans.get(s.index)
        if got is None:
            found = _piece().finditer(self.at.text, s.start, s.end)
            spans = [m.span() for m in found]
            got = self._piece_spans[s.index] = [p for p in spans if not self._places_go_on(*p)]
        return got

    def _places_go_on(self, a: int, b: int) -> bool:
        """ "صنعاء، ومحافظتي صعدة والبيضاء": a comma and "و" between a place and the next
        one, nothing but a generic or region word between them, carry on a list of places,
        not a new event."""
        text = self.at.text
        i = bisect.bisect_left(self._starts, b)
        if i == 0 or i >= len(self.hits) or text[self.hits[i - 1].end : a].strip():
            return False
        if self.hits[i - 1].destination or self.hits[i].destination:
            return False
        between = text[b : self.hits[i].start].strip().removeprefix("و").split()
        w = _words()
        lead = w.generic | w.region | w.compass
        if len(between) <= 1 and all(fold(x) in lead for x in between):
            return True
        return _second_target(between, lead)

    def _figures_in(self, s: object) -> list[int]:
        return self._figure_starts.get(id(s), [])

    def note_figures(self, drafts: list[Draft]) -> None:
        """Where the figures are, so a sentence's places can be told apart by figure."""
        self._figure_starts: dict[int, list[int]] = {}
        self._figure_spans: dict[int, list[tuple[int, int]]] = {}
        for d in drafts:
            self._figure_starts.setdefault(id(d.sentence), []).append(d.m.end)
            self._figure_spans.setdefault(id(d.sentence), []).append((d.m.start, d.m.end))
