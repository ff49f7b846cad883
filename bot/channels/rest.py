"""The REST channel (CONTRACT.md): ``POST /api/messages`` — one customer message in, the bot's replies out — and
``GET /api/messages?customer=ID&after=N`` — what was sent to the customer after seq N, for a client that polls.

Both sit under ``/api/``, so the app's access middleware (:func:`bot.web.middlewares.api_access`) decides who may
call them, and ``POST`` is rate limited before it is read (:func:`bot.web.middlewares.rest_limits`).
"""

from __future__ import annotations

from aiohttp import web

from bot.engine.envelope import Inbound
from bot.web.edge import MessageBody, after_seq, decode_image, json_body, text_param, validated
from bot.web.keys import SERVICES
from bot.web.responses import json_response


async def post_message(request: web.Request) -> web.Response:
    """``POST /api/messages``: one customer message in, the bot's replies out (CONTRACT.md).

    :raise 400: the body is not a message (the reason says why).
    :raise 503: the database failed; nothing was stored.
    """
    body = validated(MessageBody, await json_body(request, example='{"customer": "<id>", "text": "<message>"}'))
    inbound = Inbound(
        channel="rest", customer=body.customer, text=body.text, message_id=body.message_id,
        image=decode_image(body.image),
    )
    outcome = await request.app[SERVICES].engine.handle(inbound)
    return json_response(outcome.as_json())


async def get_messages(request: web.Request) -> web.Response:
    """``GET /api/messages?customer=ID&after=N``: what was sent to the customer after seq N.

    :raise 400: no customer, or ``after`` is not a whole number.
    """
    customer = text_param(request.query.get("customer", ""), "customer (/api/messages?customer=<id>&after=<n>)")
    after = after_seq(request)
    replies = await request.app[SERVICES].engine.history("rest", customer, after)
    messages = [r.as_json() for r in replies]
    last = messages[-1]["seq"] if messages else after
    return json_response({"customer": customer, "messages": messages, "last_seq": last})


def setup_routes(app: web.Application) -> None:
    """Add ``POST`` and ``GET /api/messages``."""
    app.router.add_post("/api/messages", post_message)
    app.router.add_get("/api/messages", get_messages)
