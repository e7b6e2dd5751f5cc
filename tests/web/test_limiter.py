"""The limiter's rules, against a real store: counted before the check, so
concurrent attempts never pass the limit, in one app or across two sharing a
database; waits grow exponentially per account+address; a right password ends
its count; the owner elsewhere is never locked out."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from crisisdesk.store import Store
from crisisdesk.web.auth import LoginLimiter
from crisisdesk.web.errors import TooManyAttempts


@pytest.fixture
def stores(store_url: str):
    """Two stores on one database: two server processes' views of it."""
    a, b = Store.open(store_url), Store.open(store_url)
    yield a, b
    a.close()
    b.close()


def test_concurrent_reservations_never_pass_the_limit(stores):
    limiter = LoginLimiter(per_account_address=5, per_address=1000, delay=60)
    passed: list[int] = []
    barrier = threading.Barrier(40)

    def attempt(i: int) -> None:
        barrier.wait()
        try:
            limiter.reserve(stores[i % 2], "ana", "192.0.2.1")  # two "processes"
        except TooManyAttempts:
            return
        passed.append(i)

    threads = [threading.Thread(target=attempt, args=(i,)) for i in range(40)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(passed) == 5  # the first five in commit order, none of the rest


def test_the_count_is_the_stores_not_the_processes(stores):
    one, other = (
        LoginLimiter(per_account_address=3, per_address=1000, delay=60),
        LoginLimiter(per_account_address=3, per_address=1000, delay=60),
    )
    for k in range(3):
        limiter, store = (one, stores[0]) if k % 2 == 0 else (other, stores[1])
        limiter.failed(store, limiter.reserve(store, "ana", "a"))
    for limiter, store in ((one, stores[0]), (other, stores[1])):
        with pytest.raises(TooManyAttempts):
            limiter.reserve(store, "ANA", "a")  # names compare without case
    # a restart forgets nothing: a new store object on the same database
    with Store.open(stores[0].url) as again, pytest.raises(TooManyAttempts):
        LoginLimiter(per_account_address=3, delay=60).reserve(again, "ana", "a")
    failed = [e for e in stores[0].audit(limit=100) if e.action == "login_failed"]
    assert len(failed) == 3  # refused attempts leave no row


def test_waits_double_and_other_addresses_are_not_locked_out(tmp_path: Path):
    clock = [datetime(2026, 1, 1, tzinfo=UTC)]
    limiter = LoginLimiter(
        per_account_address=2, per_address=1000, delay=10, max_delay=100, window=10_000,
        clock=lambda: clock[0],
    )  # fmt: skip
    with Store.open(f"sqlite:///{tmp_path / 'l.sqlite'}") as store:
        for _ in range(2):
            limiter.failed(store, limiter.reserve(store, "ana", "a"))
        with pytest.raises(TooManyAttempts):
            limiter.reserve(store, "ana", "a")
        limiter.failed(store, limiter.reserve(store, "ana", "b"))  # the owner, elsewhere
        waits = []
        for _ in range(5):
            start = clock[0]
            while True:
                try:
                    ticket = limiter.reserve(store, "ana", "a")
                    break
                except TooManyAttempts:
                    clock[0] += timedelta(seconds=1)
            limiter.failed(store, ticket)
            waits.append((clock[0] - start).total_seconds())
        assert waits == [10, 20, 40, 80, 100]
        clock[0] += timedelta(seconds=100)
        limiter.succeeded(store, limiter.reserve(store, "ana", "a"))
        limiter.reserve(store, "ana", "a")  # a right password ended the count
