"""A small Arabic report written by us (tests/fixtures/arabic/sarmin.txt) and its facts.

The document goes through the real text reader (front matter, decoding, language); the facts
are placed by hand at the exact characters of each number, as extraction would place them, so
the display and export tests do not depend on the Arabic extraction rules. Shared by the
report, web and export tests (tests/ is on sys.path through the root conftest).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from crisisdesk.ingest.text import read_text_bytes
from crisisdesk.model import Category, Document, Fact, Precision, Qualifier, ResolvedPlace, Unit
from crisisdesk.store import Store

FIXTURE = Path(__file__).parent / "fixtures" / "arabic" / "sarmin.txt"

SARMIN = ResolvedPlace(
    name="سرمين",
    place_id="test:sarmin",
    canonical="Sarmin",
    kind="town",
    country="SY",
    admin1="Idlib",
    admin1_code="SY07",
    admin2="Idlib",
    admin2_code="SY0700",
    lat=35.9048,
    lon=36.7262,
    precision=Precision.POINT,
    score=0.95,
)

# (number as written, clause around it, category, unit, subject, qualifier)
FACTS = (
    ("12", "12 مدنياً قُتلوا", Category.KILLED, Unit.PEOPLE, "civilians", Qualifier.EXACT),
    ("٣٠", "وأصيب ٣٠ آخرون في غارات", Category.INJURED, Unit.PEOPLE, "people", Qualifier.EXACT),
    (
        "1,500",
        "نزوح نحو 1,500 عائلة من البلدة",
        Category.DISPLACED,
        Unit.FAMILIES,
        "families",
        Qualifier.APPROX,
    ),
    (
        "عشرات",
        "وتضررت عشرات المنازل في الحي الشرقي",
        Category.FACILITIES_DAMAGED,
        Unit.FACILITIES,
        "houses",
        Qualifier.EXACT,
    ),
)

# words of the quotes a reader must find intact in every rendering and export
ARABIC_WORDS = ("مدنياً", "قُتلوا", "عائلة", "المنازل", "سرمين")


def arabic_document() -> Document:
    return read_text_bytes(FIXTURE.read_bytes(), origin=str(FIXTURE))


def _digits(number: str) -> int | None:
    ascii_digits = "".join(str(int(c)) for c in number if c.isdigit())
    return int(ascii_digits) if ascii_digits else None


def arabic_facts(doc: Document) -> list[Fact]:
    """The four figures of the report, spans into ``doc.text``."""
    facts = []
    for number, clause, category, unit, subject, qualifier in FACTS:
        quote_start = doc.text.index(clause)
        start = doc.text.index(number, quote_start)
        value = _digits(number)
        facts.append(
            Fact(
                doc=doc.id,
                quote=clause,
                quote_start=quote_start,
                span=(start, start + len(number)),
                value=value,
                value_text=None if value is not None else number,
                qualifier=qualifier,
                category=category,
                unit=unit,
                subject=subject,
                places=("سرمين",),
                date_start=date(2020, 2, 3),
                date_end=date(2020, 2, 3),
                source="Syrian Civil Defence",
                resolved=(SARMIN,),
            )
        )
    return facts


def fill_arabic(store: Store) -> tuple[Document, list[Fact]]:
    """Write the Arabic report and its facts to ``store``."""
    doc = arabic_document()
    facts = arabic_facts(doc)
    store.add_document(doc, facts)
    return doc, facts
