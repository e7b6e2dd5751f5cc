"""``crisisdesk user add|list`` and ``crisisdesk serve`` against a real SQLite file."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from typer.testing import CliRunner

from crisisdesk.cli import build_app
from crisisdesk.store import Store
from crisisdesk.web.auth import verify_password


@pytest.fixture
def db(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'cli.sqlite'}"


def _run(*args: str, input: str | None = None):
    return CliRunner().invoke(build_app(), list(args), input=input)


def test_user_add_from_stdin_and_list(db):
    result = _run(
        "user",
        "add",
        "amal",
        "--role",
        "admin",
        "--password-stdin",
        "--db",
        db,
        input="a long passphrase\n",
    )
    assert result.exit_code == 0, result.output
    assert "amal" in result.output and "admin" in result.output
    with Store.open(db) as store:
        user = store.get_user("amal")
    assert user.role == "admin"
    assert verify_password(user.password_hash, "a long passphrase")
    assert "a long passphrase" not in user.password_hash

    listed = _run("user", "list", "--json", "--db", db)
    assert json.loads(listed.stdout) == {
        "ok": True,
        "users": [{"name": "amal", "role": "admin", "active": True}],
    }
    table = _run("user", "list", "--db", db)
    assert "amal" in table.output and "admin" in table.output


def test_user_add_prompts_twice(db):
    result = _run(
        "user",
        "add",
        "basel",
        "--role",
        "viewer",
        "--db",
        db,
        input="first password\nfirst password\n",
    )
    assert result.exit_code == 0, result.output
    assert "Password" in result.output and "Repeat for confirmation" in result.output
    mismatch = _run(
        "user",
        "add",
        "carla",
        "--db",
        db,
        input="one password\nanother one\none password\none password\n",
    )
    assert mismatch.exit_code == 0
    assert "do not match" in mismatch.output.lower()


@pytest.mark.parametrize(
    ("args", "stdin", "code", "message"),
    [
        (["--role", "boss"], "long enough pw\n", 2, "unknown role"),
        (["--role", "viewer"], "short\n", 2, "at least 8"),
        (["--role", "viewer"], "\n", 2, "no password"),
    ],
)
def test_user_add_refuses_bad_input(db, args, stdin, code, message):
    result = _run("user", "add", "dana", *args, "--password-stdin", "--db", db, input=stdin)
    assert result.exit_code == code
    assert message in result.output


def test_user_add_twice_is_a_conflict(db):
    _run("user", "add", "eli", "--password-stdin", "--db", db, input="long enough pw\n")
    again = _run(
        "user", "add", "eli", "--password-stdin", "--json", "--db", db, input="long enough pw\n"
    )
    assert again.exit_code == 7
    assert json.loads(again.stdout)["code"] == "conflict"


def test_list_with_no_users_says_how_to_start(db):
    result = _run("user", "list", "--db", db)
    assert result.exit_code == 0 and "crisisdesk user add NAME --role admin" in result.output


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_starts_on_loopback_and_says_how_to_add_an_admin(db, tmp_path):
    port = _free_port()
    log = tmp_path / "serve.log"
    with log.open("w") as out:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-c",
                "from crisisdesk.cli import main; main()",
                "serve",
                "--port",
                str(port),
                "--db",
                db,
            ],
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        body = ""
        for _ in range(150):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=2) as r:
                    body = r.read().decode()
                break
            except OSError:
                time.sleep(0.1)
        assert "Log in" in body
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/openapi.json", timeout=5) as r:
            assert "/api/facts" in json.loads(r.read())["paths"]
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    text = log.read_text()
    assert "No admin account yet" in text and "crisisdesk user add NAME --role admin" in text
    assert f"http://127.0.0.1:{port}/" in text
