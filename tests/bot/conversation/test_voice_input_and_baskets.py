"""What the nineteenth session mended from its left-over list and its held-back set BK (a December weekend:
voice input with numbers as words, grandparents, students on a budget, the basket kept while the next item is
talked about): each through the REST API on both databases, checking what the shopper reads and what the
warehouse gets."""

from __future__ import annotations

from typing import Any

from tests.bot.rest import order_lines as lines
from tests.bot.rest import place, say, tasks, texts

ADDRESS = "赵磊 18611407723 北京市海淀区西北旺东路10号院 中关村软件园二期东区14号楼"


async def test_an_item_chosen_before_stays_when_the_next_is_ordered_with_also(client: Any) -> None:
    await say(client, "vb-1", "缎面衬衫还有吗 页面好像快没了")
    await say(client, "vb-1", "那我换黑色 我160 50 M可以吗")
    await say(client, "vb-1", "配那个阔腿裤好看不 阔腿裤是不是也快没了")
    both = texts(await say(client, "vb-1", "阔腿裤也要黑色 也M"))
    assert "缎面垂感长袖衬衫 黑色 M ×1" in both and "冰丝垂感阔腿裤 黑色 M ×1" in both, both
    assert await place(client, "vb-1", ADDRESS)
    assert sorted(await lines(client)) == sorted([("冰丝垂感阔腿裤", "黑色", "M", 1), ("缎面垂感长袖衬衫", "黑色", "M", 1)])


async def test_socks_ordered_while_the_address_is_asked_for_the_tee_go_beside_it(client: Any) -> None:
    await say(client, "vb-2", "白T")
    await say(client, "vb-2", "180 75 啥码")
    added = texts(await say(client, "vb-2", "袜子 全黑 两包"))
    assert "纯棉圆领短袖T恤 白色 XL ×1" in added and "纯棉中筒袜五双装 全黑 均码 ×2" in added, added
    fee = texts(await say(client, "vb-2", "包邮不"))
    assert "117元" in fee and "还没到" not in fee, fee  # (the order's fee, not the socks' alone)
    await say(client, "vb-2", "再加一包全白")
    await say(client, "vb-2", "不对 全黑改一包 全白两包")
    assert await place(client, "vb-2", ADDRESS)
    assert sorted(await lines(client)) == sorted([("纯棉中筒袜五双装", "全白", "均码", 2), ("纯棉中筒袜五双装", "全黑", "均码", 1),
                                   ("纯棉圆领短袖T恤", "白色", "XL", 1)])


async def test_a_colours_count_is_shared_out_among_the_sizes_after_it(client: Any) -> None:
    await say(client, "vb-3", "你好！我们宿舍想一起买百褶裙 三条")
    await say(client, "vb-3", "我152 43kg要黑色；小婷160 50kg要卡其；阿敏165 57kg要雾霾蓝")
    await say(client, "vb-3", "等下 小婷说卡其显黑 她也要黑色")
    said = texts(await say(client, "vb-3", "所以是 黑色两条(我S 她M) 雾霾蓝一条L 对吧"))
    assert "黑色 S ×1" in said and "黑色 M ×1" in said and "雾霾蓝 L ×1" in said, said
    assert await place(client, "vb-3", "何佳怡 13725590418 湖北省武汉市洪山区珞喻路1037号华中科技大学韵苑学生公寓22栋")
    assert sorted(await lines(client)) == sorted([("高腰百褶半身裙", "雾霾蓝", "L", 1), ("高腰百褶半身裙", "黑色", "M", 1),
                                   ("高腰百褶半身裙", "黑色", "S", 1)])


async def test_no_size_up_when_told_not_to_and_a_remark_is_no_complaint(client: Any) -> None:
    await say(client, "vb-4", "哥们儿 问下那个轻薄羽绒服 哈尔滨现在还零下十几度 够不够使")
    remark = await say(client, "vb-4", "哦 那里面套毛衣应该行 老爷子就开春穿穿")
    assert "遇到问题" not in texts(remark) and remark["status"] == "bot", texts(remark)
    sized = texts(await say(client, "vb-4", "他173 140斤 拿啥码 里面就穿个薄毛衣 码不用放大"))
    assert "L码" in sized and "XL" not in sized, sized


async def test_numbers_said_by_voice_size_the_shoes_and_reach_the_order(client: Any) -> None:
    opening = await say(client, "vb-5", "你好 我给我外孙买双鞋子 小白鞋 他说同学都穿这个")
    assert "遇到问题" not in texts(opening) and "小白鞋" in texts(opening), texts(opening)
    foot = texts(await say(client, "vb-5", "他脚我拿尺子量了二十五点三公分 穿几码"))
    assert "41码" in foot, foot
    up = texts(await say(client, "vb-5", "他脚背有点高 这个要不要大一码"))
    assert "42码" in up, up
    await say(client, "vb-5", "白色的 再给他配几双袜子也要白的")
    shoes = texts(await say(client, "vb-5", "那就按你说的拍大一码 四十二"))
    assert "小白鞋 白色 42" in shoes and "没有写" not in shoes and "身高" not in shoes, shoes
    assert await place(client, "vb-5", "孙建国 电话一三九零七六五二二八一 湖北省宜昌市西陵区夷陵大道一百零二号电力小区五栋二单元三楼")
    assert sorted(await lines(client)) == sorted([("经典帆布小白鞋", "白色", "42", 1), ("纯棉中筒袜五双装", "全白", "均码", 1)])
    [task] = await tasks(client)
    assert task["phone"] == "13907652281", task  # (the phone said in words)


async def test_topping_up_keeps_the_tee_and_a_locker_address_is_no_odd_note(client: Any) -> None:
    await say(client, "vb-6", "在吗 白t多少钱")
    coupon = texts(await say(client, "vb-6", "59啊😭 隔壁那家才39 有券吗 学生党求优惠"))
    assert "满59" in coupon, coupon  # (when the coupon applies: the tee alone is 59)
    size = texts(await say(client, "vb-6", "行吧 那我凑个单 帽子那个49的 要黑色"))
    assert "T恤" in size and "码" in size, size  # the tee is still bought: its size is asked
    readback = texts(await say(client, "vb-6", "陈思雨 17752318846 江苏省南京市栖霞区文苑路1号南京师范大学仙林校区南苑12栋快递柜"))
    assert "2栋快递柜" not in readback.replace("12栋快递柜", ""), readback
    await say(client, "vb-6", "M")
    await say(client, "vb-6", "对 没问题 快点发哈")
    assert sorted(await lines(client)) == sorted([("纯棉圆领短袖T恤", "白色", "M", 1), ("纯棉软顶棒球帽", "黑色", "均码", 1)])
    after = texts(await say(client, "vb-6", "t要白色 168 55kg 穿啥码 宿舍有暖气里面穿的"))
    assert "M码" in after and "改为" not in after, after
    assert sorted(await lines(client)) == sorted([("纯棉圆领短袖T恤", "白色", "M", 1), ("纯棉软顶棒球帽", "黑色", "均码", 1)])


async def test_a_quality_asked_after_ordering_with_a_story_from_before_is_answered(client: Any) -> None:
    await say(client, "vb-7", "你好啊我想给我和我们家老头子买睡衣纯棉的那个有没有")
    await say(client, "vb-7", "我一米五五一百一十斤 他一米六八一百二十斤 你给我们选个码吧我也看不懂那个表")
    await say(client, "vb-7", "我浅粉 他浅灰")
    assert await place(client, "vb-7", "孙秀珍 13945187260 黑龙江省齐齐哈尔市龙沙区卜奎大街中环小区12号楼4单元201")
    shrink = await say(client, "vb-7", "洗了缩不缩水 上回买的一洗就短了一截")
    assert "回缩" in texts(shrink) and shrink["status"] == "bot", texts(shrink)
    again = await say(client, "vb-7", "那我要个粉的他要个灰的 行就这么的")
    assert again["status"] == "bot" and "订单" in texts(again), texts(again)
    assert sorted(await lines(client)) == sorted([("纯棉长袖睡衣套装", "浅灰", "L", 1), ("纯棉长袖睡衣套装", "浅粉", "M", 1)])


async def test_a_thought_withdrawn_after_ordering_places_nothing_more(client: Any) -> None:
    await say(client, "vb-8", "你好 冰丝POLO现在还有吗")
    await say(client, "vb-8", "他一米七 一百三十斤")
    await say(client, "vb-8", "藏青和灰色各一件")
    assert await place(client, "vb-8", "郑国华 13876503192 海南省三亚市吉阳区迎宾路碧海蓝天小区2栋1204", yes="对的 两件L")
    white = texts(await say(client, "vb-8", "白色透吗 要不要也来件白的 算了 就两件"))
    assert "微透" in white and "核对" not in white, white
    await say(client, "vb-8", "对的 两件L")
    assert sorted(await lines(client)) == sorted([("冰丝短袖POLO衫", "灰色", "L", 1), ("冰丝短袖POLO衫", "藏青", "L", 1)])


async def test_two_colours_of_the_item_ordered_compared_is_no_call_for_gifts(client: Any) -> None:
    await say(client, "vb-9", "想送闺蜜生日礼物～条纹那个长袖！")
    await say(client, "vb-9", "M")
    await say(client, "vb-9", "白底红条")
    assert await place(client, "vb-9", "何雨萱 18270934516 江西省南昌市红谷滩区丰和中大道926号绿地新都会7栋1602")
    compared = texts(await say(client, "vb-9", "白底红条好看还是藏青的好看 她生日在元旦 喜庆点？"))
    assert "白底藏青条" in compared and "白底红条" in compared and "毛衣" not in compared, compared
    await say(client, "vb-9", "就红条吧！")
    assert sorted(await lines(client)) == sorted([("法式条纹长袖T恤", "白底红条", "M", 1)])


async def test_plain_questions_while_waiting_for_a_person_are_answered(client: Any) -> None:
    await say(client, "vb-10", "转人工")
    kids = await say(client, "vb-10", "就是问下你们有没有小孩衣服 我外孙女五岁")
    assert "童装" in texts(kids) and "T恤" not in texts(kids), texts(kids)
    smallest = texts(await say(client, "vb-10", "没有啊 那你们最小的码小孩能穿不"))
    assert "童装" in smallest or "小朋友" in smallest, smallest
    bye = texts(await say(client, "vb-10", "好吧 那不买了"))
    assert "下单哪一款" not in bye, bye


async def test_asking_to_ask_and_asking_if_it_is_a_person_are_no_complaints(client: Any) -> None:
    await say(client, "vb-11", "在吗")
    ask = await say(client, "vb-11", "问个事")
    assert ask["status"] == "bot" and "对不起" not in texts(ask), texts(ask)
    await say(client, "vb-12", "小姑娘你好啊今天我们这下雪了你们那边下没下")
    await say(client, "vb-12", "我就是看看孙子给我装的这个软件我不太会用")
    robot = await say(client, "vb-12", "你是真人还是机器啊")
    assert "智能" in texts(robot) and robot["status"] == "bot", texts(robot)
    bye = await say(client, "vb-12", "好好好那祝你们新年快乐生意兴隆")
    assert bye["status"] == "bot" and "转给专人" not in texts(bye), texts(bye)


async def test_one_size_scarf_is_not_asked_a_size_and_baoyou_by_voice_is_understood(client: Any) -> None:
    opening = texts(await say(client, "vb-13", "喂你好 我想给我孙子买条围巾他在北京上大学那边冷得很"))
    assert "穿什么码" not in opening, opening
    fee = texts(await say(client, "vb-13", "多少钱一条啊两条包不包油"))
    assert "包邮" in fee and "没太明白" not in fee, fee


async def test_a_torn_sleeve_losing_down_told_after_the_check_reaches_a_person(client: Any) -> None:
    await say(client, "vb-14", "你们家羽绒服怎么回事")
    torn = await say(client, "vb-14", "刚拆开 左边袖子有个口子 一拍就往外冒毛")
    assert torn["status"] == "waiting_agent" and "挑衣服" not in texts(torn), texts(torn)


async def test_where_to_send_it_while_two_items_are_chosen_gets_the_orders_fee(client: Any) -> None:
    await say(client, "vb-15", "轻薄羽绒服 他173 140斤 拿啥码")
    await say(client, "vb-15", "黑色吧 老头就稀罕黑的")
    await say(client, "vb-15", "再整条围巾 藏青的")
    where = texts(await say(client, "vb-15", "寄哈尔滨啊 别寄上海"))
    assert "还没到" not in where and "羊毛针织围巾是69元" not in where, where  # (the order ships free, not the scarf)


async def test_haggling_over_the_item_just_ordered_claims_no_coupon_for_it(client: Any) -> None:
    await say(client, "vb-16", "百褶裙 M 黑色")
    assert await place(client, "vb-16", "林晓彤 15168240397 浙江省杭州市西湖区留和路288号浙江科技大学西和公寓5号楼")
    await say(client, "vb-16", "160 50kg M还是S")
    haggled = texts(await say(client, "vb-16", "有没有学生证优惠 没有就算了"))
    assert "优惠券" not in haggled and "下好了" in haggled, haggled
