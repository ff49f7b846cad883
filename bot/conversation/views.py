"""What the engine tells the flow: the message as understood, the shop's policy, the customer's orders.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from bot.conversation.catalogue import Catalogue


@dataclass(frozen=True, slots=True)
class Request:
    """A further request inside a message: its intent, the clause that asks it, and whether that clause comes
    before the one the message's own reading is about (its answer then comes first too)."""

    intent: str
    text: str
    first: bool = False


@dataclass(frozen=True, slots=True)
class Understanding:
    """The classifier's reading of one message."""

    text: str
    intent: str
    confidence: float
    is_dispute: bool = False
    dispute_label: str | None = None
    dispute_probability: float = 0.0
    image: bool = False  # the message carries a photo
    # Further requests in the same message, in order.
    also: tuple[Request, ...] = ()
    prediction: Any = field(default=None, repr=False, compare=False)  # the classifier's own result
    alone_dispute: float | None = None  # the complaint probability of the message alone, without its context
    alone_intent: str | None = None  # and its best label then


@dataclass(frozen=True, slots=True)
class OrderLineView:
    """One line of an order as it stands in the store."""

    sku: str
    product: str
    size: str | None
    colour: str | None
    quantity: int
    unit_price: Decimal


@dataclass(frozen=True, slots=True)
class OrderView:
    """A customer's order as the flow sees it (newest first in :attr:`Context.orders`)."""

    order_no: str
    status: str  # confirmed | cancelled
    task_status: str | None  # queued | intercepted | shipped | cancelled
    tracking_no: str | None
    product: str
    sku: str
    shipped_on: dt.date | None = None  # the day the warehouse shipped it (shop's time zone)
    # what it holds now: address and phone, and for a one-line order its size, colour and quantity
    details: Mapping[str, str] = field(default_factory=dict)
    lines: tuple[OrderLineView, ...] = ()  # every line, in the order they were added

    @property
    def unshipped(self) -> bool:
        """Still with the warehouse (queued, or stopped there): its address, lines and notes can still change."""
        return self.task_status in ("queued", "intercepted")

    @property
    def changeable(self) -> bool:
        """A confirmed order the warehouse has not shipped: what a change or a cancel may act on."""
        return self.status == "confirmed" and self.unshipped


@dataclass(frozen=True, slots=True)
class Policy:
    """The shop's limits, from configuration."""

    free_shipping_threshold: Decimal
    shipping_fee: Decimal
    coupon_amount: Decimal
    coupon_min_total: Decimal
    gift: str
    free_shipping_concession: bool
    confidence_threshold: float
    late_parcel_coupon: Decimal = Decimal(0)  # what the bot may offer for a late parcel itself (0: never)
    delivery_days: str = "2–4"
    return_address: str = ""  # where no-fault returns go; empty: a colleague gives it
    courier: str = "中通快递"  # the one the shop ships with (another is a colleague's call)
    dispatch_cutoff: dt.time = dt.time(16, 0)  # paid before it, shipped the same day


@dataclass(frozen=True, slots=True)
class Context:
    """Everything outside the conversation that a decision may read."""

    catalogue: Catalogue
    policy: Policy
    orders: tuple[OrderView, ...] = ()
    first_message: bool = False
    returning: bool = False
    today: dt.date = dt.date(2026, 1, 1)  # the shop's date (the engine passes the real one)
    now: dt.time = dt.time(12, 0)  # the shop's time of day (against the dispatch cut-off)
    # An order the customer named by number that is not among their own (placed from another device or
    # account): only its status is told — it is never changed, cancelled or disputed from here.
    looked_up: OrderView | None = None
