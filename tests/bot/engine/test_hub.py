"""Live delivery across workers: two apps ("workers") on one PostgreSQL database, each with its own hub, on
real loopback servers. What an agent does through one worker reaches the sockets held by the other — the web
chat's and the console's queue — and a lost LISTEN connection comes back with every listener caught up."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import asyncpg
import pytest
from aiohttp import WSMsgType

from bot import SERVICES, create_app
from bot.desk import console
from bot.engine import relay
from tests.bot.desk.test_console import Agent
from tests.conftest import make_settings, pg_admin_dsn

DEADLINE = 5.0  # seconds a frame may take before the test fails (the socket would otherwise wait forever)


@pytest.fixture
async def workers(aiohttp_client: Any, tmp_path: Path, pg_url: str, classifier: Any) -> tuple[Any, Any]:
    """Two clients, each on its own app (its own hub and connections) sharing one PostgreSQL database."""
    settings = make_settings(tmp_path, pg_url)
    first = await aiohttp_client(create_app(settings, classifier=classifier))
    second = await aiohttp_client(create_app(settings, classifier=classifier))
    return first, second


async def _agent(aiohttp_client: Any, worker: Any, name: str) -> Agent:
    return await Agent(await aiohttp_client(worker.server)).start(name)


async def _say_on_socket(ws: Any, text: str) -> None:
    await ws.send_json({"type": "message", "id": f"m-{text}", "text": text})
    while (await ws.receive_json(timeout=30))["type"] != "ack":
        pass


async def _conversation(agent: Agent, customer: str) -> int:
    queue = await agent.queue()
    return int(next(item["id"] for item in queue["waiting"]))


async def _from_agent(ws: Any) -> dict[str, Any]:
    frame = await ws.receive_json(timeout=DEADLINE)
    while frame.get("from") != "agent":
        frame = await ws.receive_json(timeout=DEADLINE)
    return dict(frame)


async def test_an_agents_message_sent_through_one_worker_reaches_the_socket_on_the_other(
    workers: tuple[Any, Any], aiohttp_client: Any
) -> None:
    first, second = workers
    ws = await first.ws_connect("/chat/ws?customer=web-customer-a1")  # the customer's socket is on the first
    try:
        await _say_on_socket(ws, "转人工")
        alice = await _agent(aiohttp_client, second, "alice")  # the agent works on the second
        conv = await _conversation(alice, "web-customer-a1")
        assert (await alice.take(conv))[0] == 200
        status, body = await alice.send(conv, "您好，我是人工客服小美")
        assert status == 200, body
        frame = await _from_agent(ws)
        assert frame["text"] == "您好，我是人工客服小美" and frame["seq"] == body["message"]["seq"]
    finally:
        await ws.close()


async def test_the_queue_socket_on_one_worker_hears_a_take_on_the_other(
    workers: tuple[Any, Any], aiohttp_client: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(console, "QUEUE_REFRESH_SECONDS", 600.0)  # no re-reading by the clock: only a wake-up
    first, second = workers
    response = await first.post("/api/messages", json={"customer": "c-queue", "text": "转人工"})
    assert response.status == 200
    alice = await _agent(aiohttp_client, first, "alice")
    bob = await _agent(aiohttp_client, second, "bob")
    ws = await alice.client.ws_connect("/agent/ws")
    try:
        opening = await ws.receive_json(timeout=30)
        assert [item["id"] for item in opening["waiting"]]
        conv = opening["waiting"][0]["id"]
        assert (await bob.take(conv))[0] == 200
        frame = await ws.receive_json(timeout=DEADLINE)
        assert frame == {"type": "queue", "waiting": [], "mine": []}
    finally:
        await ws.close()


async def test_a_lost_listen_connection_comes_back_and_listeners_catch_up(
    workers: tuple[Any, Any], aiohttp_client: Any, postgres: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(relay, "RETRY_SECONDS", 0.05)
    first, second = workers
    link = first.server.app[SERVICES].relay
    assert link is not None and link.pid is not None
    ws = await first.ws_connect("/chat/ws?customer=web-customer-b1")
    await _say_on_socket(ws, "转人工")

    admin = await asyncpg.connect(pg_admin_dsn(postgres))  # PostgreSQL ends the listening session
    try:
        assert await admin.fetchval("SELECT pg_terminate_backend($1)", link.pid)
    finally:
        await admin.close()
    closing = await ws.receive(timeout=DEADLINE)  # notices may have been missed: the socket is told to catch up
    while closing.type == WSMsgType.TEXT:  # (the bot's answer to 转人工, if it was still on its way)
        closing = await ws.receive(timeout=DEADLINE)
    assert closing.type in (WSMsgType.CLOSE, WSMsgType.CLOSED, WSMsgType.CLOSING)
    assert ws.close_code == 1013
    for _ in range(200):
        if link.reconnects:
            break
        await asyncio.sleep(0.02)
    assert link.reconnects == 1

    again = await first.ws_connect("/chat/ws?customer=web-customer-b1&after=2")  # as the page reconnects
    try:
        alice = await _agent(aiohttp_client, second, "alice")
        conv = await _conversation(alice, "web-customer-b1")
        assert (await alice.take(conv))[0] == 200
        assert (await alice.send(conv, "连接恢复了，我来帮您"))[0] == 200
        assert (await _from_agent(again))["text"] == "连接恢复了，我来帮您"
    finally:
        await again.close()
