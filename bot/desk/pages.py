"""The login routes and the desk's HTML pages: ``/login`` (the form and its submission), ``/logout``, ``/agent``
(the console's page) and ``/admin`` (the admins' landing page).

The pages are templates under ``bot/web/static/`` (``login.html``, ``agent.html``) with ``{{key}}`` placeholders,
every value HTML-escaped, and a plain notice page for refusals. The guard (:mod:`bot.desk.guard`) has already let
each request through: a POST carries its CSRF token; ``/logout``, ``/agent`` and ``/admin`` a live session.
"""

from __future__ import annotations

import datetime as dt
import html
import logging
import math
import re
import secrets
from collections.abc import Mapping

from aiohttp import web

from bot.desk.accounts import MAX_PASSWORD, quoted
from bot.desk.presence import publish
from bot.desk.sessions import SESSION_COOKIE, TOKEN, Login, LoginResult
from bot.web.edge import form_field
from bot.web.keys import AUTH, LOGIN, PAGES, SERVICES
from bot.web.limits import client_address
from bot.web.responses import PAGE_HEADERS, STATIC, html_page, redirect
from models import as_utc

log = logging.getLogger("kefu.auth")

LOGIN_CSRF_COOKIE = "kefu_login_csrf"
WRONG_CREDENTIALS = "用户名或密码不正确"
ROLE_LABELS = {"agent": "客服", "admin": "管理员"}
_PLACEHOLDER = re.compile(r"\{\{(\w+)\}\}")
# The agents' console runs its own script (static/agent.js) and talks to its API and queue socket.
AGENT_PAGE_HEADERS: Mapping[str, str] = {
    **PAGE_HEADERS,
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; connect-src 'self'; "
        "img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    ),
}


class Pages:
    """The login, agent and notice pages: templates under ``static/``, every value HTML-escaped."""

    def __init__(self, shop_name: str) -> None:
        self._shop = shop_name
        self._login = (STATIC / "login.html").read_text(encoding="utf-8")
        self._agent = (STATIC / "agent.html").read_text(encoding="utf-8")

    def login(self, request: web.Request, *, error: str = "", name: str = "", status: int = 200) -> web.Response:
        """The login form, with a double-submit CSRF token (kept from the ``kefu_login_csrf`` cookie, else new)."""
        token = request.cookies.get(LOGIN_CSRF_COOKIE, "")
        if not TOKEN.match(token):
            token = secrets.token_urlsafe(32)
        response = html_page(render(self._login, shop=self._shop, csrf=token, error=error, name=name), status)
        response.set_cookie(
            LOGIN_CSRF_COOKIE, token, path="/login", httponly=True, samesite="Strict", secure=is_https(request)
        )
        return response

    def agent(self, login: Login) -> web.Response:
        return html_page(render(
            self._agent, shop=self._shop, name=login.name, role=login.role, role_label=ROLE_LABELS[login.role],
            csrf=login.csrf_token,
        ), headers=AGENT_PAGE_HEADERS)

    def notice(self, status: int, title: str, message: str, link: tuple[str, str]) -> web.Response:
        href, label = (html.escape(part, quote=True) for part in link)
        page = (
            '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{html.escape(title)} · {html.escape(self._shop)}</title>"
            "<style>body{font-family:system-ui,'PingFang SC','Microsoft YaHei',sans-serif;background:#f5f6f8;"
            "color:#222;display:flex;justify-content:center;padding:12vh 16px}main{background:#fff;border-radius:12px;"
            "box-shadow:0 2px 12px rgba(0,0,0,.08);padding:28px 32px;max-width:420px}h1{font-size:20px;margin:0 0 12px}"
            "a{color:#e4572e}</style></head><body><main>"
            f"<h1>{html.escape(title)}</h1><p>{html.escape(message)}</p><p><a href=\"{href}\">{label}</a></p>"
            "</main></body></html>"
        )
        return html_page(page, status)


def render(template: str, **values: str) -> str:
    """``{{key}}`` placeholders replaced in one pass by HTML-escaped values (a value is never re-read)."""
    return _PLACEHOLDER.sub(lambda m: html.escape(values[m.group(1)], quote=True), template)


def is_https(request: web.Request) -> bool:
    """Over https, directly or behind a proxy that says so (trusting the header can only add Secure)."""
    forwarded = request.headers.get("X-Forwarded-Proto", "").split(",")[0].strip().lower()
    return request.secure or forwarded == "https"


# ------------------------------------------------------------------ handlers


async def login_form(request: web.Request) -> web.StreamResponse:
    """``GET /login``: the form, or to the console when the browser is logged in already."""
    auth = request.app[AUTH]
    if await auth.current(request.app[SERVICES].db, request.cookies.get(SESSION_COOKIE)) is not None:
        return redirect("/agent")
    return request.app[PAGES].login(request)


async def login_submit(request: web.Request) -> web.StreamResponse:
    """``POST /login``: a session cookie and to the console, or the form again with the reason.

    :raise 400: no name or password, or a password no account can have.
    :raise 401: a wrong name or password, or a locked name (told when it may try again).
    :raise 429: too many attempts from this address (``Retry-After``); 503 when too many checks wait.
    """
    auth, pages = request.app[AUTH], request.app[PAGES]
    form = await request.post()
    name, password = form_field(form, "name").strip(), form_field(form, "password")
    if not name or not password:
        return pages.login(request, error="请输入用户名和密码。", name=name, status=400)
    result = await auth.login(
        request.app[SERVICES].db, name, password, address=client_address(request, auth.guard.trust_forwarded),
        replacing=request.cookies.get(SESSION_COOKIE),
    )
    if result.too_long:
        return pages.login(request, error=f"密码太长了（最多 {MAX_PASSWORD} 个字符），请检查后重新输入。", name=name, status=400)
    if result.retry_after is not None:
        wait = max(1, math.ceil(result.retry_after))
        response = pages.login(request, error=_retry_error(result, wait), name=name, status=503 if result.busy else 429)
        response.headers["Retry-After"] = str(wait)
        return response
    if result.login is None or result.token is None:
        return pages.login(request, error=_login_error(result, auth.now()), name=name, status=401)
    response = redirect("/agent")
    response.set_cookie(
        SESSION_COOKIE, result.token, max_age=int(auth.session_length.total_seconds()), path="/",
        httponly=True, samesite="Strict", secure=is_https(request),
    )
    response.del_cookie(LOGIN_CSRF_COOKIE, path="/login")
    return response


async def logout(request: web.Request) -> web.StreamResponse:
    """``POST /logout``: the session ends; the last live one puts the chats the agent holds back in the queue."""
    login = request[LOGIN]  # the guard let it through: there is a session and the token matched
    services = request.app[SERVICES]
    released = await request.app[AUTH].logout(
        services.db, request.cookies.get(SESSION_COOKIE), services.presence.requeued_text()
    )
    publish(services.hub, released)  # after the commit
    log.info("event=logout name=%s released=%d", quoted(login.name), len(released))
    response = redirect("/login")
    response.del_cookie(SESSION_COOKIE, path="/")
    return response


async def agent_page(request: web.Request) -> web.StreamResponse:
    """``GET /agent``: the console's page."""
    return request.app[PAGES].agent(request[LOGIN])


async def admin_page(request: web.Request) -> web.StreamResponse:
    """``GET /admin``: the admins' landing page."""
    return request.app[PAGES].notice(
        200, "管理后台",
        "纠纷复盘：按类型汇总纠纷的数量、主要原因、补救方式和结果，并看每周趋势，找到该改进的地方。",
        ("/admin/disputes", "查看纠纷复盘"),
    )


def setup_routes(app: web.Application) -> None:
    """Add ``/login``, ``/logout``, ``/agent`` and ``/admin`` (the guard, :mod:`bot.desk.guard`, protects them)."""
    app.router.add_get("/login", login_form)
    app.router.add_post("/login", login_submit)
    app.router.add_post("/logout", logout)
    app.router.add_get("/agent", agent_page)
    app.router.add_get("/admin", admin_page)


def _retry_error(result: LoginResult, seconds: int) -> str:
    if result.busy:
        return "现在登录的人有点多，请稍等几秒再试。"
    when = f"{seconds} 秒" if seconds < 60 else f"{math.ceil(seconds / 60)} 分钟"
    return f"这个网络的登录尝试太频繁了，请在 {when}后再试。"


def _login_error(result: LoginResult, now: dt.datetime) -> str:
    if result.locked_until is None:
        return WRONG_CREDENTIALS + "。"
    minutes = max(1, math.ceil((as_utc(result.locked_until) - now).total_seconds() / 60))
    return f"登录失败次数过多，账号已暂时锁定，请在 {minutes} 分钟后再试。"
