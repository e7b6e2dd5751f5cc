"""The engine of the heavy stages: this process or a Dask cluster, with the same output.

``extract_document`` is pure, so a documents file can be cut into blocks of
lines and each block extracted wherever a worker is: in this process
(``Engine()``), on a local cluster of worker processes (``Engine(workers=4)``:
a ``distributed.LocalCluster`` on this machine) or on an existing cluster
(``Engine(scheduler="tcp://host:8786")``, its scheduler and workers started
with Dask's own ``dask scheduler`` / ``dask worker`` commands). Blocks are kept
in flight a few per worker and their facts written in input order, so the
output is byte for byte the file one process writes, and memory stays bounded
by a few blocks whatever the size of the input.
"""

from __future__ import annotations

import json
import logging
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import islice
from typing import IO, Any

from crisisdesk.errors import ConfigError, IngestError
from crisisdesk.extract import extract_document
from crisisdesk.ingest.jsonl import read_documents

BLOCK_LINES = 200
IN_FLIGHT_PER_WORKER = 3  # a worker never waits for the writer, nor the writer for long


@dataclass(frozen=True, slots=True)
class Engine:
    """Where the heavy stages run: here (the default), ``workers`` local processes, or
    the Dask cluster whose scheduler is at ``scheduler``."""

    workers: int = 1
    scheduler: str | None = None

    def __post_init__(self) -> None:
        if self.workers < 1:
            raise ConfigError(f"--workers must be at least 1, not {self.workers}")
        if self.scheduler is not None and not self.scheduler.strip():
            raise ConfigError("--scheduler needs an address such as tcp://127.0.0.1:8786")

    @property
    def local(self) -> bool:
        """True when everything runs in this process (no cluster to start or reach)."""
        return self.scheduler is None and self.workers == 1


@dataclass
class ExtractSummary:
    documents: int = 0
    facts: int = 0
    errors: list[str] = field(default_factory=list)  # "line N: what is wrong"


BlockResult = tuple[list[str], list[str], int]


def extract_block(first_line: int, lines: list[str]) -> BlockResult:
    """Facts (as JSON lines) and bad lines of one block; runs in a worker."""
    facts: list[str] = []
    errors: list[str] = []
    documents = 0
    for number, line in enumerate(lines, start=first_line):
        for item in read_documents([line]):  # one line at a time: errors name their line
            if isinstance(item, IngestError):
                errors.append(f"line {number}: {item.message}")
                continue
            documents += 1
            facts.extend(
                json.dumps(f.to_json(), ensure_ascii=False) + "\n" for f in extract_document(item)
            )
    return facts, errors, documents


def _blocks(lines: Iterable[str], size: int) -> Iterator[tuple[int, list[str]]]:
    it = iter(lines)
    first = 1
    while block := list(islice(it, size)):
        yield first, block
        first += len(block)


@contextmanager
def dask_client(engine: Engine) -> Iterator[Any]:
    """A ``distributed.Client`` on the engine's cluster: an existing one at its scheduler
    address, else a local cluster of ``workers`` single-threaded processes (the extractor
    is pure Python: threads would share one interpreter lock)."""
    try:
        from distributed import Client, LocalCluster
    except ImportError as exc:  # pragma: no cover - distributed is a declared dependency
        raise ConfigError("a cluster engine needs dask's distributed package") from exc
    if engine.scheduler:
        try:
            client = Client(engine.scheduler, timeout="5s")
        except OSError as exc:
            raise ConfigError(
                f"cannot reach the Dask scheduler at {engine.scheduler}: {exc}"
            ) from exc
        try:
            yield client
        finally:
            client.close()
        return
    with (
        LocalCluster(
            n_workers=engine.workers,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            silence_logs=logging.ERROR,
        ) as cluster,
        Client(cluster) as client,
    ):
        yield client


def extract_stream(
    lines: Iterable[str],
    out: IO[str],
    *,
    engine: Engine | None = None,
    block_lines: int = BLOCK_LINES,
    on_block: Callable[[int, int], None] | None = None,
) -> ExtractSummary:
    """Extract every document of a JSON-lines stream on ``engine``; facts go to ``out`` in
    input order whatever the engine.

    ``on_block`` is called with the characters and the documents of each block written,
    for a progress bar.
    """
    engine = engine or Engine()
    summary = ExtractSummary()
    blocks = _blocks(lines, block_lines)
    if engine.local:
        for first, block in blocks:
            _write(extract_block(first, block), block, out, summary, on_block)
        return summary
    with dask_client(engine) as client:
        window = IN_FLIGHT_PER_WORKER * max(1, len(client.scheduler_info()["workers"]))
        pending: deque[tuple[list[str], Any]] = deque()
        for first, block in blocks:
            pending.append((block, client.submit(extract_block, first, block, pure=False)))
            if len(pending) >= window:
                done_block, future = pending.popleft()
                _write(future.result(), done_block, out, summary, on_block)
        while pending:
            done_block, future = pending.popleft()
            _write(future.result(), done_block, out, summary, on_block)
    return summary


def _write(
    result: BlockResult,
    block: list[str],
    out: IO[str],
    summary: ExtractSummary,
    on_block: Callable[[int, int], None] | None,
) -> None:
    facts, errors, documents = result
    out.writelines(facts)
    summary.facts += len(facts)
    summary.documents += documents
    summary.errors.extend(errors)
    if on_block:
        on_block(sum(len(line.encode("utf-8")) for line in block), documents)
