"""What the API and the pages share: the store of this app, optional stages,
and the JSON form of stored records."""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from datetime import date
from types import ModuleType
from typing import Any

from fastapi import Request

from crisisdesk.model import AuditEntry, Document, StoredFact, User
from crisisdesk.store import Store
from crisisdesk.web.errors import Unavailable

MAX_PAGE = 500


@dataclass(frozen=True, slots=True)
class WebSettings:
    """Limits of one running app (on ``app.state.settings``)."""

    db_url: str
    max_upload_bytes: int = 10 * 1024 * 1024
    page_size: int = 50


def get_store(request: Request) -> Store:
    return request.app.state.store


def settings(request: Request) -> WebSettings:
    return request.app.state.settings


STAGE_API = {
    "extract": ("extract_document",),
    "reconcile": ("total", "load_figures", "figure_json"),
    "report": ("build_sitrep", "write_report", "export"),
}


def stage(name: str, what: str) -> ModuleType:
    """Import an optional stage (``reconcile``, ``report``) or answer 503 saying which.

    A stage still being built may import (a bare folder is a namespace
    package) without the functions we call: that is "not available" too.
    """
    module = f"crisisdesk.{name}"
    try:
        found = importlib.import_module(module)
    except ModuleNotFoundError as exc:
        if exc.name and module.startswith(exc.name):
            raise Unavailable(f"{what} is not available: {module} is not installed yet") from exc
        raise
    missing = [f for f in STAGE_API.get(name, ()) if not hasattr(found, f)]
    if missing:
        raise Unavailable(f"{what} is not available: {module} has no {', '.join(missing)} yet")
    return found


def stage_available(name: str) -> bool:
    try:
        stage(name, name)
    except Unavailable:
        return False
    return True


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


def document_json(doc: Document, *, with_text: bool = False) -> dict[str, Any]:
    data = doc.to_json()
    data.update({"origin": doc.origin, "fmt": doc.fmt})
    if not with_text:
        data.pop("text")
        data["length"] = len(doc.text)
    return data


def fact_json(sf: StoredFact) -> dict[str, Any]:
    data = sf.fact.to_json()
    data.update(
        {
            "id": sf.id,
            "status": str(sf.status),
            "document": {
                "title": sf.document_title,
                "url": sf.document_url,
                "publisher": sf.publisher,
                "published": _iso(sf.published),
            },
        }
    )
    return data


def audit_json(entry: AuditEntry) -> dict[str, Any]:
    at = entry.at.isoformat() if hasattr(entry.at, "isoformat") else str(entry.at)
    return {
        "id": entry.id,
        "at": at,
        "user": entry.user,
        "action": entry.action,
        "fact_id": entry.fact_id,
        "old": entry.old,
        "new": entry.new,
        "note": entry.note,
    }


def user_json(user: User) -> dict[str, Any]:
    return {"name": user.name, "role": user.role, "active": user.active}


def page(items: list[Any], total: int, limit: int, offset: int) -> dict[str, Any]:
    """The one shape of every list answer."""
    nxt = offset + limit if offset + limit < total else None
    return {
        "ok": True,
        "items": items,
        "total": total,
        "limit": limit,
        "offset": offset,
        "next_offset": nxt,
    }
