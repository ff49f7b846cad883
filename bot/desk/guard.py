"""The login guard: one middleware over ``/login``, ``/logout``, ``/agent*`` and ``/admin*`` — a login for the desk, the
admin role for ``/admin``, and a CSRF token on every state-changing request. A route added later under ``/agent``
or ``/admin`` is guarded the same way without further work.

CSRF: every state-changing request (anything but GET/HEAD/OPTIONS/TRACE) whose path starts with ``/login``,
``/logout``, ``/agent`` or ``/admin`` must carry a token, in the form field ``csrf_token`` or the ``X-CSRF-Token``
header, or it is refused with 403:

- logged in: the session's synchronizer token (random, stored with the session, written into each page);
- the login form itself (no session yet): a double-submit token, the same random value in the
  ``kefu_login_csrf`` cookie (HttpOnly, SameSite=Strict, Path=/login) and in the form's hidden field.

``/api/*`` (bearer key) and ``/chat/*`` (customers) are outside its scope.
"""

from __future__ import annotations

import hmac
import logging

from aiohttp import web
from aiohttp.typedefs import Handler

from bot.desk.pages import LOGIN_CSRF_COOKIE
from bot.desk.sessions import SESSION_COOKIE, TOKEN, Login
from bot.web.edge import form_field
from bot.web.keys import AUTH, LOGIN, PAGES, SERVICES
from bot.web.responses import redirect

log = logging.getLogger("kefu.auth")

CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
CSRF_SCOPE = ("/login", "/logout", "/agent", "/admin")


@web.middleware
async def guard(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Let a request in scope through only with a login (and the admin role under ``/admin``) and, unless it is
    safe, its CSRF token; sets ``request[LOGIN]`` for a live session.

    :raise 303: to ``/login`` under ``/agent`` or ``/admin`` without a login.
    :raise 403: a state-changing request without its token (a page saying so), or an agent under ``/admin``.
    """
    path = request.path
    if not path.startswith(CSRF_SCOPE):
        return await handler(request)
    pages = request.app[PAGES]
    unsafe = request.method not in SAFE_METHODS
    if path.startswith("/login"):
        if unsafe and not await _login_csrf_ok(request):
            log.warning("event=csrf_rejected path=%s", path)
            return pages.login(request, error="页面已过期，请重新输入并登录。", status=403)
        return await handler(request)
    login = await request.app[AUTH].current(request.app[SERVICES].db, request.cookies.get(SESSION_COOKIE))
    if login is not None:
        request[LOGIN] = login
    if unsafe and (login is None or not await _session_csrf_ok(request, login)):
        log.warning("event=csrf_rejected path=%s", path)
        return pages.notice(
            403, "请求被拒绝", "页面已过期或登录已失效（缺少有效的安全令牌）。请重新打开页面后再试。", ("/login", "重新登录")
        )
    if path.startswith(("/agent", "/admin")):
        if login is None:
            return redirect("/login")
        if path.startswith("/admin") and not login.is_admin:
            return pages.notice(403, "没有权限", "此页面仅限管理员访问。", ("/agent", "返回客服工作台"))
    return await handler(request)


async def _login_csrf_ok(request: web.Request) -> bool:
    cookie = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    return bool(TOKEN.match(cookie)) and hmac.compare_digest(await _given_csrf(request), cookie.encode())


async def _session_csrf_ok(request: web.Request, login: Login) -> bool:
    return hmac.compare_digest(await _given_csrf(request), login.csrf_token.encode())


async def _given_csrf(request: web.Request) -> bytes:
    given = request.headers.get(CSRF_HEADER)
    if given is None and request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        given = form_field(await request.post(), CSRF_FIELD)  # aiohttp keeps the parsed form for the handler
    return (given or "").encode()
