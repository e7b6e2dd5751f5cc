"""The bundled gazetteer, opened once per test session (opening is cheap; this saves the caches)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from crisisdesk.geo import Gazetteer


@pytest.fixture(scope="session")
def gaz() -> Iterator[Gazetteer]:
    with Gazetteer.open() as g:
        yield g
