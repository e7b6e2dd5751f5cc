"""Sessions for API clients (log in, who am I, log out) and user accounts (admin)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Request, Response
from pydantic import BaseModel, ConfigDict, Field

from crisisdesk.web.auth import Session, current_session, hash_password, requires
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
    password: str = Field(min_length=8, max_length=256)


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


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
        body.name, body.role, hash_password(body.password), by=session.user.name
    )
    return {"ok": True, "user": user_json(user)}
