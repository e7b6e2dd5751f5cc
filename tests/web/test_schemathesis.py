"""Property-based API tests from the OpenAPI description: no input makes a 500.

Schemathesis calls the app in process (ASGI) with a logged-in admin session
and its CSRF token, so the generated requests reach the handlers instead of
stopping at the login check. Examples are few per operation to stay quick.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.generation.modes import GenerationMode

from crisisdesk.model import Document
from crisisdesk.store import Store
from crisisdesk.web import create_app
from crisisdesk.web.auth import hash_password

from .conftest import PASSWORD, REPORT, report_facts

TEST_KEY = "a-test-key-of-forty-bytes-0123456789abcd"


@pytest.fixture(scope="module")
def session_app(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    url = f"sqlite:///{tmp_path_factory.mktemp('fuzz') / 'fuzz.sqlite'}"
    doc = Document.from_text(REPORT, title="Fuzzed", published=date(2020, 2, 4))
    with Store.open(url) as store:
        store.add_document(doc, report_facts(doc.id))
        store.add_user("root", "admin", hash_password(PASSWORD), by="test")
    app = create_app(url, secret_key=TEST_KEY)  # uploads go through the real pipeline
    with TestClient(app) as client:
        resp = client.post("/api/session", json={"name": "root", "password": PASSWORD})
        cookie = client.cookies.get("crisisdesk_session")
    return {"app": app, "csrf": resp.json()["csrf_token"], "cookie": cookie}


def test_no_server_errors(session_app: dict[str, Any]) -> None:
    schema = schemathesis.openapi.from_asgi("/openapi.json", session_app["app"])
    operations = [result.ok() for result in schema.get_all_operations()]
    # calls that may end the session the others use (changing or resetting an
    # account, ending its sessions, logging out) come last, logging out the very last
    ending = ("PATCH /api/users/{name}", "POST /api/users/{name}/password",
              "DELETE /api/users/{name}/sessions")  # fmt: skip
    operations.sort(key=lambda op: (op.label == "DELETE /api/session", op.label in ending))
    assert len(operations) >= 15
    headers = {"X-CSRF-Token": session_app["csrf"]}
    cookies = {"crisisdesk_session": session_app["cookie"]}
    seen: dict[str, set[int]] = {}
    for operation in operations:
        cases = st.one_of(
            operation.as_strategy(GenerationMode.POSITIVE),
            operation.as_strategy(GenerationMode.NEGATIVE),
        )

        @given(case=cases)
        @settings(
            max_examples=12,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            derandomize=True,
            database=None,
        )
        def call(case: Any) -> None:
            response = case.call_and_validate(
                headers=headers, cookies=cookies, checks=[not_a_server_error]
            )
            seen.setdefault(case.operation.label, set()).add(response.status_code)

        call()
    # the session worked: most operations answered something other than 401
    logged_in = [label for label, codes in seen.items() if codes - {401}]
    assert len(logged_in) >= len(operations) - 1 - len(ending), seen
    assert any(code < 300 for codes in seen.values() for code in codes)
