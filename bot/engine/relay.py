"""The hub across workers on PostgreSQL: LISTEN/NOTIFY on one dedicated asyncpg connection per worker.

:class:`PgRelay` links a :class:`~bot.engine.hub.Hub` to the other workers sharing the database. What the hub
publishes is sent as ``NOTIFY kefu_hub, '<small JSON notice>'`` — after the unit of work committed, as the
hub is only ever called then — and every notice the connection hears goes to :meth:`Hub.received`. Sends are
queued and go out in batches (one statement for all that piled up), in order, from one task: the connection
runs one statement at a time, and publishing must never wait for the database.

A lost connection (PostgreSQL restarted, a network cut, the backend terminated) is noticed at once when the
socket closes, and within ``CHECK_SECONDS`` when it silently hangs; the relay reconnects (backing off up to
``MAX_BACKOFF_SECONDS``), sends what was queued meanwhile, and calls :meth:`Hub.resync`: notices from the other
workers may have been missed, so every listener catches up from the database. Nothing here needs a broker.

Timeouts use ``asyncio.timeout``, not ``asyncio.wait_for``: on Python 3.11 ``wait_for`` swallows a cancellation
that arrives as the awaited call completes, and the task would then never stop.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from contextlib import suppress
from typing import Any

import asyncpg
from sqlalchemy.engine import URL

from bot.engine.hub import Fetch, Hub

log = logging.getLogger("kefu.hub")
CHANNEL = "kefu_hub"
CHECK_SECONDS = 15.0  # an idle connection is checked this often (module values, read when used: tests shorten them)
RETRY_SECONDS = 0.5
MAX_BACKOFF_SECONDS = 10.0
MAX_QUEUED = 10_000  # notices kept while the connection is down; beyond that the oldest go (resync covers them)


def asyncpg_dsn(url: URL) -> str:
    """The asyncpg DSN of a ``postgresql+asyncpg://`` SQLAlchemy URL (with its password)."""
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


class PgRelay:
    """Carries a hub's notices to and from the other workers. :meth:`start` connects (raising if it cannot:
    start-up stops), :meth:`stop` disconnects; in between it keeps itself connected."""

    def __init__(self, hub: Hub, dsn: str, fetch: Fetch) -> None:
        self._hub = hub
        self._dsn = dsn
        self._fetch = fetch
        self._queued: deque[str] = deque(maxlen=MAX_QUEUED)
        self._ready = asyncio.Event()  # something queued, or the connection needs a look
        self._connection: asyncpg.Connection | None = None
        self._task: asyncio.Task[None] | None = None
        self.reconnects = 0

    async def start(self) -> None:
        """Connect and listen, then link the hub.

        Raises:
            OSError / asyncpg errors: PostgreSQL cannot be reached.
        """
        self._connection = await self._connect()
        self._hub.link(self._send, self._fetch)
        self._task = asyncio.create_task(self._run(), name="kefu-hub-relay")

    async def stop(self) -> None:
        """Send what is still queued (briefly), then disconnect."""
        self._hub.unlink()
        if self._task is not None:
            self._task.cancel()
            with suppress(asyncio.CancelledError):
                await self._task
        if self._queued:
            with suppress(Exception):
                async with asyncio.timeout(3):
                    await self._flush()
        if self._connection is not None:
            with suppress(Exception):
                async with asyncio.timeout(3):
                    await self._connection.close()
            self._connection = None

    @property
    def pid(self) -> int | None:
        """The PostgreSQL backend of the listening connection (what an operator sees in pg_stat_activity)."""
        return self._connection.get_server_pid() if self._connection is not None else None

    def _send(self, payload: str) -> None:
        self._queued.append(payload)
        self._ready.set()

    async def _connect(self) -> asyncpg.Connection:
        connection: asyncpg.Connection = await asyncpg.connect(self._dsn, timeout=10)
        try:
            await connection.add_listener(CHANNEL, self._heard)
        except BaseException:
            await connection.close()
            raise
        connection.add_termination_listener(self._lost)
        return connection

    def _heard(self, _connection: Any, _pid: int, _channel: str, payload: str) -> None:
        self._hub.received(payload)

    def _lost(self, _connection: Any) -> None:
        self._ready.set()

    async def _run(self) -> None:
        while True:
            with suppress(TimeoutError):
                async with asyncio.timeout(CHECK_SECONDS):
                    await self._ready.wait()
            self._ready.clear()
            try:
                await self._flush()
            except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError) as exc:
                log.warning("event=hub_link_lost error=%s", type(exc).__name__)
                await self._reconnect()

    async def _flush(self) -> None:
        """Send what is queued in one statement, or check the connection when nothing is."""
        connection = self._connection
        if connection is None or connection.is_closed():
            raise ConnectionResetError("the listening connection is closed")
        if not self._queued:
            async with asyncio.timeout(CHECK_SECONDS):
                await connection.fetchval("SELECT 1")
            return
        batch = list(self._queued)
        self._queued.clear()
        try:
            async with asyncio.timeout(CHECK_SECONDS):
                await connection.execute("SELECT pg_notify($1, p) FROM unnest($2::text[]) AS p", CHANNEL, batch)
        except BaseException:
            self._queued.extendleft(reversed(batch))  # sent again, before what was queued meanwhile
            raise

    async def _reconnect(self) -> None:
        old, self._connection = self._connection, None
        if old is not None:
            old.terminate()
        backoff = RETRY_SECONDS
        while self._connection is None:
            try:
                self._connection = await self._connect()
            except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError, TimeoutError) as exc:
                log.warning("event=hub_reconnect_failed error=%s retry_in=%.1f", type(exc).__name__, backoff)
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, MAX_BACKOFF_SECONDS)
        self.reconnects += 1
        log.info("event=hub_link_restored queued=%d", len(self._queued))
        self._hub.resync()
        self._ready.set()  # send what waited
