"""The login limiter: counted before the check (60 concurrent wrong passwords, no
more than the limit checked), per account and address, forwarded addresses
believed only from proxies named in the settings."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from crisisdesk.pipeline import Pipeline
from crisisdesk.store import Store
from crisisdesk.web import create_app
from crisisdesk.web.auth import LoginLimiter

from .conftest import PASSWORD
from .live import LiveServer

TEST_KEY = "a-test-key-of-forty-bytes-0123456789abcd"


def _failures(db_url: str) -> int:
    with Store.open(db_url) as store:
        return sum(1 for e in store.audit(limit=1000) if e.action == "login_failed")


def test_60_concurrent_wrong_logins_check_no_more_than_the_limit(db_url, seeded, tmp_path: Path):
    statuses: list[int] = []
    lock = threading.Lock()
    with LiveServer(db_url, workdir=tmp_path) as server:
        barrier = threading.Barrier(60)

        def attempt() -> None:
            barrier.wait()
            resp = httpx.post(
                server.url + "/api/session",
                json={"name": "ana", "password": "not the password"},
                timeout=60,
            )
            with lock:
                statuses.append(resp.status_code)

        threads = [threading.Thread(target=attempt) for _ in range(60)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    limit = LoginLimiter().per_account_address
    # 503: every password-check slot was busy for a while (not counted, not checked)
    assert len(statuses) == 60 and set(statuses) <= {401, 429, 503}
    assert 0 < statuses.count(401) <= limit
    assert _failures(db_url) == statuses.count(401) <= limit  # each check is audited


def _app(db_url: str, proxies: tuple[str, ...]) -> Any:
    limiter = LoginLimiter(per_account_address=2, per_address=50, delay=60)
    return create_app(
        db_url, secret_key=TEST_KEY, pipeline=Pipeline([]), limiter=limiter, trusted_proxies=proxies
    )


def _try(client: TestClient, forwarded: str) -> int:
    return client.post(
        "/api/session",
        json={"name": "ana", "password": "wrong"},
        headers={"X-Forwarded-For": forwarded},
    ).status_code


@pytest.mark.usefixtures("seeded")
def test_forwarded_for_is_ignored_unless_from_a_named_proxy(db_url):
    # no proxy named: a forged header does not make a new address
    with TestClient(_app(db_url, ()), client=("127.0.0.1", 1)) as client:
        codes = [_try(client, f"192.0.2.{i}") for i in range(4)]
    assert codes == [401, 401, 429, 429]
    # behind a named proxy, the address it forwards is the client's
    with TestClient(_app(db_url, ("10.0.0.0/8",)), client=("10.1.2.3", 1)) as client:
        codes = [_try(client, f"198.51.100.7, 192.0.2.{i}") for i in range(4)]
        assert codes == [401, 401, 401, 401]  # four clients, one failure each
        assert [_try(client, "garbage, 192.0.2.9") for _ in range(3)][-1] == 429


def test_the_limit_holds_across_two_servers_on_one_database(db_url, seeded):
    """Two apps (two server processes' worth: each its own limiter and pool of
    checks) on one database: 60 concurrent wrong passwords, split between them,
    get no more password checks than the limit; the rest are refused unchecked."""
    apps = [create_app(db_url, secret_key=TEST_KEY, pipeline=Pipeline([])) for _ in range(2)]
    statuses: list[int] = []
    lock = threading.Lock()
    with TestClient(apps[0]) as one, TestClient(apps[1]) as two:
        barrier = threading.Barrier(60)

        def attempt(client: TestClient) -> None:
            barrier.wait()
            resp = client.post("/api/session", json={"name": "ana", "password": "not it"})
            with lock:
                statuses.append(resp.status_code)

        threads = [threading.Thread(target=attempt, args=((one, two)[i % 2],)) for i in range(60)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        limit = LoginLimiter().per_account_address
        assert len(statuses) == 60 and set(statuses) <= {401, 429}
        assert 1 <= statuses.count(401) <= limit
        assert _failures(db_url) == statuses.count(401)  # a check is a login_failed row
        # and the owner's right password is still refused from here, by both
        for client in (one, two):
            resp = client.post("/api/session", json={"name": "ana", "password": PASSWORD})
            assert resp.status_code == 429
