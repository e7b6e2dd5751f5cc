"""Exports and situation reports: the same files as ``crisisdesk export`` and ``report``.

Files are written to a temporary folder by the report package, read back and
sent; nothing is left on disk. Only a few exports are built at once, across
the server processes of a store (``limits.HeavyGate``), and a file built is
kept while the store's version stays (``cache.Kept``): asked again before any
change, it is sent as it was built. A situation report reconciles the figures of its window,
so it is never built inside a request: one background thread builds the asked
reports one at a time (``app.state.reports``), and a request gets the last one
built for the same question, marked stale (``X-Crisisdesk-Stale``,
``X-Crisisdesk-As-Of``) when reports changed since, or 202 with Retry-After
while the first is being built.
"""

from __future__ import annotations

import tempfile
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from crisisdesk.errors import ConfigError
from crisisdesk.reconcile.background import BackgroundAnswers, value_of
from crisisdesk.report import export as export_facts
from crisisdesk.report import write_report
from crisisdesk.report.exporters import IN_MEMORY, export_bytes
from crisisdesk.store import Store
from crisisdesk.web.auth import Session, requires
from crisisdesk.web.cache import Kept, request_version
from crisisdesk.web.common import get_store

router = APIRouter(prefix="/api", tags=["exports and reports"])
Viewer = Annotated[Session, Depends(requires("viewer"))]


class ExportFormat(StrEnum):
    CSV = "csv"
    HXL = "hxl"
    GEOJSON = "geojson"
    JSON = "json"
    JSONL = "jsonl"
    ACLED = "acled"
    ACLED_AGGREGATES = "acled-aggregates"


class ReportFormat(StrEnum):
    HTML = "html"
    PDF = "pdf"


EXPORT_FILES = {
    ExportFormat.CSV: ("crisisdesk-facts.csv", "text/csv; charset=utf-8"),
    ExportFormat.HXL: ("crisisdesk-facts-hxl.csv", "text/csv; charset=utf-8"),
    ExportFormat.GEOJSON: ("crisisdesk-facts.geojson", "application/geo+json"),
    ExportFormat.JSON: ("crisisdesk-facts.json", "application/json"),
    ExportFormat.JSONL: ("crisisdesk-facts.jsonl", "application/x-ndjson"),
    ExportFormat.ACLED: ("crisisdesk-acled.csv", "text/csv; charset=utf-8"),
    ExportFormat.ACLED_AGGREGATES: ("crisisdesk-acled-aggregates.csv", "text/csv; charset=utf-8"),
}


TMP = "crisisdesk-export-"


def _suffix(verified_only: bool) -> str:
    return "-verified" if verified_only else ""


@router.get(
    "/exports/{fmt}",
    summary=(
        "Download every fact (or only verified ones) as CSV, HXL, GeoJSON, JSON, JSON lines,"
        " ACLED events, or the aggregates the ACLED export leaves out"
    ),
    response_class=Response,
)
def export(fmt: ExportFormat, request: Request, session: Viewer, verified_only: bool = False):
    name, media = EXPORT_FILES[fmt]
    store = get_store(request)
    # an export is made of the stored facts alone: the same file while the store's
    # version stays (read first, so a change meanwhile files the next one anew)
    key = ("export", request_version(request), fmt.value, verified_only)
    files: Kept = request.app.state.files
    kept = files.get(key)
    if kept is None:
        memo = request.app.state.export_rows  # lines of facts unchanged since the last
        if fmt.value in IN_MEMORY:  # built in memory: no temporary file written and read
            with request.app.state.heavy(store):
                kept = export_bytes(store, fmt.value, verified_only=verified_only, memo=memo)
        else:
            with request.app.state.heavy(store), tempfile.TemporaryDirectory(prefix=TMP) as tmp:
                out = Path(tmp) / name
                count = export_facts(store, fmt.value, out, verified_only=verified_only)
                kept = (count, out.read_bytes())
        files.put(key, kept)
    count, data = kept
    stem, dot, ext = name.rpartition(".")
    filename = f"{stem}{_suffix(verified_only)}{dot}{ext}"
    return Response(
        data,
        media_type=media,
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "X-Crisisdesk-Rows": str(count),
            "X-Crisisdesk-Verified-Only": "true" if verified_only else "false",
        },
    )


@router.get(
    "/reports/sitrep.{fmt}",
    summary="The situation report (HTML or PDF) with charts, map and footnoted figures",
    response_class=Response,
)
def sitrep(
    fmt: ReportFormat,
    request: Request,
    session: Viewer,
    date_from: date | None = None,
    date_to: date | None = None,
    place: Annotated[str | None, Query(max_length=200)] = None,
    verified_only: bool = False,
    download: bool = False,
):
    filters: dict[str, Any] = {"verified_only": verified_only}
    if date_from:
        filters["date_from"] = date_from
    if date_to:
        filters["date_to"] = date_to
    if place:
        filters["place"] = place
    if date_from and date_to and date_from > date_to:
        raise ConfigError(f"--from {date_from} is after --to {date_to}")
    name = f"crisisdesk-sitrep{_suffix(verified_only)}.{fmt.value}"
    builder: BackgroundAnswers = request.app.state.reports
    key = ("sitrep", fmt.value, tuple(sorted(filters.items())))
    served = builder.serve(key, lambda store: _built_report(store, name, filters))
    data: bytes | None = value_of(served)
    if data is None:
        return _report_pending(request, served.error)
    media = "application/pdf" if fmt is ReportFormat.PDF else "text/html; charset=utf-8"
    disposition = "attachment" if download or fmt is ReportFormat.PDF else "inline"
    return Response(
        data,
        media_type=media,
        headers={
            "Content-Disposition": f'{disposition}; filename="{name}"',
            "X-Crisisdesk-Stale": "true" if served.stale else "false",
            "X-Crisisdesk-As-Of": served.as_of.isoformat() if served.as_of else "",
        },
    )


REPORT_WAIT = 2  # seconds a client is told to wait for a report being built
PENDING_PAGE = (
    '<!doctype html><html lang="en"><head><meta charset="utf-8">'
    f'<meta http-equiv="refresh" content="{REPORT_WAIT}"><title>Preparing the report</title>'
    "</head><body><p>The situation report is being prepared; this page looks again in a "
    "moment.</p></body></html>"
)


def _built_report(store: Store, name: str, filters: dict[str, Any]) -> bytes:
    """One report written to a temporary folder and read back (the background's work)."""
    with tempfile.TemporaryDirectory(prefix="crisisdesk-report-") as tmp:
        written = write_report(store, Path(tmp) / name, **filters)
        return Path(written).read_bytes()


def _report_pending(request: Request, error: str | None) -> Response:
    """202 while the first report for the question is built: a page that reloads itself
    for a browser, JSON for a client; both say when to ask again."""
    headers = {"Retry-After": str(REPORT_WAIT)}
    if "text/html" in request.headers.get("accept", ""):
        return HTMLResponse(PENDING_PAGE, status_code=202, headers=headers)
    body = {"ok": True, "pending": True, "retry_after": REPORT_WAIT, "error": error}
    return JSONResponse(body, status_code=202, headers=headers)
