"""A real review desk in its own process (uvicorn), for tests that need a server
to restart or many real connections: started, stopped and restarted by the test."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx

TEST_KEY = "a-live-test-key-of-forty-bytes-01234567"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class LiveServer:
    """``crisisdesk.web.app:app_from_env`` under uvicorn on a free loopback port."""

    def __init__(self, db_url: str, *, workdir: Path, env: dict[str, str] | None = None) -> None:
        self.db_url = db_url
        self.workdir = workdir
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {"CRISISDESK_SECRET_KEY": TEST_KEY, **(env or {})}
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> LiveServer:
        env = {**os.environ, "CRISISDESK_DB": self.db_url, **self.env}
        src = str(Path(__file__).resolve().parents[2] / "src")
        env["PYTHONPATH"] = src + os.pathsep + env.get("PYTHONPATH", "")
        args = [sys.executable, "-m", "uvicorn", "crisisdesk.web.app:app_from_env", "--factory"]
        args += ["--port", str(self.port), "--no-proxy-headers", "--log-level", "warning"]
        self.proc = subprocess.Popen(args, env=env, cwd=self.workdir)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the server exited with {self.proc.returncode}")
            try:
                httpx.get(self.url + "/login", timeout=1)
                return self
            except httpx.TransportError:
                time.sleep(0.1)
        raise RuntimeError("the server did not start within 60 s")

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.terminate()
            self.proc.wait(timeout=30)
            self.proc = None

    def restart(self) -> None:
        self.stop()
        self.start()

    def __enter__(self) -> LiveServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def uploaded(
    client: Any,
    csrf: str,
    name: str,
    data: bytes,
    params: dict[str, str] | None = None,
    timeout: float = 60.0,
) -> dict[str, Any]:
    """Upload a file through the API (202 and a job) and poll its job until it ends;
    returns the job as ``GET /api/jobs/{id}`` gives it (``state``, ``result``, ``error``)."""
    resp = client.post(
        "/api/documents",
        files={"file": (name, data, "text/plain")},
        headers={"X-CSRF-Token": csrf},
        params=params or {},
    )
    assert resp.status_code == 202, resp.text
    url = resp.json()["url"]
    assert resp.headers["location"] == url
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job: dict[str, Any] = client.get(url).json()
        assert "state" in job, job
        if job["state"] in ("done", "failed"):
            return job
        time.sleep(0.05)
    raise AssertionError(f"the upload job {url} did not end within {timeout} s")
