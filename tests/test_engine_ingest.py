"""Ingest on the engine: streamed inputs (JSON lines plain or gzip, folders, tars), the
same store from one process and from a real two-worker LocalCluster, and a run killed
half-way (a worker, or the whole client process) that ends, once restarted, with every
document stored exactly once and whole."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import psutil

from crisisdesk.engine import Engine, ingest_stream
from crisisdesk.ingest.stream import iter_records, tar_of, write_jsonl_gz
from crisisdesk.pipeline import Pipeline
from crisisdesk.store import Store, deferred

TOWNS = ["Sarmin", "Binnish", "Taftanaz", "Ariha", "Atarib", "Saraqib"]
EXE = Path(sys.executable).with_name("crisisdesk")


def _lines(count: int, start: int = 0) -> list[str]:
    out = []
    for i in range(start, start + count):
        town = TOWNS[i % len(TOWNS)]
        text = (
            f"Shelling killed {i + 2} civilians in {town} on Monday, rescuers said. "
            f"Another {i % 7 + 1} people were injured and {100 + i} families fled to camps."
        )
        out.append(json.dumps({"id": f"d{i}", "published": "2020-02-12", "text": text}))
    return out


def _snapshot(url: str) -> tuple[list[str], list[str]]:
    """Stored document ids and facts (as sorted JSON), sorted: what a run leaves."""
    with Store.open(url) as store:
        docs = sorted(d.id for d in store.iter_documents())
        facts = sorted(json.dumps(f.fact.to_json(), sort_keys=True) for f in store.iter_facts())
    return docs, facts


def _inputs(tmp: Path) -> list[Path]:
    """A plain JSON-lines file, a gzip one, a folder of text reports and a tar."""
    lines = _lines(40)
    plain, packed = tmp / "a.jsonl", tmp / "b.jsonl.gz"
    plain.write_text("\n".join(lines[:15]) + "\n{broken\n", encoding="utf-8")
    write_jsonl_gz(packed, lines[15:30])
    folder = tmp / "reports"
    folder.mkdir()
    for i, line in enumerate(lines[30:35]):
        (folder / f"r{i}.txt").write_text(json.loads(line)["text"], encoding="utf-8")
    tar = tmp / "more.tar"
    tar_of(
        tar, [(f"x/{i}.txt", json.loads(ln)["text"].encode()) for i, ln in enumerate(lines[35:])]
    )
    return [plain, packed, folder, tar]


def test_records_stream_every_kind_of_input_in_a_stable_order(tmp_path: Path) -> None:
    records = list(iter_records(_inputs(tmp_path)))
    kinds = [getattr(r, "kind", "error") for r in records]
    assert len(records) == 41  # 40 documents and the broken line, read not parsed
    assert kinds.count("line") == 31 and kinds.count("file") == 10
    assert records[15].where.endswith("a.jsonl, line 16")
    assert records[16].where.endswith("b.jsonl.gz, line 1")
    assert records[-1].where.endswith("more.tar:x/4.txt")


def test_two_workers_store_what_one_process_stores(store_url: str, tmp_path: Path) -> None:
    paths = _inputs(tmp_path)
    here_url = f"sqlite:///{tmp_path / 'here.sqlite'}"
    with Store.open(here_url) as here:
        alone = ingest_stream(here, paths, Pipeline.build, block_records=4)
    with Store.open(store_url) as store:
        cluster = ingest_stream(
            store, paths, Pipeline.build, engine=Engine(workers=2), block_records=4
        )
        again = ingest_stream(
            store, paths, Pipeline.build, block_records=7
        )  # a re-run adds nothing
    assert cluster.added == alone.added and len(alone.added) == 40
    assert cluster.facts == alone.facts > 80
    assert [w for w, _ in cluster.failed] == [w for w, _ in alone.failed]
    assert cluster.failed[0][0].endswith("a.jsonl, line 16")
    assert again.added == [] and len(again.skipped) == 40
    assert _snapshot(store_url) == _snapshot(here_url)


def _worker_pids() -> list[int]:
    """The Dask worker processes of this test's LocalCluster (spawned by their nannies)."""
    me = psutil.Process(os.getpid())
    return [p.pid for p in me.children(recursive=True) if "spawn_main" in " ".join(p.cmdline())]


def test_a_worker_killed_mid_run_loses_and_doubles_nothing(store_url: str, tmp_path: Path) -> None:
    docs = tmp_path / "docs.jsonl"
    docs.write_text("\n".join(_lines(120)) + "\n", encoding="utf-8")
    reference = f"sqlite:///{tmp_path / 'reference.sqlite'}"
    with Store.open(reference) as ref:
        ingest_stream(ref, [docs], Pipeline.build, block_records=5)
    killed: list[int] = []

    def kill_one(_bytes: int, _docs: int) -> None:
        if not killed and (pids := _worker_pids()):
            os.kill(pids[0], signal.SIGKILL)  # a real worker process, killed outright
            killed.append(pids[0])

    with Store.open(store_url) as store:
        done = ingest_stream(
            store,
            [docs],
            Pipeline.build,
            engine=Engine(workers=2),
            block_records=5,
            on_block=kill_one,
        )
    assert killed and len(done.added) == 120 and not done.failed
    assert _snapshot(store_url) == _snapshot(reference)


def test_a_client_killed_mid_run_and_restarted_ends_with_each_document_once(
    store_url: str, tmp_path: Path
) -> None:
    docs = tmp_path / "docs.jsonl.gz"  # gzip: the streaming ingest, in this process
    write_jsonl_gz(docs, _lines(400))
    reference = f"sqlite:///{tmp_path / 'reference.sqlite'}"
    with Store.open(reference) as ref:
        ingest_stream(ref, [docs], Pipeline.build, block_records=10)
    # a load this small keeps its indexes unless told otherwise: here it defers them
    env = {**os.environ, "CRISISDESK_INGEST_BLOCK": "10", "CRISISDESK_DEFER_MIN_FACTS": "0"}
    cmd = [str(EXE), "ingest", str(docs), "--db", store_url, "--json"]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    stored = 0
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and proc.poll() is None:
            stored = _count_documents(store_url)
            if stored >= 20:
                break
            time.sleep(0.05)
        proc.send_signal(signal.SIGKILL)  # the client, killed outright mid-run
    finally:
        proc.wait()
    assert 0 < _count_documents(store_url) < 400  # killed half-way, whole blocks only
    if store_url.startswith("postgresql"):  # an empty store: the load deferred its indexes
        assert "ix_facts_document_order" in _missing_indexes(store_url)
    again = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    assert again.returncode == 0, again.stderr
    assert _missing_indexes(store_url) == []  # the restart built them again
    answer = json.loads(again.stdout)
    assert answer["added"] + answer["skipped"] == 400 and answer["skipped"] >= stored
    assert _snapshot(store_url) == _snapshot(reference)


def _missing_indexes(url: str) -> list[str]:
    with Store.open(url, migrate=False) as store:
        return deferred.missing(store.engine)


def _count_documents(url: str) -> int:
    with Store.open(url, migrate=False) as store:
        try:
            return store.count_documents()
        except Exception:  # the schema is still being made by the process under test
            return 0


EXTRACTED: list[str] = []  # documents the counting pipeline extracted (this process)


class _Counting:
    """The real pipeline, noting every document it is asked to extract."""

    def __init__(self) -> None:
        self.pipeline = Pipeline.build()

    def process(self, item: Any) -> Any:
        EXTRACTED.append(item.document.id)
        return self.pipeline.process(item)


def _counting() -> _Counting:
    return _Counting()


def test_a_rerun_extracts_only_the_documents_not_stored_yet(tmp_path: Path) -> None:
    first, both = tmp_path / "first.jsonl.gz", tmp_path / "both.jsonl.gz"
    write_jsonl_gz(first, _lines(20))
    write_jsonl_gz(both, _lines(20) + _lines(15, start=20))
    with Store.open(f"sqlite:///{tmp_path / 'store.sqlite'}") as store:
        EXTRACTED.clear()
        done = ingest_stream(store, [first], _counting, block_records=6)
        assert len(done.added) == 20 and len(EXTRACTED) == 20
        EXTRACTED.clear()
        again = ingest_stream(store, [both], _counting, block_records=6)
        # the 20 stored are skipped before extraction; only the 15 new are extracted
        assert sorted(EXTRACTED) == sorted(again.added) and len(again.added) == 15
        assert sorted(again.skipped) == sorted(done.added)
        assert store.count_documents() == 35
