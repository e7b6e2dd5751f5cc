"""A small store written by us: three invented reports about two towns in January 2020.

Shared by tests/report and tests/cli.

The texts are our own words; the facts point at the exact characters of
each number, as extraction would, with gazetteer-style resolved places.
"""

from __future__ import annotations

from datetime import date

from crisisdesk.model import Category, Document, Fact, Precision, Qualifier, ResolvedPlace, Unit
from crisisdesk.store import Store

ARIHA = ResolvedPlace(
    name="Ariha",
    place_id="gn:170017",
    canonical="Ariha",
    kind="town",
    country="SY",
    admin1="Idlib",
    admin1_code="SY07",
    admin2="Ariha",
    admin2_code="SY0703",
    lat=35.8128,
    lon=36.6097,
    precision=Precision.POINT,
    score=0.97,
)
SARAQIB = ResolvedPlace(
    name="Saraqib",
    place_id="gn:169389",
    canonical="Saraqib",
    kind="town",
    country="SY",
    admin1="Idlib",
    admin1_code="SY07",
    admin2="Idlib",
    admin2_code="SY0700",
    lat=35.8645,
    lon=36.8006,
    precision=Precision.POINT,
    score=0.95,
)

REPORTS = [
    {
        "title": "Strikes on Ariha market",
        "publisher": "Field Desk North",
        "url": "https://example.org/field/ariha-market",
        "published": date(2020, 1, 20),
        "text": (
            "Rescue teams said that 11 civilians were killed and 23 were hurt when war planes "
            "struck the Ariha market on 19 January. Teams counted 4 air strikes on the town "
            "that day."
        ),
        "facts": [
            ("11", Category.KILLED, Unit.PEOPLE, "civilians", ARIHA, "11 civilians were killed"),
            ("23", Category.INJURED, Unit.PEOPLE, "civilians", ARIHA, "23 were hurt"),
            ("4", Category.AIRSTRIKES, Unit.EVENTS, "air strikes", ARIHA, "4 air strikes"),
        ],
        "period": (date(2020, 1, 19), date(2020, 1, 19)),
        "source": "Civil Defence",
    },
    {
        "title": "Families leave Saraqib",
        "publisher": "Camp Coordination Cell",
        "url": "https://example.org/ccc/saraqib",
        "published": date(2020, 1, 28),
        "text": (
            "Between 20 and 27 January about 5,200 people left Saraqib for camps near the "
            "border, roughly 940 families in all, our monitors reported."
        ),
        "facts": [
            (
                "5,200",
                Category.DISPLACED,
                Unit.PEOPLE,
                "people",
                SARAQIB,
                "about 5,200 people left Saraqib",
            ),
            ("940", Category.DISPLACED, Unit.FAMILIES, "families", SARAQIB, "roughly 940 families"),
        ],
        "period": (date(2020, 1, 20), date(2020, 1, 27)),
        "source": "CCCM Cluster",
    },
    {
        "title": "Weekly note: <b>Idlib</b> & surroundings",
        "publisher": "Idlib Monitor",
        "url": "javascript:alert(1)",
        "published": date(2020, 1, 26),
        "text": (
            "In the week to 26 January 14 civilians died in strikes on Ariha, and 3 rockets "
            "fell on Saraqib, the monitor said."
        ),
        "facts": [
            (
                "14",
                Category.KILLED,
                Unit.PEOPLE,
                "civilians",
                ARIHA,
                "14 civilians died in strikes on Ariha",
            ),
            ("3", Category.ROCKETS, Unit.ITEMS, "rockets", SARAQIB, "3 rockets fell on Saraqib"),
        ],
        "period": (date(2020, 1, 20), date(2020, 1, 26)),
        "source": "Idlib Monitor",
    },
]


def _fact(
    doc: Document, number: str, category, unit, subject, place, quote, period, source
) -> Fact:
    quote_start = doc.text.index(quote)
    start = doc.text.index(number, quote_start)
    return Fact(
        doc=doc.id,
        quote=quote,
        quote_start=quote_start,
        span=(start, start + len(number)),
        value=int(number.replace(",", "")),
        qualifier=Qualifier.APPROX if "about" in quote or "roughly" in quote else Qualifier.EXACT,
        category=category,
        unit=unit,
        subject=subject,
        places=(place.name,),
        date_start=period[0],
        date_end=period[1],
        source=source,
        resolved=(place,),
    )


def fill(store: Store) -> list[Fact]:
    """Write the three reports and their facts; return the facts."""
    written = []
    for report in REPORTS:
        doc = Document.from_text(
            report["text"],
            title=report["title"],
            publisher=report["publisher"],
            url=report["url"],
            published=report["published"],
            fmt="text",
        )
        facts = [_fact(doc, *spec, report["period"], report["source"]) for spec in report["facts"]]
        store.add_document(doc, facts)
        written.extend(facts)
    return written
