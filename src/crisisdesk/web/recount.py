"""Counting a near-duplicate after all, or marking a counted report a duplicate of
another: the API calls and the document page's forms (which work without
JavaScript). Who did it goes to the audit log; the totals follow once the stored
figures are reconciled again (the store version moved)."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, ConfigDict, Field

from crisisdesk.errors import ValidationError
from crisisdesk.web.api_documents import pipeline_of
from crisisdesk.web.auth import Session, check_csrf, requires
from crisisdesk.web.common import get_store
from crisisdesk.web.errors import ERROR_SCHEMA

router = APIRouter()
ApiAnalyst = Annotated[Session, Depends(requires("analyst", csrf=True))]
Analyst = Annotated[Session, Depends(requires("analyst"))]
Id = Annotated[str, Field(min_length=1, max_length=64)]
Note = Annotated[str | None, Field(max_length=1000)]


class CountBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    note: Note = None


class DuplicateBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    # the stored document this one repeats (default: the one ingest found it repeats)
    of: Id | None = None
    note: Note = None


def _standing(request: Request, doc_id: str, changed: list[str]) -> dict[str, Any]:
    c = get_store(request).counting(doc_id)
    return {"ok": True, "document": doc_id, "duplicate_of": c.duplicate_of,
            "counted": c.counted, "figures": c.facts, "changed": changed}  # fmt: skip


def _count(request: Request, doc_id: str, user: str, note: str | None) -> list[str]:
    """``Pipeline.count_repeat`` as an undoable step: a repeat stored without figures
    is extracted now; one marked a duplicate gets its own back."""
    store = get_store(request)
    facts = pipeline_of(request).repeat_figures(store, doc_id)
    return store.count_step(doc_id, user=user, facts=facts, note=note)


@router.post(
    "/api/documents/{doc_id:path}/count",
    tags=["documents"],
    summary="Count a near-duplicate's figures after all (extracted now if it has none)",
    responses={404: ERROR_SCHEMA, 422: ERROR_SCHEMA},
)
async def count_api(
    doc_id: str, request: Request, session: ApiAnalyst, body: CountBody | None = None
) -> dict[str, Any]:
    note = body.note if body else None
    changed = await run_in_threadpool(_count, request, doc_id, session.user.name, note)
    return _standing(request, doc_id, changed)


@router.post(
    "/api/documents/{doc_id:path}/duplicate",
    tags=["documents"],
    summary="Mark a document a duplicate of another: its figures stop counting (rejected)",
    responses={404: ERROR_SCHEMA, 409: ERROR_SCHEMA, 422: ERROR_SCHEMA},
)
def duplicate_api(
    doc_id: str, body: DuplicateBody, request: Request, session: ApiAnalyst
) -> dict[str, Any]:
    store = get_store(request)
    doc = store.get_document(doc_id)  # 404 first
    of = body.of or store.counting(doc.id).duplicate_of
    if of is None:
        raise ValidationError("of: the stored document this one repeats", where="of")
    changed = store.duplicate_step(doc.id, of, user=session.user.name, note=body.note)
    return _standing(request, doc_id, changed)


@router.post("/documents/{doc_id:path}/count", include_in_schema=False)
async def count_page(
    doc_id: str,
    request: Request,
    session: Analyst,
    csrf_token: Annotated[str, Form(max_length=200)],
) -> Response:
    check_csrf(session, csrf_token)
    await run_in_threadpool(_count, request, doc_id, session.user.name, None)
    return RedirectResponse(f"/documents/{quote(doc_id, safe='')}?counted=1", status_code=303)


@router.post("/documents/{doc_id:path}/duplicate", include_in_schema=False)
def duplicate_page(
    doc_id: str,
    request: Request,
    session: Analyst,
    csrf_token: Annotated[str, Form(max_length=200)],
    of: Annotated[str, Form(max_length=64)],
) -> Response:
    check_csrf(session, csrf_token)
    get_store(request).duplicate_step(doc_id, of.strip(), user=session.user.name)
    return RedirectResponse(f"/documents/{quote(doc_id, safe='')}?counted=0", status_code=303)
