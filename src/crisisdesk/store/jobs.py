"""Upload jobs: a file waiting for the extraction worker, and what became of it.

The web server keeps the uploaded bytes in a ``jobs`` row and answers at once;
a worker process (``crisisdesk.worker``) takes the rows one at a time, in the
order they came, while it holds the store's upload claim (``claim.job_claim``),
so one store never extracts two uploads at once however many servers or
workers run. A row is ``queued``, ``running``, ``done`` or ``failed``. A worker
killed mid-file leaves its row ``running``: the ingest writes a document and
its facts in one transaction, so nothing half-written is left, and the next
worker to take the claim puts the row back in the queue (``requeue_orphans``);
after ``MAX_ATTEMPTS`` starts it is failed instead, so one file that kills
every worker cannot hold the queue.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, func, select

from crisisdesk.store import schema

QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
MAX_ATTEMPTS = 3


@dataclass(frozen=True, slots=True)
class Job:
    id: int
    kind: str
    state: str
    name: str
    options: dict[str, Any]
    result: dict[str, Any] | None
    error: str | None
    created_by: str
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    attempts: int

    def to_json(self) -> dict[str, Any]:
        def iso(at: datetime | None) -> str | None:
            return at.isoformat(timespec="seconds") if at else None

        return {
            "id": self.id,
            "kind": self.kind,
            "state": self.state,
            "name": self.name,
            "created_by": self.created_by,
            "created_at": iso(self.created_at),
            "started_at": iso(self.started_at),
            "finished_at": iso(self.finished_at),
            "attempts": self.attempts,
            "result": self.result,
            "error": self.error,
        }


_COLUMNS = [c for c in schema.jobs.c if c.name != "payload"]


def _aware(at: datetime | None) -> datetime | None:
    return at if at is None or at.tzinfo is not None else at.replace(tzinfo=UTC)


def _job(row: Any) -> Job:
    return Job(
        id=row.id,
        kind=row.kind,
        state=row.state,
        name=row.name,
        options=dict(row.options or {}),
        result=row.result,
        error=row.error,
        created_by=row.created_by,
        created_at=_aware(row.created_at) or datetime.now(UTC),
        started_at=_aware(row.started_at),
        finished_at=_aware(row.finished_at),
        attempts=int(row.attempts or 0),
    )


def add_job(engine: Engine, name: str, payload: bytes, options: dict[str, Any], by: str) -> Job:
    """Queue one upload; its row is committed when this returns."""
    j = schema.jobs
    values = {
        "kind": "upload",
        "state": QUEUED,
        "name": name,
        "payload": payload,
        "options": options,
        "created_by": by[:128],
        "created_at": datetime.now(UTC),
        "attempts": 0,
    }
    with engine.begin() as conn:
        key = conn.execute(j.insert().values(**values)).inserted_primary_key
    assert key is not None
    found = get_job(engine, int(key[0]))
    assert found is not None
    return found


def get_job(engine: Engine, job_id: int) -> Job | None:
    j = schema.jobs
    with engine.connect() as conn:
        row = conn.execute(select(*_COLUMNS).where(j.c.id == job_id)).first()
    return _job(row) if row is not None else None


def count_jobs(engine: Engine, *states: str) -> int:
    """How many jobs are in any of ``states``."""
    j = schema.jobs
    with engine.connect() as conn:
        found = conn.execute(select(func.count()).where(j.c.state.in_(states))).scalar_one()
    return int(found)


def requeue_orphans(engine: Engine) -> int:
    """Rows left ``running`` by a worker that died: queued again, or failed after
    ``MAX_ATTEMPTS`` starts. Only the holder of the upload claim may call this."""
    j = schema.jobs
    now = datetime.now(UTC)
    with engine.begin() as conn:
        spent = conn.execute(
            j.update()
            .where(j.c.state == RUNNING, j.c.attempts >= MAX_ATTEMPTS)
            .values(
                state=FAILED,
                payload=None,
                finished_at=now,
                error=f"the worker stopped {MAX_ATTEMPTS} times while reading this file",
            )
        ).rowcount
        again = conn.execute(j.update().where(j.c.state == RUNNING).values(state=QUEUED)).rowcount
    return int(spent or 0) + int(again or 0)


def take_next(engine: Engine) -> tuple[Job, bytes] | None:
    """The oldest queued upload, marked running, with its bytes (None when the queue
    is empty). Only the holder of the upload claim calls this; the update is
    conditional all the same."""
    j = schema.jobs
    with engine.begin() as conn:
        row = conn.execute(
            select(j.c.id).where(j.c.state == QUEUED).order_by(j.c.id).limit(1)
        ).first()
        if row is None:
            return None
        took = conn.execute(
            j.update()
            .where(j.c.id == row.id, j.c.state == QUEUED)
            .values(state=RUNNING, started_at=datetime.now(UTC), attempts=j.c.attempts + 1)
        ).rowcount
        if not took:
            return None
        payload = conn.execute(select(j.c.payload).where(j.c.id == row.id)).scalar_one()
    found = get_job(engine, int(row.id))
    assert found is not None
    return found, bytes(payload or b"")


def finish_job(
    engine: Engine, job_id: int, *, result: dict[str, Any] | None = None, error: str | None = None
) -> None:
    """``done`` with the ingest's report, or ``failed`` with why; the bytes are dropped."""
    j = schema.jobs
    with engine.begin() as conn:
        conn.execute(
            j.update()
            .where(j.c.id == job_id)
            .values(
                state=FAILED if error is not None else DONE,
                result=result,
                error=error,
                payload=None,
                finished_at=datetime.now(UTC),
            )
        )
