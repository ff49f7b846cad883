"""Resolving a chat and the bot's follow-up (issue 3, "Agents"): the resolve rules and audit row, the
customer told of the remedy, the follow-up due after KEFU_FOLLOW_UP_MINUTES (sent once, surviving a
restart), and the 1–5 satisfaction answer stored on the dispute — through a real loopback server with real
logins, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot import SERVICES, create_app
from bot.conversation import CSAT_BUTTONS
from models import Dispute, FollowUp
from tests.bot.desk.test_auth import Clock
from tests.bot.desk.test_console import DISPUTE, Agent, Shop

DAY = dt.timedelta(minutes=60 * 24)


async def _history(shop: Shop, customer: str, after: int = 0) -> list[dict[str, Any]]:
    response = await shop.customers.get("/api/messages", params={"customer": customer, "after": str(after)})
    assert response.status == 200, await response.text()
    return list((await response.json())["messages"])


async def _last_seq(shop: Shop, customer: str) -> int:
    messages = await _history(shop, customer)
    return int(messages[-1]["seq"]) if messages else 0


async def _disputes(shop: Shop, conversation_id: int) -> list[Dispute]:
    def work(session: Session) -> list[Dispute]:
        return list(session.execute(
            select(Dispute).where(Dispute.conversation_id == conversation_id).order_by(Dispute.id)
        ).scalars())

    return await shop.db.run(work)


async def _follow_ups(shop: Shop) -> list[FollowUp]:
    def work(session: Session) -> list[FollowUp]:
        return list(session.execute(select(FollowUp).order_by(FollowUp.id)).scalars())

    return await shop.db.run(work)


async def _run_due(shop: Shop) -> int:
    sent: int = await shop.customers.server.app[SERVICES].followups.run_due()
    return sent


async def _held_dispute(shop: Shop, customer: str, agent: str = "alice") -> tuple[Agent, int]:
    await shop.say(customer, DISPUTE)
    conv = await shop.conversation_of(customer)
    assert conv.status == "waiting_agent"
    alice = await shop.agent(agent)
    assert (await alice.take(conv.id))[0] == 200
    return alice, conv.id


async def resolve(agent: Agent, conv: int, payload: Any) -> tuple[int, Any]:
    return await agent.post_json(f"/agent/api/conversations/{conv}/resolve", payload)


# ------------------------------------------------------------------ resolve


async def test_only_the_holder_resolves_and_bad_input_is_refused_with_a_reason(shop: Shop) -> None:
    alice, conv = await _held_dispute(shop, "c-rules")
    bob = await shop.agent("bob")
    status, body = await resolve(bob, conv, {"remedy": "refund", "amount": 30, "note": "x"})
    assert status == 403 and body["holder"] == "alice"
    for payload, reason in [
        ({"remedy": "money_back", "amount": 1}, "remedy must be one of"),
        ({}, "remedy must be one of"),
        ({"remedy": "refund"}, "amount is required for refund"),
        ({"remedy": "partial_refund_gift", "amount": None}, "amount is required"),
        ({"remedy": "refund", "amount": -1}, "≥ 0"),
        ({"remedy": "refund", "amount": "lots"}, "≥ 0"),
        ({"remedy": "refund", "amount": True}, "≥ 0"),
        ({"remedy": "coupon", "note": 5}, "note must be text"),
    ]:
        status, body = await resolve(alice, conv, payload)
        assert status == 400 and reason in body["error"], (payload, body)
    status, body = await alice.post_json(f"/agent/api/conversations/{conv}/resolve", {"remedy": "coupon"}, csrf="x")
    assert status == 403, "CSRF is demanded here too"
    assert [a for _, a, *_ in await shop.actions()] == ["take"], "refused calls leave no trace"
    assert (await shop.conversation_of("c-rules")).status == "agent"


async def test_resolving_records_the_remedy_tells_the_customer_and_hands_back_to_the_bot(shop: Shop) -> None:
    alice, conv = await _held_dispute(shop, "c-res")
    before = await _last_seq(shop, "c-res")
    status, body = await resolve(alice, conv, {"remedy": "partial_refund_gift", "amount": 25.5, "note": "破洞，留用"})
    assert status == 200, body
    assert body["status"] == "bot" and body["holder"] is None and body["amount"] == "25.50"

    # The customer reads it over REST: an agent message naming the remedy and the amount.
    new = await _history(shop, "c-res", before)
    assert [(m["from"], m["seq"]) for m in new] == [("agent", before + 1)]
    assert "部分退款" in new[0]["text"] and "25.5" in new[0]["text"]

    conversation = await shop.conversation_of("c-res")
    assert (conversation.status, conversation.agent_id) == ("bot", None)
    (dispute,) = await _disputes(shop, conv)
    assert dispute.status == "resolved"
    resolution = dispute.details["resolution"]
    assert (resolution["remedy"], resolution["amount"], resolution["note"], resolution["resolved_by"]) == (
        "partial_refund_gift", "25.50", "破洞，留用", "alice")
    (follow_up,) = await _follow_ups(shop)
    assert follow_up.sent_at is None and follow_up.dispute_ids == [dispute.id]
    due = follow_up.due_at if follow_up.due_at.tzinfo else follow_up.due_at.replace(tzinfo=dt.UTC)
    assert due == shop.clock.now + DAY, "KEFU_FOLLOW_UP_MINUTES defaults to a day"

    (*_, (who, action, on, detail, at)) = await shop.actions()
    assert (who, action, on, detail["remedy"], detail["amount"], detail["disputes"]) == (
        "alice", "resolve", conv, "partial_refund_gift", "25.50", [dispute.id])
    assert at == shop.clock.now
    # Handed back: the bot answers again, and alice no longer holds the chat.
    assert (await shop.say("c-res", "好的谢谢"))["replies"]
    assert (await alice.send(conv, "还在吗"))[0] == 403


# ------------------------------------------------------------------ the follow-up and the score


async def test_the_follow_up_comes_at_its_time_once_and_a_good_score_is_stored(shop: Shop) -> None:
    alice, conv = await _held_dispute(shop, "c-fu")
    assert (await resolve(alice, conv, {"remedy": "exchange", "note": ""}))[0] == 200
    seq = await _last_seq(shop, "c-fu")

    shop.clock.advance(minutes=60 * 24 - 1)
    assert await _run_due(shop) == 0, "not before its time"
    assert await _history(shop, "c-fu", seq) == []

    shop.clock.advance(minutes=1)
    assert await _run_due(shop) == 1
    assert await _run_due(shop) == 0, "sent once"
    (ask,) = await _history(shop, "c-fu", seq)
    assert ask["from"] == "bot" and "换货" in ask["text"] and ask["buttons"] == list(CSAT_BUTTONS)
    (follow_up,) = await _follow_ups(shop)
    assert follow_up.sent_at is not None

    reply = await shop.say("c-fu", "4分 满意")
    assert len(reply["replies"]) == 1 and "谢谢" in reply["replies"][0]["text"]
    (follow_up,) = await _follow_ups(shop)
    assert (follow_up.score, follow_up.comment) == (4, None)
    (dispute,) = await _disputes(shop, conv)
    assert dispute.details["csat"]["score"] == 4 and dispute.details["resolution"]["remedy"] == "exchange"
    # Answered: a later digit is just a message again, not a second score.
    await shop.say("c-fu", "2")
    assert (await _follow_ups(shop))[0].score == 4


async def test_a_low_score_apologises_and_offers_a_person(shop: Shop) -> None:
    alice, conv = await _held_dispute(shop, "c-low")
    assert (await resolve(alice, conv, {"remedy": "refund", "amount": "59", "note": "全额退"}))[0] == 200
    shop.clock.advance(days=2)
    assert await _run_due(shop) == 1
    reply = await shop.say("c-low", "1")  # a bare digit right after the follow-up
    (answer,) = reply["replies"]
    assert "抱歉" in answer["text"] and "转人工" in answer["buttons"]
    (dispute,) = await _disputes(shop, conv)
    assert dispute.details["csat"]["score"] == 1
    # The offered person is one click away.
    await shop.say("c-low", "转人工")
    assert (await shop.conversation_of("c-low")).status == "waiting_agent"


async def test_a_follow_up_scheduled_before_a_restart_is_still_sent(
    aiohttp_client: Any, settings: Any, classifier: Any, clock: Clock
) -> None:
    first = Shop(aiohttp_client, await aiohttp_client(create_app(settings, classifier=classifier, clock=clock)), clock)
    alice, conv = await _held_dispute(first, "c-restart")
    assert (await resolve(alice, conv, {"remedy": "reship", "note": "补发"}))[0] == 200
    seq = await _last_seq(first, "c-restart")
    await first.customers.close()
    await alice.client.close()

    second = Shop(aiohttp_client, await aiohttp_client(create_app(settings, classifier=classifier, clock=clock)), clock)
    clock.advance(days=1, seconds=1)
    assert await _run_due(second) == 1
    (ask,) = await _history(second, "c-restart", seq)
    assert "补发" in ask["text"] and ask["buttons"] == list(CSAT_BUTTONS)
    assert "谢谢" in (await second.say("c-restart", "5分 非常满意"))["replies"][0]["text"]
    assert (await _disputes(second, conv))[0].details["csat"]["score"] == 5


async def test_the_follow_up_delay_is_a_setting(aiohttp_client: Any, tmp_path: Any, db_url: str, classifier: Any,
                                                clock: Clock) -> None:
    from tests.conftest import make_settings

    settings = make_settings(tmp_path, db_url, follow_up_minutes=30)
    shop = Shop(aiohttp_client, await aiohttp_client(create_app(settings, classifier=classifier, clock=clock)), clock)
    alice, conv = await _held_dispute(shop, "c-soon")
    assert (await resolve(alice, conv, {"remedy": "repair_guidance"}))[0] == 200
    clock.advance(minutes=29)
    assert await _run_due(shop) == 0
    clock.advance(minutes=1)
    assert await _run_due(shop) == 1


@pytest.mark.parametrize("text", ["3分 一般", "3", "３分"])
def test_the_flow_reads_a_score_only_while_a_follow_up_is_pending(text: str) -> None:
    from bot.conversation.disputes import _csat_score

    assert _csat_score(text) == 3
    assert _csat_score("30") is None and _csat_score("6分") is None and _csat_score("好") is None
