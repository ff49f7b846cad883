"""What the conversation knows, as priors on the labels: the same words mean different things before and
after a sale. "质量太差了" from a customer whose parcel was delivered is a complaint about the goods; from a
shopper looking at an item with no order it is first of all a worry about that item.

The priors are log-odds added to the model's scores for a message, then renormalised: a bonus of +0.7
roughly doubles a label's odds, -0.7 halves them. They lean, they do not overrule: a message that plainly
says what it is keeps its reading in any context. The table is small and written by hand (the corpus has
no conversations to learn it from); its values were chosen on the independent context pairs
(``intents/data/independent/context.jsonl``) and are checked by the tests.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from intents._labels import DISPUTE_LABELS, LABELS

#: The states of the customer's latest order the conversation can know about.
ORDER_STATES = ("unknown", "none", "queued", "shipped", "delivered")

def _table(**bonus: float) -> Mapping[str, float]:
    unknown = sorted(set(bonus) - set(LABELS))
    if unknown:
        raise ValueError(f"not labels: {unknown}")
    return MappingProxyType(bonus)


# Shopping: an item is in focus and the customer has no order with the shop (this chat knows of none).
_BROWSING = _table(
    complaint_product=-1.5, complaint_logistics=-1.5, complaint_payment=-0.8, complaint_service=-0.3,
    order_status=-0.6, modify_order=-0.6, return_refund=-0.4,
    doubt=0.6, product_inquiry=0.3, shipping_inquiry=0.3, bargain=0.2,
)
# The customer's latest order, by where it is.
_ORDER: Mapping[str, Mapping[str, float]] = MappingProxyType({
    # No order known to this chat ("什么时候发货" is then more likely asked before buying; an order placed
    # elsewhere still reads as one when the words say so).
    "none": _table(order_status=-0.5, modify_order=-0.3, shipping_inquiry=0.5),
    "queued": _table(order_status=0.4, modify_order=0.4, complaint_logistics=0.2, shipping_inquiry=-0.6),
    "shipped": _table(order_status=0.4, complaint_logistics=0.5, shipping_inquiry=-0.8, modify_order=-0.2,
                      doubt=-0.4),
    "delivered": _table(complaint_product=0.7, return_refund=0.3, complaint_logistics=0.2, doubt=-0.8,
                        shipping_inquiry=-0.8, product_inquiry=-0.3, bargain=-0.3),
})
# The customer's previous message was a complaint: what follows usually goes on with it ("都一个星期了").
_AFTER_DISPUTE = 0.8
# The bot's open question, and the labels an answer to it usually has.
_ASKED: Mapping[str, Mapping[str, float]] = MappingProxyType({
    "dispute_check": _table(affirm=0.6, deny=0.6, **{label: 0.3 for label in DISPUTE_LABELS}),
    "readback": _table(affirm=0.5, deny=0.4, modify_order=-0.5),
    "size": _table(buy=0.4, product_inquiry=0.3),
    "colour": _table(buy=0.4, product_inquiry=0.3),
    "address": _table(buy=0.6, modify_order=-0.4),
    "phone": _table(buy=0.6, modify_order=-0.4),
})


@dataclass(frozen=True, slots=True)
class Context:
    """What the conversation knows when a message arrives.

    Attributes:
        order: the customer's latest order with the shop, if the chat knows of one — ``"none"`` (none
            known: a customer may still have bought elsewhere), ``"queued"`` (confirmed, not shipped),
            ``"shipped"`` (in transit), ``"delivered"`` (shipped long enough ago to have arrived), or
            ``"unknown"`` (nothing looked up).
        browsing: an item is in focus in a pre-sale step (the customer is shopping).
        bot_asked: the bot's open question (``"dispute_check"``, ``"size"``, ``"address"``, ``"readback"``…).
        previous_intent: the label of the customer's previous message in this conversation, if any.
    """

    order: str = "unknown"
    browsing: bool = False
    bot_asked: str | None = None
    previous_intent: str | None = None

    def __post_init__(self) -> None:
        if self.order not in ORDER_STATES:
            raise ValueError(f"order state {self.order!r} is not one of {', '.join(ORDER_STATES)}")

    def bonuses(self) -> dict[str, float]:
        """label → the log-odds this context adds (labels it does not touch are left out)."""
        total: dict[str, float] = {}

        def add(table: Mapping[str, float]) -> None:
            for label, value in table.items():
                total[label] = total.get(label, 0.0) + value

        if self.browsing and self.order in ("none", "unknown"):
            add(_BROWSING)
        if self.order in _ORDER:
            add(_ORDER[self.order])
        if self.previous_intent in DISPUTE_LABELS:
            add({label: _AFTER_DISPUTE / 2 for label in DISPUTE_LABELS})
            add({self.previous_intent: _AFTER_DISPUTE / 2})
        asked = _ASKED.get(self.bot_asked or "")
        if asked:
            add(asked)
        return total


# After a complaint, a short follow-up of these kinds goes on with it: "拉链坏了" then "能换吗" is the same
# complaint about the goods, not a new return question; "退款十天了还没到" then "？？？" is the same money
# complaint. Thanks, greetings, a request for a person, a new purchase or a yes/no start something else.
_CONTINUES = frozenset({
    "return_refund", "modify_order", "order_status", "other", "doubt", "product_inquiry", "shipping_inquiry",
})


def continued_complaint(context: Context | None, intent: str) -> str | None:
    """The complaint a message goes on with, in ``context``: the previous message's complaint label when this
    message (read as ``intent``) is a follow-up to it, or when it answers the bot's "是订单出了问题吗？" with
    anything but a no. None otherwise."""
    if context is None or context.previous_intent not in DISPUTE_LABELS:
        return None
    if intent in _CONTINUES or (context.bot_asked == "dispute_check" and intent != "deny"):
        return context.previous_intent
    return None
