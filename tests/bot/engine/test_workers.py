"""``python -m bot serve --workers N`` as an operator runs it: real worker processes on one loopback port over a
real PostgreSQL, a web chat socket on one worker and an agent on the other, and SIGTERM stopping them all."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path
from typing import Any

import aiohttp

from bot.desk.accounts import add_user
from models import Database
from tests.bot.desk.test_auth import PASSWORD
from tests.bot.desk.test_console import Agent
from tests.bot.test_cli import ROOT, _var_with_model

DEADLINE = 5.0  # seconds the agent's message may take to reach the other worker's socket before the test fails


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _env(var: Path, url: str | None) -> dict[str, str]:
    env = {**os.environ, "KEFU_VAR_DIR": str(var), "KEFU_SERVICE_HOURS": "0:00-24:00"}
    env.pop("DATABASE_URL", None)
    if url is not None:
        env["DATABASE_URL"] = url
    return env


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


@contextmanager
def serving(var: Path, url: str, workers: int, **env: str) -> Iterator[tuple[subprocess.Popen[str], str]]:
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "serve", "--port", str(port), "--workers", str(workers)], cwd=ROOT,
        env={**_env(var, url), **env}, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        yield process, f"http://127.0.0.1:{port}"
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate(timeout=30)


class Pinned:
    """A client whose every request goes over one kept-alive connection, so to one worker; it looks like the
    aiohttp test client to the tests' Browser helpers (``get``/``post``/``ws_connect`` on paths)."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.session = aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(limit=1), cookie_jar=aiohttp.CookieJar(unsafe=True)
        )

    def get(self, path: str, **kwargs: Any) -> Any:
        return self.session.get(self.base + path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> Any:
        return self.session.post(self.base + path, **kwargs)

    def ws_connect(self, path: str, **kwargs: Any) -> Any:
        return self.session.ws_connect(self.base + path, **kwargs)

    async def pid(self) -> int:
        async with self.get("/healthz") as response:
            assert response.status == 200
            return int(response.headers["X-Kefu-Worker"])


@asynccontextmanager
async def pinned(base: str) -> AsyncIterator[Pinned]:
    client = Pinned(base)
    try:
        yield client
    finally:
        await client.session.close()


async def ready(process: subprocess.Popen[str], base: str) -> None:
    deadline = time.monotonic() + 90
    async with aiohttp.ClientSession() as http:
        while True:
            try:
                async with http.get(f"{base}/healthz") as response:
                    if response.status == 200:
                        return
            except aiohttp.ClientError:
                pass
            assert process.poll() is None, process.communicate()[1]
            assert time.monotonic() < deadline, "the workers never became ready"
            await asyncio.sleep(0.1)


async def pids_answering(base: str, count: int) -> set[int]:
    """The workers' pids, each new connection landing where the kernel sends it."""
    seen: set[int] = set()
    for _ in range(200):
        async with pinned(base) as client:
            seen.add(await client.pid())
        if len(seen) == count:
            break
    return seen


async def on_worker(base: str, pid: int, *, other: bool = False) -> Pinned:
    """A pinned client on the worker ``pid`` (or, with ``other``, on any worker but that one)."""
    for _ in range(200):
        client = Pinned(base)
        if (await client.pid() == pid) != other:
            return client
        await client.session.close()
    raise AssertionError(f"no connection landed {'off' if other else 'on'} worker {pid}")


def test_with_sqlite_several_workers_are_refused_in_one_line(tmp_path: Path, classifier: Any) -> None:
    var = _var_with_model(tmp_path, classifier)
    result = subprocess.run(
        [sys.executable, "-m", "bot", "serve", "--port", str(_free_port()), "--workers", "2"], cwd=ROOT,
        env=_env(var, None), capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1 and "PostgreSQL" in result.stderr, result.stderr
    assert not (var / "kefu.db").exists(), "nothing was started"


async def test_two_workers_share_the_port_the_database_and_live_delivery_and_stop_together(
    tmp_path: Path, pg_url: str, classifier: Any
) -> None:
    var = _var_with_model(tmp_path, classifier)
    database = Database(pg_url)
    try:
        await database.migrate()
        await add_user(database, "小美", "agent", PASSWORD)
    finally:
        await database.dispose()

    with serving(var, pg_url, 2) as (process, base):
        await ready(process, base)
        pids = await pids_answering(base, 2)
        assert len(pids) == 2 and process.pid not in pids, "two workers answer, neither is the master"

        customer = await on_worker(base, min(pids))
        agent_client = await on_worker(base, min(pids), other=True)
        try:
            ws = await customer.ws_connect("/chat/ws?customer=web-workers-1")
            await ws.send_json({"type": "message", "id": "m1", "text": "转人工"})
            while (await ws.receive_json(timeout=30))["type"] != "ack":
                pass
            agent = Agent(agent_client)
            agent.csrf = await agent.logged_in("小美")
            queue = await agent.queue()
            conv = queue["waiting"][0]["id"]
            assert (await agent.take(conv))[0] == 200
            status, body = await agent.send(conv, "您好，我是人工客服小美")
            assert status == 200, body
            assert await agent_client.pid() == max(pids), "the agent's message went through the other worker"

            frame = await ws.receive_json(timeout=DEADLINE)
            while frame.get("from") != "agent":
                frame = await ws.receive_json(timeout=DEADLINE)
            assert frame["text"] == "您好，我是人工客服小美"
            await ws.close()
        finally:
            await customer.session.close()
            await agent_client.session.close()

        process.send_signal(signal.SIGTERM)
        _out, err = process.communicate(timeout=90)
    assert process.returncode == 0, err
    assert not any(_alive(pid) for pid in pids), "every worker stopped with the master"
    assert err.count("event=ready") == 2 and "event=workers_ready workers=2" in err
    assert err.count("event=telegram") == 0


async def test_a_worker_that_cannot_start_stops_the_others_and_the_master_fails(
    tmp_path: Path, pg_url: str, classifier: Any
) -> None:
    var = _var_with_model(tmp_path, classifier)
    broken = {"TELEGRAM_BOT_TOKEN": "123456:ABCdef", "TELEGRAM_API_BASE_URL": "ftp://127.0.0.1/bot"}  # refused in start-up
    with serving(var, pg_url, 2, **broken) as (process, _base):
        _out, err = process.communicate(timeout=90)
    assert process.returncode == 1
    assert "did not start" in err and "the others were stopped" in err, err


async def test_a_worker_killed_while_serving_takes_the_others_down_and_the_master_fails(
    tmp_path: Path, pg_url: str, classifier: Any
) -> None:
    var = _var_with_model(tmp_path, classifier)
    with serving(var, pg_url, 2) as (process, base):
        await ready(process, base)
        pids = await pids_answering(base, 2)
        assert len(pids) == 2
        os.kill(min(pids), signal.SIGKILL)
        _out, err = process.communicate(timeout=90)
    assert process.returncode == 1
    assert f"worker {min(pids)} died (exit -9)" in err, err
    assert not _alive(max(pids)), "the other worker was stopped"
