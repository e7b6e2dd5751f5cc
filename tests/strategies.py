"""Hypothesis strategies for round trips: documents with facts that point into them.

``reports()`` builds a document whose text is made of the facts' quotes, so
every quote and span is true to the text, as extraction would make them.
Where a format cannot carry something, a parameter says so: ``located=True``
gives every fact a place with coordinates (GeoJSON holds only those).

Text limits every export shares, and why: names and optional strings are
trimmed and not blank (a CSV cell cannot tell "" from "missing"), place
names hold no ";" (the CSV list separator), and no NUL or CR characters.
"""

from __future__ import annotations

from datetime import date

from hypothesis import strategies as st

from crisisdesk.model import (
    Category,
    Document,
    Fact,
    Precision,
    Qualifier,
    ResolvedPlace,
    Unit,
)

_LETTERS = st.characters(
    categories=("L", "N", "P", "Zs"), exclude_characters=";\r\x00\u2028\u2029\x85"
)
# Quotes are verbatim text, so they may hold anything a report does, newlines included.
quote_text = st.text(alphabet=st.one_of(_LETTERS, st.sampled_from('\n",')), min_size=3, max_size=60)


def _trimmed(min_size: int = 1, max_size: int = 30) -> st.SearchStrategy[str]:
    return (
        st.text(alphabet=_LETTERS, min_size=min_size, max_size=max_size).map(str.strip).filter(bool)
    )


names = _trimmed(max_size=25)
optional_text = st.none() | _trimmed()
days = st.dates(min_value=date(2018, 1, 1), max_value=date(2024, 12, 31))


@st.composite
def periods(draw: st.DrawFn) -> tuple[date | None, date | None]:
    a, b = draw(st.none() | days), draw(st.none() | days)
    if a and b and a > b:
        a, b = b, a
    return a, b


@st.composite
def resolved_places(draw: st.DrawFn, name: str, located: bool) -> ResolvedPlace:
    has_coords = located or draw(st.booleans())
    return ResolvedPlace(
        name=name,
        place_id=draw(st.none() | st.from_regex(r"gn:[0-9]{3,7}", fullmatch=True)),
        canonical=draw(st.none() | names),
        kind=draw(st.none() | st.sampled_from(["town", "village", "adm2", "adm1"])),
        country=draw(st.none() | st.sampled_from(["SY", "TR", "IQ"])),
        admin1=draw(st.none() | names),
        admin1_code=draw(st.none() | st.from_regex(r"SY[0-9]{2}", fullmatch=True)),
        admin2=draw(st.none() | names),
        admin2_code=draw(st.none() | st.from_regex(r"SY[0-9]{4}", fullmatch=True)),
        lat=draw(st.floats(-89.9, 89.9)) if has_coords else None,
        lon=draw(st.floats(-179.9, 179.9)) if has_coords else None,
        precision=draw(st.sampled_from(list(Precision))),
        score=draw(st.floats(0, 1).map(lambda x: round(x, 3))),
        candidates=tuple(draw(st.lists(st.from_regex(r"gn:[0-9]{4}", fullmatch=True), max_size=2))),
    )


@st.composite
def facts(
    draw: st.DrawFn,
    doc: str | None = None,
    quote: str | None = None,
    quote_start: int = 0,
    located: bool = False,
) -> Fact:
    """One fact stated by ``quote`` at ``quote_start`` of document ``doc`` (drawn when
    not given; use ``reports()`` when the document's text must hold the quote)."""
    doc = doc or draw(st.from_regex(r"[0-9a-f]{16}", fullmatch=True))
    quote = quote if quote is not None else draw(quote_text)
    a = draw(st.integers(0, len(quote)))
    b = draw(st.integers(a, len(quote)))
    vague = draw(st.booleans())
    value = None if vague else draw(st.integers(0, 10_000_000))
    value_high = None if vague else draw(st.none() | st.integers(value or 0, 20_000_000))
    places = tuple(draw(st.lists(names, min_size=1 if located else 0, max_size=3)))
    resolved: tuple[ResolvedPlace, ...] = ()
    if located or (places and draw(st.booleans())):
        resolved = tuple(draw(resolved_places(n, located)) for n in places)
    start, end = draw(periods())
    return Fact(
        doc=doc,
        quote=quote,
        quote_start=quote_start,
        span=(quote_start + a, quote_start + b),
        value=value,
        value_high=value_high,
        value_text=draw(_trimmed(max_size=12))
        if vague
        else draw(st.none() | _trimmed(max_size=12)),
        qualifier=draw(st.sampled_from(list(Qualifier))),
        unit=draw(st.sampled_from(list(Unit))),
        category=draw(st.sampled_from(list(Category))),
        subject=draw(st.just("") | _trimmed(max_size=20)),
        places=places,
        date_start=start,
        date_end=end,
        source=draw(optional_text),
        is_total=draw(st.booleans()),
        confidence=draw(st.floats(0, 1).map(lambda x: round(x, 3))),
        resolved=resolved,
    )


@st.composite
def reports(
    draw: st.DrawFn, located: bool = False, max_facts: int = 4
) -> tuple[Document, tuple[Fact, ...]]:
    """A document and its facts; the text is the quotes joined, so spans are true."""
    quotes = draw(st.lists(quote_text, min_size=1, max_size=max_facts))
    text = ""
    starts = []
    for quote in quotes:
        text += "Report. " if not text else " Then: "
        starts.append(len(text))
        text += quote
    published = draw(st.none() | days)
    doc = Document.from_text(
        text + " End.",
        title=draw(optional_text),
        publisher=draw(optional_text),
        url=draw(
            st.none() | st.from_regex(r"https://example\.org/[a-z0-9/-]{1,20}", fullmatch=True)
        ),
        published=published,
    )
    found = tuple(
        draw(facts(doc.id, quote, start, located))
        for quote, start in zip(quotes, starts, strict=True)
    )
    return doc, found
