"""Escalation notices: the agents' Telegram group hears of every chat escalated (on any channel), once.

:class:`EscalationNotices` (when ``TELEGRAM_AGENT_CHAT_ID`` is set) looks every ``ESCALATION_SECONDS`` for
conversations escalated since the worker started, still waiting for a person and not yet announced, claims each
notice in the database (``conversations.noticed_at``, one conditional UPDATE) and posts a short plain-text notice
(:func:`notice_text`) to the agents' group: once, whichever worker runs it, and not again after a takeover. A post
that fails for a passing reason gives its claim back; a worker that dies between claim and post loses that notice
(at most once).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import partial

from sqlalchemy import ColumnElement, or_, select, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session
from telegram import Bot
from telegram.error import BadRequest, ChatMigrated, Forbidden, InvalidToken, RetryAfter, TelegramError

from bot.channels.telegram._common import Redactor, log, seconds
from bot.engine.periodic import periodic
from bot.engine.records import DisputeRecord
from bot.logsafe import mask
from models import Clock, Conversation, Customer, Database, Dispute, as_utc
from models import Message as StoredMessage

# How often (a module value, read when used: tests shorten it).
ESCALATION_SECONDS = 3.0  # the agents' notices look for new escalations this often

_DISPUTES = {"product": "商品问题", "logistics": "物流问题", "payment": "支付问题", "service": "服务问题"}
_REASONS = {"dispute": "售后纠纷", "human": "顾客要求人工", "misunderstood": "机器人没听懂"}
_CHANNELS = {"web": "网页聊天", "rest": "API", "telegram": "Telegram", "terminal": "终端"}


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


class EscalationNotices:
    """Posts a notice to the agents' group for every chat escalated since start-up, once: each notice is claimed
    in the database first (:func:`claim_notice`), so a second worker, or a poller taking over from one that
    died, never posts it again. At most once: a worker that dies between the claim and the post loses that one
    notice; a post that fails for a passing reason gives its claim back and is tried again."""

    def __init__(self, bot: Bot, database: Database, chat_id: int, redactor: Redactor, clock: Clock) -> None:
        self._bot = bot
        self._db = database
        self._chat_id = chat_id
        self._redact = redactor
        self._started = as_utc(clock())

    async def run(self) -> None:
        await periodic(self.check, every=ESCALATION_SECONDS, log=log, event="telegram_escalations_failed",
                       survives=(SQLAlchemyError,), passing=True)

    async def check(self) -> int:
        """Claim and post the notices not yet posted; returns how many went out."""
        posted = 0
        for escalation in await self._db.run(partial(escalations_since, self._started)):
            if not await self._db.run(partial(claim_notice, escalation.conversation_id)):
                continue  # another worker has it
            try:
                await self._bot.send_message(self._chat_id, notice_text(escalation))
            except RetryAfter as exc:
                log.warning("event=telegram_flood_wait chat=agents seconds=%.0f", seconds(exc.retry_after))
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

