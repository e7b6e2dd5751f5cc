"""Two processes ingesting overlapping sets of documents into one store at the same time
lose nothing and duplicate nothing (PostgreSQL, and SQLite with its busy timeout).

The workers are real ``python`` processes running library code; they start
together on a shared signal file so their writes interleave.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from sqlalchemy import func, select

from crisisdesk.store import FactQuery, Store, schema

WORKER = textwrap.dedent(
    """
    import json, sys, time
    from pathlib import Path
    from crisisdesk.model import Category, Document, Fact, Unit
    from crisisdesk.store import Store

    url, first, last, go = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), Path(sys.argv[4])
    store = Store.open(url)
    while not go.exists():
        time.sleep(0.01)
    inserted = 0
    for i in range(first, last):
        text = (
            f"Bulletin {i}. Volunteers treated {i + 7} injured people in the village of "
            f"Kafr Test {i}, and {i + 2} homes were damaged."
        )
        doc = Document.from_text(text, publisher="Test Relief Network")
        facts = []
        for number, unit, category in (
            (str(i + 7), Unit.PEOPLE, Category.INJURED),
            (str(i + 2), Unit.ITEMS, Category.FACILITIES_DAMAGED),
        ):
            start = text.index(" " + number + " ") + 1
            facts.append(
                Fact(doc=doc.id, quote=text, quote_start=0, span=(start, start + len(number)),
                     value=int(number), category=category, unit=unit,
                     places=(f"Kafr Test {i}",))
            )
        inserted += store.add_document(doc, facts)
    store.close()
    print(json.dumps({"inserted": inserted}))
    """
)


def _start(url: str, first: int, last: int, go: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", WORKER, url, str(first), str(last), str(go)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_two_processes_ingest_overlapping_sets(store_url: str, tmp_path: Path) -> None:
    Store.open(store_url).close()  # create the schema once, as a running server would have it
    go = tmp_path / "go"
    workers = [_start(store_url, 0, 60, go), _start(store_url, 30, 90, go)]
    time.sleep(0.5)  # both have opened the store and are waiting
    go.touch()
    results = []
    for w in workers:
        out, err = w.communicate(timeout=120)
        assert w.returncode == 0, err
        results.append(json.loads(out.strip().splitlines()[-1]))
    # documents 30..59 were offered twice: each was written by exactly one process
    assert sum(r["inserted"] for r in results) == 90
    assert all(r["inserted"] >= 30 for r in results)
    with Store.open(store_url) as store:
        assert store.count_documents() == 90
        assert store.count_facts() == 180
        assert store.count_facts(FactQuery(category="injured")) == 90
        with store.engine.connect() as conn:
            places = conn.execute(select(func.count()).select_from(schema.fact_places)).scalar()
            distinct = conn.execute(
                select(func.count(func.distinct(schema.facts.c.doc_id)))
            ).scalar()
        assert places == 180  # one place per fact, none written twice
        assert distinct == 90
        values = sorted(sf.fact.value for sf in store.iter_facts(FactQuery(category="injured")))
        assert values == list(range(7, 97))
