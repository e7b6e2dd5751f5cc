"""The charts add up the same figures as the key figures: a monthly total is spread
over its days, never replaced by (or added to) the daily counts inside it."""

from __future__ import annotations

from datetime import date

from crisisdesk.model import Category, Document, Fact, Unit
from crisisdesk.report import build_sitrep
from crisisdesk.store import Store

REPORTS = [
    (
        "Rescuers said a raid on Binnish killed 9 civilians on 19 January.",
        "9",
        date(2020, 1, 19),
        date(2020, 1, 19),
        False,
    ),
    (
        "The civil defence counted 130 civilians killed across Idlib in January 2020.",
        "130",
        date(2020, 1, 1),
        date(2020, 1, 31),
        True,
    ),
    (
        "Shelling killed 8 civilians in Kafr Nabl on 19 December.",
        "8",
        date(2019, 12, 19),
        date(2019, 12, 19),
        False,
    ),
]


def _fill(store: Store) -> None:
    for text, number, start, end, is_total in REPORTS:
        doc = Document.from_text(text, published=end, publisher="Test desk")
        at = text.index(number)
        store.add_document(
            doc,
            [
                Fact(
                    doc=doc.id,
                    quote=text[at:].rstrip("."),
                    quote_start=at,
                    span=(at, at + len(number)),
                    value=int(number),
                    category=Category.KILLED,
                    unit=Unit.PEOPLE,
                    subject="civilians",
                    places=("Idlib",),
                    date_start=start,
                    date_end=end,
                    source="Syrian Civil Defence",
                    is_total=is_total,
                )
            ],
        )


def test_killed_chart_adds_up_to_the_key_figure(sqlite_store: Store) -> None:
    _fill(sqlite_store)
    sitrep = build_sitrep(sqlite_store)
    killed = next(h for h in sitrep.headlines if h.category == Category.KILLED)
    assert killed.best == 138  # 8 in December, and January's total instead of its part
    charted = sum(b.values["Killed"] for b in sitrep.casualties.bins)
    assert round(charted) == killed.best
    january = sum(b.values["Killed"] for b in sitrep.casualties.bins if b.start >= date(2020, 1, 1))
    assert round(january) == 130
