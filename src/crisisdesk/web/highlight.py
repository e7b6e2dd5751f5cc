"""The document text as HTML with every extracted figure marked at its span.

Built by hand rather than by a template loop so that escaping is certain:
each plain segment of text goes through ``escape`` and only our own
``<mark>`` tags are written around the figures. Spans that overlap an
earlier one are left unmarked (the fact is still listed beside the text).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from markupsafe import Markup, escape

from crisisdesk.extract.qualifiers import written_before
from crisisdesk.language import paragraph_languages
from crisisdesk.model import Fact, StoredFact


def _label(sf: StoredFact) -> str:
    f = sf.fact
    value = f"{f.value:,}" if f.value is not None else (f.value_text or "?")
    if f.value_high is not None:
        value += f"–{f.value_high:,}"
    return f"{value} {f.unit} · {f.category} · {sf.status}"


def _paragraphs(text: str, marked: list[tuple[int, int]]) -> list[tuple[int, str]]:
    """(start, language) of each paragraph (``paragraph_languages``); the first starts at 0
    and a paragraph never starts inside a mark (the two are then one)."""
    out: list[tuple[int, str]] = []
    for start, _end, lang in paragraph_languages(text):
        if not out:
            out.append((0, lang))
        elif not any(s < start < e for s, e in marked):
            out.append((start, lang))
    return out or [(0, "und")]


def highlight(text: str, facts: Iterable[StoredFact], selected: str | None = None) -> Markup:
    """``text`` escaped, with ``<mark data-fact-id=...>`` around each fact's number.

    Each paragraph is a ``<div dir="auto" lang=...>`` so that an Arabic paragraph reads
    right to left and an English one left to right, in one document. The divs hold every
    character of the text, blank lines included, so offsets counted over the text
    nodes (the editor's evidence underlines) still index ``text``.
    """
    groups: dict[tuple[int, int], list[StoredFact]] = {}
    for sf in facts:
        start, end = sf.fact.span
        if 0 <= start < end <= len(text):
            groups.setdefault((start, end), []).append(sf)
    marks: list[tuple[int, int, str]] = []
    pos = 0
    for (start, end), group in sorted(groups.items()):
        if start < pos:  # overlaps a span already marked
            continue
        first = group[0]
        ids = " ".join(sf.id for sf in group)
        classes = ["fig", f"st-{first.status}"]
        if len(group) > 1:
            classes.append("multi")
        if selected and selected in ids.split():
            classes.append("selected")
        title = " | ".join(_label(sf) for sf in group)
        marks.append(
            (
                start,
                end,
                f'<mark class="{" ".join(classes)}" data-fact-id="{escape(first.id)}" '
                f'data-fact-ids="{escape(ids)}" title="{escape(title)}">'
                f'<a href="?fact={escape(first.id)}#editor">{escape(text[start:end])}</a></mark>',
            )
        )
        pos = end
    paragraphs = _paragraphs(text, [(s, e) for s, e, _ in marks])
    ends = [start for start, _ in paragraphs[1:]] + [len(text)]
    out: list[str] = []
    next_mark = 0
    for (p_start, lang), p_end in zip(paragraphs, ends, strict=True):
        lang_attr = f' lang="{escape(lang)}"' if lang != "und" else ""
        out.append(f'<div class="para" dir="auto"{lang_attr}>')
        pos = p_start
        while next_mark < len(marks) and marks[next_mark][0] < p_end:
            start, end, html = marks[next_mark]
            out.append(str(escape(text[pos:start])))
            out.append(html)
            pos = end
            next_mark += 1
        out.append(str(escape(text[pos:p_end])))
        out.append("</div>")
    return Markup("".join(out))


@dataclass(frozen=True, slots=True)
class ReadFrom:
    """Words of the document a fact's period, source or place was read from."""

    field: str  # period, source, place
    start: int
    end: int
    words: str


def read_from(text: str, fact: Fact) -> list[ReadFrom]:
    """Where the extractor read the fact's period, source and places, in text order
    (spans outside the text are skipped: the text never changes after ingest)."""
    spans = fact.field_spans
    found: list[tuple[str, tuple[int, int] | None]] = [
        ("period", spans.period),
        ("source", spans.source),
        *(("place", s) for s in spans.places),
    ]
    out = [
        ReadFrom(name, s[0], s[1], text[s[0] : s[1]])
        for name, s in found
        if s is not None and 0 <= s[0] < s[1] <= len(text)
    ]
    return sorted(out, key=lambda r: r.start)


QUALIFIER_WORDS = {"exact": "", "at_least": "at least", "at_most": "at most", "approx": "about"}


@dataclass(frozen=True, slots=True)
class Written:
    """A figure as the text writes it ("more than" + "130"), and as recorded."""

    qualifier: str  # the text's own words, else the recorded qualifier in words
    number: str
    recorded: str  # "at least 130 people killed"
    own_words: bool  # the qualifier is the text's own


def as_written(text: str, fact: Fact) -> Written:
    """The qualifier and number of ``fact`` as its document writes them."""
    start, end = fact.span
    ok = 0 <= start < end <= len(text)
    floor = fact.quote_start if fact.quote_start is not None and fact.quote_start <= start else 0
    own = written_before(text, start, fact.qualifier, floor) if ok else ""
    number = text[start:end] if ok else ""
    value = f"{fact.value:,}" if fact.value is not None else (fact.value_text or "?")
    if fact.value_high is not None:
        value += f"–{fact.value_high:,}"
    said = QUALIFIER_WORDS.get(str(fact.qualifier), "")
    what = f"{fact.unit} {str(fact.category).replace('_', ' ')}"
    recorded = " ".join(p for p in (said, value, what) if p)
    return Written(own or said, number or value, recorded, bool(own))
