"""``crisisdesk serve`` (the review desk) and ``crisisdesk user`` (accounts)."""

from __future__ import annotations

import os
import sys
from typing import Annotated, Any

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
UserName = Annotated[str, typer.Argument(help="Login name.")]

user_app = typer.Typer(help="Accounts of the review desk.", no_args_is_help=True)


def serve(
    host: Annotated[str, typer.Option(help="Address to listen on (loopback by default).")] = (
        "127.0.0.1"
    ),
    port: Annotated[int, typer.Option(help="TCP port.", min=1, max=65535)] = 8000,
    workers: Annotated[
        int, typer.Option(help="Server processes (sessions are in the store, so any number).")
    ] = 1,
    db: DbOption = DEFAULT_DB,
) -> None:
    """Start the review desk (HTTP API under /api and the web page).

    $CRISISDESK_SECRET_KEY must be at least 32 bytes; without it a strong key
    is made once and kept beside the store (secret.key, mode 600).
    $CRISISDESK_TRUSTED_PROXIES names the proxies whose X-Forwarded-For is believed.
    $CRISISDESK_HEAVY_JOBS bounds the exports each process builds at once (2).
    $CRISISDESK_PASSWORD_CHECKS bounds the password checks of all processes at once (4).
    Uploads are extracted by a worker process, started when one arrives.
    """
    import uvicorn

    from crisisdesk.accounts import KEY_MADE, SECRET_ENV, secret_key
    from crisisdesk.store import Store

    with cli_errors():
        _key, made = secret_key(db, os.environ.get(SECRET_ENV))
        store = Store.open(db)
        try:
            admins = [u for u in store.list_users() if u.role == "admin"]
        finally:
            store.close()
    if made is not None:
        err_console.print(f"[yellow]warning:[/] {KEY_MADE.format(path=made)}", highlight=False)
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
    os.environ["CRISISDESK_DB"] = db
    console.print(f"crisisdesk review desk on http://{host}:{port}/  (API docs: /api/docs)")
    # forwarded headers are read by the app, from the proxies it is told to trust only
    uvicorn.run(
        "crisisdesk.web.app:app_from_env",
        factory=True,
        host=host,
        port=port,
        workers=max(1, workers),
        proxy_headers=False,
    )


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
    name: UserName,
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
        password_hash = hash_password(_read_password(password_stdin), name)
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


def _done(as_json: bool, data: dict[str, Any], message: str) -> None:
    if as_json:
        emit_json({"ok": True, **data})
    else:
        console.print(message, highlight=False)


@user_app.command("role")
def user_role(
    name: UserName,
    role: Annotated[str, typer.Argument(help="viewer, analyst or admin.")],
    db: DbOption = DEFAULT_DB,
    as_json: JsonOption = False,
) -> None:
    """Change an account's role (takes effect on its next request)."""
    from crisisdesk.store import Store

    with cli_errors(as_json), Store.open(db) as store:
        user = store.set_role(name, role, by="cli")
    _done(as_json, {"user": _user(user)}, f"{user.name} is now {user.role}")


@user_app.command("deactivate")
def user_deactivate(
    name: UserName,
    db: DbOption = DEFAULT_DB,
    as_json: JsonOption = False,
) -> None:
    """Stop an account from logging in; every session of it ends at once."""
    from crisisdesk.store import Store

    with cli_errors(as_json), Store.open(db) as store:
        user = store.set_active(name, False, by="cli")
    _done(as_json, {"user": _user(user)}, f"{user.name} deactivated; its sessions ended")


@user_app.command("activate")
def user_activate(
    name: UserName,
    db: DbOption = DEFAULT_DB,
    as_json: JsonOption = False,
) -> None:
    """Let a deactivated account log in again."""
    from crisisdesk.store import Store

    with cli_errors(as_json), Store.open(db) as store:
        user = store.set_active(name, True, by="cli")
    _done(as_json, {"user": _user(user)}, f"{user.name} can log in again")


@user_app.command("reset-password")
def user_reset_password(
    name: UserName,
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from stdin (scripts).")
    ] = False,
    db: DbOption = DEFAULT_DB,
    as_json: JsonOption = False,
) -> None:
    """Set a new password; every session of the account ends."""
    from crisisdesk.accounts import hash_password
    from crisisdesk.store import Store

    with cli_errors(as_json):
        password_hash = hash_password(_read_password(password_stdin), name)
        with Store.open(db) as store:
            ended = store.reset_password(name, password_hash, by="cli")
    _done(
        as_json, {"user": name, "ended": ended}, f"new password for {name}; {ended} sessions ended"
    )


@user_app.command("sessions")
def user_sessions(
    name: Annotated[
        str | None, typer.Argument(help="Login name (all accounts if left out).")
    ] = None,
    db: DbOption = DEFAULT_DB,
    as_json: JsonOption = False,
) -> None:
    """Live sessions: who, from where, since when, last seen, until when."""
    from crisisdesk.store import Store

    with cli_errors(as_json), Store.open(db) as store:
        sessions = store.list_sessions(name)
    if as_json:
        emit_json({"ok": True, "sessions": [s.to_json() for s in sessions]})
        return
    if not sessions:
        console.print("no live sessions")
        return
    table = Table("id", "user", "address", "started", "last seen", "ends")
    for s in sessions:
        j = s.to_json()
        table.add_row(j["id"], j["user"], j["address"] or "", j["created_at"][:19],
                      j["last_seen"][:19], j["expires_at"][:19])  # fmt: skip
    console.print(table)


@user_app.command("end-sessions")
def user_end_sessions(
    name: UserName,
    db: DbOption = DEFAULT_DB,
    as_json: JsonOption = False,
) -> None:
    """End every session of an account (it must log in again)."""
    from crisisdesk.store import Store

    with cli_errors(as_json), Store.open(db) as store:
        ended = store.end_sessions(name, by="cli")
    _done(as_json, {"user": name, "ended": ended}, f"{ended} sessions of {name} ended")


def _user(user: Any) -> dict[str, Any]:
    return {"name": user.name, "role": user.role, "active": user.active}


def worker(
    linger: Annotated[
        float, typer.Option(help="Seconds to wait for the next upload before leaving.", min=0)
    ] = 3600.0,
    db: DbOption = DEFAULT_DB,
) -> None:
    """Extract the uploads the review desk queued, one at a time (its upload worker).

    The server starts one by itself when an upload arrives; run this to keep one
    up (e.g. as a service). Exits with 3 at once if another worker has the store.
    """
    from crisisdesk.worker import serve as serve_jobs

    with cli_errors():
        code = serve_jobs(db, linger=linger, nice=0, migrate=True)
    raise typer.Exit(code)


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
    app.command("worker")(worker)
    app.add_typer(user_app, name="user")
