"""Which documents of a bulk block repeat a stored one, as one by one would find it.

``DocumentsAndFacts.find_duplicate`` answers for one document before it is
added; a block of a bulk load asks for hundreds at once, in two statements:
the stored documents with the same fingerprints, and for each document the
stored ones sharing most of its anchor hashes (on PostgreSQL one join for the
block, the CANDIDATES best of each document ranked in the server; one grouped
query per document on SQLite). The block's documents are then
taken in order, each also against the earlier ones of the block, as if they
had been added one at a time: the answer is what the serial ingest gives.
Both leave out anchors more than COMMON stored documents hold (boilerplate);
a block judges that on the store as it was before the block. A block checked
while the one before it is written (``store.overlap``) counts that one as
stored (``Pending``): the same answer. While a load's own documents are the whole
store, its candidates are counted in the client's memory instead (``Own``).
"""

from __future__ import annotations

from collections import Counter, OrderedDict, deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import chain
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from crisisdesk.ingest.dedupe import repeats, unpacked
from crisisdesk.store import schema

CANDIDATES = 20  # stored documents compared in full with a new one (as find_duplicate)
# an anchor held by more stored documents than this is boilerplate (a publisher's
# footer, a paragraph many reports quote): no lead to a repeat, and following it
# would read every document that holds it, for every new one (quadratic)
COMMON = 50


@dataclass(frozen=True, slots=True)
class Mark:
    """What the check needs of a document: made on the worker with its rows."""

    id: str
    fingerprint: str
    sketch: dict[str, Any]
    anchors: tuple[str, ...]


class Sketches:
    """What a load remembers between its blocks. The sketches of the documents it added,
    the latest ``size`` of them: a block's candidates are mostly documents of the same
    load, whose sketches are then not read back from the store (decoding them cost
    more than the query). And the anchors found common in the store: sketch rows are
    never deleted, so an anchor held by more than COMMON stored documents stays
    common, and is not counted again for every later block (on a corpus of
    recombined reports, counting them was a third of the server's work)."""

    def __init__(self, size: int = 10_000) -> None:
        self.size = size
        self._known: OrderedDict[str, dict[str, Any]] = OrderedDict()
        self.common: set[str] = set()

    def add(self, marks: Iterable[Mark]) -> None:
        for mark in marks:
            self._known[mark.id] = mark.sketch
        while len(self._known) > self.size:
            self._known.popitem(last=False)

    def get(self, doc_id: str) -> dict[str, Any] | None:
        return self._known.get(doc_id)


# the most documents whose anchors a load keeps in memory (``Own``): up to 1.5 KB each
# (twelve anchors held by no other document); past this the rest of the load asks the
# server, as before
MEMORY_DOCUMENTS = 100_000


class Own:
    """The anchors of the documents a load added, kept in memory while they are every
    sketch row of the store: the load began with none stored, and nobody else has
    changed the store since (``store_version`` moved by the load's own blocks alone:
    every committed change to documents, facts or places moves it, migration 0007).
    Then a block's candidates and the holders of its anchors are counted here, which
    is what the server's join of the block's anchors with ``document_sketch`` answers
    (most of the check's work in the server, and decoding its answer most of the
    client's): the same answer, the store is not asked. Otherwise, or past
    ``limit`` documents, the rest of the load asks the server.

    The loader notes each block just before committing it (``committing``: the
    version its commit moves the store to, the documents it added, the repeats among
    them); a check catches up on those its snapshot sees (``catch_up``), so that what
    is counted here is what that snapshot holds, no more. Only one check runs at a
    time (``store.overlap``); the notes come from the loader's thread."""

    def __init__(self, limit: int | None = None) -> None:
        self.limit = MEMORY_DOCUMENTS if limit is None else limit
        self.base: int | None = None  # store_version when the load began (empty store)
        self.off = False  # the store holds other sketch rows, or too many documents
        self.blocks = 0  # own blocks counted (each moved the version by one)
        self.documents = 0
        # anchor (as a number: 36 bytes, its hex 65) -> the documents holding it (a tuple:
        # most anchors have one holder, and a tuple of one is half a list of one)
        self.holders: dict[int, tuple[str, ...]] = {}
        self.common: set[str] = set()  # anchors more than COMMON hold: not followed
        self.repeat_of: dict[str, str] = {}  # an added document that repeats another
        self._notes: deque[tuple[int, list[Mark], dict[str, str]]] = deque()

    def start(self, version: int | None, empty: bool) -> None:
        """The store as the load's first check saw it: its version, and whether it holds
        no sketch row."""
        if version is None or not empty:
            self._stop()
        else:
            self.base = version

    def committing(
        self, version: int | None, marks: Iterable[Mark], repeats: dict[str, str]
    ) -> None:
        """A block about to commit, moving the store to ``version``: what it adds."""
        if version is None:
            self._stop()
        elif not self.off:
            self._notes.append((version, list(marks), repeats))

    def catch_up(self, version: int | None) -> bool:
        """Count the blocks committed in a snapshot at ``version``; whether they are then
        the whole store (the check may ask here instead of the server)."""
        if self.off or self.base is None or version is None:
            return False
        while self._notes and self._notes[0][0] <= version:
            _, marks, repeats = self._notes.popleft()
            self._add(marks, repeats)
        if version - self.base != self.blocks or self.documents > self.limit:
            self._stop()  # another writer changed the store (for good), or too many
            return False
        return True

    def _add(self, marks: list[Mark], repeats: dict[str, str]) -> None:
        self.blocks += 1
        self.documents += len(marks)
        self.repeat_of.update(repeats)
        holders, common = self.holders, self.common
        for mark in marks:
            for h in mark.anchors:
                if h in common:
                    continue
                key = int(h, 16)
                held = holders.get(key, ()) + (mark.id,)
                if len(held) > COMMON:  # held by more than COMMON: common for good
                    common.add(h)
                    del holders[key]
                else:
                    holders[key] = held

    def _stop(self) -> None:
        self.off, self.base = True, None
        self.holders, self.common, self.repeat_of = {}, set(), {}
        self._notes.clear()

    def held_counts(self, hashes: Sequence[str]) -> list[tuple[str, int]]:
        """As ``_held_counts`` would count them in the store."""
        held = self.holders
        return [
            (h, COMMON + 1 if h in self.common else len(held.get(int(h, 16), ()))) for h in hashes
        ]

    def holding(self, hashes: Iterable[str]) -> Iterable[str]:
        """The documents holding each of ``hashes``, one after another."""
        held = self.holders
        return chain.from_iterable(held.get(int(h, 16), ()) for h in hashes)


@dataclass(frozen=True, slots=True)
class Pending:
    """A block being written while the next one is checked: the documents it adds
    and the repeats found among them. The next block is checked against the store
    and these, as it would be once they are stored (``store.overlap``)."""

    marks: Sequence[Mark]
    found: dict[str, str]


# a candidate: how many anchors it shares, the document it repeats (None: none), its sketch
_Candidate = tuple[int, str | None, dict[str, Any]]


def find(
    conn: Connection,
    marks: Sequence[Mark],
    known: Sketches | None = None,
    pending: Pending | None = None,
    own: Own | None = None,
) -> dict[str, str]:
    """For each of ``marks`` (in block order) that repeats a stored document or an
    earlier one of the block: the document it repeats. ``known``: sketches of stored
    documents at hand (not read again); ``pending``: a block counted as stored;
    ``own``: the store's sketch rows, all of them (``Own.catch_up``), counted in
    memory instead of asking the server."""
    if not marks:
        return {}
    before = pending.marks if pending else ()
    hashes = [h for m in marks for h in m.anchors]
    common = common_anchors(conn, hashes, before, known, own)
    if common:
        marks = [
            m
            if common.isdisjoint(m.anchors)
            else Mark(m.id, m.fingerprint, m.sketch, tuple(h for h in m.anchors if h not in common))
            for m in marks
        ]
    same = _same_words(conn, marks)
    near = _near(conn, marks, known or Sketches(0), own)
    if pending:
        _add_pending(pending, marks, same, near)
    out: dict[str, str] = {}
    prints: dict[str, str] = {}  # fingerprint -> first document of the block with it
    block = _Block({}, {}, out)  # the earlier documents of the block
    numbers = _Numbers()
    for mark in marks:
        of = same.get(mark.fingerprint) or prints.get(mark.fingerprint)
        if of is None and mark.sketch:
            of = _nearest(mark, near.get(mark.id, {}), block, numbers)
        if of is not None:
            out[mark.id] = of
        prints.setdefault(mark.fingerprint, mark.id)
        block.marks[mark.id] = mark
        for h in mark.anchors:
            block.holders.setdefault(h, []).append(mark.id)
    return out


@dataclass(frozen=True, slots=True)
class _Block:
    """The earlier documents of a block: their ids by anchor, their marks by id, and
    the repeats found among them."""

    holders: dict[str, list[str]]
    marks: dict[str, Mark]
    found: dict[str, str]


class _Numbers:
    """Each sketch's numbers as a set, made once per check (a document is compared
    with up to CANDIDATES others, and most pairs fail on their numbers: making both
    sets again for every pair was most of the comparisons' time). Keyed by the
    sketch object, which is held meanwhile, so that its key cannot be reused."""

    def __init__(self) -> None:
        self._sets: dict[int, tuple[dict[str, Any], frozenset[Any]]] = {}

    def of(self, sketch: dict[str, Any]) -> frozenset[Any]:
        got = self._sets.get(id(sketch))
        if got is None:
            got = self._sets[id(sketch)] = (sketch, frozenset(sketch.get("nums", ())))
        return got[1]


def _top(shared: dict[str, int], k: int = CANDIDATES) -> list[str]:
    """The ``k`` of ``shared`` (a count of anchors per document) sharing most, ties by
    the least id: the server's ranking (``_NEAR``). The k-th count is found first, so
    that a large pool is not sorted whole with a key of Python's."""
    if len(shared) <= k:
        return list(shared)
    cut = sorted(shared.values(), reverse=True)[k - 1]
    above = [i for i, n in shared.items() if n > cut]
    return above + sorted(i for i, n in shared.items() if n == cut)[: k - len(above)]


def _nearest(
    mark: Mark, stored: dict[str, _Candidate], block: _Block, numbers: _Numbers
) -> str | None:
    """The best repeat among the CANDIDATES sharing most anchors (stored, or earlier in
    the block), those that are not themselves repeats: the one ``dedupe.repeats`` scores
    highest (ties: the greatest id). Its test of the numbers is made first, on the
    sets at hand: most pairs fail it."""
    pool = dict(stored)
    holders = block.holders
    shared = Counter(chain.from_iterable(holders[h] for h in mark.anchors if h in holders))
    for i, n in shared.items():
        pool[i] = (n, block.found.get(i), block.marks[i].sketch)
    # the best of those kept does not depend on their order
    top = (
        [(i, pool[i]) for i in _top({i: c[0] for i, c in pool.items()})]
        if len(pool) > CANDIDATES
        else pool.items()
    )
    mine = mark.sketch
    size, nums = mine.get("n", 0), numbers.of(mine)
    best, of = 0.0, ""
    for i, (_, duplicate_of, sketch) in top:
        if duplicate_of is not None:
            continue
        theirs = numbers.of(sketch)
        if nums <= theirs if size <= sketch.get("n", 0) else theirs <= nums:
            score = repeats(mine, sketch)
            if (score, i) > (best, of):
                best, of = score, i
    return of if best > 0 else None


def _add_pending(
    pending: Pending,
    marks: Sequence[Mark],
    same: dict[str, str],
    near: dict[str, dict[str, _Candidate]],
) -> None:
    """The pending block's documents as stored ones: the first by id of a fingerprint
    (as ``_same_words``), and candidates of each document sharing anchors with it
    (all of them: ``_nearest`` keeps the CANDIDATES best of these and the others)."""
    prints = {m.fingerprint for m in marks}
    held: dict[str, list[str]] = {}
    by_id: dict[str, Mark] = {}
    for p in pending.marks:
        if p.fingerprint in prints:
            same[p.fingerprint] = min(same.get(p.fingerprint) or p.id, p.id)
        by_id[p.id] = p
        for h in p.anchors:
            held.setdefault(h, []).append(p.id)
    found = pending.found
    for mark in marks:
        shared = Counter(chain.from_iterable(held[h] for h in mark.anchors if h in held))
        if shared:
            mine = near.setdefault(mark.id, {})
            for i, n in shared.items():
                mine[i] = (n, found.get(i), by_id[i].sketch)


def common_anchors(
    conn: Connection,
    hashes: Sequence[str],
    before: Sequence[Mark] = (),
    known: Sketches | None = None,
    own: Own | None = None,
) -> set[str]:
    """Which of ``hashes`` more than COMMON stored documents (and documents ``before``)
    hold, counting no further than that; those ``known`` to be common in the store are
    not counted again, and those found common in the store alone are noted there.
    ``own``: the store's sketch rows, counted in memory."""
    held = known.common if known is not None else set()
    out = {h for h in hashes if h in held}
    wanted = sorted(set(hashes) - out)
    if not wanted:
        return out
    pend = Counter(h for m in before for h in m.anchors)
    out.update(h for h in wanted if pend[h] > COMMON)  # common whatever is stored
    asked = [h for h in wanted if pend[h] <= COMMON]
    for h, count in own.held_counts(asked) if own is not None else _held_counts(conn, asked):
        if count > COMMON:
            held.add(h)  # by the store alone: for good (sketch rows are never deleted)
        if count + pend[h] > COMMON:
            out.add(h)
    return out


def _held_counts(conn: Connection, hashes: Sequence[str]) -> list[tuple[str, int]]:
    """How many stored documents hold each of ``hashes``, counting to COMMON + 1."""
    if not hashes:
        return []
    if conn.dialect.name == "postgresql":
        # hex hashes: one string (a list is dumped item by item)
        rows = conn.exec_driver_sql(_HELD, {"hashes": " ".join(hashes), "limit": COMMON + 1})
        return [(h, int(n)) for h, n in rows]
    sk = schema.document_sketch
    out = []
    for h in hashes:
        held = select(sk.c.doc_id).where(sk.c.hash == h).limit(COMMON + 1).subquery()
        out.append((h, conn.execute(select(func.count()).select_from(held)).scalar_one()))
    return out


_HELD = """
SELECT h, (SELECT count(*) FROM (SELECT 1 FROM document_sketch s WHERE s.hash = a.h
                                 LIMIT %(limit)s) AS held)
FROM unnest(string_to_array(%(hashes)s, ' ')) AS a(h)
"""


def _same_words(conn: Connection, marks: Sequence[Mark]) -> dict[str, str]:
    """Stored documents by fingerprint (the first by id when several share it)."""
    d = schema.documents
    prints = sorted({m.fingerprint for m in marks})
    if conn.dialect.name == "postgresql":  # one array parameter, not one per fingerprint
        found = conn.exec_driver_sql(
            "SELECT fingerprint, min(id) FROM documents WHERE fingerprint = ANY(%(prints)s) "
            "GROUP BY fingerprint",
            {"prints": prints},
        )
        return {fp: doc_id for fp, doc_id in found}
    rows = conn.execute(
        select(d.c.fingerprint, func.min(d.c.id))
        .where(d.c.fingerprint.in_(prints))
        .group_by(d.c.fingerprint)
    )
    return {fp: doc_id for fp, doc_id in rows}


def _near(
    conn: Connection, marks: Sequence[Mark], known: Sketches, own: Own | None = None
) -> dict[str, dict[str, _Candidate]]:
    """Per document, the stored documents sharing most of its anchors."""
    asked = [m for m in marks if m.anchors]
    if not asked:
        return {}
    if own is not None:
        return _near_own(conn, asked, known, own)
    if conn.dialect.name == "postgresql":
        return _near_postgresql(conn, asked, known)
    out: dict[str, dict[str, _Candidate]] = {}
    for m in asked:
        for other, shared, duplicate_of, sketch in _near_one(conn, m):
            out.setdefault(m.id, {})[other] = (int(shared), duplicate_of, sketch or {})
    return out


def _near_one(conn: Connection, mark: Mark) -> list[tuple[Any, ...]]:
    sk, d = schema.document_sketch, schema.documents
    top = (
        select(sk.c.doc_id, func.count().label("shared"))
        .where(sk.c.hash.in_(mark.anchors), sk.c.doc_id != mark.id)
        .group_by(sk.c.doc_id)
        .order_by(func.count().desc(), sk.c.doc_id)
        .limit(CANDIDATES)
        .subquery()
    )
    stmt = select(top.c.doc_id, top.c.shared, d.c.duplicate_of, d.c.shingles).join(
        d, d.c.id == top.c.doc_id
    )
    return [tuple(r) for r in conn.execute(stmt)]


_NEAR = """
WITH pairs AS (
  SELECT m.doc, s.doc_id AS other, count(*) AS shared
  FROM unnest(%(docs)b::text[], %(anchors)b::text[]) AS m(doc, anchors)
  CROSS JOIN LATERAL unnest(string_to_array(m.anchors, ' ')) AS a(hash)
  JOIN document_sketch s ON s.hash = a.hash AND s.doc_id <> m.doc
  GROUP BY m.doc, s.doc_id
), ranked AS (
  SELECT doc, other, shared, row_number() OVER (
    PARTITION BY doc ORDER BY shared DESC, other COLLATE "C") AS n
  FROM pairs
)
SELECT doc, other, shared FROM ranked WHERE n <= %(top)s
"""

# each candidate once (a block's documents share many): whether it is a repeat itself,
# and its sketch when it is not and is not at hand
_CANDIDATES = """
SELECT id, duplicate_of,
       CASE WHEN duplicate_of IS NULL AND id = ANY(%(unknown)b) THEN shingles END
FROM documents WHERE id = ANY(%(others)b)
"""


def _near_postgresql(
    conn: Connection, marks: Sequence[Mark], known: Sketches
) -> dict[str, dict[str, _Candidate]]:
    """One statement for the whole block: per document, the CANDIDATES stored ones
    sharing most anchors (ties by id, as Python orders strings: COLLATE "C"), ranked
    in the server, so that a few rows a document come back, not every pair (those
    bounded by COMMON: up to 50 a hash, thousands a document). Then the sketches of
    those that are no repeat themselves and not ``known``, in one read: only those are
    compared. The candidates are read by key, each once: a join of the ranked pairs
    with ``documents`` let the planner read every stored document for each block."""
    params = {
        "docs": [m.id for m in marks],
        "anchors": [" ".join(m.anchors) for m in marks],  # hex: a string a document
        "top": CANDIDATES,
    }
    raw = conn.connection.driver_connection
    with raw.cursor() as cur:  # type: ignore[union-attr]
        pairs = cur.execute(_NEAR, params).fetchall()
        have = {other: known.get(other) for other in {other for _, other, _ in pairs}}
        others = sorted(have)
        unknown = [i for i in others if have[i] is None]
        found = {
            i: (of, None if of is not None else have[i] if sk is None else unpacked(sk))
            for i, of, sk in cur.execute(
                _CANDIDATES, {"unknown": unknown, "others": others}
            ).fetchall()
        }
    out: dict[str, dict[str, _Candidate]] = {}
    for doc, other, shared in pairs:
        got = found.get(other)
        if got is not None:
            out.setdefault(doc, {})[other] = (int(shared), got[0], got[1] or {})
    return out


def _sketches(conn: Connection, ids: list[str]) -> list[tuple[str, Any]]:
    """The stored sketches of ``ids``."""
    if conn.dialect.name == "postgresql":  # one array parameter
        rows = conn.exec_driver_sql(
            "SELECT id, shingles FROM documents WHERE id = ANY(%(ids)s)", {"ids": ids}
        )
        return [(i, None if sk is None else unpacked(sk)) for i, sk in rows]
    d = schema.documents
    return [(i, sk) for i, sk in conn.execute(select(d.c.id, d.c.shingles).where(d.c.id.in_(ids)))]


def _near_own(
    conn: Connection, marks: Sequence[Mark], known: Sketches, own: Own
) -> dict[str, dict[str, _Candidate]]:
    """``_near`` counted in ``own``, the store's sketch rows: per document the
    CANDIDATES stored ones sharing most anchors, ranked as the server ranks them
    (``_top``). The sketches of those that are no repeat and not ``known`` are read
    by key, in one statement."""
    shared: dict[str, dict[str, int]] = {}
    for m in marks:
        found = Counter(own.holding(m.anchors))
        found.pop(m.id, None)
        if len(found) > CANDIDATES:
            shared[m.id] = {o: found[o] for o in _top(found)}
        elif found:
            shared[m.id] = found
    repeat_of = own.repeat_of
    others = {o for found in shared.values() for o in found if o not in repeat_of}
    sketches = {o: known.get(o) for o in others}
    unknown = sorted(o for o, sk in sketches.items() if sk is None)
    if unknown:
        sketches.update(_sketches(conn, unknown))
    return {
        doc: {o: (n, repeat_of.get(o), sketches.get(o) or {}) for o, n in found.items()}
        for doc, found in shared.items()
    }
