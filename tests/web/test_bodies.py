"""Bodies are refused before they are read: without a session, over the announced
limit, or (sent in chunks without a length) as soon as they pass the limit."""

from __future__ import annotations

import socket
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from .live import LiveServer

PASSWORD = "correct horse battery"


@pytest.fixture
def server(db_url: str, seeded: dict[str, Any], tmp_path: Path):
    with LiveServer(db_url, workdir=tmp_path) as live:
        yield live


def _raw(server: LiveServer, head: str, body: bytes = b"", *, trickle: int = 0) -> str:
    """Send a request by hand; return the status line and headers the server answers."""
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
        sock.sendall(head.encode() + b"\r\n" + body)
        for _ in range(trickle):  # keep sending while the server should already have answered
            try:
                sock.sendall(b"x" * 65536)
            except OSError:
                break
        sock.settimeout(10)
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = sock.recv(65536)
            if not chunk:
                break
            data += chunk
    return data.decode("latin-1")


def _session(server: LiveServer) -> tuple[str, str]:
    resp = httpx.post(server.url + "/api/session", json={"name": "ana", "password": PASSWORD})
    return resp.cookies["crisisdesk_session"], resp.json()["csrf_token"]


def test_unauthenticated_10_gb_body_is_answered_at_once(server):
    head = (
        "POST /api/documents HTTP/1.1\r\nHost: x\r\n"
        "Content-Type: multipart/form-data; boundary=b\r\n"
        f"Content-Length: {10 * 1024**3}\r\n"
    )
    answer = _raw(server, head, b"--b\r\n", trickle=4)
    assert answer.startswith("HTTP/1.1 413"), answer
    small = "POST /api/documents HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n"
    assert _raw(server, small, b"x" * 10).startswith("HTTP/1.1 401")


def test_announced_length_over_the_limit_is_413_before_the_body(server):
    cookie, csrf = _session(server)
    head = (
        "POST /api/documents HTTP/1.1\r\nHost: x\r\n"
        f"Cookie: crisisdesk_session={cookie}\r\nX-CSRF-Token: {csrf}\r\n"
        "Content-Type: multipart/form-data; boundary=b\r\n"
        f"Content-Length: {10 * 1024**3}\r\n"
    )
    started = time.monotonic()
    answer = _raw(server, head)
    assert answer.startswith("HTTP/1.1 413"), answer
    assert time.monotonic() - started < 10  # answered, not waited on (the socket timeout)


def test_chunked_body_is_cut_off_at_the_limit(server):
    cookie, csrf = _session(server)

    def chunks():
        yield b'--b\r\nContent-Disposition: form-data; name="file"; filename="big.txt"\r\n\r\n'
        for _ in range(400):  # 25 MiB, over the 10 MiB limit, with no Content-Length
            yield b"words " * 10923

    resp = httpx.post(
        server.url + "/api/documents",
        content=chunks(),
        headers={
            "Content-Type": "multipart/form-data; boundary=b",
            "X-CSRF-Token": csrf,
            "Cookie": f"crisisdesk_session={cookie}",
        },
        timeout=60,
    )
    assert resp.status_code == 413, resp.text
    assert resp.json()["code"] == "too_large"


def test_login_bodies_have_a_small_limit(server):
    resp = httpx.post(server.url + "/api/session", content=b"{" + b" " * 100_000 + b"}",
                      headers={"Content-Type": "application/json"})  # fmt: skip
    assert resp.status_code == 413
