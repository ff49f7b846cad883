"""The customer web chat page, in a real headless Chromium against the real app on loopback.

The bot's wording changes as the flow improves: these tests follow what the page shows (bubbles,
quick-choice buttons, an order number), never the exact sentences.
"""

from __future__ import annotations

import os
import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from playwright.async_api import Browser, Page, expect

from bot import create_app
from bot.conversation.catalogue import load_catalogue_file
from tests.bot.browser import (
    WAIT_MS,
    answered,
    bot_bubbles,
    choice_labels,
    choices,
    customer_bubbles,
    drawn_seqs,
    launch,
    open_chat,
    open_tabs,
    say,
)
from tests.conftest import ROOT, make_settings

SCREENSHOTS = os.environ.get("KEFU_SCREENSHOTS") == "1"
ADDRESS = "张三 13800138000 浙江省杭州市西湖区文三路100号"
PRODUCT = "纯棉圆领短袖T恤"


@pytest.fixture
async def chat_url(aiohttp_server: Any, tmp_path: Path, sqlite_url: str, classifier: Any) -> str:
    server = await aiohttp_server(create_app(make_settings(tmp_path, sqlite_url), classifier=classifier))
    return f"http://127.0.0.1:{server.port}/"


@pytest.fixture
async def browser() -> AsyncIterator[Browser]:
    async with launch() as running:
        yield running


@pytest.fixture
async def tabs(browser: Browser) -> AsyncIterator[Any]:
    """``await tabs(width, height)`` opens a tab; all are closed, and checked for JS errors, afterwards."""
    async with open_tabs(browser, 900, 700) as open_tab:
        yield open_tab


@pytest.fixture
async def page(tabs: Any) -> Page:
    return (await tabs()).page


async def server_history(page: Page, url: str) -> list[dict[str, Any]]:
    customer = await page.evaluate("window.kefuChat.customer")
    response = await page.request.get(f"{url}chat/history", params={"customer": customer})
    assert response.ok
    messages: list[dict[str, Any]] = (await response.json())["messages"]
    return messages


async def test_greeting_is_answered_and_a_quick_choice_sends_its_label(chat_url: str, page: Page) -> None:
    await open_chat(page, chat_url)
    await expect(page.locator("#hint")).to_be_visible()  # an empty chat suggests what to ask

    await say(page, "在吗")
    await expect(customer_bubbles(page)).to_have_text(["在吗"])
    await answered(page)
    await expect(bot_bubbles(page).first).to_contain_text("亲")
    await expect(choices(page).first).to_be_visible()
    await expect(page.get_by_label("输入消息")).to_have_value("")
    await expect(page.locator("#hint")).to_be_hidden()

    label = (await choice_labels(page))[0]
    replies = await bot_bubbles(page).count()
    await choices(page).first.click()
    await expect(customer_bubbles(page)).to_have_text(["在吗", label])
    await answered(page)
    assert await bot_bubbles(page).count() > replies
    assert await drawn_seqs(page) == sorted(set(await drawn_seqs(page)))


async def test_a_whole_sale_through_the_page_ends_with_an_order_number(chat_url: str, page: Page) -> None:
    catalogue = {p.name: p for p in load_catalogue_file()}
    await open_chat(page, chat_url)

    await say(page, "有什么推荐的")
    await answered(page)
    product = None
    for _ in range(3):  # follow the recommendation until a product is offered as a button
        labels = await choice_labels(page)
        named = [label for label in labels if label in catalogue]
        if named:
            product = catalogue[named[0]]
            await choices(page).filter(has_text=named[0]).first.click()
            break
        browse = [label for label in labels if "热销" in label]
        if not browse:
            break
        await choices(page).filter(has_text=browse[0]).first.click()
        await answered(page)
    if product is None:  # the flow offered no product button: name one, as a customer would
        product = catalogue[PRODUCT]
        await say(page, f"{product.name}有货吗")
    await answered(page)

    buy = [label for label in await choice_labels(page) if "买" in label]
    if buy:
        await choices(page).filter(has_text=buy[0]).first.click()
    else:
        await say(page, "我要买")
    await answered(page)

    order_no = re.compile(r"KF\d{6,}")
    for _ in range(8):  # size, colour, address, read-back: whatever the bot asks next
        labels = await choice_labels(page)
        confirm = [label for label in labels if "确认" in label]
        pick = [label for label in labels if label in product.sizes or label in product.colours]
        if confirm:
            await choices(page).filter(has_text=confirm[0]).first.click()
            await answered(page)
            break
        if pick:
            await choices(page).filter(has_text=pick[0]).first.click()
        else:
            await say(page, ADDRESS)
        await answered(page)
    await expect(bot_bubbles(page).filter(has_text=order_no)).to_have_count(1)
    # the read-back showed the customer's details before the order was placed
    await expect(page.locator("#log")).to_contain_text("13800138000")


async def test_a_reload_redraws_the_conversation_and_it_goes_on(chat_url: str, page: Page) -> None:
    await open_chat(page, chat_url)
    await say(page, "在吗")
    await answered(page)
    await say(page, f"{PRODUCT}有货吗")
    await answered(page)
    before = await page.locator("#log > .msg .bubble").all_text_contents()
    seqs = await drawn_seqs(page)
    labels = await choice_labels(page)
    customer = await page.evaluate("window.kefuChat.customer")

    await page.reload()
    await expect(page.locator("#status")).to_contain_text("在线", timeout=WAIT_MS)
    await expect(page.locator("#log > .msg .bubble")).to_have_text(before)
    assert await drawn_seqs(page) == seqs
    assert await page.evaluate("window.kefuChat.customer") == customer
    assert await choice_labels(page) == labels  # the quick choices are back too
    await expect(page.locator("#hint")).to_be_hidden()

    # The conversation continues where it was: buying now asks for this product's size.
    await say(page, "我要买")
    await answered(page)
    sizes = {size for p in load_catalogue_file() if p.name == PRODUCT for size in p.sizes}
    assert sizes & set(await choice_labels(page)), await bot_bubbles(page).last.text_content()


async def test_after_a_dropped_connection_queued_and_unacked_messages_are_answered_once(
    chat_url: str, page: Page
) -> None:
    await open_chat(page, chat_url)
    await say(page, "在吗")
    await answered(page)

    # 1. A message leaves just as the socket drops: its ack is lost, so the page resends it (same id).
    await page.evaluate("() => { window.kefuChat.send('这件T恤有L码吗'); window.kefuChat.socket.close(); }")
    await expect(page.locator("#status")).to_contain_text("在线", timeout=WAIT_MS)
    await answered(page)

    # 2. Offline: the connection is down, the customer types anyway; it is shown as pending.
    await page.context.set_offline(True)
    await page.evaluate("window.kefuChat.socket && window.kefuChat.socket.close()")
    await expect(page.locator("#status")).to_contain_text("重连")
    await say(page, "包邮吗")
    await expect(page.locator("#log .msg--pending")).to_have_count(1)
    await expect(page.locator("#log .msg--pending")).to_contain_text("等待网络")
    await page.context.set_offline(False)
    await expect(page.locator("#status")).to_contain_text("在线", timeout=WAIT_MS)
    await answered(page)

    await expect(customer_bubbles(page)).to_have_text(["在吗", "这件T恤有L码吗", "包邮吗"])
    # The page shows exactly the server's conversation: nothing lost, nothing twice.
    history = await server_history(page, chat_url)
    assert [m["text"] for m in history if m["from"] == "customer"] == ["在吗", "这件T恤有L码吗", "包邮吗"]
    assert await drawn_seqs(page) == [m["seq"] for m in history]
    assert await page.evaluate("window.kefuChat.outbox.length") == 0


async def test_html_in_a_message_is_shown_as_text(chat_url: str, page: Page) -> None:
    text = "<b>粗体</b><img src=x onerror=alert(1)>"
    await open_chat(page, chat_url)
    await say(page, text)
    await answered(page)
    await expect(customer_bubbles(page)).to_have_text([text])
    assert await customer_bubbles(page).first.evaluate("e => e.textContent") == text
    await expect(page.locator("#log b, #log img, #log script")).to_have_count(0)

    # Shift+Enter is a new line inside the message; the line break shows in the bubble.
    box = page.get_by_label("输入消息")
    await box.fill("第一行")
    await box.press("Shift+Enter")
    await box.press_sequentially("第二行")
    await box.press("Enter")
    await answered(page)
    await expect(customer_bubbles(page)).to_have_text([text, "第一行\n第二行"])
    assert await customer_bubbles(page).last.evaluate("e => e.getBoundingClientRect().height > 60")  # two lines, not one


async def test_phone_sized_page_is_usable_and_scrolls(chat_url: str, tabs: Any) -> None:
    page = (await tabs(375, 700)).page
    await open_chat(page, chat_url)
    await page.get_by_role("button", name="在吗").click()  # a suggestion chip
    await answered(page)
    for text in ("有什么推荐的", "随便看看热销款", f"{PRODUCT}有货吗", "包邮吗", "尺码怎么选"):
        if await page.locator("#scroller").evaluate("e => e.scrollHeight > e.clientHeight + 50"):
            break
        await say(page, text)
        await answered(page)

    await expect(page.get_by_label("输入消息")).to_be_in_viewport()
    await expect(page.get_by_role("button", name="发送")).to_be_in_viewport()
    scroller = page.locator("#scroller")
    assert await scroller.evaluate("e => e.scrollHeight > e.clientHeight && e.scrollTop > 0")
    await expect(bot_bubbles(page).last).to_be_in_viewport()  # scrolled to the newest message
    assert await page.evaluate("document.documentElement.scrollWidth") <= 375  # no sideways scrolling

    if SCREENSHOTS:
        docs = ROOT / "docs"
        docs.mkdir(exist_ok=True)
        await page.screenshot(path=str(docs / "screenshot-chat-phone.png"))
        desktop = (await tabs(900, 700)).page
        customer = await page.evaluate("window.kefuChat.customer")  # the same conversation, wider
        await desktop.add_init_script(f"localStorage.setItem('kefu.customer', {customer!r})")
        await open_chat(desktop, chat_url)
        await expect(desktop.locator("#log > .msg")).to_have_count(await page.locator("#log > .msg").count())
        await desktop.screenshot(path=str(docs / "screenshot-chat.png"))


async def test_oversized_or_empty_input_is_not_sent(chat_url: str, page: Page) -> None:
    await open_chat(page, chat_url)
    box = page.get_by_label("输入消息")
    await box.fill("   ")
    await box.press("Enter")
    await page.get_by_role("button", name="发送").click()

    await box.fill("好" * 4100)
    await box.press("Enter")
    await expect(page.get_by_role("alert")).to_contain_text("太长")
    await expect(page.get_by_role("alert")).to_contain_text("4096")
    await expect(box).to_have_value("好" * 4100)  # kept, to be shortened

    await expect(page.locator("#log > .msg")).to_have_count(0)
    assert await server_history(page, chat_url) == []
    await box.fill("好" * 10)
    await expect(page.get_by_role("alert")).to_be_hidden()


async def test_a_message_sent_too_fast_is_kept_shown_politely_and_sent_again_after_the_wait(
    aiohttp_server: Any, tmp_path: Path, sqlite_url: str, classifier: Any, page: Page
) -> None:
    from sqlalchemy import text as sql

    from bot import SERVICES
    from replies import PhraseBank
    from tests.bot.desk.test_auth import Clock

    clock = Clock()
    settings = make_settings(tmp_path, sqlite_url, rate_limits=True, message_burst=2)
    server = await aiohttp_server(create_app(settings, classifier=classifier, clock=clock))
    url = f"http://127.0.0.1:{server.port}/"
    await open_chat(page, url)
    for text in ("在吗", "包邮吗", "有优惠吗"):
        await say(page, text)
    refused = page.locator("#log .msg[data-from=customer]").filter(has_text="有优惠吗")
    await expect(refused).to_have_class(re.compile("msg--failed"), timeout=WAIT_MS)
    await expect(refused).to_contain_text("发得太快，没有发出")
    await expect(refused.get_by_role("button", name="重发")).to_be_visible()
    polite = PhraseBank.from_yaml().entry("other.slow_down").variants
    # the page resends by itself after the wait the server gave (real seconds): poll, as a shopper would look
    await expect(page.locator("#notice")).to_have_text(re.compile("^(" + "|".join(map(re.escape, polite)) + ")$"))

    clock.advance(seconds=2)  # the wait is over: the page sends it again by itself, once
    await answered(page)
    await expect(customer_bubbles(page)).to_have_text(["在吗", "包邮吗", "有优惠吗"])
    await expect(page.locator("#notice")).to_be_hidden()
    stored = await server.app[SERVICES].db.run(
        lambda s: s.execute(sql("SELECT text FROM messages WHERE direction = 'in' ORDER BY seq")).scalars().all()
    )
    assert list(stored) == ["在吗", "包邮吗", "有优惠吗"]
