"""``crisisdesk user add|list`` and ``crisisdesk serve`` against a real SQLite file."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.request
from datetime import timedelta
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
        (["--role", "viewer"], "short\n", 2, "at least 12"),
        (["--role", "viewer"], "password1234\n", 2, "too common"),
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


def _user_cmd(db: str, *args: str, stdin: str | None = None) -> dict:
    result = _run("user", *args, "--json", "--db", db, input=stdin)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_role_deactivate_reset_and_sessions(db):
    _run("user", "add", "fadi", "--password-stdin", "--db", db, input="a long passphrase\n")
    with Store.open(db) as store:
        store.create_session("t" * 43, "fadi", "c", lifetime=timedelta(hours=1))
        store.create_session("u" * 43, "fadi", "c", lifetime=timedelta(hours=1))
    assert _user_cmd(db, "role", "fadi", "admin")["user"]["role"] == "admin"
    listed = _user_cmd(db, "sessions", "fadi")["sessions"]
    assert len(listed) == 2 and {s["user"] for s in listed} == {"fadi"}
    assert "t" * 43 not in json.dumps(listed)  # the store keeps only a hash of the id
    assert _user_cmd(db, "end-sessions", "fadi")["ended"] == 2
    assert _user_cmd(db, "sessions", "fadi")["sessions"] == []
    with Store.open(db) as store:
        store.create_session("v" * 43, "fadi", "c", lifetime=timedelta(hours=1))
    reset = _user_cmd(
        db, "reset-password", "fadi", "--password-stdin", stdin="another passphrase\n"
    )
    assert reset["ended"] == 1
    with Store.open(db) as store:
        assert verify_password(store.get_user("fadi").password_hash, "another passphrase")
    assert _user_cmd(db, "deactivate", "fadi")["user"]["active"] is False
    assert _user_cmd(db, "activate", "fadi")["user"]["active"] is True
    unknown = _run("user", "role", "nobody", "viewer", "--json", "--db", db)
    assert unknown.exit_code != 0 and json.loads(unknown.stdout)["code"] == "not_found"
    weak = _run(
        "user", "reset-password", "fadi", "--password-stdin", "--db", db, input="fadi12345678\n"
    )
    assert weak.exit_code == 2 and "name" in weak.output


def test_serve_refuses_a_short_secret_key(db, monkeypatch):
    monkeypatch.setenv("CRISISDESK_SECRET_KEY", "a")
    result = _run("serve", "--db", db)
    assert result.exit_code != 0
    assert "at least 32" in result.output


def test_serve_makes_a_key_kept_beside_the_store(db, tmp_path):
    from crisisdesk.accounts import secret_key

    key, made = secret_key(db, None)
    assert made == tmp_path / "secret.key" and len(key) >= 32
    assert oct(made.stat().st_mode & 0o777) == "0o600"
    assert secret_key(db, None) == (key, None)  # the same key next time, made once
