"""Whole conversations through the engine, on SQLite and PostgreSQL: every step of the flow."""

from __future__ import annotations

import asyncio
import re
from typing import Any

import pytest
from sqlalchemy import select

from models import Product
from tests.bot.chat import Chat

ADDRESS = "张三 13800138000 浙江省杭州市西湖区文三路100号"
ORDER_NO = re.compile(r"KF\d{12}")


async def buy_tshirt(chat: Chat, *, size: str = "L", colour: str = "黑色") -> str:
    """Order the demo T-shirt to the read-back; returns the read-back text."""
    await chat.say("纯棉圆领短袖T恤还有货吗")
    await chat.say("我要了")
    if chat.last.stage == "close" and size in chat.buttons:
        await chat.click(size)
    if colour in chat.buttons:
        await chat.click(colour)
    await chat.say(ADDRESS)
    assert chat.last.stage == "confirm_order", chat.text
    return chat.text


async def test_a_whole_sale_from_hello_to_the_warehouse(services: Any) -> None:
    chat = Chat(services)
    await chat.say("在吗")
    assert chat.last.stage == "greet" and "亲" in chat.text

    await chat.say("想给男朋友买件冬天穿的外套，300以内有推荐吗")
    assert chat.last.stage == "recommend"
    assert chat.buttons, "recommended products are offered as buttons"
    pick = chat.buttons[0]
    assert pick in chat.text

    await chat.click(pick)
    assert chat.last.stage == "consult" and pick in chat.text

    await chat.say("他175，140斤，穿什么码")
    assert re.search(r"建议|推荐|选", chat.text) and re.search(r"(?<![A-Za-z])(S|M|L|XL|XXL)码", chat.text)

    await chat.say("太贵了，能便宜点吗")
    assert chat.last.stage == "objection" and chat.last.intent == "bargain"
    hold = chat.text
    await chat.say("再便宜点嘛")
    assert chat.text != hold, "a second push gets a different answer (a concession within limits)"

    await chat.say("好吧，我要了")
    assert chat.last.stage == "close"
    while chat.last.stage == "close" and chat.buttons:  # size and colour, as buttons
        await chat.click(chat.buttons[0])
    assert "地址" in chat.text
    await chat.say(ADDRESS)
    readback = chat.text
    assert chat.last.stage == "confirm_order"
    assert "13800138000" in readback and "文三路100号" in readback and pick in readback
    assert not await chat.orders(), "no order before the explicit yes"

    await chat.click("确认无误")
    assert chat.last.stage == "shipping"
    orders = await chat.orders()
    assert len(orders) == 1
    order = orders[0]
    assert order.order_no in chat.text
    assert order.shipping_task is not None and order.shipping_task.status == "queued"
    assert order.phone == "13800138000" and "文三路100号" in order.address

    await chat.say("好的谢谢亲")
    assert chat.last.stage == "farewell"
    sale_farewell = chat.text
    other = Chat(services)
    await other.say("谢谢，不用了，拜拜")
    assert other.last.stage == "farewell" and other.text != sale_farewell


async def test_readback_needs_an_explicit_yes_and_takes_corrections(services: Any) -> None:
    chat = Chat(services)
    readback = await buy_tshirt(chat, size="L")
    assert "L" in readback
    await chat.click("需要修改")
    assert chat.last.stage == "confirm_order" and not await chat.orders()
    await chat.say("尺码改成XL")
    assert chat.last.stage == "confirm_order" and "XL" in chat.text
    await chat.say("备注：送人的，不要放价格单")
    assert "不要放价格单" in chat.text
    await chat.say("确认")
    [order] = await chat.orders()
    assert order.items[0].size == "XL"
    assert "不要放价格单" in order.notes and "不要放价格单" in order.shipping_task.notes


async def test_free_shipping_as_the_first_question_gets_the_offer(services: Any) -> None:
    chat = Chat(services)
    await chat.say("亲，包邮吗")
    assert chat.last.intent == "shipping_inquiry"
    assert "99" in chat.text and "包邮" in chat.text


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("纯棉圆领短袖T恤是什么面料的", "棉"),
        ("纯棉圆领短袖T恤有哪些颜色", "雾霾蓝"),
        ("纯棉圆领短袖T恤多少钱", "59"),
        ("纯棉圆领短袖T恤有几个码", "XXL"),
    ],
)
async def test_product_questions_are_answered_from_the_catalogue(services: Any, question: str, expected: str) -> None:
    chat = Chat(services)
    await chat.say(question)
    assert chat.last.stage == "consult"
    assert expected in chat.text


async def test_sold_out_and_low_stock_are_told_honestly(services: Any) -> None:
    products = {p.sku: p for p in await Chat(services).query(select(Product))}
    sold_out = next(p for p in products.values() if p.stock == 0)
    low = next(p for p in products.values() if 0 < p.stock <= 5)
    chat = Chat(services)
    await chat.say(f"{sold_out.name}还有货吗")
    assert re.search(r"售罄|卖完|断货|没货|缺货", chat.text), chat.text
    assert sold_out.name not in chat.buttons
    await chat.say(f"{low.name}还有货吗")
    assert str(low.stock) in chat.text


async def test_bargaining_concedes_within_limits_then_holds(services: Any) -> None:
    chat = Chat(services)
    await chat.say("纯棉圆领短袖T恤多少钱")
    answers = []
    for text in ["太贵了", "便宜点吧", "再便宜点", "还能少点吗", "就不能再便宜了吗"]:
        await chat.say(text)
        assert chat.last.stage == "objection"
        answers.append(chat.text)
    assert "10" in answers[1], "the configured 10-yuan coupon is the first concession"
    assert len(set(answers)) >= 4, "the bot does not repeat itself word for word"
    await chat.say("好吧，我要了")
    for _ in range(2):
        if chat.buttons:
            await chat.click(chat.buttons[0])
    await chat.say(ADDRESS)
    assert "优惠券" in chat.text and "赠" in chat.text


async def test_doubts_get_guarantees_not_pressure(services: Any) -> None:
    chat = Chat(services)
    await chat.say("这个是正品吗？不会是假货吧")
    assert chat.last.stage == "objection" and re.search(r"正品|保证|假一", chat.text)
    await chat.say("会不会起球啊")
    assert re.search(r"7|七|退|换", chat.text)


async def test_changes_before_shipping_intercept_the_task(services: Any, aiohttp_client: Any) -> None:
    chat = Chat(services)
    await buy_tshirt(chat)
    await chat.say("确认")
    [order] = await chat.orders()
    await chat.say("地址填错了，帮我改成浙江省杭州市滨江区江南大道200号")
    assert chat.last.intent == "modify_order", chat.text
    [order] = await chat.orders()
    assert "江南大道200号" in order.address
    assert order.shipping_task.status == "intercepted"
    assert "江南大道200号" in chat.text

    await chat.say("我的订单到哪了")
    assert order.order_no in chat.text


async def test_changes_after_shipping_are_refused_with_an_alternative(services: Any) -> None:
    chat = Chat(services)
    await buy_tshirt(chat)
    await chat.say("确认")
    [order] = await chat.orders()
    def ship(session: Any) -> None:
        task = session.get(type(order.shipping_task), order.shipping_task.id)
        task.status, task.tracking_no = "shipped", "ZT123456789"

    await services.db.run(ship)
    await chat.say("我想改一下收货地址")
    assert re.search(r"已经|发出|出库", chat.text), chat.text
    [order] = await chat.orders()
    assert order.shipping_task.status == "shipped" and "文三路" in order.address
    await chat.say("我的快递到哪了")
    assert "ZT123456789" in chat.text


async def test_cancelling_before_shipping_puts_the_stock_back(services: Any) -> None:
    async def stock() -> int:
        [value] = await Chat(services).query(select(Product.stock).where(Product.sku == "TS-001"))
        return value

    before = await stock()
    chat = Chat(services)
    await buy_tshirt(chat)
    await chat.say("确认")
    assert await stock() == before - 1
    await chat.say("不想要了，帮我取消订单")
    [order] = await chat.orders()
    assert order.status == "cancelled" and order.shipping_task.status == "cancelled"
    assert await stock() == before


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("收到的衣服有个洞，质量太差了", "product"),
        ("一个星期了还没到，你们发的什么快递", "logistics"),
        ("退款都一周了还没到账", "payment"),
        ("你们客服态度太差了，问半天没人理", "service"),
    ],
)
async def test_disputes_are_handed_to_a_person_without_a_sales_pitch(services: Any, text: str, kind: str) -> None:
    chat = Chat(services)
    await chat.say(text)
    assert chat.last.status == "waiting_agent"
    assert re.search(r"抱歉|对不起|不好意思", chat.text)
    assert not set(chat.buttons) & {"看看热销款", "我要买", "好的，我要了"}
    [dispute] = await chat.disputes()
    assert dispute.type == kind and dispute.opening_message == text
    await chat.say("怎么还没人来？？？")
    assert chat.last.status == "waiting_agent" and chat.text


async def test_asking_for_a_person_escalates(services: Any) -> None:
    chat = Chat(services)
    await chat.say("转人工")
    assert chat.last.status == "waiting_agent"
    conversation = await chat.conversation()
    assert conversation.escalation_reason == "human" and conversation.escalated_at is not None


async def test_two_misunderstandings_in_a_row_offer_a_person(services: Any) -> None:
    chat = Chat(services)
    await chat.say("啊啊啊哦哦哦嗯嗯嗯呜呜呜")
    first = chat.text
    await chat.say("哈吉米哈吉米哈吉米")
    if chat.last.intent == "other" and "转人工" in chat.buttons:
        assert chat.text != first
    await chat.say("咕噜咕噜咕噜嘎嘎嘎")
    assert "转人工" in chat.buttons


async def test_traditional_chinese_is_understood(services: Any) -> None:
    chat = Chat(services)
    await chat.say("純棉圓領短袖T恤有L碼嗎")
    assert chat.last.stage == "consult" and "纯棉圆领短袖T恤" in chat.text


async def test_a_restart_loses_no_conversation_state(settings: Any, classifier: Any) -> None:
    from bot import open_services

    async with open_services(settings, classifier=classifier) as running:
        chat = Chat(running, customer="restart-1")
        await buy_tshirt(chat)
    async with open_services(settings, classifier=classifier) as running:
        chat = Chat(running, customer="restart-1")
        await chat.say("确认无误")
        assert chat.last.stage == "shipping"
        assert len(await chat.orders()) == 1


async def test_concurrent_messages_of_one_customer_are_handled_in_order(services: Any) -> None:
    chat = Chat(services)
    texts = [f"纯棉圆领短袖T恤有{size}码吗" for size in ["S", "M", "L", "XL", "XXL"] * 2]
    outcomes = await asyncio.gather(*(chat.say(t, message_id=f"c-{i}") for i, t in enumerate(texts)))
    seqs = [o.inbound_seq for o in outcomes]
    assert seqs == sorted(seqs) and len(set(seqs)) == len(seqs)
    for outcome in outcomes:
        assert outcome.replies and all(r.seq > outcome.inbound_seq for r in outcome.replies)
    again = await chat.say(texts[3], message_id="c-3")
    assert again.duplicate and again.replies == outcomes[3].replies
