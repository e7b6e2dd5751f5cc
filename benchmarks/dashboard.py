"""The dashboard after a large upload: do totals stay fast and small for everyone?

A store with the load benchmark's 200 short reports is reconciled; then one
analyst's upload adds a single document of ``--copies`` copies of a page of
our own (growth.py's page: a bulletin printed many times), which leaves the
stored figures stale. A real server (uvicorn, its own process) then answers
``--clients`` concurrent clients asking ``GET /api/totals`` ``--requests``
times each, as open dashboards do. Printed: latency p50/p95/max, how many
answers said ``stale``, the server's peak memory (VmHWM of its process) and
whether the figures were fresh again at the end.

``--src`` serves another source tree with the same clients, for a before/after
comparison run back to back. It prints figures only; it asserts nothing.

usage: python benchmarks/dashboard.py [--copies 5000] [--clients 8] [--requests 10]
                                      [--db URL] [--src DIR]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from growth import HEADER, PAGE  # noqa: E402
from load import PASSWORD, REPO, pct, seed, start_server  # noqa: E402


def peak_memory_mb(pid: int) -> float:
    """The process's high-water resident memory (Linux), in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def cli(src: Path, *args: str) -> None:
    env = {**os.environ, "PYTHONPATH": str(src)}
    subprocess.run([sys.executable, "-m", "crisisdesk.cli", *args], env=env, check=True,
                   stdout=subprocess.DEVNULL)  # fmt: skip


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--copies", type=int, default=5000)
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--requests", type=int, default=10)
    ap.add_argument("--db", help="store URL (default: a fresh SQLite file)")
    ap.add_argument("--src", type=Path, help="serve this source tree (default: this one's)")
    args = ap.parse_args()
    src = (args.src or REPO / "src").resolve()
    work = Path(tempfile.mkdtemp(prefix="crisisdesk-dashboard-"))
    url = args.db or f"sqlite:///{work / 'dash.sqlite'}"
    seed(url, 200, args.clients)
    cli(src, "reconcile", "--db", url, "--json")
    upload = work / "upload.txt"
    upload.write_text(HEADER.format(kind="copies", n=args.copies) + PAGE * args.copies)
    t = time.perf_counter()
    cli(src, "ingest", str(upload), "--db", url, "--json")
    print(f"{args.copies} copies ingested in {time.perf_counter() - t:.1f} s; figures now stale")
    proc, base = start_server(url, work, 1, src)
    print(f"server: code from {src}, load average {os.getloadavg()[0]:.1f}")
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    stale = 0
    lock = threading.Lock()

    def dashboard(name: str) -> None:
        nonlocal stale
        with httpx.Client(base_url=base, timeout=600) as http:
            login = http.post("/api/session", json={"name": name, "password": PASSWORD})
            login.raise_for_status()
            for _ in range(args.requests):
                started = time.perf_counter()
                resp = http.get("/api/totals", params={"category": "killed", "unit": "people"})
                took = time.perf_counter() - started
                with lock:
                    latencies.append(took)
                    statuses[resp.status_code] = statuses.get(resp.status_code, 0) + 1
                    stale += bool(resp.is_success and resp.json().get("stale"))

    try:
        started = time.perf_counter()
        threads = [
            threading.Thread(target=dashboard, args=(f"load{i}",)) for i in range(args.clients)
        ]
        for th in threads:
            th.start()
        for th in threads:
            th.join()
        elapsed = time.perf_counter() - started
        memory = peak_memory_mb(proc.pid)
        with httpx.Client(base_url=base, timeout=600) as http:
            http.post("/api/session", json={"name": "load0", "password": PASSWORD})
            fresh = None
            for _ in range(120):  # the background reconcile, if there is one
                status = http.get("/api/figures/status")
                if status.status_code != 200:
                    break
                fresh = status.json().get("state")
                if fresh == "fresh":
                    break
                time.sleep(1)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    n = len(latencies)
    print(f"{n} totals requests from {args.clients} clients in {elapsed:.1f} s: "
          f"p50 {pct(latencies, 50):.0f} ms, p95 {pct(latencies, 95):.0f} ms, "
          f"max {max(latencies) * 1000:.0f} ms; {statuses}; {stale} said stale")  # fmt: skip
    print(f"server peak memory {memory:.0f} MB; figures at the end: {fresh or 'no status route'}")


if __name__ == "__main__":
    main()
