"""What shoppers say in passing, on both databases: a question that fits one item is about it; a colour given up
("还是算了") before another item is named; a size for a kind not yet chosen is nobody's; a choice kept through a
detour; measurements given first and the size asked later; a yes to the read-back that says something else; a
colour changed after ordering with its reason; an item turned down that is not in the order; a delivery note beside
the invoice; several lines counted "两件都"; an item added after ordering, with a note; a sold-out item turned down
beside the one bought; items named by their kind from the list shown, sized from measurements said before; a
question about an ordered item; a team's sizes ordered with the invoice. Each checks what the customer would notice:
the reply, and the order the warehouse gets (``GET /api/shipping``)."""

from __future__ import annotations

from typing import Any

from tests.bot.rest import order_lines as lines
from tests.bot.rest import place as placed
from tests.bot.rest import say, tasks, texts

ADDRESS = "邵雨桐 13671852406 浙江省宁波市鄞州区天童南路588号宁波文化广场B座1106"


async def place(client: Any, customer: str) -> str:
    return await placed(client, customer, ADDRESS)


async def test_a_question_that_fits_one_item_is_answered_about_it(client: Any) -> None:
    asked = await say(client, "pa-1", "老公上班要穿衬衫 他懒得熨 有免烫的吗")
    assert "免烫" in texts(asked) and "哪一款" not in texts(asked), texts(asked)
    sized = await say(client, "pa-1", "他178 148斤 穿哪个码")
    assert "XL码" in texts(sized), texts(sized)
    ordered = await say(client, "pa-1", "那就浅蓝XL一件 快递别打电话 他上班接不了")
    assert "抱歉" not in texts(ordered), "choosing an item with a delivery note is no complaint"
    await place(client, "pa-1")
    assert await lines(client) == [("男士牛津纺长袖衬衫", "浅蓝", "XL", 1)]
    assert "别打电话" in (await tasks(client))[0]["notes"]


async def test_a_colour_given_up_before_another_item_stays_given_up(client: Any) -> None:
    await say(client, "pa-2", "缎面衬衫 我160 52公斤 穿什么码")
    await say(client, "pa-2", "香槟色还是算了 拿黑色吧 另外冰丝阔腿裤黑色也来一条")
    both = await say(client, "pa-2", "两件都是M")
    assert "地址" in texts(both), texts(both)
    await place(client, "pa-2")
    assert await lines(client) == [("冰丝垂感阔腿裤", "黑色", "M", 1), ("缎面垂感长袖衬衫", "黑色", "M", 1)]


async def test_a_size_for_a_kind_not_chosen_yet_goes_on_nothing(client: Any) -> None:
    await say(client, "pa-3", "纯棉休闲工装裤 卡其色")
    await say(client, "pa-3", "裤子L，裙子M")
    await place(client, "pa-3")
    assert await lines(client) == [("纯棉休闲工装裤", "卡其", "L", 1)]


async def test_measurements_said_first_give_the_size_asked_for_later(client: Any) -> None:
    await say(client, "pa-4", "给我儿子看看裤子 他一米七二 132斤")
    sized = await say(client, "pa-4", "工装裤要卡其色的 他穿几码")
    assert "L码" in texts(sized) and "要哪个码" not in texts(sized), texts(sized)


async def test_a_choice_is_kept_while_another_item_is_asked_about(client: Any) -> None:
    await say(client, "pa-5", "纯棉休闲工装裤 卡其色")
    await say(client, "pa-5", "碎花雪纺连衣裙透不透")
    both = await say(client, "pa-5", "连衣裙要蓝色碎花M 裤子拿L")
    assert "什么颜色" not in texts(both), texts(both)
    await place(client, "pa-5")
    assert await lines(client) == [("碎花雪纺连衣裙", "蓝色碎花", "M", 1), ("纯棉休闲工装裤", "卡其", "L", 1)]


async def test_a_yes_to_the_read_back_that_says_something_else_is_read_back_again(client: Any) -> None:
    await say(client, "pa-6", "百褶裙黑色S 再加一件条纹长袖 白底藏青条 也S")
    await say(client, "pa-6", ADDRESS)
    again = await say(client, "pa-6", "对 只要一条雾霾蓝S")
    assert "核对" in texts(again) and "雾霾蓝" in texts(again) and "条纹" not in texts(again), texts(again)
    assert await lines(client) == [], "nothing is placed on a yes that changed the order"
    await say(client, "pa-6", "确认")
    assert await lines(client) == [("高腰百褶半身裙", "雾霾蓝", "S", 1)]


async def test_a_colour_changed_after_ordering_with_its_reason_is_changed(client: Any) -> None:
    await say(client, "pa-7", "高腰百褶半身裙 黑色 S")
    await place(client, "pa-7")
    changed = await say(client, "pa-7", "等等 裙子还是换卡其吧 黑色的家里已经有了")
    assert "卡其" in texts(changed) and "改" in texts(changed), texts(changed)
    assert await lines(client) == [("高腰百褶半身裙", "卡其", "S", 1)]


async def test_an_item_turned_down_that_is_not_in_the_order_cancels_nothing(client: Any) -> None:
    await say(client, "pa-8", "法式条纹长袖T恤好看吗")
    await say(client, "pa-8", "算了 先看裙子 百褶裙雾霾蓝S")
    await place(client, "pa-8")
    kept = await say(client, "pa-8", "条纹那件不要了 只要裙子")
    assert "取消" not in texts(kept) and "没有" in texts(kept), texts(kept)
    assert await lines(client) == [("高腰百褶半身裙", "雾霾蓝", "S", 1)]


async def test_a_delivery_note_beside_the_invoice_goes_on_the_order(client: Any) -> None:
    await say(client, "pa-9", "纯棉圆领短袖T恤 白色 M 两件")
    await place(client, "pa-9")
    both = await say(client, "pa-9", "快递放公司前台就行。发票抬头 宁波星禾文化传媒有限公司，税号 91330212MA2K7H3Q9W，"
                                     "邮箱 caiwu@xinghe-media.cn")
    assert "星禾" in texts(both) and "前台" in texts(both), texts(both)
    [request] = (await (await client.get("/api/invoices")).json())["invoices"]
    assert request["title"] == "宁波星禾文化传媒有限公司"
    assert "前台" in (await tasks(client))[0]["notes"]


async def test_a_note_sent_with_the_order_said_again_goes_on_the_order(client: Any) -> None:
    await say(client, "pa-10", "男士牛津纺长袖衬衫 白色 L")
    await place(client, "pa-10")
    again = await say(client, "pa-10", f"{ADDRESS} 白色L那件 麻烦别放价格单 是礼物")
    assert "备注" in texts(again) and "核对" not in texts(again), texts(again)
    assert "价格单" in (await tasks(client))[0]["notes"]
    assert await lines(client) == [("男士牛津纺长袖衬衫", "白色", "L", 1)]


async def test_two_counted_together_are_one_each(client: Any) -> None:
    await say(client, "pa-11", "羊毛混纺圆领毛衣 情侶款")
    both = await say(client, "pa-11", "兩件都要杏色，我S、他XL")
    assert "地址" in texts(both), texts(both)
    await place(client, "pa-11")
    assert await lines(client) == [("羊毛混纺圆领毛衣", "杏色", "S", 1), ("羊毛混纺圆领毛衣", "杏色", "XL", 1)]


async def test_an_item_added_after_ordering_with_a_note_joins_the_order(client: Any) -> None:
    await say(client, "pa-12", "纯棉圆领短袖T恤 黑色L 再要一包袜子 全黑")
    await place(client, "pa-12")
    added = await say(client, "pa-12", "再加件白的L 凑个包邮 放快递柜")
    assert "加到订单" in texts(added) and "快递柜" in texts(added), texts(added)
    await say(client, "pa-12", "确认")
    assert await lines(client) == [("纯棉中筒袜五双装", "全黑", "均码", 1), ("纯棉圆领短袖T恤", "白色", "L", 1),
                                   ("纯棉圆领短袖T恤", "黑色", "L", 1)]
    assert "快递柜" in (await tasks(client))[0]["notes"]


async def test_a_sold_out_item_turned_down_leaves_the_one_chosen(client: Any) -> None:
    await say(client, "pa-13", "加绒卫衣还有吗")
    await say(client, "pa-13", "那牛仔夹克呢 我170 120斤")
    chosen = await say(client, "pa-13", "深蓝M 就这件了 卫衣不要了")
    assert "卖完" not in texts(chosen) and "断货" not in texts(chosen), texts(chosen)
    await place(client, "pa-13")
    assert await lines(client) == [("水洗牛仔夹克", "深蓝", "M", 1)]


async def test_items_named_by_kind_are_sized_from_measurements_said_before(client: Any) -> None:
    await say(client, "pa-14", "想给我儿子买衬衫和牛仔裤 他183 160斤")
    sized = await say(client, "pa-14", "衬衫要一件白的一件浅蓝，牛仔裤要深蓝。尺码你帮我挑")
    assert "XXL码" in texts(sized) and "哪一款" not in texts(sized), texts(sized)
    await place(client, "pa-14")
    assert await lines(client) == [("男士弹力修身牛仔裤", "深蓝", "XXL", 1), ("男士牛津纺长袖衬衫", "浅蓝", "XXL", 1),
                                   ("男士牛津纺长袖衬衫", "白色", "XXL", 1)]
    asked = await say(client, "pa-14", "白衬衫透不透啊")
    assert "略透" in texts(asked) and "已经在订单" not in texts(asked), texts(asked)


async def test_a_teams_sizes_are_ordered_with_the_invoice(client: Any) -> None:
    await say(client, "pa-15", "团建统一买黑色圆领T恤 四个人")
    await say(client, "pa-15", "阿强 170 60kg，小美 158 46kg，大刘 184 84kg，我 166 55kg")
    ordered = await say(client, "pa-15", "就按你说的码下单，要开发票，抬头 宁波蓝帆科技有限公司")
    assert "地址" in texts(ordered), texts(ordered)
    await place(client, "pa-15")
    assert len(await lines(client)) >= 3 and all(line[1] == "黑色" for line in await lines(client))
    assert sum(line[3] for line in await lines(client)) == 4


async def test_a_plain_question_while_a_complaint_waits_is_answered_and_the_wait_goes_on(client: Any) -> None:
    opened = await say(client, "pa-16", "收到的羽绒服拉链坏了 拉不上")
    assert opened["status"] == "waiting_agent", texts(opened)
    for answer in ("没有照片", "换货"):
        await say(client, "pa-16", answer)
    wash = await say(client, "pa-16", "对了 这件羽绒服平时怎么洗啊")
    assert "羽绒专用" in texts(wash) and "留着了" not in texts(wash), texts(wash)
    hours = await say(client, "pa-16", "你们人工几点下班")
    assert "在线时间" in texts(hours) and "已经排上队" in texts(hours) and "点“转人工”" not in texts(hours), texts(hours)
    assert wash["status"] == hours["status"] == "waiting_agent", "the complaint is still in the queue"


async def test_colleagues_called_by_letters_and_two_with_the_same_measurements_get_a_line_each(client: Any) -> None:
    await say(client, "pa-17", "纯棉圆领短袖T恤 黑色的 公司要几件")
    sized = await say(client, "pa-17", "帮我看下尺码：同事A 157/47kg，B和C都是169左右/58kg，D 181/76kg")
    assert all(f"{who}（" in texts(sized) for who in "ABCD"), texts(sized)
    await say(client, "pa-17", "那就S一件 M两件 XL一件 都黑色")
    await place(client, "pa-17")
    assert await lines(client) == [("纯棉圆领短袖T恤", "黑色", "M", 2), ("纯棉圆领短袖T恤", "黑色", "S", 1),
                                   ("纯棉圆领短袖T恤", "黑色", "XL", 1)]


async def test_what_is_worn_underneath_is_no_second_item(client: Any) -> None:
    await say(client, "pa-18", "双面羊绒大衣 我163 108斤穿什么码")
    chose = await say(client, "pa-18", "那我里面加件毛衣。要黑色M")
    assert "地址" in texts(chose) and "毛衣" not in texts(chose).replace("内搭毛衣", ""), texts(chose)
    await place(client, "pa-18")
    assert await lines(client) == [("双面羊绒大衣", "黑色", "M", 1)]
    sized = await say(client, "pa-18", "里面还要穿毛衣的 我穿几号合适")
    assert "双面羊绒大衣" in texts(sized) and "羊毛混纺圆领毛衣" not in texts(sized), texts(sized)


async def test_an_item_taken_out_and_the_one_left_changed_in_one_message(client: Any) -> None:
    await say(client, "pa-19", "男士牛津纺长袖衬衫 白色L 再来条男士牛仔裤 黑色L")
    await place(client, "pa-19")
    both = await say(client, "pa-19", "算了裤子不要了 衬衫就一件 换浅粉L")
    assert "去掉" in texts(both) and "浅粉" in texts(both), texts(both)
    assert await lines(client) == [("男士牛津纺长袖衬衫", "浅粉", "L", 1)]


async def test_a_father_and_a_colour_said_twice_by_voice(client: Any) -> None:
    await say(client, "pa-20", "冰丝的保罗衫要两件一件我穿一件我父亲穿")
    await say(client, "pa-20", "我一米七八一百五十斤我父亲一米六八一百二十斤各穿多大号")
    both = await say(client, "pa-20", "我要藏清色的我父亲要辉色的就是灰色的")
    assert "地址" in texts(both), texts(both)
    await place(client, "pa-20")
    assert await lines(client) == [("冰丝短袖POLO衫", "灰色", "M", 1), ("冰丝短袖POLO衫", "藏青", "XL", 1)]


async def test_asking_what_the_shop_adds_is_answered_beside_the_order(client: Any) -> None:
    await say(client, "pa-21", "小白鞋 我脚长23.8 老公26.1 各穿几码")
    both = await say(client, "pa-21", "我要米白 老公黑色 买两双有啥优惠吗")
    assert "券" in texts(both) or "袜" in texts(both), texts(both)
    assert "地址" in texts(both), "the order goes on"


async def test_a_returns_conditions_asked_as_a_question_are_answered(client: Any) -> None:
    await say(client, "pa-22", "牛津纺衬衫到了 穿上感觉不太适合我 想退")
    answer = await say(client, "pa-22", "一次没穿过 吊牌也在 是能七天无理由的吧？签收第三天")
    assert "7天" in texts(answer) and "没太明白" not in texts(answer), texts(answer)
    assert answer["status"] == "bot", "a no-fault return is no complaint"


async def test_an_order_we_cannot_find_described_again_goes_to_a_colleague_not_to_a_new_sale(client: Any) -> None:
    await say(client, "pa-23", "我刚拍了条阔腿裤 想取消")
    described = await say(client, "pa-23", "就半小时前下的 黑色M 应该还没发货吧")
    assert "地址" not in texts(described) and described["status"] == "waiting_agent", texts(described)


async def test_an_exchange_for_another_size_is_no_new_purchase(client: Any) -> None:
    await say(client, "pa-24", "百褶裙买大了 可以换小一码吗")
    wanted = await say(client, "pa-24", "现在是L 想换M 颜色不变")
    assert "换成M" in texts(wanted), texts(wanted)
    sized = await say(client, "pa-24", "我160 48公斤 M没问题吧")
    assert "M码" in texts(sized) and "地址" not in texts(sized), texts(sized)
    postage = await say(client, "pa-24", "那寄回来的运费怎么算")
    assert "自己承担" in texts(postage) and "包邮" not in texts(postage), texts(postage)
    assert await lines(client) == [], "nothing was bought"


async def test_a_yes_after_the_order_is_placed_says_it_is_placed(client: Any) -> None:
    await say(client, "pa-25", "纯棉圆领短袖T恤 燕麦色 L")
    await place(client, "pa-25")
    again = await say(client, "pa-25", "确认 尽快发哦")
    assert "已经下好" in texts(again) and "没太明白" not in texts(again), texts(again)
    assert await lines(client) == [("纯棉圆领短袖T恤", "燕麦色", "L", 1)]


async def test_after_a_sold_out_item_the_one_they_turn_to_is_the_one_meant(client: Any) -> None:
    await say(client, "pa-26", "加绒卫衣还有吗")
    turned = await say(client, "pa-26", "那t恤呢 黑的有没")
    assert "纯棉圆领短袖T恤" in texts(turned) and "卫衣" not in texts(turned), texts(turned)
    await say(client, "pa-26", "178 140斤 穿啥码")
    await say(client, "pa-26", "行 黑的 来一件")
    await place(client, "pa-26")
    assert await lines(client) == [("纯棉圆领短袖T恤", "黑色", "XL", 1)]


async def test_one_in_northern_talk_is_one(client: Any) -> None:
    await say(client, "pa-27", "羽绒服 我185 180斤 整哪个号")
    await say(client, "pa-27", "行吧 黑色XXL整一件")
    await place(client, "pa-27")
    assert await lines(client) == [("轻薄白鸭绒羽绒服", "黑色", "XXL", 1)]


async def test_one_item_turned_down_across_clauses_and_the_other_changed_for_a_reason(client: Any) -> None:
    await say(client, "pa-28", "高腰直筒牛仔裤浅蓝S 再要一件条纹长袖 白底红条 也S")
    await place(client, "pa-28")
    out = await say(client, "pa-28", "啊不对 条纹的跟我室友撞衫了 不要了 就要裤子")
    assert "去掉" in texts(out), texts(out)
    changed = await say(client, "pa-28", "裤子换深蓝吧 浅蓝不耐脏")
    assert changed["status"] == "bot" and "深蓝" in texts(changed), texts(changed)
    assert await lines(client) == [("高腰直筒牛仔裤", "深蓝", "S", 1)]


async def test_an_item_of_the_list_shown_named_by_part_of_its_name(client: Any) -> None:
    await say(client, "pa-29", "想给女朋友买条裙子 有推荐的吗")
    asked = await say(client, "pa-29", "碎花那个挺好看 会透吗")
    assert "不透" in texts(asked) and "哪一款" not in texts(asked), texts(asked)


async def test_the_same_question_a_third_time_goes_to_a_person(client: Any) -> None:
    first = await say(client, "pa-30", "冰丝短袖POLO衫 要两件 一件M 一件XL")
    assert "颜色" in texts(first), texts(first)
    again = await say(client, "pa-30", "随便吧 你看着来")
    assert again["status"] == "bot" and "颜色" in texts(again), texts(again)
    third = await say(client, "pa-30", "随便吧 你看着来")
    assert third["status"] == "waiting_agent" and "同事" in texts(third), texts(third)


async def test_another_colour_of_an_ordered_item_with_a_count_is_asked_instead_or_as_well(client: Any) -> None:
    await say(client, "pa-31", "羊毛混纺圆领毛衣 藏青XL 再来一条羊毛针织围巾 燕麦色")
    await place(client, "pa-31")
    asked = await say(client, "pa-31", "酒红也挺好看 要一件XL")
    assert "换成" in texts(asked) and "再加一件" in texts(asked), texts(asked)
    assert "核对" not in texts(asked), "nothing is read back before they say which"
    await say(client, "pa-31", "换成酒红 XL")
    assert await lines(client) == [("羊毛混纺圆领毛衣", "酒红", "XL", 1), ("羊毛针织围巾", "燕麦色", "均码", 1)]


async def test_one_more_of_another_colour_when_they_say_so(client: Any) -> None:
    await say(client, "pa-32", "纯棉圆领短袖T恤 白色L")
    await place(client, "pa-32")
    await say(client, "pa-32", "黑色的也不错 要一件L")
    added = await say(client, "pa-32", "再加一件")
    assert "加到订单" in texts(added), texts(added)
    await say(client, "pa-32", "确认")
    assert await lines(client) == [("纯棉圆领短袖T恤", "白色", "L", 1), ("纯棉圆领短袖T恤", "黑色", "L", 1)]


async def test_the_address_and_a_note_sent_again_after_asking_about_the_ordered_item_go_on_that_order(client: Any) -> None:
    await say(client, "pa-33", "男士牛津纺长袖衬衫 浅粉L")
    await place(client, "pa-33")
    await say(client, "pa-33", "牛津纺那件 他173 130斤 穿什么码")
    await say(client, "pa-33", "那就浅粉L一件")
    again = await say(client, "pa-33", f"{ADDRESS} 麻烦备注别放价格单 是礼物")
    assert "备注加到订单" in texts(again) and "什么颜色" not in texts(again), texts(again)
    assert "价格单" in (await tasks(client))[0]["notes"]
    assert await lines(client) == [("男士牛津纺长袖衬衫", "浅粉", "L", 1)]


async def test_a_colour_asked_of_a_sold_out_item_does_not_make_it_a_line(client: Any) -> None:
    gone = await say(client, "pa-so-1", "加绒卫衣灰色有吗")
    assert "卖完" in texts(gone) or "售罄" in texts(gone), texts(gone)
    await say(client, "pa-so-1", "那有啥外套推荐 学生党")
    await say(client, "pa-so-1", "牛仔夹克深蓝 再来条工装裤军绿 173 65kg")
    readback = await say(client, "pa-so-1", ADDRESS)
    assert "卫衣" not in texts(readback), texts(readback)
    await say(client, "pa-so-1", "确认")
    assert await lines(client) == [("水洗牛仔夹克", "深蓝", "L", 1), ("纯棉休闲工装裤", "军绿", "L", 1)]


async def test_an_item_sold_out_at_the_yes_leaves_the_rest_to_go_ahead_with(client: Any) -> None:
    from sqlalchemy import update

    from bot.web.keys import SERVICES
    from models import Product

    await say(client, "pa-so-2", "水洗牛仔夹克深蓝L 再来一条工装裤军绿L")
    readback = await say(client, "pa-so-2", ADDRESS)
    assert "工装裤" in texts(readback) and "夹克" in texts(readback), texts(readback)
    db = client.server.app[SERVICES].db
    # Someone else buys the last trousers meanwhile.
    await db.run(lambda s: s.execute(update(Product).where(Product.name == "纯棉休闲工装裤").values(stock=0)))
    refused = await say(client, "pa-so-2", "确认")
    assert "工装裤" in texts(refused) and "还没有下" in texts(refused) and "KF" not in texts(refused), texts(refused)
    assert "夹克" in texts(refused), texts(refused)
    assert await lines(client) == []
    done = await say(client, "pa-so-2", "确认")
    assert "KF" in texts(done), texts(done)
    assert await lines(client) == [("水洗牛仔夹克", "深蓝", "L", 1)]


async def test_an_earlier_order_described_after_the_problem_question_is_a_yes_and_side_questions_are_answered(
    client: Any,
) -> None:
    asked = await say(client, "pa-down-1", "您好，我半个月前买的轻薄羽绒服，这两天发现袖子和肩膀一直往外钻毛，想问下这正常吗？")
    if asked["status"] == "bot":  # asked first whether something went wrong: the order described is the yes
        answer = await say(client, "pa-down-1", "订单是11月3号下的，黑色XL，收件人赵明远。")
        assert answer["status"] == "waiting_agent", texts(answer)
        assert "地址" not in texts(answer), texts(answer)
    washing = await say(client, "pa-down-1", "我还没洗过，平时就正常穿。另外想问一下这件衣服以后该怎么洗？")
    assert "中性洗涤剂" in texts(washing) and washing["status"] == "waiting_agent", texts(washing)
    wants = await say(client, "pa-down-1", "已经过了7天了，还能处理吗？不想退，换一件就行。")
    assert "换货" in texts(wants), texts(wants)
    assert await lines(client) == []


async def test_one_persons_colour_changed_leaves_the_others_as_they_were(client: Any) -> None:
    await say(client, "pa-team-1", "你好 公司团建要买圆领T恤 统一黑色 4个人 尺码帮我看下：小王160 50kg，小李168 58kg，"
                                    "小张173 65kg，老陈178 75kg")
    await say(client, "pa-team-1", "哦对了 小张说他不要黑的 要白色 其他人不变")
    await place(client, "pa-team-1")
    assert await lines(client) == [("纯棉圆领短袖T恤", "白色", "L", 1), ("纯棉圆领短袖T恤", "黑色", "M", 1),
                                   ("纯棉圆领短袖T恤", "黑色", "S", 1), ("纯棉圆领短袖T恤", "黑色", "XL", 1)]


async def test_a_colour_taken_back_after_adding_an_item_changes_it_and_the_order_said_again_is_no_complaint(
    client: Any,
) -> None:
    await say(client, "pa-stripe-1", "百褶半身裙 雾霾蓝 M 一条")
    await place(client, "pa-stripe-1")
    added = await say(client, "pa-stripe-1", "再加一件条纹T恤 白底红条的 也是M")
    assert "加到订单" in texts(added) or "新增" in texts(added), texts(added)
    await say(client, "pa-stripe-1", "嗯嗯对 就这样 不改了😂")
    changed = await say(client, "pa-stripe-1", "算了算了红条太跳了 换白底藏青条")
    assert "白底藏青条" in texts(changed) and changed["status"] == "bot", texts(changed)
    again = await say(client, "pa-stripe-1", "就这两件 裙子雾霾蓝M 条纹藏青M 没了")
    assert again["status"] == "bot" and "抱歉" not in texts(again), texts(again)
    assert await lines(client) == [("法式条纹长袖T恤", "白底藏青条", "M", 1), ("高腰百褶半身裙", "雾霾蓝", "M", 1)]


async def test_a_note_after_ordering_and_a_second_of_an_ordered_item_said_plainly(client: Any) -> None:
    await say(client, "pa-g-1", "冰丝polo藏青XL两件")
    await place(client, "pa-g-1")
    noted = await say(client, "pa-g-1", "行 上午公司没人 备注下午送")
    assert "下午送" in texts(noted) and "没太明白" not in texts(noted), texts(noted)
    assert "下午送" in (await tasks(client))[0]["notes"]
    again = await say(client, "pa-g-1", "再来一件 藏青XL的")
    assert "已经有" in texts(again) and "再加一份" in texts(again), texts(again)


async def test_an_order_described_but_not_found_goes_to_a_colleague_and_nothing_is_bought(client: Any) -> None:
    await say(client, "pa-g-2", "刚下的单地址填错了 填成以前租的房子了 还能改吗")
    described = await say(client, "pa-g-2", "是帆布鞋那单 黑色43 今天上午十一点拍的")
    assert described["status"] == "waiting_agent" and "地址" not in texts(described).replace("改地址", ""), \
        texts(described)
    await say(client, "pa-g-2", "邓俊 18721094586 上海市闵行区七莘路3588号万科城市花园北区22号楼601")
    assert await lines(client) == []


async def test_an_order_named_by_its_tail_number_while_we_look_for_it_is_never_bought_again(client: Any) -> None:
    await say(client, "pa-h-25", "你好 我上午十点下的单 地址选成老房子了 能改吗")
    named = await say(client, "pa-h-25", "订单尾号5561 买的羊毛围巾 灰色")
    assert named["status"] == "waiting_agent", texts(named)
    await say(client, "pa-h-25", "新地址：钱磊 18069327714 浙江省宁波市鄞州区天童南路588号宁波文化广场A座1203")
    await say(client, "pa-h-25", "对 就是这个新地址")
    assert await lines(client) == []


async def test_two_lines_said_before_another_item_is_looked_at_stay_in_the_order(client: Any) -> None:
    await say(client, "pa-h-03", "给儿子买衣服 他15岁 一米六八 114斤 穿你家圆领T恤多大码呀")
    looked = await say(client, "pa-h-03", "那要白的一件黑的一件 都M 再看看小白鞋 他脚长25.8公分 穿几码")
    assert "42码" in texts(looked) and "慢慢考虑" not in texts(looked), texts(looked)
    await say(client, "pa-h-03", "鞋子要白色的")
    await place(client, "pa-h-03")
    assert await lines(client) == [("纯棉圆领短袖T恤", "白色", "M", 1), ("纯棉圆领短袖T恤", "黑色", "M", 1),
                                   ("经典帆布小白鞋", "白色", "42", 1)]


async def test_a_size_for_each_person_said_plainly_makes_a_line_each(client: Any) -> None:
    await say(client, "pa-g-06", "喂 你哋个帆布小白鞋仲有冇货")
    sized = await say(client, "pa-g-06", "我42 老婆37")
    assert "颜色" in texts(sized) and "身高体重" not in texts(sized), texts(sized)
    await say(client, "pa-g-06", "咁我要白色 佢要米白 一人一对")
    await place(client, "pa-g-06")
    assert await lines(client) == [("经典帆布小白鞋", "白色", "42", 1), ("经典帆布小白鞋", "米白色", "37", 1)]


async def test_an_angry_word_while_waiting_is_heard_not_only_queued(client: Any) -> None:
    from sqlalchemy import select

    from bot.web.keys import SERVICES
    from models import Dispute

    await say(client, "pa-angry-1", "收到的羽绒服拉链坏了 质量太差了")
    angry = await say(client, "pa-angry-1", "到底有没有人管？？等半天了 气死了")
    assert angry["status"] == "waiting_agent"
    assert any(w in texts(angry) for w in ("抱歉", "对不起", "理解")), texts(angry)
    # What the reply says was recorded is on the dispute, for the person who takes it.
    db = client.server.app[SERVICES].db
    details = await db.run(lambda s: s.execute(select(Dispute.details)).scalar_one())
    assert "气死了" in str(details), details
