"""Photos as dispute evidence, in real headless Chromium against the real app on loopback (issue 3, "Dispute
intake by the bot"): a customer reports a broken item on the web chat, sends a photo with the 📷 button (shrunk
in the browser) and answers the intake; the agents' console shows the chat's mood in the queue and the record
with the photo in the summary card. A photo the server refuses is explained to the customer in Chinese."""

from __future__ import annotations

import os
import re
import struct
import subprocess
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from playwright.async_api import Page, expect
from sqlalchemy import select

from bot import create_app
from bot.web.keys import SERVICES
from models import Attachment, Database
from tests.bot.browser import WAIT_MS, answered, choices, launch, open_chat, open_tabs, say
from tests.bot.desk.test_console_browser import Shop, log_in
from tests.bot.engine.test_intake_service import png
from tests.conftest import ROOT, make_settings

BROKEN = "收到的衣服有个洞，质量太差了"
MARKUP_FACT = "领口<b>开线</b>了，<img src=x onerror=alert(1)>"
PHOTO_BUBBLE = "#log .msg[data-from=customer] .bubble img.photo"


@pytest.fixture
async def tabs() -> AsyncIterator[Any]:
    """``await tabs(width, height)`` opens a tab; afterwards none may have had a JS error or a dialog."""
    async with launch() as browser, open_tabs(browser, 1280, 900) as open_tab:
        yield open_tab


async def serve(aiohttp_server: Any, tmp_path: Path, url: str, classifier: Any, **settings: Any) -> Shop:
    return Shop(await aiohttp_server(create_app(make_settings(tmp_path, url, **settings), classifier=classifier)))


def jpeg_size(data: bytes) -> tuple[int, int]:
    """(width, height) from a JPEG's start-of-frame segment."""
    at = 2
    while at < len(data):
        marker, length = data[at + 1], struct.unpack(">H", data[at + 2:at + 4])[0]
        if marker in (0xC0, 0xC1, 0xC2):
            height, width = struct.unpack(">HH", data[at + 5:at + 9])
            return width, height
        at += 2 + length
    raise AssertionError("no start-of-frame segment")


def gif(size: int) -> bytes:
    """A real 1×1 GIF, made ``size`` bytes long with comment blocks (browsers still decode it)."""
    head = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff"
    image = b",\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00"
    padding = size - len(head) - len(image) - 1 - 3
    blocks = b"".join(bytes([min(255, padding - i)]) + b"x" * min(255, padding - i) for i in range(0, padding, 256))
    return head + b"!\xfe" + blocks + b"\x00" + image + b";"


def cjk_font() -> bool:
    try:
        fonts = subprocess.run(["fc-list"], capture_output=True, text=True, check=False).stdout
    except OSError:
        return False
    return "noto" in fonts.lower()


async def photos(db: Database) -> list[Attachment]:
    return await db.run(lambda s: list(s.execute(select(Attachment).order_by(Attachment.id)).scalars()))


async def pick_photo(page: Page, path: Path) -> None:
    """Click 📷 and choose ``path`` in the file dialog, as a customer does."""
    async with page.expect_file_chooser() as chooser:
        await page.get_by_role("button", name="发图片").click()
    await (await chooser.value).set_files(str(path))


async def test_a_photo_from_the_web_chat_reaches_the_agents_summary_card(
    aiohttp_server: Any, tmp_path: Path, sqlite_url: str, classifier: Any, tabs: Any
) -> None:
    shop = await serve(aiohttp_server, tmp_path, sqlite_url, classifier)
    await shop.agent("小美")
    agent = (await tabs()).page
    await log_in(agent, shop.url, "小美")

    customer = (await tabs(420, 800)).page
    await open_chat(customer, shop.url)
    await say(customer, BROKEN)
    await answered(customer)  # the bot asks for a photo

    big = tmp_path / "broken.png"
    big.write_bytes(png(2400, 1800))  # larger than the page sends: it is shrunk to 1600 px
    await pick_photo(customer, big)
    bubble = customer.locator(PHOTO_BUBBLE)
    await expect(bubble).to_have_count(1, timeout=WAIT_MS)
    assert await bubble.evaluate("img => img.complete && img.naturalWidth") == 1600
    await answered(customer)
    await expect(customer.locator("#notice")).to_be_hidden()

    await choices(customer).filter(has_text=re.compile("^换货$")).click()  # what they want
    await answered(customer)
    await say(customer, MARKUP_FACT)
    await answered(customer)

    [kept] = await photos(shop.server.app[SERVICES].db)
    assert kept.content_type == "image/jpeg" and jpeg_size(kept.data) == (1600, 1200)
    assert kept.dispute_id is not None

    # The queue shows the chat with how upset the customer sounds.
    item = agent.locator("#waiting .item")
    await expect(item).to_have_count(1, timeout=WAIT_MS)
    mood = item.locator(".emotion")
    await expect(mood).to_have_attribute("data-level", re.compile("^(upset|angry|furious)$"))
    await expect(mood).to_have_text(re.compile("^(不满|生气|非常愤怒)$"))
    await expect(item.locator(".tag.photos")).to_have_text("照片 1")
    await item.click()

    # The summary card: the record the bot took, as text, and the photo.
    await expect(agent.locator("#summary-dispute")).to_have_text("商品问题")
    await expect(agent.locator("#summary-problem")).to_have_text("商品有破损或质量问题")
    await expect(agent.locator("#summary-expectation")).to_have_text("换货")
    await expect(agent.locator("#summary-intake")).to_have_text("已记录")
    await expect(agent.locator("#summary-emotion")).to_have_text(await mood.text_content() or "")
    await expect(agent.locator("#summary-order")).to_have_text("—")  # a first-time visitor has no order
    facts = agent.locator("#summary-facts li")
    await expect(facts.first).to_have_text(BROKEN)
    await expect(facts.last).to_have_text(MARKUP_FACT)
    assert await agent.locator("#summary-facts b, #summary-facts img").count() == 0, "a fact is text, not HTML"

    thumb = agent.locator("#summary-evidence a.thumb")
    await expect(thumb).to_have_count(1)
    await expect(thumb).to_have_attribute("href", f"/agent/api/attachments/{kept.id}")
    await expect(thumb).to_have_attribute("target", "_blank")
    image = thumb.locator("img")
    await image.scroll_into_view_if_needed()
    await agent.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=await image.element_handle(), timeout=WAIT_MS
    )
    assert await image.evaluate("img => img.naturalWidth") == 1600

    # The transcript shows the photo with the message it came with.
    said = agent.locator("#transcript .msg[data-from=customer]")
    await expect(said.locator(".thumbs img")).to_have_count(1)
    await expect(said.filter(has=agent.locator(".thumbs")).locator(".bubble")).to_have_text("[图片]")

    # A click opens the full-size photo in a new tab.
    async with agent.context.expect_page() as opened:
        await thumb.click()
    full = await opened.value
    await full.wait_for_load_state()
    assert full.url.endswith(f"/agent/api/attachments/{kept.id}")
    await full.close()

    if os.environ.get("KEFU_SCREENSHOTS") == "1" and cjk_font():  # docs/ pictures, on request
        docs = ROOT / "docs"
        docs.mkdir(exist_ok=True)
        await agent.locator("#summary").scroll_into_view_if_needed()
        await agent.screenshot(path=str(docs / "screenshot-evidence.png"))


async def test_a_photo_the_server_refuses_is_explained_in_chinese(
    aiohttp_server: Any, tmp_path: Path, sqlite_url: str, classifier: Any, tabs: Any
) -> None:
    shop = await serve(aiohttp_server, tmp_path, sqlite_url, classifier, max_image_bytes=4096)
    customer = (await tabs(420, 800)).page
    await open_chat(customer, shop.url)
    await say(customer, BROKEN)
    await answered(customer)

    # Not an image at all: the page says so and sends nothing.
    fake = tmp_path / "receipt.jpg"
    fake.write_text("这不是图片", encoding="utf-8")
    await customer.locator("#photo-input").set_input_files(str(fake))
    await expect(customer.get_by_role("alert")).to_contain_text("没能读取这张图片")
    await expect(customer.locator("#log .msg--pending, #log .msg--failed")).to_have_count(0)

    # A GIF goes as it is (it may move): larger than this shop allows, the server refuses it.
    moving = tmp_path / "moving.gif"
    moving.write_bytes(gif(12_000))
    await customer.locator("#photo-input").set_input_files(str(moving))
    failed = customer.locator("#log .msg--failed")
    await expect(failed).to_have_count(1, timeout=WAIT_MS)
    await expect(failed.locator(".msg__state")).to_have_text("图片太大，没有发出")
    await expect(failed.locator("img.photo")).to_have_count(1)
    await expect(customer.get_by_role("alert")).to_contain_text("图片太大了（最大 4 KB）")
    assert await customer.evaluate("window.kefuChat.outbox.length") == 0, "not sent again after a reconnect"

    # Far larger than the socket takes a frame: the server closes it (1009); the page says why and does not
    # send it again on the new connection.
    huge = tmp_path / "huge.gif"
    huge.write_bytes(gif(60_000))
    await customer.locator("#photo-input").set_input_files(str(huge))
    await expect(failed).to_have_count(2, timeout=WAIT_MS)
    await expect(failed.last.locator(".msg__state")).to_have_text("图片太大，没有发出")
    await expect(customer.get_by_role("alert")).to_contain_text("这张图片太大了，没有发出")
    await expect(customer.locator("#status")).to_contain_text("在线", timeout=WAIT_MS)
    assert await customer.evaluate("window.kefuChat.outbox.length") == 0
    assert await photos(shop.server.app[SERVICES].db) == []

    # The chat goes on.
    await say(customer, "没有照片")
    await answered(customer)
