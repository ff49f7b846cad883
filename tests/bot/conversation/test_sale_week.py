"""What the fresh sets of the twelfth session (AP: the 双十二 sale week — families, hagglers, voice input; AQ: people
writing between other things — on a commute, cooking, at work) wrote and the bot misread, with the last kinds left
from AO and AF, on both databases: a colour judged as looking wrong ordered beside the one chosen; two people's foot
lengths; the whole order written out again with "再配"; a call before delivery, or "我和我姐一人一条", taken for a call
for a person; a filling's 白 taken as a colour; one's own line after ordering someone else's taken as a change of
theirs; an answer that tells of nothing wrong queued as a complaint; 深蓝 for 藏青. Each checks what the customer would
notice: the reply, the chat's status and the order the warehouse gets (``GET /api/shipping``).
"""

from __future__ import annotations

from typing import Any

from tests.bot.rest import order_lines as lines
from tests.bot.rest import place as placed
from tests.bot.rest import say, tasks, texts

ADDRESS = "刘慧 13981562047 四川省成都市武侯区玉林南路12号玉林小区6栋2单元501"


async def place(client: Any, customer: str, address: str = ADDRESS) -> str:
    return await placed(client, customer, address)


async def test_a_colour_judged_as_looking_wrong_is_not_ordered(client: Any) -> None:
    await say(client, "sw-1", "你好 给我儿子看毛衣 初三 158 92斤 穿哪个码嘛")
    await say(client, "sw-1", "颜色要藏青的 男娃娃穿酒红怪得很")
    await place(client, "sw-1")
    assert await lines(client) == [("羊毛混纺圆领毛衣", "藏青", "S", 1)]


async def test_two_peoples_foot_lengths_each_size_their_own_pair(client: Any) -> None:
    await say(client, "sw-2", "請問小白鞋是帆布的嗎？")
    sized = await say(client, "sw-2", "我腳長23.7公分 室友24.7公分 各要穿幾號呢")
    assert "38码" in texts(sized) and "40码" in texts(sized) and "身高体重" not in texts(sized), texts(sized)
    await say(client, "sw-2", "我要米白色 她要白色 一人一雙")
    await place(client, "sw-2")
    assert await lines(client) == [("经典帆布小白鞋", "白色", "40", 1), ("经典帆布小白鞋", "米白色", "38", 1)]


async def test_the_whole_order_written_out_again_is_not_bought_twice(client: Any) -> None:
    await say(client, "sw-3", "牛仔夹克 168 116斤 拍哪个码")
    await say(client, "sw-3", "夹克深蓝 再加一顶黑色棒球帽")
    await place(client, "sw-3")
    again = await say(client, "sw-3", "深蓝 M 一件 再配个黑色鸭舌帽")
    assert "已经在订单" in texts(again) and "核对" not in texts(again), texts(again)
    assert await lines(client) == [("水洗牛仔夹克", "深蓝", "M", 1), ("纯棉软顶棒球帽", "黑色", "均码", 1)]


async def test_no_problem_order_after_a_note_about_an_ordered_item_orders_nothing_new(client: Any) -> None:
    await say(client, "sw-4", "纯棉长袖睡衣套装 浅灰XL")
    await place(client, "sw-4")
    await say(client, "sw-4", "那再加一条灰色的羊毛围巾给我爸")
    await say(client, "sw-4", "没问题 下单")
    await say(client, "sw-4", "围巾帮忙装礼盒哦")
    pushed = await say(client, "sw-4", "没问题 下单")
    assert "什么颜色" not in texts(pushed) and "核对" not in texts(pushed), texts(pushed)
    assert await lines(client) == [("纯棉长袖睡衣套装", "浅灰", "XL", 1), ("羊毛针织围巾", "灰色", "均码", 1)]


async def test_a_call_before_delivery_is_a_note_not_a_call_for_a_person(client: Any) -> None:
    await say(client, "sw-5", "圆领毛衣藏青L")
    await place(client, "sw-5")
    noted = await say(client, "sw-5", "送货前给我打个电话家里白天有人")
    assert noted["status"] == "bot" and "备注" in texts(noted), texts(noted)
    assert "打个电话" in str((await tasks(client))[0]["notes"])


async def test_one_each_for_me_and_my_sister_is_no_call_for_a_person(client: Any) -> None:
    await say(client, "sw-6", "阔腿裤是清仓吗 还能再便宜点不")
    each = await say(client, "sw-6", "我和我姐一人一条")
    assert each["status"] == "bot" and "转接" not in texts(each), texts(each)
    await say(client, "sw-6", "我黑色M 160 50kg 她灰色 L 166 58kg")
    await place(client, "sw-6")
    assert await lines(client) == [("冰丝垂感阔腿裤", "灰色", "L", 1), ("冰丝垂感阔腿裤", "黑色", "M", 1)]


async def test_white_duck_down_is_no_colour_chosen(client: Any) -> None:
    asked = await say(client, "sw-7", "你好同志我问一下你们那个轻薄的压绒服是白鸭绒的吗")
    assert "奶白色" not in texts(asked) and "白鸭绒" in texts(asked), texts(asked)


async def test_a_size_said_for_one_of_two_people_measured_leaves_the_other_sized_by_the_chart(client: Any) -> None:
    await say(client, "sw-8", "你好同志我问一下你们那个轻薄的压绒服是白鸭绒的吗")
    await say(client, "sw-8", "我孙女说双十二便宜我给我和我老伴儿一人买一件")
    sized = await say(client, "sw-8", "自己173cm 136斤穿L，老伴158cm 100斤")
    assert "L码" in texts(sized) and "S码" in texts(sized), texts(sized)
    await say(client, "sw-8", "自己藏青，老伴卡其")
    await place(client, "sw-8")
    assert await lines(client) == [("轻薄白鸭绒羽绒服", "卡其", "S", 1), ("轻薄白鸭绒羽绒服", "藏青", "L", 1)]


async def test_ones_own_pair_after_ordering_the_daughters_is_a_second_line(client: Any) -> None:
    await say(client, "sw-9", "女儿要米白的小白鞋 她脚长23.2公分 穿几码")
    await place(client, "sw-9")
    added = await say(client, "sw-9", "我自己要黑色的 脚长26.2 平时穿43")
    assert "加到订单" in texts(added) and "改好了" not in texts(added), texts(added)
    await say(client, "sw-9", "对")
    assert await lines(client) == [("经典帆布小白鞋", "米白色", "37", 1), ("经典帆布小白鞋", "黑色", "43", 1)]


async def test_one_for_dad_after_ordering_is_added_not_a_change_of_the_order(client: Any) -> None:
    await say(client, "sw-10", "白t 黑色L两件")
    await place(client, "sw-10")
    added = await say(client, "sw-10", "不对 白色要XL 给我爸的 他比我壮")
    assert "改好了" not in texts(added), texts(added)
    await say(client, "sw-10", "对")
    assert await lines(client) == [("纯棉圆领短袖T恤", "白色", "XL", 1), ("纯棉圆领短袖T恤", "黑色", "L", 2)]


async def test_not_right_and_another_colour_after_ordering_changes_the_colour(client: Any) -> None:
    await say(client, "sw-11", "高腰直筒牛仔裤 160 50kg 要浅蓝")
    await place(client, "sw-11")
    changed = await say(client, "sw-11", "不对 深蓝 浅蓝我已经有一条了")
    assert "深蓝" in texts(changed) and "排队打包" not in texts(changed), texts(changed)
    assert await lines(client) == [("高腰直筒牛仔裤", "深蓝", "M", 1)]


async def test_an_answer_that_tells_of_nothing_wrong_keeps_the_chat_with_the_bot(client: Any) -> None:
    await say(client, "sw-12", "你好我想问一下那个轻薄的羽绒服老年人穿行不行")
    await say(client, "sw-12", "孙子跑了我去追一下")
    back = await say(client, "sw-12", "回来了就是平时买菜接孙子穿里面还得套毛衣")
    assert back["status"] == "bot" and "抱歉" not in texts(back), texts(back)
    sized = await say(client, "sw-12", "一米七四一百五十二斤")
    assert "XL码" in texts(sized) and "价格" not in texts(sized), texts(sized)


async def test_nothing_bought_and_nothing_wrong_told_is_not_queued(client: Any) -> None:
    await say(client, "sw-13", "你们店啥卖得最好")
    said = await say(client, "sw-13", "我们天天穿护士服 下班就想穿舒服点的")
    assert said["status"] == "bot" and "交代" not in texts(said), texts(said)


async def test_a_fit_given_after_asking_to_exchange_is_the_exchanges_reason(client: Any) -> None:
    await say(client, "sw-14", "牛仔裤小了 能换大一码吗")
    why = await say(client, "sw-14", "L的 大腿那里好紧")
    assert "没太明白" not in texts(why), texts(why)
    tried = await say(client, "sw-14", "就试穿了一下 吊牌还在")
    assert tried["status"] == "bot" and "抱歉" not in texts(tried), texts(tried)


async def test_dark_blue_is_the_navy_of_an_item_made_in_navy(client: Any) -> None:
    await say(client, "sw-15", "哈囉 請問條紋長袖那件 白底深藍條的 會透嗎")
    await say(client, "sw-15", "我155 45公斤 要穿哪個size")
    await say(client, "sw-15", "好喔 那S")
    await place(client, "sw-15", "林佳穎 18621093374 上海市長寧區仙霞路350號 虹橋公寓12樓B")
    assert await lines(client) == [("法式条纹长袖T恤", "白底藏青条", "S", 1)]


async def test_the_boyfriends_pair_after_ordering_hers_is_his_own_order_of_one(client: Any) -> None:
    await say(client, "sw-16", "高腰直筒牛仔裤浅蓝L 我165/56 应该L吧")
    await place(client, "sw-16", "赵思琪 18616270439 上海市徐汇区漕溪北路595弄绿地公寓5号楼1602")
    sized = await say(client, "sw-16", "男朋友要那个男款修身的 黑色 他172 66kg 什么size")
    assert "男士弹力修身牛仔裤" in texts(sized) and "改好了" not in texts(sized), texts(sized)
    chosen = await say(client, "sw-16", "他腿不粗 就L吧")
    assert "祝您" not in texts(chosen), texts(chosen)
    await say(client, "sw-16", "双十二两条一起有优惠吗")
    await say(client, "sw-16", "OK 那就下单 放小区快递柜就行 别送上楼")
    await say(client, "sw-16", "OK 没问题")
    assert await lines(client) == [("男士弹力修身牛仔裤", "黑色", "L", 1), ("高腰直筒牛仔裤", "浅蓝", "L", 1)]


async def test_a_size_for_dad_and_measurements_for_oneself_in_one_message_size_each_line(client: Any) -> None:
    await say(client, "sw-17", "牛津纺衬衫 白色透吗")
    await say(client, "sw-17", "我爸穿 168 120斤 他里面会穿背心")
    await say(client, "sw-17", "那白色M给我爸 我要浅蓝 178 148斤")
    await place(client, "sw-17", "孙浩 15150683247 江苏省南京市鼓楼区汉中门大街301号1栋2203")
    assert await lines(client) == [("男士牛津纺长袖衬衫", "浅蓝", "XL", 1), ("男士牛津纺长袖衬衫", "白色", "M", 1)]


async def test_when_someone_is_in_to_take_the_parcel_is_a_note_on_the_order(client: Any) -> None:
    await say(client, "sw-18", "白t 黑色L两件")
    await place(client, "sw-18")
    noted = await say(client, "sw-18", "只有工作日能收 周末公司没人")
    assert "备注" in texts(noted), texts(noted)
    afternoon = await say(client, "sw-18", "下午送哈 上午屋里冇得人")
    assert "备注" in texts(afternoon), texts(afternoon)
    notes = str((await tasks(client))[0]["notes"])
    assert "工作日" in notes and "下午" in notes, notes


async def test_a_moment_away_with_its_reason_keeps_the_order_waiting(client: Any) -> None:
    await say(client, "sw-19", "白t 黑色L两件")
    for away in ("稍等 开会", "等下 娃哭了", "地铁没信号了 等下发地址", "要上课了，下课再说。"):
        waited = await say(client, "sw-19", away)
        assert waited["status"] == "bot" and "先忙" in texts(waited), (away, texts(waited))
    await place(client, "sw-19")
    assert await lines(client) == [("纯棉圆领短袖T恤", "黑色", "L", 2)]


async def test_an_order_with_a_worry_about_returning_it_goes_on_with_the_terms_said(client: Any) -> None:
    await say(client, "sw-20", "羊绒大衣是真羊绒吗 含量多少")
    await say(client, "sw-20", "行吧 158 96斤 拿哪个码 驼色")
    pushed = await say(client, "sw-20", "下单吧 收到不满意我可要退的")
    assert "无理由退换" in texts(pushed) and "地址" in texts(pushed), texts(pushed)
    await place(client, "sw-20")
    assert await lines(client) == [("双面羊绒大衣", "驼色", "S", 1)]


async def test_a_change_at_the_read_back_with_a_go_ahead_is_placed_as_changed(client: Any) -> None:
    await say(client, "sw-21", "纯棉圆领T恤 白色 M")
    await say(client, "sw-21", "周婧 13816624097 上海市徐汇区漕溪北路398弄5号楼1202室")
    placed_now = await say(client, "sw-21", "地址对 但是数量改成两件 其他没问题可以下")
    assert "订单号" in texts(placed_now), texts(placed_now)
    assert await lines(client) == [("纯棉圆领短袖T恤", "白色", "M", 2)]


async def test_one_lines_count_changed_at_the_read_back_of_two(client: Any) -> None:
    await say(client, "sw-22", "黑色百褶裙S 顺便袜子全白的一包")
    await say(client, "sw-22", "冉小雨 19923071458 重庆市沙坪坝区大学城中路37号 渝州师范学院北区菜鸟驿站")
    await say(client, "sw-22", "袜子改成两包 其他没问题 冲")
    assert await lines(client) == [("纯棉中筒袜五双装", "全白", "均码", 2), ("高腰百褶半身裙", "黑色", "S", 1)]


async def test_the_same_words_sent_again_after_ordering_add_nothing_more(client: Any) -> None:
    await say(client, "sw-23", "冰丝polo衫 灰色 L 一件")
    await say(client, "sw-23", "孙德厚 13573104268 济南市历下区和平路47号 省直宿舍3号楼2单元501")
    go = "地址对 再要一件藏青的 一样大号 就这样下吧"
    await say(client, "sw-23", go)
    again = await say(client, "sw-23", go)
    assert "核对" not in texts(again) and "加到订单" not in texts(again), texts(again)
    assert await lines(client) == [("冰丝短袖POLO衫", "灰色", "L", 1), ("冰丝短袖POLO衫", "藏青", "L", 1)]


async def test_a_yes_in_english_with_thanks_at_the_read_back_places_the_order(client: Any) -> None:
    await say(client, "sw-24", "围巾 妈妈酒红，爸爸藏青")
    await say(client, "sw-24", "孙桂芝 13704518836 黑龙江省哈尔滨市道里区安静街43号红星小区2栋3单元301")
    yes = await say(client, "sw-24", "yes!! 确认 谢谢亲～")
    assert "订单号" in texts(yes), texts(yes)
    assert await lines(client) == [("羊毛针织围巾", "藏青", "均码", 1), ("羊毛针织围巾", "酒红", "均码", 1)]


async def test_dark_blue_said_of_the_jeans_is_not_the_sweaters_navy(client: Any) -> None:
    await say(client, "sw-25", "想给我妹买一件圆领毛衣 M")
    await say(client, "sw-25", "牛仔裤深蓝，毛衣燕麦色")
    await place(client, "sw-25")
    assert ("羊毛混纺圆领毛衣", "燕麦色", "M", 1) in await lines(client)


async def test_asking_for_someone_to_phone_is_still_a_call_for_a_person(client: Any) -> None:
    asked = await say(client, "sw-26", "找个人打电话给我吧 我打字太费劲了")
    assert asked["status"] == "waiting_agent", texts(asked)


async def test_an_added_item_sent_twice_at_the_read_back_is_added_once(client: Any) -> None:
    await say(client, "sw-27", "百褶裙 黑色S")
    await say(client, "sw-27", "冉小雨 19923071458 重庆市沙坪坝区大学城中路37号 渝州师范学院北区菜鸟驿站")
    await say(client, "sw-27", "再加一包全白的袜子")
    again = await say(client, "sw-27", "再加一包全白的袜子")
    assert "还等您确认" in texts(again) and "订单号" not in texts(again), texts(again)
    await say(client, "sw-27", "确认")
    assert await lines(client) == [("纯棉中筒袜五双装", "全白", "均码", 1), ("高腰百褶半身裙", "黑色", "S", 1)]


async def test_one_items_colour_changed_with_a_go_ahead_at_the_read_back_of_two_is_placed(client: Any) -> None:
    await say(client, "sw-28", "工装裤军绿L一条 棒球帽黑色一个 173 132斤 L没问题吧")
    await say(client, "sw-28", "邓宇航 15919847302 广东省深圳市南山区留仙大道3688号 南都职业技术学院7栋楼下快递点")
    placed_now = await say(client, "sw-28", "帽子换成卡其 其他没毛病 下吧")
    assert "订单号" in texts(placed_now), texts(placed_now)
    assert await lines(client) == [("纯棉休闲工装裤", "军绿", "L", 1), ("纯棉软顶棒球帽", "卡其", "均码", 1)]
