"""What the seventeenth session's held-back sets found (BG: Traditional and Cantonese writers, voice input, people
who correct themselves; BH: a busy fortnight before a holiday): a correction right after ordering ("不对 是M",
"等等 唔係 一件白一件黑", "ok 咁灰色啦") changes the order — one line split into one of each, stock taken, the
count kept; a size bought before ("我上次买S勒死了") is not chosen; voice input's slips ("黑射的", a phone said in
words, "邮到…"); "我M 他XL（你们说的就行）" is an answer, not a complaint; a packing note asked as a question
("能不能不放价签") goes on the order. Each on both databases through the REST API, checking the reply and the order
the warehouse gets (``GET /api/shipping``)."""

from __future__ import annotations

from typing import Any

from tests.bot.rest import order_lines as lines
from tests.bot.rest import place, say, tasks, texts

ADDRESS = "陳浩然 13926581473 廣東省深圳市南山區科苑路15號科興科學園B棟1203"


async def test_one_of_each_colour_right_after_ordering_two_splits_the_line(client: Any) -> None:
    await say(client, "mc-1", "纯棉T恤 L 两件白色")
    assert await place(client, "mc-1", ADDRESS, yes="係呀 冇問題")
    split = texts(await say(client, "mc-1", "等等 唔係 一件白一件黑 😂"))
    assert "白色 L" in split and "黑色 L" in split and "118元" in split, split
    assert sorted(await lines(client)) == [("纯棉圆领短袖T恤", "白色", "L", 1), ("纯棉圆领短袖T恤", "黑色", "L", 1)]
    count = texts(await say(client, "mc-1", "两件"))
    assert "一共2件" in count and "改好" not in count, count
    done = texts(await say(client, "mc-1", "改好了吗"))
    assert "加上了纯棉圆领短袖T恤 黑色 L" in done, done  # (what was changed is told whole: the line added too)


async def test_one_of_each_after_a_colour_turned_down_is_the_order(client: Any) -> None:
    await say(client, "mc-2", "羊毛围巾 酒红 两条")
    assert await place(client, "mc-2", ADDRESS)
    await say(client, "mc-2", "算了 公公戴酒红怪怪的 一条酒红一条灰色")
    assert sorted(await lines(client)) == [("羊毛针织围巾", "灰色", "均码", 1), ("羊毛针织围巾", "酒红", "均码", 1)]


async def test_a_correction_right_after_ordering_changes_it_and_a_size_bought_before_is_not_chosen(
    client: Any,
) -> None:
    await say(client, "mc-3", "高腰直筒牛仔裤 黑色S")
    assert await place(client, "mc-3", ADDRESS, yes="对 快点发哈")
    fixed = texts(await say(client, "mc-3", "不对 是M 我上次买S勒死了"))
    assert "尺码改为M" in fixed, fixed
    assert await lines(client) == [("高腰直筒牛仔裤", "黑色", "M", 1)], "one line, changed — not a second one"
    await say(client, "mc-3", "算了换个颜色 深蓝吧 黑的我有了")
    assert await lines(client) == [("高腰直筒牛仔裤", "深蓝", "M", 1)]


async def test_then_this_colour_after_asking_about_the_ordered_one_changes_that_line_only(client: Any) -> None:
    await say(client, "mc-4", "缎面衬衫 黑色 M 另外阔腿裤都要一条 杏色M")
    assert await place(client, "mc-4", ADDRESS, yes="ok 啱")
    await say(client, "mc-4", "杏色透唔透 😅")
    changed = texts(await say(client, "mc-4", "ok 咁灰色啦 同樣M"))
    assert "灰色" in changed and "改" in changed, changed
    assert sorted(await lines(client)) == [("冰丝垂感阔腿裤", "灰色", "M", 1), ("缎面垂感长袖衬衫", "黑色", "M", 1)]


async def test_another_item_also_wanted_keeps_the_one_chosen_before(client: Any) -> None:
    await say(client, "mc-5", "缎面衬衫")
    await say(client, "mc-5", "咁算啦 要黑色 我161 52kg")
    both = texts(await say(client, "mc-5", "另外阔腿裤都要一条 杏色"))
    assert "收货人" in both or "地址" in both, both
    assert await place(client, "mc-5", ADDRESS)
    assert sorted(await lines(client)) == [("冰丝垂感阔腿裤", "杏色", "M", 1), ("缎面垂感长袖衬衫", "黑色", "M", 1)]


async def test_voice_input_a_colour_slip_a_rain_question_and_a_phone_said_in_words(client: Any) -> None:
    await say(client, "mc-6", "我看你们这个羽绒服挺轻的")
    await say(client, "mc-6", "我一米七二体重一百三十斤穿几号的")
    chosen = texts(await say(client, "mc-6", "要黑射的就是黑色啊不要那个奶白的不禁脏"))
    assert "奶白" not in chosen, chosen
    rain = await say(client, "mc-6", "这玩意下雨能穿不能穿防水不防水")
    assert "防泼水" in texts(rain) and rain["status"] == "bot" and "遇到问题" not in texts(rain), texts(rain)
    readback = texts(await say(
        client, "mc-6", "邮到北京市朝阳区劲松南路八号院三号楼四门五零二赵建国手机一八六一一七二三零九五"))
    assert "18611723095" in readback and "邮到" not in readback, readback
    await say(client, "mc-6", "对")
    assert await lines(client) == [("轻薄白鸭绒羽绒服", "黑色", "L", 1)]


async def test_two_sizes_given_to_the_size_question_are_an_answer_not_a_complaint(client: Any) -> None:
    await say(client, "mc-7", "那个那个你们家睡衣是纯棉的吧我要给我和我老伴一人买一套")
    answer = await say(client, "mc-7", "我M 他XL（你们说的就行）")
    assert answer["status"] == "bot" and "颜色" in texts(answer), texts(answer)
    await say(client, "mc-7", "我要浅分的他要浅灰的")
    assert await place(client, "mc-7", "李桂兰 15987623410 湖南长沙岳麓区麓山南路28号湖南大学家属区7栋402")
    assert sorted(await lines(client)) == [("纯棉长袖睡衣套装", "浅灰", "XL", 1), ("纯棉长袖睡衣套装", "浅粉", "M", 1)]


async def test_a_packing_note_asked_as_a_question_after_ordering_goes_on_the_order(client: Any) -> None:
    await say(client, "mc-8", "牛津纺衬衫 浅蓝XL")
    assert await place(client, "mc-8", "许晴 13580427761 广东省广州市天河区天河北路233号中信广场2806")
    noted = texts(await say(client, "mc-8", "能不能不放价签 送人的"))
    assert "不放价签" in noted, noted
    [task] = await tasks(client)
    assert "不放价签" in (task.get("notes") or ""), task
    same = texts(await say(client, "mc-8", "收货人写我 许晴 13580427761 广州天河区天河北路233号中信广场2806"))
    assert "就是寄到这个地址" in same, same


async def test_the_usual_size_beside_the_measurements_and_a_sweater_underneath_is_advised_one_up(client: Any) -> None:
    await say(client, "mc-9", "男士那个牛津纺衬衫 要熨吗")
    advice = texts(await say(client, "mc-9", "emmm他172 66kg 平时穿L 但他冬天喜欢里面套个毛衣"))
    assert "XL码" in advice and advice.count("建议") <= 2, advice
    await say(client, "mc-9", "浅蓝的")
    assert await place(client, "mc-9", "许晴 13580427761 广东省广州市天河区天河北路233号中信广场2806")
    assert await lines(client) == [("男士牛津纺长袖衬衫", "浅蓝", "XL", 1)]


async def test_a_pack_of_socks_added_in_cantonese_joins_the_order(client: Any) -> None:
    await say(client, "mc-10", "小白鞋 米白色啦 白色好易污糟 39")
    assert await place(client, "mc-10", "何嘉欣 13715520948 廣東省深圳市福田區福華三路88號時代財富大廈1506", yes="啱晒 唔該")
    assert await lines(client) == [("经典帆布小白鞋", "米白色", "39", 1)]
    joined = texts(await say(client, "mc-10", "咁加埋一包襪 全白嗰款"))
    assert "纯棉中筒袜五双装" in joined, joined
    await say(client, "mc-10", "好")
    assert sorted(await lines(client)) == [("纯棉中筒袜五双装", "全白", "均码", 1), ("经典帆布小白鞋", "米白色", "39", 1)]


async def test_another_item_for_mum_after_ordering_joins_the_order_and_the_address_again_keeps_the_read_back(
    client: Any,
) -> None:
    await say(client, "mc-11", "羊毛毛衣 藏青 L")
    assert await place(client, "mc-11", "朱晓燕 13980652217 四川省成都市武侯区玉林南路15号3栋2单元602")
    joined = texts(await say(client, "mc-11", "还有那个围巾 给我妈的 酒红色那个 能不能装礼盒啊 送人的"))
    assert "礼盒" in joined and "羊毛针织围巾 酒红" in joined, joined
    again = texts(await say(client, "mc-11", "地址 朱晓燕 13980652217 四川省成都市武侯区玉林南路15号3栋2单元602"))
    assert "确认无误" in again or "地址就是这个" in again, again
    await say(client, "mc-11", "对")
    assert await lines(client) == [("羊毛混纺圆领毛衣", "藏青", "L", 1), ("羊毛针织围巾", "酒红", "均码", 1)]
    [task] = await tasks(client)
    assert "礼盒" in (task.get("notes") or ""), task


async def test_a_son_measured_by_his_mother_is_the_sons_size_and_his_colour_is_his(client: Any) -> None:
    unisex = texts(await say(client, "mc-12", "你好，帆布小白鞋男孩子能穿吗？"))
    assert "男女同款" in unisex, unisex
    sizes = texts(await say(client, "mc-12", "儿子脚长我量了是26.2厘米，我自己23.6左右。"))
    assert "儿子" in sizes and "43码" in sizes and "38码" in sizes, sizes
    await say(client, "mc-12", "儿子要黑色的，白的他两天就穿黑了😂 我要米白色。")
    assert await place(client, "mc-12", "赵敏 18951765320 江苏省南京市鼓楼区汉中门大街301号清凉门小区7栋2单元401")
    assert await lines(client) == [("经典帆布小白鞋", "米白色", "38", 1), ("经典帆布小白鞋", "黑色", "43", 1)]


async def test_both_in_s_is_a_size_for_each_item_and_checked_for_each(client: Any) -> None:
    await say(client, "mc-13", "百褶裙 卡其S")
    assert await place(client, "mc-13", "何蕾 13923784615 广东省佛山市南海区桂城街道南海大道北68号保利大厦B座1607", yes="嗯")
    await say(client, "mc-13", "条纹长袖那个也要 藏青条的")
    await say(client, "mc-13", "两件都S")
    await say(client, "mc-13", "嗯")
    assert await lines(client) == [("法式条纹长袖T恤", "白底藏青条", "S", 1), ("高腰百褶半身裙", "卡其", "S", 1)]
    checked = texts(await say(client, "mc-13", "155 90斤 都S对吧"))
    assert "高腰百褶半身裙" in checked and "法式条纹长袖T恤" in checked and "没太明白" not in checked, checked


async def test_a_colour_turned_down_is_not_bought_and_a_worn_out_pair_is_no_complaint(client: Any) -> None:
    await say(client, "mc-14", "碎花裙 我160 96斤")
    await say(client, "mc-14", "黄色碎花！！蓝的室友买了哈哈")
    assert await place(client, "mc-14", "吴佳琪 17788456320 广东省广州市番禺区外环西路230号广州大学生活区B5栋")
    assert await lines(client) == [("碎花雪纺连衣裙", "黄色碎花", "M", 1)]
    timing = await say(client, "mc-14", "我们12号就飞了 能赶上吗")
    assert "发货" in texts(timing) and "优惠" not in texts(timing), texts(timing)
    more = await say(client, "mc-14", "再加一包袜子 全黑 他袜子老破洞")
    assert more["status"] == "bot" and "抱歉" not in texts(more), texts(more)


async def test_the_same_two_colours_said_again_with_one_turned_down_are_the_order_not_a_third(client: Any) -> None:
    await say(client, "mc-15", "polo M 灰色和藏青")
    assert await place(client, "mc-15", "韩德明 13311862057 山东省济南市历下区解放路112号历山花园3号楼1单元202")
    same = texts(await say(client, "mc-15", "灰色 藏青 各来一件 他不穿白的"))
    assert "已经在订单" in same, same
    wash = texts(await say(client, "mc-15", "能机洗吧 我奶奶洗衣服都是往洗衣机里一扔"))
    assert "机洗" in wash, wash
    await say(client, "mc-15", "寄老家 收件人 韩德明 13311862057 山东省济南市历下区解放路112号历山花园3号楼1单元202 "
                               "老人耳背 快递员多打两次电话")
    assert await lines(client) == [("冰丝短袖POLO衫", "灰色", "M", 1), ("冰丝短袖POLO衫", "藏青", "M", 1)]
    [task] = await tasks(client)
    assert "多打两次电话" in (task.get("notes") or ""), task


async def test_one_colour_liked_but_feared_then_the_other_settled_on_is_the_one_bought(client: Any) -> None:
    await say(client, "mc-16", "羽绒服 168 120斤 什么码 pls")
    await say(client, "mc-16", "奶白色好看但怕脏... 还是黑色吧")
    assert await place(client, "mc-16", "宋雅 18917734209 上海市静安区南京西路1266号恒隆广场2座35楼")
    assert await lines(client) == [("轻薄白鸭绒羽绒服", "黑色", "M", 1)]
