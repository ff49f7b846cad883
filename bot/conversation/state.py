"""The conversation as stored: its stage and status, the question the bot is waiting on, and the slots' keys.

The enums' values are the strings stored in ``conversations.stage`` / ``status`` and in the slots' JSON
(``"pending"``); a ``StrEnum`` member is that string (it compares, hashes and serialises as it), so rows written
before the enums existed read back as they are.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Any, TypedDict, cast


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


class SlotLine(TypedDict, total=False):
    """One line of the order being put together (``slots["lines"]``) or of the one just placed (``"ordered"``)."""

    sku: str
    size: str | None
    colour: str | None
    quantity: int | None


class Intake(TypedDict, total=False):
    """What the bot has gathered of a dispute while it waits for a person (``slots["intake"]``)."""

    kind: str  # product | logistics | payment | service
    subtype: str | None
    order_no: str | None
    expectation: str  # what would make it right (``intake.EXPECTATION_LABELS``)
    facts: bool  # the customer has said what happened
    photo: bool
    words: str  # the opening words, for finding the item
    asked: list[str]  # the intake questions asked so far
    ask: str | None  # the question waiting for its answer
    furious: bool
    hurry: bool
    remedy_declined: bool


class Slots(TypedDict, total=False):
    """The conversation's slots as stored in ``conversations.slots`` (JSON): what the flow remembers between
    messages. Every key is optional; the engine keeps a few of its own beside them (``_rot``, ``turns``, ``told``).
    """

    # what the bot is waiting for, and what it offered
    pending: Pending | None
    buttons: dict[str, str]  # the quick replies offered: label → the intent a click means
    last_intent: str
    misunderstood: int
    turns: int
    last_said: str  # the customer's previous message, as sent (a resend of it is not acted on twice)
    unknown_question: str  # a question the bot could not answer, kept for a colleague
    asked_facts: str  # a question about an item asked before the item was named
    asked_again: dict[str, int]  # how often an order detail was asked for
    asked_need: bool
    person_sized: dict[str, Any]  # one person measured so far, by the word for them (a second makes ``people``)
    build: list[str]  # what the customer told of their build ("胯比较宽": hips), for sizing up where the fit says
    need_said: dict[str, Any]  # what the customer said they look for (categories, audience, seasons, kinds, budget)
    # the item in focus and the order being put together
    product: str  # its SKU
    size: str | None
    colour: str | None
    quantity: int | None
    address: str
    phone: str
    name: str
    notes: str
    lines: list[SlotLine]
    wanted: dict[str, str]  # a variant asked for that the item is not made in: kind, value
    chose: str
    chosen_of: dict[str, dict[str, str]]  # what was chosen of an item left for another: sku → size/colour
    colour_of_which: dict[str, str]  # a colour said to several items shown, each that has it: sku → colour
    size_of_which: dict[str, str]  # a size said to several items shown, each made in it: sku → size
    candidates: list[str]  # SKUs shown
    seen: list[str]  # SKUs talked about, latest last
    borrowed: str  # an ordered item in view for questions about it
    advised: dict[str, str]  # sku → the size the measurements give
    height: float
    weight: float
    foot: int
    people: dict[str, Any]  # several people's measurements: sku, who
    place: str  # where the customer said the parcel goes, for a remote-area question
    concessions: list[str]
    bargain_round: int
    # the order just placed, and what came after
    sale: bool
    order_no: str
    ordered: list[SlotLine]
    merge_into: str | None
    change_or_add: dict[str, str]
    size_offer: dict[str, str]  # a size offered for the order just placed ("要帮您改成L吗"), kept for one answer
    told_placed: str
    modify_order: str | None
    last_change: dict[str, str]
    change_request: str
    change_waiting: bool
    asked_order_no: bool
    cancelled_order: str
    refund_told: bool
    cancel_mentioned: bool  # the customer said they cancelled an order before ("我昨天取消了一个订单")
    invoice: dict[str, str]
    invoiced: dict[str, str]
    invoice_earlier: bool  # the invoice asked for is for an order from before this chat (a colleague finds it)
    told: str
    told_times: int
    # disputes
    escalated: str | None  # "dispute" or "human" while a person is asked for
    intake: Intake
    dispute_checked: bool
    dispute_guess: str | None
    dispute_words: str
    buying_while_waiting: bool
    only_asked_while_waiting: bool  # the purchase served while waiting was a question only: the next message is read afresh
    csat_follow_up: int


def load_slots(stored: Mapping[str, Any]) -> Slots:
    """The slots read from a conversation row, ``pending`` as its ``Pending`` member.

    Keys are kept in their order and values as they are (a ``pending`` that is no ``Pending`` value stays a
    string), so :func:`dump_slots` writes back exactly the JSON that was read.
    """
    slots = cast(Slots, dict(stored))
    pending = slots.get("pending")
    if isinstance(pending, str) and pending in _PENDING_VALUES:
        slots["pending"] = Pending(pending)
    return slots


def dump_slots(slots: Mapping[str, Any]) -> dict[str, Any]:
    """The slots as the conversation row stores them (the enums are their strings)."""
    return {key: (str(value) if isinstance(value, StrEnum) else value) for key, value in slots.items()}


_PENDING_VALUES = frozenset(member.value for member in Pending)
