"""A team's review: assignment, bulk actions with undo, figures added by hand,
counts per filter for the queue, excerpts around each number, and who saw what.

Kept apart from ``review`` (one fact's verify, correct, reject and the audit
log) so each module has one job; both are mixed into ``Store``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, func, select, update
from sqlalchemy.exc import IntegrityError

from crisisdesk.errors import ConflictError, CrisisdeskError, ValidationError
from crisisdesk.extract.qualifiers import written_before
from crisisdesk.model import Document, Fact, FactStatus, ResolvedPlace, StoredFact
from crisisdesk.store import schema
from crisisdesk.store.documents import FactQuery, now, order_by
from crisisdesk.store.framing import frame_added, sentence_around
from crisisdesk.store.rows import fact_row

# the queue's facet fields: a FactQuery field and the column it counts
FACETS = {
    "status": "status",
    "category": "category",
    "unit": "unit",
    "qualifier": "qualifier",
    "assignee": "assignee",
    "doc_id": "doc_id",
    "source": "source",
}
EXCERPT = 110  # characters of context on each side of a number


@dataclass(frozen=True, slots=True)
class Excerpt:
    """The words around a fact's number, the number itself as written, and the rest."""

    before: str
    number: str
    after: str
    clipped_left: bool
    clipped_right: bool
    qualifier: str = ""  # the qualifier's own words in front of the number ("more than")


@dataclass(frozen=True, slots=True)
class BulkResult:
    """What a bulk action did: the facts changed, those left alone and why, and how
    to undo it (each changed fact's status or assignee before, at its new version)."""

    done: list[str]
    skipped: list[tuple[str, str]]
    undo: list[dict[str, Any]]


class TeamReview:
    """The ``Store``'s team workflow (``set_status`` etc. come from ``ReviewAndUsers``)."""

    engine: Engine
    get_fact: Callable[[str], StoredFact]
    get_document: Callable[[str], Document]
    set_status: Callable[..., StoredFact]
    restore_values: Callable[..., StoredFact]
    undo_recount: Callable[..., None]
    resolve_names: Callable[[str, Sequence[str]], Sequence[ResolvedPlace] | None]
    _conditions: Callable[[FactQuery], list[Any]]
    _audit: Callable[..., None]

    # -- assignment -----------------------------------------------------------

    def assign(
        self,
        assignee: str | None,
        *,
        user: str,
        fact_ids: Iterable[str] = (),
        doc_id: str | None = None,
    ) -> list[dict[str, Any]]:
        """Assign facts (or every fact of a document) to ``assignee`` (None: nobody).

        Returns each changed fact's previous assignee, for undo. Assignment is not
        a change of the figure, so the fact's version does not move.
        """
        f = schema.facts
        if assignee is not None:
            self.get_user(assignee)  # an unknown name is a 404, not a silent typo
        with self.engine.begin() as conn:
            where = f.c.doc_id == doc_id if doc_id else f.c.id.in_(list(fact_ids))
            before = conn.execute(select(f.c.id, f.c.assignee).where(where)).all()
            if doc_id and not before:
                self.get_document(doc_id)
            changed = [(fid, old) for fid, old in before if old != assignee]
            if not changed:
                return []
            ids = [fid for fid, _ in changed]
            for start in range(0, len(ids), 500):
                conn.execute(
                    update(f).where(f.c.id.in_(ids[start : start + 500])).values(assignee=assignee)
                )
            for fid, old in changed:
                self._audit(
                    conn,
                    user=user,
                    action="assign",
                    fact_id=fid,
                    old={"assignee": old},
                    new={"assignee": assignee},
                    note=None,
                )
        return [{"id": fid, "assignee": old} for fid, old in changed]

    get_user: Callable[[str], Any]

    # -- bulk -------------------------------------------------------------------

    def bulk(
        self,
        action: str,
        fact_ids: Sequence[str],
        *,
        user: str,
        assignee: str | None = None,
        self_verify: bool = False,
        versions: dict[str, int] | None = None,
    ) -> BulkResult:
        """Verify, reject, reopen or assign a selection; each fact on its own (a fact a
        rule refuses, such as verifying one's own correction, is skipped and named).
        ``versions``: the version of each fact the analyst saw; one changed since is
        skipped (naming who changed it), never acted on unseen."""
        if action == "assign":
            undo = self.assign(assignee, user=user, fact_ids=fact_ids)
            return BulkResult([u["id"] for u in undo], [], undo)
        status = {"verify": "verified", "reject": "rejected", "reopen": "unreviewed"}.get(action)
        if status is None:
            raise ValidationError("action must be verify, reject, reopen or assign", where="action")
        done, skipped, undo = [], [], []
        for fid in dict.fromkeys(fact_ids):
            try:
                before = self.get_fact(fid)
                if before.status == FactStatus(status):
                    skipped.append((fid, f"already {status}"))
                    continue
                seen = (versions or {}).get(fid, before.version)
                after = self.set_status(
                    fid, status, user=user, expected_version=seen, self_verify=self_verify
                )
            except CrisisdeskError as exc:
                skipped.append((fid, exc.message))
                continue
            done.append(fid)
            undo.append({"id": fid, "status": str(before.status), "version": after.version})
        return BulkResult(done, skipped, undo)

    def undo(self, items: Sequence[dict[str, Any]], *, user: str) -> BulkResult:
        """Put back what an action changed, fact by fact: a status, a correction's values,
        an added figure (rejected), a duplicate marking or counting, each only while the
        fact is still at the version the action left (someone else's later change
        stays); an assignee as it was."""
        done, skipped = [], []
        for item in items:
            kind = item.get("kind")
            fid = str(item.get("doc") if kind == "document" else item.get("id"))
            try:
                if kind == "values":  # a correction: the values it replaced
                    self.restore_values(item, user=user)
                elif kind in ("recount", "document"):  # a marking or a counting
                    self.undo_recount(item, user=user)
                    if kind == "document":
                        continue
                elif kind == "add":  # an added figure: rejected (nothing is deleted)
                    self.set_status(fid, "rejected", user=user,
                                    expected_version=int(item["version"]),
                                    note="undo: added by mistake")  # fmt: skip
                elif "assignee" in item:
                    self.assign(item["assignee"], user=user, fact_ids=[fid])
                else:
                    version = item.get("version")
                    self.set_status(fid, str(item.get("status")), user=user,
                                    expected_version=int(version) if version else None,
                                    note="undo", self_verify=True)  # fmt: skip
            except CrisisdeskError as exc:
                skipped.append((fid, exc.message))
                continue
            except (ValueError, TypeError, KeyError):  # not a status or version this store has
                skipped.append((fid, "nothing to put back"))
                continue
            done.append(fid)
        return BulkResult(done, skipped, [])

    # -- adding a figure the extractor missed ----------------------------------------

    def add_fact(
        self, doc_id: str, span: tuple[int, int], fields: dict[str, Any], *, user: str
    ) -> StoredFact:
        """Store a figure an analyst found at ``span`` of the document's text, with the
        sentence around it as its quote (as the extractor quotes), status "added"."""
        doc = self.get_document(doc_id)
        start, end = span
        if not (0 <= start < end <= len(doc.text)) or end - start > 64:
            raise ValidationError(
                f"span must be the number's characters inside the text (0..{len(doc.text)})",
                where="span",
            )
        if not any(ch.isdigit() for ch in doc.text[start:end]) and not fields.get("value_text"):
            raise ValidationError(
                "the span holds no number: select the figure's digits", where="span"
            )
        period_words = fields.pop("period_words", None)
        framed = frame_added(self.engine, doc.text, doc.id, (start, end), fields, period_words)
        fields = framed.fields
        q_start, q_end, _ = sentence_around(doc.text, start, end)
        names = tuple(fields.get("places") or ())
        try:
            fact = Fact(
                doc=doc.id,
                quote=doc.text[q_start:q_end],
                quote_start=q_start,
                span=(start, end),
                confidence=1.0,
                field_spans=framed.spans,
                **{k: v for k, v in fields.items() if k != "places"},
                places=names,
            )
        except (TypeError, ValueError) as exc:
            raise ValidationError(str(exc)) from exc
        resolved = self.resolve_names(doc.id, names) if names else []
        fact = replace(fact, resolved=tuple(resolved or [ResolvedPlace(name=n) for n in names]))
        item = fact_row(fact)
        stamp = now()
        row = {**item["row"], "status": FactStatus.ADDED.value, "author": user,
               "created_at": stamp, "updated_at": stamp}  # fmt: skip
        try:
            with self.engine.begin() as conn:
                conn.execute(schema.facts.insert(), [row])
                if item["places"]:
                    conn.execute(schema.fact_places.insert(), item["places"])
                said: dict[str, Any] = {"value": fact.value, "span": [start, end]}
                if framed.framed_by:  # period, source or places read as for this figure
                    said["framed_by"] = framed.framed_by
                self._audit(conn, user=user, action="add", fact_id=row["id"], old=None,
                            new=said, note=None)  # fmt: skip
        except IntegrityError as exc:
            with self.engine.connect() as conn:
                f = schema.facts
                was = conn.execute(select(f.c.status).where(f.c.id == row["id"])).scalar()
            hint = (
                f" (rejected: reopen it, fact {row['id']})"
                if was == FactStatus.REJECTED.value
                else ""
            )
            raise ConflictError(
                f"this number is already a figure of the same category and unit{hint}",
                where="span",
            ) from exc
        return self.get_fact(row["id"])

    # -- the queue ---------------------------------------------------------------------

    def facets(self, query: FactQuery, limit: int = 30) -> dict[str, list[tuple[Any, int]]]:
        """For each facet field, the facts per value under every other filter of
        ``query`` (so each count says how many facts choosing that value would show)."""
        f = schema.facts
        out: dict[str, list[tuple[Any, int]]] = {}
        with self.engine.connect() as conn:
            for name, column in FACETS.items():
                others = replace(query, **{name: None})
                if name == "status":
                    others = replace(others, verified_only=False)
                col = f.c[column]
                stmt = (
                    select(col, func.count())
                    .where(*self._conditions(others))
                    .group_by(col)
                    .order_by(func.count().desc(), col)
                    .limit(limit)
                )
                out[name] = [(r[0], int(r[1])) for r in conn.execute(stmt)]
        return out

    def excerpts(self, facts: Sequence[StoredFact]) -> dict[str, Excerpt]:
        """The words around each fact's number, from its document's text (the number
        is always inside; within the quote when the quote holds it)."""
        f, d = schema.facts, schema.documents
        wanted = {sf.id: sf for sf in facts}
        out: dict[str, Excerpt] = {}
        if not wanted:
            return out
        lo = (
            func.max(f.c.span_start - EXCERPT, 0)
            if self.engine.dialect.name == "sqlite"
            else func.greatest(f.c.span_start - EXCERPT, 0)
        )  # noqa: E501
        stmt = (
            select(f.c.id, lo, func.substr(d.c.text, lo + 1, f.c.span_end - lo + EXCERPT))
            .join(d, d.c.id == f.c.doc_id)
            .where(f.c.id.in_(list(wanted)))
        )
        with self.engine.connect() as conn:
            for fid, at, window in conn.execute(stmt):
                out[fid] = _excerpt(wanted[fid], int(at), window or "")
        return out

    # -- who saw what -------------------------------------------------------------------

    def last_visit(self, name: str) -> tuple[datetime | None, dict[str, Any]]:
        """When ``name`` last opened the dashboard, and the headlines shown then."""
        u = schema.users
        with self.engine.connect() as conn:
            row = conn.execute(select(u.c.last_visit, u.c.seen).where(u.c.name == name)).first()
        if row is None:
            return None, {}
        seen = row.seen if isinstance(row.seen, dict) else json.loads(row.seen or "{}")
        return row.last_visit, seen

    def record_visit(self, name: str, seen: dict[str, Any]) -> None:
        u = schema.users
        with self.engine.begin() as conn:
            conn.execute(update(u).where(u.c.name == name).values(last_visit=now(), seen=seen))

    def changed_since(self, since: datetime | None, limit: int = 8) -> list[dict[str, Any]]:
        """Documents stored or facts changed since ``since``: per document, how many of
        its facts were added or changed and in which categories."""
        if since is None:
            return []
        f, d = schema.facts, schema.documents
        stmt = (
            select(f.c.doc_id, d.c.title, d.c.origin, f.c.category, func.count())
            .join(d, d.c.id == f.c.doc_id)
            .where(f.c.updated_at > since)
            .group_by(f.c.doc_id, d.c.title, d.c.origin, f.c.category)
        )
        docs: dict[str, dict[str, Any]] = {}
        with self.engine.connect() as conn:
            for doc_id, title, origin, category, n in conn.execute(stmt):
                entry = docs.setdefault(
                    doc_id,
                    {
                        "doc_id": doc_id,
                        "title": title or origin or doc_id,
                        "facts": 0,
                        "categories": {},
                    },  # fmt: skip
                )
                entry["facts"] += int(n)
                entry["categories"][category] = int(n)
        return sorted(docs.values(), key=lambda e: -e["facts"])[:limit]

    def document_titles(self, ids: Iterable[str]) -> dict[str, str]:
        """A title to show for each document id (its title, else its file name, else id)."""
        d = schema.documents
        wanted = sorted(set(ids))
        out: dict[str, str] = {}
        with self.engine.connect() as conn:
            for start in range(0, len(wanted), 500):
                chunk = wanted[start : start + 500]
                stmt = select(d.c.id, d.c.title, d.c.origin).where(d.c.id.in_(chunk))
                for doc_id, title, origin in conn.execute(stmt):
                    out[doc_id] = title or origin or doc_id
        return out

    def fact_ids_where(
        self, query: FactQuery, *, sort: str = "document", limit: int = 5000
    ) -> list[tuple[str, str]]:
        """(fact id, document id) of the facts matching ``query`` in ``sort`` order."""
        f = schema.facts
        stmt = select(f.c.id, f.c.doc_id).where(*self._conditions(query))
        stmt = stmt.order_by(*order_by(sort)).limit(limit)
        with self.engine.connect() as conn:
            return [(r[0], r[1]) for r in conn.execute(stmt)]


def _excerpt(sf: StoredFact, at: int, window: str) -> Excerpt:
    """Cut ``window`` (the text from offset ``at``) to the quote when it holds the
    number, else to whole words, around the number."""
    start, end = sf.fact.span
    lo, hi = at, at + len(window)
    qs, quote = sf.fact.quote_start, sf.fact.quote
    in_quote = qs is not None and qs <= start and end <= qs + len(quote)
    if in_quote:
        lo, hi = max(lo, qs), min(hi, qs + len(quote))  # type: ignore[type-var,operator]
    before, after = window[lo - at : start - at], window[end - at : hi - at]
    clip_left = lo > (qs if in_quote else 0)  # type: ignore[operator]
    clip_right = hi < ((qs or 0) + len(quote) if in_quote else hi + 1)
    if clip_left and " " in before:
        before = before.split(" ", 1)[1]
    if clip_right and " " in after:
        after = after.rsplit(" ", 1)[0]
    qualifier = written_before(window, start - at, sf.fact.qualifier, max(0, lo - at))
    return Excerpt(
        before.lstrip(), window[start - at : end - at], after.rstrip(), clip_left, clip_right,
        qualifier,
    )  # fmt: skip
