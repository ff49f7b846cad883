"""Database work for the engine: plain functions over a :class:`Session`, steps of a unit of work
(see :meth:`models.Database.run`)."""

from __future__ import annotations

import datetime as dt
import re
import secrets
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import cast

from sqlalchemy import Table, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from bot.conversation import (
    ChangeOrder,
    OrderLineView,
    OrderView,
    PlaceOrder,
    ProductView,
    RecordInvoice,
    format_money,
)
from models import (
    UNSHIPPED,
    Conversation,
    Customer,
    Dispute,
    InvoiceRequest,
    Message,
    Order,
    OrderItem,
    Product,
    ShippingTask,
    as_utc,
    utcnow,
)

CUSTOMERS = cast(Table, Customer.__table__)
MESSAGES = cast(Table, Message.__table__)


def find_customer(session: Session, channel: str, external_id: str) -> Customer | None:
    query = select(Customer).where(Customer.channel == channel, Customer.external_id == external_id)
    return (session.execute(query)).scalar_one_or_none()


def customer_for(session: Session, channel: str, external_id: str, name: str | None) -> Customer:
    """The customer with this channel id, created on first contact (safe against a concurrent create)."""
    customer = find_customer(session, channel, external_id)
    if customer is not None:
        return customer
    try:
        with session.begin_nested():
            customer = Customer(channel=channel, external_id=external_id, display_name=name)
            session.add(customer)
    except IntegrityError:
        customer = find_customer(session, channel, external_id)
        assert customer is not None
    return customer


def lock_customer(session: Session, customer_id: int) -> None:
    """Hold the customer's row until the unit of work ends, so that two workers handling the same customer take
    turns from here on (PostgreSQL; SQLite's transactions take the whole database's write lock anyway)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(select(CUSTOMERS.c.id).where(CUSTOMERS.c.id == customer_id).with_for_update())


def open_conversation(session: Session, customer_id: int, *, lock: bool = False) -> Conversation:
    """The customer's current conversation (not closed), started if there is none.

    With ``lock``, the row stays locked until the unit of work ends (PostgreSQL), so workers
    handling the same customer take turns.
    """
    query = (
        select(Conversation)
        .where(Conversation.customer_id == customer_id, Conversation.status != "closed")
        .order_by(Conversation.id.desc())
        .limit(1)
    )
    if lock:
        query = query.with_for_update()
    conversation = (session.execute(query)).scalar_one_or_none()
    if conversation is None:
        conversation = Conversation(customer_id=customer_id, stage="greet", status="bot", slots={})
        session.add(conversation)
        session.flush()
    return conversation


def next_seq(session: Session, customer_id: int, count: int = 1) -> int:
    """Reserve ``count`` sequence numbers for a customer's messages; returns the first."""
    columns = CUSTOMERS.c  # plain Core: no ORM bookkeeping on the per-message path
    result = session.execute(
        update(CUSTOMERS).where(columns.id == customer_id).values(last_seq=columns.last_seq + count)
        .returning(columns.last_seq)
    )
    last = result.scalar_one()
    return int(last) - count + 1


def find_inbound(session: Session, customer_id: int, message_id: str) -> Message | None:
    query = select(Message).where(
        Message.customer_id == customer_id, Message.channel_message_id == message_id, Message.direction == "in"
    )
    return (session.execute(query)).scalar_one_or_none()


def replies_to(session: Session, inbound: Message) -> Sequence[Message]:
    query = (
        select(Message)
        .where(Message.customer_id == inbound.customer_id, Message.reply_to_seq == inbound.seq)
        .order_by(Message.seq)
    )
    return (session.execute(query)).scalars().all()


def messages_after(session: Session, customer_id: int, after: int, limit: int = 200) -> Sequence[Message]:
    """What was sent to the customer after sequence number ``after``."""
    query = (
        select(Message)
        .where(Message.customer_id == customer_id, Message.direction == "out", Message.seq > after)
        .order_by(Message.seq)
        .limit(limit)
    )
    return (session.execute(query)).scalars().all()


def transcript(session: Session, customer_id: int, limit: int = 200) -> Sequence[Message]:
    """The customer's latest messages both ways, oldest first."""
    query = select(Message).where(Message.customer_id == customer_id).order_by(Message.seq.desc()).limit(limit)
    return list(reversed((session.execute(query)).scalars().all()))


def recent_orders(
    session: Session, customer_id: int, limit: int = 5, *, zone: dt.tzinfo = dt.UTC
) -> tuple[OrderView, ...]:
    """The customer's latest orders, newest first (``shipped_on`` is a date in ``zone``, the shop's)."""
    query = (
        select(Order)
        .where(Order.customer_id == customer_id)
        .options(selectinload(Order.items), selectinload(Order.shipping_task))
        .order_by(Order.id.desc())
        .limit(limit)
    )
    orders = (session.execute(query)).scalars().all()
    return tuple(
        OrderView(
            order_no=o.order_no,
            status=o.status,
            task_status=o.shipping_task.status if o.shipping_task else None,
            tracking_no=o.shipping_task.tracking_no if o.shipping_task else None,
            product="、".join(i.product_name for i in o.items),
            sku=o.items[0].sku if o.items else "",
            shipped_on=_shipped_on(o.shipping_task, zone),
            details=_details(o),
            lines=tuple(OrderLineView(sku=i.sku, product=i.product_name, size=i.size, colour=i.colour,
                                      quantity=i.quantity, unit_price=i.unit_price) for i in o.items),
        )
        for o in orders
    )


def _details(order: Order) -> dict[str, str]:
    """What an order holds that a customer may change: address, phone, and a one-line order's variant and count."""
    held = {"address": order.address or "", "phone": order.phone or "", "total": format_money(order.total),
            "subtotal": format_money(order.subtotal), "shipping_fee": format_money(order.shipping_fee),
            "notes": order.notes or ""}
    if len(order.items) == 1:
        item = order.items[0]
        held.update(size=item.size or "", colour=item.colour or "", quantity=str(item.quantity))
    return held


def latest_order(session: Session, customer_id: int, *, zone: dt.tzinfo = dt.UTC) -> tuple[OrderView, ...]:
    """The customer's newest order alone, where it is (one statement; no items): what the classifier's context
    needs when the flow itself needs no orders. Empty when the customer has none."""
    row = session.execute(
        select(Order.order_no, Order.status, ShippingTask.status, ShippingTask.tracking_no, ShippingTask.updated_at)
        .outerjoin(ShippingTask, ShippingTask.order_id == Order.id)
        .where(Order.customer_id == customer_id)
        .order_by(Order.id.desc())
        .limit(1)
    ).first()
    if row is None:
        return ()
    order_no, status, task_status, tracking_no, updated_at = row
    shipped_on = as_utc(updated_at).astimezone(zone).date() if task_status == "shipped" and updated_at else None
    return (OrderView(order_no=order_no, status=status, task_status=task_status, tracking_no=tracking_no,
                      product="", sku="", shipped_on=shipped_on),)


def order_number_in(text: str) -> str | None:
    """An order number written in a message (``KF`` and digits), upper-cased."""
    found = _ORDER_NUMBER.search(text)
    return found.group(0).upper() if found else None


_ORDER_NUMBER = re.compile(r"(?<![A-Za-z0-9])KF\d{8,14}(?!\d)", re.IGNORECASE)


def order_by_number(session: Session, order_no: str, *, zone: dt.tzinfo = dt.UTC) -> OrderView | None:
    """Any customer's order by its number, for a status look-up only (what was bought and where it is)."""
    query = (
        select(Order)
        .where(Order.order_no == order_no)
        .options(selectinload(Order.items), selectinload(Order.shipping_task))
    )
    o = session.execute(query).scalar_one_or_none()
    if o is None:
        return None
    return OrderView(
        order_no=o.order_no, status=o.status,
        task_status=o.shipping_task.status if o.shipping_task else None,
        tracking_no=o.shipping_task.tracking_no if o.shipping_task else None,
        product="、".join(i.product_name for i in o.items), sku=o.items[0].sku if o.items else "",
        shipped_on=_shipped_on(o.shipping_task, zone),
    )


def _shipped_on(task: ShippingTask | None, zone: dt.tzinfo) -> dt.date | None:
    if task is None or task.status != "shipped":
        return None
    return as_utc(task.updated_at).astimezone(zone).date()


def expedite(session: Session, customer_id: int, order_no: str) -> bool:
    """Flag a late order for the warehouse: 【加急】 in the task's notes and a line in its history. False when the
    order is not waiting in the warehouse (nothing to flag)."""
    order = order_with_task(session, customer_id, order_no)
    task = order.shipping_task if order else None
    if task is None or task.status not in UNSHIPPED:
        return False
    if not task.notes.startswith(EXPEDITE):
        task.notes = f"{EXPEDITE} {task.notes}".strip()
    task.history = [*task.history, {"at": utcnow().isoformat(), "what": "expedite: the customer is waiting"}]
    return True


EXPEDITE = "【加急】顾客催发货，请优先发出"


def open_dispute(session: Session, conversation_id: int) -> Dispute | None:
    """The conversation's newest open dispute (the one the intake is filling in), if any."""
    query = (
        select(Dispute)
        .where(Dispute.conversation_id == conversation_id, Dispute.status == "open")
        .order_by(Dispute.id.desc())
        .limit(1)
    )
    return session.execute(query).scalar_one_or_none()


def has_history(session: Session, customer_id: int, conversation_id: int) -> bool:
    """Whether the customer talked to the shop before this conversation."""
    query = select(func.count()).select_from(Conversation).where(
        Conversation.customer_id == customer_id, Conversation.id != conversation_id
    )
    return bool((session.execute(query)).scalar_one())


class StockGone(Exception):
    """The product sold out between the read-back and the customer's yes."""


class AlreadyShipped(Exception):
    """The order left the warehouse before the change could be made."""


class LinesChanged(Exception):
    """The order's lines are not the ones the change was worked out for (changed meanwhile): nothing was changed."""


def _order_no() -> str:
    return f"KF{dt.datetime.now(dt.UTC):%y%m%d}{secrets.randbelow(10**6):06d}"


def place_order(
    session: Session, action: PlaceOrder, products: Mapping[str, ProductView], customer_id: int, conversation_id: int
) -> Order:
    """Create the order (one item per line) and queue it for the warehouse, taking the stock atomically.

    Raises:
        StockGone: not enough stock left for a line (``.sku``); nothing was written.
    """
    wanted: dict[str, int] = {}
    for line in action.lines:
        wanted[line.sku] = wanted.get(line.sku, 0) + line.quantity
    for sku, quantity in wanted.items():
        _take_stock(session, sku, quantity)  # (the caller's savepoint undoes the lines already taken)
    subtotal = sum((line.unit_price * line.quantity for line in action.lines), Decimal("0"))
    notes = action.notes
    extras = dict(action.extras)
    if extras.get("gift"):
        notes = "；".join(filter(None, [notes, f"赠品：{extras['gift']}"]))
    items = [OrderItem(sku=line.sku, product_name=products[line.sku].name, size=line.size, colour=line.colour,
                       quantity=line.quantity, unit_price=line.unit_price) for line in action.lines]
    if action.into is not None:
        return _add_to_order(session, action, customer_id, items, subtotal, notes)
    for _attempt in range(5):
        try:
            with session.begin_nested():
                order = Order(
                    order_no=_order_no(), customer_id=customer_id, conversation_id=conversation_id,
                    status="confirmed", address=action.address, phone=action.phone, notes=action.notes,
                    subtotal=subtotal, discount=action.discount, shipping_fee=action.shipping_fee,
                    total=subtotal - action.discount + action.shipping_fee, extras=extras, items=items,
                )
                session.add(order)
                session.flush()
                session.add(ShippingTask(order_id=order.id, status="queued", notes=notes,
                                         history=[{"at": utcnow().isoformat(), "what": "queued"}]))
                session.flush()
            return order
        except IntegrityError:
            continue  # order number collision: draw another
    raise RuntimeError("could not allocate an order number")


def _add_to_order(
    session: Session, action: PlaceOrder, customer_id: int, items: list[OrderItem], subtotal: Decimal, notes: str
) -> Order:
    """The lines join an order placed before that has not left the warehouse ("凑个单"): its items, totals and
    warehouse task change together; the shipping fee is the one the flow worked out for the whole.

    Raises:
        AlreadyShipped: the order left (or was cancelled) meanwhile; nothing was changed.
    """
    order = order_with_task(session, customer_id, str(action.into))
    task = order.shipping_task if order else None
    if order is None or task is None or order.status != "confirmed" or task.status not in UNSHIPPED:
        raise AlreadyShipped(str(action.into))
    order.items.extend(items)
    order.subtotal += subtotal
    order.discount += action.discount
    order.shipping_fee = action.shipping_fee
    order.total = order.subtotal - order.discount + order.shipping_fee
    if notes:
        order.notes = "；".join(n for n in dict.fromkeys((order.notes or "", notes)) if n)
        task.notes = order.notes
    added = "、".join(f"{i.product_name} {i.colour or ''} {i.size or ''} ×{i.quantity}" for i in items)
    task.history = [*task.history, {"at": utcnow().isoformat(), "what": f"added: {added}"}]
    session.flush()
    return order


def order_with_task(session: Session, customer_id: int, order_no: str) -> Order | None:
    query = (
        select(Order)
        .where(Order.customer_id == customer_id, Order.order_no == order_no)
        .options(selectinload(Order.items), selectinload(Order.shipping_task))
        .with_for_update()
    )
    return (session.execute(query)).scalar_one_or_none()


def _take_stock(session: Session, sku: str, quantity: int) -> None:
    """Take ``quantity`` of ``sku`` from the stock in one conditional UPDATE (no lost decrement under concurrency).

    Raises:
        StockGone: fewer than ``quantity`` left; nothing was taken.
    """
    taken = session.execute(
        update(Product)
        .where(Product.sku == sku, Product.stock >= quantity)
        .values(stock=Product.stock - quantity)
        .execution_options(synchronize_session=False)
    )
    if taken.rowcount != 1:  # type: ignore[attr-defined]
        raise StockGone(sku)


def change_order(session: Session, customer_id: int, action: ChangeOrder) -> Order:
    """Intercept the order in the warehouse (截单) and apply the customer's changes.

    Raises:
        AlreadyShipped: it left the warehouse (or was cancelled); nothing was changed.
    """
    order = order_with_task(session, customer_id, action.order_no)
    task = order.shipping_task if order else None
    if order is None or task is None or task.status not in UNSHIPPED:
        raise AlreadyShipped(action.order_no)
    described = []
    if action.drop or action.drop_lines:  # lines taken out: their stock goes back; one line stays (else a cancel)
        gone = [i for i in order.items if action.drops(i.sku, i.colour, i.size)]
        if not gone or len(gone) == len(order.items):
            raise LinesChanged(action.order_no)
        for item in gone:
            session.execute(update(Product).where(Product.sku == item.sku).values(stock=Product.stock + item.quantity))
            order.items.remove(item)
            described.append(f"removed {item.product_name} {item.colour or ''} {item.size or ''} ×{item.quantity}")
    lines = [i for i in order.items if (i.sku, i.colour, i.size) == action.line] if action.line else order.items[:1]
    if action.line and len(lines) != 1:
        raise LinesChanged(action.order_no)
    for line in action.add:  # a line beside the one changed: its stock taken as an order's is, or nothing changes
        _take_stock(session, line.sku, line.quantity)
        name = session.execute(select(Product.name).where(Product.sku == line.sku)).scalar_one()
        order.items.append(OrderItem(sku=line.sku, product_name=name, size=line.size, colour=line.colour,
                                     quantity=line.quantity, unit_price=line.unit_price))
        described.append(f"added {name} {line.colour or ''} {line.size or ''} ×{line.quantity}")
    for name, value in action.changes.items():
        if name == "notes":  # a note added after ordering goes with the ones given before, never over them
            order.notes = "；".join(n for n in dict.fromkeys((order.notes or "", str(value))) if n)
        elif name in ("address", "phone"):
            setattr(order, name, str(value))
        elif name in ("size", "colour") and lines:
            setattr(lines[0], name, str(value))
        elif name == "quantity" and lines:
            item = lines[0]
            delta = int(value) - item.quantity
            if delta > 0:  # more of it: only what is in stock, taken from the stock
                _take_stock(session, item.sku, delta)
            elif delta < 0:
                session.execute(update(Product).where(Product.sku == item.sku).values(stock=Product.stock - delta))
            item.quantity = int(value)
        described.append(f"{name}→{value}")
    order.subtotal = sum((i.unit_price * i.quantity for i in order.items), Decimal("0"))
    if action.shipping_fee is not None:
        order.shipping_fee = action.shipping_fee
    if action.discount is not None:
        order.discount = action.discount
    order.total = order.subtotal - order.discount + order.shipping_fee
    task.status = "intercepted"
    if "notes" in action.changes:
        task.notes = order.notes
    task.history = [*task.history, {"at": utcnow().isoformat(), "what": "intercepted: " + ", ".join(described)}]
    return order


def cancel_order(session: Session, customer_id: int, order_no: str) -> Order:
    """Cancel an order that has not left the warehouse and put its stock back.

    Raises:
        AlreadyShipped: it already left; nothing was changed.
    """
    order = order_with_task(session, customer_id, order_no)
    task = order.shipping_task if order else None
    if order is None or task is None or task.status not in UNSHIPPED:
        raise AlreadyShipped(order_no)
    order.status = "cancelled"
    task.status = "cancelled"
    task.history = [*task.history, {"at": utcnow().isoformat(), "what": "cancelled by the customer"}]
    for item in order.items:
        session.execute(update(Product).where(Product.sku == item.sku).values(stock=Product.stock + item.quantity))
    return order



def record_invoice(
    session: Session, customer_id: int, conversation_id: int, action: RecordInvoice, order_no: str | None
) -> InvoiceRequest | None:
    """Store the customer's invoice request on their order ``order_no``; None when that order is not theirs or
    already has one (the first request stands; the staff see it at ``GET /api/invoices``)."""
    if order_no is None:
        return None
    order = session.execute(
        select(Order).where(Order.customer_id == customer_id, Order.order_no == order_no)
    ).scalar_one_or_none()
    if order is None or order.status == "cancelled":
        return None
    if session.execute(select(InvoiceRequest.id).where(InvoiceRequest.order_id == order.id)).first():
        return None
    request = InvoiceRequest(order_id=order.id, customer_id=customer_id, conversation_id=conversation_id,
                             kind=action.kind, title=action.title, tax_no=action.tax_no, email=action.email)
    try:
        with session.begin_nested():
            session.add(request)
            session.flush()
    except IntegrityError:  # the same order's request stored by another worker a moment ago
        return None
    return request
