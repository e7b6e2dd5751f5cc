"""`crisisdesk geocode` and `crisisdesk gazetteer import`: thin calls into crisisdesk.geo."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from crisisdesk.cli.common import JsonOption, cli_errors, console, emit_json
from crisisdesk.geo import Gazetteer, default_overlay_path, import_gazetteer

OverlayOption = Annotated[
    Path | None,
    typer.Option(
        "--gazetteer-overlay",
        help="User gazetteer file (default: $CRISISDESK_GAZETTEER_OVERLAY or "
        "./crisisdesk-gazetteer.sqlite).",
    ),
]


def _place_json(gaz: Gazetteer, place_id: str, score: float | None = None) -> dict[str, Any]:
    p = gaz.get(place_id)
    out: dict[str, Any] = {
        "id": p.id,
        "name": p.name,
        "kind": p.kind,
        "country": p.country,
        "admin1": p.admin1,
        "admin1_code": p.admin1_code,
        "admin2": p.admin2,
        "admin2_code": p.admin2_code,
        "lat": p.lat,
        "lon": p.lon,
        "source": p.source,
    }
    if score is not None:
        out["score"] = round(score, 3)
    return out


def _within(admin2: str | None, admin1: str | None) -> str:
    return ", ".join(a for a in (admin2, admin1) if a)


def _lat_lon(lat: float | None, lon: float | None) -> str:
    return f"{lat:.4f}, {lon:.4f}" if lat is not None and lon is not None else ""


def geocode(
    name: Annotated[str, typer.Argument(help="A place name as written, in any spelling.")],
    country: Annotated[
        str | None, typer.Option("--country", help="ISO country code to restrict to (SY).")
    ] = None,
    within: Annotated[
        str | None, typer.Option("--within", help="An admin area the place must lie in.")
    ] = None,
    overlay: OverlayOption = None,
    as_json: JsonOption = False,
) -> None:
    """Resolve a place name: the best match and the other candidates."""
    with cli_errors(as_json), Gazetteer.open(overlay=overlay or default_overlay_path()) as gaz:
        best = gaz.resolve(name, country=country, within=within)
        if best.place_id is None:
            from crisisdesk.geo.nearest import unknown_place

            raise unknown_place(gaz, name, country=country, within=within)
        others = [
            _place_json(gaz, p.id, s)
            for p, s in gaz.candidates(name, country=country, within=within)
            if p.id != best.place_id
        ][:5]
        result = {"ok": True, **best.to_json(), "other_candidates": others}
    if as_json:
        emit_json(result)
        return
    if best.place_id is not None:
        console.print(
            f"best: {best.place_id} {best.canonical} ({best.kind}; precision {best.precision}; "
            f"score {best.score:.2f})",
            highlight=False,
        )
    for o in others:
        console.print(f"also: {o['id']} {o['name']} ({o['kind']}, {o['country']})", highlight=False)
    # Seven columns, so that a long name wraps at word breaks in an 80-column terminal
    # instead of being cut ("Ma‘a…") or broken letter by letter.
    table = Table("", "id", "name", "kind", "in", "lat, lon", "score")
    for column in table.columns:
        column.overflow = "fold"
    for i in (0, 1, 3, 5, 6):  # short values: never folded
        table.columns[i].no_wrap = True
    if best.place_id is not None:
        table.add_row(
            "best",
            best.place_id,
            best.canonical,
            best.kind,
            _within(best.admin2, best.admin1),
            _lat_lon(best.lat, best.lon),
            f"{best.score:.2f}",
        )
    for o in others:
        table.add_row(
            "",
            o["id"],
            o["name"],
            o["kind"],
            _within(o["admin2"], o["admin1"]),
            _lat_lon(o["lat"], o["lon"]),
            f"{o['score']:.2f}",
        )
    if table.row_count:
        console.print(table)


def import_cmd(
    file: Annotated[Path, typer.Argument(help="COD-style CSV with P-codes, or HXL-tagged CSV.")],
    overlay: OverlayOption = None,
    as_json: JsonOption = False,
) -> None:
    """Import your own place list; its entries take precedence over the bundled gazetteer."""
    with cli_errors(as_json):
        summary = import_gazetteer(file, overlay or default_overlay_path())
    if as_json:
        emit_json(
            {
                "ok": True,
                "overlay": str(summary.overlay_path),
                "rows": summary.rows,
                "places": summary.places,
                "by_kind": summary.by_kind,
            }
        )
        return
    kinds = ", ".join(f"{n} {k}" for k, n in sorted(summary.by_kind.items()))
    console.print(
        f"imported {summary.places} places ({kinds}) from {summary.rows} rows "
        f"into {summary.overlay_path}"
    )


def register(app: typer.Typer) -> None:
    app.command("geocode")(geocode)
    gazetteer = typer.Typer(help="Manage the gazetteer: import your own place lists.")
    gazetteer.command("import")(import_cmd)
    app.add_typer(gazetteer, name="gazetteer")
