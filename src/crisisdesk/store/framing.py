"""Where an added figure's meaning is read, like an extracted one's: the words of its
period, source and places in the text (``FieldSpans``).

The analyst may name them: the period's words ("on 5 February"), and the source
and places as typed, each found nearest the figure's sentence (in it, else the
last mention before it). What the analyst leaves empty comes from the document's
frame as the extractor read it for the figures around: a report states a period,
a source and places once for the figures that follow (``extract.dating``), so a
figure of the same sentence shares its period, source and places, and one later
in the same paragraph shares its period, each with the words it was read from.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import Engine, select

from crisisdesk.errors import ValidationError
from crisisdesk.extract.text import sentences
from crisisdesk.model import FieldSpans
from crisisdesk.store import schema
from crisisdesk.store.records import field_spans

Span = tuple[int, int]


@dataclass(frozen=True, slots=True)
class Framed:
    """An added figure's fields with the spans they were read from, and the extracted
    figure whose frame it took (None: the analyst's own words only)."""

    fields: dict[str, Any]
    spans: FieldSpans
    framed_by: str | None


def sentence_around(text: str, start: int, end: int) -> tuple[int, int, int]:
    """The sentence holding ``[start, end)`` (the quote of an added figure) and its paragraph."""
    for s in sentences(text):
        if s.start <= start and end <= s.end:
            return s.start, s.end, s.paragraph
    left = max(text.rfind("\n", 0, start) + 1, 0)
    right = text.find("\n", end)
    return left, len(text) if right < 0 else right, -1


def near(text: str, words: str | None, q_start: int, q_end: int) -> Span | None:
    """``words`` in the quote, else their last mention before it."""
    if not words or not words.strip():
        return None
    words = words.strip()
    at = text.find(words, q_start, q_end)
    if at < 0:
        at = text.rfind(words, 0, q_start)
    return (at, at + len(words)) if at >= 0 else None


def frame_added(
    engine: Engine,
    text: str,
    doc_id: str,
    span: Span,
    fields: dict[str, Any],
    period_words: str | None = None,
) -> Framed:
    """The evidence of a figure added at ``span``: the analyst's words, then the frame."""
    q_start, q_end, paragraph = sentence_around(text, *span)
    period = near(text, period_words, q_start, q_end)
    if period_words and period is None:
        raise ValidationError(
            f"“{period_words.strip()[:60]}” is not in the text before the figure", where="period"
        )
    names = tuple(fields.get("places") or ())
    places = tuple(s for s in (near(text, n, q_start, q_end) for n in names) if s)
    source = near(text, fields.get("source"), q_start, q_end)
    spans = FieldSpans(period=period, source=source, places=places)
    out = dict(fields)
    neighbour = _neighbour(engine, text, doc_id, span, paragraph)
    if neighbour is None:
        return Framed(out, spans, None)
    fid, same_sentence, row, theirs = neighbour
    took = False
    typed = (fields.get("date_start"), fields.get("date_end"))
    mine = (row.date_start, row.date_end)
    if period is None and theirs.period and (typed == (None, None) or typed == mine):
        out["date_start"], out["date_end"] = mine
        spans, took = replace(spans, period=theirs.period), True
    if same_sentence and not fields.get("source") and row.source and theirs.source:
        out["source"] = row.source
        spans, took = replace(spans, source=theirs.source), True
    if same_sentence and not names and row.places and theirs.places:
        out["places"] = list(row.places if isinstance(row.places, list) else [])
        spans, took = replace(spans, places=theirs.places), True
    return Framed(out, spans, fid if took else None)


def _neighbour(
    engine: Engine, text: str, doc_id: str, span: Span, paragraph: int
) -> tuple[str, bool, Any, FieldSpans] | None:
    """The extracted figure framing ``span``: of its sentence (nearest), else the last
    before it in its paragraph; with its evidence."""
    f = schema.facts
    stmt = (
        select(f.c.id, f.c.span_start, f.c.span_end, f.c.date_start, f.c.date_end,
               f.c.source, f.c.places, f.c.evidence)
        .where(f.c.doc_id == doc_id, f.c.author.is_(None), f.c.evidence.is_not(None))
        .order_by(f.c.span_start)
    )  # fmt: skip
    with engine.connect() as conn:
        rows = conn.execute(stmt).all()
    q_start, q_end, _ = sentence_around(text, *span)
    same = [r for r in rows if q_start <= r.span_start and r.span_end <= q_end]
    if same:
        best = min(same, key=lambda r: abs(r.span_start - span[0]))
        return best.id, True, best, field_spans(best.evidence)
    before = [r for r in rows if r.span_end <= span[0]]
    for r in reversed(before):
        if sentence_around(text, r.span_start, r.span_end)[2] == paragraph >= 0:
            return r.id, False, r, field_spans(r.evidence)
        break
    return None
