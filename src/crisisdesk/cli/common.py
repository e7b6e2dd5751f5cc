"""What every command shares: the --db and --json options, console output,
and turning library errors into one clear line and an exit code."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Any

import typer
from rich.console import Console

from crisisdesk.defaults import DEFAULT_DB_URL
from crisisdesk.errors import CrisisdeskError

DEFAULT_DB = DEFAULT_DB_URL

DbOption = Annotated[
    str,
    typer.Option(
        "--db",
        envvar="CRISISDESK_DB",
        help="Store URL: a SQLite file (default ./crisisdesk.sqlite) or postgresql://...",
    ),
]
JsonOption = Annotated[
    bool, typer.Option("--json", help="Print one JSON object on stdout instead of tables.")
]
# the engine of the heavy stages (ingest, extract-file): the result is the same whatever it is
WorkersOption = Annotated[
    int,
    typer.Option(
        "--workers",
        "-w",
        min=1,
        help="Worker processes of a local Dask cluster (1: this process); same result.",
    ),
]
SchedulerOption = Annotated[
    str | None,
    typer.Option("--scheduler", help="Address of a running Dask scheduler (tcp://HOST:PORT)."),
]

console = Console()
err_console = Console(stderr=True)


def emit_json(obj: Any) -> None:
    """Write one JSON object on stdout (no Rich markup, no wrapping)."""
    sys.stdout.write(json.dumps(obj, ensure_ascii=False, default=str) + "\n")


@contextmanager
def cli_errors(as_json: bool = False) -> Iterator[None]:
    """Turn a CrisisdeskError into one line on stderr (or a JSON error) and its exit code."""
    try:
        yield
    except CrisisdeskError as exc:
        if as_json:
            emit_json({"ok": False, "code": exc.code, "error": str(exc)})
        else:
            err_console.print(f"[bold red]error:[/] {exc}", highlight=False)
        raise typer.Exit(exc.exit_code) from exc
