"""Agents' and admins' accounts: the password policy, argon2id hashing, and the commands of ``python -m bot users``.

Accounts (``users``) are created from the command line only (``python -m bot users add``): there is no web sign-up,
so the first admin is whoever can run commands on the server. Passwords are hashed with argon2id
(``argon2.PasswordHasher``) off the event loop, and rehashed at login when the parameters change
(:mod:`bot.desk.sessions`).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import logging
import secrets
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.errors import AccountError
from models import ROLES, Database, LoginSession, User, as_utc, utcnow

log = logging.getLogger("kefu.auth")

MIN_PASSWORD = 10
MAX_PASSWORD = 1024
MAX_NAME = 64


@dataclass(frozen=True, slots=True)
class Account:
    """An account as ``python -m bot users list`` shows it (never the password hash)."""

    name: str
    role: str
    active: bool
    created_at: dt.datetime
    locked_until: dt.datetime | None



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
    log.info("event=user_added name=%s role=%s", quoted(name), role)
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
    log.info("event=%s name=%s", "user_enabled" if active else "user_disabled", quoted(name))


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
    log.info("event=password_set name=%s", quoted(name))


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



def quoted(name: str) -> str:
    """A name as it goes into a log line: quoted and escaped, so a newline in it cannot forge a line."""
    return json.dumps(name[:MAX_NAME], ensure_ascii=False)
