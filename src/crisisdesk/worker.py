"""The upload worker: extraction out of the web server's process.

An upload is kept as a job row (``store.jobs``) and answered 202 at once; the
worker extracts the queued files one at a time, oldest first, and writes each
document with its facts in one transaction. So a large PDF takes a CPU of its
own, at lower priority, instead of the interpreter every request shares.

- ``Uploads`` (``app.state.uploads``) starts the worker when a job is queued,
  and once when the app starts (jobs queued before a restart). Asks never wait
  and fold together, as the reconcile ``Refresher``'s do.
- ``python -m crisisdesk.worker`` (or ``crisisdesk worker``) is the worker: it
  takes the store's upload claim or leaves at once (another worker has it),
  puts back in the queue any job a killed worker left running, works until the
  queue has been empty for ``linger`` seconds, and exits.
- A store no other process can open (in-memory SQLite), or an app given its own
  pipeline (tests), runs the same loop in a thread instead.
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
from typing import Any

from crisisdesk.errors import CrisisdeskError
from crisisdesk.pipeline import IngestReport, Pipeline, ingest_bytes
from crisisdesk.store import Store

log = logging.getLogger(__name__)

URL_ENV = "CRISISDESK_WORKER_DB"
BUSY = 3  # exit code: another process is the store's upload worker
LINGER = 20.0  # seconds an idle worker waits for the next upload before it exits
POLL = 0.25  # seconds between looks at the queue while idle


def upload_answer(report: IngestReport, name: str, allow_duplicate: bool) -> dict[str, Any]:
    """What the upload did, as the job's result (the body the upload answered before)."""
    body: dict[str, Any] = {"ok": report.ok, **report.to_json()}
    body["skipped_documents"] = report.skipped
    body["worker_pid"] = os.getpid()  # the process that read it (not the web server's)
    if report.duplicates:
        _, of = report.duplicates[0]
        counted = "its figures are counted" if allow_duplicate else "its figures are not counted"
        body["duplicate_of"] = of
        body["warning"] = f"{name} repeats the stored document {of}; {counted} again"
    return body


def run_one(store: Store, pipeline: Callable[[], Pipeline]) -> bool:
    """Take and extract the oldest queued upload; False when the queue is empty."""
    taken = store.take_job()
    if taken is None:
        return False
    job, data = taken
    allow = bool(job.options.get("allow_duplicate"))
    try:
        report = ingest_bytes(store, data, job.name, pipeline=pipeline(), allow_duplicate=allow)
    except CrisisdeskError as exc:
        store.finish_job(job.id, error=exc.message)
        return True
    except Exception as exc:  # a defect: the job says so, the worker goes on
        log.exception("upload %s failed", job.id)
        store.finish_job(job.id, error=f"the file could not be read ({type(exc).__name__})")
        return True
    if report.failed and not (report.added or report.skipped or report.duplicates):
        where, message = report.failed[0]
        store.finish_job(job.id, error=f"{where or job.name}: {message}")
    else:
        store.finish_job(job.id, result=upload_answer(report, job.name, allow))
    return True


def work(store: Store, pipeline: Callable[[], Pipeline], linger: float = LINGER) -> bool:
    """Be the store's upload worker until the queue has been empty for ``linger``
    seconds; False at once when another process already is."""
    with store.job_claim() as mine:
        if not mine:
            return False
        if store.requeue_orphan_jobs():
            log.warning("uploads left running by a stopped worker were queued again")
        idle_since = time.monotonic()
        while True:
            if run_one(store, pipeline):
                idle_since = time.monotonic()
            elif time.monotonic() - idle_since >= linger:
                return True
            else:
                time.sleep(POLL)


class Uploads:
    """Starts the upload worker of one store when there is work (``app.state.uploads``)."""

    def __init__(
        self,
        store: Store,
        *,
        pipeline: Callable[[], Pipeline] | None = None,
        linger: float = LINGER,
    ) -> None:
        self.store = store
        self.linger = linger
        self._pipeline = pipeline
        self._lock = threading.Lock()
        self._wanted = False
        self._thread: threading.Thread | None = None
        self._idle = threading.Event()
        self._idle.set()
        self.last_error: str | None = None

    @property
    def in_process(self) -> bool:
        return self._pipeline is not None or not self.store.shared

    def ask(self) -> None:
        """A job was queued (or the app started): make sure a worker will take it."""
        with self._lock:
            self._wanted = True
            if self._thread is None:
                self._idle.clear()
                self._thread = threading.Thread(
                    target=self._loop, name="crisisdesk-uploads", daemon=True
                )
                self._thread.start()

    def wait(self, timeout: float = 60.0) -> bool:
        """Until this process has no worker running or asked for (tests)."""
        return self._idle.wait(timeout)

    def _loop(self) -> None:
        while True:
            with self._lock:
                if not self._wanted:
                    self._thread = None
                    self._idle.set()
                    return
                self._wanted = False
            try:
                self._once()
                self.last_error = None
            except Exception as exc:  # logged and kept: the next ask tries again
                self.last_error = f"{type(exc).__name__}: {exc}"
                log.exception("the upload worker failed")

    def _once(self) -> None:
        if not self.store.unfinished_jobs():  # taken meanwhile by the worker already running
            return
        while True:
            if self.in_process:
                build = self._pipeline or _lazy_pipeline()
                took = work(self.store, build, linger=0.0)
            else:
                took = _child(self.store, self.linger)
            if took or not self.store.queued_jobs():
                return
            # another process is the worker: it takes our job unless it was just
            # leaving; look again shortly, while anything is queued
            time.sleep(1.0)


def _lazy_pipeline() -> Callable[[], Pipeline]:
    built: list[Pipeline] = []

    def get() -> Pipeline:
        if not built:
            built.append(Pipeline.build())
        return built[0]

    return get


def _child(store: Store, linger: float) -> bool:
    """Run the worker as a child process at lower priority; False if it found another."""
    import crisisdesk

    env = dict(os.environ)
    env[URL_ENV] = store.url  # in the environment, not the command line: it may hold a password
    src = str(Path(crisisdesk.__file__).resolve().parents[1])  # the same code as this process
    env["PYTHONPATH"] = os.pathsep.join(p for p in (src, env.get("PYTHONPATH")) if p)
    done = subprocess.run(
        [sys.executable, "-m", "crisisdesk.worker", "--linger", str(linger)],
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        check=False,
    )
    if done.returncode == BUSY:
        return False
    if done.returncode != 0:
        tail = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["?"]
        raise RuntimeError(f"the upload worker exited with {done.returncode}: {tail[0]}")
    return True


def serve(url: str, linger: float = LINGER, nice: int = 10, migrate: bool = False) -> int:
    """Be the upload worker of the store at ``url`` (0), or leave at once (``BUSY``);
    ``migrate`` creates or upgrades the store first (the command; the server's child
    opens a store the server already upgraded)."""
    if nice:
        with contextlib.suppress(OSError):
            os.nice(nice)  # requests first
    with Store.open(url, migrate=migrate) as store:
        return 0 if work(store, _lazy_pipeline(), linger) else BUSY


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    linger = float(args[args.index("--linger") + 1]) if "--linger" in args else LINGER
    logging.basicConfig(level=logging.WARNING)
    return serve(os.environ[URL_ENV], linger)


if __name__ == "__main__":
    sys.exit(main())
