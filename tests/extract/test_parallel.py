"""Parallel extraction (Dask, worker processes) writes exactly what one process writes."""

from __future__ import annotations

import io
import json
from pathlib import Path

from typer.testing import CliRunner

from crisisdesk.cli import build_app
from crisisdesk.extract.parallel import extract_lines_parallel

TOWNS = ["Sarmin", "Binnish", "Taftanaz", "Ariha", "Atarib"]


def _documents_file(path: Path, bad_line: int) -> list[str]:
    lines = []
    for i in range(24):
        town = TOWNS[i % len(TOWNS)]
        text = f"Shelling killed {i + 2} civilians in {town} on Monday, rescuers said."
        lines.append(json.dumps({"id": f"d{i}", "published": "2020-02-12", "text": text}))
    lines.insert(bad_line - 1, '{"id": "broken", "text": ')
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return lines


def test_blocks_in_order_with_bad_line_numbers(tmp_path: Path) -> None:
    docs = tmp_path / "docs.jsonl"
    _documents_file(docs, bad_line=8)
    out = io.StringIO()
    with docs.open(encoding="utf-8") as stream:
        summary = extract_lines_parallel(stream, out, workers=2, block_lines=5)
    facts = [json.loads(line) for line in out.getvalue().splitlines()]
    assert summary.documents == 24 and summary.facts == len(facts) == 24
    assert [f["value"] for f in facts] == [i + 2 for i in range(24)]  # input order kept
    assert [(e.line, "JSON" in e.message) for e in summary.errors] == [(8, True)]


def test_cli_workers_give_the_same_file(tmp_path: Path) -> None:
    docs = tmp_path / "docs.jsonl"
    _documents_file(docs, bad_line=20)
    one, two = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    app = build_app()
    first = CliRunner().invoke(app, ["extract-file", str(docs), "-o", str(one), "--json"])
    second = CliRunner().invoke(
        app, ["extract-file", str(docs), "-o", str(two), "--workers", "2", "--json"]
    )
    assert first.exit_code == second.exit_code == 2  # the bad line is reported either way
    assert json.loads(first.stdout)["errors"] == json.loads(second.stdout)["errors"]
    assert one.read_bytes() == two.read_bytes() and one.stat().st_size > 0
