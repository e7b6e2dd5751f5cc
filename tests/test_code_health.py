"""House rules that CI enforces: small modules, no print in the library, help on every command."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "crisisdesk"
MAX_LINES = 800


def _modules() -> list[Path]:
    return sorted(p for p in SRC.rglob("*.py") if "migrations" not in p.parts)


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(SRC)))
def test_module_is_small(path: Path) -> None:
    lines = path.read_text(encoding="utf-8").count("\n")
    assert lines <= MAX_LINES, f"{path.name} has {lines} lines; split it by purpose"


@pytest.mark.parametrize(
    "path",
    [p for p in _modules() if "cli" not in p.relative_to(SRC).parts],
    ids=lambda p: str(p.relative_to(SRC)),
)
def test_library_code_does_not_print(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    calls = [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "print"
    ]
    assert not calls, f"print() at lines {calls}: use logging; only cli/ writes to the console"


def test_every_command_has_help() -> None:
    import typer.main

    from crisisdesk.cli import build_app

    group = typer.main.get_command(build_app())
    missing = []
    for name, command in group.commands.items():  # type: ignore[attr-defined]
        subcommands = getattr(command, "commands", None) or {name: command}
        for sub_name, sub in subcommands.items():
            if not (sub.help or "").strip():
                missing.append(f"{name} {sub_name}".strip())
    assert not missing, f"commands without help text: {missing}"
    assert {"demo", "ingest"} <= set(group.commands)  # type: ignore[attr-defined]


def test_test_module_names_are_unique() -> None:
    """Test folders are not packages, so two test files with one name break collection."""
    tests = Path(__file__).resolve().parent
    seen: dict[str, Path] = {}
    clashes = []
    for path in sorted(tests.rglob("*.py")):
        if path.name == "conftest.py" or "fixtures" in path.parts:
            continue
        if path.name in seen:
            clashes.append(f"{seen[path.name]} and {path}")
        seen[path.name] = path
    assert not clashes, clashes


def test_every_command_has_an_owner_module() -> None:
    """Running one command loads only its module; the map must name every command."""
    import typer.main

    from crisisdesk.cli import COMMAND_OWNERS, build_app

    group = typer.main.get_command(build_app())
    assert set(group.commands) == set(COMMAND_OWNERS)  # type: ignore[attr-defined]
    for name, module in COMMAND_OWNERS.items():
        alone = typer.main.get_command(build_app(name))
        assert name in alone.commands, (name, module)  # type: ignore[attr-defined]
