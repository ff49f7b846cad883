"""Nothing half-written, on both databases (issue 9, "Data integrity"): one message's unit of work is one
transaction — an order never commits without the message that confirmed it; nothing the engine remembers outlives
a transaction that rolled back; a repeated message is answered from what was stored, whichever path finds it."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import event, func, select

from bot._app import SERVICES
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
