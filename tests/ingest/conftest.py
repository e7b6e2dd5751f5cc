"""Fixtures for the ingest tests."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from ingest_helpers import DEV_DOCS, pdf_from_pages


@pytest.fixture(scope="session")
def dev_docs() -> Path:
    """The shared dev documents (real reports: read them, never copy them into the repo)."""
    if not DEV_DOCS.exists():
        pytest.skip("../shared/corpus/dev/docs.jsonl is not present")
    return DEV_DOCS


@pytest.fixture(scope="session")
def two_page_pdf() -> bytes:
    return pdf_from_pages(
        ["Page one: 12 tents burned in the camp.", "Page two: 40 families moved north."],
        title="Camp update",
    )


@pytest.fixture
def write(tmp_path: Path) -> Callable[[str, bytes | str], Path]:
    """Write a file under tmp_path (creating folders) and return its path."""

    def _write(name: str, content: bytes | str) -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, str):
            path.write_text(content, encoding="utf-8")
        else:
            path.write_bytes(content)
        return path

    return _write
