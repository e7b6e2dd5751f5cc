"""The bulk check's choice of the document a report repeats (``duplicates._nearest``)
is the plain rule's: the CANDIDATES sharing most anchors (ties by id), stored or
earlier in the block, those that are no repeat themselves, and of these the one
``dedupe.repeats`` scores highest (ties: the greatest id). The check tests the
numbers first on sets made once, sorts only a pool larger than CANDIDATES, and
keeps candidates as tuples: over random pools it must answer as the rule does."""

from __future__ import annotations

import random
from collections import Counter
from typing import Any

from crisisdesk.ingest.dedupe import K, repeats
from crisisdesk.store import duplicates
from crisisdesk.store.duplicates import CANDIDATES, Mark


def _rule(
    mark: Mark, stored: dict[str, Any], earlier: list[Mark], found: dict[str, str]
) -> str | None:
    """The choice written plainly, as the check made it before it was made faster."""
    pool = dict(stored)
    shared = Counter(e.id for h in mark.anchors for e in earlier if h in e.anchors)
    for i, n in shared.items():
        pool[i] = (n, found.get(i), next(e.sketch for e in earlier if e.id == i))
    top = sorted(pool.items(), key=lambda kv: (-kv[1][0], kv[0]))[:CANDIDATES]
    scored = [(repeats(mark.sketch, c[2] or {}), i) for i, c in top if c[1] is None]
    best = max(scored, default=(0.0, ""))
    return best[1] if best[0] > 0 else None


def _sketch(rng: random.Random, base: list[int], nums: list[str]) -> dict[str, Any]:
    """A sketch near ``base``: the same hashes but a few (a repeat scores about 1), or
    many others (no repeat); numbers a random part of ``nums``."""
    changed = rng.choice([0, 0, 1, 2, 5, 40, K])
    hashes = set(base[changed:]) | {rng.randrange(1, 10**6) + 10**7 for _ in range(changed)}
    size = rng.choice([200, 230, 260])
    picked = sorted(rng.sample(nums, rng.randint(len(nums) - 2, len(nums))))
    return {"n": size, "k": sorted(hashes)[:K], "nums": picked}


def _case(rng: random.Random) -> tuple[Mark, dict[str, Any], list[Mark], dict[str, str]]:
    base = sorted(rng.sample(range(1, 10**6), K))
    nums = [str(n) for n in rng.sample(range(1, 60), 6)]
    anchors = [f"{h:016x}" for h in base[:12]]
    mark = Mark("m", "fp", _sketch(rng, base, nums), tuple(anchors))
    stored: dict[str, Any] = {}
    for n in range(rng.randint(0, 30)):
        of = rng.choice([None, None, None, "old"])
        sketch = _sketch(rng, base, nums) if rng.random() < 0.9 else {}
        stored[f"s{n:02d}"] = (rng.randint(1, 4), of, sketch)
    earlier = [
        Mark(f"b{n:02d}", f"fb{n}", _sketch(rng, base, nums), tuple(rng.sample(anchors, 3)))
        for n in range(rng.randint(0, 12))
    ]
    found = {e.id: "s00" for e in earlier if rng.random() < 0.2}
    return mark, stored, earlier, found


def test_the_choice_is_the_plain_rules_over_random_pools() -> None:
    rng = random.Random(18)
    chosen = 0
    for _ in range(400):
        mark, stored, earlier, found = _case(rng)
        block = duplicates._Block({}, {}, found)
        for e in earlier:
            block.marks[e.id] = e
            for h in e.anchors:
                block.holders.setdefault(h, []).append(e.id)
        got = duplicates._nearest(mark, stored, block, duplicates._Numbers())
        assert got == _rule(mark, stored, earlier, found)
        chosen += got is not None
    assert 100 < chosen < 400  # both answers are exercised
