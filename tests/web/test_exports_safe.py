"""Exports safe to open: a document whose quotes, source and subject begin with
formula characters comes out of the CSV, HXL and ACLED exports as text cells."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest

from crisisdesk.model import Category, Document, Fact, Unit
from crisisdesk.report.cells import TRIGGERS
from crisisdesk.store import Store

# Written for this test: every clause begins with a character a spreadsheet runs.
HOSTILE = (
    '=HYPERLINK("http://evil.example","12 shells") hit the depot.\n'
    "+7 people were hurt near the well.\n"
    "-3 homes burned, =1+1 said nobody.\n"
    "@SUM(1+1) 4 airstrikes were reported."
)


def _hostile_facts(doc_id: str) -> list[Fact]:
    def at(clause: str, number: str, **fields) -> Fact:
        start = HOSTILE.index(clause)
        n = HOSTILE.index(number, start)
        return Fact(
            doc=doc_id,
            quote=clause,
            quote_start=start,
            span=(n, n + len(number)),
            date_start=date(2021, 5, 2),
            date_end=date(2021, 5, 2),
            **fields,
        )

    return [
        at("=HYPERLINK(\"http://evil.example\",\"12 shells\") hit the depot.", "12",
           value=12, category=Category.SHELLING, unit=Unit.EVENTS, source="=cmd|' /C calc'!A0"),
        at("+7 people were hurt near the well.", "7", value=7, category=Category.INJURED,
           unit=Unit.PEOPLE, subject="-people"),
        at("@SUM(1+1) 4 airstrikes were reported.", "4", value=4, category=Category.AIRSTRIKES,
           unit=Unit.EVENTS, source="\tTab source"),
    ]  # fmt: skip


@pytest.fixture
def hostile(db_url, seeded):
    doc = Document.from_text(HOSTILE, title="=1+2 title", publisher="@publisher")
    with Store.open(db_url) as store:
        store.add_document(doc, _hostile_facts(doc.id))
    return doc


def _cells(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff"), newline="")))


@pytest.mark.parametrize("fmt", ["csv", "hxl", "acled-aggregates"])
def test_formula_cells_come_out_as_text(client, login, hostile, fmt):
    login(client, "vic")
    resp = client.get(f"/api/exports/{fmt}")
    assert resp.status_code == 200
    rows = _cells(resp.text)
    hostile_seen = 0
    for row in rows:
        for cell in row:
            if cell and cell[0] in TRIGGERS:
                float(cell)  # only numbers (a longitude, say) may begin with + or -
            if cell.startswith("'") and cell[1:2] in TRIGGERS:
                hostile_seen += 1
    assert hostile_seen >= 3, rows  # the hostile cells are there, as text
    flat = [c for row in rows for c in row]
    if fmt != "acled-aggregates":
        assert '\'=HYPERLINK("http://evil.example","12 shells") hit the depot.' in flat
        assert "'-people" in flat
    assert any(c.startswith("'@SUM(1+1)") for c in flat)
    # the numbers are still numbers
    values = [c for c in flat if c in ("12", "7", "4")]
    assert values
