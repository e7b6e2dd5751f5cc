"""The review desk: ``create_app`` builds one FastAPI app around one store.

No global state: the store, the settings, the login form's signer, the login
rate limiter and the templates all hang off ``app.state``, so two apps (two
tests, two stores) never share anything.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.datastructures import MutableHeaders

from crisisdesk.accounts import KEY_MADE, SECRET_ENV
from crisisdesk.accounts import secret_key as resolve_secret_key
from crisisdesk.pipeline import Pipeline
from crisisdesk.reconcile.background import BackgroundAnswers
from crisisdesk.reconcile.refresh import Refresher
from crisisdesk.report.exporters import RowMemo
from crisisdesk.store import MadeMemo, Store
from crisisdesk.web import (
    add_page,
    api_documents,
    api_exports,
    api_facts,
    api_figures,
    api_review,
    api_users,
    dashboard,
    docs,
    pages,
    queue,
    recount,
)
from crisisdesk.web.auth import SESSION_IDLE, SESSION_MAX_AGE, Auth, LoginLimiter
from crisisdesk.web.cache import Kept
from crisisdesk.web.common import WebSettings
from crisisdesk.web.errors import ERROR_SCHEMA, install_error_handlers
from crisisdesk.web.limits import BodyLimit, HeavyGate
from crisisdesk.worker import Uploads

log = logging.getLogger(__name__)
HERE = Path(__file__).resolve().parent
DB_ENV = "CRISISDESK_DB"

PROXIES_ENV = "CRISISDESK_TRUSTED_PROXIES"
SELF_VERIFY_ENV = "CRISISDESK_REVIEW_SELF_VERIFY"
HEAVY_ENV = "CRISISDESK_HEAVY_JOBS"
CHECKS_ENV = "CRISISDESK_PASSWORD_CHECKS"  # argon2 checks at once, across the store's servers
FILE_CACHE_BYTES = 64 * 1024 * 1024  # exports and large answers kept per store version

CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "script-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'; "
    "object-src 'none'"
)
# ReDoc builds its search index in a worker it makes from a blob
DOCS_CSP = CSP + "; worker-src 'self' blob:"


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
    env.filters["weblink"] = weblink
    env.filters["segment"] = lambda v: quote(str(v), safe="")  # an id as one path segment
    return env


def weblink(url: object) -> str | None:
    """A source URL worth a link: http or https with a host; anything else is shown
    as text, never linked (``javascript:``, ``data:``, relative paths)."""
    if not isinstance(url, str):
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    return url.strip() if parts.scheme.lower() in ("http", "https") and parts.netloc else None


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
    trusted_proxies: tuple[str, ...] | None = None,
    session_idle: int = SESSION_IDLE,
    session_max_age: int = SESSION_MAX_AGE,
    self_verify: bool | None = None,
) -> FastAPI:
    """The API under /api and the review pages, on the store at ``db_url``.

    ``secret_key`` (or $CRISISDESK_SECRET_KEY) signs the login form's token and
    must be at least 32 bytes; without one, a strong key is made once and kept
    in the store's directory (``secret_key_for``). Sessions are rows in the
    store, so they survive a restart whatever the key. ``pipeline`` overrides
    the default extraction pipeline for uploads (built on first upload otherwise).
    ``self_verify`` (or $CRISISDESK_REVIEW_SELF_VERIFY=1) lets an analyst verify their
    own correction or added figure: for a one-person team; off by default.
    """
    store = Store.open(db_url)
    key = secret_key_for(db_url, secret_key or os.environ.get(SECRET_ENV))
    proxies = trusted_proxies
    if proxies is None:
        proxies = tuple(p for p in os.environ.get(PROXIES_ENV, "").replace(",", " ").split() if p)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.store.purge_sessions()  # rows of sessions that ended a month ago
        if app.state.store.unfinished_jobs():  # queued before a restart, or left by a killed worker
            app.state.uploads.ask()
        yield
        app.state.store.close()

    app = FastAPI(
        title="crisisdesk review desk",
        summary="Documents, extracted figures, review (verify, correct, reject), totals, exports.",
        version="0.1.0",
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        openapi_url="/openapi.json",
        responses={
            401: ERROR_SCHEMA,
            403: ERROR_SCHEMA,
            404: ERROR_SCHEMA,
            413: ERROR_SCHEMA,
            422: ERROR_SCHEMA,
        },
    )
    app.state.store = store
    if self_verify is None:
        self_verify = os.environ.get(SELF_VERIFY_ENV, "").strip().lower() in ("1", "true", "yes")
    app.state.settings = WebSettings(
        db_url=db_url,
        max_upload_bytes=max_upload_bytes,
        trusted_proxies=proxies,
        self_verify=self_verify,
    )
    checks = _env_count(CHECKS_ENV, 4)
    app.state.auth = Auth(
        key, limiter, max_checks=checks, idle=session_idle, absolute=session_max_age
    )
    app.state.templates = templates()
    app.state.headlines = dashboard.Headlines()  # per store version
    # what reads compute from the store, kept while its version stays (``cache.Kept``):
    # small answers, and files (exports, totals with their evidence) within a byte budget
    app.state.kept = Kept(size=512)
    app.state.files = Kept(size=64, max_bytes=FILE_CACHE_BYTES)
    # CSV and HXL rows by fact: an export after a few edits formats only those facts
    app.state.export_rows = RowMemo()
    # review-queue pages' items by fact: a page after a few edits encodes only those facts
    app.state.page_items = MadeMemo()
    app.state.pipeline = pipeline
    # stale figures are reconciled once, in the background, never inside a request
    app.state.refresher = Refresher(store)
    # verified-only totals and figures: computed in the background too (stale/as_of)
    app.state.answers = BackgroundAnswers(store)
    # situation reports: built in the background, the last ones kept (a PDF is large)
    app.state.reports = BackgroundAnswers(store, keep=8)
    # exports and reports built at once, at most (per process; $CRISISDESK_HEAVY_JOBS)
    app.state.heavy = HeavyGate(_heavy_jobs())
    app.state.pipeline_lock = threading.Lock()
    # uploads are extracted by a worker process, one at a time per store (``worker``);
    # an app given its own pipeline (tests) extracts them in a thread with it
    given = (lambda: pipeline) if pipeline is not None else None
    app.state.uploads = Uploads(store, pipeline=given)

    install_error_handlers(app)
    routers = (api_users, api_documents, api_review, api_facts, api_figures, api_exports)
    for module in (*routers, recount, add_page, dashboard, pages, queue, docs):
        app.include_router(module.router)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    app.mount("/api/docs-assets", StaticFiles(directory=docs.ASSETS), name="docs-assets")
    app.add_middleware(BodyLimit, max_body=lambda: app.state.settings.max_upload_bytes)
    app.add_middleware(SecurityHeaders)  # outermost: every answer, the early ones too
    return app


def _heavy_jobs() -> int:
    return _env_count(HEAVY_ENV, 2)


def _env_count(name: str, default: int) -> int:
    text = os.environ.get(name, "").strip()
    return max(1, int(text)) if text.isdigit() else default


def secret_key_for(db_url: str, given: str | None) -> str:
    """The key to sign with (``accounts.secret_key``); says so once when it made one."""
    key, made = resolve_secret_key(db_url, given)
    if made is not None:
        log.warning(KEY_MADE.format(path=made))
    return key


class SecurityHeaders:
    """Security headers on every answer, including the ones middleware sends early."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        https = scope.get("scheme") == "https"

        async def with_headers(message: Any) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in security_headers(path, https).items():
                    headers.setdefault(name, value)
            await send(message)

        await self.app(scope, receive, with_headers)


def security_headers(path: str, https: bool) -> dict[str, str]:
    out = {
        "Content-Security-Policy": DOCS_CSP if path in docs.PAGES else CSP,
        "X-Content-Type-Options": "nosniff",
        "X-Frame-Options": "DENY",
        "Referrer-Policy": "same-origin",
        "Cross-Origin-Opener-Policy": "same-origin",
        "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
    }
    if https:
        out["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
    if path.startswith("/api") and not path.startswith("/api/docs-assets"):
        out["Cache-Control"] = "no-store"
    return out


def app_from_env() -> FastAPI:
    """Factory for ``uvicorn --factory``: the store URL comes from $CRISISDESK_DB."""
    from crisisdesk.store import DEFAULT_URL

    return create_app(os.environ.get(DB_ENV) or DEFAULT_URL)
