"""The conversation engine: one inbound message in, stored; replies decided, stored, returned.

Channel-agnostic. The order of work for each message:
1. store the inbound message and commit (nothing a customer sends is lost, even if what follows fails);
2. classify it (intents) and, inside one transaction holding the conversation's row, read the state,
   ask the flow what to do, carry out its actions, render the replies and store them with the state;
3. publish the replies to live listeners (the web chat) and return them to the channel.
A repeated channel message id returns the replies stored the first time.
"""

from __future__ import annotations

import asyncio
import logging
import time
import weakref
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot import _store as store
from bot._catalogue import Catalogue, format_money
from bot._envelope import MAX_TEXT, Inbound, Outcome, Reply
from bot._flow import (
    CancelOrder,
    ChangeOrder,
    Context,
    Decision,
    Escalate,
    PlaceOrder,
    Policy,
    Say,
    Understanding,
    decide,
)
from bot._hub import Hub
from bot.config import Settings
from bot.errors import BadRequest, StorageError
from models import Conversation, Dispute, Message, utcnow
from replies import PhraseBank

log = logging.getLogger("kefu.engine")
# Intents whose handling reads the customer's orders (the rest skip that query).
_ORDER_INTENTS = frozenset({"order_status", "modify_order", "buy", "greet", "affirm", "deny"})


class Classifier(Protocol):
    def predict(self, text: str) -> Any: ...


@dataclass(frozen=True, slots=True)
class ShopKnowledge:
    """What the engine reads on every message: the catalogue snapshot and the phrase bank."""

    catalogue: Catalogue
    phrases: PhraseBank


class Engine:
    """Handles inbound messages for every channel.

    Args:
        sessions: the session factory (one session per unit of work).
        classifier: anything with ``predict(text)`` returning an intents ``Prediction``.
        knowledge: returns the current catalogue and phrase bank (admins may change them).
        settings: the shop's policies.
        hub: where replies are published for live listeners.
    """

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        classifier: Classifier,
        knowledge: Callable[[], ShopKnowledge],
        settings: Settings,
        hub: Hub,
    ) -> None:
        self._sessions = sessions
        self._classifier = classifier
        self._knowledge = knowledge
        self._hub = hub
        self._policy = Policy(
            free_shipping_threshold=settings.free_shipping_threshold, shipping_fee=settings.shipping_fee,
            coupon_amount=settings.coupon_amount, coupon_min_total=settings.coupon_min_total, gift=settings.gift,
            free_shipping_concession=settings.free_shipping_concession,
            confidence_threshold=settings.confidence_threshold,
        )
        self._globals = {
            "shop": settings.shop_name, "free_shipping_threshold": format_money(settings.free_shipping_threshold),
            "shipping_fee": format_money(settings.shipping_fee), "courier": settings.courier,
            "dispatch_cutoff": settings.dispatch_cutoff, "return_days": str(settings.return_days),
            "service_hours": settings.service_hours, "coupon": format_money(settings.coupon_amount),
            "gift": settings.gift, "delivery_days": settings.delivery_days,
        }
        self._locks: weakref.WeakValueDictionary[tuple[str, str], asyncio.Lock] = weakref.WeakValueDictionary()

    async def handle(self, inbound: Inbound) -> Outcome:
        """Store, understand and answer one message.

        Raises:
            BadRequest: the message is malformed (no customer, text too long).
            StorageError: the database failed; nothing was answered.
        """
        if not inbound.customer or len(inbound.customer) > 128:
            raise BadRequest("customer must be a non-empty id of at most 128 characters")
        if len(inbound.text) > MAX_TEXT:
            raise BadRequest(f"text is longer than {MAX_TEXT} characters")
        key = (inbound.channel, inbound.customer)
        lock = self._locks.get(key)
        if lock is None:
            lock = self._locks[key] = asyncio.Lock()
        async with lock:  # one customer's messages are handled in the order they arrived
            try:
                return await self._handle(inbound)
            except SQLAlchemyError as exc:
                log.error("event=storage_error channel=%s error=%s", inbound.channel, type(exc).__name__)
                raise StorageError("the database is not available; the message was not answered") from exc

    async def _handle(self, inbound: Inbound) -> Outcome:
        started = time.perf_counter()
        # 1. Store the inbound message (or find it, if this is a repeat).
        async with self._sessions() as session, session.begin():
            customer = await store.customer_for(session, inbound.channel, inbound.customer, inbound.display_name)
            stored = await store.find_inbound(session, customer.id, inbound.message_id) if inbound.message_id else None
            if stored is not None:
                earlier = await store.replies_to(session, stored.id)
                if earlier or stored.intent is not None:
                    conversation = await session.get(Conversation, stored.conversation_id)
                    assert conversation is not None
                    log.info("event=duplicate conv=%s seq=%s", conversation.id, stored.seq)
                    return _outcome(conversation, stored, earlier, duplicate=True)
            else:
                conversation = await store.open_conversation(session, customer)
                stored = Message(
                    customer_id=customer.id, conversation_id=conversation.id,
                    seq=await store.next_seq(session, customer.id), direction="in", sender="customer",
                    text=inbound.text, buttons=[], channel_message_id=inbound.message_id,
                )
                session.add(stored)
            await session.flush()
            customer_id, inbound_id = customer.id, stored.id

        # 2. Understand it (pure CPU, microseconds to a millisecond: no executor hop needed).
        text = inbound.text.strip()
        prediction = self._classifier.predict(text) if text else None
        said = Understanding(
            text=text,
            intent=prediction.intent if prediction else "other",
            confidence=float(prediction.confidence) if prediction else 1.0,
            is_dispute=bool(prediction.is_dispute) if prediction else False,
            dispute_label=prediction.dispute_label if prediction else None,
        )
        knowledge = self._knowledge()

        # 3. Decide and act, holding the conversation.
        async with self._sessions() as session, session.begin():
            customer = await session.get(store.Customer, customer_id)
            assert customer is not None
            conversation = await store.open_conversation(session, customer, lock=True)
            message = await session.get(Message, inbound_id)
            assert message is not None
            if message.conversation_id != conversation.id:
                message.conversation_id = conversation.id
            if conversation.status == "agent":
                decision = Decision(conversation.stage, conversation.status, dict(conversation.slots), intent=said.intent)
            else:
                first = not conversation.slots.get("turns")
                needs_orders = (
                    first or said.is_dispute or said.intent in _ORDER_INTENTS
                    or conversation.slots.get("pending") == "modify"
                )
                orders = await store.recent_orders(session, customer.id) if needs_orders else ()
                returning = bool(orders) or (first and await store.has_history(session, customer.id, conversation.id))
                ctx = Context(knowledge.catalogue, self._policy, orders, first_message=first, returning=returning)
                decision = decide(conversation.stage, conversation.status, conversation.slots, said, ctx)
            results = await self._act(session, decision, conversation, knowledge, message.text)
            slots = dict(decision.slots)
            slots["turns"] = int(slots.get("turns") or 0) + 1
            texts = self._render(decision.says, slots, knowledge.phrases, results)
            conversation.stage, conversation.status, conversation.slots = decision.stage, decision.status, slots
            message.intent, message.confidence, message.stage = decision.intent, said.confidence, decision.stage
            first_seq = await store.next_seq(session, customer.id, len(texts)) if texts else 0
            outbound = [
                Message(
                    customer_id=customer.id, conversation_id=conversation.id, seq=first_seq + i, direction="out",
                    sender="bot", text=body, buttons=list(buttons), reply_to_id=message.id, stage=decision.stage,
                )
                for i, (body, buttons) in enumerate(texts)
            ]
            session.add_all(outbound)
            await session.flush()
        outcome = _outcome(conversation, message, outbound, actions=tuple(results))
        if outcome.replies:
            self._hub.publish((inbound.channel, inbound.customer), outcome.replies)
        log.info(
            "event=message conv=%s channel=%s intent=%s conf=%.2f stage=%s status=%s actions=%s ms=%.1f",
            conversation.id, inbound.channel, outcome.intent, outcome.confidence, outcome.stage, outcome.status,
            ",".join(results) or "-", (time.perf_counter() - started) * 1000,
        )
        return outcome

    async def _act(
        self, session: AsyncSession, decision: Decision, conversation: Conversation, knowledge: ShopKnowledge,
        text: str,
    ) -> dict[str, str]:
        """Carry out the decision's actions; a failed one swaps in the flow's fallback reply."""
        results: dict[str, str] = {}
        customer_id = conversation.customer_id
        for action in decision.actions:
            if isinstance(action, PlaceOrder):
                product = knowledge.catalogue.get(action.sku)
                try:
                    if product is None:
                        raise store.StockGone(action.sku)
                    async with session.begin_nested():
                        order = await store.place_order(session, action, product, customer_id, conversation.id)
                except store.StockGone:
                    decision.stage = "consult"
                    name = product.name if product else action.sku
                    decision.says = [Say((("confirm.stock_gone", {"product": name}),), ("看看热销款", "转人工"))]
                    decision.slots["pending"] = None
                    continue
                results["order_no"] = order.order_no
                decision.slots.update(sale=True, order_no=order.order_no, pending=None, concessions=[], bargain_round=0)
                log.info("event=order_placed conv=%s order=%s total=%s", conversation.id, order.order_no, order.total)
            elif isinstance(action, ChangeOrder | CancelOrder):
                try:
                    async with session.begin_nested():
                        if isinstance(action, ChangeOrder):
                            await store.change_order(session, customer_id, action)
                        else:
                            await store.cancel_order(session, customer_id, action.order_no)
                except store.AlreadyShipped:
                    decision.says = [Say((("modify.already_shipped", {"order_no": action.order_no, "tracking_no": "—"}),),
                                         ("转人工",))]
                    continue
                results["order_no"] = action.order_no
                log.info("event=order_%s conv=%s order=%s", "changed" if isinstance(action, ChangeOrder) else "cancelled",
                         conversation.id, action.order_no)
            elif isinstance(action, Escalate):
                conversation.escalation_reason = action.reason
                conversation.escalated_at = utcnow()
                if action.dispute_type:
                    order_id = None
                    if action.order_no:
                        order = await store.order_with_task(session, customer_id, action.order_no)
                        order_id = order.id if order else None
                    session.add(Dispute(conversation_id=conversation.id, customer_id=customer_id, type=action.dispute_type,
                                        order_id=order_id, opening_message=text, details={}))
                log.info("event=escalated conv=%s reason=%s dispute=%s", conversation.id, action.reason,
                         action.dispute_type or "-")
                results["escalated"] = action.reason
        return results

    def _render(
        self, says: list[Say], slots: dict[str, Any], phrases: PhraseBank, results: Mapping[str, str]
    ) -> list[tuple[str, tuple[str, ...]]]:
        rotation: dict[str, int] = dict(slots.get("_rot") or {})
        rendered = []
        for say in says:
            lines = []
            chosen: dict[str, int] = {}  # a key repeated in one bubble (a list) keeps one wording
            for key, values in say.parts:
                index = chosen.get(key)
                if index is None:
                    index = chosen[key] = rotation[key] = phrases.next_variant(key, rotation.get(key))
                lines.append(phrases.render(key, {**self._globals, **results, **values}, index))
            rendered.append(("\n".join(lines), say.buttons))
        slots["_rot"] = rotation
        return rendered

    async def history(self, channel: str, customer: str, after: int = 0) -> list[Reply]:
        """What was sent to a customer after sequence number ``after`` (0: everything)."""
        async with self._sessions() as session:
            row = await store.find_customer(session, channel, customer)
            if row is None:
                return []
            return [_reply(m) for m in await store.messages_after(session, row.id, after)]

    async def transcript(self, channel: str, customer: str) -> list[dict[str, object]]:
        """The conversation both ways (for a web chat page restoring itself after a reload)."""
        async with self._sessions() as session:
            row = await store.find_customer(session, channel, customer)
            if row is None:
                return []
            return [
                {"seq": m.seq, "text": m.text, "buttons": list(m.buttons or []),
                 "from": "customer" if m.direction == "in" else m.sender}
                for m in await store.transcript(session, row.id)
            ]


def _reply(message: Message) -> Reply:
    return Reply(text=message.text, buttons=tuple(message.buttons or ()), seq=message.seq, sender=message.sender)


def _outcome(
    conversation: Conversation, inbound: Message, replies: Any, *, duplicate: bool = False, actions: tuple[str, ...] = ()
) -> Outcome:
    return Outcome(
        replies=tuple(_reply(m) for m in replies), intent=inbound.intent or "other",
        confidence=float(inbound.confidence if inbound.confidence is not None else 1.0),
        stage=conversation.stage, status=conversation.status, conversation_id=conversation.id,
        inbound_seq=inbound.seq, duplicate=duplicate, actions=actions,
    )
