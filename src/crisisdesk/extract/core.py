"""Turning one document into facts: the steps of ``extract_document`` and their order.

1. find numbers (numbers.py) and drop the ones that are not figures (filters.py);
2. per sentence, read each number's counted noun, qualifier and cue words, and
   link it to the figure it depends on (reading.py), then its unit, category
   and subject (categorise.py);
3. the document pass: places (placing.py), periods (dating.py), sources
   (attribution.py) and is_total (totals.py), each component reading the
   whole document's context, with the figure it leans on where the text
   leaves a field out.

Everything is computed from the document alone, so the function is pure and can
be mapped over partitions.
"""

from __future__ import annotations

import bisect
import re

from crisisdesk.extract.attribution import attribute
from crisisdesk.extract.backdating import date_back
from crisisdesk.extract.compiled import compile_rx
from crisisdesk.extract.date_context import context_for
from crisisdesk.extract.dating import date_figures
from crisisdesk.extract.draft import PART_LINKS, DocState, Draft
from crisisdesk.extract.event_dating import date_reported_tolls, date_single_event
from crisisdesk.extract.later_parts import mark_later_parts
from crisisdesk.extract.lead_tolls import date_lead_tolls, mark_lead_tolls
from crisisdesk.extract.named_next import name_attacked_settlement, name_unnamed_settlements
from crisisdesk.extract.numbers import NumberMention, find_numbers
from crisisdesk.extract.placing import assign_places
from crisisdesk.extract.reading import read_sentence
from crisisdesk.extract.since_adverb import date_since_adverb
from crisisdesk.extract.sources import document_context
from crisisdesk.extract.text import sentences
from crisisdesk.extract.totals import mark_totals
from crisisdesk.extract.undated_event import date_undated_event
from crisisdesk.language import all_arabic, has_arabic_script, paragraph_languages
from crisisdesk.model import Category, Document, Fact, FieldSpans, Qualifier, Unit

__all__ = ["Draft", "draft_document", "extract_document"]

# members by value: a dictionary look-up instead of an Enum call per fact
_UNITS: dict[str, Unit] = {u.value: u for u in Unit}
_CATEGORIES: dict[str, Category] = {c.value: c for c in Category}


def extract_document(doc: Document) -> list[Fact]:
    """Every figure stated in ``doc``, as facts (pure: depends on the document only)."""
    return [d for d in _facts(draft_document(doc), doc)]


def draft_document(doc: Document) -> list[Draft]:
    """All drafts of a document, the dropped ones included (for diagnosis).

    The language (by script) picks the reading steps: Arabic text goes through the
    Arabic tokeniser, numbers and phrase tables (arabic.py), English through the steps
    below; facts are built alike. A report that mixes the two is read paragraph by
    paragraph: each language's drafts are kept in its own paragraphs."""
    text = doc.text
    if not has_arabic_script(text):
        return _draft_english(doc)
    # imported here: an English run does not pay for the Arabic modules and their tables
    from crisisdesk.extract.arabic import draft_arabic

    if all_arabic(text):
        return draft_arabic(doc)
    parts = paragraph_languages(text)
    langs = {lang for _, _, lang in parts}
    if langs <= {"ar"}:
        return draft_arabic(doc)
    if "ar" not in langs:
        return _draft_english(doc)
    arabic = [(s, e) for s, e, lang in parts if lang == "ar"]

    def in_arabic(pos: int) -> bool:
        return any(s <= pos < e for s, e in arabic)

    mixed = [d for d in draft_arabic(doc) if in_arabic(d.m.start)]
    mixed += [d for d in _draft_english(doc) if not in_arabic(d.m.start)]
    mixed.sort(key=lambda d: d.m.start)
    return mixed


def _draft_english(doc: Document) -> list[Draft]:
    """The English reading steps and document pass."""
    text = doc.text
    mentions = find_numbers(text)
    if not mentions:
        return []
    sents = sentences(text)
    state = DocState(
        doc=doc,
        sents=sents,
        dates=context_for(text, doc.published, doc.title),
        sources=document_context(text, doc.publisher, doc.title),
    )
    starts = [s.start for s in sents]
    by_sentence: dict[int, list[NumberMention]] = {}
    out: list[Draft] = []
    for m in mentions:
        i = bisect.bisect_right(starts, m.start) - 1
        if i < 0 or m.start >= sents[i].end:
            continue
        by_sentence.setdefault(i, []).append(m)
    kept: list[Draft] = []
    for i in sorted(by_sentence):
        drafts = read_sentence(state, sents[i], by_sentence[i], kept)
        for d in drafts:
            if not d.dropped and _restated(text, d, kept):
                d.dropped = "the figure counted before, named again"
            d.cues = state.cues(i) if not d.dropped else []
        out.extend(drafts)
        kept.extend(d for d in drafts if not d.dropped)
    _finish(state, kept)
    return out


# "After killing the two volunteers and the five civilians, ...": a definite article before
# a figure counted earlier in the text names those people again
_DEFINITE = compile_rx(r"\b(?:the|these|those)\s+$", re.I)


def _restated(text: str, d: Draft, kept: list[Draft]) -> bool:
    if d.m.value is None or not _DEFINITE.search(text, max(0, d.qual_start - 8), d.qual_start):
        return False
    return any(  # ("the two White Helmets volunteers" ... "the two volunteers")
        k.m.value == d.m.value
        and k.category == d.category
        and bool(d.subject)
        and (k.subject.endswith(d.subject) or d.subject.endswith(k.subject))
        for k in kept
    )


def _finish(state: DocState, drafts: list[Draft]) -> None:
    """The document pass: each component fills its fields of every figure."""
    for d in drafts:
        if d.ante is not None and d.link in PART_LINKS:
            d.ante.has_parts = True
    assign_places(state, drafts)
    name_unnamed_settlements(state, drafts)
    name_attacked_settlement(state, drafts)
    date_figures(state, drafts)
    date_back(state, drafts)
    date_since_adverb(state, drafts)
    attribute(state, drafts)
    date_reported_tolls(state, drafts)
    mark_totals(state, drafts)
    mark_lead_tolls(drafts)
    date_lead_tolls(state, drafts)
    mark_later_parts(state, drafts)
    date_single_event(state, drafts)
    date_undated_event(state, drafts)
    _share_pairs(drafts)
    _share_accompanying(state.text, drafts)


_WITH = compile_rx(
    r"\s*,\s*with\s+(?:(?:more|fewer)\s+than\s+|over\s+|at\s+least\s+|some\s+|about\s+)?$"
)


def _share_accompanying(text: str, drafts: list[Draft]) -> None:
    """ "the death toll climbed from 558 to 569, with more than 1,800 others wounded": a
    figure brought in by ", with" after a toll is counted over the same time, a total too."""
    for x, d in zip(drafts, drafts[1:], strict=False):
        if d.dropped or x.dropped or x.sentence is not d.sentence:
            continue
        if d.period is not None and d.period != x.period:
            continue  # "..., with 12 wounded on Monday": a time of its own
        if x.is_total and _WITH.fullmatch(text, x.np_end, d.qual_start):
            d.period, d.is_total = x.period, True


def _share_pairs(drafts: list[Draft]) -> None:
    """A pair ("6,270 individuals (1,281 households)") is one figure told twice: its two
    facts share their period and is_total as they share quote, places and source. The
    period is the first's, else the one the second was given."""
    for d in drafts:
        a = d.ante
        if d.link != "pair" or a is None or d.dropped or a.dropped:
            continue
        if a.period is None:
            a.period = d.period
        else:
            d.period = a.period
        a.is_total = d.is_total = a.is_total or d.is_total


# --- building facts ----------------------------------------------------------


def _facts(drafts: list[Draft], doc: Document) -> list[Fact]:
    text = doc.text
    out: list[Fact] = []
    for d in drafts:
        if d.dropped or d.unit is None or d.category is None:
            continue
        q_start, q_end = _quote_bounds(text, d)
        period = d.period
        out.append(
            Fact(
                doc=doc.id,
                quote=text[q_start:q_end],
                quote_start=q_start,
                span=(d.m.start, d.m.end),
                value=d.m.value,
                value_high=d.m.value_high,
                value_text=d.m.value_text,
                qualifier=d.qualifier or Qualifier.EXACT,
                unit=_UNITS[d.unit],
                category=_CATEGORIES[d.category],
                subject=d.subject,
                places=d.places,
                date_start=period.date_start if period else None,
                date_end=period.date_end if period else None,
                source=d.source,
                is_total=d.is_total,
                confidence=d.confidence,
                field_spans=_field_spans(d),
            )
        )
    return out


def _quote_bounds(text: str, d: Draft) -> tuple[int, int]:
    """The clause around the figure, trimmed of spaces and dangling punctuation."""
    start, end = d.clause
    start = min(start, d.qual_start)
    end = max(end, d.np_end)
    while start < end and text[start] in " ,;:—–-\n\t\xa0•":
        start += 1
    while end > start and text[end - 1] in " ,;:—–-\n\t\xa0":
        end -= 1
    return start, end


def _field_spans(d: Draft) -> FieldSpans:
    """Where the figure's period, source and places were read (spans of the text)."""
    period = d.period
    period_span = (period.start, period.end) if period and period.end > period.start else None
    return FieldSpans(period=period_span, source=d.source_span, places=d.place_spans)
