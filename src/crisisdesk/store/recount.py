"""Whether a near-duplicate document counts: an analyst counts a repeat after all, or
marks a counted document as repeating another, and the totals follow.

A repeat ingested without ``--allow-duplicate`` is stored without figures. Counting
it after all stores the figures its extraction found (given by the caller: the
pipeline extracts, the store does not) or, for a document marked a duplicate
earlier, puts its figures back to the status they had. Marking a document a
duplicate rejects its figures that are not rejected already, each with an audit
row saying why (``not_counted``), so it leaves every total; nothing is deleted and
the document's own audit row names who did it. Both move the store version, so
the stored figures are reconciled again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, func, select, update
from sqlalchemy.engine import Connection

from crisisdesk.errors import ConflictError, NotFoundError, ValidationError
from crisisdesk.model import Document, Fact, FactStatus
from crisisdesk.store import schema
from crisisdesk.store.documents import now
from crisisdesk.store.rows import fact_row

NOT_COUNTED = "not_counted"  # a fact's audit action when its document is marked a duplicate
COUNTED = "counted"  # ... and when the document is counted after all


@dataclass(frozen=True, slots=True)
class Counting:
    """A document's standing: the document it repeats, and whether its figures count."""

    duplicate_of: str | None
    facts: int  # its figures
    live: int  # its figures that are not rejected

    @property
    def counted(self) -> bool:
        return self.duplicate_of is None or self.live > 0


class Recount:
    """The ``Store``'s duplicate counting (``get_document`` etc. come from the others)."""

    engine: Engine
    get_document: Callable[[str], Document]
    _audit: Callable[..., None]
    _insert_fact_rows: Callable[..., None]
    _last_changed_by: Callable[[Connection, str], str | None]

    def counting(self, doc_id: str) -> Counting:
        d = schema.documents
        with self.engine.connect() as conn:
            of = conn.execute(select(d.c.duplicate_of).where(d.c.id == doc_id)).scalar()
            return Counting(of, *_fact_counts(conn, doc_id))

    def mark_duplicate(
        self,
        doc_id: str,
        of: str,
        *,
        user: str,
        note: str | None = None,
        undo: list[dict[str, Any]] | None = None,
    ) -> list[str]:
        """Mark ``doc_id`` a repeat of ``of``: its figures stop counting (rejected, each
        audited ``not_counted``). Returns the figures it took out; ``undo``, when given,
        receives what puts it back (``UndoHistory``): the document's ``duplicate_of``
        before, and each figure's status before at the version the marking left."""
        doc, original = self.get_document(doc_id), self.get_document(of)
        if doc.id == original.id:
            raise ValidationError("a document cannot repeat itself", where="duplicate_of")
        d, f = schema.documents, schema.facts
        with self.engine.begin() as conn:
            theirs = conn.execute(select(d.c.duplicate_of).where(d.c.id == original.id)).scalar()
            if theirs == doc.id:
                raise ConflictError(
                    f"{original.id} is marked as repeating this document; count it first",
                    where="duplicate_of",
                )
            before = conn.execute(select(d.c.duplicate_of).where(d.c.id == doc.id)).scalar()
            conn.execute(update(d).where(d.c.id == doc.id).values(duplicate_of=original.id))
            rows = conn.execute(
                select(f.c.id, f.c.status, f.c.version)
                .where(f.c.doc_id == doc.id, f.c.status != FactStatus.REJECTED.value)
                .order_by(f.c.span_start, f.c.id)
            ).all()
            for fid, status, version in rows:
                conn.execute(
                    update(f)
                    .where(f.c.id == fid)
                    .values(status=FactStatus.REJECTED.value, version=version + 1,
                            updated_at=now())
                )  # fmt: skip
                self._audit(conn, user=user, action=NOT_COUNTED, fact_id=fid,
                            old={"status": status}, new={"status": "rejected",
                            "duplicate_of": original.id}, note=note)  # fmt: skip
            if undo is not None:
                undo.append({"kind": "document", "doc": doc.id, "duplicate_of": before,
                             "was": original.id})  # fmt: skip
                undo.extend({"kind": "recount", "id": fid, "status": status,
                             "version": version + 1} for fid, status, version in rows)  # fmt: skip
            self._audit(conn, user=user, action="mark_duplicate", fact_id=None,
                        old={"document": doc.id, "duplicate_of": before},
                        new={"document": doc.id, "duplicate_of": original.id,
                             "figures": len(rows)}, note=note)  # fmt: skip
        return [r[0] for r in rows]

    def count_document(
        self,
        doc_id: str,
        *,
        user: str,
        facts: Iterable[Fact] = (),
        note: str | None = None,
        undo: list[dict[str, Any]] | None = None,
    ) -> list[str]:
        """Count a repeat after all: the figures marking it a duplicate took out go back
        to their status; a repeat stored without figures gets ``facts`` (its extraction).
        It stays named as a repeat (``duplicate_of``). Returns the figures now counted;
        ``undo``, when given, receives what takes them out again (each rejected as a
        duplicate's, while still at the version counting left)."""
        doc = self.get_document(doc_id)
        d, f, a = schema.documents, schema.facts, schema.audit_log
        rows = [fact_row(x) for x in facts]
        stamp = now()
        with self.engine.begin() as conn:
            of = conn.execute(select(d.c.duplicate_of).where(d.c.id == doc.id)).scalar()
            if of is None:
                raise ValidationError("this document is not marked a duplicate", where="document")
            stored, _live = _fact_counts(conn, doc.id)
            back: list[str] = []
            # each figure this document's marking rejected, if nothing changed it since
            taken = conn.execute(
                select(a.c.fact_id, a.c.old, f.c.status, f.c.version)
                .join(f, f.c.id == a.c.fact_id)
                .where(f.c.doc_id == doc.id, a.c.action == NOT_COUNTED)
                .order_by(a.c.id)
            ).all()
            latest = {fid: (old, status, version) for fid, old, status, version in taken}
            for fid, (old, status, version) in latest.items():
                old = old if isinstance(old, dict) else {}
                if status != FactStatus.REJECTED.value or not _last_was_marking(conn, fid):
                    continue
                was = str(old.get("status") or FactStatus.UNREVIEWED.value)
                again = {"status": was, "version": version + 1, "updated_at": stamp}
                conn.execute(update(f).where(f.c.id == fid).values(**again))
                self._audit(conn, user=user, action=COUNTED, fact_id=fid,
                            old={"status": "rejected"}, new={"status": was}, note=note)  # fmt: skip
                back.append(fid)
                if undo is not None:
                    undo.append({"kind": "recount", "id": fid, "status": "rejected",
                                 "version": version + 1})  # fmt: skip
            if not stored and rows:
                for item in rows:
                    if item["row"]["doc_id"] != doc.id:
                        raise ValidationError("a fact points at another document", where=doc.id)
                self._insert_fact_rows(conn, rows, stamp)
                new = list(dict.fromkeys(item["row"]["id"] for item in rows))
                back.extend(new)
                if undo is not None:
                    at = select(f.c.id, f.c.version).where(f.c.id.in_(new))
                    undo.extend({"kind": "recount", "id": fid, "status": "rejected",
                                 "version": v} for fid, v in conn.execute(at))  # fmt: skip
            self._audit(conn, user=user, action="count_duplicate", fact_id=None,
                        old={"document": doc.id, "duplicate_of": of},
                        new={"document": doc.id, "duplicate_of": of, "figures": len(back)},
                        note=note)  # fmt: skip
            # the document row moves too, so the stored figures are stale even with none back
            conn.execute(update(d).where(d.c.id == doc.id).values(duplicate_of=of))
        return back

    def undo_recount(self, item: dict[str, Any], *, user: str) -> None:
        """Put back one thing a marking or a counting changed (``UndoHistory``): a
        document's ``duplicate_of`` (``kind`` "document"), or a figure's status
        ("recount"), each only while it is as the action left it."""
        d, f = schema.documents, schema.facts
        with self.engine.begin() as conn:
            if item.get("kind") == "document":
                doc_id = str(item["doc"])
                now_of = conn.execute(select(d.c.duplicate_of).where(d.c.id == doc_id)).scalar()
                if now_of != item.get("was"):
                    raise ConflictError(
                        "the document's duplicate marking was changed since", where="duplicate_of"
                    )
                before = item.get("duplicate_of")
                conn.execute(update(d).where(d.c.id == doc_id).values(duplicate_of=before))
                self._audit(conn, user=user, action="unmark_duplicate", fact_id=None,
                            old={"document": doc_id, "duplicate_of": now_of},
                            new={"document": doc_id, "duplicate_of": before},
                            note="undo")  # fmt: skip
                return
            fid, want = str(item["id"]), FactStatus(str(item["status"])).value
            row = conn.execute(select(f.c.status, f.c.version).where(f.c.id == fid)).first()
            if row is None:
                raise NotFoundError(f"no fact {fid}", where="id")
            status, version = row
            if version != int(item["version"]):
                by = self._last_changed_by(conn, fid)
                raise ConflictError(
                    f"fact {fid} was changed{' by ' + by if by else ''} since", where="version"
                )
            conn.execute(
                update(f).where(f.c.id == fid, f.c.version == version)
                .values(status=want, version=version + 1, updated_at=now())
            )  # fmt: skip
            # taken out again: as a duplicate's figure, so counting it later puts it back
            action = NOT_COUNTED if want == FactStatus.REJECTED.value else COUNTED
            self._audit(conn, user=user, action=action, fact_id=fid, old={"status": status},
                        new={"status": want}, note="undo")  # fmt: skip


def _fact_counts(conn: Connection, doc_id: str) -> Sequence[int]:
    f = schema.facts
    every = conn.execute(select(func.count()).where(f.c.doc_id == doc_id)).scalar_one()
    live = conn.execute(
        select(func.count()).where(f.c.doc_id == doc_id, f.c.status != FactStatus.REJECTED.value)
    ).scalar_one()
    return int(every), int(live)


def _last_was_marking(conn: Connection, fact_id: str) -> bool:
    """The fact's latest audit row is the duplicate marking (no review since)."""
    a = schema.audit_log
    last = conn.execute(
        select(a.c.action).where(a.c.fact_id == fact_id).order_by(a.c.id.desc()).limit(1)
    ).scalar()
    return last == NOT_COUNTED
