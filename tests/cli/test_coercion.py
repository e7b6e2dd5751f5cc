"""Plain option values are read without Pydantic (start-up time), with Typer's results and
Typer's messages for values they cannot take."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Annotated

import typer
from typer.testing import CliRunner

from crisisdesk.cli import build_app  # installs the plain coercion

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "extract"
runner = CliRunner()


def test_extract_file_starts_without_pydantic(tmp_path: Path) -> None:
    out = tmp_path / "facts.jsonl"
    code = (
        "import sys\n"
        "from crisisdesk.cli import main\n"
        f"sys.argv = ['crisisdesk', 'extract-file', {str(FIXTURES / 'docs.jsonl')!r},"
        f" '-o', {str(out)!r}, '-w', '1']\n"
        "try:\n    main()\nexcept SystemExit as e:\n    assert not e.code, e.code\n"
        "print('pydantic' in sys.modules)\n"
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )
    assert done.stdout.strip().splitlines()[-1] == "False"
    assert out.read_text(encoding="utf-8").count("\n") > 0


def _words(output: str) -> str:
    """The message without the box Rich draws around it."""
    return " ".join(output.replace("│", " ").split())


def test_values_it_cannot_take_get_typers_messages(tmp_path: Path) -> None:
    docs = str(FIXTURES / "docs.jsonl")
    out = str(tmp_path / "facts.jsonl")
    low = runner.invoke(build_app(), ["extract-file", docs, "-o", out, "-w", "0"])
    word = runner.invoke(build_app(), ["extract-file", docs, "-o", out, "-w", "two"])
    assert low.exit_code == word.exit_code == 2
    assert "greater than or equal to 1" in _words(low.output)
    assert "valid integer" in _words(word.output)


def test_plain_values_are_converted_as_typer_does() -> None:
    app = typer.Typer()
    seen: dict[str, object] = {}

    @app.command()
    def cmd(
        path: Path,
        n: Annotated[int, typer.Option(min=1)] = 1,
        name: str = "x",
        flag: bool = False,
    ) -> None:
        seen.update(path=path, n=n, name=name, flag=flag)

    result = runner.invoke(app, ["a/b.txt", "--n", "7", "--name", "zed", "--flag"])
    assert result.exit_code == 0, result.output
    assert seen == {"path": Path("a/b.txt"), "n": 7, "name": "zed", "flag": True}
    assert type(seen["path"]) is type(Path("a")) and type(seen["n"]) is int
    result = runner.invoke(app, ["a/b.txt"])
    assert seen["n"] == 1 and seen["flag"] is False and seen["name"] == "x"
