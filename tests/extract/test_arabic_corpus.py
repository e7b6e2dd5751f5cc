"""Arabic extraction on the shared ar-dev corpus, scored by the referee script itself
(../shared/tools/score_facts.py, which folds Arabic letter variants): floors a few
points under what the extractor reaches. Skipped when ../shared is absent; the Arabic
set kept back from other publishers is what really counts."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from crisisdesk.extract import extract_documents
from crisisdesk.ingest.jsonl import read_documents

AR_DEV = Path(__file__).resolve().parents[2].parent / "shared" / "corpus" / "ar-dev"
FLOORS = {"f1": 0.95, "strict_f1": 0.92}
FIELD_FLOORS = {
    "dates": 0.9,
    "source": 0.92,
    "places": 0.9,
    "is_total": 0.9,
    "category": 0.95,
    "qualifier": 0.95,
}


def test_ar_dev_stays_above_floor(referee: Path, tmp_path: Path) -> None:
    if not (AR_DEV / "docs.jsonl").exists():
        pytest.skip("../shared/corpus/ar-dev is not present")
    with (AR_DEV / "docs.jsonl").open(encoding="utf-8") as stream:
        docs = list(read_documents(stream))
    pred = tmp_path / "pred.jsonl"
    with pred.open("w", encoding="utf-8") as out:
        for f in extract_documents(docs):  # type: ignore[arg-type]
            out.write(json.dumps(f.to_json(), ensure_ascii=False) + "\n")
    done = subprocess.run(
        [
            sys.executable,
            str(referee),
            str(AR_DEV / "docs.jsonl"),
            str(AR_DEV / "gold.jsonl"),
            str(pred),
            "--json",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    result = json.loads(done.stdout)
    for key, floor in FLOORS.items():
        assert result[key] >= floor, (key, result[key])
    for key, floor in FIELD_FLOORS.items():
        assert result["field_accuracy"][key] >= floor, (key, result["field_accuracy"][key])


def test_every_arabic_quote_and_span_index_the_text() -> None:
    if not (AR_DEV / "docs.jsonl").exists():
        pytest.skip("../shared/corpus/ar-dev is not present")
    with (AR_DEV / "docs.jsonl").open(encoding="utf-8") as stream:
        docs = list(read_documents(stream))
    texts = {d.id: d.text for d in docs}  # type: ignore[union-attr]
    facts = list(extract_documents(docs))  # type: ignore[arg-type]
    assert facts
    for f in facts:
        text = texts[f.doc]
        assert text[f.quote_start : f.quote_start + len(f.quote)] == f.quote
        assert f.span[0] < f.span[1] and text[f.span[0] : f.span[1]].strip()
        assert f.subject.isascii(), f.subject  # the subject stays English
        for place in f.places:
            assert place in text or place.isascii(), place
