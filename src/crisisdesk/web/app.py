"""The review desk: ``create_app`` builds one FastAPI app around one store.

No global state: the store, the settings, the session signer, the login
rate limiter and the templates all hang off ``app.state``, so two apps (two
tests, two stores) never share anything.
"""

from __future__ import annotations

import logging
import os
import secrets
import threading
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request, Response
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, FileSystemLoader, select_autoescape

from crisisdesk.pipeline import Pipeline
from crisisdesk.store import Store
from crisisdesk.web import api_documents, api_exports, api_facts, api_figures, api_users, pages
from crisisdesk.web.auth import Auth, LoginLimiter
from crisisdesk.web.common import WebSettings
from crisisdesk.web.errors import ERROR_SCHEMA, install_error_handlers

log = logging.getLogger(__name__)
HERE = Path(__file__).resolve().parent
SECRET_ENV = "CRISISDESK_SECRET_KEY"
DB_ENV = "CRISISDESK_DB"

CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "script-src 'self'; frame-ancestors 'self'; form-action 'self'; base-uri 'none'"
)


def templates() -> Environment:
    """Autoescaping on for every template: document text is never trusted."""
    env = Environment(
        loader=FileSystemLoader(HERE / "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["thousands"] = lambda v: (
        f"{v:,}" if isinstance(v, int) else ("—" if v is None else v)
    )
    env.filters["show"] = _show
    return env


def _show(value: object) -> str:
    """An audit value as a reviewer reads it: lists joined, nothing shown as a dash."""
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return str(value)


def create_app(
    db_url: str,
    *,
    secret_key: str | None = None,
    max_upload_bytes: int = 10 * 1024 * 1024,
    pipeline: Pipeline | None = None,
    limiter: LoginLimiter | None = None,
) -> FastAPI:
    """The API under /api and the review pages, on the store at ``db_url``.

    ``secret_key`` signs session cookies; without one (and without
    $CRISISDESK_SECRET_KEY) a random key is made, so sessions end when the
    server restarts. ``pipeline`` overrides the default extraction pipeline
    for uploads (built on first upload otherwise).
    """
    store = Store.open(db_url)
    key = secret_key or os.environ.get(SECRET_ENV)
    if not key:
        log.warning("no %s set: sessions will not survive a restart", SECRET_ENV)
        key = secrets.token_urlsafe(32)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        app.state.store.close()

    app = FastAPI(
        title="crisisdesk review desk",
        summary="Documents, extracted figures, review (verify, correct, reject), totals, exports.",
        version="0.1.0",
        lifespan=lifespan,
        docs_url="/api/docs",
        redoc_url=None,
        openapi_url="/openapi.json",
        responses={
            401: ERROR_SCHEMA,
            403: ERROR_SCHEMA,
            404: ERROR_SCHEMA,
            422: ERROR_SCHEMA,
        },
    )
    app.state.store = store
    app.state.settings = WebSettings(db_url=db_url, max_upload_bytes=max_upload_bytes)
    app.state.auth = Auth(key, limiter)
    app.state.templates = templates()
    app.state.pipeline = pipeline
    app.state.pipeline_lock = threading.Lock()

    install_error_handlers(app)
    for module in (api_users, api_documents, api_facts, api_figures, api_exports, pages):
        app.include_router(module.router)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")

    @app.middleware("http")
    async def security_headers(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        response = await call_next(request)
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        if request.url.path.startswith("/api"):
            response.headers.setdefault("Cache-Control", "no-store")
        return response

    return app


def app_from_env() -> FastAPI:
    """Factory for ``uvicorn --factory``: the store URL comes from $CRISISDESK_DB."""
    from crisisdesk.store import DEFAULT_URL

    return create_app(os.environ.get(DB_ENV) or DEFAULT_URL)
