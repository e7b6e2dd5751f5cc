"""Place names of the other theatres the extractor meets: Yemen, Sudan, Ukraine, Gaza,
Myanmar, Ethiopia, Lebanon.

theatres.csv is ours: a name as reports write it, a one-line context sentence we
wrote (it names the country only by its people), and the expected country, admin1
and precision (blank: any). Scored both in context and bare.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from crisisdesk.geo import Gazetteer, GeoContext
from crisisdesk.model import Document

HERE = Path(__file__).resolve().parent


def _rows() -> list[dict[str, str]]:
    with (HERE / "theatres.csv").open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def theatre_results(gaz: Gazetteer, *, with_context: bool) -> tuple[int, list[str], list[str]]:
    """(names, wrong ones, wrong-country ones) over theatres.csv."""
    rows = _rows()
    wrong, wrong_country = [], []
    for row in rows:
        ctx = (
            GeoContext.from_document(Document.from_text(row["context"]), gaz)
            if with_context
            else None
        )
        r = gaz.resolve(row["name"], context=ctx)
        got = f"{row['name']}: {r.place_id} {r.country} {r.admin1} {r.precision}"
        if r.country != row["country"]:
            wrong.append(got)
            if r.country is not None:
                wrong_country.append(got)
        elif (row["admin1"] and r.admin1 != row["admin1"]) or (
            row["precision"] and str(r.precision) != row["precision"]
        ):
            wrong.append(got)
    return len(rows), wrong, wrong_country


def test_the_list_covers_every_theatre() -> None:
    rows = _rows()
    assert len(rows) >= 60
    assert {r["country"] for r in rows} >= {"YE", "SD", "UA", "PS", "MM", "ET", "LB"}
    assert sum(r["precision"] == "region" for r in rows) >= 5


@pytest.mark.parametrize("with_context", [True, False], ids=["context", "bare"])
def test_theatre_names_resolve(gaz: Gazetteer, with_context: bool) -> None:
    total, wrong, wrong_country = theatre_results(gaz, with_context=with_context)
    assert 1 - len(wrong) / total >= (0.95 if with_context else 0.9), wrong
    if with_context:
        assert not wrong_country, wrong_country
