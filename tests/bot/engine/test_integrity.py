"""Nothing half-written, on both databases (issue 9, "Data integrity"): one message's unit of work is one
transaction — an order never commits without the message that confirmed it; nothing the engine remembers outlives
a transaction that rolled back; a repeated message is answered from what was stored, whichever path finds it."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import event, func, select

from bot.web.keys import SERVICES
from models import Message, Order
from tests.bot.rest import say, texts

ADDRESS = "黄嘉欣 13729465018 广东省广州市海珠区新港中路397号丽景苑3座1204"


def sync_engine(client: Any) -> Any:
    db = client.server.app[SERVICES].db
    return db._sync if db._sync is not None else db._async.sync_engine


class FailOnce:
    """Fails the unit of work at the first statement matching ``starts`` that comes after ``after``."""

    def __init__(self, after: str, starts: str, times: int = 1) -> None:
        self.after, self.starts, self.times, self.seen, self.fired = after, starts, times, False, 0

    @property
    def armed(self) -> bool:
        return self.fired < self.times

    def __call__(self, conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        text = " ".join(statement.split()).upper()
        if not self.armed:
            return
        if text.startswith(self.after):
            self.seen = True
        elif self.seen and text.startswith(self.starts):
            self.seen, self.fired = False, self.fired + 1
            raise RuntimeError("simulated crash between the order and its message")


async def count(client: Any, model: Any) -> int:
    db = client.server.app[SERVICES].db
    return int(await db.run(lambda s: s.execute(select(func.count()).select_from(model)).scalar_one()))


async def test_an_order_never_commits_without_the_message_that_confirmed_it(client: Any) -> None:
    await say(client, "tx-1", "纯棉圆领T恤 白色 M码 一件")
    readback = await say(client, "tx-1", ADDRESS)
    assert "核对" in texts(readback) or "订单信息" in texts(readback), texts(readback)
    messages_before = await count(client, Message)
    crash = FailOnce("INSERT INTO ORDERS", "INSERT INTO MESSAGES")
    engine = sync_engine(client)
    event.listen(engine, "before_cursor_execute", crash)
    try:
        failed = await say(client, "tx-1", "确认无误")
    finally:
        event.remove(engine, "before_cursor_execute", crash)
    assert crash.fired == 1
    assert await count(client, Order) == 0, "the order committed without the message that confirmed it"
    assert "KF" not in texts(failed), texts(failed)  # no order number is claimed: there is none
    # The message itself is kept (with an apology); the customer's second yes places exactly one order.
    assert await count(client, Message) > messages_before
    again = await say(client, "tx-1", "确认")
    assert "KF" in texts(again), texts(again)
    assert await count(client, Order) == 1


async def test_a_new_customer_row_is_not_committed_on_its_own(client: Any) -> None:
    from models import Customer

    # Both the unit of work and the engine's retry with an apology fail after creating the customer.
    crash = FailOnce("INSERT INTO CUSTOMERS", "INSERT INTO CONVERSATIONS", times=2)
    engine = sync_engine(client)
    event.listen(engine, "before_cursor_execute", crash)
    try:
        response = await client.post("/api/messages", json={"customer": "tx-2", "text": "在吗"})
    finally:
        event.remove(engine, "before_cursor_execute", crash)
    assert crash.fired == 2
    assert response.status == 503  # nothing was stored, and the answer says so (not "stored and will not be lost")
    assert "not stored" in (await response.json())["error"]
    assert await count(client, Customer) == 0, "a customer row committed without its message"
    assert await count(client, Message) == 0
    # Sent again, the message is taken as new: stored once, answered.
    answer = await say(client, "tx-2", "在吗")
    assert answer["replies"] and await count(client, Customer) == 1


class LostConnection(FailOnce):
    """As :class:`FailOnce`, failing the way a dropped database connection does."""

    def __call__(self, conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        try:
            super().__call__(conn, cursor, statement, *args)
        except RuntimeError:
            from models import DatabaseUnavailable

            raise DatabaseUnavailable(ConnectionResetError("connection lost")) from None


async def test_one_failed_message_does_not_poison_the_customer(client: Any) -> None:
    # A new customer's first message fails after their row was written (the connection dropped); the transaction
    # rolled back, so that row never existed — the engine must not go on using its id.
    crash = LostConnection("INSERT INTO CUSTOMERS", "INSERT INTO CONVERSATIONS")
    engine = sync_engine(client)
    event.listen(engine, "before_cursor_execute", crash)
    try:
        first = await client.post("/api/messages", json={"customer": "tx-3", "text": "在吗"})
    finally:
        event.remove(engine, "before_cursor_execute", crash)
    assert crash.fired == 1 and first.status == 503
    assert "not stored" in (await first.json())["error"]
    for text in ("在吗", "T恤有白色M码吗"):
        answer = await say(client, "tx-3", text)
        assert answer["replies"], text


async def test_bad_characters_are_refused_and_the_customer_is_served_afterwards(client: Any) -> None:
    for body in (
        {"customer": "tx-4", "text": "在吗\x00"},
        {"customer": "tx-4", "text": "在吗", "message_id": "m\x00"},
        {"customer": "tx-4", "text": "在吗", "message_id": "m" * 129},
        {"customer": "tx-4", "text": "在吗", "message_id": ""},
    ):
        response = await client.post("/api/messages", json=body)
        assert response.status == 400, (body, await response.text())
    answer = await say(client, "tx-4", "在吗")
    assert answer["replies"] and await count(client, Message) == 1 + len(answer["replies"])


@pytest.fixture
async def two_workers(settings: Any, classifier: Any) -> Any:
    """Two engines on one database, each with its own connections and memory: two workers."""
    from contextlib import AsyncExitStack

    from bot import open_services

    async with AsyncExitStack() as stack:
        yield [await stack.enter_async_context(open_services(settings, classifier=classifier)) for _ in range(2)]


async def test_a_retry_sent_to_another_worker_gets_the_stored_replies(two_workers: Any) -> None:
    import asyncio

    from bot.engine.envelope import Inbound

    a, b = two_workers
    await a.engine.handle(Inbound("rest", "tx-5", "在吗", message_id="m-0"))
    url = a.db.url
    # Hold the customer's conversation (and the whole database on SQLite) while the same message reaches both
    # workers: both look for an earlier delivery while the other has not yet stored it.
    if url.get_backend_name() == "postgresql":
        import asyncpg

        holder = await asyncpg.connect(url.set(drivername="postgresql").render_as_string(hide_password=False))
        tx = holder.transaction()
        await tx.start()
        await holder.execute("SELECT 1 FROM conversations FOR UPDATE")
        await holder.execute("SELECT 1 FROM customers FOR UPDATE")
    else:
        import sqlite3

        holder = sqlite3.connect(url.database, isolation_level=None, check_same_thread=False)
        holder.execute("BEGIN IMMEDIATE")
    try:
        inbound = Inbound("rest", "tx-5", "T恤有白色M码吗", message_id="m-1")
        both = asyncio.gather(a.engine.handle(inbound), b.engine.handle(inbound), return_exceptions=True)
        await asyncio.sleep(0.5)  # both are waiting on the database now
    finally:
        if url.get_backend_name() == "postgresql":
            await tx.rollback()
            await holder.close()
        else:
            holder.execute("ROLLBACK")
            holder.close()
    first, second = await both
    assert not isinstance(first, BaseException), first
    assert not isinstance(second, BaseException), second
    assert sorted([first.duplicate, second.duplicate]) == [False, True]
    assert [r.text for r in first.replies] == [r.text for r in second.replies]
    stored = await a.db.run(
        lambda s: s.execute(select(func.count()).select_from(Message).where(Message.channel_message_id == "m-1"))
        .scalar_one()
    )
    assert stored == 1
