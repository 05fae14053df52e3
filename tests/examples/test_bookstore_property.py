"""Property-based tests: schemathesis reads the bookstore's OpenAPI document, generates
requests that fit it and requests that break it, and checks every answer against the same
document: no 5xx, and every status, content type, header and body as documented.

Deterministic (a fixed seed per operation) and bounded (EXAMPLES_PER_OPERATION), so every
run sends the same requests. Part of `make check`, which runs pytest tests/examples; run it
alone with:

    .venv/bin/python -m pytest -m property tests/examples -q
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
import schemathesis
from argon2 import PasswordHasher
from bookstore.app import create_app
from bookstore.db.connection import connect
from bookstore.db.migrate import migrate
from bookstore.db.seed import seed_demo_data
from bookstore.services import accounts
from bookstore.settings import Settings
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

pytestmark = pytest.mark.property

EXAMPLES_PER_OPERATION = 25
PASSWORD = "correct horse battery staple"
FAST_HASHER = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1)

# One app for the whole module: schemathesis needs it when the tests are collected.
# Its database is set by the fixture below, before the first request starts it.
APP = create_app(
    Settings(
        public_url="https://testserver",
        secret_key="fuzz-secret-key-" + "k" * 32,
        webhook_secret="fuzz-webhook-secret-" + "w" * 32,
    ),
    password_hasher=FAST_HASHER,
)
schema = schemathesis.openapi.from_dict(APP.openapi())
schema.app = APP  # requests go straight to the ASGI app, no network
schema.config.update(base_url="https://testserver")


@pytest.fixture(scope="module")
def token(tmp_path_factory) -> Iterator[str]:
    """A database of its own with the demo books, and a session token for a user who
    exists, so the routes behind a login are reached too."""
    database = str(tmp_path_factory.mktemp("fuzz") / "bookstore.db")
    APP.state.settings = APP.state.settings.model_copy(update={"database": database})
    # The payment provider answers "pending" at once, without a network.
    provider = httpx.MockTransport(lambda request: httpx.Response(200, json={"status": "pending"}))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(
            "bookstore.app.make_client", lambda url: httpx.Client(base_url=url, transport=provider)
        )
        conn = connect(database)
        try:
            migrate(conn)
            seed_demo_data(conn)
            accounts.register(conn, FAST_HASHER, "fuzz@example.com", PASSWORD)
            yield accounts.log_in(
                conn, FAST_HASHER, "fuzz@example.com", PASSWORD, APP.state.clock()
            )
        finally:
            conn.close()


# --8<-- [start:property_test]
@schema.parametrize()
@settings(
    max_examples=EXAMPLES_PER_OPERATION,
    derandomize=True,  # a fixed seed: the same requests on every run
    database=None,  # and no example database left on disk
    deadline=None,  # time is not what this test checks
    suppress_health_check=list(HealthCheck),
)
def test_every_answer_matches_the_openapi_document(case, token):
    case.call_and_validate(
        headers={"Authorization": f"Bearer {token}"},
        # Some requests fit the schema yet break a rule it cannot express (a signature that
        # verifies, a cursor we issued, one line per book): they get a documented 4xx.
        excluded_checks=[positive_data_acceptance],
    )


# --8<-- [end:property_test]
