"""Facts: list with filters, read with their audit history, correct, verify, reject."""

from __future__ import annotations

import dataclasses
import inspect
from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Depends, Path, Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from crisisdesk.errors import ValidationError
from crisisdesk.model import Category, FactStatus, Qualifier, StoredFact, Unit
from crisisdesk.store import FactQuery, StaleVersion
from crisisdesk.store.documents import SORTS
from crisisdesk.web.auth import Session, requires
from crisisdesk.web.cache import Kept, json_body, request_version
from crisisdesk.web.common import (
    MAX_PAGE,
    audit_json,
    fact_json,
    get_store,
    page,
    places_resolved,
    settings,
)
from crisisdesk.web.errors import ERROR_SCHEMA, PreconditionRequired, error_body
from crisisdesk.web.values import parse_count

router = APIRouter(prefix="/api", tags=["facts"])
Viewer = Annotated[Session, Depends(requires("viewer"))]
Analyst = Annotated[Session, Depends(requires("analyst", csrf=True))]
BIG = 10**12  # larger than any count a report states; fits the BIGINT column
NOT_NULL = ("qualifier", "unit", "category", "subject", "places", "is_total")
Text = Annotated[str, Field(max_length=200)]
FactId = Annotated[str, Path(min_length=1, max_length=64)]


def _count(field: str) -> BeforeValidator:
    """A count as typed ("1,200", "٤٦", "1.2k"), refused with the field's name."""
    return BeforeValidator(lambda v: parse_count(v, field))


Count = Annotated[int, Field(ge=0, le=BIG)]
StatusFilter = Literal["unreviewed", "verified", "corrected", "rejected", "added", "open"]
Sort = Literal[SORTS]  # type: ignore[valid-type]


class FactFields(BaseModel):
    """The fields of a figure as a reviewer types them."""

    model_config = ConfigDict(extra="forbid")
    value: Annotated[Count | None, _count("value")] = None
    value_high: Annotated[Count | None, _count("value_high")] = None
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


class FactChanges(FactFields):
    """The fields a reviewer may correct; only those sent are changed."""

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


def answer(sf: StoredFact, request: Request | None = None, **extra: Any) -> JSONResponse:
    """One fact (with the nearest known names of a place that did not resolve)."""
    data = fact_json(sf)
    if request is not None and any(p["place_id"] is None for p in data["places_resolved"]):
        data["places_resolved"] = places_resolved(sf, get_store(request).places.nearest)
    return JSONResponse({"ok": True, "fact": data, **extra}, headers={"ETag": etag(sf)})


Words = Annotated[str | None, Query(max_length=200)]


def fact_query(
    category: Category | None = None,
    unit: Unit | None = None,
    status: StatusFilter | None = None,
    doc_id: Annotated[str | None, Query(max_length=64)] = None,
    place: Words = None,
    date_from: date | None = None,
    date_to: date | None = None,
    verified_only: bool = False,
    qualifier: Qualifier | None = None,
    source: Words = None,
    q: Words = None,
    assignee: Annotated[str | None, Query(max_length=128)] = None,
    figure: Annotated[str | None, Query(max_length=40)] = None,
) -> FactQuery:
    """Filters from the query string (those of ``crisisdesk total``, and the review
    queue's: ``status=open`` is what still needs a look, ``q`` words anywhere,
    ``assignee=none`` the unassigned, ``figure`` the facts a stored figure rests on)."""
    return FactQuery(
        category=category.value if category else None,
        unit=unit.value if unit else None,
        status=status or None,
        doc_id=doc_id or None,
        place=place or None,
        date_from=date_from,
        date_to=date_to,
        verified_only=verified_only,
        qualifier=qualifier.value if qualifier else None,
        source=source or None,
        text=q or None,
        assignee=assignee or None,
        figure=figure or None,
    )


async def query_string(**fields: Any) -> FactQuery:
    """``fact_query`` as a dependency run on the event loop: it only reads the query
    string, so it needs no hop to a worker thread (a sync dependency takes one: under
    load, a wait for a thread and for the interpreter, per request)."""
    return fact_query(**fields)


query_string.__signature__ = inspect.signature(fact_query)  # type: ignore[attr-defined]
FromQuery = Annotated[FactQuery, Depends(query_string)]


@router.get(
    "/facts",
    summary="Facts matching the filters; oldest_first gives the review queue",
    response_model=dict[str, Any],
)
def list_facts(
    request: Request,
    session: Viewer,
    query: FromQuery,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 50,
    offset: Annotated[int, Query(ge=0, le=10**9)] = 0,
    oldest_first: bool = False,
    sort: Sort = "document",
    facets: bool = False,
) -> Response:
    store = get_store(request)
    query = mine(query, session)

    def compute() -> bytes:
        # each fact's JSON kept while its stored rows stay as they were (``MadeMemo``):
        # under a busy team the store changes between two pages, its facts mostly not
        items = list(
            store.made_facts(
                _item_json,
                request.app.state.page_items,
                query,
                limit=limit,
                offset=offset,
                oldest_first=oldest_first,
                sort=sort,
            )
        )
        out = page([], store.count_facts(query), limit, offset)
        if facets:  # facts per value of each filter, under the other filters
            out["facets"] = {k: [[v, n] for v, n in vs] for k, vs in store.facets(query).items()}
        return with_items(json_body(out), items)

    # the same page while the store's version stays (read before the page: ``cache``)
    key = ("facts", request_version(request), query, limit, offset, oldest_first, sort, facets)
    files: Kept = request.app.state.files
    return Response(files.fetch(key, compute), media_type="application/json")


def _item_json(sf: StoredFact) -> bytes:
    return json_body(fact_json(sf))


EMPTY_ITEMS = b'"items":[]'


def with_items(body: bytes, items: list[bytes]) -> bytes:
    """A page's JSON written with no items, with the items' own JSON put in: the bytes
    ``json_body`` gives for the page with them (its first key is "ok", then "items")."""
    at = body.index(EMPTY_ITEMS) + len(EMPTY_ITEMS) - 1
    return body[:at] + b",".join(items) + body[at:]


def mine(query: FactQuery, session: Session) -> FactQuery:
    """``assignee=me`` is the user asking ("my queue")."""
    if query.assignee == "me":
        return dataclasses.replace(query, assignee=session.user.name)
    return query


@router.get("/facts/ids", summary="Ids and documents of the facts matching the filters, in order")
def fact_ids(
    request: Request,
    session: Viewer,
    query: FromQuery,
    sort: Sort = "document",
    limit: Annotated[int, Query(ge=1, le=10_000)] = 5000,
) -> dict[str, Any]:
    """What a review page walks with j/k: the queue's order without the facts' fields."""
    rows = get_store(request).fact_ids_where(mine(query, session), sort=sort, limit=limit)
    return {"ok": True, "items": [[fid, doc] for fid, doc in rows]}


@router.get("/facts/{fact_id}", summary="One fact (ETag: its version), status and audit history")
def read_fact(fact_id: FactId, request: Request, session: Viewer) -> JSONResponse:
    store = get_store(request)
    sf = store.get_fact(fact_id)
    history = [audit_json(e) for e in store.audit(fact_id=sf.id)]
    return answer(sf, request, audit=history)


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
        sf = get_store(request).correct_step(
            fact_id, changes, user=session.user.name, note=note, expected_version=version
        )
    except StaleVersion as exc:
        return conflict(exc)
    return answer(sf, request)


def _review(
    fact_id: str, status: FactStatus, request: Request, session: Analyst, body: Review | None
) -> JSONResponse:
    note = body.note if body else None
    version = based_on(request, body.version if body else None, fact_id)
    try:
        sf = get_store(request).review_step(
            fact_id,
            status,
            user=session.user.name,
            note=note,
            expected_version=version,
            self_verify=settings(request).self_verify,
        )
    except StaleVersion as exc:
        return conflict(exc)
    return answer(sf)


@router.post(
    "/facts/{fact_id}/reopen",
    summary="Put a fact back to unreviewed (If-Match or version)",
    responses={409: ERROR_SCHEMA, 428: ERROR_SCHEMA},
)
def reopen_fact(
    fact_id: FactId,
    request: Request,
    session: Analyst,
    body: Annotated[Review | None, Body()] = None,
) -> JSONResponse:
    return _review(fact_id, FactStatus.UNREVIEWED, request, session, body)


@router.post(
    "/facts/{fact_id}/verify",
    summary="Mark a fact verified (If-Match or version); a correction or an added figure "
    "only by someone other than its author",
    responses={403: ERROR_SCHEMA, 409: ERROR_SCHEMA, 428: ERROR_SCHEMA},
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
