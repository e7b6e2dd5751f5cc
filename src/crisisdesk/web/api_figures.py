"""Reconciled figures and totals: the same answers as ``crisisdesk total``, read from
the stored figures and never reconciled inside a request.

When reports changed since the last reconcile, a total is answered from the
figures that run stored, marked ``stale`` with the time they were written
(``as_of``), and a reconcile is asked of the app's ``Refresher``: one run in
the background, however many requests ask (``reconcile.refresh``).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse, Response

from crisisdesk.model import Category, Unit
from crisisdesk.reconcile import TotalResult, figure_json, load_figures, total
from crisisdesk.reconcile.background import BackgroundAnswers, value_of
from crisisdesk.reconcile.refresh import Refresher
from crisisdesk.reconcile.run import figures_page
from crisisdesk.reconcile.stored import stored_run
from crisisdesk.reconcile.totals import NoStoredFigures, StaleFigures
from crisisdesk.web.auth import Session, requires
from crisisdesk.web.cache import Kept, json_body, request_version
from crisisdesk.web.common import MAX_PAGE, get_store, page
from crisisdesk.web.errors import Unavailable

router = APIRouter(prefix="/api", tags=["figures and totals"])
Viewer = Annotated[Session, Depends(requires("viewer"))]
Place = Annotated[str | None, Query(max_length=200)]
PENDING_NOTE = (
    "no figures are stored yet: a reconcile is running in the background; ask again in a moment"
)
VERIFIED_PENDING_NOTE = (
    "the verified figures are being counted in the background; ask again in a moment"
)
VERIFIED_STALE_NOTE = (
    "counted from the verified reports as they were at {as_of}; reviews since are being "
    "counted in the background"
)


def refresher(request: Request) -> Refresher:
    found: Refresher = request.app.state.refresher
    return found


@router.get(
    "/totals",
    summary="Total for a category: best, low, high, the figures used and why",
    response_model=dict[str, Any],
)
def totals(
    request: Request,
    session: Viewer,
    category: Category,
    unit: Unit | None = None,
    place: Place = None,
    date_from: date | None = None,
    date_to: date | None = None,
    verified_only: bool = False,
) -> Response:
    """From the stored figures, even stale ones (``stale``, ``as_of``); a stale or
    missing set asks for one background reconcile (``refreshing``). ``verified_only``
    (the stored figures mix every review status) is the last verified-only answer
    computed in the background for the same question, with the same ``stale``,
    ``as_of`` and ``pending``."""
    asked = {
        "category": category.value,
        "unit": unit.value if unit else None,
        "place": place,
        "date_from": date_from,
        "date_to": date_to,
    }
    if verified_only:
        return _verified_total(request, asked)
    store, jobs = get_store(request), refresher(request)
    version = request_version(request)  # read first: a change meanwhile moves it past this key
    state, run = stored_run(store)
    if state != "fresh":
        jobs.ask()
    refreshing = state != "fresh" or jobs.busy
    # the same answer while the store and its stored figures stay as they are
    key = ("totals", version, state, run, tuple(sorted(asked.items())), refreshing)
    files: Kept = request.app.state.files
    body = files.get(key)
    if body is None:
        try:
            result = total(store, **asked, stale_ok=True)
        except NoStoredFigures:
            return _pending(False, refreshing=True)
        except StaleFigures as exc:
            raise Unavailable(f"{exc}: try again in a moment") from exc
        body = json_body(_total_json(result, refreshing))
        files.put(key, body)
    return Response(body, media_type="application/json")


def _total_json(result: TotalResult, refreshing: bool) -> dict[str, Any]:
    return {
        "ok": True,
        "pending": False,
        "verified_only": False,
        # from the figures of the last reconcile (``stale`` when reports changed since),
        # or, for questions stored figures cannot answer, from the reports themselves
        "from_stored_figures": result.from_stored,
        "stale": result.stale,
        "as_of": result.as_of.isoformat() if result.as_of else None,
        "refreshing": refreshing,
        "notes": list(result.notes),
        **result.to_json(),
    }


def answers(request: Request) -> BackgroundAnswers:
    found: BackgroundAnswers = request.app.state.answers
    return found


def _pending(verified_only: bool, *, refreshing: bool, error: str | None = None) -> dict[str, Any]:
    note = VERIFIED_PENDING_NOTE if verified_only else PENDING_NOTE
    return {
        "ok": True,
        "pending": True,
        "verified_only": verified_only,
        "from_stored_figures": False,
        "stale": True,
        "as_of": None,
        "refreshing": refreshing,
        "best": None,
        "low": None,
        "high": None,
        "figures": [],
        "notes": [note] + ([f"the last try failed: {error}"] if error else []),
    }


def _verified_total(request: Request, asked: dict[str, Any]) -> dict[str, Any]:
    """A verified-only total, never reconciled in the request (``BackgroundAnswers``)."""
    jobs = answers(request)
    key = ("total", tuple(sorted(asked.items())))
    served = jobs.serve(key, lambda store: total(store, **asked, verified_only=True))
    result: TotalResult | None = value_of(served)
    if result is None:
        return _pending(True, refreshing=True, error=served.error)
    notes = list(result.notes)
    if served.stale:
        when = served.as_of.isoformat(timespec="seconds") if served.as_of else "?"
        notes.append(VERIFIED_STALE_NOTE.format(as_of=when))
    return {
        "ok": True,
        "pending": False,
        "verified_only": True,
        "from_stored_figures": False,
        "stale": served.stale,
        "as_of": served.as_of.isoformat() if served.as_of else None,
        "refreshing": served.stale or jobs.busy,
        **result.to_json(),
        "notes": notes,
    }


@router.post(
    "/figures/reconcile",
    summary="Ask for the stored figures to be recomputed (in the background; 202)",
    status_code=202,
)
def reconcile_now(
    request: Request, session: Annotated[Session, Depends(requires("analyst", csrf=True))]
) -> JSONResponse:
    """Queues one background reconcile (asks while one is queued or running join it);
    ``GET /api/figures/status`` says when the figures are fresh."""
    jobs = refresher(request)
    jobs.ask()
    return JSONResponse({"ok": True, "queued": True, **_status(request, jobs)}, status_code=202)


@router.get("/figures/status", summary="Whether the stored figures are up to date, and since when")
def figures_status(request: Request, session: Viewer) -> dict[str, Any]:
    return {"ok": True, **_status(request, refresher(request))}


def _status(request: Request, jobs: Refresher) -> dict[str, Any]:
    state, as_of = stored_run(get_store(request))
    return {
        "state": state,  # fresh, stale or none
        "stale": state != "fresh",
        "as_of": as_of.isoformat() if as_of else None,
        "refreshing": jobs.busy,
        "last_error": jobs.last_error,
    }


@router.get(
    "/figures",
    summary="Reconciled figures, as last stored by reconcile (POST /api/figures/reconcile)",
)
def figures(
    request: Request,
    session: Viewer,
    category: Category | None = None,
    unit: Unit | None = None,
    place: Place = None,
    date_from: date | None = None,
    date_to: date | None = None,
    verified_only: bool = False,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 50,
    offset: Annotated[int, Query(ge=0, le=10**9)] = 0,
) -> dict[str, Any]:
    filters = {
        "category": category.value if category else None,
        "unit": unit.value if unit else None,
        "place": place,
        "date_from": date_from,
        "date_to": date_to,
    }
    if not verified_only:
        found, count = figures_page(get_store(request), **filters, offset=offset, limit=limit)
        return page([figure_json(f) for f in found], count, limit, offset)  # with evidence
    # the verified-only figures are reconciled in the background, never in the request
    jobs = answers(request)
    key = ("figures", tuple(sorted(filters.items())))
    served = jobs.serve(key, lambda store: load_figures(store, **filters, verified_only=True))
    every: list[Any] | None = value_of(served)
    out = page([figure_json(f) for f in (every or [])[offset : offset + limit]],
               len(every or []), limit, offset)  # fmt: skip
    out.update(
        pending=every is None,
        stale=served.stale,
        as_of=served.as_of.isoformat() if served.as_of else None,
        refreshing=served.stale or jobs.busy,
    )
    return out
