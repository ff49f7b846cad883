"""Claims follow actions, through the engine: a reply that says something was recorded is not sent when the
recording did not happen; the customer is told plainly and offered a person."""

from __future__ import annotations

import re
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


# Phrases that say something was done but are backed by what the database already holds, not by an action of
# the same message — each with where that truth comes from.
_BACKED_BY_STATE = {
    "modify.already_cancelled": "sent only for an order the database reads as cancelled",
    "modify.done_already": "the change the engine stored in the slots after its ChangeOrder committed",
    "modify.refund_time": "the order the engine stored in the slots after its CancelOrder committed",
    "invoice.already": "the request the engine stored in the slots after its RecordInvoice committed",
    "order.status_cancelled": "the order's status as read from the database",
    "close.note_taken": "the note is the conversation's own state, saved with the reply, and goes on the order",
    "close.address_kept": "the address is the conversation's own state, saved with the reply, and goes on the order",
    "handoff.waiting": "a queue phrase: QUEUE_CLAIMS, true only while the chat waits",
}
_CLAIM_WORDS = re.compile(
    r"已经?(帮您|给您|为您|给订单)?(取消|改好|改了|拦下|登记|记录|记下|申请|退款|提交|加急|催|下单|处理好|备注)|下单成功|改好了|"
    r"取消好了|记下了|帮您记|已登记|已取消|已修改|已退款|已记录"
)


def test_every_phrase_that_says_something_was_done_is_checked_against_its_action() -> None:
    """A walk over the whole shipped bank: a phrase whose words claim an action is in CLAIMS (the engine sends it
    only when that action committed), or is listed above with what backs it. A new claim phrase fails here."""
    from bot.conversation import CLAIMS, QUEUE_CLAIMS
    from replies import PhraseBank

    bank = PhraseBank.from_yaml()
    unchecked = [
        entry.key for entry in bank.entries()
        if any(_CLAIM_WORDS.search(v) for v in entry.variants)
        and entry.key not in CLAIMS and entry.key not in QUEUE_CLAIMS and entry.key not in _BACKED_BY_STATE
        and not entry.key.startswith(("agent.", "followup.", "claim."))  # typed by agents / about the queue itself
    ]
    assert unchecked == []
    for key in _BACKED_BY_STATE:  # the list stays true: each is a shipped phrase that does claim something
        assert key in bank and any(_CLAIM_WORDS.search(v) for v in bank.entry(key).variants), key
