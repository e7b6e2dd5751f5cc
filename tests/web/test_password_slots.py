"""Password checks (argon2, 64 MiB each) are bounded across every server process of a
store: a real server whose slots are all held by another process answers 503 with
Retry-After at once instead of queueing, and does not count the attempt; with one slot
free it logs in. SQLite (file locks) and PostgreSQL (advisory locks)."""

from __future__ import annotations

import time
from contextlib import ExitStack
from pathlib import Path

import httpx
import pytest

from crisisdesk.accounts import hash_password
from crisisdesk.store import Store

from .live import LiveServer

PASSWORD = "slots test passphrase"
SLOTS = 3


@pytest.fixture
def desk(store_url: str) -> str:
    with Store.open(store_url) as store:
        store.add_user("ana", "analyst", hash_password(PASSWORD), by="test")
    return store_url


def _login(base: str, password: str = PASSWORD) -> httpx.Response:
    return httpx.post(base + "/api/session", json={"name": "ana", "password": password}, timeout=60)


def test_busy_slots_in_another_process_answer_503(desk: str, tmp_path: Path) -> None:
    env = {"CRISISDESK_PASSWORD_CHECKS": str(SLOTS)}
    with LiveServer(desk, workdir=tmp_path, env=env) as server, Store.open(desk) as other:
        assert _login(server.url).status_code == 200
        with ExitStack() as held:  # this test process takes every slot of the store
            taken = [held.enter_context(other.slot("password", SLOTS)) for _ in range(SLOTS)]
            assert sorted(taken) == list(range(SLOTS))  # type: ignore[type-var]
            assert held.enter_context(other.slot("password", SLOTS)) is None
            for _ in range(6):  # more than the limiter's 5: refused ones are not counted
                started = time.monotonic()
                busy = _login(server.url, "wrong password here")
                assert busy.status_code == 503, busy.text
                assert busy.headers["retry-after"] == "2"
                assert busy.json()["code"] == "unavailable"
                assert time.monotonic() - started < 10  # waited a bounded while, no queue
        ok = _login(server.url)
        assert ok.status_code == 200, ok.text  # no failure was counted meanwhile
        with other.slot("password", SLOTS), other.slot("password", SLOTS):
            assert _login(server.url).status_code == 200  # one slot left is enough
