"""Agents' and admins' accounts (issue 3, "Agents"): the users CLI, login, sessions, CSRF, lock-out and
roles — through a real loopback server, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import html
import io
import logging
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select, update

from bot import SERVICES, ConfigError, create_app, load_settings
from bot.__main__ import main
from bot.desk.accounts import add_user
from models import Database, LoginSession, User
from tests.conftest import ROOT, make_settings

PASSWORD = "correct horse 9"
_CSRF = re.compile(r'name="csrf_token" value="([^"]*)"')
_ERROR = re.compile(r'<p class="error" role="alert">(.*?)</p>', re.S)


class Clock:
    """A clock the test moves (aware UTC), instead of sleeping."""

    def __init__(self) -> None:
        self.now = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += dt.timedelta(**delta)


class Browser:
    """One browser on the app: a test client, its cookie jar, and the forms a person fills in."""

    def __init__(self, client: Any) -> None:
        self.client = client

    @property
    def db(self) -> Database:
        database: Database = self.client.server.app[SERVICES].db
        return database

    async def add(self, name: str, role: str = "agent", password: str = PASSWORD) -> None:
        await add_user(self.db, name, role, password)

    async def login_token(self) -> str:
        """Open the login page and return the CSRF token of its form."""
        page = await self.client.get("/login", allow_redirects=False)
        assert page.status == 200, "a logged-in browser is sent on to /agent: forget_cookies() first"
        return _CSRF.search(await page.text()).group(1)  # type: ignore[union-attr]

    async def login(self, name: str, password: str = PASSWORD, **headers: str) -> Any:
        token = await self.login_token()
        return await self.client.post(
            "/login", data={"name": name, "password": password, "csrf_token": token},
            allow_redirects=False, headers=headers,
        )

    async def logged_in(self, name: str, password: str = PASSWORD) -> str:
        """Log in; return the CSRF token of the agent page."""
        response = await self.login(name, password)
        assert response.status == 303 and response.headers["Location"] == "/agent", await response.text()
        status, page = await self.page("/agent")
        assert status == 200
        return _CSRF.search(page).group(1)  # type: ignore[union-attr]

    async def page(self, path: str, **headers: str) -> tuple[int, str]:
        response = await self.client.get(path, allow_redirects=False, headers=headers)
        return response.status, await response.text()

    def session_token(self) -> str | None:
        for cookie in self.client.session.cookie_jar:
            if cookie.key == "kefu_session":
                return str(cookie.value)
        return None

    def forget_cookies(self) -> None:
        self.client.session.cookie_jar.clear()


def error_of(page: str) -> str:
    found = _ERROR.search(page)
    return html.unescape(found.group(1)) if found else ""


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
async def browser(aiohttp_client: Any, settings: Any, classifier: Any, clock: Clock) -> Browser:
    return Browser(await aiohttp_client(create_app(settings, classifier=classifier, clock=clock)))


def cli_env(db_url: str, var: Path) -> dict[str, str]:
    return {**os.environ, "DATABASE_URL": db_url, "KEFU_VAR_DIR": str(var)}


# ------------------------------------------------------------------ creating accounts


async def test_an_account_made_with_the_cli_function_logs_in_and_is_managed_from_there(
    browser: Browser, db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATABASE_URL", db_url)
    monkeypatch.setenv("KEFU_VAR_DIR", str(tmp_path))

    async def cli(*argv: str, stdin: str = "") -> tuple[int, str, str]:
        code = await asyncio.to_thread(main, list(argv), stdin=io.StringIO(stdin))
        out, err = capsys.readouterr()
        return code, out, err

    assert (await cli("users", "add", "王小明", "--role", "agent", stdin=PASSWORD + "\n"))[0] == 0
    await browser.logged_in("王小明")
    status, page = await browser.page("/agent")
    assert status == 200 and "王小明" in page and "客服工作台" in page

    code, out, _ = await cli("users", "list")
    assert code == 0 and re.search(r"王小明\s+agent\s+active", out)

    code, _, err = await cli("users", "disable", "王小明")
    assert code == 0
    assert (await browser.page("/agent"))[0] == 303, "disabling ends the account's sessions"
    refused = await browser.login("王小明")
    assert refused.status == 401 and error_of(await refused.text()) == "用户名或密码不正确。"

    await cli("users", "enable", "王小明")
    assert (await cli("users", "set-password", "王小明", stdin="a new password 2\r\n"))[0] == 0
    assert (await browser.login("王小明")).status == 401, "the old password is gone"
    await browser.logged_in("王小明", "a new password 2")


@pytest.mark.parametrize(
    ("argv", "stdin", "reason"),
    [
        (["users", "add", "dup", "--role", "agent"], PASSWORD + "\n", "already exists"),
        (["users", "add", "newbie", "--role", "agent"], "short\n", "at least 10 characters"),
        (["users", "add", "newbie", "--role", "agent"], "", "at least 10 characters"),
        (["users", "set-password", "dup"], "123456789\n", "at least 10 characters"),
        (["users", "disable", "nobody"], "", "no user named 'nobody'"),
        (["users", "set-password", "nobody"], PASSWORD + "\n", "no user named 'nobody'"),
    ],
)
async def test_cli_refusals_are_one_clear_line_and_exit_2(
    browser: Browser, db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str], argv: list[str], stdin: str, reason: str,
) -> None:
    monkeypatch.setenv("DATABASE_URL", db_url)
    monkeypatch.setenv("KEFU_VAR_DIR", str(tmp_path))
    await browser.add("dup")
    code = await asyncio.to_thread(main, argv, stdin=io.StringIO(stdin))
    err = capsys.readouterr().err
    assert code == 2
    assert reason in err and len(err.strip().splitlines()) == 1
    names = await browser.db.run(lambda s: sorted(s.execute(select(User.name)).scalars()))
    assert names == ["dup"], "nothing was created"


async def test_python_m_bot_users_add_reads_the_password_from_stdin(browser: Browser, db_url: str, tmp_path: Path) -> None:
    def run(*argv: str, stdin: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "bot", *argv], input=stdin, cwd=ROOT, env=cli_env(db_url, tmp_path),
            capture_output=True, text=True, timeout=120,
        )

    made = await asyncio.to_thread(run, "users", "add", "ops", "--role", "admin", stdin=PASSWORD + "\n")
    assert made.returncode == 0, made.stderr
    assert PASSWORD not in made.stdout + made.stderr
    short = await asyncio.to_thread(run, "users", "add", "ops2", "--role", "agent", stdin="pw\n")
    assert short.returncode == 2 and short.stderr.strip() == "kefu: the password must be at least 10 characters"

    await browser.logged_in("ops")
    status, page = await browser.page("/admin")
    assert status == 200 and "管理后台" in page
    stored = await browser.db.run(lambda s: s.execute(select(User.password_hash)).scalar_one())
    assert stored.startswith("$argon2id$") and PASSWORD not in stored


# ------------------------------------------------------------------ logging in


async def test_wrong_password_and_unknown_user_get_the_same_answer(browser: Browser) -> None:
    await browser.add("alice")
    wrong = await browser.login("alice", "not the password")
    unknown = await browser.login("nobody-here", "not the password")
    assert wrong.status == unknown.status == 401
    assert error_of(await wrong.text()) == error_of(await unknown.text()) == "用户名或密码不正确。"
    for odd in ("a\x00b", "x" * 65):
        answer = await browser.login(odd, "not the password")
        assert answer.status == 401 and error_of(await answer.text()) == "用户名或密码不正确。"
    assert browser.session_token() is None


async def test_five_failures_lock_the_account_until_the_lock_time_has_passed(browser: Browser, clock: Clock) -> None:
    await browser.add("bob")
    for attempt in range(1, 5):
        answer = await browser.login("bob", f"guess number {attempt}")
        assert error_of(await answer.text()) == "用户名或密码不正确。"
    fifth = await browser.login("bob", "guess number 5")
    assert fifth.status == 401
    assert "锁定" in error_of(await fifth.text()) and "15 分钟后再试" in error_of(await fifth.text())

    right_but_locked = await browser.login("bob")
    assert right_but_locked.status == 401 and "15 分钟后再试" in error_of(await right_but_locked.text())
    clock.advance(minutes=14, seconds=30)
    still = await browser.login("bob")
    assert still.status == 401 and "1 分钟后再试" in error_of(await still.text())

    clock.advance(seconds=31)
    await browser.logged_in("bob")
    failed = await browser.db.run(lambda s: s.execute(select(User.failed_logins, User.locked_until)).one())
    assert tuple(failed) == (0, None), "a success clears the count and the lock"
    assert (await browser.page("/login"))[0] == 303, "logged in: /login leads on to /agent"

    browser.forget_cookies()

    for attempt in range(1, 7):  # an unknown name is locked by the same rule: nothing tells it apart from a real one
        answer = await browser.login("nobody", "guess")
        expected = "用户名或密码不正确。" if attempt < 5 else "登录失败次数过多，账号已暂时锁定，请在 15 分钟后再试。"
        assert answer.status == 401 and error_of(await answer.text()) == expected


async def test_lock_out_limits_come_from_the_settings_and_every_attempt_is_logged_without_secrets(
    aiohttp_client: Any, tmp_path: Path, db_url: str, classifier: Any, clock: Clock, caplog: pytest.LogCaptureFixture
) -> None:
    settings = make_settings(tmp_path, db_url, login_max_failures=2, login_lock_minutes=3)
    browser = Browser(await aiohttp_client(create_app(settings, classifier=classifier, clock=clock)))
    await browser.add("carol")
    with caplog.at_level(logging.INFO, logger="kefu.auth"):
        await browser.logged_in("carol")
        token = browser.session_token()
        browser.forget_cookies()
        await browser.login("carol", "wrong password 1")
        locked = await browser.login("carol", "wrong password 2")
        await browser.login("ghost", "wrong password 3")
    assert "3 分钟后再试" in error_of(await locked.text())
    lines = [r.getMessage() for r in caplog.records if r.name == "kefu.auth"]
    assert any("event=login_ok" in line and '"carol"' in line for line in lines)
    assert any("event=login_failed reason=wrong_password" in line and '"carol"' in line for line in lines)
    assert any("event=login_locked" in line and '"carol"' in line for line in lines)
    assert any("event=login_failed reason=unknown_user" in line and '"ghost"' in line for line in lines)
    assert token and not any(token in line for line in lines)
    assert not any("wrong password" in line or PASSWORD in line for line in lines)


async def test_a_password_hashed_with_old_parameters_is_rehashed_at_login(browser: Browser) -> None:
    await browser.add("dave")
    weak = PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1).hash(PASSWORD)
    await browser.db.run(lambda s: s.execute(update(User).values(password_hash=weak)))
    await browser.logged_in("dave")
    stored = await browser.db.run(lambda s: s.execute(select(User.password_hash)).scalar_one())
    assert stored != weak and not PasswordHasher().check_needs_rehash(stored)
    assert PasswordHasher().verify(stored, PASSWORD)


# ------------------------------------------------------------------ sessions


async def test_the_session_cookie_is_httponly_samesite_strict_and_stored_only_hashed(browser: Browser) -> None:
    await browser.add("erin")
    login_page = await browser.client.get("/login")
    [pre] = [c for c in login_page.headers.getall("Set-Cookie") if c.startswith("kefu_login_csrf=")]
    assert "HttpOnly" in pre and "SameSite=Strict" in pre and "Path=/login" in pre

    response = await browser.login("erin")
    assert response.status == 303
    [cookie] = [c for c in response.headers.getall("Set-Cookie") if c.startswith("kefu_session=")]
    attributes = {part.strip().split("=")[0].lower(): part for part in cookie.split(";")}
    assert "httponly" in attributes and attributes["samesite"].strip() == "SameSite=Strict"
    assert attributes["path"].strip() == "Path=/" and "secure" not in attributes, "plain http: no Secure flag"

    token = browser.session_token()
    assert token
    rows = await browser.db.run(lambda s: s.execute(select(LoginSession.token_hash, LoginSession.csrf_token)).all())
    assert [r.token_hash for r in rows] == [hashlib.sha256(token.encode()).hexdigest()]
    assert token not in {r.csrf_token for r in rows}

    browser.forget_cookies()
    behind_tls = await browser.login("erin", **{"X-Forwarded-Proto": "https"})
    [secure] = [c for c in behind_tls.headers.getall("Set-Cookie") if c.startswith("kefu_session=")]
    assert "Secure" in secure


async def test_the_agent_page_redirects_to_login_without_a_session(browser: Browser) -> None:
    status, _ = await browser.page("/agent")
    assert status == 303
    response = await browser.client.get("/agent")
    assert response.status == 200 and str(response.url).endswith("/login") and "登录" in await response.text()
    assert (await browser.page("/agent", Cookie="kefu_session=forged-token"))[0] == 303


async def test_an_agent_is_refused_the_admin_pages_and_an_admin_is_not(browser: Browser) -> None:
    await browser.add("frank", "agent")
    await browser.add("grace", "admin")
    assert (await browser.page("/admin"))[0] == 303, "not logged in: to the login page"
    await browser.logged_in("frank")
    status, page = await browser.page("/admin")
    assert status == 403 and "仅限管理员" in page
    assert 'class="admin-link agent"' in (await browser.page("/agent"))[1], "no admin link for an agent"

    browser.forget_cookies()
    await browser.logged_in("grace")
    status, page = await browser.page("/admin")
    assert status == 200 and "管理后台" in page


async def test_logout_ends_the_session_for_good(browser: Browser) -> None:
    await browser.add("heidi")
    csrf = await browser.logged_in("heidi")
    token = browser.session_token()
    response = await browser.client.post("/logout", data={"csrf_token": csrf}, allow_redirects=False)
    assert response.status == 303 and response.headers["Location"] == "/login"
    assert browser.session_token() is None
    assert (await browser.page("/agent", Cookie=f"kefu_session={token}"))[0] == 303, "the old cookie is dead"
    assert await browser.db.run(lambda s: s.execute(select(LoginSession)).all()) == []


async def test_a_session_survives_a_restart_and_expires_after_the_session_hours(
    aiohttp_client: Any, settings: Any, classifier: Any, clock: Clock
) -> None:
    first = Browser(await aiohttp_client(create_app(settings, classifier=classifier, clock=clock)))
    await first.add("ivan")
    await first.logged_in("ivan")
    token = first.session_token()
    await first.client.close()

    second = Browser(await aiohttp_client(create_app(settings, classifier=classifier, clock=clock)))
    status, page = await second.page("/agent", Cookie=f"kefu_session={token}")
    assert status == 200 and "ivan" in page

    clock.advance(hours=11, minutes=59)
    assert (await second.page("/agent", Cookie=f"kefu_session={token}"))[0] == 200
    clock.advance(minutes=1)
    assert (await second.page("/agent", Cookie=f"kefu_session={token}"))[0] == 303, "12 hours: expired"


async def test_html_in_a_user_name_is_shown_as_text(browser: Browser) -> None:
    name = '<script>alert("x")</script>&'
    await browser.add(name)
    await browser.logged_in(name)
    status, page = await browser.page("/agent")
    assert status == 200
    assert "<script>" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;" in page
    assert "script-src" not in page and "default-src 'none'" in (await browser.client.get("/agent")).headers[
        "Content-Security-Policy"
    ]

    browser.forget_cookies()
    again = await browser.login('"><img src=x onerror=alert(1)>', "wrong password")
    assert "<img" not in await again.text(), "the name typed into the form comes back escaped"


# ------------------------------------------------------------------ CSRF


async def test_the_login_form_needs_its_csrf_token(browser: Browser) -> None:
    await browser.add("judy")
    token = await browser.login_token()
    form = {"name": "judy", "password": PASSWORD}
    missing = await browser.client.post("/login", data=form, allow_redirects=False)
    wrong = await browser.client.post("/login", data={**form, "csrf_token": "x" * 43}, allow_redirects=False)
    assert missing.status == wrong.status == 403
    assert "页面已过期" in error_of(await wrong.text())
    browser.forget_cookies()
    no_cookie = await browser.client.post("/login", data={**form, "csrf_token": token}, allow_redirects=False)
    assert no_cookie.status == 403, "the hidden field alone is not enough: it must match the cookie"
    assert browser.session_token() is None
    assert (await browser.login("judy")).status == 303


async def test_state_changing_calls_need_the_session_token_but_api_and_chat_do_not(browser: Browser) -> None:
    await browser.add("kim", "admin")
    csrf = await browser.logged_in("kim")
    for data in ({}, {"csrf_token": ""}, {"csrf_token": "wrong"}, {"csrf_token": csrf + "x"}):
        refused = await browser.client.post("/logout", data=data, allow_redirects=False)
        assert refused.status == 403 and "安全令牌" in await refused.text()
    assert (await browser.page("/agent"))[0] == 200, "a refused logout changed nothing"

    for method in ("POST", "PUT", "PATCH", "DELETE"):
        for path in ("/agent/anything", "/admin/users"):
            refused = await browser.client.request(method, path, json={}, headers={"X-CSRF-Token": "nope"})
            assert refused.status == 403, (method, path)
    allowed = await browser.client.post("/agent", json={}, headers={"X-CSRF-Token": csrf})
    assert allowed.status == 405, "the token is accepted (then the route has no POST)"

    api = await browser.client.post("/api/messages", json={"customer": "c-csrf", "text": "在吗"})
    assert api.status == 200, "the REST channel is not under CSRF"
    assert (await browser.client.get("/chat/history", params={"customer": "web-csrf-1"})).status == 200

    done = await browser.client.post("/logout", headers={"X-CSRF-Token": csrf}, allow_redirects=False)
    assert done.status == 303
    anonymous = await browser.client.post("/logout", data={"csrf_token": csrf}, allow_redirects=False)
    assert anonymous.status == 403, "no session: no token can match"


# ------------------------------------------------------------------ schema and settings


def test_login_settings_are_read_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("KEFU_SESSION_HOURS", "KEFU_LOGIN_MAX_FAILURES", "KEFU_LOGIN_LOCK_MINUTES"):
        monkeypatch.delenv(name, raising=False)
    defaults = load_settings()
    assert (defaults.session_hours, defaults.login_max_failures, defaults.login_lock_minutes) == (12, 5, 15)
    monkeypatch.setenv("KEFU_SESSION_HOURS", "8")
    monkeypatch.setenv("KEFU_LOGIN_MAX_FAILURES", "3")
    monkeypatch.setenv("KEFU_LOGIN_LOCK_MINUTES", "30")
    settings = load_settings()
    assert (settings.session_hours, settings.login_max_failures, settings.login_lock_minutes) == (8, 3, 30)
    monkeypatch.setenv("KEFU_LOGIN_MAX_FAILURES", "0")
    with pytest.raises(ConfigError, match="KEFU_LOGIN_MAX_FAILURES"):
        load_settings()
