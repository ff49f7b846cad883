"""Agents' and admins' accounts, login sessions and CSRF protection.

Accounts (``users``) are created from the command line only (``python -m bot users add``): there is no
web sign-up, so the first admin is whoever can run commands on the server. Passwords are hashed with
argon2id (``argon2.PasswordHasher``) off the event loop, and rehashed at login when the parameters change.

A login creates a row in ``login_sessions``: the browser gets a random token in the ``kefu_session``
cookie (HttpOnly, SameSite=Strict, Secure over https, Path=/); the database keeps only its SHA-256, so a
copy of the table logs no one in. Sessions expire after ``KEFU_SESSION_HOURS`` and survive a restart.
``last_seen`` is kept fresh (every 15 s at most) by console requests and the console's open queue socket:
it tells who is on duty (:mod:`bot.desk.presence`). Logging out of one's last live session puts the chats one
holds back in the queue.

CSRF: every state-changing request (anything but GET/HEAD/OPTIONS/TRACE) whose path starts with
``/login``, ``/logout``, ``/agent`` or ``/admin`` must carry a token, in the form field ``csrf_token`` or
the ``X-CSRF-Token`` header, or it is refused with 403:

- logged in: the session's synchronizer token (random, stored with the session, written into each page);
- the login form itself (no session yet): a double-submit token, the same random value in the
  ``kefu_login_csrf`` cookie (HttpOnly, SameSite=Strict, Path=/login) and in the form's hidden field.

``/api/*`` (bearer key) and ``/chat/*`` (customers) are outside its scope.

Lock-out: after ``KEFU_LOGIN_MAX_FAILURES`` failed logins for an account it is locked for
``KEFU_LOGIN_LOCK_MINUTES``. Unknown name and wrong password get the same answer (用户名或密码不正确) and
cost the same argon2 verification; an unknown name is locked by the same rule (in memory), so a locked name
says nothing about whether it exists; a locked name is told when it may try again. The lock does not apply at an
address the account logged in from within 30 days (its usual one, remembered in memory): someone guessing
elsewhere cannot lock an agent out; failures at that address lock it there alone. Before any of that, a password
over 1024 characters is refused without a check, each address has a budget of attempts (``KEFU_LOGIN_ADDRESS_*``),
and ``KEFU_LOGIN_CHECKS_AT_ONCE`` argon2 checks run at once (:class:`bot.web.limits.LoginGuard`).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import hmac
import html
import json
import logging
import math
import re
import secrets
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from aiohttp import web
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.config import Settings
from bot.desk.presence import Requeued, is_online, publish, release_all
from bot.errors import AccountError
from bot.web.limits import Busy, LoginGuard, client_address, seconds_of
from models import ROLES, Database, LoginSession, User, as_utc, utcnow

log = logging.getLogger("kefu.auth")
STATIC = Path(__file__).parent.parent / "web" / "static"

Clock = Callable[[], dt.datetime]
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

MIN_PASSWORD = 10
MAX_PASSWORD = 1024
MAX_NAME = 64
SESSION_COOKIE = "kefu_session"
LOGIN_CSRF_COOKIE = "kefu_login_csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
CSRF_SCOPE = ("/login", "/logout", "/agent", "/admin")
# last_seen is written at most this often (not on every request), and well within KEFU_AGENT_OFFLINE_SECONDS:
# an agent unseen for that long is offline and their chats go back to the queue (bot.desk.presence).
LAST_SEEN_EVERY = dt.timedelta(seconds=15)
WRONG_CREDENTIALS = "用户名或密码不正确"
ROLE_LABELS = {"agent": "客服", "admin": "管理员"}
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{43}$")  # secrets.token_urlsafe(32)
_PLACEHOLDER = re.compile(r"\{\{(\w+)\}\}")
_PAGE_HEADERS = {
    "Cache-Control": "no-store",
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; "
        "frame-ancestors 'none'; base-uri 'none'"
    ),
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}
# The agents' console runs its own script (static/agent.js) and talks to its API and queue socket.
_AGENT_PAGE_HEADERS = {
    **_PAGE_HEADERS,
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; connect-src 'self'; "
        "img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    ),
}


# ------------------------------------------------------------------ what a request knows


@dataclass(frozen=True, slots=True)
class Account:
    """An account as ``python -m bot users list`` shows it (never the password hash)."""

    name: str
    role: str
    active: bool
    created_at: dt.datetime
    locked_until: dt.datetime | None


@dataclass(frozen=True, slots=True)
class Login:
    """Who is logged in on this request, and the CSRF token their forms must carry."""

    session_id: int
    user_id: int
    name: str
    role: str
    csrf_token: str
    expires_at: dt.datetime

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


@dataclass(frozen=True, slots=True)
class LoginResult:
    """The outcome of a login attempt: ``login`` and ``token`` (the raw cookie value) on success;
    ``locked_until`` when the name is locked (now or by this very failure); ``retry_after`` (seconds) when the
    address is over its budget or, ``busy``, too many checks wait; ``too_long`` for a password no account can have."""

    login: Login | None = None
    token: str | None = None
    locked_until: dt.datetime | None = None
    retry_after: float | None = None
    busy: bool = False
    too_long: bool = False


@dataclass(frozen=True, slots=True)
class LockPolicy:
    """The lock-out rule, as plain arithmetic (no IO)."""

    max_failures: int
    lock: dt.timedelta

    @classmethod
    def from_settings(cls, settings: Settings) -> LockPolicy:
        return cls(settings.login_max_failures, dt.timedelta(minutes=settings.login_lock_minutes))

    @staticmethod
    def is_locked(locked_until: dt.datetime | None, now: dt.datetime) -> bool:
        return locked_until is not None and as_utc(locked_until) > now

    def after_failure(
        self, failed: int, locked_until: dt.datetime | None, now: dt.datetime
    ) -> tuple[int, dt.datetime | None]:
        """The account's (failed_logins, locked_until) after one more failure. Failures while locked
        do not count (a burst cannot extend the lock); reaching the limit locks and restarts the count."""
        if self.is_locked(locked_until, now):
            return failed, locked_until
        failed += 1
        if failed >= self.max_failures:
            return 0, now + self.lock
        return failed, None


# ------------------------------------------------------------------ passwords


class Passwords:
    """argon2id hashing with ``argon2.PasswordHasher``'s current recommended parameters.

    Hashing costs a large fraction of a second of CPU on purpose: call these through
    ``asyncio.to_thread``, never on the event loop or inside a unit of work.
    """

    def __init__(self, hasher: PasswordHasher | None = None) -> None:
        self._hasher = hasher or PasswordHasher()
        self._dummy: str | None = None

    def hash(self, password: str) -> str:
        return self._hasher.hash(password)

    def verify(self, hashed: str | None, password: str) -> bool:
        """Whether ``password`` matches ``hashed``. With ``hashed=None`` (no such user) it verifies
        against a dummy hash, so an unknown name costs the same time as a wrong password."""
        if hashed is None:
            if self._dummy is None:
                self._dummy = self._hasher.hash(secrets.token_urlsafe(16))
            hashed = self._dummy
        try:
            return self._hasher.verify(hashed, password)
        except (VerificationError, InvalidHashError):
            return False

    def needs_rehash(self, hashed: str) -> bool:
        try:
            return self._hasher.check_needs_rehash(hashed)
        except InvalidHashError:
            return True


def check_name(name: str) -> str:
    """A valid account name: 1–64 printable characters, no surrounding spaces.

    Raises:
        AccountError: with the reason.
    """
    if not name or name != name.strip():
        raise AccountError("the name must not be empty or start or end with spaces")
    if len(name) > MAX_NAME:
        raise AccountError(f"the name must be at most {MAX_NAME} characters")
    if not name.isprintable():
        raise AccountError("the name must not contain control characters")
    return name


def check_password(password: str) -> str:
    """A password long enough to keep.

    Raises:
        AccountError: shorter than 10 or longer than 1024 characters.
    """
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"the password must be at least {MIN_PASSWORD} characters")
    if len(password) > MAX_PASSWORD:
        raise AccountError(f"the password must be at most {MAX_PASSWORD} characters")
    return password


# ------------------------------------------------------------------ accounts (the CLI's operations)


async def add_user(db: Database, name: str, role: str, password: str, *, passwords: Passwords | None = None) -> Account:
    """Create an account.

    Raises:
        AccountError: bad name or role, short password, or the name is taken.
    """
    check_name(name)
    check_password(password)
    if role not in ROLES:
        raise AccountError(f"the role must be one of {', '.join(ROLES)}")
    hashed = await asyncio.to_thread((passwords or Passwords()).hash, password)

    def work(session: Session) -> Account:
        if session.execute(select(User.id).where(User.name == name)).first() is not None:
            raise AccountError(f"a user named {name!r} already exists")
        user = User(name=name, role=role, password_hash=hashed, active=True, failed_logins=0, created_at=utcnow())
        session.add(user)
        session.flush()
        return _account(user)

    try:
        account = await db.run(work)
    except IntegrityError:  # the same name added at the same moment by someone else
        raise AccountError(f"a user named {name!r} already exists") from None
    log.info("event=user_added name=%s role=%s", _quoted(name), role)
    return account


async def list_users(db: Database) -> list[Account]:
    """Every account, by name."""

    def work(session: Session) -> list[Account]:
        return [_account(u) for u in session.execute(select(User).order_by(User.name)).scalars()]

    return await db.run(work)


async def set_active(db: Database, name: str, active: bool) -> None:
    """Disable (ending every session of) or re-enable an account.

    Raises:
        AccountError: no such user.
    """

    def work(session: Session) -> None:
        user = _user_named(session, name)
        user.active = active
        if not active:
            session.execute(delete(LoginSession).where(LoginSession.user_id == user.id))

    await db.run(work)
    log.info("event=%s name=%s", "user_enabled" if active else "user_disabled", _quoted(name))


async def set_password(db: Database, name: str, password: str, *, passwords: Passwords | None = None) -> None:
    """Give an account a new password: its lock is lifted and its sessions are ended.

    Raises:
        AccountError: no such user, or a short password.
    """
    check_password(password)
    await db.run(lambda session: _user_named(session, name))  # fail before the slow hash
    hashed = await asyncio.to_thread((passwords or Passwords()).hash, password)

    def work(session: Session) -> None:
        user = _user_named(session, name)
        user.password_hash, user.failed_logins, user.locked_until = hashed, 0, None
        session.execute(delete(LoginSession).where(LoginSession.user_id == user.id))

    await db.run(work)
    log.info("event=password_set name=%s", _quoted(name))


def _user_named(session: Session, name: str) -> User:
    user = session.execute(select(User).where(User.name == name).with_for_update()).scalar_one_or_none()
    if user is None:
        raise AccountError(f"no user named {name!r}")
    return user


def _account(user: User) -> Account:
    return Account(
        user.name, user.role, user.active, as_utc(user.created_at),
        as_utc(user.locked_until) if user.locked_until is not None else None,
    )


# ------------------------------------------------------------------ logins and sessions


@dataclass(frozen=True, slots=True)
class _Credentials:
    user_id: int
    password_hash: str
    active: bool
    locked_until: dt.datetime | None


class Auth:
    """Logins, sessions and the lock-out rule for one app.

    Args:
        clock: returns the current time, timezone-aware (tests move it instead of sleeping).
    """

    def __init__(self, settings: Settings, *, clock: Clock = utcnow, passwords: Passwords | None = None) -> None:
        self.policy = LockPolicy.from_settings(settings)
        self.session_length = dt.timedelta(hours=settings.session_hours)
        self.offline_seconds = settings.agent_offline_seconds
        # How often a session's last_seen is written: a third of the offline window at most, so one late write
        # does not make a present agent look away.
        self.touch_every = min(LAST_SEEN_EVERY, dt.timedelta(seconds=self.offline_seconds / 3))
        self._clock = clock
        self._passwords = passwords or Passwords()
        self.guard = LoginGuard(settings, self.policy, seconds_of(None if clock is utcnow else clock))

    def now(self) -> dt.datetime:
        return self._clock().astimezone(dt.UTC)

    async def login(
        self, db: Database, name: str, password: str, *, address: str = "-", replacing: str | None = None
    ) -> LoginResult:
        """Check a name and password from a client ``address``; on success open a session (ending the one
        ``replacing`` names).

        Returns:
            the new session and its raw token, or why not (``locked_until`` when locked, ``retry_after`` when the
            address is over its budget or the checks are busy, ``too_long``).
        """
        now = self.now()
        if len(password) > MAX_PASSWORD:  # no account has one: refused before any work
            log.warning("event=login_refused reason=password_too_long name=%s", _quoted(name))
            return LoginResult(too_long=True)
        wait = self.guard.address_wait(address)
        if wait:
            log.warning("event=login_refused reason=address_limit name=%s", _quoted(name))
            return LoginResult(retry_after=wait)
        name = name[:MAX_NAME + 1]
        plausible = len(name) <= MAX_NAME and name.isprintable()  # PostgreSQL refuses a NUL in text
        creds = await db.run(partial(_credentials, name)) if plausible else None
        usual = creds is not None and self.guard.is_usual(name, address, now)
        if usual:
            locked: dt.datetime | None = self.guard.locked_until((name, address), now, pair=True)
        elif creds is not None:
            locked = creds.locked_until if self.policy.is_locked(creds.locked_until, now) else None
        else:
            locked = self.guard.locked_until(name, now)
        if locked is not None:
            log.warning("event=login_refused reason=locked name=%s until=%s", _quoted(name), _iso(locked))
            return LoginResult(locked_until=locked)
        if not plausible:  # no account can have this name: the same answer, without a check
            log.warning("event=login_failed reason=unknown_user name=%s", _quoted(name))
            return LoginResult(locked_until=self.guard.fail(name, now))
        try:
            async with self.guard.checking():
                matches = await asyncio.to_thread(
                    self._passwords.verify, creds.password_hash if creds else None, password
                )
        except Busy:
            log.warning("event=login_refused reason=busy name=%s", _quoted(name))
            return LoginResult(retry_after=1.0, busy=True)
        if creds is None:
            locked_until = self.guard.fail(name, now)
            if locked_until is not None:
                log.warning("event=login_locked name=%s until=%s", _quoted(name), _iso(locked_until))
            else:
                log.warning("event=login_failed reason=unknown_user name=%s", _quoted(name))
            return LoginResult(locked_until=locked_until)
        if not matches or not creds.active:
            if usual:  # at the account's usual address, failures lock that address only
                locked_until = self.guard.fail((name, address), now, pair=True)
            else:
                locked_until = await db.run(partial(_record_failure, creds.user_id, now, self.policy))
            if locked_until is not None:
                log.warning("event=login_locked name=%s until=%s", _quoted(name), _iso(locked_until))
            else:
                reason = "wrong_password" if not matches else "disabled"
                log.warning("event=login_failed reason=%s name=%s", reason, _quoted(name))
            return LoginResult(locked_until=locked_until)
        new_hash = None
        if self._passwords.needs_rehash(creds.password_hash):
            new_hash = await asyncio.to_thread(self._passwords.hash, password)
        token = secrets.token_urlsafe(32)
        opened = await db.run(partial(
            _open_session, creds.user_id, _digest(token), secrets.token_urlsafe(32), now,
            now + self.session_length, None if usual else self.policy, new_hash,
            _digest(replacing) if replacing else None,
        ))
        if isinstance(opened, Login):
            self.guard.remember(name, address, now)
            log.info("event=login_ok name=%s role=%s rehashed=%s", _quoted(name), opened.role, new_hash is not None)
            return LoginResult(login=opened, token=token)
        log.warning("event=login_refused reason=locked_meanwhile name=%s", _quoted(name))
        return LoginResult(locked_until=opened)

    async def current(self, db: Database, token: str | None) -> Login | None:
        """The live session a cookie token names, or None (no cookie, unknown, expired, or disabled user)."""
        if not token or not _TOKEN.match(token):
            return None
        return await db.run(partial(_session_for, _digest(token), self.now(), self.touch_every))

    async def logout(self, db: Database, token: str | None) -> list[Requeued]:
        """End the session a cookie token names (nothing happens for an unknown token). When it was the agent's
        last live session, the chats they hold go back to the queue at once.

        Returns:
            the chats put back in the queue, whose customers' messages the caller publishes.
        """
        if not token or not _TOKEN.match(token):
            return []
        return await db.run(partial(_end_session, _digest(token), self.now(), self.offline_seconds))


def _credentials(name: str, session: Session) -> _Credentials | None:
    row = session.execute(
        select(User.id, User.password_hash, User.active, User.locked_until).where(User.name == name)
    ).one_or_none()
    if row is None:
        return None
    locked_until = as_utc(row.locked_until) if row.locked_until is not None else None
    return _Credentials(row.id, row.password_hash, row.active, locked_until)


def _record_failure(user_id: int, now: dt.datetime, policy: LockPolicy, session: Session) -> dt.datetime | None:
    user = session.get(User, user_id, with_for_update=True)
    if user is None:
        return None
    user.failed_logins, user.locked_until = policy.after_failure(user.failed_logins, user.locked_until, now)
    return as_utc(user.locked_until) if user.locked_until is not None else None


def _open_session(
    user_id: int, token_hash: str, csrf: str, now: dt.datetime, expires: dt.datetime, policy: LockPolicy | None,
    new_hash: str | None, replacing: str | None, session: Session,
) -> Login | dt.datetime | None:
    """Open a session; or, when the account was locked (``policy`` None: its lock does not apply here) or disabled
    while the password was being checked, return its ``locked_until`` (None when disabled) and open nothing."""
    user = session.get(User, user_id, with_for_update=True)
    if user is None or not user.active:
        return None
    if policy is not None:  # from anywhere but the account's usual address, where the lock does not apply and stays
        if user.locked_until is not None and policy.is_locked(user.locked_until, now):
            return as_utc(user.locked_until)
        user.failed_logins, user.locked_until = 0, None
    if new_hash is not None:
        user.password_hash = new_hash
    stale = LoginSession.expires_at <= now
    if replacing is not None:
        stale = stale | (LoginSession.token_hash == replacing)  # a new login never keeps the old token
    session.execute(delete(LoginSession).where(stale))
    row = LoginSession(
        token_hash=token_hash, user_id=user.id, csrf_token=csrf, created_at=now, expires_at=expires, last_seen=now
    )
    session.add(row)
    session.flush()
    return Login(row.id, user.id, user.name, user.role, csrf, expires)


def _session_for(token_hash: str, now: dt.datetime, every: dt.timedelta, session: Session) -> Login | None:
    row = session.execute(
        select(LoginSession, User).join(User, LoginSession.user_id == User.id).where(LoginSession.token_hash == token_hash)
    ).one_or_none()
    if row is None:
        return None
    login_session, user = row[0], row[1]
    expires = as_utc(login_session.expires_at)
    if expires <= now or not user.active:
        session.delete(login_session)
        return None
    if now - as_utc(login_session.last_seen) >= every:
        login_session.last_seen = now
    return Login(login_session.id, user.id, user.name, user.role, login_session.csrf_token, expires)


def touch_session(session_id: int, now: dt.datetime, session: Session) -> bool:
    """Mark a login session as seen at ``now`` (the console's open queue socket does, every few seconds).

    Returns:
        False when the session has ended meanwhile (logged out, expired, account disabled).
    """
    touched = session.execute(
        update(LoginSession).where(LoginSession.id == session_id, LoginSession.expires_at > now)
        .values(last_seen=now).execution_options(synchronize_session=False)
    )
    return bool(touched.rowcount == 1)  # type: ignore[attr-defined]


def _end_session(token_hash: str, now: dt.datetime, offline_seconds: float, session: Session) -> list[Requeued]:
    """Delete the session; if its user has no other live one, put the chats they hold back in the queue."""
    user_id = session.execute(
        select(LoginSession.user_id).where(LoginSession.token_hash == token_hash)
    ).scalar_one_or_none()
    if user_id is None:
        return []
    session.get(User, user_id, with_for_update=True)  # two of their sessions logging out at once take turns
    session.execute(delete(LoginSession).where(LoginSession.token_hash == token_hash))
    if is_online(session, user_id, now, offline_seconds):
        return []  # still on duty in another browser
    return release_all(session, user_id, now)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()




def _iso(value: dt.datetime | None) -> str:
    return as_utc(value).isoformat(timespec="seconds") if value is not None else "-"


def _quoted(name: str) -> str:
    """A name as it goes into a log line: quoted and escaped, so a newline in it cannot forge a line."""
    return json.dumps(name[:MAX_NAME], ensure_ascii=False)


# ------------------------------------------------------------------ HTTP


AUTH = web.AppKey("auth", Auth)
LOGIN = web.RequestKey("login", Login)


def auth_routes(
    app: web.Application, settings: Settings, services_key: web.AppKey[Any], *, clock: Clock | None = None
) -> None:
    """Add ``/login``, ``/logout``, ``/agent`` and ``/admin`` to ``app``, and the middleware that
    guards them (login required, admin role for ``/admin``, CSRF on every state-changing request).

    Routes added later under ``/agent`` or ``/admin`` are guarded the same way without further work.
    """
    auth = Auth(settings, clock=clock or utcnow)
    app[AUTH] = auth
    pages = _Pages(settings.shop_name)

    def db(request: web.Request) -> Database:
        database: Database = request.app[services_key].db
        return database

    @web.middleware
    async def guard(request: web.Request, handler: Handler) -> web.StreamResponse:
        path = request.path
        if not path.startswith(CSRF_SCOPE):
            return await handler(request)
        unsafe = request.method not in SAFE_METHODS
        if path.startswith("/login"):
            if unsafe and not await _login_csrf_ok(request):
                log.warning("event=csrf_rejected path=%s", path)
                return pages.login(request, error="页面已过期，请重新输入并登录。", status=403)
            return await handler(request)
        login = await auth.current(db(request), request.cookies.get(SESSION_COOKIE))
        if login is not None:
            request[LOGIN] = login
        if unsafe and (login is None or not await _session_csrf_ok(request, login)):
            log.warning("event=csrf_rejected path=%s", path)
            return pages.notice(
                403, "请求被拒绝", "页面已过期或登录已失效（缺少有效的安全令牌）。请重新打开页面后再试。", ("/login", "重新登录")
            )
        if path.startswith(("/agent", "/admin")):
            if login is None:
                return _redirect("/login")
            if path.startswith("/admin") and not login.is_admin:
                return pages.notice(403, "没有权限", "此页面仅限管理员访问。", ("/agent", "返回客服工作台"))
        return await handler(request)

    async def login_form(request: web.Request) -> web.StreamResponse:
        if await auth.current(db(request), request.cookies.get(SESSION_COOKIE)) is not None:
            return _redirect("/agent")
        return pages.login(request)

    async def login_submit(request: web.Request) -> web.StreamResponse:
        form = await request.post()
        name, password = _field(form, "name").strip(), _field(form, "password")
        if not name or not password:
            return pages.login(request, error="请输入用户名和密码。", name=name, status=400)
        result = await auth.login(
            db(request), name, password, address=client_address(request, auth.guard.trust_forwarded),
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
        response = _redirect("/agent")
        response.set_cookie(
            SESSION_COOKIE, result.token, max_age=int(auth.session_length.total_seconds()), path="/",
            httponly=True, samesite="Strict", secure=_https(request),
        )
        response.del_cookie(LOGIN_CSRF_COOKIE, path="/login")
        return response

    async def logout(request: web.Request) -> web.StreamResponse:
        login = request[LOGIN]  # the guard let it through: there is a session and the token matched
        released = await auth.logout(db(request), request.cookies.get(SESSION_COOKIE))
        publish(request.app[services_key].hub, released)  # after the commit
        log.info("event=logout name=%s released=%d", _quoted(login.name), len(released))
        response = _redirect("/login")
        response.del_cookie(SESSION_COOKIE, path="/")
        return response

    async def agent_page(request: web.Request) -> web.StreamResponse:
        return pages.agent(request[LOGIN])

    async def admin_page(request: web.Request) -> web.StreamResponse:
        return pages.notice(
            200, "管理后台",
            "纠纷复盘：按类型汇总纠纷的数量、主要原因、补救方式和结果，并看每周趋势，找到该改进的地方。",
            ("/admin/disputes", "查看纠纷复盘"),
        )

    app.middlewares.append(guard)
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


async def _login_csrf_ok(request: web.Request) -> bool:
    cookie = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    return bool(_TOKEN.match(cookie)) and hmac.compare_digest(await _given_csrf(request), cookie.encode())


async def _session_csrf_ok(request: web.Request, login: Login) -> bool:
    return hmac.compare_digest(await _given_csrf(request), login.csrf_token.encode())


async def _given_csrf(request: web.Request) -> bytes:
    given = request.headers.get(CSRF_HEADER)
    if given is None and request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        given = _field(await request.post(), CSRF_FIELD)  # aiohttp keeps the parsed form for the handler
    return (given or "").encode()


def _field(form: Mapping[str, Any], key: str) -> str:
    value = form.get(key)
    return value if isinstance(value, str) else ""


def _https(request: web.Request) -> bool:
    """Over https, directly or behind a proxy that says so (trusting the header can only add Secure)."""
    forwarded = request.headers.get("X-Forwarded-Proto", "").split(",")[0].strip().lower()
    return request.secure or forwarded == "https"


def _redirect(location: str) -> web.Response:
    return web.Response(status=303, headers={"Location": location, "Cache-Control": "no-store"})


class _Pages:
    """The login, agent and notice pages: templates under ``static/``, every value HTML-escaped."""

    def __init__(self, shop_name: str) -> None:
        self._shop = shop_name
        self._login = (STATIC / "login.html").read_text(encoding="utf-8")
        self._agent = (STATIC / "agent.html").read_text(encoding="utf-8")

    def login(self, request: web.Request, *, error: str = "", name: str = "", status: int = 200) -> web.Response:
        token = request.cookies.get(LOGIN_CSRF_COOKIE, "")
        if not _TOKEN.match(token):
            token = secrets.token_urlsafe(32)
        response = html_page(_render(self._login, shop=self._shop, csrf=token, error=error, name=name), status)
        response.set_cookie(
            LOGIN_CSRF_COOKIE, token, path="/login", httponly=True, samesite="Strict", secure=_https(request)
        )
        return response

    def agent(self, login: Login) -> web.Response:
        return html_page(_render(
            self._agent, shop=self._shop, name=login.name, role=login.role, role_label=ROLE_LABELS[login.role],
            csrf=login.csrf_token,
        ), headers=_AGENT_PAGE_HEADERS)

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


def _render(template: str, **values: str) -> str:
    """``{{key}}`` placeholders replaced in one pass by HTML-escaped values (a value is never re-read)."""
    return _PLACEHOLDER.sub(lambda m: html.escape(values[m.group(1)], quote=True), template)


def html_page(text: str, status: int = 200, headers: dict[str, str] = _PAGE_HEADERS) -> web.Response:
    return web.Response(text=text, status=status, content_type="text/html", charset="utf-8", headers=headers)
