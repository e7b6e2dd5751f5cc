"""How fast and how right crisisdesk's place resolution is, next to an exact-name lookup.

Prints: time to open the gazetteer; names resolved per second on one core,
cold (every name seen for the first time, fresh Gazetteer; by wall clock and by
process CPU time, which other work on a shared machine does not inflate) and
warm (the per-instance cache, as in a long run over many documents); and the accuracy
of ours and of the exact-name baseline on our variant-spelling list
(tests/geo/variants.csv, right = within 5 km) and, when ../shared is present,
on the dev corpus place names (tests/geo/gold_places_expected.csv); and ours on
the other-theatre list (tests/geo/theatres.csv), in context and bare.

Run: python benchmarks/geocode_speed.py [--json]
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import os
import random
import sqlite3
import statistics
import sys
import time
from pathlib import Path

from crisisdesk.geo import Gazetteer, bundled_path
from crisisdesk.geo.normalise import fold

REPO = Path(__file__).resolve().parents[1]
TESTS = REPO / "tests" / "geo"
CORPUS = REPO / ".." / "shared" / "corpus" / "dev"


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    dlat = math.radians(lat2 - lat1)
    dlon = math.radians(lon2 - lon1) * math.cos(math.radians(lat1))
    return 6371.0 * math.hypot(dlat, dlon)


def exact_baseline(path: Path) -> dict[str, tuple[str, str, float | None, float | None]]:
    """Folded name -> (id, country, lat, lon) of the most populous place with that exact name."""
    table: dict[str, tuple[int, tuple[str, str, float | None, float | None]]] = {}
    conn = sqlite3.connect(path)
    for pid, country, lat, lon, pop, names in conn.execute(
        "SELECT id, country, lat, lon, population, names FROM places"
    ):
        for n in names.split("|"):
            k = fold(n)
            if k not in table or pop > table[k][0]:
                table[k] = (pop, (pid, country, lat, lon))
    conn.close()
    return {k: v for k, (_, v) in table.items()}


def _workload(gaz_path: Path, n: int) -> list[str]:
    """Our variant spellings plus a seeded sample of names the gazetteer holds."""
    with (TESTS / "variants.csv").open(encoding="utf-8") as fh:
        names = [r["name"] for r in csv.DictReader(fh)]
    conn = sqlite3.connect(gaz_path)
    pool = [r[0] for r in conn.execute("SELECT names FROM places ORDER BY rowid")]
    conn.close()
    rng = random.Random(20200101)
    while len(names) < n:
        entry = rng.choice(pool).split("|")
        names.append(rng.choice(entry))
    return names[:n]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="geocoding speed and accuracy")
    parser.add_argument("--names", type=int, default=20_000)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    path = bundled_path()

    opens = []
    for _ in range(5):
        t = time.perf_counter()
        Gazetteer.open().close()
        opens.append(time.perf_counter() - t)

    names = _workload(path, args.names)
    # first sight of every name: the best of three fresh instances, by wall clock and by
    # this process's CPU time (on a shared machine the wall clock counts others' work too)
    cold = cold_cpu = 0.0
    for _ in range(3):
        with Gazetteer.open() as fresh:
            t, c = time.perf_counter(), time.process_time()
            for name in names:
                fresh.resolve(name)
            cold = max(cold, len(names) / (time.perf_counter() - t))
            cold_cpu = max(cold_cpu, len(names) / (time.process_time() - c))
    gaz = Gazetteer.open()
    for name in names:
        gaz.resolve(name)
    t = time.perf_counter()
    for name in names:
        gaz.resolve(name)
    warm = len(names) / (time.perf_counter() - t)

    base = exact_baseline(path)
    t = time.perf_counter()
    for name in names:
        base.get(fold(name))
    base_speed = len(names) / (time.perf_counter() - t)

    with (TESTS / "variants.csv").open(encoding="utf-8") as fh:
        variants = list(csv.DictReader(fh))
    ours_ok = base_ok = 0
    for row in variants:
        lat, lon = float(row["lat"]), float(row["lon"])
        r = gaz.resolve(row["name"], country="SY")
        ours_ok += r.lat is not None and _km(r.lat, r.lon, lat, lon) <= 5
        b = base.get(fold(row["name"]))
        base_ok += b is not None and b[2] is not None and _km(b[2], b[3], lat, lon) <= 5

    result: dict[str, object] = {
        "load_average_1min": round(os.getloadavg()[0], 2),  # other work on the machine skews speed
        "open_seconds_median": round(statistics.median(opens), 4),
        "names_per_second_cold": round(cold),
        "names_per_second_cold_cpu": round(cold_cpu),
        "names_per_second_warm": round(warm),
        "baseline_names_per_second": round(base_speed),
        "variants": len(variants),
        "variants_right_ours": round(ours_ok / len(variants), 3),
        "variants_right_exact_baseline": round(base_ok / len(variants), 3),
    }
    sys.path.insert(0, str(TESTS))
    from test_theatres import theatre_results

    for label, with_context in (("context", True), ("bare", False)):
        total, wrong, wrong_country = theatre_results(gaz, with_context=with_context)
        result[f"theatres_right_{label}"] = round(1 - len(wrong) / total, 3)
        result[f"theatres_wrong_country_{label}"] = len(wrong_country)
    result["theatre_names"] = total
    if (CORPUS / "gold.jsonl").is_file():
        from test_gold_places import _expected, gold_place_results

        total, wrong, wrong_country = gold_place_results(gaz)
        expected = _expected()
        b_ok = 0
        for line in (CORPUS / "gold.jsonl").read_text(encoding="utf-8").splitlines():
            for name in json.loads(line).get("places") or ():
                want, b = expected.get(name), base.get(fold(name))
                b_ok += bool(
                    want
                    and b
                    and b[1] == want["country"]
                    and (not want["place_id"] or b[0] == want["place_id"])
                )
        result.update(
            {
                "gold_place_names": total,
                "gold_right_ours": round(1 - len(wrong) / total, 3),
                "gold_wrong_country_ours": len(wrong_country),
                "gold_right_exact_baseline": round(b_ok / total, 3),
            }
        )
    gaz.close()
    if args.json:
        sys.stdout.write(json.dumps(result) + "\n")
    else:
        for k, v in result.items():
            sys.stdout.write(f"{k:34} {v}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
