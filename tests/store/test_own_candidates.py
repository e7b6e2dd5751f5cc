"""A load's duplicate check counted in memory (``duplicates.Own``): while the documents
the load added are the whole store (it began with no sketch row, and nobody else wrote
since), a block's candidates and the holders of its anchors are counted from them
instead of asking the server, with the same answer; once another writer changes the
store, or the store held documents before the load, or past the limit, the server is
asked again, and repeats of the other writer's documents are found."""

from __future__ import annotations

import random
import threading
from typing import Any

import pytest

from crisisdesk.ingest.common import make_document
from crisisdesk.store import Store, bulk, duplicates, overlap
from crisisdesk.store.overlap import add_blocks

# written for this test; the places are real, the figures invented
PARAGRAPHS = [
    "Teams in {town} counted {a} households that arrived during the week, mostly from "
    "farms along the river, and said that more families were still on the road.",
    "Another {b} households stayed in a school and a clinic on the edge of {town}, where "
    "volunteers opened two new wells and a kitchen that serves one meal a day.",
    "Medics said that shelling near the bakery killed {c} people and wounded {d} more on "
    "Tuesday, and that the market stayed closed for the rest of the week.",
    "The district office asked for blankets, fuel and baby milk, and said that the roads "
    "north of {town} were cut for {a} hours after the heavy rain of the weekend.",
    "Schools in the area sent {b} pupils home early, and the water board warned that the "
    "main pipe could fail within days unless spare parts arrived from the coast.",
    "A convoy of {c} trucks reached the camp on Friday with flour, tents and medicine, the "
    "first to arrive since the crossing was closed at the start of the month.",
]
TOWNS = ["Sarmin", "Taftanaz", "Maarrat Misrin", "Kafr Takharim"]


def _text(rng: random.Random, i: int) -> str:
    chosen = sorted(rng.sample(range(len(PARAGRAPHS)), rng.randint(2, 4)))
    numbers = {"a": 100 + i, "b": 40 + i, "c": 3 + i, "d": 7 + i, "town": TOWNS[i % 4]}
    return f"Update {i}.\n\n" + "\n\n".join(PARAGRAPHS[p].format(**numbers) for p in chosen)


def _again(text: str) -> str:
    """The same report laid out anew: other line breaks, a header and a page number."""
    return "District office\n" + text.replace(". ", ".\n") + "\n3"


def _work(text: str) -> tuple[Any, tuple[()]]:
    return make_document(text, origin="t", fmt="text"), ()


def _corpus(seed: int = 5, count: int = 44) -> list[tuple[Any, tuple[()]]]:
    """Reports sharing paragraphs (so that a document has more than CANDIDATES stored
    ones sharing anchors, many tied), with repeats of earlier ones, also of one of the
    same block and of the block before."""
    rng = random.Random(seed)
    texts = [_text(rng, i) for i in range(count)]
    for at, of in ((9, 2), (17, 16), (25, 11), (33, 30), (41, 5)):
        texts.insert(at, _again(texts[of]))
    return [_work(t) for t in texts]


def _seen(near: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Candidates as the choice sees them: a repeat's sketch is not read (SQLite's
    query returns it, PostgreSQL's does not)."""
    return {
        doc: {o: (n, of, None if of else sketch) for o, (n, of, sketch) in found.items()}
        for doc, found in near.items()
    }


def _blocks(works: list[Any], size: int = 8) -> list[list[Any]]:
    return [works[i : i + size] for i in range(0, len(works), size)]


def _state(store: Store) -> list[tuple[Any, ...]]:
    with store.engine.connect() as conn:
        docs = conn.exec_driver_sql("SELECT id, duplicate_of FROM documents ORDER BY id").all()
        rows = conn.exec_driver_sql(
            "SELECT doc_id, hash FROM document_sketch ORDER BY doc_id, hash"
        ).all()
    return [*map(tuple, docs), *map(tuple, rows)]


def _empty(store: Store) -> None:
    with store.engine.begin() as conn:
        conn.exec_driver_sql("TRUNCATE fact_places, facts, document_sketch, documents CASCADE")


@pytest.fixture
def pg(store: Store) -> Store:
    if store.dialect != "postgresql":
        pytest.skip("the check runs ahead, counted in memory, on PostgreSQL only")
    return store


@pytest.fixture
def asked(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The times the server is asked for a block's candidates or anchor holders."""
    calls: list[str] = []
    near, held = duplicates._near_postgresql, duplicates._held_counts

    def counted_near(*args: Any) -> Any:
        calls.append("near")
        return near(*args)

    def counted_held(*args: Any) -> Any:
        calls.append("held")
        return held(*args)

    monkeypatch.setattr(duplicates, "_near_postgresql", counted_near)
    monkeypatch.setattr(duplicates, "_held_counts", counted_held)
    return calls


def _load(store: Store, blocks: list[list[Any]]) -> list[tuple[set[str], dict[str, str]]]:
    batches = [(bulk.prepare(b, "postgresql"), None) for b in blocks]
    return [(x.added, x.duplicates) for _, _, x in add_blocks(store.engine, batches)]


def _in_turn(store: Store, blocks: list[list[Any]]) -> list[tuple[set[str], dict[str, str]]]:
    """Block after block, each checked against the store by the server."""
    out = []
    for b in blocks:
        loaded = bulk.add_prepared(store.engine, bulk.prepare(b, store.dialect))
        out.append((loaded.added, loaded.duplicates))
    return out


def test_the_top_candidates_are_the_servers_ranking() -> None:
    rng = random.Random(3)
    for _ in range(300):
        shared = {
            f"d{rng.randrange(200):03d}": rng.randint(1, 5) for _ in range(rng.randint(0, 60))
        }
        plain = sorted(shared, key=lambda i: (-shared[i], i))[: duplicates.CANDIDATES]
        assert sorted(duplicates._top(shared)) == sorted(plain)


def test_counted_in_memory_the_candidates_and_common_anchors_are_the_stores(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(duplicates, "COMMON", 12)  # some anchors held by more: common
    works = _corpus()
    stored, probes = works[:36], works[36:]
    own = duplicates.Own()
    own.start(0, True)
    for n, b in enumerate(_blocks(stored), 1):
        batch = bulk.prepare(b, store.dialect)
        loaded = bulk.add_prepared(store.engine, batch)
        own.committing(
            n, [batch.marks[d] for d in batch.ids if d in loaded.added], loaded.duplicates
        )
    assert own.catch_up(n)
    marks = list(bulk.prepare(probes, store.dialect).marks.values())
    hashes = [h for m in marks for h in m.anchors]
    with store.engine.connect() as conn:
        common = duplicates.common_anchors(conn, hashes, (), duplicates.Sketches())
        assert common  # the test covers anchors found common
        assert duplicates.common_anchors(conn, hashes, (), duplicates.Sketches(), own) == common
        marks = [
            duplicates.Mark(
                m.id, m.fingerprint, m.sketch, tuple(h for h in m.anchors if h not in common)
            )
            for m in marks
        ]
        by_server = duplicates._near(conn, marks, duplicates.Sketches(0))
        in_memory = duplicates._near(conn, marks, duplicates.Sketches(0), own)
    assert _seen(in_memory) == _seen(by_server)
    assert max(len(c) for c in by_server.values()) == duplicates.CANDIDATES  # cut, ties too
    assert any(of for c in by_server.values() for _, of, _ in c.values())  # repeats named


def test_a_load_into_an_empty_store_asks_the_server_for_no_candidate(
    pg: Store, asked: list[str]
) -> None:
    blocks = _blocks(_corpus())
    loaded = _load(pg, blocks)
    assert asked == []
    state = _state(pg)
    _empty(pg)
    assert _in_turn(pg, blocks) == loaded  # the server's answer, block after block
    assert "near" in asked
    assert _state(pg) == state
    assert sum(len(d) for _, d in loaded) == 5  # every repeat found


def test_a_document_another_writer_stores_mid_load_is_found_by_the_server(
    pg: Store, asked: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    works = _corpus()
    rng = random.Random(11)
    other = _work(_text(rng, 99))  # stored by another writer while the first block is
    blocks = _blocks([*works[:20], _work(_again(other[0].text)), *works[20:]])
    write, check = bulk.write, overlap._check
    stored = threading.Event()

    def racing(conn: Any, batch: bulk.Prepared, *args: Any, **kw: Any) -> bulk.Loaded:
        if batch.ids == [w[0].id for w in blocks[0]]:
            pg.add_document(*other)
            stored.set()
        return write(conn, batch, *args, **kw)

    def after_it(engine: Any, batch: bulk.Prepared, *args: Any, **kw: Any) -> Any:
        # block 2 is checked ahead, on another thread than block 0's writer: wait for the
        # other writer's commit, or a late writer thread lets the check run before it
        if batch.ids == [w[0].id for w in blocks[2]]:
            assert stored.wait(60)
        return check(engine, batch, *args, **kw)

    monkeypatch.setattr(bulk, "write", racing)
    monkeypatch.setattr(overlap, "_check", after_it)
    loaded = _load(pg, blocks)
    repeats = {d: of for _, found in loaded for d, of in found.items()}
    again = blocks[2][4][0].id
    assert repeats[again] == other[0].id  # not in the load's memory: the server found it
    assert "near" in asked
    state = _state(pg)
    monkeypatch.setattr(bulk, "write", write)
    monkeypatch.setattr(overlap, "_check", check)
    _empty(pg)
    pg.add_document(*other)
    assert _in_turn(pg, blocks) == loaded
    assert _state(pg) == state


def test_a_store_with_documents_before_the_load_is_asked(pg: Store, asked: list[str]) -> None:
    works = _corpus()
    first = _blocks(works[:8])
    _in_turn(pg, first)
    asked.clear()
    blocks = _blocks(works[8:])
    loaded = _load(pg, blocks)
    assert "near" in asked
    assert {d: of for _, f in loaded for d, of in f.items()}[works[9][0].id] == works[2][0].id
    state = _state(pg)
    _empty(pg)
    _in_turn(pg, first)
    assert _in_turn(pg, blocks) == loaded
    assert _state(pg) == state


def test_past_the_limit_the_rest_of_the_load_asks_the_server(
    pg: Store, asked: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    blocks = _blocks(_corpus())
    whole = _load(pg, blocks)
    state = _state(pg)
    _empty(pg)
    monkeypatch.setattr(duplicates, "MEMORY_DOCUMENTS", 20)
    assert _load(pg, blocks) == whole
    assert "near" in asked
    assert _state(pg) == state
