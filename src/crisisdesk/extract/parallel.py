"""Extract a large documents file on several cores, with Dask.

``extract_document`` is pure, so a documents file can be cut into blocks of
lines and each block extracted in its own worker process. Blocks are handed
out ``workers`` at a time and their facts written in input order, so the output
is the same file a single process writes, and memory stays bounded by a few
blocks whatever the size of the input.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from itertools import islice
from typing import IO

from crisisdesk.errors import ConfigError
from crisisdesk.extract.documents import LineError, read_documents

BLOCK_LINES = 500


@dataclass
class ParallelSummary:
    documents: int = 0
    facts: int = 0
    errors: list[LineError] = field(default_factory=list)


def _extract_block(first_line: int, lines: list[str]) -> tuple[list[str], list[LineError], int]:
    """Facts (as JSON lines) and bad lines of one block; runs in a worker process."""
    from crisisdesk.extract import extract_document

    facts: list[str] = []
    errors: list[LineError] = []
    documents = 0
    for item in read_documents(lines):
        if isinstance(item, LineError):
            errors.append(LineError(item.line + first_line - 1, item.message))
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


def extract_lines_parallel(
    lines: Iterable[str],
    out: IO[str],
    *,
    workers: int,
    block_lines: int = BLOCK_LINES,
    on_block: Callable[[int], None] | None = None,
) -> ParallelSummary:
    """Extract every document of a JSON-lines stream with ``workers`` processes.

    ``on_block`` is called with the number of input characters of each block
    written, for a progress bar.
    """
    try:
        import dask
    except ImportError as exc:  # pragma: no cover - dask is a declared dependency
        raise ConfigError("parallel extraction needs dask (pip install dask)") from exc
    if workers < 1:
        raise ConfigError(f"--workers must be at least 1, not {workers}")
    summary = ParallelSummary()
    blocks = _blocks(lines, block_lines)
    with ProcessPoolExecutor(max_workers=workers) as pool:
        while batch := list(islice(blocks, workers * 2)):
            tasks = [dask.delayed(_extract_block)(first, block) for first, block in batch]
            # chunksize=1: Dask would otherwise hand several blocks to one worker at once
            results = dask.compute(*tasks, scheduler="processes", pool=pool, chunksize=1)
            for (_first, block), (facts, errors, documents) in zip(batch, results, strict=True):
                out.writelines(facts)
                summary.facts += len(facts)
                summary.documents += documents
                summary.errors.extend(errors)
                if on_block:
                    on_block(sum(len(line) for line in block))
    return summary
