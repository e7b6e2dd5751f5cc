"""Review (verify, correct, reject, with an audit log) and user accounts."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from crisisdesk.errors import ConflictError, NotFoundError, PermissionDenied, ValidationError
from crisisdesk.model import AuditEntry, FactStatus, ResolvedPlace, StoredFact, User
from crisisdesk.store import schema
from crisisdesk.store.documents import now
from crisisdesk.store.rows import (
    area_codes,
    check_editable,
    db_value,
    jsonable,
    place_row,
    validated_changes,
)
from crisisdesk.store.sessions import revoke_user_sessions


class StaleVersion(ConflictError):
    """A change based on a version of a fact that is no longer the stored one."""

    def __init__(self, current: StoredFact, expected: int, by: str | None = None) -> None:
        who = f" by {by}" if by else ""
        super().__init__(
            f"fact {current.id} was changed{who} since you read it (you had version "
            f"{expected}, it is now {current.version}): review the current values and "
            "apply again",
            where="version",
        )
        self.current = current
        self.by = by


class SelfVerification(PermissionDenied):
    """Verifying one's own correction or added figure: it needs a second pair of eyes."""

    def __init__(self, current: StoredFact, user: str) -> None:
        what = "added" if current.status == FactStatus.ADDED else "corrected"
        super().__init__(
            f"you {what} this figure, so someone else must verify it (second pair of "
            "eyes; a one-person team sets CRISISDESK_REVIEW_SELF_VERIFY=1)",
            where="status",
        )
        self.current = current
        self.user = user


# the audit action of each status change
ACTIONS = {"verified": "verify", "rejected": "reject", "unreviewed": "reopen"}


class ReviewAndUsers:
    """The ``Store``'s review and accounts (``get_fact`` comes from ``DocumentsAndFacts``)."""

    engine: Engine
    reader: Engine  # the same pool, reads outside a transaction (``Store.reader``)

    get_fact: Callable[[str], StoredFact]
    _fact_in: Callable[[Connection, str], StoredFact]
    # names -> places resolved in the document's frame (None: leave them unresolved)
    resolve_names: Callable[[str, Sequence[str]], Sequence[ResolvedPlace] | None]

    # -- review -------------------------------------------------------------

    def update_fact(
        self,
        fact_id: str,
        changes: dict[str, Any],
        *,
        user: str,
        note: str | None = None,
        expected_version: int | None = None,
    ) -> StoredFact:
        """Correct a fact's fields, if it is still at ``expected_version``.

        The fact is read, compared and written in one transaction whose UPDATE
        holds only while the version is the one read, so the audit row's "old"
        values are exactly the ones this change replaced. A stale
        ``expected_version`` raises StaleVersion (409) carrying the current fact.
        """
        check_editable(changes)
        with self.engine.begin() as conn:
            current = self._current(conn, fact_id, expected_version)
            old_json = current.fact.to_json()
            clean = validated_changes(changes, current.fact)
            new_values = {
                k: v for k, v in clean.items() if jsonable(old_json.get(k)) != jsonable(v)
            }
            if not new_values:
                return current
            row = {k: db_value(k, v) for k, v in new_values.items()}
            # names changed: resolved again at once, in the document's frame
            resolved = (
                self.resolve_names(current.fact.doc, new_values["places"])
                if "places" in new_values
                else None
            )
            # an added figure stays "added" (still waiting for its second look)
            status = (
                FactStatus.ADDED if current.status == FactStatus.ADDED else FactStatus.CORRECTED
            )
            self._swap(conn, current, row | {"status": status.value, "author": user})
            if "places" in new_values:
                self._replace_places(conn, fact_id, new_values["places"], resolved)
            self._audit(
                conn,
                user=user,
                action="update",
                fact_id=fact_id,
                old={k: jsonable(old_json.get(k)) for k in new_values},
                new={k: jsonable(v) for k, v in new_values.items()},
                note=note,
            )
        return self.get_fact(fact_id)

    def set_status(
        self,
        fact_id: str,
        status: FactStatus | str,
        *,
        user: str,
        note: str | None = None,
        expected_version: int | None = None,
        self_verify: bool = False,
    ) -> StoredFact:
        """Verify, reject or reopen (back to unreviewed) a fact; nothing is deleted.

        A correction or an added figure is verified only by someone other than its
        author (SelfVerification, 403), unless ``self_verify`` (a one-person team).
        """
        status = FactStatus(status)
        with self.engine.begin() as conn:
            current = self._current(conn, fact_id, expected_version)
            if (
                status == FactStatus.VERIFIED
                and not self_verify
                and current.author is not None
                and current.author == user
            ):
                raise SelfVerification(current, user)
            self._swap(conn, current, {"status": status.value})
            self._audit(
                conn,
                user=user,
                action=ACTIONS.get(status.value, "status"),
                fact_id=fact_id,
                old={"status": current.status.value},
                new={"status": status.value},
                note=note,
            )
        return self.get_fact(fact_id)

    def restore_values(self, item: dict[str, Any], *, user: str) -> StoredFact:
        """Undo a correction: the values it replaced (``item["old"]``), with the status,
        author and resolved places the fact had, only while the fact is still at the
        version the correction left (``item["version"]``; else StaleVersion naming who
        changed it since). Audited as an update with the note "undo"."""
        fact_id = str(item["id"])
        old = dict(item.get("old") or {})
        check_editable(old)
        with self.engine.begin() as conn:
            current = self._current(conn, fact_id, int(item["version"]))
            now_json = current.fact.to_json()
            typed = validated_changes(old, current.fact) if old else {}
            status = FactStatus(str(item.get("status") or current.status))
            row = {k: db_value(k, v) for k, v in typed.items()}
            self._swap(conn, current, row | {"status": status.value, "author": item.get("author")})
            if "places" in typed:
                resolved = [ResolvedPlace.from_json(p) for p in item.get("resolved") or ()]
                names = typed["places"]
                same = [p.name for p in resolved] == list(names)
                self._replace_places(conn, fact_id, names, resolved if same else None)
            self._audit(
                conn,
                user=user,
                action="update",
                fact_id=fact_id,
                old={**{k: jsonable(now_json.get(k)) for k in typed},
                     "status": current.status.value},
                new={**{k: jsonable(v) for k, v in typed.items()}, "status": status.value},
                note="undo",
            )  # fmt: skip
        return self.get_fact(fact_id)

    def _current(self, conn: Connection, fact_id: str, expected: int | None) -> StoredFact:
        """The fact as this transaction reads it; StaleVersion if not at ``expected``."""
        current = self._fact_in(conn, fact_id)
        if expected is not None and current.version != expected:
            raise StaleVersion(current, expected, self._last_changed_by(conn, fact_id))
        return current

    def _last_changed_by(self, conn: Connection, fact_id: str) -> str | None:
        """Who made the fact's latest change: what a refused stale edit names."""
        a = schema.audit_log
        return conn.execute(
            select(a.c.user_name)
            .where(a.c.fact_id == fact_id)
            .order_by(a.c.at.desc(), a.c.id.desc())
            .limit(1)
        ).scalar()

    def _swap(self, conn: Connection, current: StoredFact, values: dict[str, Any]) -> None:
        """Write ``values`` only over the version read (compare and swap); else 409."""
        f = schema.facts
        done = conn.execute(
            f.update()
            .where(f.c.id == current.id, f.c.version == current.version)
            .values(**values, version=current.version + 1, updated_at=now())
        ).rowcount
        if done != 1:  # another writer moved it between our read and our write
            by = self._last_changed_by(conn, current.id)
            raise StaleVersion(self._fact_in(conn, current.id), current.version, by)

    def _replace_places(
        self,
        conn: Connection,
        fact_id: str,
        names: list[str],
        resolved: Sequence[ResolvedPlace] | None = None,
    ) -> None:
        """The fact's places become ``names``, resolved (``resolve_names``) when given."""
        fp = schema.fact_places
        conn.execute(fp.delete().where(fp.c.fact_id == fact_id))
        places = list(resolved) if resolved else [ResolvedPlace(name=n) for n in names]
        conn.execute(
            schema.facts.update().where(schema.facts.c.id == fact_id).values(**area_codes(places))
        )
        rows = [place_row(fact_id, i, p) for i, p in enumerate(places)]
        if rows:
            conn.execute(fp.insert(), rows)

    def _audit(self, conn: Connection, *, user: str, **entry: Any) -> None:
        conn.execute(schema.audit_log.insert().values(at=now(), user_name=user, **entry))

    def audit(self, *, fact_id: str | None = None, limit: int = 200) -> list[AuditEntry]:
        a = schema.audit_log
        stmt = select(a).order_by(a.c.at.desc(), a.c.id.desc()).limit(limit)
        if fact_id:
            stmt = stmt.where(a.c.fact_id == fact_id)
        with self.reader.connect() as conn:
            return [
                AuditEntry(
                    id=r.id,
                    at=r.at,
                    user=r.user_name,
                    action=r.action,
                    fact_id=r.fact_id,
                    old=r.old,
                    new=r.new,
                    note=r.note,
                )
                for r in conn.execute(stmt)
            ]

    def record_event(self, *, user: str, action: str, note: str | None = None) -> None:
        """Audit something that is not a fact change (a user added, a login refused...)."""
        with self.engine.begin() as conn:
            self._audit(conn, user=user, action=action, fact_id=None, old=None, new=None, note=note)

    # -- users --------------------------------------------------------------

    def add_user(self, name: str, role: str, password_hash: str, *, by: str = "cli") -> User:
        if role not in ("viewer", "analyst", "admin"):
            raise ValidationError(f"unknown role {role!r}: use viewer, analyst or admin")
        if not name.strip():
            raise ValidationError("a user needs a name")
        try:
            with self.engine.begin() as conn:
                conn.execute(
                    schema.users.insert().values(
                        name=name, role=role, password_hash=password_hash, created_at=now()
                    )
                )
                self._audit(
                    conn,
                    user=by,
                    action="user_add",
                    fact_id=None,
                    old=None,
                    new={"name": name, "role": role},
                    note=None,
                )
        except IntegrityError as exc:
            raise ConflictError(f"a user named {name!r} already exists") from exc
        return self.get_user(name)

    def get_user(self, name: str) -> User:
        with self.engine.connect() as conn:
            r = conn.execute(select(schema.users).where(schema.users.c.name == name)).first()
        if r is None:
            raise NotFoundError(f"no user {name!r}")
        return User(r.id, r.name, r.role, r.password_hash, r.active)

    def list_users(self) -> list[User]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(schema.users).order_by(schema.users.c.name))
            return [User(r.id, r.name, r.role, r.password_hash, r.active) for r in rows]

    def set_password(self, name: str, password_hash: str) -> None:
        """A new password hash; every session of the user ends with the old one."""
        with self.engine.begin() as conn:
            done = conn.execute(
                schema.users.update()
                .where(schema.users.c.name == name)
                .values(password_hash=password_hash)
            ).rowcount
            revoke_user_sessions(conn, name)
        if not done:
            raise NotFoundError(f"no user {name!r}")
