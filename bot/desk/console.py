"""The agents' console, server side: the queue, transcripts, takeover and the agent's messages.

JSON under ``/agent/api/`` and one WebSocket (``/agent/ws``) that pushes the queue; while it is open it also
keeps the agent's login session seen, which is how kefu knows who is on duty (``bot.desk.presence``). Everything sits
under ``/agent``, so the guard of :mod:`bot.desk.guard` already demands a login (and the session's CSRF
token, header ``X-CSRF-Token``, on every POST); handlers read the caller from ``request[LOGIN]``.

All state is in the database (``conversations.status``/``agent_id``/``assigned_at``), so a restart
comes back with the same queue and holders. Every action an agent takes writes one ``agent_actions``
row in the same transaction as the change it records.

- ``GET  /agent/api/queue`` — chats waiting for a person (oldest escalation first) and the caller's own.
- ``GET  /agent/api/conversations/{id}`` — the transcript both ways, with the bot's intents, and the disputes.
- ``POST /agent/api/conversations/{id}/take`` — atomic: one conditional UPDATE; the loser gets 409 and the holder.
- ``POST /agent/api/conversations/{id}/messages`` ``{"text"}`` — holder only; stored, then pushed live.
- ``POST /agent/api/conversations/{id}/release`` — holder only; back to the bot.
- ``POST /agent/api/conversations/{id}/transfer`` ``{"to": "<name>"}`` — holder only; to an active account.
- ``POST /agent/api/conversations/{id}/resolve`` ``{"remedy", "amount", "note"}`` — holder only; the open disputes
  become ``resolved`` (the resolution in their ``details``), the customer is told, the bot takes the chat back
  and a follow-up is scheduled (``bot.engine.followups``).
- ``GET  /agent/api/phrases[?conversation=ID]`` — the quick-reply phrases and the placeholder values known
  (the shop's, and the chat's product/order when ``conversation`` is given); the page fills the rest in.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import logging
import math
from collections.abc import Callable
from contextlib import suppress
from decimal import Decimal
from functools import partial
from typing import Any, TypeVar, cast

from aiohttp import WSCloseCode, WSMsgType, web
from sqlalchemy import Table, and_, func, insert, or_, select, update
from sqlalchemy.orm import Session, aliased

from bot.conversation import Catalogue, format_money
from bot.desk.evidence import emotion_of, expectation_label, photos_by_dispute, photos_by_seq, subtype_label
from bot.desk.presence import queue_order, queue_wait_seconds
from bot.desk.sessions import Login, touch_session
from bot.engine import store
from bot.engine.envelope import MAX_TEXT, Reply
from bot.engine.followups import NEEDS_AMOUNT, REMEDIES, Speak, resolution_text
from bot.engine.hub import QUEUE
from bot.engine.records import DisputeRecord, Resolution
from bot.errors import BadRequest
from bot.web.edge import json_object, same_origin, whole_number
from bot.web.keys import AUTH, CLOCK, LOGIN, SERVICES
from bot.web.responses import dumps, json_response
from models import (
    AgentAction,
    Conversation,
    Customer,
    Dispute,
    FollowUp,
    Message,
    Order,
    OrderItem,
    ShippingTask,
    User,
    as_utc,
)

log = logging.getLogger("kefu.console")
T = TypeVar("T")
ACTIONS = cast(Table, AgentAction.__table__)
QUEUE_REFRESH_SECONDS = 2.0  # the socket re-reads the queue this often too (new escalations, flags coming due)


class Refused(Exception):
    """A console call that cannot be done: its HTTP status and JSON body. Raised inside a unit of work,
    it also rolls that unit back."""

    def __init__(self, status: int, error: str, **extra: Any) -> None:
        super().__init__(error)
        self.status = status
        self.body = {"error": error, **extra}


# ------------------------------------------------------------------ units of work


def _iso(value: dt.datetime | None) -> str | None:
    return as_utc(value).isoformat() if value is not None else None


def _seconds(now: dt.datetime, since: dt.datetime | None) -> int | None:
    return max(0, int((now - as_utc(since)).total_seconds())) if since is not None else None


def read_queue(user_id: int, now: dt.datetime, flag_after: float, session: Session) -> dict[str, list[dict[str, Any]]]:
    """Chats waiting for an agent (oldest escalation first) and the chats ``user_id`` holds.

    Of each chat's latest dispute an item carries its type, how upset the customer sounds (``emotion``:
    ``{"level", "label"}`` or None), what they asked for (``expectation``: a Chinese label or None) and how many
    photos they sent as evidence (``evidence_count``).
    """

    holder = aliased(User)
    rows = session.execute(
        select(Conversation, Customer.channel, Customer.external_id, Customer.display_name, holder.name)
        .join(Customer, Conversation.customer_id == Customer.id)
        .outerjoin(holder, Conversation.agent_id == holder.id)
        .where(or_(
            Conversation.status == "waiting_agent",
            and_(Conversation.status == "agent", Conversation.agent_id == user_id),
        ))
        .order_by(*queue_order())
    ).all()
    ids = [row[0].id for row in rows]
    if not ids:
        return {"waiting": [], "mine": []}
    # The last message of each chat.
    last_seq = (
        select(Message.conversation_id, func.max(Message.seq).label("seq"))
        .where(Message.conversation_id.in_(ids)).group_by(Message.conversation_id).subquery()
    )
    last = {
        conv: (text, sender)
        for conv, text, sender in session.execute(
            select(Message.conversation_id, Message.text, Message.sender).join(
                last_seq, and_(Message.conversation_id == last_seq.c.conversation_id, Message.seq == last_seq.c.seq)
            )
        ).all()
    }
    # The oldest customer message no person has answered yet (after the last agent message).
    answered = aliased(Message)
    answered_up_to = (
        select(func.coalesce(func.max(answered.seq), 0))
        .where(answered.conversation_id == Message.conversation_id, answered.sender == "agent")
        .scalar_subquery()
    )
    unanswered: dict[int, dt.datetime] = {
        conv: since for conv, since in session.execute(
            select(Message.conversation_id, func.min(Message.created_at))
            .where(Message.conversation_id.in_(ids), Message.direction == "in", Message.seq > answered_up_to)
            .group_by(Message.conversation_id)
        )
    }
    latest = select(func.max(Dispute.id)).where(Dispute.conversation_id.in_(ids)).group_by(Dispute.conversation_id)
    disputes: dict[int, tuple[int, str, dict[str, Any] | None]] = {
        conv: (ident, kind, details)
        for conv, ident, kind, details in session.execute(
            select(Dispute.conversation_id, Dispute.id, Dispute.type, Dispute.details).where(Dispute.id.in_(latest))
        )
    }
    evidence = photos_by_dispute(session, [ident for ident, _, _ in disputes.values()])
    waiting: list[dict[str, Any]] = []
    mine: list[dict[str, Any]] = []
    for conversation, channel, external_id, display_name, holder_name in rows:
        since = unanswered.get(conversation.id)
        unanswered_seconds = _seconds(now, since)
        text, sender = last.get(conversation.id, (None, None))
        dispute_id, dispute_type, details = disputes.get(conversation.id, (None, None, None))
        item = {
            "id": conversation.id,
            "status": conversation.status,
            "customer": {"channel": channel, "id": external_id, "name": display_name},
            "escalation_reason": conversation.escalation_reason,
            "dispute_type": dispute_type,
            "emotion": emotion_of(details),
            "expectation": expectation_label(details),
            "evidence_count": len(evidence.get(dispute_id, [])) if dispute_id is not None else 0,
            "escalated_at": _iso(conversation.escalated_at),
            "waited_seconds": _seconds(now, conversation.escalated_at or conversation.created_at),
            "unanswered_seconds": unanswered_seconds,
            "flagged": unanswered_seconds is not None and unanswered_seconds >= flag_after,
            "last_message": text,
            "last_from": sender,
            "holder": holder_name,
            "assigned_at": _iso(conversation.assigned_at),
        }
        (mine if conversation.status == "agent" else waiting).append(item)
    mine.sort(key=lambda item: (item["assigned_at"] or "", item["id"]))
    return {"waiting": waiting, "mine": mine}


def read_conversation(conversation_id: int, session: Session) -> dict[str, Any]:
    """One chat for the console: who, its state, every message both ways (each with the ids of the photos it
    carried, ``attachments``), and its disputes (each with its ``order_no``, the ids of the photos kept as its
    ``evidence``, and the Chinese labels of its problem and of what the customer asked for)."""

    holder = aliased(User)
    row = session.execute(
        select(Conversation, Customer, holder.name)
        .join(Customer, Conversation.customer_id == Customer.id)
        .outerjoin(holder, Conversation.agent_id == holder.id)
        .where(Conversation.id == conversation_id)
    ).one_or_none()
    if row is None:
        raise Refused(404, "no such conversation")
    conversation, customer, holder_name = row
    messages = session.execute(
        select(Message).where(Message.conversation_id == conversation_id).order_by(Message.seq)
    ).scalars().all()
    disputes = session.execute(
        select(Dispute, Order.order_no).outerjoin(Order, Dispute.order_id == Order.id)
        .where(Dispute.conversation_id == conversation_id).order_by(Dispute.id)
    ).all()
    photos = photos_by_seq(session, conversation_id)
    evidence = photos_by_dispute(session, [d.id for d, _ in disputes])
    return {
        "id": conversation.id,
        "status": conversation.status,
        "stage": conversation.stage,
        "customer": {"channel": customer.channel, "id": customer.external_id, "name": customer.display_name},
        "escalation_reason": conversation.escalation_reason,
        "escalated_at": _iso(conversation.escalated_at),
        "holder": holder_name,
        "assigned_at": _iso(conversation.assigned_at),
        "messages": [
            {"seq": m.seq, "from": m.sender, "direction": m.direction, "text": m.text, "buttons": list(m.buttons or []),
             "intent": m.intent, "confidence": m.confidence, "at": _iso(m.created_at),
             "attachments": photos.get(m.seq, []) if m.direction == "in" else []}
            for m in messages
        ],
        "disputes": [
            {"id": d.id, "type": d.type, "status": d.status, "order_id": d.order_id, "order_no": order_no,
             "opening_message": d.opening_message, "details": d.details, "created_at": _iso(d.created_at),
             "evidence": evidence.get(d.id, []), "subtype_label": subtype_label(d.details),
             "expectation_label": expectation_label(d.details)}
            for d, order_no in disputes
        ],
    }


_SLOT_VALUES = ("size", "colour", "quantity", "address", "phone", "notes", "order_no", "tracking_no")


def conversation_values(conversation_id: int, catalogue: Catalogue, session: Session) -> dict[str, str]:
    """Placeholder values the chat already knows: its product (from the slots or the latest order's first
    item), details the bot gathered, and the customer's latest order. Unknown ones are simply absent."""
    conversation = session.get(Conversation, conversation_id)
    if conversation is None:
        raise Refused(404, "no such conversation")
    slots = conversation.slots or {}
    values: dict[str, str] = {}
    for name in _SLOT_VALUES:
        value = slots.get(name)
        if isinstance(value, str | int) and not isinstance(value, bool) and str(value).strip():
            values[name] = str(value)
    sku = slots.get("product")
    product = catalogue.get(sku) if isinstance(sku, str) else None
    if product is not None:
        values["product"] = product.name
    order = session.execute(
        select(Order).where(Order.customer_id == conversation.customer_id).order_by(Order.id.desc()).limit(1)
    ).scalar_one_or_none()
    if order is not None:
        values.setdefault("order_no", order.order_no)
        values.setdefault("total", format_money(order.total))
        values.setdefault("address", order.address)
        values.setdefault("phone", order.phone)
        first = session.execute(
            select(OrderItem.product_name).where(OrderItem.order_id == order.id).order_by(OrderItem.id).limit(1)
        ).scalar_one_or_none()
        if first:
            values.setdefault("product", first)
        tracking = session.execute(
            select(ShippingTask.tracking_no).where(ShippingTask.order_id == order.id)
        ).scalar_one_or_none()
        if tracking:
            values.setdefault("tracking_no", tracking)
    return values


def _audit(
    session: Session, user_id: int, conversation_id: int, action: str, detail: dict[str, Any], now: dt.datetime
) -> None:
    session.execute(insert(ACTIONS).values(
        user_id=user_id, conversation_id=conversation_id, action=action, detail=detail, created_at=now
    ))


def _holder_name(session: Session, conversation_id: int) -> tuple[Conversation, str | None]:
    conversation = session.get(Conversation, conversation_id, populate_existing=True)
    if conversation is None:
        raise Refused(404, "no such conversation")
    holder = session.get(User, conversation.agent_id) if conversation.agent_id is not None else None
    return conversation, holder.name if holder is not None else None


def take(conversation_id: int, login: Login, now: dt.datetime, session: Session) -> dict[str, Any]:
    """Give the chat to ``login`` if it is waiting (or held by nobody): one conditional UPDATE, so of two
    agents clicking at once exactly one gets it. The audit row records how long the chat waited in the queue
    (``waited_seconds``): the expected wait customers are told is measured from these (``bot.desk.presence``).

    Raises:
        Refused: 404 unknown; 409 held by someone else (with ``holder``) or not waiting for a person.
    """
    taken = session.execute(
        update(Conversation)
        .where(
            Conversation.id == conversation_id,
            or_(Conversation.status == "waiting_agent",
                and_(Conversation.status == "agent", Conversation.agent_id.is_(None))),
        )
        .values(status="agent", agent_id=login.user_id, assigned_at=now)
        .execution_options(synchronize_session=False)
    )
    conversation, holder = _holder_name(session, conversation_id)
    if taken.rowcount == 1:  # type: ignore[attr-defined]
        detail: dict[str, Any] = {"from_status": "waiting_agent"}
        waited = queue_wait_seconds(session, conversation, now)
        if waited is not None:
            detail["waited_seconds"] = waited
        _audit(session, login.user_id, conversation_id, "take", detail, now)
        return {"id": conversation_id, "status": "agent", "holder": login.name, "taken": True}
    if conversation.status == "agent" and conversation.agent_id == login.user_id:
        return {"id": conversation_id, "status": "agent", "holder": login.name, "taken": False}
    if conversation.status == "agent":
        raise Refused(409, f"{holder} 已接手这个会话", holder=holder)
    raise Refused(409, "这个会话没有在等待人工客服", holder=None, conversation_status=conversation.status)


def _held(session: Session, conversation_id: int, login: Login) -> Conversation:
    """The conversation, locked, if ``login`` holds it.

    Raises:
        Refused: 404 unknown; 403 someone else (or nobody) holds it.
    """
    conversation = session.get(Conversation, conversation_id, with_for_update=True, populate_existing=True)
    if conversation is None:
        raise Refused(404, "no such conversation")
    if conversation.status != "agent" or conversation.agent_id != login.user_id:
        holder = session.get(User, conversation.agent_id) if conversation.agent_id is not None else None
        raise Refused(403, "只有接手这个会话的客服可以这样做", holder=holder.name if holder else None)
    return conversation


def send(
    conversation_id: int, login: Login, text: str, now: dt.datetime, session: Session
) -> tuple[tuple[str, str], Reply]:
    """Store the holder's message to the customer with the customer's next seq; returns where to push it."""
    conversation = _held(session, conversation_id, login)
    customer = session.get(Customer, conversation.customer_id)
    assert customer is not None
    seq = store.next_seq(session, customer.id)
    session.execute(insert(store.MESSAGES).values(
        customer_id=customer.id, conversation_id=conversation.id, seq=seq, direction="out", sender="agent",
        text=text, buttons=[], channel_message_id=None, intent=None, confidence=None, stage=conversation.stage,
        reply_to_seq=None,
    ))
    _audit(session, login.user_id, conversation_id, "message", {"seq": seq, "length": len(text)}, now)
    return (customer.channel, customer.external_id), Reply(text=text, seq=seq, sender="agent")


def release(conversation_id: int, login: Login, now: dt.datetime, session: Session) -> dict[str, Any]:
    """Hand the chat back to the bot: what the chat collected (the item, its lines, the address, the notes, an
    invoice's details) stays, so the bot goes on from there; only the open question and the escalation go."""
    conversation = _held(session, conversation_id, login)
    conversation.status, conversation.agent_id, conversation.assigned_at = "bot", None, None
    conversation.slots = {**(conversation.slots or {}), "pending": None, "buttons": {}, "escalated": None,
                          "last_intent": None, "buying_while_waiting": None}
    _audit(session, login.user_id, conversation_id, "release", {}, now)
    return {"id": conversation_id, "status": "bot", "holder": None}


def transfer(conversation_id: int, login: Login, to: str, now: dt.datetime, session: Session) -> dict[str, Any]:
    """Give the chat to another active agent or admin.

    Raises:
        Refused: 403 not the holder; 400 no such active account, or the caller themself.
    """
    conversation = _held(session, conversation_id, login)
    target = session.execute(select(User).where(User.name == to, User.active)).scalar_one_or_none()
    if target is None:
        raise Refused(400, f"没有名为 {to} 的在职客服")
    if target.id == login.user_id:
        raise Refused(400, "会话已经在你这里")
    conversation.agent_id, conversation.assigned_at = target.id, now
    _audit(session, login.user_id, conversation_id, "transfer", {"to": target.name, "to_user_id": target.id}, now)
    return {"id": conversation_id, "status": "agent", "holder": target.name}


def resolve(
    conversation_id: int, login: Login, remedy: str, amount: Decimal | None, note: str, now: dt.datetime,
    delay: dt.timedelta, session: Session, *, say: Speak,
) -> tuple[tuple[str, str], Reply, dict[str, Any]]:
    """Resolve the held chat: its open disputes become ``resolved`` (the resolution in their ``details``),
    the customer is told, the bot takes the chat back, and the follow-up is scheduled at ``now + delay``."""
    conversation = _held(session, conversation_id, login)
    customer = session.get(Customer, conversation.customer_id)
    assert customer is not None
    due = now + delay
    disputes = session.execute(
        select(Dispute).where(Dispute.conversation_id == conversation_id, Dispute.status == "open").order_by(Dispute.id)
    ).scalars().all()
    follow_up = FollowUp(conversation_id=conversation_id, customer_id=customer.id, remedy=remedy, due_at=due,
                         dispute_ids=[d.id for d in disputes])
    session.add(follow_up)
    session.flush()
    settled = Resolution.by_agent(remedy, str(amount) if amount is not None else None, note, agent=login.name,
                                  agent_id=login.user_id, at=now, follow_up_id=follow_up.id, follow_up_at=due)
    resolution = settled.model_dump(mode="json", exclude={"by"})  # (the audit row's detail)
    for dispute in disputes:
        dispute.status = "resolved"
        dispute.details = DisputeRecord.of(dispute.details).settled(settled).as_json()
    text = resolution_text(remedy, amount, say)
    seq = store.next_seq(session, customer.id)
    session.execute(insert(store.MESSAGES).values(
        customer_id=customer.id, conversation_id=conversation.id, seq=seq, direction="out", sender="agent",
        text=text, buttons=[], channel_message_id=None, intent=None, confidence=None, stage=conversation.stage,
        reply_to_seq=None,
    ))
    conversation.status, conversation.agent_id, conversation.assigned_at = "bot", None, None
    # (the complaint is settled: what the customer writes next is not read as going on with it)
    conversation.slots = {**(conversation.slots or {}), "pending": None, "buttons": {}, "escalated": None,
                          "last_intent": None}
    _audit(session, login.user_id, conversation_id, "resolve",
           {**resolution, "disputes": [d.id for d in disputes], "seq": seq}, now)
    result = {"id": conversation_id, "status": "bot", "holder": None, "remedy": remedy,
              "amount": resolution["amount"], "disputes": [d.id for d in disputes],
              "follow_up_at": due.isoformat(), "message": Reply(text=text, seq=seq, sender="agent").as_json()}
    return (customer.channel, customer.external_id), Reply(text=text, seq=seq, sender="agent"), result


def parse_resolution(payload: dict[str, Any]) -> tuple[str, Decimal | None, str]:
    """``remedy``, ``amount`` and ``note`` of a resolve call.

    Raises:
        BadRequest: with the reason, for an unknown remedy, a missing or bad amount, or a bad note.
    """
    remedy = payload.get("remedy")
    if not isinstance(remedy, str) or remedy not in REMEDIES:
        raise BadRequest(f"remedy must be one of {', '.join(REMEDIES)}")
    raw = payload.get("amount")
    amount: Decimal | None = None
    if raw is not None and raw != "":
        if isinstance(raw, bool) or not isinstance(raw, int | float | str):
            raise BadRequest("amount must be a number ≥ 0")
        try:
            value = float(raw)
        except ValueError:
            raise BadRequest("amount must be a number ≥ 0") from None
        if not math.isfinite(value) or value < 0 or value > 10_000_000:
            raise BadRequest("amount must be a number ≥ 0 (and below 10,000,000)")
        amount = Decimal(str(raw)).quantize(Decimal("0.01"))
    if amount is None and remedy in NEEDS_AMOUNT:
        raise BadRequest(f"amount is required for {remedy}: a number ≥ 0")
    note = payload.get("note", "")
    if note is None:
        note = ""
    if not isinstance(note, str):
        raise BadRequest("note must be text")
    if len(note) > MAX_TEXT:
        raise BadRequest(f"note is longer than {MAX_TEXT} characters")
    return remedy, amount, note.strip()


# ------------------------------------------------------------------ HTTP


async def _run(request: web.Request, work: Callable[[Session], T]) -> T:
    return await request.app[SERVICES].db.run(work)


def _now(request: web.Request) -> dt.datetime:
    return as_utc(request.app[CLOCK]())


def _flag_after(request: web.Request) -> float:
    return float(request.app[SERVICES].settings.agent_flag_seconds)


def _conversation_id(request: web.Request) -> int:
    return whole_number(request.match_info["id"], "the conversation id")


def _queue_changed(request: web.Request) -> None:
    """Every queue socket re-reads the queue, on every worker (after the commit)."""
    request.app[SERVICES].hub.changed(QUEUE)


def _refused(exc: Refused) -> web.Response:
    return json_response(exc.body, exc.status)


async def queue(request: web.Request) -> web.StreamResponse:
    """``GET /agent/api/queue``: the chats waiting for a person and the caller's own (:func:`read_queue`)."""
    login = request[LOGIN]
    return json_response(await _run(request, partial(read_queue, login.user_id, _now(request), _flag_after(request))))


async def conversation(request: web.Request) -> web.StreamResponse:
    """``GET /agent/api/conversations/{id}``: one chat (:func:`read_conversation`).

    :raise 404: no such conversation.
    """
    ident = _conversation_id(request)
    try:
        return json_response(await _run(request, partial(read_conversation, ident)))
    except Refused as exc:
        return _refused(exc)


async def take_chat(request: web.Request) -> web.StreamResponse:
    """``POST /agent/api/conversations/{id}/take`` (:func:`take`).

    :raise 409: someone else holds it (``holder``), or it is not waiting for a person.
    """
    login, ident = request[LOGIN], _conversation_id(request)
    try:
        result = await _run(request, partial(take, ident, login, _now(request)))
    except Refused as exc:
        log.info("event=take_refused conv=%s user=%s holder=%s", ident, login.user_id, exc.body.get("holder"))
        return _refused(exc)
    if result["taken"]:
        log.info("event=taken conv=%s user=%s", ident, login.user_id)
        _queue_changed(request)
    return json_response(result)


async def post_message(request: web.Request) -> web.StreamResponse:
    """``POST /agent/api/conversations/{id}/messages`` ``{"text"}``: the holder's message, stored, then pushed live.

    :raise 400: no text, or a text too long.
    :raise 403: the caller does not hold the chat.
    """
    login, ident = request[LOGIN], _conversation_id(request)
    text = (await json_object(request, example='{"text": "..."}')).get("text")
    if not isinstance(text, str) or not text.strip():
        raise BadRequest("text is required: a non-empty string")
    if len(text) > MAX_TEXT:
        raise BadRequest(f"text is longer than {MAX_TEXT} characters")
    try:
        key, reply = await _run(request, partial(send, ident, login, text, _now(request)))
    except Refused as exc:
        return _refused(exc)
    request.app[SERVICES].hub.publish(key, [reply])  # after the commit, as the engine does
    log.info("event=agent_message conv=%s user=%s seq=%s", ident, login.user_id, reply.seq)
    _queue_changed(request)
    return json_response({"id": ident, "message": reply.as_json()})


async def release_chat(request: web.Request) -> web.StreamResponse:
    """``POST /agent/api/conversations/{id}/release``: back to the bot (:func:`release`).

    :raise 403: the caller does not hold the chat.
    """
    login, ident = request[LOGIN], _conversation_id(request)
    try:
        result = await _run(request, partial(release, ident, login, _now(request)))
    except Refused as exc:
        return _refused(exc)
    log.info("event=released conv=%s user=%s", ident, login.user_id)
    _queue_changed(request)
    return json_response(result)


async def transfer_chat(request: web.Request) -> web.StreamResponse:
    """``POST /agent/api/conversations/{id}/transfer`` ``{"to"}`` (:func:`transfer`).

    :raise 400: no name, no such active account, or the caller themself.
    :raise 403: the caller does not hold the chat.
    """
    login, ident = request[LOGIN], _conversation_id(request)
    to = (await json_object(request, example='{"text": "..."}')).get("to")
    if not isinstance(to, str) or not to.strip():
        raise BadRequest("to is required: the name of an agent")
    try:
        result = await _run(request, partial(transfer, ident, login, to.strip(), _now(request)))
    except Refused as exc:
        return _refused(exc)
    log.info("event=transferred conv=%s user=%s to=%s", ident, login.user_id, json.dumps(result["holder"]))
    _queue_changed(request)
    return json_response(result)


async def resolve_chat(request: web.Request) -> web.StreamResponse:
    """``POST /agent/api/conversations/{id}/resolve`` ``{"remedy", "amount", "note"}`` (:func:`resolve`).

    :raise 400: see :func:`parse_resolution`.
    :raise 403: the caller does not hold the chat.
    """
    login, ident = request[LOGIN], _conversation_id(request)
    remedy, amount, note = parse_resolution(await json_object(request, example='{"text": "..."}'))
    services = request.app[SERVICES]
    delay = dt.timedelta(minutes=float(services.settings.follow_up_minutes))
    try:
        key, reply, result = await _run(
            request, partial(resolve, ident, login, remedy, amount, note, _now(request), delay, say=services.engine.say)
        )
    except Refused as exc:
        return _refused(exc)
    services.hub.publish(key, [reply])  # after the commit
    log.info("event=resolved conv=%s user=%s remedy=%s disputes=%d", ident, login.user_id, remedy,
             len(result["disputes"]))
    _queue_changed(request)
    return json_response(result)


async def phrases(request: web.Request) -> web.StreamResponse:
    """``GET /agent/api/phrases[?conversation=ID]``: the quick-reply phrases and the placeholder values known.

    :raise 400: ``conversation`` is not a whole number.
    :raise 404: no such conversation.
    """
    services = request.app[SERVICES]
    knowledge = services.knowledge()
    values: dict[str, str] = dict(services.engine.global_values)
    raw = request.query.get("conversation", "")
    if raw:
        try:
            values.update(await _run(request, partial(conversation_values, whole_number(raw, "conversation"),
                                                      knowledge.catalogue)))
        except Refused as exc:
            return _refused(exc)
    entries = [
        {"key": e.key, "title": e.title, "shortcut": e.shortcut, "variants": list(e.variants)}
        for e in knowledge.phrases.entries()
    ]
    return json_response({"phrases": entries, "values": values})


async def queue_socket(request: web.Request) -> web.WebSocketResponse:
    """``GET /agent/ws``: pushes ``{"type": "queue", "waiting": [...], "mine": [...]}`` on connect and whenever it
    changes.

    While it is open the agent is on duty: it marks their login session as seen (``last_seen``) every
    15 s at most, and closes (code 1008) once that session has ended (logout, expiry, account disabled).

    :raise 403: the socket is opened from another site's page (its ``Origin``).
    """
    login = request[LOGIN]
    if not same_origin(request):
        log.warning("event=queue_socket_refused reason=foreign_origin user=%s", login.user_id)
        raise web.HTTPForbidden(reason="the console's socket is for the console's own page")
    touch_every = request.app[AUTH].touch_every
    ws = web.WebSocketResponse(heartbeat=25)
    await ws.prepare(request)
    hub = request.app[SERVICES].hub
    wake = asyncio.Event()
    hub.on_change(QUEUE, wake.set)
    ending = asyncio.Event()  # set when push() itself closes the socket: it must not be cancelled midway

    async def push() -> None:
        sent: dict[str, list[dict[str, Any]]] | None = None
        seen: dt.datetime | None = None
        while True:
            wake.clear()
            moment = _now(request)
            if seen is None or moment - seen >= touch_every:
                if not await _run(request, partial(touch_session, login.session_id, moment)):
                    log.info("event=queue_socket_closed reason=session_ended user=%s", login.user_id)
                    ending.set()
                    await ws.close(code=WSCloseCode.POLICY_VIOLATION, message=b"session ended")
                    return
                seen = moment
            snapshot = await _run(request, partial(read_queue, login.user_id, moment, _flag_after(request)))
            if snapshot != sent:
                await ws.send_json({"type": "queue", **snapshot}, dumps=dumps)
                sent = snapshot
            with suppress(TimeoutError):
                await asyncio.wait_for(wake.wait(), QUEUE_REFRESH_SECONDS)

    pushing = asyncio.create_task(push())
    try:
        async for frame in ws:
            if frame.type == WSMsgType.TEXT and frame.data == "refresh":
                wake.set()
    finally:
        hub.off_change(QUEUE, wake.set)
        if not ending.is_set():
            pushing.cancel()
        with suppress(asyncio.CancelledError, ConnectionResetError):
            await pushing
    return ws


def setup_routes(app: web.Application) -> None:
    """Add the console's JSON API and queue socket under ``/agent`` (guarded by :mod:`bot.desk.guard`)."""
    app.router.add_get("/agent/api/queue", queue)
    app.router.add_get("/agent/api/conversations/{id}", conversation)
    app.router.add_post("/agent/api/conversations/{id}/take", take_chat)
    app.router.add_post("/agent/api/conversations/{id}/messages", post_message)
    app.router.add_post("/agent/api/conversations/{id}/release", release_chat)
    app.router.add_post("/agent/api/conversations/{id}/transfer", transfer_chat)
    app.router.add_post("/agent/api/conversations/{id}/resolve", resolve_chat)
    app.router.add_get("/agent/api/phrases", phrases)
    app.router.add_get("/agent/ws", queue_socket)
