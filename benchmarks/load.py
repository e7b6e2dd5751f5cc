"""The review desk under load: a real server (uvicorn, its own process) against
many concurrent clients reading the review queue, opening documents, editing
facts, uploading reports and exporting.

Each client logs in once (its own session) and loops for ``--seconds``:
55% review-queue reads, 15% document reads, 15% edits (read the fact, PATCH
it with If-Match; a 409 is re-read and retried, as the page does), 10%
uploads (a short report of ours) and 5% CSV exports. An upload is answered
202 and read by the upload worker process; the run ends by waiting for those
jobs. Edits go to a small set of shared facts, so clients collide on purpose.

Printed: requests per second, p50/p95/p99 latency per route (the review queue,
a document, a fact, and all reads together), 5xx count, 409s,
and writes lost: every PATCH answered 200 must be in the fact's audit log
with the value it wrote, and the fact must end at the last of them (0 lost);
and the web server's CPU per request over the busy minute (/proc: its
processes, not the upload worker), which a shared machine's load moves far
less than it moves latency. For a peer ratio, the same mix runs first with one client for a few
seconds (latency with no contention). It prints figures only; it asserts nothing.

usage: python benchmarks/load.py [--clients 50] [--seconds 60] [--solo-seconds 10]
                                 [--docs 200] [--db URL] [--workers 1] [--src DIR]

``--src`` serves another source tree (e.g. an export of an older commit) with
the same clients, for a before/after comparison run back to back.
"""

from __future__ import annotations

import argparse
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from crisisdesk.accounts import hash_password  # noqa: E402
from crisisdesk.model import Category, Document, Fact, Unit  # noqa: E402
from crisisdesk.store import Store  # noqa: E402

PASSWORD = "load test passphrase"
KEY = "a-load-benchmark-key-of-forty-bytes-0123"
TOWNS = ("Saraqib", "Ariha", "Binnish", "Sarmin", "Atarib", "Dana", "Harem", "Salqin")
SHARED_FACTS = 20  # the facts every client edits (collisions on purpose)


def _page(i: int) -> str:
    """A short report of ours (invented figures)."""
    town = TOWNS[i % len(TOWNS)]
    return (
        f"Bulletin {i}. Volunteers in {town} said on {1 + i % 27} March that "
        f"{3 + i % 40} civilians were killed and {5 + i % 60} injured when the market "
        f"was shelled. About {100 + i} families arrived in {TOWNS[(i + 3) % len(TOWNS)]}."
    )


def seed(url: str, docs: int, users: int) -> None:
    with Store.open(url) as store:
        for i in range(docs):
            text = _page(i)
            doc = Document.from_text(text, title=f"Bulletin {i}", published=date(2021, 3, 28))
            n = str(3 + i % 40)
            start = text.index(f" {n} civilians") + 1
            clause = text[text.index("Volunteers") : text.index(" when")]
            fact = Fact(
                doc=doc.id,
                quote=clause,
                quote_start=text.index(clause),
                span=(start, start + len(n)),
                value=int(n),
                category=Category.KILLED,
                unit=Unit.PEOPLE,
                subject="civilians",
                places=(TOWNS[i % len(TOWNS)],),
            )
            store.add_document(doc, [fact])
        hashed = hash_password(PASSWORD)
        for u in range(users):
            store.add_user(f"load{u}", "analyst", hashed, by="benchmark")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(
    url: str, workdir: Path, workers: int = 1, src: Path | None = None, plain: bool = False
) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    env = {**os.environ, "CRISISDESK_DB": url, "CRISISDESK_SECRET_KEY": KEY}
    env["PYTHONPATH"] = str(src or REPO / "src") + os.pathsep + env.get("PYTHONPATH", "")
    args = [sys.executable, "-m", "uvicorn", "crisisdesk.web.app:app_from_env", "--factory"]
    args += ["--port", str(port), "--no-proxy-headers", "--log-level", "warning"]
    args += ["--workers", str(workers)]
    if plain:  # the pure-Python HTTP parser and event loop, as before httptools and uvloop
        args += ["--http", "h11", "--loop", "asyncio"]
    proc = subprocess.Popen(args, env=env, cwd=workdir)
    base = f"http://127.0.0.1:{port}"
    for _ in range(600):
        try:
            httpx.get(base + "/login", timeout=1)
            return proc, base
        except httpx.TransportError:
            time.sleep(0.1)
    proc.terminate()
    raise SystemExit("the server did not start")


@dataclass
class Tally:
    latency: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    status: dict[int, int] = field(default_factory=lambda: defaultdict(int))
    writes: list[tuple[str, str]] = field(default_factory=list)  # (fact id, subject written)
    jobs: list[int] = field(default_factory=list)  # upload jobs queued (202)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, kind: str, seconds: float, status: int) -> None:
        with self.lock:
            self.latency[kind].append(seconds)
            self.status[status] += 1


class Client:
    def __init__(self, base: str, name: str, facts: list[str], docs: list[str], tally: Tally):
        self.http = httpx.Client(base_url=base, timeout=120)
        resp = self.http.post("/api/session", json={"name": name, "password": PASSWORD})
        resp.raise_for_status()
        self.http.headers["X-CSRF-Token"] = resp.json()["csrf_token"]
        self.name, self.facts, self.docs, self.tally = name, facts, docs, tally
        self.rng = random.Random(name)
        self.n = 0

    def timed(self, kind: str, method: str, url: str, **kw: object) -> httpx.Response:
        t = time.perf_counter()
        resp = self.http.request(method, url, **kw)  # type: ignore[arg-type]
        self.tally.add(kind, time.perf_counter() - t, resp.status_code)
        return resp

    def edit(self) -> None:
        fid = self.rng.choice(self.facts)
        self.n += 1
        subject = f"{self.name}-{self.n}"
        for _ in range(10):  # re-read and reapply on conflict, as the page offers
            read = self.timed("read:fact", "GET", f"/api/facts/{fid}")
            tag = read.headers.get("etag", '"1"')
            resp = self.timed(
                "edit", "PATCH", f"/api/facts/{fid}", json={"subject": subject},
                headers={"If-Match": tag},
            )  # fmt: skip
            if resp.status_code == 200:
                with self.tally.lock:
                    self.tally.writes.append((fid, subject))
                return
            if resp.status_code != 409:
                return

    def step(self) -> None:
        r = self.rng.random()
        if r < 0.55:
            offset = self.rng.randrange(0, 200)
            self.timed("read:queue", "GET", f"/api/facts?status=unreviewed&oldest_first=true"
                       f"&limit=50&offset={offset}")  # fmt: skip
        elif r < 0.70:
            self.timed("read:document", "GET", f"/api/documents/{self.rng.choice(self.docs)}")
        elif r < 0.85:
            self.edit()
        elif r < 0.95:
            body = _page(10_000 + self.rng.randrange(10**6)).encode()
            resp = self.timed("upload", "POST", "/api/documents",
                              files={"file": (f"{self.name}.txt", body, "text/plain")})  # fmt: skip
            if resp.status_code == 202:  # queued: the upload worker reads it
                with self.tally.lock:
                    self.tally.jobs.append(resp.json()["job"])
        else:
            self.timed("export", "GET", "/api/exports/csv")


def run(base: str, names: list[str], seconds: float, facts: list[str], docs: list[str]) -> Tally:
    tally = Tally()
    clients = [Client(base, n, facts, docs, tally) for n in names]
    stop = time.monotonic() + seconds

    def loop(c: Client) -> None:
        while time.monotonic() < stop:
            try:
                c.step()
            except httpx.HTTPError as exc:  # a refused or dropped connection counts as a 5xx
                tally.add("error", 0.0, 599)
                print(f"  transport error: {exc!r}", file=sys.stderr)

    threads = [threading.Thread(target=loop, args=(c,)) for c in clients]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    tally.latency["_elapsed"] = [time.monotonic() - started]
    return tally


def lost_writes(url: str, tally: Tally) -> int:
    """Writes answered 200 that the store does not hold: missing from the audit log,
    or the fact not ending at the last one written."""
    with Store.open(url) as store:
        lost = 0
        by_fact: dict[str, list[str]] = defaultdict(list)
        for fid, subject in tally.writes:
            by_fact[fid].append(subject)
        for fid, subjects in by_fact.items():
            audit = store.audit(fact_id=fid, limit=100_000)
            written = [
                e.new.get("subject") for e in reversed(audit) if e.new and "subject" in e.new
            ]
            lost += len(set(subjects) - set(written))
            if written and store.get_fact(fid).fact.subject != written[-1]:
                lost += 1
    return lost


def drained(url: str, tally: Tally, timeout: float = 600) -> str:
    """Wait for the uploads' jobs to end; how long that took after the run, and how
    they ended (an upload is answered 202 at once and read by the worker process)."""
    if not tally.jobs:
        return "no upload jobs"
    started = time.monotonic()
    with Store.open(url) as store:
        while True:
            states = [j.state for j in (store.get_job(i) for i in tally.jobs) if j is not None]
            done = sum(1 for st in states if st in ("done", "failed"))
            if done == len(tally.jobs) or time.monotonic() - started > timeout:
                break
            time.sleep(0.5)
    failed = states.count("failed")
    return (f"upload jobs: {len(tally.jobs)} queued, {states.count('done')} done, {failed} failed, "
            f"the last ended {time.monotonic() - started:.1f} s after the run")  # fmt: skip


def server_cpu(pid: int) -> float | None:
    """CPU seconds used so far by the web server: its process and uvicorn's worker
    processes under it, not the upload worker (from /proc; None where there is none).
    What a request costs the server does not depend on how busy the rest of the
    machine is; its latency does."""
    tick = os.sysconf("SC_CLK_TCK")
    total, todo = 0.0, [pid]
    while todo:
        p = todo.pop()
        try:
            if b"crisisdesk.worker" in Path(f"/proc/{p}/cmdline").read_bytes():
                continue  # the upload worker's extraction is not a request's
            stat = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(stat[11]) + int(stat[12])) / tick
            for task in Path(f"/proc/{p}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, IndexError, ValueError):
            if p == pid:
                return None
    return total


def pct(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))] * 1000


def report(title: str, tally: Tally, lost: int | None) -> dict[str, float]:
    elapsed = tally.latency.pop("_elapsed")[0]
    total = sum(len(v) for v in tally.latency.values())
    print(f"\n{title}: {total} requests in {elapsed:.1f} s = {total / elapsed:.1f} req/s")
    out = {}
    reads = [x for k, v in tally.latency.items() if k.startswith("read:") for x in v]
    print(f"  {'kind':14} {'n':>6} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'mean ms':>8}")
    for kind in ("reads", "read:queue", "read:document", "read:fact", "edit", "upload", "export"):
        v = reads if kind == "reads" else tally.latency.get(kind, [])
        if v:
            mean = statistics.fmean(v) * 1000
            print(f"  {kind:14} {len(v):6d} {pct(v, 50):8.1f} {pct(v, 95):8.1f} {pct(v, 99):8.1f} "
                  f"{mean:8.1f}")  # fmt: skip
            out[kind] = pct(v, 95)
    five = sum(n for s, n in tally.status.items() if s >= 500)
    conflicts = tally.status.get(409, 0)
    tail = "" if lost is None else f"   lost writes: {lost}"
    print(f"  5xx: {five}   409 conflicts (re-read and retried): {conflicts}   "
          f"writes: {len(tally.writes)}{tail}")  # fmt: skip
    print(f"  statuses: {dict(sorted(tally.status.items()))}")
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--solo-seconds", type=float, default=10)
    ap.add_argument("--docs", type=int, default=200)
    ap.add_argument("--db", help="store URL (default: a fresh SQLite file)")
    ap.add_argument("--workers", type=int, default=1, help="server processes (uvicorn)")
    ap.add_argument("--src", type=Path, help="serve this source tree (default: this one's)")
    ap.add_argument("--plain-http", action="store_true", help="h11 and asyncio, not the C ones")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="crisisdesk-load-"))
    url = args.db or f"sqlite:///{work / 'load.sqlite'}"
    t = time.perf_counter()
    seed(url, args.docs, args.clients)
    print(f"seeded {args.docs} documents and {args.clients} analysts in "
          f"{time.perf_counter() - t:.1f} s ({url.split('@')[-1]})")  # fmt: skip
    with Store.open(url) as store:
        stored = list(store.iter_facts())
    facts = [sf.id for sf in stored[:SHARED_FACTS]]
    docs = sorted({sf.fact.doc for sf in stored})
    proc, base = start_server(url, work, args.workers, args.src, args.plain_http)
    code = args.src or REPO / "src"
    print(f"server: uvicorn, {args.workers} worker(s), {os.cpu_count()} CPUs on this machine, "
          f"code from {code}, {'h11/asyncio' if args.plain_http else 'default'} HTTP, "
          f"load average {os.getloadavg()[0]:.1f}")  # fmt: skip
    try:
        # the first upload builds the extraction pipeline (gazetteer): not part of the figures
        warm = Client(base, "load0", facts, docs, Tally())
        warm.http.post("/api/documents", files={"file": ("w.txt", _page(1).encode(), "text/plain")})
        solo = run(base, ["load0"], args.solo_seconds, facts, docs)
        solo_p95 = report("1 client (peer)", solo, None)
        print(f"  {drained(url, solo)}")
        names = [f"load{u}" for u in range(args.clients)]
        cpu_before = server_cpu(proc.pid)
        busy = run(base, names, args.seconds, facts, docs)
        cpu_after = server_cpu(proc.pid)
        requests = sum(len(v) for k, v in busy.latency.items() if k != "_elapsed")
        elapsed = busy.latency["_elapsed"][0]
        busy_p95 = report(f"{args.clients} clients", busy, lost_writes(url, busy))
        if cpu_before is not None and cpu_after is not None and requests:
            used = cpu_after - cpu_before
            print(f"  server CPU: {used:.1f} s = {1000 * used / requests:.2f} ms a request, "
                  f"{used / elapsed:.2f} of a CPU on average")  # fmt: skip
        print(f"  load average at the end {os.getloadavg()[0]:.1f} (other jobs on the CPUs count)")
        print(f"  {drained(url, busy)}")
        for kind, p95 in busy_p95.items():
            if kind in solo_p95 and solo_p95[kind] > 0:
                print(f"  p95 {kind}: {p95 / solo_p95[kind]:.1f}x the single client's")
    finally:
        proc.terminate()
        proc.wait(timeout=30)


if __name__ == "__main__":
    main()
