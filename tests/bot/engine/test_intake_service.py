"""The dispute intake through the running service (issue 3, "Dispute intake by the bot"): the customer's
orders offered as buttons, a photo stored as evidence, the dispute record filled in (type, order, facts,
evidence, emotion, expectation), the queue announced with a place and an honest wait — or when someone will
answer, after hours or with nobody online — and the late-parcel coupon the bot offers itself. A real loopback
server, real logins, on SQLite and PostgreSQL."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import re
import struct
import zlib
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot import create_app
from models import Attachment, Dispute
from tests.bot.desk.test_auth import Clock
from tests.bot.desk.test_console import Shop
from tests.conftest import make_settings

SHANGHAI = ZoneInfo("Asia/Shanghai")


def png(width: int = 2, height: int = 2) -> bytes:
    """A real (tiny, grey) PNG image."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    rows = b"".join(b"\x00" + b"\x80\x80\x80" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


async def _shop(aiohttp_client: Any, settings: Any, classifier: Any, clock: Clock) -> Shop:
    client = await aiohttp_client(create_app(settings, classifier=classifier, clock=clock))
    return Shop(aiohttp_client, client, clock)


async def post(shop: Shop, customer: str, text: str = "", **extra: Any) -> tuple[int, dict[str, Any]]:
    response = await shop.customers.post("/api/messages", json={"customer": customer, "text": text, **extra})
    return response.status, dict(await response.json())


def said(answer: dict[str, Any]) -> str:
    return "\n".join(r["text"] for r in answer["replies"])


def offered(answer: dict[str, Any]) -> list[str]:
    return [b for r in answer["replies"] for b in r["buttons"]]


async def buy_a_tee(shop: Shop, customer: str) -> str:
    """A whole purchase through the REST channel; returns the order number."""
    answer = await shop.say(customer, "我要买纯棉圆领短袖T恤")
    while answer["stage"] == "close" and offered(answer):
        answer = await shop.say(customer, offered(answer)[0])
    answer = await shop.say(customer, "收货人张三，13800138000，浙江省杭州市西湖区文三路100号")
    answer = await shop.say(customer, "确认无误")
    found = re.search(r"KF\d+", said(answer))
    assert found, said(answer)
    return found.group()


async def dispute_of(shop: Shop, customer: str) -> Dispute:
    conversation = await shop.conversation_of(customer)

    def work(session: Session) -> Dispute:
        return session.execute(
            select(Dispute).where(Dispute.conversation_id == conversation.id).order_by(Dispute.id.desc()).limit(1)
        ).scalar_one()

    return await shop.db.run(work)


async def attachments(shop: Shop) -> list[Attachment]:
    return await shop.db.run(lambda s: list(s.execute(select(Attachment).order_by(Attachment.id)).scalars()))


async def test_a_broken_item_the_orders_as_buttons_a_photo_kept_and_the_record_complete(shop: Shop) -> None:
    order_no = await buy_a_tee(shop, "mia")
    alice = await shop.agent("alice")  # an agent is online: the customer is told the wait
    _, answer = await post(shop, "mia", "收到的T恤有个洞，太差了！！")
    assert answer["status"] == "waiting_agent" and "抱歉" in said(answer)
    choice = next(b for b in offered(answer) if b.startswith(order_no))
    _, answer = await post(shop, "mia", choice)
    assert "照片" in said(answer) and "没有照片" in offered(answer)

    photo = png()
    status, answer = await post(shop, "mia", "", image=base64.b64encode(photo).decode())
    assert status == 200 and "照片收到" in said(answer) and "换货" in offered(answer)
    _, answer = await post(shop, "mia", "换货")
    assert order_no in said(answer) and "换货" in said(answer), "the record is read back to the customer"
    assert "第 1 位" in said(answer) or "前面还有 0 位" in said(answer)
    assert "分钟" in said(answer)

    dispute = await dispute_of(shop, "mia")
    details = dispute.details
    assert dispute.type == "product" and dispute.order_id is not None and dispute.status == "open"
    assert details["subtype"] == "damaged" and details["expectation"] == "exchange" and details["intake"] == "done"
    assert details["facts"][0]["text"] == "收到的T恤有个洞，太差了！！"
    assert details["emotion"]["level"] in ("upset", "angry") and details["emotion"]["label"]
    [kept] = await attachments(shop)
    assert kept.dispute_id == dispute.id and kept.content_type == "image/png"
    assert kept.data == photo and kept.sha256 == hashlib.sha256(photo).hexdigest()

    history = await shop.customers.get("/api/messages", params={"customer": "mia", "after": "0"})
    assert "[图片]" not in [m["text"] for m in (await history.json())["messages"]], "only what was sent *to* them"
    queue = await alice.queue()
    assert any(item["customer"] for item in queue["waiting"])


async def test_a_photo_sent_while_waiting_is_added_to_the_same_dispute(shop: Shop) -> None:
    await post(shop, "leo", "我要投诉，你们发错货了")
    await post(shop, "leo", "转人工")
    _, answer = await post(shop, "leo", "这是收到的", image="data:image/png;base64," + base64.b64encode(png()).decode())
    assert "照片收到" in said(answer) or "收到照片" in said(answer)
    dispute = await dispute_of(shop, "leo")
    [kept] = await attachments(shop)
    assert kept.dispute_id == dispute.id
    assert [f["text"] for f in dispute.details["facts"]][-1] == "这是收到的"


@pytest.mark.parametrize(
    ("image", "reason"),
    [("not base64!", "base64"), (base64.b64encode(b"MZ\x90\x00 an exe").decode(), "JPEG, PNG, GIF or WebP"),
     (123, "base64 string")],
)
async def test_a_bad_photo_is_refused_with_a_reason_and_the_chat_goes_on(shop: Shop, image: Any, reason: str) -> None:
    status, answer = await post(shop, "zoe", "看看这个", image=image)
    assert status == 400 and reason in answer["error"]
    status, answer = await post(shop, "zoe", "在吗")
    assert status == 200 and answer["replies"]
    assert not await attachments(shop)


async def test_a_photo_larger_than_the_limit_is_refused(
    aiohttp_client: Any, tmp_path: Any, db_url: str, classifier: Any, clock: Clock
) -> None:
    settings = make_settings(tmp_path, db_url, max_image_bytes=2048)
    shop = await _shop(aiohttp_client, settings, classifier, clock)
    big = png() + b"\x00" * 4096
    status, answer = await post(shop, "kai", "", image=base64.b64encode(big).decode())
    assert status == 400 and "larger than" in answer["error"]


async def test_each_customer_is_told_their_place_and_a_wait_that_grows_with_it(shop: Shop) -> None:
    await shop.agent("alice")
    waits = []
    for n, customer in enumerate(["c1", "c2", "c3"], start=1):
        _, answer = await post(shop, customer, "转人工")
        assert answer["status"] == "waiting_agent"
        text = said(answer)
        assert f"第 {n} 位" in text or f"前面还有 {n - 1} 位" in text
        waits.append(int(text.split("分钟")[0].split()[-1].lstrip("约")))
    assert waits == [3, 6, 9], "3 minutes a chat (KEFU_MINUTES_PER_CHAT) until real takeovers are measured"


async def test_with_no_agent_online_the_customer_is_told_someone_will_answer_when_they_are_back(shop: Shop) -> None:
    _, answer = await post(shop, "nina", "转人工")
    assert answer["status"] == "waiting_agent"
    assert "不在线" in said(answer) or "没有人工客服在线" in said(answer)
    assert "第 1 位" in said(answer)


async def test_after_hours_the_customer_is_told_when_someone_will_answer_and_stays_queued(
    aiohttp_client: Any, tmp_path: Any, db_url: str, classifier: Any
) -> None:
    clock = Clock()
    clock.now = dt.datetime(2026, 11, 30, 23, 30, tzinfo=SHANGHAI).astimezone(dt.UTC)
    settings = make_settings(tmp_path, db_url, service_hours="9:00–22:00")
    shop = await _shop(aiohttp_client, settings, classifier, clock)
    await shop.agent("alice")  # logged in, but it is past working hours
    _, answer = await post(shop, "owl", "我要投诉，衣服破了个洞，我要退货")
    while answer["replies"][-1]["buttons"]:
        _, answer = await post(shop, "owl", answer["replies"][-1]["buttons"][-1])
    assert "明天 9:00" in said(answer) and "9:00–22:00" in said(answer)
    conversation = await shop.conversation_of("owl")
    assert conversation.status == "waiting_agent"
    _, answer = await post(shop, "owl", "有人吗？？")
    assert "明天 9:00" in said(answer) and "马上就到" not in said(answer), "never a promise the hour can't keep"


async def test_a_late_parcel_gets_a_date_and_a_coupon_and_accepting_takes_it_out_of_the_queue(shop: Shop) -> None:
    order_no = await buy_a_tee(shop, "sam")
    shipped = await shop.customers.post(f"/api/shipping/{order_no}/ship", json={"tracking_no": "ZT900001"})
    assert shipped.status == 200, await shipped.text()
    alice = await shop.agent("alice")
    _, answer = await post(shop, "sam", "快递怎么还没到？都好几天了")
    assert answer["status"] == "waiting_agent"
    choice = next(b for b in offered(answer) if b.startswith(order_no))
    _, answer = await post(shop, "sam", choice)
    today = shop.clock.now.astimezone(SHANGHAI).date()
    assert "ZT900001" in said(answer) and "10元" in said(answer)
    assert any(f"{d.month}月{d.day}日" in said(answer) for d in (today + dt.timedelta(days=n) for n in range(1, 6)))
    _, answer = await post(shop, "sam", "好的，我再等等")
    assert answer["status"] == "bot" and "优惠券" in said(answer)
    dispute = await dispute_of(shop, "sam")
    assert dispute.status == "resolved" and dispute.details["resolution"]["by"] == "bot"
    assert dispute.details["resolution"]["remedy"] == "coupon"
    assert not [c for c in (await alice.queue())["waiting"]], "settled by the bot: nobody needs to take it"


async def test_an_upset_customer_repeating_themselves_is_scored_higher_on_the_record(shop: Shop) -> None:
    await post(shop, "ray", "你们发错货了")
    first = (await dispute_of(shop, "ray")).details["emotion"]["score"]
    await post(shop, "ray", "转人工")
    for _ in range(2):
        await post(shop, "ray", "到底有没有人管？？？骗子！！！")
    later = (await dispute_of(shop, "ray")).details["emotion"]
    assert later["score"] > first and later["level"] in ("angry", "furious")


async def test_a_parcel_not_yet_shipped_is_really_chased_in_the_warehouse_queue(shop: Shop) -> None:
    order_no = await buy_a_tee(shop, "ivy")
    _, answer = await post(shop, "ivy", "怎么还没发货啊，都两天了")
    choice = next(b for b in offered(answer) if b.startswith(order_no))
    _, answer = await post(shop, "ivy", choice)
    assert "仓库" in said(answer) and "好的，我再等等" in offered(answer)
    response = await shop.customers.get("/api/shipping", params={"status": "queued"})
    [task] = [t for t in (await response.json())["tasks"] if t["order_no"] == order_no]
    assert task["notes"].startswith("【加急】"), "the bot said it asked the warehouse to hurry: it did"


async def test_an_order_number_from_another_chat_gets_its_status_but_nothing_else(shop: Shop) -> None:
    order_no = await buy_a_tee(shop, "phone-a")
    _, answer = await post(shop, "laptop-b", f"帮我查一下{order_no}到哪了")
    assert order_no in said(answer) and "纯棉圆领短袖T恤" in said(answer)
    assert "13800138000" not in said(answer) and "文三路" not in said(answer), "no address or phone to a stranger"
    await post(shop, "laptop-b", f"订单{order_no}地址改成北京市朝阳区建国路88号")
    response = await shop.customers.get("/api/shipping", params={"status": "queued"})
    [task] = [t for t in (await response.json())["tasks"] if t["order_no"] == order_no]
    assert "文三路" in task["address"], "another chat cannot change the order"
