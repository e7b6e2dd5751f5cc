"""Server-side sessions against a real server: logout, altered cookies, restarts,
an admin ending a user's sessions, deactivation and password resets."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from crisisdesk.store import Store
from crisisdesk.web.auth import SESSION_COOKIE

from .live import LiveServer

PASSWORD = "correct horse battery"


def _login(server: LiveServer, name: str) -> tuple[str, str]:
    """(cookie, csrf) of a fresh session."""
    resp = httpx.post(server.url + "/api/session", json={"name": name, "password": PASSWORD})
    assert resp.status_code == 200, resp.text
    return resp.cookies[SESSION_COOKIE], resp.json()["csrf_token"]


def _whoami(server: LiveServer, cookie: str) -> int:
    return httpx.get(server.url + "/api/session", cookies={SESSION_COOKIE: cookie}).status_code


@pytest.fixture
def server(db_url: str, seeded: dict[str, Any], tmp_path: Path):
    with LiveServer(db_url, workdir=tmp_path) as live:
        yield live


def test_logout_then_replay_and_altered_cookie_refused_across_a_restart(server):
    cookie, csrf = _login(server, "vic")
    kept, _ = _login(server, "vic")  # a second session of the same user, never logged out
    assert _whoami(server, cookie) == 200
    out = httpx.delete(
        server.url + "/api/session",
        cookies={SESSION_COOKIE: cookie},
        headers={"X-CSRF-Token": csrf},
    )
    assert out.status_code == 200
    for attempt in range(2):  # before and after a restart
        for replay in (cookie, cookie + "=", cookie + "==", " " + cookie, cookie.upper()):
            assert _whoami(server, replay) == 401, (attempt, replay)
        assert _whoami(server, kept) == 200  # logging out one session leaves the other
        if attempt == 0:
            server.restart()


def test_admin_ends_every_session_of_a_user(server):
    sessions = [_login(server, "vic")[0] for _ in range(3)]
    admin, csrf = _login(server, "ada")
    listed = httpx.get(server.url + "/api/users/vic/sessions", cookies={SESSION_COOKIE: admin})
    assert listed.status_code == 200 and listed.json()["total"] == 3
    ended = httpx.delete(
        server.url + "/api/users/vic/sessions",
        cookies={SESSION_COOKIE: admin},
        headers={"X-CSRF-Token": csrf},
    )
    assert ended.status_code == 200 and ended.json()["ended"] == 3
    assert [_whoami(server, c) for c in sessions] == [401, 401, 401]
    assert _whoami(server, admin) == 200


def test_deactivation_and_password_reset_end_sessions(server, db_url):
    vic, _ = _login(server, "vic")
    ana, _ = _login(server, "ana")
    with Store.open(db_url) as store:
        store.set_active("vic", False, by="test")
        store.reset_password("ana", "$argon2id$not-a-real-hash", by="test")
    assert _whoami(server, vic) == 401
    assert _whoami(server, ana) == 401


def test_idle_and_absolute_timeouts(server, db_url):
    from sqlalchemy import update

    from crisisdesk.store import schema
    from crisisdesk.store.sessions import session_key

    idle, _ = _login(server, "vic")
    old, _ = _login(server, "vic")
    fresh, _ = _login(server, "vic")
    long_ago = datetime.now(UTC) - timedelta(hours=3)
    with Store.open(db_url) as store, store.engine.begin() as conn:
        s = schema.sessions
        conn.execute(update(s).where(s.c.id == session_key(idle)).values(last_seen=long_ago))
        conn.execute(update(s).where(s.c.id == session_key(old)).values(expires_at=long_ago))
    assert (_whoami(server, idle), _whoami(server, old), _whoami(server, fresh)) == (401, 401, 200)
