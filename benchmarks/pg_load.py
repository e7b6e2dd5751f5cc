"""Bulk load into PostgreSQL: facts per second of ``store.bulk`` against peers.

``--base`` reports of the scale benchmark's generator (``scale.py``) are
extracted once; their documents and facts are then copied ``--documents``
times under new ids (the text gets a line of its own, so every copy is a
document of its own with facts of its own), and the rows are made beforehand
as the workers make them (``bulk.prepare``). Then, in one run, each into a freshly migrated schema:

- ``deferred``: the same, inside ``deferred.load``: the secondary indexes and
  foreign keys of facts dropped before and built after (what an ingest into a
  store smaller than its input does);
- ``bulk``: ``bulk.add_prepared`` in blocks of ``--block`` documents (what
  ``crisisdesk ingest --workers N`` does on the client);
- ``raw COPY``: the same COPY text straight into the same tables, one
  transaction per block, no duplicate check (the floor: what PostgreSQL itself
  costs for these rows and indexes);
- ``bare COPY``: the raw COPY into copies of the three tables without an index,
  a constraint (but NOT NULL) or a trigger: the ceiling of the machine for these
  rows;
- ``one by one``: ``Store.add_document`` per document (the serial path) on the
  first ``--orm`` documents.

Printed: facts per second of each, wall-clock and per CPU-second of the
PostgreSQL backends that served the load (read with psutil: on a machine other
jobs share, their CPU counts this load's work in the server and nothing else)
and of this process (the client),
and their ratios, measured in the same run. It prints figures
only; it asserts nothing.

``--stored N`` first fills each schema with N other documents (loaded as the
deferred path loads them, then vacuumed and analysed, not timed): the load then
goes into a store that already holds facts.

``--stream`` runs the deferred load alone on ``--documents`` made block by
block (memory: one block), for a store of millions of facts.

usage: python benchmarks/pg_load.py [--documents 5000] [--base 200] [--block 500] [--orm 300]
       [--db-url URL] [--rounds 1] [--stored 0] [--stream]
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from crisisdesk.model import Document, Fact  # noqa: E402


def example_works(n: int, seed: int) -> list[tuple[Document, tuple[Fact, ...]]]:
    """``n`` reports of the scale benchmark's generator with their facts, extracted
    and placed once (about ten facts a report, as in that corpus)."""
    import tempfile

    from crisisdesk.ingest import read_paths
    from crisisdesk.pipeline import Pipeline

    sys.path.insert(0, str(REPO / "benchmarks"))
    from scale import generate

    pipeline = Pipeline.build()
    out = []
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "reports.jsonl"
        generate(n, seed, path)
        for item in read_paths([path]):
            if isinstance(item, Exception):
                continue
            work = pipeline.process(item)
            out.append((work.document, tuple(work.facts or ())))
    return out


def copies(base: list[tuple[Document, tuple[Fact, ...]]], n: int, offset: int = 0) -> list[Any]:
    """``n`` documents made from ``base`` under new ids, each with its facts."""
    out = []
    for i in range(offset, offset + n):
        doc, facts = base[i % len(base)]
        text = f"{doc.text}\n\nCopy {i} of the load benchmark."
        ident = hashlib.sha256(text.encode()).hexdigest()[:32]
        copy = Document(
            id=ident, text=text, title=f"{doc.title or 'report'} ({i})",
            publisher=doc.publisher, published=doc.published, language=doc.language,
        )  # fmt: skip
        out.append((copy, tuple(f.with_(doc=ident) for f in facts)))
    return out


def fresh(url: str) -> None:
    """An empty, migrated schema."""
    from sqlalchemy import create_engine, text

    from crisisdesk.store import Store, normalise_url

    engine = create_engine(normalise_url(url))
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    Store.open(url).close()


class Backends:
    """The PostgreSQL backends serving an engine's connections from now on, and their
    CPU seconds (read with psutil, server and benchmark on one machine): on a machine
    other jobs share, that counts this load's work in the server and nothing else.
    Background processes (WAL writer, autovacuum) are left out."""

    def __init__(self, engine: Any) -> None:
        from sqlalchemy import event

        engine.dispose()  # connections opened from here on are the load's
        self.pids: list[int] = []
        event.listen(engine, "connect", self._note)

    def _note(self, dbapi_conn: Any, _record: Any) -> None:
        with dbapi_conn.cursor() as cur:
            cur.execute("SELECT pg_backend_pid()")
            self.pids.append(cur.fetchone()[0])

    def cpu(self) -> float:
        import psutil

        total = 0.0
        for pid in self.pids:
            try:
                t = psutil.Process(pid).cpu_times()
            except psutil.Error:
                continue
            total += t.user + t.system
        return total


def run_bulk(url: str, batches: list[Any], defer: bool = False) -> tuple[float, float]:
    """Wall seconds and backend CPU seconds of the load of ``batches`` (``add_blocks``,
    as ``crisisdesk ingest`` loads them)."""
    from crisisdesk.store import Store, deferred
    from crisisdesk.store.overlap import add_blocks

    with Store.open(url) as store:
        backends = Backends(store.engine)
        began = time.perf_counter()
        with deferred.load(store.engine, defer):
            for _ in add_blocks(store.engine, ((b, None) for b in batches), allow_duplicate=True):
                pass
        return time.perf_counter() - began, backends.cpu()


def run_deferred(url: str, batches: list[Any]) -> tuple[float, float]:
    return run_bulk(url, batches, defer=True)


def run_raw(url: str, batches: list[Any], prefix: str = "") -> tuple[float, float]:
    """The same rows by COPY alone, straight into the tables (``prefix``: into those
    tables' copies of that name), compressed as the load does."""
    from crisisdesk.store import Store
    from crisisdesk.store.bulk import (
        _has_lz4,
        copy_binary,
        copy_text,
        documents_data,
        facts_data,
    )

    with Store.open(url) as store:
        backends = Backends(store.engine)
        began = time.perf_counter()
        when = datetime(2026, 1, 1, tzinfo=UTC)
        for b in batches:
            cols = b.document_columns
            docs = documents_data(b, b.ids, {}, when)
            with store.engine.begin() as conn:
                if _has_lz4(conn):
                    conn.exec_driver_sql("SET LOCAL default_toast_compression = lz4")
                copy_binary(conn, f"{prefix}documents", cols, docs)
                facts = facts_data(b, b.ids, when)
                copy_binary(conn, f"{prefix}facts", b.fact_columns, facts)
                places = "".join(b.places.values())
                copy_text(conn, f"{prefix}fact_places", b.place_columns, places)
        return time.perf_counter() - began, backends.cpu()


def run_bare(url: str, batches: list[Any]) -> tuple[float, float]:
    """The raw COPY into copies of the tables without an index, a constraint but NOT
    NULL or a trigger: the ceiling of this machine for these rows."""
    from sqlalchemy import create_engine

    from crisisdesk.store import normalise_url

    engine = create_engine(normalise_url(url))
    with engine.begin() as conn:
        for table in ("documents", "facts", "fact_places"):
            conn.exec_driver_sql(f"CREATE TABLE bare_{table} (LIKE {table} INCLUDING DEFAULTS)")
    engine.dispose()
    return run_raw(url, batches, prefix="bare_")


def run_stream(url: str, base: list[Any], n: int, block: int) -> None:
    """The deferred load alone (``add_blocks``, as ``crisisdesk ingest`` loads), each
    block's rows made just before it is loaded (as a worker would make them; their
    time is counted apart), so that memory holds a block or two whatever ``n``:
    facts/s of the load, backend CPU, peak memory."""
    import resource

    from crisisdesk.store import Store, deferred
    from crisisdesk.store.bulk import prepare
    from crisisdesk.store.overlap import add_blocks

    made = [0.0]

    def blocks() -> Any:
        for start in range(0, n, block):
            t = time.perf_counter()
            works = copies(base, min(block, n - start), offset=start)
            batch = prepare(works, "postgresql")
            made[0] += time.perf_counter() - t
            yield batch, sum(len(f) for _, f in works)

    facts = dups = 0
    with Store.open(url) as store:
        backends = Backends(store.engine)
        began = time.perf_counter()
        with deferred.load(store.engine, True):
            loads = add_blocks(store.engine, blocks(), allow_duplicate=True)
            for i, (_, count, done) in enumerate(loads):
                facts += count
                dups += len(done.duplicates)
                if i % 20 == 0:
                    loaded = time.perf_counter() - began - made[0]
                    print(f"  {(i + 1) * block:,} documents, {facts:,} facts: load "
                          f"{facts / loaded:,.0f} facts/s so far", flush=True)  # fmt: skip
            t = time.perf_counter()
        built = time.perf_counter() - t
        loaded = time.perf_counter() - began - made[0]
        cpu = backends.cpu()
        stored = store.count_facts()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"stream    : {facts:,} facts of {n:,} documents ({stored:,} stored, {dups:,} named "
          f"repeats) loaded in {loaded:.0f} s = {facts / loaded:,.0f} facts/s "
          f"(indexes built after: {built:.1f} s); backend CPU {cpu:.0f} s = "
          f"{facts / cpu:,.0f} facts per CPU-second; rows made apart in {made[0]:.0f} s; "
          f"peak memory of this process {rss:,.0f} MiB")  # fmt: skip


def run_orm(url: str, works: list[Any]) -> float:
    from crisisdesk.store import Store

    with Store.open(url) as store:
        began = time.perf_counter()
        for doc, facts in works:
            store.add_document(doc, facts)
        return time.perf_counter() - began


def fill(url: str, batches: list[Any]) -> None:
    """Documents stored before the measured load, vacuumed and analysed as a store
    that has been in use."""
    from sqlalchemy import create_engine

    from crisisdesk.store import normalise_url

    run_bulk(url, batches, defer=True)
    engine = create_engine(normalise_url(url), isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.exec_driver_sql("VACUUM ANALYZE")
    engine.dispose()


def count(url: str) -> tuple[int, int]:
    from crisisdesk.store import Store

    with Store.open(url) as store:
        return store.count_documents(), store.count_facts()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--documents", type=int, default=5000)
    ap.add_argument("--block", type=int, default=500, help="documents per transaction")
    ap.add_argument("--orm", type=int, default=300, help="documents for the one-by-one peer")
    ap.add_argument("--base", type=int, default=200, help="reports extracted, then copied")
    ap.add_argument("--rounds", type=int, default=1, help="repeat the bulk/raw pair")
    ap.add_argument("--db-url", default=os.environ.get("CRISISDESK_TEST_PG_URL"))
    ap.add_argument("--stream", action="store_true", help="the deferred load alone, streamed")
    ap.add_argument("--stored", type=int, default=0, help="documents stored before the load")
    args = ap.parse_args()
    if not args.db_url or not args.db_url.startswith("postgresql"):
        raise SystemExit("a PostgreSQL URL is needed (--db-url or $CRISISDESK_TEST_PG_URL)")
    from crisisdesk.store.bulk import prepare

    if args.stream:
        fresh(args.db_url)
        run_stream(args.db_url, example_works(args.base, 7), args.documents, args.block)
        return 0

    base = example_works(args.base, 7)
    works = copies(base, args.documents)
    n_facts = sum(len(f) for _, f in works)
    stored = copies(base, args.stored, offset=args.documents)
    before = [prepare(stored[i : i + args.block], "postgresql")
              for i in range(0, len(stored), args.block)]  # fmt: skip
    began = time.perf_counter()
    batches = [
        prepare(works[i : i + args.block], "postgresql") for i in range(0, len(works), args.block)
    ]
    made = time.perf_counter() - began
    print(
        f"rows      : {n_facts:,} facts of {len(works):,} documents, made in {made:.1f} s "
        f"({n_facts / made:,.0f} facts per CPU-second of a worker), load average "
        f"{os.getloadavg()[0]:.1f}"
    )
    runs = (
        ("deferred", run_deferred),
        ("bulk", run_bulk),
        ("raw COPY", run_raw),
        ("bare COPY", run_bare),
    )
    figures: dict[str, list[float]] = {name: [] for name, _ in runs}
    cpu: dict[str, list[float]] = {name: [] for name, _ in runs}
    for _ in range(args.rounds):
        for name, fn in runs:
            fresh(args.db_url)
            if before and name != "bare COPY":
                fill(args.db_url, before)
            load = os.getloadavg()[0]
            client = time.process_time()
            wall, used = fn(args.db_url, batches)
            client = time.process_time() - client
            figures[name].append(wall)
            cpu[name].append(used)
            held = count(args.db_url) if name != "bare COPY" else (len(works), n_facts)
            print(f"  {name:9}: {held[1]:,} facts, {held[0]:,} documents stored in "
                  f"{figures[name][-1]:.2f} s = {n_facts / figures[name][-1]:,.0f} facts/s; "
                  f"backend CPU {cpu[name][-1]:.2f} s = {n_facts / cpu[name][-1]:,.0f} facts "
                  f"per CPU-second; client CPU {client:.2f} s; load average {load:.1f} -> "
                  f"{os.getloadavg()[0]:.1f}", flush=True)  # fmt: skip
    if args.orm:
        fresh(args.db_url)
        part = works[: args.orm]
        orm = run_orm(args.db_url, part)
        orm_facts = sum(len(f) for _, f in part)
        figures["one by one"] = [orm * n_facts / orm_facts]
        print(f"  one by one: {orm_facts:,} facts in {orm:.2f} s = {orm_facts / orm:,.0f} facts/s")
    best = {k: min(v) for k, v in figures.items()}
    least = {k: min(v) for k, v in cpu.items()}
    print(f"deferred  : {n_facts / best['deferred']:,.0f} facts/s wall, "
          f"{n_facts / least['deferred']:,.0f} facts per backend CPU-second (best of "
          f"{args.rounds}); bulk with indexes kept: {best['bulk'] / best['deferred']:.2f} x "
          f"the wall time, {least['bulk'] / least['deferred']:.2f} x the backend CPU; raw COPY "
          f"with indexes kept: {best['raw COPY'] / best['deferred']:.2f} x the wall time, "
          f"{least['raw COPY'] / least['deferred']:.2f} x the backend CPU; bare COPY (no index, "
          f"constraint or trigger): {n_facts / best['bare COPY']:,.0f} facts/s, "
          f"{best['bare COPY'] / best['deferred']:.2f} x the wall time"
          + (f"; one by one {best['one by one'] / best['bulk']:.1f} x bulk's wall time"
             if "one by one" in best else ""))  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
