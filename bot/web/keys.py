"""Every typed key of the web app and of its requests, in one module.

``app[SERVICES]`` is a :class:`~bot.engine.services.Services` to mypy because the key says so; handlers read only
these keys, never string keys or module globals. The types are imported for the type checker alone, so that any
module (the factory, a channel, the desk's pages, which the keys name) may import its keys without an import cycle.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from aiohttp import web

if TYPE_CHECKING:
    from bot.config import Settings
    from bot.desk.pages import Pages
    from bot.desk.sessions import Auth, Login
    from bot.engine.services import Services
    from models import Clock

#: The validated settings (set by the factory).
SETTINGS: web.AppKey[Settings] = web.AppKey("settings")
#: The running services (set by the cleanup context once start-up has finished).
SERVICES: web.AppKey[Services] = web.AppKey("services")
#: The current time for logins, sessions, the console and the report (aware UTC; tests move it).
CLOCK: web.AppKey[Clock] = web.AppKey("clock")
#: The web chat's page with the shop's name in it, rendered once.
CHAT_PAGE = web.AppKey("chat_page", str)
#: Logins, sessions and the lock-out rule.
AUTH: web.AppKey[Auth] = web.AppKey("auth")
#: The login, console and notice pages (templates read once).
PAGES: web.AppKey[Pages] = web.AppKey("pages")

#: Who is logged in on this request (set by the guard, under ``/logout``, ``/agent`` and ``/admin``).
LOGIN: web.RequestKey[Login] = web.RequestKey("login")
#: The request's JSON body once parsed (the rate limiter and the handler share one reading).
JSON_BODY = web.RequestKey("json_body", object)
