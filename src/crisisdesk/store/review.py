"""Review (verify, correct, reject, with an audit log) and user accounts."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from crisisdesk.errors import ConflictError, NotFoundError, ValidationError
from crisisdesk.model import AuditEntry, FactStatus, StoredFact, User
from crisisdesk.store import schema
from crisisdesk.store.documents import now
from crisisdesk.store.rows import check_editable, db_value, jsonable, validated_changes
from crisisdesk.store.sessions import revoke_user_sessions


class StaleVersion(ConflictError):
    """A change based on a version of a fact that is no longer the stored one."""

    def __init__(self, current: StoredFact, expected: int) -> None:
        super().__init__(
            f"fact {current.id} changed since you read it (you had version {expected}, "
            f"it is now {current.version}): review the current values and apply again",
            where="version",
        )
        self.current = current


class ReviewAndUsers:
    """The ``Store``'s review and accounts (``get_fact`` comes from ``DocumentsAndFacts``)."""

    engine: Engine

    get_fact: Callable[[str], StoredFact]
    _fact_in: Callable[[Connection, str], StoredFact]

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
            self._swap(conn, current, row | {"status": FactStatus.CORRECTED.value})
            if "places" in new_values:  # names changed: the old resolutions no longer hold
                self._replace_places(conn, fact_id, new_values["places"])
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
    ) -> StoredFact:
        """Verify or reject a fact (nothing is deleted: a rejection is a status)."""
        status = FactStatus(status)
        with self.engine.begin() as conn:
            current = self._current(conn, fact_id, expected_version)
            self._swap(conn, current, {"status": status.value})
            self._audit(
                conn,
                user=user,
                action={"verified": "verify", "rejected": "reject"}.get(status.value, "status"),
                fact_id=fact_id,
                old={"status": current.status.value},
                new={"status": status.value},
                note=note,
            )
        return self.get_fact(fact_id)

    def _current(self, conn: Connection, fact_id: str, expected: int | None) -> StoredFact:
        """The fact as this transaction reads it; StaleVersion if not at ``expected``."""
        current = self._fact_in(conn, fact_id)
        if expected is not None and current.version != expected:
            raise StaleVersion(current, expected)
        return current

    def _swap(self, conn: Connection, current: StoredFact, values: dict[str, Any]) -> None:
        """Write ``values`` only over the version read (compare and swap); else 409."""
        f = schema.facts
        done = conn.execute(
            f.update()
            .where(f.c.id == current.id, f.c.version == current.version)
            .values(**values, version=current.version + 1, updated_at=now())
        ).rowcount
        if done != 1:  # another writer moved it between our read and our write
            raise StaleVersion(self._fact_in(conn, current.id), current.version)

    def _replace_places(self, conn: Connection, fact_id: str, names: list[str]) -> None:
        fp = schema.fact_places
        conn.execute(fp.delete().where(fp.c.fact_id == fact_id))
        conn.execute(
            schema.facts.update()
            .where(schema.facts.c.id == fact_id)
            .values(admin1_code=None, admin2_code=None)
        )
        rows = [
            {"fact_id": fact_id, "position": i, "name": n, "precision": "unresolved"}
            for i, n in enumerate(names)
        ]
        if rows:
            conn.execute(fp.insert(), rows)

    def _audit(self, conn: Connection, *, user: str, **entry: Any) -> None:
        conn.execute(schema.audit_log.insert().values(at=now(), user_name=user, **entry))

    def audit(self, *, fact_id: str | None = None, limit: int = 200) -> list[AuditEntry]:
        a = schema.audit_log
        stmt = select(a).order_by(a.c.at.desc(), a.c.id.desc()).limit(limit)
        if fact_id:
            stmt = stmt.where(a.c.fact_id == fact_id)
        with self.engine.connect() as conn:
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
