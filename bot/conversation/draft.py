"""``Draft``: what ``decide`` makes of one message so far, revised rule by rule (``routing``, ``readings``)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from bot.conversation.answers import Reading
from bot.conversation.catalogue import ProductView
from bot.conversation.decision import Decision
from bot.conversation.slots import Extracted
from bot.conversation.views import Context, Understanding


@dataclass(slots=True)
class Draft:
    """What ``decide`` makes of one message so far, revised rule by rule."""

    d: Decision
    slots: Mapping[str, Any]  # the conversation as stored (``d.slots`` is the one being decided)
    ctx: Context
    status: str  # as stored
    said: Understanding
    text: str
    offered: Mapping[str, str]  # the buttons offered: label → intent
    intent: str
    confident: bool
    clicked: bool  # a button offered was clicked
    placed: Any  # the order just placed (``slots["order_no"]``)
    product: ProductView | None = None  # the item this message names
    current: ProductView | None = None  # the item in focus
    found: Extracted = field(default_factory=Extracted)
    dropped: ProductView | None = None  # the item the message drops from the order being put together
    before: ProductView | None = None  # the item in focus before this message
    tail_from: int = 0  # where the words about a newly named item begin
    ordered_skus: set[Any] = field(default_factory=set)
    recent: list[Any] = field(default_factory=list)  # the items talked about and the ones just shown
    for_all: bool = False  # a size or colour said for all the items chosen ("两件都M")
    exchange_sizing: bool = False  # measurements given for an exchange
    waiting: bool = False  # a complaint waits for a person
    alone: float = 0.0  # how sure a complaint it is, read on its own
    asking: bool = False  # a plain question asked while the complaint waits
    noted: str | None = None  # a delivery note the message adds
    progress: bool = False  # the message added a detail of the order being put together
    pending: Any = None  # the question the bot had asked (``Pending``), as the intent is read
    reading: Reading | None = None
