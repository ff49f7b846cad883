"""The agents' console, server side (issue 3, "Agents"): queue, transcript, atomic takeover, agent messages,
release and transfer, the audit trail and a restart — through a real loopback server with real logins,
on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import datetime as dt
import re
from decimal import Decimal
from typing import Any

import pytest
from alembic import command
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from bot import create_app
from bot.desk.accounts import set_active
from models import (
    AgentAction,
    Conversation,
    Customer,
    Database,
    Message,
    Order,
    OrderItem,
    User,
    alembic_config,
    as_utc,
)
from tests.bot.desk.test_auth import Browser, Clock
from tests.conftest import make_settings


class Agent(Browser):
    """A logged-in agent's browser, calling the console's JSON API with the session's CSRF token."""

    csrf = ""

    async def start(self, name: str, role: str = "agent") -> Agent:
        await self.add(name, role)
        self.csrf = await self.logged_in(name)
        self.name = name
        return self

    async def get_json(self, path: str) -> tuple[int, Any]:
        response = await self.client.get(path, allow_redirects=False)
        return response.status, (await response.json() if response.content_type == "application/json" else None)

    async def post_json(self, path: str, payload: Any = None, *, csrf: str | None = None) -> tuple[int, Any]:
        headers = {"X-CSRF-Token": self.csrf if csrf is None else csrf}
        response = await self.client.post(path, json=payload or {}, headers=headers, allow_redirects=False)
        return response.status, (await response.json() if response.content_type == "application/json" else None)

    async def queue(self) -> dict[str, Any]:
        status, body = await self.get_json("/agent/api/queue")
        assert status == 200, body
        return dict(body)

    async def take(self, conv: int) -> tuple[int, Any]:
        return await self.post_json(f"/agent/api/conversations/{conv}/take")

    async def send(self, conv: int, text: str) -> tuple[int, Any]:
        return await self.post_json(f"/agent/api/conversations/{conv}/messages", {"text": text})


class Shop:
    """One server, a clock the test moves, and as many browsers on it as the test needs."""

    def __init__(self, aiohttp_client: Any, client: Any, clock: Clock) -> None:
        self._make = aiohttp_client
        self.customers = client  # no cookies: the REST channel
        self.clock = clock

    @property
    def db(self) -> Database:
        return Browser(self.customers).db

    async def agent(self, name: str, role: str = "agent") -> Agent:
        return await Agent(await self._make(self.customers.server)).start(name, role)

    async def say(self, customer: str, text: str) -> dict[str, Any]:
        response = await self.customers.post("/api/messages", json={"customer": customer, "text": text})
        assert response.status == 200, await response.text()
        return dict(await response.json())

    async def conversation_of(self, customer: str) -> Conversation:
        def work(session: Session) -> Conversation:
            return session.execute(
                select(Conversation).join(Customer).where(Customer.external_id == customer)
                .order_by(Conversation.id.desc()).limit(1)
            ).scalar_one()

        return await self.db.run(work)

    async def actions(self) -> list[tuple[str, str, int | None, dict[str, Any], dt.datetime]]:
        def work(session: Session) -> list[tuple[str, str, int | None, dict[str, Any], dt.datetime]]:
            rows = session.execute(
                select(User.name, AgentAction.action, AgentAction.conversation_id, AgentAction.detail,
                       AgentAction.created_at).join(User, AgentAction.user_id == User.id).order_by(AgentAction.id)
            ).all()
            return [(n, a, c, d, as_utc(t)) for n, a, c, d, t in rows]

        return await self.db.run(work)




DISPUTE = "收到的衣服有个洞，质量太差了"


# ------------------------------------------------------------------ the queue and the transcript


async def test_the_queue_lists_waiting_chats_oldest_first_and_the_callers_own(shop: Shop) -> None:
    await shop.say("c-broken", DISPUTE)
    await shop.say("c-person", "转人工")
    await shop.say("c-shopper", "有T恤吗")  # the bot serves this one: not in the queue
    broken, person = await shop.conversation_of("c-broken"), await shop.conversation_of("c-person")
    assert (broken.status, person.status) == ("waiting_agent", "waiting_agent")
    # Escalated the other way round: the queue follows the escalation time, not the id.
    await shop.db.run(lambda s: s.execute(
        update(Conversation).where(Conversation.id == broken.id)
        .values(escalated_at=as_utc(person.escalated_at) + dt.timedelta(seconds=1))  # type: ignore[arg-type]
    ))

    alice = await shop.agent("alice")
    queue = await alice.queue()
    assert [item["id"] for item in queue["waiting"]] == [person.id, broken.id] and queue["mine"] == []
    second, first = queue["waiting"][1], queue["waiting"][0]
    assert second["customer"] == {"channel": "rest", "id": "c-broken", "name": None}
    assert second["escalation_reason"] == "dispute" and second["dispute_type"] == "product"
    assert first["escalation_reason"] == "human" and first["dispute_type"] is None
    assert second["last_message"] and second["last_from"] == "bot", "the bot's apology came last"
    assert second["holder"] is None and isinstance(second["waited_seconds"], int)

    assert (await alice.take(broken.id))[0] == 200
    queue = await alice.queue()
    assert [item["id"] for item in queue["waiting"]] == [person.id]
    [mine] = queue["mine"]
    assert mine["id"] == broken.id and mine["holder"] == "alice" and mine["status"] == "agent"

    bob = await shop.agent("bob")
    assert (await bob.queue()) == {"waiting": queue["waiting"], "mine": []}, "another agent's chat is not bob's"


async def test_a_chat_is_flagged_once_the_customer_has_waited_the_flag_time_without_a_person(shop: Shop) -> None:
    await shop.say("c-flag", DISPUTE)
    conv = await shop.conversation_of("c-flag")
    asked = await shop.db.run(lambda s: s.execute(
        select(Message.created_at).where(Message.conversation_id == conv.id, Message.direction == "in")
    ).scalar_one())
    alice = await shop.agent("alice")

    def item(queue: dict[str, Any]) -> dict[str, Any]:
        [found] = [i for i in queue["waiting"] + queue["mine"] if i["id"] == conv.id]
        return found

    shop.clock.now = as_utc(asked) + dt.timedelta(seconds=29, milliseconds=900)
    assert item(await alice.queue())["flagged"] is False
    shop.clock.now = as_utc(asked) + dt.timedelta(seconds=30)
    flagged = item(await alice.queue())
    assert flagged["flagged"] is True and flagged["unanswered_seconds"] == 30

    await alice.take(conv.id)
    assert item(await alice.queue())["flagged"] is True, "taking it is not answering it"
    assert (await alice.send(conv.id, "您好，我是客服小王，马上为您处理"))[0] == 200
    answered = item(await alice.queue())
    assert answered["flagged"] is False and answered["unanswered_seconds"] is None

    await shop.say("c-flag", "好的，我等你")
    again = await shop.db.run(lambda s: s.execute(
        select(Message.created_at).where(Message.conversation_id == conv.id, Message.direction == "in")
        .order_by(Message.seq.desc()).limit(1)
    ).scalar_one())
    shop.clock.now = as_utc(again) + dt.timedelta(seconds=29)
    assert item(await alice.queue())["flagged"] is False
    shop.clock.now = as_utc(again) + dt.timedelta(seconds=31)
    assert item(await alice.queue())["flagged"] is True


async def test_the_flag_time_comes_from_the_settings(
    aiohttp_client: Any, tmp_path: Any, db_url: str, classifier: Any, clock: Clock
) -> None:
    settings = make_settings(tmp_path, db_url, agent_flag_seconds=5)
    shop = Shop(aiohttp_client, await aiohttp_client(create_app(settings, classifier=classifier, clock=clock)), clock)
    await shop.say("c-fast", "转人工")
    alice = await shop.agent("alice")
    asked = await shop.db.run(lambda s: s.execute(select(func.min(Message.created_at))).scalar_one())
    shop.clock.now = as_utc(asked) + dt.timedelta(seconds=5)
    assert (await alice.queue())["waiting"][0]["flagged"] is True


async def test_the_transcript_shows_every_message_both_ways_with_intents_and_the_dispute(shop: Shop) -> None:
    await shop.say("c-read", "你好")
    await shop.say("c-read", DISPUTE)
    conv = await shop.conversation_of("c-read")
    alice = await shop.agent("alice")
    await alice.take(conv.id)
    await alice.send(conv.id, "<b>您好</b>")
    status, body = await alice.get_json(f"/agent/api/conversations/{conv.id}")
    assert status == 200
    messages = body["messages"]
    assert [m["seq"] for m in messages] == sorted(m["seq"] for m in messages)
    assert [m["from"] for m in messages][:1] == ["customer"] and messages[-1]["from"] == "agent"
    assert messages[-1]["text"] == "<b>您好</b>", "stored as the agent typed it; the page shows it as text"
    customer_lines = [m for m in messages if m["from"] == "customer"]
    assert [m["text"] for m in customer_lines] == ["你好", DISPUTE]
    assert customer_lines[1]["intent"] and 0 <= customer_lines[1]["confidence"] <= 1
    assert all(m["at"] for m in messages) and any(m["from"] == "bot" for m in messages)
    [dispute] = body["disputes"]
    assert dispute["type"] == "product" and dispute["opening_message"] == DISPUTE
    assert body["holder"] == "alice" and body["status"] == "agent" and body["customer"]["id"] == "c-read"

    assert (await alice.get_json("/agent/api/conversations/999999"))[0] == 404
    assert (await alice.get_json("/agent/api/conversations/abc"))[0] == 400


async def test_the_console_api_needs_a_login(shop: Shop) -> None:
    await shop.say("c-anon", "转人工")
    conv = await shop.conversation_of("c-anon")
    anonymous = await shop._make(shop.customers.server)
    for path in ("/agent/api/queue", f"/agent/api/conversations/{conv.id}"):
        response = await anonymous.get(path, allow_redirects=False)
        assert response.status == 303 and response.headers["Location"] == "/login"
    refused = await anonymous.post(f"/agent/api/conversations/{conv.id}/take", allow_redirects=False)
    assert refused.status == 403
    assert (await shop.conversation_of("c-anon")).status == "waiting_agent"


# ------------------------------------------------------------------ taking over


async def test_two_agents_taking_at_once_one_wins_and_the_other_is_told_who(shop: Shop) -> None:
    await shop.say("c-race", DISPUTE)
    conv = await shop.conversation_of("c-race")
    alice, bob = await shop.agent("alice"), await shop.agent("bob")
    (a_status, a_body), (b_status, b_body) = await asyncio.gather(alice.take(conv.id), bob.take(conv.id))
    assert sorted([a_status, b_status]) == [200, 409]
    winner, loser = ("alice", b_body) if a_status == 200 else ("bob", a_body)
    assert loser["holder"] == winner and winner in loser["error"]
    held = await shop.conversation_of("c-race")
    holder = await shop.db.run(lambda s: s.execute(select(User.name).where(User.id == held.agent_id)).scalar_one())
    assert held.status == "agent" and holder == winner and held.assigned_at is not None
    assert [(n, a) for n, a, *_ in await shop.actions()] == [(winner, "take")], "one take, one audit row"

    winner_agent = alice if winner == "alice" else bob
    assert (await winner_agent.take(conv.id))[1]["taken"] is False, "taking one's own chat again changes nothing"
    assert len(await shop.actions()) == 1

    await shop.say("c-bot", "你好")
    bot_served = await shop.conversation_of("c-bot")
    status, body = await alice.take(bot_served.id)
    assert status == 409 and body["holder"] is None and body["conversation_status"] == "bot"
    assert (await alice.take(999999))[0] == 404


async def test_while_an_agent_holds_a_chat_the_bot_is_silent_and_the_agent_reaches_a_rest_customer(shop: Shop) -> None:
    await shop.say("c-rest", DISPUTE)
    conv = await shop.conversation_of("c-rest")
    alice = await shop.agent("alice")
    await alice.take(conv.id)

    during = await shop.say("c-rest", "到底怎么处理？？？")
    assert during["replies"] == [] and during["status"] == "agent", "the bot says nothing while a person holds it"
    status, body = await alice.send(conv.id, "非常抱歉，我马上为您安排换货")
    assert status == 200 and body["message"]["from"] == "agent" and body["message"]["seq"] == during["seq"] + 1

    response = await shop.customers.get("/api/messages", params={"customer": "c-rest", "after": str(during["seq"])})
    later = (await response.json())["messages"]
    assert later == [{"seq": during["seq"] + 1, "text": "非常抱歉，我马上为您安排换货", "buttons": [], "from": "agent"}]

    for bad in ({}, {"text": ""}, {"text": "   "}, {"text": 5}, {"text": "x" * 4097}):
        assert (await alice.post_json(f"/agent/api/conversations/{conv.id}/messages", bad))[0] == 400


async def test_a_web_chat_customer_gets_the_agents_message_pushed_live(shop: Shop) -> None:
    customer = "web-customer-1"
    ws = await shop.customers.ws_connect(f"/chat/ws?customer={customer}")
    try:
        await ws.send_json({"type": "message", "id": "m1", "text": "转人工"})
        while (await ws.receive_json(timeout=30))["type"] != "ack":
            pass
        conv = await shop.conversation_of(customer)
        alice = await shop.agent("alice")
        await alice.take(conv.id)
        await alice.send(conv.id, "您好，我是人工客服")
        frame = await ws.receive_json(timeout=30)
        while frame.get("from") != "agent":
            frame = await ws.receive_json(timeout=30)
        assert frame["type"] == "message" and frame["text"] == "您好，我是人工客服"
    finally:
        await ws.close()


async def test_the_queue_socket_pushes_the_queue_when_an_agent_changes_it(shop: Shop) -> None:
    await shop.say("c-live", "转人工")
    conv = await shop.conversation_of("c-live")
    alice, bob = await shop.agent("alice"), await shop.agent("bob")
    ws = await alice.client.ws_connect("/agent/ws")
    try:
        first = await ws.receive_json(timeout=30)
        assert first["type"] == "queue" and [i["id"] for i in first["waiting"]] == [conv.id]
        await bob.take(conv.id)
        frame = await ws.receive_json(timeout=30)
        while frame["waiting"]:
            frame = await ws.receive_json(timeout=30)
        assert frame == {"type": "queue", "waiting": [], "mine": []}
    finally:
        await ws.close()
    anonymous = await shop._make(shop.customers.server)
    assert (await anonymous.get("/agent/ws", allow_redirects=False)).status == 303


# ------------------------------------------------------------------ release, transfer, CSRF, audit


async def test_only_the_holder_may_write_release_or_transfer_and_every_action_is_audited(shop: Shop) -> None:
    await shop.say("c-rules", DISPUTE)
    conv = await shop.conversation_of("c-rules")
    alice, bob = await shop.agent("alice"), await shop.agent("bob")
    carol = await shop.agent("carol", "admin")
    await shop.agent("dave")
    await set_active(shop.db, "dave", False)
    base = f"/agent/api/conversations/{conv.id}"

    assert (await alice.send(conv.id, "还没接手"))[0] == 403, "nobody holds it yet"
    assert (await alice.take(conv.id))[0] == 200
    shop.clock.advance(seconds=5)
    for path, payload in ((base + "/messages", {"text": "我来"}), (base + "/release", {}), (base + "/transfer", {"to": "bob"})):
        status, body = await bob.post_json(path, payload)
        assert status == 403 and body["holder"] == "alice"
    assert (await alice.post_json(base + "/transfer", {"to": "nobody"}))[0] == 400
    assert (await alice.post_json(base + "/transfer", {"to": "dave"}))[0] == 400, "a disabled account takes nothing"
    assert (await alice.post_json(base + "/transfer", {"to": "alice"}))[0] == 400
    assert (await alice.post_json(base + "/transfer", {}))[0] == 400

    assert (await alice.send(conv.id, "您好"))[0] == 200
    status, body = await alice.post_json(base + "/transfer", {"to": "carol"})
    assert (status, body["holder"]) == (200, "carol")
    assert (await alice.send(conv.id, "还在吗"))[0] == 403, "alice gave it away"
    assert (await alice.queue())["mine"] == []
    other_admin = await shop.agent("erin", "admin")
    assert (await other_admin.send(conv.id, "我不是 carol"))[0] == 403, "an admin is no holder either"

    carol_browser = carol
    assert [i["id"] for i in (await carol_browser.queue())["mine"]] == [conv.id]
    assert (await carol_browser.send(conv.id, "我来继续处理"))[0] == 200
    status, body = await carol_browser.post_json(base + "/release")
    assert (status, body["status"]) == (200, "bot")
    released = await shop.conversation_of("c-rules")
    assert (released.status, released.agent_id, released.assigned_at) == ("bot", None, None)
    assert (await carol_browser.post_json(base + "/release"))[0] == 403, "released: nobody holds it"
    back = await shop.say("c-rules", "你好")
    assert back["replies"], "back with the bot: it answers again"

    actions = await shop.actions()
    assert [(n, a) for n, a, *_ in actions] == [
        ("alice", "take"), ("alice", "message"), ("alice", "transfer"), ("carol", "message"), ("carol", "release"),
    ]
    assert all(c == conv.id for _, _, c, _, _ in actions)
    assert actions[2][3]["to"] == "carol"
    assert actions[0][4] == shop.clock.now - dt.timedelta(seconds=5) and actions[1][4] == shop.clock.now


async def test_console_posts_without_the_sessions_csrf_token_are_refused_and_change_nothing(shop: Shop) -> None:
    await shop.say("c-csrf", "转人工")
    conv = await shop.conversation_of("c-csrf")
    alice = await shop.agent("alice")
    for token in ("", "wrong", alice.csrf + "x"):
        status, _ = await alice.post_json(f"/agent/api/conversations/{conv.id}/take", csrf=token)
        assert status == 403
    missing = await alice.client.post(f"/agent/api/conversations/{conv.id}/take", allow_redirects=False)
    assert missing.status == 403
    assert (await shop.conversation_of("c-csrf")).status == "waiting_agent" and await shop.actions() == []
    assert (await alice.take(conv.id))[0] == 200


# ------------------------------------------------------------------ restart and schema


async def test_a_restart_keeps_the_queue_and_the_holders(
    aiohttp_client: Any, settings: Any, classifier: Any, clock: Clock
) -> None:
    first = Shop(aiohttp_client, await aiohttp_client(create_app(settings, classifier=classifier, clock=clock)), clock)
    await first.say("c-held", DISPUTE)
    await first.say("c-waiting", "转人工")
    held, waiting = await first.conversation_of("c-held"), await first.conversation_of("c-waiting")
    alice = await first.agent("alice")
    await first.agent("bob")
    await alice.take(held.id)
    token = alice.session_token()
    await first.customers.close()
    await alice.client.close()

    second = Shop(aiohttp_client, await aiohttp_client(create_app(settings, classifier=classifier, clock=clock)), clock)
    again = Agent(await aiohttp_client(second.customers.server))
    again.client.session.cookie_jar.update_cookies({"kefu_session": token})
    status, page = await again.page("/agent")
    assert status == 200
    again.csrf = re.search(r'name="csrf_token" value="([^"]*)"', page).group(1)  # type: ignore[union-attr]
    queue = await again.queue()
    assert [i["id"] for i in queue["waiting"]] == [waiting.id]
    assert [(i["id"], i["holder"]) for i in queue["mine"]] == [(held.id, "alice")]

    bob = Agent(await aiohttp_client(second.customers.server))
    bob.csrf = await bob.logged_in("bob")
    status, body = await bob.take(held.id)
    assert status == 409 and body["holder"] == "alice"
    assert (await second.say("c-held", "还在吗"))["replies"] == [], "still held: the bot stays silent"
    assert (await again.send(held.id, "在的，马上处理"))[0] == 200


async def test_migration_0003_keeps_the_conversations_it_extends(db_url: str) -> None:
    """Adding the columns must not rebuild ``conversations`` (on SQLite that would cascade-delete messages)."""
    db = Database(db_url)
    try:
        await db.migrate()

        def roundtrip(session: Session) -> tuple[int, int]:
            connection = session.connection()
            config = alembic_config()
            config.attributes["connection"] = connection
            command.downgrade(config, "0002")
            connection.exec_driver_sql("INSERT INTO customers (channel, external_id, last_seq) VALUES ('rest', 'm', 1)")
            connection.exec_driver_sql(
                "INSERT INTO conversations (customer_id, stage, status, slots) VALUES (1, 'greet', 'bot', '{}')"
            )
            connection.exec_driver_sql(
                "INSERT INTO messages (customer_id, conversation_id, seq, direction, sender, text, buttons) "
                "VALUES (1, 1, 1, 'in', 'customer', 'hi', '[]')"
            )
            command.upgrade(config, "head")
            conversations = connection.exec_driver_sql("SELECT count(*) FROM conversations").scalar_one()
            messages = connection.exec_driver_sql("SELECT count(*) FROM messages").scalar_one()
            return int(conversations), int(messages)

        assert await db.run(roundtrip) == (1, 1)
    finally:
        await db.dispose()


def test_the_flag_time_is_read_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    from bot import ConfigError, load_settings

    monkeypatch.delenv("KEFU_AGENT_FLAG_SECONDS", raising=False)
    assert load_settings().agent_flag_seconds == 30
    monkeypatch.setenv("KEFU_AGENT_FLAG_SECONDS", "45")
    assert load_settings().agent_flag_seconds == 45
    monkeypatch.setenv("KEFU_AGENT_FLAG_SECONDS", "0")
    with pytest.raises(ConfigError, match="KEFU_AGENT_FLAG_SECONDS"):
        load_settings()


# ------------------------------------------------------------------ quick phrases


async def test_the_phrases_come_with_the_shops_values_and_what_the_chat_knows(shop: Shop, settings: Any) -> None:
    await shop.say("c-phrases", DISPUTE)
    conv = await shop.conversation_of("c-phrases")
    alice = await shop.agent("alice")
    status, body = await alice.get_json(f"/agent/api/phrases?conversation={conv.id}")
    assert status == 200
    apology = next(p for p in body["phrases"] if p["key"] == "agent.apology")
    assert apology["shortcut"] and apology["title"] and apology["variants"]
    assert body["values"]["shop"] == settings.shop_name and body["values"]["return_days"] == str(settings.return_days)
    assert "order_no" not in body["values"], "no order yet: left for the agent to fill"

    def order(session: Session) -> None:
        session.add(Order(order_no="KF20261123001", customer_id=conv.customer_id, conversation_id=conv.id,
                          address="杭州市西湖区文三路100号", phone="13800138000", subtotal=Decimal("129"),
                          total=Decimal("129"), extras={}))
        session.flush()
        number = session.execute(select(Order.id).where(Order.order_no == "KF20261123001")).scalar_one()
        session.add(OrderItem(order_id=number, sku="T1", product_name="纯棉圆领短袖T恤", size="M", colour="白色",
                              quantity=1, unit_price=Decimal("129")))

    await shop.db.run(order)
    values = (await alice.get_json(f"/agent/api/phrases?conversation={conv.id}"))[1]["values"]
    assert (values["order_no"], values["product"], values["total"]) == ("KF20261123001", "纯棉圆领短袖T恤", "129")
    assert (await alice.get_json("/agent/api/phrases"))[0] == 200
    assert (await alice.get_json("/agent/api/phrases?conversation=999999"))[0] == 404
    assert (await alice.get_json("/agent/api/phrases?conversation=x"))[0] == 400
    alice.forget_cookies()
    assert (await alice.get_json("/agent/api/phrases"))[0] == 303, "a login is needed"
