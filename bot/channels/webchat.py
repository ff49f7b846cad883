"""The web chat: the page (``/``), its history (``/chat/history``) and its live socket (``/chat/ws``).

A customer is a random id the page keeps (8–64 letters, digits, ``-`` or ``_``). Every frame is checked against
the rate limits before it is handled (:class:`bot.web.limits.MessageLimits`); what the bot and the agents send the
customer reaches the socket through the hub, after each commit, and a reconnecting page catches up by seq.
"""

from __future__ import annotations

import asyncio
import html
import logging
import re
from contextlib import suppress

from aiohttp import WSCloseCode, WSMsgType, web
from sqlalchemy.exc import SQLAlchemyError

from bot.config import Settings
from bot.engine.envelope import MAX_MESSAGE_ID, Inbound, storable
from bot.engine.services import Services
from bot.errors import BadRequest, StorageError
from bot.web.edge import ChatFrame, after_seq, body_limit, decode_image, json_text, validated
from bot.web.keys import CHAT_PAGE, SERVICES
from bot.web.limits import Refusal, sender_address
from bot.web.responses import STATIC, dumps, json_response

log = logging.getLogger("kefu.http")
limits_log = logging.getLogger("kefu.limits")
_WEB_CUSTOMER = re.compile(r"[A-Za-z0-9_-]{8,64}")
_NOT_JSON = object()  # a frame that could not be parsed

# The web chat runs its own script and styles, talks to its socket and history, and shows photos the customer picked
# (data:/blob: URLs); nothing else, and no other site may frame it.
_CHAT_PAGE_HEADERS = {
    "Cache-Control": "no-cache",
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; connect-src 'self'; "
        "img-src 'self' data: blob:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    ),
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
}


def render_chat_page(settings: Settings) -> str:
    """chat.html with the shop's name (escaped) in its title and meta tag."""
    page = (STATIC / "chat.html").read_text(encoding="utf-8")
    name = html.escape(settings.shop_name, quote=True)
    return page.replace('content="暖暖衣橱"', f'content="{name}"').replace("<title>暖暖衣橱", f"<title>{name}")


async def chat_page(request: web.Request) -> web.Response:
    """``GET /``: the web chat's page."""
    return web.Response(
        text=request.app[CHAT_PAGE], content_type="text/html", charset="utf-8", headers=_CHAT_PAGE_HEADERS
    )


def _web_customer(request: web.Request) -> str:
    customer = request.query.get("customer", "")
    if not _WEB_CUSTOMER.fullmatch(customer):
        raise BadRequest("customer must be 8-64 letters, digits, - or _")
    return customer


async def chat_history(request: web.Request) -> web.Response:
    """``GET /chat/history?customer=ID``: the web chat's whole conversation (both ways), to redraw the page after a
    reload.

    :raise 400: the customer id is not one the page makes.
    """
    customer = _web_customer(request)
    messages = await request.app[SERVICES].engine.transcript("web", customer)
    return json_response({"messages": messages})


async def chat_socket(request: web.Request) -> web.WebSocketResponse:
    """``GET /chat/ws?customer=ID&after=N``: the web chat's live connection.

    Client → server: ``{"type": "message", "id": "<client id>", "text": "...", "image": "<base64, optional>"}``.
    Server → client: ``{"type": "message", "seq", "text", "buttons", "from"}`` for everything sent to
    the customer (first everything after ``?after=N``, then live), ``{"type": "ack", "id", "seq",
    "stage", "status"}`` once a customer message is stored and answered, ``{"type": "error", "id",
    "error"}`` for input that cannot be accepted. The client id makes a resend after a reconnect
    harmless: it is answered once.
    """
    customer = _web_customer(request)
    after = after_seq(request)
    running = request.app[SERVICES]
    ws = web.WebSocketResponse(heartbeat=25, max_msg_size=body_limit(running.settings.max_image_bytes))
    await ws.prepare(request)
    key = ("web", customer)
    address = sender_address(request, running.settings.trust_x_forwarded_for)
    queue = running.hub.subscribe(key)
    sent: set[int] = set()

    async def pump() -> None:
        try:
            await deliver()
        except (SQLAlchemyError, StorageError) as exc:  # the page reconnects and catches up by seq
            log.warning("event=chat_pump_failed error=%s", type(exc).__name__)
            await ws.close(code=WSCloseCode.TRY_AGAIN_LATER, message=b"database unavailable")

    async def deliver() -> None:
        for reply in await running.engine.history("web", customer, after):
            await ws.send_json({"type": "message", **reply.as_json()}, dumps=dumps)
            sent.add(reply.seq)
        while True:
            live = await queue.get()
            if live is None:  # fell behind: close, the page reconnects and catches up by seq
                await ws.close(code=1013, message=b"catch up")
                return
            if live.seq not in sent:
                await ws.send_json({"type": "message", **live.as_json()}, dumps=dumps)
                sent.add(live.seq)

    pumping = asyncio.create_task(pump())
    try:
        async for frame in ws:
            if frame.type != WSMsgType.TEXT:
                continue
            refusal = running.limits.admit("web", customer, address)  # before the frame is read any further
            raw = _parsed(frame.data)
            if refusal is not None:
                await _refuse(ws, running, refusal, raw)
                continue
            try:
                await _chat_frame(ws, running, customer, raw)
            except (ConnectionResetError, asyncio.CancelledError):
                raise
            except Exception:  # never an HTTP response into the upgraded socket: an error frame, and keep serving
                log.exception("event=chat_frame_failed")
                await ws.send_json({"type": "error", "error": "internal error; it has been logged — please try again"})
    except ConnectionResetError:
        pass
    finally:
        pumping.cancel()
        with suppress(asyncio.CancelledError, ConnectionResetError):
            await pumping
        running.hub.unsubscribe(key, queue)
    return ws


def _parsed(data: str) -> object:
    """A frame's JSON, or ``_NOT_JSON``."""
    try:
        return json_text(data)
    except BadRequest:
        return _NOT_JSON


def _client_id(raw: object) -> str | None:
    """The client's id of a parsed frame, when it can be echoed back (a short, storable string)."""
    client_id = raw.get("id") if isinstance(raw, dict) else None
    return client_id if isinstance(client_id, str) and len(client_id) <= MAX_MESSAGE_ID and storable(client_id) else None


async def _refuse(ws: web.WebSocketResponse, running: Services, refusal: Refusal, raw: object) -> None:
    """A frame over the rate limit: ``{"type": "error", "id", "error", "reason": "rate_limited", "retry_after",
    "reply"}`` (the page keeps the text for the customer to send again); the frame is not handled."""
    limits_log.info("event=rate_limited channel=web retry_after=%.1f", refusal.retry_after)
    await ws.send_json(
        {"type": "error", "id": _client_id(raw), "error": "too many messages: not sent", "reason": "rate_limited",
         "retry_after": refusal.retry_seconds, "reply": running.limits.polite()},
        dumps=dumps,
    )


async def _chat_frame(ws: web.WebSocketResponse, running: Services, customer: str, raw: object) -> None:
    client_id = raw.get("id") if isinstance(raw, dict) and isinstance(raw.get("id"), str) else None
    try:
        if raw is _NOT_JSON:
            raise BadRequest("not JSON")
        frame = validated(ChatFrame, raw)
        image = decode_image(frame.image)
        outcome = await running.engine.handle(Inbound("web", customer, frame.text, message_id=frame.id, image=image))
    except (ValueError, RecursionError) as exc:  # not JSON, too deep, a number too long; BadRequest is a ValueError
        reason = str(exc) if isinstance(exc, BadRequest) else "not JSON"
        await ws.send_json({"type": "error", "id": _client_id(raw), "error": reason}, dumps=dumps)
        return
    except StorageError as exc:
        await ws.send_json({"type": "error", "id": _client_id(raw), "error": str(exc)}, dumps=dumps)
        return
    await ws.send_json(
        {"type": "ack", "id": client_id, "seq": outcome.inbound_seq, "stage": outcome.stage, "status": outcome.status,
         "replies": [r.seq for r in outcome.replies]},
        dumps=dumps,
    )
    if outcome.duplicate:
        for reply in outcome.replies:  # the first delivery may have been lost with the old socket
            await ws.send_json({"type": "message", **reply.as_json()}, dumps=dumps)


def setup_routes(app: web.Application) -> None:
    """Add ``/`` (the page), ``/chat/history`` and ``/chat/ws``."""
    app.router.add_get("/", chat_page)
    app.router.add_get("/chat/history", chat_history)
    app.router.add_get("/chat/ws", chat_socket)
