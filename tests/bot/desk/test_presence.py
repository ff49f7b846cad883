"""Who is on duty (issue 3, "Agents"): working hours, agents online, the queue position and the expected wait,
and chats whose agent went away going back to the queue (offline, disabled, logged out) with the customer
told — through a real loopback server with real logins and a clock the test moves, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import datetime as dt
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from aiohttp import WSMsgType
from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from bot import SERVICES, ConfigError, create_app
from bot.desk.accounts import set_active
from bot.desk.presence import (
    WorkingHours,
    agents_online,
    expected_wait_minutes,
    queue_position,
)
from models import AgentAction, Conversation, LoginSession, Phrase, User, as_utc
from replies import PhraseBank
from tests.bot.desk.test_auth import Clock
from tests.bot.desk.test_console import Agent, Shop
from tests.conftest import make_settings

WINDOW = 90  # KEFU_AGENT_OFFLINE_SECONDS' default
# What a customer whose agent went away is told (the shipped phrase bank's handoff.requeued).
REQUEUED_TEXT = "刚才为您服务的客服暂时离开了，已为您重新排队，马上会有同事接手～"
UTC = dt.UTC


@pytest.fixture
async def shop(aiohttp_client: Any, settings: Any, classifier: Any, clock: Clock) -> Shop:
    client = await aiohttp_client(create_app(settings, classifier=classifier, clock=clock))
    # These tests sweep at the moments they choose: the background round (every 15 s of real time) is stopped,
    # so it cannot slip in between a move of the clock and the sweep the test makes.
    for task in asyncio.all_tasks():
        if task.get_name() == "kefu-offline-sweeper":
            task.cancel()
    return Shop(aiohttp_client, client, clock)


async def waiting(shop: Shop, customer: str) -> Conversation:
    """A customer who asked for a person: their chat, waiting in the queue."""
    await shop.say(customer, "转人工")
    conversation = await shop.conversation_of(customer)
    assert conversation.status == "waiting_agent"
    return conversation


async def sweep(shop: Shop) -> None:
    """One round of the offline sweeper at the clock's time (the background one runs every 15 s)."""
    await shop.customers.server.app[SERVICES].presence.sweep()


async def history(shop: Shop, customer: str, after: int) -> list[dict[str, Any]]:
    """What a REST customer reads with ``GET /api/messages?after=``."""
    response = await shop.customers.get("/api/messages", params={"customer": customer, "after": str(after)})
    assert response.status == 200, await response.text()
    return list((await response.json())["messages"])


async def last_seq(shop: Shop, customer: str) -> int:
    return max((m["seq"] for m in await history(shop, customer, 0)), default=0)


async def releases(shop: Shop) -> list[tuple[str, int | None, dict[str, Any]]]:
    """The audit trail's offline releases: (former holder, conversation, detail)."""
    return [(name, conv, detail) for name, action, conv, detail, _ in await shop.actions()
            if action == "offline_release"]


async def online(shop: Shop) -> int:
    return await shop.db.run(partial(agents_online, now=shop.clock.now, window_seconds=WINDOW))


async def position(shop: Shop, conversation_id: int) -> int:
    return await shop.db.run(partial(queue_position, conversation_id=conversation_id))


async def wait_minutes(shop: Shop, place: int, agents: int, per_chat: float = 3.0) -> int:
    return await shop.db.run(partial(
        expected_wait_minutes, position=place, online=agents, now=shop.clock.now, minutes_per_chat=per_chat
    ))


async def logout(agent: Agent) -> None:
    status, _ = await agent.post_json("/logout")
    assert status == 303


# ------------------------------------------------------------------ working hours


SHANGHAI = "Asia/Shanghai"


def at(hour: int, minute: int = 0, day: int = 23) -> dt.datetime:
    """A moment given in Shanghai wall time (UTC+8), as the aware UTC instant the server sees."""
    return dt.datetime(2026, 11, day, hour, minute, tzinfo=dt.timezone(dt.timedelta(hours=8))).astimezone(UTC)


@pytest.mark.parametrize(("hours", "moment", "is_open"), [
    ("9:00–23:00", at(8, 59), False),
    ("9:00–23:00", at(9, 0), True),
    ("9:00–23:00", at(22, 59), True),
    ("9:00–23:00", at(23, 0), False),
    ("9:00至23:00", at(12), True),
    (" 9:00 ~ 23:00 ", at(3), False),
    ("22:00-06:00", at(21, 59), False),
    ("22:00-06:00", at(22, 0), True),
    ("22:00-06:00", at(2), True),
    ("22:00-06:00", at(5, 59), True),
    ("22:00-06:00", at(6, 0), False),
    ("22:00-06:00", at(12), False),
    ("0:00–24:00", at(0), True),
    ("0:00–24:00", at(23, 59), True),
    ("18:00—24:00", at(23, 59), True),
    ("18:00—24:00", at(0, 0), False),
])
def test_working_hours_say_whether_agents_are_on_duty_in_the_shops_time_zone(
    hours: str, moment: dt.datetime, is_open: bool
) -> None:
    assert WorkingHours(hours, SHANGHAI).is_open(moment) is is_open


def said(value: object) -> str:
    """A value as the customer reads it: rendered from the shipped phrase bank."""
    return str(PhraseBank.from_yaml().fill(value, {}))


@pytest.mark.parametrize(("hours", "moment", "text", "opens"), [
    ("9:00–23:00", at(7, 30), "今天 9:00", at(9)),
    ("9:00–23:00", at(0, 30), "今天 9:00", at(9)),  # after midnight: this morning, not "tomorrow"
    ("9:00–23:00", at(23, 30), "明天 9:00", at(9, day=24)),
    ("8:30-17:00", at(17, 0), "明天 8:30", at(8, 30, day=24)),
    ("22:00-06:00", at(12), "今天 22:00", at(22)),
    ("9:00–23:00", at(12), "现在", at(12)),
])
def test_the_next_opening_is_told_in_the_shops_day_and_time(
    hours: str, moment: dt.datetime, text: str, opens: dt.datetime
) -> None:
    hours_ = WorkingHours(hours, SHANGHAI)
    assert said(hours_.describe_next_open(moment)) == text
    next_open = hours_.next_open(moment)
    assert next_open == opens and next_open.utcoffset() == dt.timedelta(hours=8), "aware, in the shop's zone"


def test_the_same_instant_reads_by_the_shops_own_clock() -> None:
    moment = dt.datetime(2026, 11, 23, 1, 0, tzinfo=UTC)  # 9:00 in Shanghai, 20:00 the evening before in New York
    assert WorkingHours("9:00–18:00", SHANGHAI).is_open(moment)
    new_york = WorkingHours("9:00–18:00", "America/New_York")
    assert not new_york.is_open(moment) and said(new_york.describe_next_open(moment)) == "明天 9:00"


def test_working_hours_come_from_the_settings(tmp_path: Path, sqlite_url: str) -> None:
    hours = WorkingHours.from_settings(make_settings(tmp_path, sqlite_url, service_hours="10:00到20:00"))
    assert hours.is_open(at(10)) and not hours.is_open(at(20)) and said(hours.describe_next_open(at(21))) == "明天 10:00"


@pytest.mark.parametrize(("hours", "zone"), [
    ("9:00", SHANGHAI), ("9:00-24:30", SHANGHAI), ("25:00-3:00", SHANGHAI), ("9:61-10:00", SHANGHAI),
    ("9:00-23:00", "Mars/Olympus"),
])
def test_malformed_working_hours_are_refused(hours: str, zone: str) -> None:
    with pytest.raises(ConfigError):
        WorkingHours(hours, zone)


# ------------------------------------------------------------------ agents online


async def test_agents_online_counts_active_accounts_with_a_live_session_once_each(shop: Shop) -> None:
    assert await online(shop) == 0
    alice, bob, carol = await shop.agent("alice"), await shop.agent("bob"), await shop.agent("carol", "admin")
    second = Agent(await shop._make(shop.customers.server))
    second.csrf = await second.logged_in("alice")  # alice in a second browser
    assert await online(shop) == 3, "alice counts once; an admin counts too"

    shop.clock.advance(seconds=60)
    await alice.queue()  # any console call marks her as seen
    shop.clock.advance(seconds=WINDOW - 60 + 1)
    assert await online(shop) == 1, "bob and carol have not been seen for more than the window"
    await bob.queue()
    await carol.queue()
    assert await online(shop) == 3

    await shop.db.run(lambda s: s.execute(update(User).where(User.name == "carol").values(active=False)))
    assert await online(shop) == 2, "a disabled account is not on duty, whatever its sessions say"

    def expire(session: Session) -> None:
        bob_id = session.execute(select(User.id).where(User.name == "bob")).scalar_one()
        session.execute(update(LoginSession).where(LoginSession.user_id == bob_id)
                        .values(expires_at=shop.clock.now - dt.timedelta(seconds=1)))

    await shop.db.run(expire)
    assert await online(shop) == 1, "an expired session is nobody"
    await second.queue()
    await logout(alice)
    assert await online(shop) == 1, "alice's other browser is still on duty"
    await logout(second)
    assert await online(shop) == 0


# ------------------------------------------------------------------ the queue position and the expected wait


async def test_the_queue_position_follows_the_consoles_order(shop: Shop) -> None:
    first, second, third = await waiting(shop, "c-1"), await waiting(shop, "c-2"), await waiting(shop, "c-3")
    # c-3 escalated earliest: it is first, whatever its id.
    await shop.db.run(lambda s: s.execute(update(Conversation).where(Conversation.id == third.id)
                                          .values(escalated_at=as_utc(first.escalated_at) - dt.timedelta(minutes=1))))  # type: ignore[arg-type]
    alice = await shop.agent("alice")
    order = [item["id"] for item in (await alice.queue())["waiting"]]
    assert order == [third.id, first.id, second.id]
    assert [await position(shop, conv) for conv in order] == [1, 2, 3]

    await shop.say("c-bot", "你好")
    assert await position(shop, (await shop.conversation_of("c-bot")).id) == 0, "the bot serves it: not queued"
    await alice.take(third.id)
    assert (await position(shop, third.id), await position(shop, first.id), await position(shop, second.id)) == (0, 1, 2)


async def test_the_expected_wait_uses_the_setting_until_five_takeovers_are_measured(shop: Shop) -> None:
    assert await wait_minutes(shop, 1, 1) == 3
    assert await wait_minutes(shop, 3, 2) == 6, "two agents: the third in line waits two rounds"
    assert await wait_minutes(shop, 2, 0) == 6, "nobody online counts as one agent"
    assert await wait_minutes(shop, 2, 1, per_chat=2.5) == 5
    assert await wait_minutes(shop, 1, 4, per_chat=0.2) == 1, "rounded up, at least a minute"
    assert await wait_minutes(shop, 0, 1) == 0, "not waiting"

    waits = [600, 60, 900, 120, 300]  # seconds from escalation to takeover; the median is 5 minutes
    chats = [await waiting(shop, f"c-wait-{n}") for n in range(len(waits))]
    alice = await shop.agent("alice")
    for n, (conversation, wait) in enumerate(zip(chats, waits, strict=True)):
        if n == len(waits) - 1:
            assert await wait_minutes(shop, 3, 2) == 6, "four measurements are not enough"
        shop.clock.now = as_utc(conversation.escalated_at) + dt.timedelta(seconds=wait)  # type: ignore[arg-type]
        status, body = await alice.take(conversation.id)
        assert (status, body["taken"]) == (200, True), "the take answers as before"
    measured = [detail.get("waited_seconds") for _, action, _, detail, _ in await shop.actions() if action == "take"]
    assert measured == waits, "each take records how long the chat waited"

    assert await wait_minutes(shop, 1, 1) == 5
    assert await wait_minutes(shop, 3, 2) == 10
    shop.clock.advance(days=8)
    assert await wait_minutes(shop, 3, 2) == 6, "takeovers older than a week no longer count"


async def test_the_expected_wait_uses_the_latest_twenty_takeovers(shop: Shop) -> None:
    alice = await shop.agent("alice")
    now = shop.clock.now

    def takes(session: Session) -> None:
        user = session.execute(select(User.id).where(User.name == alice.name)).scalar_one()
        rows = [(now - dt.timedelta(hours=2, minutes=n), 3600) for n in range(25)]  # older and slow: the majority
        rows += [(now - dt.timedelta(minutes=n + 1), 120) for n in range(20)]  # the latest twenty measured: 2 minutes
        rows += [(now, None)]  # the newest take carries no measurement (recorded before waits were): skipped
        session.execute(insert(AgentAction), [
            {"user_id": user, "conversation_id": None, "action": "take", "created_at": when,
             "detail": {"from_status": "waiting_agent", **({"waited_seconds": wait} if wait else {})}}
            for when, wait in rows
        ])

    await shop.db.run(takes)
    assert await wait_minutes(shop, 1, 1) == 2
    assert await wait_minutes(shop, 5, 2) == 6


# ------------------------------------------------------------------ chats whose agent went away


async def test_an_agent_who_goes_offline_loses_the_chat_to_the_queue_at_its_place_and_the_customer_is_told(
    shop: Shop,
) -> None:
    held, later = await waiting(shop, "c-away"), await waiting(shop, "c-later")
    alice = await shop.agent("alice")
    assert (await alice.take(held.id))[0] == 200
    seq = (await shop.say("c-away", "在吗？"))["seq"]

    shop.clock.advance(seconds=WINDOW - 1)
    await sweep(shop)
    assert (await shop.conversation_of("c-away")).status == "agent", "not gone long enough"

    shop.clock.advance(seconds=2)  # alice unseen for longer than the window
    bob = await shop.agent("bob")
    await sweep(shop)
    back = await shop.conversation_of("c-away")
    assert (back.status, back.agent_id, back.assigned_at) == ("waiting_agent", None, None)
    assert back.escalated_at == held.escalated_at, "it keeps its escalation time"
    queue = await bob.queue()
    assert [item["id"] for item in queue["waiting"]] == [held.id, later.id], "and so its place"
    assert await position(shop, held.id) == 1
    assert await history(shop, "c-away", seq) == [{"seq": seq + 1, "text": REQUEUED_TEXT, "buttons": [], "from": "bot"}]
    [(name, conv, detail)] = await releases(shop)
    assert (name, conv, detail["reason"], detail["seq"]) == ("alice", held.id, "offline", seq + 1)

    await sweep(shop)
    assert len(await releases(shop)) == 1 and len(await history(shop, "c-away", seq)) == 1, "released once"

    assert (await alice.queue())["mine"] == [], "alice, back at her desk, no longer holds it"
    assert (await alice.send(held.id, "我回来了"))[0] == 403
    shop.clock.advance(seconds=40)
    assert (await bob.take(held.id))[0] == 200
    take = [detail for _, action, conv, detail, _ in await shop.actions() if action == "take" and conv == held.id][-1]
    assert take["waited_seconds"] == 40, "its second wait is measured from when it came back, not from the escalation"


async def test_the_words_a_requeued_customer_gets_are_the_shops_own_phrase(shop: Shop) -> None:
    # An admin rewrote handoff.requeued in the phrase bank: the next customer whose agent went away gets the new words.
    held = await waiting(shop, "c-edited")
    alice = await shop.agent("alice")
    assert (await alice.take(held.id))[0] == 200
    seq = await last_seq(shop, "c-edited")
    edited = "{shop}的客服临时走开了一下，已经帮您重新排队～"
    await shop.db.run(lambda s: s.execute(
        update(Phrase).where(Phrase.key == "handoff.requeued").values(variants=[edited])
    ))
    services = shop.customers.server.app[SERVICES]
    await services.knowledge.refresh()

    shop.clock.advance(seconds=WINDOW + 1)
    await sweep(shop)
    [told] = await history(shop, "c-edited", seq)
    assert told["text"] == edited.format(shop=services.settings.shop_name)


async def test_two_sweepers_at_once_release_a_chat_once(shop: Shop) -> None:
    held = await waiting(shop, "c-race")
    alice = await shop.agent("alice")
    await alice.take(held.id)
    seq = await last_seq(shop, "c-race")
    shop.clock.advance(seconds=WINDOW + 1)
    presence = shop.customers.server.app[SERVICES].presence
    released = await asyncio.gather(presence.sweep(), presence.sweep(), presence.sweep())
    assert sorted(len(r) for r in released) == [0, 0, 1], "each sweep reports what it released itself"
    assert len(await releases(shop)) == 1 and len(await history(shop, "c-race", seq)) == 1
    assert (await shop.conversation_of("c-race")).status == "waiting_agent"


async def test_a_disabled_agents_chat_goes_back_at_once_and_a_web_chat_customer_is_told_live(shop: Shop) -> None:
    customer = "web-customer-away"
    ws = await shop.customers.ws_connect(f"/chat/ws?customer={customer}")
    try:
        await ws.send_json({"type": "message", "id": "m1", "text": "转人工"})
        while (await ws.receive_json(timeout=30))["type"] != "ack":
            pass
        conversation = await shop.conversation_of(customer)
        alice = await shop.agent("alice")
        await alice.take(conversation.id)
        await set_active(shop.db, "alice", False)
        await sweep(shop)  # no time has passed: being disabled is enough
        frame = await ws.receive_json(timeout=30)
        while frame.get("text") != REQUEUED_TEXT:
            frame = await ws.receive_json(timeout=30)
        assert frame["type"] == "message" and frame["from"] == "bot"
    finally:
        await ws.close()
    assert (await shop.conversation_of(customer)).status == "waiting_agent"
    [(name, _, detail)] = await releases(shop)
    assert (name, detail["reason"]) == ("alice", "disabled")


async def test_an_agent_whose_console_is_open_or_busy_keeps_the_chat(shop: Shop) -> None:
    held, other = await waiting(shop, "c-kept"), await waiting(shop, "c-busy")
    alice, bob = await shop.agent("alice"), await shop.agent("bob")
    await alice.take(held.id)
    await bob.take(other.id)
    ws = await alice.client.ws_connect("/agent/ws")
    try:
        first = await ws.receive_json(timeout=30)
        assert [item["id"] for item in first["mine"]] == [held.id]
        for _ in range(3):  # four and a half minutes with the console open and nothing clicked
            shop.clock.advance(seconds=WINDOW - 1)
            await bob.queue()  # bob is busy in the console: his requests mark him as seen
            await ws.send_str("refresh")
            frame = await ws.receive_json(timeout=30)  # the queue's waiting times moved: a new frame, after the heartbeat
            assert frame["mine"][0]["id"] == held.id
            await sweep(shop)
        assert (await shop.conversation_of("c-kept")).status == "agent"
        assert (await shop.conversation_of("c-busy")).status == "agent"
        assert await releases(shop) == []
    finally:
        await ws.close()

    shop.clock.advance(seconds=WINDOW + 1)  # alice's console closed, and bob stopped clicking
    await sweep(shop)
    assert {(name, conv) for name, conv, _ in await releases(shop)} == {("alice", held.id), ("bob", other.id)}


async def test_the_queue_socket_of_an_ended_session_closes(shop: Shop) -> None:
    alice = await shop.agent("alice")
    ws = await alice.client.ws_connect("/agent/ws")
    try:
        assert (await ws.receive_json(timeout=30))["type"] == "queue"
        await set_active(shop.db, "alice", False)
        shop.clock.advance(seconds=20)
        await ws.send_str("refresh")
        message = await ws.receive(timeout=30)
        while message.type == WSMsgType.TEXT:
            message = await ws.receive(timeout=30)
        assert message.type == WSMsgType.CLOSE and ws.close_code == 1008
    finally:
        await ws.close()


async def test_logging_out_of_the_last_live_session_puts_the_chats_back_at_once(shop: Shop) -> None:
    one, two = await waiting(shop, "c-out-1"), await waiting(shop, "c-out-2")
    desk = await shop.agent("alice")
    laptop, phone = Agent(await shop._make(shop.customers.server)), Agent(await shop._make(shop.customers.server))
    laptop.csrf, phone.csrf = await laptop.logged_in("alice"), await phone.logged_in("alice")
    await desk.take(one.id)
    await desk.take(two.id)
    seqs = {"c-out-1": await last_seq(shop, "c-out-1"), "c-out-2": await last_seq(shop, "c-out-2")}

    shop.clock.advance(seconds=10)
    await logout(desk)
    assert (await shop.conversation_of("c-out-1")).status == "agent", "alice is still on duty on her laptop and phone"
    assert [i["id"] for i in (await laptop.queue())["mine"]] == [one.id, two.id]

    shop.clock.advance(seconds=WINDOW + 1)
    await logout(laptop)  # her phone was last seen more than the window ago: this was her last live session
    for customer, conversation in (("c-out-1", one), ("c-out-2", two)):
        back = await shop.conversation_of(customer)
        assert (back.status, back.agent_id, back.escalated_at) == ("waiting_agent", None, conversation.escalated_at)
        assert [m["text"] for m in await history(shop, customer, seqs[customer])] == [REQUEUED_TEXT]
    assert sorted((name, conv, detail["reason"]) for name, conv, detail in await releases(shop)) == [
        ("alice", one.id, "logout"), ("alice", two.id, "logout"),
    ]
    bob = await shop.agent("bob")
    assert [i["id"] for i in (await bob.queue())["waiting"]] == [one.id, two.id]


async def test_logging_out_leaves_other_agents_chats_alone(shop: Shop) -> None:
    held = await waiting(shop, "c-bobs")
    alice, bob = await shop.agent("alice"), await shop.agent("bob")
    await bob.take(held.id)
    await logout(alice)
    assert (await shop.conversation_of("c-bobs")).status == "agent" and await releases(shop) == []
    assert (await bob.send(held.id, "我还在"))[0] == 200
