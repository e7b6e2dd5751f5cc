"""Answers kept while the store does not change: one app's memory of what a read
costs too much to compute for every request.

The store moves its version (``Store.version``, a one-row read) in the same
transaction as every change to documents, facts or their places, in any
process. A key that names the version read *before* computing can therefore
never serve an answer older than the store it names: a change committed
meanwhile moves the version, and the next request asks under a new key. Old
keys are never asked again and fall out of the cache, least recently used first
(at most ``size`` answers, and ``max_bytes`` of files among them).

Only answers that are a function of the key belong here: the stored facts,
documents and places (and, where named in the key, the stored figures' run
and anything else they read). What a request adds of its own (who asks, what
the background is doing) is added after.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from pydantic import TypeAdapter
from starlette.requests import Request

from crisisdesk.web.auth import VERSION_STATE

T = TypeVar("T")


class Kept:
    """A bounded, thread-safe map from keys to answers, least recently used out first."""

    def __init__(self, size: int = 256, max_bytes: int = 64 * 1024 * 1024) -> None:
        self.size = size
        self.max_bytes = max_bytes
        self._lock = threading.Lock()
        self._items: OrderedDict[Hashable, Any] = OrderedDict()
        self._bytes = 0
        self.hits = 0
        self.misses = 0

    def get(self, key: Hashable) -> Any | None:
        with self._lock:
            found = self._items.get(key)
            if found is None:
                self.misses += 1
                return None
            self._items.move_to_end(key)
            self.hits += 1
            return found

    def put(self, key: Hashable, value: Any) -> None:
        size = _size(value)
        if size > self.max_bytes:
            return  # larger than the whole cache: computed again when asked
        with self._lock:
            if key in self._items:
                self._bytes -= _size(self._items.pop(key))
            self._items[key] = value
            self._bytes += size
            while len(self._items) > self.size or self._bytes > self.max_bytes:
                _, dropped = self._items.popitem(last=False)
                self._bytes -= _size(dropped)

    def fetch(self, key: Hashable, compute: Callable[[], T]) -> T:
        """The kept answer for ``key``, or ``compute()`` kept for the next ask (two
        requests missing at once both compute; the answers are the same)."""
        found = self.get(key)
        if found is None:
            found = compute()
            self.put(key, found)
        return found  # type: ignore[no-any-return]

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._bytes = 0

    def __len__(self) -> int:
        return len(self._items)


def _size(value: Any) -> int:
    """The bytes an answer holds, counted against ``max_bytes`` (a file, or a tuple
    with files in it; other answers are small and counted by number only)."""
    if isinstance(value, bytes | bytearray):
        return len(value)
    if isinstance(value, tuple):
        return sum(len(v) for v in value if isinstance(v, bytes | bytearray))
    return 0


def request_version(request: Request) -> int | None:
    """The store's version for this request's kept answers: the one read with its
    session, in the same statement, before anything else (``Auth``), or read now.

    Read before the answer is computed either way, so a key made with it never
    files an answer older than the store it names. Only a read (GET or HEAD)
    uses the one read with the session: a request that changes the store reads
    it again.
    """
    state = request.scope.get("state") or {}
    if request.method in ("GET", "HEAD") and state.get(VERSION_STATE) is not None:
        return state[VERSION_STATE]  # type: ignore[no-any-return]
    return request.app.state.store.version()  # type: ignore[no-any-return]


_JSON = TypeAdapter(dict[str, Any])


def json_body(data: dict[str, Any]) -> bytes:
    """An answer's JSON as FastAPI writes a route's dict (pydantic's serialiser: a
    quarter of ``json.dumps``'s time on a page of 50 facts)."""
    return _JSON.dump_json(data)
