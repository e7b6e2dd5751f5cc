"""Fixtures for the report tests: a real SQLite store holding our invented reports."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fixture_store import fill  # next to this file; pytest puts this folder on sys.path

from crisisdesk.store import Store


@pytest.fixture
def filled_store(tmp_path: Path) -> Iterator[Store]:
    store = Store.open(f"sqlite:///{tmp_path / 'report.sqlite'}")
    fill(store)
    yield store
    store.close()
