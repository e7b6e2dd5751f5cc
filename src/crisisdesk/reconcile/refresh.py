"""Stale figures are brought up to date off the request path: one background run
per store, however many requests ask.

A request that finds the stored figures stale answers from them anyway (saying
how stale) and asks the store's ``Refresher`` for a run. Asking is cheap and
never waits: asks that arrive while a run is queued or under way are folded
into one more run after it, so a hundred dashboards asking at once start one
run, not a hundred. The run is an incremental reconcile
(``incremental.reconcile_changed``) in a child process at lower priority, so a
large upload's reconcile neither holds the server's interpreter nor grows its
memory; several server processes share the store's claim
(``Store.refresh_claim``), so only one of them reconciles at a time. An
in-memory store (tests) is reconciled in a thread instead: no other process can
open it.

``python -m crisisdesk.reconcile.refresh`` is the child: it opens the store
named by $CRISISDESK_REFRESH_DB, takes the claim or leaves at once, and
reconciles what changed.
"""

from __future__ import annotations

import contextlib
import logging
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

from crisisdesk.reconcile.stored import stored_state
from crisisdesk.store import Store

log = logging.getLogger(__name__)

URL_ENV = "CRISISDESK_REFRESH_DB"
BUSY = 3  # the child's exit code when another process holds the claim
MIN_INTERVAL = 5.0  # seconds between the starts of two runs: uploads all day cost one run per
RUN_TIMEOUT = 3600.0


class Refresher:
    """The one background reconcile of one store (``app.state.refresher``)."""

    def __init__(
        self,
        store: Store,
        *,
        min_interval: float = MIN_INTERVAL,
        run: Callable[[Store], object] | None = None,
    ) -> None:
        self.store = store
        self.min_interval = min_interval
        self._run = run or (_child if store.shared else _in_process)
        self._lock = threading.Lock()
        self._wanted = False
        self._worker: threading.Thread | None = None
        self._idle = threading.Event()
        self._idle.set()
        self._last_start = float("-inf")
        self.runs = 0  # runs this process started (tests and the status answer read it)
        self.last_error: str | None = None

    @property
    def busy(self) -> bool:
        """A run is queued or under way in this process."""
        return not self._idle.is_set()

    def ask(self) -> None:
        """Ask for a run; returns at once. Asks made meanwhile fold into one more run."""
        with self._lock:
            self._wanted = True
            if self._worker is None:
                self._idle.clear()
                self._worker = threading.Thread(
                    target=self._work, name="crisisdesk-refresh", daemon=True
                )
                self._worker.start()

    def ask_if_stale(self) -> str:
        """The stored figures' state ("fresh", "stale", "none"); asks for a run unless fresh."""
        state = stored_state(self.store)
        if state != "fresh":
            self.ask()
        return state

    def wait(self, timeout: float = 60.0) -> bool:
        """Until no run is queued or under way here (tests, shutdown); False on timeout."""
        return self._idle.wait(timeout)

    def _work(self) -> None:
        while True:
            with self._lock:
                if not self._wanted:
                    self._worker = None
                    self._idle.set()
                    return
                self._wanted = False
            pause = self._last_start + self.min_interval - time.monotonic()
            if pause > 0:
                time.sleep(pause)  # asks arriving meanwhile join this run
            try:
                if stored_state(self.store) == "fresh":
                    continue
                self._last_start = time.monotonic()
                self.runs += 1
                self._run(self.store)
                self.last_error = None
            except Exception as exc:  # logged and kept: the next ask tries again
                self.last_error = f"{type(exc).__name__}: {exc}"
                log.exception("background reconcile failed")


def _in_process(store: Store) -> None:
    from crisisdesk.reconcile.incremental import reconcile_changed

    with store.refresh_claim() as mine:
        if mine:
            reconcile_changed(store)


def _child(store: Store) -> None:
    """Run the reconcile in a child process at lower priority; wait for it to end."""
    import crisisdesk

    env = dict(os.environ)
    env[URL_ENV] = store.url  # in the environment, not the command line: it may hold a password
    src = str(Path(crisisdesk.__file__).resolve().parents[1])  # the same code as this process
    env["PYTHONPATH"] = os.pathsep.join(p for p in (src, env.get("PYTHONPATH")) if p)
    done = subprocess.run(
        [sys.executable, "-m", "crisisdesk.reconcile.refresh"],
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        timeout=RUN_TIMEOUT,
        check=False,
    )
    if done.returncode not in (0, BUSY):
        tail = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["?"]
        raise RuntimeError(f"reconcile exited with {done.returncode}: {tail[0]}")


def main() -> int:
    """The child: reconcile what changed, unless another process is already at it."""
    from crisisdesk.reconcile.incremental import reconcile_changed

    with contextlib.suppress(OSError):
        os.nice(10)  # requests first
    with Store.open(os.environ[URL_ENV], migrate=False) as store, store.refresh_claim() as mine:
        if not mine:
            return BUSY
        if stored_state(store) != "fresh":
            reconcile_changed(store)
    return 0


if __name__ == "__main__":
    sys.exit(main())
