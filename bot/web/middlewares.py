"""The app's middlewares, in the order a request meets them: errors as JSON, who may call ``/api/*``, the rate limit
of ``POST /api/messages``; then the desk's login guard (:mod:`bot.desk.guard`). And the headers every response gets.
"""

from __future__ import annotations

import asyncio
import hmac
import ipaddress
import logging

from aiohttp import web
from aiohttp.typedefs import Handler, Middleware
from sqlalchemy.exc import SQLAlchemyError

from bot.config import Settings
from bot.errors import BadRequest, StorageError
from bot.web.edge import json_body
from bot.web.keys import SERVICES
from bot.web.limits import sender_address
from bot.web.responses import json_response

log = logging.getLogger("kefu.http")
limits_log = logging.getLogger("kefu.limits")


def json_error(status: int, reason: str) -> web.Response:
    """``{"error": reason}`` with ``status``."""
    return json_response({"error": reason}, status=status)


@web.middleware
async def errors(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Every failure becomes a clear JSON error; the server keeps serving."""
    try:
        return await handler(request)
    except BadRequest as exc:
        return json_error(400, str(exc))
    except StorageError as exc:
        return json_error(503, str(exc))
    except SQLAlchemyError as exc:  # a read, or a write outside the engine: nothing was changed
        log.error("event=storage_error path=%s error=%s", request.path, type(exc).__name__)
        return json_error(503, "the database is not available right now; nothing was changed — please try again")
    except web.HTTPException as exc:
        if exc.status >= 400 and request.path.startswith("/api/"):
            return json_error(exc.status, exc.reason)
        raise
    except asyncio.CancelledError:
        raise
    except Exception:
        log.exception("event=http_error path=%s", request.path)
        return json_error(500, "internal error; it has been logged")


def api_access(settings: Settings) -> Middleware:
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
            return json_error(401, "missing or wrong key: send Authorization: Bearer <KEFU_WAREHOUSE_KEY>")
        if api_key is not None:
            return json_error(401, "missing or wrong API key: send Authorization: Bearer <KEFU_API_KEY>")
        if not settings.api_open and not _from_loopback(request):
            return json_error(403, "the REST API takes calls from this machine only: set KEFU_API_KEY")
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


@web.middleware
async def rest_limits(request: web.Request, handler: Handler) -> web.StreamResponse:
    """``POST /api/messages`` over the limit (:class:`bot.web.limits.MessageLimits`) → 429 with ``Retry-After`` and
    ``{"error", "reason": "rate_limited", "retry_after", "reply"}``; the message was not handled (nor stored) and may
    be sent again. Malformed bodies pass on to the handler, which says what is wrong."""
    if request.method != "POST" or request.path != "/api/messages":
        return await handler(request)
    running = request.app[SERVICES]
    limits = running.limits
    if not limits.enabled:
        return await handler(request)
    try:
        body = await json_body(request, example="")  # parsed once: the handler reads the same
    except BadRequest:  # not JSON, not UTF-8, too deep, a number too long: the handler says so
        return await handler(request)
    customer = body.get("customer") if isinstance(body, dict) else None
    if not isinstance(customer, str | int) or isinstance(customer, bool) or not str(customer).strip():
        return await handler(request)
    keyed = running.settings.api_key is not None  # the shop's backend: one address for all its customers
    address = None if keyed else sender_address(request, limits.trust_forwarded)
    refusal = limits.admit("rest", str(customer).strip(), address)
    if refusal is None:
        return await handler(request)
    limits_log.info("event=rate_limited channel=rest retry_after=%.1f", refusal.retry_after)
    reply = limits.polite()
    return json_response(
        {"error": f"too many messages: this one was not handled; send it again in {refusal.retry_seconds} s",
         "reason": "rate_limited", "retry_after": refusal.retry_seconds, "reply": reply},
        status=429, headers={"Retry-After": str(refusal.retry_seconds)},
    )


async def response_headers(request: web.Request, response: web.StreamResponse) -> None:
    """(An ``on_response_prepare`` signal.) No response is ever sniffed into a script; static files are revalidated,
    so an upgrade never mixes old JS with a new page."""
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    if request.path.startswith("/static/"):
        response.headers["Cache-Control"] = "no-cache"
