"""Any HXL-tagged CSV (``#affected+killed``, ``#population+idps``...): each figure
column of a row is a fact about the row's place. Hashtags are parsed and matched
by libhxl, loaded only when a CSV file is read.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

from crisisdesk.errors import IngestError
from crisisdesk.ingest.common import parse_date
from crisisdesk.ingest.rows import RowText, cell_float, cell_int, row_ingested
from crisisdesk.model import Category, Ingested, Precision, Qualifier, ResolvedPlace, Unit


def is_hashtag_row(row: list[str]) -> bool:
    cells = [c.strip() for c in row if c.strip()]
    return bool(cells) and all(_column(c) is not None for c in cells)


def _column(cell: str) -> Any:
    """The HXL column a header cell is (libhxl's parse), or None when it is no hashtag."""
    import hxl.model  # loads libhxl (a third of a second): only for CSV files

    return hxl.model.Column.parse(cell.strip()) or None  # libhxl says False


def normal_tag(tag: str) -> str:
    """A hashtag as libhxl writes it: ``#Affected +Killed`` is ``#affected+killed``;
    an empty cell stays empty."""
    column = _column(tag) if tag.strip() else None
    return column.display_tag if column is not None else ""


# Generic HXL: which hashtags carry a figure, and what it counts.
_HXL_FIGURES: tuple[tuple[str, frozenset[str], Category, Unit, str], ...] = (
    ("#affected", frozenset({"killed"}), Category.KILLED, Unit.PEOPLE, "people"),
    ("#affected", frozenset({"injured"}), Category.INJURED, Unit.PEOPLE, "people"),
    ("#affected", frozenset({"missing"}), Category.MISSING, Unit.PEOPLE, "people"),
    ("#affected", frozenset({"detained"}), Category.DETAINED, Unit.PEOPLE, "people"),
    ("#affected", frozenset({"displaced", "hh"}), Category.DISPLACED, Unit.FAMILIES, "families"),
    ("#affected", frozenset({"displaced"}), Category.DISPLACED, Unit.PEOPLE, "people"),
    ("#affected", frozenset({"idps", "hh"}), Category.DISPLACED, Unit.FAMILIES, "families"),
    ("#affected", frozenset({"idps"}), Category.DISPLACED, Unit.PEOPLE, "people"),
    ("#population", frozenset({"idps", "hh"}), Category.DISPLACED, Unit.FAMILIES, "families"),
    ("#population", frozenset({"idps"}), Category.DISPLACED, Unit.PEOPLE, "people"),
    ("#inneed", frozenset(), Category.IN_NEED, Unit.PEOPLE, "people"),
)


@cache
def _pattern(name: str, attributes: frozenset[str]) -> Any:
    """libhxl's tag pattern for a hashtag with at least these attributes."""
    import hxl.model

    return hxl.model.TagPattern.parse(name + "".join(f"+{a}" for a in sorted(attributes)))


@cache
def _matches(tag: str, name: str, attributes: frozenset[str]) -> bool:
    """Whether a column's hashtag (``_normal_tag``) is ``name`` with all ``attributes``."""
    column = _column(tag) if tag else None
    return column is not None and bool(_pattern(name, attributes).match(column))


def _figure_of(tag: str) -> tuple[Category, Unit, str] | None:
    for want, needed, category, unit, subject in _HXL_FIGURES:
        if _matches(tag, want, needed):
            return category, unit, subject
    return None


def _first(tags: list[str], row: list[str], name: str, *attributes: str) -> str:
    """The first non-empty cell whose hashtag is ``name`` with all ``attributes``."""
    wanted = frozenset(attributes)
    for tag, cell in zip(tags, row, strict=False):
        if cell.strip() and _matches(tag, name, wanted):
            return cell.strip()
    return ""


def read_hxl_rows(
    tags: list[str], rows: list[list[str]], first_line: int, origin: str
) -> Iterator[Ingested]:
    """Any HXL-tagged CSV: each affected-people column of a row is a fact about its place."""
    figure_columns = [(i, f) for i, t in enumerate(tags) if (f := _figure_of(t)) is not None]
    if not figure_columns:
        raise IngestError(
            "HXL file has no figure columns (#affected+killed, #affected+displaced, "
            "#population+idps, #inneed ...)",
            where=origin,
        )
    for number, row in enumerate(rows, start=first_line):
        where = f"{origin}, row {number}"
        when = _first(tags, row, "#date")
        day = parse_date(when, where=where, field="#date") if when else None
        start = _first(tags, row, "#date", "start")
        end = _first(tags, row, "#date", "end")
        date_start = parse_date(start, where=where, field="#date+start") if start else day
        date_end = parse_date(end, where=where, field="#date+end") if end else day
        place = (
            _first(tags, row, "#loc", "name")
            or _first(tags, row, "#adm2", "name")
            or _first(tags, row, "#adm1", "name")
            or _first(tags, row, "#country", "name")
        )
        lat = cell_float(_first(tags, row, "#geo", "lat"), "#geo+lat", where)
        lon = cell_float(_first(tags, row, "#geo", "lon"), "#geo+lon", where)
        source = _first(tags, row, "#meta", "source") or _first(tags, row, "#org") or None
        text = RowText()
        for label, value in (
            ("Date", when or start),
            ("Place", place),
            ("Source", source or ""),
        ):
            if value:
                text.line(label, value)
        figures: list[tuple[str, int, Category, Unit, str]] = []
        for index, (category, unit, subject) in figure_columns:
            cell = row[index] if index < len(row) else ""
            count = cell_int(cell, tags[index], where)
            if count is not None:
                label = f"{category} ({subject}, {tags[index]})".replace("_", " ").capitalize()
                figures.append((label, count, category, unit, subject))
        resolved: tuple[ResolvedPlace, ...] = ()
        if place:
            resolved = (
                ResolvedPlace(
                    name=place,
                    canonical=place,
                    admin1=_first(tags, row, "#adm1", "name") or None,
                    admin1_code=_first(tags, row, "#adm1", "code") or None,
                    admin2=_first(tags, row, "#adm2", "name") or None,
                    admin2_code=_first(tags, row, "#adm2", "code") or None,
                    lat=lat,
                    lon=lon,
                    precision=Precision.POINT if lat is not None else Precision.UNRESOLVED,
                ),
            )
        ingested = row_ingested(
            text,
            figures,
            where,
            origin,
            "hxl",
            meta={
                "title": f"HXL row {number} of {Path(origin).name}",
                "publisher": source,
                "url": _first(tags, row, "#meta", "url") or None,
                "published": date_end,
            },
            fact_fields={
                "places": (place,) if place else (),
                "resolved": resolved,
                "date_start": date_start,
                "date_end": date_end,
                "source": source,
                "qualifier": Qualifier.EXACT,
            },
        )
        if ingested is not None:
            yield ingested
