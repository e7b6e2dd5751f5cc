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

import gc
import logging
import os
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from itertools import islice
from typing import IO, Any, TypeVar

from crisisdesk.errors import ConfigError, IngestError
from crisisdesk.extract import extract_document
from crisisdesk.ingest.jsonl import read_documents

log = logging.getLogger(__name__)
R = TypeVar("R")

BLOCK_LINES = 200
IN_FLIGHT_PER_WORKER = 4  # a worker never waits for the writer, nor the writer for long
# Dask's workers sample the running task's stack every 10 ms (its statistical
# profiler), check their event loop every 20 ms, their memory every 100 ms and the
# system every 0.5 s: each wake-up takes the interpreter lock from the pure-Python
# extraction running beside it. A local cluster runs without the sampler (its
# dashboard is off anyway) and checks the rest every second.
QUIET_WORKERS = {
    "distributed.worker.profile.enabled": False,
    "distributed.admin.system-monitor.gil.enabled": False,
    "distributed.admin.system-monitor.interval": "5s",
    "distributed.admin.tick.interval": "1s",
    "distributed.worker.memory.monitor-interval": "1s",
}


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
            facts.extend(f.to_json_text() + "\n" for f in extract_document(item))
            _freeze_tables()
    return facts, errors, documents


@cache
def _freeze_tables() -> None:
    """Once per process, after its first document: move every object alive out of the
    collector's generations (``gc.freeze``). They are then mostly the extractor's
    vocabularies, compiled patterns and gazetteer, loaded on first use and kept for the
    process's life, which each full collection would otherwise walk again. No collection
    first: it would walk them all once more; only the start-up's few cycles stay."""
    gc.freeze()


def _blocks(lines: Iterable[R], size: int) -> Iterator[tuple[int, list[R]]]:
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
    import dask

    with (
        dask.config.set(QUIET_WORKERS),
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


def warm_worker(build: Callable[[], Any] | None = None) -> None:
    """Load the extractor once per worker process, before its first block, and build
    the caller's pipeline there (``build``): later blocks pay nothing for start-up
    (0.66 s of imports, vocabularies and the gazetteer)."""
    import crisisdesk.extract  # noqa: F401 - importing is the point

    if build is not None:
        _pipeline(build)


class _WarmUp:
    """A Dask worker plugin: ``warm_worker`` on every worker, including one that
    joins (or is restarted by its nanny) after the run began."""

    name = "crisisdesk-warm-up"

    def __init__(self, build: Callable[[], Any] | None = None) -> None:
        self.build = build

    def setup(self, worker: Any) -> None:
        warm_worker(self.build)

    def teardown(self, worker: Any) -> None:
        return None


def run_ordered(
    engine: Engine,
    fn: Callable[..., R],
    tasks: Iterable[tuple[Any, ...]],
    build: Callable[[], Any] | None = None,
) -> Iterator[R]:
    """``fn(*task)`` for every task, on ``engine``, results in task order.

    On a cluster, up to ``IN_FLIGHT_PER_WORKER`` tasks per worker are in flight;
    results are taken as they complete (``as_completed``) and held in a reorder
    buffer until every earlier one has come, so a slow block never keeps the
    other workers idle, and memory is bounded by the window whatever the input.
    """
    if engine.local:
        for task in tasks:
            yield fn(*task)
        return
    with dask_client(engine) as client:
        yield from _ordered_on(client, fn, iter(tasks), build)


def _ordered_on(
    client: Any,
    fn: Callable[..., R],
    tasks: Iterator[tuple[Any, ...]],
    build: Callable[[], Any] | None,
) -> Iterator[R]:
    from distributed import as_completed

    _register_warm_up(client, build)
    window = IN_FLIGHT_PER_WORKER * max(1, len(client.scheduler_info()["workers"]))
    seq_of: dict[str, int] = {}
    ready: dict[int, Any] = {}
    submitted = next_out = 0
    running = as_completed()

    def submit() -> bool:
        nonlocal submitted
        task = next(tasks, None)
        if task is None:
            return False
        future = client.submit(fn, *task, pure=False)
        seq_of[future.key] = submitted
        submitted += 1
        running.add(future)
        return True

    while submitted - next_out < window and submit():
        pass
    for future in running:
        ready[seq_of.pop(future.key)] = future.result()
        future.release()
        while next_out in ready:
            yield ready.pop(next_out)
            next_out += 1
            submit()


def _register_warm_up(client: Any, build: Callable[[], Any] | None) -> None:
    try:
        client.register_plugin(_WarmUp(build))
    except Exception:  # an old cluster without plugins: warm the workers there are
        log.debug("worker plugin refused; warming with client.run", exc_info=True)
        client.run(warm_worker, build)


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
    for size, result in run_ordered(engine, _extract_sized, _blocks(lines, block_lines)):
        _write(result, size, out, summary, on_block)
    return summary


def _extract_sized(first_line: int, lines: list[str]) -> tuple[int, BlockResult]:
    """The block's size in bytes (for the progress bar) with its result; on the worker."""
    return sum(len(line.encode("utf-8")) for line in lines), extract_block(first_line, lines)


def _write(
    result: BlockResult,
    size: int,
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
        on_block(size, documents)


# -- ingest: raw records in, documents and facts stored in bulk ----------------------------

INGEST_BLOCK = 100  # raw records per block: a few seconds of work for one worker

_PIPELINES: dict[Any, Any] = {}


def _pipeline(build: Callable[[], Any]) -> Any:
    """The worker's pipeline, built once per process (the warm-up builds it early)."""
    pipeline = _PIPELINES.get(build)
    if pipeline is None:
        pipeline = _PIPELINES[build] = build()
    return pipeline


Worked = tuple[Any, tuple[Any, ...]]  # (Document, facts)
IngestBlock = tuple[Any, list[tuple[str, str]], int]


def ingest_block(records: list[Any], build: Callable[[], Any], dialect: str) -> IngestBlock:
    """Documents and their facts (extracted and placed by the pipeline ``build()`` makes,
    once per process) from raw records, as rows ready for the ``dialect``'s bulk load;
    on a worker. Returns (``bulk.Prepared``, failures as (where, message), bytes read)."""
    from crisisdesk.store.bulk import prepare

    works, failed, size = _process_records(records, build)
    return prepare(works, dialect), failed, size


def _process_records(
    records: list[Any], build: Callable[[], Any]
) -> tuple[list[Worked], list[tuple[str, str]], int]:
    from crisisdesk.errors import CrisisdeskError
    from crisisdesk.ingest.stream import records_to_ingested

    pipeline = _pipeline(build)
    works: list[Worked] = []
    failed: list[tuple[str, str]] = []
    size = 0
    for record in records:
        if isinstance(record, CrisisdeskError):
            failed.append((record.where or "?", record.message))
            continue
        size += len(record.data)
        for item in records_to_ingested(record):
            if isinstance(item, CrisisdeskError):
                failed.append((item.where or record.where, item.message))
                continue
            try:
                work = pipeline.process(item)
            except CrisisdeskError as exc:
                failed.append((exc.where or record.where, exc.message))
                continue
            works.append((work.document, tuple(work.facts or ())))
    return works, failed, size


def _unstored(
    blocks: Iterable[tuple[int, list[Any]]],
    engine: Any,
    summary: IngestSummary,
    on_block: Callable[[int, int], None] | None = None,
) -> Iterator[tuple[int, list[Any]]]:
    """Blocks without the records whose documents are all stored already (counted as
    skipped): a restarted run does not extract again what it stored before it was
    stopped. Parsing and hashing a record here costs about 1 % of extracting it; a
    record that fails to parse is left for the worker to report."""
    from crisisdesk.errors import CrisisdeskError
    from crisisdesk.ingest.stream import records_to_ingested
    from crisisdesk.store.bulk import stored_ids

    for first, block in blocks:
        ids: list[list[str] | None] = []
        for record in block:
            docs = [] if isinstance(record, CrisisdeskError) else records_to_ingested(record)
            ok = docs and not any(isinstance(d, CrisisdeskError) for d in docs)
            ids.append([d.document.id for d in docs] if ok else None)  # type: ignore[union-attr]
        known = stored_ids(engine, [i for got in ids if got for i in got])
        keep, size, done = [], 0, 0
        for record, got in zip(block, ids, strict=True):
            if got and all(i in known for i in got):
                summary.skipped.extend(got)
                size, done = size + len(record.data), done + len(got)
            else:
                keep.append(record)
        if on_block and done:
            on_block(size, done)  # the progress bar counts them as done
        if keep:
            yield first, keep


@dataclass
class IngestSummary:
    added: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    facts: int = 0
    languages: dict[str, str | None] = field(default_factory=dict)  # added document -> language
    duplicates: list[tuple[str, str]] = field(default_factory=list)  # (document, one it repeats)

    @property
    def ok(self) -> bool:
        return not self.failed


def ingest_stream(
    store: Any,
    paths: Iterable[Any],
    build: Callable[[], Any],
    *,
    engine: Engine | None = None,
    block_records: int | None = None,
    on_block: Callable[[int, int], None] | None = None,
    defer_indexes: bool | None = None,
    allow_duplicate: bool = False,
) -> IngestSummary:
    """Read ``paths`` as a stream (JSON lines plain or gzip, folders, tars), extract on
    ``engine``, and store the documents in bulk, in input order, block by block.

    Each block is one transaction and a stored document is never written again, so a
    run stopped anywhere and started again ends with every document stored once. The
    store is the same whatever the engine and the number of workers.
    ``build`` makes the pipeline (``Pipeline.build``: a module-level function, so that
    workers can rebuild it by name). ``on_block(bytes, documents)`` follows the progress.
    Blocks hold ``block_records`` raw records (else $CRISISDESK_INGEST_BLOCK, else
    ``INGEST_BLOCK``). ``defer_indexes``: build the facts' secondary indexes after the
    load rather than during it (``store.deferred``); by default when the input is
    expected to add at least as many facts as are stored, on PostgreSQL. A document
    that repeats a stored one, or an earlier one of the input (``store.duplicates``,
    as ``Pipeline.ingest`` finds them), is stored naming it and listed in
    ``duplicates``; its facts are stored and counted only with ``allow_duplicate``.
    """
    from crisisdesk.ingest.stream import input_bytes
    from crisisdesk.store import deferred

    paths = list(paths)
    if defer_indexes is None:
        defer_indexes = deferred.worth_deferring(store.engine, input_bytes(paths))
    with deferred.load(store.engine, defer_indexes):
        return _ingest_stream(store, paths, build, engine, block_records, on_block, allow_duplicate)


def _ingest_stream(
    store: Any,
    paths: list[Any],
    build: Callable[[], Any],
    engine: Engine | None,
    block_records: int | None,
    on_block: Callable[[int, int], None] | None,
    allow_duplicate: bool,
) -> IngestSummary:
    from crisisdesk.ingest.stream import iter_records
    from crisisdesk.store.overlap import add_blocks

    engine = engine or Engine()
    summary = IngestSummary()
    block_records = block_records or int(os.environ.get("CRISISDESK_INGEST_BLOCK", INGEST_BLOCK))
    dialect = store.engine.dialect.name
    records = _blocks(iter_records(paths), block_records)
    if store.count_documents():  # a restart, or more reports for a store: skip the known
        records = _unstored(records, store.engine, summary, on_block)
    blocks = ((block, build, dialect) for _first, block in records)
    made = run_ordered(engine, ingest_block, blocks, build)
    done = ((prepared, (failed, size)) for prepared, failed, size in made)
    for prepared, (failed, size), loaded in add_blocks(
        store.engine, done, allow_duplicate=allow_duplicate
    ):
        for row in prepared.documents:
            doc_id = row["id"]
            of = loaded.duplicates.get(doc_id)
            if of is not None:
                summary.duplicates.append((doc_id, of))
            if doc_id not in loaded.added:
                summary.skipped.append(doc_id)
            elif of is None or allow_duplicate:  # as Pipeline.ingest counts them
                summary.added.append(doc_id)
                summary.languages[doc_id] = row.get("language")
                summary.facts += prepared.counts[doc_id]
        summary.failed.extend(failed)
        if on_block:
            on_block(size, len(prepared.ids) + len(failed))
    return summary
