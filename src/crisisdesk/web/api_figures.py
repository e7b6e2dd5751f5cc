"""Reconciled figures and totals: the same answers as ``crisisdesk total``."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request

from crisisdesk.model import Category, Unit
from crisisdesk.reconcile import figure_json, load_figures, reconcile_store, total
from crisisdesk.web.auth import Session, requires
from crisisdesk.web.common import MAX_PAGE, get_store, page

router = APIRouter(prefix="/api", tags=["figures and totals"])
Viewer = Annotated[Session, Depends(requires("viewer"))]
Place = Annotated[str | None, Query(max_length=200)]


@router.get("/totals", summary="Total for a category: best, low, high, the figures used and why")
def totals(
    request: Request,
    session: Viewer,
    category: Category,
    unit: Unit | None = None,
    place: Place = None,
    date_from: date | None = None,
    date_to: date | None = None,
    verified_only: bool = False,
) -> dict[str, Any]:
    result = total(
        get_store(request),
        category=category.value,
        unit=unit.value if unit else None,
        place=place,
        date_from=date_from,
        date_to=date_to,
        verified_only=verified_only,
    )
    return {
        "ok": True,
        "verified_only": verified_only,
        # answered from the figures of the last reconcile, or from the reports afresh
        # (they changed since): same answer, and ``notes`` says which when it matters
        "from_stored_figures": result.from_stored,
        "notes": list(result.notes),
        **result.to_json(),
    }


@router.post(
    "/figures/reconcile",
    summary="Recompute the stored figures from the facts (after reviews or uploads)",
)
def reconcile_now(
    request: Request, session: Annotated[Session, Depends(requires("analyst", csrf=True))]
) -> dict[str, Any]:
    summary = reconcile_store(get_store(request))
    return {"ok": True, **summary.to_json()}


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
    found = load_figures(
        get_store(request),
        category=category.value if category else None,
        unit=unit.value if unit else None,
        place=place,
        date_from=date_from,
        date_to=date_to,
        verified_only=verified_only,
    )
    items = [figure_json(f) for f in found[offset : offset + limit]]  # with evidence
    return page(items, len(found), limit, offset)
