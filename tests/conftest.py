"""Shared fixtures: a fresh database per test (SQLite, and PostgreSQL for the database tests),
one trained classifier per session, and the app on a real loopback server."""

from __future__ import annotations

import itertools
import os
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import asyncpg
import pytest

from tests import _pg

ROOT = Path(__file__).resolve().parent.parent
_counter = itertools.count()


@pytest.fixture(scope="session")
def classifier() -> Any:
    """The real intent model, trained once into the repo's var/models (reused when unchanged) — by one test worker
    while the others wait for it (``make test`` runs several)."""
    import fcntl

    from intents import IntentClassifier

    models = ROOT / "var" / "models"
    models.mkdir(parents=True, exist_ok=True)
    with open(models / ".train.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        return IntentClassifier.load(model_dir=models)


@pytest.fixture(scope="session")
def postgres() -> Iterator[str]:
    if not _pg.available():
        if os.environ.get("CI"):
            pytest.fail("PostgreSQL is required in CI: apt-get install -y postgresql")
        pytest.skip("PostgreSQL is not installed here (apt-get install -y postgresql)")
    with _pg.server() as template:
        yield template


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database for one test, on each backend."""
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'kefu.db'}"
        return
    yield _fresh_pg_database(request.getfixturevalue("postgres"))


@pytest.fixture
def pg_url(postgres: str) -> str:
    """A fresh, empty PostgreSQL database, for tests about several workers sharing one."""
    return _fresh_pg_database(postgres)


def pg_admin_dsn(template: str) -> str:
    """An asyncpg DSN for the test server's admin database (to look at or end other sessions)."""
    return template.format(db="postgres").replace("postgresql+asyncpg", "postgresql")


def _fresh_pg_database(template: str) -> str:
    name = f"kefu_test_{os.getpid()}_{next(_counter)}"

    import asyncio

    async def create() -> None:
        conn = await asyncpg.connect(pg_admin_dsn(template))
        try:
            await conn.execute(f'CREATE DATABASE "{name}"')
        finally:
            await conn.close()

    asyncio.run(create())
    return template.format(db=name)


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """A fresh SQLite database, for tests that are not about the database."""
    return f"sqlite+aiosqlite:///{tmp_path / 'kefu.db'}"


def make_settings(tmp_path: Path, url: str, **overrides: Any) -> Any:
    from bot import load_settings

    # Agents are "at work" around the clock unless a test says otherwise: replies must not depend on the hour.
    overrides.setdefault("service_hours", "0:00-24:00")
    # Tests play whole conversations at machine speed, far faster than anyone types: the rate limits are off unless a
    # test is about them (tests/bot/web/test_limits.py).
    overrides.setdefault("rate_limits", False)
    return load_settings(var_dir=tmp_path, database_url=url, **overrides)


@pytest.fixture
def settings(tmp_path: Path, db_url: str) -> Any:
    return make_settings(tmp_path, db_url)


@pytest.fixture
async def services(settings: Any, classifier: Any) -> AsyncIterator[Any]:
    """The running engine and database, without HTTP."""
    from bot import open_services

    async with open_services(settings, classifier=classifier) as running:
        yield running


@pytest.fixture
async def client(aiohttp_client: Any, settings: Any, classifier: Any) -> Any:
    """An HTTP client for the app on a real loopback server."""
    from bot import create_app

    return await aiohttp_client(create_app(settings, classifier=classifier))
