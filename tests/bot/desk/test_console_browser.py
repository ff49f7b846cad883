"""The agents' console page (issue 3, "Agents"), in real headless Chromium against the real app on loopback:
a customer's dispute reaches the live queue, an agent takes it, inserts a quick phrase with ``/`` + its
shortcut and sends it, and the customer's page shows it; customer HTML is shown as text."""

from __future__ import annotations

import os
import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from playwright.async_api import Page, expect

from bot import create_app
from bot.desk.accounts import add_user
from bot.web.keys import SERVICES
from replies._bank import SHIPPED
from tests.bot.browser import WAIT_MS, answered, launch, open_chat, open_tabs, say
from tests.bot.desk.test_auth import PASSWORD
from tests.conftest import ROOT, make_settings

SCREENSHOTS = os.environ.get("KEFU_SCREENSHOTS") == "1"
DISPUTE = "收到的衣服有个洞，质量太差了"
WAITING = "#waiting .item"
MINE = "#mine .item"


class Shop:
    def __init__(self, server: Any) -> None:
        self.server = server
        self.url = f"http://127.0.0.1:{server.port}/"

    async def agent(self, name: str) -> None:
        await add_user(self.server.app[SERVICES].db, name, "agent", PASSWORD)


@pytest.fixture
async def shop(aiohttp_server: Any, tmp_path: Path, sqlite_url: str, classifier: Any) -> Shop:
    return Shop(await aiohttp_server(create_app(make_settings(tmp_path, sqlite_url), classifier=classifier)))


@pytest.fixture
async def tabs() -> AsyncIterator[Any]:
    """``await tabs(width, height)`` opens a tab; afterwards none may have had a JS error or a dialog."""
    async with launch() as browser, open_tabs(browser, 1280, 800) as open_tab:
        yield open_tab


async def log_in(page: Page, url: str, name: str) -> None:
    await page.goto(f"{url}login")
    await page.get_by_label("用户名").fill(name)
    await page.get_by_label("密码").fill(PASSWORD)
    await page.get_by_role("button", name="登录").click()
    await expect(page).to_have_url(re.compile(r"/agent$"), timeout=WAIT_MS)
    await expect(page.locator("#link")).to_have_attribute("data-state", "online", timeout=WAIT_MS)


def apology() -> tuple[str, str]:
    """The apology phrase's shortcut and first variant, as the shipped phrase bank has them."""
    entry = yaml.safe_load(SHIPPED.read_text(encoding="utf-8"))["phrases"]["agent.apology"]
    return str(entry["shortcut"]), str(entry["variants"][0])


async def test_an_agent_takes_a_dispute_from_the_live_queue_and_answers_with_a_quick_phrase(
    shop: Shop, tabs: Any
) -> None:
    await shop.agent("小美")
    agent = (await tabs()).page
    await log_in(agent, shop.url, "小美")
    await expect(agent.locator("#waiting-empty")).to_be_visible()

    customer = (await tabs(420, 760)).page
    await open_chat(customer, shop.url)
    await say(customer, DISPUTE)
    await answered(customer)

    # The chat appears in the queue by itself (WebSocket push), with its dispute type.
    item = agent.locator(WAITING)
    await expect(item).to_have_count(1, timeout=WAIT_MS)
    await expect(item).to_contain_text("商品问题")
    await item.click()
    await expect(agent.locator("#summary-opening")).to_have_text(DISPUTE)
    await expect(agent.locator("#summary-state")).to_have_text("等待接入")
    said = agent.locator("#transcript .msg[data-from=customer]")
    await expect(said.locator(".bubble")).to_have_text([DISPUTE])
    await expect(said.locator(".intent")).to_contain_text(["意图："])
    await expect(agent.get_by_role("button", name="发送")).to_be_disabled()

    await agent.get_by_role("button", name="接入").click()
    await expect(agent.locator("#summary-state")).to_have_text("我正在处理")
    await expect(agent.locator(MINE)).to_have_count(1, timeout=WAIT_MS)
    await expect(agent.locator(WAITING)).to_have_count(0, timeout=WAIT_MS)

    shortcut, text = apology()
    box = agent.get_by_label("回复内容")
    await box.click()
    await box.press_sequentially("/" + shortcut)
    picker = agent.locator("#picker li")
    await expect(picker.first).to_have_attribute("data-shortcut", shortcut)
    await box.press("Enter")
    await expect(agent.locator("#picker")).to_be_hidden()
    await expect(box).to_have_value(text)
    await box.press("Enter")
    await expect(box).to_have_value("", timeout=WAIT_MS)
    await expect(agent.locator("#transcript .msg[data-from=agent] .bubble")).to_have_text([text])

    # The customer's page shows it, labelled as a person, without a reload.
    from_agent = customer.locator("#log .msg[data-from=agent]")
    await expect(from_agent.locator(".bubble")).to_have_text([text], timeout=WAIT_MS)
    await expect(from_agent.locator(".msg__who")).to_have_text(["人工客服"])

    # And the customer's answer reaches the open chat in the console without a reload.
    await say(customer, "好吧，那怎么处理")
    await expect(said.locator(".bubble")).to_have_text([DISPUTE, "好吧，那怎么处理"], timeout=WAIT_MS)

    if SCREENSHOTS:
        docs = ROOT / "docs"
        docs.mkdir(exist_ok=True)
        await box.fill("")
        await box.press_sequentially("/bc")  # the remedy offer, its {gift} and {coupon} filled in
        await expect(picker.first).to_be_visible()
        await agent.screenshot(path=str(docs / "screenshot-console.png"))


async def test_html_in_a_customer_message_is_shown_as_text_in_the_console(shop: Shop, tabs: Any) -> None:
    html = "<img src=x onerror=alert(1)>"
    await shop.agent("阿强")
    agent = (await tabs()).page
    await log_in(agent, shop.url, "阿强")
    for text in (DISPUTE, html):
        response = await agent.request.post(f"{shop.url}api/messages", data={"customer": "c-html", "text": text})
        assert response.ok

    await expect(agent.locator(WAITING)).to_have_count(1, timeout=WAIT_MS)
    await agent.locator(WAITING).click()
    bubbles = agent.locator("#transcript .msg[data-from=customer] .bubble")
    await expect(bubbles).to_have_text([DISPUTE, html])
    assert await agent.locator("img").count() == 0, "no element made from the customer's text"
