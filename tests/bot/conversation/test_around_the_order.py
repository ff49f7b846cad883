"""Around an order, as shoppers write it, on both databases: questions about the item just ordered answered about
it (and a yes after them places nothing again); a size question while a complaint waits for a person; a yes at the
read-back that repeats a request; an order placed twice; whether it arrives in time; colleagues one of whom drops
out; the coupon asked for by name. Each checks what the customer would notice: the reply, the chat's status and the
order the warehouse gets (``GET /api/shipping``)."""

from __future__ import annotations

from typing import Any

from tests.bot.rest import order_lines as lines
from tests.bot.rest import place as placed
from tests.bot.rest import say, tasks, texts

ADDRESS = "黄嘉欣 13729465018 广东省广州市海珠区新港中路397号丽景苑3座1204"




async def place(client: Any, customer: str, yes: str = "确认") -> str:
    return await placed(client, customer, ADDRESS, yes)


async def test_questions_about_the_item_just_ordered_are_about_it_and_a_yes_buys_nothing_more(client: Any) -> None:
    await say(client, "ar-1", "水洗牛仔夹克 自己浅蓝S 男朋友深蓝L")
    await place(client, "ar-1")
    sizes = await say(client, "ar-1", "我一米六 50kg 男朋友175 68kg 各自著咩码啊")
    assert "S码" in texts(sizes) and "L码" in texts(sizes) and "哪一款" not in texts(sizes), texts(sizes)
    fading = await say(client, "ar-1", "会唔会甩色㗎 我哋冇分开洗衫嘅习惯")
    assert "浮色" in texts(fading), texts(fading)
    yes = await say(client, "ar-1", "好的")
    assert "颜色" not in texts(yes) and "尺码" not in texts(yes), texts(yes)
    assert await lines(client) == [("水洗牛仔夹克", "浅蓝", "S", 1), ("水洗牛仔夹克", "深蓝", "L", 1)]


async def test_a_stock_question_right_after_ordering_is_not_a_complaint(client: Any) -> None:
    await say(client, "ar-2", "双面羊绒大衣 驼色M码一件")
    await place(client, "ar-2")
    answer = await say(client, "ar-2", "库存就剩几件了？那赶紧的")
    assert answer["status"] == "bot" and "退货" not in texts(answer), texts(answer)
    assert "件" in texts(answer) or "货" in texts(answer), texts(answer)


async def test_a_size_question_about_another_item_is_answered_while_the_complaint_waits(client: Any) -> None:
    await say(client, "ar-3", "昨天问你们客服裤子尺码 回我一句自己看详情页就不理人了 什么态度")
    await say(client, "ar-3", "我要投诉 叫你们负责人来")
    answer = await say(client, "ar-3", "算了顺便问下 我168 120斤 那个男士牛仔裤到底穿什么码")
    assert answer["status"] == "waiting_agent" and "M码" in texts(answer), texts(answer)


async def test_a_yes_at_the_read_back_that_repeats_a_request_places_the_order(client: Any) -> None:
    await say(client, "ar-4", "要两条羊毛针织围巾 酒红的给我妈 藏青的给我爸 都要礼盒")
    number = await place(client, "ar-4", yes="是的 都要礼盒")
    assert number
    assert await lines(client) == [("羊毛针织围巾", "藏青", "均码", 1), ("羊毛针织围巾", "酒红", "均码", 1)]
    [task] = await tasks(client)
    assert "礼盒" in task["notes"], task


async def test_an_order_placed_twice_is_a_cancel_not_a_purchase(client: Any) -> None:
    answer = await say(client, "ar-5", "在吗 我刚刚拍了两次一样的睡衣 重复了")
    assert "尺码" not in texts(answer) and "码呢" not in texts(answer), texts(answer)
    cancel = await say(client, "ar-5", "帮我取消一个 就后面那单")
    assert "尺码" not in texts(cancel) and cancel["status"] == "waiting_agent", texts(cancel)


async def test_in_time_for_a_birthday_is_the_delivery_time_not_a_gift_list(client: Any) -> None:
    await say(client, "ar-6", "羊毛针织围巾 酒红")
    await place(client, "ar-6")
    answer = await say(client, "ar-6", "好的 下周三我妈生日 来得及吗")
    assert "下周三（" in texts(answer) and "挑了这几款" not in texts(answer), texts(answer)  # by that day, worked out


async def test_colleagues_one_of_whom_drops_out_get_their_own_sizes_in_the_colour_said_first(client: Any) -> None:
    first = await say(client, "ar-7", "你好，我们部门团建要统一买白色T恤，三个人：小张165cm 110斤，小李178cm 150斤，"
                                      "王姐158cm 96斤，分别穿什么码？")
    assert "小张" in texts(first) and "XL码" in texts(first), texts(first)
    see = await say(client, "ar-7", "白色会透吗？")
    assert "不透" in texts(see), texts(see)
    two = await say(client, "ar-7", "刚问了王姐，她说自己有了不用买，就小张和小李两件")
    assert two["status"] == "bot" and "问题" not in texts(two), texts(two)
    await place(client, "ar-7")
    assert await lines(client) == [("纯棉圆领短袖T恤", "白色", "M", 1), ("纯棉圆领短袖T恤", "白色", "XL", 1)]


async def test_the_coupon_asked_for_by_name_is_applied(client: Any) -> None:
    await say(client, "ar-8", "双面羊绒大衣我162 104斤 拿哪个码")
    await say(client, "ar-8", "699有点贵诶 老板能不能便宜点")
    await say(client, "ar-8", "好吧 那券给我用上 驼色M码一件")
    readback = await say(client, "ar-8", ADDRESS)
    assert "689" in texts(readback) and "优惠券" in texts(readback), texts(readback)


async def test_an_item_added_then_dropped_by_a_word_of_its_name_and_the_size_changed_with_a_note(client: Any) -> None:
    await say(client, "ar-9", "高腰直筒牛仔裤 黑色 M")
    await place(client, "ar-9")
    await say(client, "ar-9", "再加一件条纹长袖 白底红条的 M")
    await say(client, "ar-9", "对的对的")
    dropped = await say(client, "ar-9", "救命 算了算了条纹的不要了 这个月生活费不够了 只要裤子")
    assert "取消" not in texts(dropped) and "139" in texts(dropped), texts(dropped)
    fit = await say(client, "ar-9", "对了我胯有点宽 M会不会卡胯啊")
    assert "大一码" in texts(fit), texts(fit)
    changed = await say(client, "ar-9", "那就L吧 黑色L一条 放学校快递柜 谢谢亲")
    assert "L" in texts(changed) and "快递柜" in texts(changed), texts(changed)
    assert await lines(client) == [("高腰直筒牛仔裤", "黑色", "L", 1)]
    [task] = await tasks(client)
    assert "快递柜" in task["notes"], task


async def test_a_bare_size_after_fit_advice_on_the_item_just_ordered_changes_it(client: Any) -> None:
    await say(client, "ar-10", "高腰直筒牛仔裤 黑色 M")
    await place(client, "ar-10")
    await say(client, "ar-10", "对了我胯有点宽 M会不会卡胯啊")
    changed = await say(client, "ar-10", "L")
    assert "改" in texts(changed) and "颜色" not in texts(changed), texts(changed)
    assert await lines(client) == [("高腰直筒牛仔裤", "黑色", "L", 1)]


async def test_the_address_sent_again_after_questions_about_the_order_is_the_same_address(client: Any) -> None:
    await say(client, "ar-11", "水洗牛仔夹克 自己浅蓝S 男朋友深蓝L")
    number = await place(client, "ar-11")
    await say(client, "ar-11", "我一米六 50kg 男朋友175 68kg 各自著咩码啊")
    again = await say(client, "ar-11", "咁要一件浅蓝S 一件深蓝L 唔该")
    assert "已经在订单" in texts(again), texts(again)
    address = await say(client, "ar-11", ADDRESS)
    assert number in texts(address) and "颜色" not in texts(address), texts(address)
    assert await lines(client) == [("水洗牛仔夹克", "浅蓝", "S", 1), ("水洗牛仔夹克", "深蓝", "L", 1)]


async def test_the_item_said_again_with_a_question_gets_the_answer_too(client: Any) -> None:
    await say(client, "ar-12", "冰丝短袖POLO衫 藏青 L")
    await place(client, "ar-12")
    answer = await say(client, "ar-12", "行就要那个藏青的L 会不会透")
    assert "已经在订单" in texts(answer) and "不透" in texts(answer), texts(answer)


async def test_leaving_the_size_to_the_shop_without_measurements_asks_for_them(client: Any) -> None:
    await say(client, "ar-13", "我想买一件冰丝POLO衫")
    first = await say(client, "ar-13", "就你说那个码")
    assert "身高" in texts(first), texts(first)
    second = await say(client, "ar-13", "就你说那个码")
    assert "身高" in texts(second), texts(second)


async def test_the_address_sent_again_with_a_delivery_note_puts_the_note_on_the_order(client: Any) -> None:
    await say(client, "ar-14", "轻薄白鸭绒羽绒服 卡其 S")
    number = await place(client, "ar-14")
    again = await say(client, "ar-14", "地址是：广东省广州市海珠区新港中路３９７号丽景苑３座１２０４，黄嘉欣，电话１３７２９４６５０１８。"
                                       "送来的时候麻烦放小区门卫室，谢谢您了。")
    assert number in texts(again) and "门卫" in texts(again), texts(again)
    [task] = await tasks(client)
    assert "门卫" in task["notes"], task


async def test_a_white_tee_called_bai_t_is_the_cotton_tee(client: Any) -> None:
    answer = await say(client, "ar-15", "这个纯棉白T 白色的会透吗 上次在别家买的透到能看见内衣")
    assert "不透" in texts(answer) and "哪一款" not in texts(answer), texts(answer)
