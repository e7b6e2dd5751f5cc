"""Scale: extract a large generated corpus on one and on two Dask workers.

A generator of ours writes ``--documents`` reports (a few KB each) by taking the
paragraphs of the bundled example reports and changing their places, dates and
numbers, so the text reads like the real thing but no two documents are the
same. The corpus is written as JSON lines (gzip-free, one file) and then:

- ``crisisdesk extract-file --workers 1`` and ``--workers 2`` are timed as whole
  processes (a local Dask cluster each time, start-up included): documents per
  second, the speed-up of two workers over one, and the peak memory of every
  worker process (sampled every 0.2 s);
- the facts files of both runs are compared (they must be the same bytes).

It prints figures only; it asserts nothing.

usage: python benchmarks/scale.py [--documents 200000] [--seed 7] [--keep DIR]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "src" / "crisisdesk" / "examples"
PLACES = [
    "Ariha", "Saraqib", "Sarmin", "Binnish", "Taftanaz", "Maarat al-Numan", "Kafr Nabl",
    "Atarib", "Dana", "Jisr al-Shughur", "Harim", "Salqin", "Khan Shaykhun", "Kafranbel",
    "Maarrat Misrin", "Al-Bara", "Darat Izza", "Sarmada", "Qah", "Idlib",
]  # fmt: skip
KNOWN_PLACES = re.compile(r"\b(?:" + "|".join(re.escape(p) for p in PLACES) + r")\b")
NUMBER = re.compile(r"\b\d{1,3}(?:,\d{3})*\b")
DAY = re.compile(
    r"\b(\d{1,2}) (January|February|March|April|May|June|July|August|September|October"
    r"|November|December)(?: (\d{4}))?\b"
)


def example_paragraphs() -> list[str]:
    """Paragraphs of the bundled examples, without their header lines."""
    out = []
    for path in sorted(EXAMPLES.glob("*.txt")):
        body = [ln for ln in path.read_text(encoding="utf-8").splitlines() if ":" not in ln[:12]]
        out.extend(p.strip() for p in "\n".join(body).split("\n\n") if p.strip())
    return out


def _vary(paragraph: str, rng: random.Random, published: date) -> str:
    """The paragraph with other places, numbers (same magnitude) and days of the month."""
    text = KNOWN_PLACES.sub(lambda _m: rng.choice(PLACES), paragraph)

    def number(m: re.Match[str]) -> str:
        raw = m.group(0)
        value = int(raw.replace(",", ""))
        if 1900 <= value <= 2100 and "," not in raw:
            return raw  # a year stays a year
        new = max(1, int(value * rng.uniform(0.5, 1.5)))
        return f"{new:,}" if "," in raw else str(new)

    text = NUMBER.sub(number, text)

    def day(m: re.Match[str]) -> str:
        when = published - timedelta(days=rng.randint(1, 40))
        return when.strftime("%-d %B") + (f" {when.year}" if m.group(3) else "")

    return DAY.sub(day, text)


def generate(count: int, seed: int, dest: Path) -> tuple[int, int]:
    """Write ``count`` documents to ``dest``; (documents, characters)."""
    rng = random.Random(seed)
    paragraphs = example_paragraphs()
    start = date(2019, 6, 1)
    chars = 0
    with dest.open("w", encoding="utf-8") as out:
        for i in range(count):
            published = start + timedelta(days=rng.randint(0, 900))
            chosen = rng.sample(paragraphs, k=min(len(paragraphs), rng.randint(5, 9)))
            text = "\n\n".join(_vary(p, rng, published) for p in chosen)
            ident = hashlib.sha256(f"{seed}:{i}:{text}".encode()).hexdigest()[:16]
            doc = {
                "id": ident,
                "title": f"Generated report {i}",
                "publisher": "crisisdesk scale benchmark",
                "published": published.isoformat(),
                "text": text,
            }
            out.write(json.dumps(doc, ensure_ascii=False) + "\n")
            chars += len(text)
    return count, chars


def _worker_peaks(stop: threading.Event, parent: int, peaks: dict[int, int]) -> None:
    """Sample the resident memory of every process under ``parent`` until ``stop``."""
    import psutil

    try:
        root = psutil.Process(parent)
    except psutil.NoSuchProcess:
        return
    while not stop.is_set():
        try:
            procs = root.children(recursive=True)
        except psutil.NoSuchProcess:
            return
        for proc in procs:
            try:
                rss = proc.memory_info().rss
            except psutil.Error:
                continue
            peaks[proc.pid] = max(peaks.get(proc.pid, 0), rss)
        stop.wait(0.2)


def time_extract(docs: Path, out: Path, workers: int) -> tuple[float, list[int]]:
    """Wall seconds of a whole ``extract-file --workers N`` process, and the peak memory
    of each of its child processes (the Dask workers, and the nanny processes)."""
    exe = shutil.which("crisisdesk") or str(Path(sys.executable).with_name("crisisdesk"))
    began = time.perf_counter()
    proc = subprocess.Popen(
        [exe, "extract-file", str(docs), "-o", str(out), "--workers", str(workers), "--json"],
        stdout=subprocess.DEVNULL,
    )
    peaks: dict[int, int] = {}
    stop = threading.Event()
    sampler = threading.Thread(target=_worker_peaks, args=(stop, proc.pid, peaks), daemon=True)
    sampler.start()
    code = proc.wait()
    stop.set()
    sampler.join()
    if code not in (0,):
        raise SystemExit(f"extract-file --workers {workers} failed with exit code {code}")
    return time.perf_counter() - began, sorted(peaks.values(), reverse=True)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--documents", type=int, default=200_000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--keep", type=Path, help="write the corpus and facts here and keep them")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        corpus = folder / "corpus.jsonl"
        began = time.perf_counter()
        n_docs, chars = generate(args.documents, args.seed, corpus)
        print(
            f"corpus    : {n_docs:,} documents, {chars / 1e6:.1f} M characters "
            f"({chars / n_docs / 1e3:.1f} k per document), generated in "
            f"{time.perf_counter() - began:.1f} s"
        )
        results = {}
        for workers in (1, 2):
            out = folder / f"facts-{workers}.jsonl"
            wall, peaks = time_extract(corpus, out, workers)
            results[workers] = wall
            mib = ", ".join(f"{p / 2**20:.0f}" for p in peaks[: workers * 2])
            label = f"{workers} worker{'s' if workers > 1 else ' '}"
            print(
                f"extract {label}: {n_docs / wall:8.0f} docs/s "
                f"{chars / wall / 1e6:6.2f} M chars/s  wall {wall:7.1f} s  "
                f"peak RSS of the child processes (MiB): {mib}"
            )
        print(f"speed-up  : two workers {results[1] / results[2]:.2f} x one worker")
        same = (folder / "facts-1.jsonl").read_bytes() == (folder / "facts-2.jsonl").read_bytes()
        print(f"output    : the two facts files are {'the same' if same else 'DIFFERENT'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
