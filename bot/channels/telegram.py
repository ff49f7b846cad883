"""The Telegram channel: customers write to the shop's bot in a private chat; agents hear of escalations in
their group.

:class:`TelegramChannel` holds a python-telegram-bot :class:`~telegram.Bot` (it does not inherit from it) and
runs three loops, started and stopped by :func:`bot.engine.services.open_services` when ``TELEGRAM_BOT_TOKEN`` is set
(the web chat runs without it, and keeps running when Telegram is unreachable or rejects the token):

- **Receiving** (long polling, ``getUpdates``). A private text message, a photo (its largest size within
  ``KEFU_MAX_IMAGE_BYTES``, or an image sent as a file) or ``/start`` (a greeting) becomes an
  :class:`~bot.engine.envelope.Inbound` for :meth:`Engine.handle`. Anything else a customer sends (stickers, voice,
  video…) is answered by the channel itself — "only text and photos" — without the engine: the flow would take
  an empty message for an unclear one and answer that, while this says what to do instead; the content is
  stored as a marker (``[语音]``) with the reply, so agents see it in the transcript. Other groups are ignored;
  in the agents' group only ``/start``, ``/help`` and ``/agent`` get a one-line hint. The offset moves past an
  update only once it is handled; one that failed for a passing reason (the database is down, the photo could
  not be fetched) comes again with the next poll. Handling is idempotent by Telegram's message id (unique per
  chat), so an update seen twice — across a restart too — is answered once. A chat over the message rate limit
  (:mod:`bot.web.limits`) is not handled: the first refused message of a burst gets one stored polite line asking the
  customer to send it again, the rest nothing.
- **Sending** (:class:`Outbox`). Everything for a Telegram customer — the bot's replies, an agent's message,
  the follow-up, the offline-requeue notice — is first stored in ``messages`` with the customer's seq, by
  whichever worker wrote it. One sender per customer sends the outbound messages after the customer's delivery
  cursor (``customers.delivered_seq``) in seq order and moves the cursor after each successful send: exactly
  once in order while nothing crashes; *at least once* across a crash (or a timed-out request that did reach
  Telegram) between a send and the cursor update. It is woken by the :class:`~bot.engine.hub.Hub` (anything published
  for a Telegram customer) and after each inbound message, and sweeps every 10 s, so what was stored while the
  channel was down — or by another worker — still goes out. Buttons become a one-time reply keyboard (a tap
  sends the label as text, which the flow maps back itself); a message without buttons removes the keyboard,
  unless it answers the same customer message as an earlier bubble that had buttons. Telegram errors are logged
  (never with the token) and retried later; ``429`` waits as long as Telegram asks; ``Forbidden`` (the customer
  blocked the bot) stops sending to that customer until they write again.
- **Escalation notices** (:class:`EscalationNotices`, when ``TELEGRAM_AGENT_CHAT_ID`` is set). Every 3 s it
  looks for conversations escalated (on any channel) since the worker started, still waiting for a person and
  not yet announced, claims each notice in the database (``conversations.noticed_at``, one conditional UPDATE)
  and posts a short plain-text notice to the agents' group: once, whichever worker runs it, and not again after
  a takeover. A post that fails for a passing reason gives its claim back; a worker that dies between claim and
  post loses that notice (at most once).

Telegram admits one ``getUpdates`` poller per bot (a second gets ``409 Conflict``). On PostgreSQL the channel —
receiving, sending and the notices — runs in the one worker holding a session-level advisory lock (keyed by
the token's hash) on a connection of its own; the others try every ``LOCK_RETRY_SECONDS`` and one takes over
when the holder's session ends (it stopped, died, or lost the database). What another worker stores for a
Telegram customer reaches the holder's sender through the hub's link (:mod:`bot.engine.relay`). On SQLite (one
process) the channel simply runs.

The token is part of every Bot API URL. This module never logs a URL, a request or a Telegram exception's
traceback: errors are logged as their type and masked message (:func:`_why`). httpx logs every request URL at
INFO and python-telegram-bot logs its base URL at DEBUG: :func:`bot.logsafe.configure_logging` (called by
``python -m bot serve``) keeps those loggers at WARNING and masks the token in every record.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import logging
import os
import traceback
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from contextlib import suppress
from dataclasses import dataclass, replace
from functools import partial
from typing import Literal

import asyncpg
from sqlalchemy import ColumnElement, insert, or_, select, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session
from telegram import Bot, KeyboardButton, ReplyKeyboardMarkup, ReplyKeyboardRemove, Update
from telegram.constants import ChatType, MessageLimit
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

from bot.config import Settings
from bot.engine import store
from bot.engine.engine import Engine
from bot.engine.envelope import IMAGE_TEXT, Inbound, cleaned
from bot.engine.hub import Hub
from bot.engine.records import DisputeRecord
from bot.errors import BadRequest as KefuBadRequest
from bot.errors import ConfigError, StorageError
from bot.logsafe import mask
from bot.web.limits import MessageLimits
from models import Conversation, Customer, Database, Dispute, as_utc, utcnow
from models import Message as StoredMessage

# python-telegram-bot 22 warns whenever a time period (RetryAfter.retry_after) is read as a number of seconds, even
# while building the exception; opt in to the coming type (datetime.timedelta), which the code below expects. It is
# read when used, so setting it here, before any Telegram call, is enough.
os.environ.setdefault("PTB_TIMEDELTA", "true")

log = logging.getLogger("kefu.telegram")
Clock = Callable[[], dt.datetime]
CHANNEL = "telegram"

# How the loops pace themselves (module values, read when used: tests shorten them).
POLL_SECONDS = 25  # the long poll: Telegram answers at once when there is an update, else after this long
RETRY_SECONDS = 5.0  # after a failed poll, or an update that could not be handled yet
MAX_BACKOFF_SECONDS = 60.0
SWEEP_SECONDS = 10.0  # the sender looks for undelivered messages this often
ESCALATION_SECONDS = 3.0  # the agents' notices look for new escalations this often
LOCK_RETRY_SECONDS = 5.0  # a worker without the poller's lock tries to take it this often (PostgreSQL)
LOCK_CHECK_SECONDS = 15.0  # the holder checks its lock's connection this often
STOP_GRACE_SECONDS = 3.0  # at shutdown, a send in flight may finish (and move its cursor) this long
SENDS_AT_ONCE = 8
BATCH = 100

# What the channel itself says. (To move into the phrase bank with the other wordings.)
UNSUPPORTED_TEXT = "亲，我这边暂时只能看懂文字和图片哦～麻烦您打字告诉我，或者发张照片，我马上帮您看！"
PHOTO_REFUSED_TEXT = "抱歉亲，这张图片没能收下（请发 {limit} MB 以内的 JPG、PNG、GIF 或 WebP 图片），麻烦换一张再试试～"
AGENTS_HINT = "有顾客转人工时，我会在这个群里通知大家。接入会话请打开客服工作台：/agent"
AGENT_PREFIX = "人工客服："
GREETING = "你好"

_MARKERS = (  # what the transcript shows for content the bot cannot read
    ("sticker", "[贴纸]"), ("voice", "[语音]"), ("audio", "[音频]"), ("video_note", "[视频]"), ("video", "[视频]"),
    ("animation", "[动图]"), ("document", "[文件]"), ("location", "[位置]"), ("venue", "[位置]"),
    ("contact", "[名片]"), ("poll", "[投票]"), ("dice", "[表情]"),
)
_DISPUTES = {"product": "商品问题", "logistics": "物流问题", "payment": "支付问题", "service": "服务问题"}
_REASONS = {"dispute": "售后纠纷", "human": "顾客要求人工", "misunderstood": "机器人没听懂"}
_CHANNELS = {"web": "网页聊天", "rest": "API", "telegram": "Telegram", "terminal": "终端"}
_AGENT_COMMANDS = frozenset({"/start", "/help", "/agent"})


# ------------------------------------------------------------------ deciding (pure)


def file_base_url(base_url: str) -> str:
    """The file-download base that goes with a Bot API base URL: ``…/bot`` → ``…/file/bot`` (the layout of
    Telegram's servers and of ``telegram-bot-api``); ``…/bot{token}…`` likewise.

    Raises:
        ConfigError: the URL is not http(s) or has no ``/bot`` part to derive it from.
    """
    if not base_url.startswith(("http://", "https://")):
        raise ConfigError("TELEGRAM_API_BASE_URL must be an http:// or https:// URL ending in /bot")
    at = base_url.rfind("/bot{")
    if at >= 0:
        return f"{base_url[:at]}/file{base_url[at:]}"
    if base_url.endswith("/bot"):
        return f"{base_url[:-4]}/file/bot"
    raise ConfigError("TELEGRAM_API_BASE_URL must end with /bot (for example http://127.0.0.1:8081/bot)")


@dataclass(frozen=True, slots=True)
class Received:
    """What one update asks of the channel.

    ``kind``: ``text`` and ``photo`` go to the engine; ``unsupported`` is answered by the channel;
    ``agents`` is a command in the agents' group.
    """

    kind: Literal["text", "photo", "unsupported", "agents"]
    chat_id: int
    message_id: str
    text: str = ""
    name: str | None = None
    file_id: str | None = None


def read_update(update: Update, agent_chat_id: int | None, max_image_bytes: int) -> Received | None:
    """Decide what an update is (no IO); None: nothing to do (another group, an edit, a service message)."""
    message = update.message
    if message is None:
        return None
    chat = message.chat
    if chat.type != ChatType.PRIVATE:
        words = (message.text or "").split()
        command = words[0].split("@")[0] if words else ""  # /agent@ShopBot in a group
        if agent_chat_id is not None and chat.id == agent_chat_id and command in _AGENT_COMMANDS:
            return Received("agents", chat.id, str(message.message_id))
        return None
    name = cleaned(message.from_user.full_name[:128]) if message.from_user else None
    base = Received("text", chat.id, str(message.message_id), name=name)
    if message.text is not None:
        text = cleaned(message.text)
        if text == "/start" or text.startswith("/start "):  # Telegram's first message: a greeting
            text = GREETING
        return replace(base, text=text)
    caption = cleaned(message.caption or "")
    if message.photo:
        sizes = [p for p in message.photo if p.file_size is None or p.file_size <= max_image_bytes] or [message.photo[0]]
        largest = max(sizes, key=lambda p: (p.width * p.height, p.file_size or 0))
        return replace(base, kind="photo", text=caption, file_id=largest.file_id)
    document = message.document
    if document is not None and message.animation is None and (document.mime_type or "").startswith("image/"):
        return replace(base, kind="photo", text=caption, file_id=document.file_id)  # a photo sent as a file
    marker = next((m for attr, m in _MARKERS if getattr(message, attr, None)), None)
    if marker is None and message.effective_attachment is not None:
        marker = "[消息]"
    if marker is None:
        return None
    return replace(base, kind="unsupported", text=f"{marker} {caption}".strip())


def keyboard_rows(labels: Sequence[str]) -> list[list[str]]:
    """Buttons laid out in rows: four short labels (sizes) a row, two medium ones, long ones alone."""
    longest = max((len(label) for label in labels), default=0)
    per_row = 4 if longest <= 4 else 2 if longest <= 8 else 1
    return [list(labels[i:i + per_row]) for i in range(0, len(labels), per_row)]


def reply_markup(buttons: Sequence[str], *, keep: bool) -> ReplyKeyboardMarkup | ReplyKeyboardRemove | None:
    """A one-time reply keyboard for ``buttons``; without buttons, the keyboard is removed (stale choices go)
    unless ``keep`` (an earlier bubble of the same answer carries it)."""
    if buttons:
        rows = [[KeyboardButton(label) for label in row] for row in keyboard_rows(buttons)]
        return ReplyKeyboardMarkup(rows, resize_keyboard=True, one_time_keyboard=True)
    return None if keep else ReplyKeyboardRemove()


def split_text(text: str, limit: int = MessageLimit.MAX_TEXT_LENGTH) -> list[str]:
    """``text`` in pieces Telegram accepts (an agent may paste more than 4096 characters)."""
    text = text or " "
    return [text[i:i + limit] for i in range(0, len(text), limit)]


@dataclass(frozen=True, slots=True)
class Escalation:
    """A conversation that went to the agents' queue, as the agents' group is told of it."""

    conversation_id: int
    escalated_at: dt.datetime
    reason: str | None
    dispute_type: str | None
    channel: str
    words: str
    emotion: str | None


def notice_text(escalation: Escalation, *, words_limit: int = 60) -> str:
    """The agents' group notice (plain text: sent without parse_mode, so nothing in it is markup). The
    customer's words are masked (phones, addresses) and cut short: the group is not the console."""
    words = " ".join(escalation.words.split())
    words = mask(words)
    if len(words) > words_limit:
        words = words[:words_limit] + "…"
    if escalation.dispute_type:
        why = f"类型：{_DISPUTES.get(escalation.dispute_type, escalation.dispute_type)}"
    else:
        why = f"原因：{_REASONS.get(escalation.reason or '', escalation.reason or '转人工')}"
    lines = [
        f"🔔 新的转人工会话 #{escalation.conversation_id}",
        why,
        f"渠道：{_CHANNELS.get(escalation.channel, escalation.channel)}",
        f"顾客说：{words or '（无）'}",
    ]
    if escalation.emotion:
        lines.append(f"情绪：{escalation.emotion}")
    lines.append("在工作台接入：/agent")
    return "\n".join(lines)


def _seconds(value: int | float | dt.timedelta) -> float:
    return value.total_seconds() if isinstance(value, dt.timedelta) else float(value)




class _Redactor:
    """Describes failures for the log with the token masked (a Telegram error's message may quote it)."""

    def __init__(self, token: str) -> None:
        self._secrets = (token,)

    def why(self, exc: BaseException) -> str:
        kind, said = type(exc).__name__, str(exc)
        return mask(said if said.startswith(kind) else f"{kind}: {said}", self._secrets)

    def trace(self, exc: BaseException) -> str:
        return mask("".join(traceback.format_exception(exc)), self._secrets)


# ------------------------------------------------------------------ units of work


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


def escalations_since(since: dt.datetime, session: Session) -> list[Escalation]:
    """Conversations escalated at or after ``since``, still waiting for a person and not yet announced (no
    notice claimed for this escalation), oldest first."""
    rows = session.execute(
        select(Conversation.id, Conversation.escalated_at, Conversation.escalation_reason, Customer.channel)
        .join(Customer, Customer.id == Conversation.customer_id)
        .where(Conversation.escalated_at >= since, Conversation.status == "waiting_agent", _unclaimed())
        .order_by(Conversation.escalated_at, Conversation.id)
        .limit(200)
    ).all()
    found = []
    for conversation_id, escalated_at, reason, channel in rows:
        dispute = session.execute(
            select(Dispute).where(Dispute.conversation_id == conversation_id).order_by(Dispute.id.desc()).limit(1)
        ).scalar_one_or_none()
        if dispute is not None:
            words = dispute.opening_message
            emotion = DisputeRecord.of(dispute.details).emotion
            label = emotion.label if emotion else None
        else:
            words = session.execute(
                select(StoredMessage.text)
                .where(StoredMessage.conversation_id == conversation_id, StoredMessage.direction == "in")
                .order_by(StoredMessage.seq.desc()).limit(1)
            ).scalar_one_or_none() or ""
            label = None
        assert escalated_at is not None  # the query asks for it
        found.append(Escalation(
            conversation_id, as_utc(escalated_at), reason, dispute.type if dispute else None, channel, words,
            str(label) if label else None,
        ))
    return found


def _unclaimed() -> ColumnElement[bool]:
    return or_(Conversation.noticed_at.is_(None), Conversation.noticed_at < Conversation.escalated_at)


def claim_notice(conversation_id: int, session: Session) -> bool:
    """Claim the notice of the conversation's current escalation; False: another worker claimed it first.
    One conditional UPDATE: of two workers claiming at once, one changes the row and the other finds it
    claimed."""
    claimed = session.execute(
        update(Conversation).where(Conversation.id == conversation_id, _unclaimed())
        .values(noticed_at=Conversation.escalated_at)
        .execution_options(synchronize_session=False)
    )
    return bool(claimed.rowcount == 1)  # type: ignore[attr-defined]


def unclaim_notice(conversation_id: int, session: Session) -> None:
    """Give the claim back (the notice did not go out for a passing reason: the next round posts it)."""
    session.execute(
        update(Conversation).where(Conversation.id == conversation_id).values(noticed_at=None)
        .execution_options(synchronize_session=False)
    )


# ------------------------------------------------------------------ sending


class Outbox:
    """Sends each Telegram customer what is stored for them after their delivery cursor, in seq order.

    One delivery task per customer at a time (order), any number of customers at once (at most
    ``SENDS_AT_ONCE`` requests in flight). See the module docstring for the guarantees.
    """

    def __init__(self, bot: Bot, database: Database, redactor: _Redactor) -> None:
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
                wait = _seconds(exc.retry_after)
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


# ------------------------------------------------------------------ agents' group


class EscalationNotices:
    """Posts a notice to the agents' group for every chat escalated since start-up, once: each notice is claimed
    in the database first (:func:`claim_notice`), so a second worker, or a poller taking over from one that
    died, never posts it again. At most once: a worker that dies between the claim and the post loses that one
    notice; a post that fails for a passing reason gives its claim back and is tried again."""

    def __init__(self, bot: Bot, database: Database, chat_id: int, redactor: _Redactor, clock: Clock) -> None:
        self._bot = bot
        self._db = database
        self._chat_id = chat_id
        self._redact = redactor
        self._started = as_utc(clock())

    async def run(self) -> None:
        while True:
            await asyncio.sleep(ESCALATION_SECONDS)
            try:
                await self.check()
            except SQLAlchemyError as exc:
                log.warning("event=telegram_escalations_failed error=%s", type(exc).__name__)

    async def check(self) -> int:
        """Claim and post the notices not yet posted; returns how many went out."""
        posted = 0
        for escalation in await self._db.run(partial(escalations_since, self._started)):
            if not await self._db.run(partial(claim_notice, escalation.conversation_id)):
                continue  # another worker has it
            try:
                await self._bot.send_message(self._chat_id, notice_text(escalation))
            except RetryAfter as exc:
                log.warning("event=telegram_flood_wait chat=agents seconds=%.0f", _seconds(exc.retry_after))
                await self._db.run(partial(unclaim_notice, escalation.conversation_id))
                return posted
            except ChatMigrated as exc:
                log.error("event=telegram_agents_chat_moved new_chat_id=%s (set TELEGRAM_AGENT_CHAT_ID to it)",
                          exc.new_chat_id)
                continue
            except (Forbidden, BadRequest, InvalidToken) as exc:  # not in the group, no such chat: it will not go
                log.error("event=telegram_notice_refused conv=%s error=%s", escalation.conversation_id,
                          self._redact.why(exc))
                continue
            except TelegramError as exc:  # passing: the next round (on whichever worker) tries again
                log.warning("event=telegram_notice_failed conv=%s error=%s", escalation.conversation_id,
                            self._redact.why(exc))
                await self._db.run(partial(unclaim_notice, escalation.conversation_id))
                return posted
            posted += 1
            log.info("event=telegram_notice conv=%s", escalation.conversation_id)
        return posted


# ------------------------------------------------------------------ the channel


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
        self._redact = _Redactor(token)
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
                await asyncio.sleep(_seconds(exc.retry_after))
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
                await self._db.run(partial(store_notice, received, UNSUPPORTED_TEXT))
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
        await self._db.run(partial(store_notice, refused, PHOTO_REFUSED_TEXT.format(limit=f"{limit:g}")))
