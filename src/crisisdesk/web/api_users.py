"""Sessions for API clients (log in, who am I, log out) and user accounts (admin)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Request, Response
from pydantic import BaseModel, ConfigDict, Field

from crisisdesk.accounts import MIN_PASSWORD
from crisisdesk.web.auth import Session, client_address, current_session, hash_password, requires
from crisisdesk.web.common import get_store, user_json

router = APIRouter(prefix="/api", tags=["session and users"])


class Login(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=256)


class NewUser(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1, max_length=64, pattern=r"^[\w.@-]+$")
    role: Literal["viewer", "analyst", "admin"]
    password: str = Field(min_length=MIN_PASSWORD, max_length=256)


class UserChange(BaseModel):
    """What an admin may change of an account: its role, whether it is active."""

    model_config = ConfigDict(extra="forbid")
    role: Literal["viewer", "analyst", "admin"] | None = None
    active: bool | None = None


class NewPassword(BaseModel):
    model_config = ConfigDict(extra="forbid")
    password: str = Field(min_length=MIN_PASSWORD, max_length=256)


UserName = Annotated[str, Path(min_length=1, max_length=64)]
Admin = Annotated[Session, Depends(requires("admin", csrf=True))]


@router.post("/session", summary="Log in; the answer carries the CSRF token for later calls")
def login(body: Login, request: Request, response: Response) -> dict[str, Any]:
    auth = request.app.state.auth
    user = auth.authenticate(get_store(request), body.name, body.password, client_address(request))
    csrf = auth.start_session(response, request, user)
    return {"ok": True, "user": user.name, "role": user.role, "csrf_token": csrf}


@router.get("/session", summary="Who is logged in, and the CSRF token of this session")
def whoami(session: Annotated[Session, Depends(current_session)]) -> dict[str, Any]:
    return {"ok": True, "user": session.user.name, "role": session.role, "csrf_token": session.csrf}


@router.delete("/session", summary="Log out")
def logout(
    request: Request,
    response: Response,
    session: Annotated[Session, Depends(requires("viewer", csrf=True))],
) -> dict[str, Any]:
    request.app.state.auth.end_session(request, response)
    return {"ok": True}


@router.get("/users", summary="Every account and its role (admin)")
def list_users(
    request: Request, session: Annotated[Session, Depends(requires("admin"))]
) -> dict[str, Any]:
    users = [user_json(u) for u in get_store(request).list_users()]
    return {
        "ok": True,
        "items": users,
        "total": len(users),
        "limit": len(users),
        "offset": 0,
        "next_offset": None,
    }


@router.post("/users", status_code=201, summary="Create an account (admin)")
def add_user(
    body: NewUser,
    request: Request,
    session: Annotated[Session, Depends(requires("admin", csrf=True))],
) -> dict[str, Any]:
    user = get_store(request).add_user(
        body.name, body.role, hash_password(body.password, body.name), by=session.user.name
    )
    return {"ok": True, "user": user_json(user)}


@router.patch("/users/{name}", summary="Change an account's role or deactivate it (admin)")
def change_user(
    name: UserName, body: UserChange, request: Request, session: Admin
) -> dict[str, Any]:
    """Deactivating ends every session of the account at once."""
    store = get_store(request)
    user = store.get_user(name)
    if body.role is not None and body.role != user.role:
        user = store.set_role(name, body.role, by=session.user.name)
    if body.active is not None and body.active != user.active:
        user = store.set_active(name, body.active, by=session.user.name)
    return {"ok": True, "user": user_json(user)}


@router.post("/users/{name}/password", summary="Reset an account's password (admin)")
def reset_password(
    name: UserName, body: NewPassword, request: Request, session: Admin
) -> dict[str, Any]:
    """Every session of the account ends; it logs in again with the new password."""
    ended = get_store(request).reset_password(
        name, hash_password(body.password, name), by=session.user.name
    )
    return {"ok": True, "ended": ended}


@router.get("/users/{name}/sessions", summary="An account's live sessions (admin)")
def user_sessions(
    name: UserName, request: Request, session: Annotated[Session, Depends(requires("admin"))]
) -> dict[str, Any]:
    items = [s.to_json() for s in get_store(request).list_sessions(name)]
    return {
        "ok": True,
        "items": items,
        "total": len(items),
        "limit": len(items),
        "offset": 0,
        "next_offset": None,
    }


@router.delete("/users/{name}/sessions", summary="End every session of an account (admin)")
def end_user_sessions(name: UserName, request: Request, session: Admin) -> dict[str, Any]:
    return {"ok": True, "ended": get_store(request).end_sessions(name, by=session.user.name)}
