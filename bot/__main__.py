"""``python -m bot serve|chat|users|disputes``: run kefu, chat with it in the terminal, manage agents' accounts,
or print the disputes summary (纠纷复盘)."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import ipaddress
import logging
import sys
from typing import TextIO

from aiohttp import web

from bot.channels import terminal
from bot.config import Settings, load_settings
from bot.errors import AccountError, ConfigError
from bot.logsafe import configure_logging
from models import ROLES, utcnow

log = logging.getLogger("kefu.start")


def main(argv: list[str] | None = None, *, stdin: TextIO | None = None) -> int:
    """Run one command; returns the exit status (2: a configuration or account error, one line on stderr).

    Args:
        stdin: where ``users add`` / ``users set-password`` read a password when it is not a terminal
            (default ``sys.stdin``).
    """
    parser = argparse.ArgumentParser(prog="python -m bot", description="kefu 客服: a shop's customer-service bot")
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="run the web chat, REST API (and Telegram when configured)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8080)
    serve.add_argument("--workers", type=_workers, default=1,
                       help="worker processes on the one port (more than 1 needs PostgreSQL); default 1")
    chat = sub.add_parser("chat", help="chat with the bot in this terminal")
    chat.add_argument("--customer", default=None, help="who you are (default: your login name)")
    users = sub.add_parser("users", help="agents' and admins' accounts (there is no web sign-up)")
    action = users.add_subparsers(dest="action", required=True)
    add = action.add_parser("add", help="create an account; the password is prompted twice, or read from stdin")
    add.add_argument("name")
    add.add_argument("--role", choices=ROLES, required=True)
    action.add_parser("list", help="every account with its role and state")
    for name, text in (
        ("disable", "stop an account from logging in and end its sessions"),
        ("enable", "let a disabled account log in again"),
        ("set-password", "set a new password (prompted, or from stdin); lifts a lock-out, ends sessions"),
    ):
        action.add_parser(name, help=text).add_argument("name")
    disputes = sub.add_parser("disputes", help="the disputes summary: type, count, main cause, remedy, outcome, trend")
    disputes.add_argument("--days", type=_days, default=30, help="the last N days (1-366, default 30)")
    args = parser.parse_args(argv)
    try:
        settings = load_settings()
    except ConfigError as exc:
        print(f"kefu: configuration error: {exc}", file=sys.stderr)
        return 2
    if args.command == "users":
        return _users(settings, args, stdin or sys.stdin)
    if args.command == "disputes":
        return asyncio.run(_disputes(settings, args.days))
    secrets = [s.get_secret_value() for s in (settings.telegram_bot_token, settings.api_key, settings.warehouse_key) if s]
    if args.command == "serve":
        configure_logging(settings.log_level, secrets)
        refusal = exposure(settings, args.host)
        if refusal:
            print(f"kefu: {refusal}", file=sys.stderr)
            return 2
        if args.workers > 1:
            return _serve_workers(settings, args.host, args.port, args.workers)
        return _serve(settings, args.host, args.port)
    configure_logging("WARNING", secrets)
    return asyncio.run(terminal.chat(settings, args.customer or getpass.getuser()))


def _serve(settings: Settings, host: str, port: int) -> int:
    from bot.web.app import create_app

    print(f"kefu: starting on http://{host}:{port}  (web chat at /, health at /healthz)", file=sys.stderr)
    web.run_app(create_app(settings), host=host, port=port, print=None, access_log=None)
    return 0


def exposure(settings: Settings, host: str) -> str | None:
    """Why ``serve`` must not start on ``host`` with these settings: the REST API (orders with addresses and phone
    numbers, every customer's chat) would be open to whoever reaches the port. None when it may start."""
    if settings.api_key is not None or is_loopback(host):
        return None
    if settings.api_open:
        log.warning("event=api_open host=%s: the REST API takes calls without a key from anyone who reaches "
                    "this port (KEFU_API_OPEN=true); use it on a trusted network only", host)
        return None
    return (f"refusing to serve the REST API without a key on {host}, where others can reach it: set KEFU_API_KEY "
            "(clients send Authorization: Bearer <key>), or KEFU_API_OPEN=true on a trusted network, or serve "
            "on 127.0.0.1")


def is_loopback(host: str) -> bool:
    """Whether ``host`` is only reachable from this machine (127.0.0.0/8, ::1, localhost)."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _serve_workers(settings: Settings, host: str, port: int, workers: int) -> int:
    from bot.engine.workers import serve_workers

    return serve_workers(settings, host, port, workers)


def _workers(raw: str) -> int:
    if not raw.isdigit() or not 1 <= int(raw) <= 64:
        raise argparse.ArgumentTypeError("a whole number of workers from 1 to 64")
    return int(raw)


def _users(settings: Settings, args: argparse.Namespace, stdin: TextIO) -> int:
    try:
        password = _new_password(stdin) if args.action in ("add", "set-password") else None
        return asyncio.run(_users_on_database(settings, args, password))
    except AccountError as exc:
        print(f"kefu: {exc}", file=sys.stderr)
        return 2


def _new_password(stdin: TextIO) -> str:
    """Prompted twice on a terminal; otherwise the first line of stdin (``echo pw | python -m bot ...``).

    Raises:
        AccountError: the two entries differ, or the password is too short.
    """
    from bot.desk.accounts import check_password

    if not stdin.isatty():
        return check_password(stdin.readline().rstrip("\r\n"))
    first = check_password(getpass.getpass("密码 (password): "))
    if getpass.getpass("再输入一次 (again): ") != first:
        raise AccountError("the two passwords differ; nothing was changed")
    return first


async def _users_on_database(settings: Settings, args: argparse.Namespace, password: str | None) -> int:
    from bot.desk.accounts import add_user, list_users, set_active, set_password
    from models import Database

    db = Database(settings.effective_database_url)
    try:
        await db.migrate()
        if args.action == "add":
            assert password is not None
            await add_user(db, args.name, args.role, password)
            print(f"kefu: user {args.name!r} added ({args.role})")
        elif args.action == "set-password":
            assert password is not None
            await set_password(db, args.name, password)
            print(f"kefu: password of {args.name!r} changed; their sessions were ended")
        elif args.action in ("disable", "enable"):
            await set_active(db, args.name, args.action == "enable")
            print(f"kefu: user {args.name!r} {args.action}d")
        else:
            accounts = await list_users(db)
            print(f"{'name':<24} {'role':<6} {'state':<10} created")
            for account in accounts:
                state = "active" if account.active else "disabled"
                if account.locked_until is not None and account.locked_until > utcnow():
                    state = "locked"
                print(f"{account.name:<24} {account.role:<6} {state:<10} {account.created_at:%Y-%m-%d %H:%M} UTC")
        return 0
    finally:
        await db.dispose()


def _days(raw: str) -> int:
    if not raw.isdigit() or not 1 <= int(raw) <= 366:
        raise argparse.ArgumentTypeError("a whole number of days from 1 to 366")
    return int(raw)


async def _disputes(settings: Settings, days: int) -> int:
    from zoneinfo import ZoneInfo

    from bot.admin.report import dispute_report, render_text
    from models import Database

    db = Database(settings.effective_database_url)
    try:
        await db.migrate()
        report = await dispute_report(db, days, utcnow(), ZoneInfo(settings.timezone))
        print(render_text(report), end="")
        return 0
    finally:
        await db.dispose()


if __name__ == "__main__":
    raise SystemExit(main())
