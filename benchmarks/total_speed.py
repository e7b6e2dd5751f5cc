"""How fast is ``total``, and ``reconcile_store``, on a million facts?

Generates a synthetic store (default: 1,000,000 facts across 5,000 places in
14 governorates and three years), with resolved places, then times:

* ``total`` for one governorate over one month and over one year, reconciling
  the facts afresh (``use_stored=False``: what ``total`` does when facts
  changed since the last ``reconcile``);
* the naive baseline in the same run: one SQL ``SUM`` over the same facts,
  which is what a spreadsheet does and which double counts (repeats, totals
  added to their parts, conflicting reports added together);
* ``reconcile_store`` over every fact (target: under two minutes, one core);
* the freshness check, then ``total`` as it answers by default once the store
  is reconciled: from the stored figures (target: under 200 ms for either
  query, on SQLite and on PostgreSQL);
* each ``total`` again with its whole JSON answer, as ``crisisdesk total
  --json`` prints it (every figure left out, the first 50 with evidence).

The data mixes what real reports give: daily town counts (some repeated by a
second outlet, some contradicted by another organisation), weekly district
counts and monthly governorate totals that contain them.

    python benchmarks/total_speed.py --sqlite /tmp/bench.sqlite \
        --pg postgresql://crisisdesk@127.0.0.1:55432/bench

This is not part of the test suite: it takes minutes and writes a large store.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import time
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import func, select

from crisisdesk.reconcile import reconcile_store, total
from crisisdesk.reconcile.stored import is_fresh
from crisisdesk.store import Store
from crisisdesk.store import schema as s

GOVERNORATES = [
    "Idlib", "Aleppo", "Hama", "Homs", "Latakia", "Tartus", "Raqqa",
    "Deir ez-Zor", "Hasakah", "Daraa", "Quneitra", "Suwayda", "Rif Dimashq", "Damascus",
]  # fmt: skip
START = date(2019, 1, 1)
DAYS = 3 * 365 + 1
DAILY = (  # category, unit, weight
    ("killed", "people", 0.30),
    ("injured", "people", 0.25),
    ("displaced", "people", 0.20),
    ("airstrikes", "events", 0.15),
    ("facilities_damaged", "facilities", 0.10),
)
SOURCES = ["Alpha Monitor", "Beta Relief", "Gamma Watch", "Delta Network", "Epsilon Desk"]
BATCH = 20_000


def places(n: int, rng: random.Random) -> list[dict[str, Any]]:
    """Towns spread over governorates and, inside them, about seven districts each."""
    out = []
    for i in range(n):
        g = rng.randrange(len(GOVERNORATES))
        d = rng.randrange(7)
        out.append(
            {
                "name": f"Town {i}",
                "place_id": f"P{i}",
                "kind": "town",
                "country": "SY",
                "admin1": GOVERNORATES[g],
                "admin1_code": f"SY{g:02d}",
                "admin2": f"{GOVERNORATES[g]} district {d}",
                "admin2_code": f"SY{g:02d}{d:02d}",
                "precision": "point",
            }
        )
    return out


def generate(n_facts: int, n_places: int, seed: int = 7) -> Iterator[tuple[dict, list[dict]]]:
    """(document row, [(fact row, place row)]) batches; ten facts to a document."""
    rng = random.Random(seed)
    towns = places(n_places, rng)
    now = datetime.now(UTC)
    made = 0
    doc_no = 0
    cats = [c for c, _, _ in DAILY]
    weights = [w for _, _, w in DAILY]
    units = {c: u for c, u, _ in DAILY}
    recent: list[dict[str, Any]] = []

    def fact_row(doc_id: str, k: int, **kw: Any) -> dict[str, Any]:
        return {
            "id": f"{doc_id}-{k}",
            "doc_id": doc_id,
            "quote_start": 0,
            "span_start": 0,
            "span_end": 3,
            "value_high": None,
            "value_text": None,
            "qualifier": "exact",
            "subject": "civilians",
            "confidence": 1.0,
            "extra": {},
            "status": "unreviewed",
            "created_at": now,
            "updated_at": now,
            **kw,
        }

    # Totals first: monthly per governorate, weekly per district, for killed and displaced.
    def totals() -> Iterator[tuple[str, dict[str, Any], dict[str, Any]]]:
        for cat in ("killed", "displaced"):
            for g, name in enumerate(GOVERNORATES):
                month = START
                while month < START + timedelta(days=DAYS):
                    nxt = (month.replace(day=28) + timedelta(days=4)).replace(day=1)
                    place = {"name": name, "kind": "adm1", "country": "SY", "admin1": name,
                             "admin1_code": f"SY{g:02d}", "precision": "governorate"}  # fmt: skip
                    yield cat, {"date_start": month, "date_end": nxt - timedelta(days=1)}, place
                    month = nxt
                for d in range(7):
                    for w in range(0, DAYS - 7, 7):
                        ws = START + timedelta(days=w)
                        place = {
                            "name": f"{name} district {d}",
                            "kind": "adm2",
                            "country": "SY",
                            "admin1": name,
                            "admin1_code": f"SY{g:02d}",
                            "admin2": f"{name} district {d}",
                            "admin2_code": f"SY{g:02d}{d:02d}",
                            "precision": "district",
                        }
                        yield cat, {"date_start": ws, "date_end": ws + timedelta(days=6)}, place

    total_iter = totals()
    while made < n_facts:
        doc_no += 1
        doc_id = f"bench{doc_no:07d}"
        day = START + timedelta(days=rng.randrange(DAYS))
        source = rng.choice(SOURCES)
        rows: list[tuple[dict[str, Any], dict[str, Any]]] = []
        for k in range(min(10, n_facts - made)):
            roll = rng.random()
            nxt_total = next(total_iter, None) if roll < 0.04 else None
            if nxt_total is not None:
                cat, period, place = nxt_total
                # about what the daily counts inside add up to, give or take a third
                days = (period["date_end"] - period["date_start"]).days + 1
                share = 1 / len(GOVERNORATES) if place["kind"] == "adm1" else 1 / 98
                expected = n_facts * 0.86 * 0.25 * share * days / DAYS * 30
                value = int(expected * rng.uniform(0.9, 1.3)) + 1
                row = fact_row(doc_id, k, value=value, category=cat, unit="people",
                               places=[place["name"]], source=source, is_total=True,
                               quote=f"{value} {cat} in {place['name']} this period",
                               **period)  # fmt: skip
            elif roll < 0.14 and recent:  # repeated by another outlet, or contradicted
                orig, oplace = rng.choice(recent)
                conflict = rng.random() < 0.3
                value = orig["value"] + rng.randrange(5, 40) if conflict else orig["value"]
                quote = (
                    f"{value} {orig['category']} reported in {oplace['name']}"
                    if conflict
                    else orig["quote"]
                )
                row = fact_row(
                    doc_id,
                    k,
                    value=value,
                    category=orig["category"],
                    unit=orig["unit"],
                    places=orig["places"],
                    source=source,
                    is_total=False,
                    quote=quote,
                    date_start=orig["date_start"],
                    date_end=orig["date_end"],
                )
                place = oplace
            else:
                cat = rng.choices(cats, weights)[0]
                place = rng.choice(towns)
                value = rng.randrange(1, 60)
                row = fact_row(doc_id, k, value=value, category=cat, unit=units[cat],
                               places=[place["name"]], source=source, is_total=False,
                               quote=f"{value} {cat} in {place['name']} on {day}",
                               date_start=day, date_end=day)  # fmt: skip
                if len(recent) < 5000:
                    recent.append((row, place))
                else:
                    recent[rng.randrange(5000)] = (row, place)
            # the Store fills these from the area the fact's places share (one place here); a
            # bulk load must too
            row["admin1_code"] = place.get("admin1_code")
            row["admin2_code"] = place.get("admin2_code")
            rows.append((row, place))
        made += len(rows)
        doc = {
            "id": doc_id,
            "publisher": source,
            "published": day + timedelta(days=1),
            "fmt": "text",
            "text": " ".join(r["quote"] for r, _ in rows),
            "locations": [],
            "ingested_at": now,
        }
        yield doc, rows


def load(store: Store, n_facts: int, n_places: int) -> float:
    t0 = time.perf_counter()
    docs: list[dict] = []
    facts: list[dict] = []
    fps: list[dict] = []

    def flush() -> None:
        with store.engine.begin() as conn:
            if docs:
                conn.execute(s.documents.insert(), docs)
            if facts:
                conn.execute(s.facts.insert(), facts)
            if fps:
                conn.execute(s.fact_places.insert(), fps)
        docs.clear()
        facts.clear()
        fps.clear()

    for doc, rows in generate(n_facts, n_places):
        docs.append(doc)
        for row, place in rows:
            facts.append(row)
            fps.append(
                {
                    "fact_id": row["id"],
                    "position": 0,
                    "place_id": place.get("place_id"),
                    "canonical": place["name"],
                    "lat": None,
                    "lon": None,
                    "score": 1.0,
                    "candidates": [],
                    "admin2": place.get("admin2"),
                    "admin2_code": place.get("admin2_code"),
                    **{
                        k: place.get(k)
                        for k in ("name", "kind", "country", "admin1", "admin1_code", "precision")
                    },  # fmt: skip
                }
            )
        if len(facts) >= BATCH:
            flush()
    flush()
    if store.dialect == "postgresql":
        with store.engine.connect() as conn:
            conn.exec_driver_sql("ANALYZE")
            conn.commit()
    else:
        with store.engine.connect() as conn:
            conn.exec_driver_sql("ANALYZE")
    return time.perf_counter() - t0


def naive_sum(store: Store, admin1: str, lo: date, hi: date) -> int:
    """What a spreadsheet does: add every number that matches. Double counts."""
    f, p = s.facts, s.fact_places
    stmt = (
        select(func.coalesce(func.sum(f.c.value), 0))
        .join(p, p.c.fact_id == f.c.id)
        .where(
            f.c.category == "killed",
            f.c.unit == "people",
            p.c.admin1_code == admin1,
            f.c.date_start >= lo,
            f.c.date_end <= hi,
        )
    )
    with store.engine.connect() as conn:
        return int(conn.execute(stmt).scalar_one())


def timed(fn: Callable[[], Any], repeat: int = 5) -> tuple[float, Any]:
    """Median wall time in ms over ``repeat`` runs (after one warm-up), and the last result."""
    result = fn()
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times), result


def time_queries(store: Store, path: str, use_stored: bool) -> None:
    """Time ``total`` for Idlib over a month and a year, beside the naive SQL sum, and
    ``total`` with its whole JSON answer (what ``crisisdesk total --json`` prints)."""
    queries = {
        "month": (date(2020, 1, 1), date(2020, 1, 31)),
        "year": (date(2020, 1, 1), date(2020, 12, 31)),
    }
    for name, (lo, hi) in queries.items():
        ms, res = timed(
            lambda lo=lo, hi=hi: total(
                store,
                category="killed",
                unit="people",
                place="Idlib",
                date_from=lo,
                date_to=hi,
                use_stored=use_stored,
            )
        )
        base_ms, naive = timed(lambda lo=lo, hi=hi: naive_sum(store, "SY00", lo, hi))
        json_ms, payload = timed(
            lambda lo=lo, hi=hi: json.dumps(
                total(
                    store, category="killed", unit="people", place="Idlib", date_from=lo,
                    date_to=hi, use_stored=use_stored,
                ).to_json()
            ),
            repeat=3,
        )  # fmt: skip
        print(
            f"[{store.dialect}] total killed/people in Idlib over a {name} ({path}): {ms:.0f} ms "
            f"(target < 200 ms) -> best {res.best:,} (low {res.low:,}, high {res.high:,}); "
            f"{len(res.figures):,} figures used, {len(res.excluded):,} left out. "
            f"Naive SQL sum: {base_ms:.0f} ms -> {naive:,} "
            f"({naive / max(res.best, 1):.2f}x ours; time ratio {ms / max(base_ms, 0.01):.1f}x). "
            f"With the whole JSON answer ({len(payload) / 1e6:.1f} MB): {json_ms:.0f} ms"
        )


def bench(url: str, n_facts: int, n_places: int, reconcile: bool) -> None:
    store = Store.open(url)
    with store.engine.connect() as conn:
        have = conn.execute(select(func.count()).select_from(s.facts)).scalar_one()
    if have != n_facts:
        if have:
            raise SystemExit(f"{url} holds {have} facts, not {n_facts}: start from an empty store")
        secs = load(store, n_facts, n_places)
        print(f"[{store.dialect}] generated {n_facts:,} facts, {n_places:,} places in {secs:.1f} s")
    time_queries(store, "from facts", use_stored=False)
    if reconcile:
        c0, t0 = time.process_time(), time.perf_counter()
        summary = reconcile_store(store)
        wall, cpu = time.perf_counter() - t0, time.process_time() - c0
        print(
            f"[{store.dialect}] reconcile_store: {wall:.1f} s wall, {cpu:.1f} s CPU in this "
            f"process (target < 120 s) -> {summary.facts:,} facts, {summary.figures:,} figures, "
            f"{summary.links:,} links, {summary.conflicting:,} conflicting, "
            f"{summary.flagged:,} flagged"
        )
        ms, fresh = timed(lambda: is_fresh(store))
        print(
            f"[{store.dialect}] freshness check (store version, last run): {ms:.0f} ms -> {fresh}"
        )
        time_queries(store, "stored figures", use_stored=True)
    store.close()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sqlite", help="path of a SQLite file to create (or reuse)")
    ap.add_argument("--pg", help="postgresql:// URL of an empty database")
    ap.add_argument("--facts", type=int, default=1_000_000)
    ap.add_argument("--places", type=int, default=5_000)
    ap.add_argument("--no-reconcile", action="store_true", help="time the queries only")
    args = ap.parse_args()
    if not (args.sqlite or args.pg):
        ap.error("give --sqlite PATH and/or --pg URL")
    if args.sqlite:
        bench(f"sqlite:///{args.sqlite}", args.facts, args.places, not args.no_reconcile)
    if args.pg:
        bench(args.pg, args.facts, args.places, not args.no_reconcile)


if __name__ == "__main__":
    main()
