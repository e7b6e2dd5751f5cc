"""Growth: does the work grow with the input, or with its square?

Four inputs, each one text document written here (no corpus text):

- ``copies N``: a two-sentence page of our own repeated N times (a bulletin
  printed many times, a feed repeating an item): N identical pairs of figures;
- ``varied N``: N paragraphs that differ in place, day and numbers.

For each, in a fresh SQLite store, three commands are timed as whole processes
(start-up included) with their peak memory (``ru_maxrss`` of the process):
``crisisdesk ingest``, ``crisisdesk total`` before any reconcile (the live
path, reconciling the facts inside the question), and ``crisisdesk reconcile``.
It prints the figures and the ratio of 8,000 to 1,000 for each (linear work
gives about 8 with start-up costs pulling it lower; quadratic about 64).
Target (issue 13): copies at 8,000 take at most 12 times as long as at 1,000,
under 1 GB. It asserts nothing.

usage: python benchmarks/growth.py [--sizes 1000 8000] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PAGE = (
    "On 3 March 2020 the Idlib Response Desk said 12 civilians were killed in Ariha "
    "when shelling hit the market. The same day 40 families fled Ariha towards the "
    "border camps, the desk said.\n\n"
)
TOWNS = ["Ariha", "Saraqib", "Sarmin", "Binnish", "Taftanaz", "Atarib", "Dana", "Harim"]
MONTHS = ["January", "February", "March", "April", "May", "June"]
HEADER = (
    "Title: Growth benchmark ({kind} {n})\nPublisher: Benchmark Desk\nPublished: 2020-07-01\n\n"
)


def varied(n: int, seed: int = 7) -> str:
    """N paragraphs that differ in town, day, month and numbers."""
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        town, month = rng.choice(TOWNS), rng.choice(MONTHS)
        day = rng.randint(1, 28)
        out.append(
            f"On {day} {month} 2020 the Idlib Response Desk said {rng.randint(2, 90)} "
            f"civilians were killed in {town} when shelling hit a market. The same day "
            f"{rng.randint(10, 900)} families fled {town}, the desk said.\n\n"
        )
    return "".join(out)


def run(cmd: list[str], env: dict[str, str], out: Path | None = None) -> tuple[float, float]:
    """Wall seconds and peak resident memory (MB) of one command (stdout to ``out``)."""
    t0 = time.perf_counter()
    sink = out.open("wb") if out else subprocess.DEVNULL
    proc = subprocess.Popen(cmd, env=env, stdout=sink, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    took = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        err = proc.stderr.read().decode() if proc.stderr else ""
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}): {err[-800:]}")
    return took, usage.ru_maxrss / 1024


def measure(kind: str, n: int, work: Path, env: dict[str, str]) -> dict[str, tuple[float, float]]:
    text = HEADER.format(kind=kind, n=n) + (PAGE * n if kind == "copies" else varied(n))
    folder = work / f"{kind}-{n}"
    folder.mkdir()
    doc = folder / "page.txt"
    doc.write_text(text, encoding="utf-8")
    db = f"sqlite:///{folder / 'store.sqlite'}"
    exe = [sys.executable, "-m", "crisisdesk.cli"]
    got = {
        "ingest": run([*exe, "ingest", str(doc), "--db", db, "--json"], env, folder / "i.json"),
        "total": run([*exe, "total", "--category", "killed", "--db", db, "--json"], env,
                     folder / "t.json"),
        "reconcile": run([*exe, "reconcile", "--db", db, "--json"], env, folder / "r.json"),
    }  # fmt: skip
    facts = json.loads((folder / "i.json").read_text())["facts"]
    best = json.loads((folder / "t.json").read_text())["best"]
    figures = json.loads((folder / "r.json").read_text()).get("figures")
    print(f"  ({kind} {n}: {facts} facts -> {figures} figures; killed best {best})")
    return got


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", type=int, nargs=2, default=[1000, 8000])
    ap.add_argument("--keep", type=Path, default=None)
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="growth-"))
    env = dict(os.environ)
    env["PYTHONPATH"] = str(Path(__file__).resolve().parents[1] / "src")
    small, large = args.sizes
    print(f"{'input':<16}{'step':<11}{'seconds':>9}{'peak MB':>9}")
    try:
        for kind in ("copies", "varied"):
            got = {n: measure(kind, n, work, env) for n in (small, large)}
            for step in ("ingest", "total", "reconcile"):
                for n in (small, large):
                    secs, mb = got[n][step]
                    print(f"{kind + ' ' + str(n):<16}{step:<11}{secs:>9.2f}{mb:>9.0f}")
                ratio = got[large][step][0] / got[small][step][0]
                print(f"{'':<16}{step:<11}ratio {large}/{small}: {ratio:.1f}x")
    finally:
        if args.keep:
            shutil.copytree(work, args.keep, dirs_exist_ok=True)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
