"""``python -m bot serve|chat``: run kefu, or chat with it in the terminal."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import sys

from aiohttp import web

from bot._envelope import Inbound
from bot._logsafe import configure_logging
from bot._services import open_services
from bot.config import Settings, load_settings
from bot.errors import ConfigError


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot", description="kefu 客服: a shop's customer-service bot")
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="run the web chat, REST API (and Telegram when configured)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8080)
    chat = sub.add_parser("chat", help="chat with the bot in this terminal")
    chat.add_argument("--customer", default=None, help="who you are (default: your login name)")
    args = parser.parse_args(argv)
    try:
        settings = load_settings()
    except ConfigError as exc:
        print(f"kefu: configuration error: {exc}", file=sys.stderr)
        return 2
    secrets = [s.get_secret_value() for s in (settings.telegram_bot_token, settings.api_key) if s]
    if args.command == "serve":
        configure_logging(settings.log_level, secrets)
        return _serve(settings, args.host, args.port)
    configure_logging("WARNING", secrets)
    return asyncio.run(_chat(settings, args.customer or getpass.getuser()))


def _serve(settings: Settings, host: str, port: int) -> int:
    from bot._app import create_app

    print(f"kefu: starting on http://{host}:{port}  (web chat at /, health at /healthz)", file=sys.stderr)
    web.run_app(create_app(settings), host=host, port=port, print=None, access_log=None)
    return 0


async def _chat(settings: Settings, customer: str) -> int:
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


if __name__ == "__main__":
    raise SystemExit(main())
