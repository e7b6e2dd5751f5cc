"""Documents: upload (text, HTML, PDF...), list, read with their facts."""

from __future__ import annotations

import threading
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request, UploadFile
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from crisisdesk.errors import ConfigError, IngestError, NotFoundError
from crisisdesk.pipeline import Pipeline
from crisisdesk.store import FactQuery
from crisisdesk.store.jobs import Job
from crisisdesk.web.auth import Session, requires
from crisisdesk.web.common import MAX_PAGE, document_json, fact_json, get_store, page, settings
from crisisdesk.web.errors import PayloadTooLarge, Unavailable

router = APIRouter(prefix="/api", tags=["documents"])
Viewer = Annotated[Session, Depends(requires("viewer"))]
Analyst = Annotated[Session, Depends(requires("analyst", csrf=True))]
AnalystReads = Annotated[Session, Depends(requires("analyst"))]
JobId = Annotated[int, Path(ge=1, le=2**31 - 1)]  # an integer column on every store


def pipeline_of(request: Request) -> Pipeline:
    """The app's pipeline, built on first use (loading the gazetteer takes a while)."""
    state = request.app.state
    lock: threading.Lock = state.pipeline_lock
    with lock:
        if state.pipeline is None:
            try:
                state.pipeline = Pipeline.build()
            except ConfigError as exc:
                raise Unavailable(f"extraction is not available: {exc.message}") from exc
        return state.pipeline


MAX_NAME_BYTES = 255  # what every file system takes


def safe_filename(name: str | None) -> str:
    """An upload's name as the store keeps it: its last path part, no control
    characters, at most 255 bytes of UTF-8 cut on a character boundary with its
    extension kept ("report....pdf" still reads as a PDF)."""
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(ch for ch in base if ch.isprintable()).strip() or "upload"
    if len(base.encode()) <= MAX_NAME_BYTES:
        return base
    stem, dot, ext = base.rpartition(".")
    if not dot or len(ext.encode()) > 16:
        stem, ext = base, ""
    room = MAX_NAME_BYTES - len(ext.encode()) - (2 if ext else 1)
    cut = stem.encode()[:room].decode("utf-8", "ignore")
    return f"{cut}~.{ext}" if ext else f"{cut}~"


async def read_upload(request: Request, file: UploadFile) -> bytes:
    """The uploaded bytes, refusing anything over the limit without reading it all."""
    limit = settings(request).max_upload_bytes
    name = safe_filename(file.filename)
    data = await file.read(limit + 1)
    if len(data) > limit:
        raise PayloadTooLarge(f"the file is larger than {limit // 1024} KiB", where=name)
    if not data.strip():
        raise IngestError("the file is empty", where=name)
    return data


def queue_upload(
    request: Request, data: bytes, name: str, by: str, allow_duplicate: bool = False
) -> Job:
    """Keep the upload as a job and wake the worker; extraction happens there, not here."""
    job = get_store(request).add_job(name, data, {"allow_duplicate": allow_duplicate}, by)
    request.app.state.uploads.ask()
    return job


def job_url(job_id: int) -> str:
    return f"/api/jobs/{job_id}"


@router.post(
    "/documents",
    status_code=202,
    summary="Upload a report (text, HTML, PDF, JSONL): queued for extraction (202 and a job)",
)
async def upload(
    request: Request, file: UploadFile, session: Analyst, allow_duplicate: bool = False
) -> JSONResponse:
    """The file is kept and extracted by the upload worker, one upload at a time;
    ``GET /api/jobs/{id}`` (the ``Location``) says when it is done and what it stored.
    A report that repeats a stored one (the same text typeset again) is kept and
    named in the job's result: ``duplicate_of`` and a warning; its figures are not
    counted again unless ``allow_duplicate``."""
    data = await read_upload(request, file)
    name = safe_filename(file.filename)
    job = await run_in_threadpool(
        queue_upload, request, data, name, session.user.name, allow_duplicate
    )
    url = job_url(job.id)
    body = {"ok": True, "job": job.id, "url": url, "state": job.state, "name": name}
    return JSONResponse(body, status_code=202, headers={"Location": url})


@router.get("/jobs/{job_id}", summary="An upload's job: queued, running, done or failed, and why")
def read_job(job_id: JobId, request: Request, session: AnalystReads) -> dict[str, Any]:
    job = get_store(request).get_job(job_id)
    if job is None:
        raise NotFoundError(f"no upload job {job_id}")
    return {"ok": True, "url": job_url(job.id), **job.to_json()}


@router.get("/documents", summary="Documents, newest first")
def list_documents(
    request: Request,
    session: Viewer,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 50,
    offset: Annotated[int, Query(ge=0, le=10**9)] = 0,
) -> dict[str, Any]:
    store = get_store(request)
    docs = store.list_documents(limit=limit, offset=offset)
    return page([document_json(d) for d in docs], store.count_documents(), limit, offset)


@router.get("/documents/{doc_id:path}", summary="One document, its text and its facts")
def read_document(doc_id: str, request: Request, session: Viewer) -> dict[str, Any]:
    store = get_store(request)
    doc = store.get_document(doc_id)
    facts = [fact_json(sf) for sf in store.iter_facts(FactQuery(doc_id=doc.id))]
    return {"ok": True, "document": document_json(doc, with_text=True), "facts": facts}
