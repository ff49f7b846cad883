"""What three fresh sets of shoppers (E, F and D of 2026-12-07) wrote and the bot misread, on both databases: a
worry typed by voice (会不会头 for 会不会透) or in Cantonese (落雨天会唔会跣); a change of colour right after
ordering, with a sold-out item seen before; colleagues' sizes with one called 经理; three sizes ordered beside an
invoice question; a received item named with nothing said wrong yet; a refund asked after a cancel mentioned the
message before; "对 两件" to adding one to an order of one; "我再逛逛". Each checks what the customer would notice:
the reply, the chat's status and the order the warehouse gets (``GET /api/shipping``)."""

from __future__ import annotations

from typing import Any

from tests.bot.rest import order_lines as lines
from tests.bot.rest import place as placed
from tests.bot.rest import say, texts

ADDRESS = "孟浩然 15045812763 黑龙江省哈尔滨市南岗区西大直街92号"


async def place(client: Any, customer: str) -> str:
    return await placed(client, customer, ADDRESS)


async def test_a_see_through_worry_typed_by_voice_is_answered_from_the_catalogue(client: Any) -> None:
    await say(client, "hr-1", "纯棉圆领短袖T恤")
    answer = await say(client, "hr-1", "白色的会不会头啊 他夏天就穿一件")
    assert "透" in texts(answer) and "包退包换" not in texts(answer), texts(answer)


async def test_a_cantonese_worry_about_slipping_in_the_rain_is_answered(client: Any) -> None:
    await say(client, "hr-2", "小白鞋有冇米白色")
    answer = await say(client, "hr-2", "落雨天会唔会跣㗎")
    assert "防滑" in texts(answer) and "包退包换" not in texts(answer), texts(answer)


async def test_a_colour_changed_right_after_ordering_changes_the_order_not_the_sold_out_item(client: Any) -> None:
    await say(client, "hr-3", "加绒卫衣灰色还有吗")
    await say(client, "hr-3", "啊没了啊 那羽绒服呢")
    await say(client, "hr-3", "奶白色L吧")
    await place(client, "hr-3")
    changed = await say(client, "hr-3", "算了奶白容易脏 换黑色 L 一件")
    assert "卖完" not in texts(changed) and "黑色" in texts(changed), texts(changed)
    assert await lines(client) == [("轻薄白鸭绒羽绒服", "黑色", "L", 1)]


async def test_colleagues_sizes_and_three_sizes_ordered_beside_an_invoice_question(client: Any) -> None:
    await say(client, "hr-4", "您好，想给同事统一订冰丝POLO衫，藏青色，三个人")
    sizes = await say(client, "hr-4", "小李172cm 66kg，老张178 74kg，王经理183 85kg，分别什么码？")
    assert sizes["status"] == "bot" and "王经理" in texts(sizes) and "XXL码" in texts(sizes), texts(sizes)
    both = await say(client, "hr-4", "好的，那就L、XL、XXL各一件。可以开发票吗？公司报销要用")
    assert "电子普通发票" in texts(both) and "地址" in texts(both), texts(both)
    await place(client, "hr-4")
    assert await lines(client) == [("冰丝短袖POLO衫", "藏青", "L", 1), ("冰丝短袖POLO衫", "藏青", "XL", 1),
                                   ("冰丝短袖POLO衫", "藏青", "XXL", 1)]


async def test_an_item_received_with_nothing_said_wrong_is_asked_about_and_a_no_fault_return_is_served(
    client: Any,
) -> None:
    named = await say(client, "hr-5", "你好 我前天收到的百褶裙 卡其色M")
    assert named["status"] == "bot" and "问题" in texts(named), texts(named)
    wish = await say(client, "hr-5", "上身感觉不太适合我 想退掉 吊牌都没拆")
    assert wish["status"] == "bot" and "无理由" in texts(wish), texts(wish)
    postage = await say(client, "hr-5", "退货运费是我出还是你们出呀")
    assert "自己承担" in texts(postage) and postage["status"] == "bot", texts(postage)


async def test_a_refund_asked_the_message_after_a_cancel_was_mentioned_gets_its_timing(client: Any) -> None:
    await say(client, "hr-6", "我昨天取消了一个订单，是一件羊毛衫")
    answer = await say(client, "hr-6", "钱退到哪里，多久能到呢？")
    assert "原路" in texts(answer) and "1–3个工作日" in texts(answer) and "退货地址" not in texts(answer), texts(answer)


async def test_yes_two_to_adding_one_to_an_order_of_one_adds_one(client: Any) -> None:
    await say(client, "hr-7", "法式条纹长袖T恤 白底藏青条 S 一件")
    await place(client, "hr-7")
    await say(client, "hr-7", "等下 再加一件白底红条的 也是S 两件一起发")
    done = await say(client, "hr-7", "对 两件 没问题了")
    assert "加好" in texts(done), texts(done)
    assert await lines(client) == [("法式条纹长袖T恤", "白底红条", "S", 1), ("法式条纹长袖T恤", "白底藏青条", "S", 1)]


async def test_going_to_look_around_more_is_not_answered_with_the_quality_promise(client: Any) -> None:
    await say(client, "hr-8", "羊绒大衣有几个颜色")
    answer = await say(client, "hr-8", "好的 我再逛逛")
    assert "包退包换" not in texts(answer), texts(answer)


async def test_a_refund_asked_while_a_colleague_looks_for_the_order_to_cancel_gets_its_timing(client: Any) -> None:
    await say(client, "hr-9", "你好我刚刚下了一个单就十分钟之前那个工装裤我拍错了我想取消掉不要了")
    handed = await say(client, "hr-9", "是那个卡其色的XL马的订单尾号七七三九")
    assert handed["status"] == "waiting_agent", texts(handed)
    answer = await say(client, "hr-9", "钱什么时候退回来我是用微信付的")
    assert "原路" in texts(answer) and "1–3个工作日" in texts(answer), texts(answer)
    assert answer["status"] == "waiting_agent", "the cancel still waits for the colleague"


async def test_an_overdue_refund_in_cantonese_goes_to_a_person_and_its_lateness_is_owned(client: Any) -> None:
    await say(client, "hr-10", "我退咗條闊腿褲 你哋上個禮拜一已經簽收咗 到而家都未退錢俾我")
    named = await say(client, "hr-10", "訂單尾號6604 灰色M 係七日無理由退嘅")
    assert named["status"] == "waiting_agent", "the order named by its last digits is the yes: a person takes it"
    late = await say(client, "hr-10", "你哋話1到3個工作日 而家都成個禮拜喇 搞咩啊")
    assert "超过" in texts(late) and "抱歉" in texts(late), texts(late)


async def test_a_late_parcel_told_in_cantonese_is_owned_as_late(client: Any) -> None:
    await say(client, "hr-11", "我上個禮拜三落嘅單 到而家都未收到！")
    await say(client, "hr-11", "單號KF20261130001 你哋快啲查下")
    late = await say(client, "hr-11", "你哋唔係話兩到四日咩？？")
    assert "超过" in texts(late), texts(late)


async def test_a_particular_question_the_details_do_not_answer_is_said_so_not_met_with_a_promise(client: Any) -> None:
    await say(client, "hr-12", "碎花雪纺连衣裙")
    answer = await say(client, "hr-12", "孕妇能穿吗")
    assert "没有写" in texts(answer) and "包退包换" not in texts(answer), texts(answer)
    asked = await say(client, "hr-12", "请同事确认")
    assert asked["status"] == "waiting_agent", texts(asked)


async def test_whether_the_pleats_survive_washing_is_answered_from_the_catalogue(client: Any) -> None:
    await say(client, "hr-13", "高腰百褶半身裙")
    answer = await say(client, "hr-13", "洗了会不会掉褶")
    assert "不掉褶" in texts(answer) and "包退包换" not in texts(answer), texts(answer)


async def test_a_colour_change_that_names_the_old_colour_too_changes_the_order(client: Any) -> None:
    await say(client, "hr-14", "男士弹力修身牛仔裤 黑色L")
    await place(client, "hr-14")
    await say(client, "hr-14", "那就大一码吧 XL")
    changed = await say(client, "hr-14", "颜色也换一下 深蓝 黑的我有好几条了")
    assert changed["status"] == "bot" and "深蓝" in texts(changed), texts(changed)
    assert await lines(client) == [("男士弹力修身牛仔裤", "深蓝", "XL", 1)]


async def test_two_peoples_measurements_colours_and_address_in_one_line_are_the_order(client: Any) -> None:
    readback = await say(client, "hr-15", "纯棉睡衣套装 情侣款 她165 116斤 雾霾蓝 我175 140斤 浅灰 李俊 13857164290 "
                                          "杭州市西湖区文三路477号华星科技大厦对面文三新村12幢 放快递柜")
    assert "核对" in texts(readback) and "放快递柜" in texts(readback), texts(readback)
    await say(client, "hr-15", "确认")
    assert await lines(client) == [("纯棉长袖睡衣套装", "浅灰", "XL", 1), ("纯棉长袖睡衣套装", "雾霾蓝", "L", 1)]


async def test_an_address_change_for_an_order_placed_this_morning_is_not_a_new_sale(client: Any) -> None:
    answer = await say(client, "hr-16", "早上买了条工装裤还没发货吧 想改个地址")
    assert "订单号" in texts(answer) and "哪个码" not in texts(answer), texts(answer)
    again = await say(client, "hr-16", "改到公司 白天家里没人")
    assert "码" not in texts(again) and again["status"] == "waiting_agent", texts(again)


async def test_an_invoice_for_last_weeks_order_goes_to_a_colleague_not_to_a_future_order(client: Any) -> None:
    await say(client, "hr-17", "上周买了两件牛津纺衬衫 需要开发票")
    await say(client, "hr-17", "抬头：成都锦程会展服务有限公司 税号91510107MA6C8Q2R5T")
    handed = await say(client, "hr-17", "发邮箱 fapiao@jinchenghz.com")
    assert "下单后" not in texts(handed) and "同事" in texts(handed), texts(handed)
    assert handed["status"] == "waiting_agent"
    when = await say(client, "hr-17", "大概多久能收到")
    assert "3个工作日" in texts(when) and "中通" not in texts(when), texts(when)


async def test_what_if_the_refund_is_late_asked_ahead_is_not_a_complaint(client: Any) -> None:
    await say(client, "hr-18", "昨天取消了个订单 钱咋还没回来呢")
    ahead = await say(client, "hr-18", "那行 到时候还没到咋整")
    assert ahead["status"] == "bot" and "订单号" in texts(ahead), texts(ahead)


async def test_a_family_order_in_one_long_message_gets_each_item_its_own_size(client: Any) -> None:
    readback = await say(client, "hr-19", "在吗 一次说完哈 我自己要那个高腰直筒牛仔裤浅蓝色 我160 100斤 儿子要纯棉圆领T恤黑色 "
                                          "他172 130斤 老公也要一件圆领T恤燕麦色 他178 150斤 再来一包全白的袜子 地址 周丽娟 "
                                          "13817264590 上海市闵行区七宝镇漕宝路3366弄12号502 放快递柜就行 别打电话")
    assert "核对" in texts(readback) and "放快递柜" in texts(readback), texts(readback)
    await say(client, "hr-19", "对的没问题")
    changed = await say(client, "hr-19", "哦对 袜子要两包")
    assert "数量改为2" in texts(changed), texts(changed)
    again = await say(client, "hr-19", "每样一件 袜子两包")
    assert again["status"] == "bot", texts(again)
    assert await lines(client) == [("纯棉中筒袜五双装", "全白", "均码", 2), ("纯棉圆领短袖T恤", "燕麦色", "XL", 1),
                                   ("纯棉圆领短袖T恤", "黑色", "L", 1), ("高腰直筒牛仔裤", "浅蓝", "M", 1)]


async def test_one_childs_measurements_size_three_items_from_their_own_charts(client: Any) -> None:
    await say(client, "hr-20", "您好 给女儿买 她13岁 152cm 42公斤 脚长22.8 想要条纹长袖T恤白底红条 百褶裙雾霾蓝 还有小白鞋白色")
    await place(client, "hr-20")
    assert await lines(client) == [("法式条纹长袖T恤", "白底红条", "S", 1), ("经典帆布小白鞋", "白色", "36", 1),
                                   ("高腰百褶半身裙", "雾霾蓝", "S", 1)]


async def test_a_colour_switched_with_a_worry_about_the_old_one_changes_the_order(client: Any) -> None:
    await say(client, "hr-21", "条纹长袖那个 白底红条 S 要一件")
    await place(client, "hr-21")
    changed = await say(client, "hr-21", "等下 红条会不会太跳 还是换白底藏青条吧")
    assert "白底藏青条" in texts(changed) and "包退包换" not in texts(changed), texts(changed)
    assert await lines(client) == [("法式条纹长袖T恤", "白底藏青条", "S", 1)]


async def test_a_short_name_after_two_items_were_compared_is_the_one_it_fits(client: Any) -> None:
    await say(client, "hr-22", "工装裤和男士牛仔裤哪个耐穿 学生党预算150")
    await say(client, "hr-22", "168 120斤 穿啥码")
    await say(client, "hr-22", "那就牛仔裤 黑色M")
    await place(client, "hr-22")
    assert await lines(client) == [("男士弹力修身牛仔裤", "黑色", "M", 1)]


async def test_parents_jackets_by_measurement_and_a_scarf_in_one_message_are_three_lines(client: Any) -> None:
    readback = await say(client, "hr-23", "你好，我想给我爸妈买羽绒服。我爸175cm，68公斤，要藏青色；我妈158，50公斤，要奶白色。"
                                          "再加一条酒红色的羊毛围巾给我妈。寄到哈尔滨：王建国 15804516723 "
                                          "黑龙江省哈尔滨市南岗区学府路74号院3单元401")
    assert "核对" in texts(readback) and "围巾" in texts(readback), texts(readback)
    await say(client, "hr-23", "确认")
    assert await lines(client) == [("羊毛针织围巾", "酒红", "均码", 1), ("轻薄白鸭绒羽绒服", "奶白色", "S", 1),
                                   ("轻薄白鸭绒羽绒服", "藏青", "L", 1)]


async def test_yes_these_two_to_adding_one_to_an_order_of_one_is_a_yes(client: Any) -> None:
    await say(client, "hr-24", "高腰百褶半身裙 黑色 M")
    await place(client, "hr-24")
    await say(client, "hr-24", "再来一件条纹长袖T恤 白底藏青条 M")
    done = await say(client, "hr-24", "对 就这两件")
    assert "加好" in texts(done), texts(done)
    assert await lines(client) == [("法式条纹长袖T恤", "白底藏青条", "M", 1), ("高腰百褶半身裙", "黑色", "M", 1)]


async def test_when_a_sold_out_item_comes_back_is_a_question_not_a_complaint(client: Any) -> None:
    await say(client, "hr-25", "加绒卫衣灰色还有吗")
    answer = await say(client, "hr-25", "一件都没有了？啥时候补货")
    assert "补货" in texts(answer) and "遇到问题" not in texts(answer), texts(answer)


async def test_leaving_to_compare_elsewhere_and_a_question_to_the_bot_get_no_quality_promise(client: Any) -> None:
    await say(client, "hr-26", "小白鞋防滑吗")
    compare = await say(client, "hr-26", "我再对比一下别家 谢谢")
    assert "包退包换" not in texts(compare) and "不着急" in texts(compare), texts(compare)
    tired = await say(client, "hr-27", "那你会不会累啊")
    assert "包退包换" not in texts(tired) and "无理由" not in texts(tired), texts(tired)


async def test_the_address_sent_again_with_when_it_comes_gets_the_delivery_time(client: Any) -> None:
    await say(client, "hr-28", "男士牛津纺衬衫 浅蓝 L")
    await place(client, "hr-28")
    answer = await say(client, "hr-28", f"寄哈尔滨几时到呀？地址：{ADDRESS}")
    assert "2–4天" in texts(answer), texts(answer)


async def test_a_personal_invoice_title_given_as_my_name_is_that_name(client: Any) -> None:
    await say(client, "hr-29", "你好 我上周买的羽绒服 能补开发票吗")
    await say(client, "hr-29", "要电子的 个人抬头就行 写我名字 邓凯")
    handed = await say(client, "hr-29", "邮箱 dengkai1990@163.com")
    assert "邓凯" in texts(handed) and "就行" not in texts(handed), texts(handed)


async def test_a_colour_turned_down_with_its_reason_then_the_order_said_again_orders_nothing_new(client: Any) -> None:
    await say(client, "hr-30", "缎面垂感长袖衬衫 黑色 M")
    await place(client, "hr-30")
    again = await say(client, "hr-30", "香槟色还要配肤色内衣有点麻烦，那我要黑色吧，M码，一件。")
    assert "核对" not in texts(again) and "订单" in texts(again), texts(again)
    assert await lines(client) == [("缎面垂感长袖衬衫", "黑色", "M", 1)]


async def test_a_colour_only_weighed_after_ordering_is_not_changed_and_then_chosen_is(client: Any) -> None:
    await say(client, "hr-31", "高腰直筒牛仔裤 黑色 M")
    await place(client, "hr-31")
    await say(client, "hr-31", "那就L吧 颜色我也再想想…黑色是不是更显瘦 浅蓝好看但现在冬天了")
    assert await lines(client) == [("高腰直筒牛仔裤", "黑色", "L", 1)], "weighing 浅蓝 changes nothing"
    kept = await say(client, "hr-31", "算了就黑色 L 不要浅蓝了 就一条哈")
    assert kept["status"] == "bot" and "没理解" not in texts(kept), texts(kept)
    assert await lines(client) == [("高腰直筒牛仔裤", "黑色", "L", 1)]


async def test_a_colour_to_buy_next_year_is_a_question_and_an_invoice_beside_the_order_said_again_is_answered(
    client: Any,
) -> None:
    await say(client, "hr-32", "冰丝POLO衫 黑色 L、XL、XXL各一件")
    await place(client, "hr-32")
    await say(client, "hr-32", "小王172cm 66kg；老李178cm 75kg；张哥183cm 85kg")
    invoice = await say(client, "hr-32", "好的，那就按你说的三个码各一件。可以开发票吗？要公司抬头的")
    assert "电子普通发票" in texts(invoice), texts(invoice)
    later = await say(client, "hr-32", "另外白色会不会透？领导说明年夏天想再买一批白的，先问问")
    assert "透" in texts(later) and "尺码" not in texts(later), texts(later)
    assert await lines(client) == [("冰丝短袖POLO衫", "黑色", "L", 1), ("冰丝短袖POLO衫", "黑色", "XL", 1),
                                   ("冰丝短袖POLO衫", "黑色", "XXL", 1)]


async def test_one_more_item_in_the_same_size_after_an_order_does_not_buy_the_first_again(client: Any) -> None:
    await say(client, "hr-33", "条纹长袖那个 白底红条 S 要一件")
    await place(client, "hr-33")
    await say(client, "hr-33", "等下 红条会不会太跳 还是换白底藏青条吧")
    added = await say(client, "hr-33", "再加一条百褶裙 黑色 同码")
    assert "加到订单" in texts(added) and "法式条纹" not in texts(added).split("新增")[-1].split("合并")[0], texts(added)
    await say(client, "hr-33", "确认")
    assert await lines(client) == [("法式条纹长袖T恤", "白底藏青条", "S", 1), ("高腰百褶半身裙", "黑色", "S", 1)]


async def test_the_colour_turned_down_after_the_one_chosen_is_left_out(client: Any) -> None:
    await say(client, "hr-34", "水洗牛仔夹克 他166 114斤 穿什么码呀")
    await say(client, "hr-34", "那就深蓝M 再看看小白鞋 他脚长25.2厘米 要黑色的 男孩子白的不经脏")
    await place(client, "hr-34")
    assert await lines(client) == [("水洗牛仔夹克", "深蓝", "M", 1), ("经典帆布小白鞋", "黑色", "41", 1)]


async def test_a_pack_of_mixed_socks_is_one_line_and_free_postage_is_no_bag(client: Any) -> None:
    await say(client, "hr-35", "阔腿裤包邮嘛")
    sizes = await say(client, "hr-35", "才89啊 不包邮 那我160 100斤穿啥码 黑色还有吗")
    assert "棒球帽" not in texts(sizes) and "M码" in texts(sizes), texts(sizes)
    await say(client, "hr-35", "黑色M")
    await say(client, "hr-35", "那我加一包袜子 黑白灰的 凑包邮 行了吧")
    await place(client, "hr-35")
    assert await lines(client) == [("冰丝垂感阔腿裤", "黑色", "M", 1), ("纯棉中筒袜五双装", "黑白灰混装", "均码", 1)]


async def test_a_size_exchange_of_an_earlier_purchase_is_no_new_order(client: Any) -> None:
    await say(client, "hr-36", "条纹长袖的 买小了 M换L行不")
    kept = await say(client, "hr-36", "才到两天 没下过水")
    assert kept["status"] == "bot" and "遇到问题" not in texts(kept), texts(kept)
    same = await say(client, "hr-36", "颜色不变 还要白底藏青条")
    assert "收货人姓名" not in texts(same) and "核对" not in texts(same), texts(same)
    assert same["stage"] != "close", "the exchange's colour is no new sale"
