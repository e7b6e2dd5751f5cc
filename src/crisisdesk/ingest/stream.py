"""Raw records of a large input, one at a time, in constant memory.

An archive of reports is read as a stream of small raw records that a worker
can turn into documents on its own: a line of a JSON-lines file (plain or
gzip), or the bytes of one file (a report in a folder, or a member of a tar).
Nothing is parsed here: parsing is the workers' job (``records_to_ingested``),
and only one line or one file is ever held, whatever the size of the input.
Records come out in a stable order (folders sorted, tar members as stored),
so every run and every engine sees the same documents in the same order.
"""

from __future__ import annotations

import gzip
import io
import json
import tarfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, cast

from crisisdesk.errors import IngestError
from crisisdesk.ingest.common import DEFAULT_MAX_BYTES, check_size
from crisisdesk.model import Ingested

LINES = "line"
FILE = "file"
_JSONL = (".jsonl", ".ndjson")
_TAR = (".tar", ".tar.gz", ".tgz")


@dataclass(frozen=True, slots=True)
class RawRecord:
    """One unit of work: a documents-file line, or a whole small file's bytes."""

    kind: str  # LINES or FILE
    where: str  # "<file>, line N" or the file's name (a tar member: "<tar>:<member>")
    origin: str  # the file the document came from
    data: str | bytes


def _suffixes(path: Path | str) -> str:
    return "".join(Path(str(path)).suffixes[-2:]).lower()


def is_streamed(path: Path) -> bool:
    """Inputs only the streaming reader handles: gzip'd JSON lines and tars."""
    name = path.name.lower()
    return name.endswith(_TAR) or name.endswith(tuple(s + ".gz" for s in _JSONL))


def iter_records(
    paths: Iterable[Path | str], *, max_bytes: int = DEFAULT_MAX_BYTES
) -> Iterator[RawRecord | IngestError]:
    """Every raw record of ``paths`` (files, folders, tars, JSON lines plain or gzip)."""
    from crisisdesk.ingest import expand_paths

    for given in paths:
        path = Path(given)
        files = expand_paths([path]) if path.is_dir() else [path]
        if path.is_dir():  # expand_paths keeps known suffixes only: add the streamed ones
            files = sorted({*files, *(p for p in path.rglob("*") if _hidden_free(p, path))})
        for file in files:
            yield from _file_records(file, max_bytes)


def _hidden_free(p: Path, root: Path) -> bool:
    rel = p.relative_to(root).parts
    return p.is_file() and is_streamed(p) and not any(part.startswith(".") for part in rel)


def _file_records(path: Path, max_bytes: int) -> Iterator[RawRecord | IngestError]:
    if not path.exists():
        yield IngestError("no such file or folder", where=str(path))
        return
    name = path.name.lower()
    if name.endswith(_TAR):
        yield from _tar_records(path, max_bytes)
    elif name.endswith(_JSONL) or name.endswith(tuple(s + ".gz" for s in _JSONL)):
        opener = gzip.open if name.endswith(".gz") else open
        with opener(path, "rb") as stream:  # type: ignore[operator]
            yield from _line_records(cast(IO[bytes], stream), str(path))
    else:
        try:
            check_size(path.stat().st_size, max_bytes, str(path))
        except IngestError as exc:
            yield exc
            return
        yield RawRecord(FILE, str(path), str(path), path.read_bytes())


def _line_records(stream: IO[bytes], origin: str) -> Iterator[RawRecord | IngestError]:
    """Lines of a documents file; a file of our fact exports goes whole (it is small)."""
    for number, raw in enumerate(stream, start=1):
        line = raw.decode("utf-8", errors="replace").lstrip("\ufeff")
        if not line.strip():
            continue
        if number == 1 and _is_fact_line(line):
            rest = stream.read()
            yield RawRecord(FILE, origin, origin, raw + rest)
            return
        yield RawRecord(LINES, f"{origin}, line {number}", origin, line)


def _is_fact_line(line: str) -> bool:
    from crisisdesk.ingest.jsonl import is_fact_record

    try:
        value = json.loads(line)
    except ValueError:
        return False
    return isinstance(value, dict) and is_fact_record(value)


def _tar_records(path: Path, max_bytes: int) -> Iterator[RawRecord | IngestError]:
    """Members of a tar in stored order, one at a time (``r|*``: a stream, no index)."""
    try:
        with tarfile.open(path, "r|*") as tar:
            for member in tar:
                if not member.isfile() or Path(member.name).name.startswith("."):
                    continue
                where = f"{path}:{member.name}"
                handle = tar.extractfile(member)
                if handle is None:
                    continue
                if member.name.lower().endswith(_JSONL + tuple(s + ".gz" for s in _JSONL)):
                    if member.name.endswith(".gz"):
                        with gzip.open(handle) as inner:
                            yield from _line_records(inner, where)  # type: ignore[arg-type]
                    else:
                        yield from _line_records(handle, where)
                    continue
                if member.size > max_bytes:
                    yield IngestError(f"larger than {max_bytes} bytes", where=where)
                    continue
                yield RawRecord(FILE, where, where, handle.read())
    except (tarfile.TarError, OSError, EOFError) as exc:
        yield IngestError(f"not a readable tar: {exc}", where=str(path))


def records_to_ingested(record: RawRecord) -> list[Ingested | IngestError]:
    """The documents of one raw record (on a worker): a bad one is an IngestError."""
    from crisisdesk.ingest import read_bytes
    from crisisdesk.ingest.jsonl import document_from_record

    if record.kind == LINES:
        assert isinstance(record.data, str)
        try:
            value = json.loads(record.data)
        except ValueError as exc:
            return [IngestError(f"not valid JSON ({exc})", where=record.where)]
        if not isinstance(value, dict):
            return [IngestError("expected a JSON object", where=record.where)]
        try:
            return [document_from_record(value, where=record.where, origin=record.origin)]
        except IngestError as exc:
            return [exc]
    data = record.data if isinstance(record.data, bytes) else record.data.encode()
    try:
        return list(read_bytes(data, Path(record.where.split(":")[-1]).name or record.where))
    except IngestError as exc:
        return [IngestError(exc.message, where=exc.where or record.where)]


def write_jsonl_gz(path: Path, lines: Iterable[str]) -> None:
    """Test and benchmark helper: JSON lines into a gzip file."""
    with gzip.open(path, "wt", encoding="utf-8") as out:
        for line in lines:
            out.write(line.rstrip("\n") + "\n")


def tar_of(path: Path, members: Iterable[tuple[str, bytes]]) -> None:
    """Test and benchmark helper: a tar of (name, bytes) members."""
    with tarfile.open(path, "w") as tar:
        for name, data in members:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))


def input_bytes(paths: Iterable[Path | str]) -> int:
    """About how many bytes the records of ``paths`` hold, for a progress bar's ETA (a
    gzip file counts its uncompressed size, from its trailer)."""
    total = 0
    for given in paths:
        path = Path(given)
        files = [p for p in path.rglob("*") if p.is_file()] if path.is_dir() else [path]
        for file in files:
            if not file.exists():
                continue
            size = file.stat().st_size
            if file.name.lower().endswith(".gz") and size >= 4:
                with file.open("rb") as f:
                    f.seek(-4, 2)
                    size = max(size, int.from_bytes(f.read(4), "little"))
            total += size
    return total
