"""What the API and the pages share: the store of this app and the JSON form of
stored records."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from fastapi import Request

from crisisdesk.geo.correct import place_json
from crisisdesk.ingest.common import document_language
from crisisdesk.language import paragraph_languages
from crisisdesk.model import AuditEntry, Document, ResolvedPlace, StoredFact, User
from crisisdesk.store import Store

MAX_PAGE = 500


@dataclass(frozen=True, slots=True)
class WebSettings:
    """Limits of one running app (on ``app.state.settings``)."""

    db_url: str
    max_upload_bytes: int = 10 * 1024 * 1024
    page_size: int = 50
    # proxies whose X-Forwarded-For is believed (addresses or networks); none by default
    trusted_proxies: tuple[str, ...] = ()
    # a one-person team may verify its own corrections and added figures
    self_verify: bool = False


def get_store(request: Request) -> Store:
    return request.app.state.store


def settings(request: Request) -> WebSettings:
    return request.app.state.settings


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


def document_json(doc: Document, *, with_text: bool = False) -> dict[str, Any]:
    data = doc.to_json()
    data.update({"origin": doc.origin, "fmt": doc.fmt})
    if not data["language"]:  # stored before ingest recorded languages: told on read
        data["language"] = document_language(doc.text)
    if with_text:
        # (start, end, language) of each paragraph, for a report that mixes languages
        data["languages"] = [list(p) for p in paragraph_languages(doc.text)]
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
            "version": sf.version,
            "author": sf.author,
            "assignee": sf.assignee,
            "places_resolved": places_resolved(sf),
            "document": {
                "title": sf.document_title,
                "url": sf.document_url,
                "publisher": sf.publisher,
                "published": _iso(sf.published),
            },
        }
    )
    return data


def places_resolved(sf: StoredFact, nearest: Any = None) -> list[dict[str, Any]]:
    """Each place name of the fact: where the gazetteer put it, or why it did not
    (``nearest``: a function name -> nearest known names, for one fact's answer)."""
    resolved = {p.name: p for p in sf.fact.resolved}
    out = []
    for name in sf.fact.places:
        p = resolved.get(name) or ResolvedPlace(name=name)
        near = nearest(name, p.country) if nearest and p.place_id is None else None
        out.append(place_json(p, near))
    return out


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
