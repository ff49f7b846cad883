"""Claims follow actions, through the engine: a reply that says something was recorded is not sent when the
recording did not happen; the customer is told plainly and offered a person."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, update

from models import Conversation, Customer, FollowUp
from tests.bot.chat import Chat


async def test_a_score_that_could_not_be_recorded_is_not_thanked_for_as_recorded(services: Any) -> None:
    chat = Chat(services)
    await chat.say("在吗")
    conversation = await chat.conversation()

    def ask_for_a_score(session: Any) -> None:  # a follow-up question whose follow-up row is gone
        session.execute(update(Conversation).where(Conversation.id == conversation.id)
                        .values(slots={**conversation.slots, "pending": "csat", "csat_follow_up": 999_999}))

    await services.db.run(ask_for_a_score)
    await chat.say("5分 非常满意")
    assert "没能确认" in chat.text and "转人工" in chat.buttons, chat.text
    assert "评分" not in chat.text and "评价" not in chat.text, "no thanks for a score that was not stored"
    assert not await chat.query(select(FollowUp).join(Customer).where(Customer.external_id == chat.customer))
