"""Exports and reports are built a few at a time: the rest wait their turn, then 503."""

from __future__ import annotations

import threading

import pytest

from crisisdesk.web.errors import Unavailable
from crisisdesk.web.limits import HeavyGate


def test_a_full_gate_makes_the_next_job_wait_then_refuses_it():
    gate = HeavyGate(size=1, wait=0.2)
    inside = threading.Event()
    leave = threading.Event()

    def holder() -> None:
        with gate():
            inside.set()
            leave.wait(10)

    t = threading.Thread(target=holder)
    t.start()
    assert inside.wait(10)
    with pytest.raises(Unavailable), gate():
        pass
    leave.set()
    t.join()
    with gate():  # free again
        pass


def test_exports_pass_through_the_gate(client, login):
    login(client, "vic")
    gate: HeavyGate = client.app.state.heavy
    gate.wait = 0.2
    with gate(), gate():  # both slots taken, as by two long exports
        busy = client.get("/api/exports/csv")
    assert busy.status_code == 503 and busy.json()["code"] == "unavailable"
    assert client.get("/api/exports/csv").status_code == 200
