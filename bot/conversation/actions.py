"""What the flow asks the engine to do (the actions), what it says (``Say``), and which said things need
which done things (``CLAIMS``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from bot.conversation.state import Status
from replies import Fragment, Joined, Value


@dataclass(frozen=True, slots=True)
class Say:
    """One reply bubble: phrase keys with their values, joined by new lines, and quick choices."""

    parts: tuple[tuple[str, Mapping[str, Value]], ...]
    buttons: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Line:
    """One line of an order: a product in one size and colour, and how many."""

    sku: str
    size: str | None
    colour: str | None
    quantity: int
    unit_price: Decimal


@dataclass(frozen=True, slots=True)
class PlaceOrder:
    lines: tuple[Line, ...]
    address: str
    phone: str
    notes: str
    discount: Decimal
    shipping_fee: Decimal  # the whole order's (with ``into``: of the order the lines join, recomputed)
    extras: Mapping[str, Any]
    into: str | None = None  # an order placed just before, not yet shipped, that these lines join ("凑个单")


@dataclass(frozen=True, slots=True)
class ChangeOrder:
    order_no: str
    changes: Mapping[str, Any]  # address / phone / size / colour / quantity / notes
    # the line (sku, colour, size as it is now) a size, colour or quantity is for (None: the order's only line)
    line: tuple[str, str | None, str | None] | None = None
    drop: tuple[str, ...] = ()  # skus of lines taken out (their stock goes back)
    shipping_fee: Decimal | None = None  # the whole order's, recomputed by the flow when lines are taken out
    discount: Decimal | None = None
    # single lines taken out (sku, colour, size), where other lines of the same item stay (one person's of three)
    drop_lines: tuple[tuple[str, str | None, str | None], ...] = ()
    add: tuple[Line, ...] = ()  # lines added beside the one changed ("一件白一件黑" of two white: one becomes black)

    def drops(self, sku: Any, colour: Any, size: Any) -> bool:
        """Whether the line (sku, colour, size) is one this change takes out."""
        return sku in self.drop or (sku, colour, size) in self.drop_lines


@dataclass(frozen=True, slots=True)
class CancelOrder:
    order_no: str


@dataclass(frozen=True, slots=True)
class Escalate:
    reason: str  # dispute | human | misunderstood
    dispute_type: str | None = None
    order_no: str | None = None
    opening: str | None = None  # the customer's words that opened the dispute, when not this message's


@dataclass(frozen=True, slots=True)
class RecordScore:
    """The customer's 1–5 satisfaction score for the follow-up ``follow_up`` (and their words, if any)."""

    follow_up: int
    score: int
    comment: str | None = None


@dataclass(frozen=True, slots=True)
class NoteDispute:
    """Add to the conversation's open dispute what the intake learned (a photo is attached by the engine)."""

    fact: str | None = None  # the customer's own words
    order_no: str | None = None
    subtype: str | None = None
    expectation: str | None = None
    done: bool = False  # listening is finished: the summary card is complete


@dataclass(frozen=True, slots=True)
class ExpediteOrder:
    """Ask the warehouse to ship a late order first (a note the warehouse sees on its shipping task)."""

    order_no: str


@dataclass(frozen=True, slots=True)
class AnnounceQueue:
    """Tell the customer who will answer and when: their place and an honest wait, or the next working hours.
    ``again``: they already know they are queued (a message while waiting): a shorter word, still true."""

    again: bool = False


@dataclass(frozen=True, slots=True)
class WithdrawQueue:
    """The customer no longer wants the person they asked for ("不用人工了"): the chat leaves the agents' queue
    (only while no agent holds it)."""


@dataclass(frozen=True, slots=True)
class BotRemedy:
    """The bot settled the open dispute itself with a remedy the shop's policy allows (a late-parcel coupon)."""

    remedy: str
    amount: Decimal | None
    note: str


@dataclass(frozen=True, slots=True)
class RecordInvoice:
    """Store an invoice request for ``order_no`` (None: the order placed by this same decision)."""

    order_no: str | None
    kind: str  # personal | company
    title: str
    tax_no: str | None
    email: str


Action = (
    PlaceOrder | ChangeOrder | CancelOrder | Escalate | RecordScore | NoteDispute | AnnounceQueue | BotRemedy
    | ExpediteOrder | RecordInvoice | WithdrawQueue
)

#: Replies that say something was done, and the action that must have committed in the same unit of work for
#: each to be sent. The engine checks every reply against this table after acting (`unbacked`).
CLAIMS: Mapping[str, type] = {
    "confirm.created": PlaceOrder,
    "confirm.merged": PlaceOrder,
    "modify.updated": ChangeOrder,
    "modify.note_added": ChangeOrder,
    "modify.line_removed": ChangeOrder,
    "modify.lines_split": ChangeOrder,
    "modify.cancelled": CancelOrder,
    "intake.late_queued": ExpediteOrder,
    "intake.remedy_accepted": BotRemedy,
    "intake.recorded": NoteDispute,
    "intake.expectation_noted": NoteDispute,
    "intake.heard_upset": NoteDispute,
    "handoff.question_kept": NoteDispute,
    "dispute.remedy_noted": NoteDispute,
    "dispute.remedy_open": NoteDispute,
    "invoice.recorded": RecordInvoice,
    "followup.thanks_good": RecordScore,
    "followup.thanks_bad": RecordScore,
    "handoff.human": Escalate,
    "handoff.withdrawn": WithdrawQueue,
    "returns.address_by_person": Escalate,
    "modify.by_person": Escalate,
    "invoice.by_person": Escalate,
    "modify.lines_by_person": Escalate,
    "dispute.product": Escalate,
    "dispute.logistics": Escalate,
    "dispute.payment": Escalate,
    "dispute.service": Escalate,
    "dispute.sorry_strong": Escalate,
}
#: Replies that say the customer is in the agents' queue: true only while the chat is waiting for a person.
QUEUE_CLAIMS = frozenset({"handoff.queued", "handoff.waiting", "handoff.no_agent", "handoff.after_hours_next",
                          "handoff.still_waiting", "handoff.still_closed"})


def unbacked(says: list[Say], done: set[type], status: str) -> list[str]:
    """The phrase keys among ``says`` that claim something that did not happen: their action is not among the
    ones that committed (``done``), or they speak of the queue while the chat is not waiting for a person."""
    found = []
    for say in says:
        for key, _values in say.parts:
            needed = CLAIMS.get(key)
            if (needed is not None and needed not in done) or (key in QUEUE_CLAIMS and status != Status.WAITING_AGENT):
                found.append(key)
    return found
_CHANGE_FIELDS = {"address": "part.changed_address", "phone": "part.changed_phone", "size": "part.changed_size",
                  "colour": "part.changed_colour", "quantity": "part.changed_quantity", "notes": "part.changed_notes"}


def describe_changes(changes: Mapping[str, Any]) -> Joined:
    """"地址改为…，尺码改为L" for the reply: the bank's ``part.changed_*`` fragments."""
    return Joined(tuple(Fragment(_CHANGE_FIELDS[k], {"value": str(v)}) for k, v in changes.items()
                        if k in _CHANGE_FIELDS))
