"""Helpers for the web chat's real-browser tests: Debian's Chromium driven by Playwright.

Never downloads a browser: it launches /usr/bin/chromium (or $KEFU_CHROMIUM), and skips the tests
when there is none outside CI (``make system-deps`` installs it).
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import pytest
from playwright.async_api import Browser, BrowserContext, Locator, Page, async_playwright, expect

CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
]
WAIT_MS = 15_000  # generous: a slow CI machine, the classifier's first call

CUSTOMER = "#log .msg[data-from=customer] .bubble"
BOT = "#log .msg:not([data-from=customer]) .bubble"
CHOICES = "#log .choices button"


def chromium_path() -> str:
    path = os.environ.get("KEFU_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if not os.path.exists(path):
        if os.environ.get("CI"):
            pytest.fail("the browser tests need Chromium: apt-get install -y chromium")
        pytest.skip("Chromium is not installed here (apt-get install -y chromium)")
    return path


@asynccontextmanager
async def launch() -> AsyncIterator[Browser]:
    """A headless Chromium with a fresh profile, closed afterwards."""
    path = chromium_path()
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=path, headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            await browser.close()


class Tab:
    """One browser context (a fresh profile: own localStorage) with one page; JS errors are collected."""

    def __init__(self, context: BrowserContext, page: Page) -> None:
        self.context, self.page = context, page
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        page.on("dialog", self._dialog)

    async def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(dialog.message)
        await dialog.dismiss()


@asynccontextmanager
async def open_tabs(browser: Browser, width: int = 1280, height: int = 800) -> AsyncIterator[Any]:
    """Yields ``open_tab(width, height)``; at the end every tab is closed, and none may have had a JS error
    or a dialog."""
    opened: list[Tab] = []

    async def open_tab(w: int = width, h: int = height) -> Tab:
        context = await browser.new_context(viewport={"width": w, "height": h}, locale="zh-CN")
        tab = Tab(context, await context.new_page())
        opened.append(tab)
        return tab

    yield open_tab
    for tab in opened:
        await tab.context.close()
    assert [e for tab in opened for e in tab.errors] == []
    assert [d for tab in opened for d in tab.dialogs] == []


def customer_bubbles(page: Page) -> Locator:
    return page.locator(CUSTOMER)


def bot_bubbles(page: Page) -> Locator:
    return page.locator(BOT)


def choices(page: Page) -> Locator:
    return page.locator(CHOICES)


async def open_chat(page: Page, url: str) -> None:
    """Open the page and wait until it is connected."""
    await page.goto(url)
    await expect(page.locator("#status")).to_contain_text("在线", timeout=WAIT_MS)


async def say(page: Page, text: str) -> None:
    """Type a message and press Enter, as a customer does."""
    await page.get_by_label("输入消息").fill(text)
    await page.get_by_label("输入消息").press("Enter")


async def answered(page: Page) -> None:
    """Wait until every customer message is delivered and the bot's answer is drawn."""
    await expect(page.locator("#log .msg--pending")).to_have_count(0, timeout=WAIT_MS)
    await expect(page.locator("#typing")).to_be_hidden(timeout=WAIT_MS)
    await expect(page.locator("#log > .msg").last).to_have_attribute("data-from", re.compile("bot|agent"))


async def choice_labels(page: Page) -> list[str]:
    return [label.strip() for label in await choices(page).all_text_contents()]


async def drawn_seqs(page: Page) -> list[int]:
    """The seq of every message drawn in the list, top to bottom."""
    values: list[Any] = await page.eval_on_selector_all("#log > .msg", "els => els.map(e => e.dataset.seq)")
    return [int(v) for v in values]
