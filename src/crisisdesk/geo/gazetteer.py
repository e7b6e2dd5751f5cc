"""Open and query a gazetteer file (the bundled one, plus an optional user overlay).

Opening is cheap (two read-only SQLite connections, nothing loaded), so a
command can open the gazetteer per run. Lookups are single index probes;
what a Gazetteer caches (admin names, candidate lists, fuzzy pools) lives on
the instance, never at module level; the bundled file's admin names are also kept
between runs beside the bytecode (``crisisdesk.kept``), as derived data.
"""

from __future__ import annotations

import os
import re
import sqlite3
from dataclasses import replace
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from crisisdesk.errors import GazetteerError, NotFoundError
from crisisdesk.geo.normalise import key, skeleton
from crisisdesk.geo.schema import FORM_KEY, FORM_SKELETON, SELECT_PLACE
from crisisdesk.kept import Kept
from crisisdesk.model import Place, ResolvedPlace

if TYPE_CHECKING:
    from crisisdesk.geo.context import GeoContext

OVERLAY_ENV = "CRISISDESK_GAZETTEER_OVERLAY"
OVERLAY_FILE = "crisisdesk-gazetteer.sqlite"
_CACHE_LIMIT = 100_000
# The bundled file's admin names, kept between runs (keyed by the file's path, size and
# modification time, as Python keys bytecode): reading them was a sixteenth of the
# start-up of ``extract-file``.
_KEPT = Kept("gazetteer", __file__)


def bundled_path() -> Path:
    """The gazetteer file that ships with the package."""
    return Path(str(resources.files("crisisdesk") / "data" / "gazetteer" / "gazetteer.sqlite"))


def default_overlay_path() -> Path:
    """Where user-imported places live (the CLI and the pipeline share it).

    $CRISISDESK_GAZETTEER_OVERLAY, else ./crisisdesk-gazetteer.sqlite.
    """
    return Path(os.environ.get(OVERLAY_ENV) or OVERLAY_FILE)


def _connect(path: Path, immutable: bool = False) -> sqlite3.Connection:
    """Read-only connection; ``immutable`` (the bundled file) also skips file locking."""
    if not path.is_file():
        raise GazetteerError("gazetteer file not found", where=str(path))
    flags = "mode=ro&immutable=1" if immutable else "mode=ro"
    try:
        conn = sqlite3.connect(f"file:{path}?{flags}", uri=True, check_same_thread=False)
        conn.execute("SELECT 1 FROM names LIMIT 1").fetchall()
    except sqlite3.DatabaseError as exc:
        raise GazetteerError(f"not a gazetteer file: {exc}", where=str(path)) from exc
    return conn


class Gazetteer:
    """Places by name, id and area; ``resolve`` is the one call most callers need."""

    _LOOKUP_SQL = (
        SELECT_PLACE.replace(
            "FROM places", "FROM names n JOIN places ON places.rowid = n.place"
        ).replace("SELECT rowid", "SELECT places.rowid")
        + " WHERE n.form = ? AND n.key = ?"
    )

    def __init__(self, base: sqlite3.Connection, overlay: sqlite3.Connection | None = None):
        # overlay first: its entries take precedence
        self._sources: list[tuple[str, sqlite3.Connection]] = []
        if overlay is not None:
            self._sources.append(("overlay", overlay))
        self._sources.append(("base", base))
        self._lookups: dict[tuple[int, str], tuple[Place, ...]] = {}
        self._places: dict[str, Place] = {}
        self._by_rowid: dict[tuple[str, int], Place] = {}
        self._admin_names: dict[tuple[str, str], str] | None = None
        self._members: dict[str, frozenset[str]] = {}
        self._fuzzy_pools: dict[str | None, tuple[list[str], list[tuple[str, int]]]] = {}
        self.resolve_cache: dict[tuple[object, ...], ResolvedPlace] = {}
        self._kept_key: tuple[str, str, int, int] | None = None  # the bundled base's

    @classmethod
    def open(cls, path: Path | str | None = None, overlay: Path | str | None = None) -> Gazetteer:
        """Open ``path`` (default: the bundled file) and, if given and present, ``overlay``."""
        base = _connect(Path(path) if path else bundled_path(), immutable=path is None)
        over = None
        if overlay is not None:
            overlay = Path(overlay)
            if overlay.is_file():
                over = _connect(overlay)
        gaz = cls(base, over)
        if path is None:
            st = bundled_path().stat()
            gaz._kept_key = ("admin_names", str(bundled_path()), st.st_size, st.st_mtime_ns)
        return gaz

    def close(self) -> None:
        for _, conn in self._sources:
            conn.close()

    def __enter__(self) -> Gazetteer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def has_overlay(self) -> bool:
        return self._sources[0][0] == "overlay"

    # -- raw access -------------------------------------------------------------------------

    def _complete(self, row: tuple[Any, ...], origin: str) -> Place:
        """A Place from a ``SELECT_PLACE`` row, with the admin names and source that the
        file stores only once per area filled in (built in one go: this is the hot path)."""
        (
            _,
            pid,
            name,
            kind,
            country,
            lat,
            lon,
            a1c,
            a1,
            a2c,
            a2,
            a3c,
            a3,
            pop,
            names,
            min_lon,
            min_lat,
            max_lon,
            max_lat,
            source,
            _members,
        ) = row
        if a1c and not a1:
            a1 = self.admin_name(country, a1c)
        if a2c and not a2:
            a2 = self.admin_name(country, a2c)
        if source is None and pid.startswith("gn:"):
            source = f"GeoNames id {pid[3:]}"
        if origin == "overlay" and not (source or "").startswith("imported"):
            source = f"imported: {source or 'user gazetteer'}"
        return Place(
            id=pid,
            name=name,
            kind=kind,
            country=country,
            lat=lat,
            lon=lon,
            admin1_code=a1c,
            admin1=a1,
            admin2_code=a2c,
            admin2=a2,
            admin3_code=a3c,
            admin3=a3,
            population=pop or 0,
            names=tuple(n for n in (names or "").split("|") if n),
            bbox=(min_lon, min_lat, max_lon, max_lat) if min_lon is not None else None,
            source=source,
        )

    def lookup(self, form: int, key: str) -> tuple[Place, ...]:
        """Every place (overlay first) with a name whose key of strength ``form`` is ``key``."""
        cache_key = (form, key)
        found = self._lookups.get(cache_key)
        if found is not None:
            return found
        out: list[Place] = []
        for origin, conn in self._sources:
            for row in conn.execute(self._LOOKUP_SQL, (form, key)):
                place = self._by_rowid.get((origin, row[0]))
                if place is None:
                    place = self._complete(row, origin)
                    self._by_rowid[(origin, row[0])] = place
                out.append(place)
        found = tuple(out)
        if len(self._lookups) > _CACHE_LIMIT:
            self._lookups.clear()
        self._lookups[cache_key] = found
        return found

    def get(self, place_id: str) -> Place:
        """The place with this id; NotFoundError if no gazetteer has it."""
        place = self._places.get(place_id)
        if place is not None:
            return place
        for origin, conn in self._sources:
            row = conn.execute(f"{SELECT_PLACE} WHERE id = ?", (place_id,)).fetchone()
            if row is not None:
                place = self._complete(row, origin)
                self._places[place_id] = place
                return place
        raise NotFoundError(f"no place with id {place_id!r} in the gazetteer")

    def country(self, cc: str) -> Place | None:
        """The country entry for an ISO alpha-2 code."""
        for origin, conn in self._sources:
            row = conn.execute(
                f"{SELECT_PLACE} WHERE kind = 'country' AND country = ?", (cc.upper(),)
            ).fetchone()
            if row is not None:
                return self._complete(row, origin)
        return None

    def _overlay_area(
        self, name: str | None, country: str, kind: str, parent: str | None
    ) -> Place | None:
        """The overlay's admin area of this kind whose name matches (key, then skeleton)."""
        if not name or not self.has_overlay:
            return None
        conn = self._sources[0][1]
        bare = re.sub(r"\s+(district|governorate|province)$", "", name, flags=re.IGNORECASE)
        for form, k in ((FORM_KEY, key(bare)), (FORM_SKELETON, skeleton(key(bare)))):
            for row in conn.execute(self._LOOKUP_SQL, (form, k)):
                place = self._complete(row, "overlay")
                if (
                    place.kind == kind
                    and place.country == country
                    and (parent is None or place.admin1_code == parent)
                ):
                    return place
        return None

    def with_overlay_codes(self, place: Place) -> Place:
        """A bundled place with its admin names and codes taken from the user's overlay
        (P-codes) where the overlay has the same governorate or district: imported codes
        take precedence in every export."""
        if not self.has_overlay or self.is_overlay(place):
            return place
        a1 = self._overlay_area(place.admin1, place.country, "adm1", None)
        if a1 is None:
            return place
        a2 = self._overlay_area(place.admin2, place.country, "adm2", a1.admin1_code)
        return replace(
            place,
            admin1=a1.name,
            admin1_code=a1.admin1_code,
            admin2=a2.name if a2 else None,
            admin2_code=a2.admin2_code if a2 else None,
        )

    def is_overlay(self, place: Place) -> bool:
        return (place.source or "").startswith("imported")

    def admin_name(self, country: str, code: str) -> str | None:
        """Name of the admin area with this code (admin1 or admin2), overlay first."""
        if self._admin_names is None:
            names: dict[tuple[str, str], str] = {}
            for origin, conn in reversed(self._sources):  # overlay last, so it wins
                names.update(self._area_names(conn, self._kept_key if origin == "base" else None))
            self._admin_names = names
        return self._admin_names.get((country, code))

    @staticmethod
    def _area_names(
        conn: sqlite3.Connection, kept_key: tuple[str, str, int, int] | None
    ) -> dict[tuple[str, str], str]:
        """(country, admin code) -> name of one file's admin areas; the bundled file's
        are kept between runs."""
        if kept_key is not None and (got := _KEPT.get(kept_key)) is not None:
            return got
        names: dict[tuple[str, str], str] = {}
        for kind, c, a1, a2, name in conn.execute(
            "SELECT kind, country, admin1_code, admin2_code, name FROM places "
            "WHERE kind IN ('adm1', 'adm2')"
        ):
            code_of = a1 if kind == "adm1" else a2
            if code_of:
                names[(c, code_of)] = name
        if kept_key is not None:
            _KEPT.put(kept_key, names)
        return names

    def members(self, region_id: str) -> frozenset[str]:
        """Admin1 codes a named region covers (empty for anything else)."""
        if region_id not in self._members:
            codes: frozenset[str] = frozenset()
            for _, conn in self._sources:
                row = conn.execute(
                    "SELECT members FROM places WHERE id = ?", (region_id,)
                ).fetchone()
                if row and row[0]:
                    codes = frozenset(row[0].split("|"))
                    break
            self._members[region_id] = codes
        return self._members[region_id]

    def fuzzy_pool(self, country: str | None) -> tuple[list[str], list[tuple[str, int]]]:
        """All normalised keys (of one country, or of the world) for the fuzzy step.

        Loaded on first need and kept on the instance: a fuzzy query scans them.
        Returns (keys, [(source label, rowid)]) in parallel lists.
        """
        pool = self._fuzzy_pools.get(country)
        if pool is None:
            keys: list[str] = []
            refs: list[tuple[str, int]] = []
            for origin, conn in self._sources:
                if country:
                    rows = conn.execute(
                        "SELECT n.key, n.place FROM names n JOIN places p ON p.rowid = n.place "
                        "WHERE n.form = ? AND p.country = ?",
                        (FORM_KEY, country),
                    )
                else:
                    rows = conn.execute("SELECT key, place FROM names WHERE form = ?", (FORM_KEY,))
                for k, rowid in rows:
                    keys.append(k)
                    refs.append((origin, rowid))
            pool = (keys, refs)
            self._fuzzy_pools[country] = pool
        return pool

    def place_by_rowid(self, origin: str, rowid: int) -> Place:
        """One place by its row in one of the files (kept on the instance once read)."""
        cached = self._by_rowid.get((origin, rowid))
        if cached is not None:
            return cached
        conn = dict(self._sources)[origin]
        row = conn.execute(f"{SELECT_PLACE} WHERE rowid = ?", (rowid,)).fetchone()
        place = self._complete(row, origin)
        if len(self._by_rowid) > _CACHE_LIMIT:
            self._by_rowid.clear()
        self._by_rowid[(origin, rowid)] = place
        return place

    # -- areas ------------------------------------------------------------------------------

    def contains(self, area_id: str, place_id: str) -> bool:
        """Does the area (country, admin area or region) contain the place?

        By admin codes first; by the area's bounding box when the place has no
        codes (imported lists often lack them).
        """
        area = self.get(area_id)
        place = self.get(place_id)
        if self.is_overlay(area):  # compare P-codes with P-codes
            place = self.with_overlay_codes(place)
        if area.id == place.id:
            return True
        if area.kind == "country":
            return place.country == area.country
        if place.country != area.country:
            return False
        members = self.members(area.id) if area.kind == "region" else frozenset()
        if members:  # a region of whole governorates; one drawn as a box falls to the bbox test
            return bool(place.admin1_code) and place.admin1_code in members
        if area.kind == "adm1" and place.admin1_code and area.admin1_code:
            return place.admin1_code == area.admin1_code
        if area.kind == "adm2" and place.admin2_code and area.admin2_code:
            return place.admin2_code == area.admin2_code
        if area.kind == "adm3" and place.admin3_code and area.admin3_code:
            return place.admin3_code == area.admin3_code
        if area.bbox and place.lat is not None and place.lon is not None:
            min_lon, min_lat, max_lon, max_lat = area.bbox
            return min_lon <= place.lon <= max_lon and min_lat <= place.lat <= max_lat
        return False

    # -- matching (implemented in matching.py) ------------------------------------------------

    def candidates(
        self,
        name: str,
        *,
        country: str | None = None,
        context: GeoContext | None = None,
        within: str | None = None,
        limit: int = 10,
    ) -> list[tuple[Place, float]]:
        """Places the name may mean, best first, with a score in 0..1."""
        from crisisdesk.geo.matching import candidates

        return candidates(self, name, country=country, context=context, within=within)[:limit]

    def resolve(
        self,
        name: str,
        *,
        country: str | None = None,
        context: GeoContext | None = None,
        within: str | None = None,
    ) -> ResolvedPlace:
        """The best reading of a place name as written; ``unresolved`` rather than a guess."""
        from crisisdesk.geo.matching import resolve

        return resolve(self, name, country=country, context=context, within=within)

    def find_area(self, name: str, country: str | None = None) -> Place | None:
        """The admin area (or region, or country) a name means, for queries by area."""
        from crisisdesk.geo.matching import find_area

        return find_area(self, name, country=country)
