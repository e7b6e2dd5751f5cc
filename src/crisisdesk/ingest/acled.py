"""ACLED event files (CSV): each event row becomes a small document with its figures.

The columns are ACLED's own; ``ACLED_COLUMNS`` is also the layout of our ACLED
export (``report.exporters``).
"""

from __future__ import annotations

from collections.abc import Iterator

from crisisdesk.ingest.common import clean, parse_date
from crisisdesk.ingest.rows import RowText, cell_float, cell_int, dict_rows, row_ingested
from crisisdesk.model import Category, Ingested, Precision, ResolvedPlace, Unit

ACLED_COLUMNS: tuple[str, ...] = (
    "event_date",
    "event_type",
    "sub_event_type",
    "actor1",
    "admin1",
    "admin2",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "time_precision",
    "source",
    "notes",
    "fatalities",
    # ours, after the ACLED columns: how many events the row counts, and its evidence
    "event_count",
    "doc_id",
    "url",
)
ACLED_REQUIRED = {"event_date", "event_type", "fatalities"}
_ACLED_PRECISION = {"1": Precision.POINT, "2": Precision.DISTRICT, "3": Precision.GOVERNORATE}


_ACLED_SUB_EVENTS: dict[str, Category] = {
    "air/drone strike": Category.AIRSTRIKES,
    "shelling/artillery/missile attack": Category.SHELLING,
}


def _acled_category(event_type: str, sub_event_type: str) -> Category:
    sub = sub_event_type.strip().lower()
    if sub in _ACLED_SUB_EVENTS:
        return _ACLED_SUB_EVENTS[sub]
    return Category.ATTACKS


def _cell(row: dict[str, str | None], key: str) -> str:
    return clean(row.get(key)) or ""


def read_acled_rows(
    header: list[str], rows: list[list[str]], first_line: int, origin: str
) -> Iterator[Ingested]:
    """ACLED events: one document per event, an attack fact and, when any, a fatalities fact."""
    for where, row in dict_rows(header, rows, first_line, origin):
        day = parse_date(_cell(row, "event_date"), where=where, field="event_date")
        fatalities = cell_int(_cell(row, "fatalities"), "fatalities", where) or 0
        count = cell_int(_cell(row, "event_count"), "event_count", where) or 1
        lat, lon = (
            cell_float(_cell(row, "latitude"), "latitude", where),
            cell_float(_cell(row, "longitude"), "longitude", where),
        )
        names = [
            n for n in (_cell(row, "location"), _cell(row, "admin2"), _cell(row, "admin1")) if n
        ]
        text = RowText()
        text.line("Date", _cell(row, "event_date"))
        event = " / ".join(x for x in (_cell(row, "event_type"), _cell(row, "sub_event_type")) if x)
        text.line("Event", event)
        for label, key in (("Actor", "actor1"), ("Location", "location"), ("Notes", "notes")):
            if _cell(row, key):
                text.line(label, _cell(row, key))
        extra_text = {"actor1": _cell(row, "actor1")} if _cell(row, "actor1") else {}
        resolved: tuple[ResolvedPlace, ...] = ()
        if names:
            resolved = (
                ResolvedPlace(
                    name=names[0],
                    canonical=names[0],
                    admin1=_cell(row, "admin1") or None,
                    admin2=_cell(row, "admin2") or None,
                    lat=lat,
                    lon=lon,
                    precision=_ACLED_PRECISION.get(
                        _cell(row, "geo_precision"), Precision.UNRESOLVED
                    ),
                ),
            )
        category = _acled_category(_cell(row, "event_type"), _cell(row, "sub_event_type"))
        subject = (_cell(row, "sub_event_type") or _cell(row, "event_type") or "events").lower()
        figures = [("Events", count, category, Unit.EVENTS, subject)]
        if fatalities:
            figures.append(("Fatalities", fatalities, Category.KILLED, Unit.PEOPLE, "people"))
        ingested = row_ingested(
            text,
            figures,
            where,
            origin,
            "acled",
            meta={
                "title": f"ACLED event {_cell(row, 'event_id_cnty')}".strip(),
                "publisher": _cell(row, "source") or "ACLED",
                "url": _cell(row, "url") or None,
                "published": day,
            },
            fact_fields={
                "places": tuple(names[:1]),
                "resolved": resolved,
                "date_start": day,
                "date_end": day,
                "source": _cell(row, "source") or "ACLED",
            },
        )
        if ingested is not None:
            if extra_text:
                facts = tuple(f.with_(extra=dict(extra_text)) for f in ingested.facts or ())
                ingested = Ingested(ingested.document, facts)
            yield ingested
