"""``crisisdesk total`` and ``crisisdesk reconcile``: parse, call the library, render."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import date
from typing import Annotated, Any

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from crisisdesk.cli.common import DEFAULT_DB, DbOption, JsonOption, cli_errors, console, emit_json
from crisisdesk.errors import ConfigError, CrisisdeskError
from crisisdesk.model import Figure
from crisisdesk.reconcile import TotalResult, Why, reconcile_store, total
from crisisdesk.store import Store


def _day(value: str | None, option: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise ConfigError(f"{option} wants a date as YYYY-MM-DD, not {value!r}") from None


def open_gazetteer() -> Any:
    """The gazetteer when it is installed (regions, other spellings); else None, and
    places are matched through the names and codes stored with the facts."""
    try:
        from crisisdesk.geo import Gazetteer
    except ImportError:
        return None
    try:
        return Gazetteer.open()
    except (CrisisdeskError, OSError):
        return None


def _period(f: Figure) -> str:
    if f.date_start is None:
        return "undated"
    if f.date_start == f.date_end:
        return f.date_start.isoformat()
    return f"{f.date_start} to {f.date_end}"


def _n(v: int | None) -> str:
    return "?" if v is None else f"{v:,}"


def _figure_row(f: Figure) -> list[str]:
    evidence = "; ".join(sorted({fact.doc for fact in f.facts}))
    return [
        _n(f.best),
        f"{_n(f.low)}–{_n(f.high)}" if f.low != f.high else "",
        ", ".join(f.places) or "-",
        _period(f),
        ", ".join(f.sources) or "-",
        evidence,
    ]


SHOWN_LEFT_OUT = 40  # rows of the left-out table; --json lists every one
SHOWN_FLAGS = 20


# what each kind of exclusion is, to sum up the rows not shown
WHY_WORDS = {
    Why.PART_OF_TOTAL: "part of a total that is counted",
    Why.OUTSIDE_PERIOD: "runs outside the period asked for",
    Why.OTHER_UNIT: "counted in another unit",
    Why.BEYOND_PLACE: "names places beyond the one asked for",
    Why.NO_NUMBER: "gives no number",
    Why.UNDATED: "has no date",
    Why.SAME_REPORT: "a second number in the same report",
    Why.OVERLAPS: "overlaps a figure that is counted",
    Why.NOT_PLACED: "not placed (its places did not resolve)",
    Why.OTHER_COUNTRY: "in another country",
    Why.NOT_ATTACK: "damage not only from attacks",
}


def render_total(result: TotalResult, title: str) -> None:
    if result.figures:
        used = Table(title=f"Figures counted: {title}", show_lines=False)
        for col in ("best", "range", "place", "period", "sources", "documents"):
            used.add_column(col, justify="right" if col == "best" else "left")
        for f in result.figures:
            used.add_row(*_figure_row(f))
        console.print(used)
    if result.excluded:
        left = Table(title=f"Figures left out, and why ({len(result.excluded):,})")
        for col in ("best", "place", "period", "reason"):
            left.add_column(col, justify="right" if col == "best" else "left")
        for left_out in result.excluded[:SHOWN_LEFT_OUT]:
            f = left_out.figure
            left.add_row(_n(f.best), ", ".join(f.places) or "-", _period(f), left_out.reason)
        console.print(left)
        hidden = Counter(WHY_WORDS[code] for code in result.excluded.codes()[SHOWN_LEFT_OUT:])
        if hidden:
            kinds = "; ".join(f"{n:,} {kind}" for kind, n in hidden.most_common())
            console.print(
                f"[dim]and {hidden.total():,} more left out ({kinds}); --json lists them all[/]",
                highlight=False,
            )
    _render_not_placed(result)
    for flag in result.flags[:SHOWN_FLAGS]:
        console.print(f"[yellow]flag[/] {flag}", highlight=False)
    if len(result.flags) > SHOWN_FLAGS:
        codes = Counter(f.code for f in result.flags[SHOWN_FLAGS:])
        said = "; ".join(f"{n:,} {code}" for code, n in codes.most_common())
        more = len(result.flags) - SHOWN_FLAGS
        console.print(f"[dim]and {more:,} more flags ({said}); --json lists them all[/]",
                      highlight=False)  # fmt: skip
    for note in result.notes:
        console.print(f"[dim]{note}[/]", highlight=False)
    if not result.figures:  # a zero would read as "nobody was killed"
        console.print(f"[bold]no figure reported[/]: {title}", highlight=False)
        return
    console.print(
        f"[bold]best {result.best:,}[/]  (low {result.low:,}, high {result.high:,})"
        + (f" {result.unit}" if result.unit else ""),
        highlight=False,
    )


def _render_not_placed(result: TotalResult) -> None:
    """Figures counted nowhere because their places did not resolve, with their quotes."""
    missing = result.not_placed()
    if not missing:
        return
    table = Table(title=f"Not placed: not counted anywhere ({len(missing):,})")
    for col in ("best", "place as written", "quote"):
        table.add_column(col, justify="right" if col == "best" else "left", overflow="fold")
    for e in missing[:SHOWN_LEFT_OUT]:
        quote = " / ".join(dict.fromkeys(f.quote for f in e.figure.facts))
        table.add_row(_n(e.figure.best), ", ".join(e.figure.places) or "-", quote)
    console.print(table)


def _render_named(rows: Sequence[dict[str, Any]], title: str, why: str) -> None:
    """The figures ``reconcile`` flagged or could not place, each named: where to look."""
    if not rows:
        return
    console.print(f"[bold]{title}:[/]", highlight=False)
    for r in rows[:SHOWN_FLAGS]:
        period = r["date_start"] or "undated"
        if r["date_end"] and r["date_end"] != r["date_start"]:
            period += f" to {r['date_end']}"
        detail = "; ".join(r["flags"]) if why == "flags" else f"\u201c{r['quote']}\u201d"
        console.print(
            f"- figure {r['figure']}: {_n(r['best'])} {r['category']} ({r['unit']}), "
            f"{r['place'] or 'no place'}, {period}: {detail} (document {r['doc']})",
            highlight=False,
        )
    if len(rows) > SHOWN_FLAGS:
        console.print(f"[dim]and {len(rows) - SHOWN_FLAGS:,} more; --json lists them all[/]")


def register(app: typer.Typer) -> None:
    @app.command("total")
    def total_cmd(
        category: Annotated[
            str, typer.Option("--category", help="What is counted: killed, displaced...")
        ],
        unit: Annotated[
            str | None, typer.Option("--unit", help="people, families, events...")
        ] = None,
        place: Annotated[
            str | None,
            typer.Option("--place", help="A place name or code; includes places inside it."),
        ] = None,
        date_from: Annotated[
            str | None, typer.Option("--from", help="First day, YYYY-MM-DD.")
        ] = None,
        date_to: Annotated[str | None, typer.Option("--to", help="Last day, YYYY-MM-DD.")] = None,
        verified_only: Annotated[
            bool, typer.Option("--verified-only", help="Count only verified or corrected facts.")
        ] = False,
        db: DbOption = DEFAULT_DB,
        as_json: JsonOption = False,
    ) -> None:
        """How many: best, low and high, the figures counted, and those left out and why."""
        with cli_errors(as_json):
            start, end = _day(date_from, "--from"), _day(date_to, "--to")
            gazetteer = open_gazetteer() if place else None
            try:
                # rendered with the store open: left-out figures are read back as shown
                with Store.open(db) as store:
                    result = total(
                        store,
                        category=category,
                        unit=unit,
                        place=place,
                        date_from=start,
                        date_to=end,
                        verified_only=verified_only,
                        gazetteer=gazetteer,
                    )
                    if as_json:
                        emit_json(result.to_json())
                        return
                    title = " ".join(
                        x
                        for x in (
                            category,
                            result.unit or "",
                            f"in {place}" if place else "",
                            f"from {start}" if start else "",
                            f"to {end}" if end else "",
                        )
                        if x
                    )
                    render_total(result, title)
            finally:
                if gazetteer is not None:
                    gazetteer.close()

    @app.command("reconcile")
    def reconcile_cmd(
        db: DbOption = DEFAULT_DB,
        full: Annotated[
            bool,
            typer.Option(
                "--full",
                help="Recompute every figure (default: only the categories whose facts "
                "changed since the last run; the same figures either way).",
            ),
        ] = False,
        as_json: JsonOption = False,
    ) -> None:
        """Recompute the figures from the facts (same counts merged, totals linked to parts):
        by default only those new or changed facts can touch."""
        with cli_errors(as_json), Store.open(db) as store:
            if not full:
                from crisisdesk.reconcile.incremental import reconcile_changed

                changed = reconcile_changed(store)
                if as_json:
                    emit_json(changed.to_json())
                else:
                    again = ", ".join(changed.categories) or "nothing"
                    if changed.mode == "reach":
                        again = f"{changed.recomputed_facts:,} facts of {again}"
                    console.print(
                        f"{changed.facts:,} facts -> {changed.figures:,} figures "
                        f"({changed.mode}; recomputed: {again}); {changed.flagged:,} of the "
                        "recomputed figures flagged for review",
                        highlight=False,
                    )
                    _render_named(changed.flagged_figures, "Flagged for review", "flags")
                    _render_named(changed.not_placed, "Not placed (counted nowhere)", "quote")
                return
            if as_json:
                summary = reconcile_store(store)
                emit_json({"mode": "full", **summary.to_json()})
                return
            columns = (
                TextColumn("reconciling"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
            )
            with Progress(*columns, console=console, transient=True) as bar:
                task = bar.add_task("reconcile", total=None)
                summary = reconcile_store(
                    store,
                    progress=lambda done, whole: bar.update(task, completed=done, total=whole),
                )
            console.print(
                f"{summary.facts:,} facts -> {summary.figures:,} figures; "
                f"{summary.links:,} total/part links, {summary.conflicting:,} with conflicting "
                f"numbers, {summary.flagged:,} flagged for review",
                highlight=False,
            )
            _render_named(summary.flagged_figures, "Flagged for review", "flags")
            _render_named(summary.not_placed, "Not placed (counted nowhere)", "quote")
