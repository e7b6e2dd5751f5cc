"""A real SQLite store with one invented report, its facts and three accounts."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from crisisdesk.model import (
    Category,
    Document,
    Fact,
    FieldSpans,
    Precision,
    Qualifier,
    ResolvedPlace,
    Unit,
)
from crisisdesk.pipeline import Pipeline
from crisisdesk.store import Store
from crisisdesk.web import create_app
from crisisdesk.web.auth import hash_password

# Written for these tests; the figures are invented.
REPORT = (
    "Relief volunteers in Maarat al-Numan said on 3 February that 14 civilians were "
    "killed and 38 injured when the covered market was shelled.\n\n"
    "The camp committee in Atmeh counted 2,150 families arriving during the week, "
    "and about 9,000 people in total.\n\n"
    "A note left in the file read <script>alert('owned')</script> & nothing else."
)
PASSWORD = "correct horse battery"
TEST_KEY = "a-test-key-of-forty-bytes-0123456789abcd"


def fact_at(text: str, number: str, clause: str, **fields: Any) -> Fact:
    """A fact whose span is ``number`` inside ``clause`` inside ``text`` (exact offsets)."""
    quote_start = text.index(clause)
    start = text.index(number, quote_start)
    return Fact(
        doc=fields.pop("doc"),
        quote=clause,
        quote_start=quote_start,
        span=(start, start + len(number)),
        **fields,
    )


# approximate coordinates, so the dashboard map has points to draw
MAARAT = ResolvedPlace(
    name="Maarat al-Numan",
    place_id="test:maarat",
    canonical="Maarat al-Numan",
    kind="city",
    country="SY",
    admin1="Idlib",
    lat=35.64,
    lon=36.67,
    precision=Precision.POINT,
    score=1.0,
)
ATMEH = ResolvedPlace(
    name="Atmeh",
    place_id="test:atmeh",
    canonical="Atmeh",
    kind="town",
    country="SY",
    admin1="Idlib",
    lat=36.31,
    lon=36.67,
    precision=Precision.POINT,
    score=1.0,
)


def _read_from(period: str, source: str, places: tuple[str, ...]) -> FieldSpans:
    """Spans of the words of REPORT a fact's period, source and places were read from."""

    def at(words: str) -> tuple[int, int]:
        start = REPORT.index(words)
        return start, start + len(words)

    return FieldSpans(period=at(period), source=at(source), places=tuple(at(p) for p in places))


def report_facts(doc_id: str) -> list[Fact]:
    killed = "14 civilians were killed and 38 injured"
    arrived = "counted 2,150 families arriving during the week"
    return [
        fact_at(
            REPORT,
            "14",
            killed,
            doc=doc_id,
            value=14,
            category=Category.KILLED,
            unit=Unit.PEOPLE,
            subject="civilians",
            places=("Maarat al-Numan",),
            date_start=date(2020, 2, 3),
            date_end=date(2020, 2, 3),
            source="Relief volunteers",
            resolved=(MAARAT,),
            field_spans=_read_from(
                period="3 February", source="Relief volunteers", places=("Maarat al-Numan",)
            ),
        ),
        fact_at(
            REPORT,
            "38",
            killed,
            doc=doc_id,
            value=38,
            category=Category.INJURED,
            unit=Unit.PEOPLE,
            subject="civilians",
            places=("Maarat al-Numan",),
            date_start=date(2020, 2, 3),
            date_end=date(2020, 2, 3),
            resolved=(MAARAT,),
        ),
        fact_at(
            REPORT,
            "2,150",
            arrived,
            doc=doc_id,
            value=2150,
            category=Category.DISPLACED,
            unit=Unit.FAMILIES,
            subject="families",
            places=("Atmeh",),
            resolved=(ATMEH,),
            date_start=date(2020, 1, 27),
            date_end=date(2020, 2, 2),
        ),
        fact_at(
            REPORT,
            "9,000",
            "about 9,000 people in total",
            doc=doc_id,
            value=9000,
            qualifier=Qualifier.APPROX,
            category=Category.DISPLACED,
            unit=Unit.PEOPLE,
            subject="people",
            places=("Atmeh",),
            resolved=(ATMEH,),
            is_total=True,
        ),
    ]


@pytest.fixture
def report_text() -> str:
    return REPORT


@pytest.fixture
def password() -> str:
    return PASSWORD


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'desk.sqlite'}"


@pytest.fixture
def seeded(db_url: str) -> dict[str, Any]:
    """The store filled: one document, four facts, an admin, an analyst, a viewer."""
    doc = Document.from_text(
        REPORT,
        title="Market shelling and arrivals",
        publisher="Test desk",
        published=date(2020, 2, 4),
    )
    with Store.open(db_url) as store:
        store.add_document(doc, report_facts(doc.id))
        for name, role in (("ada", "admin"), ("ana", "analyst"), ("vic", "viewer")):
            store.add_user(name, role, hash_password(PASSWORD), by="test")
        stored = list(store.iter_facts())
    return {
        "doc_id": doc.id,
        "fact_ids": [sf.id for sf in stored],
        "by_value": {sf.fact.value: sf.id for sf in stored},
    }


@pytest.fixture
def app(db_url: str, seeded: dict[str, Any]):
    return create_app(db_url, secret_key=TEST_KEY, pipeline=Pipeline([]))


@pytest.fixture
def client(app) -> Iterator[TestClient]:
    with TestClient(app) as c:
        yield c


def _login(client: TestClient, name: str, password: str = PASSWORD) -> str:
    resp = client.post("/api/session", json={"name": name, "password": password})
    assert resp.status_code == 200, resp.text
    return resp.json()["csrf_token"]


@pytest.fixture
def login() -> Callable[..., str]:
    """Log in through the API; returns the CSRF token to send on changes."""
    return _login


@pytest.fixture
def fact_ids(seeded: dict[str, Any]) -> dict[int, str]:
    """Fact id by its value (14 killed, 38 injured, 2150 families, 9000 people)."""
    return seeded["by_value"]
