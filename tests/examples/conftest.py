"""Fixtures for the tests of the example code (examples/ is on sys.path via pyproject's
pytest `pythonpath`; the fallback below keeps `pytest tests/examples` working without it)."""

from __future__ import annotations

import socket
import sys
import warnings
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
if str(EXAMPLES) not in sys.path:  # pragma: no cover - pyproject already adds it
    sys.path.insert(0, str(EXAMPLES))

# Starlette suggests the httpx2 package for its TestClient; httpx still works.
warnings.filterwarnings("ignore", message=r"Using `httpx` with `starlette\.testclient`")

from argon2 import PasswordHasher
from bookstore.app import create_app
from bookstore.db.connection import connect
from bookstore.db.migrate import migrate
from bookstore.settings import Settings
from fastapi.testclient import TestClient

PASSWORD = "correct horse battery staple"


# --8<-- [start:fake_clock]
class FakeClock:
    """A clock the test moves by hand: no sleeping, no flaky timing."""

    def __init__(self, now: float = 1_800_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds

    def sleep(self, seconds: float) -> None:
        """Stands in for time.sleep: the time passes at once, nobody waits."""
        self.advance(seconds)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


# --8<-- [end:fake_clock]


@pytest.fixture(scope="session")
def fast_hasher() -> PasswordHasher:
    # Real Argon2id, with small costs so tests stay fast. Production uses make_hasher().
    return PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1)


# --8<-- [start:app_fixtures]
@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(
        database=str(tmp_path / "bookstore.db"),
        secret_key="test-secret-key-" + "k" * 32,
        webhook_secret="test-webhook-secret-" + "w" * 32,
        payment_api_url="http://127.0.0.1:9",  # nothing listens there
        public_url="https://testserver",  # the TestClient's address
    )


@pytest.fixture
def app(settings, clock, fast_hasher):
    # One fake clock stands in for the wall clock, the monotonic one and time.sleep.
    return create_app(
        settings, clock=clock, monotonic=clock, sleep=clock.sleep, password_hasher=fast_hasher
    )


@pytest.fixture
def client(app):
    # `with` runs the lifespan (migrations, demo data). https:// because cookies are
    # Secure by default and a client only sends them back over HTTPS.
    with TestClient(app, base_url="https://testserver") as test_client:
        yield test_client


# --8<-- [end:app_fixtures]


@pytest.fixture
def db(client, settings):
    """A connection to the same database the app uses (migrated, with demo books)."""
    conn = connect(settings.database)
    yield conn
    conn.close()


@pytest.fixture
def empty_db(tmp_path: Path):
    """A migrated database without the app and without demo data."""
    conn = connect(str(tmp_path / "plain.db"))
    migrate(conn)
    yield conn
    conn.close()


@pytest.fixture
def log_in(client):
    """log_in("ana@example.com") signs the user up and returns their auth headers."""

    def _log_in(email: str) -> dict[str, str]:
        credentials = {"email": email, "password": PASSWORD}
        assert client.post("/api/v1/users", json=credentials).status_code == 201
        response = client.post("/api/v1/sessions", json=credentials)
        assert response.status_code == 201, response.text
        return {"Authorization": f"Bearer {response.json()['token']}"}

    return _log_in


@pytest.fixture
def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
