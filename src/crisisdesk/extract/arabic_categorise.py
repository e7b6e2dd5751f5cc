"""The category, unit and subject of an Arabic figure: from its counted noun, the cue
words around it and the figure it leans on; and the qualifier a list of figures
shares ("نحو 10 قتلى و20 جريحاً").
"""

from __future__ import annotations

import re
from functools import cache

from crisisdesk.extract.arabic_camps import lives_in_camps
from crisisdesk.extract.arabic_lexicon import (
    ArNoun,
    cue_at,
    cue_of,
    dual_of,
    noun_of,
    phrases,
    tables,
)
from crisisdesk.extract.arabic_text import CLAUSE, ArabicText, ending_with, match_before
from crisisdesk.extract.compiled import compile_rx
from crisisdesk.extract.draft import PART_LINKS, Draft
from crisisdesk.extract.tokens import fold, stems
from crisisdesk.vocab import load_lang_yaml

HARMS = frozenset({"killed", "injured", "fighters_killed"})
_DIGIT_OR_WORD_NUM = compile_rx(r"[0-9\u0660-\u0669\u06f0-\u06f9]")
# what a verb of harm before a people noun does not turn into its dead or wounded: the
# missing and detained are counted apart ("306 جريحاً بالإضافة إلى 17 مفقوداً")
NOT_HARMED = frozenset({"killed", "injured", "missing", "detained"})


def categorise(at: ArabicText, d: Draft) -> None:
    head, j = at.heads.get(id(d), (None, 0))
    t = tables()
    category = head.category if head else None
    unit = head.unit if head else None
    subject = head.subject if head else ""
    overridden = False
    if head is not None and j < len(at.tokens):
        nxt = [at.tokens[k].norm for k in range(j, min(j + 2, len(at.tokens)))]
        for nouns, after, over in t.overrides:
            if id(head) in nouns and any(s in after for n in nxt for s in stems(n)[:3]):
                category, overridden = over, True
        mod = next((t.modifiers[n] for n in nxt[:1] if n in t.modifiers), None)
        if mod:
            subject = mod
    near = _verb_after(at, d) or _cue_near_before(at, d, subject == "victims")
    if unit in (None, "people") and (_combined(at, d, j) or _paired_harms(at, d, head, j)):
        d.unit, d.category, d.subject = "people", "other", "casualties"  # killed and injured
        return
    if unit == "people" and near in ("killed", "injured") and category not in NOT_HARMED:
        category = near  # "استشهاد مئات النازحين": displaced people killed
    if unit == "people" and near == "returned" and category == "displaced":
        category = near  # "عودة نحو 13700 نازح": displaced people who went home
    if unit in ("people", "families") and near == "aid_delivered" and category in (None, "other"):
        category = "aid_delivered"  # "قدم مساعدات غذائية لأكثر من مليون شخص": people reached
    if unit == "people" and category is None and near is None and _rescued(at, d):
        category, subject = "other", RESCUED  # "من إنقاذ 178 مدنياً": lives saved, no harm
    if unit in ("facilities", "items") and near == "aid_delivered" and not overridden:
        category = "aid_delivered"  # "إقامة ثلاثة مستشفيات ميدانية": set up, not damaged
    if unit == "other" and near is None and _subjected(at, d):
        near = "attacks"  # "وتعرضت 14 منطقة لقصف": areas targeted
    if unit == "other" and near == "attacks" and not overridden:
        category = "attacks"  # "الغارات التي استهدفت خمس قرى": villages targeted
    if unit == "facilities" and near == "other" and not overridden:
        category = "other"  # "موزعين على 86 قرية وبينها 21 مخيماً": sites, not damage
    ante = d.ante
    if d.link in PART_LINKS and ante is not None and ante.sentence is not d.sentence and near:
        category = category or near  # "انتشلت جثث الضحايا، بينهم طفلان": the victims'
    if ante is not None and ante.unit is not None and (d.link in PART_LINKS or head is None):
        if d.link == "elliptical" and category is None:
            category = near
        own_cue = d.link in PART_LINKS and ante.sentence is not d.sentence and near
        own_harm = category in HARMS and ante.category in HARMS  # "بينهم 10 شهداء"
        if (
            category is None
            or d.link in PART_LINKS
            and unit == ante.unit
            and not (overridden or own_harm)
        ):
            category = near if own_cue else ante.category
        if d.link == "elliptical" and unit is None and _harms_apart(near, ante.category):
            unit, subject = "people", subject or "people"  # "و8 مجازر، حيث قتلت في إدلب 56"
        unit = unit or ante.unit
        subject = subject or ante.subject
    if category is None and unit == "people" and _population(at, d):
        category, subject = "other", "population"  # "عدد سكانها البالغ 40 ألف نسمة"
    if category is None:
        category = _cue(at, d, t.people_categories if unit == "people" else None)
        if category is None and unit == "facilities":
            category = "facilities_damaged"
        if category == "facilities_damaged" and unit == "families":
            category = "other"  # "تضررت 300 عائلة": households affected, no building hit
        if unit is None and category in t.people_categories:
            unit, subject = "people", subject or "people"
        if category is None and unit in ("people", "families", "other"):
            category = "other"
    if head is None and d.link == "partitive" and unit == "people":
        category = _partitive_verb(at, d) or category  # "800 منهم عادوا": the part's own verb
    among = _counted_among(at, d) if unit == "people" else None
    if among == "detained" and category in HARMS:
        among = None  # "3 ضحايا بسبب التعذيب في مراكز الاحتجاز": killed where they were held
    category = among or category  # "لا يزالون في عداد المفقودين": what they are counted as
    if unit in ("people", "families") and category in (None, "other") and lives_in_camps(at, d):
        category = "displaced"  # "ويقيم في المخيمات مليونا شخص": the displaced by shelter
    fighter = head is not None and head.kind == "fighter"
    if fighter and category == "killed" and not _crew_after(at, d) and not _crew_toll(at, d):
        category = "fighters_killed"
    if unit is None or category is None:
        d.dropped = d.dropped or "no counted noun"
        return
    d.unit, d.category, d.subject = unit, category, subject or "people"


def _harms_apart(near: str | None, before: str | None) -> bool:
    """A bare number whose own verb harms people ("حيث قتلت في محافظة إدلب 56") after a
    figure of another kind (massacres, strikes): it counts people, not the kind before it."""
    return near in HARMS and before != near


def _counted_among(at: ArabicText, d: Draft) -> str | None:
    """The category a phrase of counting among after the figure in its clause gives ("لا
    يزالون في عداد المفقودين": still counted among the missing), whatever cue came first."""
    after = fold(at.text[d.np_end : d.clause[1]])
    return next((c for c, p in _among() if p.search(after)), None)


@cache
def _among() -> tuple[tuple[str, re.Pattern[str]], ...]:
    data = load_lang_yaml("ar", "categories")["counted_among"]
    return tuple(
        (str(c), compile_rx(r"(?<![^\W\d_])" + r"\s+".join(map(re.escape, fold(str(w)).split()))))
        for c, ws in data.items()
        for w in ws
    )


def _crew_after(at: ArabicText, d: Draft) -> bool:
    """Whether the counted noun is followed by the crews it belongs to (``crew_after``)."""
    j = at.after(d.np_end)
    norms = at.norms
    return any(
        tuple(norms[j : j + len(p)]) == p
        or (len(p) > 1 and j + len(p) <= len(norms) and _crew_tail(norms[j : j + len(p)], p))
        for p in phrases("categories", "crew_after")
    )


def _crew_toll(at: ArabicText, d: Draft) -> bool:
    """Whether the sentence states before the figure that it counts a toll of crews
    (``crew_toll_before``: "عدد ضحايا الدفاع المدني ... في إدلب 51 عنصرا"): rescuers."""
    return _crew_toll_rx().search(fold(at.text[d.sentence.start : d.m.start])) is not None


@cache
def _crew_toll_rx() -> re.Pattern[str]:
    words = load_lang_yaml("ar", "categories")["crew_toll_before"]
    alt = "|".join(sorted({r"\s+".join(map(re.escape, fold(str(w)).split())) for w in words}))
    return compile_rx(rf"(?<![^\W\d_])(?:{alt})(?![^\W\d_])")


def _crew_tail(words: list[str], phrase: tuple[str, ...]) -> bool:
    """The phrase with its last word carrying clitics ("من طواقمها" as written)."""
    return tuple(words[:-1]) == phrase[:-1] and phrase[-1] in stems(words[-1])


def _combined(at: ArabicText, d: Draft, j: int) -> bool:
    """ "20 شخصاً بين قتيل وجريح", "مقتل وإصابة 14": the dead and the wounded together."""
    i = at.after(d.qual_start) - 1
    for p in ending_with("categories", "combined_before", at.norms[i]) if i >= 0 else ():
        start = match_before(at, i, p, d.sentence.start)
        if start is not None and not (p[0] in _HARM_VERBS and _has_subject(at, i - len(p))):
            return True
    k = at.after(d.np_end)
    readings = stems(at.norms[k]) if k < len(at.norms) else ()
    for p in phrases("categories", "combined_after"):
        if p[0] not in readings:
            continue  # its first word is not the token's: ``match_before`` says None
        end = k + len(p) - 1
        if end < len(at.tokens) and match_before(at, end, p, d.np_end) is not None:
            return True
    return False


@cache
def _second_harms() -> dict[str, frozenset[str]]:
    data = load_lang_yaml("ar", "categories")["combined_second"]
    return {k: frozenset(fold(str(w)) for w in v) for k, v in data.items()}


_HARM_VERBS = frozenset(fold(w) for w in ("قتل", "استشهد", "قتلوا", "استشهدوا"))


def _has_subject(at: ArabicText, k: int) -> bool:
    """The verb pair after token ``k`` has its own subject right before it ("رجلين قتلا
    وأصيب 9"): the first verb's dead are those, the figure after is the wounded only."""
    if k < 0 or _PUNCT_RUN.search(at.text, at.tokens[k].end, at.tokens[k + 1].start):
        return False
    norm = at.norms[k]
    return noun_of(norm) is not None or dual_of(norm) is not None or norm.isdigit()


_PUNCT_RUN = compile_rx(r"[.،,؛;:]")


def _paired_harms(at: ArabicText, d: Draft, head: ArNoun | None, j: int) -> bool:
    """ "مئة قتيل ومصاب", "40 قتيلاً وجريحاً": a noun of the dead right after the number,
    joined by "و" to a noun of the wounded (or the other way round), counts both together
    ("إلى 2350، والجرحى إلى 10906" is two tolls)."""
    second = _second_harms().get(head.category or "") if head is not None else None
    if not second or not 0 < j < len(at.tokens) or at.tokens[j - 1].start < d.m.end:
        return False
    if _PUNCT_RUN.search(at.text, at.tokens[j - 1].end, at.tokens[j].start):
        return False  # "2494 شهيدا، والمصابين إلى 18135": a comma, two tolls
    token = at.tokens[j].norm
    return token.startswith("و") and not second.isdisjoint(stems(token))


RESCUED = "people rescued"


def _rescued(at: ArabicText, d: Draft) -> bool:
    """A word of rescue among the three words before the number ("تمكنت الفرق من إنقاذ 178")."""
    words = _words("rescue_cues")
    return any(at.norms[k] in words for k in _before_number(at, d, 3))


def _before_number(at: ArabicText, d: Draft, reach: int) -> range:
    """The tokens of the ``reach`` words before the figure's number within its sentence,
    nearest first."""
    first = at.after(d.sentence.start)
    i = at.after(d.m.start) - 1
    return range(i, max(first, i - reach) - 1, -1)


def _population(at: ArabicText, d: Draft) -> bool:
    """The figure is the size of a population ("وعدد سكانها البالغ 90 ألف نسمة"): a
    ``size_before`` word right before the number and an ``inhabitants`` word among the four
    words before that."""
    k = at.after(d.m.start)
    first = at.after(d.sentence.start)
    for n in (2, 1):
        if k - n < first or " ".join(at.norms[k - n : k]) not in _words("size_before"):
            continue
        return any(
            at.norms[i] in _words("inhabitants") for i in range(max(first, k - n - 4), k - n)
        )
    return False


def size_of_a_share(at: ArabicText, d: Draft) -> bool:
    """The figure is the size of a group a percentage before it is taken of ("70% من العائلات
    المقيمة والبالغ عددها 900 ألف عائلة، بحاجة"): ``group_size_before`` right before the
    number and a ``share_marks`` word earlier in its sentence."""
    k = at.after(d.m.start)
    before = " ".join(at.norms[max(0, k - 2) : k])
    if before not in _words("group_size_before"):
        return False
    lead = fold(at.text[d.sentence.start : d.m.start])
    return any(m in lead for m in _words("share_marks"))


@cache
def _words(key: str) -> frozenset[str]:
    """A list of words of data/vocab/ar/categories.yaml, folded, read once."""
    return frozenset(fold(str(w)) for w in load_lang_yaml("ar", "categories")[key])


def _cue_near_before(at: ArabicText, d: Draft, victims: bool = False) -> str | None:
    """A cue among the four words before the number (after the figure before it); of
    victims not split (``victims``), a fall ("سقوط مئات الضحايا") says no death."""
    for k in _before_number(at, d, 4):
        c = cue_at(at.norms, k)
        if c and victims and not _words("fall_words").isdisjoint(stems(at.norms[k])):
            return None
        if c:
            return c
    return None


def _verb_after(at: ArabicText, d: Draft) -> str | None:
    """The category of a verb written right after the counted noun, or after the number
    with none ("سبعة مدنيين قتلوا وعشرة أصيبوا"): the figure's own verb."""
    k = at.after(d.np_end)
    if k >= len(at.tokens) or at.text[d.np_end : at.tokens[k].start].strip():
        return None
    return cue_at(at.norms, k) if at.norms[k] in _words("verbs_after") else None


def _partitive_verb(at: ArabicText, d: Draft) -> str | None:
    """The verb right after "منهم"/"منهن" of a part with no noun ("أكثر من 800 منهم عادوا
    إلى منازلهم", "300 منهم قتلوا"): what happened to that part, not to the whole."""
    k = at.after(d.np_end)
    partitive = {p[0] for p in phrases("links", "partitive_after")}
    if k + 1 >= len(at.tokens) or at.norms[k] not in partitive:
        return None
    if (
        at.text[d.np_end : at.tokens[k].start].strip()
        or at.text[at.tokens[k].end : at.tokens[k + 1].start].strip()
    ):
        return None
    return cue_at(at.norms, k + 1) if at.norms[k + 1] in _words("verbs_after") else None


def _subjected(at: ArabicText, d: Draft) -> bool:
    """A word of being subjected to something among the four words before the number
    ("وتعرضت أمس الأحد، 14 منطقة لقصف")."""
    words = _words("subjected_words")
    return any(at.norms[k] in words for k in _before_number(at, d, 4))


def _without_share(at: ArabicText, after: list[int]) -> list[int]:
    """The tokens ``after`` a figure without a share named of it ("3 ملايين شخص نحو نصفهم من
    النازحين"): a cue in the share tells what the share is. After the share's closing comma
    only the figure's own verb counts again ("800 ألف، أغلبهم من النساء والأطفال، نزحوا",
    "800 ألف سوري أغلبهم نساء وأطفال، فرّوا"); other words there are the scene ("، وسط موجة
    نزوح")."""
    toks, text = at.tokens, at.text
    out: list[int] = []
    share = closed = False
    for k in after:
        comma = k > 0 and _COMMA.search(text, toks[k - 1].end, toks[k].start) is not None
        closed = closed or share and comma
        if toks[k].norm in _words("share_words"):
            share = True
        if not share:
            out.append(k)
        elif closed:
            if toks[k].norm in _words("verbs_after"):
                out.append(k)
            break
    return out


_COMMA = compile_rx(r"[،,]")


def _cue(at: ArabicText, d: Draft, want: frozenset[str] | None = None) -> str | None:
    """The nearest cue word: just before the number, after its noun in the same clause
    (up to the next number), anywhere before it in the sentence, then after; ``want``: the
    categories it may give ("حصيلة قتلى الغارات التي شنتها ... إلى 20 مدنيا": no attack)."""
    toks, s = at.tokens, d.sentence
    first = at.after(s.start)
    i = at.after(d.m.start) - 1
    j = at.after(d.np_end)
    nxt_num = _DIGIT_OR_WORD_NUM.search(at.text, d.np_end, d.clause[1])
    stop = nxt_num.start() if nxt_num else d.clause[1]
    after = [k for k in range(j, len(toks)) if toks[k].start < s.end]
    after = _without_share(at, after)  # "3 ملايين نصفهم من النازحين"
    if size_of_a_share(at, d):
        after = []  # "40% من السكان البالغ عددهم 3 ملايين في حاجة": the share's need
    order = [
        *range(i, max(first, i - 4) - 1, -1),
        *(k for k in after if toks[k].start < stop),
        *range(i - 4, first - 1, -1),
        *after,
    ]
    cues = (cue_at(at.norms, k) for k in order)
    return next((c for c in cues if c and (want is None or c in want)), None)


_JOINED = compile_rx(r"\s*و\s*")


def share_qualifiers(at: ArabicText, live: list[Draft]) -> None:
    """A hedge in front of a pair covers both ("أكثر من 2137 عائلة بمجموع أفراد يصل إلى
    11 ألفاً و137 شخصاً"); a figure in its own clause or with its own verb, or a part,
    keeps its own, and a vague amount's approx is not a hedge."""
    text = at.text
    for k in range(1, len(live)):
        a, b = live[k - 1], live[k]
        if b.qualifier is not None or a.qualifier is None or a.sentence is not b.sentence:
            continue
        if b.link in PART_LINKS or a.link in PART_LINKS or a.m.is_vague:
            continue
        if CLAUSE.search(text, a.np_end, b.qual_start):
            continue
        gap = at.tokens[at.after(a.np_end) : at.after(b.qual_start)]
        if any(cue_of(t.norm) for t in gap):
            continue
        b.qualifier = a.qualifier
    for k in range(1, len(live)):
        a, b = live[k - 1], live[k]
        # "213 قتيلا و1009 مصابين على الأقل": a hedge after the second of a pair joined by
        # "و" alone covers the first too
        if a.qualifier is not None or b.qualifier is None or a.sentence is not b.sentence:
            continue
        if (
            b.qual_start != b.m.start
            or b.link in PART_LINKS
            or a.link in PART_LINKS
            or a.m.is_vague
        ):
            continue
        if b.m.is_vague or not _JOINED.fullmatch(text, a.np_end, b.qual_start):
            continue
        a.qualifier = b.qualifier
