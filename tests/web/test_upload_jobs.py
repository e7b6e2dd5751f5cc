"""Uploads are extracted by a worker process: a real server (uvicorn) answers 202 with a
job, a worker child reads the file; a worker killed mid-file leaves no document and its
job is read again by the next; jobs queued before a restart are read after it; two
workers never run on one store. SQLite and PostgreSQL."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from crisisdesk.accounts import hash_password
from crisisdesk.store import Store
from crisisdesk.worker import BUSY, URL_ENV

from .live import LiveServer, uploaded

PASSWORD = "upload jobs passphrase"
SRC = str(Path(__file__).resolve().parents[2] / "src")
# a short report of ours; repeated, it makes a file that takes the worker seconds (sizes kept
# modest: on a machine shared with other work each second of CPU may take five of wall time)
PAGE = (
    "Volunteers in Sarmin said on {day} March that {n} civilians were killed and "
    "{m} injured when the market was shelled. About {f} families arrived in Binnish.\n\n"
)


def _report(copies: int, salt: int = 0) -> bytes:
    return "".join(
        PAGE.format(day=1 + i % 27, n=3 + (i + salt) % 40, m=5 + i % 60, f=100 + i + salt)
        for i in range(copies)
    ).encode()


def _login(base: str) -> tuple[httpx.Client, str]:
    client = httpx.Client(base_url=base, timeout=60)
    resp = client.post("/api/session", json={"name": "ana", "password": PASSWORD})
    resp.raise_for_status()
    return client, resp.json()["csrf_token"]


def _worker(url: str, linger: float = 0.0) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        URL_ENV: url,
        "PYTHONPATH": SRC + os.pathsep + os.environ.get("PYTHONPATH", ""),
    }
    args = [sys.executable, "-m", "crisisdesk.worker", "--linger", str(linger)]
    return subprocess.Popen(args, env=env, stderr=subprocess.PIPE)


@pytest.fixture
def desk(store_url: str) -> str:
    with Store.open(store_url) as store:
        store.add_user("ana", "analyst", hash_password(PASSWORD), by="test")
    return store_url


def test_upload_is_read_by_a_worker_process(desk: str, tmp_path: Path) -> None:
    with LiveServer(desk, workdir=tmp_path) as server:
        client, csrf = _login(server.url)
        started = time.monotonic()
        resp = client.post(
            "/api/documents",
            files={"file": ("big.txt", _report(800), "text/plain")},
            headers={"X-CSRF-Token": csrf},
        )
        answered = time.monotonic() - started
        assert resp.status_code == 202 and resp.json()["state"] == "queued"
        # the server answers other requests while the worker reads the file
        assert client.get("/api/documents").status_code == 200
        job = uploaded(client, csrf, "small.txt", _report(3, salt=7), timeout=300)
        assert job["state"] == "done", job
        big = client.get(resp.json()["url"]).json()
        assert big["state"] == "done", big  # one at a time, oldest first: done before
        assert big["result"]["facts"] > 1000 and job["result"]["facts"] > 0
        assert big["finished_at"] <= job["started_at"]
        assert server.proc is not None
        assert big["result"]["worker_pid"] != server.proc.pid
        assert answered < 5.0  # it did not wait for extraction (which takes seconds)


def test_a_killed_worker_leaves_no_document_and_the_job_runs_again(desk: str) -> None:
    with Store.open(desk) as store:
        _no_worker_left(store)
        job = store.add_job("big.txt", _report(2500), {}, "ana")
        documents = store.count_documents()
    worker = _worker(desk)
    deadline = time.monotonic() + 60
    with Store.open(desk) as store:
        while store.get_job(job.id).state == "queued":  # type: ignore[union-attr]
            assert time.monotonic() < deadline and worker.poll() is None
            time.sleep(0.05)
        time.sleep(0.3)
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=30)
        left = store.get_job(job.id)
        assert left is not None and left.state == "running"  # killed mid-file
        assert store.count_documents() == documents  # no half document
    again = _worker(desk)
    assert again.wait(timeout=300) == 0, again.stderr.read() if again.stderr else ""
    with Store.open(desk) as store:
        done = store.get_job(job.id)
        assert done is not None and done.state == "done" and done.attempts == 2
        assert store.count_documents() == documents + 1
        assert done.result is not None and done.result["facts"] > 1000


def test_jobs_queued_before_a_restart_are_read_after_it(desk: str, tmp_path: Path) -> None:
    with Store.open(desk) as store:  # queued while no server runs
        job = store.add_job("waiting.txt", _report(4, salt=3), {}, "ana")
    with LiveServer(desk, workdir=tmp_path) as server:
        client, _ = _login(server.url)
        deadline = time.monotonic() + 120
        while (seen := client.get(f"/api/jobs/{job.id}").json())["state"] != "done":
            assert time.monotonic() < deadline and seen["state"] != "failed", seen
            time.sleep(0.1)
        assert seen["result"]["added"] == 1


def _no_worker_left(store: Store) -> None:
    """Wait for a worker an earlier server started on this database to leave (it
    lingers for a while after its last upload)."""
    deadline = time.monotonic() + 120
    while True:
        with store.job_claim() as free:
            if free:
                return
        assert time.monotonic() < deadline
        time.sleep(0.2)


def test_one_worker_per_store(desk: str) -> None:
    with Store.open(desk) as store:
        _no_worker_left(store)
        store.add_job("one.txt", _report(1500), {}, "ana")
    first = _worker(desk, linger=2.0)
    time.sleep(0.2)
    with Store.open(desk) as store:
        deadline = time.monotonic() + 60
        while store.queued_jobs():  # the first has taken the claim and the job
            assert time.monotonic() < deadline
            time.sleep(0.05)
    second = _worker(desk)
    assert second.wait(timeout=60) == BUSY
    assert first.wait(timeout=300) == 0
