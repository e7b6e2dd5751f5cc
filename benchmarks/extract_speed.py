"""Throughput of ``crisisdesk extract-file`` on English and Arabic inputs of >= 4 MB.

English: the dev corpora repeated to 4 M characters. Arabic: 4 MB of UTF-8 text (about
2.3 M characters) of reports made from our own sentence templates
(``benchmarks/arabic_corpus.py``), timed the same way.

The headline is the whole process timed from outside, start-up included (the
median of ``--runs`` runs): characters per second of wall time for one
``extract-file`` process on the whole input, the figure a user waits for.
The processes run as an installed package does: bytecode (which pip writes at
install) and the compiled patterns are kept between runs, in a private folder,
even in a shell that sets PYTHONDONTWRITEBYTECODE; the start-up of one document
is printed on its own.
Then: characters and documents per CPU-second, two processes at once (the
input split in halves), the peak memory of each process, the peak memory on a
quarter of the input (flat memory means streaming), the facts found, and
quantulum3's throughput on a sample of the same text, with the ratio (English
only: quantulum3 does not read Arabic). It prints figures only; it asserts
nothing.

usage: python benchmarks/extract_speed.py [--docs DOCS.jsonl ...] [--mb 4] [--runs 3]
                                          [--sample-kb 200] [--input english|arabic|both]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

from arabic_corpus import build_arabic_input
from dev_corpora import DEFAULT_DOCS, REPO


def build_input(sources: list[Path], dest: Path, target_bytes: int) -> tuple[int, int]:
    """Repeat the source documents (new ids) until the file holds ``target_bytes`` of text."""
    docs = [
        json.loads(x)
        for src in sources
        for x in src.read_text(encoding="utf-8").splitlines()
        if x.strip()
    ]
    chars = n = 0
    with dest.open("w", encoding="utf-8") as out:
        while chars < target_bytes:
            for d in docs:
                copy = dict(d, id=f"{d['id']}-{n}")
                out.write(json.dumps(copy, ensure_ascii=False) + "\n")
                chars += len(d["text"])
                n += 1
    return chars, n


def split(src: Path, parts: int, folder: Path) -> list[Path]:
    outs = [folder / f"part{i}.jsonl" for i in range(parts)]
    handles = [p.open("w", encoding="utf-8") for p in outs]
    with src.open(encoding="utf-8") as f:
        for i, line in enumerate(f):
            handles[i % parts].write(line)
    for h in handles:
        h.close()
    return outs


def run_extract(inputs: list[Path], folder: Path) -> tuple[float, list[int], list[float]]:
    """Run one extract-file process per input at once: wall time, each process's peak RSS
    (KiB) and CPU seconds (user + system; on a shared machine this is the per-core figure).
    The command is this checkout's (its src/ first on the path), whatever is installed."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO / "src"), *_paths()])}
    env.update(_installed_like())
    start = time.perf_counter()
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "crisisdesk.cli", "extract-file", str(p)]
            + ["-o", str(folder / f"{p.stem}.facts.jsonl")],
            stdout=subprocess.DEVNULL,
            env=env,
        )
        for p in inputs
    ]
    peaks = []
    cpu = []
    for proc in procs:
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            raise SystemExit(f"extract-file failed with exit code {proc.returncode}")
        peaks.append(usage.ru_maxrss)
        cpu.append(usage.ru_utime + usage.ru_stime)
    return time.perf_counter() - start, peaks, cpu


_PYCACHE = Path(tempfile.mkdtemp(prefix="crisisdesk-bench-pycache-"))


def _installed_like() -> dict[str, str]:
    """Run the checkout as an installed package runs: pip writes bytecode at install, and
    the extractor keeps its compiled patterns, parsed vocabularies and gazetteer admin
    names beside it (crisisdesk.extract.compiled, crisisdesk.kept). A shell with
    PYTHONDONTWRITEBYTECODE would otherwise rebuild every module, pattern and table at
    every start; here all are kept in a private folder, warmed by ``warm_up``."""
    env = {"PYTHONPYCACHEPREFIX": str(_PYCACHE)}
    if os.environ.get("PYTHONDONTWRITEBYTECODE"):
        env["PYTHONDONTWRITEBYTECODE"] = ""
    return env


def warm_up(sample: Path, folder: Path) -> float:
    """One untimed run on a few documents (bytecode and patterns written, as at install);
    returns the start-up: the wall time of a second run on one document."""
    one = folder / "one.jsonl"
    with sample.open(encoding="utf-8") as f:
        one.write_text(f.readline(), encoding="utf-8")
    run_extract([one], folder)
    return min(run_extract([one], folder)[0] for _ in range(3))


def _paths() -> list[str]:
    return [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]


def quantulum_rate(src: Path, sample_chars: int) -> tuple[float, int] | None:
    """quantulum3's characters per second on the first ``sample_chars`` of the same text
    (None when it is not installed: ``pip install .[bench]``)."""
    warnings.filterwarnings("ignore")
    try:
        from quantulum3 import parser
    except ImportError:
        return None

    texts, total = [], 0
    with src.open(encoding="utf-8") as f:
        for line in f:
            text = json.loads(line)["text"]
            texts.append(text)
            total += len(text)
            if total >= sample_chars:
                break
    parser.parse("warm up 12 people")  # loading its tables is not throughput
    start = time.process_time()
    for text in texts:
        parser.parse(text)
    return total / (time.process_time() - start), total


def measure(
    label: str,
    big: Path,
    quarter: Path,
    chars: int,
    n_docs: int,
    args: argparse.Namespace,
    peer: bool,
) -> None:
    """Time ``extract-file`` on ``big`` as a whole process (median of ``args.runs``), then
    two processes at once, memory on a quarter, and (``peer``) quantulum3 on a sample."""
    folder = big.parent
    size = sum(len(json.loads(x)["text"].encode("utf-8")) for x in big.open(encoding="utf-8"))
    print(f"== {label}")
    print(
        f"input: {n_docs:,} documents, {chars / 1e6:.1f} M characters, {size / 1e6:.1f} MB of "
        f"UTF-8 text ({big.stat().st_size / 1e6:.1f} MB file)"
    )
    print(f"machine   : {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}")
    startup = warm_up(big, folder)
    print(
        f"start-up  : {startup:.2f} s for one document (bytecode and compiled patterns kept, "
        "as installed; best of 3)"
    )
    runs = [run_extract([big], folder) for _ in range(max(1, args.runs))]
    runs.sort(key=lambda r: r[0])
    wall1, peaks1, cpu1 = runs[len(runs) // 2]
    print(
        f"whole process, start-up included: {chars / wall1 / 1e6:.2f} M chars/s of wall time, "
        f"{size / wall1 / 1e6:.2f} MB/s (median of {len(runs)}: "
        f"{', '.join(f'{r[0]:.2f}' for r in runs)} s)"
    )
    print(
        f"1 process : {chars / wall1 / 1e6:6.2f} M chars/s  {n_docs / wall1:8.0f} docs/s  "
        f"wall {wall1:.1f} s  peak RSS {peaks1[0] / 1024:.0f} MiB"
    )
    print(
        f"            {chars / cpu1[0] / 1e6:6.2f} M chars per CPU-second  "
        f"{size / cpu1[0] / 1e6:6.2f} MB per CPU-second  "
        f"{n_docs / cpu1[0]:8.0f} docs per CPU-second (cpu {cpu1[0]:.1f} s)"
    )
    halves = split(big, 2, folder)
    wall2, peaks2, cpu2 = run_extract(halves, folder)
    print(
        f"2 processes: {chars / wall2 / 1e6:6.2f} M chars/s  {n_docs / wall2:8.0f} docs/s  "
        f"wall {wall2:.1f} s  peak RSS {max(peaks2) / 1024:.0f} MiB per process"
    )
    print(
        f"            {chars / sum(cpu2) / 1e6:6.2f} M chars per CPU-second over both "
        f"(cpu {sum(cpu2):.1f} s)"
    )
    _, peaks_q, _ = run_extract([quarter], folder)
    print(
        f"memory    : peak RSS {peaks_q[0] / 1024:.0f} MiB on a quarter of the input, "
        f"{peaks1[0] / 1024:.0f} MiB on all of it"
    )
    facts = sum(1 for _ in (folder / f"{big.stem}.facts.jsonl").open(encoding="utf-8"))
    print(f"facts     : {facts:,} extracted ({facts / max(n_docs, 1):.1f} per document)")
    # on a shared machine the wall-clock figures are what the runs got of it: the load at
    # both ends says how much that was (the CPU figures do not depend on it)
    print(f"machine   : load average {os.getloadavg()[0]:.1f} after the runs")
    if not peer:
        print("quantulum3: no comparison (it reads English and Spanish, not Arabic)")
        return
    got = quantulum_rate(big, int(args.sample_kb * 1000))
    if got is None:
        print("quantulum3: not installed (pip install .[bench]); no ratio")
        return
    q_rate, q_chars = got
    ours = chars / cpu1[0]
    print(
        f"quantulum3: {q_rate / 1e3:8.1f} k chars/s on a {q_chars / 1e3:.0f} k-character "
        "sample (per CPU-second)"
    )
    print(
        f"ratio     : crisisdesk is {ours / q_rate:.0f} x quantulum3's throughput "
        "(per CPU-second, one process each)"
    )


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=Path, nargs="+", default=DEFAULT_DOCS)
    ap.add_argument("--mb", type=float, default=4.0)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--sample-kb", type=float, default=200.0)
    ap.add_argument(
        "--input",
        choices=("english", "arabic", "both"),
        default="both",
        help="the English dev corpora repeated, Arabic reports from our templates, or both",
    )
    args = ap.parse_args()
    missing = [p for p in args.docs if not p.exists()]
    if missing and args.input != "arabic":
        print(f"no documents at {', '.join(map(str, missing))}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        if args.input in ("english", "both"):
            folder = Path(tmp) / "english"
            folder.mkdir()
            big, quarter = folder / "docs.jsonl", folder / "quarter.jsonl"
            chars, n_docs = build_input(args.docs, big, int(args.mb * 1_000_000))
            build_input(args.docs, quarter, int(args.mb * 250_000))
            measure("English (dev corpora repeated)", big, quarter, chars, n_docs, args, True)
        if args.input in ("arabic", "both"):
            folder = Path(tmp) / "arabic"
            folder.mkdir()
            big, quarter = folder / "docs.jsonl", folder / "quarter.jsonl"
            chars, n_docs = build_arabic_input(big, int(args.mb * 1_000_000))
            build_arabic_input(quarter, int(args.mb * 250_000), seed=1)
            measure("Arabic (reports from our templates)", big, quarter, chars, n_docs, args, False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
