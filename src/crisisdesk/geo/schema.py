"""The layout of a gazetteer file, shared by the build script, the importer and the reader.

One SQLite file: ``places`` (one row per entry, admin hierarchy and bbox in
columns) and ``names`` (every lookup key of every name, by strength: 1 normalised key,
2 skeleton, see ``normalise``; skeletons only for dense countries' places and
admin areas, to keep the file small). ``names`` is a clustered
index, so a lookup is one B-tree probe; ``meta`` records what built it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from typing import Any

from crisisdesk.geo.normalise import all_keys

FORM_FOLD, FORM_KEY, FORM_SKELETON = 0, 1, 2

PLACE_COLUMNS = (
    "id",
    "name",
    "kind",
    "country",
    "lat",
    "lon",
    "admin1_code",
    "admin1",
    "admin2_code",
    "admin2",
    "admin3_code",
    "admin3",
    "population",
    "names",
    "min_lon",
    "min_lat",
    "max_lon",
    "max_lat",
    "source",
    "members",
)

DDL = """
CREATE TABLE meta (k TEXT PRIMARY KEY, v TEXT) WITHOUT ROWID;
CREATE TABLE places (
    rowid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    country TEXT NOT NULL,
    lat REAL, lon REAL,
    admin1_code TEXT, admin1 TEXT,
    admin2_code TEXT, admin2 TEXT,
    admin3_code TEXT, admin3 TEXT,
    population INTEGER NOT NULL DEFAULT 0,
    names TEXT NOT NULL DEFAULT '',
    min_lon REAL, min_lat REAL, max_lon REAL, max_lat REAL,
    source TEXT,
    members TEXT
);
CREATE TABLE names (
    form INTEGER NOT NULL,
    key TEXT NOT NULL,
    place INTEGER NOT NULL,
    PRIMARY KEY (form, key, place)
) WITHOUT ROWID;
"""

# Kinds that are areas rather than points, and the precision each resolves to.
AREA_KINDS = frozenset({"country", "adm1", "adm2", "adm3", "region"})


def create(conn: sqlite3.Connection) -> None:
    conn.executescript(DDL)


def write_places(conn: sqlite3.Connection, rows: Iterable[dict[str, Any]]) -> int:
    """Insert place rows (dicts with PLACE_COLUMNS, ``names`` a list) and their keys."""
    count = 0
    placeholders = ", ".join("?" for _ in PLACE_COLUMNS)
    sql = f"INSERT INTO places ({', '.join(PLACE_COLUMNS)}) VALUES ({placeholders})"
    for row in rows:
        names = [row["name"], *[n for n in row.get("names") or () if n != row["name"]]]
        values = [row.get(c) for c in PLACE_COLUMNS]
        values[PLACE_COLUMNS.index("names")] = "|".join(names)
        cur = conn.execute(sql, values)
        rowid = cur.lastrowid
        keys = set()
        with_skeleton = row.get("skeleton", True)
        for name in names:
            _, k, skel = all_keys(name)
            if k:
                keys.add((FORM_KEY, k, rowid))
            if skel and with_skeleton:
                keys.add((FORM_SKELETON, skel, rowid))
        conn.executemany("INSERT OR IGNORE INTO names VALUES (?, ?, ?)", sorted(keys))
        count += 1
    return count


SELECT_PLACE = f"SELECT rowid, {', '.join(PLACE_COLUMNS)} FROM places"


def dump(conn: sqlite3.Connection) -> list[tuple[Any, ...]]:
    """Every row of every table, in a stable order: what the integrity test compares."""
    out: list[tuple[Any, ...]] = []
    for table, order in (("meta", "k"), ("places", "rowid"), ("names", "form, key, place")):
        out.extend((table, *r) for r in conn.execute(f"SELECT * FROM {table} ORDER BY {order}"))
    return out
