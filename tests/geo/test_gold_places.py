"""The place names of the shared dev corpus, resolved in their documents' context.

The corpus lives in ../shared (not in the repository); the expected answers
are ours, in gold_places_expected.csv. Target: >= 95% right, none in the
wrong country.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from crisisdesk.geo import Gazetteer, GeoContext
from crisisdesk.model import Document

HERE = Path(__file__).resolve().parent
CORPUS = HERE.parents[1] / ".." / "shared" / "corpus" / "dev"


def _expected() -> dict[str, dict[str, str]]:
    with (HERE / "gold_places_expected.csv").open(encoding="utf-8") as fh:
        return {row["name"]: row for row in csv.DictReader(fh)}


def gold_place_results(gaz: Gazetteer) -> tuple[int, list[str], list[str]]:
    """(occurrences, wrong ones, wrong-country ones) over the dev corpus."""
    docs = {}
    for line in (CORPUS / "docs.jsonl").read_text(encoding="utf-8").splitlines():
        d = json.loads(line)
        docs[d["id"]] = Document(id=d["id"], text=d["text"])
    expected = _expected()
    total, wrong, wrong_country = 0, [], []
    for line in (CORPUS / "gold.jsonl").read_text(encoding="utf-8").splitlines():
        fact = json.loads(line)
        context = GeoContext.from_document(docs[fact["doc"]], gaz)
        for name in fact.get("places") or ():
            total += 1
            want = expected.get(name)
            r = gaz.resolve(name, context=context)
            if want is None:
                wrong.append(f"{name}: no expected answer written")
                continue
            if r.country != want["country"]:
                wrong_country.append(f"{name}: {r.country} {r.place_id}")
                wrong.append(name)
            elif want["place_id"] and r.place_id != want["place_id"]:
                wrong.append(f"{name}: {r.place_id}")
            elif want["admin1"] and r.admin1 != want["admin1"]:
                wrong.append(f"{name}: admin1 {r.admin1}")
    return total, wrong, wrong_country


@pytest.mark.skipif(not (CORPUS / "gold.jsonl").is_file(), reason="shared dev corpus absent")
def test_dev_corpus_places_resolve(gaz: Gazetteer) -> None:
    total, wrong, wrong_country = gold_place_results(gaz)
    assert total > 50
    assert not wrong_country, wrong_country
    assert 1 - len(wrong) / total >= 0.95, wrong
