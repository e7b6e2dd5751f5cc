"""Bodies: refused before they are read unless a live session sends them.

A pure ASGI middleware, so nothing has read (or spooled) a byte of the body
when it decides:

- a ``Content-Length`` over the limit is answered 413 at once;
- a request with a body and no live session is answered 401 at once (the
  login routes excepted, with a small limit of their own);
- a body sent without a length (chunked) is counted while it streams and
  cut off at the limit with 413.

``HeavyGate`` bounds the exports built at once, in one process and across the
server processes of one store.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Awaitable, Callable, Iterator, MutableMapping
from contextlib import contextmanager
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request

from crisisdesk.web.errors import Unavailable, error_body

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

LOGIN_PATHS = frozenset({"/api/session", "/login"})
LOGIN_LIMIT = 16 * 1024  # a name, a password, a token
FORM_OVERHEAD = 64 * 1024  # multipart boundaries and the other fields around an upload
NO_BODY = frozenset({"GET", "HEAD", "OPTIONS", "DELETE"})


class TooLarge(HTTPException):
    """The streamed body went over the limit (an HTTPException, so FastAPI's body
    parsing passes it on as it is and the error handlers answer 413)."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"the body is over {limit} bytes")


class BodyLimit:
    """Refuse oversized and unauthenticated bodies before reading them."""

    def __init__(self, app: ASGIApp, *, max_body: Callable[[], int]) -> None:
        self.app = app
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in NO_BODY and not _length(scope):
            await self.app(scope, receive, send)
            return
        path = scope["path"]
        login = path in LOGIN_PATHS
        limit = LOGIN_LIMIT if login else self.max_body() + FORM_OVERHEAD
        length = _length(scope)
        if length is not None and length > limit:
            await _answer(send, scope, 413, "too_large", f"the body is over {limit} bytes")
            return
        if not login and not await run_in_threadpool(_has_session, scope):
            await _answer(send, scope, 401, "unauthorized", "log in first")
            return
        await self._streamed(scope, receive, send, limit)

    async def _streamed(self, scope: Scope, receive: Receive, send: Send, limit: int) -> None:
        seen = 0
        started = False

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise TooLarge(limit)
            return message

        async def tracked(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counted, tracked)
        except TooLarge:
            if not started:
                await _answer(send, scope, 413, "too_large", f"the body is over {limit} bytes")


def _length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return 0
    return None


def _has_session(scope: Scope) -> bool:
    """A live session row for this request's cookie (cached for the route)."""
    request = Request(scope)
    return request.app.state.auth.session(request) is not None


async def _answer(send: Send, scope: Scope, status: int, code: str, message: str) -> None:
    """The API's JSON error (pages get the same text); the connection then closes."""
    body = json.dumps(error_body(status, code, message)).encode()
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
        (b"connection", b"close"),
    ]
    if status == 401 and not scope["path"].startswith("/api"):
        headers = [(b"location", b"/login"), (b"content-length", b"0"), (b"connection", b"close")]
        status, body = 303, b""
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


BUSY = "too many exports and reports at once: try again in a moment"


class HeavyGate:
    """At most ``size`` heavy jobs (exports) at once in one server process
    (``app.state.heavy``), and, given the store, in all the server processes of
    that store together (its ``heavy`` slots: ``Store.slot``).

    Each reads every fact of its window and builds the whole file in memory: a
    few at once already cost more than all the reads around them, and many at
    once would hold the interpreter and memory from everyone else. Further
    ones wait their turn (up to ``wait`` seconds, then 503), so reads and edits
    keep their share whatever the exports do.
    """

    def __init__(self, size: int = 2, wait: float = 120.0, poll: float = 0.05) -> None:
        self.size = size
        self._slots = threading.BoundedSemaphore(size)
        self.wait = wait
        self.poll = poll

    @contextmanager
    def __call__(self, store: Any = None) -> Iterator[None]:
        deadline = time.monotonic() + self.wait
        if not self._slots.acquire(timeout=self.wait):
            raise Unavailable(BUSY)
        try:
            if store is None:
                yield
                return
            while True:  # a store-wide slot: never waited for, so tried again in a moment
                with store.slot("heavy", self.size) as number:
                    if number is not None:
                        yield
                        return
                if time.monotonic() >= deadline:
                    raise Unavailable(BUSY)
                time.sleep(self.poll)
        finally:
            self._slots.release()
