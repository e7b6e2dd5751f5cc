"""``crisisdesk serve`` (the review desk) and ``crisisdesk user`` (accounts)."""

from __future__ import annotations

import os
import sys
from typing import Annotated

import typer
from rich.table import Table

from crisisdesk.cli.common import (
    DEFAULT_DB,
    DbOption,
    JsonOption,
    cli_errors,
    console,
    emit_json,
    err_console,
)
from crisisdesk.errors import ValidationError

ROLES = ("viewer", "analyst", "admin")

user_app = typer.Typer(help="Accounts of the review desk.", no_args_is_help=True)


def serve(
    host: Annotated[str, typer.Option(help="Address to listen on (loopback by default).")] = (
        "127.0.0.1"
    ),
    port: Annotated[int, typer.Option(help="TCP port.", min=1, max=65535)] = 8000,
    db: DbOption = DEFAULT_DB,
) -> None:
    """Start the review desk (HTTP API under /api and the web page)."""
    import uvicorn

    from crisisdesk.store import Store

    with cli_errors():
        store = Store.open(db)
        try:
            admins = [u for u in store.list_users() if u.role == "admin"]
        finally:
            store.close()
    if not admins:
        err_console.print(
            "[yellow]No admin account yet.[/] Create one first:\n"
            f"  crisisdesk user add NAME --role admin --db {db}",
            highlight=False,
        )
    if host not in ("127.0.0.1", "localhost", "::1"):
        err_console.print(
            f"[yellow]warning:[/] listening on {host}: put HTTPS in front of it "
            "(session cookies are marked Secure only over https)",
            highlight=False,
        )
    if not os.environ.get("CRISISDESK_SECRET_KEY"):
        err_console.print(
            "[dim]CRISISDESK_SECRET_KEY is not set: sessions end when the server restarts.[/]"
        )
    os.environ["CRISISDESK_DB"] = db
    console.print(f"crisisdesk review desk on http://{host}:{port}/  (API docs: /api/docs)")
    uvicorn.run("crisisdesk.web.app:app_from_env", factory=True, host=host, port=port)


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    if not password:
        raise ValidationError("no password given", where="password")
    return password


@user_app.command("add")
def user_add(
    name: Annotated[str, typer.Argument(help="Login name.")],
    role: Annotated[str, typer.Option(help="viewer, analyst or admin.")] = "analyst",
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from stdin (scripts).")
    ] = False,
    db: DbOption = DEFAULT_DB,
    as_json: JsonOption = False,
) -> None:
    """Create an account (the password is asked twice, or read from stdin)."""
    from crisisdesk.accounts import hash_password
    from crisisdesk.store import Store

    with cli_errors(as_json):
        if role not in ROLES:
            raise ValidationError(
                f"unknown role {role!r}: use viewer, analyst or admin", where="--role"
            )
        password_hash = hash_password(_read_password(password_stdin))
        with Store.open(db) as store:
            user = store.add_user(name, role, password_hash, by="cli")
    if as_json:
        emit_json({"ok": True, "user": {"name": user.name, "role": user.role}})
    else:
        console.print(f"added [bold]{user.name}[/] as {user.role}", highlight=False)


@user_app.command("list")
def user_list(db: DbOption = DEFAULT_DB, as_json: JsonOption = False) -> None:
    """Every account and its role."""
    from crisisdesk.store import Store

    with cli_errors(as_json), Store.open(db) as store:
        users = store.list_users()
    if as_json:
        emit_json(
            {
                "ok": True,
                "users": [{"name": u.name, "role": u.role, "active": u.active} for u in users],
            }
        )
        return
    if not users:
        console.print("no users yet: crisisdesk user add NAME --role admin")
        return
    table = Table("name", "role", "active")
    for u in users:
        table.add_row(u.name, u.role, "yes" if u.active else "no")
    console.print(table)


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
    app.add_typer(user_app, name="user")
