"""The review desk's pages at a team's scale: time and size of the dashboard, the
queue, a fact and a document, on a store of about 5,000 facts, and the keystrokes
to verify a figure with its evidence.

The store is made the way a team makes one: invented reports (``growth.varied``,
five paragraphs of two figures each) ingested through the real pipeline
(extraction, gazetteer), then ``reconcile``. Pages are read through a real server
(uvicorn in its own process), logged in as an analyst, each ``--repeat`` times;
the first (cold: the server's first answer of that page) and the median of the
rest are printed, with the HTML size.

Then the dashboard's first view after a reconcile, as a team meets it all day:
an analyst verifies a figure, the figures are reconciled again (as the server's
background refresher does), and the next dashboard view is timed, ``--rounds``
times. (To compare with another checkout, copy this file
into its ``benchmarks/``: it runs the code of the checkout it is in.)

usage: python benchmarks/review_desk.py [--docs 1000] [--db URL] [--repeat 7]
       [--rounds 5]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO / "benchmarks"))

from growth import HEADER, varied  # noqa: E402
from load import PASSWORD, start_server  # noqa: E402

from crisisdesk.accounts import hash_password  # noqa: E402
from crisisdesk.pipeline import ingest_paths  # noqa: E402
from crisisdesk.reconcile import reconcile_store  # noqa: E402
from crisisdesk.reconcile.incremental import reconcile_changed  # noqa: E402
from crisisdesk.store import FactQuery, Store  # noqa: E402


def build(url: str, docs: int, work: Path) -> None:
    folder = work / "reports"
    folder.mkdir(exist_ok=True)
    for i in range(docs):
        text = HEADER.format(kind="review", n=i) + varied(5, seed=1000 + i)
        (folder / f"r{i:05d}.txt").write_text(text, encoding="utf-8")
    with Store.open(url) as store:
        t = time.perf_counter()
        report = ingest_paths(store, [folder])
        print(f"ingested {len(report.added)} documents, {report.facts} facts "
              f"({len(report.duplicates)} repeats) in {time.perf_counter() - t:.1f} s")  # fmt: skip
        reconcile_store(store)
        store.add_user("bench", "analyst", hash_password(PASSWORD), by="benchmark")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--docs", type=int, default=1000)
    ap.add_argument("--db", default=None, help="an existing store (with a user 'bench')")
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="crisisdesk-review-bench-"))
    url = args.db or f"sqlite:///{work / 'store.sqlite'}"
    if not args.db:
        build(url, args.docs, work)
    with Store.open(url) as store:
        facts = store.count_facts()
        sf = next(store.iter_facts(FactQuery(status="open"), limit=1))
    proc, base = start_server(url, work)
    try:
        client = httpx.Client(base_url=base, timeout=120)
        login = client.post("/api/session", json={"name": "bench", "password": PASSWORD})
        client.headers["X-CSRF-Token"] = login.json()["csrf_token"]
        pages = {
            "dashboard": "/",
            "queue": "/queue",
            "queue, filtered": "/queue?category=killed&q=market&sort=value&page=3",
            "fact": f"/facts/{sf.id}",
            "document": f"/documents/{sf.fact.doc}?fact={sf.id}",
        }
        print(f"{facts:,} facts; {args.repeat} reads each through {base}")
        print(f"{'page':18s} {'cold ms':>8s} {'median ms':>10s} {'HTML KiB':>9s}")
        for name, path in pages.items():
            times, size = [], 0
            for _ in range(args.repeat):
                t = time.perf_counter()
                resp = client.get(path, follow_redirects=True)
                times.append((time.perf_counter() - t) * 1000)
                size = len(resp.content)
                resp.raise_for_status()
            warm = statistics.median(times[1:]) if len(times) > 1 else times[0]
            print(f"{name:18s} {times[0]:8.1f} {warm:10.1f} {size / 1024:9.1f}")
        after_reconcile(client, url, args.rounds)
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def after_reconcile(client: httpx.Client, url: str, rounds: int) -> None:
    """Verify a figure, reconcile what changed, time the next dashboard view; then the
    one after it (the same store version)."""
    with Store.open(url) as store:
        ids = [sf.id for sf in store.iter_facts(FactQuery(status="unreviewed"), limit=rounds)]
    first, later = [], []
    for fid in ids:
        tag = client.get(f"/api/facts/{fid}").headers.get("etag", '"1"')
        resp = client.post(f"/api/facts/{fid}/verify", headers={"If-Match": tag})
        resp.raise_for_status()
        with Store.open(url) as store:
            reconcile_changed(store)
        for out in (first, later):
            t = time.perf_counter()
            client.get("/").raise_for_status()
            out.append((time.perf_counter() - t) * 1000)
    print(f"dashboard after a reconcile ({len(first)} rounds): first view "
          f"median {statistics.median(first):.1f} ms (max {max(first):.1f}), "
          f"next view median {statistics.median(later):.1f} ms")  # fmt: skip


if __name__ == "__main__":
    main()
