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


async def test_a_product_named_with_a_slip_or_a_regional_word_is_found(services: Any) -> None:
    chat = Chat(services)
    await chat.say("想给我家老头子买一件雨绒服 轻薄的那种")  # 雨绒服: a voice-input slip for 羽绒服
    assert "轻薄白鸭绒羽绒服" in chat.text, chat.text
    other = Chat(services)
    await other.say("請問碎花雪紡洋裝還有貨嗎")  # 洋裝: the Taiwanese word for 连衣裙
    assert "碎花雪纺连衣裙" in other.text and "暂时没有" not in other.text, other.text


async def test_a_sold_out_item_is_said_to_be_sold_out_before_any_size_talk(services: Any) -> None:
    chat = Chat(services)
    await chat.say("加绒卫衣灰色L码还有货吗")  # the demo's hoodie is sold out
    assert "卖完" in chat.text or "断货" in chat.text or "售罄" in chat.text, chat.text
    assert "这几个码" not in chat.text


async def test_a_change_at_the_read_back_is_read_back_again_and_a_plain_yes_orders(services: Any) -> None:
    chat = Chat(services)
    await chat.say("纯棉中筒袜五双装 全黑的来三包")
    await chat.say("钱美华 13985012345 贵州省贵阳市花溪区花溪大道南段2708号")
    assert chat.last.stage == "confirm_order"
    await chat.say("对 三包黑一包白")
    assert chat.last.stage == "confirm_order" and "全黑 均码 ×3" in chat.text and "全白 均码 ×1" in chat.text, chat.text
    assert not await chat.orders(), "a change is not a yes"
    await chat.say("对的")
    [order] = await chat.orders()
    assert sorted((i.colour, i.quantity) for i in order.items) == [("全白", 1), ("全黑", 3)]


async def test_another_product_added_to_a_choice_becomes_a_second_line_at_its_own_price(services: Any) -> None:
    chat = Chat(services)
    await chat.say("水洗牛仔夹克 深蓝色L码")
    await chat.say("要一件 再加一顶黑色棒球帽")
    await chat.say("周婷 13800001111 广东省深圳市南山区科技园路1号")
    assert "水洗牛仔夹克 深蓝 L ×1" in chat.text and "纯棉软顶棒球帽 黑色" in chat.text, chat.text
    await chat.say("确认")
    [order] = await chat.orders()
    assert sorted(i.product_name for i in order.items) == ["水洗牛仔夹克", "纯棉软顶棒球帽"]
    assert order.subtotal == sum(i.unit_price * i.quantity for i in order.items)


async def test_a_customer_waiting_with_a_complaint_can_still_buy_and_the_complaint_stays_queued(services: Any) -> None:
    chat = Chat(services)
    await chat.say("你们那个条纹T恤洗了一次就缩水了 短了一大截")
    assert chat.last.status == "waiting_agent"
    await chat.say("先不管那个了，帽子来一顶")
    assert "颜色" in chat.text, chat.text
    await chat.say("黑色的")
    await chat.say("周婷 13800001111 广东省深圳市南山区科技园路1号")
    await chat.say("确认")
    [order] = await chat.orders()
    assert [i.product_name for i in order.items] == ["纯棉软顶棒球帽"]
    assert chat.last.status == "waiting_agent", "the complaint still waits for a person"
    assert [d.status for d in await chat.disputes()] == ["open"]


async def test_a_pre_sale_question_answering_the_check_is_not_taken_for_a_complaint(services: Any) -> None:
    chat = Chat(services)
    await chat.say("羊毛混纺圆领毛衣能机洗吗")
    await chat.say("会起球吗 我上一件穿两次就起球了 烦死")
    await chat.say("男生穿酒红色会不会太娘 想送男朋友")
    assert chat.last.status == "bot", chat.text


async def test_two_products_with_their_variants_in_one_message_are_two_lines(services: Any) -> None:
    chat = Chat(services)
    await chat.say("我要买 羽绒服黑色L一件，阔腿裤灰色M一条")
    await chat.say("周婷 13800001111 广东省深圳市南山区科技园路1号")
    assert "轻薄白鸭绒羽绒服 黑色 L ×1" in chat.text and "冰丝垂感阔腿裤 灰色 M ×1" in chat.text, chat.text


async def test_variants_named_then_counted_are_each_one_line(services: Any) -> None:
    chat = Chat(services)
    await chat.say("牛津纺衬衫 白的和浅蓝的都要 白的两件 浅蓝一件")
    await chat.say("L")
    await chat.say("吴迪 17708231234 四川省成都市高新区天府三街199号B座前台代收")
    assert "白色 L ×2" in chat.text and "浅蓝 L ×1" in chat.text and "共3件" in chat.text, chat.text


async def test_adding_an_item_after_only_asking_about_another_orders_just_the_new_one(services: Any) -> None:
    chat = Chat(services)
    await chat.say("羊毛混纺圆领毛衣起球吗")
    await chat.say("算了 再来一条围巾 灰色的")
    await chat.say("王芳 13700001111 上海市徐汇区漕溪北路1号")
    assert "毛衣" not in chat.text.split("收货地址")[0], chat.text
    assert "羊毛针织围巾" in chat.text and "灰色" in chat.text, chat.text
