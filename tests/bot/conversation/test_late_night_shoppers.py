"""What the eighteenth session mended from its held-back sets (BI: late-night shoppers, parents, men who know no sizes,
north-eastern and Sichuan words; BJ: minds changed, couples, relatives far away): each through the REST API on both
databases, checking what the shopper reads and the order the warehouse gets."""

from __future__ import annotations

from typing import Any

from tests.bot.rest import order_lines as lines
from tests.bot.rest import place, say, texts

ADDRESS = "孙大勇 15640281193 辽宁省沈阳市铁西区北二中路6号 兴华小区8号楼3单元602"


async def test_two_items_with_their_colours_run_together_are_two_lines(client: Any) -> None:
    await say(client, "ln-1", "你好我想买那个条纹的长袖就是海魂衫那个还有冰丝阔腿裤我160cm50公斤平时穿M")
    await say(client, "ln-1", "条纹要白底藏青那个阔腿裤要黑色要是码偏小你跟我说一下")
    assert await place(client, "ln-1", ADDRESS)
    assert await lines(client) == [("冰丝垂感阔腿裤", "黑色", "M", 1), ("法式条纹长袖T恤", "白底藏青条", "M", 1)]


async def test_mens_of_two_shown_a_weight_said_roughly_and_a_build_that_sizes_up(client: Any) -> None:
    shown = texts(await say(client, "ln-2", "老妹儿 整条牛仔裤"))
    assert "高腰直筒牛仔裤" in shown and "男士弹力修身牛仔裤" in shown, shown
    mens = texts(await say(client, "ln-2", "男的 我自个儿穿"))
    assert "男士弹力修身牛仔裤" in mens and "没太明白" not in mens, mens
    sized = texts(await say(client, "ln-2", "一米七二 一百三十来斤"))
    assert "65kg" in sized and "L码" in sized, sized  # (about 130 斤 is a weight)
    thighs = texts(await say(client, "ln-2", "我腿粗 天天开车 蹲下裆那块贼勒得慌"))
    assert "XL码" in thighs and "包退包换" not in thighs, thighs
    asked = texts(await say(client, "ln-2", "腿粗是不是得大一号"))
    assert "大腿粗的建议拍大一码" in asked, asked
    await say(client, "ln-2", "那就大一号 黑的")  # the XL already one up: not XXL
    assert await place(client, "ln-2", ADDRESS)
    assert await lines(client) == [("男士弹力修身牛仔裤", "黑色", "XL", 1)]


async def test_both_said_in_one_colour_at_the_end_is_each_persons_colour(client: Any) -> None:
    await say(client, "ln-3", "在吗我想买那个牛仔夹克跟女朋友穿情侣的我175一百三十六斤她160一百斤我们各要一件深蓝的")
    await say(client, "ln-3", "等下她说要浅蓝的浅蓝显白那就两件都浅蓝")
    assert await place(client, "ln-3", ADDRESS)
    assert await lines(client) == [("水洗牛仔夹克", "浅蓝", "L", 1), ("水洗牛仔夹克", "浅蓝", "S", 1)]


async def test_this_coat_is_the_coat_through_haggling_and_its_colour_is_no_complaint(client: Any) -> None:
    await say(client, "ln-4", "这大衣咋这老贵呢 699")
    real = texts(await say(client, "ln-4", "羊绒是真的不 别整个假的"))
    assert "50%羊绒" in real and "哪一款" not in real, real
    sized = texts(await say(client, "ln-4", "给我闺女买 一米五八 九十二斤"))
    assert "S码" in sized, sized
    await say(client, "ln-4", "能便宜点不 老妹儿 抹个零呗")
    await say(client, "ln-4", "那送点啥呗 实在不行就算了 反正得买")
    chosen = await say(client, "ln-4", "驼色 就一件 寄上海她那")
    assert chosen["status"] == "bot", texts(chosen)
    assert await place(client, "ln-4", ADDRESS)
    assert await lines(client) == [("双面羊绒大衣", "驼色", "S", 1)]


async def test_a_vague_need_for_a_camping_trip_finds_the_cargo_trousers_and_a_cap(client: Any) -> None:
    camping = texts(await say(client, "ln-5", "周末要去露营 穿啥好"))
    assert "纯棉休闲工装裤" in camping, camping
    again = texts(await say(client, "ln-5", "我也不懂 就是耐脏耐磨 别太正式"))
    assert "纯棉休闲工装裤" in again and "我主要帮您" not in again, again
    trousers = texts(await say(client, "ln-5", "裤子吧 上衣我有 口袋多点的最好 装手机烟啥的"))
    assert "纯棉休闲工装裤" in trousers and "T恤" not in trousers.split("～")[0], trousers
    sized = texts(await say(client, "ln-5", "172 66公斤"))
    assert "L码" in sized and "帮不上忙" not in sized, sized
    await say(client, "ln-5", "卡其的吧 军绿太像当兵的哈哈")  # (the green turned down: not a second pair)
    await say(client, "ln-5", "再来个帽子 挡太阳")
    cap = texts(await say(client, "ln-5", "能调大小吗 我头大"))
    assert "头围54–60cm" in cap, cap
    await say(client, "ln-5", "黑色")
    assert await place(client, "ln-5", ADDRESS)
    assert await lines(client) == [("纯棉休闲工装裤", "卡其", "L", 1), ("纯棉软顶棒球帽", "黑色", "均码", 1)]


async def test_a_tee_washed_with_the_jacket_is_not_the_item_and_the_couples_colours_stand(client: Any) -> None:
    await say(client, "ln-6", "牛仔夹克男女同款是吧 想买情侣的😆")
    await say(client, "ln-6", "我160 50kg 他178 75kg 各穿啥码")
    fading = texts(await say(client, "ln-6", "会掉色吗 他那件肯定要跟白T丢一起洗的🙄"))
    assert "浮色" in fading and "T恤" not in fading, fading
    await say(client, "ln-6", "我浅蓝 他深蓝")
    assert await place(client, "ln-6", ADDRESS)
    assert await lines(client) == [("水洗牛仔夹克", "浅蓝", "S", 1), ("水洗牛仔夹克", "深蓝", "XL", 1)]


async def test_settled_after_all_is_an_order_not_hesitation(client: Any) -> None:
    await say(client, "ln-7", "你好 高腰直筒那个牛仔裤")
    await say(client, "ln-7", "那拿L 哎腰会不会松啊…")
    settled = texts(await say(client, "ln-7", "算了算了 就L 黑色 一条 不改了"))
    assert "慢慢考虑" not in settled, settled
    assert await place(client, "ln-7", ADDRESS)
    assert await lines(client) == [("高腰直筒牛仔裤", "黑色", "L", 1)]


async def test_just_xl_then_is_the_size_and_the_colour_turned_down_is_not_bought(client: Any) -> None:
    await say(client, "ln-8", "男款牛仔裤 修身那个 会不会很紧啊 我腿粗")
    await say(client, "ln-8", "172 66kg")
    chosen = texts(await say(client, "ln-8", "偏小?? 那我直接XL得了"))
    assert "7天内无理由" not in chosen and "颜色" in chosen, chosen
    await say(client, "ln-8", "黑的 别给我整深蓝")
    assert await place(client, "ln-8", ADDRESS)
    assert await lines(client) == [("男士弹力修身牛仔裤", "黑色", "XL", 1)]
