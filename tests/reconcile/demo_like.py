"""Invented reports shaped like the bundled demo's hard cases, written for these tests.

* two organisations give running displacement counts since 1 December a day
  apart (600,000 "estimated" and 530,000): one count they disagree on;
* a rescue service's January death toll (over 140 civilians) in a digest that
  also says four of its volunteers died (the extractor calls both civilians),
  and a news wire repeating the 140;
* two daily death counts from the same rescue service inside January, one with
  a town and one with no place at all.
"""

from __future__ import annotations

from datetime import date

from scenario import fact

from crisisdesk.model import Category, Document, Fact, Qualifier

MONITOR = "Aid Monitor"
GROUP = "Coordination Group"
RESCUE = "Rescue Service"

MONITOR_TEXT = (
    "Aid Monitor estimates that about 600,000 people have fled their homes in Idlib and "
    "the Aleppo countryside since 1 December 2019."
)
GROUP_TEXT = (
    "The Coordination Group counts 530,000 people displaced from Idlib and the Aleppo "
    "countryside since 1 December 2019, fewer than the monitor's estimate of the day before."
)
DIGEST_TEXT = (
    "Monthly digest. During January 2020 the rescue service recorded more than 140 civilian "
    "deaths. Four of its own volunteers also lost their lives on duty."
)
WIRE_TEXT = "More than 140 civilians died in January 2020, the rescue service says."
SARMIN_TEXT = "Six civilians, 6 in all, were killed in Sarmin on Thursday, rescuers said."
NO_PLACE_TEXT = "Shelling killed 7 civilians on Monday, according to the rescue service."

JAN = {"date_start": date(2020, 1, 1), "date_end": date(2020, 1, 31)}
SINCE = date(2019, 12, 1)


def _killed(**kw: object) -> dict[str, object]:
    return {"category": Category.KILLED, "subject": "civilians", **kw}


def documents() -> list[tuple[Document, list[Fact]]]:
    def doc(text: str, publisher: str, day: date) -> Document:
        return Document.from_text(text, title=publisher, publisher=publisher, published=day)

    monitor = doc(MONITOR_TEXT, "Aid Monitor (site)", date(2020, 2, 6))
    group = doc(GROUP_TEXT, "Response bulletin", date(2020, 2, 7))
    digest = doc(DIGEST_TEXT, "Northwest Digest", date(2020, 2, 1))
    wire = doc(WIRE_TEXT, "Levant Wire", date(2020, 2, 3))
    sarmin = doc(SARMIN_TEXT, "Field Desk", date(2020, 1, 17))
    no_place = doc(NO_PLACE_TEXT, "Field Desk", date(2020, 1, 21))
    places = ("Idlib", "Aleppo countryside")
    return [
        (monitor, [
            fact(monitor, "about 600,000 people have fled their homes", "600,000", 600_000,
                 qualifier=Qualifier.APPROX, places=places, date_start=SINCE,
                 date_end=date(2020, 2, 6), source=MONITOR, is_total=True),
        ]),
        (group, [
            fact(group, "counts 530,000 people displaced", "530,000", 530_000, places=places,
                 date_start=SINCE, date_end=date(2020, 2, 7), source=GROUP, is_total=True),
        ]),
        (digest, [
            fact(digest, "more than 140 civilian deaths", "140", 140,
                 **_killed(qualifier=Qualifier.AT_LEAST, is_total=True, **JAN)),
            fact(digest, "Four of its own volunteers also lost their lives", "Four", 4,
                 **_killed(is_total=True, **JAN)),
        ]),
        (wire, [
            fact(wire, "More than 140 civilians died in January 2020", "140", 140,
                 **_killed(qualifier=Qualifier.AT_LEAST, is_total=True, source=RESCUE, **JAN)),
        ]),
        (sarmin, [
            fact(sarmin, "6 in all, were killed in Sarmin", "6", 6,
                 **_killed(places=("Sarmin",), source=RESCUE, date_start=date(2020, 1, 16),
                           date_end=date(2020, 1, 16))),
        ]),
        (no_place, [
            fact(no_place, "Shelling killed 7 civilians", "7", 7,
                 **_killed(source=RESCUE, date_start=date(2020, 1, 20),
                           date_end=date(2020, 1, 20))),
        ]),
    ]  # fmt: skip


def load_into(store: object) -> None:
    for doc, facts in documents():
        assert store.add_document(doc, facts)  # type: ignore[attr-defined]
