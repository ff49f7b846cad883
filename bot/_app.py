"""The HTTP side: one app factory, the REST channel, the web chat and health.

``create_app(settings)`` builds the app; start-up and shutdown belong to one cleanup context
(:func:`bot._services.open_services`). Tests build the same app with a test database.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import hmac
import html
import json
import logging
import os
import re
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import suppress
from pathlib import Path
from typing import Any

from aiohttp import WSMsgType, web

from bot._auth import Clock, auth_routes
from bot._console import console_routes
from bot._engine import Classifier
from bot._envelope import MAX_TEXT, Inbound
from bot._evidence import evidence_routes
from bot._invoices import invoice_routes
from bot._report import report_routes
from bot._services import Services, open_services
from bot._warehouse import warehouse_routes
from bot.config import Settings
from bot.errors import BadRequest, StorageError

log = logging.getLogger("kefu.http")
STATIC = Path(__file__).parent / "static"
SERVICES = web.AppKey("services", Services)
SETTINGS = web.AppKey("settings", Settings)
_WEB_CUSTOMER = re.compile(r"^[A-Za-z0-9_-]{8,64}$")

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def create_app(
    settings: Settings, *, classifier: Classifier | None = None, clock: Clock | None = None
) -> web.Application:
    """The kefu web application.

    Args:
        settings: validated settings.
        classifier: an already-loaded intent classifier (tests share one); loaded from var/ if None.
        clock: the current time for logins, sessions and lock-outs (aware UTC); tests move it.
    """
    # A request body may carry one photo (base64: 4/3 of its size) besides the text.
    app = web.Application(
        middlewares=[_errors, _api_key(settings)], client_max_size=_frame_limit(settings.max_image_bytes)
    )
    app[SETTINGS] = settings
    app[CHAT_PAGE] = _render_chat_page(settings)
    app.on_response_prepare.append(_no_stale_static)

    async def services(app: web.Application) -> AsyncIterator[None]:
        async with open_services(settings, classifier=classifier, clock=clock) as running:
            app[SERVICES] = running
            yield

    app.cleanup_ctx.append(services)
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/", chat_page)
    app.router.add_static("/static/", STATIC)
    app.router.add_post("/api/messages", post_message)
    app.router.add_get("/api/messages", get_messages)
    app.router.add_get("/chat/history", chat_history)
    app.router.add_get("/chat/ws", chat_socket)
    warehouse_routes(app.router, SERVICES)
    invoice_routes(app.router, SERVICES)
    auth_routes(app, settings, SERVICES, clock=clock)
    console_routes(app, SERVICES, clock=clock)
    evidence_routes(app, SERVICES)
    report_routes(app, SERVICES, clock=clock)
    return app


# ------------------------------------------------------------------ middlewares


def _json_error(status: int, reason: str) -> web.Response:
    return web.json_response({"error": reason}, status=status)


@web.middleware
async def _errors(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Every failure becomes a clear JSON error; the server keeps serving."""
    try:
        return await handler(request)
    except BadRequest as exc:
        return _json_error(400, str(exc))
    except StorageError as exc:
        return _json_error(503, str(exc))
    except web.HTTPException as exc:
        if exc.status >= 400 and request.path.startswith("/api/"):
            return _json_error(exc.status, exc.reason)
        raise
    except asyncio.CancelledError:
        raise
    except Exception:
        log.exception("event=http_error path=%s", request.path)
        return _json_error(500, "internal error; the message was stored and will not be lost")


def _api_key(settings: Settings) -> Any:
    expected = settings.api_key.get_secret_value().encode() if settings.api_key else None

    @web.middleware
    async def check(request: web.Request, handler: Handler) -> web.StreamResponse:
        if expected is not None and request.path.startswith("/api/"):
            given = request.headers.get("Authorization", "")
            token = given[7:].encode() if given.startswith("Bearer ") else b""
            if not hmac.compare_digest(token, expected):
                return _json_error(401, "missing or wrong API key: send Authorization: Bearer <KEFU_API_KEY>")
        return await handler(request)

    return check


# ------------------------------------------------------------------ health and pages


async def healthz(request: web.Request) -> web.Response:
    """200 once start-up finished (the server only listens after that), with the worker's process id."""
    return web.json_response({"status": "ok", "pid": os.getpid()})


CHAT_PAGE = web.AppKey("chat_page", str)


def _render_chat_page(settings: Settings) -> str:
    """chat.html with the shop's name (escaped) in its title and meta tag."""
    page = (STATIC / "chat.html").read_text(encoding="utf-8")
    name = html.escape(settings.shop_name, quote=True)
    return page.replace('content="暖暖衣橱"', f'content="{name}"').replace("<title>暖暖衣橱", f"<title>{name}")


async def chat_page(request: web.Request) -> web.Response:
    return web.Response(
        text=request.app[CHAT_PAGE], content_type="text/html", charset="utf-8", headers={"Cache-Control": "no-cache"}
    )


async def _no_stale_static(request: web.Request, response: web.StreamResponse) -> None:
    if request.path.startswith("/static/"):
        response.headers["Cache-Control"] = "no-cache"  # revalidate: an upgrade never mixes old JS with a new page


# ------------------------------------------------------------------ REST channel


async def post_message(request: web.Request) -> web.Response:
    """``POST /api/messages``: one customer message in, the bot's replies out (CONTRACT.md)."""
    try:
        body = await request.json(loads=json.loads)
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise BadRequest("the body must be JSON: {\"customer\": \"<id>\", \"text\": \"<message>\"}") from None
    if not isinstance(body, dict):
        raise BadRequest("the body must be a JSON object with customer and text")
    customer = body.get("customer")
    if not isinstance(customer, str | int) or isinstance(customer, bool) or not str(customer).strip():
        raise BadRequest("customer is required: a non-empty string id")
    text = body.get("text")
    if not isinstance(text, str):
        raise BadRequest("text is required and must be a string")
    if len(text) > MAX_TEXT:
        raise BadRequest(f"text is longer than {MAX_TEXT} characters")
    message_id = body.get("message_id")
    if message_id is not None and (isinstance(message_id, bool) or not isinstance(message_id, str | int)):
        raise BadRequest("message_id, when given, must be a string or a number")
    inbound = Inbound(
        channel="rest", customer=str(customer).strip(), text=text,
        message_id=str(message_id) if message_id is not None else None, image=decode_image(body.get("image")),
    )
    outcome = await request.app[SERVICES].engine.handle(inbound)
    return web.json_response(outcome.as_json(), dumps=_dumps)


async def get_messages(request: web.Request) -> web.Response:
    """``GET /api/messages?customer=ID&after=N``: what was sent to the customer after seq N."""
    customer = request.query.get("customer", "").strip()
    if not customer:
        raise BadRequest("customer is required: /api/messages?customer=<id>&after=<n>")
    after = _after(request)
    replies = await request.app[SERVICES].engine.history("rest", customer, after)
    messages = [r.as_json() for r in replies]
    last = messages[-1]["seq"] if messages else after
    return web.json_response({"customer": customer, "messages": messages, "last_seq": last}, dumps=_dumps)


def _after(request: web.Request) -> int:
    raw = request.query.get("after", "0")
    if not raw.isdigit():
        raise BadRequest("after must be a whole number ≥ 0")
    return int(raw)


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _frame_limit(max_image_bytes: int) -> int:
    return max_image_bytes * 4 // 3 + 64 * 1024


def decode_image(value: object) -> bytes | None:
    """A photo sent as base64 (or a ``data:image/...;base64,`` URL); the engine checks its size and type.

    Raises:
        BadRequest: it is not a string of base64.
    """
    if value is None:
        return None
    if not isinstance(value, str) or not value:
        raise BadRequest("image, when given, must be a base64 string (or a data: URL) of a photo")
    if value.startswith("data:"):
        value = value.partition(",")[2]
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise BadRequest("image is not valid base64") from None


# ------------------------------------------------------------------ web chat


def _web_customer(request: web.Request) -> str:
    customer = request.query.get("customer", "")
    if not _WEB_CUSTOMER.match(customer):
        raise BadRequest("customer must be 8-64 letters, digits, - or _")
    return customer


async def chat_history(request: web.Request) -> web.Response:
    """The web chat's whole conversation (both ways), to redraw the page after a reload."""
    customer = _web_customer(request)
    messages = await request.app[SERVICES].engine.transcript("web", customer)
    return web.json_response({"messages": messages}, dumps=_dumps)


async def chat_socket(request: web.Request) -> web.WebSocketResponse:
    """The web chat's live connection.

    Client → server: ``{"type": "message", "id": "<client id>", "text": "...", "image": "<base64, optional>"}``.
    Server → client: ``{"type": "message", "seq", "text", "buttons", "from"}`` for everything sent to
    the customer (first everything after ``?after=N``, then live), ``{"type": "ack", "id", "seq",
    "stage", "status"}`` once a customer message is stored and answered, ``{"type": "error", "id",
    "error"}`` for input that cannot be accepted. The client id makes a resend after a reconnect
    harmless: it is answered once.
    """
    customer = _web_customer(request)
    after = _after(request)
    running = request.app[SERVICES]
    ws = web.WebSocketResponse(heartbeat=25, max_msg_size=_frame_limit(running.settings.max_image_bytes))
    await ws.prepare(request)
    key = ("web", customer)
    queue = running.hub.subscribe(key)
    sent: set[int] = set()

    async def pump() -> None:
        for reply in await running.engine.history("web", customer, after):
            await ws.send_json({"type": "message", **reply.as_json()}, dumps=_dumps)
            sent.add(reply.seq)
        while True:
            live = await queue.get()
            if live is None:  # fell behind: close, the page reconnects and catches up by seq
                await ws.close(code=1013, message=b"catch up")
                return
            if live.seq not in sent:
                await ws.send_json({"type": "message", **live.as_json()}, dumps=_dumps)
                sent.add(live.seq)

    pumping = asyncio.create_task(pump())
    try:
        async for frame in ws:
            if frame.type != WSMsgType.TEXT:
                continue
            await _chat_frame(ws, running, customer, frame.data)
    finally:
        pumping.cancel()
        with suppress(asyncio.CancelledError, ConnectionResetError):
            await pumping
        running.hub.unsubscribe(key, queue)
    return ws


async def _chat_frame(ws: web.WebSocketResponse, running: Services, customer: str, data: str) -> None:
    try:
        frame = json.loads(data)
    except json.JSONDecodeError:
        await ws.send_json({"type": "error", "error": "not JSON"})
        return
    if not isinstance(frame, dict) or frame.get("type") != "message":
        await ws.send_json({"type": "error", "error": "expected {type: message, id, text}"})
        return
    client_id, text = frame.get("id"), frame.get("text", "")
    try:
        if not isinstance(text, str):
            raise BadRequest("text must be a string")
        if client_id is not None and not isinstance(client_id, str):
            raise BadRequest("id must be a string")
        image = decode_image(frame.get("image"))
        outcome = await running.engine.handle(Inbound("web", customer, text, message_id=client_id, image=image))
    except (BadRequest, StorageError) as exc:
        await ws.send_json({"type": "error", "id": client_id, "error": str(exc)}, dumps=_dumps)
        return
    await ws.send_json(
        {"type": "ack", "id": client_id, "seq": outcome.inbound_seq, "stage": outcome.stage, "status": outcome.status,
         "replies": [r.seq for r in outcome.replies]},
        dumps=_dumps,
    )
    if outcome.duplicate:
        for reply in outcome.replies:  # the first delivery may have been lost with the old socket
            await ws.send_json({"type": "message", **reply.as_json()}, dumps=_dumps)
