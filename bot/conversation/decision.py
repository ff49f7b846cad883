"""The working objects of one turn: ``Turn`` (the message being handled) and ``Decision`` (what to do with it)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from bot.conversation.actions import Action, Say
from bot.conversation.buttons import _MENU_INTENTS
from bot.conversation.catalogue import ProductView
from bot.conversation.slots import Extracted
from bot.conversation.state import Stage, Status
from bot.conversation.views import Context
from replies import Value


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

    stage: Stage
    status: Status
    slots: dict[str, Any]
    says: list[Say] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)
    intent: str = ""  # the intent the decision acted on (a clicked button overrides the classifier)

    def say(self, *parts: tuple[str, Mapping[str, Value]], buttons: tuple[str, ...] = ()) -> None:
        self.says.append(Say(tuple(parts), tuple(buttons)))
        self.slots["buttons"] = {label: _MENU_INTENTS.get(label, "") for label in buttons}
