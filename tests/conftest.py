"""Shared fixtures: a real store on SQLite and, when a server is given, PostgreSQL.

``--db-url`` (or the CRISISDESK_TEST_PG_URL environment variable, which
.ci/run sets after starting a server on 127.0.0.1) adds the PostgreSQL
backend to every test that takes ``store_url`` or ``store``. In CI the
server is mandatory: a missing URL fails instead of skipping.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from crisisdesk.store import Store, normalise_url

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
DEV_CORPUS = SHARED / "corpus" / "dev"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--db-url",
        default=os.environ.get("CRISISDESK_TEST_PG_URL"),
        help="PostgreSQL URL to run the store tests against as well",
    )
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="rewrite tests/golden/* from the current code (review the diff!)",
    )


def _reset_postgres(url: str) -> None:
    engine = create_engine(normalise_url(url))
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def _empty_postgres(request: pytest.FixtureRequest) -> str:
    """The PostgreSQL test server's URL, its schema emptied; skipped when no server
    is given, except in CI, where PostgreSQL must be tested."""
    url = request.config.getoption("--db-url")
    if not url:
        if os.environ.get("CI"):
            pytest.fail("CI must test PostgreSQL: no --db-url / CRISISDESK_TEST_PG_URL given")
        pytest.skip("no PostgreSQL server given (--db-url)")
    _reset_postgres(url)
    return url


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A URL to an empty store, once per backend."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.sqlite'}"
    return _empty_postgres(request)


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def module_store_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> str:
    """A URL to an empty store, once per backend, shared by one module's tests (for a
    store that is costly to fill). The tests run one after another, so nothing else
    resets the PostgreSQL schema meanwhile."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path_factory.mktemp('module') / 'store.sqlite'}"
    return _empty_postgres(request)


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    s = Store.open(store_url)
    yield s
    s.close()


@pytest.fixture
def sqlite_store(tmp_path: Path) -> Iterator[Store]:
    """A store on a SQLite file only, for tests that are not about the backend."""
    s = Store.open(f"sqlite:///{tmp_path / 'store.sqlite'}")
    yield s
    s.close()


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture(scope="session")
def dev_corpus() -> Path:
    """The shared dev corpus (real reports: read it, never copy it into the repo)."""
    if not (DEV_CORPUS / "docs.jsonl").exists() or not (DEV_CORPUS / "gold.jsonl").exists():
        pytest.skip("../shared/corpus/dev is not present")
    return DEV_CORPUS


@pytest.fixture(scope="session")
def referee() -> Path:
    """The shared referee script, ../shared/tools/score_facts.py."""
    path = SHARED / "tools" / "score_facts.py"
    if not path.exists():
        pytest.skip("../shared/tools/score_facts.py is not present")
    return path
