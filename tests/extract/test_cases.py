"""The tricky-sentence suite: each case is a sentence of our own and the facts it states.

Cases live in ``cases_*.yaml`` beside this file. For each expected fact the
extractor must produce a fact with the same value (value, value_high,
value_text) and the listed fields; unless a case is ``partial``, it must not
produce any other fact. Places match loosely (the expected ones among those found)
unless the case sets ``check_places_exactly``.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from crisisdesk.extract import extract_document
from crisisdesk.model import Document

HERE = Path(__file__).parent


def _load() -> list[dict[str, Any]]:
    cases = []
    for path in sorted(HERE.glob("cases_*.yaml")):
        for case in yaml.safe_load(path.read_text(encoding="utf-8")):
            case["file"] = path.name
            cases.append(case)
    return cases


CASES = _load()


def _as_json_value(field: str, value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    return value


def _same_value(fact: dict[str, Any], want: dict[str, Any]) -> bool:
    if fact["value"] != want.get("value"):
        return False
    if "value_high" in want and fact["value_high"] != want["value_high"]:
        return False
    return not (want.get("value") is None and fact["value_text"] != want.get("value_text"))


def test_suite_is_large_and_unique() -> None:
    ids = [c["id"] for c in CASES]
    assert len(ids) >= 150
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_case(case: dict[str, Any]) -> None:
    published = case.get("published")
    doc = Document(
        id=case["id"],
        text=case["text"],
        published=published,
        title=case.get("title"),
        publisher=case.get("publisher"),
    )
    facts = [f.to_json() for f in extract_document(doc)]
    for f in facts:  # evidence always points at the text
        assert case["text"][f["span"][0] : f["span"][1]]
        q = f["quote_start"]
        assert case["text"][q : q + len(f["quote"])] == f["quote"]
    remaining = list(facts)
    for want in case["expect"]:
        found = next((f for f in remaining if _same_value(f, want)), None)
        assert found is not None, f"no fact with value {want} in {facts}"
        remaining.remove(found)
        for field, expected in want.items():
            if field in ("value", "value_high", "value_text"):
                continue
            got = found[field]
            if field == "places" and case.get("check_places_exactly"):
                assert [p.lower() for p in got] == [p.lower() for p in expected], got
                continue
            if field == "places":
                assert [p.lower() for p in expected] == [p.lower() for p in got][
                    : len(expected)
                ] or (set(map(str.lower, expected)) <= set(map(str.lower, got))), (
                    f"places {got} != {expected}"
                )
                if not expected:
                    assert got == [], f"places {got} should be empty"
                continue
            assert got == _as_json_value(field, expected), f"{field}: {got!r} != {expected!r}"
    if not case.get("partial"):
        assert not remaining, f"unexpected facts: {remaining}"
