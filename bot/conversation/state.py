"""The conversation as stored: its stage and status, the question the bot is waiting on, and the slots' keys.

The enums' values are the strings stored in ``conversations.stage`` / ``status`` and in the slots' JSON
(``"pending"``); a ``StrEnum`` member is that string (it compares, hashes and serialises as it), so rows written
before the enums existed read back as they are.
"""

from __future__ import annotations

from enum import StrEnum


class Stage(StrEnum):
    """The eight steps of the sale (``models.STAGES``)."""

    GREET = "greet"
    CONSULT = "consult"
    RECOMMEND = "recommend"
    OBJECTION = "objection"
    CLOSE = "close"
    CONFIRM_ORDER = "confirm_order"
    FAREWELL = "farewell"
    SHIPPING = "shipping"


class Status(StrEnum):
    """Who holds the conversation (``models.STATUSES``)."""

    BOT = "bot"
    WAITING_AGENT = "waiting_agent"
    AGENT = "agent"
    CLOSED = "closed"


class Pending(StrEnum):
    """What the bot asked and waits for an answer to (``slots["pending"]``; ``None`` when it waits for nothing)."""

    SIZE = "size"
    COLOUR = "colour"
    QUANTITY = "quantity"
    ADDRESS = "address"
    PHONE = "phone"
    PRODUCT = "product"  # which item to order
    WHICH = "which"  # which of the items shown a question is about
    MEASURE = "measure"  # height, weight or foot length, for a size
    NEED = "need"  # what the item is for, to recommend one
    READBACK = "readback"  # the order read back: a yes places it
    CHANGE = "change"  # a change asked for at the read-back: its new value
    MODIFY = "modify"  # a change of a placed order: its new value
    INVOICE = "invoice"  # the invoice's details
    CLARIFY = "clarify"  # what the customer wants, after a message not understood
    DISPUTE_CHECK = "dispute_check"  # "是订单出了问题吗？"
    CSAT = "csat"  # the 1–5 score after a dispute was resolved (set by the follow-up)


ORDER_SLOTS = ("size", "colour", "quantity", "address", "phone", "notes")
_SLOT_QUESTIONS = frozenset({Pending.SIZE, Pending.COLOUR, Pending.QUANTITY, Pending.ADDRESS, Pending.PHONE,
                             Pending.CHANGE, Pending.READBACK, Pending.MODIFY, Pending.INVOICE})


# The bot's questions while an order is put together, and the requests answered before asking them again.
_ORDER_QUESTIONS = frozenset({Pending.SIZE, Pending.COLOUR, Pending.QUANTITY, Pending.ADDRESS, Pending.PHONE,
                              Pending.READBACK})


#: The stages in which a customer with an item in focus is shopping for it.
SHOPPING_STAGES = frozenset({Stage.GREET, Stage.CONSULT, Stage.RECOMMEND, Stage.OBJECTION, Stage.CLOSE,
                             Stage.CONFIRM_ORDER})
