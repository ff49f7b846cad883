"""Login sessions: checking a name and password, the lock-out rule, and who a session cookie names.

A login creates a row in ``login_sessions``: the browser gets a random token in the ``kefu_session`` cookie
(HttpOnly, SameSite=Strict, Secure over https, Path=/); the database keeps only its SHA-256, so a copy of the table
logs no one in. Sessions expire after ``KEFU_SESSION_HOURS`` and survive a restart. ``last_seen`` is kept fresh
(every 15 s at most) by console requests and the console's open queue socket: it tells who is on duty
(:mod:`bot.desk.presence`). Logging out of one's last live session puts the chats one holds back in the queue.

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
import logging
import re
import secrets
from dataclasses import dataclass
from functools import partial

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from bot.config import Settings
from bot.desk.accounts import MAX_NAME, MAX_PASSWORD, Passwords, quoted
from bot.desk.presence import Requeued, is_online, release_all
from bot.web.limits import Busy, LoginGuard, seconds_of
from models import Clock, Database, LoginSession, User, as_utc, utcnow

log = logging.getLogger("kefu.auth")

SESSION_COOKIE = "kefu_session"
# last_seen is written at most this often (not on every request), and well within KEFU_AGENT_OFFLINE_SECONDS:
# an agent unseen for that long is offline and their chats go back to the queue (bot.desk.presence).
LAST_SEEN_EVERY = dt.timedelta(seconds=15)
TOKEN = re.compile(r"^[A-Za-z0-9_-]{43}$")  # secrets.token_urlsafe(32): a session's and the login form's tokens


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
            log.warning("event=login_refused reason=password_too_long name=%s", quoted(name))
            return LoginResult(too_long=True)
        wait = self.guard.address_wait(address)
        if wait:
            log.warning("event=login_refused reason=address_limit name=%s", quoted(name))
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
            log.warning("event=login_refused reason=locked name=%s until=%s", quoted(name), _iso(locked))
            return LoginResult(locked_until=locked)
        if not plausible:  # no account can have this name: the same answer, without a check
            log.warning("event=login_failed reason=unknown_user name=%s", quoted(name))
            return LoginResult(locked_until=self.guard.fail(name, now))
        try:
            async with self.guard.checking():
                matches = await asyncio.to_thread(
                    self._passwords.verify, creds.password_hash if creds else None, password
                )
        except Busy:
            log.warning("event=login_refused reason=busy name=%s", quoted(name))
            return LoginResult(retry_after=1.0, busy=True)
        if creds is None:
            locked_until = self.guard.fail(name, now)
            if locked_until is not None:
                log.warning("event=login_locked name=%s until=%s", quoted(name), _iso(locked_until))
            else:
                log.warning("event=login_failed reason=unknown_user name=%s", quoted(name))
            return LoginResult(locked_until=locked_until)
        if not matches or not creds.active:
            if usual:  # at the account's usual address, failures lock that address only
                locked_until = self.guard.fail((name, address), now, pair=True)
            else:
                locked_until = await db.run(partial(_record_failure, creds.user_id, now, self.policy))
            if locked_until is not None:
                log.warning("event=login_locked name=%s until=%s", quoted(name), _iso(locked_until))
            else:
                reason = "wrong_password" if not matches else "disabled"
                log.warning("event=login_failed reason=%s name=%s", reason, quoted(name))
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
            log.info("event=login_ok name=%s role=%s rehashed=%s", quoted(name), opened.role, new_hash is not None)
            return LoginResult(login=opened, token=token)
        log.warning("event=login_refused reason=locked_meanwhile name=%s", quoted(name))
        return LoginResult(locked_until=opened)

    async def current(self, db: Database, token: str | None) -> Login | None:
        """The live session a cookie token names, or None (no cookie, unknown, expired, or disabled user)."""
        if not token or not TOKEN.match(token):
            return None
        return await db.run(partial(_session_for, _digest(token), self.now(), self.touch_every))

    async def logout(self, db: Database, token: str | None, requeued_text: str) -> list[Requeued]:
        """End the session a cookie token names (nothing happens for an unknown token). When it was the agent's
        last live session, the chats they hold go back to the queue at once, their customers told ``requeued_text``.

        Returns:
            the chats put back in the queue, whose customers' messages the caller publishes.
        """
        if not token or not TOKEN.match(token):
            return []
        return await db.run(partial(_end_session, _digest(token), self.now(), self.offline_seconds, requeued_text))


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


def _end_session(
    token_hash: str, now: dt.datetime, offline_seconds: float, requeued_text: str, session: Session
) -> list[Requeued]:
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
    return release_all(session, user_id, now, requeued_text)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()




def _iso(value: dt.datetime | None) -> str:
    return as_utc(value).isoformat(timespec="seconds") if value is not None else "-"
