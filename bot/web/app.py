"""The app factory: ``create_app(settings)`` builds the whole web app — its state under the typed keys of
:mod:`bot.web.keys`, the middlewares, and each area's routes — and health.

Start-up and shutdown belong to one cleanup context (:func:`bot.engine.services.open_services`). Tests build the same
app with a test database. Each area registers its own module-level handlers (``setup_routes``): the REST channel,
the web chat, the warehouse's and the invoices' APIs, the desk's pages, console and evidence, and the admins' report.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator

from aiohttp import web

from bot.admin import report
from bot.channels import invoices, rest, warehouse, webchat
from bot.config import Settings
from bot.desk import console, evidence, pages
from bot.desk.guard import guard
from bot.desk.pages import Pages
from bot.desk.sessions import Auth
from bot.engine.engine import Classifier
from bot.engine.services import open_services
from bot.logsafe import quiet_client_errors
from bot.web.edge import body_limit
from bot.web.keys import AUTH, CHAT_PAGE, CLOCK, PAGES, SERVICES, SETTINGS
from bot.web.middlewares import api_access, errors, response_headers, rest_limits
from bot.web.responses import STATIC, json_response
from models import Clock, utcnow


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
        middlewares=[errors, api_access(settings), rest_limits, guard], client_max_size=body_limit(settings.max_image_bytes)
    )
    app[SETTINGS] = settings
    app[CLOCK] = clock or utcnow
    quiet_client_errors()
    app[CHAT_PAGE] = webchat.render_chat_page(settings)
    app[AUTH] = Auth(settings, clock=clock or utcnow)
    app[PAGES] = Pages(settings.shop_name)
    app.on_response_prepare.append(response_headers)

    async def services(app: web.Application) -> AsyncIterator[None]:
        async with open_services(settings, classifier=classifier, clock=clock) as running:
            app[SERVICES] = running
            yield

    app.cleanup_ctx.append(services)
    app.router.add_get("/healthz", healthz)
    app.router.add_static("/static/", STATIC)
    for area in (webchat, rest, warehouse, invoices, pages, console, evidence, report):
        area.setup_routes(app)
    return app


async def healthz(request: web.Request) -> web.Response:
    """200 ``{"status": "ok"}`` (CONTRACT.md) once start-up finished (the server only listens after that) and while
    the database answers a trivial query within a couple of seconds; 503 while it does not. The worker that answered
    is named in the ``X-Kefu-Worker`` header (its process id), keeping the body as the contract has it."""
    worker = {"X-Kefu-Worker": str(os.getpid())}
    if not await request.app[SERVICES].db.ping():
        return json_response({"status": "unavailable", "reason": "the database does not answer"}, status=503,
                             headers=worker)
    return json_response({"status": "ok"}, headers=worker)
