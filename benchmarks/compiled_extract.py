"""The extractor compiled with mypyc against the same code in pure Python, in one run.

The experiment of session 19 (issue 17's 1 MB/s target): does compiling
``crisisdesk.extract`` with mypyc (the compiler mypy ships with) make extraction fast
enough to be worth building at install? This script copies this checkout's ``src`` to a
temporary folder, compiles every module of ``crisisdesk.extract`` there except
``compiled.py`` (the regex-program cache, which reaches into ``re``'s internals and runs
at start-up only), checks that both give the same facts on the documents, then times one
extraction pass in-process, pure and compiled alternately (``--rounds``; the best of
``--passes`` passes each time), and prints the CPU seconds, the ratio and the load average
with each round. The checkout itself is never built into. It asserts nothing.

Needs mypy and a C compiler: ``pip install mypy==1.20.2`` (in the ``bench`` extra).

usage: python benchmarks/compiled_extract.py [--docs DOCS.jsonl ...] [--rounds 3] [--passes 4]
                                             [--modules reading places ...]
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

from dev_corpora import DEFAULT_DOCS, REPO

# run in a child process with one ``src`` first on the path: a process imports one of them
_TIMING = """
import sys, time
from crisisdesk.extract import extract_document
from crisisdesk.ingest.jsonl import read_documents
docs = [d for p in sys.argv[2:] for d in read_documents(open(p, encoding="utf-8"))]
if sys.argv[1] == "facts":
    for d in docs:
        for f in extract_document(d):
            print(f.to_json_text())
    sys.exit(0)
for d in docs:
    extract_document(d)
best = 1e9
for _ in range(int(sys.argv[1])):
    t = time.process_time()
    for d in docs:
        extract_document(d)
    best = min(best, time.process_time() - t)
print(best)
"""


def build(dest: Path, only: list[str]) -> tuple[float, float]:
    """Copy ``src`` to ``dest`` and compile the extraction package there (the modules
    named in ``only`` when given, e.g. the hot ones alone): (wall, CPU) seconds."""
    shutil.copytree(REPO / "src", dest, ignore=shutil.ignore_patterns("__pycache__", "*.so"))
    modules = sorted(
        str(p.relative_to(dest))
        for p in (dest / "crisisdesk" / "extract").glob("*.py")
        if p.name != "compiled.py" and (not only or p.stem in only)
    )
    mypyc = Path(sys.executable).with_name("mypyc")
    start, cpu0 = time.perf_counter(), os.times()
    done = subprocess.run(
        [str(mypyc), "--ignore-missing-imports", "--follow-imports=silent", *modules],
        cwd=dest,
        capture_output=True,
        text=True,
    )
    cpu1 = os.times()
    if done.returncode != 0:
        raise SystemExit(f"mypyc failed:\n{done.stdout[-3000:]}{done.stderr[-3000:]}")
    cpu = cpu1.children_user + cpu1.children_system - cpu0.children_user - cpu0.children_system
    return time.perf_counter() - start, cpu


def run(src: Path, *args: str) -> str:
    """The timing script (or, with ``-c CODE``, that code) run with ``src`` on the path."""
    env = {**os.environ, "PYTHONPATH": str(src)}
    code = [args[1]] if args[0] == "-c" else [_TIMING, *args]
    out = subprocess.run([sys.executable, "-c", *code], env=env, capture_output=True, text=True)
    if out.returncode != 0:
        raise SystemExit(f"extraction failed with {src}:\n{out.stderr[-3000:]}")
    return out.stdout


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=Path, nargs="+", default=DEFAULT_DOCS)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--passes", type=int, default=4)
    ap.add_argument("--modules", nargs="+", default=[], help="compile these only (names)")
    args = ap.parse_args()
    if shutil.which("mypyc", path=str(Path(sys.executable).parent)) is None:
        print("mypyc not found beside this Python: pip install mypy==1.20.2", file=sys.stderr)
        return 2
    docs = [str(p) for p in args.docs]
    chars = sum(
        len(json.loads(line)["text"]) for p in args.docs for line in p.open(encoding="utf-8")
    )
    with tempfile.TemporaryDirectory() as tmp:
        compiled = Path(tmp) / "src"
        wall, cpu = build(compiled, args.modules)
        load = os.getloadavg()[0]
        what = ", ".join(args.modules) or "all of crisisdesk.extract but compiled.py"
        print(f"build     : mypyc ({what}), {wall:.0f} s wall, {cpu:.0f} s CPU (load {load:.1f})")
        same = run(REPO / "src", "facts", *docs) == run(compiled, "facts", *docs)
        print(f"facts     : {'identical' if same else 'DIFFERENT'} pure and compiled")
        pure_best, comp_best = 1e9, 1e9
        probe = f"crisisdesk.extract.{(args.modules or ['reading'])[0]}"
        loaded = run(compiled, "-c", f"import {probe} as m; print(m.__file__)").strip()
        print(f"compiled  : {probe} from {Path(loaded).name}")
        for r in range(1, args.rounds + 1):
            times = {
                False: float(run(REPO / "src", str(args.passes), *docs)),
                True: float(run(compiled, str(args.passes), *docs)),
            }
            pure_best, comp_best = min(pure_best, times[False]), min(comp_best, times[True])
            print(
                f"round {r}   : pure {times[False]:.3f} s, compiled {times[True]:.3f} s CPU a "
                f"pass, {times[False] / times[True]:.2f}x (load {os.getloadavg()[0]:.1f})"
            )
        print(
            f"best      : pure {chars / pure_best / 1e6:.2f}, compiled "
            f"{chars / comp_best / 1e6:.2f} M characters per CPU-second: "
            f"{pure_best / comp_best:.2f}x"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
