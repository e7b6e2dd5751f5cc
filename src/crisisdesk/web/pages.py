"""The review pages: log in, upload, read a report with its figures marked,
edit a figure, the queue of unreviewed figures, the dashboard, accounts.

Pages render server-side (Jinja2, autoescaped) and work without JavaScript:
every change is a form with a CSRF token. static/app.js only makes the
editor open in place and submit through the API.
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote, urlencode

import pydantic
from fastapi import APIRouter, Depends, Form, Path, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from crisisdesk.accounts import MIN_PASSWORD, ROLES
from crisisdesk.errors import (
    AuthError,
    CrisisdeskError,
    NotFoundError,
    PermissionDenied,
    ValidationError,
)
from crisisdesk.model import Category, FactStatus, Qualifier, StoredFact, Unit
from crisisdesk.store import FactQuery, StaleVersion
from crisisdesk.web.api_documents import JobId, queue_upload, read_upload, safe_filename
from crisisdesk.web.api_facts import FactChanges
from crisisdesk.web.api_users import NewUser
from crisisdesk.web.auth import (
    LOGIN_CSRF_COOKIE,
    Session,
    check_csrf,
    client_address,
    hash_password,
    requires,
)
from crisisdesk.web.common import get_store, places_resolved
from crisisdesk.web.highlight import as_written, highlight, read_from

router = APIRouter(include_in_schema=False)
Viewer = Annotated[Session, Depends(requires("viewer"))]
Analyst = Annotated[Session, Depends(requires("analyst"))]
Admin = Annotated[Session, Depends(requires("admin"))]
CsrfField = Annotated[str, Form(max_length=200)]


def render(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
    template = request.app.state.templates.get_template(name)
    return HTMLResponse(template.render(request=request, **context), status_code=status)


def _safe_next(target: str | None) -> str:
    """Only local paths: a login link must not send the user to another site."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/"


# -- login ------------------------------------------------------------------------


def _login_page(
    request: Request, *, error: str | None = None, status: int = 200, next_: str = "/"
) -> HTMLResponse:
    token, cookie = request.app.state.auth.login_token(request)
    no_admin = not any(u.role == "admin" for u in get_store(request).list_users())
    response = render(
        request,
        "login.html",
        status=status,
        user=None,
        csrf=token,
        error=error,
        no_admin=no_admin,
        next=_safe_next(next_),
    )
    response.set_cookie(
        LOGIN_CSRF_COOKIE,
        cookie,
        max_age=3600,
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
    )
    return response


@router.get("/login")
def login_form(request: Request, next: str = "/") -> HTMLResponse:
    return _login_page(request, next_=next)


@router.post("/login")
def login(
    request: Request,
    name: Annotated[str, Form(max_length=64)],
    password: Annotated[str, Form(max_length=256)],
    csrf_token: CsrfField,
    next: Annotated[str, Form(max_length=500)] = "/",
) -> Response:
    auth = request.app.state.auth
    auth.check_login_token(request, csrf_token)
    try:
        user = auth.authenticate(get_store(request), name, password, client_address(request))
    except AuthError as exc:
        return _login_page(request, error=exc.message, status=exc.http_status, next_=next)
    response = RedirectResponse(_safe_next(next), status_code=303)
    auth.start_session(response, request, user)
    response.delete_cookie(LOGIN_CSRF_COOKIE)
    return response


@router.post("/logout")
def logout(request: Request, session: Viewer, csrf_token: CsrfField) -> Response:
    check_csrf(session, csrf_token)
    response = RedirectResponse("/login", status_code=303)
    request.app.state.auth.end_session(request, response)
    return response


# -- documents ----------------------------------------------------------------------


@router.get("/documents")
def documents(
    request: Request, session: Viewer, offset: Annotated[int, Query(ge=0, le=10**9)] = 0
) -> HTMLResponse:
    store = get_store(request)
    docs = store.list_documents(limit=50, offset=offset)
    rows = []
    for doc in docs:
        facts = list(store.iter_facts(FactQuery(doc_id=doc.id)))
        rows.append(
            {
                "doc": doc,
                "facts": len(facts),
                "open": sum(1 for f in facts if f.status == FactStatus.UNREVIEWED),
            }
        )
    return render(
        request,
        "documents.html",
        user=session,
        nav="documents",
        rows=rows,
        total=store.count_documents(),
        offset=offset,
        max_kib=request.app.state.settings.max_upload_bytes // 1024,
    )


@router.post("/documents")
async def upload(
    request: Request,
    session: Analyst,
    file: UploadFile,
    csrf_token: CsrfField,
    allow_duplicate: Annotated[str, Form(max_length=8)] = "",
) -> Response:
    """The file is queued for the upload worker; its job page follows it."""
    check_csrf(session, csrf_token)
    data = await read_upload(request, file)
    name, count = safe_filename(file.filename), allow_duplicate in ("on", "true", "1")
    job = await run_in_threadpool(queue_upload, request, data, name, session.user.name, count)
    return RedirectResponse(f"/jobs/{job.id}", status_code=303)


@router.get("/jobs/{job_id}")
def job_page(job_id: JobId, request: Request, session: Analyst) -> Response:
    """An upload waiting or under way reloads itself every second; once done, the
    page goes on to the document it stored (or the list, for several)."""
    job = get_store(request).get_job(job_id)
    if job is None:
        raise NotFoundError(f"no upload job {job_id}")
    if job.state == "done" and job.result is not None:
        result = job.result
        ids = (
            result.get("documents")
            or [d["document"] for d in result.get("duplicates", [])]
            or result.get("skipped_documents")
            or []
        )
        target = f"/documents/{quote(ids[0], safe='')}" if len(ids) == 1 else "/documents"
        return RedirectResponse(target, status_code=303)
    return render(request, "job.html", user=session, nav="documents", job=job)


def _editor_context(
    store: Any, sf: StoredFact | None, text: str | None = None, **extra: Any
) -> dict[str, Any]:
    if sf is not None and text is None:
        text = store.get_document(sf.fact.doc).text
    return {
        "fact": sf,
        "places": places_resolved(sf, store.places.nearest) if sf is not None else [],
        "read_from": read_from(text, sf.fact) if sf is not None and text else [],
        "written": as_written(text, sf.fact) if sf is not None and text else None,
        "history": store.audit(fact_id=sf.id) if sf else [],
        "qualifiers": [q.value for q in Qualifier],
        "units": [u.value for u in Unit],
        "categories": [c.value for c in Category],
        "mine": extra.get("mine") or {},
        "conflict": extra.get("conflict") or [],
        "adding": extra.get("adding") or {},
    }


@router.get("/documents/{doc_id:path}")
def document(
    doc_id: str,
    request: Request,
    session: Viewer,
    fact: Annotated[str | None, Query(max_length=64)] = None,
    queue: Annotated[str, Query(max_length=2000)] = "",
) -> HTMLResponse:
    return _document_page(request, session, doc_id, fact, queue=queue)


def _document_page(
    request: Request,
    session: Session,
    doc_id: str,
    selected: str | None,
    *,
    error: str | None = None,
    status: int = 200,
    queue: str = "",
    **extra: Any,
) -> HTMLResponse:
    store = get_store(request)
    doc = store.get_document(doc_id)
    # the queue the page walks with j/k and after a verify: the one it was opened
    # from, else this document's figures in text order
    queue = queue or urlencode({"doc_id": doc.id, "sort": "document"})
    facts = list(store.iter_facts(FactQuery(doc_id=doc.id)))
    chosen = next((sf for sf in facts if sf.id == selected), None)
    return render(
        request,
        "document.html",
        status=status,
        user=session,
        nav="documents",
        doc=doc,
        facts=facts,
        body=highlight(doc.text, facts, chosen.id if chosen else None),
        error=error,
        queue=queue,
        duplicate=store.duplicates_of(doc),
        counting=store.counting(doc.id),
        counted_now=request.query_params.get("counted"),
        analysts=[u.name for u in store.list_users() if u.active and u.role != "viewer"],
        **_editor_context(store, chosen, doc.text, **extra),
    )


@router.post("/documents/{doc_id:path}/assign")
def assign_document(
    doc_id: str,
    request: Request,
    session: Analyst,
    csrf_token: CsrfField,
    assignee: Annotated[str, Form(max_length=128)] = "",
) -> Response:
    """Every figure of a report to one analyst (or nobody): their queue's work."""
    check_csrf(session, csrf_token)
    store = get_store(request)
    doc = store.get_document(doc_id)
    who = assignee.strip() or None
    label = f"assigned {doc.title or doc.origin or doc.id} to {who or 'nobody'}"
    store.assign_step(who, user=session.user.name, doc_id=doc.id, label=label)
    return RedirectResponse(f"/documents/{quote(doc.id, safe='')}", status_code=303)


@router.get("/facts/{fact_id}/editor")
def editor_fragment(fact_id: str, request: Request, session: Viewer) -> HTMLResponse:
    """The editor panel alone, for static/app.js to swap in without a reload."""
    store = get_store(request)
    sf = store.get_fact(fact_id)
    return render(request, "_editor.html", user=session, **_editor_context(store, sf))


def _form_changes(form: dict[str, Any]) -> dict[str, Any]:
    """The editor form's fields as a FactChanges body (empty fields mean "none")."""
    raw: dict[str, Any] = {}
    for key in ("value", "value_high"):  # "1,200", "٤٦" or "1.2k" as typed (values.py)
        raw[key] = str(form.get(key, "")).strip() or None
    for key in ("value_text", "date_start", "date_end", "source"):
        raw[key] = str(form.get(key, "")).strip() or None
    for key in ("qualifier", "unit", "category", "subject"):
        raw[key] = str(form.get(key, "")).strip()
    raw["places"] = [p.strip() for p in str(form.get("places", "")).split(";") if p.strip()]
    raw["is_total"] = form.get("is_total") in ("on", "true", "1")
    note = str(form.get("note", "")).strip()
    if note:
        raw["note"] = note
    try:
        return FactChanges.model_validate(raw).model_dump(exclude_unset=True, mode="json")
    except pydantic.ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first.get("loc", ()))
        raise ValidationError(f"{first.get('msg', 'invalid')}", where=where) from exc


@router.get("/facts/{fact_id}")
def fact_page(fact_id: str, request: Request, session: Viewer) -> Response:
    """A fact's own address: its document, with the fact open in the editor. Query
    parameters are the queue it was opened from (``GET /api/facts`` filters), kept
    so that after a verify the next figure of that queue opens."""
    sf = get_store(request).get_fact(fact_id)
    target = f"/documents/{quote(sf.fact.doc, safe='')}?fact={quote(sf.id, safe='')}"
    if request.url.query:
        target += "&" + urlencode({"queue": request.url.query[:2000]})
    return RedirectResponse(target + "#editor", status_code=303)


@router.post("/facts/{fact_id}")
async def review(fact_id: str, request: Request, session: Analyst) -> Response:
    """The editor form without JavaScript: action is verify, reject or save.

    The form carries the version it showed; when the figure changed since,
    the page comes back (409) with the current figure, the analyst's values
    over it, and what differs, so saving again reapplies them knowingly.
    """
    form = dict((await request.form()).items())
    check_csrf(session, str(form.get("csrf_token", "")))
    store = get_store(request)
    sf = await run_in_threadpool(store.get_fact, fact_id)
    back = f"/documents/{quote(sf.fact.doc, safe='')}?fact={quote(sf.id, safe='')}#editor"
    if form.get("back") == "queue":
        back = "/queue"
    changes: dict[str, Any] = {}
    try:
        version = _form_version(form)
        if form.get("action") == "save":
            changes = _form_changes(form)
            changes.pop("note", None)
        self_verify = request.app.state.settings.self_verify
        await run_in_threadpool(
            _apply, store, sf.id, form, changes, version, session.user.name, self_verify
        )
    except StaleVersion as exc:
        conflict, stale = _differences(exc.current, changes), str(exc)
        return await run_in_threadpool(
            lambda: _document_page(
                request, session, sf.fact.doc, sf.id, error=stale, status=409,
                mine=changes, conflict=conflict,
            )
        )  # fmt: skip
    except (ValidationError, PermissionDenied) as exc:
        message = str(exc)
        return await run_in_threadpool(
            lambda: _document_page(request, session, sf.fact.doc, sf.id, error=message, status=422)
        )
    return RedirectResponse(back, status_code=303)


def _form_version(form: dict[str, Any]) -> int:
    raw = str(form.get("version", "")).strip()
    if not raw.isdigit() or len(raw) > 10:
        raise ValidationError("the form has no version: reload the page", where="version")
    return int(raw)


STATUS_OF = {"verify": "verified", "reject": "rejected", "reopen": "unreviewed"}


def _apply(
    store: Any,
    fact_id: str,
    form: dict[str, Any],
    changes: dict[str, Any],
    version: int,
    user: str,
    self_verify: bool = False,
) -> None:
    action = str(form.get("action"))
    note = str(form.get("note", "")).strip()[:1000] or None
    if action in STATUS_OF:
        store.review_step(fact_id, STATUS_OF[action], user=user, note=note,
                          expected_version=version, self_verify=self_verify)  # fmt: skip
    elif action == "save":
        store.correct_step(fact_id, changes, user=user, note=note, expected_version=version)
    else:
        raise ValidationError("action must be verify, reject, reopen or save", where="action")


def _differences(current: StoredFact, mine: dict[str, Any]) -> list[tuple[str, Any, Any]]:
    """(field, value now, value the analyst sent) where they differ."""
    now = current.fact.to_json()
    return [(k, now.get(k), v) for k, v in mine.items() if now.get(k) != v]


# -- users ----------------------------------------------------------------------------


@router.get("/users")
def users(
    request: Request,
    session: Admin,
    done: Annotated[str | None, Query(max_length=32)] = None,
    name: Annotated[str | None, Query(max_length=64)] = None,
) -> HTMLResponse:
    """The accounts; after a change (POST-redirect-GET) ``done`` and ``name`` say which,
    and the message is made here from what the store now holds, never from the URL."""
    return _users_page(request, session, done=_done_message(get_store(request), done, name))


def _done_message(store: Any, action: str | None, name: str | None) -> str | None:
    if not action or not name:
        return None
    user = next((u for u in store.list_users() if u.name == name), None)
    if user is None:
        return None
    return {
        "role": f"{user.name} is now {user.role}",
        "deactivate": f"{user.name} deactivated; its sessions ended",
        "activate": f"{user.name} activated",
        "password": f"new password for {user.name}; its sessions ended",
        "end_sessions": f"the sessions of {user.name} ended",
        "add": f"{user.name} added ({user.role})",
    }.get(action)


def _users_page(
    request: Request,
    session: Session,
    error: str | None = None,
    status: int = 200,
    done: str | None = None,
) -> HTMLResponse:
    store = get_store(request)
    live: dict[str, int] = {}
    for s in store.list_sessions():
        live[s.user.name] = live.get(s.user.name, 0) + 1
    return render(
        request,
        "users.html",
        status=status,
        user=session,
        nav="users",
        users=store.list_users(),
        sessions=live,
        roles=list(ROLES),
        error=error,
        done=done,
        min_password=MIN_PASSWORD,
    )


@router.post("/users/{name}")
def change_user(
    request: Request,
    session: Admin,
    name: Annotated[str, Path(max_length=64)],
    csrf_token: CsrfField,
    action: Annotated[str, Form(max_length=32)],
    role: Annotated[str, Form(max_length=16)] = "",
    password: Annotated[str, Form(max_length=256)] = "",
) -> Response:
    """An admin's change to one account: role, deactivate, activate, password, end sessions."""
    check_csrf(session, csrf_token)
    store, by = get_store(request), session.user.name
    try:
        _account_action(store, name, action, role, password, by)
    except CrisisdeskError as exc:
        return _users_page(request, session, str(exc), exc.http_status)
    # POST-redirect-GET: reloading the page does not send the change again
    return RedirectResponse(f"/users?{urlencode({'done': action, 'name': name})}", 303)


def _account_action(store: Any, name: str, action: str, role: str, password: str, by: str) -> str:
    if action == "role":
        return f"{name} is now {store.set_role(name, role, by=by).role}"
    if action in ("deactivate", "activate"):
        store.set_active(name, action == "activate", by=by)
        return f"{name} {action}d" + ("; its sessions ended" if action == "deactivate" else "")
    if action == "password":
        ended = store.reset_password(name, hash_password(password, name), by=by)
        return f"new password for {name}; {ended} sessions ended"
    if action == "end_sessions":
        return f"{store.end_sessions(name, by=by)} sessions of {name} ended"
    raise ValidationError(
        "action must be role, deactivate, activate, password or end_sessions", where="action"
    )


@router.post("/users")
def add_user(
    request: Request,
    session: Admin,
    csrf_token: CsrfField,
    name: Annotated[str, Form(max_length=64)],
    role: Annotated[str, Form(max_length=16)],
    password: Annotated[str, Form(max_length=256)],
) -> Response:
    check_csrf(session, csrf_token)
    try:
        body = NewUser(name=name, role=role, password=password)  # type: ignore[arg-type]
        get_store(request).add_user(
            body.name, body.role, hash_password(body.password, body.name), by=session.user.name
        )
    except pydantic.ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(p) for p in first.get("loc", ()))
        return _users_page(request, session, f"{field}: {first.get('msg')}", 422)
    except CrisisdeskError as exc:
        return _users_page(request, session, str(exc), exc.http_status)
    return RedirectResponse(f"/users?{urlencode({'done': 'add', 'name': body.name})}", 303)
