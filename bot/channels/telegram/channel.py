"""The Telegram channel of one process: receiving (long polling), and running the sender and the notices —
on PostgreSQL only in the worker holding the poller's advisory lock.

**Receiving** (``getUpdates``). A private text message, a photo (its largest size within ``KEFU_MAX_IMAGE_BYTES``,
or an image sent as a file) or ``/start`` (a greeting) becomes an :class:`~bot.engine.envelope.Inbound` for
:meth:`Engine.handle`. Anything else a customer sends (stickers, voice, video…) is answered by the channel itself —
"only text and photos" — without the engine: the flow would take an empty message for an unclear one and answer
that, while this says what to do instead; the content is stored as a marker (``[语音]``) with the reply, so agents
see it in the transcript. Other groups are ignored; in the agents' group only ``/start``, ``/help`` and ``/agent``
get a one-line hint. The offset moves past an update only once it is handled; one that failed for a passing reason
(the database is down, the photo could not be fetched) comes again with the next poll. Handling is idempotent by
Telegram's message id (unique per chat), so an update seen twice — across a restart too — is answered once. A chat
over the message rate limit (:mod:`bot.web.limits`) is not handled: the first refused message of a burst gets one
stored polite line asking the customer to send it again, the rest nothing.

**The poller's lock.** Telegram admits one ``getUpdates`` poller per bot (a second gets ``409 Conflict``). On
PostgreSQL the channel — receiving, sending and the notices — runs in the one worker holding a session-level
advisory lock (keyed by the token's hash) on a connection of its own; the others try every ``LOCK_RETRY_SECONDS``
and one takes over when the holder's session ends (it stopped, died, or lost the database). What another worker
stores for a Telegram customer reaches the holder's sender through the hub's link (:mod:`bot.engine.relay`). On
SQLite (one process) the channel simply runs.
"""

from __future__ import annotations

import asyncio
import hashlib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from contextlib import suppress
from dataclasses import replace
from functools import partial

import asyncpg
from sqlalchemy import insert
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session
from telegram import Bot, Update
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Conflict,
    Forbidden,
    InvalidToken,
    RetryAfter,
    TelegramError,
)
from telegram.request import HTTPXRequest

from bot.channels.telegram._common import CHANNEL, Redactor, log, seconds
from bot.channels.telegram.notices import EscalationNotices
from bot.channels.telegram.outbox import SENDS_AT_ONCE, Outbox
from bot.channels.telegram.parse import Received, file_base_url, read_update
from bot.config import Settings
from bot.engine import store
from bot.engine.engine import Engine
from bot.engine.envelope import IMAGE_TEXT, Inbound
from bot.engine.hub import Hub
from bot.errors import BadRequest as KefuBadRequest
from bot.errors import ConfigError, StorageError
from bot.web.limits import MessageLimits
from models import Clock, Database, utcnow

# How the loops pace themselves (module values, read when used: tests shorten them).
POLL_SECONDS = 25  # the long poll: Telegram answers at once when there is an update, else after this long
RETRY_SECONDS = 5.0  # after a failed poll, or an update that could not be handled yet
MAX_BACKOFF_SECONDS = 60.0
LOCK_RETRY_SECONDS = 5.0  # a worker without the poller's lock tries to take it this often (PostgreSQL)
LOCK_CHECK_SECONDS = 15.0  # the holder checks its lock's connection this often

# What the channel says to customers by itself is in the phrase bank (telegram.unsupported, telegram.photo_refused);
# the agents' group hears this hint (agents, not customers: no phrase).
AGENTS_HINT = "有顾客转人工时，我会在这个群里通知大家。接入会话请打开客服工作台：/agent"


def store_notice(received: Received, reply: str, session: Session) -> bool:
    """Store what the channel answers by itself (content it cannot read, a refused photo): the customer's
    message as a marker and the reply, with the customer's next seqs. False: this message was stored before."""
    customer = store.customer_for(session, CHANNEL, str(received.chat_id), received.name)
    if store.find_inbound(session, customer.id, received.message_id) is not None:
        return False
    conversation = store.open_conversation(session, customer.id, lock=True)
    seq = store.next_seq(session, customer.id, 2)
    common: dict[str, object] = {"customer_id": customer.id, "conversation_id": conversation.id, "intent": None, "confidence": None,
              "stage": conversation.stage, "buttons": []}
    session.execute(insert(store.MESSAGES), [
        {**common, "seq": seq, "direction": "in", "sender": "customer", "text": received.text or IMAGE_TEXT,
         "channel_message_id": received.message_id, "reply_to_seq": None},
        {**common, "seq": seq + 1, "direction": "out", "sender": "bot", "text": reply, "channel_message_id": None,
         "reply_to_seq": seq},
    ])
    return True


def store_slow_down(received: Received, reply: str, session: Session) -> None:
    """Store the one polite line for a customer over the message limit (their refused messages are not stored: they
    were not handled, and the line asks for them again), so the outbox sends it in order with the rest."""
    customer = store.customer_for(session, CHANNEL, str(received.chat_id), received.name)
    conversation = store.open_conversation(session, customer.id, lock=True)
    seq = store.next_seq(session, customer.id)
    session.execute(insert(store.MESSAGES).values(
        customer_id=customer.id, conversation_id=conversation.id, seq=seq, direction="out", sender="bot", text=reply,
        buttons=[], channel_message_id=None, intent=None, confidence=None, stage=conversation.stage,
        reply_to_seq=None,
    ))


class TelegramChannel:
    """The Telegram channel of one process: receiving, sending and the agents' notices.

    Args:
        settings: ``TELEGRAM_BOT_TOKEN`` (required), ``TELEGRAM_API_BASE_URL``, ``TELEGRAM_AGENT_CHAT_ID``.
        clock: the current time (the agents' notices count escalations from start-up).
        limits: the customers' message limits; over them a message is not handled, and the customer is told once
            (not once per refused message) to slow down and send it again.

    Raises:
        ConfigError: on construction, without a token or with a base URL the file URL cannot be derived from.
    """

    def __init__(
        self, settings: Settings, database: Database, engine: Engine, hub: Hub, clock: Clock | None = None,
        *, limits: MessageLimits | None = None,
    ) -> None:
        if settings.telegram_bot_token is None:
            raise ConfigError("TELEGRAM_BOT_TOKEN is not set")
        token = settings.telegram_bot_token.get_secret_value()
        base = settings.telegram_api_base_url or "https://api.telegram.org/bot"
        base = base.rstrip("/") if base.rstrip("/").endswith("/bot") else base
        self._requests = (
            HTTPXRequest(connection_pool_size=1, read_timeout=10, connect_timeout=5),  # getUpdates (+ its timeout)
            HTTPXRequest(connection_pool_size=SENDS_AT_ONCE + 2, read_timeout=20, connect_timeout=5, pool_timeout=10),
        )
        self._bot = Bot(token, base_url=base, base_file_url=file_base_url(base),
                        get_updates_request=self._requests[0], request=self._requests[1])
        self._db = database
        self._engine = engine
        self._hub = hub
        self._settings = settings
        self._limits = limits
        self._redact = Redactor(token)
        self.outbox = Outbox(self._bot, database, self._redact)
        self.notices = (
            EscalationNotices(self._bot, database, settings.telegram_agent_chat_id, self._redact, clock or utcnow)
            if settings.telegram_agent_chat_id is not None else None
        )
        self._offset: int | None = None
        self._tasks: list[asyncio.Task[None]] = []
        self._leader: asyncio.Task[None] | None = None
        self._lock_key = int.from_bytes(hashlib.sha256(b"kefu-telegram-poller:" + token.encode()).digest()[:8],
                                        "big", signed=True)
        self.leading = False  # this worker runs the channel now

    async def start(self) -> None:
        """Start the loops — on PostgreSQL once this worker holds the poller's lock (no network call to Telegram
        here: Telegram being down never stops start-up)."""
        if self._db.backend == "postgresql":
            self._leader = asyncio.create_task(self._lead(), name="kefu-telegram-lock")
        else:
            self._begin()

    async def stop(self) -> None:
        """Stop receiving, let sends in flight finish briefly, confirm what was handled, give up the poller's
        lock, close the connections."""
        if self._leader is not None:
            self._leader.cancel()
            with suppress(asyncio.CancelledError):
                await self._leader
        if self.leading:
            await self._end()
        for request in self._requests:
            await request.shutdown()
        log.info("event=telegram_stopped")

    def _begin(self) -> None:
        self.leading = True
        self._offset = None
        self.outbox.open()
        self._hub.watch(CHANNEL, self.outbox.wake, self.outbox.resync)
        self._tasks = [
            asyncio.create_task(self._receive(), name="kefu-telegram-receive"),
            asyncio.create_task(self.outbox.run(), name="kefu-telegram-sweep"),
        ]
        if self.notices is not None:
            self._tasks.append(asyncio.create_task(self.notices.run(), name="kefu-telegram-notices"))
        log.info("event=telegram_started agents_chat=%s", "yes" if self.notices else "no")

    async def _end(self) -> None:
        self._hub.unwatch(CHANNEL, self.outbox.wake)
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with suppress(asyncio.CancelledError):
                await task
        self._tasks = []
        await self.outbox.close()
        if self._offset is not None and not self.outbox.token_rejected:
            # Tell Telegram what was handled, so the next start does not fetch it again (it would be answered once
            # anyway).
            with suppress(TelegramError, TimeoutError):
                await asyncio.wait_for(self._bot.get_updates(offset=self._offset, timeout=0, limit=1), 3)
        self.leading = False
        log.info("event=telegram_paused")

    async def _lead(self) -> None:
        """Run the channel while this worker holds the poller's lock (PostgreSQL): ``pg_try_advisory_lock`` on a
        connection of its own, held for as long as the worker lives. Telegram admits one ``getUpdates`` poller
        per bot, so the other workers retry every ``LOCK_RETRY_SECONDS``; when the holder dies its session ends,
        the lock is released and one of them takes over. A holder that loses its connection stops the channel
        first, then competes again."""
        from bot.engine.relay import asyncpg_dsn

        dsn = asyncpg_dsn(self._db.url)
        while True:
            connection: asyncpg.Connection | None = None
            try:
                connection = await asyncpg.connect(dsn, timeout=10)
                await self._hold(connection)
            except (OSError, TimeoutError, asyncpg.PostgresError, asyncpg.InterfaceError) as exc:
                log.warning("event=telegram_lock_lost error=%s", type(exc).__name__)
            finally:
                if self.leading:
                    await self._end()
                if connection is not None and not connection.is_closed():
                    connection.terminate()  # ends the session: the lock goes with it
            await asyncio.sleep(LOCK_RETRY_SECONDS)

    async def _hold(self, connection: asyncpg.Connection) -> None:
        """Wait for the lock on ``connection``, then run the channel until the connection is lost (a closed
        socket is noticed at once, a silent one by a check every ``LOCK_CHECK_SECONDS``)."""
        lost = asyncio.Event()
        connection.add_termination_listener(lambda _connection: lost.set())
        while not await connection.fetchval("SELECT pg_try_advisory_lock($1)", self._lock_key):
            with suppress(TimeoutError):
                async with asyncio.timeout(LOCK_RETRY_SECONDS):
                    await lost.wait()
            if lost.is_set():
                return
        log.info("event=telegram_lock_taken")
        self._begin()
        while not lost.is_set():
            with suppress(TimeoutError):
                async with asyncio.timeout(LOCK_CHECK_SECONDS):
                    await lost.wait()
            if not lost.is_set():
                async with asyncio.timeout(LOCK_CHECK_SECONDS):
                    await connection.fetchval("SELECT 1")
        log.warning("event=telegram_lock_lost reason=connection_closed")

    # ---------------------------------------------------------------- receiving

    async def _receive(self) -> None:
        backoff = RETRY_SECONDS
        while True:  # who the bot is (checks the token), and no webhook in the way of polling
            try:
                await self._bot.initialize()
                await self._bot.delete_webhook()
                break
            except InvalidToken as exc:
                self.outbox.token_rejected = True
                log.error("event=telegram_token_rejected error=%s (the Telegram channel is off; the rest serves on)",
                          self._redact.why(exc))
                return
            except TelegramError as exc:
                log.warning("event=telegram_connect_failed error=%s retry_in=%.0f", self._redact.why(exc), backoff)
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, MAX_BACKOFF_SECONDS)
        log.info("event=telegram_connected bot=%s", self._bot.username)
        backoff = RETRY_SECONDS
        while True:
            try:
                updates = await self._bot.get_updates(
                    offset=self._offset, timeout=POLL_SECONDS, allowed_updates=["message"]
                )
            except RetryAfter as exc:
                await asyncio.sleep(seconds(exc.retry_after))
                continue
            except InvalidToken as exc:
                self.outbox.token_rejected = True
                log.error("event=telegram_token_rejected error=%s", self._redact.why(exc))
                return
            except Conflict as exc:
                log.error("event=telegram_poll_conflict error=%s (another process polls with this token)",
                          self._redact.why(exc))
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, MAX_BACKOFF_SECONDS)
                continue
            except TelegramError as exc:
                log.warning("event=telegram_poll_failed error=%s retry_in=%.0f", self._redact.why(exc), backoff)
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, MAX_BACKOFF_SECONDS)
                continue
            backoff = RETRY_SECONDS
            if not updates:
                continue
            handled_to = await self._handle_batch(updates)
            self._offset = handled_to
            if handled_to <= updates[-1].update_id:  # something waits for a passing failure to pass
                await asyncio.sleep(RETRY_SECONDS)

    async def _handle_batch(self, updates: Sequence[Update]) -> int:
        """Handle a batch (each chat in order, chats side by side); returns the offset to poll from next:
        everything before it is handled."""
        chats: dict[int, list[Update]] = defaultdict(list)
        for item in updates:
            chats[item.effective_chat.id if item.effective_chat else 0].append(item)
        unhandled: list[int] = []

        async def one_chat(items: Iterable[Update]) -> None:
            for item in items:
                if not await self._handle(item):
                    unhandled.append(item.update_id)
                    return  # the chat's later messages wait too: they are answered in order

        await asyncio.gather(*(one_chat(items) for items in chats.values()))
        return min(unhandled) if unhandled else updates[-1].update_id + 1

    async def _handle(self, update: Update) -> bool:
        """Handle one update; False if it must come again (a passing failure)."""
        received = read_update(update, self._settings.telegram_agent_chat_id, self._settings.max_image_bytes)
        if received is None:
            return True
        try:
            if received.kind == "agents":
                await self._bot.send_message(received.chat_id, AGENTS_HINT)
                return True
            customer = str(received.chat_id)
            self.outbox.unblock(customer)
            refusal = self._limits.admit(CHANNEL, customer, None) if self._limits is not None else None
            if refusal is not None:
                log.info("event=rate_limited channel=telegram first=%s", refusal.first)
                if refusal.first:
                    assert self._limits is not None
                    await self._db.run(partial(store_slow_down, received, self._limits.polite()))
            elif received.kind == "unsupported":
                await self._db.run(partial(store_notice, received, self._engine.say("telegram.unsupported")))
            else:
                await self._answer(received)
            self.outbox.wake(customer)
            return True
        except StorageError:
            return False  # the engine logged it; the update comes again
        except SQLAlchemyError as exc:
            log.warning("event=telegram_receive_failed reason=database error=%s", type(exc).__name__)
            return False
        except (BadRequest, Forbidden, ChatMigrated) as exc:  # the photo cannot be fetched, the group is gone
            log.warning("event=telegram_receive_refused error=%s", self._redact.why(exc))
            return True
        except TelegramError as exc:  # network: fetch the photo again later
            log.warning("event=telegram_receive_failed error=%s", self._redact.why(exc))
            return False
        except Exception as exc:  # a bug: logged in full (masked), and skipped so it cannot block the chat
            log.error("event=telegram_receive_failed reason=unexpected %s", self._redact.trace(exc))
            return True

    async def _answer(self, received: Received) -> None:
        image = None
        if received.kind == "photo":
            assert received.file_id is not None
            try:
                file = await self._bot.get_file(received.file_id)
                image = bytes(await file.download_as_bytearray())
            except BadRequest as exc:  # Telegram will not hand it over (over its 20 MB download limit)
                log.warning("event=telegram_photo_refused error=%s", self._redact.why(exc))
                await self._refuse_photo(received)
                return
        inbound = Inbound(CHANNEL, str(received.chat_id), received.text, message_id=received.message_id,
                          display_name=received.name, image=image)
        try:
            await self._engine.handle(inbound)
        except KefuBadRequest as exc:  # a photo that is too large or not an image
            log.info("event=telegram_photo_refused reason=%s", exc)
            await self._refuse_photo(received)

    async def _refuse_photo(self, received: Received) -> None:
        limit = self._settings.max_image_bytes / 1024 / 1024
        refused = replace(received, text=f"{IMAGE_TEXT} {received.text}".strip())
        await self._db.run(partial(store_notice, refused, self._engine.say("telegram.photo_refused", {"limit": f"{limit:g}"})))
