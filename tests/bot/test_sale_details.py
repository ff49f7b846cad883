"""A sale as people type it, through the engine on both databases: a whole order in one line, several lines
in one message, a foot length for shoes, a height that is not a budget."""

from __future__ import annotations

import re
from typing import Any

from tests.bot.chat import Chat


async def test_a_whole_order_in_one_line_goes_straight_to_the_read_back_and_the_warehouse(services: Any) -> None:
    chat = Chat(services)
    await chat.say("纯棉圆领短袖T恤 黑色L 王五 13700001111 北京市朝阳区建国路88号2号楼301 周末送")
    assert chat.last.stage == "confirm_order", chat.text
    for part in ("黑色", "L", "王五", "建国路88号2号楼301", "13700001111", "周末送"):
        assert part in chat.text, (part, chat.text)
    await chat.say("对的没问题")
    [order] = await chat.orders()
    [item] = order.items
    assert (item.product_name, item.colour, item.size, item.quantity) == ("纯棉圆领短袖T恤", "黑色", "L", 1)
    assert "王五" in order.address and "建国路88号" in order.address and order.phone == "13700001111"
    assert order.shipping_task is not None and "周末送" in order.shipping_task.notes


async def test_two_colours_in_one_message_are_two_lines_of_one_order(services: Any) -> None:
    chat = Chat(services)
    await chat.say("我要买纯棉圆领短袖T恤 一件白色L一件黑色M")
    assert chat.last.stage == "close" and "地址" in chat.text, "both variants were told: no size question"
    await chat.say("张三 13800138000 浙江省杭州市西湖区文三路100号")
    assert "白色 L ×1" in chat.text and "黑色 M ×1" in chat.text and "共2件" in chat.text, chat.text
    assert "118" in chat.text, "59 × 2, free shipping from 99"
    await chat.say("确认")
    [order] = await chat.orders()
    assert sorted((i.colour, i.size, i.quantity) for i in order.items) == [("白色", "L", 1), ("黑色", "M", 1)]
    assert order.total == 118


async def test_a_colour_said_for_both_lines_fills_them(services: Any) -> None:
    chat = Chat(services)
    await chat.say("纯棉圆领短袖T恤 L和M各两件")
    await chat.say("我要买")
    assert "颜色" in chat.text, chat.text
    await chat.click("雾霾蓝")
    await chat.say("张三 13800138000 浙江省杭州市西湖区文三路100号")
    assert "雾霾蓝 L ×2" in chat.text and "雾霾蓝 M ×2" in chat.text, chat.text


async def test_a_foot_length_gives_the_shoe_size_and_the_order_has_it(services: Any) -> None:
    chat = Chat(services)
    await chat.say("经典帆布小白鞋 我脚长24.5 穿多大的")
    assert "39码" in chat.text, chat.text
    await chat.say("好的就要这个码 白色")
    await chat.say("李四 13912345678 上海市徐汇区漕溪北路88号3楼")
    assert chat.last.stage == "confirm_order" and "39" in chat.text, chat.text


async def test_a_height_is_not_a_budget(services: Any) -> None:
    chat = Chat(services)
    await chat.say("我身高160左右 体重100斤 想买条裤子 有推荐吗")
    assert not re.search(r"160元以内", chat.text), chat.text
    assert chat.last.stage == "recommend" and chat.buttons
