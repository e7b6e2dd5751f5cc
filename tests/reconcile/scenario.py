"""An invented displacement story for Idlib, January 2020, written for these tests.

Five short reports from three organisations (UN OCHA, the Syrian Arab Red
Crescent, the Response Coordinators) and one news outlet:

* three daily counts (5, 12 and 20 January) from the Response Coordinators;
* the monthly total for January from OCHA, which includes those days;
* a conflicting monthly figure from SARC (2,100 where OCHA says 1,500);
* the 5 January count repeated word for word by a news site;
* a SARC weekly count that runs from 28 January into February;
* a daily count for 2 February (outside January).

Every fact's quote and span are computed from the text, so the evidence is
exact. Expected answers are worked out by hand in the tests, not by the code.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from crisisdesk.model import Category, Document, Fact, Qualifier, Unit

OCHA = "UN OCHA"
SARC = "Syrian Arab Red Crescent"
RCG = "Syrian Response Coordinators Group"

RCG_DAILY_TEXT = (
    "Field teams of the Response Coordinators counted 400 people who left Saraqib on "
    "5 January 2020 as shelling moved closer. On 12 January 2020 another 350 people fled "
    "Ariha towards the border camps. The largest single day was 20 January 2020, when 500 "
    "people left Maarat al-Numan."
)
NEWS_TEXT = (
    "Levant Daily News has learned that field teams of the Response Coordinators counted "
    "400 people who left Saraqib on 5 January 2020 as shelling moved closer, a figure the "
    "group shared with reporters."
)
OCHA_TEXT = (
    "OCHA monthly note. In January 2020, 1,500 people were displaced within Idlib "
    "governorate, OCHA estimates, most of them from the south of the province."
)
SARC_TEXT = (
    "The Red Crescent registered 2,100 displaced people in Idlib during January 2020. "
    "In the week from 28 January to 3 February 2020 its volunteers registered 900 more "
    "displaced people across Idlib."
)
RCG_FEB_TEXT = "On 2 February 2020 the Response Coordinators counted 300 people leaving Saraqib."


def fact(
    doc: Document, clause: str, number: str, value: int, *, before: str = "", **kw: Any
) -> Fact:
    """A fact whose quote is ``clause`` and whose span is ``number`` inside it (exact offsets)."""
    quote_start = doc.text.index(clause)
    offset = clause.index(before + number) + len(before) if before else clause.index(number)
    start = quote_start + offset
    assert doc.text[start : start + len(number)] == number
    kw.setdefault("category", Category.DISPLACED)
    kw.setdefault("unit", Unit.PEOPLE)
    kw.setdefault("qualifier", Qualifier.EXACT)
    kw.setdefault("subject", "people")
    return Fact(
        doc=doc.id,
        quote=clause,
        quote_start=quote_start,
        span=(start, start + len(number)),
        value=value,
        **kw,
    )


def documents() -> list[tuple[Document, list[Fact]]]:
    """The reports and their facts, ready for ``Store.add_document``."""
    rcg = Document.from_text(
        RCG_DAILY_TEXT, title="Daily movements", publisher=RCG, published=date(2020, 1, 21)
    )
    news = Document.from_text(
        NEWS_TEXT,
        title="Families leave Saraqib",
        publisher="Levant Daily News",
        published=date(2020, 1, 22),
    )
    ocha = Document.from_text(
        OCHA_TEXT, title="Monthly note", publisher=OCHA, published=date(2020, 2, 5)
    )
    sarc = Document.from_text(
        SARC_TEXT, title="Registration update", publisher=SARC, published=date(2020, 2, 4)
    )
    feb = Document.from_text(
        RCG_FEB_TEXT, title="Daily movements", publisher=RCG, published=date(2020, 2, 2)
    )
    saraqib_clause = "counted 400 people who left Saraqib on 5 January 2020"
    day5, day12, day20 = date(2020, 1, 5), date(2020, 1, 12), date(2020, 1, 20)
    jan = {"date_start": date(2020, 1, 1), "date_end": date(2020, 1, 31)}
    return [
        (
            rcg,
            [
                fact(
                    rcg,
                    saraqib_clause,
                    "400",
                    400,
                    source=RCG,
                    places=("Saraqib", "Idlib"),
                    date_start=day5,
                    date_end=day5,
                ),
                fact(
                    rcg,
                    "another 350 people fled Ariha",
                    "350",
                    350,
                    source=RCG,
                    places=("Ariha", "Idlib"),
                    date_start=day12,
                    date_end=day12,
                ),
                fact(
                    rcg,
                    "500 people left Maarat al-Numan",
                    "500",
                    500,
                    source=RCG,
                    places=("Maarat al-Numan", "Idlib"),
                    date_start=day20,
                    date_end=day20,
                ),
            ],
        ),
        (
            news,
            [
                fact(
                    news,
                    saraqib_clause,
                    "400",
                    400,
                    source=RCG,
                    places=("Saraqib", "Idlib"),
                    date_start=day5,
                    date_end=day5,
                ),
            ],
        ),
        (
            ocha,
            [
                fact(
                    ocha,
                    "1,500 people were displaced within Idlib governorate",
                    "1,500",
                    1500,
                    source=OCHA,
                    places=("Idlib",),
                    is_total=True,
                    **jan,
                ),
            ],
        ),
        (
            sarc,
            [
                fact(
                    sarc,
                    "registered 2,100 displaced people in Idlib during January 2020",
                    "2,100",
                    2100,
                    source=SARC,
                    places=("Idlib",),
                    is_total=True,
                    **jan,
                ),
                fact(
                    sarc,
                    "registered 900 more displaced people across Idlib",
                    "900",
                    900,
                    source=SARC,
                    places=("Idlib",),
                    date_start=date(2020, 1, 28),
                    date_end=date(2020, 2, 3),
                ),
            ],
        ),
        (
            feb,
            [
                fact(
                    feb,
                    "counted 300 people leaving Saraqib",
                    "300",
                    300,
                    source=RCG,
                    places=("Saraqib", "Idlib"),
                    date_start=date(2020, 2, 2),
                    date_end=date(2020, 2, 2),
                ),
            ],
        ),
    ]


def load_into(store: Any) -> None:
    for doc, facts in documents():
        assert store.add_document(doc, facts)
