"""CPU of one in-process extraction pass, this checkout against another revision, alternated.

The figure the extraction-speed sessions compare: ``extract_document`` over every document
of dev, dev2 and dev3 (65 documents, about 105 k characters), after a warm-up pass (the
patterns compiled, the vocabularies read), the best of ``--passes`` passes in CPU seconds.
With ``--against REV`` the same is measured on that revision, checked out in a temporary
git worktree (removed at the end), the two alternated ``--rounds`` times in the same run:
on a machine shared with other work the CPU time of a pass moves by 10 % with the load, so
only a ratio taken in one run means much, and the load average is printed with each figure.
It prints figures only; it asserts nothing.

usage: python benchmarks/extract_pass.py [--against f9d9177] [--rounds 3] [--passes 5]
                                         [--docs DOCS.jsonl ...]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from dev_corpora import DEFAULT_DOCS, REPO

# run in a fresh interpreter with the tree's sources first on the path
_PASS = """
import json, sys, time
from crisisdesk.extract import extract_document
from crisisdesk.ingest.jsonl import read_documents
docs = []
for path in sys.argv[2:]:
    with open(path, encoding="utf-8") as f:
        docs.extend(read_documents(f))
for d in docs:
    extract_document(d)
best = float("inf")
for _ in range(int(sys.argv[1])):
    t = time.process_time()
    for d in docs:
        extract_document(d)
    best = min(best, time.process_time() - t)
print(json.dumps({"chars": sum(len(d.text) for d in docs), "docs": len(docs), "best": best}))
"""


def one_pass(src: Path, docs: list[Path], passes: int) -> dict[str, float]:
    """The best CPU seconds of a pass with the sources in ``src``."""
    env = dict(os.environ, PYTHONPATH=str(src))
    out = subprocess.run(
        [sys.executable, "-c", _PASS, str(passes), *map(str, docs)],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def _load() -> str:
    return "load " + " ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=Path, nargs="+", default=DEFAULT_DOCS)
    ap.add_argument("--passes", type=int, default=5)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--against", help="a git revision to time against (checked out apart)")
    args = ap.parse_args()
    docs = [p for p in args.docs if p.exists()]
    if not docs:
        sys.exit(f"no documents: {', '.join(map(str, args.docs))}")
    with tempfile.TemporaryDirectory() as tmp:
        trees = {"this checkout": REPO / "src"}
        other = Path(tmp) / "against"
        if args.against:
            subprocess.run(
                ["git", "-C", str(REPO), "worktree", "add", "--detach", str(other), args.against],
                check=True,
                capture_output=True,
            )
            trees[args.against] = other / "src"
        try:
            best: dict[str, float] = {}
            for r in range(1, args.rounds + 1):
                for name, src in trees.items():
                    got = one_pass(src, docs, args.passes)
                    best[name] = min(best.get(name, float("inf")), got["best"])
                    rate = got["chars"] / got["best"] / 1e6
                    print(
                        f"round {r} {name}: {got['docs']:.0f} documents, {got['chars']:.0f} "
                        f"characters, best pass {got['best']:.3f} s CPU, {rate:.3f} M chars "
                        f"per CPU-second ({_load()})"
                    )
            if args.against:
                ratio = best[args.against] / best["this checkout"]
                print(f"best to best: {ratio:.3f}x ({args.against} / this checkout)")
        finally:
            if args.against:
                subprocess.run(
                    ["git", "-C", str(REPO), "worktree", "remove", "--force", str(other)],
                    check=False,
                    capture_output=True,
                )


if __name__ == "__main__":
    main()
