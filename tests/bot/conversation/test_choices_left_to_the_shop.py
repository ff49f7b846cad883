"""What the twentieth session mended from the nineteenth's left-over list: a request for a person withdrawn, the
shop asked to choose a colour, a second line for another person in their own colour, a count kept when the sizes
come later, a colour said only as a condition, a stock question that is no complaint, six questions in one
message, and a care question about both lines of an order — each through the REST API on both databases,
checking what the shopper reads and what the warehouse gets."""

from __future__ import annotations

from typing import Any

import pytest

from bot.conversation.catalogue import Catalogue, load_catalogue_file
from bot.conversation.slots import extract
from tests.bot.rest import buttons, place, say, tasks, texts
from tests.bot.rest import order_lines as lines

ADDRESS = "刘桂芳 13874052619 湖南省长沙市岳麓区枫林三路桐梓坡小区7栋3单元402"
CATALOGUE = Catalogue(load_catalogue_file())


async def test_a_person_no_longer_wanted_takes_the_chat_out_of_the_queue(client: Any) -> None:
    queued = await say(client, "cl-1", "人工")
    assert queued["status"] == "waiting_agent", texts(queued)
    withdrawn = await say(client, "cl-1", "哦 你能回答就行 不用人工了")
    assert withdrawn["status"] == "bot" and "取消人工排队" in texts(withdrawn), texts(withdrawn)
    again = await say(client, "cl-1", "算了还是转人工吧")
    assert again["status"] == "waiting_agent", "asked again, the chat is queued again"


async def test_a_question_said_with_the_withdrawal_is_answered(client: Any) -> None:
    await say(client, "cl-2", "转人工")
    answer = await say(client, "cl-2", "不用人工了 袜子一包几双")
    assert answer["status"] == "bot", texts(answer)
    assert "取消人工排队" in texts(answer) and "纯棉中筒袜五双装" in texts(answer), texts(answer)


async def test_a_complaint_stays_queued_when_the_customer_says_no_person_is_needed(client: Any) -> None:
    first = await say(client, "cl-3", "收到的卫衣袖子破了个洞 我要投诉")
    assert first["status"] == "waiting_agent", texts(first)
    later = await say(client, "cl-3", "不用人工了")
    assert later["status"] == "waiting_agent" and "取消人工排队" not in texts(later), texts(later)


async def test_the_shop_asked_to_choose_a_colour_suggests_two_and_a_second_line_gets_its_own(client: Any) -> None:
    await say(client, "cl-4", "喂你好 我想给我孙子买条围巾他在北京上大学那边冷得很")
    itch = texts(await say(client, "cl-4", "你们那个羊毛的围巾扎不扎脖子啊我孙子皮肤嫩得很一扎就起红疙瘩"))
    assert "扎" in itch, itch
    picked = await say(client, "cl-4", "颜色你帮我挑一个吧我也不懂现在年轻人喜欢啥 男孩子二十岁")
    said = texts(picked)
    assert "藏青或灰色" in said and "儿童" not in said, said  # (the colours the scarf is made in; no children's wear)
    assert set(buttons(picked)) >= {"藏青", "灰色", "酒红", "燕麦色"}, buttons(picked)
    await say(client, "cl-4", "还有他妹妹在读高中也给她来一条 女娃娃戴红的喜庆过年嘛")
    both = texts(await say(client, "cl-4", "男娃那条就灰的吧"))
    assert "羊毛针织围巾 灰色 均码 ×1" in both and "羊毛针织围巾 酒红 均码 ×1" in both, both
    fee = texts(await say(client, "cl-4", "多少钱一条啊两条包不包邮"))
    assert "138元" in fee and "包邮" in fee and "还没到" not in fee, fee
    assert await place(client, "cl-4", ADDRESS)
    assert sorted(await lines(client)) == [("羊毛针织围巾", "灰色", "均码", 1), ("羊毛针织围巾", "酒红", "均码", 1)]


async def test_a_count_said_first_stays_when_the_sizes_come_later(client: Any) -> None:
    await say(client, "cl-5", "老板 白T来两件")
    await say(client, "cl-5", "T恤L，袜子帽子均码")
    said = texts(await say(client, "cl-5", "T恤白色，袜子全黑，帽子黑色"))
    assert "纯棉圆领短袖T恤 白色 L ×2" in said, said
    assert await place(client, "cl-5", "赵宇航 17301856429 上海市静安区南京西路1266号恒隆广场办公楼32楼")
    assert sorted(await lines(client)) == sorted([("纯棉圆领短袖T恤", "白色", "L", 2), ("纯棉中筒袜五双装", "全黑", "均码", 1),
                                                  ("纯棉软顶棒球帽", "黑色", "均码", 1)])


async def test_a_stock_question_is_answered_and_a_colour_in_a_condition_is_not_bought(client: Any) -> None:
    stock = await say(client, "cl-6", "冰丝阔腿裤还有货么 看评论说快没了")
    assert "遇到问题" not in texts(stock) and "出了问题" not in texts(stock) and "剩" in texts(stock), texts(stock)
    many = texts(await say(client, "cl-6", "几个问题：杏色会不会透？腰是全松紧还是？我164 56kg穿啥马？夏天上班穿热不热？包邮吗"))
    assert "微透" in many and "松紧" in many and "L码" in many and "99元包邮" in many, many  # (all five answered)
    await say(client, "cl-6", "杏色透的话我就要黑色了 懒得配内裤")
    assert await place(client, "cl-6", "郑雨桐 18758319042 浙江省宁波市鄞州区天童南路588号宁波文化广场B座7楼")
    assert await lines(client) == [("冰丝垂感阔腿裤", "黑色", "L", 1)]


async def test_a_care_question_about_both_lines_is_answered_for_each(client: Any) -> None:
    await say(client, "cl-7", "缎面衬衫 黑色S")
    await say(client, "cl-7", "再配条阔腿裤 黑色的 也S吧")
    asked = texts(await say(client, "cl-7", "两件都是手洗吗"))
    assert "缎面垂感长袖衬衫的洗涤方式" in asked and "冰丝垂感阔腿裤的洗涤方式" in asked, asked
    assert "地址" in asked, "the order's question is asked again after the answer"
    assert await place(client, "cl-7", "杨雪 15902876431 四川省成都市高新区益州大道中段中海城南一号4栋1801")
    after = await say(client, "cl-7", "行 两件一起拍 都是手洗是吧")
    assert after["status"] == "bot" and "同事" not in texts(after), texts(after)
    assert "缎面垂感长袖衬衫的洗涤方式" in texts(after) and "冰丝垂感阔腿裤的洗涤方式" in texts(after), texts(after)
    assert len(await tasks(client)) == 1


async def test_an_order_not_found_asks_for_the_number_or_the_phone_it_was_placed_with(client: Any) -> None:
    first = texts(await say(client, "cl-8", "昨天拍的睡衣能改地址吗"))
    assert "订单号" in first and "手机号" in first, first


@pytest.mark.parametrize(("text", "product", "colour", "size"), [
    ("杏色透的话我就要黑色了 懒得配内裤", "冰丝垂感阔腿裤", "黑色", None),
    ("如果白的会透 就拿黑的", "纯棉圆领短袖T恤", "黑色", None),
    ("没有M的话就L", "纯棉圆领短袖T恤", None, "L"),
    ("要是白色起球的话那我就要灰色", "纯棉圆领短袖T恤", "灰色", None),
    ("黑色的话就要M", "纯棉圆领短袖T恤", "黑色", "M"),  # (a topic, no condition: both are chosen)
    ("一扎就起红疙瘩 扎不扎脖子", "羊毛针织围巾", None, None),  # (a rash is no colour)
    ("戴了脖子会不会发红", "羊毛针织围巾", None, None),
])
def test_a_colour_or_size_in_a_condition_or_a_rash_is_not_chosen(
    text: str, product: str, colour: str | None, size: str | None
) -> None:
    item = next(p for p in CATALOGUE if p.name == product)
    found = extract(text, item, catalogue=CATALOGUE)
    assert (found.colour, found.size, found.items) == (colour, size, ()), found


async def test_two_and_three_character_messages_make_an_order(client: Any) -> None:
    await say(client, "cl-9", "在")
    shown = await say(client, "cl-9", "T恤")
    assert "纯棉圆领短袖T恤" in buttons(shown) and "没太明白" not in texts(shown), texts(shown)
    await say(client, "cl-9", "黑")
    sized = await say(client, "cl-9", "L")
    assert "黑色 L" in texts(sized) and "纯棉圆领短袖T恤" in buttons(sized), texts(sized)
    await say(client, "cl-9", "纯棉圆领短袖T恤")
    assert await place(client, "cl-9", "王芳 13812345678 浙江省杭州市西湖区文三路100号")
    assert await lines(client) == [("纯棉圆领短袖T恤", "黑色", "L", 1)]


async def test_a_bare_kind_of_item_is_a_question_not_a_complaint(client: Any) -> None:
    answer = await say(client, "cl-10", "衣服")
    assert answer["status"] == "bot" and "抱歉" not in texts(answer), texts(answer)
    assert "纯棉圆领短袖T恤" in buttons(answer), buttons(answer)


async def test_a_line_named_by_its_size_leaves_the_order_and_a_switch_is_said_back(client: Any) -> None:
    await say(client, "cl-11", "百褶裙要三条 黑色S M L各一条")
    dropped = texts(await say(client, "cl-11", "少要一条 L不要了"))
    assert "黑色 L先不要了" in dropped and "地址" in dropped, dropped
    assert await place(client, "cl-11", "王芳 13812345678 浙江省杭州市西湖区文三路100号")
    assert sorted(await lines(client)) == [("高腰百褶半身裙", "黑色", "M", 1), ("高腰百褶半身裙", "黑色", "S", 1)]
    await say(client, "cl-12", "我180 160斤 买件羽绒服 穿啥码")
    await say(client, "cl-12", "要黑色")
    switched = texts(await say(client, "cl-12", "算了换个颜色 藏青吧"))
    assert "换成藏青" in switched and "地址" in switched, switched
    assert await place(client, "cl-12", "王芳 13812345678 浙江省杭州市西湖区文三路100号")
    assert ("轻薄白鸭绒羽绒服", "藏青", "XL", 1) in await lines(client)


async def test_a_purchase_said_with_measurements_goes_on_to_the_colour(client: Any) -> None:
    answer = await say(client, "cl-13", "那我要条男士牛仔裤 175 140斤")
    said = texts(answer)
    assert "L码" in said and "什么颜色" in said and "深蓝" in buttons(answer), said


async def test_a_freebie_asked_over_the_jeans_buys_no_socks(client: Any) -> None:
    await say(client, "cl-14", "老板 男士牛仔裤 黑色的 有XL没")
    await say(client, "cl-14", "159有点贵啊 140卖不卖")
    asked = texts(await say(client, "cl-14", "那送双袜子总行吧 就那五双装的"))
    assert "纯棉中筒袜五双装要什么颜色" not in asked and "黑白灰混装" not in asked, asked  # (no socks being sold)
    assert await place(client, "cl-14", "王建军 13703118452 河北省石家庄市长安区建设北大街127号")
    assert [line[0] for line in await lines(client)] == ["男士弹力修身牛仔裤"]


async def test_a_stuck_parcel_is_a_complaint_and_my_order_is_looked_for(client: Any) -> None:
    looked = texts(await say(client, "cl-15", "我的大衣到底什么时候到"))
    assert "订单号" in looked and "16:00前付款当天发货" not in looked, looked
    stuck = await say(client, "cl-15", "8号下的单 今天16号了 物流还是已揽件")
    assert stuck["status"] == "waiting_agent", texts(stuck)


async def test_a_delivery_time_and_a_price_tag_become_notes_and_a_gift_box_asked_for_is_noted(client: Any) -> None:
    await say(client, "cl-16", "姑娘在吗 那个羊毛围巾扎不扎脖子")
    boxed = texts(await say(client, "cl-16", "送人的 送亲家公亲家母 能不能包个礼合"))
    assert "礼盒包装" in boxed, boxed
    await say(client, "cl-16", "红的那个叫酒红是吧 要一条 还要一条藏青的给男的戴")
    assert await place(client, "cl-16", "陈桂芳 13507315520 湖南省长沙市岳麓区麓山南路932号 湖南师大二村14栋3门302")
    noted = texts(await say(client, "cl-16", "价钱签子别放里面啊 送人的不好看"))
    assert "价钱签子别放里面" in noted, noted
    [task] = await tasks(client)
    assert "礼盒包装" in task["notes"] and "价钱签子别放里面" in task["notes"], task["notes"]
    await say(client, "cl-17", "羽绒服 奶白色 XL")
    assert await place(client, "cl-17", "刘洋 18643092275 吉林省长春市朝阳区红旗街道红旗小区3栋2单元501")
    later = texts(await say(client, "cl-17", "白天上班家没人 晚上6点以后再送"))
    assert "6点以后再送" in later and "包邮" not in later, later


async def test_an_address_taken_back_in_the_same_message_and_one_more_item_taken(client: Any) -> None:
    await say(client, "cl-18", "冰丝阔腿裤 黑色 我165 57公斤")
    taken = texts(await say(client, "cl-18", "看写着清仓 是不是快没了 那赶紧要一条"))
    assert "没太明白" not in taken and "地址" in taken, taken
    said = texts(await say(client, "cl-18", "地址 浙江省杭州市余杭区五常街道文一西路998号海创园 不对不对 寄家里 "
                                            "余杭区五常街道西溪里小区7幢1单元602 黄丽 13957112846"))
    assert "浙江省杭州市余杭区五常街道西溪里小区7幢1单元602" in said and "海创园" not in said, said


async def test_a_torn_sleeve_losing_down_is_queued_even_after_a_question_about_quality(client: Any) -> None:
    await say(client, "cl-19", "你们这羽绒服什么质量啊")
    torn = await say(client, "cl-19", "刚拆开袖子这里就一个口子 一抖全是毛")
    assert torn["status"] == "waiting_agent" and "下单" not in texts(torn), texts(torn)


async def test_an_uncle_and_a_child_are_people_of_their_own(client: Any) -> None:
    await say(client, "cl-20", "POLO衫有吗 买两件 我爸跟我叔去三亚过年穿")
    sized = texts(await say(client, "cl-20", "我爸172 132斤 我叔168 120斤"))
    assert "叔" in sized and "您自己" not in sized, sized
    both = texts(await say(client, "cl-20", "爸爸藏青，叔叔灰色"))
    assert "冰丝短袖POLO衫 藏青 L ×1" in both and "冰丝短袖POLO衫 灰色 M ×1" in both, both
    await say(client, "cl-21", "小白鞋给全家买 三双")
    asked = texts(await say(client, "cl-21", "按脚长对应的码就行"))
    assert "脚长" in asked and "同事" not in asked, asked
    await say(client, "cl-21", "娃脚长量了是24.2  我23.3  我老公26.2")
    three = texts(await say(client, "cl-21", "娃和我要白的 老公要黑的 他说白的不耐脏"))
    assert "白色 39 ×1" in three and "白色 37 ×1" in three and "黑色 43 ×1" in three, three


async def test_the_last_words_taking_one_buy_it_and_a_no_does_not(client: Any) -> None:
    await say(client, "cl-22", "冰丝阔腿裤 黑色 L")
    taken = texts(await say(client, "cl-22", "是不是快没了 那赶紧要一条"))
    assert "没太明白" not in taken and "地址" in taken, taken
    await say(client, "cl-23", "冰丝阔腿裤 黑色 L")
    refused = await say(client, "cl-23", "算了 不要一条")
    assert "地址" not in texts(refused), texts(refused)
