"""The HTTP side: one app factory, the REST channel, the web chat and health.

``create_app(settings)`` builds the app; start-up and shutdown belong to one cleanup context
(:func:`bot.engine.services.open_services`). Tests build the same app with a test database.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import hmac
import html
import ipaddress
import json
import logging
import os
import re
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import suppress
from pathlib import Path
from typing import Any

from aiohttp import WSCloseCode, WSMsgType, web
from sqlalchemy.exc import SQLAlchemyError

from bot.admin.report import report_routes
from bot.channels.invoices import invoice_routes
from bot.channels.warehouse import warehouse_routes
from bot.config import Settings
from bot.desk.auth import Clock, auth_routes
from bot.desk.console import console_routes
from bot.desk.evidence import evidence_routes
from bot.engine.engine import Classifier
from bot.engine.envelope import Inbound, storable
from bot.engine.services import Services, open_services
from bot.errors import BadRequest, StorageError
from bot.logsafe import quiet_client_errors
from bot.web.edge import ChatFrame, MessageBody, json_body, text_param, validated, whole_number
from bot.web.limits import refuse_chat_frame, rest_limits, sender_address

log = logging.getLogger("kefu.http")
STATIC = Path(__file__).parent / "static"
SERVICES = web.AppKey("services", Services)
SETTINGS = web.AppKey("settings", Settings)
_WEB_CUSTOMER = re.compile(r"[A-Za-z0-9_-]{8,64}")

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
        middlewares=[_errors, _api_access(settings)], client_max_size=_frame_limit(settings.max_image_bytes)
    )
    app[SETTINGS] = settings
    quiet_client_errors()
    app[CHAT_PAGE] = _render_chat_page(settings)
    app.on_response_prepare.append(_response_headers)

    async def services(app: web.Application) -> AsyncIterator[None]:
        async with open_services(settings, classifier=classifier, clock=clock) as running:
            app[SERVICES] = running
            yield

    app.cleanup_ctx.append(services)
    app.middlewares.append(rest_limits(SERVICES))
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
    except SQLAlchemyError as exc:  # a read, or a write outside the engine: nothing was changed
        log.error("event=storage_error path=%s error=%s", request.path, type(exc).__name__)
        return _json_error(503, "the database is not available right now; nothing was changed — please try again")
    except web.HTTPException as exc:
        if exc.status >= 400 and request.path.startswith("/api/"):
            return _json_error(exc.status, exc.reason)
        raise
    except asyncio.CancelledError:
        raise
    except Exception:
        log.exception("event=http_error path=%s", request.path)
        return _json_error(500, "internal error; it has been logged")


def _api_access(settings: Settings) -> Any:
    """Who may call ``/api/*``: with ``KEFU_API_KEY``, callers that send it; ``/api/shipping`` also callers that send
    ``KEFU_WAREHOUSE_KEY`` (and, once that is set, only they or the API key). Without an API key, loopback
    clients only — unless ``KEFU_API_OPEN`` opens it to everyone (``serve`` refuses a non-loopback address without
    one of the two)."""
    api_key = settings.api_key.get_secret_value().encode() if settings.api_key else None
    warehouse_key = settings.warehouse_key.get_secret_value().encode() if settings.warehouse_key else None

    @web.middleware
    async def check(request: web.Request, handler: Handler) -> web.StreamResponse:
        if not request.path.startswith("/api/"):
            return await handler(request)
        token = _bearer(request.headers.get("Authorization", ""))
        if api_key is not None and hmac.compare_digest(token, api_key):
            return await handler(request)
        if warehouse_key is not None and request.path.startswith("/api/shipping"):
            if hmac.compare_digest(token, warehouse_key):
                return await handler(request)
            return _json_error(401, "missing or wrong key: send Authorization: Bearer <KEFU_WAREHOUSE_KEY>")
        if api_key is not None:
            return _json_error(401, "missing or wrong API key: send Authorization: Bearer <KEFU_API_KEY>")
        if not settings.api_open and not _from_loopback(request):
            return _json_error(403, "the REST API takes calls from this machine only: set KEFU_API_KEY")
        return await handler(request)

    return check


def _bearer(header: str) -> bytes:
    """The token of an ``Authorization: Bearer <token>`` header (the scheme in any case, RFC 9110); empty if none."""
    scheme, _, token = header.strip().partition(" ")
    return token.strip().encode() if scheme.lower() == "bearer" else b""


def _from_loopback(request: web.Request) -> bool:
    try:
        return ipaddress.ip_address(request.remote or "").is_loopback
    except ValueError:
        return False


# ------------------------------------------------------------------ health and pages


async def healthz(request: web.Request) -> web.Response:
    """200 ``{"status": "ok"}`` (CONTRACT.md) once start-up finished (the server only listens after that) and while
    the database answers a trivial query within a couple of seconds; 503 while it does not. The worker that answered
    is named in the ``X-Kefu-Worker`` header (its process id), keeping the body as the contract has it."""
    worker = {"X-Kefu-Worker": str(os.getpid())}
    if not await request.app[SERVICES].db.ping():
        return web.json_response({"status": "unavailable", "reason": "the database does not answer"}, status=503,
                                 headers=worker)
    return web.json_response({"status": "ok"}, headers=worker)


CHAT_PAGE = web.AppKey("chat_page", str)


def _render_chat_page(settings: Settings) -> str:
    """chat.html with the shop's name (escaped) in its title and meta tag."""
    page = (STATIC / "chat.html").read_text(encoding="utf-8")
    name = html.escape(settings.shop_name, quote=True)
    return page.replace('content="暖暖衣橱"', f'content="{name}"').replace("<title>暖暖衣橱", f"<title>{name}")


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


async def chat_page(request: web.Request) -> web.Response:
    return web.Response(
        text=request.app[CHAT_PAGE], content_type="text/html", charset="utf-8", headers=_CHAT_PAGE_HEADERS
    )


async def _response_headers(request: web.Request, response: web.StreamResponse) -> None:
    response.headers.setdefault("X-Content-Type-Options", "nosniff")  # no response is ever sniffed into a script
    if request.path.startswith("/static/"):
        response.headers["Cache-Control"] = "no-cache"  # revalidate: an upgrade never mixes old JS with a new page


# ------------------------------------------------------------------ REST channel


async def post_message(request: web.Request) -> web.Response:
    """``POST /api/messages``: one customer message in, the bot's replies out (CONTRACT.md)."""
    body = validated(MessageBody, await json_body(request, example='{"customer": "<id>", "text": "<message>"}'))
    inbound = Inbound(
        channel="rest", customer=body.customer, text=body.text, message_id=body.message_id,
        image=decode_image(body.image),
    )
    outcome = await request.app[SERVICES].engine.handle(inbound)
    return web.json_response(outcome.as_json(), dumps=_dumps)


async def get_messages(request: web.Request) -> web.Response:
    """``GET /api/messages?customer=ID&after=N``: what was sent to the customer after seq N."""
    customer = text_param(request.query.get("customer", ""), "customer (/api/messages?customer=<id>&after=<n>)")
    after = _after(request)
    replies = await request.app[SERVICES].engine.history("rest", customer, after)
    messages = [r.as_json() for r in replies]
    last = messages[-1]["seq"] if messages else after
    return web.json_response({"customer": customer, "messages": messages, "last_seq": last}, dumps=_dumps)


def _after(request: web.Request) -> int:
    return whole_number(request.query.get("after", "0"), "after")


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
    if not _WEB_CUSTOMER.fullmatch(customer):
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
            if frame.type != WSMsgType.TEXT or await refuse_chat_frame(ws, running, customer, address, frame.data):
                continue
            try:
                await _chat_frame(ws, running, customer, frame.data)
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


async def _chat_frame(ws: web.WebSocketResponse, running: Services, customer: str, data: str) -> None:
    client_id: str | None = None
    try:
        raw = json.loads(data)
        client_id = raw.get("id") if isinstance(raw, dict) and isinstance(raw.get("id"), str) else None
        frame = validated(ChatFrame, raw)
        image = decode_image(frame.image)
        outcome = await running.engine.handle(Inbound("web", customer, frame.text, message_id=frame.id, image=image))
    except (ValueError, RecursionError) as exc:  # not JSON, too deep, a number too long; BadRequest is a ValueError
        reason = str(exc) if isinstance(exc, BadRequest) else "not JSON"
        await ws.send_json({"type": "error", "id": _echo(client_id), "error": reason}, dumps=_dumps)
        return
    except StorageError as exc:
        await ws.send_json({"type": "error", "id": _echo(client_id), "error": str(exc)}, dumps=_dumps)
        return
    await ws.send_json(
        {"type": "ack", "id": client_id, "seq": outcome.inbound_seq, "stage": outcome.stage, "status": outcome.status,
         "replies": [r.seq for r in outcome.replies]},
        dumps=_dumps,
    )
    if outcome.duplicate:
        for reply in outcome.replies:  # the first delivery may have been lost with the old socket
            await ws.send_json({"type": "message", **reply.as_json()}, dumps=_dumps)


def _echo(client_id: str | None) -> str | None:
    """The client's id echoed in an error frame, when it can be (short and encodable)."""
    return client_id if client_id is not None and len(client_id) <= 128 and storable(client_id) else None
