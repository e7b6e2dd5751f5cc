"""``extract-file`` and ``eval``: the extract stage on files, and its score against gold facts."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import IO, Annotated, Any

import typer

from crisisdesk.cli.common import (
    JsonOption,
    SchedulerOption,
    WorkersOption,
    cli_errors,
    console,
    emit_json,
    err_console,
)
from crisisdesk.engine import Engine, extract_stream
from crisisdesk.errors import ExtractError, IngestError, ValidationError
from crisisdesk.extract import extract_document
from crisisdesk.ingest.jsonl import read_documents


def register(app: typer.Typer) -> None:
    app.command("extract-file")(extract_file)
    app.command("eval")(evaluate)


def extract_file(
    docs: Annotated[
        Path,
        typer.Argument(help="Documents as JSON lines (id, text, published...); - reads stdin."),
    ],
    output: Annotated[
        Path,
        typer.Option("-o", "--output", help="Where to write facts (JSON lines); - writes stdout."),
    ],
    workers: WorkersOption = 1,
    scheduler: SchedulerOption = None,
    as_json: JsonOption = False,
) -> None:
    """Extract facts from a documents file into a facts file (stateless, streamed).

    With ``-o -`` the facts go to stdout and the summary to stderr, so that the
    facts can be piped on."""
    with cli_errors(as_json):
        engine = Engine(workers=workers, scheduler=scheduler)
        size = docs.stat().st_size if _is_file(docs) else 0
        show = console.is_terminal and not as_json and not _is_stdio(output)
        with _open_documents(docs) as stream, _open_output(output) as out:
            bar = _ExtractProgress(size, show)
            with bar:
                done = extract_stream(stream, out, engine=engine, on_block=bar.advance)
        errors = done.errors
        summary = {
            "ok": not errors,
            "documents": done.documents,
            "facts": done.facts,
            "output": str(output),
            "errors": errors,
        }
        if as_json and _is_stdio(output):
            sys.stderr.write(json.dumps(summary, ensure_ascii=False) + "\n")
        elif as_json:
            emit_json(summary)
        else:
            (err_console if _is_stdio(output) else console).print(
                f"{done.documents} documents, {done.facts} facts -> {output}", highlight=False
            )
            for e in errors:
                err_console.print(f"[bold red]error:[/] {docs}: {e}", highlight=False)
        if errors:
            raise typer.Exit(ValidationError.exit_code)


class _ExtractProgress:
    """A bar over the input's bytes with documents per second and the time left; imports
    Rich's progress only when a terminal will show it (it costs start-up time)."""

    def __init__(self, total_bytes: int, show: bool) -> None:
        self.show = show
        self.total = total_bytes
        self.documents = 0
        self.started = time.perf_counter()
        self.progress: Any = None

    def __enter__(self) -> _ExtractProgress:
        if self.show:
            from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

            self.progress = Progress(
                TextColumn("extracting"),
                BarColumn(),
                TextColumn("{task.percentage:>3.0f}%"),
                TextColumn("{task.fields[docs]} docs, {task.fields[rate]} docs/s"),
                TimeRemainingColumn(),
                console=console,
                transient=True,
            )
            self.progress.__enter__()
            self.task = self.progress.add_task("extract", total=self.total, docs=0, rate="-")
        return self

    def advance(self, n_bytes: int, n_documents: int) -> None:
        self.documents += n_documents
        if self.progress is None:
            return
        elapsed = max(time.perf_counter() - self.started, 1e-6)
        self.progress.update(
            self.task,
            advance=n_bytes,
            docs=f"{self.documents:,}",
            rate=f"{self.documents / elapsed:,.0f}",
        )

    def __exit__(self, *exc: object) -> None:
        if self.progress is not None:
            self.progress.__exit__(*exc)


def _is_stdio(path: Path) -> bool:
    """``-`` stands for standard input or output, as in every Unix tool."""
    return str(path) == "-"


def _is_file(path: Path) -> bool:
    return not _is_stdio(path) and path.is_file()


def _open_documents(path: Path) -> IO[str] | _Borrowed:
    """Open a documents file for reading, or raise an ExtractError naming it."""
    if _is_stdio(path):
        return _Borrowed(sys.stdin)
    try:
        return path.open(encoding="utf-8")
    except OSError as exc:
        raise ExtractError(f"cannot read documents file: {exc.strerror}", where=str(path)) from exc


class _open_output:
    """Open the facts file for writing, turning OS errors into an ExtractError."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def __enter__(self):  # noqa: ANN204 - a plain text stream
        if _is_stdio(self.path):
            self.fh = _Borrowed(sys.stdout)
            return self.fh
        try:
            self.fh = self.path.open("w", encoding="utf-8")
        except OSError as exc:
            raise ExtractError(
                f"cannot write facts file: {exc.strerror}", where=str(self.path)
            ) from exc
        return self.fh

    def __exit__(self, *exc: object) -> None:
        self.fh.close()


class _Borrowed:
    """A standard stream lent to a ``with`` block: flushed, never closed, at its end."""

    def __init__(self, stream: IO[str]) -> None:
        self.stream = stream

    def __getattr__(self, name: str) -> Any:
        return getattr(self.stream, name)

    def __iter__(self):  # noqa: ANN204 - the stream's own lines
        return iter(self.stream)

    def __enter__(self) -> _Borrowed:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stream.flush()

    def close(self) -> None:
        self.stream.flush()


def _load_jsonl(path: Path, what: str) -> list[dict]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise ExtractError(f"cannot read {what} file: {exc.strerror}", where=str(path)) from exc
    out = []
    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        try:
            obj = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise ValidationError(
                f"not valid JSON ({exc.msg})", where=f"{path}: line {number}"
            ) from exc
        if not isinstance(obj, dict):
            raise ValidationError("each line must be a JSON object", where=f"{path}: line {number}")
        out.append(obj)
    return out


def evaluate(
    docs: Annotated[Path, typer.Option("--docs", help="Documents as JSON lines.")],
    gold: Annotated[Path, typer.Option("--gold", help="Gold facts as JSON lines.")],
    pred: Annotated[
        Path | None, typer.Option("--pred", help="Predicted facts; default: run the extractor.")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Score facts against gold facts (the referee's numbers), then list misses and false
    alarms grouped by cause."""
    # imported here: extract-file, the other command of this module, never scores
    from crisisdesk.evaluate import diagnose, format_diagnosis, format_score, score

    with cli_errors(as_json):
        texts: dict[str, str] = {}
        predicted: list[dict] = []
        with _open_documents(docs) as stream:
            for item in read_documents(stream):
                if isinstance(item, IngestError):
                    raise ValidationError(item.message, where=f"{docs}: {item.where}")
                texts[item.id] = item.text
                if pred is None:
                    predicted.extend(f.to_json() for f in extract_document(item))
        gold_facts = _load_jsonl(gold, "gold")
        if pred is not None:
            predicted = _load_jsonl(pred, "predictions")
        result = score(texts, gold_facts, predicted)
        report = diagnose(texts, gold_facts, predicted)
        if as_json:
            emit_json({"ok": True, "score": result, "diagnosis": report})
            return
        sys.stdout.write(format_score(result) + "\n\n" + format_diagnosis(report) + "\n")
