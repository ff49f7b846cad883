"""The conversation's stages and the working objects of one turn: ``Turn`` (the message being handled) and
``Decision`` (what to do with it).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from bot.conversation.actions import Action, Say
from bot.conversation.buttons import _MENU_INTENTS
from bot.conversation.catalogue import ProductView
from bot.conversation.slots import Extracted
from bot.conversation.views import Context

DISPUTE_TYPES = {
    "complaint_product": "product",
    "complaint_logistics": "logistics",
    "complaint_payment": "payment",
    "complaint_service": "service",
}
ORDER_SLOTS = ("size", "colour", "quantity", "address", "phone", "notes")
_SURE_DISPUTE = 0.5  # a combined complaint probability this high escalates without asking first
_SLOT_QUESTIONS = frozenset({"size", "colour", "quantity", "address", "phone", "change", "readback", "modify",
                             "invoice"})
_SALES_INTENTS = frozenset({"product_inquiry", "shipping_inquiry", "ask_recommendation", "bargain", "doubt", "buy"})


@dataclass(frozen=True, slots=True)
class Turn:
    """One message being handled: its text, what it mentions, and what the bot had asked before it."""

    text: str
    ctx: Context
    found: Extracted
    asked: str | None
    named: ProductView | None = None  # the product this very message names, if any


@dataclass(slots=True)
class Decision:
    """What to do with one message."""

    stage: str
    status: str
    slots: dict[str, Any]
    says: list[Say] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)
    intent: str = ""  # the intent the decision acted on (a clicked button overrides the classifier)

    def say(self, *parts: tuple[str, Mapping[str, str]], buttons: tuple[str, ...] = ()) -> None:
        self.says.append(Say(tuple(parts), tuple(buttons)))
        self.slots["buttons"] = {label: _MENU_INTENTS.get(label, "") for label in buttons}
# The bot's questions while an order is put together, and the requests answered before asking them again.
_ORDER_QUESTIONS = frozenset({"size", "colour", "quantity", "address", "phone", "readback"})


#: The stages in which a customer with an item in focus is shopping for it.
SHOPPING_STAGES = frozenset({"greet", "consult", "recommend", "objection", "close", "confirm_order"})
