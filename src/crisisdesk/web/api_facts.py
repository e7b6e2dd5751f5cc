"""Facts: list with filters, read with their audit history, correct, verify, reject."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Path, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from crisisdesk.errors import ValidationError
from crisisdesk.model import Category, FactStatus, Qualifier, StoredFact, Unit
from crisisdesk.store import FactQuery, StaleVersion
from crisisdesk.web.auth import Session, requires
from crisisdesk.web.common import MAX_PAGE, audit_json, fact_json, get_store, page
from crisisdesk.web.errors import ERROR_SCHEMA, PreconditionRequired, error_body

router = APIRouter(prefix="/api", tags=["facts"])
Viewer = Annotated[Session, Depends(requires("viewer"))]
Analyst = Annotated[Session, Depends(requires("analyst", csrf=True))]
BIG = 10**12  # larger than any count a report states; fits the BIGINT column
NOT_NULL = ("qualifier", "unit", "category", "subject", "places", "is_total")
Text = Annotated[str, Field(max_length=200)]
FactId = Annotated[str, Path(min_length=1, max_length=64)]


class FactChanges(BaseModel):
    """The fields a reviewer may correct; only those sent are changed."""

    model_config = ConfigDict(extra="forbid")
    value: Annotated[int, Field(ge=0, le=BIG)] | None = None
    value_high: Annotated[int, Field(ge=0, le=BIG)] | None = None
    value_text: Annotated[str, Field(max_length=64)] | None = None
    qualifier: Qualifier | None = None
    unit: Unit | None = None
    category: Category | None = None
    subject: Text | None = None
    places: Annotated[list[Text], Field(max_length=20)] | None = None
    date_start: date | None = None
    date_end: date | None = None
    source: Text | None = None
    is_total: bool | None = None
    note: Annotated[str, Field(max_length=1000)] | None = None
    version: Annotated[int, Field(ge=1, le=2**31)] | None = None  # or send If-Match


class Review(BaseModel):
    model_config = ConfigDict(extra="forbid")
    note: Annotated[str, Field(max_length=1000)] | None = None
    version: Annotated[int, Field(ge=1, le=2**31)] | None = None  # or send If-Match


def etag(sf: StoredFact) -> str:
    """The fact's version as an entity tag: what If-Match must send back."""
    return f'"{sf.version}"'


def based_on(request: Request, field: int | None, fact_id: str) -> int:
    """The version a change was based on: If-Match, else the body's ``version``.

    Required: a change that does not say what it was based on could overwrite
    another reviewer's change it never saw (428 Precondition Required).
    """
    header = request.headers.get("if-match")
    if header:
        tag = header.strip().removeprefix("W/").strip('"')
        if not tag.isdigit() or len(tag) > 10:
            raise ValidationError('If-Match must be the fact\'s ETag, e.g. "3"', where="If-Match")
        return int(tag)
    if field is None:
        get_store(request).get_fact(fact_id)  # an unknown fact is a 404 first
        raise PreconditionRequired(
            "send the version of the fact you changed: If-Match with its ETag, "
            "or the field version",
            where="version",
        )
    return field


def conflict(exc: StaleVersion) -> JSONResponse:
    """409 with the fact as it now is, so the client can show it and reapply."""
    body = error_body(409, "conflict", str(exc), [{"field": "version", "message": exc.message}])
    body["current"] = fact_json(exc.current)
    return JSONResponse(body, status_code=409, headers={"ETag": etag(exc.current)})


def answer(sf: StoredFact, **extra: Any) -> JSONResponse:
    return JSONResponse({"ok": True, "fact": fact_json(sf), **extra}, headers={"ETag": etag(sf)})


def fact_query(
    category: Category | None = None,
    unit: Unit | None = None,
    status: FactStatus | None = None,
    doc_id: Annotated[str | None, Query(max_length=64)] = None,
    place: Annotated[str | None, Query(max_length=200)] = None,
    date_from: date | None = None,
    date_to: date | None = None,
    verified_only: bool = False,
) -> FactQuery:
    """Filters from the query string (the same ones as ``crisisdesk total``)."""
    return FactQuery(
        category=category.value if category else None,
        unit=unit.value if unit else None,
        status=status.value if status else None,
        doc_id=doc_id,
        place=place,
        date_from=date_from,
        date_to=date_to,
        verified_only=verified_only,
    )


@router.get("/facts", summary="Facts matching the filters; oldest_first gives the review queue")
def list_facts(
    request: Request,
    session: Viewer,
    query: Annotated[FactQuery, Depends(fact_query)],
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 50,
    offset: Annotated[int, Query(ge=0, le=10**9)] = 0,
    oldest_first: bool = False,
) -> dict[str, Any]:
    store = get_store(request)
    items = [
        fact_json(sf)
        for sf in store.iter_facts(query, limit=limit, offset=offset, oldest_first=oldest_first)
    ]
    return page(items, store.count_facts(query), limit, offset)


@router.get("/facts/{fact_id}", summary="One fact (ETag: its version), status and audit history")
def read_fact(fact_id: FactId, request: Request, session: Viewer) -> JSONResponse:
    store = get_store(request)
    sf = store.get_fact(fact_id)
    history = [audit_json(e) for e in store.audit(fact_id=sf.id)]
    return answer(sf, audit=history)


@router.get("/facts/{fact_id}/audit", summary="Who changed this fact, when, from what to what")
def fact_audit(fact_id: FactId, request: Request, session: Viewer) -> dict[str, Any]:
    store = get_store(request)
    sf = store.get_fact(fact_id)
    return {"ok": True, "items": [audit_json(e) for e in store.audit(fact_id=sf.id)]}


@router.patch(
    "/facts/{fact_id}",
    summary="Correct a fact (send only the changed fields, and If-Match or version)",
    responses={409: ERROR_SCHEMA, 428: ERROR_SCHEMA},
)
def correct_fact(
    fact_id: FactId, body: FactChanges, request: Request, session: Analyst
) -> JSONResponse:
    changes = body.model_dump(exclude_unset=True, mode="json")
    note = changes.pop("note", None)
    version = based_on(request, changes.pop("version", None), fact_id)
    nulls = sorted(k for k in NOT_NULL if k in changes and changes[k] is None)
    if nulls:
        raise ValidationError(f"{', '.join(nulls)} cannot be null", where=nulls[0])
    try:
        sf = get_store(request).update_fact(
            fact_id, changes, user=session.user.name, note=note, expected_version=version
        )
    except StaleVersion as exc:
        return conflict(exc)
    return answer(sf)


def _review(
    fact_id: str, status: FactStatus, request: Request, session: Analyst, body: Review | None
) -> JSONResponse:
    note = body.note if body else None
    version = based_on(request, body.version if body else None, fact_id)
    try:
        sf = get_store(request).set_status(
            fact_id, status, user=session.user.name, note=note, expected_version=version
        )
    except StaleVersion as exc:
        return conflict(exc)
    return answer(sf)


@router.post(
    "/facts/{fact_id}/verify",
    summary="Mark a fact verified (If-Match or version)",
    responses={409: ERROR_SCHEMA, 428: ERROR_SCHEMA},
)
def verify_fact(
    fact_id: FactId,
    request: Request,
    session: Analyst,
    body: Annotated[Review | None, Body()] = None,
) -> JSONResponse:
    return _review(fact_id, FactStatus.VERIFIED, request, session, body)


@router.post(
    "/facts/{fact_id}/reject",
    summary="Reject a fact (kept, with status rejected; If-Match or version)",
    responses={409: ERROR_SCHEMA, 428: ERROR_SCHEMA},
)
def reject_fact(
    fact_id: FactId,
    request: Request,
    session: Analyst,
    body: Annotated[Review | None, Body()] = None,
) -> JSONResponse:
    return _review(fact_id, FactStatus.REJECTED, request, session, body)


@router.get("/stats", summary="How many documents, and facts per review status")
def stats(request: Request, session: Viewer) -> dict[str, Any]:
    store = get_store(request)
    return {"ok": True, "documents": store.count_documents(), "facts": store.fact_counts()}
