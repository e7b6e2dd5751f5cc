"""Reconcile memory: the peak resident memory of a full ``reconcile`` (issue 18).

A full reconcile of a store runs in a process of its own (a fresh interpreter,
so nothing else was allocated before), which prints the number of facts and
figures, its wall time and its peak RSS (``ru_maxrss``: anonymous memory and
the pages of mapped files it touched), in MiB and per fact above the RSS it
had before reconciling, with the peak of each step: reading and reconciling
the facts, writing the figures, the dashboard's headlines after. Target: a
million facts on SQLite under 1 GiB.

The store is a SQLite file (copied first: the run replaces its figures), or
is built here from a generated corpus and its extracted facts
(``benchmarks/scale.py --keep DIR --documents N`` writes ``corpus.jsonl`` and
``facts-1.jsonl``; about 11 facts per document, so 92,000 documents give a
million facts). It prints figures only; it asserts nothing.

usage: python benchmarks/reconcile_memory.py STORE.sqlite [STORE.sqlite ...]
       python benchmarks/reconcile_memory.py --build OUT.sqlite --corpus corpus.jsonl
              --facts facts.jsonl [--documents N]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent

CHILD = r"""
import json, resource, sys, threading, time
from crisisdesk.reconcile import run
from crisisdesk.store import Store

def rss():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * resource.getpagesize() / 2**20

step, peaks = ["read and reconcile"], {}
def sample():
    while True:
        peaks[step[0]] = max(peaks.get(step[0], 0.0), rss())
        time.sleep(0.02)
threading.Thread(target=sample, daemon=True).start()
write, heads = Store.replace_figures, run.remember_headlines
def replace_figures(self, *a, **k):
    step[0] = "write figures"
    return write(self, *a, **k)
def remember_headlines(*a, **k):
    step[0] = "headlines"
    return heads(*a, **k)
Store.replace_figures, run.remember_headlines = replace_figures, remember_headlines
with Store.open(sys.argv[1]) as store:
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    began, cpu = time.perf_counter(), time.process_time()
    summary = run.reconcile_store(store)
    wall, cpu = time.perf_counter() - began, time.process_time() - cpu
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"facts": summary.facts, "figures": summary.figures, "wall": wall, "cpu": cpu,
                  "before": before, "peak": peak, "steps": peaks}))
"""


def measure(path: Path) -> dict:
    """A full reconcile of a copy of ``path`` in a process of its own."""
    with tempfile.TemporaryDirectory(dir=path.parent) as tmp:
        copy = Path(tmp) / path.name
        shutil.copyfile(path, copy)
        env = {**os.environ, "PYTHONPATH": str(HERE.parent / "src")}
        out = subprocess.run(
            [sys.executable, "-c", CHILD, f"sqlite:///{copy}"],
            check=True, capture_output=True, text=True, env=env,
        )  # fmt: skip
    return json.loads(out.stdout.strip().splitlines()[-1])


def build(out: Path, corpus: Path, facts: Path, documents: int | None) -> int:
    """A SQLite store of the first ``documents`` documents of a generated corpus."""
    sys.path.insert(0, str(HERE))
    from scale import _works

    from crisisdesk.store import Store
    from crisisdesk.store.bulk import add_prepared, prepare

    out.unlink(missing_ok=True)
    n, batch = 0, []
    with Store.open(f"sqlite:///{out}") as store:
        for i, (doc, found) in enumerate(_works(corpus, facts)):
            if documents is not None and i >= documents:
                break
            batch.append((doc, found))
            n += len(found)
            if len(batch) == 500:
                add_prepared(store.engine, prepare(batch, store.dialect))
                batch = []
        if batch:
            add_prepared(store.engine, prepare(batch, store.dialect))
    return n


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("stores", nargs="*", type=Path, help="SQLite stores to reconcile (copies)")
    ap.add_argument("--build", type=Path, help="build this SQLite store first, then measure it")
    ap.add_argument("--corpus", type=Path, help="generated corpus (JSON lines) for --build")
    ap.add_argument("--facts", type=Path, help="its extracted facts (JSON lines) for --build")
    ap.add_argument("--documents", type=int, help="only the first N documents (--build)")
    args = ap.parse_args()
    stores = list(args.stores)
    if args.build:
        if not (args.corpus and args.facts):
            ap.error("--build needs --corpus and --facts")
        began = time.perf_counter()
        n = build(args.build, args.corpus, args.facts, args.documents)
        print(f"built {args.build}: {n:,} facts in {time.perf_counter() - began:.0f} s")
        stores.append(args.build)
    for path in stores:
        got = measure(path)
        above = (got["peak"] - got["before"]) * 1024 / max(got["facts"], 1)
        steps = ", ".join(f"{k} {v:.0f}" for k, v in got["steps"].items())
        print(
            f"{path.name}: {got['facts']:,} facts -> {got['figures']:,} figures in "
            f"{got['wall']:.1f} s ({got['cpu']:.1f} CPU s); peak RSS {got['peak']:.0f} MiB "
            f"({got['before']:.0f} before, {above:.2f} KB per fact above it); "
            f"by step (MiB): {steps}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
