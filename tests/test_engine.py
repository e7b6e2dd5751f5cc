"""The extract engine: this process, a real local Dask cluster of two workers, or a cluster
started with Dask's own commands, and always the same facts in the same order."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from crisisdesk.cli import build_app
from crisisdesk.engine import Engine, extract_stream
from crisisdesk.errors import ConfigError

TOWNS = ["Sarmin", "Binnish", "Taftanaz", "Ariha", "Atarib"]
DASK = Path(sys.executable).with_name("dask")


def _documents_file(path: Path, bad_line: int, count: int = 24) -> list[str]:
    lines = []
    for i in range(count):
        town = TOWNS[i % len(TOWNS)]
        text = f"Shelling killed {i + 2} civilians in {town} on Monday, rescuers said."
        lines.append(json.dumps({"id": f"d{i}", "published": "2020-02-12", "text": text}))
    lines.insert(bad_line - 1, '{"id": "broken", "text": ')
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return lines


def _run(docs: Path, engine: Engine, block_lines: int = 5) -> tuple[str, object]:
    out = io.StringIO()
    with docs.open(encoding="utf-8") as stream:
        summary = extract_stream(stream, out, engine=engine, block_lines=block_lines)
    return out.getvalue(), summary


def test_local_cluster_of_two_workers_writes_what_one_process_writes(tmp_path: Path) -> None:
    docs = tmp_path / "docs.jsonl"
    _documents_file(docs, bad_line=8, count=60)
    here, here_summary = _run(docs, Engine())
    cluster, summary = _run(docs, Engine(workers=2))
    facts = [json.loads(line) for line in cluster.splitlines()]
    assert cluster == here
    assert summary.documents == here_summary.documents == 60
    assert summary.facts == len(facts) == 60
    assert [f["value"] for f in facts] == [i + 2 for i in range(60)]  # input order kept
    assert [e.split(":")[0] for e in summary.errors] == ["line 8"]
    assert "JSON" in summary.errors[0]


def test_progress_hears_of_every_document(tmp_path: Path) -> None:
    docs = tmp_path / "docs.jsonl"
    _documents_file(docs, bad_line=3, count=12)
    seen: list[tuple[int, int]] = []
    with docs.open(encoding="utf-8") as stream:
        extract_stream(
            stream, io.StringIO(), block_lines=4, on_block=lambda b, d: seen.append((b, d))
        )
    assert sum(d for _, d in seen) == 12
    assert sum(b for b, _ in seen) == docs.stat().st_size


def test_engine_settings_are_checked() -> None:
    with pytest.raises(ConfigError, match="at least 1"):
        Engine(workers=0)
    with pytest.raises(ConfigError, match="address"):
        Engine(scheduler=" ")
    assert (
        Engine().local and not Engine(workers=2).local and not Engine(scheduler="tcp://x:1").local
    )


@pytest.fixture
def dask_cluster(tmp_path: Path) -> Iterator[str]:
    """A scheduler and a worker started with ``dask scheduler`` / ``dask worker``, as a team
    would on its own machines (here both on loopback)."""
    if not DASK.exists():
        pytest.skip("the dask command is not installed beside this Python")
    info = tmp_path / "scheduler.json"
    common = ["--no-dashboard"]
    scheduler = subprocess.Popen(
        [str(DASK), "scheduler", "--host", "127.0.0.1", "--port", "0",
         "--scheduler-file", str(info), *common],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    worker = None
    try:
        for _ in range(300):
            if info.exists() and info.stat().st_size:
                break
            time.sleep(0.1)
        address = json.loads(info.read_text())["address"]
        worker = subprocess.Popen(
            [str(DASK), "worker", address, "--nworkers", "1", "--nthreads", "1", *common],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        yield address
    finally:
        for proc in (worker, scheduler):
            if proc is not None:
                proc.terminate()
                try:
                    proc.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    proc.kill()


def test_cli_on_an_existing_cluster_gives_the_same_file(tmp_path: Path, dask_cluster: str) -> None:
    docs = tmp_path / "docs.jsonl"
    _documents_file(docs, bad_line=20)
    one, two = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    app = build_app()
    first = CliRunner().invoke(app, ["extract-file", str(docs), "-o", str(one), "--json"])
    second = CliRunner().invoke(
        app,
        ["extract-file", str(docs), "-o", str(two), "--scheduler", dask_cluster, "--json"],
    )
    assert first.exit_code == second.exit_code == 2  # the bad line is reported either way
    assert json.loads(first.stdout)["errors"] == json.loads(second.stdout)["errors"]
    assert one.read_bytes() == two.read_bytes() and one.stat().st_size > 0


def test_cli_names_an_unreachable_scheduler(tmp_path: Path) -> None:
    docs = tmp_path / "docs.jsonl"
    _documents_file(docs, bad_line=2, count=2)
    got = CliRunner().invoke(
        build_app(),
        ["extract-file", str(docs), "-o", str(tmp_path / "f.jsonl"),
         "--scheduler", "tcp://127.0.0.1:9", "--json"],
    )  # fmt: skip
    assert got.exit_code != 0
    answer = json.loads(got.stdout)
    assert answer["code"] == "config_error" and "tcp://127.0.0.1:9" in answer["error"]
