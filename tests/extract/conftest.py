"""Fixtures for the extractor tests: the shared dev corpus, skipped when absent."""

from __future__ import annotations

from pathlib import Path

import pytest

DEV = Path(__file__).resolve().parents[2].parent / "shared" / "corpus" / "dev"


@pytest.fixture
def dev_corpus() -> Path:
    if not (DEV / "docs.jsonl").exists() or not (DEV / "gold.jsonl").exists():
        pytest.skip("../shared/corpus/dev is not available")
    return DEV
