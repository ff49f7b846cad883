"""Fixtures the console-side tests share: a clock the test moves, and one server with its browsers."""

from __future__ import annotations

from typing import Any

import pytest

from bot import create_app
from models import utcnow
from tests.bot.desk.test_auth import Clock
from tests.bot.desk.test_console import Shop


@pytest.fixture
def clock() -> Clock:
    clock = Clock()
    clock.now = utcnow()  # messages carry the real time; the test moves the clock from there
    return clock


@pytest.fixture
async def shop(aiohttp_client: Any, settings: Any, classifier: Any, clock: Clock) -> Shop:
    """The app on a real loopback server with the test's clock; ``shop.agent(name)`` logs a browser in."""
    client = await aiohttp_client(create_app(settings, classifier=classifier, clock=clock))
    return Shop(aiohttp_client, client, clock)
