"""One dispute from the first complaint to the satisfaction score, end to end over the REST channel (issue 3):
the bot's intake (which order, a photo promised for later, what would make it right), the read-back and the
queue place, an agent taking the chat and writing to the customer, the resolution (a partial refund and a
gift), the follow-up when its time comes and the customer's score — what the customer reads at each step
(``GET /api/messages?after=N``), what is stored, and the agent's audit trail. A real loopback server, a real
login, on SQLite and PostgreSQL; the clock is moved, never slept on.

(Two agents racing to take one chat is covered by ``test_console.py``.)"""

from __future__ import annotations

import base64
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot import SERVICES
from bot.conversation import CSAT_BUTTONS
from models import Attachment, Dispute, FollowUp
from tests.bot.desk.test_console import DISPUTE, Shop
from tests.bot.engine.test_intake_service import buy_a_tee, offered, png, said


class Customer:
    """A REST customer: posts messages and reads what was sent to them since the last read."""

    def __init__(self, shop: Shop, name: str) -> None:
        self.shop, self.name, self.seen = shop, name, 0

    async def say(self, text: str = "", **extra: Any) -> dict[str, Any]:
        response = await self.shop.customers.post("/api/messages", json={"customer": self.name, "text": text, **extra})
        assert response.status == 200, await response.text()
        answer = dict(await response.json())
        self.seen = max([self.seen, answer["seq"], *(r["seq"] for r in answer["replies"])])
        return answer

    async def click(self, answer: dict[str, Any], label: str) -> dict[str, Any]:
        assert label in offered(answer), f"{label!r} not offered: {offered(answer)}"
        return await self.say(label)

    async def new_messages(self) -> list[dict[str, Any]]:
        """What reached the customer since the last read (``GET /api/messages?after=N``)."""
        response = await self.shop.customers.get("/api/messages", params={"customer": self.name, "after": str(self.seen)})
        assert response.status == 200, await response.text()
        body = await response.json()
        self.seen = int(body["last_seq"])
        return list(body["messages"])


async def _dispute(shop: Shop, conversation_id: int) -> Dispute:
    def work(session: Session) -> Dispute:
        return session.execute(select(Dispute).where(Dispute.conversation_id == conversation_id)).scalar_one()

    return await shop.db.run(work)


async def test_a_broken_item_from_the_first_complaint_to_the_customers_score(shop: Shop) -> None:
    mia = Customer(shop, "mia-e2e")
    order_no = await buy_a_tee(shop, mia.name)
    alice = await shop.agent("alice")  # logged in: an agent is on duty, so the customer is told a wait

    # The complaint: an apology, the chat in the queue at once, and the first intake question.
    answer = await mia.say(DISPUTE)
    assert answer["status"] == "waiting_agent" and "抱歉" in said(answer)
    conv = (await shop.conversation_of(mia.name)).id
    assert [item["id"] for item in (await alice.queue())["waiting"]] == [conv], "queued before the questions end"
    [order_button] = [b for b in offered(answer) if b.startswith(order_no)]
    assert offered(answer)[-1] == "不是这些订单"

    answer = await mia.click(answer, order_button)
    assert "照片" in said(answer) and offered(answer) == ["稍后发照片", "没有照片"]
    answer = await mia.click(answer, "稍后发照片")
    assert offered(answer) == ["退货退款", "换货", "补发", "补偿", "退款"]
    answer = await mia.click(answer, "退货退款")
    assert answer["status"] == "waiting_agent" and offered(answer) == []
    readback, queued = (r["text"] for r in answer["replies"])
    assert "记下了" in readback
    assert order_no in readback and "破损" in readback and "退货退款" in readback, "the record is read back"
    assert "第 1 位" in queued and "3 分钟" in queued, "one agent online: the place and an honest wait"

    # The promised photo arrives while the chat waits: acknowledged and kept as evidence on the dispute.
    answer = await mia.say("", image=base64.b64encode(png()).decode())
    assert "照片收到" in said(answer) and answer["status"] == "waiting_agent"
    assert await mia.new_messages() == []

    # The agent takes it; while they hold it the bot is silent, and their message reaches the customer.
    [waiting] = (await alice.queue())["waiting"]
    assert (waiting["id"], waiting["dispute_type"], waiting["escalation_reason"]) == (conv, "product", "dispute")
    status, body = await alice.take(conv)
    assert status == 200 and body["holder"] == "alice"
    assert (await mia.say("到底怎么处理？"))["replies"] == []
    hello = "您好，我是客服 alice，衣服破洞的事我来处理，给您退 20 元并补送一份小礼物可以吗？"
    assert (await alice.send(conv, hello))[0] == 200
    [message] = await mia.new_messages()
    assert (message["from"], message["text"], message["buttons"]) == ("agent", hello, [])
    await mia.say("可以，谢谢")

    # Resolved with a partial refund and a gift: the customer is told, the bot has the chat back.
    status, body = await alice.post_json(f"/agent/api/conversations/{conv}/resolve",
                                         {"remedy": "partial_refund_gift", "amount": 20, "note": "破洞，顾客留用"})
    assert status == 200, body
    assert (body["status"], body["holder"], body["amount"]) == ("bot", None, "20.00")
    [told] = await mia.new_messages()
    assert told["from"] == "agent" and "部分退款并赠送小礼物" in told["text"] and "¥20" in told["text"]
    assert (await alice.queue()) == {"waiting": [], "mine": []}

    # The follow-up comes when its time does (KEFU_FOLLOW_UP_MINUTES: a day), once, with the score buttons.
    services = shop.customers.server.app[SERVICES]
    shop.clock.advance(hours=23, minutes=59)
    assert await services.followups.run_due() == 0
    assert await mia.new_messages() == []
    shop.clock.advance(minutes=2)
    assert await services.followups.run_due() == 1
    [ask] = await mia.new_messages()
    assert ask["from"] == "bot" and "部分退款并赠送小礼物" in ask["text"]
    assert ask["buttons"] == list(CSAT_BUTTONS) == ["1分 很不满意", "2分 不满意", "3分 一般", "4分 满意", "5分 非常满意"]

    answer = await mia.click({"replies": [ask]}, "4分 满意")
    [thanks] = answer["replies"]
    assert "谢谢" in thanks["text"] and answer["status"] == "bot"

    # Stored: the whole record on the dispute, the photo as its evidence, the score on dispute and follow-up.
    dispute = await _dispute(shop, conv)
    details = dispute.details
    assert dispute.status == "resolved" and dispute.type == "product" and dispute.order_id is not None
    assert (details["subtype"], details["expectation"], details["intake"]) == ("damaged", "return", "done")
    assert details["facts"][0]["text"] == DISPUTE
    resolution = details["resolution"]
    assert (resolution["remedy"], resolution["amount"], resolution["resolved_by"]) == (
        "partial_refund_gift", "20.00", "alice")
    assert details["csat"]["score"] == 4 and details["csat"]["comment"] is None
    [photo] = await shop.db.run(lambda s: list(s.execute(select(Attachment)).scalars()))
    assert photo.dispute_id == dispute.id
    [follow_up] = await shop.db.run(lambda s: list(s.execute(select(FollowUp)).scalars()))
    assert (follow_up.score, follow_up.dispute_ids, follow_up.remedy) == (4, [dispute.id], "partial_refund_gift")

    # The audit trail: alice took, wrote and resolved this chat, and nothing else was recorded.
    actions = await shop.actions()
    assert [(who, action, on) for who, action, on, _, _ in actions] == [
        ("alice", "take", conv), ("alice", "message", conv), ("alice", "resolve", conv),
    ]
    resolved = actions[-1][3]
    assert (resolved["remedy"], resolved["amount"], resolved["disputes"]) == (
        "partial_refund_gift", "20.00", [dispute.id])
