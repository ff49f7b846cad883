"""Sending: everything stored for a Telegram customer goes out in seq order, after their delivery cursor.

Everything for a Telegram customer — the bot's replies, an agent's message, the follow-up, the offline-requeue
notice — is first stored in ``messages`` with the customer's seq, by whichever worker wrote it. One sender per
customer (:class:`Outbox`) sends the outbound messages after the customer's delivery cursor
(``customers.delivered_seq``) in seq order and moves the cursor after each successful send: exactly once in order
while nothing crashes; *at least once* across a crash (or a timed-out request that did reach Telegram) between a
send and the cursor update. It is woken by the :class:`~bot.engine.hub.Hub` (anything published for a Telegram
customer) and after each inbound message, and sweeps every ``SWEEP_SECONDS``, so what was stored while the channel
was down — or by another worker — still goes out. Buttons become a one-time reply keyboard (a tap sends the label
as text, which the flow maps back itself); a message without buttons removes the keyboard, unless it answers the
same customer message as an earlier bubble that had buttons. Telegram errors are logged (never with the token) and
retried later; ``429`` waits as long as Telegram asks; ``Forbidden`` (the customer blocked the bot) stops sending to
that customer until they write again.
"""

from __future__ import annotations

import asyncio
from contextlib import suppress
from dataclasses import dataclass
from functools import partial
from typing import Literal

from sqlalchemy import select, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session
from telegram import Bot
from telegram.error import BadRequest, ChatMigrated, Forbidden, InvalidToken, RetryAfter, TelegramError

from bot.channels.telegram._common import CHANNEL, Redactor, log, seconds
from bot.channels.telegram.parse import reply_markup, split_text
from bot.engine import store
from models import Database

# How the sender paces itself (module values, read when used: tests shorten them).
SWEEP_SECONDS = 10.0  # the sender looks for undelivered messages this often
STOP_GRACE_SECONDS = 3.0  # at shutdown, a send in flight may finish (and move its cursor) this long
SENDS_AT_ONCE = 8
BATCH = 100

AGENT_PREFIX = "人工客服："


@dataclass(frozen=True, slots=True)
class Outgoing:
    """One stored outbound message, ready to send."""

    seq: int
    text: str
    buttons: tuple[str, ...]
    sender: str
    keep_keyboard: bool


@dataclass(frozen=True, slots=True)
class Pending:
    """What a customer has not been sent yet: ``messages`` in seq order; ``upto`` the highest seq read (inbound
    messages after the last outbound one need no delivery); ``more`` if the batch was full."""

    customer_id: int
    cursor: int
    messages: tuple[Outgoing, ...]
    upto: int
    more: bool


def pending_for(external_id: str, session: Session) -> Pending | None:
    """The customer's messages after the delivery cursor (None: no such Telegram customer)."""
    customers, messages = store.CUSTOMERS.c, store.MESSAGES.c
    row = session.execute(
        select(customers.id, customers.delivered_seq)
        .where(customers.channel == CHANNEL, customers.external_id == external_id)
    ).first()
    if row is None:
        return None
    customer_id, cursor = int(row[0]), int(row[1])
    rows = session.execute(
        select(messages.seq, messages.direction, messages.text, messages.buttons, messages.sender,
               messages.reply_to_seq)
        .where(messages.customer_id == customer_id, messages.seq > cursor)
        .order_by(messages.seq)
        .limit(BATCH)
    ).all()
    had_buttons: dict[int, bool] = {}  # per customer message answered: has a bubble with buttons gone before?
    outgoing = []
    for seq, direction, text, buttons, sender, reply_to in rows:
        if direction != "out":
            continue
        if reply_to is not None and reply_to not in had_buttons:
            had_buttons[reply_to] = any(session.execute(  # the earlier bubbles of this answer, already sent
                select(messages.buttons).where(messages.customer_id == customer_id, messages.reply_to_seq == reply_to,
                                               messages.direction == "out", messages.seq <= cursor)
            ).scalars())
        keep = reply_to is not None and had_buttons[reply_to]
        labels = tuple(str(b) for b in buttons or ())
        outgoing.append(Outgoing(int(seq), text, labels, sender, keep_keyboard=keep and not labels))
        if reply_to is not None and labels:
            had_buttons[reply_to] = True
    upto = int(rows[-1][0]) if rows else cursor
    return Pending(customer_id, cursor, tuple(outgoing), upto, more=len(rows) == BATCH)


def advance(customer_id: int, seq: int, session: Session) -> None:
    """Move the delivery cursor to ``seq`` (never back)."""
    customers = store.CUSTOMERS.c
    session.execute(
        update(store.CUSTOMERS).where(customers.id == customer_id, customers.delivered_seq < seq)
        .values(delivered_seq=seq)
    )


def undelivered(session: Session) -> list[str]:
    """Telegram customers with messages after their delivery cursor."""
    customers = store.CUSTOMERS.c
    return list(session.execute(
        select(customers.external_id)
        .where(customers.channel == CHANNEL, customers.last_seq > customers.delivered_seq)
        .order_by(customers.id)
        .limit(1000)
    ).scalars())


class Outbox:
    """Sends each Telegram customer what is stored for them after their delivery cursor, in seq order.

    One delivery task per customer at a time (order), any number of customers at once (at most
    ``SENDS_AT_ONCE`` requests in flight). See the module docstring for the guarantees.
    """

    def __init__(self, bot: Bot, database: Database, redactor: Redactor) -> None:
        self._bot = bot
        self._db = database
        self._redact = redactor
        self._tasks: dict[str, asyncio.Task[None]] = {}
        self._again: set[str] = set()
        self._blocked: set[str] = set()
        self._sending = asyncio.Semaphore(SENDS_AT_ONCE)
        self._sweep_now = asyncio.Event()
        self._closing = False
        self.token_rejected = False

    def wake(self, customer: str) -> None:
        """Deliver what is pending for ``customer`` (a Telegram chat id) soon. Cheap; never raises."""
        if self._closing or self.token_rejected or customer in self._blocked:
            return
        if customer in self._tasks:
            self._again.add(customer)
            return
        self._tasks[customer] = asyncio.create_task(self._deliver_loop(customer), name=f"kefu-telegram-send-{customer}")

    def unblock(self, customer: str) -> None:
        """The customer wrote again: they no longer block the bot."""
        self._blocked.discard(customer)

    async def sweep(self) -> None:
        """Wake every customer with undelivered messages (after a restart, or what another worker stored)."""
        for customer in await self._db.run(undelivered):
            self.wake(customer)

    def resync(self) -> None:
        """Sweep now (wake-ups may have been missed). Cheap; never raises."""
        self._sweep_now.set()

    async def run(self) -> None:
        while True:
            self._sweep_now.clear()
            try:
                await self.sweep()
            except SQLAlchemyError as exc:
                log.warning("event=telegram_sweep_failed error=%s", type(exc).__name__)
            with suppress(TimeoutError):
                async with asyncio.timeout(SWEEP_SECONDS):
                    await self._sweep_now.wait()

    def open(self) -> None:
        """Deliver again after :meth:`close` (this worker polls again)."""
        self._closing = False

    async def close(self) -> None:
        """Let sends in flight finish (briefly), then stop every delivery."""
        self._closing = True
        running = list(self._tasks.values())
        if running:
            _, late = await asyncio.wait(running, timeout=STOP_GRACE_SECONDS)
            for task in late:
                task.cancel()
            for task in late:
                with suppress(asyncio.CancelledError):
                    await task

    async def _deliver_loop(self, customer: str) -> None:
        try:
            while True:
                self._again.discard(customer)
                try:
                    await self._deliver(customer)
                except SQLAlchemyError as exc:  # the sweep tries again
                    log.warning("event=telegram_send_failed reason=database error=%s", type(exc).__name__)
                    return
                except Exception as exc:  # a bug: logged in full (masked), the sweep tries again
                    log.error("event=telegram_send_failed reason=unexpected %s", self._redact.trace(exc))
                    return
                if customer not in self._again or self._closing or customer in self._blocked:
                    return
        finally:
            self._tasks.pop(customer, None)

    async def _deliver(self, customer: str) -> None:
        try:
            chat_id = int(customer)
        except ValueError:
            log.error("event=telegram_send_failed reason=not_a_chat_id")
            self._blocked.add(customer)
            return
        while not self._closing:
            pending = await self._db.run(partial(pending_for, customer))
            if pending is None:
                return
            for message in pending.messages:
                if self._closing:
                    return
                outcome = await self._send(chat_id, message, pending.customer_id)
                if outcome == "stop":
                    return
                await self._db.run(partial(advance, pending.customer_id, message.seq))  # "sent" or "skipped"
            if pending.upto > (pending.messages[-1].seq if pending.messages else pending.cursor):
                await self._db.run(partial(advance, pending.customer_id, pending.upto))  # inbound: nothing to send
            if not pending.more:
                return

    async def _send(self, chat_id: int, message: Outgoing, customer_id: int) -> Literal["sent", "skipped", "stop"]:
        text = AGENT_PREFIX + message.text if message.sender == "agent" else message.text
        markup = reply_markup(message.buttons, keep=message.keep_keyboard)
        pieces = split_text(text)
        while True:
            try:
                async with self._sending:
                    for number, piece in enumerate(pieces, 1):
                        await self._bot.send_message(chat_id, piece, reply_markup=markup if number == len(pieces) else None)
                return "sent"
            except RetryAfter as exc:  # flood control: wait as long as Telegram asks, then the same message again
                wait = seconds(exc.retry_after)
                log.warning("event=telegram_flood_wait customer=%s seconds=%.0f", customer_id, wait)
                await asyncio.sleep(wait)
            except Forbidden as exc:
                self._blocked.add(str(chat_id))
                log.warning("event=telegram_blocked customer=%s error=%s (not sending until they write again)",
                            customer_id, self._redact.why(exc))
                return "stop"
            except InvalidToken as exc:
                self.token_rejected = True
                log.error("event=telegram_token_rejected error=%s", self._redact.why(exc))
                return "stop"
            except (BadRequest, ChatMigrated) as exc:  # this message can never go: skip it, keep the rest coming
                log.error("event=telegram_message_refused customer=%s seq=%s error=%s", customer_id, message.seq,
                          self._redact.why(exc))
                return "skipped"
            except TelegramError as exc:  # network, timeouts, Telegram's 5xx: the sweep tries again
                log.warning("event=telegram_send_failed customer=%s seq=%s error=%s", customer_id, message.seq,
                            self._redact.why(exc))
                return "stop"

