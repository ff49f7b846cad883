"""More of what shoppers write, on both databases: a pair of shoes is one; Cantonese size questions; when it comes,
asked beside an order; a colour swapped with its reason; an item swapped for another after ordering; a pack of
socks added to reach free shipping; what can be said while a complaint waits; a no-fault exchange's conditions;
voice-typed names and a colour turned down; two items' sizes at once; a shirt and trousers for a boyfriend; a mother
shopping for her daughter. Each checks what the customer would notice: the reply, the chat's status and the order
the warehouse gets (``GET /api/shipping``)."""

from __future__ import annotations

from typing import Any

from tests.bot.rest import order_lines as lines
from tests.bot.rest import place as placed
from tests.bot.rest import say, texts

ADDRESS = "梁俊熙 13538264017 广东省广州市天河区龙口西路233号龙口花园东座902"




async def place(client: Any, customer: str) -> str:
    return await placed(client, customer, ADDRESS)


async def test_a_pair_of_shoes_each_is_one_and_the_girlfriends_size_comes_from_her_foot(client: Any) -> None:
    await say(client, "sw-1", "嗰對帆布小白鞋有冇黑色㗎")
    size = await say(client, "sw-1", "我平時著42碼 我女朋友腳長23.2cm 佢著幾碼啱啊")
    assert "37码" in texts(size), texts(size)
    order = await say(client, "sw-1", "咁我要一對黑色42 一對白色37 幾時可以到啊")
    assert "2–4天" in texts(order), "when it comes is answered beside the order"
    await place(client, "sw-1")
    assert await lines(client) == [("经典帆布小白鞋", "白色", "37", 1), ("经典帆布小白鞋", "黑色", "42", 1)]


async def test_a_colour_swapped_with_its_reason_is_the_choice(client: Any) -> None:
    await say(client, "sw-2", "水洗牛仔夹克 浅蓝的 M")
    swapped = await say(client, "sw-2", "等下 还是换深蓝吧 浅蓝怕显脏")
    assert "7天" not in texts(swapped), texts(swapped)
    await place(client, "sw-2")
    assert await lines(client) == [("水洗牛仔夹克", "深蓝", "M", 1)]


async def test_an_item_swapped_for_another_after_ordering_joins_the_order(client: Any) -> None:
    await say(client, "sw-3", "纯棉休闲工装裤 军绿 L 再来个棒球帽黑的")
    await place(client, "sw-3")
    swap = await say(client, "sw-3", "帽子算了 家里有 换成袜子吧 全黑的两包")
    assert "去掉" in texts(swap) and "全黑" in texts(swap), texts(swap)
    await say(client, "sw-3", "确认")
    pushed = await say(client, "sw-3", "没问题 下单")
    assert "哪一款" not in texts(pushed), texts(pushed)
    assert await lines(client) == [("纯棉中筒袜五双装", "全黑", "均码", 2), ("纯棉休闲工装裤", "军绿", "L", 1)]


async def test_a_pack_of_socks_added_to_reach_free_shipping_joins_the_order(client: Any) -> None:
    await say(client, "sw-4", "冰丝垂感阔腿裤 黑色 M")
    await place(client, "sw-4")
    added = await say(client, "sw-4", "那加一包袜子 全白的 凑个包邮")
    assert "加到订单" in texts(added) and "118" in texts(added), texts(added)
    await say(client, "sw-4", "确认")
    assert await lines(client) == [("冰丝垂感阔腿裤", "黑色", "M", 1), ("纯棉中筒袜五双装", "全白", "均码", 1)]


async def test_while_a_complaint_waits_what_can_be_said_is_said(client: Any) -> None:
    await say(client, "sw-5", "我的快递到底什么时候到 下单都6天了")
    await say(client, "sw-5", "物流三天没动了 一直在杭州转运中心")
    late = await say(client, "sw-5", "你们说2到4天 现在都快一个礼拜了 买来送人的 后天就要用")
    assert late["status"] == "waiting_agent" and "超过" in texts(late), texts(late)
    await say(client, "sw-6", "我要投诉昨天那个客服 我问鞋码她就回四个字看详情页 然后就不理我了")
    await say(client, "sw-6", "什么态度啊 我是来花钱的 不是来看脸色的")
    size = await say(client, "sw-6", "我脚长24.3 小白鞋到底穿几码 你告诉我")
    assert "39码" in texts(size) and size["status"] == "waiting_agent", texts(size)
    boss = await say(client, "sw-6", "鞋先不说了 你们给我个说法 找个管事的跟我说")
    assert "主管" in texts(boss) or "负责人" in texts(boss), texts(boss)


async def test_a_no_fault_exchange_with_its_conditions_met_is_no_complaint(client: Any) -> None:
    await say(client, "sw-7", "百褶裙收到了 M码腰有点松 能换S吗")
    condition = await say(client, "sw-7", "收到第三天 没洗没穿 吊牌在的")
    assert condition["status"] == "bot" and "抱歉" not in texts(condition), texts(condition)
    postage = await say(client, "sw-7", "换货邮费怎么算啊")
    assert "运费" in texts(postage) and postage["status"] == "bot", texts(postage)


async def test_a_voice_typed_polo_and_a_colour_turned_down(client: Any) -> None:
    first = await say(client, "sw-8", "你好我想给我爸买那个冰丝的破罗衫他夏天上班穿")
    assert "冰丝短袖POLO衫" in texts(first), texts(first)
    await say(client, "sw-8", "他一米七八一百五十斤左右穿多大的码")
    await say(client, "sw-8", "颜色要藏清的就是深蓝色那个白的他嫌透")
    await place(client, "sw-8")
    assert await lines(client) == [("冰丝短袖POLO衫", "藏青", "XL", 1)]


async def test_two_items_sizes_at_once_and_each_colour_by_its_everyday_word(client: Any) -> None:
    sizes = await say(client, "sw-9", "那个百褶裙和条纹长袖t恤 她初二 155 90斤 穿什么码啊")
    assert "高腰百褶半身裙" in texts(sizes) and "法式条纹长袖T恤" in texts(sizes), texts(sizes)
    await say(client, "sw-9", "好 裙子要黑色 t恤要白底藏青条的 都一件")
    await place(client, "sw-9")
    assert await lines(client) == [("法式条纹长袖T恤", "白底藏青条", "S", 1), ("高腰百褶半身裙", "黑色", "S", 1)]


async def test_a_shirt_and_trousers_for_a_boyfriend_keep_both(client: Any) -> None:
    shown = await say(client, "sw-10", "亲亲在吗～想给男朋友买衬衫和裤子")
    assert "男士牛津纺长袖衬衫" in texts(shown) and "男士弹力修身牛仔裤" in texts(shown), texts(shown)
    await say(client, "sw-10", "衬衫浅蓝XL，牛仔裤深蓝XL")
    await place(client, "sw-10")
    assert await lines(client) == [("男士弹力修身牛仔裤", "深蓝", "XL", 1), ("男士牛津纺长袖衬衫", "浅蓝", "XL", 1)]


async def test_shopping_for_a_daughter_with_her_measurements_shows_what_fits(client: Any) -> None:
    answer = await say(client, "sw-11", "你好 给我女儿买衣服 她初二 155 90斤")
    assert "挑了" in texts(answer) and "没太明白" not in texts(answer), texts(answer)


async def test_sizes_asked_for_two_items_buy_only_the_ones_then_chosen(client: Any) -> None:
    await say(client, "sw-12", "高腰直筒牛仔裤浅蓝 + 条纹长袖白底藏青条 我162 100斤 都M可以吗")
    await say(client, "sw-12", "等下 我胯比较宽 裤子还是换L吧")
    both = await say(client, "sw-12", "裤子浅蓝 裙子黑色 M")
    assert "条纹" not in texts(both), texts(both)
    await place(client, "sw-12")
    assert await lines(client) == [("高腰百褶半身裙", "黑色", "M", 1), ("高腰直筒牛仔裤", "浅蓝", "L", 1)]


async def test_answers_while_waiting_for_a_colleague(client: Any) -> None:
    await say(client, "sw-13", "您好，我上周买的轻薄羽绒服，穿了两次就一直往外钻绒，毛衣上全是小白毛")
    await say(client, "sw-13", "而且拉链头也掉了")
    swap = await say(client, "sw-13", "想问下这种情况能换件新的吗？")
    assert "可以换" in texts(swap) or "换新" in texts(swap), texts(swap)
    photo = await say(client, "sw-13", "照片我拍好了，你看发哪里合适？")
    assert "照片" in texts(photo) or "图" in texts(photo), texts(photo)
    scarf = await say(client, "sw-13", "另外顺便问下，围巾有藏青色吗？等这件处理好了再考虑")
    assert "藏青" in texts(scarf) and scarf["status"] == "waiting_agent", texts(scarf)
    await say(client, "sw-14", "我之前退了一条碎花连衣裙 物流显示你们20号就签收了 到今天都一个星期了 退款还没到")
    where = await say(client, "sw-14", "是原路退回支付宝吗 我查了没有")
    assert "原路" in texts(where), texts(where)


async def test_a_change_waiting_for_a_colleague_turned_into_a_cancel_and_whether_it_left(client: Any) -> None:
    await say(client, "sw-15", "刚下的单地址填错了 填成我老家了")
    await say(client, "sw-15", "能改吗 还没发货吧")
    left = await say(client, "sw-15", "应该还没发吧？")
    assert "拦下来" in texts(left), texts(left)
    cancel = await say(client, "sw-15", "不用改了 直接取消吧")
    assert "取消" in texts(cancel) and "考虑" not in texts(cancel), texts(cancel)


async def test_an_exchange_with_its_conditions_new_arrivals_and_the_hours(client: Any) -> None:
    await say(client, "sw-16", "百褶裙收到了 M码腰有点松 能换S吗")
    met = await say(client, "sw-16", "没穿过 吊牌都在")
    assert "符合" in texts(met) and met["status"] == "bot", texts(met)
    new = await say(client, "sw-16", "最近有啥新品")
    assert "新品" in texts(new) and "价格" not in texts(new), texts(new)
    hours = await say(client, "sw-17", "你好 营业到几点 晚上十点还有人吗")
    assert "在线时间" in texts(hours), texts(hours)


async def test_qualities_a_down_jacket_and_shoes_are_asked_about(client: Any) -> None:
    await say(client, "sw-18", "轻薄羽绒服")
    warm = await say(client, "sw-18", "在哈尔滨冬天够穿吗")
    assert "零下" in texts(warm), texts(warm)
    pack = await say(client, "sw-18", "充绒量多少 能收起来带着出差吗")
    assert "120g" in texts(pack) and "收纳" in texts(pack), texts(pack)
    water = await say(client, "sw-18", "防水吗 下雪天")
    assert "防泼水" in texts(water), texts(water)
    await say(client, "sw-19", "小白鞋")
    grip = await say(client, "sw-19", "鞋底滑不滑 下雨天怕摔")
    assert "防滑" in texts(grip), texts(grip)


async def test_a_colour_said_at_first_and_changed_is_not_a_second_line(client: Any) -> None:
    await say(client, "sw-20", "想给男朋友买件男士牛津纺衬衫 XL")
    await say(client, "sw-20", "浅蓝（最开始说白色，后来改了）")
    await place(client, "sw-20")
    assert await lines(client) == [("男士牛津纺长袖衬衫", "浅蓝", "XL", 1)]


async def test_after_the_socks_come_out_the_address_sent_again_orders_nothing_new(client: Any) -> None:
    await say(client, "sw-21", "纯棉长袖睡衣套装 我浅粉M 老公雾霾蓝XL 再加一包全白的袜子")
    await place(client, "sw-21")
    await say(client, "sw-21", "啊袜子算了 不要了 家里还有好多")
    again = await say(client, "sw-21", f"对 就这两套 地址 {ADDRESS} 寄公司这边")
    assert "核对" not in texts(again), texts(again)
    assert await lines(client) == [("纯棉长袖睡衣套装", "浅粉", "M", 1), ("纯棉长袖睡衣套装", "雾霾蓝", "XL", 1)]


async def test_four_colleagues_one_called_by_title_each_get_a_size(client: Any) -> None:
    answer = await say(client, "sw-22", "我们部门团建要买统一的白T，4个人：\n小王 158cm 48kg\n小李 167cm 56kg\n"
                                        "老张 173cm 66kg\n刘经理 179cm 76kg")
    assert "刘经理" in texts(answer) and "XL码" in texts(answer), texts(answer)


async def test_the_next_item_for_the_same_measurements_gets_its_own_size(client: Any) -> None:
    await say(client, "sw-23", "阔腿裤 165 114斤 穿哪个码")
    await say(client, "sw-23", "那不要杏色了 黑色L 再来一件燕麦色的圆领T 同样身高体重穿啥")
    await place(client, "sw-23")
    assert await lines(client) == [("冰丝垂感阔腿裤", "黑色", "L", 1), ("纯棉圆领短袖T恤", "燕麦色", "M", 1)]
