"""``crisisdesk demo`` and ``crisisdesk ingest``: files into the store."""

from __future__ import annotations

import importlib.resources
from collections import Counter
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from crisisdesk.cli.common import (
    DEFAULT_DB,
    DbOption,
    JsonOption,
    SchedulerOption,
    WorkersOption,
    cli_errors,
    console,
    emit_json,
    err_console,
)
from crisisdesk.errors import ValidationError
from crisisdesk.pipeline import IngestReport, Pipeline
from crisisdesk.store import Store


def examples_dir() -> Path:
    """The example reports that ship inside the package."""
    return Path(str(importlib.resources.files("crisisdesk") / "examples"))


def _progress(enabled: bool) -> Progress:
    return Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.fields[current]}", style="dim"),
        console=err_console,
        disable=not enabled,
        transient=True,
    )


def run_ingest(
    store: Store, paths: list[Path], *, show_progress: bool, allow_duplicate: bool = False
) -> IngestReport:
    """Ingest files with a progress bar over files (the CLI's view of the pipeline)."""
    from crisisdesk.ingest import expand_paths_noting, read_file

    files, not_read = expand_paths_noting(paths)
    pipeline = Pipeline.build()
    report = IngestReport(skipped_files=not_read)
    with _progress(show_progress) as progress:
        task = progress.add_task("Ingesting", total=len(files), current="")
        for path in files:
            progress.update(task, current=path.name)
            part = pipeline.ingest(store, read_file(path), allow_duplicate=allow_duplicate)
            report.added += part.added
            report.duplicates += part.duplicates
            report.skipped += part.skipped
            report.failed += part.failed
            report.facts += part.facts
            report.languages.update(part.languages)
            progress.advance(task)
    return report


def run_ingest_engine(
    store: Store,
    paths: list[Path],
    workers: int,
    scheduler: str | None,
    *,
    show: bool,
    allow_duplicate: bool = False,
) -> IngestReport:
    """The streaming ingest on an engine (a cluster, or a .gz/.tar input), else the
    per-file one; both store the same documents and facts."""
    from crisisdesk.engine import Engine, ingest_stream
    from crisisdesk.ingest.stream import input_bytes, is_streamed

    engine = Engine(workers=workers, scheduler=scheduler)
    if engine.local and not any(is_streamed(p) for p in paths):
        return run_ingest(store, paths, show_progress=show, allow_duplicate=allow_duplicate)
    from crisisdesk.cli.extract_cmds import _ExtractProgress

    with _ExtractProgress(input_bytes(paths), show and console.is_terminal) as bar:
        done = ingest_stream(
            store, paths, Pipeline.build, engine=engine, on_block=bar.advance,
            allow_duplicate=allow_duplicate,
        )  # fmt: skip
    return IngestReport(
        done.added, done.skipped, done.failed, done.facts, done.languages,
        duplicates=done.duplicates,
    )  # fmt: skip


def _print_ingest(report: IngestReport) -> None:
    by_language = Counter(report.languages.get(d) or "unknown" for d in report.added)
    languages = ", ".join(f"{lang} {n}" for lang, n in sorted(by_language.items()))
    console.print(
        f"[bold green]{len(report.added)}[/] documents added"
        f"{f' ({languages})' if languages else ''}, "
        f"{len(report.skipped)} already stored, {report.facts} facts extracted.",
        highlight=False,
    )
    for where, message in report.failed:
        err_console.print(f"[bold red]error:[/] {where}: {message}", highlight=False)
    for doc_id, of in report.duplicates:
        console.print(
            f"[yellow]warning:[/] {doc_id} repeats the stored document {of}; its figures are "
            "not counted again (--allow-duplicate counts them)",
            highlight=False,
        )
    if report.skipped_files:
        from crisisdesk.ingest import KNOWN_SUFFIXES

        console.print(
            f"{len(report.skipped_files)} files in the folders given were not read "
            f"(folders are read for {', '.join(sorted(KNOWN_SUFFIXES))}; name a file to "
            "read it whatever its suffix):",
            highlight=False,
        )
    for where, why in report.skipped_files:
        console.print(f"  [yellow]skipped[/] {where}: {why}", highlight=False, soft_wrap=True)


def _short_list(names: str, keep: int = 2) -> str:
    """'A, B, C, D' -> 'A, B +2': the table stays readable in an 80-column terminal."""
    parts = [p.strip() for p in names.split(",") if p.strip()]
    extra = len(parts) - keep
    return ", ".join(parts[:keep]) + (f" +{extra}" if extra > 0 else "")


def register(app: typer.Typer) -> None:
    @app.command()
    def ingest(
        paths: Annotated[list[Path], typer.Argument(help="Files or folders to read.")],
        db: DbOption = DEFAULT_DB,
        workers: WorkersOption = 1,
        scheduler: SchedulerOption = None,
        as_json: JsonOption = False,
        allow_duplicate: Annotated[
            bool,
            typer.Option(
                "--allow-duplicate",
                help="Count the figures of a report that repeats a stored one (the same "
                "report typeset again); by default it is kept but not counted twice.",
            ),
        ] = False,
    ) -> None:
        """Read reports (text, HTML, PDF, JSON lines plain or .gz, tars, ACLED/HXL CSV)
        into the store.

        Each document and its facts are written in one transaction (with
        --workers/--scheduler or a .gz/.tar input: a block of documents per
        transaction, streamed in constant memory); a document already stored
        (same text) is skipped, so re-running is always safe. A bad file is
        reported with the reason and the rest still go in. A report that repeats a
        stored one with other line breaks (a PDF of the same text) is named with a
        warning and its figures are not counted twice.
        """
        with cli_errors(as_json), Store.open(db) as store:
            report = run_ingest_engine(
                store, paths, workers, scheduler, show=not as_json, allow_duplicate=allow_duplicate
            )
        if as_json:
            emit_json({"ok": report.ok, **report.to_json()})
        else:
            _print_ingest(report)
        if not report.ok:
            raise typer.Exit(3)

    @app.command()
    def duplicate(
        doc_id: Annotated[str, typer.Argument(help="The stored document's id.")],
        of: Annotated[
            str | None,
            typer.Option(
                "--of",
                help="Mark it a repeat of this stored document: its "
                "figures stop counting (rejected, audited).",
            ),
        ] = None,
        count: Annotated[
            bool,
            typer.Option(
                "--count",
                help="Count a repeat's figures after all (extracted "
                "now when it was stored without them).",
            ),
        ] = False,
        user: Annotated[str, typer.Option("--user", help="Who, for the audit log.")] = "cli",
        db: DbOption = DEFAULT_DB,
        as_json: JsonOption = False,
    ) -> None:
        """Count a near-duplicate report after all (--count), or mark a counted report a
        repeat of another (--of ID) so its figures are not counted twice.

        Totals follow at the next `crisisdesk reconcile`; the audit log names --user.
        """
        with cli_errors(as_json), Store.open(db) as store:
            if count == (of is not None):
                raise ValidationError("give exactly one of --of ID and --count", where="--of")
            if count:
                changed = Pipeline.build().count_repeat(store, doc_id, user=user)
            else:
                changed = store.mark_duplicate(doc_id, str(of), user=user)
            standing = store.counting(doc_id)
        if as_json:
            emit_json({"ok": True, "document": doc_id, "duplicate_of": standing.duplicate_of,
                       "counted": standing.counted, "changed": changed})  # fmt: skip
        else:
            state = "counted" if standing.counted else "not counted"
            typer.echo(f"{doc_id}: {len(changed)} figure(s) changed; its figures are {state} "
                       "(run `crisisdesk reconcile` for the totals)")  # fmt: skip

    @app.command()
    def demo(
        db: DbOption = DEFAULT_DB,
        out_dir: Annotated[
            Path, typer.Option("--out-dir", help="Where to write sitrep.html and sitrep.pdf.")
        ] = Path("."),
        pdf: Annotated[bool, typer.Option(help="Also render sitrep.pdf.")] = True,
        as_json: JsonOption = False,
    ) -> None:
        """Run the main job on the bundled example reports.

        Ingests the examples into a SQLite file, extracts and reconciles their
        figures, writes a situation report (sitrep.html and sitrep.pdf) and
        prints the headline figures.
        """
        from crisisdesk.reconcile import reconcile_store
        from crisisdesk.report import summary_rows, write_report

        with cli_errors(as_json):
            out_dir.mkdir(parents=True, exist_ok=True)
            with Store.open(db) as store:
                report = run_ingest(store, [examples_dir()], show_progress=not as_json)
                reconcile_store(store)
                outputs = [write_report(store, out_dir / "sitrep.html")]
                if pdf:
                    outputs.append(write_report(store, out_dir / "sitrep.pdf"))
                rows = summary_rows(store)
        if as_json:
            emit_json(
                {
                    "ok": report.ok,
                    "ingest": report.to_json(),
                    "outputs": [str(p) for p in outputs],
                    "summary": rows,
                }
            )
            return
        _print_ingest(report)
        table = Table(title="Headline figures (bundled examples)")
        for column in ("figure", "best", "range", "figures", "sources"):
            table.add_column(column, justify="left" if column in ("figure", "sources") else "right")
        for row in rows:
            low, high = row.get("low"), row.get("high")
            spread = f"{low:,}–{high:,}" if low is not None and high not in (None, low) else ""
            best = row.get("best")
            table.add_row(
                str(row.get("label")),
                f"{best:,}" if isinstance(best, int) else "—",
                spread,
                str(row.get("figures", "")),
                _short_list(str(row.get("sources") or "")),
            )
        console.print(table)
        for path in outputs:
            console.print(f"wrote [bold]{path}[/]")
