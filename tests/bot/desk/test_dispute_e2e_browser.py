"""One dispute end to end in real headless Chromium (issue 3): the customer's web chat and a logged-in agent's
console (``/agent``) open side by side against the real app on loopback, and what each person sees at each step —
the bot's intake answered by clicking its buttons, the read-back and the queue place, the chat reaching the live
queue, the agent taking it and answering with a quick phrase, the resolution, the follow-up and the score; and
a waiting chat flagged in the live queue once the customer has waited ``KEFU_AGENT_FLAG_SECONDS``.

Time is the app's injected clock, moved by the test (never slept on). SQLite only, as the other browser tests:
the database paths are covered on both backends by ``test_dispute_e2e_rest.py``. One Chromium serves the
module (so the tests run on the module's event loop, and the server is started here rather than by
``aiohttp_server``, whose loop is the test function's)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
from aiohttp.test_utils import TestServer
from playwright.async_api import Browser, Page, expect
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot import SERVICES, create_app
from bot.conversation import CSAT_BUTTONS
from bot.desk.accounts import add_user
from models import Conversation, Customer, Database, Dispute, Message, as_utc, utcnow
from tests.bot.browser import (
    WAIT_MS,
    answered,
    bot_bubbles,
    choice_labels,
    choices,
    customer_bubbles,
    launch,
    open_chat,
    open_tabs,
    say,
)
from tests.bot.desk.test_auth import PASSWORD, Clock
from tests.bot.desk.test_console_browser import apology, log_in
from tests.conftest import make_settings

pytestmark = pytest.mark.asyncio(loop_scope="module")

DISPUTE = "收到的衣服有个洞，质量太差了"
WAITING = "#waiting .item"
MINE = "#mine .item"
FOLLOW_UP_MINUTES = 60  # KEFU_FOLLOW_UP_MINUTES: shorter than a login session, so the agent stays logged in
FLAG_SECONDS = 30  # KEFU_AGENT_FLAG_SECONDS' default


class Shop:
    """The app on a loopback server, with the clock the test moves."""

    def __init__(self, server: TestServer, clock: Clock) -> None:
        self.server, self.clock = server, clock
        self.url = f"http://127.0.0.1:{server.port}/"

    @property
    def services(self) -> Any:
        return self.server.app[SERVICES]

    @property
    def db(self) -> Database:
        database: Database = self.services.db
        return database

    async def agent(self, name: str) -> None:
        await add_user(self.db, name, "agent", PASSWORD)

    async def conversation(self, channel: str, customer: str) -> Conversation:
        def work(session: Session) -> Conversation:
            return session.execute(
                select(Conversation).join(Customer)
                .where(Customer.channel == channel, Customer.external_id == customer)
                .order_by(Conversation.id.desc()).limit(1)
            ).scalar_one()

        return await self.db.run(work)

    async def dispute(self, conversation_id: int) -> Dispute:
        def work(session: Session) -> Dispute:
            return session.execute(select(Dispute).where(Dispute.conversation_id == conversation_id)).scalar_one()

        return await self.db.run(work)

    async def first_words_at(self, conversation_id: int) -> dt.datetime:
        """When the customer's first message of the chat was stored (real time, as messages carry)."""

        def work(session: Session) -> dt.datetime:
            return session.execute(
                select(Message.created_at).where(Message.conversation_id == conversation_id, Message.direction == "in")
                .order_by(Message.seq).limit(1)
            ).scalar_one()

        return as_utc(await self.db.run(work))




@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def browser() -> AsyncIterator[Browser]:
    async with launch() as running:
        yield running


@pytest_asyncio.fixture(loop_scope="module")
async def shop(tmp_path: Path, sqlite_url: str, classifier: Any) -> AsyncIterator[Shop]:
    clock = Clock()
    clock.now = utcnow()  # messages carry the real time; the test moves the clock from there
    settings = make_settings(tmp_path, sqlite_url, follow_up_minutes=FOLLOW_UP_MINUTES)
    server = TestServer(create_app(settings, classifier=classifier, clock=clock), host="127.0.0.1")
    await server.start_server()
    try:
        yield Shop(server, clock)
    finally:
        await server.close()


@pytest_asyncio.fixture(loop_scope="module")
async def tabs(browser: Browser) -> AsyncIterator[Any]:
    """``await tabs(width, height)`` opens a tab (its own profile); afterwards none may have had a JS error or a
    dialog."""
    async with open_tabs(browser) as open_tab:
        yield open_tab


async def click_choice(page: Page, label: str) -> None:
    """Click one of the bot's quick-choice buttons under its newest message, and wait for the answer."""
    await choices(page).filter(has_text=re.compile(f"^{re.escape(label)}$")).click()
    await answered(page)


async def test_a_broken_item_reported_in_the_web_chat_is_taken_resolved_followed_up_and_scored(
    shop: Shop, tabs: Any
) -> None:
    await shop.agent("小美")
    agent = (await tabs()).page
    await log_in(agent, shop.url, "小美")  # on duty: the customer will be told a place and a wait
    await expect(agent.locator("#waiting-empty")).to_be_visible()

    # a) The customer reports the hole: an apology and the first question, with buttons.
    customer = (await tabs(420, 760)).page
    await open_chat(customer, shop.url)
    await say(customer, DISPUTE)
    await answered(customer)
    await expect(bot_bubbles(customer).first).to_contain_text("抱歉")
    await expect(bot_bubbles(customer).last).to_contain_text("照片")
    await expect(choices(customer)).to_have_text(["稍后发照片", "没有照片"])

    # b) The chat is in the agent's live queue already, while the bot still asks (no reload).
    item = agent.locator(WAITING)
    await expect(item).to_have_count(1, timeout=WAIT_MS)
    await expect(item).to_contain_text("商品问题")

    await click_choice(customer, "没有照片")
    await expect(choices(customer)).to_have_text(["退货退款", "换货", "补发", "补偿", "退款"])
    await click_choice(customer, "退货退款")
    await expect(choices(customer)).to_have_count(0)
    await expect(customer_bubbles(customer)).to_have_text([DISPUTE, "没有照片", "退货退款"])
    readback, queued = bot_bubbles(customer).nth(-2), bot_bubbles(customer).last
    await expect(readback).to_contain_text("记下了")
    await expect(readback).to_contain_text("破损")
    await expect(readback).to_contain_text("退货退款")
    await expect(queued).to_contain_text("第 1 位")
    await expect(queued).to_contain_text("3 分钟")

    # The agent opens it, reads what the customer said, takes it.
    await item.click()
    said = agent.locator("#transcript .msg[data-from=customer] .bubble")
    await expect(said).to_have_text([DISPUTE, "没有照片", "退货退款"], timeout=WAIT_MS)
    await agent.get_by_role("button", name="接入", exact=True).click()
    await expect(agent.locator(MINE)).to_have_count(1, timeout=WAIT_MS)
    await expect(agent.locator(WAITING)).to_have_count(0, timeout=WAIT_MS)
    await expect(agent.locator("#waiting-empty")).to_be_visible()

    # A quick phrase: "/" + its shortcut, Enter picks it, Enter sends it; the customer sees it as it is sent.
    shortcut, text = apology()
    box = agent.get_by_label("回复内容")
    await box.click()
    await box.press_sequentially("/" + shortcut)
    await expect(agent.locator("#picker li").first).to_have_attribute("data-shortcut", shortcut)
    await box.press("Enter")
    await expect(box).to_have_value(text)
    await box.press("Enter")
    await expect(box).to_have_value("", timeout=WAIT_MS)
    from_agent = customer.locator("#log .msg[data-from=agent]")
    await expect(from_agent.locator(".bubble")).to_have_text([text], timeout=WAIT_MS)
    await expect(from_agent.locator(".msg__who")).to_have_text(["人工客服"])

    # c) Resolved with a partial refund + a gift of 20 yuan through the resolve form.
    await agent.get_by_role("button", name="解决", exact=True).click()
    await agent.get_by_label("处理方案").select_option("partial_refund_gift")
    await agent.get_by_label("金额（元）").fill("20")
    await agent.get_by_label("备注").fill("破洞，顾客留用")
    await agent.get_by_role("button", name="确认解决").click()
    await expect(agent.locator("#notice")).to_contain_text("已解决", timeout=WAIT_MS)
    await expect(agent.locator(MINE)).to_have_count(0, timeout=WAIT_MS)
    await expect(agent.locator("#mine-empty")).to_be_visible()
    resolution = from_agent.locator(".bubble").last
    await expect(resolution).to_contain_text("部分退款并赠送小礼物", timeout=WAIT_MS)
    await expect(resolution).to_contain_text("¥20")
    await expect(from_agent).to_have_count(2)

    # d) The follow-up's time comes (the clock moves; nobody sleeps): the question and the five score buttons.
    shop.clock.advance(minutes=FOLLOW_UP_MINUTES + 1)
    assert await shop.services.followups.run_due() == 1
    ask = bot_bubbles(customer).last
    await expect(ask).to_contain_text("部分退款并赠送小礼物", timeout=WAIT_MS)
    await expect(choices(customer)).to_have_text(list(CSAT_BUTTONS), timeout=WAIT_MS)
    await click_choice(customer, "4分 满意")
    await expect(customer_bubbles(customer).last).to_have_text("4分 满意")
    await expect(bot_bubbles(customer).last).to_contain_text("谢谢")
    assert not set(await choice_labels(customer)) & set(CSAT_BUTTONS), "answered: the score buttons are gone"

    # The score is on the dispute, with the resolution it rates.
    conversation = await shop.conversation("web", await customer.evaluate("window.kefuChat.customer"))
    dispute = await shop.dispute(conversation.id)
    assert dispute.status == "resolved" and dispute.details["csat"]["score"] == 4
    resolved = dispute.details["resolution"]
    assert (resolved["remedy"], resolved["amount"], resolved["resolved_by"]) == ("partial_refund_gift", "20.00", "小美")
    assert dispute.details["expectation"] == "return"


def _waited(seconds: int) -> str:
    """The queue item's wait label, as agent.js writes it."""
    if seconds < 60:
        return f"等待 {seconds} 秒"
    if seconds < 3600:
        return f"等待 {seconds // 60} 分钟"
    return f"等待 {seconds // 3600} 小时 {seconds % 3600 // 60} 分"


async def test_a_chat_waiting_past_the_flag_time_is_flagged_in_the_live_queue(shop: Shop, tabs: Any) -> None:
    await shop.agent("阿强")
    agent = (await tabs()).page
    await log_in(agent, shop.url, "阿强")
    response = await agent.request.post(f"{shop.url}api/messages", data={"customer": "c-flag", "text": DISPUTE})
    assert response.ok
    item = agent.locator(WAITING)
    await expect(item).to_have_count(1, timeout=WAIT_MS)

    conversation = await shop.conversation("rest", "c-flag")
    asked = await shop.first_words_at(conversation.id)
    escalated = as_utc(conversation.escalated_at)  # type: ignore[arg-type]
    flagged = re.compile(r"\bflagged\b")

    # Just under the flag time: the socket's refresh shows the new wait, and no flag.
    shop.clock.now = asked + dt.timedelta(seconds=FLAG_SECONDS - 1)
    wait = item.locator(".item__wait")
    await expect(wait).to_have_text(_waited(int((shop.clock.now - escalated).total_seconds())), timeout=WAIT_MS)
    await expect(item).not_to_have_class(flagged)
    await expect(item.locator(".flag")).to_have_count(0)

    # Past it, with nobody having answered: flagged by the live refresh, no reload.
    shop.clock.now = asked + dt.timedelta(seconds=FLAG_SECONDS + 1)
    await expect(item).to_have_class(flagged, timeout=WAIT_MS)
    await expect(item.locator(".flag")).to_have_text("超时未回复")
    await expect(wait).to_have_text(_waited(int((shop.clock.now - escalated).total_seconds())))
