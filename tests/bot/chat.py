"""A customer talking to the engine: the helper the conversation tests share."""

from __future__ import annotations

import itertools
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from bot import Inbound, Outcome
from models import Conversation, Customer, Dispute, Order

_ids = itertools.count(1)


class Chat:
    """One customer on one channel; ``say`` sends a message and returns the engine's outcome."""

    def __init__(self, services: Any, customer: str | None = None, channel: str = "rest") -> None:
        self.services = services
        self.customer = customer or f"shopper-{next(_ids)}"
        self.channel = channel
        self.last: Outcome | None = None

    async def say(self, text: str, message_id: str | None = None) -> Outcome:
        self.last = await self.services.engine.handle(Inbound(self.channel, self.customer, text, message_id))
        return self.last

    @property
    def text(self) -> str:
        assert self.last is not None
        return "\n".join(r.text for r in self.last.replies)

    @property
    def buttons(self) -> list[str]:
        assert self.last is not None
        return [b for r in self.last.replies for b in r.buttons]

    async def click(self, label: str) -> Outcome:
        assert label in self.buttons, f"{label!r} not offered; buttons: {self.buttons}"
        return await self.say(label)

    async def query(self, statement: Any) -> list[Any]:
        """Rows of a select, read in a unit of work of its own."""
        return await self.services.db.run(lambda session: list(session.execute(statement).scalars()))

    async def orders(self) -> list[Order]:
        return await self.query(
            select(Order)
            .join(Customer)
            .where(Customer.external_id == self.customer)
            .options(selectinload(Order.items), selectinload(Order.shipping_task))
            .order_by(Order.id)
        )

    async def conversation(self) -> Conversation:
        rows = await self.query(
            select(Conversation).join(Customer).where(Customer.external_id == self.customer).order_by(Conversation.id.desc())
        )
        return rows[0]

    async def disputes(self) -> list[Dispute]:
        return await self.query(
            select(Dispute).join(Customer, Dispute.customer_id == Customer.id).where(Customer.external_id == self.customer)
        )
