"""Undo as a history: each of a user's recent review actions (a verify, a reject, a
reopen, a bulk action, an assignment, a correction, a figure added, a report marked a
duplicate or counted after all) can be undone, newest first, one after another.

The history is the audit log itself. Each action a person takes writes, besides
its per-fact rows, one ``undo_step`` row naming it ("verified 3 figures") with
what would put it back (each fact's status or assignee before, a correction's
replaced values, at the version the action left; ``TeamReview.undo`` reads them).
Undoing writes an ``undone`` row naming the step, so a step is undone once and the
next undo takes the one before. A fact changed by someone since is left as it is
(the undo skips it, saying why): an undo never overwrites a change it did not make.
Undoing through ``POST /api/facts/undo`` (a bulk answer's own undo list) marks the
steps it covers undone too.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, select

from crisisdesk.errors import NotFoundError
from crisisdesk.model import StoredFact
from crisisdesk.store import schema
from crisisdesk.store.documents import now
from crisisdesk.store.review import ACTIONS
from crisisdesk.store.rows import EDITABLE, jsonable

STEP, UNDONE = "undo_step", "undone"
KEEP = 20  # the steps of one user offered for undo, newest first


@dataclass(frozen=True, slots=True)
class UndoStep:
    """One action a user can still undo."""

    id: int
    at: datetime
    label: str
    items: list[dict[str, Any]]


class UndoHistory:
    """The ``Store``'s undo history (``undo``, ``set_status`` come from the others)."""

    engine: Engine
    undo: Callable[..., Any]
    bulk: Callable[..., Any]
    assign: Callable[..., Any]
    set_status: Callable[..., StoredFact]
    update_fact: Callable[..., StoredFact]
    add_fact: Callable[..., StoredFact]
    mark_duplicate: Callable[..., list[str]]
    count_document: Callable[..., list[str]]
    document_titles: Callable[..., dict[str, str]]
    get_fact: Callable[[str], StoredFact]

    def record_step(self, user: str, label: str, items: Sequence[dict[str, Any]]) -> int | None:
        """Remember an action ``user`` may undo later (nothing when it changed nothing)."""
        if not items:
            return None
        a = schema.audit_log
        with self.engine.begin() as conn:
            row = conn.execute(
                a.insert()
                .values(at=now(), user_name=user, action=STEP, fact_id=None, old=None,
                        new={"label": label, "undo": list(items)}, note=label)
                .returning(a.c.id)
            ).scalar_one()  # fmt: skip
        return int(row)

    def undo_steps(self, user: str, limit: int = KEEP) -> list[UndoStep]:
        """``user``'s actions that can still be undone, newest (the next undo) first."""
        a = schema.audit_log
        with self.engine.connect() as conn:
            undone = [
                int(n)
                for (n,) in conn.execute(
                    select(a.c.note)
                    .where(a.c.user_name == user, a.c.action == UNDONE)
                    .order_by(a.c.id.desc())
                    .limit(1000)
                )
                if n and str(n).isdigit()
            ]
            stmt = select(a.c.id, a.c.at, a.c.new).where(a.c.user_name == user, a.c.action == STEP)
            if undone:
                stmt = stmt.where(a.c.id.not_in(undone))
            steps = conn.execute(stmt.order_by(a.c.id.desc()).limit(limit)).all()
        return [
            UndoStep(int(sid), at, str(new.get("label", "")), list(new.get("undo", [])))
            for sid, at, new in steps
            if isinstance(new, dict)
        ]

    def undo_last(self, user: str, step_id: int | None = None) -> tuple[UndoStep, Any]:
        """Undo ``user``'s newest step (``step_id``, when given, must be that one: undo
        goes in order). Returns the step and what was put back (``BulkResult``)."""
        steps = self.undo_steps(user, limit=1)
        if not steps or (step_id is not None and steps[0].id != step_id):
            raise NotFoundError(
                "nothing of yours to undo" if not steps else "undo goes newest first: "
                f"the next to undo is “{steps[0].label}”", where="step",
            )  # fmt: skip
        step = steps[0]
        result = self.undo(step.items, user=user)
        self._mark_undone([step], user, result)
        return step, result

    def undo_items(self, items: Sequence[dict[str, Any]], *, user: str) -> Any:
        """Undo a bulk answer's own ``undo`` list (``POST /api/facts/undo``); the steps of
        ``user``'s history it covers whole are marked undone, never offered again."""
        result = self.undo(items, user=user)
        sent = {_key(i) for i in items}
        covered = [
            s for s in self.undo_steps(user, limit=100)
            if s.items and all("kind" not in i and _key(i) in sent for i in s.items)
        ]  # fmt: skip
        self._mark_undone(covered, user, result)
        return result

    def _mark_undone(self, steps: Sequence[UndoStep], user: str, result: Any) -> None:
        a = schema.audit_log
        rows = [
            dict(at=now(), user_name=user, action=UNDONE, fact_id=None,
                 old={"step": step.id, "label": step.label},
                 new={"done": result.done, "skipped": [list(s) for s in result.skipped]},
                 note=str(step.id))
            for step in steps
        ]  # fmt: skip
        if rows:
            with self.engine.begin() as conn:
                conn.execute(a.insert(), rows)

    def review_step(self, fact_id: str, status: str, *, user: str, **kw: Any) -> StoredFact:
        """``set_status`` on one fact, remembered as an undoable step
        ("verified 14 people killed")."""
        before = self.get_fact(fact_id)
        after = self.set_status(fact_id, status, user=user, **kw)
        if after.status != before.status:
            item = {"id": fact_id, "status": str(before.status), "version": after.version}
            verb = PAST.get(ACTIONS.get(str(after.status), ""), str(after.status))
            self.record_step(user, f"{verb} {_what(before)}", [item])
        return after

    def correct_step(
        self, fact_id: str, changes: dict[str, Any], *, user: str, **kw: Any
    ) -> StoredFact:
        """``update_fact`` (a correction), remembered as a step whose undo puts back the
        values it replaced, the status and author the fact had, and its places as they
        were resolved ("corrected 2,150 families displaced (value)")."""
        before = self.get_fact(fact_id)
        after = self.update_fact(fact_id, changes, user=user, **kw)
        if after.version != before.version + 1:  # nothing changed, or not only this
            return after
        old, new = before.fact.to_json(), after.fact.to_json()
        keys = [k for k in EDITABLE if jsonable(old.get(k)) != jsonable(new.get(k))]
        item: dict[str, Any] = {
            "kind": "values", "id": fact_id, "version": after.version,
            "old": {k: jsonable(old.get(k)) for k in keys},
            "status": str(before.status), "author": before.author,
        }  # fmt: skip
        if "places" in keys:
            item["resolved"] = [p.to_json() for p in before.fact.resolved]
        fields = ", ".join(k.replace("_", " ") for k in keys) or "status"
        self.record_step(user, f"corrected {_what(before)} ({fields})", [item])
        return after

    def add_step(
        self, doc_id: str, span: tuple[int, int], fields: dict[str, Any], *, user: str
    ) -> StoredFact:
        """``add_fact``, remembered as a step whose undo rejects the figure added (while
        nobody has changed it since)."""
        sf = self.add_fact(doc_id, span, fields, user=user)
        item = {"kind": "add", "id": sf.id, "version": sf.version}
        self.record_step(user, f"added {_what(sf)}", [item])
        return sf

    def duplicate_step(
        self, doc_id: str, of: str, *, user: str, note: str | None = None
    ) -> list[str]:
        """``mark_duplicate``, remembered as a step whose undo counts the report again as
        it was (its figures back to their status, its ``duplicate_of`` as before)."""
        undo: list[dict[str, Any]] = []
        changed = self.mark_duplicate(doc_id, of, user=user, note=note, undo=undo)
        n = len(changed)
        label = f"marked {self._title(doc_id)} a duplicate ({n} figure{'s' * (n != 1)} out)"
        self.record_step(user, label, undo)
        return changed

    def count_step(
        self, doc_id: str, *, user: str, note: str | None = None, **kw: Any
    ) -> list[str]:
        """``count_document`` (a repeat counted after all), remembered as a step whose
        undo takes its figures out again, as a duplicate's."""
        undo: list[dict[str, Any]] = []
        back = self.count_document(doc_id, user=user, note=note, undo=undo, **kw)
        n = len(back)
        self.record_step(user, f"counted {self._title(doc_id)} after all ({n} figure"
                         f"{'s' * (n != 1)})", undo)  # fmt: skip
        return back

    def _title(self, doc_id: str) -> str:
        title = self.document_titles([doc_id]).get(doc_id, doc_id)
        return f"“{title[:60]}”"

    def bulk_step(self, action: str, fact_ids: Sequence[str], *, user: str, **kw: Any) -> Any:
        """``bulk`` (verify, reject, reopen or assign a selection), remembered as one step."""
        result = self.bulk(action, fact_ids, user=user, **kw)
        n = len(result.done)
        what = _what(self.get_fact(result.done[0])) if n == 1 else f"{n} figures"
        if action == "assign":
            label = f"assigned {what} to {kw.get('assignee') or 'nobody'}"
        else:
            label = f"{PAST.get(action, action)} {what}"
        self.record_step(user, label, result.undo)
        return result

    def assign_step(self, assignee: str | None, *, user: str, label: str, **kw: Any) -> Any:
        """``assign`` (facts, or every fact of a document), remembered as one step."""
        changed = self.assign(assignee, user=user, **kw)
        self.record_step(user, label, changed)
        return changed


PAST = {"verify": "verified", "reject": "rejected", "reopen": "reopened"}


def _key(item: dict[str, Any]) -> tuple[Any, ...]:
    """What one undo item puts back, to match a sent list against a step's."""
    return (str(item.get("id")), "assignee" in item, item.get("assignee"),
            str(item.get("status")) if "status" in item else None, item.get("version"))  # fmt: skip


def _what(sf: StoredFact) -> str:
    """A figure in a few words, for a step's label: "14 people killed"."""
    f = sf.fact
    value = f"{f.value:,}" if f.value is not None else (f.value_text or "?")
    return f"{value} {f.unit} {str(f.category).replace('_', ' ')}"
