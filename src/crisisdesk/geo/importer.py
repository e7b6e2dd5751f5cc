"""Import a user's own place list (OCHA COD-style CSV with P-codes, or HXL-tagged CSV).

Humanitarian offices keep authoritative admin lists with P-codes; imported
entries go into an overlay gazetteer file that ``Gazetteer.open(overlay=...)``
reads before the bundled one, so their names and codes win. Importing again
replaces entries with the same P-code.
"""

from __future__ import annotations

import csv
import sqlite3
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from crisisdesk.errors import GazetteerError
from crisisdesk.geo import schema

# level -> (name column, code column, Arabic name column); COD headers
_COD_LEVELS = (
    ("adm1", "admin1Name_en", "admin1Pcode", "admin1Name_ar"),
    ("adm2", "admin2Name_en", "admin2Pcode", "admin2Name_ar"),
    ("adm3", "admin3Name_en", "admin3Pcode", "admin3Name_ar"),
    ("village", "admin4Name_en", "admin4Pcode", "admin4Name_ar"),
)
_HXL_LEVELS = (
    ("adm1", "#adm1+name", "#adm1+code", "#adm1+name+ar"),
    ("adm2", "#adm2+name", "#adm2+code", "#adm2+name+ar"),
    ("adm3", "#adm3+name", "#adm3+code", "#adm3+name+ar"),
    ("village", "#loc+name", "#loc+code", "#loc+name+ar"),
)


@dataclass(frozen=True, slots=True)
class ImportSummary:
    """What an import wrote, by kind, and where."""

    overlay_path: Path
    rows: int
    places: int
    by_kind: dict[str, int]


def _read_cod(
    path: Path,
) -> tuple[list[dict[str, str]], tuple[tuple[str, str, str, str], ...], str, str]:
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh)
            header = reader.fieldnames or []
            rows = [dict(r) for r in reader]
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise GazetteerError(f"cannot read the CSV: {exc}", where=str(path)) from exc
    if not header:
        raise GazetteerError("the file is empty", where=str(path))
    lat = next((h for h in header if h.lower() in ("lat", "latitude", "y")), "")
    lon = next((h for h in header if h.lower() in ("lon", "long", "longitude", "x")), "")
    return rows, _COD_LEVELS, lat, lon


def _read_hxl(
    path: Path,
) -> tuple[list[dict[str, str]], tuple[tuple[str, str, str, str], ...], str, str]:
    import hxl

    try:
        source = hxl.data(str(path), hxl.InputOptions(allow_local=True))
        columns = source.columns
        rows = []
        for row in source:
            rec: dict[str, str] = {}
            for col, value in zip(columns, row.values, strict=False):
                spec = col.get_display_tag(sort_attributes=False)
                rec.setdefault(spec, value or "")
                base = f"#{col.tag.lstrip('#')}" if col.tag else ""
                for attr in col.attributes:
                    rec.setdefault(f"{base}+{attr}", value or "")
            rows.append(rec)
    except Exception as exc:  # libhxl raises its own types; report them as ours
        raise GazetteerError(f"cannot read the HXL file: {exc}", where=str(path)) from exc
    return rows, _HXL_LEVELS, "#geo+lat", "#geo+lon"


def _is_hxl(path: Path) -> bool:
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            for i, row in enumerate(csv.reader(fh)):
                if any(cell.strip().startswith("#") for cell in row):
                    return True
                if i >= 5:
                    break
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise GazetteerError(f"cannot read the file: {exc}", where=str(path)) from exc
    return False


def _float(value: str, row: int, column: str, path: Path, low: float, high: float) -> float | None:
    value = (value or "").strip()
    if not value:
        return None
    try:
        number = float(value)
    except ValueError as exc:
        raise GazetteerError(
            f"row {row}, column {column}: not a number: {value!r}", where=str(path)
        ) from exc
    if not low <= number <= high:
        raise GazetteerError(f"row {row}, column {column}: out of range: {number}", where=str(path))
    return number


def _country_of(code: str, rec: dict[str, str]) -> str:
    for col in ("admin0Pcode", "#country+code", "#country+code+v_iso2"):
        if rec.get(col):
            return rec[col].strip()[:2].upper()
    return code[:2].upper()


def _parse(path: Path) -> tuple[dict[str, dict[str, Any]], int]:
    """Place rows keyed by P-code, built from every CSV row's admin levels."""
    rows, levels, lat_col, lon_col = _read_hxl(path) if _is_hxl(path) else _read_cod(path)
    if not rows:
        raise GazetteerError("the file has a header but no rows", where=str(path))
    present = [lv for lv in levels if lv[1] in rows[0] and lv[2] in rows[0]]
    if not present:
        wanted = ", ".join(f"{lv[1]}/{lv[2]}" for lv in levels[:2])
        raise GazetteerError(
            f"no admin name/code columns found (expected e.g. {wanted})", where=str(path)
        )
    places: dict[str, dict[str, Any]] = {}
    points: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for n, rec in enumerate(rows, start=2):
        chain: dict[str, tuple[str, str]] = {}
        finest = None
        for kind, name_col, code_col, ar_col in present:
            name = (rec.get(name_col) or "").strip()
            code = (rec.get(code_col) or "").strip()
            if not name and not code:
                continue
            if not name or not code:
                missing = name_col if not name else code_col
                raise GazetteerError(f"row {n}, column {missing}: empty", where=str(path))
            chain[kind] = (code, name)
            place = places.setdefault(
                code,
                {
                    "id": f"ov:{code}",
                    "name": name,
                    "kind": kind,
                    "country": _country_of(code, rec),
                    "names": [],
                    "population": 0,
                    "source": f"imported from {path.name}",
                },
            )
            ar = (rec.get(ar_col) or "").strip()
            if ar and ar not in place["names"]:
                place["names"].append(ar)
            for lvl, key in (("adm1", "admin1"), ("adm2", "admin2"), ("adm3", "admin3")):
                if lvl in chain:
                    place[f"{key}_code"], place[key] = chain[lvl]
            finest = code
        if finest is None:
            continue
        lat = _float(rec.get(lat_col, ""), n, lat_col, path, -90, 90) if lat_col else None
        lon = _float(rec.get(lon_col, ""), n, lon_col, path, -180, 180) if lon_col else None
        if lat is not None and lon is not None:
            places[finest]["lat"], places[finest]["lon"] = lat, lon
            for code, _ in chain.values():
                points[code].append((lat, lon))
    for code, place in places.items():
        pts = points.get(code)
        if pts and place["kind"] != "village":
            lats, lons = [p[0] for p in pts], [p[1] for p in pts]
            place["min_lon"], place["min_lat"] = min(lons), min(lats)
            place["max_lon"], place["max_lat"] = max(lons), max(lats)
            place.setdefault("lat", round(sum(lats) / len(lats), 5))
            place.setdefault("lon", round(sum(lons) / len(lons), 5))
    return places, len(rows)


def _existing(overlay: Path) -> dict[str, dict[str, Any]]:
    if not overlay.is_file():
        return {}
    try:
        conn = sqlite3.connect(overlay)
        conn.row_factory = sqlite3.Row
        rows = conn.execute(f"SELECT {', '.join(schema.PLACE_COLUMNS)} FROM places").fetchall()
        conn.close()
    except sqlite3.DatabaseError as exc:
        raise GazetteerError(
            f"the overlay is not a gazetteer file: {exc}", where=str(overlay)
        ) from exc
    out = {}
    for r in rows:
        rec = dict(r)
        names = rec["names"].split("|") if rec["names"] else []
        rec["names"] = [n for n in names if n != rec["name"]]
        out[rec["id"][3:]] = rec
    return out


def import_gazetteer(csv_path: Path, overlay_path: Path) -> ImportSummary:
    """Read a COD or HXL place list and merge it into the overlay gazetteer file."""
    csv_path, overlay_path = Path(csv_path), Path(overlay_path)
    if not csv_path.is_file():
        raise GazetteerError("file not found", where=str(csv_path))
    places, n_rows = _parse(csv_path)
    merged = _existing(overlay_path)
    merged.update(places)
    tmp = overlay_path.with_name(overlay_path.name + ".tmp")
    if tmp.exists():
        tmp.unlink()
    conn = sqlite3.connect(tmp)
    try:
        schema.create(conn)
        schema.write_places(conn, (merged[c] for c in sorted(merged)))
        conn.execute("INSERT INTO meta VALUES ('source', 'user import')")
        conn.commit()
    finally:
        conn.close()
    tmp.replace(overlay_path)
    by_kind: dict[str, int] = defaultdict(int)
    for p in places.values():
        by_kind[p["kind"]] += 1
    return ImportSummary(overlay_path, n_rows, len(places), dict(by_kind))
