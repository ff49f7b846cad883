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
import datetime as dt
import hashlib
import logging
import time
import weakref
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from functools import partial
from typing import Any, Protocol

from sqlalchemy import insert
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from bot.config import Settings
from bot.conversation import (
    SHOPPING_STAGES,
    AnnounceQueue,
    BotRemedy,
    CancelOrder,
    Catalogue,
    ChangeOrder,
    Context,
    Decision,
    Escalate,
    ExpediteOrder,
    NoteDispute,
    OrderView,
    PlaceOrder,
    Policy,
    RecordInvoice,
    RecordScore,
    Request,
    Say,
    Stage,
    Status,
    Understanding,
    WithdrawQueue,
    cantonese,
    decide,
    describe_changes,
    dump_slots,
    format_money,
    pinyin,
    promised_by,
    unbacked,
)
from bot.conversation.english import gloss
from bot.desk.presence import WorkingHours, agents_online, expected_wait_minutes, queue_position
from bot.engine import store
from bot.engine.envelope import MAX_MESSAGE_ID, MAX_TEXT, Inbound, Outcome, Reply, image_type, storable
from bot.engine.hub import Hub
from bot.engine.records import Csat, DisputeRecord, Resolution
from bot.errors import BadRequest, StorageError
from intents import DISPUTE_LABELS
from intents import Context as IntentContext
from models import Attachment, Clock, Conversation, Database, Dispute, FollowUp, Message, utcnow
from replies import Fragment, Joined, PhraseBank, Value

log = logging.getLogger("kefu.engine")
# Intents whose handling reads the customer's orders (the rest skip that query).
_ORDER_INTENTS = frozenset({"order_status", "modify_order", "buy", "deny", "thanks_bye", "invoice", "return_refund"})
# Readings that the customer's orders may change (a quality word before or after a sale; "还没到"…): for
# these the orders are read, so that the message is understood in its context.
_CONTEXT_INTENTS = frozenset({"doubt", "shipping_inquiry", "return_refund"})
_CONTEXT_DISPUTE = 0.05


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
        database: runs units of work (one transaction each).
        classifier: anything with ``predict(text)`` returning an intents ``Prediction``.
        knowledge: returns the current catalogue and phrase bank (admins may change them).
        settings: the shop's policies.
        hub: where replies are published for live listeners.
    """

    def __init__(
        self,
        database: Database,
        classifier: Classifier,
        knowledge: Callable[[], ShopKnowledge],
        settings: Settings,
        hub: Hub,
        clock: Clock | None = None,
    ) -> None:
        self._db = database
        self._clock = clock or utcnow
        self._settings = settings
        self._hours = WorkingHours(settings.service_hours, settings.timezone)
        self._classifier = classifier
        self._knowledge = knowledge
        self._hub = hub
        self._policy = Policy(
            free_shipping_threshold=settings.free_shipping_threshold, shipping_fee=settings.shipping_fee,
            coupon_amount=settings.coupon_amount, coupon_min_total=settings.coupon_min_total, gift=settings.gift,
            free_shipping_concession=settings.free_shipping_concession,
            confidence_threshold=settings.confidence_threshold, late_parcel_coupon=settings.late_parcel_coupon,
            delivery_days=settings.delivery_days, dispatch_cutoff=dt.time.fromisoformat(settings.dispatch_cutoff.zfill(5)),
            return_address=settings.return_address, courier=settings.courier,
        )
        self._globals: dict[str, Value] = {
            "shop": settings.shop_name, "free_shipping_threshold": format_money(settings.free_shipping_threshold),
            "shipping_fee": format_money(settings.shipping_fee), "courier": settings.courier,
            "dispatch_cutoff": settings.dispatch_cutoff, "return_days": str(settings.return_days),
            "service_hours": settings.service_hours, "coupon": format_money(settings.coupon_amount),
            "coupon_min_total": format_money(settings.coupon_min_total),
            "gift": settings.gift, "delivery_days": settings.delivery_days,
            "return_postage": Fragment(f"part.return_postage_{settings.return_postage}"), "refund_days": settings.refund_days,
            "return_address": settings.return_address or Fragment("part.return_address_unknown"), "invoice_days": str(settings.invoice_days),
            "invoice_types": settings.invoice_types,
        }
        # Customer rows never change identity: their ids are remembered, saving a query per message.
        self._customer_ids: dict[tuple[str, str], int] = {}
        self._locks: weakref.WeakValueDictionary[tuple[str, str], asyncio.Lock] = weakref.WeakValueDictionary()

    @property
    def global_values(self) -> dict[str, str]:
        """The shop-wide placeholder values (``{shop}``, ``{return_days}``…) every phrase may use."""
        phrases = self._knowledge().phrases
        return {name: str(phrases.fill(value, {})) for name, value in self._globals.items()}

    def say(self, key: str, values: Mapping[str, str] | None = None) -> str:
        """A phrase of the shop's bank (its first variant: what a channel or the console says itself, outside a
        conversation's rotation), filled with the shop-wide values and ``values``.

        Raises:
            PhraseBankError: no such key, or a placeholder without a value.
        """
        return self._knowledge().phrases.render(key, {**self._globals, **(values or {})})

    async def handle(self, inbound: Inbound) -> Outcome:
        """Store, understand and answer one message.

        Raises:
            BadRequest: the message is malformed (no customer, text too long, characters no database stores).
            StorageError: the database failed; nothing was stored or answered.
        """
        inbound = self._checked(inbound)
        key = (inbound.channel, inbound.customer)
        lock = self._locks.get(key)
        if lock is None:
            lock = self._locks[key] = asyncio.Lock()
        async with lock:  # one customer's messages are handled in the order they arrived
            try:
                return await self._handle(inbound)
            except SQLAlchemyError as exc:
                self._customer_ids.pop(key, None)  # nothing remembered outlives a rolled-back transaction
                log.error("event=storage_error channel=%s error=%s", inbound.channel, _cause(exc))
                raise StorageError(
                    "the database is not available; the message was not stored — please send it again"
                ) from exc

    def _checked(self, inbound: Inbound) -> Inbound:
        """The message if every part of it can be stored, with an empty message id taken as none.

        Raises:
            BadRequest: why it cannot be.
        """
        if not inbound.customer or len(inbound.customer) > 128:
            raise BadRequest("customer must be a non-empty id of at most 128 characters")
        if len(inbound.text) > MAX_TEXT:
            raise BadRequest(f"text is longer than {MAX_TEXT} characters")
        message_id = inbound.message_id.strip() if inbound.message_id is not None else None
        if message_id is not None and len(message_id) > MAX_MESSAGE_ID:
            raise BadRequest(f"message_id is longer than {MAX_MESSAGE_ID} characters")
        for name, value in (("customer", inbound.customer), ("text", inbound.text), ("message_id", message_id)):
            if value is not None and not storable(value):
                raise BadRequest(f"{name} holds characters that cannot be stored (NUL or an unpaired surrogate)")
        if inbound.image is not None:
            if len(inbound.image) > self._settings.max_image_bytes:
                limit = self._settings.max_image_bytes / 1024 / 1024
                raise BadRequest(f"the photo is larger than {limit:g} MB")
            if image_type(inbound.image) is None:
                raise BadRequest("the photo must be a JPEG, PNG, GIF or WebP image")
        return inbound if message_id == inbound.message_id else replace(inbound, message_id=message_id or None)

    async def _handle(self, inbound: Inbound) -> Outcome:
        started = time.perf_counter()
        # (English shopping words and Cantonese read as their Mandarin: "有没有black的", "有冇毛衣啱送俾阿媽"; the
        # transcript keeps what was typed)
        said = self._understand(cantonese.gloss(gloss(pinyin.gloss(inbound.text.strip()))),
                                   image=inbound.image is not None)
        knowledge = self._knowledge()
        key = (inbound.channel, inbound.customer)
        found: list[int] = []
        try:
            outcome = await self._db.run(partial(self._answer, inbound, said, knowledge, found))
        except SQLAlchemyError:
            raise
        except Exception:
            log.exception("event=decision_failed channel=%s", inbound.channel)
            self._customer_ids.pop(key, None)  # its row may have been rolled back
            found.clear()
            try:
                outcome = await self._db.run(partial(self._answer, inbound, said, knowledge, found, failed=True))
            except SQLAlchemyError:
                raise
            except Exception as exc:  # even the apology could not be stored: say so, never "stored"
                log.exception("event=store_failed channel=%s", inbound.channel)
                raise StorageError("the message was not stored and nothing was answered — please send it again") from exc
        if found:  # only now that the transaction committed is the customer's row certain to exist
            if len(self._customer_ids) > 100_000:
                self._customer_ids.clear()
            self._customer_ids[key] = found[0]
        if outcome.duplicate:
            log.info("event=duplicate conv=%s seq=%s", outcome.conversation_id, outcome.inbound_seq)
            return outcome
        if outcome.replies:
            self._hub.publish((inbound.channel, inbound.customer), outcome.replies)
        log.info(
            "event=message conv=%s channel=%s intent=%s conf=%.2f stage=%s status=%s actions=%s ms=%.1f",
            outcome.conversation_id, inbound.channel, outcome.intent, outcome.confidence, outcome.stage,
            outcome.status, ",".join(outcome.actions) or "-", (time.perf_counter() - started) * 1000,
        )
        return outcome

    def _understand(self, text: str, *, image: bool = False) -> Understanding:
        """The classifier's reading of the message alone (pure CPU, a fraction of a millisecond: no executor
        hop needed). The engine reads it again in the conversation's context once it holds the conversation."""
        if not text:
            return Understanding(text=text, intent="other", confidence=1.0, image=image)
        return _reading(text, self._classifier.predict(text), image)

    def _in_context(
        self, said: Understanding, conversation: Conversation, orders: tuple[OrderView, ...] | None, today: dt.date
    ) -> Understanding:
        """The reading shifted by what the conversation knows (stage, orders, the bot's question, the last
        message); a classifier without ``in_context`` (a test double) keeps its reading."""
        in_context = getattr(self._classifier, "in_context", None)
        if said.prediction is None or in_context is None:
            return said
        context = conversation_context(conversation.stage, conversation.slots, orders, today,
                                       self._policy.delivery_days)
        prediction = in_context(said.prediction, context)
        with_parts = getattr(self._classifier, "with_parts", None)
        if with_parts is not None and not prediction.is_dispute and conversation.status == "bot":
            prediction = with_parts(prediction)  # the further requests of the message, for the bot to answer
        return _reading(said.text, prediction, said.image)

    def _answer(
        self, inbound: Inbound, said: Understanding, knowledge: ShopKnowledge, found: list[int], session: Session,
        *, failed: bool = False,
    ) -> Outcome:
        """One unit of work: store the message, decide, act, store the replies and the new state.

        The inbound message and the replies commit together, before any reply leaves. If deciding or
        acting fails, the unit is rolled back and run again with ``failed``: the message is still
        stored, with an apology that offers a person, so nothing the customer sent is lost.
        """
        customer_id = self._customer_ids.get((inbound.channel, inbound.customer))
        if customer_id is None:
            customer_id = store.customer_for(session, inbound.channel, inbound.customer, inbound.display_name).id
            found.append(customer_id)  # remembered by the caller once this transaction commits
        # Another worker may be handling this customer (the same message again, after a retry): take turns on
        # the customer's row before looking for an earlier delivery, so the look-up sees what the other stored.
        store.lock_customer(session, customer_id)
        if inbound.message_id:
            earlier = store.find_inbound(session, customer_id, inbound.message_id)
            if earlier is not None:
                conversation = session.get(Conversation, earlier.conversation_id)
                assert conversation is not None
                return _outcome(conversation, earlier, store.replies_to(session, earlier), duplicate=True)
        conversation = store.open_conversation(session, customer_id, lock=True)
        if failed:  # deciding failed once: store the message with an apology that offers a person
            decision = Decision(Stage(conversation.stage), Status(conversation.status), dict(conversation.slots), intent=said.intent)
            results: dict[str, str] = {}
            texts: list[tuple[str, tuple[str, ...]]] = [
                (self._render_one("clarify.offer_human", knowledge.phrases), ("转人工", "继续和小助手聊"))
            ]
        else:
            decision, results, texts, said = self._decide(session, customer_id, conversation, said, knowledge)
        first = store.next_seq(session, customer_id, 1 + len(texts))
        common = {"customer_id": customer_id, "conversation_id": conversation.id, "stage": decision.stage}
        rows = [
            {**common, "seq": first, "direction": "in", "sender": "customer", "text": inbound.stored_text, "buttons": [],
             "channel_message_id": inbound.message_id, "intent": decision.intent, "confidence": said.confidence,
             "reply_to_seq": None},
            *(
                {**common, "seq": first + 1 + i, "direction": "out", "sender": "bot", "text": body,
                 "buttons": list(buttons), "channel_message_id": None, "intent": None, "confidence": None,
                 "reply_to_seq": first}
                for i, (body, buttons) in enumerate(texts)
            ),
        ]
        session.execute(insert(store.MESSAGES), rows)  # one Core batch, without the ORM's bookkeeping
        if inbound.image is not None:
            self._attach(session, inbound.image, customer_id, conversation.id, first)
        session.flush()  # the conversation's new state
        return Outcome(
            replies=tuple(Reply(text=body, buttons=buttons, seq=first + 1 + i) for i, (body, buttons) in enumerate(texts)),
            intent=decision.intent, confidence=said.confidence, stage=conversation.stage, status=conversation.status,
            conversation_id=conversation.id, inbound_seq=first, actions=tuple(results),
        )

    def _decide(
        self, session: Session, customer_id: int, conversation: Conversation, said: Understanding,
        knowledge: ShopKnowledge,
    ) -> tuple[Decision, dict[str, str], list[tuple[str, tuple[str, ...]]], Understanding]:
        slots = conversation.slots
        if conversation.status == "agent":  # a person holds the chat: the bot stays silent
            decision = Decision(Stage(conversation.stage), Status(conversation.status), dict(slots), intent=said.intent)
        else:
            first = not slots.get("turns")
            needs_orders = (
                said.is_dispute or said.intent in _ORDER_INTENTS or slots.get("pending") in ("modify", "dispute_check")
                or bool(slots.get("intake")) or bool(slots.get("order_no"))  # (ordered in this chat: about it, likely)
            )
            now = self._clock().astimezone(self._hours.zone)
            today = now.date()
            orders = store.recent_orders(session, customer_id, zone=self._hours.zone) if needs_orders else ()
            known: tuple[OrderView, ...] | None = orders if needs_orders else None
            if known is None and (said.dispute_probability >= _CONTEXT_DISPUTE or said.intent in _CONTEXT_INTENTS):
                known = store.latest_order(session, customer_id, zone=self._hours.zone)  # for the context only
            said = self._in_context(said, conversation, known, today)
            returning = first and store.has_history(session, customer_id, conversation.id)
            looked_up = None
            if said.intent == "order_status" or slots.get("pending") is None:
                number = store.order_number_in(said.text)
                if number and not any(o.order_no == number for o in orders):
                    looked_up = store.order_by_number(session, number, zone=self._hours.zone)
            ctx = Context(knowledge.catalogue, self._policy, orders, first_message=first, returning=returning,
                          today=today, now=now.time(), looked_up=looked_up)
            decision = decide(conversation.stage, conversation.status, slots, said, ctx)
        conversation.status = decision.status  # (an announcement of the queue counts this chat in it)
        done: set[type] = set()
        results = self._act(session, decision, conversation, knowledge, said.text, done)
        false = unbacked(decision.says, done, decision.status)
        if false:  # never say it happened when it did not: a person checks instead
            log.error("event=claim_without_action conv=%s keys=%s", conversation.id, ",".join(false))
            decision.says = [say for say in decision.says if not any(k in false for k, _ in say.parts)]
            decision.says.append(Say((("claim.unconfirmed", {}),), ("转人工",)))
        new_slots = dict(decision.slots)
        new_slots["turns"] = int(new_slots.get("turns") or 0) + 1
        new_slots["last_said"] = said.text.strip()[:200]  # (the same words sent again are not acted on twice)
        # What the next message may go on with: a complaint the chat was queued for (not one the bot only asked
        # about, and not one the bot just settled), or any other reading.
        settled = any(isinstance(a, BotRemedy) for a in decision.actions)
        unconfirmed = decision.intent in DISPUTE_LABELS and decision.status != "waiting_agent"
        new_slots["last_intent"] = None if settled or unconfirmed else decision.intent
        texts = self._render(decision.says, new_slots, knowledge.phrases, results)
        conversation.stage, conversation.status, conversation.slots = decision.stage, decision.status, dump_slots(new_slots)
        return decision, results, texts, said

    def _render_one(self, key: str, phrases: PhraseBank) -> str:
        return phrases.render(key, self._globals)

    def _act(
        self, session: Session, decision: Decision, conversation: Conversation, knowledge: ShopKnowledge, text: str,
        done: set[type],
    ) -> dict[str, str]:
        """Carry out the decision's actions; a failed one swaps in the flow's fallback reply. The type of each
        action that was carried out is added to ``done``."""
        results: dict[str, str] = {}
        for action in decision.actions:
            if self._act_one(session, action, decision, conversation, knowledge, text, results):
                done.add(type(action))
        return results

    def _act_one(
        self, session: Session, action: Any, decision: Decision, conversation: Conversation,
        knowledge: ShopKnowledge, text: str, results: dict[str, str],
    ) -> bool:
        """One action; False when it could not be carried out (its fallback reply is in place)."""
        customer_id = conversation.customer_id
        if isinstance(action, PlaceOrder):
            products = {line.sku: p for line in action.lines if (p := knowledge.catalogue.get(line.sku))}
            try:
                missing = next((line.sku for line in action.lines if line.sku not in products), None)
                if missing:
                    raise store.StockGone(missing)
                with session.begin_nested():
                    order = store.place_order(session, action, products, customer_id, conversation.id)
            except store.StockGone as gone:
                sku = str(gone.args[0]) if gone.args else ""
                name = products[sku].name if sku in products else sku
                rest = [line for line in action.lines if line.sku != sku]
                if rest and action.into is None:
                    # one item of several sold out meanwhile: nothing was placed; the rest read out, to go ahead with
                    decision.stage = Stage.CONFIRM_ORDER
                    decision.slots.update(pending="readback", product=rest[0].sku, lines=[
                        {"sku": line.sku, "size": line.size, "colour": line.colour, "quantity": line.quantity}
                        for line in rest])
                    for detail in ("size", "colour", "quantity"):
                        decision.slots.pop(detail, None)
                    described = "、".join(" ".join(filter(None, (products[line.sku].name if line.sku in products
                                                               else line.sku, line.colour, line.size)))
                                         for line in rest)
                    decision.says = [Say((("confirm.stock_gone_rest", {"product": name, "lines": described}),),
                                         ("确认无误", "需要修改"))]
                    return False
                decision.stage = Stage.CONSULT
                decision.says = [Say((("confirm.stock_gone", {"product": name}),), ("看看热销款", "转人工"))]
                decision.slots["pending"] = None
                return False
            except store.AlreadyShipped:  # the order to join left meanwhile: ask to order these on their own
                decision.says = [Say((("confirm.merge_too_late", {"order_no": str(action.into)}),), ("确认无误", "转人工"))]
                decision.slots.update(pending="readback", merge_into=None)
                decision.stage = Stage.CONFIRM_ORDER
                return False
            results["order_no"] = order.order_no
            # what the order holds, so the same item said again later is not bought twice
            ordered = [{"sku": line.sku, "size": line.size, "colour": line.colour, "quantity": line.quantity}
                       for line in action.lines]
            if action.into and action.into == decision.slots.get("order_no"):  # (joined: the lines it had, and these)
                ordered = [*(decision.slots.get("ordered") or []), *ordered]
            decision.slots.update(sale=True, order_no=order.order_no, pending=None, concessions=[], bargain_round=0,
                                  ordered=ordered)
            for detail in ("product", "size", "colour", "quantity", "notes", "candidates", "wanted", "lines", "advised",
                           "buying_while_waiting", "merge_into", "chosen_of", "asked_again", "change_or_add", "need_said",
                           "build", "person_sized"):
                decision.slots.pop(detail, None)  # the next purchase starts afresh (address and phone stay)
            log.info("event=order_placed conv=%s order=%s total=%s", conversation.id, order.order_no, order.total)
        elif isinstance(action, ChangeOrder | CancelOrder):
            try:
                with session.begin_nested():
                    if isinstance(action, ChangeOrder):
                        store.change_order(session, customer_id, action)
                    else:
                        store.cancel_order(session, customer_id, action.order_no)
            except store.AlreadyShipped:
                decision.says = [
                    Say((("modify.already_shipped", {"order_no": action.order_no, "tracking_no": "—"}),), ("转人工",))
                ]
                return False
            except store.StockGone as gone:  # more of an item than is left: nothing was changed
                item = knowledge.catalogue.get(str(gone.args[0]))
                decision.says = [Say((("confirm.stock_gone", {"product": item.name if item else ""}),), ("转人工",))]
                return False
            except store.LinesChanged:  # the order's lines changed meanwhile (a colleague's edit): nothing was changed
                decision.says = [Say((("modify.changed_meanwhile", {"order_no": action.order_no}),), ("转人工",))]
                return False
            results["order_no"] = action.order_no
            if isinstance(action, CancelOrder):  # what "钱什么时候退" will be about
                decision.slots["cancelled_order"] = action.order_no
            else:  # what "改好了吗" will be about
                taken = "、".join(p.name for sku in (*action.drop, *(line[0] for line in action.drop_lines))
                                 if (p := knowledge.catalogue.get(sku)))
                added = "、".join(" ".join(filter(None, (p.name, line.colour, line.size))) for line in action.add
                                 if (p := knowledge.catalogue.get(line.sku)))
                parts = (*describe_changes(action.changes).parts,
                         *((Fragment("part.removed", {"changes": taken}),) if taken else ()),
                         *((Fragment("part.added", {"changes": added}),) if added else ()))
                described = str(knowledge.phrases.fill(Joined(parts), self._globals))
                decision.slots["last_change"] = {"order_no": action.order_no, "changes": described}
                if decision.slots.get("order_no") == action.order_no:  # (what it holds now)
                    decision.slots["ordered"] = changed_lines(decision.slots.get("ordered") or [], action)
            verb = "changed" if isinstance(action, ChangeOrder) else "cancelled"
            log.info("event=order_%s conv=%s order=%s", verb, conversation.id, action.order_no)
        elif isinstance(action, Escalate):
            conversation.escalation_reason = action.reason
            conversation.escalated_at = self._clock()
            if action.dispute_type:
                disputed = store.order_with_task(session, customer_id, action.order_no) if action.order_no else None
                session.add(
                    Dispute(conversation_id=conversation.id, customer_id=customer_id, type=action.dispute_type,
                            order_id=disputed.id if disputed else None, opening_message=action.opening or text,
                            details=DisputeRecord.opening(action.opening or text, self._clock()).as_json())
                )
                session.flush()
            log.info("event=escalated conv=%s reason=%s dispute=%s", conversation.id, action.reason,
                     action.dispute_type or "-")
            results["escalated"] = action.reason
        elif isinstance(action, ExpediteOrder):
            if not store.expedite(session, customer_id, action.order_no):
                return False
            log.info("event=order_expedited conv=%s order=%s", conversation.id, action.order_no)
        elif isinstance(action, NoteDispute):
            return self._note(session, conversation, action)
        elif isinstance(action, BotRemedy):
            self._settle(session, conversation, action)
            results["remedy"] = action.remedy
        elif isinstance(action, AnnounceQueue):
            say = self._announcement(session, conversation, again=action.again)
            key = say.parts[0][0]
            told = int(decision.slots.get("told_times") or 0) if decision.slots.get("told") == key else 0
            if action.again and key in ("handoff.no_agent", "handoff.after_hours_next") and told % 3:
                # the customer heard who answers and when a message ago: a short word, not the same paragraph
                short = "handoff.still_closed" if key == "handoff.after_hours_next" else "handoff.still_waiting"
                say = Say(((short, dict(say.parts[0][1])),))
            decision.slots["told"], decision.slots["told_times"] = key, told + 1
            decision.says.append(say)
        elif isinstance(action, RecordInvoice):
            order_no = action.order_no or results.get("order_no")
            if store.record_invoice(session, customer_id, conversation.id, action, order_no) is None:
                return False
            results["order_no"] = str(order_no)
            decision.slots.pop("invoice", None)
            decision.slots["invoiced"] = {**(decision.slots.get("invoiced") or {}),
                                          str(order_no): f"{action.title}，{action.email}"}
            log.info("event=invoice_requested conv=%s order=%s kind=%s", conversation.id, order_no, action.kind)
        elif isinstance(action, WithdrawQueue):  # (only reached while waiting: a chat a colleague holds is silent)
            conversation.escalation_reason = None  # (the status the decision gives takes it out of the queue)
            log.info("event=queue_withdrawn conv=%s", conversation.id)
        elif isinstance(action, RecordScore):
            if not record_score(session, customer_id, action, self._clock()):
                return False
            log.info("event=csat conv=%s follow_up=%s score=%s", conversation.id, action.follow_up, action.score)
        return True

    def _attach(self, session: Session, data: bytes, customer_id: int, conversation_id: int, seq: int) -> None:
        """Store a photo with its message, as evidence on the conversation's open dispute if there is one."""
        dispute = store.open_dispute(session, conversation_id)
        kind = image_type(data)
        assert kind is not None  # checked in handle()
        session.add(
            Attachment(customer_id=customer_id, conversation_id=conversation_id, seq=seq,
                       dispute_id=dispute.id if dispute else None, content_type=kind, size=len(data),
                       sha256=hashlib.sha256(data).hexdigest(), data=data)
        )
        log.info("event=photo conv=%s bytes=%d dispute=%s", conversation_id, len(data), dispute.id if dispute else "-")

    def _note(self, session: Session, conversation: Conversation, action: NoteDispute) -> bool:
        """Add what the intake learned to the open dispute, and score how upset the customer is; False when there
        is no open dispute to add it to."""
        dispute = store.open_dispute(session, conversation.id)
        if dispute is None:
            return False
        if action.order_no and dispute.order_id is None:
            order = store.order_with_task(session, conversation.customer_id, action.order_no)
            dispute.order_id = order.id if order else None
        dispute.details = DisputeRecord.of(dispute.details).noted(
            at=self._clock(), fact=action.fact, subtype=action.subtype, expectation=action.expectation,
            done=action.done).as_json()
        return True

    def _settle(self, session: Session, conversation: Conversation, action: BotRemedy) -> None:
        """The bot's own remedy: the open dispute is resolved and the chat leaves the agents' queue."""
        dispute = store.open_dispute(session, conversation.id)
        now = self._clock()
        if dispute is not None:
            dispute.status = "resolved"
            resolution = Resolution.by_bot(action.remedy, str(action.amount) if action.amount else None, action.note, now)
            dispute.details = DisputeRecord.of(dispute.details).settled(resolution).as_json()
        conversation.escalation_reason = None
        log.info("event=bot_remedy conv=%s remedy=%s", conversation.id, action.remedy)

    def _announcement(self, session: Session, conversation: Conversation, *, again: bool = False) -> Say:
        """Who will answer and when: the place in the queue and an honest wait, or the next working hours.

        ``again`` (the customer writes while waiting): only a short word while agents are on duty and online;
        otherwise the same honest answer about when someone will be there.
        """
        session.flush()  # the conversation's waiting_agent status counts in the queue
        now = self._clock()
        position = max(queue_position(session, conversation.id), 1)
        values: dict[str, Value] = {
            "position": str(position), "ahead": str(position - 1), "next_open": self._hours.describe_next_open(now)}
        if not self._hours.is_open(now):
            return Say((("handoff.after_hours_next", values),))
        online = agents_online(session, now, self._settings.agent_offline_seconds)
        if online == 0:
            return Say((("handoff.no_agent", values),))
        wait = expected_wait_minutes(session, position, online, now, self._settings.minutes_per_chat)
        return Say((("handoff.waiting" if again else "handoff.queued", {**values, "wait": str(wait)}),))

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

        def work(session: Session) -> list[Reply]:
            row = store.find_customer(session, channel, customer)
            return [_reply(m) for m in store.messages_after(session, row.id, after)] if row else []

        return await self._db.run(work)

    async def transcript(self, channel: str, customer: str) -> list[dict[str, object]]:
        """The conversation both ways (for a web chat page restoring itself after a reload)."""

        def work(session: Session) -> list[dict[str, object]]:
            row = store.find_customer(session, channel, customer)
            if row is None:
                return []
            return [
                {"seq": m.seq, "text": m.text, "buttons": list(m.buttons or []),
                 "from": "customer" if m.direction == "in" else m.sender}
                for m in store.transcript(session, row.id)
            ]

        return await self._db.run(work)


def changed_lines(ordered: list[dict[str, Any]], action: ChangeOrder) -> list[dict[str, Any]]:
    """What the conversation remembers of an order's lines once ``action`` changed it: lines taken out are gone, and
    the line changed (or the only one) has its new size, colour or count — so the same item said again later in its
    new colour is known to be in the order."""
    kept = [dict(line) for line in ordered if not action.drops(line.get("sku"), line.get("colour"), line.get("size"))]
    added = [{"sku": line.sku, "size": line.size, "colour": line.colour, "quantity": line.quantity}
             for line in action.add]
    variant = {name: action.changes[name] for name in ("size", "colour", "quantity") if name in action.changes}
    if not variant:
        return [*kept, *added]
    for line in kept:
        if (action.line is None and len(kept) == 1) or (action.line is not None and (
                line.get("sku"), line.get("colour"), line.get("size")) == action.line):
            line.update(variant)
            break
    return [*kept, *added]


def _cause(exc: BaseException) -> str:
    """The error's class and, for a wrapped driver error, the driver's (never its text: it may quote the message)."""
    orig = getattr(exc, "orig", None)
    return type(exc).__name__ + (f"({type(orig).__name__})" if orig is not None else "")


def record_score(session: Session, customer_id: int, action: RecordScore, now: dt.datetime) -> bool:
    """Store a satisfaction score on its follow-up and on the disputes that resolution closed; False when the
    follow-up is not this customer's."""
    follow_up = session.get(FollowUp, action.follow_up)
    if follow_up is None or follow_up.customer_id != customer_id:
        return False
    follow_up.score, follow_up.comment, follow_up.answered_at = action.score, action.comment, now
    for dispute_id in follow_up.dispute_ids or []:
        dispute = session.get(Dispute, dispute_id)
        if dispute is not None:
            csat = Csat(score=action.score, comment=action.comment, at=now)
            dispute.details = DisputeRecord.of(dispute.details).scored(csat).as_json()
    return True


def conversation_context(
    stage: str, slots: Mapping[str, Any], orders: tuple[OrderView, ...] | None, today: dt.date, delivery_days: str
) -> IntentContext:
    """What the classifier should know of the conversation: the customer's latest order and where it is
    (``orders`` None: not looked up), whether they are shopping for an item, the bot's open question and
    the previous message's reading."""
    if orders is None:
        state = "unknown"
    elif not orders or orders[0].status == "cancelled" or orders[0].task_status == "cancelled":
        state = "none"
    elif orders[0].task_status == "shipped":
        shipped_on = orders[0].shipped_on
        state = "delivered" if shipped_on is not None and today > promised_by(shipped_on, delivery_days) else "shipped"
    else:
        state = "queued"
    return IntentContext(
        order=state,
        browsing=stage in SHOPPING_STAGES and bool(slots.get("product")),
        bot_asked=slots.get("pending") if isinstance(slots.get("pending"), str) else None,
        previous_intent=slots.get("last_intent") if isinstance(slots.get("last_intent"), str) else None,
    )


def _reading(text: str, prediction: Any, image: bool) -> Understanding:
    """The flow's view of a classifier prediction."""
    return Understanding(
        text=text, intent=prediction.intent, confidence=float(prediction.confidence),
        is_dispute=bool(prediction.is_dispute), dispute_label=prediction.dispute_label,
        dispute_probability=float(prediction.dispute_probability), image=image,
        also=_requests(prediction),
        prediction=prediction,
        alone_dispute=_alone_dispute(prediction), alone_intent=_alone_intent(prediction),
    )


def _alone_dispute(prediction: Any) -> float | None:
    """The complaint probability of the message on its own (before its context shifted it), if known."""
    base = getattr(prediction, "base", None)
    return sum(base.get(label, 0.0) for label in DISPUTE_LABELS) if base else None


def _alone_intent(prediction: Any) -> str | None:
    base = getattr(prediction, "base", None)
    return max(base, key=base.get) if base else None


def _requests(prediction: Any) -> tuple[Request, ...]:
    """The further requests of a message, each marked when it is asked before the main one."""
    parts = getattr(prediction, "parts", ())
    main = next((i for i, p in enumerate(parts) if p.intent == prediction.intent), len(parts))
    return tuple(Request(p.intent, p.text, first=parts.index(p) < main) for p in getattr(prediction, "also", ()))


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
