"""The review queue page: the filters of ``GET /api/facts`` as URL parameters (a
filtered view is a link to bookmark and share), counts per filter, sorts, page
numbers, and bulk actions on a selection with an undo.

Rows say what the figure is as written: its qualifier, the number as the text
has it, highlighted inside its excerpt, with source, period and place.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Annotated, Any
from urllib.parse import urlencode

import pydantic
from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel, ConfigDict, Field

from crisisdesk.errors import CrisisdeskError, ValidationError
from crisisdesk.model import Category, Qualifier, Unit
from crisisdesk.store import BulkResult, FactQuery
from crisisdesk.web.api_facts import Sort, StatusFilter, fact_query, mine
from crisisdesk.web.auth import Session, check_csrf, requires
from crisisdesk.web.cache import Kept, request_version
from crisisdesk.web.common import get_store
from crisisdesk.web.highlight import QUALIFIER_WORDS

router = APIRouter(include_in_schema=False)
Viewer = Annotated[Session, Depends(requires("viewer"))]
Analyst = Annotated[Session, Depends(requires("analyst"))]
PER_PAGE = 50
STATUSES = ("open", "unreviewed", "corrected", "added", "verified", "rejected")
Text = Annotated[str | None, Field(max_length=200)]


class QueueParams(BaseModel):
    """The queue's URL parameters: ``GET /api/facts``'s filters and sort, and a page."""

    model_config = ConfigDict(extra="ignore")
    category: Category | None = None
    unit: Unit | None = None
    status: StatusFilter | None = None
    doc_id: Annotated[str | None, Field(max_length=64)] = None
    place: Text = None
    date_from: date | None = None
    date_to: date | None = None
    verified_only: bool = False
    qualifier: Qualifier | None = None
    source: Text = None
    q: Text = None
    assignee: Annotated[str | None, Field(max_length=128)] = None
    figure: Annotated[str | None, Field(max_length=40)] = None
    sort: Sort = "document"
    page: Annotated[int, Field(ge=1, le=10**7)] = 1


def queue_params(request: Request) -> QueueParams:
    """The parameters given, blanks dropped (an empty select means "any"); a page
    opened with no status shows what still needs a look (``open``)."""
    raw = {k: v for k, v in request.query_params.items() if v.strip()}
    raw.setdefault("status", "open") if "status" not in request.query_params else None
    if raw.get("status") == "any":
        raw.pop("status")
    try:
        return QueueParams.model_validate(raw)
    except pydantic.ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first.get("loc", ()))
        raise ValidationError(str(first.get("msg", "invalid")), where=where) from exc


def _query(p: QueueParams, session: Session) -> FactQuery:
    fields = p.model_dump(exclude={"sort", "page"})
    return mine(fact_query(**fields), session)


def link(p: QueueParams, **changes: Any) -> str:
    """The queue's address with ``changes`` (None drops a parameter; page 1 is implied)."""
    data = {k: v for k, v in p.model_dump(mode="json").items() if v not in (None, False, "")}
    if p.status is None:
        data["status"] = "any"
    data.update(changes)
    data = {k: v for k, v in data.items() if v is not None}
    if data.get("sort") == "document":
        data.pop("sort")
    if data.get("page") == 1:
        data.pop("page")
    if data.get("status") == "open":
        data.pop("status")
    return "/queue" + ("?" + urlencode(data) if data else "")


def api_filters(p: QueueParams) -> str:
    """The same view as ``GET /api/facts`` parameters (for the fact pages' next/previous)."""
    data = {k: v for k, v in p.model_dump(mode="json").items() if v not in (None, False, "")}
    data.pop("page", None)
    return urlencode(data)


def active_filters(p: QueueParams, titles: dict[str, str], user: str) -> list[str]:
    """The filters in force, in words, for the filter box's summary (shown folded on
    phones): "to review · killed · Atmeh"."""
    out = []
    if p.status:
        out.append("to review" if p.status == "open" else p.status)
    for value in (p.category, p.unit, p.qualifier):
        if value:
            out.append(str(value).replace("_", " "))
    if p.assignee:
        who = {"me": f"assigned to {user}", "none": "unassigned"}
        out.append(who.get(p.assignee, f"assigned to {p.assignee}"))
    if p.doc_id:
        out.append(titles.get(p.doc_id, p.doc_id)[:40])
    for value in (p.source, p.place):
        if value:
            out.append(value[:40])
    if p.date_from or p.date_to:
        out.append(f"{p.date_from or '…'} – {p.date_to or '…'}")
    if p.q:
        out.append(f"“{p.q[:40]}”")
    if p.figure:
        out.append("one stored figure's facts")
    return out


def page_numbers(page: int, pages: int) -> list[int | None]:
    """1 … p-2 p-1 p p+1 p+2 … last (None is a gap)."""
    keep = {1, pages, *range(page - 2, page + 3)}
    out: list[int | None] = []
    for n in sorted(k for k in keep if 1 <= k <= pages):
        if out and out[-1] is not None and n - out[-1] > 1:  # type: ignore[operator]
            out.append(None)
        out.append(n)
    return out


@router.get("/queue")
def queue(
    request: Request, session: Viewer, p: Annotated[QueueParams, Depends(queue_params)]
) -> HTMLResponse:
    return render_queue(request, session, p)


def render_queue(
    request: Request,
    session: Session,
    p: QueueParams,
    *,
    done: BulkResult | None = None,
    action: str | None = None,
    error: str | None = None,
    status: int = 200,
) -> HTMLResponse:
    store = get_store(request)
    query = _query(p, session)
    view = _view(request, query, p)
    total, current, pages, items, facets, titles, excerpts = view
    template = request.app.state.templates.get_template("queue.html")
    html = template.render(
        request=request,
        user=session,
        nav="queue",
        p=p,
        items=items,
        excerpts=excerpts,
        total=total,
        page=current,
        pages=pages,
        numbers=page_numbers(current, pages),
        facets=facets,
        titles=titles,
        active=active_filters(p, titles, session.user.name),
        users=[u.name for u in store.list_users() if u.active and u.role != "viewer"],
        link=lambda **kw: link(p, **kw),
        api=api_filters(p),
        words=QUALIFIER_WORDS,
        statuses=STATUSES,
        categories=[c.value for c in Category],
        units=[u.value for u in Unit],
        qualifiers=[q.value for q in Qualifier],
        done=done,
        action=action,
        history=store.undo_steps(session.user.name, limit=5) if session.can("analyst") else [],
        error=error,
    )
    return HTMLResponse(html, status_code=status)


def _view(request: Request, query: FactQuery, p: QueueParams) -> tuple[Any, ...]:
    """What the page shows of the store (count, page of facts, facets, titles,
    excerpts): the same while the store's version is (``cache.Kept``)."""
    store = get_store(request)

    def compute() -> tuple[Any, ...]:
        total = store.count_facts(query)
        pages = max(1, -(-total // PER_PAGE))
        current = min(p.page, pages)
        offset = (current - 1) * PER_PAGE
        items = list(store.iter_facts(query, limit=PER_PAGE, offset=offset, sort=p.sort))
        facets = store.facets(query)
        docs = [d for d, _ in facets["doc_id"]] + [sf.fact.doc for sf in items] + [p.doc_id or ""]
        titles = store.document_titles(docs)
        return total, current, pages, items, facets, titles, store.excerpts(items)

    key = ("queue", request_version(request), query, p.sort, p.page)
    kept: Kept = request.app.state.kept
    return kept.fetch(key, compute)


@router.post("/queue")
async def queue_bulk(
    request: Request, session: Analyst, p: Annotated[QueueParams, Depends(queue_params)]
) -> Response:
    """A bulk action from the queue's form (the page asks once to confirm), or its undo."""
    form = await request.form()
    check_csrf(session, str(form.get("csrf_token", "")))
    store = get_store(request)
    action = str(form.get("action", ""))
    try:
        if action == "undo":  # the newest step of this user's history (the page named it)
            raw = str(form.get("step", "")).strip()
            step, result = store.undo_last(session.user.name, int(raw) if raw.isdigit() else None)
            action = f"undo: {step.label}"
        else:
            picked = [str(v) for v in form.getlist("ids")][:1000]
            if form.get("row"):  # a row's own button: "verify:<id>@<version>"
                action, _, one = str(form.get("row")).partition(":")
                picked = [one]
            versions = dict(_id_version(v) for v in picked)
            if not versions:
                raise ValidationError("select at least one figure", where="ids")
            assignee = str(form.get("assignee", "")).strip() or None
            result = store.bulk_step(
                action,
                list(versions),
                user=session.user.name,
                assignee=assignee,
                self_verify=request.app.state.settings.self_verify,
                versions={k: v for k, v in versions.items() if v},
            )
    except (CrisisdeskError, json.JSONDecodeError) as exc:
        message = str(exc)
        return render_queue(request, session, p, error=message, status=422)
    return render_queue(request, session, p, done=result, action=action)


def _id_version(value: str) -> tuple[str, int]:
    """ "<id>@<version>" as the page sends a row it showed (0: no version given)."""
    fid, _, version = value.partition("@")
    return fid, int(version) if version.isdigit() and len(version) < 10 else 0
