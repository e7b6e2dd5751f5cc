"""Scale: extract a large generated corpus on one and on two Dask workers.

A generator of ours writes ``--documents`` reports (a few KB each) by taking the
paragraphs of the bundled example reports and changing their places, dates and
numbers, so the text reads like the real thing but no two documents are the
same. The corpus is written as JSON lines (gzip-free, one file) and then:

- ``crisisdesk extract-file --workers 1`` and ``--workers 2`` are timed as whole
  processes (a local Dask cluster each time, start-up included): documents per
  second, the speed-up of two workers over one, and the peak memory of every
  worker process (sampled every 0.2 s);
- the facts files of both runs are compared (they must be the same bytes);
- with ``--db-url`` (a PostgreSQL store, EMPTIED first): the facts are bulk-loaded
  as ``crisisdesk ingest`` loads them (``overlap.add_blocks`` in ``deferred.load``:
  the duplicate check, the COPYs, the commits and the index builds after are timed;
  the rows are made beforehand, as the workers make them, and timed apart), with the
  CPU seconds of this process and of the PostgreSQL backends, then reconciled in
  full, then ``--new`` documents published in the week after the archive (a day's
  feed) are extracted and added, and the
  incremental reconcile is timed against a full one over the same store, with
  whether they leave the same figures.

It prints figures only; it asserts nothing. 200,000 documents make about two
million facts; ``--documents 100000`` gives the million-fact store of issue 18
(``benchmarks/reconcile_memory.py --build`` loads the kept corpus and facts into
SQLite and prints the peak memory of a full reconcile of them).

``--load-only`` stops after the load; ``--reuse DIR`` loads the corpus and facts a
``--keep DIR`` run left there, alone.

usage: python benchmarks/scale.py [--documents 200000] [--new 1000] [--seed 7]
       [--db-url URL] [--keep DIR] [--load-only] [--reuse DIR]
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

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


ARCHIVE_DAYS = 900  # the archive is published over this many days from 1 June 2019


def generate(
    count: int, seed: int, dest: Path, days: tuple[int, int] = (0, ARCHIVE_DAYS)
) -> tuple[int, int]:
    """Write ``count`` documents published ``days`` after 1 June 2019 (the archive;
    the week after it for a feed of new reports) to ``dest``; (documents, characters)."""
    rng = random.Random(seed)
    paragraphs = example_paragraphs()
    start = date(2019, 6, 1)
    chars = 0
    with dest.open("w", encoding="utf-8") as out:
        for i in range(count):
            published = start + timedelta(days=rng.randint(*days))
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


def _worker_peaks(
    stop: threading.Event, parent: int, peaks: dict[int, int], cpu: dict[int, float]
) -> None:
    """Sample the resident memory and the CPU seconds of ``parent`` and every process
    under it until ``stop`` (the CPU seconds make the comparison fair on a machine
    that other jobs share: they count only the work of this run)."""
    import psutil

    try:
        root = psutil.Process(parent)
    except psutil.NoSuchProcess:
        return
    while not stop.is_set():
        try:
            procs = [root, *root.children(recursive=True)]
        except psutil.NoSuchProcess:
            return
        for proc in procs:
            try:
                rss = proc.memory_info().rss
                times = proc.cpu_times()
            except psutil.Error:
                continue
            if proc.pid != parent:
                peaks[proc.pid] = max(peaks.get(proc.pid, 0), rss)
            cpu[proc.pid] = times.user + times.system
        stop.wait(0.2)


def time_extract(docs: Path, out: Path, workers: int) -> tuple[float, list[int], float]:
    """Wall seconds of a whole ``extract-file --workers N`` process, and the peak memory
    of each of its child processes (the Dask workers), and the CPU seconds of all."""
    exe = shutil.which("crisisdesk") or str(Path(sys.executable).with_name("crisisdesk"))
    began = time.perf_counter()
    proc = subprocess.Popen(
        [exe, "extract-file", str(docs), "-o", str(out), "--workers", str(workers), "--json"],
        stdout=subprocess.DEVNULL,
    )
    peaks: dict[int, int] = {}
    cpu: dict[int, float] = {}
    stop = threading.Event()
    sampler = threading.Thread(target=_worker_peaks, args=(stop, proc.pid, peaks, cpu), daemon=True)
    sampler.start()
    code = proc.wait()
    stop.set()
    sampler.join()
    if code not in (0,):
        raise SystemExit(f"extract-file --workers {workers} failed with exit code {code}")
    return time.perf_counter() - began, sorted(peaks.values(), reverse=True), sum(cpu.values())


def load_and_reconcile(
    corpus: Path, facts_file: Path, url: str, feed: tuple[Path, Path], load_only: bool = False
) -> None:
    """Bulk-load the extracted documents into a fresh store (facts/s), reconcile it in
    full, add the ``feed`` (documents, facts) of the week after the archive, and time
    the incremental pass against a full one over the same store (and check they leave
    the same figures). ``load_only``: stop after the load."""
    from crisisdesk.reconcile import reconcile_store
    from crisisdesk.reconcile.figures import figure_json
    from crisisdesk.reconcile.incremental import reconcile_changed
    from crisisdesk.reconcile.run import load_figures
    from crisisdesk.store import Store
    from crisisdesk.store.bulk import add_prepared, prepare

    old = list(_works(corpus, facts_file))
    n_facts = sum(len(f) for _, f in old)
    _reset(url)
    with Store.open(url) as store:
        cpu = time.process_time()
        batches = [prepare(old[i : i + 500], store.dialect) for i in range(0, len(old), 500)]
        made = time.process_time() - cpu  # the workers' share in an ingest run
        timed = time_load(store, batches)
        del batches
        print(
            f"rows made : {n_facts:,} facts ({len(old):,} documents) as the workers make them "
            f"(bulk.prepare, not timed in the load): {made:.1f} CPU s = "
            f"{n_facts / made:,.0f} facts per CPU-second of a worker"
        )
        print(
            f"load      : {n_facts:,} facts into {store.dialect} as ingest loads them "
            f"(overlap.add_blocks, blocks of 500 documents; indexes and foreign keys built "
            f"after, duplicates checked, commits) in {timed.wall:.2f} s = "
            f"{n_facts / timed.wall:,.0f} facts/s wall; CPU: client {timed.client:.2f} s, "
            f"PostgreSQL server {timed.server:.2f} s = "
            f"{(timed.client + timed.server) / n_facts * 1e6:.1f} us per fact "
            f"({n_facts / (timed.client + timed.server):,.0f} facts per CPU-second); "
            f"load average {timed.load[0]:.1f} -> {timed.load[1]:.1f}"
        )
        if load_only:
            return
        new = list(_works(*feed))
        began = time.perf_counter()
        reconcile_store(store)
        first = time.perf_counter() - began
        for start in range(0, len(new), 500):
            add_prepared(store.engine, prepare(new[start : start + 500], store.dialect))
        began = time.perf_counter()
        done = reconcile_changed(store)
        inc = time.perf_counter() - began
        incremental = sorted(
            json.dumps(figure_json(f), sort_keys=True) for f in load_figures(store)
        )
        heads = _headlines(store)
        began = time.perf_counter()
        reconcile_store(store)
        full = time.perf_counter() - began
        whole = sorted(json.dumps(figure_json(f), sort_keys=True) for f in load_figures(store))
        same_heads = heads == _headlines(store) and heads[:2] == heads[2]
    print(
        f"reconcile : full {first:.1f} s over {n_facts:,} facts; then {len(new):,} new documents "
        f"(published the week after the archive): incremental ({done.mode}) {inc:.1f} s "
        f"({done.recomputed_facts:,} facts of {len(done.categories)} categories re-read) vs "
        f"full {full:.1f} s = {full / inc:.1f} x (load {os.getloadavg()[0]:.1f}); "
        f"figures {'the same' if incremental == whole else 'DIFFERENT'}; "
        f"headlines {'the same' if same_heads else 'DIFFERENT'}"
    )


@dataclass
class Timed:
    """A load's wall seconds, CPU seconds of this process and of the PostgreSQL
    backends serving it, and the load average before and after."""

    wall: float
    client: float
    server: float
    load: tuple[float, float]


def time_load(store: Any, batches: list[Any]) -> Timed:
    """Load ``batches`` as ``crisisdesk ingest`` does (``overlap.add_blocks`` inside
    ``deferred.load``, the indexes built after as for an empty store), timed.

    The objects alive before the load (every block's rows, the corpus read) are moved
    out of the collector's reach meanwhile (``gc.freeze``): an ingest client holds a
    few blocks, and each full collection walking the whole corpus here cost 40 % of
    the duplicate check's CPU, a cost of this benchmark, not of the load."""
    import gc

    from crisisdesk.store import deferred
    from crisisdesk.store.overlap import add_blocks

    backends = _Backends(store.engine)
    gc.collect()
    gc.freeze()
    before = os.getloadavg()[0]
    began, cpu = time.perf_counter(), time.process_time()
    try:
        with deferred.load(store.engine, True):
            for _ in add_blocks(store.engine, ((b, None) for b in batches)):
                pass
    finally:
        wall, client = time.perf_counter() - began, time.process_time() - cpu
        gc.unfreeze()
    return Timed(wall, client, backends.stop(), (before, os.getloadavg()[0]))


class _Backends:
    """CPU seconds the PostgreSQL server spends from now on: the backends an engine's
    connections open, and every other process of the server (parallel workers of the
    index builds, the WAL writer, autovacuum) when it runs on this machine; sampled
    every 0.1 s so that a process that ended still counts. On a machine other jobs
    share, that is this load's work in the server (and the little a server does
    beside it), nothing else."""

    def __init__(self, engine: Any) -> None:
        from sqlalchemy import event

        engine.dispose()
        self.pids: list[int] = []
        self.start: dict[int, float] = {}
        self.cpu: dict[int, float] = {}
        self.postmaster: Any = None
        self._done = threading.Event()
        event.listen(engine, "connect", self._note)
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _note(self, dbapi_conn: Any, _record: Any) -> None:
        import psutil

        with dbapi_conn.cursor() as cur:
            cur.execute("SELECT pg_backend_pid()")
            pid = cur.fetchone()[0]
        self.pids.append(pid)
        if self.postmaster is None:
            try:
                self.postmaster = psutil.Process(pid).parent()
                for child in self.postmaster.children():
                    times = child.cpu_times()
                    self.start.setdefault(child.pid, times.user + times.system)
            except psutil.Error:
                self.postmaster = False  # not on this machine: the backends alone

    def _read(self) -> None:
        import psutil

        procs = [psutil.Process(pid) for pid in self.pids if psutil.pid_exists(pid)]
        if self.postmaster:
            with contextlib.suppress(psutil.Error):
                procs = self.postmaster.children()
        for proc in procs:
            try:
                times = proc.cpu_times()
            except psutil.Error:
                continue
            self.cpu[proc.pid] = times.user + times.system

    def _sample(self) -> None:
        while not self._done.wait(0.1):
            self._read()

    def stop(self) -> float:
        self._read()
        self._done.set()
        self._thread.join()
        return sum(v - self.start.get(pid, 0.0) for pid, v in self.cpu.items())


def _works(corpus: Path, facts_file: Path):  # noqa: ANN202 - (Document, facts) pairs
    """The corpus documents with their extracted facts (as the workers return them)."""
    from collections import defaultdict

    from crisisdesk.ingest.jsonl import read_documents
    from crisisdesk.model import Fact

    by_doc: dict[str, list] = defaultdict(list)
    with facts_file.open(encoding="utf-8") as lines:
        for line in lines:
            fact = Fact.from_json(json.loads(line))
            by_doc[fact.doc].append(fact)
    with corpus.open(encoding="utf-8") as lines:
        for doc in read_documents(lines):
            yield doc, tuple(by_doc.get(doc.id, ()))


def _reset(url: str) -> None:
    from sqlalchemy import create_engine, text

    from crisisdesk.store import normalise_url

    if not url.startswith("postgresql"):
        return
    engine = create_engine(normalise_url(url))
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


# -- the reach on a store of many separate places (no place-less or region-wide counts)

GOVERNORATES = {"SY07": "Idlib", "SY02": "Aleppo", "YE25": "Taiz"}


def _towns(n: int):  # noqa: ANN202 - ResolvedPlace list
    from crisisdesk.model import Precision, ResolvedPlace

    out = []
    for i in range(n):
        code = list(GOVERNORATES)[i % 3]
        gov = GOVERNORATES[code]
        out.append(
            ResolvedPlace(
                name=f"Town{i}",
                place_id=f"bench:town{i}",
                canonical=f"Town{i}",
                kind="town",
                country="YE" if code == "YE25" else "SY",
                admin1=gov,
                admin1_code=code,
                admin2=f"{gov} D{i % 7}",
                admin2_code=f"{code}{i % 7:02d}",
                precision=Precision.POINT,
            )  # fmt: skip
        )
    return out


def _town_report(rng: random.Random, n: int, month: int, year: int, towns: list):  # noqa: ANN202
    """A report of one to four counts, each about a town, over a day, a week, a month,
    a running count from a first day or "to date" (as tests/reconcile/test_reach.py)."""
    from crisisdesk.model import Category, Document, Fact, Unit

    text, facts = "", []
    doc_id = f"r{n:07d}"
    for k in range(rng.randint(1, 4)):
        value = rng.choice([3, 4, 5, 10, 11, 12, 30, 40, 120])
        unit = Unit.FAMILIES if rng.random() < 0.1 else Unit.PEOPLE
        place = rng.choice(towns)
        sentence = f"Count {k} says {value} {unit} in {place.name}. "
        start = len(text) + len(f"Count {k} says ")
        first = date(year, month, 1) + timedelta(days=rng.randint(0, 27))
        kind = rng.choice(["day", "day", "day", "week", "month", "since", "to date"])
        period = {
            "day": (first, first),
            "week": (first, first + timedelta(days=6)),
            "month": (date(year, month, 1), date(year, month, 28)),
            "since": (date(year, month, 1), first),
            "to date": (None, first),
        }[kind]
        facts.append(
            Fact(
                doc=doc_id,
                quote=sentence.strip(),
                span=(start, start + len(str(value))),
                value=value,
                category=rng.choice([Category.KILLED, Category.INJURED]),
                unit=unit,
                subject=rng.choice(["", "", "children"]),
                places=(place.name,),
                resolved=(place,),
                date_start=period[0],
                date_end=period[1],
                source=rng.choice(["OCHA", "SARC", "Syria Civil Defence", None]),
                is_total=rng.random() < 0.3 or period[0] != period[1],
                quote_start=len(text),
            )  # fmt: skip
        )
        text += sentence
    doc = Document.from_text(
        text, origin=doc_id, fmt="text", language="en", id=doc_id,
        published=date(year, month, 28), publisher=rng.choice(["Agency A", "Agency B"]),
    )  # fmt: skip
    return doc, facts


def reach_benchmark(
    documents: int, new: int, towns: int, folder: Path, build: Path | None = None
) -> None:
    """On SQLite: ``documents`` reports of ours over two years about ``towns`` towns in
    three governorates, reconciled in full; then ``new`` reports of the month after,
    reconciled incrementally, then in full over the same store (same run). With
    ``build``: the store is left there before the incremental pass (for ``--store``)."""
    from crisisdesk.reconcile import reconcile_store
    from crisisdesk.store import Store
    from crisisdesk.store.bulk import add_prepared, prepare

    rng = random.Random(documents)
    places = _towns(towns)
    old = [
        _town_report(rng, n, 1 + n % 12, 2020 + (n * 2) // documents, places)
        for n in range(documents)
    ]
    fresh = [_town_report(rng, documents + n, 1, 2022, places) for n in range(new)]
    path = build or folder / "reach.sqlite"
    path.unlink(missing_ok=True)
    with Store.open(f"sqlite:///{path}") as store:
        for start in range(0, len(old), 1000):
            add_prepared(store.engine, prepare(old[start : start + 1000], store.dialect))
        n_facts = sum(len(f) for _, f in old)
        began = time.perf_counter()
        reconcile_store(store)
        first = time.perf_counter() - began
        add_prepared(store.engine, prepare(fresh, store.dialect))
    if build is not None:
        print(f"built     : {path} ({n_facts:,} facts reconciled in full in {first:.1f} s, "
              f"then {new:,} new reports added)")  # fmt: skip
        return
    measure_reach(path, f"{documents:,} reports of ours ({n_facts:,} facts, {towns} towns)",
                  f"full {first:.1f} s", new)  # fmt: skip


def measure_reach(path: Path, what: str, first: str, new: int) -> None:
    """The incremental reconcile of the store at ``path`` (reconciled in full, then
    ``new`` reports added), then a full one over the same store, in one run."""
    from crisisdesk.reconcile import reconcile_store
    from crisisdesk.reconcile.figures import figure_json
    from crisisdesk.reconcile.incremental import reconcile_changed
    from crisisdesk.reconcile.run import load_figures
    from crisisdesk.store import Store

    with Store.open(f"sqlite:///{path}") as store:
        began, cpu = time.perf_counter(), time.process_time()
        done = reconcile_changed(store)
        inc, inc_cpu = time.perf_counter() - began, time.process_time() - cpu
        load_inc = os.getloadavg()[0]
        after = sorted(json.dumps(figure_json(f), sort_keys=True) for f in load_figures(store))
        heads = _headlines(store)
        began, cpu = time.perf_counter(), time.process_time()
        reconcile_store(store)
        full, full_cpu = time.perf_counter() - began, time.process_time() - cpu
        load_full = os.getloadavg()[0]
        whole = sorted(json.dumps(figure_json(f), sort_keys=True) for f in load_figures(store))
        same_heads = heads == _headlines(store) and heads[:2] == heads[2]
    print(
        f"reach     : {what} on "
        f"SQLite, {first}; then {new:,} new reports: incremental ({done.mode}) "
        f"{inc:.2f} s, {inc_cpu:.2f} CPU s ({done.recomputed_facts:,} of {done.facts:,} facts "
        f"re-read; load "
        f"{load_inc:.1f}) vs full {full:.2f} s, {full_cpu:.2f} CPU s (load {load_full:.1f}) = "
        f"{full / inc:.1f} x wall, {full_cpu / inc_cpu:.1f} x CPU; figures "
        f"{'the same' if after == whole else 'DIFFERENT'}; headlines "
        f"{'the same' if same_heads else 'DIFFERENT'}"
    )


def _headlines(store):  # noqa: ANN001, ANN202 - Store -> the kept headlines and afresh
    """The dashboard's headlines the last run kept, and those ``total`` gives afresh (not
    timed): an incremental run keeps them by groups (``reconcile.selection``)."""
    from crisisdesk.reconcile.headlines import headline_totals

    kept = store.saved_headlines() or {}
    afresh = headline_totals(store), headline_totals(store, verified_only=True)
    return kept.get("all"), kept.get("verified"), afresh


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--documents", type=int, default=200_000)
    ap.add_argument(
        "--new",
        type=int,
        default=1_000,
        help="documents of the week after the archive, added before the incremental reconcile",
    )
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument(
        "--db-url",
        default=os.environ.get("CRISISDESK_TEST_PG_URL"),
        help="PostgreSQL store to load (EMPTIED first); default $CRISISDESK_TEST_PG_URL",
    )
    ap.add_argument("--keep", type=Path, help="write the corpus and facts here and keep them")
    ap.add_argument(
        "--load-only",
        action="store_true",
        help="with a PostgreSQL store: stop after the load (no reconcile, no feed)",
    )
    ap.add_argument(
        "--reuse",
        type=Path,
        help="a folder --keep wrote: load its corpus and facts-1.jsonl alone (no generation, "
        "no extraction, no reconcile)",
    )
    ap.add_argument(
        "--reach-only",
        action="store_true",
        help="only the incremental reconcile on a store of our making of --documents reports "
        "about --towns towns (SQLite), with --new reports added",
    )
    ap.add_argument("--towns", type=int, default=60)
    ap.add_argument(
        "--build",
        type=Path,
        help="with --reach-only: build the store there (reconciled in full, then --new "
        "reports added) and stop, for --store",
    )
    ap.add_argument(
        "--store",
        type=Path,
        help="with --reach-only: a SQLite store built as --reach-only builds it (reconciled "
        "in full, then --new reports added), measured on a copy instead of building one",
    )
    args = ap.parse_args()
    if args.reuse is not None:
        if not args.db_url:
            ap.error("--reuse loads into PostgreSQL: give --db-url or $CRISISDESK_TEST_PG_URL")
        corpus, facts = args.reuse / "corpus.jsonl", args.reuse / "facts-1.jsonl"
        load_and_reconcile(corpus, facts, args.db_url, (corpus, facts), load_only=True)
        return 0
    if args.store is not None and not args.store.is_file():
        ap.error(f"--store {args.store}: no such SQLite file (build one with --reach-only first)")
    if args.reach_only and args.store:
        with tempfile.TemporaryDirectory() as tmp:
            copy = Path(tmp) / "reach.sqlite"
            shutil.copy(args.store, copy)
            measure_reach(copy, f"the store {args.store.name}", "built before", args.new)
        return 0
    if args.reach_only:
        with tempfile.TemporaryDirectory() as tmp:
            folder = args.keep or Path(tmp)
            reach_benchmark(args.documents, args.new, args.towns, folder, args.build)
        return 0
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
        results, cpus = {}, {}
        for workers in (1, 2):
            out = folder / f"facts-{workers}.jsonl"
            wall, peaks, cpu = time_extract(corpus, out, workers)
            results[workers], cpus[workers] = wall, cpu
            mib = ", ".join(f"{p / 2**20:.0f}" for p in peaks[:workers])
            label = f"{workers} worker{'s' if workers > 1 else ' '}"
            print(
                f"extract {label}: {n_docs / wall:8.0f} docs/s "
                f"{chars / wall / 1e6:6.2f} M chars/s  wall {wall:7.1f} s  "
                f"CPU {cpu:7.1f} s ({n_docs / cpu:5.0f} docs per CPU-second)  "
                f"peak RSS per worker (MiB): {mib or 'in-process'}"
            )
        print(
            f"speed-up  : two workers {results[1] / results[2]:.2f} x one worker (wall); "
            f"CPU overhead of the cluster {cpus[2] / cpus[1]:.2f} x the CPU of one process; "
            f"CPU-fair speed-up (2 x one process's CPU / two workers' CPU) "
            f"{2 * cpus[1] / cpus[2]:.2f} x"
        )
        same = (folder / "facts-1.jsonl").read_bytes() == (folder / "facts-2.jsonl").read_bytes()
        print(f"output    : the two facts files are {'the same' if same else 'DIFFERENT'}")
        if args.db_url:
            news = folder / "feed.jsonl"
            generate(args.new, args.seed + 1, news, (ARCHIVE_DAYS + 1, ARCHIVE_DAYS + 7))
            time_extract(news, folder / "feed-facts.jsonl", 1)
            load_and_reconcile(
                corpus,
                folder / "facts-1.jsonl",
                args.db_url,
                (news, folder / "feed-facts.jsonl"),
                args.load_only,
            )
        else:
            print("load      : skipped (no --db-url / CRISISDESK_TEST_PG_URL)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
