"""The terminal channel: ``python -m bot chat`` — one customer typing to the bot on stdin, replies on stdout."""

from __future__ import annotations

import asyncio

from bot.config import Settings
from bot.engine.envelope import Inbound
from bot.engine.services import open_services


async def chat(settings: Settings, customer: str) -> int:
    """Serve one customer in the terminal until end of input or ``/quit``; returns the exit status."""
    async with open_services(settings) as running:
        print(f"{settings.shop_name} 客服 — 输入消息回车发送，输入 /quit 退出。", flush=True)
        loop = asyncio.get_running_loop()
        while True:
            try:
                line = await loop.run_in_executor(None, input, "你: ")
            except (EOFError, KeyboardInterrupt):
                print()
                return 0
            if line.strip() in ("/quit", "/exit"):
                return 0
            outcome = await running.engine.handle(Inbound("terminal", customer, line))
            for reply in outcome.replies:
                print(f"客服: {reply.as_plain_text()}", flush=True)

