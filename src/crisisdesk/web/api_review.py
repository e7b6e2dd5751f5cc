"""The team's review calls: add a figure the extractor missed, assign facts or a
whole document, act on a selection at once (verify, reject, reopen, assign) and
undo it."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field, model_validator

from crisisdesk.errors import ValidationError
from crisisdesk.model import FactStatus
from crisisdesk.store import BulkResult, UndoStep
from crisisdesk.web.api_facts import FactFields, answer
from crisisdesk.web.auth import Session, requires
from crisisdesk.web.common import get_store, settings
from crisisdesk.web.errors import ERROR_SCHEMA

router = APIRouter(prefix="/api", tags=["review"])
Analyst = Annotated[Session, Depends(requires("analyst", csrf=True))]
Viewer = Annotated[Session, Depends(requires("viewer"))]
Id = Annotated[str, Field(min_length=1, max_length=64)]
Name = Annotated[str, Field(min_length=1, max_length=128)]
MAX_SELECTION = 1000


class NewFact(FactFields):
    """A figure found by a reader: where its number stands in the text, and its fields."""

    doc: Id
    span: Annotated[list[Annotated[int, Field(ge=0, le=10**9)]], Field(min_length=2, max_length=2)]
    # the words of the text that state its period ("on 5 February"), kept as its evidence;
    # without them the period (and, in the same sentence, source and places) is read
    # as for the extracted figures around it
    period_words: Annotated[str, Field(max_length=200)] | None = None


class Selection(BaseModel):
    model_config = ConfigDict(extra="forbid")
    action: Literal["verify", "reject", "reopen", "assign"]
    ids: Annotated[list[Id], Field(min_length=1, max_length=MAX_SELECTION)]
    assignee: Name | None = None  # for assign (null: unassign)
    # the version of each fact the analyst saw: one changed since is skipped
    versions: dict[Id, Annotated[int, Field(ge=1, le=2**31)]] | None = None


class UndoItem(BaseModel):
    """One fact as a bulk action found it: its status before (at the version the
    action left), or its assignee before."""

    model_config = ConfigDict(extra="forbid")
    id: Id
    status: FactStatus | None = None
    version: Annotated[int, Field(ge=1, le=2**31)] | None = None
    assignee: Name | None = None

    @model_validator(mode="after")
    def one_thing(self) -> UndoItem:
        if ("status" in self.model_fields_set) == ("assignee" in self.model_fields_set):
            raise ValueError("give the status or the assignee to put back, not both")
        if "status" in self.model_fields_set and self.status is None:
            raise ValueError("status cannot be null")
        return self


class Undo(BaseModel):
    model_config = ConfigDict(extra="forbid")
    undo: Annotated[list[UndoItem], Field(min_length=1, max_length=MAX_SELECTION)]


class Assignment(BaseModel):
    model_config = ConfigDict(extra="forbid")
    assignee: Name | None = None
    ids: Annotated[list[Id], Field(max_length=MAX_SELECTION)] = []
    doc_id: Id | None = None


def _result(result: BulkResult) -> dict[str, Any]:
    return {
        "ok": True,
        "done": result.done,
        "skipped": [{"id": i, "why": why} for i, why in result.skipped],
        "undo": result.undo,
    }


@router.post(
    "/facts",
    status_code=201,
    summary="Add a figure the extractor missed: doc, span [start, end] of its number, fields",
    responses={409: ERROR_SCHEMA},
)
def add_fact(body: NewFact, request: Request, session: Analyst) -> JSONResponse:
    fields = body.model_dump(exclude_unset=True, mode="python", exclude={"doc", "span"})
    for key in ("unit", "category"):
        if not fields.get(key):
            raise ValidationError(f"{key} is required for a new figure", where=key)
    if fields.get("value") is None and not fields.get("value_text"):
        raise ValidationError("value (or value_text) is required", where="value")
    fields = {k: v for k, v in fields.items() if v is not None or k in ("value", "value_high")}
    start, end = body.span
    sf = get_store(request).add_step(body.doc, (start, end), fields, user=session.user.name)
    response = answer(sf, request)
    response.status_code = 201
    return response


@router.post(
    "/facts/bulk", summary="Verify, reject, reopen or assign a selection; answer says how to undo"
)
def bulk(body: Selection, request: Request, session: Analyst) -> dict[str, Any]:
    result = get_store(request).bulk_step(
        body.action,
        body.ids,
        user=session.user.name,
        assignee=body.assignee,
        self_verify=settings(request).self_verify,
        versions=body.versions,
    )
    return _result(result)


@router.post(
    "/facts/undo",
    summary="Undo a bulk action (send back its answer's undo list); "
    "the history's steps it covers are undone too",
)
def undo(body: Undo, request: Request, session: Analyst) -> dict[str, Any]:
    items = [item.model_dump(exclude_unset=True, mode="json") for item in body.undo]
    return _result(get_store(request).undo_items(items, user=session.user.name))


@router.post("/assign", summary="Assign facts, or every fact of a document, to an analyst")
def assign(body: Assignment, request: Request, session: Analyst) -> dict[str, Any]:
    if not body.ids and not body.doc_id:
        raise ValidationError("send ids or doc_id", where="ids")
    n = "every figure of a document" if body.doc_id else f"{len(body.ids)} figure(s)"
    changed = get_store(request).assign_step(
        body.assignee, user=session.user.name, fact_ids=body.ids, doc_id=body.doc_id,
        label=f"assigned {n} to {body.assignee or 'nobody'}",
    )  # fmt: skip
    return {"ok": True, "done": [c["id"] for c in changed], "skipped": [], "undo": changed}


class UndoNext(BaseModel):
    model_config = ConfigDict(extra="forbid")
    step: Annotated[int, Field(ge=1)] | None = None  # must be the newest, when given


def _step(step: UndoStep) -> dict[str, Any]:
    return {"step": step.id, "at": step.at.isoformat() if step.at else None,
            "label": step.label, "figures": sum(1 for i in step.items if "id" in i)}  # fmt: skip


@router.get("/undo", summary="Your recent actions that can be undone, the next to undo first")
def undo_history(request: Request, session: Viewer) -> dict[str, Any]:
    steps = get_store(request).undo_steps(session.user.name)
    return {"ok": True, "items": [_step(s) for s in steps]}


@router.post(
    "/undo",
    summary="Undo your newest action (then the one before, and so on); recorded in the audit log",
    responses={404: ERROR_SCHEMA},
)
def undo_next(request: Request, session: Analyst, body: UndoNext | None = None) -> dict[str, Any]:
    store = get_store(request)
    step, result = store.undo_last(session.user.name, body.step if body else None)
    following = store.undo_steps(session.user.name, limit=1)
    return {**_result(result), "undone": _step(step),
            "next": _step(following[0]) if following else None}  # fmt: skip
