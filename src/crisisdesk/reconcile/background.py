"""Answers the stored figures cannot give, computed off the request path.

The stored figures mix every review status, so a verified-only total (or list
of figures) must reconcile the verified facts themselves. A request never does
that: it answers from the last answer computed for the same question, marked
``stale`` with its ``as_of`` when the store changed since, and asks for a new
one; before any answer exists it says ``pending``. One thread per process
computes the asked questions one at a time (asks for a question already
waiting fold into it), so a hundred dashboards asking at once cost one
reconcile per question, not a hundred, and never more than one at a time.

An answer is fresh while the store's version (moved by the database on every
change to documents, facts and places) is the one read *before* computing it.
Answers live in this process (at most ``KEEP`` questions): after a restart the
first ask of each question is pending again.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from crisisdesk.errors import CrisisdeskError
from crisisdesk.store import Store

log = logging.getLogger(__name__)

KEEP = 512  # questions whose last answer is kept
WAITING = 256  # questions waiting to be computed; an ask past that is dropped (asked again later)


@dataclass(frozen=True, slots=True)
class Answer:
    """The last answer to one question: its value, the store version it was computed
    at, and when it was done."""

    value: Any
    version: int | None
    as_of: datetime


@dataclass(frozen=True, slots=True)
class Served:
    """What a request gets: the answer (None while pending) and how fresh it is."""

    value: Any
    pending: bool
    stale: bool
    as_of: datetime | None
    error: str | None = None


class BackgroundAnswers:
    """Questions answered by one background thread, served from their last answer."""

    def __init__(self, store: Store, *, keep: int = KEEP) -> None:
        self.store = store
        self.keep = keep
        self._lock = threading.Lock()
        self._answers: OrderedDict[Hashable, Answer] = OrderedDict()
        self._errors: dict[Hashable, str] = {}
        self._waiting: OrderedDict[Hashable, Callable[[Store], Any]] = OrderedDict()
        self._thread: threading.Thread | None = None
        self._idle = threading.Event()
        self._idle.set()
        self._go = threading.Event()  # cleared while ``paused``
        self._go.set()
        self.computed = 0  # answers computed by this process (tests read it)

    @property
    def busy(self) -> bool:
        return not self._idle.is_set()

    def serve(self, key: Hashable, compute: Callable[[Store], Any]) -> Served:
        """The last answer to ``key`` (asking for a new one unless it is fresh)."""
        version = self.store.version()
        with self._lock:
            found = self._answers.get(key)
            if found is not None:
                self._answers.move_to_end(key)
            error = self._errors.get(key)
        fresh = found is not None and found.version == version
        if not fresh:
            self._ask(key, compute)
        if found is None:
            return Served(None, pending=True, stale=True, as_of=None, error=error)
        return Served(found.value, pending=False, stale=not fresh, as_of=found.as_of, error=error)

    @contextmanager
    def paused(self) -> Iterator[None]:
        """Nothing is computed meanwhile (asks still queue): what a request answers
        while the background is behind, shown on purpose (tests)."""
        self._go.clear()
        try:
            yield
        finally:
            self._go.set()

    def wait(self, timeout: float = 60.0) -> bool:
        """Until nothing is waiting or being computed (tests); False on timeout."""
        return self._idle.wait(timeout)

    def _ask(self, key: Hashable, compute: Callable[[Store], Any]) -> None:
        with self._lock:
            if key not in self._waiting:
                if len(self._waiting) >= WAITING:
                    return
                self._waiting[key] = compute
            if self._thread is None:
                self._idle.clear()
                self._thread = threading.Thread(
                    target=self._work, name="crisisdesk-answers", daemon=True
                )
                self._thread.start()

    def _work(self) -> None:
        while True:
            self._go.wait()
            with self._lock:
                if not self._waiting:
                    self._thread = None
                    self._idle.set()
                    return
                key, compute = self._waiting.popitem(last=False)
            try:
                version = self.store.version()  # before reading: a change meanwhile makes it stale
                current = self._answers.get(key)
                if current is not None and current.version == version:
                    continue
                try:
                    value = compute(self.store)
                except CrisisdeskError as exc:  # an answer too (an unknown place): said again
                    value = exc
                answer = Answer(value, version, datetime.now(UTC))
                with self._lock:
                    self._answers[key] = answer
                    self._answers.move_to_end(key)
                    while len(self._answers) > self.keep:
                        self._answers.popitem(last=False)
                    self._errors.pop(key, None)
                self.computed += 1
            except Exception as exc:  # kept for the next request to say; asked again then
                log.exception("a background answer failed")
                with self._lock:
                    self._errors[key] = f"{type(exc).__name__}: {exc}"


def value_of(served: Served) -> Any:
    """The answer's value; an error computed as the answer (an unknown place) is raised."""
    if isinstance(served.value, CrisisdeskError):
        raise served.value
    return served.value
