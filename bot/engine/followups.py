"""After an agent resolves a chat: the remedies, the resolution message, and the bot's follow-up.

The follow-up is a ``follow_ups`` row due at ``due_at`` (the resolution time plus ``KEFU_FOLLOW_UP_MINUTES``),
so it survives a restart. :class:`FollowUps` sends the due ones: each is claimed by one conditional
``UPDATE … SET sent_at WHERE sent_at IS NULL``, so two workers (or two calls) never send it twice. The
message asks whether the remedy arrived, with the 1–5 satisfaction buttons, and sets ``pending="csat"`` on
the conversation; the flow (``bot.conversation``) reads the answer and the engine stores the score.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Mapping
from decimal import Decimal
from functools import partial

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from bot.conversation import CSAT_BUTTONS, format_money
from bot.engine import store
from bot.engine.engine import ShopKnowledge
from bot.engine.envelope import Reply
from bot.engine.hub import CustomerKey, Hub
from bot.engine.periodic import periodic
from models import Clock, Customer, Database, FollowUp, as_utc, utcnow
from replies import Fragment

log = logging.getLogger("kefu.followup")
FOLLOW_UP_SECONDS = 30.0  # how often the sender looks for due follow-ups
RETRY_WHEN_HELD = dt.timedelta(hours=1)  # a chat a person holds (again) is asked later, not interrupted
BATCH = 100

#: The remedies an agent can resolve a chat with, and how the customer is told of each.
REMEDIES: Mapping[str, str] = {
    "refund": "退款",
    "return": "退货退款",
    "exchange": "换货",
    "partial_refund_gift": "部分退款并赠送小礼物",
    "coupon": "优惠券补偿",
    "reship": "重新补发",
    "repair_guidance": "维修/使用指导",
}
#: How the customer is told of each remedy: the bank's ``part.remedy_*`` (``REMEDIES`` are the agents' labels).
_TOLD: Mapping[str, str] = {
    "refund": "part.remedy_refund", "return": "part.remedy_return", "exchange": "part.remedy_exchange",
    "partial_refund_gift": "part.remedy_partial_refund_gift", "coupon": "part.remedy_coupon",
    "reship": "part.remedy_reship", "repair_guidance": "part.remedy_repair_guidance",
}
#: Remedies that mean nothing without an amount.
NEEDS_AMOUNT = frozenset({"refund", "partial_refund_gift"})


#: A phrase of the shop's bank filled with values (:meth:`bot.engine.engine.Engine.say`).
Speak = Callable[[str, Mapping[str, str]], str]


def resolution_text(remedy: str, amount: Decimal | None, say: Speak) -> str:
    """The message that tells the customer how their problem was resolved (``followup.resolved``, or
    ``followup.resolved_amount`` with an amount above zero)."""
    label = REMEDIES[remedy]
    if amount is not None and amount > 0:
        return say("followup.resolved_amount", {"remedy": label, "amount": format_money(amount)})
    return say("followup.resolved", {"remedy": label})


def due_follow_ups(now: dt.datetime, session: Session) -> list[int]:
    """Ids of unsent follow-ups due at ``now``, oldest first."""
    return list(session.execute(
        select(FollowUp.id).where(FollowUp.sent_at.is_(None), FollowUp.due_at <= now)
        .order_by(FollowUp.due_at, FollowUp.id).limit(BATCH)
    ).scalars())


def send_follow_up(
    follow_up_id: int, now: dt.datetime, phrases_of: Callable[[], ShopKnowledge], values: Mapping[str, str],
    session: Session,
) -> tuple[CustomerKey, Reply] | None:
    """Claim one due follow-up and store its message; None if another worker claimed it first (or a person
    holds the chat again: then it is put off)."""
    claimed = session.execute(
        update(FollowUp)
        .where(FollowUp.id == follow_up_id, FollowUp.sent_at.is_(None), FollowUp.due_at <= now)
        .values(sent_at=now)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        return None
    follow_up = session.get(FollowUp, follow_up_id, populate_existing=True)
    assert follow_up is not None
    conversation = store.open_conversation(session, follow_up.customer_id, lock=True)
    if conversation.status in ("agent", "waiting_agent"):
        follow_up.sent_at, follow_up.due_at = None, now + RETRY_WHEN_HELD
        return None
    customer = session.get(Customer, follow_up.customer_id)
    assert customer is not None
    slots = dict(conversation.slots or {})
    phrases = phrases_of().phrases
    rotation = dict(slots.get("_rot") or {})
    index = rotation["followup.ask"] = phrases.next_variant("followup.ask", rotation.get("followup.ask"))
    text = phrases.render("followup.ask", {**values, "remedy": Fragment(_TOLD.get(follow_up.remedy, "part.remedy_other"))}, index)
    seq = store.next_seq(session, customer.id)
    session.execute(insert(store.MESSAGES).values(
        customer_id=customer.id, conversation_id=conversation.id, seq=seq, direction="out", sender="bot",
        text=text, buttons=list(CSAT_BUTTONS), channel_message_id=None, intent=None, confidence=None,
        stage=conversation.stage, reply_to_seq=None,
    ))
    conversation.slots = {
        **slots, "_rot": rotation, "pending": "csat", "csat_follow_up": follow_up.id,
        "buttons": {label: "" for label in CSAT_BUTTONS},
    }
    return (customer.channel, customer.external_id), Reply(text=text, buttons=CSAT_BUTTONS, seq=seq, sender="bot")


class FollowUps:
    """Sends the follow-ups that have come due; :meth:`run` does it every 30 s in the background."""

    def __init__(
        self, database: Database, hub: Hub, knowledge: Callable[[], ShopKnowledge], values: Mapping[str, str],
        clock: Clock | None = None,
    ) -> None:
        self._db = database
        self._hub = hub
        self._knowledge = knowledge
        self._values = dict(values)
        self._clock = clock or utcnow

    async def run_due(self, now: dt.datetime | None = None) -> int:
        """Send every follow-up due at ``now`` (default: the clock's time) not sent yet; returns how many."""
        when = as_utc(now or self._clock())
        sent = 0
        for follow_up_id in await self._db.run(partial(due_follow_ups, when)):
            result = await self._db.run(partial(send_follow_up, follow_up_id, when, self._knowledge, self._values))
            if result is None:
                continue
            key, reply = result
            self._hub.publish(key, [reply])  # after the commit, as the engine does
            sent += 1
            log.info("event=follow_up_sent follow_up=%s seq=%s", follow_up_id, reply.seq)
        return sent

    async def run(self, every: float = FOLLOW_UP_SECONDS) -> None:
        # (a failed round leaves the rows unsent: the next round tries again)
        await periodic(self.run_due, every=every, log=log, event="follow_up_failed")
