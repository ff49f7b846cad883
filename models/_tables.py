"""The tables. Relationships load only when asked for (``lazy="raise"``): no query hides in an attribute."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import (
    JSON,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models._base import Base, created, intpk, json_list, json_obj, money, short_text, updated

# Conversation.status values (docs/CONTRACT.md).
STATUSES = ("bot", "waiting_agent", "agent", "closed")
# Conversation.stage values: the eight steps.
STAGES = ("greet", "consult", "recommend", "objection", "close", "confirm_order", "farewell", "shipping")
# ShippingTask.status values.
TASK_STATUSES = ("queued", "intercepted", "shipped", "cancelled")
# The ones still with the warehouse: the order's address, lines and notes may still change.
UNSHIPPED = ("queued", "intercepted")
DISPUTE_TYPES = ("product", "logistics", "payment", "service")
# InvoiceRequest.status values: asked for by the customer, issued by the shop's staff.
INVOICE_STATUSES = ("requested", "issued")
# User.role values: who may use the agents' console (agent) and also its admin pages (admin).
ROLES = ("agent", "admin")


class Customer(Base):
    """Someone who writes to the shop, identified per channel."""

    __tablename__ = "customers"
    __table_args__ = (UniqueConstraint("channel", "external_id"),)

    id: Mapped[intpk]
    channel: Mapped[short_text]
    external_id: Mapped[str] = mapped_column(String(128))
    display_name: Mapped[str | None] = mapped_column(String(128))
    # Last sequence number handed out for this customer's messages (both directions).
    last_seq: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # Channels that push (Telegram): every outbound message up to this seq has been delivered (bot.channels.telegram).
    delivered_seq: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    created_at: Mapped[created]


class Conversation(Base):
    """One run of the eight-step flow with a customer; a new one starts after ``closed``."""

    __tablename__ = "conversations"
    __table_args__ = (Index("ix_conversations_customer_status", "customer_id", "status"),)

    id: Mapped[intpk]
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"))
    stage: Mapped[str] = mapped_column(String(16), default="greet")
    status: Mapped[str] = mapped_column(String(16), default="bot")
    # What the engine has learned so far (product, size, colour, quantity, address, phone, ...).
    slots: Mapped[json_obj]
    escalation_reason: Mapped[str | None] = mapped_column(String(32))
    escalated_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    # The escalated_at of the escalation the agents' Telegram group was told of (claimed by one worker).
    noticed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    # The agent holding the chat (status ``agent``) and since when; None while the bot or the queue has it.
    # (No ON DELETE: accounts are disabled, never deleted; and SQLite cannot add a column's FK options in place.)
    agent_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    assigned_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[created]
    updated_at: Mapped[updated]

    customer: Mapped[Customer] = relationship(lazy="raise")


class Message(Base):
    """Every message in and out, stored before the reply leaves."""

    __tablename__ = "messages"
    __table_args__ = (
        UniqueConstraint("customer_id", "channel_message_id"),
        UniqueConstraint("customer_id", "seq"),
        Index("ix_messages_conversation", "conversation_id", "seq"),
        Index("ix_messages_reply_to", "customer_id", "reply_to_seq"),
    )

    id: Mapped[intpk]
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"))
    conversation_id: Mapped[int] = mapped_column(ForeignKey("conversations.id", ondelete="CASCADE"))
    seq: Mapped[int]
    direction: Mapped[str] = mapped_column(String(3))  # "in" | "out"
    sender: Mapped[str] = mapped_column(String(16))  # "customer" | "bot" | "agent"
    text: Mapped[str] = mapped_column(Text)
    buttons: Mapped[json_list]
    intent: Mapped[str | None] = mapped_column(String(32))
    confidence: Mapped[float | None]
    stage: Mapped[str | None] = mapped_column(String(16))
    channel_message_id: Mapped[str | None] = mapped_column(String(128))
    # For an outbound reply: the seq of the customer's message it answers (how a repeated message
    # finds its replies). A seq, not an id, so a message and its replies are inserted in one batch.
    reply_to_seq: Mapped[int | None]
    created_at: Mapped[created]


class Product(Base):
    """An item in the catalogue."""

    __tablename__ = "products"

    id: Mapped[intpk]
    sku: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(128))
    category: Mapped[short_text]
    price: Mapped[money]
    stock: Mapped[int] = mapped_column(Integer, default=0)
    # sizes, colours, material, aliases, description, selling_points, audience, season, style,
    # size_chart, care, tags.
    attributes: Mapped[json_obj]
    related: Mapped[json_list]  # skus
    active: Mapped[bool] = mapped_column(default=True)
    updated_at: Mapped[updated]


class Order(Base):
    """An order the customer confirmed after the read-back."""

    __tablename__ = "orders"

    id: Mapped[intpk]
    order_no: Mapped[str] = mapped_column(String(32), unique=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"), index=True)
    conversation_id: Mapped[int | None] = mapped_column(ForeignKey("conversations.id", ondelete="SET NULL"))
    status: Mapped[str] = mapped_column(String(16), default="confirmed")  # confirmed | cancelled
    address: Mapped[str] = mapped_column(Text)
    phone: Mapped[str] = mapped_column(String(32))
    notes: Mapped[str] = mapped_column(Text, default="")
    subtotal: Mapped[money]
    discount: Mapped[money] = mapped_column(default=Decimal("0"))
    shipping_fee: Mapped[money] = mapped_column(default=Decimal("0"))
    total: Mapped[money]
    extras: Mapped[json_obj]  # concessions granted (gift, coupon), for the warehouse and agents
    created_at: Mapped[created]
    updated_at: Mapped[updated]

    items: Mapped[list[OrderItem]] = relationship(
        lazy="raise", cascade="all, delete-orphan", order_by="OrderItem.id"
    )
    shipping_task: Mapped[ShippingTask | None] = relationship(lazy="raise", back_populates="order")


class OrderItem(Base):
    """One line of an order."""

    __tablename__ = "order_items"

    id: Mapped[intpk]
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    sku: Mapped[str] = mapped_column(String(32))
    product_name: Mapped[str] = mapped_column(String(128))
    size: Mapped[str | None] = mapped_column(String(16))
    colour: Mapped[str | None] = mapped_column(String(32))
    quantity: Mapped[int]
    unit_price: Mapped[money]


class ShippingTask(Base):
    """The warehouse's copy of a confirmed order: queued, intercepted (截单), shipped or cancelled."""

    __tablename__ = "shipping_tasks"

    id: Mapped[intpk]
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), unique=True)
    status: Mapped[str] = mapped_column(String(16), default="queued")
    notes: Mapped[str] = mapped_column(Text, default="")
    tracking_no: Mapped[str | None] = mapped_column(String(64))
    history: Mapped[json_list]  # [{"at": iso, "what": "..."}]: every change the warehouse must see
    created_at: Mapped[created]
    updated_at: Mapped[updated]

    order: Mapped[Order] = relationship(lazy="raise", back_populates="shipping_task")


class InvoiceRequest(Base):
    """A customer's request for an invoice on an order, with the details collected once in the chat; the shop's
    staff issue it and mark it issued (``GET /api/invoices``, ``POST /api/invoices/{id}/issued``)."""

    __tablename__ = "invoice_requests"

    id: Mapped[intpk]
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), unique=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"), index=True)
    conversation_id: Mapped[int | None] = mapped_column(ForeignKey("conversations.id", ondelete="SET NULL"))
    kind: Mapped[str] = mapped_column(String(16))  # personal | company
    title: Mapped[str] = mapped_column(String(128))  # 抬头
    tax_no: Mapped[str | None] = mapped_column(String(32))  # 税号 (companies)
    email: Mapped[str] = mapped_column(String(128))
    status: Mapped[str] = mapped_column(String(16), default="requested", index=True)
    invoice_no: Mapped[str | None] = mapped_column(String(64))  # the issued invoice's number, when given
    created_at: Mapped[created]
    issued_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))

    order: Mapped[Order] = relationship(lazy="raise")


class Dispute(Base):
    """A dispute the bot recognised; agents finish it."""

    __tablename__ = "disputes"

    id: Mapped[intpk]
    conversation_id: Mapped[int] = mapped_column(ForeignKey("conversations.id", ondelete="CASCADE"), index=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"))
    type: Mapped[str] = mapped_column(String(16))  # product | logistics | payment | service
    status: Mapped[str] = mapped_column(String(16), default="open")
    order_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id", ondelete="SET NULL"))
    opening_message: Mapped[str] = mapped_column(Text)
    details: Mapped[json_obj]
    created_at: Mapped[created]
    updated_at: Mapped[updated]


class Attachment(Base):
    """A photo a customer sent (evidence for a dispute): stored in the database with the message it came with
    (``customer_id`` + ``seq``), so every worker can show it and a backup keeps it."""

    __tablename__ = "attachments"
    __table_args__ = (Index("ix_attachments_customer_seq", "customer_id", "seq"),)

    id: Mapped[intpk]
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"))
    conversation_id: Mapped[int] = mapped_column(ForeignKey("conversations.id", ondelete="CASCADE"), index=True)
    seq: Mapped[int]  # the inbound message it arrived with
    dispute_id: Mapped[int | None] = mapped_column(ForeignKey("disputes.id", ondelete="SET NULL"), index=True)
    content_type: Mapped[str] = mapped_column(String(32))  # image/jpeg | image/png | image/gif | image/webp
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    data: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[created]


class Phrase(Base):
    """A quick-reply phrase: one key, its variants, and the agents' shortcut."""

    __tablename__ = "phrases"

    id: Mapped[intpk]
    key: Mapped[str] = mapped_column(String(64), unique=True)
    title: Mapped[str] = mapped_column(String(64))
    shortcut: Mapped[str] = mapped_column(String(16), unique=True)
    variants: Mapped[list[str]] = mapped_column(JSON)
    updated_at: Mapped[updated]



class User(Base):
    """An agent or admin who logs in to the console. Created from the command line only."""

    __tablename__ = "users"
    __table_args__ = (CheckConstraint("role IN ('agent', 'admin')", name="role"),)

    id: Mapped[intpk]
    name: Mapped[str] = mapped_column(String(64), unique=True)
    role: Mapped[str] = mapped_column(String(16))  # agent | admin
    password_hash: Mapped[str] = mapped_column(String(255))  # argon2id, with its parameters
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[created]
    # Failed logins since the last success or lock; at the limit the account is locked until locked_until.
    failed_logins: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    locked_until: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class LoginSession(Base):
    """A logged-in browser. Only the SHA-256 of its cookie token is stored: a copy of the table logs no one in."""

    __tablename__ = "login_sessions"

    id: Mapped[intpk]
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)  # sha256 hex of the cookie value
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    csrf_token: Mapped[str] = mapped_column(String(64))  # the synchronizer token of this session's forms
    created_at: Mapped[created]
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)
    last_seen: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))

    user: Mapped[User] = relationship(lazy="raise")


class AgentAction(Base):
    """The audit trail: one row for everything an agent does in the console (who, what, when)."""

    __tablename__ = "agent_actions"

    id: Mapped[intpk]
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)  # the trail outlives nothing it names
    conversation_id: Mapped[int | None] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE"), index=True
    )
    action: Mapped[str] = mapped_column(String(32))  # take | message | release | transfer | resolve
    detail: Mapped[json_obj]
    created_at: Mapped[created]


class FollowUp(Base):
    """The bot's follow-up after an agent resolved a chat: due at ``due_at``, sent once (``sent_at`` is
    claimed by one conditional UPDATE), and the customer's 1–5 satisfaction score when they answer."""

    __tablename__ = "follow_ups"
    __table_args__ = (Index("ix_follow_ups_due", "sent_at", "due_at"),)

    id: Mapped[intpk]
    conversation_id: Mapped[int] = mapped_column(ForeignKey("conversations.id", ondelete="CASCADE"), index=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"))
    dispute_ids: Mapped[json_list]  # the disputes the resolution closed (their ``details`` get the score too)
    remedy: Mapped[str] = mapped_column(String(32))
    due_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    sent_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    score: Mapped[int | None]
    comment: Mapped[str | None] = mapped_column(Text)
    answered_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[created]
