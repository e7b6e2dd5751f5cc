"""One JSON error shape for every failure the API answers with.

FastAPI's own handlers give ``detail`` one shape for ``HTTPException`` and
another for validation errors; clients of crisisdesk see only this one:
``{"ok": false, "code", "error", "errors", "status"}`` (STYLE.md 2.2).
Pages (paths outside /api) get the same message rendered as HTML, and a
logged-out visitor is sent to the login form instead of a 401 page.
"""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from crisisdesk.errors import AuthError, CrisisdeskError

log = logging.getLogger(__name__)


class TooManyAttempts(AuthError):
    """Login refused because of too many recent failures (per user or per address)."""

    code = "rate_limited"
    http_status = 429


class PayloadTooLarge(CrisisdeskError):
    code = "too_large"
    http_status = 413
    exit_code = 2


class PreconditionRequired(CrisisdeskError):
    """A change that does not say which version it was based on (RFC 6585)."""

    code = "precondition_required"
    http_status = 428
    exit_code = 2


class Unavailable(CrisisdeskError):
    """A stage this route needs is not installed yet, or the server is too busy for it
    now (``retry_after``: the seconds to wait, sent as Retry-After)."""

    code = "unavailable"
    http_status = 503
    exit_code = 1

    def __init__(self, message: str, *, where: str | None = None, retry_after: int = 5) -> None:
        super().__init__(message, where=where)
        self.retry_after = retry_after


class CsrfError(CrisisdeskError):
    code = "csrf_failed"
    http_status = 403
    exit_code = 6


_HTTP_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    409: "conflict",
    413: "too_large",
    415: "unsupported_media_type",
    422: "invalid",
    428: "precondition_required",
    429: "rate_limited",
    500: "internal",
    503: "unavailable",
}


def error_body(
    status: int, code: str, message: str, errors: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    """The one error body: ``errors`` lists field-level problems (may be empty)."""
    return {"ok": False, "code": code, "error": message, "errors": errors or [], "status": status}


ERROR_SCHEMA: dict[str, Any] = {
    "description": "Error",
    "content": {
        "application/json": {
            "schema": {
                "type": "object",
                "required": ["ok", "code", "error", "errors", "status"],
                "properties": {
                    "ok": {"type": "boolean", "const": False},
                    "code": {"type": "string"},
                    "error": {"type": "string"},
                    "errors": {"type": "array", "items": {"type": "object"}},
                    "status": {"type": "integer"},
                },
            }
        }
    },
}


def _is_api(request: Request) -> bool:
    path = request.url.path
    return path.startswith("/api") or path == "/openapi.json"


def _respond(
    request: Request,
    status: int,
    code: str,
    message: str,
    errors: list[dict[str, Any]] | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    if _is_api(request):
        return JSONResponse(
            error_body(status, code, message, errors), status_code=status, headers=headers
        )
    if status == 401:
        return RedirectResponse(f"/login?next={request.url.path}", status_code=303)
    templates = request.app.state.templates
    return HTMLResponse(
        templates.get_template("error.html").render(
            request=request,
            user=None,
            status=status,
            title=HTTPStatus(status).phrase if status in HTTPStatus._value2member_map_ else "Error",
            message=message,
            errors=errors or [],
        ),
        status_code=status,
        headers=headers,
    )


def _field_errors(exc: RequestValidationError) -> list[dict[str, Any]]:
    out = []
    for err in exc.errors():
        loc = [str(p) for p in err.get("loc", ())]
        out.append({"field": ".".join(loc), "message": str(err.get("msg", "invalid"))})
    return out


async def _crisisdesk_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, CrisisdeskError)
    errors = [{"field": exc.where, "message": exc.message}] if exc.where else []
    headers = {"Retry-After": "60"} if exc.http_status == 429 else None
    if isinstance(exc, Unavailable):
        headers = {"Retry-After": str(exc.retry_after)}
    return _respond(request, exc.http_status, exc.code, str(exc), errors, headers)


async def _validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    errors = _field_errors(exc)
    first = errors[0] if errors else {"field": "request", "message": "invalid"}
    message = f"invalid request: {first['field']}: {first['message']}"
    return _respond(request, 422, "invalid", message, errors)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    status = exc.status_code
    message = str(exc.detail) if exc.detail else HTTPStatus(status).phrase
    return _respond(request, status, _HTTP_CODES.get(status, "error"), message, headers=exc.headers)


async def _unexpected(request: Request, exc: Exception) -> Response:
    log.exception("unexpected error on %s %s", request.method, request.url.path)
    return _respond(request, 500, "internal", "internal error: the server log has details")


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(CrisisdeskError, _crisisdesk_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected)
