"""The API's documentation pages, Swagger UI and ReDoc, served from the package.

The assets come from the ``fastapi-offline`` wheel (MIT; it vendors
swagger-ui-dist, Apache-2.0, and ReDoc, MIT), so /api/docs works offline and
under our CSP: no CDN, and no inline script (static/docs-init.js starts them).
"""

from __future__ import annotations

from pathlib import Path

import fastapi_offline
from fastapi import APIRouter
from fastapi.responses import HTMLResponse

ASSETS = Path(fastapi_offline.__file__).resolve().parent / "static"
PAGES = frozenset({"/api/docs", "/api/redoc"})
router = APIRouter(include_in_schema=False)

_SWAGGER = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>crisisdesk API</title>
<link rel="stylesheet" href="/api/docs-assets/swagger-ui.css">
<link rel="icon" href="/api/docs-assets/favicon.png">
</head><body><div id="swagger-ui" data-openapi="/openapi.json"></div>
<script src="/api/docs-assets/swagger-ui-bundle.js"></script>
<script src="/static/docs-init.js"></script>
</body></html>"""

_REDOC = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>crisisdesk API (ReDoc)</title>
<link rel="icon" href="/api/docs-assets/favicon.png">
</head><body><div id="redoc" data-openapi="/openapi.json"></div>
<script src="/api/docs-assets/redoc.standalone.js"></script>
<script src="/static/docs-init.js"></script>
</body></html>"""


@router.get("/api/docs")
def swagger() -> HTMLResponse:
    return HTMLResponse(_SWAGGER)


@router.get("/api/redoc")
def redoc() -> HTMLResponse:
    return HTMLResponse(_REDOC)
