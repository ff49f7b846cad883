"""The Telegram channel against a real Bot API server of our own on loopback (tests/bot/telegram_server.py):
receiving, the reply keyboard, photos, agents' messages, delivery exactly once across a restart, failures,
the agents' group and the token kept out of the logs."""

from __future__ import annotations

import asyncio
import hashlib
import logging
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from pathlib import Path
from typing import Any

import asyncpg
import pytest
from sqlalchemy import insert, select
from sqlalchemy.orm import Session
from telegram import Update

from bot import Inbound, create_app, open_services
from bot.channels.telegram import (
    AGENT_PREFIX,
    AGENTS_HINT,
    Escalation,
    Received,
    channel,
    file_base_url,
    keyboard_rows,
    notice_text,
    notices,
    outbox,
    read_update,
)
from bot.engine import store
from bot.errors import ConfigError
from models import Attachment, Conversation, Customer, Database, Message, utcnow
from replies import PhraseBank
from tests.bot.desk.test_auth import Clock
from tests.bot.desk.test_console import Agent
from tests.bot.telegram_server import TOKEN, FakeBotApi, Sent
from tests.conftest import make_settings, pg_admin_dsn

UNSUPPORTED_TEXT = PhraseBank.from_yaml().render("telegram.unsupported", {})  # what the channel answers itself
ALICE, BOB = 5001, 5002
AGENTS_CHAT = -1001234567890
JPEG = b"\xff\xd8\xff\xe0" + b"\x00\x10JFIF" + bytes(range(256)) * 4
DISPUTE = "收到的衣服有个洞，质量太差了"


@pytest.fixture(autouse=True)
def quick_loops(monkeypatch: pytest.MonkeyPatch) -> None:
    """The channel's loops at test speed (the long poll is capped by the server)."""
    monkeypatch.setattr(outbox, "SWEEP_SECONDS", 0.2)
    monkeypatch.setattr(notices, "ESCALATION_SECONDS", 0.1)
    monkeypatch.setattr(channel, "RETRY_SECONDS", 0.2)


@pytest.fixture
async def api(aiohttp_server: Any) -> FakeBotApi:
    fake = FakeBotApi()
    server = await aiohttp_server(fake.app(), access_log=None)  # an access log would print the token
    fake.url = str(server.make_url("/"))
    return fake


def telegram_settings(tmp_path: Path, url: str, api: FakeBotApi, **overrides: Any) -> Any:
    return make_settings(tmp_path, url, telegram_bot_token=api.token, telegram_api_base_url=api.base_url,
                         **overrides)


@asynccontextmanager
async def shop(tmp_path: Path, url: str, api: FakeBotApi, classifier: Any, **overrides: Any) -> AsyncIterator[Any]:
    """kefu with the Telegram channel on, talking to ``api``."""
    async with open_services(telegram_settings(tmp_path, url, api, **overrides), classifier=classifier) as running:
        assert running.telegram is not None
        yield running


async def transcript(db: Database, chat_id: int) -> list[tuple[int, str, str, str | None]]:
    """(seq, direction, text, channel message id) of everything stored for a Telegram customer."""

    def work(session: Session) -> list[tuple[int, str, str, str | None]]:
        rows = session.execute(
            select(Message.seq, Message.direction, Message.text, Message.channel_message_id)
            .join(Customer, Customer.id == Message.customer_id)
            .where(Customer.channel == "telegram", Customer.external_id == str(chat_id)).order_by(Message.seq)
        ).all()
        return [tuple(r) for r in rows]  # type: ignore[misc]

    return await db.run(work)


async def cursor(db: Database, chat_id: int) -> tuple[int, int]:
    """(delivered_seq, last_seq) of a Telegram customer."""

    def work(session: Session) -> tuple[int, int]:
        row = session.execute(
            select(Customer.delivered_seq, Customer.last_seq)
            .where(Customer.channel == "telegram", Customer.external_id == str(chat_id))
        ).one()
        return int(row[0]), int(row[1])

    return await db.run(work)


async def all_delivered(db: Database, chat_id: int) -> None:
    """Wait until everything stored for the customer has been sent (the cursor caught up)."""
    for _ in range(500):
        delivered, last = await cursor(db, chat_id)
        if delivered == last:
            return
        await asyncio.sleep(0.02)
    raise AssertionError(f"the cursor stayed at {delivered} of {last}")


def store_reply(chat_id: int, text: str, session: Session) -> int:
    """What another worker (or a follow-up) does: a message for the customer, stored with their next seq."""
    customer = store.find_customer(session, "telegram", str(chat_id))
    assert customer is not None
    conversation = store.open_conversation(session, customer.id)
    seq = store.next_seq(session, customer.id)
    session.execute(insert(store.MESSAGES).values(
        customer_id=customer.id, conversation_id=conversation.id, seq=seq, direction="out", sender="bot", text=text,
        buttons=[], channel_message_id=None, intent=None, confidence=None, stage=conversation.stage,
        reply_to_seq=None,
    ))
    return seq


async def settled(api: FakeBotApi) -> None:
    """Every pushed update has been handled and confirmed (the channel polled past it), and a few sweeps ran."""
    await api.wait_until(lambda: not api.updates, what="the updates to be confirmed")
    polls = len([a for a in api.attempts if a[0] == "getUpdates"])
    await api.wait_until(lambda: len([a for a in api.attempts if a[0] == "getUpdates"]) >= polls + 2,
                         what="two more polls")


# ------------------------------------------------------------------ a customer's chat


async def test_a_customer_greets_taps_a_button_and_a_dispute_gets_the_intake_questions(
    tmp_path: Path, db_url: str, api: FakeBotApi, classifier: Any
) -> None:
    async with shop(tmp_path, db_url, api, classifier) as running:
        api.text(ALICE, "/start")
        greeting = (await api.wait_for_messages(ALICE, 1))[0]
        assert "欢迎" in greeting.text
        assert greeting.buttons and "查订单" in greeting.buttons
        assert greeting.reply_markup is not None
        assert greeting.reply_markup["one_time_keyboard"] and greeting.reply_markup["resize_keyboard"]

        api.text(ALICE, "包邮吗")  # a tap on the keyboard sends its label as text
        answer = (await api.wait_for_messages(ALICE, 2))[1]
        assert "包邮" in answer.text

        api.text(ALICE, DISPUTE)
        sent = await api.wait_for_messages(ALICE, 4)
        apology, question = sent[2], sent[3]
        assert "抱歉" in apology.text and apology.removes_keyboard
        assert "照片" in question.text and question.buttons == ["稍后发照片", "没有照片"]

        stored = await transcript(running.db, ALICE)
        assert [(d, t) for _, d, t, _ in stored if d == "in"] == [("in", "你好"), ("in", "包邮吗"), ("in", DISPUTE)]
        assert [m for _, d, _, m in stored if d == "in"] == ["1", "2", "3"]  # Telegram's message ids
        assert [t for _, d, t, _ in stored if d == "out"] == [s.text for s in sent]
        await all_delivered(running.db, ALICE)
        assert (await cursor(running.db, ALICE))[0] == stored[-1][0]

        def names(session: Session) -> list[Any]:
            return list(session.execute(select(Customer.display_name).where(Customer.channel == "telegram")).scalars())

        assert await running.db.run(names) == ["小 明"]


async def test_a_photo_is_downloaded_and_kept_as_evidence_on_the_dispute(
    tmp_path: Path, sqlite_url: str, api: FakeBotApi, classifier: Any
) -> None:
    async with shop(tmp_path, sqlite_url, api, classifier) as running:
        api.text(ALICE, DISPUTE)
        await api.wait_for_messages(ALICE, 2)
        api.photo(ALICE, JPEG, caption="就是这里破了")
        after_photo = await api.wait_for_messages(ALICE, 3)
        assert after_photo[2].text

        assert api.downloads == ["photo-1-large"], "only the largest size is fetched"

        def evidence(session: Session) -> list[tuple[str, int, bool]]:
            rows = session.execute(select(Attachment.sha256, Attachment.size, Attachment.dispute_id)).all()
            return [(sha, size, dispute is not None) for sha, size, dispute in rows]

        assert await running.db.run(evidence) == [(hashlib.sha256(JPEG).hexdigest(), len(JPEG), True)]
        assert ("in", "就是这里破了") in [(d, t) for _, d, t, _ in await transcript(running.db, ALICE)]


async def test_stickers_and_voice_get_a_polite_answer_groups_are_ignored_and_agents_get_a_hint(
    tmp_path: Path, sqlite_url: str, api: FakeBotApi, classifier: Any
) -> None:
    async with shop(tmp_path, sqlite_url, api, classifier, telegram_agent_chat_id=AGENTS_CHAT) as running:
        api.sticker(ALICE)
        api.voice(ALICE)
        sent = await api.wait_for_messages(ALICE, 2)
        assert [s.text for s in sent] == [UNSUPPORTED_TEXT, UNSUPPORTED_TEXT]
        stored = await transcript(running.db, ALICE)
        assert [(d, t) for _, d, t, _ in stored] == [
            ("in", "[贴纸]"), ("out", UNSUPPORTED_TEXT), ("in", "[语音]"), ("out", UNSUPPORTED_TEXT)
        ]

        api.push(api.message(-42, chat_type="group", text="在吗"))  # some other group: not a customer
        api.push(api.message(AGENTS_CHAT, chat_type="supergroup", text="/agent@nuannuan_shop_bot"))
        hint = await api.wait_for_messages(AGENTS_CHAT, 1)
        assert [h.text for h in hint] == [AGENTS_HINT]
        await settled(api)
        assert not api.to(-42)


async def test_an_agents_message_from_the_console_reaches_the_telegram_customer(
    tmp_path: Path, db_url: str, api: FakeBotApi, classifier: Any, aiohttp_client: Any
) -> None:
    clock = Clock()
    clock.now = utcnow()
    app = create_app(telegram_settings(tmp_path, db_url, api), classifier=classifier, clock=clock)
    client = await aiohttp_client(app)
    api.text(ALICE, "我要转人工")
    agent = await Agent(await aiohttp_client(client.server)).start("小美")
    await api.wait_for_messages(ALICE, 1)
    await all_delivered(agent.db, ALICE)
    before = len(api.to(ALICE))

    def conversation(session: Session) -> int:
        return int(session.execute(
            select(Conversation.id).join(Customer).where(Customer.external_id == str(ALICE))
        ).scalar_one())

    conv = await agent.db.run(conversation)
    status, _ = await agent.take(conv)
    assert status == 200
    status, body = await agent.send(conv, "您好，我是客服小美，马上帮您看")
    assert status == 200, body

    sent = await api.wait_for_messages(ALICE, before + 1)
    assert sent[-1].text == AGENT_PREFIX + "您好，我是客服小美，马上帮您看"
    assert sent[-1].removes_keyboard, "the bot's earlier choices go when a person speaks"


# ------------------------------------------------------------------ delivery: exactly once, in order


async def test_a_restart_sends_what_was_not_delivered_once_and_nothing_twice(
    tmp_path: Path, db_url: str, api: FakeBotApi, classifier: Any
) -> None:
    async with shop(tmp_path, db_url, api, classifier) as running:
        api.text(ALICE, "你好")
        first = await api.wait_for_messages(ALICE, 1)
    assert len(first) == 1

    database = Database(telegram_settings(tmp_path, db_url, api).effective_database_url)
    try:  # while the channel is down, another worker stores two messages for the customer
        await database.run(lambda s: store_reply(ALICE, "您的包裹已经发出啦", s))
        await database.run(lambda s: store_reply(ALICE, "单号稍后发您", s))
    finally:
        await database.dispose()

    async with shop(tmp_path, db_url, api, classifier) as running:
        sent = await api.wait_for_messages(ALICE, 3)
        await settled(api)
        assert [s.text for s in api.to(ALICE)][1:] == ["您的包裹已经发出啦", "单号稍后发您"]
        assert len(api.to(ALICE)) == 3 and sent[0] == first[0], "the greeting went out once"
        await all_delivered(running.db, ALICE)

    async with shop(tmp_path, db_url, api, classifier):  # and a third start sends nothing again
        await settled(api)
        assert len(api.to(ALICE)) == 3


async def test_the_same_message_delivered_twice_is_answered_once(
    tmp_path: Path, sqlite_url: str, api: FakeBotApi, classifier: Any
) -> None:
    async with shop(tmp_path, sqlite_url, api, classifier) as running:
        message = api.message(ALICE, text="你好", message_id=77)
        api.push(message)
        await api.wait_for_messages(ALICE, 1)
        api.push(message)  # Telegram sends it again (a new update id, the same message)
        await settled(api)
        assert len(api.to(ALICE)) == 1
        assert [m for _, d, _, m in await transcript(running.db, ALICE) if d == "in"] == ["77"]


async def test_a_blocked_customer_a_flood_wait_and_a_network_error_do_not_stop_the_others(
    tmp_path: Path, sqlite_url: str, api: FakeBotApi, classifier: Any
) -> None:
    async with shop(tmp_path, sqlite_url, api, classifier) as running:
        api.blocked.add(ALICE)
        api.text(ALICE, "你好")
        await api.wait_until(lambda: [a for a in api.attempts if a[0] == "sendMessage"], what="the first try")
        api.text(BOB, "你好")
        assert len(await api.wait_for_messages(BOB, 1)) == 1
        await settled(api)  # several sweeps: the customer who blocked the bot is not tried again
        assert len([a for a in api.attempts if a[0] == "sendMessage" and int(a[1]["chat_id"]) == ALICE]) == 1

        api.blocked.discard(ALICE)  # they unblock the bot and write again: both answers come, in order
        api.text(ALICE, "包邮吗")
        sent = await api.wait_for_messages(ALICE, 2)
        assert "欢迎" in sent[0].text and "包邮" in sent[1].text

        api.fail("sendMessage", 429, "Too Many Requests: retry after 1", retry_after=1)
        api.text(BOB, "包邮吗")
        assert len(await api.wait_for_messages(BOB, 2)) == 2

        api.fail("sendMessage", 502, "Bad Gateway")
        api.text(BOB, "查订单")
        assert len(await api.wait_for_messages(BOB, 3)) == 3  # the sweep tried again
        await settled(api)
        assert len(api.to(BOB)) == 3, "nothing twice"
        await all_delivered(running.db, BOB)


# ------------------------------------------------------------------ the agents' group


async def test_an_escalation_on_any_channel_is_announced_once_in_the_agents_group(
    tmp_path: Path, db_url: str, api: FakeBotApi, classifier: Any
) -> None:
    async with shop(tmp_path, db_url, api, classifier, telegram_agent_chat_id=AGENTS_CHAT) as running:
        angry = "你们什么垃圾质量！！！收到的衣服有个洞，我电话13800138000，马上给我退款"
        await running.engine.handle(Inbound("web", "web-customer-1", angry))
        notice = (await api.wait_for_messages(AGENTS_CHAT, 1))[0]
        lines = notice.text.splitlines()
        assert "转人工" in lines[0]
        assert "类型：商品问题" in lines and "渠道：网页聊天" in lines
        assert any(line.startswith("顾客说：你们什么垃圾质量") for line in lines)
        assert "13800138000" not in notice.text, "phone numbers are masked in the group"
        assert any(line.startswith("情绪：") for line in lines)
        assert lines[-1] == "在工作台接入：/agent"
        assert notice.reply_markup is None

        await running.engine.handle(Inbound("web", "web-customer-1", "快点！"))
        await settled(api)
        assert len(api.to(AGENTS_CHAT)) == 1, "one notice per escalation"


async def test_two_workers_post_each_escalation_once(
    tmp_path: Path, db_url: str, api: FakeBotApi, classifier: Any
) -> None:
    async with AsyncExitStack() as stack:  # on SQLite both run the channel; on PostgreSQL the claim backs the lock
        first = await stack.enter_async_context(
            shop(tmp_path, db_url, api, classifier, telegram_agent_chat_id=AGENTS_CHAT))
        second = await stack.enter_async_context(
            shop(tmp_path, db_url, api, classifier, telegram_agent_chat_id=AGENTS_CHAT))
        await first.engine.handle(Inbound("web", "web-customer-9", DISPUTE))
        await second.engine.handle(Inbound("rest", "rest-customer-9", "我要投诉，你们客服态度太差了，转人工"))
        await api.wait_for_messages(AGENTS_CHAT, 2)
        await settled(api)
        await asyncio.sleep(10 * notices.ESCALATION_SECONDS)  # both workers looked several times more
        assert len(api.to(AGENTS_CHAT)) == 2, "one notice per escalation, not one per worker"


async def _leaders(*running: Any) -> list[Any]:
    return [r for r in running if r.telegram.leading]


async def test_on_postgresql_one_worker_polls_and_another_takes_over_when_it_goes(
    tmp_path: Path, pg_url: str, postgres: str, api: FakeBotApi, classifier: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(channel, "LOCK_RETRY_SECONDS", 0.1)
    async with AsyncExitStack() as stack:
        first = await stack.enter_async_context(
            shop(tmp_path, pg_url, api, classifier, telegram_agent_chat_id=AGENTS_CHAT))
        await api.wait_until(lambda: first.telegram.leading, what="the first worker to take the lock")
        second_stack = await stack.enter_async_context(AsyncExitStack())
        second = await second_stack.enter_async_context(
            shop(tmp_path, pg_url, api, classifier, telegram_agent_chat_id=AGENTS_CHAT))
        await asyncio.sleep(10 * channel.LOCK_RETRY_SECONDS)  # the second tried several times
        assert await _leaders(first, second) == [first], "one poller per bot"

        api.text(ALICE, "你好")
        await api.wait_for_messages(ALICE, 1)
        await first.engine.handle(Inbound("web", "web-customer-7", DISPUTE))
        await api.wait_for_messages(AGENTS_CHAT, 1)

        admin = await asyncpg.connect(pg_admin_dsn(postgres))  # the holder's session ends (as when it dies)
        try:
            holder = await admin.fetchval("SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted")
            assert await admin.fetchval("SELECT pg_terminate_backend($1)", holder)
        finally:
            await admin.close()
        await api.wait_until(lambda: second.telegram.leading, what="the second worker to take over")
        await api.wait_until(lambda: not first.telegram.leading, what="the first worker to stop polling")
        api.text(BOB, "你好")
        await api.wait_for_messages(BOB, 1)
        await settled(api)
        assert await _leaders(first, second) == [second]
        assert len(api.to(AGENTS_CHAT)) == 1, "the new poller does not announce the escalation again"
        assert len(api.to(ALICE)) == 1

        await second_stack.aclose()  # the second stops: the first takes the channel back
        await api.wait_until(lambda: first.telegram.leading, what="the first worker to take over again")
        api.text(ALICE, "包邮吗")
        assert len(await api.wait_for_messages(ALICE, 2)) == 2


# ------------------------------------------------------------------ the token


async def test_the_token_never_reaches_the_logs(
    tmp_path: Path, sqlite_url: str, api: FakeBotApi, classifier: Any, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    for library in ("httpx", "httpcore", "telegram", "sqlalchemy", "asyncio", "jieba"):
        caplog.set_level(logging.WARNING, logger=library)  # as bot.logsafe.configure_logging leaves them
    async with shop(tmp_path, sqlite_url, api, classifier) as running:
        api.fail("sendMessage", 502, f"Bad Gateway for /bot{TOKEN}/sendMessage")
        api.blocked.add(BOB)
        api.text(ALICE, "你好")
        api.text(BOB, "你好")
        api.photo(ALICE, b"not an image at all")
        await api.wait_for_messages(ALICE, 2)
        await settled(api)
        assert running.telegram is not None

    wrong = "987654321:AAWrongTokenWrongTokenWrongTokenWrong"  # the server answers 401 to it
    settings = make_settings(tmp_path / "b", f"sqlite+aiosqlite:///{tmp_path / 'b.db'}",
                             telegram_bot_token=wrong, telegram_api_base_url=api.base_url)
    async with open_services(settings, classifier=classifier):
        await api.wait_until(lambda: "event=telegram_token_rejected" in caplog.text, what="the rejection")

    assert "event=telegram_send_failed" in caplog.text and "event=telegram_blocked" in caplog.text
    assert TOKEN not in caplog.text and wrong not in caplog.text
    assert TOKEN.split(":")[1] not in caplog.text and wrong.split(":")[1] not in caplog.text


async def test_without_telegram_reachable_the_shop_still_starts_and_serves(
    tmp_path: Path, sqlite_url: str, classifier: Any, unused_tcp_port: int
) -> None:
    settings = make_settings(tmp_path, sqlite_url, telegram_bot_token=TOKEN,
                             telegram_api_base_url=f"http://127.0.0.1:{unused_tcp_port}/bot")
    async with open_services(settings, classifier=classifier) as running:
        outcome = await running.engine.handle(Inbound("web", "web-customer-2", "你好"))
        assert outcome.replies


# ------------------------------------------------------------------ pure parts


@pytest.mark.parametrize(
    ("base", "files"),
    [
        ("https://api.telegram.org/bot", "https://api.telegram.org/file/bot"),
        ("http://127.0.0.1:8081/bot", "http://127.0.0.1:8081/file/bot"),
        ("http://proxy.local/telegram/bot", "http://proxy.local/telegram/file/bot"),
        ("http://127.0.0.1:8081/bot{token}/", "http://127.0.0.1:8081/file/bot{token}/"),
    ],
)
def test_the_file_url_follows_the_api_url(base: str, files: str) -> None:
    assert file_base_url(base) == files


@pytest.mark.parametrize("base", ["127.0.0.1:8081/bot", "http://127.0.0.1:8081/", "ftp://x/bot"])
def test_an_api_url_without_bot_is_a_configuration_error(base: str) -> None:
    with pytest.raises(ConfigError, match="TELEGRAM_API_BASE_URL"):
        file_base_url(base)


@pytest.mark.parametrize(
    ("labels", "rows"),
    [
        (["S", "M", "L", "XL", "XXL"], [["S", "M", "L", "XL"], ["XXL"]]),
        (["看看热销款", "包邮吗", "查订单"], [["看看热销款", "包邮吗"], ["查订单"]]),
        (["纯棉圆领短袖T恤（黑色）", "羊羔绒连帽外套"], [["纯棉圆领短袖T恤（黑色）"], ["羊羔绒连帽外套"]]),
        ([], []),
    ],
)
def test_buttons_are_laid_out_by_their_length(labels: list[str], rows: list[list[str]]) -> None:
    assert keyboard_rows(labels) == rows


def test_the_notice_is_short_plain_and_masked() -> None:
    escalation = Escalation(7, utcnow(), "human", None, "telegram", "  *转人工*  <b>快</b>\n浙江省杭州市西湖区文三路100号 " + "啊" * 80,
                            None)
    text = notice_text(escalation)
    assert text.splitlines()[1] == "原因：顾客要求人工"
    assert "<b>快</b>" in text, "sent as plain text: nothing is markup, nothing needs escaping"
    assert "文三路" not in text and text.splitlines()[3].endswith("…")
    assert "情绪" not in text


def test_sent_messages_read_their_keyboard() -> None:
    sent = Sent(1, "x", {"keyboard": [[{"text": "S"}, {"text": "M"}]], "one_time_keyboard": True})
    assert sent.buttons == ["S", "M"] and not sent.removes_keyboard


def _update(api: FakeBotApi, chat_id: int = ALICE, **content: Any) -> Update:
    return Update.de_json({"update_id": 1, "message": api.message(chat_id, **content)}, None)


def test_what_an_update_asks_for_is_decided_without_io() -> None:
    api = FakeBotApi()
    limit = 1000
    assert read_update(_update(api, text="/start"), None, limit) == Received(
        "text", ALICE, "1", text="你好", name="小 明")
    assert read_update(_update(api, text="/start promo42"), None, limit).text == "你好"  # type: ignore[union-attr]
    sizes = [{"file_id": f"p{n}", "file_unique_id": f"u{n}", "width": n * 100, "height": n * 100, "file_size": n * 400}
             for n in (1, 2, 3)]
    photo = read_update(_update(api, photo=sizes, caption="看"), None, limit)
    assert photo is not None and (photo.kind, photo.file_id, photo.text) == ("photo", "p2", "看"), "largest within limit"
    document = {"file_id": "d1", "file_unique_id": "ud1", "mime_type": "image/png", "file_size": 10}
    assert read_update(_update(api, document=document), None, limit).kind == "photo"  # type: ignore[union-attr]
    pdf = {**document, "mime_type": "application/pdf"}
    assert read_update(_update(api, document=pdf, caption="发票"), None, limit).text == "[文件] 发票"  # type: ignore[union-attr]
    location = {"latitude": 30.27, "longitude": 120.15}
    assert read_update(_update(api, location=location), None, limit).kind == "unsupported"  # type: ignore[union-attr]
    assert read_update(_update(api, -42, chat_type="group", text="/agent"), None, limit) is None
    assert read_update(_update(api, AGENTS_CHAT, chat_type="supergroup", text="在吗"), AGENTS_CHAT, limit) is None
    agents = read_update(_update(api, AGENTS_CHAT, chat_type="supergroup", text="/help@bot"), AGENTS_CHAT, limit)
    assert agents is not None and agents.kind == "agents"
    assert read_update(Update.de_json({"update_id": 2}, None), None, limit) is None
