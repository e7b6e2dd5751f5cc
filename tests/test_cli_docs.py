"""docs/cli.md is generated from --help; it must cover every command as it is now."""

from __future__ import annotations

import importlib.util
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def _generator():
    spec = importlib.util.spec_from_file_location(
        "gen_cli_docs", REPO / "scripts" / "gen_cli_docs.py"
    )
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(module)
    return module


def test_cli_docs_are_up_to_date(update_golden: bool) -> None:
    generator = _generator()
    fresh = generator.render()
    target = REPO / "docs" / "cli.md"
    if update_golden:
        target.write_text(fresh, encoding="utf-8")
    assert target.exists(), "run: python scripts/gen_cli_docs.py"
    assert target.read_text(encoding="utf-8") == fresh, (
        "docs/cli.md is stale: run python scripts/gen_cli_docs.py and review the diff"
    )
    for command in (
        "demo",
        "ingest",
        "extract-file",
        "eval",
        "geocode",
        "total",
        "report",
        "export",
        "serve",
    ):
        assert f"## crisisdesk {command}" in fresh
