"""Adding a missed figure with a plain HTML form: the document page's "Add a figure"
works without JavaScript (and on a phone, where selecting words is awkward).

The analyst types the number as the text writes it, and words around it when the
number appears more than once; the server finds its characters in the text. With
JavaScript, selecting the number fills the same fields. The figure is stored as
``POST /api/facts`` stores it (status "added", its sentence as quote), with the
words of its period, source and places as evidence (``store.framing``).
"""

from __future__ import annotations

import re
from typing import Annotated, Any
from urllib.parse import quote

import pydantic
from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse, Response

from crisisdesk.errors import ConflictError, ValidationError
from crisisdesk.web.api_facts import FactFields
from crisisdesk.web.auth import Session, check_csrf, requires
from crisisdesk.web.common import get_store
from crisisdesk.web.pages import _document_page

router = APIRouter(include_in_schema=False)
Analyst = Annotated[Session, Depends(requires("analyst"))]
FIELDS = ("value", "value_high", "value_text", "qualifier", "unit", "category", "subject",
          "date_start", "date_end", "source")  # fmt: skip


def locate(text: str, number: str, around: str = "") -> tuple[int, int]:
    """The characters of ``number`` in ``text``: inside ``around`` when given, else its
    only standalone occurrence (not a part of a longer number)."""
    number = number.strip()
    if not number or len(number) > 64:
        raise ValidationError("type the number as the text writes it", where="number")
    pattern = re.compile(rf"(?<![\w.,]){re.escape(number)}(?![\w]|[.,]\d)")
    around = " ".join(around.split())
    if around:
        at = text.find(around)
        if at < 0:
            raise ValidationError(f"“{around[:60]}” is not in the text", where="near")
        hit = pattern.search(text, at, at + len(around))
        if hit is None:
            raise ValidationError(f"{number} is not in “{around[:60]}”", where="number")
        return hit.start(), hit.end()
    hits = list(pattern.finditer(text))
    if not hits:
        raise ValidationError(f"{number} is not in the text as written", where="number")
    if len(hits) > 1:
        raise ValidationError(
            f"{number} appears {len(hits)} times: add words around it to say which",
            where="near",
        )
    return hits[0].start(), hits[0].end()


def new_fields(form: dict[str, Any]) -> dict[str, Any]:
    """The form's figure fields, checked as the API checks them."""
    raw: dict[str, Any] = {k: str(form.get(k, "")).strip() or None for k in FIELDS}
    raw["places"] = [p.strip() for p in str(form.get("places", "")).split(";") if p.strip()]
    raw["is_total"] = form.get("is_total") in ("on", "true", "1")
    try:
        fields = FactFields.model_validate(raw).model_dump(exclude_unset=True, mode="python")
    except pydantic.ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first.get("loc", ()))
        raise ValidationError(f"{first.get('msg', 'invalid')}", where=where) from exc
    for key in ("unit", "category"):
        if not fields.get(key):
            raise ValidationError(f"{key} is required for a new figure", where=key)
    fields = {k: v for k, v in fields.items() if v is not None or k in ("value", "value_high")}
    if fields.get("value") is None and not fields.get("value_text"):
        raise ValidationError("value (or value_text) is required", where="value")
    words = str(form.get("period_words", "")).strip()[:200]
    if words:
        fields["period_words"] = words
    return fields


@router.post("/documents/{doc_id:path}/facts")
async def add_page(doc_id: str, request: Request, session: Analyst) -> Response:
    form = dict((await request.form()).items())
    check_csrf(session, str(form.get("csrf_token", "")))
    store = get_store(request)

    def add() -> str:
        doc = store.get_document(doc_id)
        start, end = str(form.get("span_start", "")), str(form.get("span_end", ""))
        if start.isdigit() and end.isdigit() and len(start) < 10 and len(end) < 10:
            span = (int(start), int(end))  # the words selected (JavaScript)
        else:
            span = locate(doc.text, str(form.get("number", "")), str(form.get("near", "")))
        if not str(form.get("value", "")).strip() and not str(form.get("value_text", "")).strip():
            form["value"] = doc.text[span[0] : span[1]]  # the number as written, read as typed
        fields = new_fields(form)
        return store.add_step(doc.id, span, fields, user=session.user.name).id

    try:
        fid = await run_in_threadpool(add)
    except (ValidationError, ConflictError) as exc:
        message = str(exc)
        return await run_in_threadpool(
            lambda: _document_page(
                request, session, doc_id, None, error=message, status=422, adding=form
            )  # fmt: skip
        )
    target = f"/documents/{quote(doc_id, safe='')}?fact={quote(fid, safe='')}#editor"
    return RedirectResponse(target, status_code=303)
