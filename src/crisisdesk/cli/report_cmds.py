"""``crisisdesk report`` and ``crisisdesk export``: the store out to readers and their tools."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from crisisdesk.cli.common import DEFAULT_DB, DbOption, JsonOption, cli_errors, console, emit_json
from crisisdesk.errors import ConfigError
from crisisdesk.report import FORMATS, export, write_report
from crisisdesk.report.exporters import aggregate_path
from crisisdesk.store import Store


def _day(value: str | None, option: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError as exc:
        raise ConfigError(f"{option} must be a date like 2020-01-31, not {value!r}") from exc


def _check_place(store: Store, place: str) -> None:
    """An unknown --place is an error naming the nearest known names (exit code 5)."""
    from crisisdesk.cli.total_cmds import open_gazetteer
    from crisisdesk.reconcile import check_place

    gazetteer = open_gazetteer()
    try:
        check_place(store, place, gazetteer)
    finally:
        if gazetteer is not None:
            gazetteer.close()


def register(app: typer.Typer) -> None:
    @app.command()
    def report(
        out: Annotated[Path, typer.Option("--out", "-o", help="OUT.html or OUT.pdf")],
        date_from: Annotated[
            str | None, typer.Option("--from", help="First day covered (YYYY-MM-DD).")
        ] = None,
        date_to: Annotated[
            str | None, typer.Option("--to", help="Last day covered (YYYY-MM-DD).")
        ] = None,
        place: Annotated[
            str | None, typer.Option("--place", help="A place name, place id or admin code.")
        ] = None,
        category: Annotated[
            list[str] | None,
            typer.Option("--category", help="Only these categories (repeat the option)."),
        ] = None,
        verified_only: Annotated[
            bool, typer.Option("--verified-only", help="Only figures a reviewer verified.")
        ] = False,
        db: DbOption = DEFAULT_DB,
        as_json: JsonOption = False,
    ) -> None:
        """Write a situation report (HTML, or PDF by the suffix of -o).

        Key figures with their ranges, charts over time, a map, a table with a
        footnote quoting the source of every number, and the checks' flags.
        """
        with cli_errors(as_json):
            start, end = _day(date_from, "--from"), _day(date_to, "--to")
            with Store.open(db) as store:
                if place:
                    _check_place(store, place)
                path = write_report(
                    store,
                    out,
                    date_from=start,
                    date_to=end,
                    place=place,
                    categories=category or None,
                    verified_only=verified_only,
                )
            if as_json:
                emit_json({"ok": True, "path": str(path), "format": path.suffix.lstrip(".")})
            else:
                console.print(f"Report written to [bold]{path}[/]")

    @app.command("export")
    def export_cmd(
        fmt: Annotated[str, typer.Option("--format", "-f", help=f"One of: {', '.join(FORMATS)}.")],
        out: Annotated[Path, typer.Option("--out", "-o", help="File to write.")],
        verified_only: Annotated[
            bool, typer.Option("--verified-only", help="Only facts a reviewer verified.")
        ] = False,
        db: DbOption = DEFAULT_DB,
        as_json: JsonOption = False,
    ) -> None:
        """Export facts with their evidence: csv, hxl (HDX), geojson (QGIS), json, jsonl, acled.

        Every row carries the document id, quote and offsets of its number and
        the document's title, publisher, date and link. GeoJSON holds only
        facts whose place has coordinates. json is one JSON array; jsonl one
        fact per line. acled holds one row per attack incident (one day, one
        place, with its fatalities); aggregate counts go to OUT.aggregates.csv.
        """
        with cli_errors(as_json):
            with Store.open(db) as store:
                rows = export(store, fmt, out, verified_only=verified_only)
            extra: dict[str, str] = {}
            if fmt.strip().lower() == "acled":
                extra["aggregates"] = str(aggregate_path(out))
            if as_json:
                emit_json({"ok": True, "path": str(out), "format": fmt, "rows": rows, **extra})
            else:
                console.print(f"{rows} rows written to [bold]{out}[/] ({fmt})")
                if extra:
                    console.print(
                        f"aggregate figures (monthly counts, tallies, area-wide or multi-day "
                        f"counts) written to [bold]{extra['aggregates']}[/], not as events"
                    )
