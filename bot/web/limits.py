"""Rate limits: customers' messages (REST, web chat, Telegram) and agents' logins.

A flood from one customer, one address or one login guesser must not slow everyone else down. Everything here
is decided in memory, in microseconds, before any database work or password hashing, so a refused message or
guess costs almost nothing.

- :class:`Buckets` — token buckets by key (``rate`` tokens a second up to ``burst``), memory bounded: a bucket
  that has refilled is the same as no bucket and is dropped; past ``max_keys`` the least recently used goes.
- :class:`MessageLimits` — a bucket per customer (channel + id) and one per client address. A refused message is
  not handled and not stored; the customer is told so, politely (phrase ``other.slow_down``), and may send it again.
  Telegram has no address; a REST call made with ``KEFU_API_KEY`` is the shop's own backend speaking for many
  customers from one address, so only its customers are limited.
- :class:`LoginGuard` — the address bucket, the lock-out for unknown names (in memory, the same rule the database
  keeps for real accounts, so the answers cannot tell them apart), the addresses each account logged in from
  (exempt from the account's lock-out, with their own), and a cap on argon2 checks running and waiting.

Everything is per process: with several workers each keeps its own buckets, so the limits are per worker
(``KEFU_*_BURST`` × workers at most); the database lock-out of real accounts is shared.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import ipaddress
import math
import time
from collections import OrderedDict
from collections.abc import AsyncIterator, Callable, Hashable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from aiohttp import web

from bot.config import Settings
from models import Clock
from replies import PhraseBank

if TYPE_CHECKING:
    from bot.desk.sessions import LockPolicy

Seconds = Callable[[], float]
SLOW_DOWN = "other.slow_down"
MAX_KEYS = 100_000  # buckets (or lock records) kept per kind: a few MB at most
KNOWN_ADDRESS_DAYS = 30  # an address an account logged in from is its usual one this long


def seconds_of(clock: Clock | None) -> Seconds:
    """A seconds counter for the buckets: the monotonic clock, or a test's datetime clock as seconds."""
    if clock is None:
        return time.monotonic
    return lambda: clock().timestamp()


def client_address(request: web.Request, trust_forwarded: bool) -> str:
    """Who is calling: the peer's address, or — only with ``KEFU_TRUST_X_FORWARDED_FOR`` (kefu behind one proxy of
    the shop's own) — the last ``X-Forwarded-For`` entry, the one that proxy added (earlier ones are the sender's
    say-so)."""
    if trust_forwarded:
        forwarded = request.headers.get("X-Forwarded-For", "")
        last = forwarded.rsplit(",", 1)[-1].strip()
        if last:
            return last[:64]
    return request.remote or "-"


def sender_address(request: web.Request, trust_forwarded: bool) -> str | None:
    """The address whose messages are limited together, or None for this machine itself (loopback, with no trusted
    ``X-Forwarded-For``): the shop's own backend, a script replaying chats, or a local proxy — which would put every
    customer behind one address (trust its header to limit them one by one). Each customer is still limited."""
    address = client_address(request, trust_forwarded)
    try:
        return None if ipaddress.ip_address(address).is_loopback else address
    except ValueError:
        return address


# ------------------------------------------------------------------ token buckets


class Buckets:
    """Token buckets by key: each holds up to ``burst`` tokens and gains ``rate`` a second.

    Args:
        rate: tokens a second (> 0).
        burst: the most a bucket holds (≥ 1): how many may come at once after a quiet spell.
        clock: seconds, monotonic (tests pass their own).
        max_keys: buckets kept at most; beyond it the least recently used is dropped (that key starts full).
    """

    def __init__(self, rate: float, burst: float, clock: Seconds = time.monotonic, max_keys: int = MAX_KEYS) -> None:
        if rate <= 0 or burst < 1:
            raise ValueError("a bucket needs rate > 0 and burst >= 1")
        self.rate, self.burst = rate, float(burst)
        self._clock = clock
        self._max = max_keys
        self._refill = self.burst / rate  # seconds from empty to full
        self._buckets: OrderedDict[Hashable, tuple[float, float]] = OrderedDict()  # key -> (tokens, at), oldest first

    def __len__(self) -> int:
        return len(self._buckets)

    def wait(self, key: Hashable, now: float | None = None) -> float:
        """Seconds until ``key`` has a token (0: it has one now). Takes nothing."""
        tokens = self._tokens(key, self._clock() if now is None else now)
        return 0.0 if tokens >= 1 else (1 - tokens) / self.rate

    def take(self, key: Hashable, now: float | None = None) -> None:
        """Spend one of ``key``'s tokens (call :meth:`wait` first: a bucket may go below zero, owing time)."""
        now = self._clock() if now is None else now
        self._buckets[key] = (self._tokens(key, now) - 1, now)
        self._buckets.move_to_end(key)
        self._trim(now)

    def _tokens(self, key: Hashable, now: float) -> float:
        found = self._buckets.get(key)
        if found is None:
            return self.burst
        tokens, at = found
        return min(self.burst, tokens + max(0.0, now - at) * self.rate)

    def _trim(self, now: float) -> None:
        buckets = self._buckets
        while buckets:  # the least recently used first: once refilled, a bucket is the same as none
            tokens, at = next(iter(buckets.values()))
            if tokens + (now - at) * self.rate < self.burst and len(buckets) <= self._max:
                break
            buckets.popitem(last=False)


def take_all(now: float, *pairs: tuple[Buckets, Hashable]) -> float:
    """One token from every bucket named, or none at all.

    Returns:
        0 when taken; else the seconds until every one of them has a token.
    """
    waits = [buckets.wait(key, now) for buckets, key in pairs]
    longest = max(waits, default=0.0)
    if longest > 0:
        return longest
    for buckets, key in pairs:
        buckets.take(key, now)
    return 0.0


# ------------------------------------------------------------------ customers' messages


@dataclass(frozen=True, slots=True)
class Refusal:
    """A message that was not let through: how long to wait, and whether it is the first refusal since the
    customer's last accepted message (Telegram answers only that one)."""

    retry_after: float
    first: bool

    @property
    def retry_seconds(self) -> int:
        """``Retry-After`` as whole seconds (at least 1)."""
        return max(1, math.ceil(self.retry_after))


class MessageLimits:
    """Per-customer and per-address limits on customers' messages (``KEFU_MESSAGE_*``, ``KEFU_ADDRESS_*``).

    Args:
        clock: seconds, monotonic (tests move their own).
        polite: what a customer over the limit is told (the phrase bank's ``other.slow_down``, as the shop has it).
    """

    def __init__(self, settings: Settings, clock: Seconds = time.monotonic, polite: Callable[[], str] = str) -> None:
        self.enabled = settings.rate_limits
        self.polite = polite
        self.trust_forwarded = settings.trust_x_forwarded_for
        self._clock = clock
        self._customers = Buckets(settings.message_rate, settings.message_burst, clock)
        self._addresses = Buckets(settings.address_rate, settings.address_burst, clock)
        self._told: OrderedDict[tuple[str, str], None] = OrderedDict()  # refused since their last accepted message

    def admit(self, channel: str, customer: str, address: str | None) -> Refusal | None:
        """Let one message through (None), or refuse it. ``address`` None: not limited by address."""
        if not self.enabled:
            return None
        key = (channel, customer)
        pairs: list[tuple[Buckets, Hashable]] = [(self._customers, key)]
        if address is not None:
            pairs.append((self._addresses, address))
        wait = take_all(self._clock(), *pairs)
        if wait == 0:
            self._told.pop(key, None)
            return None
        first = key not in self._told
        if first:
            self._told[key] = None
            while len(self._told) > MAX_KEYS:
                self._told.popitem(last=False)
        return Refusal(wait, first)


def slow_down_text(phrases: PhraseBank, values: dict[str, str]) -> str:
    """What a customer over the limit is told: the phrase bank's ``other.slow_down``."""
    return str(phrases.render(SLOW_DOWN, values))


# ------------------------------------------------------------------ logins


@dataclass(slots=True)
class _Lock:
    failed: int = 0
    locked_until: dt.datetime | None = None


class Busy(Exception):
    """Too many password checks are running or waiting: the login is refused without one."""


class LoginGuard:
    """What bounds login attempts before and around the argon2 check (see docs/ARCHITECTURE.md, "Logins").

    Args:
        lock_rule: ``after_failure(failed, locked_until, now)`` and ``is_locked(locked_until, now)`` — the
            account lock-out rule (:class:`bot.desk.sessions.LockPolicy`), applied here to unknown names and to
            an account's usual addresses.
        clock: seconds for the address buckets (monotonic; tests move their own).
    """

    def __init__(self, settings: Settings, lock_rule: LockPolicy, clock: Seconds = time.monotonic) -> None:
        self.enabled = settings.rate_limits
        self.trust_forwarded = settings.trust_x_forwarded_for
        self._rule = lock_rule
        self._clock = clock
        self._addresses = Buckets(settings.login_address_per_minute / 60, settings.login_address_burst, clock)
        self._unknown: OrderedDict[str, _Lock] = OrderedDict()  # unknown names, locked like real ones
        self._usual: OrderedDict[tuple[str, str], dt.datetime] = OrderedDict()  # (name, address) -> last login
        self._pair_locks: OrderedDict[tuple[str, str], _Lock] = OrderedDict()  # failures from a usual address
        self._checks = asyncio.Semaphore(settings.login_checks_at_once)
        self._waiting_max = settings.login_checks_at_once * 4
        self._waiting = 0

    def address_wait(self, address: str) -> float:
        """Take one attempt from the address's bucket: 0, or the seconds until it has one."""
        if not self.enabled:
            return 0.0
        return take_all(self._clock(), (self._addresses, address))

    def is_usual(self, name: str, address: str, now: dt.datetime) -> bool:
        """Whether the account logged in from this address within the last 30 days (in this process)."""
        seen = self._usual.get((name, address))
        return seen is not None and now - seen < dt.timedelta(days=KNOWN_ADDRESS_DAYS)

    def remember(self, name: str, address: str, now: dt.datetime) -> None:
        """A successful login: the address is the account's usual one; its failures there are forgotten."""
        key = (name, address)
        self._usual[key] = now
        self._usual.move_to_end(key)
        self._pair_locks.pop(key, None)
        _bound(self._usual)

    def locked_until(self, key: Any, now: dt.datetime, *, pair: bool = False) -> dt.datetime | None:
        """The in-memory lock of an unknown name (or, ``pair``, of a name at its usual address), if locked."""
        found = (self._pair_locks if pair else self._unknown).get(key)
        if found is None or not self._rule.is_locked(found.locked_until, now):
            return None
        return found.locked_until

    def fail(self, key: Any, now: dt.datetime, *, pair: bool = False) -> dt.datetime | None:
        """Count a failure for an unknown name (or a name at its usual address); the lock it brings, if any."""
        table = self._pair_locks if pair else self._unknown
        record = table.get(key) or _Lock()
        record.failed, record.locked_until = self._rule.after_failure(record.failed, record.locked_until, now)
        table[key] = record
        table.move_to_end(key)
        _bound(table)
        return record.locked_until

    @asynccontextmanager
    async def checking(self) -> AsyncIterator[None]:
        """A turn to run one argon2 check: ``KEFU_LOGIN_CHECKS_AT_ONCE`` run, four times as many wait.

        Raises:
            Busy: that many are waiting already.
        """
        if self._waiting >= self._waiting_max:
            raise Busy
        self._waiting += 1
        try:
            await self._checks.acquire()
        finally:
            self._waiting -= 1
        try:
            yield
        finally:
            self._checks.release()


def _bound(table: OrderedDict[Any, Any]) -> None:
    while len(table) > MAX_KEYS:
        table.popitem(last=False)
