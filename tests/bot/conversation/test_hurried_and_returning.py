"""What the sixteenth session's sets found (BC held back last time, then BD: hurried phone typists, BE: careful
askers): "正确。" as a yes; pinyin typed for characters; a colour asked about after ordering ("有黑的吗", "白色透吗")
never changes the order by itself; measurements after ordering offer the size and change it only when agreed;
"2件" alone after ordering one; a repeat customer's "还是上次那个码" / "老地方" with nothing here to go by; haggling
given up with "下单吧"; a shrink worry with a past purchase elsewhere; a scarf bought before named while haggling
over a coat; damage told plainly; "收到了 挺好的". Each on both databases through the REST API, checking what a
customer would notice: the reply, the chat's status and the order the warehouse gets (``GET /api/shipping``)."""

from __future__ import annotations

from typing import Any

from tests.bot.rest import buttons, place, say, texts
from tests.bot.rest import order_lines as lines

ADDRESS = "赵敏 17721096483 江苏省南京市鼓楼区中山北路30号 3栋502"


async def test_a_plain_correct_confirms_the_read_back(client: Any) -> None:
    await say(client, "hu-1", "高腰直筒牛仔裤 深蓝 M")
    number = await place(client, "hu-1", ADDRESS, yes="正确。")
    assert number, "正确 is a yes"
    assert await lines(client) == [("高腰直筒牛仔裤", "深蓝", "M", 1)]


async def test_pinyin_typed_for_characters_is_read(client: Any) -> None:
    await say(client, "hu-2", "polo衫 gei wo ba mai")
    await say(client, "hu-2", "XL")
    await say(client, "hu-2", "藏青")
    number = await place(client, "hu-2", ADDRESS, yes="dui de")
    assert number, "dui de is 对的"
    answer = texts(await say(client, "hu-2", "bao you ma"))
    assert "包邮" in answer and "没太明白" not in answer, answer
    assert await lines(client) == [("冰丝短袖POLO衫", "藏青", "XL", 1)]


async def test_a_colour_asked_about_after_ordering_changes_nothing_until_chosen(client: Any) -> None:
    await say(client, "hu-3", "polo衫 XL 藏青")
    await place(client, "hu-3", ADDRESS)
    asked = texts(await say(client, "hu-3", "白色透吗"))
    assert "透" in asked and "改好" not in asked, asked
    offered = await say(client, "hu-3", "有黑的吗")
    assert "改好" not in texts(offered) and "换成黑色 XL" in buttons(offered), texts(offered)
    assert await lines(client) == [("冰丝短袖POLO衫", "藏青", "XL", 1)], "a question changes no order"
    changed = texts(await say(client, "hu-3", "换成黑色 XL"))
    assert "改好" in changed, changed
    assert await lines(client) == [("冰丝短袖POLO衫", "黑色", "XL", 1)]


async def test_measurements_after_ordering_offer_the_size_and_change_it_when_agreed(client: Any) -> None:
    await say(client, "hu-4", "碎花裙蓝色碎花 M码 想下单")
    await place(client, "hu-4", ADDRESS)
    offered = await say(client, "hu-4", "尺码我也不确定了 165 112斤 你帮我看看")
    assert "L码" in texts(offered) and "改成L" in buttons(offered), texts(offered)
    assert "什么颜色" not in texts(offered), "no second dress begun"
    assert await lines(client) == [("碎花雪纺连衣裙", "蓝色碎花", "M", 1)], "nothing changed before the yes"
    done = texts(await say(client, "hu-4", "好 那就听你的"))
    assert "改好" in done and "L" in done, done
    assert await lines(client) == [("碎花雪纺连衣裙", "蓝色碎花", "L", 1)]


async def test_a_bare_count_after_ordering_one_is_that_lines_count(client: Any) -> None:
    await say(client, "hu-5", "纯棉圆领短袖T恤 黑色 L")
    await place(client, "hu-5", ADDRESS)
    answer = texts(await say(client, "hu-5", "2件"))
    assert "数量改为2" in answer, answer
    assert await lines(client) == [("纯棉圆领短袖T恤", "黑色", "L", 2)]


async def test_last_times_size_and_address_with_nothing_here_are_asked_not_guessed(client: Any) -> None:
    await say(client, "hu-6", "男士牛仔裤")
    await say(client, "hu-6", "黑的")
    size = await say(client, "hu-6", "还是上次那个码")
    assert "看不到您上次" in texts(size) and "XL" in buttons(size), texts(size)
    await say(client, "hu-6", "XL")
    address = await say(client, "hu-6", "地址也一样 老地方")
    assert address["status"] == "bot" and "查不到您之前的收货信息" in texts(address), texts(address)
    await place(client, "hu-6", "王磊 13912345678 江苏省苏州市工业园区星湖街88号")
    assert await lines(client) == [("男士弹力修身牛仔裤", "黑色", "XL", 1)]


async def test_haggling_given_up_with_a_push_is_an_order(client: Any) -> None:
    await say(client, "hu-8", "羽绒服399也太贵了吧 能少点不")
    packed = texts(await say(client, "hu-8", "能塞行李箱吗 我就带个登机箱"))
    assert "收纳" in packed, packed
    await say(client, "hu-8", "行 卡其色 167 116斤")
    pushed = texts(await say(client, "hu-8", "优惠有就给没有拉倒 下单吧"))
    assert "地址" in pushed, pushed
    await place(client, "hu-8", ADDRESS)
    assert await lines(client) == [("轻薄白鸭绒羽绒服", "卡其", "M", 1)]


async def test_a_shrink_worry_from_a_purchase_elsewhere_is_a_question_and_the_pair_is_bought(client: Any) -> None:
    await say(client, "hu-9", "喂你好我想买睡衣就是那个纯棉的长袖的")
    await say(client, "hu-9", "我一米六一百零四斤我家老头一米七五一百四十斤")
    worry = texts(await say(client, "hu-9", "洗了会不会缩啊上次买的一洗就小了"))
    assert "回缩" in worry and "无理由" not in worry, worry
    await say(client, "hu-9", "我要粉的他要灰的")
    await place(client, "hu-9", ADDRESS)
    assert await lines(client) == [("纯棉长袖睡衣套装", "浅灰", "XL", 1), ("纯棉长袖睡衣套装", "浅粉", "M", 1)]


async def test_a_scarf_bought_before_named_while_haggling_keeps_the_coat(client: Any) -> None:
    await say(client, "hu-10", "亲 那个双面羊绒大衣是真羊绒吗 含量多少")
    await say(client, "hu-10", "我老顾客了呀 上次还在你家买了围巾")
    sized = texts(await say(client, "hu-10", "我158 95斤 平时穿M 这个偏大吗"))
    assert "双面羊绒大衣" in sized and "S码" in sized and "围巾" not in sized, sized
    await say(client, "hu-10", "行吧行吧 就按你说的码给我拍一件驼色")
    await place(client, "hu-10", ADDRESS)
    assert await lines(client) == [("双面羊绒大衣", "驼色", "S", 1)]


async def test_a_collared_short_sleeve_in_two_colours_is_the_polo_with_a_call_first_noted(client: Any) -> None:
    found = texts(await say(client, "hu-11", "你好同志我想买个短袖有领子的那种"))
    assert "POLO" in found, found
    await say(client, "hu-11", "那就要灰的一件 藏青的一件")
    await say(client, "hu-11", "我身高一米七二 体重一百三十六斤")
    noted = await say(client, "hu-11", "送来之前先给我打个电话 我耳朵不好")
    assert noted["status"] == "bot" and "打个电话" in texts(noted), texts(noted)
    await place(client, "hu-11", ADDRESS)
    assert await lines(client) == [("冰丝短袖POLO衫", "灰色", "L", 1), ("冰丝短袖POLO衫", "藏青", "L", 1)]


async def test_damage_told_plainly_is_a_complaint_and_praise_is_not(client: Any) -> None:
    told = await say(client, "hu-12", "羽绒服袖子上一个口子 还往外钻毛")
    assert "哪个码" not in texts(told), texts(told)
    assert told["status"] == "waiting_agent" or "是的，有问题要处理" in buttons(told), texts(told)
    praised = await say(client, "hu-13", "收到了 挺好的")
    assert praised["status"] == "bot" and "抱歉" not in texts(praised), texts(praised)


async def test_two_notes_in_one_message_both_kept(client: Any) -> None:
    await say(client, "hu-14", "高腰直筒牛仔裤 深蓝 M")
    await say(client, "hu-14", ADDRESS)
    noted = texts(await say(client, "hu-14", "快递放驿站就行，不要打她电话，她上课"))
    assert "放驿站" in noted and "不要打她电话" in noted, noted


async def test_an_address_change_told_after_asking_for_the_service_is_no_complaint(client: Any) -> None:
    await say(client, "hu-15", "客服客服")
    told = await say(client, "hu-15", "我昨天买了件条纹长袖 地址填成旧的了😫")
    assert "抱歉，让您收到不满意" not in texts(told) and "退货退款" not in buttons(told), texts(told)
    assert "订单号" in texts(told), texts(told)


async def test_a_no_to_the_size_offered_after_ordering_changes_nothing(client: Any) -> None:
    await say(client, "hu-16", "碎花裙蓝色碎花 M码 想下单")
    await place(client, "hu-16", ADDRESS)
    await say(client, "hu-16", "165 112斤 穿什么码")
    answer = texts(await say(client, "hu-16", "不行"))
    assert "改好" not in answer, answer
    assert await lines(client) == [("碎花雪纺连衣裙", "蓝色碎花", "M", 1)]


async def test_a_thumbs_up_to_the_size_advised_goes_on_to_the_order(client: Any) -> None:
    await say(client, "hu-17", "高腰牛仔裤 浅蓝")
    await say(client, "hu-17", "165 56")
    answer = texts(await say(client, "hu-17", "👌"))
    assert "地址" in answer, answer
    await place(client, "hu-17", ADDRESS)
    assert await lines(client) == [("高腰直筒牛仔裤", "浅蓝", "L", 1)]
    again = texts(await say(client, "hu-17", "冲"))
    assert "已经在订单" in again or "已经下好" in again, again
    assert await lines(client) == [("高腰直筒牛仔裤", "浅蓝", "L", 1)], "not ordered twice"


async def test_questions_read_as_a_no_are_answered(client: Any) -> None:
    await say(client, "hu-18", "缎面衬衫 黑色")
    seen = texts(await say(client, "hu-18", "黑的不透吧"))
    assert "不透" in seen and "祝您" not in seen, seen
    await say(client, "hu-19", "男士牛津纺长袖衬衫 浅蓝 XL")
    exchange = texts(await say(client, "hu-19", "不合身能换吧"))
    assert "换" in exchange and "祝您" not in exchange, exchange


async def test_a_kind_wanted_again_shows_that_kind(client: Any) -> None:
    shown = await say(client, "hu-20", "上次那个男裤 再来条")
    assert "男士弹力修身牛仔裤" in buttons(shown) and "没太明白" not in texts(shown), texts(shown)


async def test_after_ordering_a_packing_note_free_shipping_and_grip_are_each_what_they_are(client: Any) -> None:
    await say(client, "hu-21", "小白鞋 米白色 39")
    await place(client, "hu-21", ADDRESS)
    noted = texts(await say(client, "hu-21", "里面别放价签和小票"))
    assert "备注" in noted and "发票" not in noted, noted
    enough = texts(await say(client, "hu-21", "这下够了吧"))
    assert "包邮" in enough and "哪一款" not in enough, enough
    grip = texts(await say(client, "hu-21", "下雨天滑吗 医院地砖"))
    assert "防滑" in grip, grip
