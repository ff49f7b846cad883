"""Orders as people type them, on both databases: a product named loosely inside a long voice-typed message, a
yes that also thanks, two products in one message with their variants around the names, a line whose colour was
never said, notes and questions right after the order, a change to what the order already is, and a question
about when people are on duty. Each checks what the customer would notice: the reply, and the order the
warehouse gets (``GET /api/shipping``)."""

from __future__ import annotations

import re
from typing import Any

from tests.bot.rest import order_lines as lines
from tests.bot.rest import place as placed
from tests.bot.rest import say, tasks, texts

ADDRESS = "吴敏 13566778899 江苏省苏州市姑苏区人民路88号锦绣苑5栋301"







async def place(client: Any, customer: str) -> str:
    return await placed(client, customer, ADDRESS)


async def test_a_product_named_loosely_in_a_long_message_gets_the_size_for_the_measurements(client: Any) -> None:
    first = await say(client, "no-1", "想给我老公买那个法式条纹的长袖体恤他一米七三一百二十六斤你看他穿几码好藏青条的")
    assert "法式条纹长袖T恤" in texts(first) and "L码" in texts(first), texts(first)
    assert "给您挑了这几款" not in texts(first), "the product it names, not a list of others"


async def test_a_yes_that_also_thanks_places_the_order(client: Any) -> None:
    await say(client, "no-2", "轻薄羽绒服藏青色M码来一件")
    await say(client, "no-2", ADDRESS)
    done = await say(client, "no-2", "对的，就这样。麻烦你了谢谢！")
    assert re.search(r"KF\d{8,14}", texts(done)), texts(done)
    assert await lines(client) == [("轻薄白鸭绒羽绒服", "藏青", "M", 1)]


async def test_what_is_said_before_a_new_products_name_is_about_the_one_in_view(client: Any) -> None:
    await say(client, "no-3", "帆布小白鞋有40的吗")
    asked = await say(client, "no-3", "那就黑色40码 另外再加一包袜子 要全黑的")
    assert "颜色" not in texts(asked) and "地址" in texts(asked), texts(asked)
    await place(client, "no-3")
    assert await lines(client) == sorted([("纯棉中筒袜五双装", "全黑", "均码", 1), ("经典帆布小白鞋", "黑色", "40", 1)])


async def test_a_line_whose_colour_was_never_said_is_asked_for_not_sent_without_one(client: Any) -> None:
    await say(client, "no-4", "男士牛津纺衬衫175 70公斤穿什么码")
    asked = await say(client, "no-4", "衬衫要L 再配一条男士弹力修身牛仔裤黑色XL")
    assert "颜色" in texts(asked) and "衬衫" in texts(asked), "the shirt's colour is asked, not left out"
    await say(client, "no-4", "浅蓝")
    await place(client, "no-4")
    assert await lines(client) == sorted([("男士弹力修身牛仔裤", "黑色", "XL", 1), ("男士牛津纺长袖衬衫", "浅蓝", "L", 1)])


async def test_weighing_words_elsewhere_in_the_message_do_not_undo_a_choice(client: Any) -> None:
    await say(client, "no-5", "高腰直筒牛仔裤")
    asked = await say(client, "no-5", "我屁股比较大，浅蓝色，拿L吧")
    assert "地址" in texts(asked), texts(asked)
    await place(client, "no-5")
    assert await lines(client) == [("高腰直筒牛仔裤", "浅蓝", "L", 1)]


async def test_a_delivery_note_right_after_the_order_goes_on_the_order(client: Any) -> None:
    await say(client, "no-6", "纯棉圆领短袖T恤白色M一件")
    number = await place(client, "no-6")
    noted = await say(client, "no-6", "哦对了 送的时候别打电话 放门口鞋柜上就行")
    assert noted["status"] == "bot", "a request, not a delivery complaint"
    assert number in texts(noted) and "备注" in texts(noted)
    [task] = await tasks(client)
    assert "别打电话" in task["notes"] and task["order_no"] == number


async def test_a_question_about_the_item_just_ordered_is_answered_not_queued(client: Any) -> None:
    await say(client, "no-7", "羊毛针织围巾燕麦色来一条")
    await place(client, "no-7")
    asked = await say(client, "no-7", "围巾戴着会不会扎脖子啊？我皮肤比较敏感")
    assert asked["status"] == "bot" and "抱歉" not in texts(asked), texts(asked)


async def test_asking_when_people_are_on_duty_is_answered_not_queued(client: Any) -> None:
    answer = await say(client, "no-8", "请问你们人工客服几点上班呀")
    assert answer["status"] == "bot" and "在线时间" in texts(answer), texts(answer)
    assert "转人工" in [b for r in answer["replies"] for b in r["buttons"]]


async def test_a_change_to_what_the_order_already_is_is_said_so_and_cancels_nothing(client: Any) -> None:
    await say(client, "no-9", "碎花雪纺连衣裙黄色碎花S码一条")
    number = await place(client, "no-9")
    answer = await say(client, "no-9", "还是要黄色碎花吧 S码 蓝色的不要了")
    assert "取消" not in texts(answer) and number in texts(answer), texts(answer)
    [task] = await tasks(client)
    assert task["order_no"] == number and task["status"] in ("queued", "intercepted")
    assert [(i["colour"], i["size"]) for i in task["items"]] == [("黄色碎花", "S")]


async def test_another_of_the_item_just_ordered_for_someone_else_gets_their_size(client: Any) -> None:
    await say(client, "no-10", "法式条纹长袖T恤白底红条L码")
    await place(client, "no-10")
    asked = await say(client, "no-10", "再给我妈也来一件燕麦色底黑条的 她一米五二 八十八斤左右 你看拿什么码")
    assert "S码" in texts(asked) and "地址" not in texts(asked) or "核对" in texts(asked), texts(asked)
    done = await say(client, "no-10", "确认")
    assert re.search(r"KF\d{8,14}", texts(done)), texts(done)
    assert await lines(client) == sorted([("法式条纹长袖T恤", "白底红条", "L", 1), ("法式条纹长袖T恤", "燕麦色底黑条", "S", 1)])


async def test_a_refund_question_after_a_cancel_elsewhere_gets_the_timing_not_the_complaints_queue(client: Any) -> None:
    first = await say(client, "no-11", "前天取消的那个订单 钱怎么还没退回来啊")
    assert first["status"] == "bot" and "原路退回" in texts(first) and "工作日" in texts(first), texts(first)
    again = await say(client, "no-11", "会退到哪里 我用支付宝付的")
    assert again["status"] == "bot" and "原路" in texts(again), texts(again)
    late = await say(client, "no-11", "取消都一个星期了钱还没到账 你们是不是不想退")
    assert late["status"] == "waiting_agent", "overdue money is a payment dispute for a person"


async def test_an_item_taken_out_before_the_read_back_is_not_ordered(client: Any) -> None:
    await say(client, "no-12", "羊毛针织围巾燕麦色要一条")
    await say(client, "no-12", "再加一顶纯棉软顶棒球帽 黑色")
    await say(client, "no-12", "算了帽子不要了 围巾再来一条酒红的")
    await place(client, "no-12")
    assert await lines(client) == sorted([("羊毛针织围巾", "燕麦色", "均码", 1), ("羊毛针织围巾", "酒红", "均码", 1)])


async def test_the_same_size_as_the_item_just_ordered(client: Any) -> None:
    await say(client, "no-13", "法式条纹长袖T恤白底藏青条 M码")
    await place(client, "no-13")
    asked = await say(client, "no-13", "再配一条高腰百褶半身裙 黑色 跟上衣一样的码")
    assert "地址" in texts(asked) or "核对" in texts(asked), texts(asked)
    if "核对" not in texts(asked):
        await say(client, "no-13", ADDRESS)
    await say(client, "no-13", "确认")
    assert ("高腰百褶半身裙", "黑色", "M", 1) in await lines(client)


async def test_an_address_change_for_an_order_we_cannot_find_stays_a_change(client: Any) -> None:
    await say(client, "no-14", "你好 我早上下的单地址填错了 麻烦帮我改一下")
    handed = await say(client, "no-14", "我也不知道单号 你们帮我查查")
    assert handed["status"] == "waiting_agent" and "转给同事" in texts(handed), "a colleague looks it up, now"
    follow = await say(client, "no-14", "改完了告诉我一声 别寄到原来那个地方了")
    assert follow["status"] == "waiting_agent" and "抱歉" not in texts(follow), "a change request, not a complaint"


async def test_needing_to_wear_it_somewhere_is_not_choosing_it(client: Any) -> None:
    answer = await say(client, "no-15", "缎面垂感长袖衬衫香槟色会不会透 我上班要穿的")
    assert "透" in texts(answer) and "码" not in texts(answer), "a question answered, no size asked"


async def test_these_two_at_the_read_back_is_a_yes_not_a_count(client: Any) -> None:
    await say(client, "no-16", "冰丝短袖POLO衫 黑色L和藏青L各一件")
    await say(client, "no-16", ADDRESS)
    done = await say(client, "no-16", "对 就这两件 下单")
    assert re.search(r"KF\d{8,14}", texts(done)), texts(done)
    assert await lines(client) == sorted([("冰丝短袖POLO衫", "黑色", "L", 1), ("冰丝短袖POLO衫", "藏青", "L", 1)])


async def test_topping_up_for_free_shipping_joins_the_order_just_placed(client: Any) -> None:
    await say(client, "no-17", "纯棉中筒袜五双装 全白 一包")
    number = await place(client, "no-17")
    why = await say(client, "no-17", "才29还要邮费啊")
    assert number in texts(why) and "99" in texts(why) and "凑" in texts(why), texts(why)
    asked = await say(client, "no-17", "那我凑个单 再加一条羊毛针织围巾 灰色的")
    assert number in texts(asked) and "106" in texts(asked), texts(asked)  # 29 + 69 + 8: one parcel, still under 99
    done = await say(client, "no-17", "确认")
    assert number in texts(done) and "并到" in texts(done), texts(done)
    [task] = await tasks(client)
    assert task["order_no"] == number and task["total"] in ("106", "106.00"), task  # 98 + 8: still under 99
    assert sorted((i["name"], i["colour"]) for i in task["items"]) == [("纯棉中筒袜五双装", "全白"), ("羊毛针织围巾", "灰色")]


async def test_an_order_joined_until_it_ships_free(client: Any) -> None:
    await say(client, "no-18", "纯棉圆领短袖T恤 黑色M 一件")
    number = await place(client, "no-18")
    await say(client, "no-18", "凑个包邮 再来一件白色M")
    done = await say(client, "no-18", "确认")
    assert number in texts(done), texts(done)
    [task] = await tasks(client)
    assert task["total"] in ("118", "118.00"), task  # 59 + 59, free shipping for the whole
    assert sorted((i["colour"], i["size"]) for i in task["items"]) == [("白色", "M"), ("黑色", "M")]


async def test_one_more_item_right_after_ordering_joins_the_order(client: Any) -> None:
    await say(client, "no-19", "纯棉中筒袜五双装 全黑 要三包")
    number = await place(client, "no-19")
    asked = await say(client, "no-19", "再加个棒球帽 黑色的")
    assert number in texts(asked) and "136" in texts(asked), texts(asked)  # 3 × 29 + 49, free shipping
    await say(client, "no-19", "对")
    free = await say(client, "no-19", "满99包邮是吧 这下够了吧")
    assert "136" in texts(free) and "包邮" in texts(free), texts(free)
    [task] = await tasks(client)
    assert task["order_no"] == number and len(task["items"]) == 2


async def test_an_office_building_after_the_street_stays_in_the_address(client: Any) -> None:
    await say(client, "no-20", "男士牛津纺长袖衬衫 白色L 一件")
    readback = await say(client, "no-20", "周磊 18602157730 北京市朝阳区阜通东大街6号 方恒国际中心A座1605")
    assert "方恒国际中心A座1605" in texts(readback), texts(readback)


async def test_describing_the_order_we_cannot_find_is_not_a_new_purchase(client: Any) -> None:
    await say(client, "no-21", "我手滑拍错颜色了 想取消订单")
    answer = await say(client, "no-21", "就刚刚那个连衣裙 本来想要蓝色碎花 结果拍成黄色的了")
    assert "码" not in texts(answer) and answer["status"] == "waiting_agent", "not sold again: a colleague finds it"
    assert "转给同事" in texts(answer), texts(answer)


async def test_an_order_that_ships_before_the_addition_is_confirmed_is_left_alone(client: Any) -> None:
    """The read-back offered to add to the order; it left the warehouse meanwhile: said so, nothing added to it,
    and the new item can still be ordered on its own."""
    await say(client, "no-22", "纯棉圆领短袖T恤 黑色M 一件")
    number = await place(client, "no-22")
    offered = await say(client, "no-22", "再加一顶纯棉软顶棒球帽 黑色")
    assert number in texts(offered), texts(offered)
    shipped = await client.post(f"/api/shipping/{number}/ship", json={"tracking_no": "ZT123456789"})
    assert shipped.status == 200, await shipped.text()
    late = await say(client, "no-22", "确认")
    assert "发出" in texts(late) and "并到" not in texts(late), texts(late)
    alone = await say(client, "no-22", "确认")
    [new_number] = re.findall(r"KF\d{8,14}", texts(alone))
    assert new_number != number
    [task] = await tasks(client, ("shipped",))
    assert task["order_no"] == number and len(task["items"]) == 1, "the shipped order is as it left"


async def test_the_item_just_ordered_said_again_with_the_next_one_is_not_bought_twice(client: Any) -> None:
    """Just after ordering trousers the customer adds a T-shirt and, asked its size and colour, answers for both
    items ("阔腿裤M，T恤S"); then says the T-shirt once more ("就这俩"). One parcel: the trousers once, the
    T-shirt once — and a real "再来一件" still adds another."""
    await say(client, "no-30", "冰丝垂感阔腿裤 灰色M")
    number = await place(client, "no-30")
    await say(client, "no-30", "再加件白T 这样够包邮了吧")  # ("白T": the white one)
    asked = await say(client, "no-30", "阔腿裤M，T恤S")
    assert "纯棉圆领短袖T恤 白色 S ×1" in texts(asked) and "阔腿裤 灰色 M ×1" not in texts(asked), texts(asked)
    joined = await say(client, "no-30", "阔腿裤灰色，T恤白色")  # (what the read-back says, said again: a yes)
    assert "加好" in texts(joined), texts(joined)
    again = await say(client, "no-30", "行 白T白色S一件 就这俩")
    assert number in texts(again) and "核对" not in texts(again), texts(again)
    assert sorted(await lines(client)) == [("冰丝垂感阔腿裤", "灰色", "M", 1), ("纯棉圆领短袖T恤", "白色", "S", 1)]
    more = await say(client, "no-30", "白T再来一件黑色S")
    assert "黑色 S ×1" in texts(more), texts(more)


async def test_a_line_chosen_before_the_next_items_name_stays_in_the_order(client: Any) -> None:
    """"那要藍色碎花 S 一件。另外小白鞋…": the dress is chosen in the words before the shoes are named; the shoes'
    question does not take the dress's colour, and a colour answer naming the dress's own colour goes to the dress."""
    await say(client, "no-31", "請問碎花洋裝有襯裡嗎")
    asked = await say(client, "no-31", "好的 那要藍色碎花 S 一件。另外小白鞋我腳長23.2公分 是37號嗎")
    assert "没有蓝色" not in texts(asked), texts(asked)
    await say(client, "no-31", "藍色碎花，鞋子米白色37號")
    await place(client, "no-31")
    assert await lines(client) == sorted([("碎花雪纺连衣裙", "蓝色碎花", "S", 1), ("经典帆布小白鞋", "米白色", "37", 1)])


async def test_an_item_whose_size_was_chosen_stays_when_another_is_swapped_for_a_third(client: Any) -> None:
    """Jeans and a striped top talked about; the jeans' size chosen ("裤子还是换L吧"); then "条纹的先不要了 换成百褶裙
    黑色 M": the skirt replaces the top, not the jeans — whose colour is asked before the read-back."""
    await say(client, "no-32", "高腰直筒牛仔裤 + 法式条纹长袖T恤 我162 100斤 都M可以吗")
    await say(client, "no-32", "等下 我胯比较宽 裤子还是换L吧")
    asked = await say(client, "no-32", "条纹的先不要了 换成百褶裙 黑色 M")
    assert "高腰直筒牛仔裤" in texts(asked) and "颜色" in texts(asked), texts(asked)
    await say(client, "no-32", "浅蓝")
    await place(client, "no-32")
    assert await lines(client) == sorted([("高腰直筒牛仔裤", "浅蓝", "L", 1), ("高腰百褶半身裙", "黑色", "M", 1)])


async def test_six_colleagues_one_each_are_six_items_and_two_in_one_size_are_one_line(client: Any) -> None:
    """"每人一件，一共六件": one each (six is the total), every colleague named (张姐 too), two Ms one line of two."""
    sized = await say(client, "no-33", "公司团建统一买黑色圆领T恤，尺码帮我对一下：小王183/85kg，老陈178/75kg，"
                                       "阿杰172/65kg，小李165/55kg，小赵167/58kg，张姐158/48kg")
    assert "张姐" in texts(sized), texts(sized)
    await say(client, "no-33", "好的，就按你说的码数，每人一件，一共六件黑色")
    await place(client, "no-33")
    assert await lines(client) == [("纯棉圆领短袖T恤", "黑色", size, count) for size, count in
                                   (("L", 1), ("M", 2), ("S", 1), ("XL", 1), ("XXL", 1))]


async def test_a_garment_asked_for_narrows_the_choice_and_the_measurements_give_its_size(client: Any) -> None:
    answer = await say(client, "no-34", "想给男朋友买件衬衫 他178 144斤 上班穿")
    assert "男士牛津纺长袖衬衫" in texts(answer) and "POLO" not in texts(answer) and "T恤" not in texts(answer)
    assert "XL码" in texts(answer), texts(answer)


async def test_a_described_order_we_cannot_find_goes_to_a_person_and_the_new_address_is_not_a_sale(client: Any) -> None:
    await say(client, "no-35", "亲 我半小时前下的单 地址选错了 选成我老家了")
    handed = await say(client, "no-35", "订单是毛衣 燕麦色M 收件人是我自己 潘小雨")
    assert handed["status"] == "waiting_agent" and "金额" not in texts(handed), texts(handed)
    address = await say(client, "no-35", "潘小雨 15671829034 北京市朝阳区望京街道阜通东大街6号方恒国际中心C座1709")
    assert address["status"] == "waiting_agent" and "金额" not in texts(address) and "我在的" not in texts(address)
    assert await lines(client) == [], "nothing ordered"


async def test_a_voice_shopper_is_served_the_item_and_a_weight_is_not_haggling(client: Any) -> None:
    """"想买那个冰丝的菠萝衫": the POLO shirt described, not a reassurance about quality nobody asked for; "一百四十八斤"
    is a weight (no "这个价格已经很实在啦"); a delivery request while the bot waits to hear which item is a note."""
    first = await say(client, "no-36", "你好我想买那个冰丝的菠萝衫 就是带领子的那种短袖")
    assert "冰丝短袖POLO衫" in texts(first) and "检查" not in texts(first), texts(first)
    sized = await say(client, "no-36", "我一米七七 一百四十八斤 穿多大马")
    assert "XL码" in texts(sized) and "价格" not in texts(sized), texts(sized)
    await say(client, "no-36", "那就叉L吧 要两件 一件脏青色一件灰色的")
    noted = await say(client, "no-36", "送货的时候别打电话 我上班开会接不了 发个短信放快递柜就行了")
    assert noted["status"] == "bot" and "别打电话" in texts(noted), texts(noted)
    await place(client, "no-36")
    assert await lines(client) == [("冰丝短袖POLO衫", "灰色", "XL", 1), ("冰丝短袖POLO衫", "藏青", "XL", 1)]
    assert "别打电话" in (await tasks(client))[0]["notes"]


async def test_a_bare_size_or_peoples_sizes_after_the_description_are_the_choice(client: Any) -> None:
    """The description ends asking "您平时穿什么码呢"; "XL" (or "阿爸M 阿媽S") is the answer, not chit-chat."""
    await say(client, "no-37", "想买那个冰丝POLO衫")
    answer = await say(client, "no-37", "XL")
    assert answer["intent"] == "buy" and "颜色" in texts(answer) and "我在的" not in texts(answer), texts(answer)
    await say(client, "no-38", "你好 有冇羽絨服啊 要輕身啲嘅 俾屋企人著")
    answer = await say(client, "no-38", "阿爸M 阿媽S")
    assert answer["intent"] == "buy" and "颜色" in texts(answer), texts(answer)


async def test_an_order_of_several_items_is_not_changed_by_a_guess(client: Any) -> None:
    """Restating one item of a two-item order changes nothing; changing the size of the item named changes that
    line (never whichever comes first); the address sent again is the same."""
    await say(client, "no-39", "碎花雪纺连衣裙 蓝色碎花 S 一件 再加一双经典帆布小白鞋 米白色37码")
    number = await place(client, "no-39")
    same = await say(client, "no-39", "那鞋子要米白色37號 一雙，謝謝！")
    assert "已经在订单" in texts(same) and "改好" not in texts(same), texts(same)
    again = await say(client, "no-39", ADDRESS)
    assert number in texts(again) and "寄到这个地址" in texts(again), texts(again)
    change = await say(client, "no-39", "鞋子改成38码")
    assert change["status"] == "bot" and "38" in texts(change), texts(change)
    assert await lines(client) == sorted([("碎花雪纺连衣裙", "蓝色碎花", "S", 1), ("经典帆布小白鞋", "米白色", "38", 1)])


async def test_both_in_one_size_is_each_in_it_not_two_of_one(client: Any) -> None:
    await say(client, "no-40", "缎面垂感长袖衬衫 黑色")
    await say(client, "no-40", "再加一条百褶半身裙，黑色，同样的身材穿什么码？")
    await say(client, "no-40", "两件都M")
    await place(client, "no-40")
    assert await lines(client) == sorted([("缎面垂感长袖衬衫", "黑色", "M", 1), ("高腰百褶半身裙", "黑色", "M", 1)])


async def test_both_ordered_together_is_one_of_each_not_two_of_the_last(client: Any) -> None:
    # "两件一起下" after a skirt and then a shirt were chosen: both items at once, not the shirt twice
    await say(client, "no-40b", "百褶裙 160 98斤 要雾霾蓝M")
    await say(client, "no-40b", "再看看那个条纹长袖")
    await say(client, "no-40b", "好 条纹的要白底藏青条M 两件一起下")
    await place(client, "no-40b")
    assert await lines(client) == sorted([("高腰百褶半身裙", "雾霾蓝", "M", 1), ("法式条纹长袖T恤", "白底藏青条", "M", 1)])


async def test_a_count_together_that_is_not_the_items_chosen_stays_a_count(client: Any) -> None:
    await say(client, "no-40c", "百褶裙 160 98斤 要雾霾蓝M")
    await say(client, "no-40c", "再看看那个条纹长袖")
    await say(client, "no-40c", "条纹的要白底藏青条M 三件一起下")
    await place(client, "no-40c")
    assert await lines(client) == sorted([("高腰百褶半身裙", "雾霾蓝", "M", 1), ("法式条纹长袖T恤", "白底藏青条", "M", 3)])


async def test_two_peoples_sizes_then_their_colours_in_the_same_order_make_two_lines(client: Any) -> None:
    await say(client, "no-41", "妹儿 这个羊毛毛衣好多钱嘛 我要买两件的")
    await say(client, "no-41", "我S，老头M")
    asked = await say(client, "no-41", "我酒红，老头藏青")
    assert "地址" in texts(asked), "nothing asked again"
    await place(client, "no-41")
    assert await lines(client) == sorted([("羊毛混纺圆领毛衣", "酒红", "S", 1), ("羊毛混纺圆领毛衣", "藏青", "M", 1)])


async def test_after_ordering_a_push_to_order_a_note_with_a_question_and_one_more_in_black(client: Any) -> None:
    """"好滴 下单下单" once it is ordered places nothing twice; "放学校菜鸟驿站 对了帽子能丢洗衣机洗吗" puts the note on
    the order and answers the question (丢 into the machine is no lost parcel); "再给我自己整一件黑的" is one more."""
    await say(client, "no-42", "纯棉软顶棒球帽 黑色")
    number = await place(client, "no-42")
    noted = await say(client, "no-42", "放学校菜鸟驿站 对了帽子能丢洗衣机洗吗")
    assert noted["status"] == "bot" and "驿站" in texts(noted) and "机洗" in texts(noted), texts(noted)
    push = await say(client, "no-42", "好滴 下单下单✨")
    assert number in texts(push) and "核对" not in texts(push), texts(push)
    assert await lines(client) == [("纯棉软顶棒球帽", "黑色", "均码", 1)] and "驿站" in (await tasks(client))[0]["notes"]
    more = await say(client, "no-42", "再给我自己整一件米白的")
    assert "米白色" in texts(more), texts(more)


async def test_a_colour_by_its_everyday_name_and_a_colour_swapped_for_another(client: Any) -> None:
    """"白底蓝条" is the striped top's 白底藏青条; "浅蓝显腿粗 换黑色吧" is black instead, not both."""
    answer = await say(client, "no-43", "法式条纹长袖T恤 白底蓝条那个 M")
    assert "没有蓝色" not in texts(answer), texts(answer)
    await place(client, "no-43")
    await say(client, "no-44", "高腰直筒牛仔裤浅蓝的还有吗 我160 100斤")
    await say(client, "no-44", "啊室友说浅蓝显腿粗 换黑色吧")
    await place(client, "no-44")
    assert await lines(client) == sorted([("法式条纹长袖T恤", "白底藏青条", "M", 1), ("高腰直筒牛仔裤", "黑色", "M", 1)])


async def test_a_jumper_bought_days_ago_that_is_too_big_is_an_exchange_not_a_new_order(client: Any) -> None:
    answer = await say(client, "no-45", "小妹你好 我前几天买的毛衣 杏色 M的 穿起有点大")
    assert answer["intent"] == "return_refund" and "地址" not in texts(answer).replace("退货地址", ""), texts(answer)
    sized = await say(client, "no-45", "我一米五八 九十六斤 是不是该穿S")
    assert "S码" in texts(sized), texts(sized)
    assert await lines(client) == [], "nothing ordered"


async def test_a_cap_added_to_make_free_shipping_joins_the_t_shirt_and_these_two_are_not_two_caps(client: Any) -> None:
    await say(client, "no-46", "圆领t恤还有黑的吗")
    await say(client, "no-46", "166 112斤 穿啥码")
    await say(client, "no-46", "那加个黑色棒球帽 凑包邮")
    await say(client, "no-46", "就这俩 放快递柜")
    await place(client, "no-46")
    assert await lines(client) == [("纯棉圆领短袖T恤", "黑色", "M", 1), ("纯棉软顶棒球帽", "黑色", "均码", 1)]


async def test_a_shirt_and_jeans_for_a_husband_are_the_mens_and_both_in_xl(client: Any) -> None:
    shown = await say(client, "no-47", "老公生日想送衬衫加牛仔裤 他177 148斤 穿什么码呀")
    assert "男士牛津纺长袖衬衫" in texts(shown) and "男士弹力修身牛仔裤" in texts(shown), texts(shown)
    assert "缎面" not in texts(shown) and "高腰" not in texts(shown) and "POLO" not in texts(shown), texts(shown)
    await say(client, "no-47", "牛津纺白色的会透吗 他上班要穿")
    await say(client, "no-47", "那衬衫要浅蓝 裤子深蓝 他腿不粗 就正常码")
    await say(client, "no-47", "都XL")
    await place(client, "no-47")
    assert await lines(client) == [("男士弹力修身牛仔裤", "深蓝", "XL", 1), ("男士牛津纺长袖衬衫", "浅蓝", "XL", 1)]


async def test_a_white_tee_it_might_stain_is_not_the_item_asked_about(client: Any) -> None:
    await say(client, "no-48", "牛仔夹克好好看呜呜 就是有点贵")
    answer = await say(client, "no-48", "会掉色吗 我怕染到白T上")
    assert "浮色" in texts(answer) and "T恤" not in texts(answer), texts(answer)


async def test_an_item_taken_out_of_a_two_item_order_leaves_the_other_and_the_total_follows(client: Any) -> None:
    await say(client, "no-49", "羊毛混纺圆领毛衣 燕麦色 S 再整一条围巾 也燕麦色")
    number = await place(client, "no-49")
    answer = await say(client, "no-49", "算了围巾不要了 家里有 就毛衣吧")
    assert answer["status"] == "bot" and number in texts(answer) and "围巾" in texts(answer), texts(answer)
    assert await lines(client) == [("羊毛混纺圆领毛衣", "燕麦色", "S", 1)]
    [task] = await tasks(client)
    assert task["status"] == "intercepted" and "239" in texts(answer), (task, texts(answer))
    again = await say(client, "no-49", "改好了吗")
    assert "围巾" in texts(again) and "改好" in texts(again), texts(again)


async def test_taking_out_the_item_that_made_free_shipping_says_the_postage(client: Any) -> None:
    await say(client, "no-49b", "纯棉圆领短袖T恤 黑色 M 再来一顶棒球帽 黑色")
    await place(client, "no-49b")
    answer = await say(client, "no-49b", "帽子不要了")
    assert "运费8元" in texts(answer) and "67" in texts(answer), texts(answer)
    assert await lines(client) == [("纯棉圆领短袖T恤", "黑色", "M", 1)]


async def test_one_items_size_in_a_two_item_order_is_changed_on_that_line(client: Any) -> None:
    await say(client, "no-49c", "羊毛混纺圆领毛衣 燕麦色 S 再整一条围巾 也燕麦色")
    await place(client, "no-49c")
    answer = await say(client, "no-49c", "毛衣换成M吧")
    assert answer["status"] == "bot" and "M" in texts(answer), texts(answer)
    assert await lines(client) == [("羊毛混纺圆领毛衣", "燕麦色", "M", 1), ("羊毛针织围巾", "燕麦色", "均码", 1)]


async def test_the_same_item_twice_changed_by_the_colour_it_is_in(client: Any) -> None:
    await say(client, "no-49d", "纯棉圆领短袖T恤 白色 M 一件 黑色 L 一件")
    await place(client, "no-49d")
    answer = await say(client, "no-49d", "黑色那件改成XL")
    assert answer["status"] == "bot", texts(answer)
    assert await lines(client) == [("纯棉圆领短袖T恤", "白色", "M", 1), ("纯棉圆领短袖T恤", "黑色", "XL", 1)]
    unclear = await say(client, "no-49d", "改成S")
    assert unclear["status"] == "waiting_agent", "which of the two is not guessed"
    assert await lines(client) == [("纯棉圆领短袖T恤", "白色", "M", 1), ("纯棉圆领短袖T恤", "黑色", "XL", 1)]


async def test_parents_called_short_get_their_own_colours(client: Any) -> None:
    await say(client, "no-50", "你好 这个轻薄羽绒服 哈尔滨冬天够穿吗 给我爸妈买")
    await say(client, "no-50", "我爸172 136斤 我妈158 一百斤 各穿什么码")
    await say(client, "no-50", "爸要藏青 妈要卡其 他们平时里面也会穿毛衣")
    await place(client, "no-50")
    assert await lines(client) == [("轻薄白鸭绒羽绒服", "卡其", "S", 1), ("轻薄白鸭绒羽绒服", "藏青", "L", 1)]


async def test_four_colleagues_ordered_with_the_invoice_in_the_same_message(client: Any) -> None:
    await say(client, "no-51", "公司团建要买白色圆领T恤，4个人：小王175/68kg，小李160/50kg，老张178/75kg，小陈167/57kg，"
                               "分别穿什么码？")
    asked = await say(client, "no-51", "就按这4个码各一件。需要开发票，抬头：深圳市拾光设计有限公司，"
                                       "税号91440300MA5G7K2X3P，邮箱 hr@shiguangdesign.cn")
    assert "地址" in texts(asked), texts(asked)
    await say(client, "no-51", ADDRESS)
    done = await say(client, "no-51", "确认")
    assert "登记开票" in texts(done), texts(done)
    assert await lines(client) == [("纯棉圆领短袖T恤", "白色", size, 1) for size in ("L", "M", "S", "XL")]


async def test_the_order_said_again_with_a_delivery_note_keeps_the_note(client: Any) -> None:
    await say(client, "no-52", "纯棉长袖睡衣套装 浅粉M 浅灰XL 各一套")
    await place(client, "no-52")
    await say(client, "no-52", "洗了会缩吗")
    answer = await say(client, "no-52", "那我要浅粉M 他要浅灰XL 到了放门口就行 不用敲门")
    assert "门口" in texts(answer), texts(answer)
    assert "放门口" in (await tasks(client))[0]["notes"] and len(await lines(client)) == 2


async def test_a_push_to_order_with_nothing_in_view_is_told_the_order_is_placed(client: Any) -> None:
    await say(client, "no-53", "冰丝短袖POLO衫 藏青 XL")
    number = await place(client, "no-53")
    push = await say(client, "no-53", "好滴 下单下单")
    assert number in texts(push) and "哪一款" not in texts(push), texts(push)
    assert await lines(client) == [("冰丝短袖POLO衫", "藏青", "XL", 1)]


async def test_a_dress_and_shoes_given_by_their_everyday_words_and_the_pair_priced_together(client: Any) -> None:
    await say(client, "no-60", "你好呀 想给女儿买条连衣裙 她初二 153 88斤")
    await say(client, "no-60", "那要黄色碎花的 再配双小白鞋 她脚长22.8厘米")
    both = await say(client, "no-60", "裙子黄色碎花，鞋白色")
    assert "没有白色" not in texts(both), texts(both)
    total = await say(client, "no-60", "两样一起多少钱 包邮不")
    assert "318" in texts(total) and "包邮" in texts(total), texts(total)
    await place(client, "no-60")
    assert await lines(client) == [("碎花雪纺连衣裙", "黄色碎花", "S", 1), ("经典帆布小白鞋", "白色", "36", 1)]


async def test_two_of_one_shirt_one_in_each_colour(client: Any) -> None:
    await say(client, "no-61", "我身高一米七三体重一百三十五斤 冰丝POLO衫穿几号")
    await say(client, "no-61", "那就给我来两件一件藏青色一件灰色都要L码")
    await place(client, "no-61")
    assert await lines(client) == [("冰丝短袖POLO衫", "灰色", "L", 1), ("冰丝短袖POLO衫", "藏青", "L", 1)]
