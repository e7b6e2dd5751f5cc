"""The limiter's rules, directly: check-and-count is one step, waits grow
exponentially per account+address, and a right password clears its count."""

from __future__ import annotations

import threading

import pytest

from crisisdesk.web.auth import LoginLimiter
from crisisdesk.web.errors import TooManyAttempts


def test_concurrent_reservations_never_pass_the_limit():
    limiter = LoginLimiter(per_account_address=5, per_address=1000, delay=60)
    passed: list[int] = []
    barrier = threading.Barrier(60)

    def attempt(i: int) -> None:
        barrier.wait()
        try:
            limiter.reserve("ana", "192.0.2.1")
        except TooManyAttempts:
            return
        passed.append(i)

    threads = [threading.Thread(target=attempt, args=(i,)) for i in range(60)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(passed) == 5


def test_waits_double_and_other_addresses_are_not_locked_out(monkeypatch):
    clock = [1000.0]
    monkeypatch.setattr("crisisdesk.web.auth.time.monotonic", lambda: clock[0])
    limiter = LoginLimiter(per_account_address=2, per_address=1000, delay=10, max_delay=100)
    for _ in range(2):
        limiter.reserve("ana", "a")
        limiter.failed("ana", "a")
    with pytest.raises(TooManyAttempts):
        limiter.reserve("ana", "a")
    limiter.reserve("ana", "b")  # the owner, elsewhere
    waits = []
    for _ in range(5):
        start = clock[0]
        while True:
            try:
                limiter.reserve("ana", "a")
                break
            except TooManyAttempts:
                clock[0] += 1
        limiter.failed("ana", "a")
        waits.append(clock[0] - start)
    assert waits == [10, 20, 40, 80, 100]
    limiter.succeeded("ana", "a")
    limiter.reserve("ana", "a")  # a right password cleared the count
